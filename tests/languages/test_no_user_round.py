"""Norwegian outputs a native speaker found wrong but marked safe (seventh user round)."""

from __future__ import annotations

import pytest

from biasaudit import CounterfactualEngine


def swap(text: str, lang: str = "nb"):
    return CounterfactualEngine(lang, "gender").swap(text)


# Pregnancy, birth, breastfeeding (and male-only biology): a swap toward the other sex
# says it of the wrong sex, so it is unsafe.
@pytest.mark.parametrize(
    ("lang", "source", "word"),
    [
        ("nb", "Hun er gravid i sjette måned.", "gravid"),
        ("nb", "Hun fødte en sønn i går.", "fødte"),
        ("nn", "Ho fødde ein son i går.", "fødde"),
        ("nb", "Hun ammer fortsatt den yngste.", "ammer"),
        ("nb", "Han har prostatakreft.", "prostatakreft"),
        ("nn", "Ho er gravid i sjette månad.", "gravid"),
        ("nb", "Kona hans hadde en vanskelig fødsel.", "fødsel"),
        ("nn", "Svangerskapet hennar gjekk fint.", "Svangerskapet"),
        ("nb", "Han fikk testikkelkreft i fjor.", "testikkelkreft"),
    ],
)
def test_sex_specific_biology_is_unsafe(lang: str, source: str, word: str) -> None:
    cf = swap(source, lang)
    assert cf.text != source
    assert not cf.safe
    assert any(word in reason for reason in cf.unsafe), cf.unsafe


@pytest.mark.parametrize(
    ("lang", "source"),
    [
        ("nb", "Han feiret fødselsdagen sin i går."),
        ("nb", "Hun er født i Bergen."),
        ("nn", "Han er fødd i Bergen."),
    ],
)
def test_birthdays_and_born_stay_safe(lang: str, source: str) -> None:
    assert swap(source, lang).safe


# Gendered compounds: swapped where the lexicon can, otherwise unsafe.
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Hun har to barn med eksmannen sin.", "Han har to barn med ekskona si."),
        ("nn", "Ho har to born med eksmannen sin.", "Han har to born med ekskona si."),
    ],
)
def test_compounds_swapped_by_the_lexicon(lang: str, source: str, expected: str) -> None:
    cf = swap(source, lang)
    assert cf.text == expected
    assert cf.safe, cf.unsafe


@pytest.mark.parametrize(
    ("lang", "source", "word"),
    [
        ("nb", "Gutten min har fått plass i guttekoret.", "guttekoret"),
        ("nb", "Jenta vant kvinnefotballturneringen i fjor.", "kvinnefotballturneringen"),
        ("nb", "Han elsker sønnesønnen sin.", "sønnesønnen"),
        ("nb", "Jeg møtte sønnesønnen hans.", "sønnesønnen"),
        ("nb", "Hun scoret for kvinnelandslaget.", "kvinnelandslaget"),
        ("nn", "Guten min har fått plass i gutekoret.", "gutekoret"),
        # brannkvinne is not in Bokmålsordboka, so the lexicon does not pair it
        ("nb", "Hun jobber som brannkvinne.", "brannkvinne"),
        ("nn", "Han jobbar som brannmann.", "brannmann"),
    ],
)
def test_unswapped_gendered_compound_is_unsafe(lang: str, source: str, word: str) -> None:
    cf = swap(source, lang)
    assert cf.text != source
    assert not cf.safe
    assert any(word in reason for reason in cf.unsafe), cf.unsafe


@pytest.mark.parametrize(
    "source",
    [
        "Kvinnefotball får altfor lite oppmerksomhet.",
        "Mannskapet på båten var utslitt.",
        "Kvinnelandslaget tapte mot Sverige.",
        "Han var kaptein for mannskapet.",
        "Hun bor i Hermannsgate.",
    ],
)
def test_words_not_about_a_swapped_person_stay_safe(source: str) -> None:
    cf = swap(source)
    assert cf.safe, cf.unsafe


# A bare definite "mannen" beside a woman may be her husband: unsafe.
@pytest.mark.parametrize(
    ("lang", "source"),
    [
        ("nb", "Hun fortalte at mannen hadde reist."),
        ("nb", "Hun gjorde det selv, uten hjelp fra mannen."),
        ("nn", "Ho fortalde at mannen hadde reist."),
    ],
)
def test_bare_mannen_beside_a_woman_is_unsafe(lang: str, source: str) -> None:
    cf = swap(source, lang)
    assert not cf.safe
    assert any("husband" in reason for reason in cf.unsafe), cf.unsafe


@pytest.mark.parametrize(
    "source",
    ["Mannen kom.", "Han så mannen.", "Hun så den gamle mannen.", "Mannen hennes kom."],
)
def test_mannen_without_a_woman_or_with_a_possessive_stays_safe(source: str) -> None:
    assert swap(source).safe
