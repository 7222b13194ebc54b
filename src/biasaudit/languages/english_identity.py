"""English identity axes (nationality, religion, age, disability, orientation) and the names
axis: the rules :class:`.english.EnglishGrammar` calls on those axes, and the word lists they
read. None of them runs on ``gender``; the gender rules stay in :mod:`.english`.

* **Other senses are left alone** (:meth:`EnglishIdentityRules.references`): a language
  (*written in German.*, *Vietnamese classes*, *speaks Polish, German and a little French*),
  a thing (*Mexican food*), a name (*American Airlines*, *Christian said*, *Neil Young*),
  an airline or a takeaway (*We flew Norwegian*, *order a Chinese tonight*), *old* and
  *young* of a thing, a time or a stage of life (*an old car*, *the season is young*,
  *since we were young*), a passive *disabled* of a thing (*Comments are disabled*), and on
  the names axis a name that is no first name (*Ms Harris*, *Dylan Thomas*, *in
  Florence*). A nationality that may be the language (*her French teacher*) is unsafe.
* **Agreement** (:meth:`EnglishIdentityRules.agree`): nouns for adjectives used as nouns
  (*a German* → *a Pole*), collectives after *the* (*The Poles have* → *The French have*),
  compound demonyms keep their head (*the Frenchwoman* → *the German woman*), a capital
  that only a convention gave is dropped (*the Deaf community* → *the blind community*),
  and variants English cannot write are unsafe (*a lesbian* → *a straight*, *the young
  are* → *the older*, *older than* → *middle-aged*; a renamed person with a pronoun of the
  old gender).

See docs/languages/english.md, "Identity axes".
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..core.casing import transfer_case
from ..core.grammar import Rewrite, SwapPlan
from ..core.types import Candidate, Match
from ..lexicons.registry import LexiconSet
from .english_words import (
    COPULAS,
    OBJECT_FOLLOWERS,
    SENTENCE_OPENERS,
    next_token,
    opens_sentence,
    prev_token,
    second_token,
    title_case,
)

# Nouns written where an adjective of the lexicon stands as a noun (*a Jewish* -> *a Jew*,
# *a Polish* -> *a Pole*, *a French* -> *a French person*); None: no noun, the variant is
# marked unsafe (*a lesbian* -> *a straight*).
IDENTITY_NOUNS: dict[str, str | None] = {
    "jewish": "Jew",
    "polish": "Pole",
    "french": "French person",
    "chinese": "Chinese person",
    "vietnamese": "Vietnamese person",
    "straight": None,
    "gay": None,
}
# Words before an adjective that make it a noun (*a Christian.*, *the only Jew in*).
NOUN_DETERMINERS = frozenset("a an the one another every each any no this that".split())
# Words between a determiner and an adjective used as a noun (*a devout Christian.*, *the
# only Jew in*); other words there are a noun that it follows (*this cheese French or*).
NOUN_MODIFIERS = frozenset(
    """
devout observant practising practicing lapsed secular orthodox proud fellow only first last
second third young old true real good typical average ordinary
""".split()
)
# Words before an identity word that make it no first name (*a Christian*, *is Christian*).
NOT_NOUN_MODIFIERS = COPULAS | frozenset(
    "very so too quite half not also more most less least and or but as".split()
)
# Verbs after a noun (*An atheist wrote it*: not *an atheist writer*).
NOUN_VERBS = frozenset(
    """
is was are were has had have will would can could should must may might did does do said
says told tells wrote writes asked asks lived lives died dies came comes went goes became
becomes knows knew thinks thought believes believed who whom whose which that
""".split()
)
# Compound demonyms read as their adjective's group: the new adjective keeps the head noun
# (*the Frenchwoman who* -> *the German woman who*).
DEMONYM_HEADS = {
    "frenchman": "man",
    "frenchwoman": "woman",
    "frenchmen": "men",
    "frenchwomen": "women",
}
# Nationality adjectives that are also the plural noun after *the* (*The French take*).
COLLECTIVE_ADJECTIVES = frozenset("french chinese vietnamese".split())
# What follows *the* + adjective when the adjective is the whole noun phrase (*the
# Vietnamese are*, *the elderly who*, *the blind opened*).
COLLECTIVE_NEXT = frozenset(
    """
are were have had do did will would can could may might must should shall also often
always never still tend seem who whom whose themselves
""".split()
)
# Group forms with no collective noun after *the*: *the young* -> *the older* is not English.
NO_COLLECTIVE = frozenset(("older", "autistic"))
# Words before *the X* / *X* plural nouns that take the bare collective (*the French*).
COLLECTIVE_BEFORE = frozenset("the you we us".split())
# A religion word that is also a common first name: alone before a verb or a preposition it
# is the name (*Christian said*, *Ask Christian to*).
FIRST_NAME_FORMS = frozenset(("Christian",))
NAME_BLOCKING_PREV = (
    NOUN_DETERMINERS
    | NOT_NOUN_MODIFIERS
    | frozenset(
        """
his her their my your our its these those born devout devoutly practising practicing
become became remain remained identify identifies identified
""".split()
    )
)
# Lower-case modifiers of a religion's name that a sentence start capitalises (*Early
# Christianity spread*); any other capitalised word right before the name is a branch or a
# name (*Tibetan Buddhism*, *Reform Judaism*, *Yusuf Islam*): unsafe.
RELIGION_MODIFIERS = frozenset(
    """
early late modern medieval ancient contemporary political radical militant mainstream
traditional popular organised organized institutional
""".split()
)
# Capitalised words after a nationality or religion word that are part of the reference
# (*Polish Jews*, *American Muslims*, *the French President*), not of a name (*American
# Airlines*).
IDENTITY_NEXT = frozenset(
    """
Jew Jews Muslim Muslims Christian Christians Catholic Catholics Protestant Protestants Hindu
Hindus Buddhist Buddhists Sikh Sikhs American Americans President Prime Chancellor Minister
Ambassador King Queen Prince Princess Emperor
""".split()
)
# Nationality adjectives: language readings (*written in German.*, *teaches Chinese at*,
# *Vietnamese classes*, *Vietnamese is a tonal language*), things (*Mexican food*, *the
# German border*) and ambiguous heads (*her French teacher*: of French, or from France).
LANGUAGE_BEFORE = frozenset(
    """
in into teach teaches taught teaching study studies studied understand understands
understood read reads write writes wrote know knows knew
""".split()
)
LANGUAGE_NOUNS = frozenset(
    """
class classes course courses lesson grammar dictionary dictionaries subtitles homework
vocabulary exam exams textbook textbooks
""".split()
)
LANGUAGE_SUBJECT_VERBS = frozenset("is was has".split())
THING_NOUNS = frozenset(
    """
food foods cuisine cooking dish dishes restaurant restaurants takeaway takeaways takeout
wine wines beer beers cheese cheeses bread coffee tea dong currency border borders
embassy consulate kiss kisses oregano five-spice mustard sausage sausages bulldog bulldogs
car cars
""".split()
)
# Verbs before *a Chinese* that make it a takeaway meal (*order a Chinese tonight*); only
# :data:`ORDER_VERBS` before the other nationalities (*got a Pole to fix it* is a person).
ORDER_VERBS = frozenset("order orders ordered ordering fancy fancies fancied".split())
MEAL_VERBS = ORDER_VERBS | frozenset("get gets got getting grab grabs grabbed have had".split())
# Forms of *fly* before an airline named by its nationality (*We flew Norwegian to Bergen*).
FLY_VERBS = frozenset("fly flies flew flown flying".split())
# Nouns before *of* + a language (*knowledge of Ukrainian or Russian*).
LANGUAGE_OF = frozenset("knowledge command grasp understanding proficiency fluency mastery".split())
# Verbs of translating before *from the X* (*translated from the German by*); after *the X*
# the end of the phrase, a comma, *by*, *and*, *or*, *into* or *to*: the language.
TRANSLATE_VERBS = frozenset(
    "translate translates translated translating translation translations".split()
)
TRANSLATED_NEXT = frozenset("by and or into to".split())
AMBIGUOUS_HEADS = frozenset(
    """
teacher teachers tutor tutors lecturer lecturers professor professors instructor
instructors department
""".split()
)
_LANGUAGE_LIST_GAP = re.compile(
    r"(?:,\s*|,?\s+(?:and|or)\s+)(?:(?:a\s+little|some|basic|fluent|good|broken)\s+)?"
)
# After a language named with *the* (*from the German, the Polish and the French*).
_LANGUAGE_LIST_THE_GAP = re.compile(r"(?:,\s*|,?\s+(?:and|or)\s+)the\s+")
# Past tenses after an adjective used as a noun (*The Norwegian crossed*, *the German won*),
# besides the lower-case words in *-ed*.
PAST_VERBS = frozenset(
    """
won lost beat ran took made got led held kept left met paid put saw sent set spent stood
struck threw wore fell felt found gave grew heard hit bought brought caught fought began
broke chose drove ate flew forgot froze hid rode rose sang sat slept spoke stole swam tore
woke
""".split()
)
# Nouns of things after *old*, *young* (*an old car*, *young spinach leaves*): no one's age.
AGE_THING_NOUNS = frozenset(
    """
car cars house houses building buildings bridge church town city hotel castle ship boat
leaves leaf shoots shoot spinach potatoes carrots garlic vegetables plants tree trees wine
wines cheese cheeses clothes shoes furniture computer laptop phone photo photos book books
""".split()
)
# Periods of time that are *young* in the idiom (*the night is young*, *the season is
# still young*).
TIME_NOUNS = frozenset(
    """
night day evening morning season year week month century decade game match race
tournament campaign
""".split()
)
# Words before *young*/*old* where the old group's *older* cannot stand (*too young* ->
# *too old*, not *too older*).
DEGREE_ADVERBS = frozenset(
    "too so very quite rather how as really pretty fairly extremely incredibly".split()
)
# *when we were young*: a stage of life, not the group.
STAGE_CONJUNCTIONS = frozenset("when since while until till as".split())
SUBJECT_PRONOUNS = frozenset("i we you he she they".split())
# Subjects of a passive *disabled* that are things switched off (*Comments are disabled*,
# *The alarm had been disabled*).
SWITCHED_THINGS = frozenset(
    """
comments comment replies cookies cookie javascript notifications notification alerts alert
alarm alarms feature features option options setting settings function functions button
buttons camera cameras microphone sensor sensors plugin plugins extension extensions
updates update wifi bluetooth tracking messaging chat account accounts login logins profile
profiles
""".split()
)
_PASSIVE_AUX = frozenset(
    "is are was were be been being has have had will would can may might".split()
)
# Person nouns of each gender that may name the renamed person (*the best brother ever,
# Noah*): on the names axis such a noun of the old gender makes the variant unsafe.
_MALE_NOUNS = re.compile(
    r"\b(?:brother|son|husband|boyfriend|dad|father|uncle|nephew|grandson|grandfather|"
    r"grandpa|king|prince|boy|lad)\b",
    re.IGNORECASE,
)
_FEMALE_NOUNS = re.compile(
    r"\b(?:sister|daughter|wife|girlfriend|mum|mom|mother|aunt|niece|granddaughter|"
    r"grandmother|grandma|queen|princess|girl|lass)\b",
    re.IGNORECASE,
)
# Titles before a first name or a surname: after them a name in the names lexicon is a
# surname (*Ms Harris*) or a royal's or saint's name (*St James*, *King Charles*).
NAME_TITLES = frozenset(
    """
Mr Mrs Ms Miss Mx Dr Prof Professor Rev Revd Sir Dame Lord Lady King Queen Prince Princess
Saint St Judge Officer Detective Sergeant Captain Coach Father Sister Brother Senator
Governor President Mayor Congressman Congresswoman Councillor Chancellor Minister General
Colonel Lieutenant Major Sheriff Pastor Bishop Cardinal Pope
""".split()
)
_MALE_PRONOUNS = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_FEMALE_PRONOUNS = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
_POSSESSIVE_NAME_AFTER = re.compile(r"['’]s\s+[A-Z]")
_THE_BEFORE = re.compile(r"(\S)\s+The\s+$")


def _closes(token: str | None, more: frozenset[str] = frozenset()) -> bool:
    """Whether ``token`` ends the noun phrase before it: the end, punctuation, a function
    word, or one of ``more``."""
    if token is None or not token[0].isalnum():
        return True
    low = token.lower()
    return low in OBJECT_FOLLOWERS or low in more


def _coordinated_adjective(text: str, end: int) -> bool:
    """Whether *and*, *or* or a comma after ``end`` joins another capitalised adjective
    (*French and Italian*, *French, Italian*; not *a Mexican, I*)."""
    second = second_token(text, end) or ""
    return second[:1].isupper() and second != "I"


def _noun_position(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` stands as a noun: after a determiner (possibly with
    one modifier between: *a devout Christian*) and before the end of the phrase or a verb."""
    if text[end : end + 1] in ("-", "‐"):
        return False  # (*German-born* is an adjective)
    nxt = next_token(text, end)
    if not _closes(nxt, NOUN_VERBS | PAST_VERBS) and not (nxt.islower() and nxt.endswith("ed")):
        return False  # (*The Norwegian crossed the line*: a noun)
    if nxt in ("and", "or", ",") and _coordinated_adjective(text, end):
        return False  # coordinated adjectives: *the French and Italian delegations*
    prev = prev_token(text, start)
    if prev is None:
        return False
    if prev.lower() in NOUN_DETERMINERS:
        return True
    if prev not in NOUN_MODIFIERS:
        return False
    before = prev_token(text, text.rfind(prev, 0, start))
    return before is not None and before.lower() in NOUN_DETERMINERS


def _collective(text: str, start: int, end: int) -> bool:
    """Whether the adjective at ``start:end`` is a whole noun phrase after *the* (*the
    Vietnamese are*, *the school for the blind opened*)."""
    prev = prev_token(text, start)
    if prev is None or prev.lower() != "the":
        return False
    nxt = next_token(text, end)
    if nxt is not None and nxt[:1] in ("'", "’", "-", "‐"):
        return False  # (*the Chinese-American novelist*, *the French's*)
    if nxt in ("and", "or", ",") and _coordinated_adjective(text, end):
        return False  # coordinated adjectives: *the French and Italian delegations*
    return _closes(nxt, COLLECTIVE_NEXT) or (nxt.islower() and nxt.endswith("ed"))


def _nationality_reference(text: str, start: int, end: int, nxt: str | None) -> str:
    """``yes`` when the nationality word at ``start:end`` (``nxt`` after it) is a person's
    nationality, ``no`` for a thing (*Mexican food*), ``language`` for a language (*written
    in German.*, *Vietnamese classes*), otherwise why the variant is unsafe (*her French
    teacher*: of French, or from France)."""
    low = nxt.lower() if nxt else None
    if low in THING_NOUNS:
        return "no"  # *Mexican food*, *the German border*
    if low in LANGUAGE_NOUNS:
        return "language"  # *Vietnamese classes*
    if low in AMBIGUOUS_HEADS:
        word = text[start:end]
        return f"{word!r} before {nxt!r}: the language or the nationality"
    prev = prev_token(text, start)
    plow = prev.lower() if prev else None
    if plow in LANGUAGE_BEFORE and not opens_sentence(text, start) and _closes(nxt):
        return "language"  # *written in German.*, *teaches Chinese at*
    if plow == "from" and low in ("into", "to"):
        return "language"  # *translating contracts from Polish into English*
    if _translated_from_the(text, start, plow, nxt):
        return "language"  # *translated from the German by Anthea Bell*
    before = _word_before(text, start, prev)
    if plow == "of" and before in LANGUAGE_OF:
        return "language"  # *knowledge of Ukrainian or Russian*
    if plow in FLY_VERBS and _closes(nxt):
        return "no"  # an airline: *We flew Norwegian to Bergen*
    if plow in ("a", "an") and _closes(nxt) and not _coordinated_adjective(text, end):
        verbs = MEAL_VERBS if text[start:end].lower() in COLLECTIVE_ADJECTIVES else ORDER_VERBS
        if before in verbs:
            return "no"  # a takeaway meal: *Shall we order a Chinese tonight?*
    if low in LANGUAGE_SUBJECT_VERBS and (prev is None or opens_sentence(text, start)):
        return "language"  # *Vietnamese is a tonal language*
    return "yes"


def _translated_from_the(text: str, start: int, plow: str | None, nxt: str | None) -> bool:
    """Whether the word at ``start`` (``plow`` before it, ``nxt`` after it) is the language
    of *translate(d/s) from the X*, then *by*, *and*, *or*, *into*, *to*, a comma or the end
    (*translated from the German by Anthea Bell*, *translates from the Polish and the
    Czech*); not a person's nationality (*took the ball from the German*)."""
    if plow != "the" or not _ends_translated(nxt):
        return False
    words = _words_before(text, start, 3)
    return len(words) == 3 and words[1] == "from" and words[2] in TRANSLATE_VERBS


def _ends_translated(token: str | None) -> bool:
    """Whether ``token`` may follow the language of *translated from the X*: the end of the
    text, punctuation (not an apostrophe or a hyphen: *the German's notes*) or one of
    :data:`TRANSLATED_NEXT`."""
    if token is None:
        return True
    if not token[0].isalnum():
        return token[0] not in "'’-‐"
    return token.lower() in TRANSLATED_NEXT


def _words_before(text: str, start: int, n: int) -> list[str]:
    """The ``n`` words before ``start`` (lower-cased, nearest first; fewer at the start)."""
    words: list[str] = []
    while len(words) < n:
        word = prev_token(text, start)
        if word is None:
            break
        start = text.rfind(word, 0, start)
        words.append(word.lower())
    return words


def _word_before(text: str, start: int, prev: str | None) -> str | None:
    """The word (lower-cased) before ``prev``, the word before ``start``."""
    words = _words_before(text, start, 2) if prev is not None else []
    return words[1] if len(words) > 1 else None


def _age_reference(text: str, start: int, end: int, nxt: str | None) -> bool:
    """Whether *young*, *old* (and their comparatives) at ``start:end`` call someone young
    or old: not an age limit (*older than 75*), a thing (*an old car*, *young spinach
    leaves*), a time that is young (*the season is young*) or a stage of life (*since we
    were young*)."""
    low = text[start:end].lower()
    if low in ("older", "younger") and nxt == "than":
        after = second_token(text, end) or ""
        return not after[:1].isdigit()  # an age limit: *patients older than 75*
    if (nxt or "").lower() in AGE_THING_NOUNS:
        return False  # *an old car*
    words = [*_words_before(text, start, 4), None, None, None, None]
    if low == "young":
        subject = words[1:3] if words[0] == "still" else words[0:2]
        if subject[0] in ("is", "was") and subject[1] in TIME_NOUNS:
            return False  # *the season is still young*
    # not a stage of life: *since we were young*
    return not (
        words[0] in ("was", "were")
        and words[1] in SUBJECT_PRONOUNS
        and words[2] in STAGE_CONJUNCTIONS
    )


def _switched_off(text: str, start: int) -> bool:
    """Whether *disabled* at ``start`` is a passive of a thing switched off (*Comments are
    disabled*, *The alarm had been disabled before*)."""
    pos = start
    word = prev_token(text, pos)
    steps = 0
    while word is not None and word.lower() in _PASSIVE_AUX and steps < 3:
        pos = text.rfind(word, 0, pos)
        word = prev_token(text, pos)
        steps += 1
    return steps > 0 and word is not None and word.lower() in SWITCHED_THINGS


# Words that open a sentence before a first name (*Yesterday Emma called*, *Dear Emma*);
# another capitalised word there may be a first name the lexicon lacks (*Dylan Thomas
# wrote*), so the name after it may be a surname. (Function words and *-ly* adverbs
# qualify too.)
NAME_OPENERS = frozenset(
    """
yesterday today tonight tomorrow then now later earlier meanwhile afterwards recently once
maybe perhaps also still even dear hi hello hey thanks thank sorry congratulations welcome
ask tell call let please sadly luckily happy poor little young old
""".split()
)


def _surname_after_a_sentence_start(text: str, start: int, names: frozenset[str]) -> str | None:
    """The capitalised word that opens the sentence right before the name at ``start``
    when it may be a first name the lexicon lacks (*Dylan Thomas wrote*: *Thomas* is then
    a surname), else None."""
    prev = prev_token(text, start)
    if prev is None or not prev[:1].isupper() or text[max(0, start - len(prev) - 1) : start] != (
        prev + " "
    ):
        return None
    low = prev.lower()
    if low in names or low in OBJECT_FOLLOWERS or low in NAME_OPENERS or low.endswith("ly"):
        return None
    return prev if opens_sentence(text, start - len(prev) - 1) else None


def _first_name(text: str, start: int, end: int, word: str, names: frozenset[str]) -> bool:
    """Whether a name of the lexicon is a person's first name here: not a surname or a
    royal's name after a title (*Ms Harris*, *King Charles*), not part of a longer name
    (*Dylan Thomas*, *the Union Jack*, *Harper's Bazaar*), not after an article (*an
    Oscar*, *the Hudson*). A capitalised word before it that only opens the sentence does
    not make it a surname (*Yesterday Emma called*); a first name of ``names`` (lower case)
    does (*Jack Harris called*)."""
    prev = prev_token(text, start)
    if prev is not None:
        if prev.rstrip(".") in NAME_TITLES:
            return False
        if prev.lower() in ("a", "an", "the"):
            return False
        if prev.lower() == "in" and not _POSSESSIVE_AFTER.match(text, end):
            return False  # a place: *three nights in Florence*
        gap = text[max(0, start - len(prev) - 1) : start]
        if (
            prev[:1].isupper()
            and prev.lower() not in OBJECT_FOLLOWERS
            and gap.endswith(prev + " ")
            and (prev.lower() in names or not opens_sentence(text, start - len(prev) - 1))
        ):
            return False
    return not _POSSESSIVE_NAME_AFTER.match(text, end)


def _capitalised_before(text: str, start: int) -> str | None:
    """The capitalised word right before ``start`` (one space between), unless it is a
    function word (*In Islam*, *Like Judaism*) or a common modifier that opens the sentence
    (*Early Christianity*): before a religion's name it names a branch or is part of a
    name (*Tibetan Buddhism*, *Reform Judaism*, *Yusuf Islam*)."""
    prev = prev_token(text, start)
    if (
        prev is None
        or not prev[:1].isupper()
        or prev.lower() in OBJECT_FOLLOWERS
        or text[max(0, start - len(prev) - 1) : start] != prev + " "
    ):
        return None
    if prev.lower() in RELIGION_MODIFIERS and opens_sentence(text, start - len(prev) - 1):
        return None
    return prev


def _mark_pronouns_of_renamed(text: str, result: Rewrite, plan: SwapPlan) -> None:
    """A renamed person may be the antecedent of a later pronoun that the names axis does
    not change (*Henry told me his flat* -> *Sophia told me his flat*): unsafe."""
    pronouns = []
    nouns = []
    if plan.target_of("male") != "male":
        pronouns.append(_MALE_PRONOUNS)
        nouns.append(_MALE_NOUNS)
    if plan.target_of("female") != "female":
        pronouns.append(_FEMALE_PRONOUNS)
        nouns.append(_FEMALE_NOUNS)
    first = min(e.start for e in result.edits)  # (a pronoun before it is someone else)
    for pattern in pronouns:
        m = pattern.search(text, first)
        if m:
            result.unsafe.append(
                f"the pronoun {m.group()!r} may refer to a renamed person: rewrite it on the"
                " gender axis too"
            )
            return
    for pattern in nouns:
        m = pattern.search(text)
        if m:
            result.unsafe.append(
                f"the noun {m.group()!r} may name a renamed person (*the best brother ever,"
                " Noah*): rewrite it on the gender axis too"
            )
            return


# Capitalised lexicon forms that, written in lower case, are mostly another word (*polish
# the floor*) or may be a first name whose capital is lost (*christian said*): not read in
# lower case even in a text with no capitals.
LOWER_CASE_WORDS = frozenset(("polish", "christian"))
# Such a word coordinated with a word that is read (*muslim or christian*, *german and
# polish*): it names a group too.
_COORDINATED_AFTER = re.compile(r",?\s+(?:and|or)\s+(\w+)\b")
_COORDINATED_BEFORE = re.compile(r"\b(\w+),?\s+(?:and|or)\s+\Z")


class EnglishIdentityRules:
    """The identity-axis rules for one English lexicon set, with what they precompute from it.

    :class:`.english.EnglishGrammar` builds one per grammar on every axis but ``gender``,
    calls :meth:`references` on the matches before the lexicon rewrites them and
    :meth:`agree` on the rewrite after its own rules.
    """

    def __init__(self, lexicons: LexiconSet) -> None:
        self._axis = lexicons.axis
        # every form, lower-cased (*speaks Polish*, *Christian and Muslim leaders*)
        self._forms = frozenset(
            f.lower() for e in lexicons.entries for fs in e.forms.values() for f in fs
        )
        # the forms written in lower case (*young*, *deaf*): a capital on one is a name or
        # a convention (*Neil Young*, *the Deaf community*)
        self._lower_forms = frozenset(
            f.lower()
            for e in lexicons.entries
            for fs in e.forms.values()
            for f in fs
            if f[:1].islower()
        )
        # the groups of the words not read in lower case (*christian*, *polish*)
        self._unread_groups: dict[str, set[str]] = {}
        for e in lexicons.entries:
            for g, fs in e.forms.items():
                for f in fs:
                    if f.lower() in LOWER_CASE_WORDS:
                        self._unread_groups.setdefault(f.lower(), set()).add(g)
        # the plural noun entry of each group (*Germans*, *French people*), for collectives
        self._plural_entry = {
            g: e
            for e in lexicons.entries
            if e.features.get("number") == "pl" and e.pos == "noun" and e.match_groups is None
            for g in e.forms
        }

    @staticmethod
    def reads_lower_case(
        text: str, start: int, end: int, candidates: tuple[Candidate, ...]
    ) -> bool:
        """Whether a lower-case match of a form the lexicon writes with a capital is read: in
        a text with no capital letter at all (chat: *my flatmate is german*, *is your
        boyfriend muslim?*), except a word that is then mostly another one (*polish*) or may
        be a first name (*christian*), and names (*will*, *grace*)."""
        return (
            text == text.lower()
            and text[start:end] not in LOWER_CASE_WORDS
            and all(c.entry.pos != "name" for c in candidates)
        )

    def references(
        self, text: str, matches: list[Match], plan: SwapPlan
    ) -> tuple[list[Match], list[str]]:
        """The matches that refer to a group, and the reasons for any variant that cannot be
        written safely. Other senses (a language, a name, a thing) are dropped."""
        kept: list[Match] = []
        unsafe: list[str] = []
        language_end = -1  # where the last language reading ended (*speaks Polish, German*)
        language_the = False  # whether it was named with *the* (*from the German*)
        headline = None
        for m in matches:
            if not m.candidates:
                last = m.text.split()[-1].lower()
                if self._axis == "nationality" and last in self._forms:
                    language_end = m.end  # an exclusion for a language: *speaks Polish*
                kept.append(m)
                continue
            if headline is None:
                headline = title_case(text)
            if language_end >= 0 and (
                _LANGUAGE_LIST_GAP.fullmatch(text, language_end, m.start)
                or (
                    language_the
                    and _LANGUAGE_LIST_THE_GAP.fullmatch(text, language_end, m.start)
                    and _ends_translated(next_token(text, m.end))
                )
            ):
                language_end = m.end  # *speaks Polish, German and a little French*
                continue  # (*from the German, the Polish and the French.*)
            verdict = self._reference(text, m, headline)
            if verdict == "language":
                language_end = m.end
                language_the = (prev_token(text, m.start) or "").lower() == "the"
            elif verdict == "yes":
                kept.append(m)
            elif verdict != "no":
                if all(plan.target_of(g) == g for g in m.groups):
                    kept.append(m)  # (not rewritten: nothing to be unsure of)
                else:
                    unsafe.append(verdict)
        if self._unread_groups and plan.target in plan.mapping.values() and text == text.lower():
            unsafe.extend(self._coordinated_unread(text, kept, plan))
        return kept, unsafe

    def _coordinated_unread(self, text: str, kept: list[Match], plan: SwapPlan) -> list[str]:
        """In a text without capitals, a word not read in lower case (*christian*, *polish*)
        coordinated with a word that is read (*is ur gf muslim or christian??*, *german or
        polish*) names a group too: the text refers to several groups (unsafe, as the
        engine marks several groups that are read)."""
        for m in kept:
            if not m.candidates:
                continue
            after = _COORDINATED_AFTER.match(text, m.end)
            before = _COORDINATED_BEFORE.search(text, max(0, m.start - 40), m.start)
            for other in (after, before):
                groups = self._unread_groups.get(other.group(1)) if other else None
                if groups and not groups <= m.groups:
                    found = ", ".join(sorted(groups | m.groups))
                    return [
                        f"{other.group(1)!r} beside {m.text!r} names a group too: text refers"
                        f" to several groups ({found}); rewriting all of them to"
                        f" {plan.target!r} would merge different people"
                    ]
        return []

    def _reference(self, text: str, m: Match, headline: bool) -> str:
        """``yes`` when the match refers to a group, ``no`` or ``language`` when it does
        not, otherwise why the variant is unsafe."""
        word = m.text
        start, end = m.start, m.end
        capital = word[:1].isupper() and not (len(word) > 1 and word.isupper())
        nxt = next_token(text, end)
        if self._axis == "names":
            if not _first_name(text, start, end, word, self._forms):
                return "no"
            before = _surname_after_a_sentence_start(text, start, self._forms)
            if before is not None:
                return (f"{word!r} may be a surname: {before!r}, which opens the sentence, may "
                        "be a first name")
            return "yes"
        if capital and not headline:
            if word.lower() in self._lower_forms:
                # a capital on a word written in lower case: a name (*Neil Young*, *Old
                # Trafford*, *Young's modulus*), unless only the sentence start or a
                # convention explains it (*the Deaf community*); a religion's name is no
                # one's name (*Atheism's appeal*)
                if _POSSESSIVE_AFTER.match(text, end) and any(
                    c.entry.names_person for c in m.candidates
                ):
                    return "no"
                if nxt is not None and nxt[:1].isupper():
                    return "no"
                prev = prev_token(text, start)
                if (
                    not opens_sentence(text, start)
                    and prev is not None
                    and prev[:1].isupper()
                    and prev.lower() not in OBJECT_FOLLOWERS
                ):
                    return "no"
            else:
                # a capitalised word after it: a name (*American Airlines*, *Christian Bale*,
                # *the Jewish Museum*), unless it is a person (*Polish Jews*)
                if (
                    nxt is not None
                    and nxt[:1].isupper()
                    and text[end : end + 1] == " "
                    and nxt not in IDENTITY_NEXT
                ):
                    return "no"
                the = _THE_BEFORE.search(text, max(0, start - 40), start)
                if the and the.group(1) not in SENTENCE_OPENERS:
                    return "no"  # *According to The Hindu,*
                if word in FIRST_NAME_FORMS:
                    prev = prev_token(text, start)
                    blocked = (
                        prev is not None
                        and (prev.lower() in NAME_BLOCKING_PREV or prev.endswith("ly"))
                        and not opens_sentence(text, start)
                    )
                    coordinated = (nxt or "").lower() in ("and", "or", ",") and (
                        second_token(text, end) or ""
                    ).lower() in self._forms  # *Christian and Muslim leaders*
                    if not blocked and not coordinated and _closes(nxt, NOUN_VERBS):
                        return "no"  # *Christian said*, *Ask Christian to*
        if self._axis == "nationality":
            return _nationality_reference(text, start, end, nxt)
        if self._axis == "age":
            return "yes" if _age_reference(text, start, end, nxt) else "no"
        if (
            self._axis == "religion"
            and text[start - 1 : start] in ("-", "‐")
            and (prev_token(text, start) or "").rstrip("-‐").lower() in ("judeo", "judaeo")
        ):
            return f"{word!r} in a compound of two religions (*Judeo-Christian*)"
        if self._axis == "religion" and not any(c.entry.names_person for c in m.candidates):
            branch = _capitalised_before(text, start)
            if branch is not None:
                # *Tibetan Buddhism*, *Reform Judaism*, *Yusuf Islam*: a branch or a name
                return f"{branch} {word!r}: a branch of the religion or a name"
        if self._axis == "disability" and word.lower() == "disabled" and _switched_off(text, start):
            return "no"  # *Comments are disabled on this post*
        if (
            self._axis == "orientation"
            and word.lower() == "straight"
            and text[end : end + 1] in ("-", "‐")
        ):
            return "no"  # *a straight-sided tin*, *straight-talking*
        return "yes"

    def agree(self, text: str, result: Rewrite, plan: SwapPlan) -> None:
        """Agreement on the identity axes: nouns for adjectives used as nouns, collectives
        after *the*, a lower-case word for a capital that only a convention gave (*the Deaf
        community* -> *the blind community*), and variants that cannot be written."""
        edits = result.edits
        if not edits:
            return
        headline = title_case(text)
        dropped: list[int] = []  # edits of an unsafe variant are left out (no broken text)
        for i, edit in enumerate(edits):
            if edit.rule.startswith("en."):
                continue  # (possessives: *Americans'* -> *Chinese people's*)
            old, new = edit.old, edit.new
            low = new.lower()
            nxt = next_token(text, edit.end)
            if low == "older" and old.lower() != "older":
                prev = prev_token(text, edit.start)
                if prev is not None and prev.lower() in DEGREE_ADVERBS:
                    # *too young* -> *too old* (not *too older*)
                    new = new[:3]
                    edits[i] = edit = replace(edit, new=new)
                    low = "old"
            if old.lower() == "homosexual" and low == "straight":
                # the same register: *Homosexual acts* -> *Heterosexual acts*
                new = transfer_case(old, "heterosexual")
                edits[i] = edit = replace(edit, new=new)
                continue
            head = DEMONYM_HEADS.get(old.lower())
            if head is not None:
                edits[i] = replace(edit, new=f"{new} {head}", rule="en.demonym")
                continue
            if (
                old.lower().endswith("er")
                and (nxt or "").lower() == "than"
                and not low.endswith("er")
            ):
                result.unsafe.append(f"{new!r} has no comparative for {old!r} than")
                dropped.append(i)
                continue
            if _collective(text, edit.start, edit.end):
                if low in NO_COLLECTIVE:
                    result.unsafe.append(f"'the {new}' is no collective noun")
                    dropped.append(i)
                    continue
                entry = self._plural_entry.get(plan.target)
                if old.lower() in COLLECTIVE_ADJECTIVES and entry is not None:
                    plural = entry.output(plan.target)
                    if plural and not plural.endswith(" people"):
                        edits[i] = replace(edit, new=plural, rule="en.collective")
                    continue  # *The French take* -> *The Germans take* (*The French* stays)
            if low.endswith(" people") and not old.lower().endswith(" people"):
                prev = prev_token(text, edit.start)
                if (
                    prev is not None
                    and prev.lower() in COLLECTIVE_BEFORE
                    and text[edit.end : edit.end + 1] not in ("'", "’")
                ):
                    # *the Poles* -> *the French*, *You Americans* -> *You Chinese*
                    edits[i] = replace(edit, new=new[: -len(" people")], rule="en.collective")
                    continue
            if low in IDENTITY_NOUNS and _noun_position(text, edit.start, edit.end):
                noun = IDENTITY_NOUNS[low]
                if noun is None:
                    result.unsafe.append(f"{old!r} is a noun here; {new!r} has none")
                    dropped.append(i)
                    continue
                new = noun.upper() if new.isupper() else noun
                edits[i] = replace(edit, new=new, rule="en.adjective_as_noun")
                continue
            if (
                old[:1].isupper()
                and new[:1].isupper()
                and not (len(old) > 1 and old.isupper())  # (a word in capitals: *ISLAM*)
                and low in self._lower_forms
                and not opens_sentence(text, edit.start)
                and not (nxt or "")[:1].isupper()
                and not headline
            ):
                edits[i] = replace(edit, new=low)  # *the Deaf community* -> *the blind community*
        for i in reversed(dropped):
            del edits[i]
        if edits and headline:
            for i, edit in enumerate(edits):
                parts = re.split(r"([ -])", edit.new)
                if edit.old[:1].isupper() and not edit.new.isupper() and len(parts) > 1:
                    # each word of a Title Case headline: *Middle-Aged Couple Win*
                    new = "".join(p[:1].upper() + p[1:] for p in parts)
                    edits[i] = replace(edit, new=new)
        if edits and text == text.lower():
            # a text with no capitals keeps none: *is your boyfriend hindu?*
            for i, edit in enumerate(edits):
                if edit.new != edit.new.lower():
                    edits[i] = replace(edit, new=edit.new.lower())
        if self._axis == "names" and edits:
            _mark_pronouns_of_renamed(text, result, plan)
