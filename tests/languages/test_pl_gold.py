"""Polish gold pairs: exact-match accuracy of the swap on hand-checked sentence pairs.

``pl_gold.tsv`` was written by a native speaker before the grammar was tuned (and then used
to tune it); ``pl_heldout.tsv`` was written after the first tuning round and
``pl_heldout2.tsv`` after the last: they are the honest estimates on new text.
``pl_heldout3.tsv`` is the third review round's set (written with its gold before the run,
then used to choose that round's fixes; 253 of its 267 pairs were right after it, 259 now),
``pl_heldout4.tsv`` the fourth's (244 pairs, 222 right on the first run, 242 now),
``pl_heldout5.tsv`` the fifth's (304 pairs from other genres, 242 right on the first run, 274
now; the rows still wrong are listed in ``HELDOUT5_STILL_WRONG`` and must stay wrong until
fixed). See docs/languages/polish.md.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("morfeusz2")

from biasaudit import CounterfactualEngine

DATA = Path(__file__).parent / "data"
GOLD = DATA / "pl_gold.tsv"
HELDOUT = DATA / "pl_heldout.tsv"
HELDOUT2 = DATA / "pl_heldout2.tsv"
HELDOUT3 = DATA / "pl_heldout3.tsv"
HELDOUT4 = DATA / "pl_heldout4.tsv"
HELDOUT5 = DATA / "pl_heldout5.tsv"
HELDOUT5_ROWS = 304

# The rows of pl_heldout5.tsv the engine still gets wrong (each an instance of a known limit in
# docs/languages/polish.md). A row here that comes out right fails the test: drop it then.
HELDOUT5_STILL_WRONG = frozenset({
    "Świątek wygrała pierwszego seta 6:2, ale w drugim zaczęła popełniać błędy.",
    "Poszukujemy sprzedawcy do sklepu odzieżowego w centrum Poznania.",
    "Syn pacjentki prosi o telefon od lekarza prowadzącego.",
    "Rodzina chorego została poinformowana o rokowaniach.",
    "Powódka domaga się od pozwanego zapłaty 20 tysięcy złotych.",
    "Zupa pomidorowa mamy to najlepsze, co jadłem.",
    "Przewodniczka opowiadała ciekawie, ale mówiła za szybko.",
    "Kupiłem ten odkurzacz dla żony i jest zachwycona.",
    "Telefon działa bez zarzutu, bateria trzyma dwa dni.",
    "Kierowca autobusu jechał jak szalony, ale dojechaliśmy cali.",
    "Polecam tego mechanika, zna się na rzeczy i nie zdziera.",
    "Gospodarz agroturystyki częstował nas własnym miodem.",
    "Pan Marek, nasz przewodnik, znał każdy zakątek Krakowa.",
    "Kochanowski napisał Treny po śmierci swojej córki Urszuli.",
    "spotkałam dziś twojego brata ale mnie nie poznał",
    "a ten nowy z działu it jest spoko",
    "jak tam twoja siostra lepiej jej",
    "Minister zdrowia podała się do dymisji",
    "Sąsiadka uratowała trzylatka z płonącego domu",
    "Była premier krytykuje rząd",
    "Seniorka z Radomia straciła oszczędności życia",
    "Brat pożyczył siostrze samochód, a ona go rozbiła.",
    "Dwie studentki zgłosiły się na ochotnika.",
    "Policjanci zatrzymali dwóch mężczyzn podejrzanych o kradzież.",
    "Siostry Kowalskie wystąpiły w finale.",
    "Jest uważany za jednego z najlepszych architektów w kraju.",
    "Samochód stał w garażu, bo był zepsuty.",
    "Akademia pana Kleksa to moja ulubiona książka z dzieciństwa.",
    "Spotkanie odbędzie się w Szkole Podstawowej im. Marii Skłodowskiej-Curie.",
    "Książkę dostał od brata, ale jej nie przeczytał.",
    "Jest zadowolony z wyników.",
})

# Every bullet of the Polish brief has its own category in the gold file.
REQUIRED_CATEGORIES = {
    "pron_nom", "pron_gen", "pron_dat", "pron_acc", "pron_neg_gen", "pron_prep", "pron_poss",
    "noun_kin", "noun_occ", "noun_case", "agreement", "implied_subject", "conditional",
    "relative", "surname", "name", "title", "plural", "mixed", "generic_masc", "nonhuman",
    "unchanged",
}


def load_pairs(path: Path) -> list[tuple[str, str, str]]:
    """``(source, expected, category)`` rows of a gold TSV (``#`` comments, one header)."""
    lines = [ln.rstrip("\n") for ln in path.open(encoding="utf-8") if not ln.startswith("#")]
    assert lines[0].split("\t") == ["source", "expected", "category"]
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        assert len(cols) == 3, f"{path.name} row {n}: {cols}"
        rows.append((cols[0], cols[1], cols[2]))
    return rows


@cache
def engine() -> CounterfactualEngine:
    return CounterfactualEngine("pl")


def exact_match(path: Path) -> tuple[float, list[str]]:
    rows = load_pairs(path)
    failures = []
    for source, expected, category in rows:
        got = engine().swap(source).text
        if got != expected:
            failures.append(f"[{category}] {source}\n   got:      {got}\n   expected: {expected}")
    return 1 - len(failures) / len(rows), failures


def test_gold_file_covers_the_brief() -> None:
    rows = load_pairs(GOLD)
    assert len(rows) >= 150
    categories = {c for _, _, c in rows}
    assert categories >= REQUIRED_CATEGORIES, REQUIRED_CATEGORIES - categories
    assert sum(1 for s, e, _ in rows if s == e) >= 20  # sentences that must stay unchanged
    assert len({s for s, _, _ in rows}) == len(rows)  # no duplicate sources


def test_gold_exact_match_at_least_95_percent() -> None:
    rate, failures = exact_match(GOLD)
    assert rate >= 0.95, f"exact match {rate:.1%}; failures:\n" + "\n".join(failures)


@pytest.mark.parametrize("path", [HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4],
                         ids=["heldout", "heldout2", "heldout3", "heldout4"])
def test_heldout_exact_match_at_least_90_percent(path: Path) -> None:
    rate, failures = exact_match(path)
    assert len(load_pairs(path)) >= 40
    assert rate >= 0.90, f"exact match {rate:.1%}; failures:\n" + "\n".join(failures)


@pytest.mark.parametrize("path", [GOLD, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5],
                         ids=["gold", "heldout", "heldout2", "heldout3", "heldout4", "heldout5"])
def test_unchanged_rows_produce_no_edits(path: Path) -> None:
    for source, expected, category in load_pairs(path):
        if source == expected and source not in HELDOUT5_STILL_WRONG:
            cf = engine().swap(source)
            assert not cf.edits, f"[{category}] {source}: {cf.edits}"


def test_heldout4_has_no_duplicates_of_earlier_sets() -> None:
    earlier = {src for path in (GOLD, HELDOUT, HELDOUT2, HELDOUT3)
               for src, _, _ in load_pairs(path)}
    rows = load_pairs(HELDOUT4)
    assert len({s for s, _, _ in rows}) == len(rows)
    assert not earlier & {s for s, _, _ in rows}


def test_heldout5_every_row_right_except_the_known_ones() -> None:
    rows = load_pairs(HELDOUT5)
    assert len(rows) == HELDOUT5_ROWS  # every row kept, including those still wrong
    sources = {s for s, _, _ in rows}
    assert len(sources) == len(rows)
    assert sources >= HELDOUT5_STILL_WRONG
    earlier = {src for path in (GOLD, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4)
               for src, _, _ in load_pairs(path)}
    # written without reading the earlier sets; one everyday sentence turned out to be in one
    assert earlier & sources == {"Pomogłem starszej pani przejść przez ulicę."}
    wrong, fixed = [], []
    for source, expected, category in rows:
        got = engine().swap(source).text
        if source in HELDOUT5_STILL_WRONG and got == expected:
            fixed.append(source)
        elif source not in HELDOUT5_STILL_WRONG and got != expected:
            wrong.append(f"[{category}] {source}\n   got:      {got}\n   expected: {expected}")
    assert not fixed, "now right: drop from HELDOUT5_STILL_WRONG:\n" + "\n".join(fixed)
    assert not wrong, "\n".join(wrong)
