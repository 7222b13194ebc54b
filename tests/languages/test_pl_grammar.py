"""Polish grammar unit tests: pronoun cases, agreement, implied subjects, surnames and names,
non-human nouns, the generic-masculine option, unsafe marking, the lexicons, and the
missing-extra error."""

from __future__ import annotations

import sys
from functools import cache

import pytest

pytest.importorskip("morfeusz2")

import biasaudit
from biasaudit import CounterfactualEngine, MissingExtraError
from biasaudit.errors import ConfigError
from biasaudit.languages.polish_rules import surname_form


@cache
def engine(**options: str) -> CounterfactualEngine:
    return CounterfactualEngine("pl", options=dict(options))


def swap(text: str, **options: str) -> str:
    return engine(**options).swap(text).text


# -- pronouns: the case of the source decides the target -----------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("On śpi.", "Ona śpi."),  # nominative
        ("Widzę go.", "Widzę ją."),  # accusative clitic
        ("Nie widzę go.", "Nie widzę jej."),  # genitive of negation
        ("Szukam go.", "Szukam jej."),  # verb governing the genitive
        ("Daję mu kwiaty.", "Daję jej kwiaty."),  # dative clitic
        ("Ufam jej.", "Ufam mu."),  # dative jej -> mu
        ("Nie znam jej.", "Nie znam go."),  # genitive jej -> go
        ("To jej dom.", "To jego dom."),  # possessive jej -> jego
        ("Widzę ją.", "Widzę go."),  # accusative ją -> go
        ("Ją to zdziwiło.", "Jego to zdziwiło."),  # stressed at clause start
        ("Czekam na niego.", "Czekam na nią."),  # accusative after a preposition
        ("Idę do niego.", "Idę do niej."),  # genitive after a preposition
        ("Dzięki niemu wygrałem.", "Dzięki niej wygrałem."),  # dative after a preposition
        ("Idę z nim.", "Idę z nią."),  # instrumental
        ("Myślę o nim.", "Myślę o niej."),  # locative
        ("Mówię o niej.", "Mówię o nim."),
        ("Patrzę na nią.", "Patrzę na niego."),
        ("Jemu to nie przeszkadza.", "Jej to nie przeszkadza."),
    ],
)
def test_pronoun_case(source: str, expected: str) -> None:
    assert swap(source) == expected


def test_pronoun_edits_carry_the_lexicon_entry() -> None:
    cf = engine().swap("Nie znam jej.")
    (edit,) = cf.edits
    assert edit.new == "go" and edit.lexicon == "pl-gender-pronouns@1.0.0"
    assert edit.entry is not None and edit.entry.startswith("pl-on-")


# -- nouns: counterpart in the same case and number -----------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Lekarz przyszedł.", "Lekarka przyszła."),
        ("Zapytaj lekarza.", "Zapytaj lekarkę."),  # accusative
        ("Nie ma lekarza.", "Nie ma lekarki."),  # genitive of negation
        ("Dom lekarza jest duży.", "Dom lekarki jest duży."),  # adnominal genitive
        ("Dałem to lekarzowi.", "Dałem to lekarce."),  # dative
        ("Rozmawiam z lekarzem.", "Rozmawiam z lekarką."),  # instrumental
        ("Mówię o lekarzu.", "Mówię o lekarce."),  # locative
        ("Lekarze strajkowali.", "Lekarki strajkowały."),  # plural
        ("Kierowca zasnął.", "Kierowczyni zasnęła."),
        ("Mój ojciec i mój syn", "Moja matka i moja córka"),
    ],
)
def test_noun_case_and_number(source: str, expected: str) -> None:
    assert swap(source) == expected


# -- agreement -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("On poszedł do domu.", "Ona poszła do domu."),  # past tense
        ("On zrobiłby to.", "Ona zrobiłaby to."),  # conditional in one word
        ("On by to zrobił.", "Ona by to zrobiła."),  # conditional particle apart
        ("Ten miły pan jest zmęczony.", "Ta miła pani jest zmęczona."),  # determiner, adj
        ("Widzę tego starszego pana.", "Widzę tę starszą panią."),  # accusative agreement
        ("Kocha swoją matkę.", "Kocha swojego ojca."),  # possessive swój
        ("Brat, który przyszedł, jest miły.", "Siostra, która przyszła, jest miła."),
        ("Bracia byli zmęczeni.", "Siostry były zmęczone."),  # plural verb and adjective
    ],
)
def test_agreement(source: str, expected: str) -> None:
    assert swap(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Był zmęczony.", "Była zmęczona."),
        ("Wróciła późno i zasnęła.", "Wrócił późno i zasnął."),
        ("Gdyby mógł, pomógłby.", "Gdyby mogła, pomogłaby."),
    ],
)
def test_implied_subject_is_a_person(source: str, expected: str) -> None:
    assert swap(source) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Byłem zmęczony.",  # first person: the speaker's gender is out of scope
        "Czy byłaś tam?",  # second person
        "Nikt nie przyszedł.",  # an explicit non-person subject
        "Każdy był zadowolony.",
        "Ktoś zapukał.",
        "Wszyscy byli zmęczeni.",
    ],
)
def test_no_implied_subject(text: str) -> None:
    assert swap(text) == text


# -- surnames and first names ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Kowalski przyszedł.", "Kowalska przyszła."),
        ("Widziałem Kowalskiego.", "Widziałem Kowalską."),  # accusative
        ("Nie widziałem Kowalskiego.", "Nie widziałem Kowalskiej."),  # genitive
        ("Dałem to Kowalskiemu.", "Dałem to Kowalskiej."),  # dative
        ("Idę z Kowalskim.", "Idę z Kowalską."),  # instrumental
        ("Mówię o Kowalskim.", "Mówię o Kowalskiej."),  # locative
        ("Nowicka wyszła.", "Nowicki wyszedł."),  # -cka
        ("Zawadzki czekał.", "Zawadzka czekała."),  # -dzki
        ("Pan Nowak przyszedł.", "Pani Nowak przyszła."),  # non-adjectival: title phrase
        ("Rozmawiam z panią Nowak.", "Rozmawiam z panem Nowakiem."),
    ],
)
def test_surnames_in_every_case(source: str, expected: str) -> None:
    assert swap(source) == expected


def test_surname_form_table() -> None:
    assert surname_form("Kowalskiego", "female", "acc") == "Kowalską"
    assert surname_form("Kowalskiego", "female", "gen") == "Kowalskiej"
    assert surname_form("Nowickiej", "male", "loc") == "Nowickim"
    assert surname_form("Nowak", "female", "nom") is None


@pytest.mark.parametrize(
    "text",
    [
        "Polska wygrała mecz.",  # the country, not a surname
        "Uniwersytet Jagielloński jest stary.",  # an adjective in a proper name
        "Polski rząd podjął decyzję.",  # an adjective before its noun
    ],
)
def test_capitalised_adjectives_are_not_surnames(text: str) -> None:
    assert swap(text) == text


def test_place_name_is_kept_while_the_person_is_swapped() -> None:
    assert swap("Wróciła z Polski.") == "Wrócił z Polski."


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Jan przyszedł.", "Janina przyszła."),
        ("Widziałem Jana.", "Widziałem Janinę."),
        ("Stanisława przyszła.", "Stanisław przyszedł."),  # also a genitive of Stanisław
        ("Widziałem Stanisława.", "Widziałem Stanisławę."),
        ("Anna Nowak przyszła.", "Piotr Nowak przyszedł."),
    ],
)
def test_first_names(source: str, expected: str) -> None:
    assert swap(source) == expected


def test_names_lexicon_provenance() -> None:
    eng = engine()
    names = [lx for lx in eng.lexicons.lexicons if lx.name == "pl-gender-names"]
    assert names and "Wikidata" in (names[0].source or "")
    entries = [e for e in eng.lexicons.entries if e.pos == "name"]
    assert len(entries) >= 200
    males = [e.output("male") for e in entries]
    females = [e.output("female") for e in entries]
    assert len(set(males)) == len(males) and len(set(females)) == len(females)  # one-to-one


# -- non-human nouns and text with no person ----------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Pies szczekał.",
        "Kot spał na stole.",
        "Stół był duży.",
        "Wczoraj padał deszcz.",
        "Samochód się zepsuł.",
        "Mamy nowy dom.",  # mamy: 'we have', not 'mum's'
        "Lubię kawę.",
        "",
    ],
)
def test_non_human_and_no_person_unchanged(text: str) -> None:
    cf = engine().swap(text)
    assert cf.text == text and not cf.edits


def test_object_after_verb_does_not_block_implied_subject() -> None:
    assert swap("Kupił dom.") == "Kupiła dom."


# -- generic masculine policy -------------------------------------------------------------------
def test_feminatives_always_is_the_default() -> None:
    assert swap("On jest lekarzem.") == "Ona jest lekarką."
    assert swap("Ona jest lekarzem.") == "On jest lekarzem."  # the predicate follows its subject
    assert swap("Mój brat pracuje jako kelner.") == "Moja siostra pracuje jako kelnerka."


def test_feminatives_keep_generic() -> None:
    opts = {"feminatives": "keep-generic"}
    assert swap("On jest lekarzem.", **opts) == "Ona jest lekarzem."
    assert swap("Ona jest lekarką.", **opts) == "On jest lekarzem."
    assert swap("Mój brat pracuje jako kelner.", **opts) == "Moja siostra pracuje jako kelner."
    # a noun that is itself the only reference is still swapped
    assert swap("Lekarz przyszedł.", **opts) == "Lekarka przyszła."


def test_unknown_feminatives_policy() -> None:
    with pytest.raises(ConfigError, match="keep-generic"):
        CounterfactualEngine("pl", options={"feminatives": "sometimes"})


def test_title_keeps_masculine_occupation_for_women() -> None:
    assert swap("Pan prezes wyszedł.") == "Pani prezes wyszła."
    assert swap("Rozmawiam z panią doktor.") == "Rozmawiam z panem doktorem."


# -- unsafe marking -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Tęsknię za nią.", "ambiguous"),  # za + acc or inst
        ("Dał jej książkę.", "possessive"),  # dative or possessive jej
        ("Jest piękna, a wczoraj padał deszcz.", "no subject"),  # a person or a feminine thing?
    ],
)
def test_ambiguity_is_marked_unsafe(text: str, fragment: str) -> None:
    cf = engine().swap(text)
    assert not cf.safe
    assert any(fragment in reason for reason in cf.unsafe), cf.unsafe


def test_subjectless_adjective_follows_the_implied_person() -> None:
    assert swap("Jest szczęśliwa, bo wygrała.") == "Jest szczęśliwy, bo wygrał."


def test_unambiguous_swaps_are_safe() -> None:
    for text in ("On jest zmęczony.", "Widzę go.", "Kowalska przyszła."):
        assert engine().swap(text).safe, text


# -- public API, target groups ------------------------------------------------------------------
def test_public_api() -> None:
    assert biasaudit.swap("Ona poszła.", lang="pl").text == "On poszedł."
    variants = {cf.target: cf.text for cf in biasaudit.counterfactuals("On poszedł.", lang="pl")}
    assert variants == {"male": "On poszedł.", "female": "Ona poszła."}


def test_all_to_one_group_rewrites_agreement() -> None:
    (cf,) = engine().counterfactuals("On i jego siostra byli zmęczeni.", ["female"])
    assert cf.text == "Ona i jej siostra były zmęczone."
    assert not cf.safe  # merging two people is flagged by the engine


def test_case_is_kept() -> None:
    assert swap("ON BYŁ ZMĘCZONY.") == "ONA BYŁA ZMĘCZONA."
    assert swap("Brat przyszedł.") == "Siostra przyszła."


# -- lexicons -----------------------------------------------------------------------------------
def test_every_lexicon_lemma_is_known_to_sgjp() -> None:
    eng = engine()
    morph = eng.grammar.morph  # type: ignore[attr-defined]
    missing = []
    for entry in eng.lexicons.entries:
        if entry.pos not in ("noun", "name"):
            continue
        for group, code in (("male", "m1"), ("female", "f")):
            lemma = entry.output(group)
            assert lemma is not None
            if morph.inflect(lemma, "subst", "sg", "nom", code) is None:
                missing.append(f"{entry.id}: {lemma}")
    assert not missing, missing


def test_noun_lemmas_match_all_their_forms() -> None:
    eng = engine()
    assert {"lekarz", "lekarza", "lekarzowi", "lekarzem", "lekarzu", "lekarze", "lekarzy"} <= set(
        eng.grammar.spellings("lekarz")
    )


# -- the optional dependency -------------------------------------------------------------------
def test_missing_morfeusz_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "morfeusz2", None)  # import morfeusz2 -> ImportError
    with pytest.raises(MissingExtraError) as info:
        CounterfactualEngine("pl")
    assert info.value.package == "morfeusz2" and info.value.extra == "pl"
    assert "pip install 'biasaudit[pl]'" in str(info.value)
    assert "Polish counterfactuals" in str(info.value)


# -- found on natural text (EuroGEST Polish, news-style sentences) -------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Ojciec z synem poszli na ryby.", "Matka z córką poszły na ryby."),  # comitative
        ("Była to kobieta, jaką znałem.", "Był to mężczyzna, jakiego znałem."),  # jaki
        ("Widzę go zmęczonego.", "Widzę ją zmęczoną."),  # adjective after a pronoun
        ("Mąż pani Nowak jest lekarzem.", "Żona pana Nowaka jest lekarką."),  # genitive
        ("Szanowny Panie Dyrektorze, dziękuję.", "Szanowna Pani Dyrektor, dziękuję."),
        ("Ustawę, którą przyjął Sejm, podpisał prezydent.",
         "Ustawę, którą przyjął Sejm, podpisała prezydentka."),  # Sejm is the subject
        ("Zawsze słuchałem, co mówił nauczyciel.", "Zawsze słuchałem, co mówiła nauczycielka."),
        ("Jestem wytrwała i zdolna.", "Jestem wytrwała i zdolna."),  # the speaker
        ("Ojciec był autorytetem, a teraz jestem zagubiony.",
         "Matka była autorytetem, a teraz jestem zagubiony."),
        ("Ani przez chwilę nie wątpiłem.", "Ani przez chwilę nie wątpiłem."),  # not Ania
        ("Co mam zrobić?", "Co mam zrobić?"),  # mam: 'I have', not 'mums'
        ("Zdobyłam nagrodę Naukowca Roku.", "Zdobyłam nagrodę Naukowca Roku."),  # a name
        ("Jako lider odpowiadałem za zespół.", "Jako lider odpowiadałem za zespół."),
        ("Panie Janie, proszę usiąść.", "Pani Janino, proszę usiąść."),  # vocative
        ("Pani Ewa, nasza nauczycielka, wyszła.", "Pan Adam, nasz nauczyciel, wyszedł."),
        ("Panie i panowie, witam.", "Panowie i panie, witam."),
        ("Przyjaciele urządzili jej przyjęcie.", "Przyjaciółki urządziły mu przyjęcie."),
    ],
)
def test_natural_text_cases(source: str, expected: str) -> None:
    assert swap(source) == expected


def test_pronoun_that_may_refer_to_a_thing_is_unsafe() -> None:
    # no person of its gender around: the thing is its antecedent, the pronoun is kept
    cf = engine().swap("Przepis był trudny, ale spróbowałam go ugotować.")
    assert cf.text == "Przepis był trudny, ale spróbowałam go ugotować."
    assert any("Przepis" in reason for reason in cf.unsafe)
    # a man and a thing: the pronoun is swapped, and the variant marked unsafe
    cf = engine().swap("Brat przyniósł przepis, ale go nie widziałam.")
    assert cf.text == "Siostra przyniosła przepis, ale jej nie widziałam."
    assert any("przepis" in reason for reason in cf.unsafe)


# -- review fixes (case government, agreement, titles, numerals, idioms) -------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a possessive before the noun is transparent to the preposition's case
        ("Mówiła o jego bracie.", "Mówił o jej siostrze."),
        ("Wszyscy mówili o jej mężu.", "Wszyscy mówili o jego żonie."),
        ("Dowiedziałem się o jego żonie.", "Dowiedziałem się o jej mężu."),
        ("Myślę o jej synu.", "Myślę o jego córce."),
        # a genitive dependent of the noun a preposition governs
        ("Po śmierci ojca przejął firmę.", "Po śmierci matki przejęła firmę."),
        ("Po śmierci żony wyjechał.", "Po śmierci męża wyjechała."),
        ("Mieszkał w domu ojca.", "Mieszkała w domu matki."),
        # a subject after a coordinator controls its own verb (a is not the preposition)
        ("Padał deszcz, a ona spała.", "Padał deszcz, a on spał."),
        ("On czytał, a ona spała.", "Ona czytała, a on spał."),
        # z + instrumental after być is a companion, not a predicate noun
        ("Był tam z żoną.", "Była tam z mężem."),
        ("Jan był w kinie z siostrą.", "Janina była w kinie z bratem."),
        ("Ona jest teraz z mężem w domu.", "On jest teraz z żoną w domu."),
        # jej/jego before a noun that is also a verb form (brata 'fraternises')
        ("Nie znam jej brata.", "Nie znam jego siostry."),
        ("Jej brata nie było w domu.", "Jego siostry nie było w domu."),
        # a title before a surname keeps the masculine form; the surname swaps
        ("Profesor Zieliński wygłosił wykład.", "Profesor Zielińska wygłosiła wykład."),
        ("Profesor Zielińska wygłosiła wykład.", "Profesor Zieliński wygłosił wykład."),
        ("Minister Kowalski podpisał ustawę.", "Minister Kowalska podpisała ustawę."),
        ("Rozmawiałem z profesor Zielińską.", "Rozmawiałem z profesorem Zielińskim."),
        ("Pan profesor Zieliński przyszedł.", "Pani profesor Zielińska przyszła."),
        ("Córka Kowalskiego wygrała konkurs.", "Syn Kowalskiej wygrał konkurs."),
        # a trailing predicative adjective after a prepositional phrase, both directions
        ("Wrócił do domu zmęczony.", "Wróciła do domu zmęczona."),
        ("Wrócił do domu zmęczony i głodny.", "Wróciła do domu zmęczona i głodna."),
        # coordinated subjects and a predicative adjective after do siebie
        ("Ojciec i syn byli do siebie podobni.", "Matka i córka były do siebie podobne."),
        # adjectival nouns, and the same words as adjective or verb
        ("Zmarły był cenionym lekarzem.", "Zmarła była cenioną lekarką."),
        ("Zmarła była cenioną lekarką.", "Zmarły był cenionym lekarzem."),
        ("Babcia zmarła wczoraj.", "Dziadek zmarł wczoraj."),
        ("Jego zmarła żona była lekarką.", "Jej zmarły mąż był lekarzem."),
        # numerals take the target gender's form and government
        ("Mam dwie córki.", "Mam dwóch synów."),
        ("Mam dwóch synów.", "Mam dwie córki."),
        ("Ojciec miał trzy córki.", "Matka miała trzech synów."),
        ("Obie siostry były lekarkami.", "Obaj bracia byli lekarzami."),
        ("Dwaj bracia przyszli.", "Dwie siostry przyszły."),
        ("Mam pięć córek.", "Mam pięciu synów."),
        ("Rozmawiałem z dwiema siostrami.", "Rozmawiałem z dwoma braćmi."),
        ("Nie mam dwóch braci.", "Nie mam dwóch sióstr."),
        # a pronoun before an infinitive takes the infinitive's case
        ("Musiał jej pomóc.", "Musiała mu pomóc."),
        ("Kazał jej przyjść.", "Kazała mu przyjść."),
        # dziadkowie 'grandparents' is a couple
        ("Wnuczka odwiedza dziadków co niedzielę.", "Wnuk odwiedza dziadków co niedzielę."),
        # nationality nouns
        ("Ona jest Polką.", "On jest Polakiem."),
        ("Ona była Francuzką.", "On był Francuzem."),
        ("Jego przyjaciel był Niemcem.", "Jej przyjaciółka była Niemką."),
        ("Tańczyli polkę.", "Tańczyli polkę."),  # the dance
        # a letter's salutation is a vocative
        ("Szanowna Pani Dyrektor, piszę w sprawie urlopu.",
         "Szanowny Panie Dyrektorze, piszę w sprawie urlopu."),
        # street names in -ska and places named after a person are not people
        ("Mieszkam przy ulicy Marszałkowskiej.", "Mieszkam przy ulicy Marszałkowskiej."),
        ("Mieszkam na Marszałkowskiej.", "Mieszkam na Marszałkowskiej."),
        ("Sklep jest przy ulicy Puławskiej.", "Sklep jest przy ulicy Puławskiej."),
        ("Mieszkam na Mokotowskiej.", "Mieszkam na Mokotowskiej."),
        ("Mieszkał na ulicy Grochowskiej.", "Mieszkała na ulicy Grochowskiej."),
        ("Mieszkam przy ul. Marszałkowskiej.", "Mieszkam przy ul. Marszałkowskiej."),
        ("Spotkaliśmy się na placu Piłsudskiego.", "Spotkaliśmy się na placu Piłsudskiego."),
        ("Studiował na Uniwersytecie Adama Mickiewicza.",
         "Studiowała na Uniwersytecie Adama Mickiewicza."),
        ("Kowalska mieszka przy ulicy Puławskiej.", "Kowalski mieszka przy ulicy Puławskiej."),
        ("W szkole Anna dostała nagrodę.", "W szkole Piotr dostał nagrodę."),
        # SGJP's bookish ukończyć is an everyday past verb
        ("Urodził się w 1952 roku w Łodzi, gdzie ukończył studia prawnicze.",
         "Urodziła się w 1952 roku w Łodzi, gdzie ukończyła studia prawnicze."),
        ("Ukończył studia.", "Ukończyła studia."),
        ("Ukończyła szkołę.", "Ukończył szkołę."),
        ("Ukończyłaby studia.", "Ukończyłby studia."),
        ("Wyjechał i ukończył studia.", "Wyjechała i ukończyła studia."),
        # no dialectal forms (Każden)
        ("Każda nauczycielka była zadowolona.", "Każdy nauczyciel był zadowolony."),
        ("Każdy uczeń był zadowolony.", "Każda uczennica była zadowolona."),
        # a relative pronoun before a noun is its possessor (genitive)
        ("Znam lekarza, którego żona jest pianistką.", "Znam lekarkę, której mąż jest pianistą."),
        ("To chłopak, którego brat mieszka w Krakowie.",
         "To dziewczyna, której siostra mieszka w Krakowie."),
        ("Mężczyzna, którego córka zaginęła, zgłosił się na policję.",
         "Kobieta, której syn zaginął, zgłosiła się na policję."),
        # the noun phrase after a polite pan/pani subject is the verb's object
        ("Czy widziała pani mojego męża?", "Czy widział pan moją żonę?"),
        ("Czy widział pan mojego syna?", "Czy widziała pani moją córkę?"),
        ("Czy zna pani mojego męża?", "Czy zna pan moją żonę?"),
        # coordinated nouns share their case; adjectives after an oblique noun agree
        ("Jest córką słynnego pianisty i śpiewaczki operowej.",
         "Jest synem słynnej pianistki i śpiewaka operowego."),
        ("Jest synem aktora i tancerki.", "Jest córką aktorki i tancerza."),
        ("Jest córką nauczyciela i lekarki.", "Jest synem nauczycielki i lekarza."),
        ("Rozmawiałem z lekarką rodzinną.", "Rozmawiałem z lekarzem rodzinnym."),
        # a predicative adjective after za/na belongs to the object or the subject
        ("Uważam go za bardzo zdolnego.", "Uważam ją za bardzo zdolną."),
        ("Ona wygląda na szczęśliwą.", "On wygląda na szczęśliwego."),
        ("Wyglądał na zmęczonego.", "Wyglądała na zmęczoną."),
        ("Uważał ją za zdolną.", "Uważała go za zdolnego."),
        # God, Jesus, a book title, a pope: fixed names
        ("Niech Pan Bóg ci wynagrodzi.", "Niech Pan Bóg ci wynagrodzi."),
        ("Pan Jezus umarł na krzyżu.", "Pan Jezus umarł na krzyżu."),
        ("Wierzę w Pana Boga.", "Wierzę w Pana Boga."),
        ("Dziękuję Panu Bogu.", "Dziękuję Panu Bogu."),
        ("Pan Tadeusz to polska epopeja narodowa.", "Pan Tadeusz to polska epopeja narodowa."),
        ("Jan Paweł II odwiedził Polskę.", "Jan Paweł II odwiedził Polskę."),
        ("Król Kazimierz III Wielki założył akademię.",
         "Król Kazimierz III Wielki założył akademię."),
        # żonaty <-> zamężna
        ("Był dwukrotnie żonaty.", "Była dwukrotnie zamężna."),
        ("Była zamężna.", "Był żonaty."),
        ("Spotkałem żonatego mężczyznę.", "Spotkałem zamężną kobietę."),
        # a vocative before a polite 3rd-person verb
        ("Pani doktor, czy mogłaby pani mi pomóc?", "Panie doktorze, czy mógłby pan mi pomóc?"),
        ("Pani Nowak, czy mogłaby pani zaczekać?", "Panie Nowak, czy mógłby pan zaczekać?"),
        ("Pani Nowak, nasza sąsiadka, przyszła.", "Pan Nowak, nasz sąsiad, przyszedł."),
        # a pronoun coordinated inside a prepositional phrase
        ("Między mną a nią nic nie było.", "Między mną a nim nic nie było."),
        ("Między mną a nim nic nie było.", "Między mną a nią nic nie było."),
        ("Kupiłem prezent dla matki i niej.", "Kupiłem prezent dla ojca i niego."),
        # adjectival surnames with a hard stem after a first name or pan/pani
        ("Rozmawiałem z Tomaszem Wolnym.", "Rozmawiałem z Małgorzatą Wolną."),
        ("Pani Czarna zaprosiła nas.", "Pan Czarny zaprosił nas."),
        ("Wojciech Szczęsny obronił rzut karny.", "Dorota Szczęsna obroniła rzut karny."),
        ("Rozmawiałam z panem Szczęsnym.", "Rozmawiałam z panią Szczęsną."),
        ("Rozmawiałem z panią doktor Wolną.", "Rozmawiałem z panem doktorem Wolnym."),
        ("Rozmawiałem z panią doktor Zielińską.", "Rozmawiałem z panem doktorem Zielińskim."),
        # a noun and a name in apposition with a genitive between them: one subject
        ("Głos zabrała posłanka Lewicy Anna Nowicka.", "Głos zabrał poseł Lewicy Piotr Nowicki."),
        # an adjective that is also a plural past verb, after a copula
        ("Gdyby mój tata wiedział, byłby wściekły.", "Gdyby moja mama wiedziała, byłaby wściekła."),
    ],
)
def test_review_fixes(source: str, expected: str) -> None:
    cf = engine().swap(source)
    assert cf.text == expected
    assert cf.safe, cf.unsafe


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Anna powiedziała: „Poszłam do sklepu”.", "quoted speech"),  # no dialogue tag
        ("– Czy byłaś u lekarza? – zapytała matka córkę.", "quoted speech"),  # the addressee
        ("Chce wyjść za mąż za Piotra.", "za mąż"),  # an infinitive: whose gender?
        ("Ożeniłem się z Anną.", "marrying"),  # the speaker
        ("Lekarz przepisał jej leki.", "possessive"),  # przepisać governs the dative
        ("Jest szczęśliwa.", "no subject"),
        ("Dwóch braci pracuje w polu.", "numeral"),  # a present-tense verb would change too
        ("Zabrał do szkoły syna.", "genitive"),
        ("Jadę na Puławską.", "street or a person"),  # also *czekam na Kowalską*
        ("Był żonaty z aktorką.", "żonaty z"),
        ("Jest bardzo ambitna.", "no subject"),
        ("Jest bardzo ambitna i pracowita.", "no subject"),
    ],
)
def test_review_unsafe(text: str, fragment: str) -> None:
    cf = engine().swap(text)
    assert not cf.safe
    assert any(fragment in reason for reason in cf.unsafe), cf.unsafe


# -- third review round: general rules, each from a failure on the round's new sentences ----
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a noun before a relative clause it heads is the subject after it (not a person)
        ("Książka, którą czytałem, była nudna.", "Książka, którą czytałem, była nudna."),
        ("Samochód, który kupiłem, był drogi.", "Samochód, który kupiłem, był drogi."),
        # a title before a vocative-only name, or with no verb it could be the subject of
        ("Pani Ewo, dziękuję za wszystko.", "Panie Adamie, dziękuję za wszystko."),
        ("Pani doktor, kiedy będą wyniki?", "Panie doktorze, kiedy będą wyniki?"),
        # complex prepositions govern the genitive (w imieniu, w sprawie, na rzecz, ...)
        ("Nagrodę odebrał w imieniu ojca Jakub Wroński.",
         "Nagrodę odebrała w imieniu matki Joanna Wrońska."),
        ("Zebrał pieniądze na rzecz sąsiada.", "Zebrała pieniądze na rzecz sąsiadki."),
        # na + -ską after a verb that takes a person (czekać na, głosować na, patrzeć na)
        ("Czekaliśmy na Kowalską przed wejściem.", "Czekaliśmy na Kowalskiego przed wejściem."),
        ("Głosowałem na Zielińską w ostatnich wyborach.",
         "Głosowałem na Zielińskiego w ostatnich wyborach."),
        # a noun that is also an imperative, before its agreeing past verb
        ("Tłumacz pomylił się tylko raz.", "Tłumaczka pomyliła się tylko raz."),
        # an oblique noun in the verb's own clause is not the implied subject
        ("W 1985 roku poślubił aktorkę Annę Zawadzką.",
         "W 1985 roku poślubiła aktora Piotra Zawadzkiego."),
        ("Wczoraj wieczorem poszedł do kina ze swoją siostrą.",
         "Wczoraj wieczorem poszła do kina ze swoim bratem."),
        ("Po wojnie wyemigrowała do Kanady, gdzie została cenioną malarką.",
         "Po wojnie wyemigrował do Kanady, gdzie został cenionym malarzem."),
        # noun surnames standing alone: a man's declines, a woman's does not
        ("Nowak powiedział, że nie wystartuje.", "Nowak powiedziała, że nie wystartuje."),
        ("Kowalczyk strzeliła dwa gole.", "Kowalczyk strzelił dwa gole."),
        ("Z Nowakiem umówiłem się na piątek.", "Z Nowak umówiłem się na piątek."),
        ("Trener pochwalił Wróbla za ambicję.", "Trenerka pochwaliła Wróbel za ambicję."),
        ("Rozmawiałem wczoraj z Nowak.", "Rozmawiałem wczoraj z Nowakiem."),
        ("Dyrektor Nowak podpisała umowę.", "Dyrektor Nowak podpisał umowę."),
        ("Kot siedział na parapecie.", "Kot siedział na parapecie."),
        # (round 2 marked these unsafe: the noun surname was not swapped)
        ("Zadzwoń do Kowalczyka i powiedz mu, że przyjdę.",
         "Zadzwoń do Kowalczyk i powiedz jej, że przyjdę."),
        ("Minister Nowak powiedział, że nie poda się do dymisji.",
         "Minister Nowak powiedziała, że nie poda się do dymisji."),
        # a partitive pronoun agrees with its plural noun (każdy z braci)
        ("Każdy z braci dostał po sto złotych.", "Każda z sióstr dostała po sto złotych."),
        ("Jedna z sióstr została lekarką.", "Jeden z braci został lekarzem."),
        # numerals from five on: pięć ↔ pięciu with a genitive subject (the verb stays)
        ("Pięć kobiet czekało na autobus.", "Pięciu mężczyzn czekało na autobus."),
        # the office a candidate runs for is not a person (kandydat na prezydenta)
        ("Kandydatka na prezydenta przemawiała przez godzinę.",
         "Kandydat na prezydenta przemawiał przez godzinę."),
        # places that SGJP also knows as surnames are not noun surnames: a feminine one
        # declines (a woman's noun surname does not), and after a preposition it is a place
        ("Wtedy Wisła wylała.", "Wtedy Wisła wylała."),
        ("Wczoraj Warszawa przegrała z Krakowem.", "Wczoraj Warszawa przegrała z Krakowem."),
        ("Czy byłeś już kiedyś w Warszawie?", "Czy byłeś już kiedyś w Warszawie?"),
        ("Wczoraj Nowak przyszła do pracy.", "Wczoraj Nowak przyszedł do pracy."),
    ],
)
def test_round3_fixes(source: str, expected: str) -> None:
    cf = engine().swap(source)
    assert cf.text == expected
    assert cf.safe, cf.unsafe


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Zostanie zwolniony, jeśli się spóźni.", "no subject"),  # zostanie + participle
        ("Jadę na Puławską.", "street or a person"),  # a verb of motion: still a street?
    ],
)
def test_round3_unsafe(text: str, fragment: str) -> None:
    cf = engine().swap(text)
    assert not cf.safe
    assert any(fragment in reason for reason in cf.unsafe), cf.unsafe


# -- fourth review round: general rules, each from a failure on pl_heldout4.tsv --------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a noun after *jako* is a predicate, never the subject that blocks an implied one
        ("Przyjechał do Warszawy z niczym, a wyjechał jako milioner.",
         "Przyjechała do Warszawy z niczym, a wyjechała jako milionerka."),
        # a sentence-initial noun surname: an animal reading blocks only a verb it agrees
        # with (*Wójcik* is also a bird), and an oblique form is the common noun's
        ("Wójcik powiedziała, że się spóźni.", "Wójcik powiedział, że się spóźni."),
        ("Kot siedział na parapecie.", "Kot siedział na parapecie."),
        ("Chwilę próbował utrzymać równowagę.", "Chwilę próbowała utrzymać równowagę."),
        ("Głos zabrała posłanka Lewicy.", "Głos zabrał poseł Lewicy."),
        # an adjective after an oblique swapped noun, also when SGJP has it as a noun too
        ("Rozmawiałem z lekarką dyżurną.", "Rozmawiałem z lekarzem dyżurnym."),
        # polite *Pana*/*Pani* before a noun it does not agree with: 'your', a genitive
        ("Szanowny Panie, w odpowiedzi na Pana pismo informuję, że sprawa jest w toku.",
         "Szanowna Pani, w odpowiedzi na Pani pismo informuję, że sprawa jest w toku."),
        ("Pani syn jest bardzo zdolny.", "Pana córka jest bardzo zdolna."),
        # a letter's salutation with a capitalised person noun in the vocative
        ("Droga Koleżanko, przesyłam notatki z zebrania.",
         "Drogi Kolego, przesyłam notatki z zebrania."),
        ("Kochana Mamo, tęsknię.", "Kochany Tato, tęsknię."),
        # correlative coordination across a comma (*ani …, ani …*, *zarówno …, jak i …*)
        ("Ani on, ani jego brat nie przyszli.", "Ani ona, ani jej siostra nie przyszły."),
        ("Zarówno ojciec, jak i syn byli zadowoleni.",
         "Zarówno matka, jak i córka były zadowolone."),
        # a masculine-personal numeral subject with a neuter past verb
        ("Dwóch braci przyszło na pogrzeb.", "Dwie siostry przyszły na pogrzeb."),
        ("Pięciu braci przyszło.", "Pięć sióstr przyszło."),
        ("Dwóch braci było zmęczonych.", "Dwie siostry były zmęczone."),
        # a clause-initial noun that is also an adjective is the subject (*droga*/*drogi*)
        ("Droga do szkoły była zasypana śniegiem.", "Droga do szkoły była zasypana śniegiem."),
        ("Sam to zrobił.", "Sama to zrobiła."),
        # a regnal name is no noun surname either
        ("Papież Jan Paweł II odwiedził Polskę w 1979 roku.",
         "Papież Jan Paweł II odwiedził Polskę w 1979 roku."),
        # a nationality noun that is also a country's genitive, after a noun or preposition
        ("Prezydent spotkał się wczoraj z ambasadorką Niemiec.",
         "Prezydentka spotkała się wczoraj z ambasadorem Niemiec."),
        ("To był Niemiec.", "To była Niemka."),
        # a noun surname's gender shows in a predicative adjective; *Doktor* is a title
        ("Doktor Nowak jest bardzo cierpliwa i dokładna.",
         "Doktor Nowak jest bardzo cierpliwy i dokładny."),
        # a name after a verb and an adverb is its object
        ("Widziałem wczoraj Stanisława w kościele.", "Widziałem wczoraj Stanisławę w kościele."),
        # a dialogue tag names the speaker: the quote's first-person forms are theirs
        ("– Jestem głodny – powiedział chłopiec.", "– Jestem głodna – powiedziała dziewczynka."),
        ("„Jestem zmęczona” – westchnęła.", "„Jestem zmęczony” – westchnął."),
        ("– Poszedłem tam sam – odpowiedział brat – i nic nie znalazłem.",
         "– Poszłam tam sama – odpowiedziała siostra – i nic nie znalazłam."),
        ("- Pracowałam na chirurgii - mówi Anna.", "- Pracowałem na chirurgii - mówi Piotr."),
        # marrying: the idiom and its complement are rewritten as a whole
        ("Jej syn ożenił się w zeszłym roku.", "Jego córka wyszła za mąż w zeszłym roku."),
        ("Jej córka wyszła za mąż za Francuza.", "Jego syn ożenił się z Francuzką."),
        ("Mój syn ożenił się z Niemką.", "Moja córka wyszła za mąż za Niemca."),
        ("Jej syn się w końcu ożenił.", "Jego córka w końcu wyszła za mąż."),
        ("Brat żeni się w sobotę z Anną.", "Siostra wychodzi za mąż w sobotę za Piotra."),
        # an epicene noun: one nominative, the gender in agreement or the case form
        ("Sędzia ogłosiła przerwę.", "Sędzia ogłosił przerwę."),
        ("Oskarżony przeprosił sędziego.", "Oskarżona przeprosiła sędzię."),
        ("Sędzia Nowak była surowa.", "Sędzia Nowak był surowy."),
        # a verb after a clause whose subject is a thing it cannot agree with: a person
        ("Zupa była za słona, więc ją wylał.", "Zupa była za słona, więc ją wylała."),
    ],
)
def test_round4_fixes(source: str, expected: str) -> None:
    assert engine().swap(source).text == expected


@pytest.mark.parametrize(
    "source",
    [
        "Przyjechał do Warszawy z niczym, a wyjechał jako milioner.",
        "Wójcik powiedziała, że się spóźni.",
        "Ani on, ani jego brat nie przyszli.",
        "Dwóch braci przyszło na pogrzeb.",
        "Papież Jan Paweł II odwiedził Polskę w 1979 roku.",
        "– Jestem głodny – powiedział chłopiec.",
        "Jej córka wyszła za mąż za Francuza.",
        "Sędzia ogłosiła przerwę.",
    ],
)
def test_round4_fixes_are_safe(source: str) -> None:
    cf = engine().swap(source)
    assert cf.safe, cf.unsafe


# The genuinely ambiguous rows of pl_heldout4.tsv: whatever the text, the variant is unsafe.
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Dał jej książkę na imieniny.", "possessive"),  # 'to her' or 'her book'
        ("Zazdrościł jej sukcesu.", "possessive"),
        ("Odebrał z przedszkola syna.", "genitive"),  # the son, or the son's kindergarten
        ("Samochód był stary, ale dobrze mu służył.", "may refer to"),
        ("Kupiłem nową lodówkę, ale ona strasznie hałasuje.", "taken to refer to 'lodówkę'"),
        ("Zupa była za słona, więc ją wylał.", "taken to refer to 'Zupa'"),
        ("Jest bardzo dumna ze swoich dzieci.", "no subject"),
        ("Mieszka sam od śmierci żony.", "no subject"),
        ("– Gdzie byłeś? – zapytała żona.", "quoted speech"),  # the addressee's form
        ("Rozmawiałem z sędzią na korytarzu, a potem poszedłem do domu.", "ambiguous"),
    ],
)
def test_round4_unsafe(text: str, fragment: str) -> None:
    cf = engine().swap(text)
    assert not cf.safe
    assert any(fragment in reason for reason in cf.unsafe), cf.unsafe


# -- review round 5 (pl_heldout5.tsv): each fails without its rule ----------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # new lexicon pairs: sport, law, media, roles (adjectival nouns too)
        ("Bramkarz popełnił błąd.", "Bramkarka popełniła błąd."),
        ("Mistrzyni olimpijska zakończyła karierę.", "Mistrz olimpijski zakończył karierę."),
        ("Sąd oddalił pozew pozwanej.", "Sąd oddalił pozew pozwanego."),
        # an adjective that is also the genitive of a noun, after a verb that governs the
        # genitive, is its object (*kary*: *kara*, not *kary* 'black')
        ("Dyrektor zażądał od niej kary umownej.", "Dyrektorka zażądała od niego kary umownej."),
        # a subjectless predicate follows the one swapped subject of an earlier clause
        ("Moim wzorem jest dziadek, bo zawsze jest uczciwy.",
         "Moim wzorem jest babcia, bo zawsze jest uczciwa."),
        ("Zaginął nasz dziadek, ostatnio widziany na dworcu.",
         "Zaginęła nasza babcia, ostatnio widziana na dworcu."),
        ("Pacjent przytomny, spokojny, bez gorączki.",
         "Pacjentka przytomna, spokojna, bez gorączki."),
        # *taki* before a predicative adjective modifies nothing: it agrees too
        ("Był taki szczęśliwy.", "Była taka szczęśliwa."),
        # *rozmawiać* takes no object: a gen/acc noun after a phrase is that phrase's genitive
        ("Z bratem nie rozmawia od śmierci ojca.", "Z siostrą nie rozmawia od śmierci matki."),
        # a coordinated clause with a noun subject of its own keeps its verb
        ("Lekarka popełniła błąd i książka spadła na podłogę.",
         "Lekarz popełnił błąd i książka spadła na podłogę."),
        # a first name in an oblique case before a town in the nominative names a club
        ("Kibicuję Lechowi Poznań.", "Kibicuję Lechowi Poznań."),
        ("Rozmawiałem z Lechem Wałęsą.", "Rozmawiałem z Urszulą Wałęsą."),
    ],
)
def test_round5_fixes(source: str, expected: str) -> None:
    assert engine().swap(source).text == expected


def test_round5_fixed_names_are_kept_safely() -> None:
    # *Matka Boska* (the Virgin Mary) is a lexicon exclusion in every case
    cf = engine().swap("Modlił się do Matki Boskiej.")
    assert cf.text == "Modliła się do Matki Boskiej." and cf.safe, cf.unsafe


# The genuinely ambiguous rows of pl_heldout5.tsv: whatever the text, the variant is unsafe.
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Kupił jej nowy telefon.", "possessive"),  # 'bought her a phone' or 'her phone'
        ("Podała jej rękę na powitanie.", "possessive"),
        ("Jest zadowolony z wyników.", "no subject"),
        ("Rozmawiałam z sędzią o jego decyzji.", "ambiguous"),
    ],
)
def test_round5_unsafe(text: str, fragment: str) -> None:
    cf = engine().swap(text)
    assert not cf.safe
    assert any(fragment in reason for reason in cf.unsafe), cf.unsafe
