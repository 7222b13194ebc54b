"""Importers read every row of the shared benchmark files (counts asserted exactly)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from biasaudit import probes
from biasaudit.core import apply_edits
from biasaudit.errors import InputError
from biasaudit.probes.importers import diff_edits


def aligned(ps: probes.ProbeSet) -> None:
    for c in ps.clusters:
        for v in c.variants:
            assert apply_edits(c.source, v.edits) == v.text, c.id


def test_crows_pairs(shared_data: Path) -> None:
    ps = probes.from_crows_pairs(shared_data / "crows_pairs" / "crows_pairs_anonymized.csv")
    assert ps.stats["rows"] == 1508 and len(ps) == 1508
    assert ps.stats["variants"] == 3016
    aligned(ps)
    c = ps.clusters[1]
    assert [e.new for e in c.variant("sent_less").edits] == ["rich"]
    gender = probes.from_crows_pairs(shared_data / "crows_pairs" / "crows_pairs_anonymized.csv",
                                     axis="gender")
    assert len(gender) == 262 and gender.axis == "gender"
    orient = probes.from_crows_pairs(shared_data / "crows_pairs" / "crows_pairs_anonymized.csv",
                                     axis="orientation")
    assert len(orient) == 84


def test_winobias(shared_data: Path) -> None:
    ps = probes.from_winobias(shared_data / "winobias")
    assert ps.stats["rows"] == 3168 and len(ps) == 1584
    aligned(ps)
    mismatched = []
    for c in ps.clusters:
        assert {v.metadata["stereotype"] for v in c.variants} == {"pro", "anti"}
        if c.metadata.get("pronoun_mismatch"):
            mismatched.append(c.id)
            assert sorted(c.groups) == ["anti", "pro"]
        else:
            assert sorted(c.groups) == ["female", "male"], c.id
    # two released pairs use the same pronoun in both lines; they are flagged, not dropped
    assert mismatched == ["winobias-type2-test-382", "winobias-type2-test-384"]
    first = ps.clusters[0]
    assert first.variant("female").text == ("The developer argued with the designer because "
                                            "she did not like the design.")


def test_winogender(shared_data: Path) -> None:
    ps = probes.from_winogender(shared_data / "winogender" / "all_sentences.tsv")
    assert ps.stats["rows"] == 720 and len(ps) == 240
    aligned(ps)
    assert all([v.group for v in c.variants] == ["male", "female", "neutral"]
               for c in ps.clusters)


def test_bbq(shared_data: Path) -> None:
    ps = probes.from_bbq(shared_data / "bbq")
    assert ps.stats["rows"] == 864 and len(ps) == 432 and ps.stats["variants"] == 864
    aligned(ps)
    ids = {v.metadata["example_id"] for c in ps.clusters for v in c.variants}
    assert len(ids) == 864
    c = ps.clusters[0]
    assert {v.group for v in c.variants} == {"gay", "lesbian"}
    # every row names the group mentioned first, and the two orders of a question swap it
    assert ps.stats["unresolved"] == 0 and ps.metadata["unresolved_rows"] == []
    assert all(sorted(c.groups) == c.metadata["groups"] for c in ps.clusters)
    rows = {}
    for f in sorted((shared_data / "bbq").rglob("*.jsonl")):
        for i, raw in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
            rows[(f.name, i)] = json.loads(raw)
    for c in ps.clusters:
        for v in c.variants:
            assert v.group == bbq_reference(rows[(v.metadata["file"], v.metadata["line"])]), c.id
    only = probes.from_bbq(shared_data / "bbq" / "data" / "Sexual_orientation.jsonl",
                           category="Sexual_orientation")
    assert only.axis == "orientation" and len(only) == 432


def bbq_reference(rec: dict) -> str | None:
    """Brute force: the group whose answer_info label's words start earliest in the
    context's words."""
    words = re.findall(r"\w+", rec["context"].lower())
    best = None
    for key in ("ans0", "ans1", "ans2"):
        label, group = rec["answer_info"][key][:2]
        if group == "unknown":
            continue
        target = re.findall(r"\w+", label.lower())
        for j in range(len(words) - len(target) + 1):
            if words[j:j + len(target)] == target:
                if best is None or j < best[0]:
                    best = (j, group)
                break
    return best[1] if best else None


def bbq_row(example_id: int, context: str, answers: list[tuple[str, str, str]]) -> dict:
    return {"example_id": example_id, "question_index": "1", "question_polarity": "neg",
            "context_condition": "ambig", "category": "Gender_identity", "context": context,
            "question": "Who was late?", "label": 2,
            "answer_info": {f"ans{i}": [label, group] for i, (_, label, group) in
                            enumerate(answers)},
            **{f"ans{i}": text for i, (text, _, _) in enumerate(answers)}}


def test_bbq_first_group_from_answer_info(tmp_path: Path) -> None:
    """The group mentioned first comes from the answer_info labels, not the answer text
    ("The bisexual one" is not in the context); group codes (F, M) are not searched for,
    names are; a longer mention (trans woman) hides the shorter one inside it (woman)."""
    rows = [
        bbq_row(0, "I was talking to two friends; one is bisexual and the other is gay.",
                [("The bisexual one", "bisexual", "bisexual"), ("Unknown", "Unknown", "unknown"),
                 ("The gay one", "gay", "gay")]),
        bbq_row(1, "I was talking to two friends; one is gay and the other is bisexual.",
                [("The bisexual one", "bisexual", "bisexual"), ("Unknown", "Unknown", "unknown"),
                 ("The gay one", "gay", "gay")]),
        bbq_row(2, "One bisexual and one gay friend came. But the gay friend left.",
                [("The gay friend", "gay", "gay"), ("Undetermined", "Undetermined", "unknown"),
                 ("The bisexual friend", "bisexual", "bisexual")]),
        bbq_row(3, "One gay and one bisexual friend came. But the bisexual friend left.",
                [("The gay friend", "gay", "gay"), ("Undetermined", "Undetermined", "unknown"),
                 ("The bisexual friend", "bisexual", "bisexual")]),
        bbq_row(4, "I'm sure Maria met Donald at the bar.",
                [("Donald", "Donald", "M"), ("Maria", "Maria", "F"), ("?", "?", "unknown")]),
        bbq_row(5, "I'm sure Donald met Maria at the bar.",
                [("Donald", "Donald", "M"), ("Maria", "Maria", "F"), ("?", "?", "unknown")]),
        bbq_row(6, "A trans woman and a woman were on the team.",
                [("The woman", "woman", "F"), ("The trans woman", "trans woman", "trans_F"),
                 ("Unknown", "Unknown", "unknown")]),
        bbq_row(7, "A woman and a trans woman were on the team.",
                [("The woman", "woman", "F"), ("The trans woman", "trans woman", "trans_F"),
                 ("Unknown", "Unknown", "unknown")]),
    ]
    path = tmp_path / "bbq.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ps = probes.from_bbq(path)
    assert [[v.group for v in c.variants] for c in ps.clusters] == [
        ["bisexual", "gay"], ["bisexual", "gay"], ["F", "M"], ["trans_F", "F"]]
    assert ps.stats["unresolved"] == 0


def test_bbq_unresolved_rows_are_flagged_and_counted(tmp_path: Path) -> None:
    answers = [("The gay one", "gay", "gay"), ("Unknown", "Unknown", "unknown"),
               ("The lesbian one", "lesbian", "lesbian")]
    rows = [bbq_row(0, "Two friends, one gay and one lesbian, came.", answers),
            bbq_row(1, "Two friends came.", answers)]
    path = tmp_path / "bbq.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ps = probes.from_bbq(path)
    (c,) = ps.clusters
    assert [v.group for v in c.variants] == ["gay", "unresolved"]
    assert c.variant("unresolved").metadata["first_group_unresolved"] is True
    assert "first_group_unresolved" not in c.variant("gay").metadata
    assert ps.stats["unresolved"] == 1 and ps.metadata["unresolved_rows"] == ["bbq.jsonl:2"]


def test_holistic_bias(shared_data: Path) -> None:
    ps = probes.from_holistic_bias(shared_data / "holistic_bias", axis="religion")
    assert ps.stats["descriptors"] == 583  # v1.1, every descriptor read
    assert ps.stats["nouns"] == 32 and ps.stats["templates"] == 26
    assert ps.stats["standalone_noun_phrases"] == 192
    assert len(ps) == 26 * 32
    assert all(len(c.variants) == 49 for c in ps.clusters)
    aligned(ps)
    c = next(c for c in ps.clusters if c.id == "hb/religion/I'm {noun_phrase}./person")
    assert c.variant("agnostic").text == "I'm an agnostic person."
    v10 = probes.from_holistic_bias(shared_data / "holistic_bias" / "v1.0", axis="disability",
                                    nouns=["person"])
    assert v10.stats["descriptors"] == 524 and v10.axis == "disability"
    assert len(v10) == 26


def test_holistic_bias_gendered_descriptors_skip_other_gender(shared_data: Path) -> None:
    ps = probes.from_holistic_bias(shared_data / "holistic_bias", axis="nationality",
                                   nouns=["man", "woman"])
    man = next(c for c in ps.clusters if c.metadata["noun"] == "man")
    woman = next(c for c in ps.clusters if c.metadata["noun"] == "woman")
    assert "Filipina" not in man.groups and "Filipina" in woman.groups


def test_importer_errors(tmp_path: Path) -> None:
    bad = tmp_path / "c.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'sent_more'"):
        probes.from_crows_pairs(bad)
    tsv = tmp_path / "w.tsv"
    tsv.write_text("sentid\tsentence\nbad.id\tHe.\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        probes.from_winogender(tsv)
    assert (info.value.location.line, info.value.location.field) == (2, "sentid")
    header = "sent_more,sent_less,stereo_antistereo,bias_type\n"
    good = '"He was a nurse.","She was a nurse.",stereo,gender\n'
    for row, field, what in [('"He was a nurse.",,stereo,gender\n', "sent_less", "empty"),
                             ('"He was a nurse.","She was a nurse.",stereo,\n', "bias_type",
                              "empty"),
                             ('"He was a nurse."\n', "sent_less", "missing")]:
        bad.write_text(header + good + row + good, encoding="utf-8")
        with pytest.raises(InputError, match=what) as info:
            probes.from_crows_pairs(bad)
        assert (info.value.location.line, info.value.location.field) == (3, field)
    bad.write_text(header + '"a","b",stereo,gender,extra\n', encoding="utf-8")
    with pytest.raises(InputError, match="5 fields") as info:
        probes.from_crows_pairs(bad)
    assert info.value.location.line == 2
    jl = tmp_path / "b.jsonl"
    jl.write_text('{"example_id": 0}\n', encoding="utf-8")
    with pytest.raises(InputError, match="missing field"):
        probes.from_bbq(jl)
    jl.write_text('\n["not", "a", "record"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="expected a JSON object") as info:
        probes.from_bbq(jl)
    assert info.value.location.line == 2


@pytest.mark.parametrize(("a", "b"), [
    ("a gay man and a lesbian woman, were", "a lesbian woman and a gay man, were"),
    ("x  y", "x y"), ("He is black.", "He is white."), ("A b", "A b c"), ("A b", "b"),
    ("", "x"), ("same", "same")])
def test_diff_edits_reproduce_target(a: str, b: str) -> None:
    assert apply_edits(a, diff_edits(a, b)) == b


DATA = Path(__file__).parent / "data"


def test_bundled_fixtures_without_shared_data() -> None:
    """Small attributed excerpts (tests/probes/data/README.md) so CI without the shared
    folder still exercises the importers."""
    crows = probes.from_crows_pairs(DATA / "crows_pairs_sample.csv")
    assert crows.stats["rows"] == 3 and len(crows) == 3
    aligned(crows)
    wg = probes.from_winogender(DATA / "winogender_sample.tsv")
    assert wg.stats["rows"] == 6 and len(wg) == 2
    assert wg.clusters[0].variant("neutral").text == (
        "The technician told the customer that they could pay with cash.")


def test_bbq_whole_word_search_matches_the_regex_it_replaces() -> None:
    """Whole-word occurrences are found as re.finditer(r"(?<!\\w)form(?!\\w)") finds them:
    Unicode word characters and ``_`` count, and matches of one form do not overlap."""
    import random

    from biasaudit.probes.importers import _whole_words

    cases = [("a a a", "a a"), ("gay, gay_man gay", "gay"), ("ąb b", "b"), ("x-ray x", "x"),
             ("22-year-old and 22-year-olds", "22-year-old"), ("", "a"), ("ivory", "ivory")]
    rnd = random.Random(0)
    alphabet = "ab _-é1ą.'"
    cases += [("".join(rnd.choices(alphabet, k=rnd.randint(0, 12))),
               "".join(rnd.choices(alphabet, k=rnd.randint(1, 3)))) for _ in range(3000)]
    for text, form in cases:
        pattern = r"(?<!\w)" + re.escape(form) + r"(?!\w)"
        expected = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
        assert _whole_words(text, form) == expected, (text, form)


# -- second review: each test failed before its fix ------------------------------------------
def _hb_folder(tmp_path: Path) -> Path:
    """A two-descriptor HolisticBias folder: one gendered descriptor, one not."""
    folder = tmp_path / "v1.1"
    folder.mkdir()
    (folder / "descriptors.json").write_text(json.dumps({"sexual_orientation": {
        "lesbian": [{"descriptor": "lesbian", "gender": "female"}], "gay": ["gay"]}}))
    (folder / "nouns.json").write_text(json.dumps({
        "female": [["woman", "women"]], "male": [["man", "men"]],
        "neutral": [["person", "people"]]}))
    (folder / "sentence_templates.json").write_text(json.dumps({"I'm {noun_phrase}.": {}}))
    return folder


def test_holistic_bias_gendered_descriptor_not_with_neutral_nouns(tmp_path: Path) -> None:
    """HolisticBias's generator pairs a gendered descriptor only with nouns of its gender:
    "a lesbian person" is not one of its sentences (the importer made 3,978 such extra
    sentences from v1.1)."""
    ps = probes.from_holistic_bias(_hb_folder(tmp_path))
    by_noun = {c.metadata["noun"]: sorted(c.groups) for c in ps.clusters}
    assert by_noun == {"woman": ["gay", "lesbian"], "man": ["gay"], "person": ["gay"]}


def test_holistic_bias_sentences_match_the_generator(shared_data: Path) -> None:
    """v1.1 descriptor × noun × template sentences: 476,008, as sentences.py builds them
    (its noun-less and standalone phrases aside)."""
    ps = probes.from_holistic_bias(shared_data / "holistic_bias")
    assert ps.stats["variants"] == 476_008
    assert len({c.id for c in ps.clusters}) == len(ps) == 10_816


def test_bbq_records_what_the_bias_score_needs(tmp_path: Path) -> None:
    """The target (stereotyped) group and the unknown answer of each row are kept: BBQ's
    bias score cannot be computed from answers and label alone."""
    answers = [("The gay one", "gay", "gay"), ("Unknown", "Unknown", "unknown"),
               ("The lesbian one", "lesbian", "lesbian")]
    rows = [bbq_row(0, "Two friends, one gay and one lesbian, came.", answers),
            bbq_row(1, "Two friends, one lesbian and one gay, came.", answers)]
    for r in rows:
        r["category"] = "Sexual_orientation"
        r["additional_metadata"] = {"subcategory": "None", "stereotyped_groups": ["Gay"],
                                    "version": "None", "source": "x"}
    path = tmp_path / "bbq.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ps = probes.from_bbq(path)
    meta = ps.clusters[0].variant("gay").metadata
    assert (meta["unknown_label"], meta["target_labels"]) == (1, [0])
    assert meta["stereotyped_groups"] == ["Gay"]
    assert meta["additional_metadata"]["source"] == "x"
    assert ps.axis == "orientation"  # one category in the file: its axis, not "mixed"


def test_bbq_category_names_and_typos(tmp_path: Path, shared_data: Path) -> None:
    """``category`` takes the axis name too; a typo or a category the files lack is an
    error, not an empty probe set."""
    bbq = shared_data / "bbq"
    assert len(probes.from_bbq(bbq, category="orientation")) == 432
    with pytest.raises(InputError, match="unknown category") as info:
        probes.from_bbq(bbq, category="sexual_orientation")
    assert info.value.location.field == "category"
    with pytest.raises(InputError, match="no row of category 'Race_ethnicity'"):
        probes.from_bbq(bbq, category="race")


WB_PRO = "1 [The nurse] said [she] was late.\n2 [The CEO] said [he] was late.\n"
WB_ANTI = "1 [The nurse] said [he] was late.\n2 [The CEO] said [she] was late.\n"


def test_winobias_anti_file_is_paired_with_its_pro_twin(tmp_path: Path) -> None:
    (tmp_path / "pro_stereotyped_type1.txt.test").write_text(WB_PRO, encoding="utf-8")
    (tmp_path / "anti_stereotyped_type1.txt.test").write_text(WB_ANTI, encoding="utf-8")
    ps = probes.from_winobias(tmp_path / "anti_stereotyped_type1.txt.test")
    c = ps.clusters[0]
    assert c.id == "winobias-type1-test-1" and "pronoun_mismatch" not in c.metadata
    assert c.variant("female").metadata["stereotype"] == "pro"
    assert c.variant("male").text == "The nurse said he was late."


def test_winobias_blank_line_in_one_twin_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pro_stereotyped_type1.txt.dev").write_text(WB_PRO.split("\n")[0] + "\n\n",
                                                            encoding="utf-8")
    (tmp_path / "anti_stereotyped_type1.txt.dev").write_text(WB_ANTI, encoding="utf-8")
    with pytest.raises(InputError, match="blank line") as info:
        probes.from_winobias(tmp_path)
    assert info.value.location.line == 2


def test_winobias_split(shared_data: Path) -> None:
    """Published WinoBias numbers are on the test split; a folder holds dev and test."""
    ps = probes.from_winobias(shared_data / "winobias", split="test")
    assert len(ps) == 792 and {c.metadata["split"] for c in ps.clusters} == {"test"}
    with pytest.raises(InputError, match="unknown split"):
        probes.from_winobias(shared_data / "winobias", split="train")


def test_winogender_reads_plain_tsv_and_checks_each_triple(tmp_path: Path) -> None:
    """Quotes are text, not CSV quoting; every cluster has exactly male, female, neutral;
    ``referent`` decodes ``answer`` (0 occupation, 1 participant)."""
    tsv = tmp_path / "all_sentences.tsv"
    tsv.write_text('sentid\tsentence\na.b.0.male.txt\t"Hi," he said.\n'
                   'a.b.0.female.txt\t"Hi," she said.\na.b.0.neutral.txt\t"Hi," they said.\n',
                   encoding="utf-8")
    ps = probes.from_winogender(tsv)
    assert ps.clusters[0].variant("female").text == '"Hi," she said.'
    assert ps.clusters[0].metadata["referent"] == "occupation"
    for body, line, what in [("a.b.0.male.txt\tHe ran.\na.b.0.male.txt\tShe ran.\n", 3,
                              "second male"),
                             ("a.b.0.male.txt\tHe ran.\na.b.0.female.txt\tShe ran.\n", 2,
                              "no neutral"),
                             ("a.b.0.Male.txt\tHe ran.\n", 2, "gender one of")]:
        tsv.write_text("sentid\tsentence\n" + body, encoding="utf-8")
        with pytest.raises(InputError, match=what) as info:
            probes.from_winogender(tsv)
        assert (info.value.location.line, info.value.location.field) == (line, "sentid")


def test_crows_pairs_row_is_where_the_record_starts(tmp_path: Path) -> None:
    """Row 1293 of the released file spans two lines (a line break inside sent_less)."""
    csv_path = tmp_path / "c.csv"
    csv_path.write_text('sent_more,sent_less,stereo_antistereo,bias_type\n'
                        '"a","b\n.",stereo,gender\n"c","d",antistereo,age\n', encoding="utf-8")
    ps = probes.from_crows_pairs(csv_path)
    assert [c.metadata["row"] for c in ps.clusters] == [2, 4]
    assert ps.clusters[0].variant("sent_less").text == "b\n."
    csv_path.write_text('sent_more,sent_less,stereo_antistereo,bias_type\n'
                        '"a","b",sterio,gender\n', encoding="utf-8")
    with pytest.raises(InputError, match="sterio") as info:
        probes.from_crows_pairs(csv_path)
    assert (info.value.location.line, info.value.location.field) == (2, "stereo_antistereo")


def test_winobias_lines_split_at_newlines_only(tmp_path: Path) -> None:
    # U+2028 / U+0085 inside a sentence must not shift the pro/anti pairing by a line
    pro = "1 [The nurse] said\u2028 [she] was late.\n2 [The CEO] said [he] was late.\n"
    anti = "1 [The nurse] said [he] was late.\n2 [The CEO] said\x85 [she] was late.\n"
    (tmp_path / "pro_stereotyped_type1.txt.test").write_text(pro, encoding="utf-8")
    (tmp_path / "anti_stereotyped_type1.txt.test").write_text(anti, encoding="utf-8")
    ps = probes.from_winobias(tmp_path)
    assert [c.metadata["line"] for c in ps.clusters] == [1, 2]
    assert ps.clusters[0].variant("female").text == "The nurse said\u2028 she was late."
    assert ps.clusters[1].variant("female").text == "The CEO said\x85 she was late."
