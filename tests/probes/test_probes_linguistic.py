"""Linguistic checks over every built-in probe: patterns that are always wrong in a language,
and clusters whose variants differ in more than the group (construction, article, sense).

Each test here was written for a problem found by reading the built probes; it scans all
of them, so a new template or filler with the same fault fails too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest

from biasaudit import probes
from biasaudit.probes.fillers import heads_for
from biasaudit.probes.model import Cluster, ProbeSet
from biasaudit.probes.templates import find_suite

LANGS = ("en", "pl", "vi", "nb", "nn")
SUITES = ("descriptors", "neutral", "occupations")
AXES = ("gender", "names", "nationality", "religion", "age", "disability", "orientation")
IDENTITY = ("nationality", "religion", "age", "disability", "orientation")


@cache
def built(lang: str, suite: str, axis: str) -> ProbeSet:
    """The built-in ``suite`` for ``lang``/``axis`` with the default seed (cached)."""
    return probes.build(lang=lang, axis=axis, suite=suite, seed=0)


def clusters(lang: str, axes: tuple[str, ...] = AXES) -> Iterator[tuple[str, Cluster]]:
    """Every (axis, cluster) the built-in suites build for ``lang``."""
    for suite in SUITES:
        for axis in axes:
            for c in built(lang, suite, axis).clusters:
                yield axis, c


def texts(lang: str, axes: tuple[str, ...] = AXES) -> Iterator[tuple[str, str, str]]:
    """Every (axis, group, text) the built-in suites build for ``lang``."""
    for axis, c in clusters(lang, axes):
        for v in c.variants:
            yield axis, v.group, v.text


@pytest.mark.parametrize("lang", LANGS)
def test_sentences_start_with_a_capital(lang: str) -> None:
    bad = [t for _, _, t in texts(lang) if not t[:1].isupper()]
    assert not bad, bad[:5]


def test_english_articles_fit_the_next_word() -> None:
    # "a" before a vowel letter (bar the yoo-sound of u/eu) and "an" before a consonant
    # letter (bar silent h) are always wrong in these texts
    a_vowel = re.compile(r"\b[Aa] (?!u[nr]i|uk|Uk|eu|Eu)[aeiouAEIOU]")
    an_consonant = re.compile(r"\b[Aa]n (?!hour|honest)[^aeiouAEIOU\W]")
    bad = [t for _, _, t in texts("en") if a_vowel.search(t) or an_consonant.search(t)]
    assert not bad, bad[:5]


def test_polish_z_and_w_vocalise_before_a_cluster() -> None:
    # z/w before a word starting with s/z/ś/ż (w/f) + consonant must be ze/we
    # (ze starszym mężczyzną, not z starszym)
    z = re.compile(r"(?<!\w)[zZ] [sszśźżSZŚŹŻ](?![aąeęioóuy])")
    w = re.compile(r"(?<!\w)[wW] [wfWF](?![aąeęioóuy])")
    bad = [t for _, _, t in texts("pl") if z.search(t) or w.search(t)]
    assert not bad, bad[:5]


@pytest.mark.parametrize("lang", LANGS)
def test_person_construction_is_the_same_in_every_variant(lang: str) -> None:
    """A cluster's {person} is either a noun for every group or descriptor + head noun for
    every group: *Americans* next to *Chinese people* differs in construction and length."""
    heads = {h.text.casefold() for h in heads_for(lang)}
    mixed = []
    for axis, c in clusters(lang, IDENTITY):
        for i, e in enumerate(c.variants[0].edits):
            if e.rule != "slot:person":
                continue
            fills = [v.edits[i].new for v in c.variants]
            composed = [bool(heads & set(f.casefold().split())) for f in fills]
            if any(composed) and not all(composed):
                mixed.append((axis, c.id, fills))
    assert not mixed, mixed[:3]


@pytest.mark.parametrize("lang", LANGS)
def test_no_template_presupposes_a_past_group(lang: str) -> None:
    """"I used to be an old person" makes no sense (and "Kiedyś byłem mężczyzną" contradicts
    itself): no template says the speaker once belonged to a group."""
    past = re.compile(r"\bused to be\b|\bKiedyś był|\btừng là\b|^(Jeg|Eg) var\b")
    bad = [t for _, _, t in texts(lang, ("gender", "age")) if past.search(t)]
    assert not bad, bad[:5]


@pytest.mark.parametrize("suite", SUITES)
def test_vietnamese_person_is_one_person_not_the_kind(suite: str) -> None:
    """A bare Vietnamese "người Mỹ" names the kind: "Người Mỹ là bác sĩ" reads "Americans are
    doctors", "Tôi là người đàn ông" reads "I am the man". A singular {person} takes một
    before it or này/đó after it; the kind is asked for with {person:pl}."""
    spec = find_suite(suite, "vi")
    bad = []
    for t in spec.templates:
        for s in t.group_slots:
            if s.name != "person" or s.features.get("number") == "pl":
                continue
            before, after = t.text[:s.start], t.text[s.end:]
            if not (re.search(r"(?i)\bmột $", before) or re.match(r" (này|đó)\b", after)):
                bad.append(t.text)
    assert not bad
    kind = [t for _, _, t in texts("vi", ("gender",)) if "những người" in t]
    assert not kind, kind[:3]


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_norwegian_predicative_noun_takes_no_article(lang: str) -> None:
    """After være/vere a bare noun of nationality (or mann/kvinne) takes no article: *Jeg er
    amerikaner*, not *Jeg er en amerikaner*; a modified noun keeps it (*en ung person*)."""
    bare = re.compile(r"\b(er|være|vere) (en|ein|ei|et|eit) \w+[.?!]$")
    bad = [t for _, _, t in texts(lang) if bare.search(t)]
    assert not bad, bad[:5]
    modified = re.compile(r"\b(er|være|vere) (ung|gammel|gammal|blind|døv) person\b")
    bad = [t for _, _, t in texts(lang) if modified.search(t)]
    assert not bad, bad[:5]


def test_polish_occupation_pairs_name_the_same_job() -> None:
    """Both forms of an occupation must name the same job, so that a gender cluster differs in
    gender only: *sekretarz* is mostly an official, *sekretarka* an office secretary."""
    different_jobs = {("sekretarz", "sekretarka"), ("gospodarz", "gospodyni")}
    spec = find_suite("occupations", "pl")
    pairs = {(f.forms.get("m"), f.forms.get("f")) for f in spec.slots["occupation"]}
    assert not pairs & different_jobs


def test_predicative_article_follows_the_head_gender() -> None:
    from biasaudit.probes.templates import _predicative

    assert _predicative("nb", "amerikaner", "m") == "amerikaner"
    assert _predicative("nb", "ung person", None) == "en ung person"
    assert _predicative("nn", "ung kvinne", "f") == "ei ung kvinne"
    assert _predicative("en", "young person", None) == "young person"  # Norwegian only


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_probe_names_come_from_matched_pairs(lang: str) -> None:
    """Rank-only pairs (*Muhammad*/*Luna*, *Peter*/*Roksana*) differ in origin as well as in
    gender: the name slot never draws them, whatever the seed."""
    from biasaudit.lexicons import load_lexicons

    axis = "names" if lang == "en" else "gender"
    rank_only = {
        form
        for e in load_lexicons(lang, axis).entries
        if e.features.get("pairing") == "rank"
        for forms in e.forms.values()
        for form in forms
    }
    assert rank_only  # the lexicon marks some pairs
    used = {
        name
        for seed in range(5)
        for names in probes.build(lang=lang, axis="names", suite="occupations", seed=seed)
        .metadata["names_used"].values()
        for name in names
    }
    assert used and not used & rank_only, sorted(used & rank_only)
