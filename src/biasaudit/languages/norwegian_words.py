"""Word lists and word-level helpers shared by the gender rules and the identity rules
of Norwegian (Bokmål ``nb`` and Nynorsk ``nn``): the prepositions, copulas, conjunctions,
subject pronouns, possessives, modals, degree and sentence adverbs, listed finite verbs and
adjectives, and the helpers that read the word before or after an offset
(:func:`prev_word`, :func:`next_word`, :func:`word_after`) and test a word for an
adjective (:func:`adjective`) or a finite verb (:func:`looks_finite`).

:mod:`.norwegian` (the grammar and its gender rules) and :mod:`.norwegian_identity` (the
identity-axis and names-axis rules) both import them from here.
"""

from __future__ import annotations

import re

_PREV = re.compile(r"(\w+)[ \t]*$")
_NEXT = re.compile(r"[ \t]*(\w+)")
PREPOSITIONS = frozenset(
    """
til med for på av om hos hjå fra frå mot etter uten utan ved over under mellom rundt bak
foran framfor bortenfor blant enn gjennom langs forbi innen innan inntil mellom nær utenfor
utanfor ovenfor nedenfor omkring hjem heim
""".split()
)
COPULAS = frozenset("er var være vere bli blir ble vart vorte blitt".split())
# Conjunctions (siden/sidan is a preposition only before a time: siden jul; before a
# person, a conjunction: siden han flyttet)
CONJUNCTIONS = frozenset(
    """
at som og men eller fordi når da då hvis viss dersom mens medan enda sjøl selv skjønt
siden sidan
""".split()
)
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
# Adverbs that may stand between a copula and a predicative adjective (er veldig liten)
DEGREE = frozenset(
    """
veldig svært ganske så litt helt heilt ikke ikkje også òg nokså temmelig altfor for
""".split()
)


def prev_word(text: str, start: int) -> tuple[str, int] | None:
    """The word right before ``start`` and its offset; only spaces or tabs (or one line
    break, which ``$`` allows) may stand between, so callers need not check the gap."""
    m = _PREV.search(text, max(0, start - 40), start)
    return (m.group(1), m.start(1)) if m else None


def next_word(text: str, end: int) -> tuple[str, int] | None:
    """The word right after ``end`` and its offset, after spaces or tabs only."""
    m = _NEXT.match(text, end)
    return (m.group(1), m.start(1)) if m else None


def word_after(text: str, word: tuple[str, int]) -> tuple[str, int] | None:
    """The word after ``word`` (a ``(text, start)`` pair from :func:`next_word`)."""
    return next_word(text, word[1] + len(word[0]))


def adjective(low: str) -> bool:
    """A listed adjective or adverb, or a word with an adjective ending (*raudhåra*,
    *dyktig*, *norsk*); ``low`` is case-folded."""
    return low in ADJECTIVES or (len(low) > 4 and low.endswith(ADJECTIVE_ENDINGS))


def looks_finite(word: str) -> bool:
    """A small test for a finite verb: a listed verb, or a present/past-tense ending."""
    w = word.casefold()
    return w in FINITE or (len(w) > 4 and w.endswith(("er", "ar", "te", "de")))
