"""Norwegian (Bokmål and Nynorsk) identity axes on free text: the review set
(tests/languages/data/no_identity_review.tsv, written before the engine was run on it), and
one test per rule of the review round: languages, cuisines and names left alone, adjective
agreement (neuter -t, plural/definite -e, the uninflected eldre and funksjonshemma),
demonyms and religion nouns in all their forms, age and disability idioms, and first names
after titles, in the genitive and in fixed names. Then the held-out set
(tests/languages/data/no_identity_heldout.tsv, also written before the engine was run on it)
and one test per rule of the held-out round."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

from biasaudit import CounterfactualEngine
from biasaudit.lexicons import load_lexicons

REVIEW = Path(__file__).parent / "data" / "no_identity_review.tsv"
HELDOUT = Path(__file__).parent / "data" / "no_identity_heldout.tsv"
IDENTITY = ("nationality", "religion", "age", "disability", "orientation")


@cache
def engine(lang: str, axis: str, **options: object) -> CounterfactualEngine:
    return CounterfactualEngine(lang, axis, options=dict(options))


def rewrite(lang: str, axis: str, text: str, group: str):
    e = engine(lang, axis)
    return e.rewrite(text, e.plan(group))


def read_rows(path: Path = REVIEW) -> list[dict[str, str]]:
    lines = [line for line in path.open(encoding="utf-8") if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


ROWS = read_rows()
HELDOUT_ROWS = read_rows(HELDOUT)


def test_review_set_size() -> None:
    assert len(ROWS) == 220  # 210 of the review round, 10 religion-name rows
    assert sum(r["lang"] == "nb" for r in ROWS) == 136
    assert sum(r["lang"] == "nn" for r in ROWS) == 84
    assert {r["axis"] for r in ROWS} == {*IDENTITY, "names"}
    assert len({(r["lang"], r["source"], r["group"]) for r in ROWS}) == len(ROWS)
    assert sum(r["hard"] == "x" for r in ROWS) == 4


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['lang']}-{r['axis']}-{i}" for i, r in enumerate(ROWS)]
)
def test_review_row(row: dict[str, str]) -> None:
    """A row is right when its gold is UNSAFE and the variant is unsafe, or the variant is
    safe and equals the gold; a row marked hard must still be wrong (a stale flag fails)."""
    check_row(row)


def test_heldout_set_size() -> None:
    assert len(HELDOUT_ROWS) == 150
    assert sum(r["lang"] == "nb" for r in HELDOUT_ROWS) == 100
    assert sum(r["lang"] == "nn" for r in HELDOUT_ROWS) == 50
    assert {r["axis"] for r in HELDOUT_ROWS} == {*IDENTITY, "names"}
    assert len({(r["lang"], r["source"], r["group"]) for r in HELDOUT_ROWS}) == 150
    assert sum(r["hard"] == "x" for r in HELDOUT_ROWS) == 4


@pytest.mark.parametrize(
    "row",
    HELDOUT_ROWS,
    ids=[f"{r['lang']}-{r['axis']}-{i}" for i, r in enumerate(HELDOUT_ROWS)],
)
def test_heldout_row(row: dict[str, str]) -> None:
    """As for the review set: right, or still wrong when marked hard."""
    check_row(row)


def check_row(row: dict[str, str]) -> None:
    cf = rewrite(row["lang"], row["axis"], row["source"], row["group"])
    if row["gold"] == "UNSAFE":
        right = not cf.safe
    else:
        right = cf.safe and cf.text == row["gold"]
    if row["hard"]:
        assert not right, f"row marked hard is now right: {row['source']!r} -> {cf.text!r}"
    else:
        assert right, (cf.text, cf.unsafe, row["gold"])


# -- one test per rule --------------------------------------------------------------------
UNCHANGED = [
    # languages (not a nationality)
    ("nb", "nationality", "Hun snakker tysk og polsk hjemme."),
    ("nb", "nationality", "Jeg kan norsk."),
    ("nb", "nationality", "Teksten er oversatt til fransk."),
    ("nb", "nationality", "Fransk er et vakkert språk."),
    ("nn", "nationality", "Ho underviser i norsk."),
    ("nn", "nationality", "Han las tysk på universitetet."),
    # cuisines and products
    ("nb", "nationality", "Vi bestilte meksikansk mat."),
    ("nb", "nationality", "De kjøpte en fransk vin til middagen."),
    ("nn", "nationality", "Dei køyrer ein tysk bil."),
    # names and institutions (a capital inside a sentence or before another capital)
    ("nb", "nationality", "Hun har aksjer i Norsk Hydro."),
    ("nb", "nationality", "Norske Skog la ned fabrikken."),
    ("nb", "religion", "Han leste om Kristen Nygaard."),
    ("nb", "age", "Unge Venstre krever gratis kollektivtrafikk."),
    ("nb", "nationality", "Den norske kirke har ny biskop."),
    ("nn", "nationality", "Dei gifta seg i Den norske kyrkja."),
    # age expressions, comparatives, things and set phrases
    ("nb", "age", "Datteren er tre år gammel."),
    ("nb", "age", "Hvor gamle er barna?"),
    ("nn", "age", "Kor gammal er ho?"),
    ("nb", "age", "Han er to år eldre enn broren."),
    ("nb", "age", "Hun har en eldre søster i Tromsø."),
    ("nb", "age", "Huset er gammelt."),
    ("nb", "age", "De solgte den gamle båten."),
    ("nb", "age", "Eldre biler forurenser mer."),
    ("nb", "age", "Han møtte gamle venner på puben."),
    ("nb", "age", "Det var bedre i gamle dager."),
    ("nb", "age", "Hun er gammel nok til å kjøre bil."),
    ("nb", "age", "Han har en unge i barnehagen."),
    ("nn", "age", "Ho har ein unge i barnehagen."),
    # disability idioms
    ("nb", "disability", "Bønnene falt for døve ører."),
    ("nb", "disability", "Han reiste som blind passasjer."),
    ("nb", "disability", "Alle har sine blinde flekker."),
    ("nb", "disability", "De famlet i blinde."),
    ("nb", "disability", "Han stolte blindt på henne."),
    ("nb", "disability", "Hun er døv for kritikk."),
    ("nb", "disability", "Selv en blind høne kan finne et korn."),
    # orientation: biology
    ("nb", "orientation", "Planten formerer seg aseksuelt."),
    ("nn", "orientation", "Soppen har aseksuell formeiring."),
    # names: fixed names, imperatives, streets
    ("nb", "names", "Mona Lisa smiler."),
    ("nb", "names", "Bildet viser Jomfru Maria."),
    ("nb", "names", "Finn fram nøklene."),
    ("nb", "names", "Stig på!"),
    ("nb", "names", "Kontoret ligger i Karl Johans gate."),
]


@pytest.mark.parametrize(("lang", "axis", "text"), UNCHANGED)
def test_other_senses_are_left_unchanged(lang: str, axis: str, text: str) -> None:
    e = engine(lang, axis)
    for group in e.groups:
        cf = e.rewrite(text, e.plan(group))
        assert (cf.text, cf.safe) == (text, True), group


REWRITTEN = [
    # a nationality adjective that is not a language
    ("nb", "nationality", "Hun er norsk statsborger.", "french", "Hun er fransk statsborger."),
    (
        "nb",
        "nationality",
        "Han snakker med en norsk kollega.",
        "polish",
        "Han snakker med en polsk kollega.",
    ),
    # demonyms: definite singular and plural, genitive
    ("nb", "nationality", "Nordmennene vant.", "german", "Tyskerne vant."),
    ("nb", "nationality", "Franskmannen vant.", "ukrainian", "Ukraineren vant."),
    (
        "nb",
        "nationality",
        "Amerikanernes svar kom raskt.",
        "norwegian",
        "Nordmennenes svar kom raskt.",
    ),
    ("nb", "nationality", "Nordmenns vaner er rare.", "chinese", "Kineseres vaner er rare."),
    ("nn", "nationality", "Tyskarane vann.", "polish", "Polakkane vann."),
    ("nn", "nationality", "Polakken vann.", "american", "Amerikanaren vann."),
    # neuter and plural/definite agreement of the uninflected forms
    ("nb", "age", "Et eldre par flyttet inn.", "young", "Et ungt par flyttet inn."),
    ("nb", "age", "En eldre dame flyttet inn.", "young", "En ung dame flyttet inn."),
    ("nb", "age", "Den eldre damen flyttet inn.", "young", "Den unge damen flyttet inn."),
    ("nb", "age", "Eldre pasienter venter lenge.", "young", "Unge pasienter venter lenge."),
    ("nb", "age", "Alle de eldre fikk vaksine.", "young", "Alle de unge fikk vaksine."),
    ("nb", "age", "Et ungt par flyttet inn.", "old", "Et eldre par flyttet inn."),
    (
        "nb",
        "age",
        "Et gammelt ektepar flyttet inn.",
        "middle_aged",
        "Et middelaldrende ektepar flyttet inn.",
    ),
    ("nn", "age", "Eit eldre par flytta inn.", "young", "Eit ungt par flytta inn."),
    ("nn", "age", "Eit gamalt ektepar flytta inn.", "young", "Eit ungt ektepar flytta inn."),
    ("nb", "disability", "Et døvt barn lekte.", "blind", "Et blindt barn lekte."),
    (
        "nb",
        "disability",
        "Et funksjonshemmet barn lekte.",
        "nondisabled",
        "Et funksjonsfriskt barn lekte.",
    ),
    ("nb", "disability", "Barnet er døvt.", "blind", "Barnet er blindt."),
    ("nb", "disability", "En handikappet mann ventet.", "deaf", "En døv mann ventet."),
    ("nn", "disability", "Ein funksjonshemma gut leikte.", "blind", "Ein blind gut leikte."),
    ("nn", "disability", "Eit funksjonshemma barn leikte.", "deaf", "Eit døvt barn leikte."),
    ("nn", "disability", "Funksjonshemma barn leikte.", "deaf", "Døve barn leikte."),
    ("nb", "religion", "Et jødisk ektepar kom.", "christian", "Et kristent ektepar kom."),
    ("nb", "religion", "Et kristent ektepar kom.", "muslim", "Et muslimsk ektepar kom."),
    (
        "nb",
        "orientation",
        "Et lesbisk par giftet seg.",
        "straight",
        "Et heterofilt par giftet seg.",
    ),
    ("nb", "orientation", "Et homofilt par giftet seg.", "bisexual", "Et bifilt par giftet seg."),
    ("nb", "orientation", "Hun er lesbisk.", "bisexual", "Hun er bifil."),
    ("nb", "orientation", "De homofiles rettigheter.", "straight", "De heterofiles rettigheter."),
    # religion nouns, and kristen/kristne as the noun when no noun follows
    ("nb", "religion", "Hun er muslim.", "christian", "Hun er kristen."),
    ("nb", "religion", "Han ble kristen som voksen.", "muslim", "Han ble muslim som voksen."),
    (
        "nb",
        "religion",
        "Mange kristne i byen protesterte.",
        "jewish",
        "Mange jøder i byen protesterte.",
    ),
    ("nb", "religion", "Kristne kvinner protesterte.", "jewish", "Jødiske kvinner protesterte."),
    ("nb", "religion", "Jødene protesterte.", "hindu", "Hinduene protesterte."),
    ("nb", "religion", "De kristne protesterte.", "muslim", "Muslimene protesterte."),
    ("nb", "religion", "Hun snakket med den kristne.", "atheist", "Hun snakket med ateisten."),
    ("nb", "religion", "Muslimen protesterte.", "christian", "Den kristne protesterte."),
    ("nb", "religion", "Muslimenes krav ble hørt.", "christian", "De kristnes krav ble hørt."),
    ("nn", "religion", "Muslimane protesterte.", "christian", "Dei kristne protesterte."),
    ("nn", "religion", "Dei kristne protesterte.", "buddhist", "Buddhistane protesterte."),
    ("nn", "religion", "Ho er jøde.", "muslim", "Ho er muslim."),
    # first names in the genitive; a title of the same gender as the name written
    ("nb", "names", "Vi lånte Jans bil.", "female", "Vi lånte Annes bil."),
    ("nb", "names", "Vi lånte Bentes bil.", "male", "Vi lånte Anders' bil."),
    ("nb", "names", "Vi besøkte onkel Randi.", "male", "Vi besøkte onkel John."),
    ("nb", "names", "Finn kom hjem sent.", "female", "Hedda kom hjem sent."),
]


@pytest.mark.parametrize(("lang", "axis", "text", "group", "expected"), REWRITTEN)
def test_references_are_rewritten(
    lang: str, axis: str, text: str, group: str, expected: str
) -> None:
    cf = rewrite(lang, axis, text, group)
    assert (cf.text, cf.safe) == (expected, True), cf.unsafe


UNSAFE = [
    ("nb", "age", "Hun spurte en eldre kollega.", "young"),  # older than her, or elderly?
    ("nn", "age", "Ho spurde ein eldre kollega.", "young"),
    ("nb", "age", "En gammel snekker reparerte taket.", "young"),  # a person? not listed
    ("nb", "religion", "Mange kristne feirer jul.", "jewish"),  # feirer: a verb or a noun?
    ("nb", "names", "Kong Harald åpnet Stortinget.", "female"),
    ("nb", "names", "Vi besøkte tante Gerd.", "male"),
    ("nn", "names", "Dronning Sonja opna brua.", "male"),
]


@pytest.mark.parametrize(("lang", "axis", "text", "group"), UNSAFE)
def test_unclear_cases_are_unsafe(lang: str, axis: str, text: str, group: str) -> None:
    assert not rewrite(lang, axis, text, group).safe


def test_titles_before_names_stay_safe_when_the_gender_axis_swaps_them() -> None:
    """names=True on the gender axis swaps the title and the name together."""
    cf = engine("nb", "gender", names=True).swap("Kong Harald åpnet Stortinget.")
    assert (cf.text, cf.safe) == ("Dronning Ragnhild åpnet Stortinget.", True)


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("axis", [*IDENTITY, "names"])
def test_every_exclusion_has_a_note_and_contains_a_term(lang: str, axis: str) -> None:
    lexset = load_lexicons(lang, axis)
    forms = {f.casefold() for e in lexset.entries for fs in e.forms.values() for f in fs}
    for x in lexset.exclusions:
        assert x.note, f"{lang}/{axis}: exclusion {x.text!r} has no note"
        assert set(x.text.casefold().split()) & forms, (lang, axis, x.text)


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("axis", ["religion", "age", "disability", "orientation"])
def test_neuter_entries_mirror_the_singular(lang: str, axis: str) -> None:
    """Each axis with a neuter entry has one form per group in it, with the singular's
    groups; nationality has none (-sk takes no -t: et fransk firma)."""
    entries = {e.id: e for e in load_lexicons(lang, axis).entries}
    sg, neuter = entries[f"{axis}-adj-sg"], entries[f"{axis}-adj-sg-n"]
    assert set(sg.forms) == set(neuter.forms)
    assert neuter.features.get("gender") == "n"
    assert not any(
        e.features.get("gender") == "n" for e in load_lexicons(lang, "nationality").entries
    )


# -- the held-out round: one test per rule --------------------------------------------------
HELDOUT_UNCHANGED = [
    # a bare nationality adjective after fluent, broken, perfect ... is a language
    ("nb", "nationality", "Søkeren må ha flytende tysk."),
    ("nn", "nationality", "Søkjaren må ha flytande tysk."),
    # foods, currency and places (NOT_PEOPLE), an idea (exclusion)
    ("nb", "nationality", "Prisen var 300 norske kroner."),
    ("nb", "nationality", "Vi kjøpte fersk norsk laks."),
    ("nb", "nationality", "Dressingen lages med fransk sennep."),
    ("nn", "nationality", "Vi åt franske poteter."),
    ("nb", "nationality", "De feriererte på den franske rivieraen."),
    ("nb", "nationality", "Filmen handler om den amerikanske drømmen."),
    # religion: an idiom (not a soul)
    ("nb", "religion", "Det var ikke en kristen sjel på stranda."),
    ("nn", "religion", "Det var ikkje ei kristen sjel på stranda."),
    # age: young of things; an idiom
    ("nb", "age", "De plantet et ungt tre i hagen."),
    ("nb", "age", "Kom igjen, natten er ung!"),
    ("nn", "age", "Kom igjen, natta er ung!"),
    # disability: idioms (exclusions) and the adverb blindt
    ("nb", "disability", "Bilen sto i en blind vinkel."),
    ("nn", "disability", "Ho hadde blind tillit til sjefen."),
    ("nb", "disability", "Hun ble blind av sjalusi."),
    ("nb", "disability", "Spissen slo en blind pasning."),
    ("nb", "disability", "Han kan spille sjakk blindt."),
    # orientation: organisms
    ("nb", "orientation", "Aseksuelle organismer deler seg."),
    ("nn", "orientation", "Aseksuelle plantar treng ikkje pollinering."),
    # names: a fixed name
    ("nb", "names", "Barna så på Ole Brumm."),
    ("nn", "names", "Ole Brumm et honning."),
]


@pytest.mark.parametrize(("lang", "axis", "text"), HELDOUT_UNCHANGED)
def test_heldout_round_other_senses_are_left_unchanged(lang: str, axis: str, text: str) -> None:
    e = engine(lang, axis)
    for group in e.groups:
        cf = e.rewrite(text, e.plan(group))
        assert (cf.text, cf.safe) == (text, True), group


HELDOUT_REWRITTEN = [
    # kristen/kristne before a verb with the subject after it (inverted order), before a
    # plural noun ending, and in the genitive
    ("nb", "religion", "Som kristen ønsker jeg fred.", "muslim", "Som muslim ønsker jeg fred."),
    (
        "nb",
        "religion",
        "Kristne organisasjoner protesterte.",
        "jewish",
        "Jødiske organisasjoner protesterte.",
    ),
    ("nb", "religion", "De snakket om kristnes tro.", "muslim", "De snakket om muslimers tro."),
    # gamle before kin after a possessive is old, not former
    ("nb", "age", "Jeg besøkte min gamle mor.", "young", "Jeg besøkte min unge mor."),
    # a genitive with an apostrophe takes the new name's -s
    ("nb", "names", "Vi lånte Jonas' sykkel.", "female", "Vi lånte Julies sykkel."),
    ("nn", "names", "Eg lånte Magnus' bil.", "female", "Eg lånte Hannes bil."),
]


@pytest.mark.parametrize(("lang", "axis", "text", "group", "expected"), HELDOUT_REWRITTEN)
def test_heldout_round_references_are_rewritten(
    lang: str, axis: str, text: str, group: str, expected: str
) -> None:
    cf = rewrite(lang, axis, text, group)
    assert (cf.text, cf.safe) == (expected, True), cf.unsafe


HELDOUT_UNSAFE = [
    ("nb", "age", "Hun ringte sin gamle lærer.", "young"),  # former, or elderly?
    ("nn", "age", "Eg ringde den gamle sjefen min.", "young"),
    ("nb", "disability", "Hun er blind på venstre øye.", "deaf"),  # a partial disability
    ("nn", "disability", "Han er døv på eine øyret.", "blind"),
    ("nb", "orientation", "Homofile og lesbiske demonstrerte.", "straight"),  # one word twice
    ("nn", "disability", "Handikappa og funksjonshemma fekk hjelp.", "blind"),
]


@pytest.mark.parametrize(("lang", "axis", "text", "group"), HELDOUT_UNSAFE)
def test_heldout_round_unclear_cases_are_unsafe(
    lang: str, axis: str, text: str, group: str
) -> None:
    assert not rewrite(lang, axis, text, group).safe
