"""Polish predicative adjectives after a copula (*być*, *zostać*, *wydawać się*, *czuć się*)
with *taki*/*taka*/*takie* and *sam*, adjectives that are also nouns (*stara*, *miła*, *mała*,
*chora*, *znajoma*) or verbs (*stara* 'tries'), and comparisons (*niż on*, *jak matka*).

A user found ``Ona jest taka mądra.`` → ``On jest taki mądra.`` (and six more like it) marked
safe. The 30 sentences of ``PREDICATES`` were written with their gold before the engine was run
on them: 15 were right on the first run (mostly the male → female direction and the two that
must stay unchanged), 15 wrong, each with broken agreement marked safe; all 30 are right and
safe now. See docs/languages/polish.md (*taki* and comparisons).
"""

from __future__ import annotations

from functools import cache

import pytest

pytest.importorskip("morfeusz2")

from biasaudit import CounterfactualEngine


@cache
def engine() -> CounterfactualEngine:
    return CounterfactualEngine("pl")


# The 15 sentences that were wrong on the first run (the first-run output in the comment).
FIXED = [
    ("Ona jest taka mądra.", "On jest taki mądry."),  # taki mądra
    ("Była taka sama.", "Był taki sam."),  # taki sama
    ("Ona jest taka sama jak matka.", "On jest taki sam jak ojciec."),  # taka sama
    ("Moja siostra była już stara.", "Mój brat był już stary."),  # już stara
    ("Była stara.", "Był stary."),  # Był stara
    ("Była zawsze taka miła.", "Był zawsze taki miły."),  # zawsze taka miła
    # the engine swaps every reference: the standard of the comparison too
    ("Była bardziej zmęczona niż on.", "Był bardziej zmęczony niż ona."),  # Była … ona
    ("Brat był taki sam jak ojciec.", "Siostra była taka sama jak matka."),  # Siostra był
    ("Babcia wydawała się taka szczęśliwa.", "Dziadek wydawał się taki szczęśliwy."),
    ("Wydawała się taka smutna.", "Wydawał się taki smutny."),  # taki smutna
    ("Siostra czuła się winna.", "Brat czuł się winny."),  # winien
    ("Ona jest bardziej zmęczona niż brat.", "On jest bardziej zmęczony niż siostra."),
    ("Siostry były takie miłe.", "Bracia byli tacy mili."),  # takie mili
    ("Jego żona była już stara i schorowana.", "Jej mąż był już stary i schorowany."),
    ("Dziewczynka była taka mała.", "Chłopiec był taki mały."),  # taka mała
]

# The 15 that were already right on the first run (kept as guards of the same family).
KEPT = [
    ("On jest taki mądry.", "Ona jest taka mądra."),
    ("Był już stary i chory.", "Była już stara i chora."),
    ("Ona wydaje się bardzo młoda.", "On wydaje się bardzo młody."),
    ("Córka została sama w domu.", "Syn został sam w domu."),
    ("Ona była chora przez cały tydzień.", "On był chory przez cały tydzień."),
    ("Matka jest chora.", "Ojciec jest chory."),
    ("Wydawała mi się znajoma.", "Wydawał mi się znajomy."),
    ("Ona była mu bardzo bliska.", "On był jej bardzo bliski."),
    ("Ona jest starsza od brata.", "On jest starszy od siostry."),
    ("Moja siostra jest starsza niż ja.", "Mój brat jest starszy niż ja."),
    ("Była młodsza od męża o pięć lat.", "Był młodszy od żony o pięć lat."),
    ("Bracia byli tacy sami.", "Siostry były takie same."),
    ("Książka była taka stara.", "Książka była taka stara."),
    ("Kuchnia była stara i ciasna.", "Kuchnia była stara i ciasna."),
    ("Została sama z trójką dzieci.", "Został sam z trójką dzieci."),
]

PREDICATES = FIXED + KEPT


def test_predicates_set_shape() -> None:
    assert len(FIXED) == 15 and len(KEPT) == 15
    assert len({s for s, _ in PREDICATES}) == 30


@pytest.mark.parametrize(("source", "expected"), PREDICATES)
def test_predicative_adjective_agrees(source: str, expected: str) -> None:
    cf = engine().swap(source)
    assert cf.text == expected
    assert cf.safe, cf.unsafe
    if source == expected:
        assert not cf.edits


# Found while checking the family (probes beside the gold set; each wrong before the fix):
# comparison clauses and pronouns after *jak*/*niż*, *pewien*/*pewna* 'sure', a thing noun
# wrongly taken as a pronoun's possible referent (*taka*, the currency).
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Ona była młodsza niż on myślał.", "On był młodszy niż ona myślała."),
        ("Brat śpiewał lepiej niż siostra.", "Siostra śpiewała lepiej niż brat."),
        ("Zrobił to tak jak mu kazała matka.", "Zrobiła to tak jak jej kazał ojciec."),
        ("Była taka, jak ją zapamiętał.", "Był taki, jak go zapamiętała."),
        ("Ufała mu bardziej niż jej.", "Ufał jej bardziej niż jemu."),
        ("Kochał ją bardziej niż jego.", "Kochała go bardziej niż ją."),
        ("Zrobiła to, jak jej kazał.", "Zrobił to, jak mu kazała."),
        ("Pomagał jej jak nikt inny.", "Pomagała mu jak nikt inny."),
        ("Był pewien, że wygra.", "Była pewna, że wygra."),
        ("Była pewna, że wygra.", "Był pewny, że wygra."),
        ("Była taka pewna siebie.", "Był taki pewny siebie."),
        ("Ona jest taka sama, jak jej matka.", "On jest taki sam, jak jego ojciec."),
        ("Matka była taka stara, że nie mogła chodzić.",
         "Ojciec był taki stary, że nie mógł chodzić."),
        ("Ona była stara jak świat i mądra.", "On był stary jak świat i mądry."),
        ("Nie była już taka młoda.", "Nie był już taki młody."),
        ("Córka jest taka podobna do matki.", "Syn jest taki podobny do ojca."),
    ],
)
def test_comparisons_and_homographs(source: str, expected: str) -> None:
    cf = engine().swap(source)
    assert cf.text == expected
    assert cf.safe, cf.unsafe


def test_stara_the_verb_is_kept() -> None:
    cf = engine().swap("Ona stara się pomóc.")
    assert cf.text == "On stara się pomóc." and cf.safe, cf.unsafe


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # 'so dear/expensive' or 'such a road': read as the adjective, and said so
        ("Była taka droga, że nikt jej nie kupił.", "may be the noun 'droga'"),
        # a predicate with no subject and no past verb (a person or a thing): left unchanged
        ("Jest taka sama jak ojciec.", "no subject"),
        ("Jest stara.", "no subject"),
    ],
)
def test_undecidable_is_unsafe(text: str, fragment: str) -> None:
    cf = engine().swap(text)
    assert not cf.safe
    assert any(fragment in reason for reason in cf.unsafe), cf.unsafe
