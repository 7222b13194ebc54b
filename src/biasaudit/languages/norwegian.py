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
* **Identity axes and names** (nationality, religion, age, disability, orientation; the
  names axis): their rules live in :mod:`.norwegian_identity`
  (:class:`~.norwegian_identity.NorwegianIdentityRules`, built once per grammar); the
  grammar calls it to match, to choose a reading and after the rewrite. See
  docs/languages/norwegian.md, "Identity axes".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..core.casing import transfer_case
from ..core.grammar import Decision, Grammar, Rewrite, SwapPlan, at_sentence_start
from ..core.types import Candidate, Edit, Match
from ..errors import ConfigError
from ..lexicons.model import Entry
from ..lexicons.registry import LexiconSet, load_lexicons
from .names import DoubleNames, Word, add_names, mark_titles_before_names, names_swapper
from .norwegian_identity import NorwegianIdentityRules
from .norwegian_words import (
    ADJECTIVES,
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

_TWO_WORDS = re.compile(r"[ \t]+(\w+)[ \t]+(\w+)")
# Words that are a preposition or a subordinating conjunction (not siden/sidan: see
# CONJUNCTIONS): before a finite verb they open a clause whose subject han is (om han kommer,
# før han gikk, til han kommer, for han var syk); otherwise han is their object (om han,
# før han).
SUBORDINATORS = frozenset("om før etter til inntil innen innan for".split())
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
# Copulas before a predicative adjective (the adverbs that may stand between: DEGREE)
COPULAS_FINITE = frozenset("er var blir ble blei vart vert".split())
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
# Short strong and irregular presents not in norwegian_words.FINITE (and too short for its
# ending test): a han after a bridge verb and before one of them is a subject (Ho trur han
# lyg). Gender rules only; the identity rules keep their own list.
MORE_FINITE = frozenset(
    """
lyg et les skriv drikk held fell syng spring sym flyg grin bit ber skin finn vinn slepp
byr byd bryt kryp ryk frys veks gjeng let tek
""".split()
)
# Adjectives (Nynorsk spellings) that may stand between a determiner and its noun, beside
# norwegian_words.ADJECTIVES (ei gammal kvinne)
MORE_ADJECTIVES = frozenset("gammal gamal gamle gammalt".split())
# fare (to rush): "far" after a subject pronoun and before one of these is the verb (Hun
# far rundt), not the noun
MOTION = frozenset(
    """
rundt omkring avgårde av hit dit forbi vill ille fram frem opp ned ut inn hjem heim
gjennom omkring bort vekk
""".split()
)
# mann after a number or per/pr./hver/kvar counts people of either sex (150 kroner per
# mann, dribla forbi to mann, vi var tolv mann): kept
_COUNTED_MANN = re.compile(
    r"(?:\b(?:per|pr\.?|hver|kvar|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|"
    r"femten|tjue|tyve|tretti|hundre)|\d)[ \t]+$",
    re.IGNORECASE,
)
# A bare "mannen" after one of these prepositions, with no possessive and none of
# IDENTIFIERS after it, may be the man or her husband (Hun kom hjem med mannen): unsafe
SPOUSE_PREPOSITIONS = frozenset("med hos".split())
IDENTIFIERS = frozenset(
    """
i på fra frå som med ved bak foran under over bortenfor ved siden sidan der her min din
sin mi di si hennes hennar hans til
""".split()
)
# Pregnancy, birth and breastfeeding (said of women only) and male-only organs: a text
# that says one of them and has a swap may now say it of the other sex: unsafe
# (fødselsdag, født/fødd "born" are not about giving birth)
_SEX_BIOLOGY = re.compile(
    r"(?<!\w)(?:gravid\w*|graviditet\w*|svangerskap\w*|menstruasjon\w*|\w*livmor\w*|"
    r"\w*eggstokk\w*|fødsel(?!s(?:dag|år|nummer|attest|dato|data|tall|overskudd))\w*|"
    r"fødsl\w*|fødte|fødde|føder|(?:å|kan|skal|vil|ville|skulle|kunne|må|måtte|til)"
    r"[ \t]+føde|amm(?:e|er|et|a|ar|ing\w*)|\w*prostata\w*|\w*testik\w*)(?!\w)",
    re.IGNORECASE,
)
# A word that begins or ends with a gendered element but is not in the lexicon
# (guttekoret, kvinnefotballturneringen, sønnesønnen): left as it is while the people
# around it are swapped, so the swap is unsafe. Words not about people are kept.
# substrings each of the two patterns needs (a cheap test of the lower-cased text before
# the slow search)
_BIOLOGY_ROOTS = re.compile(
    "gravid|svangerskap|menstruasjon|livmor|eggstokk|føds|født|fødd|føde|amm|prostata|testik"
)
_COMPOUND_ROOTS = re.compile("gutt|gute|jent|kvinn|mann|menn|herre|dame|sønn|datter|dotter|eks")
# (one pattern over the whole text: a word that begins or ends so; most texts have none)
_GENDERED_COMPOUND = re.compile(
    r"(?<!\w)(?:(?:gutte|gute|jente|kvinne|manns|herre|dame|sønne|sønna|datter|dotter|"
    r"eks(?=mann|menn|kon))\w{2,}|\w{3,}(?:mann|mannen|menn|mennene|kvinne|kvinnen|kvinna|"
    r"kvinner|kvinnene|gutt|gutten|gutter|guttene|jente|jenta|jenten|jenter|jentene))(?!\w)",
    re.IGNORECASE,
)
_NOT_PEOPLE = re.compile(
    r"(?:mannskap|mannsterk|mannsalder|mannshøg|mannshøy|herregud|herredømme|herregård|"
    r"herrestad|datterselskap|dotterselskap)\w*",
    re.IGNORECASE,
)
_FEMALE_REFERENCE = re.compile(r"(?<!\w)(?:hun|henne|hennes|ho|hennar)(?!\w)", re.IGNORECASE)
# "N år gammel": an age phrase between a determiner and its noun (ein 80 år gammal mann)
_AGE_WORDS = frozenset("gammel gammal gamal".split())
_NUMBERS = frozenset(
    """
to tre fire fem seks sju syv åtte ni ti elleve tolv tretten fjorten femten seksten sytten
atten nitten tjue tyve tretti førti seksti sytti åtti nitti hundre
""".split()
)


def _finite(word: str) -> bool:
    """:func:`looks_finite`, or one of the short presents in :data:`MORE_FINITE`."""
    return looks_finite(word) or word.casefold() in MORE_FINITE


def _adjective(low: str) -> bool:
    """:func:`adjective`, or one of :data:`MORE_ADJECTIVES` (``low`` is case-folded)."""
    return adjective(low) or low in MORE_ADJECTIVES


def _name_after(text: str, end: int) -> Word | None:
    """The capitalised word after a title or person noun that ends at ``end`` and a space
    (*dronning Sonja*, *tante Gerd*, *Kong HARALD*): a name, which the gender axis does not
    swap."""
    if text[end : end + 1] != " " or text[end + 1 : end + 2].islower():
        return None  # cheap tests first: no space, or a lower-case word follows
    nxt = next_word(text, end)
    return nxt if nxt is not None and nxt[0][:1].isupper() else None


# First names that the names lexicon leaves out, with their genders: names that are also
# ordinary words (Hans = his, Per, Liv = life ...) and names given to both genders. They
# are never swapped, so one of them next to a swapped name is half a double first name
# (*Per Olav* → *Per Hege*, *Hans Petter* → *Hans Malin*): see names.DoubleNames.
MORE_FIRST_NAMES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("Per", "Hans", "Odd", "Tom", "Dag", "Stein", "Frank"), ("male",)),
    **dict.fromkeys(("Liv", "Tone", "Line", "Siv", "Ruth", "Vilde", "Lilly"), ("female",)),
    **dict.fromkeys(("Kim", "Inge"), ("male", "female")),
}


def _guess_first_name(word: str) -> frozenset[str]:
    """A capitalised word in *-a* that the names lexicon lacks, after a first name, is a
    woman's second first name (*Ingrid Alexandra*, *Anne Sofia*): Norwegian family names
    rarely end in *-a*."""
    return frozenset(("female",)) if len(word) > 2 and word.endswith("a") else frozenset()


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the noun at ``start``, with up to two words before it that are *den/dei*
    or adjectives (*Den vesle guten*), opens its sentence."""
    for _ in range(3):
        prev = prev_word(text, start)
        if prev is None:
            break
        low = prev[0].casefold()
        if low not in ("den", "dei", "de") and low not in ADJECTIVES:
            break
        start = prev[1]
    return at_sentence_start(text, start)


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
        # a double first name swapped by half (Ingrid Alexandra -> Kjell Alexandra): unsafe
        self._double_names: DoubleNames | None = None
        if self._name_swapper is not None or lexicons.axis == "names":
            name_lexicons = self._name_swapper[0].lexicons if self._name_swapper else lexicons
            self._double_names = DoubleNames(name_lexicons, MORE_FIRST_NAMES, _guess_first_name)
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
        # the identity-axis and names-axis rules, with what they precompute from the lexicons
        self._identity_rules = NorwegianIdentityRules(lexicons, self.language, self._possessor)

    def wants(self, text: str) -> bool:
        """With ``names=True``, a text with no gender term may still hold a name to swap
        (*Ingrid kom.* → *Kjell kom.*)."""
        return self._name_swapper is not None

    def spellings(self, form: str) -> tuple[str, ...]:
        """A noun is also matched with the genitive -s (*mannens*, *jentas*, *brors*), and
        in a compound after a listed prefix (*tobarnsfar*, *storebroren*, *lillesøsters*);
        on the identity axes nouns and plural adjectives (*tyskerens*, *de homofiles*), and
        first names (*Oles*), take the genitive -s too."""
        low = form.casefold()
        genitive = low in self._genitive or low in self._identity_rules.genitive_forms
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
        sentence are names (*Hans*), and *Herren* is the Lord. The names axis and the
        identity axes ask :class:`~.norwegian_identity.NorwegianIdentityRules`."""
        if all(c.entry.pos == "name" for c in candidates):
            if not text[start].isupper():
                return False
            names = self.lexicons.axis == "names"
            return not names or self._identity_rules.accept_name(text, start, end)
        if self.lexicons.axis != "gender":
            rules = self._identity_rules
            return not rules.on_identity_axis or rules.accept(text, start, end, candidates)
        word = text[start:end]
        low = word.casefold()
        if low == "far" and self._verb_far(text, start, end):
            return False  # Hun far rundt: the verb fare
        if low == "mann" and _COUNTED_MANN.search(text, max(0, start - 12), start):
            return False  # 150 kroner per mann, forbi to mann: people of either sex
        if not word[:1].isupper() or (len(word) > 1 and word.isupper()):
            return True
        if any(c.entry.id.startswith("herre.sg.") and c.group == "male" for c in candidates):
            return False  # Herren, Herre Gud: the Lord (not Herrene, the men)
        if not at_sentence_start(text, start):  # (a word before it, so not at a start)
            prev = prev_word(text, start)
            return prev is not None and prev[0].casefold() in HONORIFICS  # Hennes Majestet
        if self._firm(text, end, candidates):
            return False  # Brødrene Dahl, Søstrene Grene: a firm, not people
        if low == "hans":  # Hans (the name) or Hans (his)?
            return self._hans_is_possessive(text, end)
        if candidates[0].entry.pos == "pron":
            nxt = next_word(text, end)
            # Han Kang, Hun Sen: a name, not a pronoun (a subject is followed by its verb)
            return not (nxt and nxt[0][:1].isupper() and text[end] == " ")
        return True

    @staticmethod
    def _verb_far(text: str, start: int, end: int) -> bool:
        """*far* after a subject pronoun and before a word of motion is the verb *fare*
        (*Hun far rundt*, *eg far heim*); *Ser du far?*, *du far og jeg* are the noun."""
        prev = prev_word(text, start)
        if prev is None or prev[0].casefold() not in SUBJECTS:
            return False
        nxt = next_word(text, end)
        return nxt is not None and nxt[0].casefold() in MOTION

    def _firm(self, text: str, end: int, candidates: tuple[Candidate, ...]) -> bool:
        """A plural person noun that opens a sentence with a capital, before a capitalised
        word that is not a first name, names a firm or a group (*Brødrene Dahl*, *Søstrene
        Grene*); before a first name it is the people (*Brødrene Ole og Per*)."""
        if not any(c.entry.features.get("number") == "pl" for c in candidates):
            return False
        name = _name_after(text, end)
        return name is not None and name[0].casefold() not in self._first_names()

    def _first_names(self) -> frozenset[str]:
        names = self.__dict__.get("_first_name_set")
        if names is None:
            lexicons = load_lexicons(self.lexicons.language, "names")
            names = frozenset(
                f.casefold() for e in lexicons.entries for fs in e.forms.values() for f in fs
            )
            self.__dict__["_first_name_set"] = names
        return names

    def _hans_is_possessive(self, text: str, end: int) -> bool:
        """Sentence-initial *Hans*: *his* before a noun phrase (*Hans søster*, *Hans eldste
        datter*, *Hans venner kom*), the name before a verb, a capital, a conjunction or
        punctuation (*Hans kom*, *Hans Petter*, *Hans og Grete*, *Hans, kom hit*)."""
        nxt = next_word(text, end)
        if nxt is None or nxt[0][:1].isupper():
            return False
        low = nxt[0].casefold()
        if low in ("og", "eller", "men", "som"):  # Hans og Grete; Hans og hennes barn
            after = word_after(text, nxt)
            return after is not None and after[0].casefold() in POSSESSIVES
        if low in FINITE:
            return False
        if low in self._nouns or low in ADJECTIVES or low in PLURAL_NOUNS:
            return True
        if looks_finite(low):  # a verb (Hans kommer hjem) or a plural noun (Hans venner kom)
            after = word_after(text, nxt)
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
        if self._identity_rules.on_identity_axis:
            picked = self._identity_rules.reading(text, match, plan)
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

    def restyle(self, decision: Decision, cand: Candidate, target: str) -> Decision:
        """Pick among a group's alternative forms (hook for Bokmål options)."""
        return decision

    def han_reading(self, text: str, match: Match) -> str:
        """``obj`` or ``nom`` for an ambiguous *han* (see the module docstring).

        Norwegian main clauses put the finite verb second: after *Kari ringte* the subject
        is taken, so *han* is the object; after *I dag kommer* it is the subject."""
        prev = prev_word(text, match.start)
        nxt = next_word(text, match.end)
        if prev is None or at_sentence_start(text, match.start):
            return "obj" if self._fronted_object(text, match.end) else "nom"
        word = prev[0].casefold()
        if word in SUBORDINATORS and nxt and _finite(nxt[0]):
            return "nom"  # om han kommer = if he comes; før han gikk; til han kommer
        if word in PREPOSITIONS:
            return "obj"
        if word in COPULAS or word in CONJUNCTIONS or word in QUESTION_WORDS:
            return "nom"  # er han; at han; hva han mente; siden han flyttet
        if word in MODALS:  # Det kan han; Jeg vil han skal komme; not Jeg kan han utenat
            before = prev_word(text, prev[1])
            if (
                before is None
                or before[0].casefold() not in SUBJECTS
                or (nxt and _finite(nxt[0]))
            ):
                return "nom"
        if word in BRIDGE_VERBS and nxt and _finite(nxt[0]):
            return "nom"  # hun tror han kommer
        if word in SENTENCE_ADVERBS and nxt and _finite(nxt[0]):  # tror ikke han vet
            pos = prev[1]
            for _ in range(2):
                before = prev_word(text, pos)
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
        first = prev_word(text, prev[1])
        if (
            first is not None
            and first[0].casefold() in ("og", "men", "eller")
            and _finite(word)
            and word not in BRIDGE_VERBS
            and word not in COPULAS
        ):
            return "obj"  # Ho kom inn og klemte han: a verb coordinated with the first
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
            before = prev_word(text, pos)
            if before is None:
                break
            if before[0].casefold() in SUBJECTS:
                return "obj"
            pos = before[1]
        if (
            at_sentence_start(text, prev[1])
            and word not in FRONTED
            and not _finite(word)
            and not (nxt and _finite(nxt[0]))
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
        if not _finite(verb) or verb in BRIDGE_VERBS:
            return False
        after = next_word(text, m.end())
        return after is None or not _finite(after[0])

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
        prev = prev_word(text, match.start)
        nxt = next_word(text, match.end)
        possessed = (prev is not None and self._possessor(prev[0])) or (
            nxt is not None and nxt[0].casefold() in POSSESSIVES
        )
        if not possessed and nxt is not None and nxt[0].casefold() == "til":
            owner = word_after(text, nxt)  # mannen til Kari
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

    def _mark_husbands(self, text: str, result: Rewrite) -> None:
        """A bare *mannen* after *med* or *hos*, or anywhere in a text whose other reference
        is a woman (*hun*, *henne*, *hennes*), with no possessive and nothing after it that
        tells which man, may be the man or her husband (*Hun kom hjem med mannen*, *Hun
        fortalte at mannen hadde reist*): its swap to *kvinnen* is marked unsafe."""
        female = self._female_forms.get("mann.sg.def", frozenset())
        for edit in result.edits:
            if edit.entry != "mann.sg.def" or edit.new.casefold() not in female:
                continue
            prev = prev_word(text, edit.start)
            low = prev[0].casefold() if prev is not None else ""
            if low not in SPOUSE_PREPOSITIONS and (
                # beside a woman (Hun fortalte at mannen hadde reist), a bare mannen
                # with no determiner or adjective before it may be her husband
                low in ("den", "denne", "han", "hin") or _adjective(low)
                or not _FEMALE_REFERENCE.search(text)
            ):
                continue
            nxt = next_word(text, edit.end)
            if nxt is None or nxt[0].casefold() not in IDENTIFIERS:
                result.unsafe.append(f"{edit.old!r}: the man, or a husband")

    @staticmethod
    def _mark_biology_and_compounds(text: str, matches: list[Match], result: Rewrite) -> None:
        """A swap in a text about pregnancy, birth or breastfeeding (or a male-only organ)
        is unsafe; so is one beside a gendered compound the lexicon does not swap
        (*guttekoret*, *kvinnefotballturneringen*, *sønnesønnen*)."""
        if not any(e.new != e.old for e in result.edits):
            return
        low = text.lower()  # (substring tests first: the patterns are slow, hits are rare)
        biology = _SEX_BIOLOGY.search(text) if _BIOLOGY_ROOTS.search(low) else None
        if biology:
            result.unsafe.append(
                f"{biology.group()!r} is said of one sex only: the swapped text may say it "
                "of the other"
            )
        taken = None
        candidates = _GENDERED_COMPOUND.finditer(text) if _COMPOUND_ROOTS.search(low) else ()
        for word in candidates:
            if taken is None:
                taken = [(m.start, m.end) for m in matches] + [
                    (e.start, e.end) for e in result.edits]
            if any(s < word.end() and word.start() < e for s, e in taken):
                continue
            w = word.group()
            if _NOT_PEOPLE.fullmatch(w):
                continue
            if w[:1].isupper() and not _opens_sentence(text, word.start()):
                continue  # a name (Hermannsen, Lindemann)
            result.unsafe.append(f"{w!r}: a gendered compound, not swapped")

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
            self._mark_husbands(text, result)
            self._mark_biology_and_compounds(text, matches, result)
        add_names(self._name_swapper, text, matches, plan, result)
        if result.edits and self._double_names is not None and not self._inside_gender:
            self._double_names.mark(text, result)
        if result.edits and self._identity_rules.on_identity_axis:
            self._identity_rules.take_articles(text, result)
        if result.edits and self.lexicons.axis == "names":
            self._identity_rules.apostrophe_genitives(text, result)  # with names=True too
            if not self._inside_gender:
                self._identity_rules.mark_names_after_titles(text, result)
        if result.edits and self.lexicons.axis == "gender" and not text[1:].islower():
            # (a name after a title starts with a capital: none after the first letter, no
            # name to check)
            mark_titles_before_names(text, result, self._titles, _name_after)
        return result

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
                nxt = next_word(text, edit.end)
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
                prev = prev_word(text, pos)
                if prev is None:
                    break
                low = prev[0].casefold()
                if low in _AGE_WORDS:  # ein 80 år gammal mann: pass over the age phrase
                    age = self._age_phrase(text, prev)
                    if age is not None:
                        prev, low = age, age[0].casefold()
                if low in table:
                    self._add(text, prev, table, taken, extra)
                if not _adjective(low):
                    break
                pos = prev[1]
        result.edits.extend(extra)

    @staticmethod
    def _age_phrase(text: str, word: tuple[str, int]) -> tuple[str, int] | None:
        """For *gammal* in *ein 80 år gammal mann*, the word before the number (*ein*);
        None when no *år* and number stand before it."""
        year = prev_word(text, word[1])
        if year is None or year[0].casefold() != "år":
            return None
        number = prev_word(text, year[1])
        if number is None or not (number[0].isdigit() or number[0].casefold() in _NUMBERS):
            return None
        return prev_word(text, number[1])

    def _sin_genitive(self, text: str, edit: Edit, poss: tuple[str, int]) -> bool:
        """Whether *sin/si* after a noun that opens the sentence is the *sin*-genitive
        (*Guten sin sykkel*: *sin* agrees with *sykkel*) rather than a reflexive possessive
        of that noun; a reflexive needs a subject before it, unless the noun phrase is a
        fronted object (*Mora si ringde ho*), where a finite verb follows."""
        if poss[0].casefold() not in ("sin", "si") or not _opens_sentence(text, edit.start):
            return False
        after = word_after(text, poss)
        return after is not None and not looks_finite(after[0])

    def _bare(self, text: str, start: int) -> bool:
        """Whether an indefinite noun has no determiner or adjective just before it (*far
        min*, not *ein gut min*, where *min* would belong to the next noun)."""
        prev = prev_word(text, start)
        if prev is None:
            return True
        low = prev[0].casefold()
        return not (
            low in self.to_feminine
            or low in self.to_masculine
            or _adjective(low)
            or low in POSSESSIVES
            or (low.endswith("s") and low not in PREPOSITIONS and low not in NOT_GENITIVES)
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
        prev = prev_word(text, edit.start)
        if prev is not None and prev[0].casefold() in PREPOSITIONS:
            return
        nxt = next_word(text, edit.end)
        if nxt is not None and nxt[0].casefold() in POSSESSIVES:
            nxt = word_after(text, nxt)
        elif nxt is not None and nxt[0].casefold() == "til":
            nxt = word_after(text, nxt)
            nxt = nxt and word_after(text, nxt)
        if nxt is not None and nxt[0].casefold() == "som" and _opens_sentence(text, edit.start):
            # Jenta som kom i går, er lita: a relative clause closed by a comma
            comma = text.find(",", nxt[1], nxt[1] + 80)
            if comma < 0 or any(c in ".!?;:" for c in text[nxt[1] : comma]):
                return
            nxt = next_word(text, comma + 1)
        if nxt is None or nxt[0].casefold() not in COPULAS_FINITE:
            return
        for _ in range(3):
            nxt = word_after(text, nxt)
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
            raise ConfigError(f"option feminine must be 'mixed', 'a' or 'en', not {feminine!r}")
        if male_object not in ("ham", "han"):
            raise ConfigError(f"option male_object must be 'ham' or 'han', not {male_object!r}")
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


__all__ = ["BokmalGrammar", "NorwegianGrammar", "NynorskGrammar"]
