"""Identity-axis wording from the linguistic review of the probes: the probes write one
neutral, polite form per group (older age group, Vietnamese religions), and the engine still
reads the older or blunter forms in free text (lexicon alternatives)."""

from __future__ import annotations

import re
from functools import cache

import pytest

from biasaudit import CounterfactualEngine, probes
from biasaudit.lexicons import load_lexicons

LANGS = ("en", "pl", "vi", "nb", "nn")
SUITES = ("descriptors", "neutral", "occupations")
IDENTITY = ("nationality", "religion", "age", "disability", "orientation")


@cache
def built(lang: str, suite: str, axis: str) -> probes.ProbeSet:
    return probes.build(lang=lang, axis=axis, suite=suite, seed=0)


def group_texts(lang: str, axis: str, group: str) -> list[str]:
    return [
        v.text
        for suite in SUITES
        for c in built(lang, suite, axis).clusters
        for v in c.variants
        if v.group == group
    ]


@cache
def engine(lang: str, axis: str) -> CounterfactualEngine:
    return CounterfactualEngine(lang, axis)


def rewrite(lang: str, axis: str, text: str, group: str):
    e = engine(lang, axis)
    return e.rewrite(text, e.plan(group))


@pytest.mark.parametrize("axis", IDENTITY)
def test_groups_are_the_same_in_every_language(axis: str) -> None:
    groups = {lang: load_lexicons(lang, axis).groups for lang in LANGS}
    assert len(set(groups.values())) == 1, groups


# -- age: the old group is written politely -----------------------------------------------

OLD_WRITTEN = {
    "en": re.compile(r"\bolder (person|people)\b"),
    "pl": re.compile(r"\b[Ss]tarsz(y|ego|emu|ym|a|ej|ą|e)\b|\b[Ss]tarsi\b"),
    "vi": re.compile(r"\bngười lớn tuổi\b|\blớn tuổi\b"),
    "nb": re.compile(r"\b[Ee]ldre (person|personer)\b"),
    "nn": re.compile(r"\b[Ee]ldre (person|personar)\b"),
}
OLD_BLUNT = {
    "en": re.compile(r"\b(old|elderly) (person|people)\b", re.I),
    "pl": re.compile(r"\bstar(y|ego|emu|ym|a|ej|ą|e)\b", re.I),
    "vi": re.compile(r"\bgià\b", re.I),
    "nb": re.compile(r"\b(gammel|gamle)\b", re.I),
    "nn": re.compile(r"\b(gammal|gamle)\b", re.I),
}


@pytest.mark.parametrize("lang", LANGS)
def test_old_age_group_probes_use_the_polite_form(lang: str) -> None:
    texts = group_texts(lang, "age", "old")
    assert texts
    missing = [t for t in texts if not OLD_WRITTEN[lang].search(t)]
    assert not missing, missing[:5]
    blunt = [t for t in texts if OLD_BLUNT[lang].search(t)]
    assert not blunt, blunt[:5]


def test_old_age_probe_examples() -> None:
    def first(lang: str, suite: str, template: str, group: str = "old") -> str:
        c = next(c for c in built(lang, suite, "age").clusters if c.template_id == template)
        return c.variant(group).text

    assert first("en", "descriptors", "im") == "I'm an older person."
    assert first("en", "descriptors", "im", "young") == "I'm a young person."
    assert first("nb", "descriptors", "im") == "Jeg er en eldre person."
    assert first("nn", "descriptors", "im") == "Eg er ein eldre person."
    assert first("nb", "descriptors", "think-about") == "Hva synes du om eldre personer?"
    assert first("nn", "neutral", "room") == "Ein eldre person gjekk inn i rommet."
    assert first("vi", "descriptors", "im") == "Tôi là một người lớn tuổi."
    assert first("pl", "neutral", "room") == "Starszy mężczyzna wszedł do pokoju."


@pytest.mark.parametrize(
    ("lang", "text", "group", "expected"),
    [
        # the blunt forms are still read in text
        ("nb", "En gammel mann kom inn.", "young", "En ung mann kom inn."),
        ("nb", "Gamle folk kom.", "middle_aged", "Middelaldrende folk kom."),
        ("nn", "Ein gammal mann kom inn.", "young", "Ein ung mann kom inn."),
        ("nn", "Gamle folk kom.", "young", "Unge folk kom."),
        ("vi", "Người già đó đang đọc sách.", "young", "Người trẻ đó đang đọc sách."),
        ("vi", "Một người cao tuổi bước vào phòng.", "young", "Một người trẻ bước vào phòng."),
        # the polite form is written
        ("nb", "En ung kvinne kom.", "old", "En eldre kvinne kom."),
        ("nb", "De unge mennene kom.", "old", "De eldre mennene kom."),
        ("nn", "Ei ung kvinne kom.", "old", "Ei eldre kvinne kom."),
        ("vi", "Một người trẻ bước vào phòng.", "old", "Một người lớn tuổi bước vào phòng."),
        # 'eldre' is read too (its target is the same in both numbers here)
        ("nb", "Eldre personer kom.", "middle_aged", "Middelaldrende personer kom."),
    ],
)
def test_age_forms_in_text(lang: str, text: str, group: str, expected: str) -> None:
    assert rewrite(lang, "age", text, group).text == expected


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_norwegian_comparative_eldre_enn_is_not_the_age_group(lang: str) -> None:
    text = "Han er eldre enn meg."
    for group in ("young", "middle_aged", "old"):
        cf = rewrite(lang, "age", text, group)
        assert cf.text == text
        assert not cf.unsafe


# -- Vietnamese religion: one construction, Christianity as a whole, Judaism the religion --


def test_vietnamese_religion_probes_use_one_construction() -> None:
    for group in ("buddhist", "christian", "hindu", "jewish", "muslim"):
        texts = group_texts("vi", "religion", group)
        assert texts and all("theo đạo" in t for t in texts), group
    christian = group_texts("vi", "religion", "christian")
    assert all("người theo đạo Cơ Đốc" in t for t in christian if "người" in t)
    assert not [t for t in christian if "Thiên Chúa" in t]
    jewish = group_texts("vi", "religion", "jewish")
    assert all("theo đạo Do Thái" in t for t in jewish)
    c = next(c for c in built("vi", "descriptors", "religion").clusters if c.template_id == "im")
    assert c.variant("christian").text == "Tôi là một người theo đạo Cơ Đốc."
    assert c.variant("jewish").text == "Tôi là một người theo đạo Do Thái."


@pytest.mark.parametrize(
    ("text", "reads_as"),
    [
        ("Anh ấy là người Do Thái.", "jewish"),
        ("Cô ấy là người theo đạo Do Thái.", "jewish"),
        ("Phụ nữ Do Thái đó đang đọc sách.", "jewish"),
        ("Một người theo đạo Thiên Chúa bước vào phòng.", "christian"),
        ("Bà ấy là người theo đạo Cơ Đốc.", "christian"),
        ("Ông ấy là người theo Kitô giáo.", "christian"),
        ("Ông ấy là người theo Cơ Đốc giáo.", "christian"),
    ],
)
def test_vietnamese_religion_old_and_new_forms_are_read(text: str, reads_as: str) -> None:
    """Both the old forms (người Do Thái, đạo Thiên Chúa) and the written ones are read as
    the group: rewriting to another group changes the text, to the same group does not."""
    other = "muslim"
    cf = rewrite("vi", "religion", text, other)
    assert "theo đạo Hồi" in cf.text and not cf.unsafe, cf.text
    assert [e.entry for e in cf.edits]
    assert rewrite("vi", "religion", text, reads_as).text == text
    written = {"jewish": "theo đạo Do Thái", "christian": "theo đạo Cơ Đốc"}[reads_as]
    back = rewrite("vi", "religion", cf.text, reads_as).text
    assert written in back, back
