"""Norwegian identity axes (nationality, religion, age, disability, orientation) and the
names axis: the rules :class:`.norwegian.NorwegianGrammar` calls on those axes, and the word
lists only they read (those the gender rules read too, and the word helpers, are in
:mod:`.norwegian_words`). The gender rules stay in :mod:`.norwegian`.

* **Agreement.** The adjective's form follows its determiner or subject (*et eldre par* →
  *et ungt par*, *Barnet er døvt*; :meth:`NorwegianIdentityRules._agreement`).
* **Adjective or noun.** *kristen* is the adjective before a noun and the noun alone (*Han er
  kristen* → *Han er jøde*), *de kristne* alone the definite noun (*Muslimene*), and a
  definite noun whose target group has none is written with the plural adjective
  (*Muslimen* → *Den kristne*; :meth:`NorwegianIdentityRules.reading`).
* **Other senses are left alone** (:meth:`NorwegianIdentityRules.accept`): languages
  (*snakker fransk*, *på norsk*), cuisines and products (*kinesisk mat*), names (*Norsk
  Hydro*), *gammel*/*eldre*/*ung* said of things (*et gammelt hus*, *en ung vin*), *en
  unge*, adverbs (*skriver blindt*), biology (*aseksuelle planter*). Unsafe: *gamle* after
  a possessive (*min gamle sjef*: former?), a partial disability (*døv på det ene øret*),
  two forms of one group coordinated (*Lesbiske og homofile* → *Heterofile og heterofile*).
* **Names axis.** Names take the genitive -s (*Oles*); a name is no name when it is an
  imperative or part of a street name (*Finn en partner*, *Henrik Ibsens gate*;
  :meth:`NorwegianIdentityRules.accept_name`), and a name after a title of the other gender
  is unsafe (*Kong Harald* → *Kong Ragnhild*;
  :meth:`NorwegianIdentityRules.mark_names_after_titles`).

See docs/languages/norwegian.md, "Identity axes".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..core.casing import transfer_case
from ..core.grammar import Decision, Rewrite, SwapPlan, at_sentence_start
from ..core.types import Candidate, Edit, Match
from ..lexicons.model import Entry
from ..lexicons.registry import LexiconSet, load_lexicons
from .names import Word
from .norwegian_words import (
    CONJUNCTIONS,
    COPULAS,
    DEGREE,
    FINITE,
    MODALS,
    POSSESSIVES,
    PREPOSITIONS,
    SENTENCE_ADVERBS,
    SUBJECTS,
    adjective,
    looks_finite,
    next_word,
    prev_word,
    word_after,
)

# The axes whose rules are here besides the names axis's (accept_name,
# mark_names_after_titles)
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
# Adjectives before a religion's name that take its indefinite form (tidlig kristendom,
# moderne buddhisme), besides those that adjective() knows by their ending
NAME_MODIFIERS = frozenset(
    """
moderne radikal militant konservativ liberal ortodoks ekstrem moderat tradisjonell
tradisjonal folkelig folkeleg
""".split()
)
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
# Words that make a bare singular nationality adjective after them a language whatever
# stands before (Krav: flytende norsk; på gebrokkent tysk): only a language is fluent or broken
LANGUAGE_MODIFIERS = frozenset(
    "flytende flytande gebrokkent gebrokke perfekt feilfritt feilfri".split()
)
LANGUAGE_SKIP = frozenset(
    """
flytende flytande godt bra litt dårlig dårleg perfekt gebrokkent ikke ikkje også òg både
bare berre mest helst nesten veldig svært og eller samt gjerne eventuelt evt tillegg
dessuten særlig særleg spesielt
""".split()
)
# Languages that are no group's nationality adjective, passed over like the groups' own in a
# list of languages (Krav: norsk og engelsk, gjerne også tysk)
LANGUAGE_NAMES = frozenset(
    """
engelsk spansk svensk dansk finsk samisk kvensk islandsk italiensk portugisisk russisk
arabisk japansk koreansk tyrkisk persisk nederlandsk gresk latin hindi urdu somali
""".split()
)
# A heading before a colon that makes the bare adjectives after it languages (Krav: norsk og
# engelsk; Språk: tysk)
_LANGUAGE_LABEL = re.compile(
    r"\b(?:krav|språk|språkkrav|språkkunnskaper|språkkunnskapar|språkkunnskap)[ \t]*:[ \t]*$",
    re.IGNORECASE,
)
# The word before a comma or slash of a list (norsk, tysk og litt polsk; og/eller tysk)
_LIST_GAP = re.compile(r"\b(\w+)[ \t]*[,/][ \t]*$")
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
undertekstar sennep sennepen senap potet poteten poteter potetene potetar potetane
smør smøret laks laksen fisk fisken kjøtt kjøttet salat salaten saus sausen is isen
krone krona kronen kroner kronene kronar kronane dollar dollaren euro
riviera rivieraen
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
# The young forms: said of things too (en ung vin), left alone before or after a listed thing
YOUNG = frozenset("ung ungt unge".split())
# 'gamle' after a possessive may be 'former' (min gamle sjef: my former boss, or my elderly
# boss?): unsafe, except before kin (min gamle mor), who cannot be former
KIN = frozenset(
    """
mor mora moren far faren bestemor bestemora bestemoren bestefar bestefaren mormor morfar
farmor farfar oldemor oldefar foreldre foreldra foreldrene besteforeldre besteforeldra
besteforeldrene tante tanta tanten onkel onkelen mamma mammaen pappa pappaen hund hunden
katt katten
""".split()
)
# Possessives after a definite noun (den gamle læraren min)
POST_POSSESSIVES = frozenset(
    "min mi mitt mine din di ditt dine sin si sitt sine vår vårt våre deres dykkar deira "
    "hans hennes hennar".split()
)
# Organisms of biology: an orientation adjective before one is no one's orientation
# (aseksuelle planter: asexual plants)
ORGANISMS = frozenset(
    """
plante planta planten planter plantar plantene plantane organisme organismen organismer
organismar bakterie bakterien bakterier bakteriar sopp soppen alge algen alger algar celle
cella cellen celler cellar art arten arter artar
""".split()
)
# A present tense in -er/-ar followed by one of these is a verb in the inverted order (Som
# kristen mener jeg: As a Christian I think); plural nouns with these endings are nouns
# (kristne høytider, kristne organisasjoner)
PLURAL_NOUN_ENDINGS = (
    "sjoner",
    "sjonar",
    "heter",
    "heiter",
    "tider",
    "skoler",
    "skular",
    "verdier",
    "verdiar",
    "kirker",
    "kyrkjer",
    "grupper",
    "gruppar",
    "familier",
    "familiar",
    "ninger",
    "ningar",
)
# A disability adjective before 'på' and one of these is a partial disability (døv på det
# ene øret), which the other groups have no counterpart of: unsafe
PARTIAL = frozenset("det den ene eine begge høyre høgre venstre".split())
# Coordinations in which two forms of one group would be written as one word twice
# (Lesbiske og homofile -> Heterofile og heterofile): unsafe
COORDINATORS = frozenset("og eller samt".split())
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


# degree and sentence adverbs between an adjective and what governs it (*et helt døvt barn*,
# *Barnet er nesten blindt*)
_ADVERBS = DEGREE | SENTENCE_ADVERBS


def _word_before_adverbs(text: str, start: int) -> Word | None:
    """The word before ``start``, over degree and sentence adverbs."""
    prev = prev_word(text, start)
    while prev is not None and prev[0].casefold() in _ADVERBS:
        prev = prev_word(text, prev[1])
    return prev


class NorwegianIdentityRules:
    """The identity-axis and names-axis rules of one Norwegian grammar, with the word sets
    they precompute from its lexicons (all empty on the gender axis).

    Built once per grammar; the grammar calls :attr:`genitive_forms` (spellings),
    :meth:`accept` and :meth:`accept_name` (matching), :meth:`reading` (decisions), and
    :meth:`take_articles` and :meth:`mark_names_after_titles` (after the rewrite).
    """

    def __init__(
        self, lexicons: LexiconSet, language: str, possessor: Callable[[str], bool]
    ) -> None:
        """``language`` is ``nb`` or ``nn``; ``possessor`` is the grammar's test for a
        possessive or a genitive before a noun (*hennes*, *min*, *Karis*)."""
        self.lexicons = lexicons
        self.language = language
        self.axis = axis = lexicons.axis
        self._possessor = possessor
        self.on_identity_axis = axis in IDENTITY_AXES
        entries = lexicons.entries if self.on_identity_axis or axis == "names" else ()
        # identity nouns, plural adjectives and first names also match with a genitive -s
        # (tyskerens, nordmenns, de homofiles, de eldres, Oles)
        self.genitive_forms = frozenset(
            f.casefold()
            for e in entries
            if e.pos in ("noun", "name") or e.features.get("number") == "pl"
            for fs in e.forms.values()
            for f in fs
            if not f.endswith(("s", "x", "z"))
        )
        # per entry of the axis, the entry and its forms, case-folded
        self._entries: dict[str, Entry] = {e.id: e for e in entries}
        self._all_forms = {
            e.id: frozenset(f.casefold() for fs in e.forms.values() for f in fs) for e in entries
        }
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
        # neuter adjectives with a form of their own (blindt, døvt): without a neuter
        # determiner, a copula or a noun they are adverbs (skriver blindt)
        self._neuter_only = (
            frozenset(
                f.casefold()
                for e in entries
                if e.pos == "adj" and e.features.get("gender") == "n"
                for fs in e.forms.values()
                for f in fs
            )
            - self._sg_adj
        )
        # per form, its readings as (entry id, group): two forms that share one are written
        # as one word (lesbiske, homofile -> heterofile)
        self._readings: dict[str, frozenset[tuple[str, str]]] = {}
        for e in entries:
            for g, fs in e.forms.items():
                for f in fs:
                    low = f.casefold()
                    self._readings[low] = self._readings.get(low, frozenset()) | {(e.id, g)}
        self._plural_adj = next(
            (e for e in entries if e.pos == "adj" and e.features.get("number") == "pl"), None
        )
        # a religion's name in the indefinite (kristendom): written after an adjective
        self._indefinite_name = next(
            (
                e
                for e in entries
                if not e.names_person and e.features.get("definiteness") == "indef"
            ),
            None,
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

    # -- matching -------------------------------------------------------------------------
    def accept_name(self, text: str, start: int, end: int) -> bool:
        """A first name is no name at the start of a sentence when it is an imperative before
        no finite verb (*Finn en partner*, *Stig på*), nor before a genitive and a street word
        (*Henrik Ibsens gate*)."""
        if _STREET.match(text, end):
            return False
        if text[end - 1 : end] == "s" and _STREET_AFTER_GENITIVE.match(text, end):
            return False
        if text[start:end].casefold() in NAME_VERBS and at_sentence_start(text, start):
            nxt = next_word(text, end)
            if nxt is not None and nxt[0].islower():
                low = nxt[0].casefold()
                return low in ("og", "eller") or looks_finite(low)
        return True

    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
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
                nxt = next_word(text, end)
                if nxt is not None and nxt[0][:1].isupper():
                    return False
        low = word.casefold()
        axis = self.axis
        if axis == "nationality":
            if low in self._sg_adj and self._language(text, start, end):
                return False
            noun = self._noun_after(text, end)
            return noun is None or noun[0].casefold() not in NOT_PEOPLE
        if axis == "age":
            if low == "unge":  # en unge (a kid); ung after en, ei, ein
                prev = prev_word(text, start)
                if prev is not None and prev[0].casefold() in ("en", "ei", "ein"):
                    return False
            if low in OLD_OF_THINGS:
                return self._of_people(text, start, end) is not False
            if low in YOUNG:  # en ung vin, vinen er ung: a thing
                return self._of_people(text, start, end) is not False
        if axis == "orientation":  # aseksuelle planter
            noun = self._noun_after(text, end)
            return noun is None or noun[0].casefold() not in ORGANISMS
        if axis == "disability" and low in self._neuter_only:
            return not self._adverb(text, start, end)
        return True

    def _adverb(self, text: str, start: int, end: int) -> bool:
        """Whether a neuter adjective at ``start`` (*blindt*, *døvt*) is an adverb (*skriver
        blindt*): no noun after it, and no neuter determiner, copula, adjective or possessive
        before it (over degree adverbs: *et helt døvt barn*, *Barnet er nesten blindt*)."""
        if self._noun_after(text, end) is not None:
            return False
        prev = _word_before_adverbs(text, start)
        if prev is None:
            return False
        low = prev[0].casefold()
        return not (
            low in NEUTER_DETERMINERS
            or low in LINKS
            or low in self._axis_forms
            or adjective(low)
            or self._possessor(prev[0])
        )

    def _language(self, text: str, start: int, end: int) -> bool:
        """Whether the singular nationality adjective at ``start`` names a language: no
        noun after it, and a verb or preposition of language before it (with adverbs and
        other languages between: *snakker flytende tysk og litt polsk*), or it opens its
        sentence before a verb (*Norsk er et vanskelig språk*)."""
        nxt = next_word(text, end)
        if nxt is not None:
            low = nxt[0].casefold()
            if low not in NON_NOUNS and low not in self._sg_adj:
                return False
        prev = prev_word(text, start)
        if prev is not None and prev[0].casefold() in LANGUAGE_MODIFIERS:
            return True  # Krav: flytende norsk
        if _LANGUAGE_LABEL.search(text, max(0, start - 40), start):
            return True  # Krav: norsk og engelsk
        if at_sentence_start(text, start):
            return nxt is not None and nxt[0].casefold() in FINITE
        pos = start
        for _ in range(10):
            prev = prev_word(text, pos)
            if prev is None:
                # over the comma or slash of a list of languages (norsk, tysk og litt
                # polsk; og/eller tysk), else a heading (Krav: norsk og engelsk)
                gap = _LIST_GAP.search(text, max(0, pos - 40), pos)
                if gap is None:
                    return _LANGUAGE_LABEL.search(text, max(0, pos - 40), pos) is not None
                low = gap.group(1).casefold()
                if low not in self._sg_adj and low not in LANGUAGE_NAMES | COORDINATORS:
                    return False
                pos = gap.start(1)
                continue
            low = prev[0].casefold()
            if low in LANGUAGE_CUES:
                return True
            if low not in LANGUAGE_SKIP and low not in self._sg_adj and low not in LANGUAGE_NAMES:
                return False
            pos = prev[1]
        return False

    def _noun_after(self, text: str, end: int) -> Word | None:
        """The noun after an adjective that ends at ``end``, over other adjectives (*en
        gammel tysk bil*); None when a function word, punctuation or nothing follows."""
        nxt = next_word(text, end)
        for _ in range(3):
            if nxt is None:
                return None
            low = nxt[0].casefold()
            if low in NON_NOUNS:
                return None
            if low in self._axis_forms or (low not in self._person_nouns and adjective(low)):
                nxt = word_after(text, nxt)
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
        prev = _word_before_adverbs(text, start)
        if prev is None:
            return None
        low = prev[0].casefold()
        if low in SUBJECT_NUMBER:  # Er du aseksuell?
            before = prev_word(text, prev[1])
            return prev if before is not None and before[0].casefold() in LINKS else None
        if low not in LINKS:
            return None
        subject = prev_word(text, prev[1])
        while subject is not None and subject[0].casefold() in LINKS | SENTENCE_ADVERBS:
            subject = prev_word(text, subject[1])  # er født, har vært
        if subject is not None and subject[0].casefold() in POSSESSIVES:
            subject = prev_word(text, subject[1])  # Sønnen vår er
        return subject

    # -- readings -------------------------------------------------------------------------
    def reading(self, text: str, match: Match, plan: SwapPlan) -> Match | Decision:
        """The readings of an identity term that fit its context: the adjective or the noun
        (*en kristen kvinne*, *Han er kristen.*), and the adjective's form from its
        determiner or subject (*et eldre par* → *et ungt par*); or a decision: *eldre*
        before *kollega* is unsafe, and a definite noun whose target group has none is
        written with the plural adjective (*Muslimen* → *Den kristne*)."""
        cands = match.candidates
        low = match.text.casefold()
        if not any(c.entry.names_person for c in cands):
            return self._religion_name(text, match)
        if low == "eldre" and self.axis == "age":
            nxt = next_word(text, match.end)
            if nxt is not None and nxt[0].casefold() in RELATIONAL:
                return Decision(unsafe=f"'eldre {nxt[0]}' may be the comparative (older than)")
        if (
            low in OLD_OF_THINGS
            and self.axis == "age"
            and self._of_people(text, match.start, match.end) is None
        ):
            return Decision(unsafe=f"{match.text!r}: said of a person or of a thing?")
        if low == "gamle" and self.axis == "age" and self._former(text, match.start, match.end):
            return Decision(unsafe=f"{match.text!r} after a possessive may be 'former'")
        if self.axis == "disability" and self._partial(text, match.end):
            return Decision(unsafe=f"{match.text!r} på ...: a partial disability")
        twin = self._coordinated_twin(text, match)
        if twin is not None:
            return Decision(
                unsafe=f"{match.text!r} and {twin!r}: one group, written as one word twice"
            )
        nouns = tuple(c for c in cands if c.entry.pos == "noun")
        if nouns and len(nouns) < len(cands):  # kristen, kristne: adjective or noun?
            # a genitive (kristnes rettigheter) stands alone: the noun
            genitive = low not in self._axis_forms and low[:-1] in self._axis_forms
            attributive = False if genitive else self._attributive(text, match.end)
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

    def _religion_name(self, text: str, match: Match) -> Match | Decision:
        """A religion's name (``referent: nonperson``: *islam*, *kristendommen*): unsafe
        after a hyphen (*sunni-islam*: a branch); after an adjective with no determiner
        before it, the indefinite reading (*tidlig islam* → *tidlig kristendom*, not
        **tidlig kristendommen*), since *islam* has one form for both."""
        if text[match.start - 1 : match.start] in ("-", "‐") and text[
            match.start - 2 : match.start - 1
        ].isalnum():
            compound = text[: match.end].split()[-1] if text[: match.end].split() else match.text
            return Decision(unsafe=f"{compound!r}: a compound (a branch of the religion?)")
        prev = prev_word(text, match.start)
        if prev is None:
            return match
        low = prev[0].casefold()
        if not (low in NAME_MODIFIERS or (low not in NON_NOUNS and adjective(low))):
            return match
        before = prev_word(text, prev[1])
        if before is not None and (
            before[0].casefold() in WEAK_DETERMINERS or self._possessor(before[0])
        ):
            return match  # den tidlige kristendommen: definite
        surface = match.text.casefold()
        cands = []
        for c in match.candidates:
            indef = self._indefinite_name
            if (
                c.entry.features.get("definiteness") == "def"
                and indef is not None
                and {surface, surface[:-1]} & {f.casefold() for f in indef.forms.get(c.group, ())}
            ):
                c = Candidate(indef, c.group)
            cands.append(c)
        return Match(match.start, match.end, match.text, tuple(cands), match.groups)

    def _former(self, text: str, start: int, end: int) -> bool:
        """Whether *gamle* at ``start`` follows a possessive (*min gamle sjef*, *Karis gamle
        lærer*) or a definite article with a possessive after the noun (*den gamle læraren
        min*), before a noun that is no kin (*min gamle mor* is old, not former)."""
        noun = self._noun_after(text, end)
        if noun is None or noun[0].casefold() in KIN:
            return False
        prev = prev_word(text, start)
        if prev is None:
            return False
        if prev[0].casefold() in POSSESSIVES or self._possessor(prev[0]):
            return True
        after = word_after(text, noun)
        return (
            prev[0].casefold() in ("den", "det", "de", "dei")
            and after is not None
            and after[0].casefold() in POST_POSSESSIVES
        )

    def _partial(self, text: str, end: int) -> bool:
        """Whether a disability adjective that ends at ``end`` is followed by *på* and an
        article or side (*døv på det ene øret*, *blind på høyre øye*)."""
        nxt = next_word(text, end)
        if nxt is None or nxt[0].casefold() != "på":
            return False
        after = word_after(text, nxt)
        return after is not None and after[0].casefold() in PARTIAL

    def _coordinated_twin(self, text: str, match: Match) -> str | None:
        """Another form of the same entry and group after *og*/*eller* (*Lesbiske og
        homofile*, *gamle og eldre*): both would be written as one word (*Heterofile og
        heterofile*); the twin, or None."""
        nxt = next_word(text, match.end)
        if nxt is None or nxt[0].casefold() not in COORDINATORS:
            return None
        if text[match.end : nxt[1]].strip(" ,"):
            return None
        after = word_after(text, nxt)
        if after is None:
            return None
        other = after[0].casefold()
        if other == match.text.casefold():
            return None
        readings = self._readings.get(other) or self._readings.get(other[:-1], frozenset())
        own = {(c.entry.id, c.group) for c in match.candidates}
        return after[0] if own & readings else None

    def _attributive(self, text: str, end: int) -> bool | None:
        """Whether an adjective that ends at ``end`` stands before a noun (*kristne
        ledere*, *kristne og muslimske ledere*) rather than alone (*Han er kristen.*,
        *mange kristne i Norge*); None before a word that may be a present-tense verb
        as well as a noun (*mange kristne feirer jul*, *kristne skoler*)."""
        nxt = next_word(text, end)
        if nxt is None:
            return False
        low = nxt[0].casefold()
        if low in ("og", "eller"):
            after = word_after(text, nxt)
            return after is not None and after[0].casefold() in self._adj_forms
        if low in NON_NOUNS:
            return False
        if looks_finite(low) and self._person(text, nxt) is not True:
            # a past tense (protesterte) is no noun; a present tense in -er/-ar may be a
            # plural noun (kristne feirer jul; kristne skoler), unless a subject follows it
            # (Som kristen mener jeg) or it has a noun's ending (kristne høytider)
            after = word_after(text, nxt)
            if after is not None and after[0].casefold() in SUBJECTS:
                return False
            if low.endswith(PLURAL_NOUN_ENDINGS):
                return True
            return False if low.endswith(("te", "de")) else None
        return True

    def _definite_reading(
        self, text: str, match: Match, nouns: tuple[Candidate, ...]
    ) -> tuple[Candidate, ...] | None:
        """*de kristne*, *den kristne* standing alone: the definite noun (→ *muslimene*,
        *muslimen*); the article is taken into the edit (see :meth:`take_articles`)."""
        prev = prev_word(text, match.start)
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
        prev = prev_word(text, match.start)  # den unge muslimen, alle muslimene: unsafe
        if prev is not None and (
            prev[0].casefold() in WEAK_DETERMINERS or adjective(prev[0].casefold())
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
            prev = prev_word(text, pos)
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
            if not (low in DEGREE or low in self._axis_forms or adjective(low)):
                break
            pos = prev[1]
        if self._noun_after(text, end) is None:
            subject = self._subject(text, start)
            if subject is not None:
                return _subject_number(text, subject)
        return "pl"

    # -- after the rewrite ----------------------------------------------------------------
    def take_articles(self, text: str, result: Rewrite) -> None:
        """*De kristne* read as a definite noun becomes *Muslimene*: the edit of a noun
        given a definite reading (:meth:`_definite_reading`) takes in the article before it."""
        for i, e in enumerate(result.edits):
            entry = self._entries.get(e.entry or "")
            if entry is None or entry.features.get("definiteness") != "def":
                continue
            old = e.old.casefold()
            if old in self._all_forms[entry.id] or old[:-1] in self._all_forms[entry.id]:
                continue  # muslimen, muslimens: a definite form of its own
            prev = prev_word(text, e.start)
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

    def apostrophe_genitives(self, text: str, result: Rewrite) -> None:
        """A name in -s, -x or -z with the genitive apostrophe (*Anders'*, *Max'*) written
        as a name that ends otherwise takes the apostrophe into the edit and the -s
        (*Bentes*), not *Bente'*; a name in single quotes (*'Anders'*) is left as it is."""
        for i, e in enumerate(result.edits):
            if not (
                e.old.casefold().endswith(("s", "x", "z"))
                and text[e.end : e.end + 1] in ("'", "\u2019")
                and not (text[e.end + 1 : e.end + 2].isalnum())
                and text[e.start - 1 : e.start] not in ("'", "\u2018", "\u2019")
                and not e.new.casefold().endswith(("s", "x", "z"))
            ):
                continue
            result.edits[i] = Edit(
                e.start,
                e.end + 1,
                text[e.start : e.end + 1],
                e.new + "s",
                "no.names.genitive_apostrophe",
                e.entry,
                e.lexicon,
            )

    def mark_names_after_titles(self, text: str, result: Rewrite) -> None:
        """Names axis: a name written after a gendered title of the other gender, which is
        not swapped, makes the variant unsafe (*Kong Harald* → *Kong Ragnhild*, *tante Gerd*
        → *tante Nils*)."""
        for e in result.edits:  # Kong Harald -> Kong Ragnhild
            prev = prev_word(text, e.start)
            title = NAME_TITLES.get(prev[0].casefold()) if prev is not None else None
            name = e.new.casefold()
            group = self._name_group.get(name) or self._name_group.get(name[:-1])  # Johns
            if title is not None and group != title:
                result.unsafe.append(
                    f"name {e.old!r} → {e.new!r} after the title {prev[0]!r}, which is not swapped"
                )
