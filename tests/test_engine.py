"""The counterfactual engine: one pass over spans, provenance, case, unsafe marking."""

from __future__ import annotations

from pathlib import Path

import pytest

import biasaudit
from biasaudit.core import CounterfactualEngine, TermMatcher, apply_edits, transfer_case
from biasaudit.core.types import Candidate
from biasaudit.errors import LexiconError, UnsupportedError
from biasaudit.lexicons import Entry


def test_chained_swaps_do_not_undo_each_other() -> None:
    cf = biasaudit.swap("He said she would call her mother.")
    assert cf.text == "She said he would call his father."
    assert [e.old for e in cf.edits] == ["He", "she", "her", "mother"]
    assert [e.new for e in cf.edits] == ["She", "he", "his", "father"]


def test_edits_record_offsets_rule_entry_and_lexicon_version() -> None:
    src = "I saw her yesterday."
    cf = biasaudit.swap(src)
    (edit,) = cf.edits
    assert src[edit.start : edit.end] == "her" == edit.old
    assert edit.new == "him"
    assert edit.rule == "en.pronoun.obj"
    assert edit.entry == "him"
    assert edit.lexicon == "en-gender-pronouns@1.0.0"
    assert apply_edits(src, cf.edits) == cf.text == "I saw him yesterday."


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("he", "she"),
        ("He", "She"),
        ("HE", "SHE"),
        ("Actress", "Actor"),
        ("ACTRESSES", "ACTORS"),
    ],
)
def test_case_pattern_is_kept(src: str, expected: str) -> None:
    assert biasaudit.swap(src).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Heather went to the theater with the shepherd.",
        "This is hisself and Hershey: Hermione, Himalaya, Sonata, Shepherdson.",
        "The kingdom of mankind.",
        "",
        "   ",
    ],
)
def test_no_false_hits_inside_words(text: str) -> None:
    cf = biasaudit.swap(text)
    assert cf.text == text
    assert cf.edits == ()


def test_text_outside_edits_is_byte_identical() -> None:
    src = "  Her\tson —\u00a0and  HIS wife!!\n(The king's\r\nqueen.)  "
    cf = biasaudit.swap(src)
    pos = 0
    for e in cf.edits:
        assert src[pos : e.start] in cf.text
        pos = e.end
    assert cf.text == "  His\tdaughter —\u00a0and  HER husband!!\n(The queen's\r\nking.)  "


def test_multiword_and_hyphenated_terms_match_as_units() -> None:
    assert biasaudit.swap("My father-in-law and my half-sister.").text == (
        "My mother-in-law and my half-brother."
    )


def test_exclusions_block_terms_inside_fixed_phrases() -> None:
    assert biasaudit.swap("She has a master's degree.").text == "He has a master's degree."


def test_possessive_readings() -> None:
    assert biasaudit.swap("The book is his.").text == "The book is hers."
    assert biasaudit.swap("His book is hers.").text == "Her book is his."
    assert biasaudit.swap("She made her debut.").text == "He made his debut."
    assert biasaudit.swap("They granted her 1000 acres.").text == "They granted him 1000 acres."
    assert biasaudit.swap("The gentlemen's club").text == "The ladies' club"
    assert biasaudit.swap("The ladies' club").text == "The gentlemen's club"


def test_titles_only_before_names_and_proper_names_kept() -> None:
    assert biasaudit.swap("Mr. Smith met Lady Loftus and a lady.").text == (
        "Mrs. Smith met Lord Loftus and a gentleman."
    )
    assert biasaudit.swap("She studied at King's College.").text == "He studied at King's College."


def test_counterfactuals_one_variant_per_group_with_neutral_agreement() -> None:
    variants = biasaudit.counterfactuals("She is a nurse and she was tired.")
    by_target = {v.target: v for v in variants}
    assert set(by_target) == {"male", "female", "neutral"}
    assert by_target["male"].text == "He is a nurse and he was tired."
    assert by_target["female"].text == "She is a nurse and she was tired."
    assert not by_target["female"].changed
    assert by_target["neutral"].text == "They are a nurse and they were tired."
    assert all(v.safe for v in variants)


def test_collapsing_several_groups_is_unsafe() -> None:
    variants = biasaudit.counterfactuals("He met her.")
    assert all(not v.safe for v in variants)
    assert "merge different people" in variants[0].unsafe[0]
    assert biasaudit.swap("He met her.").safe


def test_ambiguous_reading_is_marked_unsafe(tmp_path: Path) -> None:
    lex = tmp_path / "amb.yaml"
    lex.write_text(
        "format: biasaudit-lexicon/1\nlanguage: en\naxis: gender\nversion: '1'\n"
        "groups: [male, female]\nswap: {male: female, female: male}\nentries:\n"
        "  - {id: a, features: {case: nom}, forms: {male: zed, female: zedda}}\n"
        "  - {id: b, features: {case: obj}, forms: {male: zedo, female: zedda}}\n",
        encoding="utf-8",
    )
    eng = CounterfactualEngine("en", "gender", lexicon_paths=[lex])
    cf = eng.swap("The zedda left.")
    assert not cf.safe
    assert "ambiguous 'zedda'" in cf.unsafe[0]
    assert cf.text == "The zedda left."  # nothing half-done


def test_n_ary_axis_from_user_lexicon(religion_dir: Path) -> None:
    variants = biasaudit.counterfactuals(
        "The Christian family went to church.", axis="faith", lexicon_paths=[religion_dir]
    )
    assert [v.text for v in variants] == [
        "The Christian family went to church.",
        "The Muslim family went to mosque.",
        "The Jewish family went to synagogue.",
    ]
    assert [v.target for v in variants] == ["christian", "muslim", "jewish"]
    with pytest.raises(UnsupportedError, match="no pairwise swap"):
        biasaudit.swap("Christian", axis="faith", lexicon_paths=[religion_dir])


def test_unknown_language_or_group_errors_are_clear() -> None:
    with pytest.raises(UnsupportedError, match="no lexicon for language 'xx'") as info:
        biasaudit.swap("x", lang="xx")
    assert info.value.argument == "lang"
    with pytest.raises(UnsupportedError, match="no lexicon for language 'en'") as info:
        biasaudit.swap("x", lang="en", axis="faith")
    assert info.value.argument == "axis"
    with pytest.raises(UnsupportedError, match="unknown group 'robot'") as info:
        biasaudit.engine().plan("robot")
    assert info.value.argument == "groups"


def test_batch_forms_stream() -> None:
    texts = iter(["he", "she", "nothing"])
    assert [c.text for c in biasaudit.swap_batch(texts)] == ["she", "he", "nothing"]
    out = list(biasaudit.counterfactuals_batch(["he"], groups=["female"]))
    assert out[0][0].text == "she"


def test_to_dict_is_json_ready() -> None:
    import json

    data = biasaudit.swap("her son").to_dict()
    assert json.loads(json.dumps(data))["edits"][0]["old"] == "her"
    assert data["safe"] is True


def test_matcher_prefers_longest_match_and_blocks_exclusions() -> None:
    e = Entry(id="x", forms={"a": ("con",), "b": ("cat",)})
    f = Entry(id="y", forms={"a": ("con trai",), "b": ("con gái",)})
    m = TermMatcher(
        {"con": (Candidate(e, "a"),), "con trai": (Candidate(f, "a"),)}, exclusions=["bà con"]
    )
    found = m.find("con  trai và bà con, con")
    assert [(x.text, x.excluded) for x in found] == [
        ("con  trai", False),
        ("bà con", True),
        ("con", False),
    ]


def test_transfer_case() -> None:
    assert transfer_case("Con Trai", "con gái") == "Con Gái"
    assert transfer_case("mr", "Mrs") == "mrs"
    assert transfer_case("X", "y") == "Y"


def test_match_groups_are_derived_from_candidates() -> None:
    from biasaudit.core import Match

    e = Entry(id="x", forms={"a": ("p",), "b": ("q",)})
    m = Match(0, 1, "p", (Candidate(e, "a"),))
    assert m.groups == frozenset({"a"})
    assert m.narrowed(()).groups == frozenset()


def test_engine_cache_sees_an_edited_lexicon_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A linguist edits a user lexicon in a notebook: the cached engine used to keep the old
    entries until the process ended."""
    import os

    lexicon = tmp_path / "zed.yaml"
    text = (
        "format: biasaudit-lexicon/1\nname: zed\nlanguage: en\naxis: gender\n"
        "version: 0.1.0\ngroups: [male, female]\nswap: {male: female, female: male}\n"
        "source: test\nentries:\n  - {pos: noun, forms: {male: zedman, female: %s}}\n"
    )
    lexicon.write_text(text % "zedwoman", encoding="utf-8")
    first = biasaudit.engine(lexicon_paths=[tmp_path])
    assert first.swap("A zedman.").text == "A zedwoman."
    assert biasaudit.engine(lexicon_paths=[tmp_path]) is first  # cached
    monkeypatch.setattr(biasaudit, "RECHECK_SECONDS", 0.0)
    assert biasaudit.engine(lexicon_paths=[tmp_path]) is first  # files unchanged
    lexicon.write_text(text % "zedlady", encoding="utf-8")
    stat = lexicon.stat()
    os.utime(lexicon, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert biasaudit.swap("A zedman.", lexicon_paths=[tmp_path]).text == "A zedlady."


def test_engine_cache_sees_an_edited_user_languages_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user catalogue is part of what an engine is built from: declaring the missing axis
    there is seen without restarting (the catalogue was cached by path alone)."""
    import os

    catalog = tmp_path / "languages.yaml"
    catalog.write_text("format: biasaudit-languages/1\naxes:\n  castes: Caste\n", "utf-8")
    (tmp_path / "zed.yaml").write_text(
        "format: biasaudit-lexicon/1\nname: zed\nlanguage: en\naxis: caste\n"
        "version: 0.1.0\ngroups: [a, b]\nswap: {a: b, b: a}\nsource: test\n"
        "entries:\n  - {forms: {a: zork, b: zink}}\n", encoding="utf-8")
    monkeypatch.setattr(biasaudit, "RECHECK_SECONDS", 0.0)
    with pytest.raises(LexiconError, match=r"zed\.yaml, line 4, field 'axis': unknown axis"):
        biasaudit.swap("a zork", axis="caste", lexicon_paths=[tmp_path])
    catalog.write_text("format: biasaudit-languages/1\naxes:\n  caste: Caste\n", "utf-8")
    stat = catalog.stat()
    os.utime(catalog, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert biasaudit.swap("a zork", axis="caste", lexicon_paths=[tmp_path]).text == "a zink"


def test_engine_cache_is_per_options() -> None:
    plain = biasaudit.engine("vi")
    styled = biasaudit.engine("vi", options={"third_person_female": "cô ấy"})
    assert plain is not styled
    assert styled is biasaudit.engine("vi", options={"third_person_female": "cô ấy"})
    assert biasaudit.swap("Anh ấy đến.", lang="vi", options={"third_person_female": "cô ấy"}).text \
        == "Cô ấy đến."
    with pytest.raises(UnsupportedError, match="unknown option"):
        biasaudit.engine("en", options={"nope": 1})


@pytest.mark.parametrize(
    "text",
    [
        "countess\u0300",  # s + combining grave: no precomposed letter, NFC keeps the mark
        "he\u0331 said",  # e + macron below
        "x\u0331he said",  # the mark belongs to the word before "he"
        "She met a man\u0489.",  # enclosing mark
    ],
)
def test_a_combining_mark_is_part_of_its_word(text: str) -> None:
    """A combining mark that NFC cannot compose is still part of the word it follows: a term
    never matches up to, or just after, one (it would match inside another word)."""
    cf = biasaudit.swap(text)
    marked = [e for e in cf.edits if not {cf.source[e.start - 1 : e.start],
                                          cf.source[e.end : e.end + 1]}.isdisjoint(
                                              {"\u0300", "\u0331", "\u0489"})]
    assert marked == [], cf.edits


def test_decomposed_input_is_kept_outside_the_edits() -> None:
    """Input that is not NFC (here NFD) is matched in its NFC form, but the result refers to
    the caller's string: ``source`` is it, offsets index it, and every character outside
    the edits is kept; the new words are decomposed like the rest of the text."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Anh ấy gặp ông ấy ở quán cà phê.")
    cf = biasaudit.swap(nfd, lang="vi")
    assert cf.source == nfd
    assert [nfd[e.start : e.end] for e in cf.edits] == [e.old for e in cf.edits]
    assert apply_edits(nfd, cf.edits) == cf.text
    assert cf.text.endswith(unicodedata.normalize("NFD", " ở quán cà phê."))
    assert unicodedata.is_normalized("NFD", cf.text)
    assert cf.text == unicodedata.normalize("NFD", "Chị ấy gặp bà ấy ở quán cà phê.")


@pytest.mark.parametrize("text", [None, 5, b"He left.", ["He left."]])
def test_a_text_that_is_not_a_str_is_a_type_error(text: object) -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        biasaudit.swap(text)  # type: ignore[arg-type]


def test_batch_functions_refuse_one_str() -> None:
    """A str is an iterable of characters: swapping each one would be silently wrong."""
    with pytest.raises(TypeError, match="use swap"):
        list(biasaudit.swap_batch("He met her."))
    with pytest.raises(TypeError, match="use counterfactuals"):
        list(biasaudit.counterfactuals_batch("He met her."))


def test_one_lexicon_path_and_one_group_need_no_list(tmp_path: Path) -> None:
    folder = tmp_path / "lx"
    folder.mkdir()
    (folder / "w.yaml").write_text(
        "format: biasaudit-lexicon/1\nname: my-w\nlanguage: en\naxis: gender\n"
        "version: 1.0.0\ngroups: [male, female]\nswap: {male: female, female: male}\n"
        "source: me\nlicence: CC0-1.0\nreviewer: me\n"
        "entries:\n  - {id: pageboy, pos: noun, forms: {male: pageboy, female: flowergirl}}\n",
        encoding="utf-8")
    for path in (folder, str(folder)):
        assert biasaudit.swap("The pageboy left.", lexicon_paths=path).text == (
            "The flowergirl left.")
    [cf] = biasaudit.counterfactuals("He left.", groups="female")
    assert cf.target == "female" and cf.text == "She left."


def test_no_pairwise_swap_says_how_to_rewrite_to_a_group() -> None:
    with pytest.raises(biasaudit.UnsupportedError, match=r"counterfactuals\(.*groups="):
        biasaudit.swap("She is Muslim.", axis="religion")


@pytest.mark.parametrize(("text", "expected"), [
    # soft hyphen (scraped and PDF text): no *man* in *manager*, no *His* in *History*
    ("the man\u00adager said he left", "the man\u00adager said she left"),
    ("The His\u00adtory Channel", "The His\u00adtory Channel"),
    ("Man\u00adagement met.", "Man\u00adagement met."),
    ("He\u200dlen met him.", "He\u200dlen met her."),  # zero-width joiner
    ("the man\u200b said", "the woman\u200b said"),  # a zero-width space ends a word
])
def test_invisible_characters_inside_a_word_hide_no_term(text: str, expected: str) -> None:
    assert biasaudit.swap(text).text == expected


def test_the_engine_package_is_reachable_beside_the_engine_function() -> None:
    """``biasaudit.engine(...)`` builds an engine; the package it lives in is
    ``biasaudit.core``, so importing it never finds the function instead (a package named
    ``engine`` was shadowed by the function: ``import biasaudit.engine as e`` gave it)."""
    import importlib

    core = importlib.import_module("biasaudit.core")
    assert callable(biasaudit.engine) and core.apply_edits is apply_edits
    assert biasaudit.core.Grammar is core.grammar.Grammar
