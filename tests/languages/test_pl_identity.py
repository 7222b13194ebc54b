"""Polish identity axes (nationality, religion, age, disability, orientation) on free text.

``pl_identity_review.tsv`` is the review set (gold written before the engine was run; see
its header and docs/languages/polish.md, "Identity axes"). Every row is checked: a row is
right when its gold is ``UNSAFE`` and the variant is unsafe, or the variant is safe and equal
to the gold. Rows flagged ``hard`` are known to be wrong and must stay wrong until fixed
(then drop the flag). The unit tests below pin each rule of the review round (the rules:
``biasaudit.languages.polish_identity``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("morfeusz2")

from biasaudit import CounterfactualEngine

REVIEW = Path(__file__).parent / "data" / "pl_identity_review.tsv"
ROWS_EXPECTED = 228  # 219 of the review round, 9 religion-name rows
# the held-out set: new sentences from other genres, gold written before the engine ran on it
HELDOUT = Path(__file__).parent / "data" / "pl_identity_heldout.tsv"
HELDOUT_EXPECTED = 159


@cache
def engine(axis: str) -> CounterfactualEngine:
    return CounterfactualEngine("pl", axis)


def rewrite(axis: str, text: str, group: str):
    e = engine(axis)
    return e.rewrite(text, e.plan(group))


def load_rows(path: Path = REVIEW) -> list[tuple[str, str, str, str, bool]]:
    lines = [ln.rstrip("\n") for ln in path.open(encoding="utf-8") if not ln.startswith("#")]
    assert lines[0].split("\t") == ["axis", "source", "group", "gold"]
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        assert len(cols) in (4, 5), f"row {n}: {cols}"
        assert len(cols) == 4 or cols[4] == "hard", f"row {n}: fifth column {cols[4]!r}"
        rows.append((cols[0], cols[1], cols[2], cols[3], len(cols) == 5))
    return rows


ROWS = load_rows()
HELDOUT_ROWS = load_rows(HELDOUT)


def test_review_set_shape() -> None:
    assert len(ROWS) == ROWS_EXPECTED
    assert len({(a, s, g) for a, s, g, _, _ in ROWS}) == len(ROWS)  # no duplicates
    axes = {a for a, *_ in ROWS}
    assert axes == {"nationality", "religion", "age", "disability", "orientation"}
    for axis, _, group, _, _ in ROWS:
        assert group in engine(axis).groups


@pytest.mark.parametrize(
    ("axis", "source", "group", "gold", "hard"),
    ROWS,
    ids=[f"{n}-{r[0]}-{r[2]}" for n, r in enumerate(ROWS, start=1)],
)
def test_review_row(axis: str, source: str, group: str, gold: str, hard: bool) -> None:
    r = rewrite(axis, source, group)
    right = (gold == "UNSAFE" and not r.safe) or (r.safe and r.text == gold)
    if hard:
        assert not right, "a 'hard' row is now right: drop its flag"
    else:
        assert right, f"got {r.text!r} (safe={r.safe}, {r.unsafe}); gold {gold!r}"


def test_heldout_set_shape() -> None:
    assert len(HELDOUT_ROWS) == HELDOUT_EXPECTED
    assert len({(a, s, g) for a, s, g, _, _ in HELDOUT_ROWS}) == len(HELDOUT_ROWS)
    assert {a for a, *_ in HELDOUT_ROWS} == {"nationality", "religion", "age", "disability",
                                             "orientation"}
    for axis, _, group, _, _ in HELDOUT_ROWS:
        assert group in engine(axis).groups


@pytest.mark.parametrize(
    ("axis", "source", "group", "gold", "hard"),
    HELDOUT_ROWS,
    ids=[f"{n}-{r[0]}-{r[2]}" for n, r in enumerate(HELDOUT_ROWS, start=1)],
)
def test_heldout_row(axis: str, source: str, group: str, gold: str, hard: bool) -> None:
    test_review_row(axis, source, group, gold, hard)


def check(axis: str, text: str, group: str, expected: str) -> None:
    r = rewrite(axis, text, group)
    if expected == "UNSAFE":
        assert not r.safe, r.text
    else:
        assert (r.text, r.safe) == (expected, True), r.unsafe


# -- lexicon: plural cases, plural adjectives ----------------------------------------------
@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        ("nationality", "Rozmawiałam o Francuzach.", "norwegian", "Rozmawiałam o Norwegach."),
        ("nationality", "Znam wielu Wietnamczyków.", "chinese", "Znam wielu Chińczyków."),
        ("nationality", "Pomagali Ukraińcom.", "polish", "Pomagali Polakom."),
        ("nationality", "Grał z Meksykanami.", "nigerian", "Grał z Nigeryjczykami."),
        ("nationality", "Przyszło pięć Norweżek.", "german", "Przyszło pięć Niemek."),
        ("nationality", "Spotkał się z polskimi lekarzami.", "french",
         "Spotkał się z francuskimi lekarzami."),
        ("nationality", "Wśród niemieckich studentek.", "ukrainian",
         "Wśród ukraińskich studentek."),
        ("religion", "Ankietę wypełniło stu ateistów.", "christian",
         "Ankietę wypełniło stu chrześcijan."),
        ("religion", "Pomoc dla muzułmanek.", "buddhist", "Pomoc dla buddystek."),
        ("religion", "Wiele żydowskich rodzin.", "hindu", "Wiele hinduistycznych rodzin."),
        ("age", "Młodzi ludzie wyjeżdżają.", "old", "Starsi ludzie wyjeżdżają."),
        ("age", "Zatrzymano trzech mężczyzn w średnim wieku.", "young",
         "Zatrzymano trzech młodych mężczyzn."),
        ("age", "Kobietom w średnim wieku trudniej.", "old", "Starszym kobietom trudniej."),
        ("disability", "Osoby niewidome głosują.", "deaf", "Osoby głuche głosują."),
        ("disability", "Głusi sportowcy wygrali.", "blind", "Niewidomi sportowcy wygrali."),
        ("disability", "Pracuje z autystycznymi dziećmi.", "deaf", "Pracuje z głuchymi dziećmi."),
        ("orientation", "Badano stu biseksualnych mężczyzn.", "gay",
         "Badano stu homoseksualnych mężczyzn."),
        ("orientation", "Związki homoseksualne są legalne.", "straight",
         "Związki heteroseksualne są legalne."),
    ],
)
def test_plural_forms(axis: str, text: str, group: str, expected: str) -> None:
    check(axis, text, group, expected)


# -- lexicon exclusions: other senses ------------------------------------------------------
@pytest.mark.parametrize(
    ("axis", "text"),
    [
        ("nationality", "Uczy się języka norweskiego."),
        ("nationality", "Mówi dobrze językiem chińskim."),
        ("nationality", "Kuchnia meksykańska jest ostra."),
        ("nationality", "Lubię polską kuchnię."),
        ("nationality", "Zamówiliśmy chińskie jedzenie."),
        ("nationality", "Podaj klucz francuski."),
        ("nationality", "Rogaliki z ciasta francuskiego."),
        ("nationality", "Słoik musztardy francuskiej."),
        ("nationality", "Mamy owczarka niemieckiego."),
        ("nationality", "Buldog francuski chrapie."),
        ("nationality", "Gra ma polską wersję językową."),
        ("age", "Panna młoda się spóźniła."),
        ("age", "Pan młody czekał przed kościołem."),
        ("age", "Para młoda wyszła z kościoła."),
        ("age", "Kupiłam młodą kapustę."),
        ("disability", "Zapadła głucha cisza."),
        ("disability", "Rozległo się głuche uderzenie."),
    ],
)
def test_exclusions_leave_other_senses(axis: str, text: str) -> None:
    for group in engine(axis).groups:
        r = rewrite(axis, text, group)
        assert (r.text, r.safe) == (text, True), (group, r.text, r.unsafe)


# -- capitals: names, countries, ethnonyms ------------------------------------------------
@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        ("nationality", "Pracuje w Polskiej Akademii Nauk.", "german",
         "Pracuje w Polskiej Akademii Nauk."),
        ("nationality", "Widzieliśmy Wielki Mur Chiński.", "french",
         "Widzieliśmy Wielki Mur Chiński."),
        ("nationality", "Stolicą Polski jest Warszawa.", "german", "Stolicą Polski jest Warszawa."),
        ("nationality", "Mieszkam w Polsce od lat.", "german", "Mieszkam w Polsce od lat."),
        ("nationality", "Polska wygrała mecz.", "german", "Polska wygrała mecz."),
        ("nationality", "Polska turystka zgubiła paszport.", "german",
         "Niemiecka turystka zgubiła paszport."),
        ("religion", "Spacerowaliśmy po Cmentarzu Żydowskim.", "christian",
         "Spacerowaliśmy po Cmentarzu Żydowskim."),
        ("religion", "Przed wojną Żydzi stanowili połowę mieszkańców.", "muslim", "UNSAFE"),
        ("religion", "Przed wojną żydzi modlili się w tej bóżnicy.", "muslim",
         "Przed wojną muzułmanie modlili się w tej bóżnicy."),
        ("disability", "Jest członkiem Polskiego Związku Niewidomych.", "deaf",
         "Jest członkiem Polskiego Związku Niewidomych."),
        ("age", "Poezja Młodej Polski jest pełna symboli.", "old",
         "Poezja Młodej Polski jest pełna symboli."),
    ],
)
def test_capitalised_words(axis: str, text: str, group: str, expected: str) -> None:
    check(axis, text, group, expected)


# -- demonyms that are also a country: Niemcy ----------------------------------------------
@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Wróciłem z Niemiec wczoraj.", "french", "Wróciłem z Niemiec wczoraj."),
        ("Jadę do Niemiec.", "polish", "Jadę do Niemiec."),
        ("Niemcy przyjęły nowe przepisy.", "polish", "Niemcy przyjęły nowe przepisy."),
        ("Niemcy przyjechali na wakacje.", "polish", "Polacy przyjechali na wakacje."),
        ("Niemcy grają dziś z Hiszpanią.", "polish", "UNSAFE"),
        ("Polska wygrała z Niemcami.", "french", "UNSAFE"),
        # already the target group: the word stays whichever reading is right
        ("Polska wygrała z Niemcami.", "german", "Polska wygrała z Niemcami."),
        ("Niemiec wygrał wyścig.", "polish", "Polak wygrał wyścig."),
        ("Rozmawiałam z panem Niemcem z księgowości.", "french",
         "Rozmawiałam z panem Niemcem z księgowości."),
    ],
)
def test_country_or_people(text: str, group: str, expected: str) -> None:
    check("nationality", text, group, expected)


# -- case readings narrowed by prepositions ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Drogi Polaku, uważaj!", "german", "Drogi Niemcze, uważaj!"),
        ("Drogi Polaku, uważaj!", "ukrainian", "Drogi Ukraińcze, uważaj!"),
        ("Myślę o dobrym Polaku.", "german", "Myślę o dobrym Niemcu."),
        ("Książka o Polaku z Wilna.", "ukrainian", "Książka o Ukraińcu z Wilna."),
    ],
)
def test_locative_and_vocative(text: str, group: str, expected: str) -> None:
    check("nationality", text, group, expected)


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Z polskiego miałam piątkę.", "french", "Z polskiego miałam piątkę."),
        ("Przetłumaczyła list z ukraińskiego na polski.", "chinese",
         "Przetłumaczyła list z ukraińskiego na polski."),
        ("Przyjechał z polskiego miasta.", "french", "Przyjechał z francuskiego miasta."),
    ],
)
def test_language_names(text: str, group: str, expected: str) -> None:
    check("nationality", text, group, expected)


# -- age: starszy 'elderly' vs the comparative; animal young; non-person heads --------------
@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Mój starszy brat mieszka w Kanadzie.", "young", "Mój starszy brat mieszka w Kanadzie."),
        ("Moja starsza córka studiuje.", "young", "Moja starsza córka studiuje."),
        ("Jest o trzy lata starsza ode mnie.", "young", "Jest o trzy lata starsza ode mnie."),
        ("Ten model jest starszy niż mój.", "young", "Ten model jest starszy niż mój."),
        ("Starszy sierżant odebrał medal.", "young", "Starszy sierżant odebrał medal."),
        ("Starszy pan karmi gołębie.", "young", "Młody pan karmi gołębie."),
        ("Osoby starsze czują się samotne.", "young", "Osoby młode czują się samotne."),
        ("Starsi pacjenci czekają.", "young", "Młodzi pacjenci czekają."),
        ("Starszy kolega mi pomógł.", "young", "UNSAFE"),
        ("Starsi nie chcą już pracować.", "young", "UNSAFE"),
        ("Lwica karmi swoje młode.", "old", "Lwica karmi swoje młode."),
        ("Młode ziemniaki są najlepsze.", "old", "Młode ziemniaki są najlepsze."),
        ("Te dziewczyny są młode.", "old", "Te dziewczyny są starsze."),
    ],
)
def test_age_senses(text: str, group: str, expected: str) -> None:
    check("age", text, group, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ustąpiłem miejsca starszemu panu.", "Ustąpiłem miejsca panu w średnim wieku."),
        ("Młoda aktorka dostała nagrodę.", "Aktorka w średnim wieku dostała nagrodę."),
        ("Rozmawiałam ze starszą sąsiadką.", "Rozmawiałam z sąsiadką w średnim wieku."),
        ("Osoby starsze czują się samotne.", "Osoby w średnim wieku czują się samotne."),
    ],
)
def test_middle_aged_follows_the_noun(text: str, expected: str) -> None:
    check("age", text, "middle_aged", expected)


# -- disability: idioms and non-person heads -----------------------------------------------
@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Bawiliśmy się w głuchy telefon.", "blind", "Bawiliśmy się w głuchy telefon."),
        ("Z oddali dobiegł głuchy łoskot.", "blind", "Z oddali dobiegł głuchy łoskot."),
        ("Był głuchy na nasze prośby.", "blind", "Był głuchy na nasze prośby."),
        ("Była głucha na argumenty.", "blind", "Była głucha na argumenty."),
        ("Dziadek był głuchy na wszystko.", "blind", "UNSAFE"),
        ("Jest głuchy na jedno ucho.", "blind", "UNSAFE"),
        ("Jest głuchy na jedno ucho.", "deaf", "Jest głuchy na jedno ucho."),
        ("Jej syn jest głuchy od urodzenia.", "blind", "Jej syn jest niewidomy od urodzenia."),
    ],
)
def test_disability_senses(text: str, group: str, expected: str) -> None:
    check("disability", text, group, expected)


# -- prepositions z/ze, w/we; compounds ----------------------------------------------------
@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        ("age", "Rozmawiałam ze starszą sąsiadką.", "young", "Rozmawiałam z młodą sąsiadką."),
        ("age", "Z młodymi pracownikami jest łatwiej.", "old",
         "Ze starszymi pracownikami jest łatwiej."),
        ("nationality", "W chińskiej rodzinie babcia rządzi.", "french",
         "We francuskiej rodzinie babcia rządzi."),
        ("nationality", "We francuskiej rodzinie babcia rządzi.", "polish",
         "W polskiej rodzinie babcia rządzi."),
        ("nationality", "Na granicy działa polsko-niemiecki patrol.", "french", "UNSAFE"),
    ],
)
def test_prepositions_and_compounds(axis: str, text: str, group: str, expected: str) -> None:
    check(axis, text, group, expected)


# -- held-out round ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        # a nationality adjective whose noun is a masculine animal or thing (SGJP m2/m3)
        ("nationality", "Kupiłem używany niemiecki samochód.", "french",
         "Kupiłem używany niemiecki samochód."),
        ("nationality", "Podawać z sosem meksykańskim.", "polish", "Podawać z sosem meksykańskim."),
        ("nationality", "Przyjechał niemiecki turysta.", "french", "Przyjechał francuski turysta."),
        # a bare masculine adjective after a verb of learning or knowing: a language
        ("nationality", "Uczę się chińskiego od trzech lat.", "ukrainian",
         "Uczę się chińskiego od trzech lat."),
        ("nationality", "Rozumie niemiecki bez tłumacza.", "polish",
         "Rozumie niemiecki bez tłumacza."),
        # Niemiec after a capitalised word inside a sentence: the country's genitive in a name
        ("nationality", "Grand Prix Niemiec odbędzie się w lipcu.", "french",
         "Grand Prix Niemiec odbędzie się w lipcu."),
        ("nationality", "Mieszka w Republice Federalnej Niemiec.", "polish",
         "Mieszka w Republice Federalnej Niemiec."),
        ("nationality", "Niemiec wygrał bieg.", "polish", "Polak wygrał bieg."),
        # young produce; the bride and groom or a young couple; young-only heads for `old`
        ("age", "Do zupy dodaj młodą marchewkę.", "old", "Do zupy dodaj młodą marchewkę."),
        ("age", "Młoda para podziękowała gościom.", "old", "UNSAFE"),
        ("age", "Młodym matkom przysługuje urlop.", "old", "UNSAFE"),
        ("age", "Młody ojciec pchał wózek.", "middle_aged", "UNSAFE"),
        ("age", "Młodzi chłopcy grali w piłkę.", "old", "UNSAFE"),
        ("age", "Młodzi chłopcy grali w piłkę.", "middle_aged", "UNSAFE"),
        ("age", "Młode kobiety grały w piłkę.", "old", "Starsze kobiety grały w piłkę."),
        # głuchy na + up to three words before the idiom's noun
        ("disability", "Był głuchy na wszystkie nasze prośby.", "blind",
         "Był głuchy na wszystkie nasze prośby."),
        # the participles niesłyszący / niewidzący, their number read from the noun
        ("disability", "Niesłyszący aktor zagrał główną rolę.", "blind",
         "Niewidomy aktor zagrał główną rolę."),
        ("disability", "Niesłyszący aktorzy zagrali główne role.", "blind",
         "Niewidomi aktorzy zagrali główne role."),
        ("disability", "Pomagamy osobom niewidzącym.", "deaf", "Pomagamy osobom głuchym."),
        ("disability", "Patrzyła na nas niewidzącymi oczami.", "deaf",
         "Patrzyła na nas niewidzącymi oczami."),
        # orientation person nouns (gay: gej / lesbijka written, homoseksualista recognised)
        ("orientation", "Mój kolega jest gejem.", "bisexual", "Mój kolega jest biseksualistą."),
        ("orientation", "Jest lesbijką.", "straight", "Jest heteroseksualistką."),
        ("orientation", "Homoseksualiści protestowali.", "asexual", "Aseksualiści protestowali."),
        ("orientation", "Rozmawiałem z heteroseksualistą.", "gay", "Rozmawiałem z gejem."),
    ],
)
def test_heldout_round_rules(axis: str, text: str, group: str, expected: str) -> None:
    check(axis, text, group, expected)
