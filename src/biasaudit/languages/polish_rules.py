"""Word lists and small tables for the Polish grammar (biasaudit.languages.polish).

These are the only hand-made rules: which verbs govern the dative or the genitive (to tell
*jej* 'to her' from *jej* 'of her', *lekarza* genitive from accusative), which verbs take an
instrumental object, which are intransitive (so a noun after them is their subject), and the
adjectival declension of gendered surnames, which SGJP lists for only some names.
Verb lists hold lemmas (perfective and imperfective) and are deliberately short: a verb that
is missing falls back to the accusative / default order and may be marked unsafe.
The word lists of the identity axes (nationality, religion, age, disability, orientation)
are with their checks in :mod:`biasaudit.languages.polish_identity`.
"""

from __future__ import annotations

import re

VERB_POS = ("fin", "praet", "impt", "inf", "bedzie", "winien", "imps", "pcon", "pant")
CASE_ORDER = ["nom", "acc", "gen", "dat", "inst", "loc", "voc", "poss"]
CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")"})
SUBORDINATORS = frozenset("""
że żeby aby bo gdy gdyby kiedy jeśli jeżeli ponieważ chociaż choć
""".split())
COORDINATORS = frozenset("i a ale lecz oraz albo lub więc zaś ani".split())
COPULAS = frozenset("być zostać zostawać pozostać pozostawać".split())
STRESS_WORDS = frozenset("tylko nawet też także również właśnie zwłaszcza".split())

# Adjective-like words that stand for a noun as subject (*Każdy był zadowolony*): a past
# verb with one of these as subject is not about an implied person.
PRONOMINAL_SUBJECTS = frozenset("""
każdy żaden ten tamten ów wszystek wszyscy jeden niejeden inny który jaki czyj pewien
""".split())

# Pronoun-like nouns that never take an adnominal genitive (*ktoś go woła*).
PRONOMINAL_NOUNS = frozenset("kto ktoś nikt co coś nic to wszystko ktokolwiek cokolwiek".split())

# Quantity words that take a genitive plural and do not change with gender (*więcej
# przyjaciół* → *więcej przyjaciółek*); gendered numerals (*pięciu*/*pięć*) are flagged.
QUANTIFIERS = frozenset("""
więcej mniej dużo mało sporo trochę większość mniejszość część grupa grupę grupy grupą
""".split())

# Verbs whose (pro)noun object is in the dative: dać komuś, pomóc komuś, ufać komuś.
DAT_VERBS = frozenset("""
dać dawać powiedzieć mówić pomóc pomagać dziękować podziękować ufać zaufać wierzyć uwierzyć
podobać spodobać przyglądać przyjrzeć zazdrościć kupić kupować pokazać pokazywać wysłać wysyłać
przynieść przynosić odpowiedzieć odpowiadać obiecać obiecywać zaproponować proponować przekazać
przekazywać wręczyć wręczać pożyczyć pożyczać wybaczyć wybaczać towarzyszyć przeszkadzać
przeszkodzić grozić zagrozić służyć współczuć kibicować gratulować pogratulować doradzić doradzać
radzić poradzić zapłacić płacić oddać oddawać przedstawić przedstawiać ukraść zabrać zabierać
należeć smakować przypominać przypomnieć wyjaśnić wyjaśniać tłumaczyć wytłumaczyć opowiedzieć
opowiadać napisać pisać podać podawać dostarczyć zostawić zostawiać zabronić zabraniać pozwolić
pozwalać kazać polecić zlecić rozkazać nakazać poświęcić ustąpić przyznać odmówić odmawiać
podarować sprzedać sprzedawać wydawać wydać zdawać udać udawać przydać przydarzyć zdarzyć posłać
przesłać ugotować upiec przeczytać czytać zaśpiewać śpiewać kłaniać ukłonić dedykować
zadedykować ofiarować przerwać przerywać sprzyjać szkodzić zaszkodzić uśmiechać uśmiechnąć
zawdzięczać życzyć przebaczyć zrobić robić przygotować przygotowywać przyznawać wtórować
podlegać ulec ulegać urządzić urządzać wyprawić wyprawiać zorganizować organizować
przepisać przepisywać zalecić zalecać
""".split())

# Verbs whose object is in the genitive even without negation: szukać kogoś, bać się kogoś.
GEN_VERBS = frozenset("""
szukać poszukać poszukiwać bać obawiać przestraszyć wystraszyć słuchać posłuchać wysłuchać
potrzebować używać użyć unikać uniknąć pilnować dopilnować bronić obronić oczekiwać żądać
zażądać wymagać pragnąć dotyczyć dotknąć wstydzić nienawidzić strzec spodziewać pozbyć
doczekać nadużyć
""".split())

# Verbs with an instrumental object: opiekować się kimś, interesować się kimś.
INS_VERBS = frozenset("""
interesować zainteresować zajmować zająć opiekować zaopiekować kierować rządzić zachwycać
zachwycić martwić przejmować przejąć gardzić pogardzać dzielić chwalić szczycić cieszyć
zastąpić zastępować stać
""".split())

# Verbs that take no direct object: a nominative/accusative noun after them is the subject
# (*Wczoraj padał deszcz*), not an object (*Kupił dom*).
INTRANSITIVE = frozenset("""
być padać spaść wiać zawiać grzmieć świecić trwać panować wybuchnąć wybuchać minąć mijać upłynąć
powstać nastąpić nadejść przyjść przyjechać odjechać przejść zniknąć pojawić zdarzyć odbyć
stać leżeć wisieć rosnąć upaść zginąć zaginąć wypaść istnieć zabraknąć brakować dojść dotrzeć
płynąć przypłynąć przylecieć odlecieć zadzwonić dzwonić zgasnąć zapaść zapadać
""".split())

# Adjectives with a different word for the other gender (*żonaty* 'married (of a man)' ↔
# *zamężna*): lemma -> the other gender's lemma.
ADJ_COUNTERPARTS = {"żonaty": "zamężny", "zamężny": "żonaty"}

# Verbs with a predicative za/na + adjective (accusative): *uważam go za zdolnego*
# (the object's), *wygląda na szczęśliwą* (the subject's).
ZA_NA_VERBS = frozenset("""
uważać uznać uznawać wyglądać uchodzić mieć brać wziąć podawać podać wychodzić wyjść
""".split())

# Verbs with no direct object after which a noun phrase may still be a subject or an adverbial
# (*pracował cały dzień*): used only to read a gen/acc noun after a prepositional phrase as
# an adnominal genitive (*mieszkał w domu ojca*), not the verb's object.
NO_OBJECT = INTRANSITIVE | frozenset("""
mieszkać zamieszkać pracować żyć spać siedzieć umrzeć zmarć wrócić wracać iść pójść chodzić
jechać pojechać jeździć bywać przebywać zostać pozostać rozmawiać porozmawiać milczeć
plotkować dyskutować
""".split())

# Nouns a street or an institution named after a person follows (*ulica Marszałkowska*,
# *plac Piłsudskiego*, *Uniwersytet Adama Mickiewicza*): a name or -ski word after them is
# part of a proper name, not a person; also their abbreviations (*ul.*, *al.*, *im.*).
# Street nouns count in lower case too (*na ulicy Puławskiej*); the others only capitalised,
# as in an institution's name (*Uniwersytet*, not *w szkole Anna*), and with a genitive.
STREETS = frozenset("ulica aleja plac rondo osiedle skwer most bulwar wybrzeże".split())
NAMED_AFTER = STREETS | frozenset("""
uniwersytet szkoła akademia politechnika instytut fundacja liceum gimnazjum muzeum szpital
stadion teatr lotnisko nagroda pomnik centrum biblioteka kopiec park pasaż imię
""".split())
NAMED_AFTER_ABBREVIATIONS = frozenset("ul al pl os im".split())
# Prepositions before a bare street name (*mieszkam na Marszałkowskiej*, *przy Puławskiej*):
# a feminine -ska form after them with no first name or title is read as the street.
STREET_PREPOSITIONS = frozenset({"na", "przy"})

# Adjectival surnames: Kowalski/Kowalska, Nowicki/Nowicka, Zawadzki/Zawadzka.
SURNAME_RE = re.compile(
    r"^(?P<stem>[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]*(?:s|c|dz)k)(?P<end>iego|iemu|iej|im|i|a|ą)$"
)
_SURNAME_ENDINGS = {
    "male": {"nom": "i", "gen": "iego", "acc": "iego", "dat": "iemu", "inst": "im",
             "loc": "im", "voc": "i"},
    "female": {"nom": "a", "gen": "iej", "acc": "ą", "dat": "iej", "inst": "ą",
               "loc": "iej", "voc": "a"},
}


def _cases_of(endings: dict[str, dict[str, str]]) -> dict[str, tuple[str, ...]]:
    """The cases each ending can mark: the endings table read backwards."""
    cases: dict[str, tuple[str, ...]] = {}
    for by_case in endings.values():
        for case, ending in by_case.items():
            cases[ending] = (*cases.get(ending, ()), case)
    return cases


SURNAME_CASES = _cases_of(_SURNAME_ENDINGS)


# Other adjectival surnames (hard stems: Wolny/Wolna, Czarny/Czarna, Szczęsny/Szczęsna),
# recognised only after a first name or pan/pani and when the word is also an adjective.
ADJ_SURNAME_RE = re.compile(
    r"^(?P<stem>[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]*[bcdfhłmnprstwz])"
    r"(?P<end>ego|emu|ej|ym|y|a|ą)$"
)
_ADJ_SURNAME_ENDINGS = {
    "male": {"nom": "y", "gen": "ego", "acc": "ego", "dat": "emu", "inst": "ym",
             "loc": "ym", "voc": "y"},
    "female": _SURNAME_ENDINGS["female"] | {"gen": "ej", "dat": "ej", "loc": "ej"},
}
ADJ_SURNAME_CASES = _cases_of(_ADJ_SURNAME_ENDINGS)


def surname_form(word: str, group: str, case: str) -> str | None:
    """``word`` (an adjectival surname in any case) in ``group``'s form for ``case``."""
    m = SURNAME_RE.match(word)
    table = _SURNAME_ENDINGS
    if m is None:
        m = ADJ_SURNAME_RE.match(word)
        table = _ADJ_SURNAME_ENDINGS
    if m is None:
        return None
    ending = table[group].get(case)
    return m.group("stem") + ending if ending is not None else None


# Complex prepositions: a preposition and a noun that together govern the genitive
# (*w imieniu ojca*, *na rzecz sąsiada*). A gen/acc noun right after one is its genitive,
# never the clause verb's object.
COMPLEX_PREPOSITIONS = frozenset({
    ("w", "imieniu"), ("w", "sprawie"), ("na", "rzecz"), ("z", "powodu"), ("ze", "strony"),
    ("w", "obecności"), ("w", "towarzystwie"), ("na", "cześć"), ("w", "stronę"),
    ("na", "czele"), ("na", "prośbę"), ("na", "polecenie"), ("za", "pośrednictwem"),
    ("z", "udziałem"), ("w", "wyniku"), ("na", "temat"), ("z", "ramienia"), ("w", "ramach"),
    ("na", "miejsce"), ("w", "miejsce"), ("na", "wniosek"), ("na", "zlecenie"),
    ("w", "obronie"), ("pod", "adresem"), ("pod", "nieobecność"), ("za", "zgodą"),
    ("bez", "wiedzy"), ("z", "inicjatywy"), ("na", "korzyść"), ("ze", "względu"),
})

# Verbs whose *na* + accusative object is a person (*czekać na kogoś*, *głosować na*):
# a bare -ską after *na* in their clause is a woman, not a street (*jadę na Puławską*).
NA_PERSON_VERBS = frozenset("""
czekać poczekać zaczekać oczekiwać patrzeć patrzyć popatrzeć spojrzeć spoglądać zerkać
zerknąć gapić głosować zagłosować liczyć krzyczeć nakrzyczeć narzekać ponarzekać wpaść
natknąć natrafić trafić stawiać postawić wskazać wskazywać polować zapolować skarżyć
poskarżyć donieść donosić obrazić obrażać gniewać rozgniewać złościć wściekać
""".split())

# Adjective-like pronouns and numerals that head a partitive *z* + genitive plural and take
# its gender (*każdy z braci* ↔ *każda z sióstr*, *jedna z nich*).
PARTITIVE_HEADS = frozenset("każdy żaden jeden który niejeden ostatni pierwszy".split())

# Person nouns with one nominative for both genders that SGJP lists as two lemmas, a man's
# declining as a masculine (*sędziego*, *sędziemu*) and a woman's as a feminine (*sędzi*,
# *sędzię*): the gender shows in the case form or in agreement (*Sędzia ogłosiła*). The
# lexicon linter forbids one form in two groups, so they are listed here, not in a lexicon.
EPICENE_NOUNS = frozenset({"sędzia"})
