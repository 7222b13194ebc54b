"""Built-in template suites: every suite builds in every language, variants differ only in
their group spans, Polish fillers agree in case and gender, names are seeded."""

from __future__ import annotations

import re

import pytest

from biasaudit import probes
from biasaudit.core import apply_edits
from biasaudit.errors import InputError, UnsupportedError
from biasaudit.probes.templates import find_suite

LANGS = ["en", "pl", "vi", "nb", "nn"]
SUITES = ["occupations", "neutral", "descriptors"]
IDENTITY = ["nationality", "religion", "age", "disability", "orientation"]


def assert_only_group_spans_differ(ps: probes.ProbeSet) -> None:
    """Every variant is its cluster's source with only the recorded spans replaced, and
    the text outside those spans is the same for every variant of the cluster."""
    for c in ps.clusters:
        outside = None
        for v in c.variants:
            assert apply_edits(c.source, v.edits) == v.text, (c.id, v.group)
            for e in v.edits:
                assert c.source[e.start:e.end] == e.old
            spans = sorted((e.start, e.end) for e in v.edits)
            kept, pos = [], 0
            for s, e in spans:
                kept.append(c.source[pos:s])
                pos = e
            kept.append(c.source[pos:])
            if outside is None:
                outside = (spans, kept)
            else:  # template variants edit the same spans; only the new text differs
                assert (spans, kept) == outside, c.id
        assert "{" not in "".join(v.text for v in c.variants), c.id


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("axis", ["gender", *IDENTITY])
def test_every_suite_builds_in_every_language(lang: str, suite: str, axis: str) -> None:
    ps = probes.build(lang=lang, axis=axis, suite=suite, seed=0)
    assert len(ps) > 0
    assert ps.lang == lang and ps.axis == axis
    groups = set(ps.groups)
    assert len(groups) >= 2
    for c in ps.clusters:
        assert {v.group for v in c.variants} == groups  # one variant per group, aligned
        assert len({v.text for v in c.variants}) == len(c.variants), c.id
    assert_only_group_spans_differ(ps)
    assert ps.stats["clusters"] == len(ps)
    assert ps.stats["unsafe_variants"] == 0


@pytest.mark.parametrize("lang", LANGS)
def test_names_axis_and_seeded_sampling(lang: str) -> None:
    a = probes.build(lang=lang, axis="names", suite="occupations", seed=3)
    b = probes.build(lang=lang, axis="names", suite="occupations", seed=3)
    assert a.content_hash() == b.content_hash()
    assert len(a) > 0
    for c in a.clusters:
        for v in c.variants:
            assert len(v.names_used) == 1 and v.names_used[0] in v.text
    used = a.metadata["names_used"]
    assert set(used) == {"male", "female"} and all(used.values())


def test_different_seed_gives_different_names() -> None:
    hashes = {probes.build(lang="en", axis="gender", suite="occupations", seed=s).content_hash()
              for s in range(4)}
    assert len(hashes) > 1
    # suites without names do not depend on the seed
    same = {probes.build(lang="en", axis="religion", suite="neutral", seed=s).content_hash()
            for s in range(3)}
    assert len(same) == 1


def test_polish_slot_fillers_agree_in_case_and_gender() -> None:
    ps = probes.build(lang="pl", axis="nationality", suite="neutral")
    weather = {c.metadata["gender"]: c for c in ps.clusters if c.template_id == "weather"}
    assert weather["m"].variant("polish").text == "Rozmawialiśmy z Polakiem o pogodzie."
    assert weather["f"].variant("polish").text == "Rozmawialiśmy z Polką o pogodzie."
    assert weather["m"].variant("german").text == "Rozmawialiśmy z Niemcem o pogodzie."
    assert weather["f"].variant("ukrainian").text == "Rozmawialiśmy z Ukrainką o pogodzie."
    room = {c.metadata["gender"]: c for c in ps.clusters if c.template_id == "room"}
    assert room["f"].variant("french").text == "Francuzka weszła do pokoju."
    assert room["m"].variant("french").text == "Francuz wszedł do pokoju."
    house = next(c for c in ps.clusters if c.template_id == "house" and c.metadata["gender"] == "f")
    assert house.variant("german").text == "To jest dom Niemki."


def test_polish_descriptors_use_instrumental_and_agreeing_phrases() -> None:
    ps = probes.build(lang="pl", axis="religion", suite="descriptors")
    im = {c.metadata["gender"]: c for c in ps.clusters if c.template_id == "im"}
    assert im["m"].variant("muslim").text == "Jestem muzułmaninem."
    assert im["f"].variant("muslim").text == "Jestem muzułmanką."
    age = probes.build(lang="pl", axis="age", suite="neutral")
    about = {c.metadata["gender"]: c for c in age.clusters if c.template_id == "about"}
    assert about["m"].variant("young").text == "Myśleliśmy o młodym mężczyźnie."
    assert about["f"].variant("old").text == "Myśleliśmy o starszej kobiecie."


def test_polish_gender_axis_agreement_is_an_edit() -> None:
    ps = probes.build(lang="pl", axis="gender", suite="occupations")
    c = ps.clusters[0]
    assert [v.text for v in c.variants] == ["Mężczyzna pracuje jako nauczyciel.",
                                            "Kobieta pracuje jako nauczycielka."]
    assert {e.rule for e in c.variants[1].edits} == {"slot:person", "agree"}
    pron = next(c for c in ps.clusters if c.template_id == "pronoun-works")
    assert pron.variant("male").text.startswith("On pracuje")


def test_english_articles_and_composed_person() -> None:
    ps = probes.build(lang="en", axis="religion", suite="descriptors")
    im = next(c for c in ps.clusters if c.template_id == "im")
    assert im.variant("atheist").text == "I'm an atheist person."
    assert im.variant("muslim").text == "I'm a Muslim person."
    plural = next(c for c in ps.clusters if c.template_id == "friends")
    assert plural.variant("jewish").text == "I have friends who are Jews."
    nat = probes.build(lang="en", axis="nationality", suite="occupations")
    first = nat.clusters[0]
    assert first.variant("american").text == "An American person works as a nurse."


def test_nynorsk_article_agrees_with_kvinne() -> None:
    ps = probes.build(lang="nn", axis="gender", suite="neutral")
    room = next(c for c in ps.clusters if c.template_id == "room")
    assert [v.text for v in room.variants] == ["Ein mann gjekk inn i rommet.",
                                               "Ei kvinne gjekk inn i rommet."]
    assert probes.build(lang="nn", axis="disability", suite="neutral").clusters[0].variant(
        "disabled").text == "Ein funksjonshemma person gjekk inn i rommet."


def test_vietnamese_person_nouns() -> None:
    ps = probes.build(lang="vi", axis="nationality", suite="descriptors")
    # một / này: one person, not the kind (see test_probes_linguistic.py)
    assert ps.clusters[0].variant("vietnamese").text == "Tôi là một người Việt Nam."
    occ = probes.build(lang="vi", axis="age", suite="occupations")
    assert occ.clusters[0].variant("young").text.startswith("Người trẻ này làm")


def test_groups_subset_and_errors() -> None:
    ps = probes.build(lang="en", axis="religion", suite="neutral", groups=["muslim", "christian"])
    assert set(ps.groups) == {"muslim", "christian"}
    with pytest.raises(UnsupportedError, match="unknown group") as info:
        probes.build(lang="en", axis="religion", suite="neutral", groups=["martian"])
    assert info.value.argument == "groups"
    with pytest.raises(UnsupportedError, match="no suite 'nope'") as info:
        probes.build(lang="en", axis="religion", suite="nope")
    assert info.value.argument == "suite"
    with pytest.raises(UnsupportedError, match=r"unknown language .xx.") as info:
        probes.build(lang="xx", axis="religion", suite="neutral")
    assert info.value.argument == "lang"
    with pytest.raises(UnsupportedError, match="no lexicon for language 'en'") as info:
        probes.build(lang="en", axis="religionz", suite="neutral")
    assert info.value.argument == "axis"
    with pytest.raises(InputError, match="exactly one"):
        probes.build(lang="en", axis="religion")


def test_user_suite_file_errors_name_line_and_field(tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "format: biasaudit-suite/1\nname: mine\nlanguage: en\ntemplates:\n"
        "  - {id: ok, text: 'The {person} sings.'}\n"
        "  - {id: bad, text: 'The {persn} sings.'}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        probes.build(lang="en", axis="age", suite=path)
    loc = info.value.location
    assert (loc.line, loc.field) == (6, "templates[1].text")
    assert "unknown slot {persn}" in str(info.value)
    path.write_text(path.read_text(encoding="utf-8").replace("persn", "person:plural"),
                    encoding="utf-8")
    with pytest.raises(InputError, match="unknown feature 'plural'"):
        probes.build(lang="en", axis="age", suite=path)
    path.write_text(path.read_text(encoding="utf-8").replace("person:plural", "person:pl"),
                    encoding="utf-8")
    ps = probes.build(lang="en", axis="age", suite=path)
    assert ps.clusters[1].variant("old").text == "The older people sings."


def test_list_suites_sizes_match_builds() -> None:
    infos = probes.list_suites()
    assert {(s.lang, s.name) for s in infos} == {(lang, s) for lang in LANGS for s in SUITES}
    en_occ = next(s for s in infos if s.lang == "en" and s.name == "occupations")
    assert en_occ.sizes["religion"] == len(probes.build(lang="en", axis="religion",
                                                        suite="occupations"))
    assert en_occ.templates == len(find_suite("occupations", "en").templates)


def test_suite_slots_are_documented_syntax() -> None:
    for info in probes.list_suites():
        suite = probes.load_suite(info.path)
        for t in suite.templates:
            assert re.search(r"\{(person|descriptor|pronoun|name)", t.text), t.id


def test_sample_names_is_seeded() -> None:
    a = probes.sample_names("en", ["male", "female"], 5, seed=7)
    assert a == probes.sample_names("en", ["male", "female"], 5, seed=7)
    assert a != probes.sample_names("en", ["male", "female"], 5, seed=8)
    assert all(len(v) == 5 and len(set(v)) == 5 for v in a.values())
    with pytest.raises(UnsupportedError):
        probes.sample_names("en", ["martian"], 1)


def test_list_suites_unknown_language_is_an_error() -> None:
    with pytest.raises(UnsupportedError, match="'xx'") as info:
        probes.list_suites(lang="xx")
    assert info.value.argument == "lang"
    assert "en" in str(info.value) and "nb" in str(info.value)  # names what exists
    # aliases still resolve to their language's suites
    assert {s.lang for s in probes.list_suites(lang="no")} == {"nb"}
    assert {s.lang for s in probes.list_suites(lang="pol")} == {"pl"}
    assert {s.name for s in probes.list_suites(lang="pl")} == set(SUITES)


def test_sample_names_says_how_many_exist() -> None:
    pool = probes.names_by_group("en")
    have = min(len(pool["male"]), len(pool["female"]))
    with pytest.raises(UnsupportedError, match=rf"only {have}\b") as info:
        probes.sample_names("en", ["male", "female"], 100_000)
    assert info.value.argument == "k"
    assert "100000" in str(info.value)
    # asking for exactly what exists is fine, and gives every name once
    got = probes.sample_names("en", ["male"], len(pool["male"]))
    assert sorted(got["male"]) == sorted(f.text for f in pool["male"])
    with pytest.raises(ValueError, match="k"):
        probes.sample_names("en", ["male"], -1)


def test_suite_without_a_lexicon_group_says_so() -> None:
    # 'neutral' is a group of the English gender lexicons (from_texts writes it), but the
    # suites' gender fillers have no neutral forms: the error must not call it unknown
    with pytest.raises(UnsupportedError) as info:
        probes.build(lang="en", axis="gender", suite="neutral", groups=["male", "neutral"])
    message = str(info.value)
    assert info.value.argument == "groups"
    assert "unknown group" not in message
    assert "no 'neutral' variant" in message and "_groups.yaml" in message
    assert "input=" in message  # what to do instead
    assert "male, female" in message
    # the advice works: from your own texts the neutral variant is built
    ps = probes.build(lang="en", axis="gender", input=["She left."],
                      groups=["male", "female", "neutral"])
    assert set(ps.groups) == {"male", "female", "neutral"}
    # a group no lexicon knows is still "unknown"
    with pytest.raises(UnsupportedError, match=r"unknown group.*martian") as info:
        probes.build(lang="en", axis="gender", suite="neutral", groups=["martian", "neutral"])
    assert "no 'neutral' variant" in str(info.value)
