"""Norwegian (Bokmål ``nb`` and Nynorsk ``nn``): subject or object *han*, feminine noun
forms, and the articles, adjectives and possessives that agree with a noun.

* **han** is a subject (→ *hun* / *ho*) or, in Nynorsk and in today's Bokmål, an object
  (→ *henne*). The reading comes from the words around it: after a preposition it is an
  object; after a copula, a conjunction, a question word, a modal, at the start of a
  sentence or before a finite verb it is a subject; after a verb whose subject pronoun
  stands just before, an object; a clause-initial *han* before a finite verb and a subject
  pronoun is a fronted object (*Han kan du stole på*). Bokmål writes *ham* for *henne*
  (option ``male_object="han"`` writes *han*).
* **Compounds.** A kinship or person noun after a listed prefix is swapped with the prefix
  kept (*tobarnsfar* ↔ *tobarnsmor*, *storebroren* ↔ *storesøsteren*).
* **Feminine nouns.** Nynorsk feminines take *ei*, *lita*, *anna*, *mi*, *si*, *inga* ...
  (*ein liten gut* ↔ *ei lita jente*, *guten min* ↔ *jenta mi*, *far min* ↔ *mor mi*,
  *jenta er lita* ↔ *guten er liten*); the grammar rewrites the determiner, adjective or
  possessive next to a swapped noun and a predicative *liten*/*lita* after its copula.
  Bokmål may treat feminines as
  common gender: option ``feminine`` = ``"mixed"`` (default: each noun's most usual
  definite form, *jenta* but *moren*; article *en*; *mi* after an *-a* form), ``"a"``
  (*ei jente*, *jenta mi*, *mora*) or ``"en"`` (*en jente*, *jenten min*, *moren*).
* **Genitive.** Nouns are also matched with the genitive -s, which is kept (*mannens* ↔
  *kvinnens*, *brors* ↔ *søsters*).
* **Husband and wife.** *mann* means man or husband: with a possessive or a genitive
  (*mannen min*, *hennes mann*, *kvinnens mann*) it becomes *kona*; *kona* becomes *mannen*
  there and *ektemannen* elsewhere.
* **One-way nouns.** *venninne* and the *-inne* nouns (*skuespillerinne*, Nynorsk
  *lærarinne*) become the noun used of anyone (*venn*, *skuespiller*, *lærar*), and
  colloquial *gutta* becomes *jentene*; none of these is written back.
* **A name after a title or person noun** that is not swapped (*dronning Sonja*, *tante
  Gerd*) makes the swap unsafe (:func:`.names.mark_titles_before_names`).
* **False hits.** The matcher never looks inside a word (*hunden*, *mannskapet*, *Hanna*);
  a capitalised term inside a sentence is a name (*Hans*), *Herren* is the Lord, a
  sentence-initial *Hans* is *his* before a noun phrase (*Hans søster*, *Hans første bok*)
  and the name before a verb, a capital, *og* or punctuation (*Hans kom*, *Hans og
  Grete*), and a sentence-initial pronoun before a capital is a name (*Han Kang*).
* **Identity axes** (nationality, religion, age, disability, orientation): the adjective's
  form follows its determiner or subject (*et eldre par* → *et ungt par*), *kristen* is
  the adjective before a noun and the noun alone (*Han er kristen* → *Han er jøde*), and
  other senses are left alone: languages (*snakker fransk*, *på norsk*), cuisines and
  products (*kinesisk mat*), names (*Norsk Hydro*), *gammel*/*eldre* said of things (*et
  gammelt hus*), *en unge*. On the names axis a name after a title of the other gender is
  unsafe (*Kong Harald* → *Kong Ragnhild*), and names take the genitive -s (*Oles*). See
  docs/languages/norwegian.md, "Identity axes".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..engine.casing import transfer_case
from ..engine.grammar import Decision, Grammar, Rewrite, SwapPlan, at_sentence_start
from ..engine.types import Candidate, Edit, Match
from ..lexicons.model import Entry
from ..lexicons.registry import LexiconSet, load_lexicons
from .names import Word, add_names, mark_titles_before_names, names_swapper

_PREV = re.compile(r"(\w+)[ \t]*$")
_NEXT = re.compile(r"[ \t]*(\w+)")
_TWO_WORDS = re.compile(r"[ \t]+(\w+)[ \t]+(\w+)")
PREPOSITIONS = frozenset(
    """
til med for på av om hos hjå fra frå mot etter uten utan ved over under mellom rundt bak
foran framfor bortenfor blant enn gjennom langs forbi innen innan inntil mellom nær utenfor
utanfor ovenfor nedenfor omkring hjem heim
""".split()
)
COPULAS = frozenset("er var være vere bli blir ble vart vorte blitt".split())
CONJUNCTIONS = frozenset(
    """
at som og men eller fordi når da då hvis viss dersom mens medan enda sjøl selv skjønt
siden sidan
""".split()
)
# (siden/sidan is a preposition only before a time: siden jul; before a person, a
# conjunction: siden han flyttet.) Words that are a preposition or a subordinating
# conjunction: before a finite verb they open a clause whose subject han is (om han kommer,
# før han gikk, til han kommer, for han var syk); otherwise han is their object (om han,
# før han).
SUBORDINATORS = frozenset("om før etter til inntil innen innan for".split())
# Sentence adverbs that may stand between a bridge verb and the subject of its clause
# (jeg tror ikke han vet; eg trur nok han kjem)
SENTENCE_ADVERBS = frozenset(
    """
ikke ikkje nok jo vel også òg bare berre alltid aldri sikkert kanskje egentlig eigentleg
faktisk heller
""".split()
)
# Modal verbs: the han right after one is its subject (Det kan han; Jeg vil han skal
# komme), unless a subject pronoun stands before the modal and no finite verb follows han
# (Jeg kan han utenat: kan is the main verb, han its object).
MODALS = frozenset("kan kunne vil ville skal skulle må måtte bør burde".split())
# Pronominal topics: after one of them and a bridge verb, har/hadde or a verb whose subject
# is the one who likes or remembers, han is the subject (Det sier han; Det har han gjort;
# Det liker han ikke), not the object of a subject "Det" (compare Kari ringte han; Det
# overrasket han).
TOPIC_PRONOUNS = frozenset("det dette slikt sånt slik sånn noe noko alt ingenting".split())
TOPIC_VERBS = frozenset(
    """
har hadde liker likar likte elsker elskar elsket elska hater hatar hatet hata husker
hugsar husket hugsa
""".split()
)
# Subject forms that are not also object forms: after a sentence-initial han and a finite
# verb, one of them is the subject, so the fronted han is the object (Han kan du stole på;
# Han har jeg kjent lenge); dere, de and dei are object forms too and are left out.
SUBJECT_ONLY = frozenset("jeg eg du vi me man".split())
# Question words: one right before han opens a clause whose subject han is (hun visste
# ikke hva han mente; eg veit ikkje kvar han bur). After the verb of a main-clause question
# (Hvem så han?) the word before han is the verb, not the question word.
QUESTION_WORDS = frozenset(
    """
hva hvem hvor hvorfor hvordan hvilken hvilket hvilke kva kven kvar kvifor korleis
""".split()
)
SUBJECTS = frozenset("jeg eg du vi me dere de dei hun ho han hen man ein".split())
FINITE = frozenset(
    """
er var har hadde kan kunne vil ville skal skulle må måtte får fekk fikk blir ble vart gikk
gjekk kom sa sto stod satt sat løp sprang så fant fann tok ga gav fløy lo drakk åt spiste
vet veit tror trur liker likar heter heiter bor bur
går gjør gjer ser står får sier seier kjem tek tar søv sov ligg ligger sit sitter vert
bør gir gjev dør døyr ler drar dreg fer slår ror syr
""".split()
)
# Verbs that take a that-clause without "at" (hun tror han kommer): a han after one of
# them, before a finite verb, is the subject of that clause.
BRIDGE_VERBS = frozenset(
    """
tror trur trodde trudde tenker tenkjer tenkte vet veit visste sier seier sa mener meiner
meinte syns synes synest håper håpar håpet håpa vonar vona hører høyrer hørte høyrde
regner reknar antar trodde føler kjenner skjønner skjønar forstår merker merkar ser
""".split()
)
# Words that can open a main clause without being its subject (the subject then follows
# the verb: "I dag kommer han", "Hvorfor kom han?"), and the correlatives that open a
# coordinated subject (Både han og broren hans ...; Enten han eller jeg ...): after none of
# them is a sentence-initial word an imperative verb with han as its object.
FRONTED = (
    frozenset(
        """
derfor nå no så da der her også plutselig heldigvis kanskje likevel seinere senere
etterpå først deretter sist snart ofte aldri alltid igjen straks dermed dessuten ellers
hvorfor hvordan hvor når hva hvem hvilken hvilke kvifor korleis kvar kva kven kvifor
i dag i går ikke ikkje både enten anten verken hverken då
""".split()
    )
    | PREPOSITIONS
)
# Weak (definite) adjectives, the form after a possessive (min eldste datter, si første
# kone); the same for every gender. None of them is a verb form.
WEAK_ADJECTIVES = frozenset(
    """
første andre tredje fjerde femte siste eldste yngste beste største minste nyeste eneste
einaste kjære gamle nye unge lille vesle store snille flinke tidligere tidlegare
nåværende noverande forrige førre avdøde
""".split()
)
POSSESSIVES = frozenset(
    """
min mi mitt din di ditt sin si sitt vår deres dykkar deira hans hennes hennar hens
""".split()
)
ADJECTIVES = (
    frozenset(
        """
liten lita annen annan anna eigen eiga egen ung gammel gamal snill flink stor god ny
hyggelig hyggeleg kjekk vakker pen søt sterk klok rik fattig glad trist eldre yngre
lang høy høg kort tjukk tynn modig stolt ærlig ærleg
veldig svært ganske så litt helt heilt
""".split()
    )
    | WEAK_ADJECTIVES
)

# Adjective endings: a word with one of them may stand between a determiner and its noun
# (ein raudhåra gut, ei dyktig jente, en norsk gutt) although it is not listed above; a
# noun between a determiner and a person noun is rare, compounds being written as one word.
ADJECTIVE_ENDINGS = ("ig", "lig", "leg", "sk", "ande", "ende", "håra", "håret", "aktig")
# Plural nouns in -er/-ar (which look like present-tense verbs) often after a
# sentence-initial possessive Hans: Hans kolleger jobber hardt, Hans naboer klaget
PLURAL_NOUNS = frozenset(
    """
kolleger kollegaer naboer naboar elever elevar fiender fiendar kunder kundar pasienter
pasientar ideer idear bøker penger pengar føtter føter tenner
""".split()
)
# Compounds of a kinship or person noun: the prefix is kept and the head is swapped
# (tobarnsfar ↔ tobarnsmor, storebror ↔ storesøster, stesønn ↔ stedatter, nabogutten ↔
# nabojenta), keyed by the lexicon entry the head belongs to. A compound the lexicon lists
# itself (stefar, bestemor, farfar) is matched as listed.
_CHILDREN = "to tre fire fem seks sju syv åtte ni ti fler mange små".split()
COMPOUND_PREFIXES: Mapping[str, tuple[str, ...]] = {
    "far": (
        *(n + "barns" for n in _CHILDREN),
        *"barne alene olde tippolde gud foster bonus adoptiv".split(),
    ),
    "bror": tuple("store lille vesle halv hel tvilling ste foster bonus".split()),
    "sønn": tuple("ste foster bonus adoptiv gud".split()),
    "son": tuple("ste foster bonus adoptiv gud".split()),
    "pappa": ("bonus", "alene", "småbarns"),
    "gutt": tuple("små skole tenårings nabo".split()),
    "gut": tuple("små skule tenårings nabo".split()),
    "gutta": tuple("små nabo".split()),
}

# Nouns the lexicon writes (for skuespillerinne, lærerinne ...) that are also a present-tense
# verb: after a sentence-initial Hans they are read as a verb would be (Hans lærer seg tysk:
# the name; Hans lærer er streng: his teacher, a finite verb follows), not as a noun.
VERB_HOMOGRAPHS = frozenset({"lærer", "danser"})
# noun + s that is more often an English loan than a genitive (Nynorsk gut, son)
LOANS = frozenset({"guts", "sons"})
# Capitalised words in -s that are not a name in the genitive (Hvis mannen ...)
NOT_GENITIVES = frozenset("hvis tross hos oss dess ens dens dets våres hennes".split())
# Copulas and the adverbs that may stand between one and a predicative adjective
COPULAS_FINITE = frozenset("er var blir ble blei vart vert".split())
DEGREE = frozenset(
    """
veldig svært ganske så litt helt heilt ikke ikkje også òg nokså temmelig altfor for
""".split()
)
PREDICATIVE = frozenset({"liten", "lita"})

NN_TO_FEMININE = {
    "ein": "ei",
    "liten": "lita",
    "annan": "anna",
    "eigen": "eiga",
    "ingen": "inga",
    "nokon": "noka",
    "min": "mi",
    "din": "di",
    "sin": "si",
}
NB_TO_FEMININE = {
    "en": "ei",
    "liten": "lita",
    "annen": "anna",
    "min": "mi",
    "din": "di",
    "sin": "si",
}
POSTPOSED = frozenset({"min", "din", "sin", "mi", "di", "si"})
# Royal titles: before a name that is not swapped, their swap is marked unsafe, as is that
# of a person noun (see NorwegianGrammar._titles); herr and fru are not here: they stand
# before a family name, which fits either gender
ROYAL_TITLES = frozenset(
    """
kong konge dronning prins prinsesse kronprins kronprinsesse
""".split()
)
# Hennes Majestet Dronningen, Hans Kongelige Høyhet Kronprinsen: the title is the person
HONORIFICS = frozenset("majestet høyhet høgd".split())

# -- identity axes (nationality, religion, age, disability, orientation) and names --------
IDENTITY_AXES = frozenset({"nationality", "religion", "age", "disability", "orientation"})
# The determiner before an adjective (with adverbs and other adjectives between) decides its
# form: en/ei/ein + ung, et/eit + ungt, den/de/a possessive/a number + unge. None of these
# words, and no copula with a subject, before it: a bare plural (Eldre mennesker, unge).
SG_DETERMINERS = frozenset("en ei ein hver kvar enhver einkvar".split())
NEUTER_DETERMINERS = frozenset(
    "et eit ett eitt hvert kvart ethvert eitkvart intet noe noko sånt slikt".split()
)
WEAK_DETERMINERS = frozenset(
    """
den det de dei denne dette disse desse alle mange flere fleire få begge noen nokre andre
to tre fire fem seks sju syv åtte ni ti elleve tolv tjue hundre tusen fleste min mi mitt
mine din di ditt dine sin si sitt sine vår vårt våre deres dykkar deira hans hennes hennar
hens
""".split()
)
# The number of a subject pronoun (the subject of a predicative adjective: Han er ung)
SUBJECT_NUMBER = {
    **dict.fromkeys("han hun ho jeg eg du hen man den".split(), "sg"),
    **dict.fromkeys("det dette".split(), "n"),
    **dict.fromkeys("vi me de dei dere dokker".split(), "pl"),
}
# Words before a predicative adjective that link it to its subject (er født døv)
LINKS = COPULAS | frozenset("blei født fødd".split())
# Words that no noun phrase starts with: after one of them an adjective stands alone (a
# noun: Han er kristen; mange kristne i Norge; de eldre på sykehjemmet) or is a language
# (snakker fransk med ...)
NON_NOUNS = (
    PREPOSITIONS
    | CONJUNCTIONS
    | COPULAS
    | SUBJECTS
    | FINITE
    | SENTENCE_ADVERBS
    | MODALS
    | DEGREE
    | frozenset(
        """
og eller men i på seg meg deg oss dykk dem ham henne her der hjemme heime nå no da igjen
selv sjølv enn nok mens hele heile bare berre flytende flytande godt bra dårlig dårleg
perfekt lenger daglig dagleg
""".split()
    )
)
# A language: a singular nationality adjective after one of these words (with adverbs,
# coordinated languages or "og" between) and before no noun: snakker fransk, lærer seg polsk,
# oversatt fra tysk, på norsk, i norsk, et ord kinesisk
LANGUAGE_CUES = frozenset(
    """
snakker snakke snakket snakka snakkar prater prate pratet prata pratar lærer lære lærte
lærde lærar kan kunne forstår forstå forsto forstod skjønner skjønar skjønne skriver
skrive skrev skreiv leser lese leste les las underviser undervise underviste studerer
studere studerte oversetter oversette oversatte oversatt omset omsett omsette
tolker tolke tolka behersker beherske mestrer mestre seg på fra frå til i ord
""".split()
)
LANGUAGE_SKIP = frozenset(
    """
flytende flytande godt bra litt dårlig dårleg perfekt gebrokkent ikke ikkje også òg både
bare berre mest helst nesten veldig svært og eller samt
""".split()
)
# Nouns after a nationality adjective that make it a cuisine, product or language, not a
# person's nationality (kinesisk mat, en tysk bil, det franske språket)
NOT_PEOPLE = frozenset(
    """
mat maten rett retten retter rettar rettene rettane matrett matretter matrettar kjøkken
kjøkkenet vin vinen viner vinar vinene vinane øl ølet ost osten oster ostar ostene ostane
pølse pølsa pølsen pølser pølsene sjokolade sjokoladen kaffe kaffen te teen brød
brødet bakst kake kaka kaken kaker restaurant restauranten restauranter restaurantar
restaurantene restaurantane takeaway bil bilen biler bilar bilene bilane bilmerke
bilmerket bilmerker produkt produktet produkter produktene produkta vare
varer varar varene språk språket språka språkene aksent aksenten dialekt dialekten
uttale uttalen grammatikk grammatikken tastatur tastaturet undertekst undertekster
undertekstar
""".split()
)
# Forms of the old group that are also said of things (et gammelt hus, eldre biler): read
# of people (a person noun after them or as their subject, or none: de eldre), left alone
# before or after a listed thing, and unsafe before or after any other noun (en gammel
# fisker: a person, or a thing the lists do not know?)
OLD_OF_THINGS = frozenset("gammel gammelt gammal gammalt gamal gamalt gamle eldre".split())
THINGS = frozenset(
    """
hus huset husa husene bil bilen bilar biler bilane bilene bygning bygningen bygningar
bygninger leilighet leiligheten leilegheit leilegheita hytte hytta hytten båt båten båtar
båter tre treet trær møbel møblene bok boka boken bøker bøkene klær sko kirke kirka
kirken kyrkje kyrkja by byen byar byer gård gården gard garden vei veien veg vegen bru
brua bro broen fabrikk fabrikken skole skolen skule skulen tradisjon tradisjonen
tradisjonar tradisjoner vane vanen vanar vaner sang sangen sanger song songen songar film
filmen filmar filmer bilde bildet bilete biletet bilder modell modellen modellar modeller
versjon versjonen versjonar versjoner utgave utgåve utgaven utgåva telefon telefonen
datamaskin datamaskinen tog toget fly flyet sykkel sykkelen møbler ost osten vin vinen
avis avisa avisen brev brevet dokument dokumentet jakke jakka jakken kjole kjolen
""".split()
)
PERSON_NOUNS = frozenset(
    """
person personer personar personen personene personane menneske mennesker mennesket
menneska menneskene folk folket par paret ektepar ekteparet pasient pasienter pasientar
pasienten pasientene pasientane borger borgere borgarar innbygger innbyggere innbyggjar
innbyggjarar beboer beboere bebuar bebuarar arbeider arbeidere arbeidar arbeidarar ansatt
ansatte tilsett tilsette velger velgere veljar veljarar leser lesere lesar lesarar lærer
lærere lærar lærarar sjåfør sjåfører sjåførar student studenter studentar elev elever
elevar kunde kunder kundar bruker brukere brukar brukarar deltaker deltakere deltakar
deltakarar medlem medlemmer medlemar nabo naboer naboar naboen naboene naboane kollega
kolleger kollegaer kollegaen kollegane venn venner ven vener ungdom ungdommer ungdommar
voksen voksne vaksen vaksne innvandrer innvandrere innvandrar innvandrarar flyktning
flyktninger flyktningar soldat soldater soldatar prest prester prestar bonde bønder
fisker fiskere fiskar fiskarar herremann herremenn kar karen karer karar fyr fyren fyrer
gubbe gubben kjerring kjerringa olding oldingen oldinger lege legen leger legar legene
legane sykepleier sykepleiere sjukepleiar sjukepleiarar forfatter forfattere forfattar
forfattarar kunstner kunstnere kunstnar kunstnarar politiker politikere politikar
politikarar sjef sjefen sjefer sjefar leder ledere leiar leiarar
""".split()
)
PERSON_SUFFIXES = (
    "ist",
    "isten",
    "ister",
    "istene",
    "istar",
    "istane",
    "ere",
    "erne",
    "arar",
    "arane",
    "inne",
    "inna",
    "innen",
    "inner",
    "innene",
)
# Relational nouns after which 'eldre' may be the comparative (en eldre kollega: older
# than me, or elderly?): the variant is marked unsafe
RELATIONAL = frozenset(
    """
kollega kolleger kollegaer kollegaen kollegane venn venner ven vener venninne venninner
medarbeider medarbeidere medarbeidar medarbeidarar medelev medelever medelevar
medstudent medstudenter medstudentar
""".split()
)
# Names that are also a verb: at the start of a sentence before no finite verb, the
# imperative (Finn en partner, Stig på, Finn fram bøkene)
NAME_VERBS = frozenset("finn stig gro signe".split())
# A name then a genitive and a street word, or a genitive name and a street word: a street
# (Henrik Ibsens gate, Karl Johans gate, Kristian IVs gate)
_STREET_WORD = r" (?:gate|gata|gt|vei|veien|veg|vegen|plass|plassen|allé|alle|torg|torget)\b"
_STREET = re.compile(r" \w+s" + _STREET_WORD)
_STREET_AFTER_GENITIVE = re.compile(_STREET_WORD)
# Gendered titles before a first name: on the names axis a name written after a title of
# the other gender (Kong Harald -> Kong Ragnhild, tante Gerd -> tante Nils) makes the
# variant unsafe
NAME_TITLES = {
    **dict.fromkeys("kong konge prins kronprins herr onkel bror grev greve hertug".split(), "male"),
    **dict.fromkeys(
        "dronning prinsesse kronprinsesse fru frøken tante søster syster grevinne".split(),
        "female",
    ),
}


def _prev_word(text: str, start: int) -> tuple[str, int] | None:
    """The word right before ``start`` and its offset; only spaces or tabs (or one line
    break, which ``$`` allows) may stand between, so callers need not check the gap."""
    m = _PREV.search(text, max(0, start - 40), start)
    return (m.group(1), m.start(1)) if m else None


def _next_word(text: str, end: int) -> tuple[str, int] | None:
    """The word right after ``end`` and its offset, after spaces or tabs only."""
    m = _NEXT.match(text, end)
    return (m.group(1), m.start(1)) if m else None


def _word_after(text: str, word: tuple[str, int]) -> tuple[str, int] | None:
    """The word after ``word`` (a ``(text, start)`` pair from :func:`_next_word`)."""
    return _next_word(text, word[1] + len(word[0]))


def _name_after(text: str, end: int) -> Word | None:
    """The capitalised word after a title or person noun that ends at ``end`` and a space
    (*dronning Sonja*, *tante Gerd*, *Kong HARALD*): a name, which the gender axis does not
    swap."""
    if text[end : end + 1] != " " or text[end + 1 : end + 2].islower():
        return None  # cheap tests first: no space, or a lower-case word follows
    nxt = _next_word(text, end)
    return nxt if nxt is not None and nxt[0][:1].isupper() else None


def _adjective(low: str) -> bool:
    """A listed adjective or adverb, or a word with an adjective ending (*raudhåra*,
    *dyktig*, *norsk*); ``low`` is case-folded."""
    return low in ADJECTIVES or (len(low) > 4 and low.endswith(ADJECTIVE_ENDINGS))


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the noun at ``start``, with up to two words before it that are *den/dei*
    or adjectives (*Den vesle guten*), opens its sentence."""
    for _ in range(3):
        prev = _prev_word(text, start)
        if prev is None:
            break
        low = prev[0].casefold()
        if low not in ("den", "dei", "de") and low not in ADJECTIVES:
            break
        start = prev[1]
    return at_sentence_start(text, start)


def looks_finite(word: str) -> bool:
    """A small test for a finite verb: a listed verb, or a present/past-tense ending."""
    w = word.casefold()
    return w in FINITE or (len(w) > 4 and w.endswith(("er", "ar", "te", "de")))


def _slot(entry: Entry) -> str:
    """An adjective entry's agreement slot: ``sg``, ``n`` (neuter) or ``pl``."""
    if entry.features.get("number") == "pl":
        return "pl"
    return "n" if entry.features.get("gender") == "n" else "sg"


def _subject_number(text: str, subject: Word) -> str | None:
    """``sg``, ``n`` or ``pl`` for the subject of a predicative adjective: a pronoun, a
    name, or a noun by its ending (*Treneren*, *Barnet*, *Trenerne*); None: cannot tell."""
    word, start = subject
    low = word.casefold()
    if low in SUBJECT_NUMBER:
        return SUBJECT_NUMBER[low]
    if word[:1].isupper() and not at_sentence_start(text, start):
        return "sg"  # a name
    if low.endswith(("ene", "ane", "erne", "arne", "ne")):
        return "pl"
    if low.endswith("et"):
        return "n"
    if low.endswith(("en", "a")):
        return "sg"
    return None


class NorwegianGrammar(Grammar):
    """Rules shared by Bokmål and Nynorsk; subclasses set the word lists and options.

    Option ``names`` (default ``False``): on the gender axis, also swap first names with
    the ``names`` lexicon in the same pass (*Ole og kona hans* → *Kari og mannen hennes*).
    """

    language = ""
    to_feminine: Mapping[str, str] = NN_TO_FEMININE
    poss_after_a_only = False  # Bokmål "mixed": mi/di/si only after an -a form
    # True for the names grammar that a gender grammar runs with names=True: there the
    # gender axis swaps the title before a name too, so no title makes the swap unsafe
    _inside_gender = False

    def __init__(self, lexicons: LexiconSet, *, names: bool = False) -> None:
        super().__init__(lexicons)
        self._name_swapper = names_swapper(self) if names and lexicons.axis == "gender" else None
        if self._name_swapper is not None:
            self._name_swapper[0]._inside_gender = True
        self._no_entries: dict[str, Entry] = {e.id: e for e in lexicons.entries}
        self._kinds: dict[tuple[Candidate, ...], tuple[frozenset, frozenset]] = {}
        self.to_masculine = {v: k for k, v in self.to_feminine.items()}
        # compounds of a person noun (tobarnsfar, storebroren): per lexicon form that is
        # looked for in text its compound spellings (none that the lexicon lists itself), and
        # per compound the length of its prefix
        listed = frozenset(
            f.casefold() for e in lexicons.entries for fs in e.forms.values() for f in fs
        )
        made: dict[str, dict[str, None]] = {}
        self._compounds: dict[str, int] = {}
        for e in lexicons.entries if lexicons.axis == "gender" else ():
            prefixes = COMPOUND_PREFIXES.get(e.id.partition(".")[0], ())
            if e.pos != "noun" or not prefixes:
                continue
            for group, fs in e.forms.items():
                if not lexicons.matched(e, group):
                    continue
                for f in (f.casefold() for f in fs):
                    for c in (p + f for p in prefixes if p + f not in listed):
                        made.setdefault(f, {})[c] = None
                        self._compounds[c] = len(c) - len(f)
        self._compound_forms = {f: tuple(cs) for f, cs in made.items()}
        # (each also with a genitive -s: storebrors)
        self._compounds.update({c + "s": n for c, n in self._compounds.items()})
        # every noun form of the gender axis (Hans søster: a noun after Hans), and those
        # that also match with a genitive -s (mannens, jentas, min brors)
        self._nouns = (
            frozenset(
                f.casefold()
                for e in lexicons.entries
                if e.pos == "noun"
                for fs in e.forms.values()
                for f in fs
            )
            if lexicons.axis == "gender"
            else frozenset()
        ) - VERB_HOMOGRAPHS | frozenset(self._compounds)
        # per entry, its forms and its female forms, case-folded
        self._all_forms = {
            e.id: frozenset(f.casefold() for fs in e.forms.values() for f in fs)
            for e in lexicons.entries
        }
        self._female_forms = {
            e.id: frozenset(f.casefold() for f in e.forms.get("female", ()))
            for e in lexicons.entries
        }
        # words whose swap before a name that is not swapped is unsafe: the royal titles and
        # the singular person nouns of the two-way pairs (tante Gerd, kona Kari, sonen Ola);
        # skuespillerinne or venninne become a noun used of anyone, which fits any name
        singular = [
            f.casefold()
            for e in lexicons.entries
            if e.pos == "noun" and e.match_groups is None and e.features.get("number") == "sg"
            for fs in e.forms.values()
            for f in fs
        ]
        self._titles = ROYAL_TITLES | frozenset(
            singular + [c for f in singular for c in self._compound_forms.get(f, ())]
        )
        self._genitive = frozenset(
            f for f in self._nouns if not f.endswith(("s", "x", "z")) and f + "s" not in LOANS
        )
        self._init_identity(lexicons)

    def _init_identity(self, lexicons: LexiconSet) -> None:
        """Word sets for the identity axes and names (all empty on the gender axis)."""
        axis = lexicons.axis
        self._identity = axis in IDENTITY_AXES
        entries = lexicons.entries if self._identity or axis == "names" else ()
        # identity nouns, plural adjectives and first names also match with a genitive -s
        # (tyskerens, nordmenns, de homofiles, de eldres, Oles)
        self._id_genitive = frozenset(
            f.casefold()
            for e in entries
            if e.pos in ("noun", "name") or e.features.get("number") == "pl"
            for fs in e.forms.values()
            for f in fs
            if not f.endswith(("s", "x", "z"))
        )
        self._axis_forms = frozenset(
            f.casefold() for e in entries for fs in e.forms.values() for f in fs
        )
        self._adj_forms = frozenset(
            f.casefold() for e in entries if e.pos == "adj" for fs in e.forms.values() for f in fs
        )
        # singular indefinite adjectives of the common gender (fransk, ung): a language
        # after snakker, på, fra ...
        self._sg_adj = frozenset(
            f.casefold()
            for e in entries
            if e.pos == "adj"
            and e.features.get("number") == "sg"
            and e.features.get("gender") != "n"
            for fs in e.forms.values()
            for f in fs
        )
        self._plural_adj = next(
            (e for e in entries if e.pos == "adj" and e.features.get("number") == "pl"), None
        )
        # a first name's group (names axis)
        self._name_group = {
            f.casefold(): g
            for e in entries
            if e.pos == "name"
            for g, fs in e.forms.items()
            for f in fs
        }
        self._person_nouns: frozenset[str] = frozenset()
        if axis in ("age", "religion"):  # person nouns: those of the gender axis, and a list
            gender = load_lexicons(lexicons.language, "gender")
            self._person_nouns = PERSON_NOUNS | frozenset(
                f.casefold()
                for e in gender.entries
                if e.pos == "noun"
                for fs in e.forms.values()
                for f in fs
            )

    def spellings(self, form: str) -> tuple[str, ...]:
        """A noun is also matched with the genitive -s (*mannens*, *jentas*, *brors*), and
        in a compound after a listed prefix (*tobarnsfar*, *storebroren*, *lillesøsters*);
        on the identity axes nouns and plural adjectives (*tyskerens*, *de homofiles*), and
        first names (*Oles*), take the genitive -s too."""
        low = form.casefold()
        genitive = low in self._genitive or low in self._id_genitive
        plain = (form, form + "s") if genitive else (form,)
        compounds = self._compound_forms.get(low)
        if not compounds:
            return plain
        return plain + tuple(c + s for c in compounds for s in ("", "s")[: len(plain)])

    def _prefix(self, surface: str) -> int:
        """The length of a compound's prefix (*tobarns*-far: 7, *store*-brors: 5), 0 for
        a listed form (one dictionary lookup for a match in lower case)."""
        n = self._compounds.get(surface)
        if n is None and not surface.islower():
            n = self._compounds.get(surface.casefold())
        return n or 0

    # -- matching -------------------------------------------------------------------------
    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        """Names need a capital; on the gender axis, other capitalised terms inside a
        sentence are names (*Hans*), and *Herren* is the Lord."""
        if all(c.entry.pos == "name" for c in candidates):
            if not text[start].isupper():
                return False
            return self.lexicons.axis != "names" or self._name_accept(text, start, end)
        if self.lexicons.axis != "gender":
            return not self._identity or self._identity_accept(text, start, end, candidates)
        word = text[start:end]
        if not word[:1].isupper() or (len(word) > 1 and word.isupper()):
            return True
        if any(c.entry.id.startswith("herre.sg.") and c.group == "male" for c in candidates):
            return False  # Herren, Herre Gud: the Lord (not Herrene, the men)
        if not at_sentence_start(text, start):  # (a word before it, so not at a start)
            prev = _prev_word(text, start)
            return prev is not None and prev[0].casefold() in HONORIFICS  # Hennes Majestet
        low = word.casefold()
        if low == "hans":  # Hans (the name) or Hans (his)?
            return self._hans_is_possessive(text, end)
        if candidates[0].entry.pos == "pron":
            nxt = _next_word(text, end)
            # Han Kang, Hun Sen: a name, not a pronoun (a subject is followed by its verb)
            return not (nxt and nxt[0][:1].isupper() and text[end] == " ")
        return True

    # -- identity axes and names: matching ---------------------------------------------------
    def _name_accept(self, text: str, start: int, end: int) -> bool:
        """A first name is no name at the start of a sentence when it is an imperative before
        no finite verb (*Finn en partner*, *Stig på*), nor before a genitive and a street word
        (*Henrik Ibsens gate*)."""
        if _STREET.match(text, end):
            return False
        if text[end - 1 : end] == "s" and _STREET_AFTER_GENITIVE.match(text, end):
            return False
        if text[start:end].casefold() in NAME_VERBS and at_sentence_start(text, start):
            nxt = _next_word(text, end)
            if nxt is not None and nxt[0].islower():
                low = nxt[0].casefold()
                return low in ("og", "eller") or looks_finite(low)
        return True

    def _identity_accept(
        self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]
    ) -> bool:
        """Other senses of the identity words: a capitalised word inside a sentence or
        before another capital is a name (*Norsk Hydro*, *Kristen Nygaard*, *Unge Høyre*,
        *Ola Nordmann*); a nationality adjective is a language (*snakker fransk*, *på
        norsk*, *Norsk er vanskelig*) or names a cuisine or product (*kinesisk mat*, *en
        tysk bil*); *en unge* is a kid; *gammel* and *eldre* are read only of people."""
        word = text[start:end]
        if word[:1].isupper() and not (len(word) > 1 and word.isupper()):
            if not at_sentence_start(text, start):
                return False
            if any(c.entry.pos == "adj" for c in candidates):
                nxt = _next_word(text, end)
                if nxt is not None and nxt[0][:1].isupper():
                    return False
        low = word.casefold()
        axis = self.lexicons.axis
        if axis == "nationality":
            if low in self._sg_adj and self._language(text, start, end):
                return False
            noun = self._noun_after(text, end)
            return noun is None or noun[0].casefold() not in NOT_PEOPLE
        if axis == "age":
            if low == "unge":  # en unge (a kid); ung after en, ei, ein
                prev = _prev_word(text, start)
                if prev is not None and prev[0].casefold() in ("en", "ei", "ein"):
                    return False
            if low in OLD_OF_THINGS:
                return self._of_people(text, start, end) is not False
        return True

    def _language(self, text: str, start: int, end: int) -> bool:
        """Whether the singular nationality adjective at ``start`` names a language: no
        noun after it, and a verb or preposition of language before it (with adverbs and
        other languages between: *snakker flytende tysk og litt polsk*), or it opens its
        sentence before a verb (*Norsk er et vanskelig språk*)."""
        nxt = _next_word(text, end)
        if nxt is not None:
            low = nxt[0].casefold()
            if low not in NON_NOUNS and low not in self._sg_adj:
                return False
        if at_sentence_start(text, start):
            return nxt is not None and nxt[0].casefold() in FINITE
        pos = start
        for _ in range(6):
            prev = _prev_word(text, pos)
            if prev is None:
                return False
            low = prev[0].casefold()
            if low in LANGUAGE_CUES:
                return True
            if low not in LANGUAGE_SKIP and low not in self._sg_adj:
                return False
            pos = prev[1]
        return False

    def _noun_after(self, text: str, end: int) -> Word | None:
        """The noun after an adjective that ends at ``end``, over other adjectives (*en
        gammel tysk bil*); None when a function word, punctuation or nothing follows."""
        nxt = _next_word(text, end)
        for _ in range(3):
            if nxt is None:
                return None
            low = nxt[0].casefold()
            if low in NON_NOUNS:
                return None
            if low in self._axis_forms or (low not in self._person_nouns and _adjective(low)):
                nxt = _word_after(text, nxt)
                continue
            return nxt
        return None

    def _person(self, text: str, word: Word) -> bool | None:
        """Whether ``word`` names a person (a listed person noun, a noun in *-ist*,
        *-ere*, *-inne* ..., a subject pronoun or a name), a thing (listed: *hus*, *bil*)
        or, None, either."""
        low = word[0].casefold()
        if low in self._person_nouns or low in SUBJECT_NUMBER or low.endswith(PERSON_SUFFIXES):
            return True
        if word[0][:1].isupper() and not at_sentence_start(text, word[1]):
            return True  # gamle Per
        return False if low in THINGS else None

    def _of_people(self, text: str, start: int, end: int) -> bool | None:
        """Whether *gammel*/*eldre* at ``start`` is said of people: a person noun after it
        (*en gammel dame*, *eldre bilister*), or none and a person as the subject of a
        copula before it (*han er gammel*), or no subject (*de eldre på sykehjemmet*);
        False for a thing (*et gammelt hus*, *huset er gammelt*); None: cannot tell."""
        noun = self._noun_after(text, end)
        if noun is not None:
            return self._person(text, noun)
        subject = self._subject(text, start)
        return True if subject is None else self._person(text, subject)

    def _subject(self, text: str, start: int) -> Word | None:
        """The subject of a predicative adjective at ``start`` (*Sønnen vår er autistisk*,
        *Hun er født døv*, *Er du aseksuell*), None when no copula stands before it."""
        prev = _prev_word(text, start)
        while prev is not None and prev[0].casefold() in DEGREE | SENTENCE_ADVERBS:
            prev = _prev_word(text, prev[1])
        if prev is None:
            return None
        low = prev[0].casefold()
        if low in SUBJECT_NUMBER:  # Er du aseksuell?
            before = _prev_word(text, prev[1])
            return prev if before is not None and before[0].casefold() in LINKS else None
        if low not in LINKS:
            return None
        subject = _prev_word(text, prev[1])
        while subject is not None and subject[0].casefold() in LINKS | SENTENCE_ADVERBS:
            subject = _prev_word(text, subject[1])  # er født, har vært
        if subject is not None and subject[0].casefold() in POSSESSIVES:
            subject = _prev_word(text, subject[1])  # Sønnen vår er
        return subject

    def _hans_is_possessive(self, text: str, end: int) -> bool:
        """Sentence-initial *Hans*: *his* before a noun phrase (*Hans søster*, *Hans eldste
        datter*, *Hans venner kom*), the name before a verb, a capital, a conjunction or
        punctuation (*Hans kom*, *Hans Petter*, *Hans og Grete*, *Hans, kom hit*)."""
        nxt = _next_word(text, end)
        if nxt is None or nxt[0][:1].isupper():
            return False
        low = nxt[0].casefold()
        if low in ("og", "eller", "men", "som"):  # Hans og Grete; Hans og hennes barn
            after = _word_after(text, nxt)
            return after is not None and after[0].casefold() in POSSESSIVES
        if low in FINITE:
            return False
        if low in self._nouns or low in ADJECTIVES or low in PLURAL_NOUNS:
            return True
        if looks_finite(low):  # a verb (Hans kommer hjem) or a plural noun (Hans venner kom)
            after = _word_after(text, nxt)
            return after is not None and after[0].casefold() in FINITE
        return True

    # -- decisions ------------------------------------------------------------------------
    def choose(self, text: str, match: Match, plan: SwapPlan, matches: list[Match]) -> Decision:
        kinds = self._kinds.get(match.candidates)
        if kinds is None:  # (memo: the cases and parts of speech of these readings)
            kinds = self._kinds[match.candidates] = (
                frozenset(c.entry.features.get("case") for c in match.candidates),
                frozenset(c.entry.pos for c in match.candidates),
            )
        cases, poses = kinds
        if self._identity:
            picked = self._identity_reading(text, match, plan)
            if isinstance(picked, Decision):
                return picked
            match = picked
        if "title" in poses and len(poses) > 1:  # dronning Sonja (title) or a dronning (noun)
            as_title = _name_after(text, match.end) is not None
            picked = tuple(c for c in match.candidates if (c.entry.pos == "title") == as_title)
            match = Match(match.start, match.end, match.text, picked or match.candidates)
        if {"nom", "obj"} <= cases:
            reading = self.han_reading(text, match)
            picked = tuple(c for c in match.candidates if c.entry.features.get("case") == reading)
            match = Match(match.start, match.end, match.text, picked)
            decision = super().choose(text, match, plan, matches)
            if decision.new is None:
                return decision
            return Decision(decision.new, decision.candidate, f"no.pronoun.{reading}")
        decision = super().choose(text, match, plan, matches)
        cand = decision.candidate
        if decision.new is None or cand is None:
            return decision
        target = plan.target_of(cand.group)
        if "title" in poses and cand.entry.match_groups and _name_after(text, match.end) is None:
            # a one-way title (frøken → herr) is a title only before a name
            return Decision(match.text, cand, "no.title.no_name")
        spouse = self._spouse(text, match, cand, target)
        decision = spouse if spouse is not None else self.restyle(decision, cand, target)
        surface = match.text
        cut = self._prefix(surface)
        if cut:  # a compound: tobarnsfar -> tobarnsmor
            surface = surface[cut:]
            new = match.text[:cut].casefold() + (decision.new or "")
            decision = Decision(new, decision.candidate, decision.rule, decision.unsafe)
        if (
            surface[-1:] in "sS"
            and decision.new
            and surface.casefold() not in self._all_forms[cand.entry.id]
        ):  # a genitive: mannens -> kvinnens
            new = decision.new
            new += "'" if new.endswith(("s", "x", "z")) else "s"
            return Decision(new, decision.candidate, decision.rule, decision.unsafe)
        return decision

    # -- identity axes: readings -------------------------------------------------------------
    def _identity_reading(self, text: str, match: Match, plan: SwapPlan) -> Match | Decision:
        """The readings of an identity term that fit its context: the adjective or the noun
        (*en kristen kvinne*, *Han er kristen.*), and the adjective's form from its
        determiner or subject (*et eldre par* → *et ungt par*); or a decision: *eldre*
        before *kollega* is unsafe, and a definite noun whose target group has none is
        written with the plural adjective (*Muslimen* → *Den kristne*)."""
        cands = match.candidates
        low = match.text.casefold()
        if low == "eldre" and self.lexicons.axis == "age":
            nxt = _next_word(text, match.end)
            if nxt is not None and nxt[0].casefold() in RELATIONAL:
                return Decision(unsafe=f"'eldre {nxt[0]}' may be the comparative (older than)")
        if (
            low in OLD_OF_THINGS
            and self.lexicons.axis == "age"
            and self._of_people(text, match.start, match.end) is None
        ):
            return Decision(unsafe=f"{match.text!r}: said of a person or of a thing?")
        nouns = tuple(c for c in cands if c.entry.pos == "noun")
        if nouns and len(nouns) < len(cands):  # kristen, kristne: adjective or noun?
            attributive = self._attributive(text, match.end)
            if attributive is None:
                return Decision(unsafe=f"{match.text!r}: adjective or noun (before a verb?)")
            cands = nouns if not attributive else tuple(c for c in cands if c.entry.pos != "noun")
            if cands is nouns:
                definite = self._definite_reading(text, match, nouns)
                if definite is not None:
                    cands = definite
        if all(c.entry.pos == "noun" for c in cands):
            written = self._definite_without_form(text, match, cands, plan)
            if written is not None:
                return written
        targets = {c.entry.output(plan.target_of(c.group)) for c in cands}
        if len(targets) > 1 and all(c.entry.pos == "adj" for c in cands):
            slot = self._agreement(text, match.start, match.end)
            picked = tuple(c for c in cands if _slot(c.entry) == slot)
            if not picked and slot == "n":  # fransk: the same form in both genders
                picked = tuple(c for c in cands if _slot(c.entry) == "sg")
            cands = picked or cands
        if cands == match.candidates:
            return match
        return Match(match.start, match.end, match.text, cands, match.groups)

    def _attributive(self, text: str, end: int) -> bool | None:
        """Whether an adjective that ends at ``end`` stands before a noun (*kristne
        ledere*, *kristne og muslimske ledere*) rather than alone (*Han er kristen.*,
        *mange kristne i Norge*); None before a word that may be a present-tense verb
        as well as a noun (*mange kristne feirer jul*, *kristne skoler*)."""
        nxt = _next_word(text, end)
        if nxt is None:
            return False
        low = nxt[0].casefold()
        if low in ("og", "eller"):
            after = _word_after(text, nxt)
            return after is not None and after[0].casefold() in self._adj_forms
        if low in NON_NOUNS:
            return False
        if looks_finite(low) and self._person(text, nxt) is not True:
            # a past tense (protesterte) is no noun; a present tense in -er/-ar may be a
            # plural noun (kristne feirer jul; kristne skoler)
            return False if low.endswith(("te", "de")) else None
        return True

    def _definite_reading(
        self, text: str, match: Match, nouns: tuple[Candidate, ...]
    ) -> tuple[Candidate, ...] | None:
        """*de kristne*, *den kristne* standing alone: the definite noun (→ *muslimene*,
        *muslimen*); the article is taken into the edit (see :meth:`_take_articles`)."""
        prev = _prev_word(text, match.start)
        if prev is None or prev[0].casefold() not in ("den", "de", "dei"):
            return None
        number = "sg" if prev[0].casefold() == "den" else "pl"
        entry = next(
            (
                e
                for e in self.lexicons.entries
                if e.pos == "noun"
                and e.features.get("definiteness") == "def"
                and e.features.get("number") == number
            ),
            None,
        )
        if entry is None:
            return None
        return tuple(Candidate(entry, c.group) for c in nouns)

    def _definite_without_form(
        self, text: str, match: Match, cands: tuple[Candidate, ...], plan: SwapPlan
    ) -> Decision | None:
        """A definite noun (*muslimen*, *muslimene*) whose target group has no definite
        noun (christian): *den kristne*, *de kristne* (Nynorsk *dei kristne*), when no
        determiner or adjective stands before it; otherwise None."""
        cand = cands[0]
        entry = cand.entry
        target = plan.target_of(cand.group)
        if (
            entry.features.get("definiteness") != "def"
            or entry.output(target) is not None
            or self._plural_adj is None
            or self._plural_adj.output(target) is None
        ):
            return None
        prev = _prev_word(text, match.start)  # den unge muslimen, alle muslimene: unsafe
        if prev is not None and (
            prev[0].casefold() in WEAK_DETERMINERS or _adjective(prev[0].casefold())
        ):
            return None
        if entry.features.get("number") == "sg":
            article = "den"
        else:
            article = "dei" if self.language == "nn" else "de"
        new = f"{article} {self._plural_adj.output(target)}"
        surface = match.text
        if surface[-1:] in "sS" and surface.casefold() not in self._all_forms[entry.id]:
            new += "s"  # muslimens -> den kristnes
        return Decision(new, Candidate(self._plural_adj, cand.group), "no.identity.definite_adj")

    def _agreement(self, text: str, start: int, end: int) -> str | None:
        """The form an adjective at ``start`` takes: ``sg`` (*en ung mann*), ``n`` (*et
        ungt par*) or ``pl`` (*den unge mannen*, *unge folk*), from the determiner before it
        (over adverbs and other adjectives), else, after a copula with no noun after the
        adjective, from the subject (*Han er ung*, *Barnet er døvt*, *De er unge*); a
        bare adjective is a plural (*Eldre mennesker*, *de eldre*); None: cannot tell."""
        pos = start
        for _ in range(4):
            prev = _prev_word(text, pos)
            if prev is None:
                break
            low = prev[0].casefold()
            if low in SG_DETERMINERS:
                return "sg"
            if low in NEUTER_DETERMINERS:
                return "n"
            if low in WEAK_DETERMINERS or self._possessor(prev[0]):
                return "pl"
            if low in ("ingen", "inga", "intet", "nokon", "noka"):
                return None  # ingen ung mann, ingen unge menn
            if not (low in DEGREE or low in self._axis_forms or _adjective(low)):
                break
            pos = prev[1]
        if self._noun_after(text, end) is None:
            subject = self._subject(text, start)
            if subject is not None:
                return _subject_number(text, subject)
        return "pl"

    def restyle(self, decision: Decision, cand: Candidate, target: str) -> Decision:
        """Pick among a group's alternative forms (hook for Bokmål options)."""
        return decision

    def han_reading(self, text: str, match: Match) -> str:
        """``obj`` or ``nom`` for an ambiguous *han* (see the module docstring).

        Norwegian main clauses put the finite verb second: after *Kari ringte* the subject
        is taken, so *han* is the object; after *I dag kommer* it is the subject."""
        prev = _prev_word(text, match.start)
        nxt = _next_word(text, match.end)
        if prev is None or at_sentence_start(text, match.start):
            return "obj" if self._fronted_object(text, match.end) else "nom"
        word = prev[0].casefold()
        if word in SUBORDINATORS and nxt and looks_finite(nxt[0]):
            return "nom"  # om han kommer = if he comes; før han gikk; til han kommer
        if word in PREPOSITIONS:
            return "obj"
        if word in COPULAS or word in CONJUNCTIONS or word in QUESTION_WORDS:
            return "nom"  # er han; at han; hva han mente; siden han flyttet
        if word in MODALS:  # Det kan han; Jeg vil han skal komme; not Jeg kan han utenat
            before = _prev_word(text, prev[1])
            if (
                before is None
                or before[0].casefold() not in SUBJECTS
                or (nxt and looks_finite(nxt[0]))
            ):
                return "nom"
        if word in BRIDGE_VERBS and nxt and looks_finite(nxt[0]):
            return "nom"  # hun tror han kommer
        if word in SENTENCE_ADVERBS and nxt and looks_finite(nxt[0]):  # tror ikke han vet
            pos = prev[1]
            for _ in range(2):
                before = _prev_word(text, pos)
                if before is None:
                    break
                low = before[0].casefold()
                if low in BRIDGE_VERBS:
                    return "nom"
                if low not in SENTENCE_ADVERBS:
                    break
                pos = before[1]
        if word in SUBJECTS or (prev[0][:1].isupper() and not at_sentence_start(text, prev[1])):
            return "obj"  # ringte jeg han; i går så Kari han
        first = _prev_word(text, prev[1])
        if (
            first is not None
            and at_sentence_start(text, first[1])
            and first[0].casefold() not in FRONTED
        ):
            if first[0].casefold() in TOPIC_PRONOUNS and (
                word in BRIDGE_VERBS or word in TOPIC_VERBS
            ):
                return "nom"  # Det sier han; Det har han gjort: a fronted object
            return "obj"  # Kari ringte han: one-word subject, verb second, then the object
        pos = prev[1]
        for _ in range(3):  # a subject pronoun before the verb: "jeg så han"
            before = _prev_word(text, pos)
            if before is None:
                break
            if before[0].casefold() in SUBJECTS:
                return "obj"
            pos = before[1]
        if (
            at_sentence_start(text, prev[1])
            and word not in FRONTED
            and not looks_finite(word)
            and not (nxt and looks_finite(nxt[0]))
            and not self._question(text, match.end)
        ):
            return "obj"  # Gi han boka: an imperative verb, then the object
        return "nom"  # i dag kommer han; han kommer

    @staticmethod
    def _fronted_object(text: str, end: int) -> bool:
        """Whether a clause-initial *han* that ends at ``end`` is a fronted object: a
        finite verb that takes no clause follows, then a subject-only pronoun that is not
        itself the subject of a clause (*Han kan du stole på*, *Han har jeg kjent lenge*;
        not *Han tror jeg er syk*, *Han lovet du skulle få*)."""
        m = _TWO_WORDS.match(text, end)
        if m is None or m.group(2).casefold() not in SUBJECT_ONLY:
            return False
        verb = m.group(1).casefold()
        if not looks_finite(verb) or verb in BRIDGE_VERBS:
            return False
        after = _next_word(text, m.end())
        return after is None or not looks_finite(after[0])

    @staticmethod
    def _question(text: str, end: int) -> bool:
        """Whether the sentence that goes on at ``end`` ends with a question mark."""
        for ch in text[end:]:
            if ch in ".!…\n":
                return False
            if ch == "?":
                return True
        return False

    def _spouse(self, text: str, match: Match, cand: Candidate, target: str) -> Decision | None:
        """*mannen min* → *kona mi*; *kona mi* → *mannen min* (husband, not man)."""
        lemma, _, slot = cand.entry.id.partition(".")
        if lemma not in ("mann", "ektemann") or not slot or self.lexicons.axis != "gender":
            return None
        prev = _prev_word(text, match.start)
        nxt = _next_word(text, match.end)
        possessed = (prev is not None and self._possessor(prev[0])) or (
            nxt is not None and nxt[0].casefold() in POSSESSIVES
        )
        if not possessed and nxt is not None and nxt[0].casefold() == "til":
            owner = _word_after(text, nxt)  # mannen til Kari
            possessed = owner is not None and (
                owner[0][:1].isupper() or owner[0].casefold() in POSSESSIVES
            )
        if lemma == "mann" and possessed and target == "female":
            other = self._no_entries.get(f"ektemann.{slot}")
        elif lemma == "ektemann" and target == "male":
            other = self._no_entries.get(f"mann.{slot}") if possessed else None
        else:
            return None
        new = other.output(target) if other else None
        if other is None or new is None:
            return None
        decision = Decision(new, Candidate(other, cand.group), "no.spouse")
        return self.restyle(decision, Candidate(other, cand.group), target)

    def _possessor(self, word: str) -> bool:
        """A possessive or a genitive before a noun: *hennes*, *min*, *kvinnens*, *Karis*."""
        low = word.casefold()
        if low in POSSESSIVES:
            return True
        return low.endswith("s") and (
            low[:-1] in self._genitive
            or (word[:1].isupper() and len(low) > 2 and low not in NOT_GENITIVES)
        )

    def rewrite(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        result = super().rewrite(text, matches, plan)
        if result.edits and self.lexicons.axis == "gender":
            self._agree(text, result)
        add_names(self._name_swapper, text, matches, plan, result)
        if result.edits and self._identity:
            self._take_articles(text, result)
        if result.edits and self.lexicons.axis == "names" and not self._inside_gender:
            for e in result.edits:  # Kong Harald -> Kong Ragnhild
                prev = _prev_word(text, e.start)
                title = NAME_TITLES.get(prev[0].casefold()) if prev is not None else None
                name = e.new.casefold()
                group = self._name_group.get(name) or self._name_group.get(name[:-1])  # Johns
                if title is not None and group != title:
                    result.unsafe.append(
                        f"name {e.old!r} → {e.new!r} after the title {prev[0]!r}, "
                        "which is not swapped"
                    )
        if result.edits and self.lexicons.axis == "gender" and not text[1:].islower():
            # (a name after a title starts with a capital: none after the first letter, no
            # name to check)
            mark_titles_before_names(text, result, self._titles, _name_after)
        return result

    def _take_articles(self, text: str, result: Rewrite) -> None:
        """*De kristne* read as a definite noun becomes *Muslimene*: the edit of a noun
        given a definite reading (:meth:`_definite_reading`) takes in the article before it."""
        for i, e in enumerate(result.edits):
            entry = self._no_entries.get(e.entry or "")
            if entry is None or entry.features.get("definiteness") != "def":
                continue
            old = e.old.casefold()
            if old in self._all_forms[entry.id] or old[:-1] in self._all_forms[entry.id]:
                continue  # muslimen, muslimens: a definite form of its own
            prev = _prev_word(text, e.start)
            if prev is None or prev[0].casefold() not in ("den", "de", "dei"):
                continue
            new = transfer_case(prev[0], e.new) if prev[0][:1].isupper() else e.new
            result.edits[i] = Edit(
                prev[1],
                e.end,
                text[prev[1] : e.end],
                new,
                "no.identity.definite_noun",
                e.entry,
                e.lexicon,
            )

    # -- agreement ------------------------------------------------------------------------
    def _agree(self, text: str, result: Rewrite) -> None:
        """Rewrite determiners, adjectives and possessives next to a swapped singular noun,
        and a predicative *liten*/*lita* after a swapped noun or subject pronoun."""
        taken = {(e.start, e.end) for e in result.edits}
        extra: list[Edit] = []
        predicative = "lit" in text or "LIT" in text or "Lit" in text  # liten, lita
        for edit in result.edits:
            entry = self._no_entries.get(edit.entry or "")
            if entry is None or entry.features.get("number", "sg") != "sg":
                continue
            old = edit.old
            cut = self._prefix(old)  # storebror: bror
            if cut:
                old = old[cut:]
            genitive = old[-1:] in "sS'" and old.casefold() not in self._all_forms[entry.id]
            new = edit.new[cut:-1] if genitive else edit.new[cut:]
            female = new.casefold() in self._female_forms[entry.id]
            if entry.pos == "pron":
                if predicative and entry.features.get("case") == "nom":  # ho er lita
                    self._predicative(text, edit, self._table(female, new, False), taken, extra)
                continue
            if entry.pos != "noun":
                continue
            definite = entry.features.get("definiteness") == "def"
            table = self._table(female, new, definite)
            if not table:
                continue
            if predicative and not genitive:
                self._predicative(text, edit, table, taken, extra)  # jenta er lita
            bare = definite or self._bare(text, edit.start)
            if bare and not genitive:  # postposed possessive: guten min, far min
                nxt = _next_word(text, edit.end)
                if (
                    nxt
                    and nxt[0].casefold() in POSTPOSED
                    and not self._sin_genitive(text, edit, nxt)
                ):
                    self._add(text, nxt, table, taken, extra)
            if definite:
                continue
            pos = edit.start
            for _ in range(3):  # ein (veldig) liten gut
                prev = _prev_word(text, pos)
                if prev is None:
                    break
                low = prev[0].casefold()
                if low in table:
                    self._add(text, prev, table, taken, extra)
                if not _adjective(low):
                    break
                pos = prev[1]
        result.edits.extend(extra)

    def _sin_genitive(self, text: str, edit: Edit, poss: tuple[str, int]) -> bool:
        """Whether *sin/si* after a noun that opens the sentence is the *sin*-genitive
        (*Guten sin sykkel*: *sin* agrees with *sykkel*) rather than a reflexive possessive
        of that noun; a reflexive needs a subject before it, unless the noun phrase is a
        fronted object (*Mora si ringde ho*), where a finite verb follows."""
        if poss[0].casefold() not in ("sin", "si") or not _opens_sentence(text, edit.start):
            return False
        after = _word_after(text, poss)
        return after is not None and not looks_finite(after[0])

    def _bare(self, text: str, start: int) -> bool:
        """Whether an indefinite noun has no determiner or adjective just before it (*far
        min*, not *ein gut min*, where *min* would belong to the next noun)."""
        prev = _prev_word(text, start)
        if prev is None:
            return True
        low = prev[0].casefold()
        return not (
            low in self.to_feminine
            or low in self.to_masculine
            or _adjective(low)
            or low in POSSESSIVES
            or low.endswith("s")
        )

    def _predicative(
        self,
        text: str,
        edit: Edit,
        table: Mapping[str, str] | None,
        taken: set[tuple[int, int]],
        extra: list[Edit],
    ) -> None:
        """*Jenta er lita* → *Guten er liten*: the swapped subject (with a possessive or
        *til* and one word after it: *jenta mi*, *mora til Kari*), a copula, up to two
        degree adverbs, then *liten*/*lita*. A noun after a preposition is no subject."""
        if not table:
            return
        prev = _prev_word(text, edit.start)
        if prev is not None and prev[0].casefold() in PREPOSITIONS:
            return
        nxt = _next_word(text, edit.end)
        if nxt is not None and nxt[0].casefold() in POSSESSIVES:
            nxt = _word_after(text, nxt)
        elif nxt is not None and nxt[0].casefold() == "til":
            nxt = _word_after(text, nxt)
            nxt = nxt and _word_after(text, nxt)
        if nxt is not None and nxt[0].casefold() == "som" and _opens_sentence(text, edit.start):
            # Jenta som kom i går, er lita: a relative clause closed by a comma
            comma = text.find(",", nxt[1], nxt[1] + 80)
            if comma < 0 or any(c in ".!?;:" for c in text[nxt[1] : comma]):
                return
            nxt = _next_word(text, comma + 1)
        if nxt is None or nxt[0].casefold() not in COPULAS_FINITE:
            return
        for _ in range(3):
            nxt = _word_after(text, nxt)
            if nxt is None:
                return
            low = nxt[0].casefold()
            if low in PREDICATIVE:
                if low in table:
                    self._add(text, nxt, {low: table[low]}, taken, extra)
                return
            if low not in DEGREE:
                return

    def _table(self, female: bool, new: str, definite: bool) -> Mapping[str, str] | None:
        """The agreement table for a noun just written (None: nothing agrees)."""
        return self.to_feminine if female else self.to_masculine

    def _add(
        self,
        text: str,
        word: tuple[str, int],
        table: Mapping[str, str],
        taken: set[tuple[int, int]],
        extra: list[Edit],
    ) -> None:
        surface, start = word
        span = (start, start + len(surface))
        new = table.get(surface.casefold())
        if new is None or span in taken:
            return
        taken.add(span)
        extra.append(Edit(span[0], span[1], surface, transfer_case(surface, new), "no.agreement"))


class NynorskGrammar(NorwegianGrammar):
    """Nynorsk: feminine agreement always (ei, lita, mi, inga ...)."""

    language = "nn"


class BokmalGrammar(NorwegianGrammar):
    """Bokmål, with the options ``feminine`` (``mixed``/``a``/``en``) and ``male_object``
    (``ham``/``han``); see the module docstring."""

    language = "nb"
    to_feminine = NB_TO_FEMININE

    def __init__(
        self,
        lexicons: LexiconSet,
        *,
        feminine: str = "mixed",
        male_object: str = "ham",
        names: bool = False,
    ) -> None:
        super().__init__(lexicons, names=names)
        if feminine not in ("mixed", "a", "en"):
            raise ValueError("feminine must be 'mixed', 'a' or 'en'")
        if male_object not in ("ham", "han"):
            raise ValueError("male_object must be 'ham' or 'han'")
        self.feminine = feminine
        self.male_object = male_object

    def restyle(self, decision: Decision, cand: Candidate, target: str) -> Decision:
        """Write the chosen feminine style and the chosen male object pronoun."""
        entry = cand.entry
        if target == "male" and entry.id == "ham" and self.male_object == "han":
            return Decision("han", cand, "nb.option.male_object")
        forms = entry.forms.get(target, ())
        if target != "female" or len(forms) < 2 or self.feminine == "mixed":
            return decision
        ending = "a" if self.feminine == "a" else "en"
        for form in forms:
            if form.endswith(ending):
                return Decision(form, decision.candidate, "nb.option.feminine")
        return decision

    def _table(self, female: bool, new: str, definite: bool) -> Mapping[str, str] | None:
        if not female:
            return self.to_masculine
        if self.feminine == "a":
            return self.to_feminine
        if self.feminine == "mixed" and definite and new.endswith("a"):
            return {k: v for k, v in self.to_feminine.items() if k in POSTPOSED}
        return None


__all__ = ["BokmalGrammar", "NorwegianGrammar", "NynorskGrammar", "looks_finite"]
