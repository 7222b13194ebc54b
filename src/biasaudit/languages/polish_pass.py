"""The decisions of the Polish grammar for one text (see :mod:`biasaudit.languages.polish`).

:class:`RewritePass` tokenises a text, finds the people it refers to, picks each one's case
and number, works out which words agree with whom clause by clause, and writes the edits.
It holds the state of one text only; the grammar object holds the caches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..core.casing import transfer_case
from ..core.grammar import Rewrite, SwapPlan
from ..core.types import Edit, Match
from ..lexicons.model import Entry
from .polish_morph import Reading
from .polish_rules import (
    ADJ_COUNTERPARTS,
    ADJ_SURNAME_CASES,
    ADJ_SURNAME_RE,
    CASE_ORDER,
    CLAUSE_BREAKS,
    COMPLEX_PREPOSITIONS,
    COORDINATORS,
    COPULAS,
    DAT_VERBS,
    EPICENE_NOUNS,
    GEN_VERBS,
    INS_VERBS,
    INTRANSITIVE,
    NA_PERSON_VERBS,
    NAMED_AFTER,
    NAMED_AFTER_ABBREVIATIONS,
    NO_OBJECT,
    PARTITIVE_HEADS,
    PRONOMINAL_NOUNS,
    PRONOMINAL_SUBJECTS,
    QUANTIFIERS,
    STREET_PREPOSITIONS,
    STREETS,
    STRESS_WORDS,
    SUBORDINATORS,
    SURNAME_CASES,
    SURNAME_RE,
    VERB_POS,
    ZA_NA_VERBS,
    surname_form,
)

if TYPE_CHECKING:
    from .polish import PolishGrammar

GENDER_CODE = {"male": "m1", "female": "f"}

_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
_SENTENCE_END = frozenset(".!?…")
RELATIVES = frozenset({"który", "jaki"})
# *ojcowie* is also SGJP's plurale tantum 'forefathers', but mostly just 'fathers'
PLURAL_NOT_COUPLE = frozenset({"ojcowie"})
# Adjectives of a letter's salutation: the phrase they open is a vocative
QUOTES = frozenset("„”“\"«»–—")
MARRY_VERBS = frozenset("ożenić żenić".split())
# *ożenić się (z kimś)* (of a man) ↔ *wyjść za mąż (za kogoś)* (of a woman), by aspect
MARRY_IDIOM = {"ożenić": "wyjść", "żenić": "wychodzić:Vi", "wyjść": "ożenić",
               "wychodzić": "żenić"}
SALUTATIONS = frozenset({"szanowny", "drogi", "kochany", "najdroższy"})
# Adjectives of the closed (pronominal) class besides PRONOMINAL_SUBJECTS: a predicate
# before its verb (*Sam to zrobił*, *taka zmizerowana*), never a homographic noun (*taka*)
PRONOMINAL_ADJECTIVES = frozenset("sam taki jakiś któryś niejaki owaki".split())
# Verbs of seeming or feeling that take a predicative adjective with *się* (*wydawała się
# taka smutna*, *czuła się winna*)
SEEM_VERBS = frozenset("wydawać wydać czuć poczuć okazać okazywać stać stawać".split())
_MARRY_RE = re.compile(r"(?i)żeni|za mąż")
_QUOTE_RE = re.compile(r"[„“\"«–—-]")
_EPICENE_RE = re.compile("(?i)" + "|".join(sorted(n[:-1] for n in EPICENE_NOUNS)))
# Correlative coordinators: *ani X, ani Y*, *albo X, albo Y*, *zarówno X, jak i Y*
PREDICATE_COORDINATORS = frozenset("i oraz lub albo".split())
PRONOUN_COORDINATORS = frozenset("i ani albo lub oraz".split())
CORRELATIVES = frozenset("ani albo lub zarówno jak".split())


@dataclass
class Tok:
    """A word or punctuation mark of the text, with its Morfeusz readings (words only)."""

    i: int
    start: int
    end: int
    text: str
    low: str
    word: bool
    readings: tuple[Reading, ...] = ()
    seg: int = 0
    # (per-token caches of the two hottest questions; readings never change once read)
    _pos: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _lemmas: dict[tuple[str, ...], frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False)

    def has(self, *pos: str) -> bool:
        if self._pos is None:
            self._pos = frozenset(r.pos for r in self.readings)
        return not self._pos.isdisjoint(pos)

    def lemmas(self, *pos: str) -> frozenset[str]:
        out = self._lemmas.get(pos)
        if out is None:
            out = self._lemmas[pos] = frozenset(
                r.base for r in self.readings if not pos or r.pos in pos)
        return out


@dataclass
class Anchor:
    """A reference to a person whose gender is swapped, and what the grammar decided for it."""

    i: int
    kind: str  # pron | noun | name | surname | nsurname | title | relative | partitive
    group: str
    target: str
    entry: Entry | None = None
    cands: set[tuple[str, str]] = field(default_factory=set)
    number: str = "sg"
    case: str | None = None
    mods: list[int] = field(default_factory=list)
    poss: bool = False
    occupational: bool = False
    title_of: int | None = None  # the pan/pani or first name a title follower belongs to
    numeral: tuple[int, str, str] | None = None  # (token, new form, noun's case) of a numeral
    prep: bool = False  # a pronoun coordinated inside a prepositional phrase (*między mną a nią*)
    plural_verbs: list[int] = field(default_factory=list)  # neuter verbs of a numeral subject
    src_case: str | None = None  # the source case when the output's differs (idiom rewrite)


@dataclass
class Ctrl:
    """Who controls a clause's agreement: a swapped referent, an implied one, or nobody."""

    kind: str  # anchor | implied | blocked
    group: str = ""
    target: str = ""
    number: str = "sg"
    anchors: tuple[Anchor, ...] = ()


def _gender_ok(r: Reading, group: str, number: str | None = None) -> bool:
    code = GENDER_CODE[group]
    if number is not None and number not in r.number:
        return False
    return code in r.gender


def _pairs(r: Reading) -> set[tuple[str, str]]:
    return {(n, c) for n in r.number for c in r.case}


def _group_of(r: Reading) -> str | None:
    """The person gender a verb or adjective form shows (None for neuter/non-personal)."""
    if "sg" in r.number or "pl" in r.number:
        if "m1" in r.gender:
            return "male"
        if "f" in r.gender:
            return "female"
    return None


def _speaker(t: Tok) -> str | None:
    """``pri``/``sec`` when every reading of ``t`` is a first/second-person form (*jestem*,
    *poszedłem*, *bym*): the clause is about the speaker or the addressee."""
    people = set()
    for r in t.readings:
        if r.person:
            people.add(r.person)
        elif r.pos in ("fin", "bedzie", "impt") and len(r.tag) > 2 and r.tag[2] in ("pri", "sec"):
            people.add(r.tag[2])
        else:
            return None
    return next(iter(people)) if len(people) == 1 else None


# Every case but the vocative: the case set of an indeclinable noun (*Nowak* of a woman)
INDECLINABLE_CASES = frozenset("nom gen dat acc inst loc".split())


def _nominal(t: Tok) -> bool:
    """A noun or adjective that cannot be a function word or a verb (*od* is not *ód*)."""
    return t.has("subst", "adj", "ppas", "pact", "num", "depr") and not any(
        r.pos in ("prep", "adv", "conj", "comp", "part", "interj", "ppron3", "ppron12",
                  *VERB_POS) and "daw." not in ",".join(r.qualifiers) for r in t.readings)


_FINITE = ("praet", "fin", "bedzie", "winien")


def _verb(t: Tok) -> bool:
    """A finite or past verb that is no noun (*myślał*, *kazała*; not *mamy*)."""
    return t.has(*_FINITE) and not t.has("subst")


def _place(t: Tok) -> bool:
    """A proper name of a place or organisation (*Polska*), never a person's predicate."""
    return any(r.pos == "subst" and r.base[:1].isupper() and
               ("nazwa_geograficzna" in r.names or "nazwa_organizacji" in r.names)
               for r in t.readings)


class RewritePass:
    """The decisions for one text (a grammar keeps no state between texts)."""

    def __init__(self, g: PolishGrammar, text: str, matches: list[Match], plan: SwapPlan):
        self.g = g
        self.text = text
        self.matches = matches
        self.plan = plan
        self.result = Rewrite()
        self.toks: list[Tok] = []
        self.segs: dict[int, list[Tok]] = {}  # clause segment -> its words
        self.match_at: dict[int, Match] = {}  # lexicon matches by start offset
        self.anchors: dict[int, Anchor] = {}
        self.done: set[int] = set()  # tokens already edited or claimed
        self.governed: set[int] = set()  # tokens inside a prepositional phrase
        self.pending: list[tuple[Tok, Reading, str]] = []  # subjectless predicate adjectives
        self.implied: dict[str, Ctrl] = {}  # implied persons of the current sentence
        self.sentence_segs: list[int] = []  # the clauses of the current sentence so far
        self.implied_at: list[tuple[int, str]] = []  # verbs whose subject is implied
        self.claimed: set[int] = set()  # modifiers of swapped nouns
        self.seg_ctrl: dict[int, Ctrl] = {}  # who controls each clause's agreement
        self.married: set[int] = set()  # marriage idioms rewritten (verb tokens)
        # (cheap tests that skip the rarer rules for most texts)
        self.may_marry = _MARRY_RE.search(text) is not None
        self.may_quote = _QUOTE_RE.search(text) is not None
        self.may_epicene = _EPICENE_RE.search(text) is not None
        self.noun_subjects: dict[int, bool] = {}  # _noun_subject, per token
        self.things: dict[str, list[int]] | None = None  # _thing_nouns, per gender
        self.za_maz: list[int] = []  # *za mąż* phrases (the *mąż* token)
        self.noun_or_adj: dict[int, str] = {}  # *taka droga* after a copula: the noun's lemma

    # -- driver -------------------------------------------------------------------------
    def run(self) -> Rewrite:
        self._tokenize()
        if not self.toks:
            return self.result
        self._lexicon_anchors()
        self._epicene_anchors()
        self._name_anchors()
        self._mark_governed()
        for a in sorted(self.anchors.values(), key=lambda a: a.i):
            self._decide(a)
        self._partitives()
        self._relatives()
        self.claimed = {m for a in self.anchors.values() for m in a.mods}
        self._thing_pronouns()
        self._clauses()
        self._quoted_speech()
        self._marriage()
        for a in sorted(self.anchors.values(), key=lambda a: a.i):
            self._emit_anchor(a)
            if a.kind == "pron" and a.target != a.group:
                self._check_referent(a.i, a.group, f"pronoun {self.toks[a.i].text!r}")
        for i, group in self.implied_at:
            self._check_referent(i, group, f"the subject of {self.toks[i].text!r}",
                                 implied=True)
        for i, noun in self.noun_or_adj.items():
            if i in self.done:
                self.unsafe(f"{self.toks[i].text!r} may be the noun {noun!r}, not a "
                            f"predicative adjective; read as the adjective")
        for i in self.za_maz:
            if i - 2 not in self.married:
                self.unsafe("'za mąż' (a woman marrying) has no masculine counterpart "
                            "(ożenić się); not rewritten")
        if self.result.edits:
            self._check_unswapped_surname()
            self._check_quoted_speaker()
            self._check_marriage()
        return self.result

    def _marriage_verb(self, t: Tok) -> tuple[str, Tok | None] | None:
        """("man", *się*) for a form of *ożenić*/*żenić* with *się* in its clause, ("woman",
        None) for *wyjść*/*wychodzić* before *za mąż*; else None."""
        if not t.word or not self.may_marry:
            return None
        lemmas = t.lemmas("praet", "winien", "fin")
        if lemmas & MARRY_VERBS:
            sie = [u for u in self.seg_tokens(t.seg) if u.low == "się"]
            if sie:
                return "man", min(sie, key=lambda u: abs(u.i - t.i))
            return None
        n = self.next_word(t.i)
        nn = self.next_word(n.i) if n is not None else None
        if lemmas & {"wyjść", "wychodzić"} and n is not None and n.low == "za" and \
                nn is not None and nn.low == "mąż":
            return "woman", None
        return None

    def _marriage(self) -> None:
        """*Jej syn ożenił się z Niemką* ↔ *Jego córka wyszła za mąż za Niemca*: marrying is
        *ożenić się z* + instrumental of a man and *wyjść za mąż za* + accusative of a woman
        (imperfective *żenić się* / *wychodzić za mąż*); when the subject is swapped, the
        idiom and its complement are rewritten as a whole. A form that cannot be (a plural,
        the first person) only agrees, and the variant is marked unsafe."""
        if not self.may_marry:
            return
        for t in self.toks:
            found = self._marriage_verb(t)
            if found is None:
                continue
            kind, sie = found
            c = self.seg_ctrl.get(t.seg)
            if c is None or c.kind not in ("anchor", "implied") or c.target == c.group:
                continue
            r = next((r for r in t.readings if r.base in MARRY_IDIOM and r.person is None
                      and "sg" in r.number and (
                          (r.pos in ("praet", "winien") and _group_of(r) == c.group) or
                          (r.pos == "fin" and "ter" in r.tag))), None)
            form = None
            if r is not None and c.number == "sg" and (kind == "man") == (c.group == "male"):
                form = self._verb_form(MARRY_IDIOM[r.base], r, GENDER_CODE[c.target])
            if form is None:
                v = next((x for x in t.readings if x.pos in ("praet", "winien") and
                          self._agrees(c, x)), None)
                if v is not None:
                    self._agree(t, v, c, idiom=False)
                continue
            self.married.add(t.i)
            if kind == "man":
                assert sie is not None
                new = form + r.rest + " za mąż"
                if sie.i == t.i + 1:
                    self._span_edit(t, sie, new)
                elif sie.i == t.i - 1:
                    self._span_edit(sie, t, new)
                else:
                    self._span_edit(t, t, new)
                    self._delete(sie)
                prep = next((u for u in self.seg_tokens(t.seg) if u.i > t.i and
                             u.low in ("z", "ze") and u.i + 1 in self.governed), None)
                if prep is not None:
                    self._span_edit(prep, prep, "za")
                    self._recase(prep, "inst", "acc")
            else:
                mz = self.next_word(self.next_word(t.i).i)  # type: ignore[union-attr]
                assert mz is not None
                self._span_edit(t, mz, form + r.rest + " się")
                prep = self.next_word(mz.i)
                if prep is not None and prep.low == "za" and prep.i + 1 in self.governed:
                    nxt = self.next_word(prep.i)
                    ze = nxt is not None and re.match(  # *ze Szwedką*, *z Francuzką*
                        r"(?i)(?:[sśzźż]|sz|rz)[^aeiouyąęó]|mn|w[sz]", nxt.text) is not None
                    self._span_edit(prep, prep, "ze" if ze else "z")
                    self._recase(prep, "acc", "inst")

    def _verb_form(self, lemma: str, like: Reading, gender: str) -> str | None:
        """``like``'s form (past: number and gender; present: number and person) of
        another verb ``lemma``."""
        if like.pos in ("praet", "winien"):
            return self.g.morph.inflect(lemma, like.pos, "sg", None, gender, like)
        forms = [r.orth for r in self.g.morph.paradigm(lemma)
                 if r.pos == like.pos and r.tag[1:3] == like.tag[1:3] and not r.qualifiers]
        return forms[0] if forms else None

    def _recase(self, prep: Tok, src: str, dst: str) -> None:
        """The noun phrase a preposition governs, from case ``src`` to ``dst``: swapped
        referents take it as their output case, other words are regenerated."""
        j = prep.i + 1
        while j in self.governed:
            u = self.toks[j]
            a = self.anchors.get(j)
            if a is not None:
                if a.case == src:
                    a.src_case, a.case = src, dst
                    if a.target == a.group:  # not swapped: only the case changes
                        form = self._anchor_case_form(a, u)
                        if form is not None:
                            self._edit(u, form, "pl.agreement")
            elif j not in self.claimed:
                r = next((r for r in u.readings if src in r.case and r.pos in (
                    "subst", "adj", "ppas", "pact", "ppron3")), None)
                if r is not None:
                    form = self.g.morph.inflect(r.lemma, r.pos, next(iter(sorted(r.number))),
                                                dst, next(iter(sorted(r.gender))), r, u.low)
                    if form is not None:
                        self._edit(u, form, "pl.agreement")
            j += 1

    def _anchor_case_form(self, a: Anchor, u: Tok) -> str | None:
        target, a.target = a.target, a.group
        try:
            return self._anchor_form(a, u)
        finally:
            a.target = target

    def _span_edit(self, first: Tok, last: Tok, new: str) -> None:
        """Replace the text from ``first`` to ``last`` (inclusive) with ``new``."""
        if first.i == last.i:
            self._edit(first, new, "pl.agreement.idiom")
            return
        for k in range(first.i, last.i + 1):
            self.done.add(k)
        if first.text[:1].isupper():
            new = new[:1].upper() + new[1:]
        old = self.text[first.start:last.end]
        if new != old:
            self.result.edits.append(Edit(first.start, last.end, old, new,
                                          "pl.agreement.idiom", None, None))

    def _delete(self, t: Tok) -> None:
        """Remove word ``t`` and the space after it."""
        end = t.end
        while end < len(self.text) and self.text[end] == " ":
            end += 1
        self.done.add(t.i)
        self.result.edits.append(Edit(t.start, end, self.text[t.start:end], "",
                                      "pl.agreement.idiom", None, None))

    def _quoted_speech(self) -> None:
        """*– Jestem głodny – powiedział chłopiec.*, *„Jestem zmęczona” – westchnęła.*: a
        quote followed by a dash and a verb (the dialogue tag: *powiedział*, *mówi*) is the
        tag subject's own speech, so its first-person singular forms (*byłem*, *jestem
        głodny*) are that person's and follow the swap; so is a quote that goes on after
        the tag (*– powiedziała babcia – wszystko …*). Second-person forms are the
        addressee's."""
        if not self.may_quote:
            return
        for quote, tag in self._quotes():
            c = self.seg_ctrl.get(self.toks[tag].seg)
            if c is None or c.kind not in ("anchor", "implied") or c.number != "sg" or \
                    c.target == c.group:
                continue
            for seg in sorted({self.toks[k].seg for k in quote if self.toks[k].word}):
                toks = [t for t in self.seg_tokens(seg) if t.i in quote]
                first = any(self._first_sg(t) for t in toks)
                for t in toks:
                    if t.i in self.anchors or t.i in self.claimed or t.i in self.governed:
                        continue
                    # *poszedłem*, and the future *będę chudnął*
                    will = any(u.i < t.i and self._first_sg(u) and u.has("bedzie")
                               for u in toks)
                    r = next((r for r in t.readings if r.pos in ("praet", "winien") and
                              (r.person == "pri" or (will and r.person is None)) and
                              "sg" in r.number and _group_of(r) == c.group), None)
                    if r is not None:
                        form = self.g.morph.inflect(r.lemma, r.pos, "sg", None,
                                                    GENDER_CODE[c.target], r, t.low)
                        if form is not None:
                            rest = r.rest if r.rest.startswith("by") or not r.rest else \
                                "m" if form[-1:] in "aeiouy" else "em"
                            self._edit(t, form + rest, "pl.agreement")
                        continue
                    adj = [r for r in t.readings if r.pos in ("adj", "ppas") and not
                           r.qualifiers and "nom" in r.case and "sg" in r.number and
                           _group_of(r) == c.group and not self._modifies(t, r) and
                           r.base not in PRONOMINAL_SUBJECTS]
                    if first and adj and not t.has("fin", "praet", "inf") and (
                            not t.has("subst") or self._adjectival_noun(t) or
                            adj[0].base in PRONOMINAL_ADJECTIVES):
                        self._agree(t, adj[0], c)  # *jestem głodny*, *poszedłem sam*

    def _quotes(self) -> list[tuple[set[int], int]]:
        """(quote tokens, tag verb) for each quote (between quotation marks, or opening a
        sentence with a dash) followed by a dash and a third-person singular past or
        present verb (adverbs between), with the quote's continuation after the tag."""
        out = []
        n = len(self.toks)
        i = 0
        while i < n:
            t = self.toks[i]
            opening = None
            if t.text in "„“\"«":
                opening = {"„": "”\"“", "“": "”\"", "\"": "\"", "«": "»"}[t.text]
            elif t.text in "–—" and self._sentence_start(i):
                opening = "–—"
            if opening is None:
                i += 1
                continue
            j = i + 1
            while j < n and self.toks[j].text not in opening:
                j += 1
            if j >= n:
                break
            quote = set(range(i + 1, j))
            k = j  # the dash before the tag: the closing one, or one after the quote mark
            if opening != "–—":
                k = j + 1
                if k >= n or self.toks[k].text not in "–—":
                    i = j + 1
                    continue
            v = k + 1
            while v < n and self.toks[v].word and self.toks[v].has("adv") and \
                    not self.toks[v].has("praet"):
                v += 1
            if v < n and self.toks[v].word and any(
                    (r.pos == "praet" and r.person is None) or
                    (r.pos == "fin" and "ter" in r.tag and "sg" in r.number)
                    for r in self.toks[v].readings):  # *– … – powiedział/mówi Anna*
                tag_end = v
                while tag_end < n and self.toks[tag_end].text not in "–—" and \
                        self.toks[tag_end].text not in _SENTENCE_END:
                    tag_end += 1
                if tag_end < n and self.toks[tag_end].text in "–—":
                    end = tag_end + 1
                    while end < n and self.toks[end].text not in _SENTENCE_END and \
                            self.toks[end].text not in "–—":
                        end += 1
                    quote |= set(range(tag_end + 1, end))
                out.append((quote, v))
            i = j + 1
        return out

    @staticmethod
    def _first_sg(t: Tok) -> bool:
        """A first-person singular verb form (*jestem*, *czuję*, *byłem*, *będę*)."""
        return any((r.person == "pri" and "sg" in r.number) or (
            r.pos in ("fin", "bedzie") and "pri" in r.tag and "sg" in r.number)
            for r in t.readings)

    def _check_quoted_speaker(self) -> None:
        """Quoted or reported speech (*– Jestem zmęczona – powiedziała Anna.*): its first-
        and second-person forms are the swapped person's or the addressee's, which the pass
        never rewrites; the variant is marked unsafe."""
        if not any(t.text in QUOTES for t in self.toks if not t.word):
            return
        for t in self.toks:
            if not t.word or t.i in self.done:
                continue
            gendered = any(r.pos in ("praet", "winien") and r.person in ("pri", "sec") and
                           _group_of(r) for r in t.readings)
            if not gendered and any(r.pos in ("adj", "ppas") and "nom" in r.case and
                                    _group_of(r) for r in t.readings):
                gendered = any(_speaker(v) for v in self.seg_tokens(t.seg) if v is not t)
            if gendered:
                self.unsafe(f"{t.text!r} in quoted speech may be the swapped person's own "
                            f"(first/second-person) form; left unchanged")
                return

    def _check_marriage(self) -> None:
        """*wyjść za mąż* (of a woman) and *ożenić się* (of a man) have no counterpart
        that only changes gender (*wyszła za mąż* ↔ *ożenił się*): marked unsafe."""
        for t in self.toks:
            if t.word and t.i not in self.married and t.lemmas(*VERB_POS) & MARRY_VERBS and (
                    t.i in self.done or any(_group_of(r) for r in t.readings)):
                self.unsafe(f"{t.text!r}: marrying is said differently of a man and a woman "
                            f"(wyjść za mąż / ożenić się); not rewritten")
                return

    def _check_referent(self, i: int, group: str, what: str, implied: bool = False) -> None:
        """Polish *on/ona* and subjectless verbs also refer to things (*Przepis był trudny,
        ale spróbowałam go ugotować*): an earlier noun of the same gender that is not
        swapped makes the referent ambiguous, and the variant unsafe.

        For an implied subject (``implied``), an oblique noun in the verb's own clause
        (*W 1985 roku poślubił*, *Po wojnie wyemigrowała*) cannot be that subject, and an
        earlier implied subject of the same gender in the sentence (*wyemigrowała …, gdzie
        została*) is the same person, whose own check covers the words before it."""
        genders = {"m1", "m2", "m3"} if group == "male" else {"f"}
        sentences = 0
        earlier = {k for k, g in self.implied_at if g == group and k < i} if implied else set()
        for j in range(i - 1, -1, -1):
            t = self.toks[j]
            if not t.word:
                if t.text in _SENTENCE_END:
                    sentences += 1
                    if sentences > 1:
                        return
                continue
            if sentences == 0 and j in earlier:
                return
            if j in self.anchors or j in self.claimed or j in self.done or not _nominal(t):
                continue  # (*taka stara*: an agreeing predicate, not the noun *taka*)
            if implied and t.seg == self.toks[i].seg and (j in self.governed or not any(
                    r.pos == "subst" and r.case & {"nom", "acc"} for r in t.readings)):
                continue
            if self._surname_word(t, "m1" if group == "male" else "f") and \
                    not self._sentence_start(j):
                self.unsafe(f"{what} may refer to {t.text!r}, a surname that is not swapped")
                return
            if any((r.pos == "subst" or r.base in PRONOMINAL_SUBJECTS) and "sg" in r.number
                   and r.gender & genders and not r.qualifiers and not r.base[:1].isupper()
                   for r in t.readings):
                if sentences == 0 and any(k < j and g == group and self._same_sentence(k, i)
                                          for k, g in self.implied_at):
                    return  # *Urodził się w 1952 roku, gdzie ukończył*: one person before
                self.unsafe(f"{what} may refer to {t.text!r}, which is not swapped")
                return

    def _thing_pronouns(self) -> None:
        """*Kupiłem lodówkę, ale ona hałasuje*, *Zupa była za słona, więc ją wylał*: a
        third-person pronoun in the nominative, accusative or genitive (not after a
        preposition) whose only possible antecedent in its sentence and the one before is
        a thing of its gender (a noun argument of an earlier verb) refers to it and is
        kept. A person of its gender anywhere in those sentences (a swapped referent, or a
        past verb of its gender with no subject of its own; the subject of the pronoun's
        own clause aside, which would be *siebie*) keeps the swap, and the referent check
        marks it unsafe."""
        prons = [a for a in self.anchors.values() if a.kind == "pron" and not a.poss and
                 a.case in ("nom", "acc", "gen") and a.target != a.group and not a.prep]
        for a in sorted(prons, key=lambda a: a.i):
            p = self.prev_word(a.i)
            if p is not None and p.has("prep"):
                continue
            thing = self._thing_antecedent(a)
            if thing is not None:
                a.target = a.group
                self.unsafe(f"pronoun {self.toks[a.i].text!r} taken to refer to "
                            f"{thing.text!r}, which is not swapped; left unchanged")

    def _thing_nouns(self, group: str) -> list[int]:
        """Tokens that may be a thing of ``group``'s gender: a common noun in the nominative
        or accusative singular that is no anchor, modifier, adjective or verb."""
        if self.things is None:
            self.things = {"male": [], "female": []}
            for u in self.toks:
                if not u.word or u.i in self.anchors or u.i in self.claimed or \
                        u.i in self.governed or u.has("adj", "ppas", "pact", *VERB_POS) or (
                        u.text[:1].isupper() and not self._sentence_start(u.i)):
                    continue
                for g, genders in (("male", {"m2", "m3"}), ("female", {"f"})):
                    if any(r.pos == "subst" and r.names == ("nazwa_pospolita",) and
                           not r.qualifiers and "sg" in r.number and r.gender & genders and
                           r.case & {"nom", "acc"} and not r.base[:1].isupper()
                           for r in u.readings):
                        self.things[g].append(u.i)
        return self.things[group]

    def _thing_antecedent(self, a: Anchor) -> Tok | None:
        t = self.toks[a.i]
        first, last = self._sentence_bounds(a.i, back=1)
        candidates = [j for j in self._thing_nouns(a.group) if first <= j < a.i]
        if not candidates:
            return None  # (most pronouns: no thing of their gender before them)
        own = self._own_subject(a)
        if any(first <= o.i < last and o.group == a.group and o is not a and o is not own
               and not (o.kind == "pron" and o.target == o.group and o.i < a.i)
               for o in self.anchors.values()):
            return None  # a person of its gender
        if any(first <= v.i < last and v.seg != t.seg and self._implied_person(v, a.group)
               for v in self.toks if v.word and v.has("praet", "winien")):
            return None  # a past verb of its gender with no subject: maybe a person
        for j in candidates:
            u = self.toks[j]
            # an argument of a verb: in the pronoun's own clause only an object after a
            # verb (*upiekła szarlotkę i zaniosła ją*), never its subject (*Samochód był
            # stary i go cieszył*)
            verbs = [v.i for v in self.seg_tokens(u.seg) if v.i != j and v.has(*VERB_POS)]
            if verbs and (u.seg != t.seg or (any(k < j for k in verbs) and any(
                    v.has(*VERB_POS) or v.low in COORDINATORS for v in self.toks[j + 1:a.i]))):
                return u
        return None

    def _implied_person(self, v: Tok, group: str) -> bool:
        """``v`` is a third-person past verb of ``group`` whose clause has no swapped
        subject and no other subject that agrees with it: maybe a person (read before the
        clauses are, so an approximation of them)."""
        verbs = [r for r in v.readings if r.pos in ("praet", "winien") and r.person is None
                 and "sg" in r.number and _group_of(r) == group]
        if not verbs or v.i in self.anchors:
            return False
        toks = self.seg_tokens(v.seg)
        if any(self.anchors[u.i].case == "nom" for u in toks if u.i in self.anchors):
            return False
        return not self._nonperson_subject(toks, v, verbs[0])

    def _sentence_bounds(self, i: int, back: int = 0) -> tuple[int, int]:
        """Token range of the sentence of ``i`` and the ``back`` sentences before it."""
        first, seen = i, 0
        while first > 0:
            if self.toks[first - 1].text in _SENTENCE_END:  # (punctuation: never a word)
                seen += 1
                if seen > back:
                    break
            first -= 1
        last = i
        while last < len(self.toks) and self.toks[last].text not in _SENTENCE_END:
            last += 1
        return first, last

    def _own_subject(self, a: Anchor) -> Anchor | None:
        """The nominative referent nearest before an object pronoun in its clause: the
        clause's subject, which the pronoun cannot refer to (that would be *siebie*)."""
        if a.case == "nom":
            return a
        seg = self.toks[a.i].seg
        subjects = [o for o in self.anchors.values() if o.case == "nom" and o.i < a.i and
                    self.toks[o.i].seg == seg]
        if subjects:
            return max(subjects, key=lambda o: o.i)
        # *Ojciec kupił dom, ale go nie lubił*: a clause opened by a coordinator shares
        # the subject before it, if its verb agrees with that subject
        toks = self.seg_tokens(seg)
        if not toks or toks[0].low not in COORDINATORS:
            return None
        first, _ = self._sentence_bounds(a.i)
        earlier = [o for o in self.anchors.values() if o.case == "nom" and first <= o.i < a.i]
        if not earlier:
            return None
        s = max(earlier, key=lambda o: o.i)
        agrees = any((r.pos in ("praet", "winien") and r.person is None and
                      GENDER_CODE[s.group] in r.gender and s.number in r.number) or
                     (r.pos in ("fin", "bedzie") and "ter" in r.tag and s.number in r.number)
                     for v in toks for r in v.readings)
        return s if agrees else None

    @staticmethod
    def _surname_word(t: Tok, gender: str, case: str | None = None) -> bool:
        """A capitalised word SGJP lists as a surname of ``gender`` (*Kowalczyka*, *Nowak*)."""
        return t.text[:1].isupper() and any(
            r.pos == "subst" and "nazwisko" in r.names and r.base[:1].isupper() and
            gender in r.gender and "sg" in r.number and (case is None or case in r.case)
            for r in t.readings)

    def _check_unswapped_surname(self) -> None:
        """*Minister Nowak powiedział dziennikarzom*: a surname that SGJP knows as a noun
        (not by a -ski ending) is the subject of a gendered verb that stays, while other
        words are swapped: the person may be missed; the variant is marked unsafe."""
        for t in self.toks:
            if not t.word or not t.text[:1].isupper() or t.i in self.anchors or t.i in self.done:
                continue  # (only a capitalised word can be a surname: _surname_word)
            p = self.prev_word(t.i)
            if self._sentence_start(t.i) and p is None:
                continue  # a capitalised first word may be anything
            for v in self.seg_tokens(t.seg):
                if v.i in self.done or v.i in self.anchors:
                    continue
                genders = {g for r in v.readings if r.pos == "praet" and r.person is None
                           and "sg" in r.number for g in r.gender} & {"m1", "f"}
                if any(self._surname_word(t, g, "nom") for g in genders):
                    self.unsafe(f"surname {t.text!r} (the subject of {v.text!r}) is not "
                                f"swapped while other words are")
                    return

    def _same_sentence(self, i: int, j: int) -> bool:
        return not any(t.text in _SENTENCE_END for t in self.toks[min(i, j):max(i, j)])

    def _tokenize(self) -> None:
        seg = 0
        analyse = self.g.morph.analyse
        for m in _TOKEN.finditer(self.text):
            s = m.group()
            word = s[0].isalpha()
            tok = Tok(len(self.toks), m.start(), m.end(), s, s.lower(), word,
                      analyse(s) if word else (), seg)
            if tok.low == "a":  # the conjunction; the preposition *a* (*5 zł a sztuka*) is rare
                tok.readings = tuple(r for r in tok.readings if r.pos != "prep")
            if s == "-" and (m.start() == 0 or self.text[m.start() - 1].isspace()) and \
                    self.text[m.end():m.end() + 1].isspace():
                s = tok.text = "–"  # a spaced hyphen is a dash (*poprzednio - sędzia …*)
            if not word and (s in CLAUSE_BREAKS or s in _SENTENCE_END):
                seg += 1
                tok.seg = -1
            elif word and tok.low in SUBORDINATORS and self.toks and self.toks[-1].seg != -1:
                seg += 1
                tok.seg = seg
            self.toks.append(tok)
            if word:
                self.segs.setdefault(tok.seg, []).append(tok)
        self._comparison_clauses()

    def _comparison_clauses(self) -> None:
        """*niż*/*jak* inside a clause with a verb before it and one after it opens a clause
        of its own even without a comma (*Była młodsza niż on myślał*): its subject is not the
        main clause's."""
        splits = []
        for toks in self.segs.values():
            for k, t in enumerate(toks):
                if 0 < k < len(toks) - 1 and t.low in ("niż", "jak") and \
                        any(u.has(*_FINITE) for u in toks[:k]) and \
                        any(_verb(u) for u in toks[k + 1:]):
                    splits.append(t.i)
                    break
        if not splits:
            return
        shift, segs = 0, {}
        for t in self.toks:
            if t.i in splits:
                shift += 1
            if t.seg != -1:
                t.seg += shift
                if t.word:
                    segs.setdefault(t.seg, []).append(t)
        self.segs = segs

    # -- token helpers ------------------------------------------------------------------
    def tok(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def prev_word(self, i: int) -> Tok | None:
        t = self.tok(i - 1)
        return t if t is not None and t.word else None

    def next_word(self, i: int) -> Tok | None:
        t = self.tok(i + 1)
        return t if t is not None and t.word else None

    def seg_tokens(self, seg: int) -> list[Tok]:
        return self.segs.get(seg, [])

    def seg_start(self, i: int) -> bool:
        """No word before token ``i`` in its clause segment."""
        t = self.toks[i]
        p = self.tok(i - 1)
        return p is None or p.seg != t.seg or not p.word

    def unsafe(self, reason: str) -> None:
        if reason not in self.result.unsafe:
            self.result.unsafe.append(reason)

    # -- 1. referents -------------------------------------------------------------------
    def _lexicon_anchors(self) -> None:
        starts = {t.start: t for t in self.toks if t.word}
        self.match_at = {m.start: m for m in self.matches if not m.excluded}
        for m in self.matches:
            if m.excluded:
                continue
            t = starts.get(m.start)
            if t is None or t.end != m.end:
                continue
            groups = m.groups
            self.result.groups.update(groups)
            if len(groups) == 1:
                group = next(iter(groups))
            else:
                picked = self._resolve_group(t, m)
                if picked is None:
                    self.unsafe(f"ambiguous {m.text!r}: both {' and '.join(sorted(groups))}")
                    continue
                group = picked
            entry = next(c.entry for c in m.candidates if c.group == group)
            kind = "pron" if entry.pos in ("pron", "det") else entry.pos or "noun"
            a = Anchor(t.i, kind, group, self.plan.target_of(group), entry)
            if kind == "pron":
                a.cands = {("sg", c) for r in t.readings if r.pos == "ppron3"
                           and _gender_ok(r, group, "sg") for c in r.case}
                if t.low in ("jej", "jego"):
                    a.cands.add(("sg", "poss"))
            else:
                lemma = entry.output(group) or ""
                a.cands = {p for r in t.readings if r.pos == "subst" and r.base.lower()
                           == lemma.lower() and _gender_ok(r, group) for p in _pairs(r)}
                proper = lemma[:1].isupper()  # a nationality noun (Polak, Niemka)
                if proper and not t.text[:1].isupper():
                    continue  # *polka* the dance, not *Polka*
                if proper and kind == "noun" and self._country_genitive(t):
                    continue  # *ambasadorka Niemiec*, *z Niemiec*: Germany, not a German
                if kind == "name" or entry.features.get("number") == "sg" or any(
                        r.pos == "subst" and "pt" in r.tag and "m1" in
                                         r.gender and r.base.lower() != lemma.lower()
                                         and r.base not in PLURAL_NOT_COUPLE
                                         for r in t.readings):
                    # names are singular; *dziadkowie* 'grandparents', *teściowie*,
                    # *narzeczeni*: a masculine-personal plurale tantum names a couple,
                    # not men only, so it has no counterpart and stays
                    a.cands = {p for p in a.cands if p[0] == "sg"}
                if not a.cands:
                    continue
                if self._verb_homograph(t) or self._adjectival_use(t):
                    continue
                p = self.prev_word(t.i)
                pp = self.prev_word(p.i) if p is not None and p.low == "na" else None
                if pp is not None and pp.start in self.match_at and any(
                        c.entry.pos in (None, "noun") for c in self.match_at[pp.start].candidates
                ) and any(r.pos == "subst" and "acc" in r.case for r in t.readings):
                    # *kandydatka na prezydenta*: the office a person noun names, not
                    # a person (but *wybrana na dyrektorkę* is the subject's predicate)
                    continue
                if t.low == "mąż" and p is not None and p.low == "za":
                    # *wyjść za mąż* 'to marry (of a woman)': the idiom names no husband
                    self.za_maz.append(t.i)
                    continue
                title = self.anchors.get(t.i - 1)
                if kind == "noun" and t.text[:1].isupper() and not self._sentence_start(t.i) \
                        and not proper and not self._salutation(t) \
                        and entry.output("male") != "pan" and not (
                            title is not None and title.entry is not None
                            and title.entry.output("male") == "pan"):
                    self.unsafe(f"capitalised {t.text!r} may be part of a name; left unchanged")
                    continue
                a.occupational = self.g.is_occupational(entry)
            if kind == "pron" and t.low == "nim" and self._nim_conjunction(t):
                continue
            if kind == "name" and t.has("conj", "part", "prep", "adv", "comp", "interj") and \
                    self._sentence_start(t.i):
                continue  # *Ani przez sekundę*: the conjunction, not Ania
            if kind in ("name", "noun") and t.text[:1].isupper() and (self._regnal(t.i) or (
                    self._named_after(t.i, any(c == "gen" for _, c in a.cands)))):
                continue  # Uniwersytet Adama Mickiewicza; (król) Jan Paweł II, a pope, a king
            if kind == "name" and self._club_name(t, a):
                continue  # *z Lechem Poznań*: a club named after a town, not a man
            self.anchors[t.i] = a

    def _club_name(self, t: Tok, a: Anchor) -> bool:
        """A first name in an oblique case right before a capitalised place name in the
        nominative that does not share its case (*gramy z Lechem Poznań*): a surname would
        agree with the first name (in case and gender), a town in a club's name does not."""
        n = self.next_word(t.i)
        if n is None or not n.text[:1].isupper() or n.seg != t.seg:
            return False
        cases = {c for _, c in a.cands}
        if not cases or "nom" in cases:
            return False
        places = [r for r in n.readings if r.pos == "subst" and "nazwa_geograficzna" in r.names]
        code = GENDER_CODE[a.group]
        return bool(places) and all("nom" in r.case for r in places) and not any(
            r.pos == "subst" and r.case & cases and code in r.gender for r in n.readings)

    def _country_genitive(self, t: Tok) -> bool:
        """A nationality noun that is also the genitive of a country (*Niemiec*, of
        *Niemcy*) after a noun or a preposition that takes the genitive."""
        if not any(r.pos == "subst" and "nazwa_geograficzna" in r.names and "gen" in r.case
                   for r in t.readings):
            return False
        p = self.prev_word(t.i)
        if p is None:
            return False
        if p.has("prep"):
            return any(r.pos == "prep" and "gen" in r.case for r in p.readings)
        return _nominal(p) and p.has("subst")

    def _salutation(self, t: Tok) -> bool:
        """A letter's salutation: a capitalised noun in the vocative right after *Drogi*,
        *Szanowna*, *Kochana*, ... opening the sentence (*Drogi Kolego,*, *Kochana Mamo*)."""
        p = self.prev_word(t.i)
        return p is not None and bool(p.lemmas("adj") & SALUTATIONS) and \
            self._sentence_start(p.i) and any(r.pos == "subst" and "voc" in r.case
                                              for r in t.readings)

    def _regnal(self, i: int) -> bool:
        """A name followed (maybe through more names) by a Roman numeral: a regnal name
        (*Jan Paweł II*, *Kazimierza III Wielkiego*), kept with everything agreeing with it."""
        j = i + 1
        while j < len(self.toks) and self.toks[j].word:
            t = self.toks[j]
            if t.has("romandig"):
                return True
            if not t.text[:1].isupper() or not _nominal(t) or j - i > 3:
                return False
            j += 1
        return False

    def _resolve_group(self, t: Tok, m: Match) -> str | None:
        """*Stanisława* is a woman (nominative) or a man (genitive/accusative of
        *Stanisław*): decide by a following surname, a preceding *pan*/*pani*, an agreeing
        past verb, or the position (clause-initial → nominative)."""
        options: dict[str, set[tuple[str, str]]] = {}
        for c in m.candidates:
            lemma = (c.entry.output(c.group) or "").lower()
            options[c.group] = {p for r in t.readings if r.pos == "subst" and
                                r.base.lower() == lemma and _gender_ok(r, c.group)
                                for p in _pairs(r)}
        return self._choose_group(t, options)

    def _epicene_anchors(self) -> None:
        """*Sędzia ogłosiła* ↔ *Sędzia ogłosił*, *sędziego* ↔ *sędzię*: the nouns of
        EPICENE_NOUNS, whose gender is decided like that of *Stanisława*; undecided ones are
        left unchanged and marked unsafe."""
        if not self.may_epicene:
            return
        for t in self.toks:
            if not t.word or t.i in self.anchors:
                continue
            lemmas = {r.base for r in t.readings if r.pos == "subst"} & EPICENE_NOUNS
            if not lemmas:
                continue
            options = {g: {p for r in t.readings if r.pos == "subst" and r.base in lemmas
                           and _gender_ok(r, g) for p in _pairs(r)} for g in GENDER_CODE}
            group = self._choose_group(t, options)
            if group is None:
                self.unsafe(f"ambiguous {t.text!r}: both female and male")
                continue
            a = Anchor(t.i, "noun", group, self.plan.target_of(group), cands=options[group])
            a.occupational = True
            self.anchors[t.i] = a
            self.result.groups.add(group)

    def _choose_group(self, t: Tok, options: dict[str, set[tuple[str, str]]]) -> str | None:
        known = [g for g, pairs in options.items() if pairs]
        if len(known) == 1:
            return known[0]  # *sędziego* is only a man's form of *sędzia*
        p = self.prev_word(t.i)
        if p is not None and p.has("prep"):  # *o zmarłym*: loc sg m, not dat pl f
            allowed = {c for r in p.readings if r.pos == "prep" for c in r.case}
            fits = [g for g, pairs in options.items() if any(c in allowed for _, c in pairs)]
            if len(fits) == 1:
                return fits[0]
        n = self.next_word(t.i)
        for w in (n, self.prev_word(t.i)):  # a neighbouring name or noun of one gender
            m2 = self.match_at.get(w.start) if w is not None else None
            if m2 is not None and len(m2.groups) == 1 and options.get(next(iter(m2.groups))):
                return next(iter(m2.groups))
        near = [w for w in (self.prev_word(t.i), n) if w is not None and _nominal(w)]
        agreeing = [g for g, pairs in options.items() if any(
            r.pos in ("subst", "adj") and GENDER_CODE[g] in r.gender and _pairs(r) & pairs
            for w in near for r in w.readings)]
        if len(agreeing) == 1:
            return agreeing[0]  # Szanowny Panie Dyrektorze
        sm = SURNAME_RE.match(n.text) if n is not None else None
        if sm is not None:
            g = "male" if sm.group("end") in ("i", "iego", "iemu", "im") else "female"
            if options.get(g):
                return g
        p = self.prev_word(t.i)
        if p is not None:
            for g, title in (("male", "pan"), ("female", "pani")):
                if title in p.lemmas("subst") and options.get(g):
                    return g
        nominative = [g for g, pairs in options.items() if any(c == "nom" for _, c in pairs)]
        if len(nominative) > 1 and (p is None or not p.has("prep")):
            # one nominative for both (*Sędzia ogłosiła*): the agreeing past verb decides
            verbs = [r for v in self.seg_tokens(t.seg) for r in v.readings
                     if r.pos == "praet" and r.person is None and "sg" in r.number
                     and v.i not in self.anchors]
            agreeing = [g for g in nominative if any(_group_of(r) == g for r in verbs)]
            if len(agreeing) == 1:
                return agreeing[0]
        if len(nominative) == 1:
            g = nominative[0]
            verbs = [r for v in self.seg_tokens(t.seg) for r in v.readings
                     if r.pos == "praet" and r.person is None]
            if any(_group_of(r) == g for r in verbs) or self.seg_start(t.i):
                return g
            others = [x for x in options if x != g and options[x]]
            while p is not None and p.has("adv") and not _nominal(p) and \
                    not p.has(*VERB_POS, "prep"):
                p = self.prev_word(p.i)  # *Widziałem wczoraj Stanisława*
            if len(others) == 1 and (p is not None and p.has(*VERB_POS, "prep")):
                return others[0]
        return None

    def _verb_homograph(self, t: Tok) -> bool:
        """*mamy* 'we have' is not *mamy* 'mum's': a noun form that is also a finite verb
        counts only after a preposition or an agreeing modifier."""
        if not any(r.pos in ("fin", "impt") and not r.qualifiers for r in t.readings):
            return False
        p = self.prev_word(t.i)
        n = self.next_word(t.i)
        if p is None and n is not None and any(
                r.pos == "praet" and r.person is None and any(
                    s.pos == "subst" and "nom" in s.case and s.gender & r.gender and
                    s.number & r.number for s in t.readings) for r in n.readings):
            return False  # *Tłumacz pomylił się*: the subject of an agreeing past verb
        # a noun after a preposition, a modifier, a noun (*pies brata*) or a verb (*nie ma
        # mamy*); a verb at the start of a clause or after a pronoun (*co mam*, *Mam dom*)
        if p is None or p.low in ("co", "nie", "to", "już", "też", "ja", "my", "wy", "ty"):
            return True
        if p.low in ("jej", "jego", "ich"):
            return False  # *jej brata*: a possessive before the noun, not *brata* 'fraternises'
        return not (p.has("prep", *VERB_POS) or _nominal(p))

    def _attributive(self, t: Tok) -> bool:
        """An adjective that is also a past verb (*zmarła*, *zmarły*) agreeing with the
        noun right after it (*jego zmarła żona*)."""
        adj = [r for r in t.readings if r.pos in ("adj", "ppas") and not r.qualifiers]
        n = self.next_word(t.i)
        if not adj or n is None or not (_nominal(n) or n.i in self.anchors):
            return False
        return any(s.pos == "subst" and _pairs(r) & _pairs(s) and r.gender & s.gender
                   for r in adj for s in n.readings)

    def _inside_np(self, t: Tok) -> bool:
        """An adjective that is also a past verb counts as a modifier only inside a noun
        phrase that starts before it (*jego zmarła żona*, *o zmarłej matce*), not at the
        head of a clause (*Przyszła twoja córka*)."""
        p = self.prev_word(t.i)
        if p is None or p.seg != t.seg:
            return self._former(t)
        return self._attributive(t) and (
            p.low in ("jej", "jego", "ich") or p.has("prep") or
            (_nominal(p) and p.has("adj")))

    def _former(self, t: Tok) -> bool:
        """*Była dyrektorka szkoły napisała*, *Były mąż nie płaci*: *była*/*były*/*byli* at the
        head of a clause before a nominative noun it agrees with, with a finite verb later in
        the clause, is the adjective *były* 'former', not the verb 'was'."""
        if not any(r.pos == "adj" and r.base == "były" for r in t.readings) or \
                not self._attributive(t):
            return False
        n = self.next_word(t.i)
        if n is None or not any(s.pos == "subst" and "nom" in s.case for s in n.readings):
            return False
        return any(v.i > n.i and v.has(*_FINITE) for v in self.seg_tokens(t.seg))

    def _adjectival_use(self, t: Tok) -> bool:
        """An adjectival noun (*zmarły*, *zmarła*) used as an adjective before its noun
        (*zmarły mąż*) or as a past verb (*Babcia zmarła*; *zmarła* is also 'died')."""
        adj = [r for r in t.readings if r.pos == "adj" and not r.qualifiers]
        if not adj:
            return False
        n = self.next_word(t.i)
        if n is not None and _nominal(n) and any(s.pos == "subst" and _pairs(r) & _pairs(s) and
                                 r.gender & s.gender for r in adj for s in n.readings):
            return True
        if any("nom" in r.case for r in adj) and self._after_copula(t) and any(
                r.pos == "subst" and "nom" in r.case for v in self.seg_tokens(t.seg)
                if v.i < t.i for r in v.readings):
            return True  # *Prezes został oskarżony*: the participle, a predicate
        if not any(r.pos == "praet" and not r.qualifiers for r in t.readings):
            return False
        p = self.prev_word(t.i)
        if p is not None and (p.has("prep") or (_nominal(p) and any(
                s.pos == "adj" and _pairs(r) & _pairs(s) and r.gender & s.gender
                for r in adj for s in p.readings))):
            return False  # *o zmarłej*, *nasza zmarła* (not *Matka Kowalskiego zmarła*)
        if p is not None and _nominal(p):
            return True  # *Babcia zmarła*
        others = [v for v in self.seg_tokens(t.seg) if v is not t and v.has(*VERB_POS)]
        return not others

    def _nim_conjunction(self, t: Tok) -> bool:
        p = self.prev_word(t.i)
        n = self.next_word(t.i)
        return (p is None or not p.has("prep")) and n is not None and n.has(*VERB_POS) \
            and self.seg_start(t.i)

    def _name_anchors(self) -> None:
        """Surnames (-ski/-ska by ending), and words after a title: *pan Nowak*, *pani doktor*."""
        for t in self.toks:
            prev = self.anchors.get(t.i - 1)
            head = prev if prev is not None and self._is_title(prev) else None
            adj = self._adj_surname(t, head)
            if adj is not None:  # Tomasz Wolny, pani Czarna, Wojciech Szczęsny
                group = "male" if adj in ("y", "ego", "emu", "ym") else "female"
                a = Anchor(t.i, "surname", group, self.plan.target_of(group), title_of=head.i)
                a.cands = {("sg", c) for c in ADJ_SURNAME_CASES[adj]}
                self.anchors[t.i] = a
                self.result.groups.add(group)
                continue
            if not t.word or t.i in self.anchors:
                continue
            m = SURNAME_RE.match(t.text)
            if m and self._surname_ok(t, head):
                ending = m.group("end")
                group = "male" if ending in ("i", "iego", "iemu", "im") else "female"
                a = Anchor(t.i, "surname", group, self.plan.target_of(group))
                a.cands = {("sg", c) for c in SURNAME_CASES[ending]}
                if head is not None:
                    a.title_of = head.i
                self.anchors[t.i] = a
                self.result.groups.add(group)
            elif head is not None and self._title_follower(t):
                a = Anchor(t.i, "title", head.group, head.target, title_of=head.i)
                self.anchors[t.i] = a
        for t in self.toks:
            if t.word and t.i not in self.anchors and t.text[:1].isupper():
                ns = self._noun_surname(t)
                if ns is not None:
                    self.anchors[t.i] = ns
                    self.result.groups.add(ns.group)
        # a title before a surname keeps the masculine form a woman's title uses, and takes
        # the surname's gender: Profesor Zieliński ↔ Profesor Zielińska, Minister Kowalski
        for a in list(self.anchors.values()):
            p = self.prev_word(a.i)
            if a.kind not in ("surname", "nsurname") or p is None or a.title_of is not None:
                continue
            prev = self.anchors.get(p.i)
            if (prev is None or prev.kind == "noun") and self._person_noun(p) and \
                    self._title_follower(p) and (not any("nazwisko" in r.names
                                                         for r in p.readings) or any(
                    r.pos == "subst" and r.names == ("nazwa_pospolita",) and "f" in r.gender
                    and r.case >= INDECLINABLE_CASES for r in p.readings)):
                # (a title noun, also a woman's title, may also be a surname: *Doktor*)
                title = Anchor(p.i, "title", a.group, a.target,
                               prev.entry if prev is not None else None, title_of=a.i)
                title.cands = {q for r in p.readings if r.pos == "subst" and
                               _gender_ok(r, a.group) for q in _pairs(r)}
                self.anchors[p.i] = title
        # occupational nouns after pan/pani are title followers too (pan prezes, pani prezes)
        for a in list(self.anchors.values()):
            head = self.anchors.get(a.i - 1)
            if a.kind == "noun" and head is not None and head.kind == "noun" and \
                    head.entry is not None and head.entry.output("male") == "pan" and \
                    self._title_follower(self.toks[a.i]):
                self.anchors[a.i] = Anchor(a.i, "title", head.group, head.target, a.entry,
                                           title_of=head.i)

    def _noun_surname(self, t: Tok) -> Anchor | None:
        """A surname that is a noun (*Nowak*, *Kowalczyk*, *Mazur*) with no title or first
        name: a man's declines (*z Nowakiem*), a woman's does not (*z Nowak*), so its gender
        shows in an oblique form, in an agreeing past verb, or after a preposition that
        rules out the nominative (the man's only uninflected form). Taken only where SGJP
        knows the word as a surname and not as a first name, place or institution, inside a
        sentence (the first word of one only before its agreeing past verb, and only when
        the word is no animal or thing: *Kot siedział* is a cat), not in a proper name
        (*Nagroda Nobla*, *ulica Kopernika*)."""
        surname = [r for r in t.readings if r.pos == "subst" and "nazwisko" in r.names
                   and r.base[:1].isupper() and "sg" in r.number]
        p = self.prev_word(t.i)
        prep = {c for r in p.readings if r.pos == "prep" for c in r.case} if p else set()
        for r in t.readings:
            if "sg" not in r.number:
                continue
            if "nazwa_geograficzna" in r.names:  # *Wróbel* is also a village, *Warszawa* a
                if prep & r.case:  # surname: after a preposition of its case, a place
                    return None  # (*do Wróbla*, *w Warszawie*)
                continue
            if "nazwisko" in r.names and "imię" not in r.names:
                continue
            if not set(r.names) <= {"nazwa_pospolita"} or r.base[:1].isupper():
                return None  # also a first name or a place; *Mazur* also 'a Masurian'
        if not surname or not _nominal(t) or self._regnal(t.i):
            return None  # (*Papież Jan Paweł II*: a regnal name)
        male = [r for r in surname if "m1" in r.gender]
        # a woman's noun surname is one form for every case (*z Nowak*); a feminine noun
        # that declines is a place or a thing (*Warszawa przegrała*, *Wisła wylała*)
        female = [r for r in surname if "f" in r.gender and r.case >= INDECLINABLE_CASES]
        n = self.next_word(t.i)
        verb_genders = {g for v in self._verbs(t.seg) for r in v.readings
                        if r.pos == "praet" and r.person is None and "sg" in r.number
                        for g in r.gender & {"m1", "f"}} | self._predicate_genders(t)
        if self._sentence_start(t.i):
            common = [r for r in t.readings if r not in surname and r.pos == "subst"
                      and "sg" in r.number]
            nv = [r for r in n.readings if r.pos == "praet" and r.person is None and
                  "sg" in r.number and r.gender & {"m1", "f"}] if n is not None else []
            # an animal or a thing is the subject of a verb it agrees with (*Kot siedział*)
            # or a fronted object (*Głos zabrała posłanka*); but *Wójcik powiedziała* is
            # no bird (*wójcik*, nominative only); a title noun that SGJP also has as an
            # indeclinable feminine is the title (*Komisarz*)
            if not nv or any(r.gender - {"m1"} and (r.gender & v.gender or r.case - {
                    "nom", "voc"}) for r in common for v in nv) or \
                    any("f" in r.gender and r.case >= INDECLINABLE_CASES for r in common) or \
                    any(r.pos != "subst" for r in t.readings):
                return None
            # an oblique form that is also a common noun's is that noun (*Chwilę próbował*,
            # *Przyczyną był*), not a man's surname as a fronted object
            male = [r for r in male if "nom" in r.case or not any(
                c.case & r.case for c in t.readings if c not in surname and c.pos == "subst")]
        elif p is None or (p.text[:1].isupper() and _nominal(p) and not (
                self._person_noun(p) and self._sentence_start(p.i))) or \
                self._named_after(t.i) or t.text.isupper() or p.has("romandig"):
            return None
        oblique_male = [r for r in male if r.case - {"nom", "voc"}]
        if oblique_male and not female:
            group, readings = "male", oblique_male
        elif male and female and ((prep and "nom" not in prep) or verb_genders == {"f"}):
            group, readings = "female", female
        elif male and verb_genders == {"m1"} and not prep:
            group, readings = "male", male
        else:
            return None
        a = Anchor(t.i, "nsurname", group, self.plan.target_of(group))
        a.cands = {("sg", c) for r in readings for c in r.case if c != "voc"}
        return a

    def _predicate_genders(self, t: Tok) -> set[str]:
        """The genders (m1, f) of nominative adjectives and participles after a copula
        that follows ``t`` in its clause (*Doktor Nowak jest bardzo cierpliwa*)."""
        out: set[str] = set()
        copula = False
        for v in self.seg_tokens(t.seg):
            if v.i <= t.i:
                continue
            if v.lemmas("fin", "praet", "bedzie") & COPULAS:
                copula = True
                continue
            if not copula or v.has("subst", *VERB_POS):
                continue
            adj = [r for r in v.readings if r.pos in ("adj", "ppas") and "nom" in r.case and
                   "sg" in r.number and not r.qualifiers and not self._modifies(v, r)]
            out |= {g for r in adj for g in r.gender & {"m1", "f"}}
        return out

    def _adj_surname(self, t: Tok, head: Anchor | None) -> str | None:
        """The ending of a capitalised adjectival surname with a hard stem (*Wolny*,
        *Czarna*) right after a first name or *pan*/*pani*, else None. The word must also be
        an adjective of the same stem (a first name such as *Szczęsny* is then a surname)."""
        if head is None or not t.word or SURNAME_RE.match(t.text) or \
                head.kind not in ("name", "noun", "title"):
            return None
        own = self.anchors.get(t.i)
        if own is not None and own.kind != "name":
            return None
        m = ADJ_SURNAME_RE.match(t.text)
        if m is None or (self.toks[head.i].text[:1].islower() and head.kind == "name"):
            return None
        lemma = (m.group("stem") + "y").lower()
        if not any(r.pos == "adj" and r.base.lower() == lemma for r in t.readings):
            return None
        return m.group("end")

    def _is_title(self, a: Anchor) -> bool:
        return a.kind in ("name", "title") or (a.kind == "noun" and a.entry is not None
                                               and a.entry.output("male") == "pan")

    def _head_case(self, a: Anchor) -> str | None:
        """The case of the phrase a title follower belongs to (*z panią doktor Nowak*)."""
        seen = 0
        while a.title_of is not None and seen < 5:
            head = self.anchors.get(a.title_of)
            if head is None:
                return None
            if head.kind != "title":
                return head.case
            a = head
            seen += 1
        return a.case

    def _surname_ok(self, t: Tok, head: Anchor | None) -> bool:
        """A capitalised -ski word is a surname unless it is an adjective in a proper name
        (*Uniwersytet Jagielloński*) or before the noun it modifies (*Polski rząd*)."""
        if head is not None:
            return True
        proper = [r for r in t.readings if r.pos == "subst" and r.base[:1].isupper()]
        if proper and not any("nazwisko" in r.names for r in proper):
            return False  # Gdańska: a place, not a surname
        stem = SURNAME_RE.match(t.text).group("stem")  # type: ignore[union-attr]
        if any(r.base in (stem + "a", stem + "i") and "nazwa_geograficzna" in r.names
               for r in proper):
            return False  # Polska, Polski: the country, not Ms/Mr Polski
        ending = SURNAME_RE.match(t.text).group("end")  # type: ignore[union-attr]
        if self._named_after(t.i, "gen" in SURNAME_CASES[ending]):
            return False  # ulicy Marszałkowskiej, placu Piłsudskiego
        p = self.prev_word(t.i)
        if p is not None and p.low in STREET_PREPOSITIONS and ending in ("a", "iej", "ą"):
            # *mieszkam na Marszałkowskiej*: a street; *na Puławską* may also be a woman,
            # and is one after a verb that takes a person (*czekam na Kowalską*)
            if ending == "ą" and p.low == "na" and any(
                    v.i < p.i and v.lemmas(*VERB_POS) & NA_PERSON_VERBS
                    for v in self.seg_tokens(t.seg)):
                return True
            if ending == "ą" and p.low == "na":
                self.unsafe(f"'{p.text} {t.text}' may be a street or a person; left unchanged")
            return False
        if p is not None and p.has("prep"):
            allowed = {c for r in p.readings if r.pos == "prep" for c in r.case}
            if not allowed & set(SURNAME_CASES[ending]):
                return False
        if p is not None and p.text[:1].isupper() and _nominal(p) and not self._person_noun(p):
            return False  # Uniwersytet Jagielloński (but Profesor Zieliński, Córka Kowalskiego)
        n = self.next_word(t.i)
        if n is not None and _nominal(n) and n.has("subst") and not n.text[:1].isupper():
            adj = [r for r in t.readings if r.pos == "adj"]
            for r in adj:
                for s in n.readings:
                    if s.pos == "subst" and _pairs(r) & _pairs(s) and r.gender & s.gender:
                        return False
        return True

    def _named_after(self, i: int, genitive: bool = True) -> bool:
        """Token ``i`` follows a street or institution noun (*ulicy*, *Uniwersytecie*, *ul.*,
        *im.*), maybe after a first name: the words name the place, not a person. Only a
        street takes an agreeing adjective (*ulica Marszałkowska*); the rest need a genitive
        (``genitive``: token ``i`` may be one) and a capitalised noun (*w szkole Anna*)."""
        j = i - 1
        while j >= 0 and j in self.anchors and self.anchors[j].kind == "name":
            j -= 1
        t = self.tok(j)
        if t is None or not self.toks[i].text[:1].isupper():
            return False
        if t.text == ".":
            q = self.tok(j - 1)
            return q is not None and q.word and q.low in NAMED_AFTER_ABBREVIATIONS
        if not t.word or not t.has("subst"):
            return False
        bases = {r.base.lower() for r in t.readings if r.pos == "subst"}
        if bases & STREETS and (genitive or SURNAME_RE.match(self.toks[i].text)):
            return True
        return genitive and bool(bases & NAMED_AFTER) and t.text[:1].isupper()

    def _person_noun(self, t: Tok) -> bool:
        """A swapped person noun or a masculine-personal noun (*Minister*, *Profesor*)."""
        a = self.anchors.get(t.i)
        if a is not None and a.kind in ("noun", "title"):
            return True
        return any(r.pos == "subst" and "m1" in r.gender and "nazwa_pospolita" in r.names
                   for r in t.readings)

    def _title_follower(self, t: Tok) -> bool:
        """A word after *pan*/*pani* or a first name that is masculine for a man and the
        indeclinable masculine-looking form for a woman (*doktor*, *prezes*, *Nowak*)."""
        m1 = {r.base for r in t.readings if r.pos == "subst" and "m1" in r.gender}
        f = {r.base for r in t.readings if r.pos == "subst" and "f" in r.gender
             and len(r.case) == 7}
        if m1 & f:
            return True
        surnames = {r.base for r in t.readings if r.pos == "subst" and "nazwisko" in r.names}
        if f & surnames and t.text[:1].isupper():
            return True
        # an inflected masculine title whose lemma also has the indeclinable feminine
        # (Dyrektorze, doktorem, Nowakiem)
        return any(r.pos == "subst" and "f" in r.gender and len(r.case) == 7
                   for base in m1 for r in self.g.morph.paradigm(base))

    def _mark_governed(self) -> None:
        """Words after a preposition up to the noun it governs are never a subject."""
        for t in self.toks:
            if not (t.word and t.has("prep")) or t.low in ("jako",):
                continue
            n = self.next_word(t.i)
            if t.low == "za" and n is not None and n.has("adj") and (not n.has("subst") or (
                    self._after_copula(t) and any(r.pos == "adj" and "nom" in r.case
                                                  for r in n.readings))):
                nn = self.next_word(n.i)
                if nn is None or not nn.has("subst"):
                    continue  # za łatwy 'too easy': an adverb, not a preposition
            j = t.i + 1
            while j < len(self.toks) and self.toks[j].word:
                if not self.toks[j].has("subst", "adj", "num", "ppron3", "ppron12", "ppas",
                                        "pact", "depr", "siebie"):
                    break  # *co mówił*: not a preposition here
                self.governed.add(j)
                if self.toks[j].has("subst", "ppron3", "ppron12", "siebie") and not any(
                        r.pos == "adj" and not r.qualifiers for r in self.toks[j].readings):
                    break  # the head noun (an archaic adjective reading of *ona* aside)
                j += 1

    # -- 2. case and number ---------------------------------------------------------------
    def _modifiers(self, a: Anchor) -> int:
        """Collect agreeing modifiers before ``a`` (narrowing its readings); returns the
        index of the first token of the noun phrase."""
        i = a.i
        if a.kind == "pron":
            return i
        while True:
            t = self.tok(i - 1)
            if t is None or not t.word or (i - 1) in self.anchors or (
                    t.has("praet") and not self._inside_np(t)):
                return i
            pairs: set[tuple[str, str]] = set()
            for r in t.readings:
                if r.pos in ("adj", "ppas", "pact") and r.base not in ("który", "jaki") \
                        and not r.qualifiers:
                    pairs |= {p for p in _pairs(r) if _gender_ok(r, a.group, p[0])}
            narrowed = a.cands & pairs
            if not narrowed:
                return i
            a.cands = narrowed
            a.mods.append(i - 1)
            i -= 1

    def _decide(self, a: Anchor) -> None:
        start = self._modifiers(a)
        if a.kind == "title":
            return
        t = self.toks[a.i]
        title = self.anchors.get(a.i - 1)
        if a.kind in ("surname", "nsurname") and title is not None and \
                title.kind == "title" and title.title_of == a.i:
            # Profesor Zieliński: the title phrase has one case (z profesorem Zielińskim)
            start = title.i - len(title.mods)
            a.cands = (a.cands & title.cands) or a.cands
        head = self.anchors.get(a.title_of) if a.title_of is not None else None
        if head is None and a.kind in ("name", "surname", "nsurname"):
            prev = self.anchors.get(start - 1)
            if prev is not None and self._is_title(prev):
                head = prev
        head_case = self._head_case(head) if head is not None and head.kind == "title" \
            else head.case if head is not None else None
        prev = self.anchors.get(start - 1)
        if head_case is None and a.kind in ("surname", "nsurname") and prev is not None and \
                prev.kind == "noun" and prev.occupational and prev.group == a.group:
            head_case = prev.case  # *Sędzia Nowak*, *trener Nowak*: apposition, one case
        if head_case is not None:  # apposition: same case (z panią doktor Wolną)
            same = {p for p in a.cands if p[1] == head_case}
            if same:
                a.cands = same
        first = self._coordinated_with(start)
        if first is not None and first.case is not None and a.kind in ("noun", "name"):
            same = {q for q in a.cands if q[1] == first.case}
            if same:  # *córka pianisty i śpiewaczki*: both in the genitive singular
                a.cands = same
                if first.number in {n for n, _ in same}:
                    a.cands = {q for q in same if q[0] == first.number}
        cases = {c for _, c in a.cands}
        if not cases:
            return
        if len(cases) == 1:
            a.case = next(iter(cases))
        else:
            a.case = self._case(a, t, start, cases)
        numbers = sorted({n for n, c in a.cands if c == a.case})
        a.number = "sg" if "sg" in numbers and self._prefer_sg(a, numbers) else numbers[0]
        p = self.prev_word(start)
        if a.number == "pl" and p is not None and p.has("num") and a.target != a.group and \
                not self._numeral(a, p):
            self.unsafe(f"numeral {p.text!r} before {t.text!r} may need its own gender form")
        if a.case == "poss":
            a.poss = True
        if title is not None and title.kind == "title" and title.title_of == a.i:
            title.case, title.number = a.case, a.number

    def _partitives(self) -> None:
        """*Każdy z braci dostał* ↔ *Każda z sióstr dostała*: a pronoun or numeral adjective
        before *z* + a swapped genitive plural takes that noun's gender (and, as the
        clause's subject, its verb follows)."""
        for a in list(self.anchors.values()):
            if a.kind != "noun" or a.case != "gen" or a.number != "pl":
                continue
            z = self.prev_word(a.i - len(a.mods))
            if z is not None and z.has("num") and not z.has("prep"):
                z = self.prev_word(z.i)  # *jedna z kilkunastu pielęgniarek*
            t = self.prev_word(z.i) if z is not None and z.low in ("z", "ze") else None
            if t is None or t.i in self.anchors:
                continue
            readings = [r for r in t.readings if r.pos == "adj" and r.base in PARTITIVE_HEADS
                        and "sg" in r.number and GENDER_CODE[a.group] in r.gender]
            cases = {c for r in readings for c in r.case} - {"voc"}
            if not cases:
                continue
            head = Anchor(t.i, "partitive", a.group, a.target, number="sg")
            head.cands = {("sg", c) for c in cases}
            head.case = next(iter(cases)) if len(cases) == 1 else \
                "nom" if "nom" in cases and self._subject_like(head, cases) else None
            if head.case is None:
                self.unsafe(f"{t.text!r} before {self.toks[a.i].text!r} may need its "
                            f"own gender form")
                continue
            self.anchors[t.i] = head

    def _coordinated_with(self, start: int) -> Anchor | None:
        """The swapped noun before *i*/*oraz*/*lub*/*albo* that a noun phrase starting at
        ``start`` is coordinated with (past the first noun's own adjectives after it), in
        an oblique case: coordinated nouns share it (nominative subjects are left to the
        clause)."""
        p = self.prev_word(start)
        if p is None or p.low not in ("i", "oraz", "lub", "albo", "ani"):
            return None
        k = p.i - 1
        for _ in range(3):
            a = self.anchors.get(k)
            if a is not None:
                return a if a.kind in ("noun", "name") and a.case not in (None, "nom") \
                    else None
            t = self.tok(k)
            if t is None or not t.word or not t.has("adj") or t.has("subst"):
                return None
            k -= 1
        return None

    def _numeral(self, a: Anchor, num: Tok) -> bool:
        """Rewrite a numeral before a swapped plural noun: *dwie córki* ↔ *dwóch synów*
        (object), *dwie/obie siostry* ↔ *dwaj/obaj bracia* (subject), *pięć córek* ↔
        *pięciu synów*. Numerals 2-4 and *oba* agree with their noun (congr); from 5 on, and
        masculine-personal *dwóch* in the accusative, they take a genitive noun (rec).
        Returns False (the caller marks the variant unsafe) when it cannot tell."""
        src = [r for r in num.readings if r.pos == "num" and not r.qualifiers
               and "ncol" in r.tag and _gender_ok(r, a.group, "pl")]
        if not src or a.case is None:
            return False
        congr = [r for r in src if "congr" in r.tag and a.case in r.case]
        rec = [r for r in src if "rec" in r.tag and "acc" in r.case]
        rec_nom = [r for r in src if "rec" in r.tag and "nom" in r.case]
        only_rec = False
        q = self.prev_word(num.i)
        governed = (q is not None and q.has("prep")) or self._negated(num.seg)
        if congr and a.case not in ("nom", "acc") and (governed or a.case != "gen"):
            phrase, like = a.case, congr[0]  # z dwiema siostrami, nie mam dwóch braci
        elif rec and a.case in ("gen", "acc") and not governed:
            gov = self._governor(a)
            if gov is not None and gov.i > a.i and rec_nom and (
                    a.case == "gen" or self._neuter_verbs(a, gov) is not None):
                # *Pięć kobiet czekało* ↔ *Pięciu mężczyzn czekało*: a numeral that takes a
                # genitive in both genders keeps the neuter verb; *Dwóch braci przyszło*
                # ↔ *Dwie siostry przyszły*: the verb turns plural (only_rec)
                phrase, like, only_rec = "nom", rec_nom[0], True
                a.case = "gen"
            elif gov is None or gov.i > a.i:
                return False
            else:
                phrase, like = "acc", rec[0]  # mam dwóch synów, mam pięć córek
        elif congr and a.case in ("nom", "acc"):
            phrase, like = a.case, congr[0]  # dwie córki, dwaj bracia
        else:
            return False
        lemma = like.lemma
        code = GENDER_CODE[a.target]
        best = None
        for r in self.g.morph.paradigm(lemma):
            if r.pos != "num" or code not in r.gender or phrase not in r.case or \
                    "ncol" not in r.tag or r.qualifiers:
                continue
            key = (0 if "congr" in r.tag else 1, -len(r.orth))  # dwóch, dwoma (not dwu)
            if best is None or key < best[0]:
                best = (key, r)
        if best is None:
            return False
        if only_rec and "rec" not in best[1].tag:
            verbs = self._neuter_verbs(a, self._governor(a))
            if not verbs:
                return False
            a.plural_verbs = verbs
        r = best[1]
        a.numeral = (num.i, r.orth, phrase if "congr" in r.tag else "gen")
        return True

    def _neuter_verbs(self, a: Anchor, gov: Tok | None) -> list[int] | None:
        """The past verbs after a numeral subject, all in the neuter singular it takes
        (*Dwóch braci przyszło*); None if a verb of the clause is not such a form."""
        if gov is None or gov.i < a.i:
            return None
        out = []
        for v in self.seg_tokens(self.toks[a.i].seg):
            if v.i <= a.i or v.i in self.governed or v.i in self.anchors:
                continue
            if any(r.pos == "praet" and "n" in r.gender and "sg" in r.number and
                   r.person is None for r in v.readings) and not v.has("fin", "bedzie"):
                out.append(v.i)
            elif v.has(*VERB_POS):
                return None
            elif out and any(r.pos in ("adj", "ppas") and "gen" in r.case and "pl" in
                             r.number and "m1" in r.gender for r in v.readings) and not any(
                    self._modifies(v, r) for r in v.readings if r.pos in ("adj", "ppas")):
                out.append(v.i)  # *było zmęczonych* ↔ *były zmęczone*
        return out or None

    def _prefer_sg(self, a: Anchor, numbers: list[str]) -> bool:
        if len(numbers) == 1:
            return True
        if a.case == "nom":
            verbs = self._verbs(self.toks[a.i].seg)
            return not any("pl" in r.number for v in verbs for r in v.readings
                           if r.pos in VERB_POS)
        return True

    def _verbs(self, seg: int) -> list[Tok]:
        # (*niż* 'than' is also a rare imperative, of *niżyć*)
        return [t for t in self.seg_tokens(seg) if t.has(*VERB_POS) and t.i not in self.anchors
                and t.low != "niż"]

    def _governor(self, a: Anchor) -> Tok | None:
        """The verb nearest to ``a`` in its clause (preceding first)."""
        verbs = self._verbs(self.toks[a.i].seg)
        before = [v for v in verbs if v.i < a.i]
        if before:
            return before[-1]
        return verbs[0] if verbs else None

    def _negated(self, seg: int) -> bool:
        toks = self.seg_tokens(seg)
        for k, t in enumerate(toks):
            if t.low == "nie" and k + 1 < len(toks):
                nxt = toks[k + 1]
                if nxt.has(*VERB_POS) or nxt.low in ("ma", "było", "będzie", "miał", "miała"):
                    return True
        return False

    def _case(self, a: Anchor, t: Tok, start: int, cases: set[str]) -> str:
        p = self.prev_word(start)
        if a.kind != "pron" and p is not None and (self._possessive(p) or p.has("num")):
            # *o jego bracie*, *mam dwie córki*: an indeclinable possessive or a numeral is
            # transparent to government
            p = self.prev_word(p.i)
        gov = self._governor(a)
        gov_lemmas = gov.lemmas(*VERB_POS) if gov is not None else set()
        nxt = self.next_word(a.i)
        if nxt is not None and nxt.has("inf") and nxt.i not in self.anchors and \
                not gov_lemmas & (DAT_VERBS | GEN_VERBS | INS_VERBS):
            # *Musiał jej pomóc*: the infinitive after the pronoun governs it (but *Kazał
            # jej przyjść*, *Pomogłem pani przejść*: the finite verb does)
            gov, gov_lemmas = nxt, nxt.lemmas("inf")
        compared = a.kind == "pron" and p is not None and p.low in ("jak", "niż")
        if compared:
            # *niż jej*, *jak mu kazała*: they govern only the nominative; an oblique
            # pronoun after them is the verb's (a second dative: *ufała mu bardziej niż jej*)
            p = None
        # possessive jego/jej: before a noun phrase, or after a preposition
        if "poss" in cases:
            nominal = nxt is not None and (_nominal(nxt) or self._attributive(nxt) or (
                nxt.i in self.anchors and self.anchors[nxt.i].kind in ("noun", "name")))
            if p is not None and p.has("prep") and a.kind == "pron":
                return "poss"
            if nominal and compared:
                return "poss"  # *śpiewała jak jej matka*
            if nominal:
                if t.low == "jej" and gov_lemmas & DAT_VERBS and gov is not None and \
                        gov.i < a.i:
                    self.unsafe(f"'jej' before {nxt.text!r} may be possessive (jego) "
                                f"or dative (mu); chose dative")
                    return "dat"
                return "poss"
            cases = cases - {"poss"}
        first = self._coordinated_pron(a)
        if first is not None and first.case in cases:
            return first.case  # *Nie ufam mu ani jej*: the first conjunct's case
        if "gen" in cases and self._polite_possessor(a, nxt):
            return "gen"  # *na Pana pismo*, *Pani syn*: 'your', the genitive of pan/pani
        if p is not None and p.has("prep") and p.low != "jako":
            return self._prep_case(a, p, cases)
        q = self.prev_word(p.i) if p is not None else None
        if "gen" in cases and q is not None and (q.low, p.low) in COMPLEX_PREPOSITIONS:
            return "gen"  # *w imieniu ojca*, *na rzecz sąsiada*: a complex preposition
        prep = self._coordinated_prep(p)
        if prep is not None and a.kind == "pron":
            a.prep = True  # *między mną a nią*, *dla niego i niej*: the preposition's case
            return self._prep_case(a, prep, cases)
        if p is not None and p.low == "jako" and "nom" in cases:
            return "nom"
        cases = cases - {"loc"} if len(cases) > 1 else cases
        if len(cases) == 1:
            return next(iter(cases))
        # vocative: a clause of its own with no verb (Panie Janie, ...)
        if "voc" in cases:
            salutation = any(self.toks[m].lemmas("adj") & SALUTATIONS for m in a.mods)
            if self.seg_start(start) and not self._verbs(t.seg) and (
                    salutation or self._addressed(t.i)):
                return "voc"  # also a letter's salutation: Szanowna Pani, Drogi Janie
            cases = cases - {"voc"}
            if len(cases) == 1:
                return next(iter(cases))
        if "gen" in cases and p is not None and p.low == "proszę" and \
                (nxt is None or not nxt.word):
            return "gen"  # the address formula: proszę pana / proszę pani
        if "gen" in cases and a.kind != "pron" and p is not None and _nominal(p) \
                and p.has("subst") and p.i not in self.governed \
                and not p.lemmas() & PRONOMINAL_NOUNS and self._phrase_starts_clause(p):
            return "gen"  # Mąż pani Nowak: a genitive after the clause's first noun
        if "nom" in cases and (gov is None or gov.i > a.i) and self._subject_like(a, cases):
            return "nom"
        if "dat" in cases and gov_lemmas & DAT_VERBS and (compared or not self._has_dative(a)):
            return "dat"
        if "gen" in cases and p is not None and p.low in QUANTIFIERS:
            return "gen"  # więcej przyjaciół
        if "gen" in cases and a.kind != "pron" and p is not None and _nominal(p) \
                and p.i not in self.governed and not p.lemmas() & PRONOMINAL_NOUNS \
                and not self._polite_subject(p):
            return "gen"  # adnominal genitive: syn sąsiada
        if "nom" in cases and self._subject_like(a, cases):
            return "nom"
        if "gen" in cases and a.kind != "pron" and p is not None and _nominal(p) \
                and p.has("subst") and p.i in self.governed \
                and not p.lemmas() & PRONOMINAL_NOUNS and not p.has("num"):
            # *po śmierci ojca*: a genitive of the noun a preposition governs; after a
            # transitive verb it may be the verb's object (*zabrał do szkoły syna*)
            if gov is None or gov.i > a.i or gov_lemmas & NO_OBJECT or "acc" not in cases:
                return "gen"
            self.unsafe(f"{t.text!r} after {p.text!r} may be its genitive or the object of "
                        f"{gov.text!r}; chose the object")
            return "acc"
        if "gen" in cases and (self._negated(t.seg) or gov_lemmas & GEN_VERBS):
            return "gen"
        if "inst" in cases and (gov_lemmas & (INS_VERBS | COPULAS)):
            return "inst"
        if "acc" in cases and gov is not None:
            return "acc"
        if "dat" in cases and "gen" not in cases:
            return "dat"
        choice = min(cases, key=CASE_ORDER.index)
        self.unsafe(f"case of {t.text!r} is ambiguous ({'/'.join(sorted(cases))}); "
                    f"chose {choice}")
        return choice

    def _coordinated_pron(self, a: Anchor) -> Anchor | None:
        """The pronoun anchor right before *i*/*ani*/*albo*/*lub*/*oraz* before pronoun ``a``
        (*mu ani jej*, *go i ją*): a conjunct of the same case, stressed in the output."""
        p = self.prev_word(a.i)
        if a.kind != "pron" or p is None or p.low not in PRONOUN_COORDINATORS:
            return None
        q = self.prev_word(p.i)
        first = self.anchors.get(q.i) if q is not None else None
        if first is None or first.kind != "pron" or first.case in (None, "poss", "nom") or \
                first.prep:
            return None
        return first

    def _phrase_starts_clause(self, p: Tok) -> bool:
        """Noun ``p`` heads the first phrase of its clause, adjectives before it allowed
        (*Mąż pani Nowak*, *średnia pensja pielęgniarki*)."""
        q = p
        while not self.seg_start(q.i):
            q = self.toks[q.i - 1]
            if not (_nominal(q) and any(
                    r.pos == "adj" and s.pos == "subst" and _pairs(r) & _pairs(s) and
                    r.gender & s.gender for r in q.readings for s in p.readings)):
                return False
        return True

    def _polite_possessor(self, a: Anchor, n: Tok | None) -> bool:
        """*pan*/*pani* right before a common noun it does not agree with (*w odpowiedzi na
        Pana pismo*, *Pani syn*): the polite possessive 'your', a genitive."""
        if a.kind != "noun" or a.entry is None or a.entry.output("male") != "pan" or \
                n is None or not _nominal(n) or n.lemmas() & PRONOMINAL_NOUNS or \
                (n.i in self.anchors and self.anchors[n.i].kind != "noun") or not any(
                    r.pos == "subst" and r.names == ("nazwa_pospolita",) for r in n.readings):
            return False
        t = self.toks[a.i]
        own = [r for r in t.readings if r.pos == "subst" and r.base.lower() in ("pan", "pani")]
        # a nominative *pani* before a noun is mostly the subject (*pani raz nuciła*):
        # 'your' only in a letter's capitalised *Pani*, or before a man (*Pani syn*)
        if any("nom" in r.case for r in own) and not (
                t.text[:1].isupper() and not self._sentence_start(a.i)) and not (
                n.i in self.anchors and self.anchors[n.i].group != a.group):
            return False
        return not any(s.pos in ("subst", "adj") and _pairs(r) & _pairs(s) and
                       r.gender & s.gender for r in own for s in n.readings)

    def _polite_subject(self, t: Tok) -> bool:
        """*Czy widziała pani mojego męża?*: a polite *pan*/*pani* in the nominative right
        after its verb is the subject; the noun phrase after it is the verb's object, not
        its genitive."""
        a = self.anchors.get(t.i)
        if a is None or a.kind != "noun" or a.case != "nom" or a.entry is None or \
                a.entry.output("male") != "pan":
            return False
        v = self.prev_word(t.i)
        return v is not None and v.has(*VERB_POS)

    def _coordinated_prep(self, p: Tok | None) -> Tok | None:
        """The preposition governing the phrase before the coordinator ``p`` (*między mną
        a ...*, *dla matki i ...*)."""
        if p is None or p.low not in ("i", "a", "oraz", "lub", "albo"):
            return None
        k = p.i - 1
        while k >= 0 and k in self.governed:
            k -= 1
        q = self.tok(k)
        return q if k < p.i - 1 and q is not None and q.word and q.has("prep") else None

    def _possessive(self, t: Tok) -> bool:
        """*jego*, *jej*, *ich* used as an indeclinable possessive before a noun."""
        if t.low == "ich":
            return True
        a = self.anchors.get(t.i)
        return a is not None and a.kind == "pron" and a.poss

    def _addressed(self, i: int) -> bool:
        """Does the sentence of token ``i`` speak to someone (an imperative, a second-person
        verb, *proszę*, or an exclamation)? Only then is a verbless *pani*/*pan* phrase a
        vocative (*Panie Janie, proszę usiąść*) rather than a subject set off by a comma
        (*Pani Ewa, nasza nauczycielka, przeszła na emeryturę*)."""
        n = self.next_word(i)
        if n is not None and n.readings and all("voc" in r.case and len(r.case) == 1
                                                for r in n.readings):
            return True  # *Pani Ewo, …*: the name after the title is a vocative
        if n is not None and n.has("subst") and not any(
                "voc" in r.case for r in n.readings if r.pos == "subst"):
            return False  # *Pani Ewa, nasza nauczycielka, …*: a nominative name
        j = i
        while j > 0 and self.toks[j - 1].text not in _SENTENCE_END:
            j -= 1
        third = False  # a third-person singular verb the phrase could be the subject of
        for t in self.toks[j:]:
            if t.text in _SENTENCE_END:
                return t.text == "!" or (t.i > i and not third)
            o = self.anchors.get(t.i)
            if t.i > i and t.text[:1].islower() and o is not None and o.entry is not None \
                    and o.entry.output("male") == "pan":
                return True  # *Pani doktor, czy mogłaby pani ...*: the polite address
            if t.low == "proszę" or any(r.pos == "impt" or r.person == "sec" or (
                    r.pos in ("fin", "bedzie") and "sec" in r.tag) for r in t.readings):
                return True
            third = third or (t.i > i and any(
                "sg" in r.number and ((r.pos in ("praet", "winien") and r.person is None) or (
                    r.pos in ("fin", "bedzie") and "ter" in r.tag)) for r in t.readings))
        return False

    def _has_dative(self, a: Anchor) -> bool:
        for o in self.anchors.values():
            if o is not a and o.case == "dat" and self.toks[o.i].seg == self.toks[a.i].seg:
                return True
        return False

    def _subject_like(self, a: Anchor, cases: set[str]) -> bool:
        verbs = self._verbs(self.toks[a.i].seg)
        if not verbs:
            return True
        numbers = {n for n, c in a.cands if c == "nom"}
        for v in verbs:
            for r in v.readings:
                if r.pos not in ("fin", "praet", "bedzie", "winien") or r.person:
                    continue
                if r.pos in ("fin", "bedzie") and "ter" not in r.tag:
                    continue
                if r.number & numbers or not r.number:
                    return True
        return False

    def _prep_case(self, a: Anchor, p: Tok, cases: set[str]) -> str:
        allowed: set[str] = set()
        for r in p.readings:
            if r.pos == "prep":
                allowed |= r.case
        inter = cases & allowed or cases
        lemma = next(iter(p.lemmas("prep")), p.low)
        if len(inter) == 1:
            return next(iter(inter))
        if lemma == "z" and "inst" in inter:
            return "inst"
        if lemma in ("przed", "nad", "pod", "między", "pomiędzy") and "inst" in inter:
            return "inst"
        if lemma == "za" and inter == {"acc", "gen"}:
            return "acc"  # za + genitive is archaic (za króla Sasa)
        choice = "inst" if "inst" in inter else min(inter, key=CASE_ORDER.index)
        self.unsafe(f"'{p.text} {self.toks[a.i].text}' is ambiguous "
                    f"({'/'.join(sorted(inter))}); chose {choice}")
        return choice

    # -- relative pronouns ----------------------------------------------------------------
    def _relatives(self) -> None:
        """*który/która* after a comma that follows a swapped noun takes its gender."""
        for t in self.toks:
            rel_lemmas = t.lemmas("adj") & RELATIVES if t.word else set()
            if not rel_lemmas:
                continue
            j = t.i - 1
            if j >= 0 and self.toks[j].word and self.toks[j].has("prep"):
                j -= 1
            if j < 1 or self.toks[j].text != ",":
                continue
            ante = self._antecedent(t, j - 1)
            if ante is None:
                continue
            a = Anchor(t.i, "relative", ante.group, ante.target)
            a.cands = {p for r in t.readings if r.base in RELATIVES and
                       _gender_ok(r, ante.group, ante.number) for p in _pairs(r)}
            if not a.cands:
                continue
            cases = {c for _, c in a.cands}
            p = self.prev_word(t.i)
            verbs = self._verbs(t.seg)
            lemmas = set().union(*(v.lemmas(*VERB_POS) for v in verbs)) if verbs else set()
            if len(cases) == 1:
                a.case = next(iter(cases))
            elif "gen" in cases and self._possessor(t):
                a.case = "gen"  # *lekarz, którego żona*: whose, the possessor's genitive
            elif p is not None and p.has("prep"):
                a.case = self._prep_case(a, p, cases)
            elif "nom" in cases:
                a.case = "nom"
            elif "dat" in cases and lemmas & DAT_VERBS:
                a.case = "dat"
            elif "gen" in cases and (self._negated(t.seg) or lemmas & GEN_VERBS):
                a.case = "gen"
            elif "inst" in cases and lemmas & INS_VERBS:
                a.case = "inst"
            else:
                a.case = "acc" if "acc" in cases else min(cases, key=CASE_ORDER.index)
            a.number = ante.number
            self.anchors[t.i] = a

    def _possessor(self, rel: Tok) -> bool:
        """*którego/której* before a noun it does not agree with (*którego żona*, *z której
        synem*): the relative is the possessor, in the genitive."""
        n = self.next_word(rel.i)
        if n is None or not n.has("subst") or n.has(*VERB_POS) or not _nominal(n):
            return False
        rels = [r for r in rel.readings if r.base in RELATIVES]
        return not any(s.pos == "subst" and _pairs(r) & _pairs(s) and r.gender & s.gender
                       for r in rels for s in n.readings)

    def _antecedent(self, rel: Tok, k: int) -> Anchor | None:
        """The swapped noun a relative pronoun refers to: the noun before the comma, or the
        one before a prepositional phrase or genitive after it (*koledze z klasy, który*)."""
        genders = {g for r in rel.readings if r.base in RELATIVES for g in r.gender}
        skipped: list[Tok] = []
        while k >= 0 and self.toks[k].word and len(skipped) < 4:
            a = self.anchors.get(k)
            if a is not None:
                if a.kind == "pron" or a.case is None:
                    return None
                if skipped and any(r.pos == "subst" and r.gender & genders and "sg" in
                                   r.number for s in skipped for r in s.readings):
                    self.unsafe(f"{rel.text!r} may refer to {skipped[-1].text!r} or "
                                f"{self.toks[k].text!r}; chose {self.toks[k].text!r}")
                return a
            t = self.toks[k]
            if not (k in self.governed or t.has("prep") or _nominal(t)):
                return None
            skipped.append(t)
            k -= 1
        return None

    # -- 3. clauses: subjects, predicates, implied subjects -------------------------------
    def _clauses(self) -> None:
        segs = sorted({t.seg for t in self.toks if t.word})
        main: Ctrl | None = None
        rel_ctrl: Ctrl | None = None
        prev_relative = False
        correlated: list[Anchor] = []
        for seg in segs:
            toks = self.seg_tokens(seg)
            if not toks:
                continue
            first = toks[0]
            relative = (first.i in self.anchors and self.anchors[first.i].kind == "relative") \
                or (first.has("prep") and len(toks) > 1 and toks[1].i in self.anchors and
                    self.anchors[toks[1].i].kind == "relative")
            sentence_start = self._sentence_start(first.i)
            if sentence_start:
                self._resolve_pending()
                self.sentence_segs = []
                main = None
                prev_relative = False
                correlated = []
            other_relative = not relative and self._relative_after_noun(seg, toks)
            if other_relative and main is None:
                # *Książka, którą czytałem, była nudna*: the noun the relative clause
                # follows is the subject after it; not a person, so nothing agrees
                main = Ctrl("blocked")
            inherit = None
            if prev_relative and main is None:
                inherit = rel_ctrl
            elif main is not None and (prev_relative or first.low in COORDINATORS):
                inherit = main
            ctrl = self._clause(seg, toks, inherit, correlated if first.low in CORRELATIVES
                                else [])
            if ctrl or inherit:
                self.seg_ctrl[seg] = ctrl or inherit  # type: ignore[assignment]
            self.sentence_segs.append(seg)
            # *Ani on, ani jego brat nie przyszli*: a verbless first member of a correlative
            # pair is a subject of the clause that completes it
            correlated = self._subjects(toks) if first.low in CORRELATIVES and not any(
                t.has(*VERB_POS) for t in toks) else []
            if relative:
                rel_ctrl = ctrl
            if not relative and not other_relative:
                main = ctrl or inherit
            if ctrl is not None and ctrl.kind == "implied":
                self.implied.setdefault(ctrl.group, ctrl)
            prev_relative = relative or other_relative
        self._resolve_pending()

    def _relative_after_noun(self, seg: int, toks: list[Tok]) -> bool:
        """Clause ``seg`` opens with *który*/*jaki* (maybe after a preposition) right after a
        comma that closes a verbless noun phrase (*Książka, którą czytałem, …*)."""
        k = 1 if toks[0].has("prep") and len(toks) > 1 else 0
        if not toks[k].lemmas("adj") & RELATIVES:
            return False
        comma = self.tok(toks[0].i - 1)
        noun = self.tok(toks[0].i - 2)
        if comma is None or comma.text != "," or noun is None or not noun.word or \
                noun.i in self.anchors or not noun.has("subst"):
            return False
        prev = self.seg_tokens(noun.seg)
        return not any(t.has(*VERB_POS) for t in prev) and any(
            r.pos == "subst" and "nom" in r.case for r in noun.readings)

    def _resolve_pending(self) -> None:
        """A predicative adjective with no subject (*jest szczęśliwa*) agrees with the
        sentence's implied person of the same gender (*Jest szczęśliwa, bo wygrała*);
        with none, it may describe a thing: left unchanged and marked unsafe."""
        for t, r, group in self.pending:
            c = self.implied.get(group) or (
                None if self._before_noun(t) else self._sentence_subject(t, group))
            if c is not None:
                self._agree(t, r, c)
            else:
                self.unsafe(f"{t.text!r} may describe a person with no subject in the "
                            f"sentence; left unchanged")
        self.pending.clear()
        self.implied.clear()

    def _before_noun(self, t: Tok) -> bool:
        """An adjective right before a noun it may agree with (*najlepszy mecz*)."""
        n = self.next_word(t.i)
        return n is not None and n.has("subst") and any(
            r.pos in ("adj", "ppas", "pact") and s.pos == "subst" and _pairs(r) & _pairs(s)
            and not self._taki_adjective(r, n, s) for r in t.readings for s in n.readings)

    def _sentence_subject(self, t: Tok, group: str) -> Ctrl | None:
        """The one swapped person of ``group`` that is the subject of an earlier clause of
        ``t``'s sentence (*Moim autorytetem jest dziadek, bo zawsze jest uczciwy*; *Pacjentka
        przytomna, zorientowana*; *Zaginął nasz tata, ostatnio widziany w Gdyni*), when no
        clause between has another subject."""
        found: list[Ctrl] = []
        for seg in self.sentence_segs:
            if seg >= t.seg:
                break
            c = self.seg_ctrl.get(seg)
            if c is None:
                continue
            if c.kind != "anchor" or c.group != group or c.number != "sg":
                found.append(Ctrl("blocked"))
            elif not any(c.anchors == f.anchors for f in found):
                found.append(c)
        return found[0] if len(found) == 1 and found[0].kind == "anchor" else None

    def _sentence_start(self, i: int) -> bool:
        for j in range(i - 1, -1, -1):
            t = self.toks[j]
            if t.word:
                return False
            if t.text in _SENTENCE_END:
                return True
        return True

    def _subjects(self, toks: list[Tok]) -> list[Anchor]:
        """The swapped nominative referents of a clause, one per title phrase."""
        subjects = [self.anchors[t.i] for t in toks if t.i in self.anchors
                    and self.anchors[t.i].case == "nom" and self.anchors[t.i].kind
                    in ("pron", "noun", "name", "surname", "nsurname", "relative",
                        "partitive")
                    and not self._after_jako(self.anchors[t.i])
                    and not self._compared(self.anchors[t.i])]
        # one referent per title phrase (pani Kowalska, Jan Kowalski)
        return [s for s in subjects if not self._in_title_phrase(s, subjects)
                and not self._apposition(s, subjects)]

    def _compared(self, a: Anchor) -> bool:
        """The standard of a comparison, after *niż*/*jak* inside its clause (*Była bardziej
        zmęczona niż on*, *taka sama jak matka*): not the clause's subject, though nominative.
        A *niż*/*jak* that opens its clause (*…, jak matka mówiła*) heads a clause of its own."""
        return self._standard_at(a.i - len(a.mods))

    def _in_standard(self, t: Tok) -> bool:
        """``t`` is in the noun phrase of a comparison's standard (*jak nikt inny*)."""
        j = t.i
        for _ in range(4):
            if self._standard_at(j):
                return True
            q = self.prev_word(j)
            if q is None or not _nominal(q):
                return False
            j = q.i
        return False

    def _standard_at(self, i: int) -> bool:
        """The phrase starting at token ``i`` follows a comparison's *niż*/*jak* that does
        not open its clause (possessives between: *niż jej brat*)."""
        p = self.prev_word(i)
        while p is not None and p.low in ("jej", "jego", "ich"):
            p = self.prev_word(p.i)
        if p is None or p.low not in ("niż", "jak"):
            return False
        toks = self.seg_tokens(p.seg)
        return bool(toks) and toks[0] is not p

    def _clause(self, seg: int, toks: list[Tok], inherit: Ctrl | None,
                correlated: list[Anchor]) -> Ctrl | None:
        subjects = self._subjects(toks)
        rel = [s for s in subjects if s.kind == "relative"]
        if rel:
            subjects = rel
        elif subjects:
            subjects = correlated + subjects
        ctrl = self._subject_ctrl(subjects)
        pl_ctrl = None
        if ctrl is not None and ctrl.number == "sg":
            heads = {a.i for a in ctrl.anchors}
            comitative = [a for a in self.anchors.values() if a.case == "inst"
                          and self.toks[a.i].seg == seg and self._comitative(a, heads)]
            if comitative:  # *Ojciec z synem poszli*: a plural of two people
                pl_ctrl = self._subject_ctrl(list(ctrl.anchors) + comitative)
        persons = {p for t in toks if t.readings and t.i not in self.anchors
                   for p in [_speaker(t)] if p}
        preds = self._predicates(toks)
        implied: Ctrl | None = None
        for t, readings in preds:
            obj = self._za_na_object(t, readings)
            if obj is not None:
                r = next(x for x in readings if self._agrees(obj, x))
                self._agree(t, r, obj)
                continue
            if pl_ctrl is not None and any(self._agrees(pl_ctrl, x) for x in readings):
                r = next(x for x in readings if self._agrees(pl_ctrl, x))
                self._agree(t, r, pl_ctrl)
                continue
            r = next((x for x in readings if ctrl is not None and self._agrees(ctrl, x)), None)
            if r is None:
                r = next((x for x in readings if "sg" in x.number), readings[0])
            group = _group_of(r)
            if group is None:
                continue
            c = ctrl if ctrl is not None and self._agrees(ctrl, r) else None
            if c is None and ctrl is None and persons:
                continue  # *a teraz jestem zagubiony*: the speaker
            if c is None and ctrl is None:
                if self._nonperson_subject(toks, t, r):
                    continue
                if inherit is not None and not self._new_person(inherit, toks, r, group):
                    c = inherit
                elif r.pos in ("praet", "winien") and not persons and "sg" in r.number:
                    self._unknown_subject(toks, t)
                    self.implied_at.append((t.i, group))
                    implied = implied or Ctrl("implied", group, self.plan.target_of(group))
                    c = implied if implied.group == group else Ctrl(
                        "implied", group, self.plan.target_of(group))
                    self.result.groups.add(group)
                elif implied is not None and implied.group == group and "sg" in r.number:
                    c = implied
                elif not persons and "sg" in r.number and self._has_praet(toks, group):
                    c = Ctrl("implied", group, self.plan.target_of(group))
                elif not persons and r.pos in ("adj", "ppas", "pact") and "sg" in r.number:
                    self.pending.append((t, r, group))
                    continue
            if c is None or c.kind == "blocked" or c.number not in r.number:
                continue
            if c is ctrl and self._coordinated_subject(toks, t, r, c):
                continue  # *Lekarka popełniła błąd i piłka wpadła*: the ball fell
            self._agree(t, r, c)
        self._predicate_nouns(toks, ctrl or inherit or implied, bool(persons))
        if ctrl is not None:
            return ctrl
        if implied is not None:
            return implied
        for t, rs in preds:
            if self._nonperson_subject(toks, t, rs[0]):
                return Ctrl("blocked", _group_of(rs[0]) or "",
                            number="pl" if "pl" in rs[0].number else "sg")
        return None

    def _feminine_partitive(self, t: Tok) -> bool:
        """*jedną z osób*: *z* and a feminine genitive plural noun that is not swapped
        (adjectives between) after the instrumental ``t``, which agrees with that noun."""
        n = self.next_word(t.i)
        if n is None or n.low not in ("z", "ze", "spośród"):
            return False
        u = self.next_word(n.i)
        while u is not None and u.has("adj") and not u.has("subst"):
            u = self.next_word(u.i)
        return u is not None and u.i not in self.anchors and any(
            r.pos == "subst" and "pl" in r.number and "gen" in r.case and "f" in r.gender
            for r in u.readings)

    def _relative_after(self, t: Tok) -> None:
        """*Był jedynym z braci, który przeżył*: a relative pronoun later in the sentence
        may refer to the instrumental predicate ``t`` (and then needs its gender)."""
        for u in self.toks[t.i + 1:]:
            if u.text in _SENTENCE_END:
                return
            if u.word and u.lemmas("adj") & RELATIVES:
                self.unsafe(f"{u.text!r} may refer to {t.text!r} and need its other gender")
                return

    def _unknown_subject(self, toks: list[Tok], verb: Tok) -> None:
        """*Premierka spotkała się*, *Była premierka spotkała*: a word SGJP does not know
        (lower case, or first in its sentence) before the past verb or right after it may be
        the subject, a noun the lexicon lacks: the verb's implied subject is then a guess."""
        n = self.next_word(verb.i)
        last = n.i if n is not None and n.seg == verb.seg else verb.i
        u = next((u for u in toks if u.word and not u.readings and u.i <= last and
                  u.text.isalpha() and (u.text.islower() or self._sentence_start(u.i))), None)
        if u is not None:
            self.unsafe(f"{u.text!r} (unknown to SGJP) may be the subject of {verb.text!r}")

    @staticmethod
    def _new_person(inherit: Ctrl, toks: list[Tok], r: Reading, group: str) -> bool:
        """*Zupa była za słona, więc ją wylał*: after a clause whose subject is a thing, a
        coordinated clause whose past verb cannot agree with that thing has a subject of
        its own, a person (unless a word SGJP does not know may be that subject)."""
        return inherit.kind == "blocked" and bool(inherit.group) and \
            inherit.group != group and inherit.number == "sg" and "sg" in r.number and \
            r.pos in ("praet", "winien") and all(t.readings for t in toks)

    def _za_na_object(self, t: Tok, readings: list[Reading]) -> Ctrl | None:
        """*Uważam go za zdolnego*: a swapped accusative object before *za*/*na* that the
        adjective agrees with controls it."""
        if not any("acc" in r.case and "nom" not in r.case for r in readings) or \
                not self._za_na_predicate(t):
            return None
        for o in self.anchors.values():
            if o.i < t.i and o.case == "acc" and self.toks[o.i].seg == t.seg and \
                    o.kind in ("pron", "noun", "name", "surname"):
                c = Ctrl("anchor", o.group, o.target, o.number, (o,))
                if any(self._agrees(c, r) for r in readings):
                    return c
        return None

    def _apposition(self, s: Anchor, subjects: list[Anchor]) -> bool:
        """*posłanka Lewicy Anna Nowicka*: a second subject of the same gender after an
        earlier one with only a genitive between (no coordinator, verb or comma) names the
        same person."""
        for s0 in subjects:
            if s0.i >= s.i or s0.group != s.group or s.kind not in ("name", "surname"):
                continue
            between = self.toks[s0.i + 1:s.i - len(s.mods)]
            if between and len(between) <= 3 and all(
                    t.word and t.i not in self.anchors and t.low not in COORDINATORS and
                    _nominal(t) and any("gen" in r.case for r in t.readings)
                    for t in between):
                return True
        return False

    def _in_title_phrase(self, s: Anchor, subjects: list[Anchor]) -> bool:
        """*Pan profesor Zieliński*: the words after the phrase's first referent."""
        j = s.i - 1
        while j in self.anchors and self.anchors[j].kind in ("title", "name", "noun",
                                                              "surname"):
            if self.anchors[j] in subjects:
                return True
            j -= 1
        return False

    def _comitative(self, a: Anchor, heads: set[int]) -> bool:
        """*z synem* right after the subject *Ojciec*."""
        p = self.prev_word(a.i - len(a.mods))
        return p is not None and p.low in ("z", "ze") and (p.i - 1) in heads

    def _has_praet(self, toks: list[Tok], group: str) -> bool:
        return any(r.pos == "praet" and r.person is None and _group_of(r) == group
                   and t.i not in self.anchors for t in toks for r in t.readings)

    def _subject_ctrl(self, subjects: list[Anchor]) -> Ctrl | None:
        if not subjects:
            return None
        if len(subjects) == 1 or any(s.number == "pl" for s in subjects):
            s = next((s for s in subjects if s.number == "pl"), subjects[0])
            return Ctrl("anchor", s.group, s.target, s.number, (s,))
        # coordinated singular subjects: masculine-personal plural if any man is among them
        group = "male" if any(s.group == "male" for s in subjects) else "female"
        target = "male" if any(s.target == "male" for s in subjects) else "female"
        return Ctrl("anchor", group, target, "pl", tuple(subjects))

    def _agrees(self, c: Ctrl, r: Reading) -> bool:
        if c.number not in r.number:
            return False
        return GENDER_CODE[c.group] in r.gender

    def _predicates(self, toks: list[Tok]) -> list[tuple[Tok, list[Reading]]]:
        """Gendered predicate words of a clause: 3rd-person past verbs, and nominative
        adjectives/participles that do not modify a following noun."""
        out: list[tuple[Tok, list[Reading]]] = []
        claimed = self.claimed
        for t in toks:
            za = self._za_na_predicate(t)
            if za and t.i not in self.anchors and t.i not in claimed:
                out.append((t, za))
                continue
            if t.i in self.anchors or t.i in claimed or t.i in self.governed:
                continue
            # *Była stara* (not *stara* 'tries'), *byli tacy mili*: right after a copula
            finite = (t.has("fin", "impt", "inf", "bedzie") and not self._after_copula(t)) \
                or _place(t)
            verbs = [r for r in t.readings if r.pos in ("praet", "winien") and r.standard
                     and r.person is None and _group_of(r)]
            adjs = [r for r in t.readings if r.pos in ("adj", "ppas", "pact") and not
                    r.qualifiers and "nom" in r.case and _group_of(r) and not finite
                    and r.base not in PRONOMINAL_SUBJECTS and not self._modifies(t, r)
                    and not self._follows_noun(t, r)]
            if adjs and self._noun_homograph(t, adjs):
                adjs = []  # *zażądał dla niego kary*: the noun *kara*, not *kary* 'black'
            if not verbs and not adjs and not finite and self._after_copula(t):
                # *Był najmłodszym z pięciorga dzieci*, *jedynym z braci*: an instrumental
                # adjective standing for a noun, the copula's predicate
                adjs = [replace(r, case=frozenset({"inst"})) for r in t.readings
                        if r.pos == "adj" and not r.qualifiers and "inst" in r.case and
                        "sg" in r.number and _group_of(r) and not self._modifies(t, r)
                        and r.base not in PRONOMINAL_ADJECTIVES]
                if adjs and self._feminine_partitive(t):
                    adjs = []  # *Był jedną z najlepszych osób*: agrees with *osób*
                if adjs:
                    self._relative_after(t)
            if verbs and adjs and all("pl" in r.number and "m1" not in r.gender
                                      for r in verbs) and self._copula_before(t):
                verbs = []  # *byłby wściekły*: the adjective, not *wściekły* 'they got mad'
            if verbs and adjs and all(r.pos == "winien" for r in verbs) and \
                    self._after_copula(t, copulas=False):
                verbs = []  # *czuła się winna* → *czuł się winny*, not *winien*
            if (verbs or adjs) and not self._noun_subject(t):
                out.append((t, verbs or adjs))  # (*Droga do szkoły była*: the subject)
        return out

    def _after_copula(self, t: Tok, copulas: bool = True) -> bool:
        """``t`` follows a copula (*być*, *zostać*; with ``copulas`` False only a verb of
        seeming or feeling with *się*: *wydawać się*, *czuć się*) with only adverbs,
        particles and a predicative *taki*/*sam* between (*Była już taka stara*): a
        predicative adjective, not a verb (*stara* 'tries') or a noun (*stara* 'old woman')."""
        p, reflexive = self.prev_word(t.i), False
        while p is not None and p.seg == t.seg:
            if p.low == "się":
                reflexive = True
            elif not (p.has("adv", "part") and not _nominal(p) and not p.has(*VERB_POS)) \
                    and not (p.lemmas("adj") & PRONOMINAL_ADJECTIVES and not p.has(*VERB_POS)):
                break
            p = self.prev_word(p.i)
        if p is None or p.seg != t.seg:
            return False
        lemmas = p.lemmas(*VERB_POS)
        if copulas and lemmas & COPULAS:
            return True
        if not reflexive:
            n = self.next_word(p.i)
            reflexive = n is not None and n.low == "się"
        return reflexive and bool(lemmas & SEEM_VERBS)

    def _noun_homograph(self, t: Tok, adjs: list[Reading]) -> bool:
        """An adjective that is also the genitive of a common noun of another lemma (*kary*:
        *kara*) in a clause whose verb governs the genitive (*zażądał dla niego kary*): the
        verb's object, not a predicate."""
        bases = {r.base for r in adjs}
        if not any(r.pos == "subst" and "gen" in r.case and r.base not in bases
                   and r.names == ("nazwa_pospolita",) and not r.qualifiers
                   for r in t.readings):
            return False
        return any(v.i < t.i and v.lemmas(*VERB_POS) & GEN_VERBS
                   for v in self.seg_tokens(t.seg))

    def _za_na_predicate(self, t: Tok) -> list[Reading]:
        """The accusative readings of an adjective after *za*/*na* (adverbs between) in a
        clause of *uważać*, *wyglądać*, ... (*Uważam go za bardzo zdolnego*, *Wyglądał na
        zmęczonego*): a predicate of the object or the subject, not a noun phrase."""
        p = self.prev_word(t.i)
        while p is not None and p.has("adv") and not _nominal(p) and not p.has("prep"):
            p = self.prev_word(p.i)
        if p is not None and p.low in PREDICATE_COORDINATORS and p.seg == t.seg and \
                (q := self.prev_word(p.i)) is not None and q.seg == t.seg and q.has("adj") \
                and self._za_na_predicate(q):
            p = self.prev_word(q.i)  # *za mądrą i odpowiedzialną*: both predicates
            while p is not None and p.has("adv") and not _nominal(p) and not p.has("prep"):
                p = self.prev_word(p.i)
        if p is None or p.low not in ("za", "na"):
            return []
        if not any(v.i < p.i and v.lemmas(*VERB_POS) & ZA_NA_VERBS
                   for v in self.seg_tokens(t.seg)):
            return []
        return [r for r in t.readings if r.pos in ("adj", "ppas") and not r.qualifiers
                and "acc" in r.case and "sg" in r.number and _group_of(r)
                and not self._modifies(t, r)]

    def _noun_subject(self, t: Tok) -> bool:
        """A nominative common noun that is also an adjective (*droga* 'road', *drogi*
        'dear'), before any verb of its clause: the subject (*Droga do szkoły była
        zasypana*), not a predicative adjective. Adjectival nouns (*chora*, *młoda*, which
        decline as adjectives) stay adjectives (*Chora leżała w łóżku*)."""
        known = self.noun_subjects.get(t.i)
        if known is not None:
            return known
        adj = [r for r in t.readings if r.pos == "adj" and "sg" in r.number and
               "nom" in r.case]
        # a noun of another lemma (*droga*/*drogi*, *rada*/*rad*): not *sam* 'a shop'
        out = bool(adj) and not any(r.base in PRONOMINAL_SUBJECTS | PRONOMINAL_ADJECTIVES
                                    for r in adj) and any(
            r.pos == "subst" and "nom" in r.case and "sg" in r.number and
            r.names == ("nazwa_pospolita",) and not r.qualifiers and
            all(r.base != x.base and r.gender & x.gender for x in adj) and
            not self._adjectival_declension(r.lemma) for r in t.readings) and not any(
            v.i < t.i and v.has(*VERB_POS) for v in self.seg_tokens(t.seg))
        self.noun_subjects[t.i] = out
        return out

    def _adjectival_declension(self, lemma: str) -> bool:
        """A noun that declines as an adjective (*chora*, gen. *chorej*; *dyżurny*)."""
        return any(r.pos == "subst" and "sg" in r.number and "gen" in r.case and
                   r.orth.endswith(("ej", "ego")) for r in self.g.morph.paradigm(lemma))

    def _copula_before(self, t: Tok) -> bool:
        """A form of *być*/*zostać* earlier in ``t``'s clause (*byłby wściekły*)."""
        return any(v.i < t.i and v.lemmas(*VERB_POS) & COPULAS for v in self.seg_tokens(t.seg))

    def _modifies(self, t: Tok, r: Reading, depth: int = 0) -> bool:
        n = self.next_word(t.i)
        if n is not None and n.low in ("jej", "jego", "ich"):
            n = self.next_word(n.i)
        if n is None or not _nominal(n):
            return False
        for s in n.readings:
            if s.pos == "subst" and _pairs(r) & _pairs(s) and r.gender & s.gender and \
                    not self._taki_adjective(r, n, s):
                return True
        for s in n.readings:
            if s.pos == "adj" and _pairs(r) & _pairs(s) and r.gender & s.gender:
                # *taki piękny,*: an adjective before a predicative one modifies nothing
                return depth > 2 or not (r.base == "taki" and not self._modifies(n, s, depth + 1))
        return False

    def _taki_adjective(self, r: Reading, n: Tok, s: Reading) -> bool:
        """After a pronominal adjective ``r`` (*taka*, *taki*), the noun reading ``s`` of the
        next word ``n`` is not taken when ``n`` is also an adjective that agrees with ``r``
        and ``s`` is an adjectival noun (*taka stara*, *taka miła*, *taki dobry*: not *stara*
        'old woman') or ``n`` is *sam* (*taki sam*, not *sam* 'a shop')."""
        if r.base not in PRONOMINAL_ADJECTIVES:
            return False
        adjs = {x.base for x in n.readings if x.pos == "adj" and _pairs(r) & _pairs(x)
                and r.gender & x.gender}
        if not adjs:
            return False
        if adjs & PRONOMINAL_ADJECTIVES or self._adjectival_declension(s.lemma):
            return True
        if self._after_copula(n):
            # *Była taka droga*: 'so dear/expensive' or 'such a road'; read as the former
            self.noun_or_adj.setdefault(n.i, s.base)
            return True
        return False

    def _follows_noun(self, t: Tok, r: Reading) -> bool:
        """A post-nominal adjective (*środek uspokajający*) belongs to the noun before it."""
        p = self.prev_word(t.i)
        if p is None or p.i in self.anchors or not _nominal(p):
            return False
        if any(s.pos == "adj" and s.base in PRONOMINAL_ADJECTIVES and _pairs(r) & _pairs(s)
               and r.gender & s.gender for s in p.readings):
            return False  # *taka mądra*: the predicative *taki*, not *taka* (a currency)
        # a vocative noun is never followed by its predicate (*do domu zmęczony*: domu is
        # genitive here, not the vocative that would agree with zmęczony)
        pairs = {q for q in _pairs(r) if q[1] != "voc"}
        return any(s.pos == "subst" and _pairs(s) & pairs and r.gender & s.gender
                   for s in p.readings)

    def _coordinated_subject(self, toks: list[Tok], t: Tok, r: Reading, c: Ctrl) -> bool:
        """A past verb after a coordinator (no comma) that follows the swapped subject and its
        own verb, with a noun of its own between that agrees with it (*Lekarka popełniła błąd
        i piłka wpadła do siatki*): the noun is its subject, not the person."""
        if r.pos not in ("praet", "winien") or not c.anchors:
            return False
        last = max(a.i for a in c.anchors)
        k = next((u.i for u in reversed(toks) if last < u.i < t.i and u.low in COORDINATORS),
                 None)
        if k is None or not any(last < u.i < k and u.has(*VERB_POS) for u in toks):
            return False
        return self._nonperson_subject([u for u in toks if k < u.i <= t.i], t, r)

    def _nonperson_subject(self, toks: list[Tok], verb: Tok, r: Reading) -> bool:
        """A nominative noun or pronoun (not swapped) that agrees with ``r``: *Pies
        szczekał*, *Nikt go nie lubił*, *Każdy był zadowolony*."""
        verb_lemmas = verb.lemmas("praet", "fin")
        # the object slot is taken by a relative pronoun (*którą przyjął Sejm*) or by an
        # accusative pronoun: a noun after the verb is then its subject
        object_taken = any(t.lemmas("adj") & RELATIVES and "nom" not in
                           {c for r in t.readings if r.base in RELATIVES for c in r.case}
                           for t in toks[:2])
        reflexive = object_taken or any(t.low == "się" for t in toks)
        for t in toks:
            if t is verb or t.i in self.anchors or t.i in self.governed or t.has("prep"):
                continue
            if t.i > verb.i and self._in_standard(t):
                continue  # *Pomagał jej jak nikt inny*: compared with, not the subject
            adjectival = any(x.pos in ("adj", "ppas", "pact") and x.base not in
                             PRONOMINAL_SUBJECTS for x in t.readings) and not _place(t) \
                and not self._noun_subject(t)
            for s in t.readings:
                if adjectival and s.pos == "subst":
                    continue
                pronominal = s.pos == "adj" and s.base in PRONOMINAL_SUBJECTS
                if not (s.pos in ("subst", "ppron3") or pronominal):
                    continue
                if "nom" not in s.case or not (s.number & r.number) or not (s.gender & r.gender):
                    continue
                if pronominal and self._modifies(t, s):
                    continue
                if pronominal and s.base == "pewien" and self._after_copula(t):
                    continue  # *Była pewna*: 'sure', a predicate, not 'a certain one'
                if t.i > verb.i and "acc" in s.case and not pronominal and \
                        not (reflexive or verb_lemmas & INTRANSITIVE):
                    continue  # *Kupił dom*: an inanimate object, not the subject
                if t.i > verb.i and any(x.pos == "subst" and "acc" in x.case and
                                        x.base == s.base and x.gender & s.gender
                                        for x in t.readings) and \
                        not (reflexive or verb_lemmas & INTRANSITIVE) and not pronominal:
                    continue
                if verb.has("praet", "winien") and self._jako_phrase(t):
                    break  # *wyjechał jako milioner*: a predicate noun, not the subject
                return True
        return False

    def _predicate_nouns(self, toks: list[Tok], ctrl: Ctrl | None, speaker: bool) -> None:
        """Predicate nouns (*jest lekarzem*, *jako kelner*) follow their subject's gender;
        with ``feminatives="keep-generic"`` a masculine occupational one stays masculine.
        A predicate of the speaker or addressee (*Jako lider odpowiadałem*) is kept."""
        copula = False
        for t in toks:
            if t.lemmas(*VERB_POS) & COPULAS:
                copula = True
            a = self.anchors.get(t.i)
            if a is None or a.kind != "noun":
                continue
            p = self.prev_word(a.i - len(a.mods))
            if p is not None and self._possessive(p):
                p = self.prev_word(p.i)
            governed = p is not None and p.has("prep") and p.low != "jako"
            # *był z żoną*: a noun after a preposition is a companion, not the predicate
            predicative = (copula and a.case == "inst" and not governed) or \
                (self._after_jako(a) and a.case == "nom")
            if predicative and ctrl is None and speaker:
                a.target = a.group
                continue
            if not predicative or ctrl is None or ctrl.kind == "blocked" or \
                    ctrl.number != a.number:
                continue
            target = ctrl.target
            if self.g.feminatives == "keep-generic" and a.occupational and target == "female":
                target = "male"
            a.target = target

    def _jako_phrase(self, t: Tok) -> bool:
        """``t`` is in a noun phrase after *jako* (*jako młody lekarz*), adjectives between."""
        p = self.prev_word(t.i)
        while p is not None and p.has("adj") and not p.has("subst", "prep"):
            p = self.prev_word(p.i)
        return p is not None and p.low == "jako"

    def _after_jako(self, a: Anchor) -> bool:
        p = self.prev_word(a.i - len(a.mods))
        return p is not None and p.low == "jako"

    # -- 4. writing ----------------------------------------------------------------------
    def _agree(self, t: Tok, r: Reading, c: Ctrl, idiom: bool = True) -> None:
        if c.target == c.group or t.i in self.done:
            return
        if idiom and self._marriage_verb(t) is not None:
            return  # rewritten as a whole by _marriage (or agreed there if it cannot be)
        gender = GENDER_CODE[c.target]
        case = next(iter(r.case)) if len(r.case) == 1 else ("nom" if "nom" in r.case else None)
        number = "pl" if "pl" in r.number else "sg"
        form = self._adj_form(t, r, number, case, gender)
        if form is None:
            self.unsafe(f"no {c.target} form of {t.text!r}")
            return
        self._edit(t, form + r.rest, "pl.agreement")

    def _adj_form(self, t: Tok, r: Reading, number: str, case: str | None,
                  gender: str) -> str | None:
        """``r``'s form in ``gender``; *żonaty* ↔ *zamężna* take the other word. *żonaty z*
        has no natural feminine (*była żoną*): that variant is marked unsafe."""
        other = ADJ_COUNTERPARTS.get(r.base)
        if other is None:
            return self.g.morph.inflect(r.lemma, r.pos, number, case, gender, r, t.low)
        n = self.next_word(t.i)
        if n is not None and n.low in ("z", "ze"):
            self.unsafe(f"'{t.text} {n.text}': being married is said differently of a man "
                        f"and a woman (żonaty z / żona); rewritten word for word")
        return self.g.morph.inflect(other, r.pos, number, case, gender, None, "")

    def _emit_anchor(self, a: Anchor) -> None:
        t = self.toks[a.i]
        if a.target == a.group or (a.case is None and a.kind not in ("title",)):
            return
        case = a.src_case or a.case
        if a.numeral is not None:
            k, form, a.case = a.numeral
            self._edit(self.toks[k], form, "pl.agreement.num")
            for v in a.plural_verbs:  # *Dwie siostry przyszły* (was *Dwóch braci przyszło*)
                vt = self.toks[v]
                r = next((r for r in vt.readings if r.pos == "praet" and "n" in r.gender),
                         None) or next(r for r in vt.readings if r.pos in ("adj", "ppas")
                                       and "gen" in r.case)
                new_word = self.g.morph.inflect(r.lemma, r.pos, "pl",
                                                None if r.pos == "praet" else "nom",
                                                GENDER_CODE[a.target], r, vt.low)
                if new_word is not None:
                    self._edit(vt, new_word + r.rest, "pl.agreement")
        new = self._anchor_form(a, t)
        if new is None:
            self.unsafe(f"no {a.target} form for {t.text!r}")
            return
        self._edit(t, new, f"pl.{a.kind}", a.entry)
        n = self.next_word(a.i)
        if a.kind == "name" and a.case != "nom" and n is not None and n.i not in self.anchors \
                and n.text[:1].isupper():
            self.unsafe(f"surname {n.text!r} after {t.text!r} may need a {a.target} form")
        if a.kind == "noun" and n is not None and n.i not in self.anchors and \
                n.seg == t.seg and n.text[:1].isupper() and any(
                    "imię" in r.names and GENDER_CODE[a.group] in r.gender and
                    (a.number, a.case) in _pairs(r) for r in n.readings):
            # *Wujek Staszek*, *Ciocia Jadzia*: a first name the name list lacks
            self.unsafe(f"the name {n.text!r} after {t.text!r} is kept")
        gender = GENDER_CODE[a.target]
        mods = list(a.mods)
        if a.kind == "pron" and not a.poss and n is not None and n.i not in self.anchors and \
                a.case in ("acc", "gen", "inst", "dat"):
            mods.append(n.i)  # Widzę go zmęczonego: an adjective agreeing with the pronoun
            c = self.next_word(n.i)
            d = self.next_word(c.i) if c is not None else None
            if c is not None and c.low in PREDICATE_COORDINATORS and d is not None and \
                    d.seg == n.seg and d.i not in self.anchors and d.has("adj") and \
                    n.has("adj"):
                mods.append(d.i)  # *Widziałem ją zmęczoną i smutną*: both conjuncts
        if a.kind == "noun" and a.case not in ("nom", "voc", None):
            k = a.i + 1  # *śpiewaczki operowej*: adjectives after the noun, oblique cases
            while (n := self.next_word(k - 1)) is not None and k - a.i <= 2 and \
                    n.i not in self.anchors and n.i not in self.claimed and \
                    n.has("adj") and not n.has(*VERB_POS) and \
                    (not n.has("subst") or self._adjectival_noun(n)):
                mods.append(n.i)
                k += 1
        for m in mods:
            mt = self.toks[m]
            r = next((r for r in mt.readings if r.pos in ("adj", "ppas", "pact") and
                      (a.number, case) in _pairs(r) and _gender_ok(r, a.group, a.number)),
                     None)
            if r is None or (m not in a.mods and any(
                    self._modifies(mt, x) for x in mt.readings if x.pos in ("adj", "ppas"))):
                continue
            form = self._adj_form(mt, r, a.number, a.case, gender)
            if form is None:
                self.unsafe(f"no {a.target} form of {mt.text!r}")
                continue
            self._edit(mt, form, "pl.agreement.np")

    @staticmethod
    def _adjectival_noun(t: Tok) -> bool:
        """Every noun reading of ``t`` is an adjective used as a noun, with the same case,
        number and gender as one of its adjective readings (*dyżurną*: *dyżurna* 'the woman
        on duty' or the adjective *dyżurny*), not a noun of its own (*Polką*)."""
        adj = [r for r in t.readings if r.pos == "adj"]
        return all(any(_pairs(s) <= _pairs(r) and s.gender <= r.gender for r in adj)
                   for s in t.readings if s.pos == "subst")

    def _anchor_form(self, a: Anchor, t: Tok) -> str | None:
        morph = self.g.morph
        if a.kind == "pron":
            if a.poss:
                return a.entry.output(a.target) if a.entry and a.entry.pos == "det" else \
                    {"male": "jego", "female": "jej"}[a.target]
            p = self.prev_word(a.i)
            # *jak*/*niż* govern only the nominative: an oblique pronoun after them is the
            # verb's, stressed as a comparison's standard (*bardziej niż jemu*), a clitic in
            # a clause they open (*tak, jak mu kazała*)
            compared = p is not None and p.low in ("jak", "niż")
            variant = "prep" if a.prep or (p is not None and p.has("prep") and not compared) \
                else "stressed" if self.seg_start(a.i) or self._coordinated_pron(a) or (
                    p is not None and (p.low in STRESS_WORDS or (
                        compared and not self.seg_start(p.i)))) \
                else "clitic"
            assert a.case is not None
            return self.g.pronoun_form(a.target, a.case, variant)
        if a.kind == "surname":
            return surname_form(t.text, a.target, a.case or "nom")
        if a.kind == "nsurname":  # a woman's noun surname does not decline (z Nowak)
            base = next(r.base for r in t.readings if "nazwisko" in r.names)
            if a.target == "female":
                return base
            lemma = next((r.lemma for r in morph.paradigm(base) if r.pos == "subst" and
                          "m1" in r.gender and "nazwisko" in r.names), base)
            return morph.inflect(lemma, "subst", "sg", a.case or "nom", "m1")
        if a.kind == "partitive":
            lemma = next(r.lemma for r in t.readings if r.base in PARTITIVE_HEADS)
            return morph.inflect(lemma, "adj", "sg", a.case, GENDER_CODE[a.target],
                                 hint=t.low)
        if a.kind == "relative":
            lemma = next((r.lemma for r in t.readings if r.base in RELATIVES), "który")
            return morph.inflect(lemma, "adj", a.number, a.case, GENDER_CODE[a.target],
                                 hint=t.low)
        if a.kind == "title":
            head = self.anchors.get(a.title_of) if a.title_of is not None else None
            base = next((r.base for r in t.readings if r.pos == "subst" and "m1" in r.gender),
                        t.text)
            if a.target == "female":
                return base
            case = (self._head_case(a) or "nom") if head is not None else "nom"
            if case == "voc" and t.text[:1].isupper() and any(
                    "nazwisko" in r.names and r.base[:1].isupper() for r in t.readings) and \
                    not any(r.pos == "subst" and "f" in r.gender and len(r.case) == 7 and
                            "nazwa_pospolita" in r.names for r in t.readings):
                # Panie Nowak (a surname stays nominative after Panie), not a title that
                # is also a surname (Pani Doktor: Panie Doktorze)
                case = "nom"
            lemma = next((r.lemma for r in morph.paradigm(base) if r.pos == "subst"
                          and "m1" in r.gender), base)
            return morph.inflect(lemma, "subst", "sg", case, "m1")
        # noun or first name: the counterpart lemma in the same case and number (an
        # epicene noun, with no entry: its own lemma in the other gender, *sędzia*)
        lemma = a.entry.output(a.target) if a.entry is not None else \
            next(r.base for r in t.readings if r.base in EPICENE_NOUNS)
        if lemma is None:
            return None
        form = morph.inflect(lemma, "subst", a.number, a.case, GENDER_CODE[a.target])
        if form is None:  # adjectival nouns (narzeczony) may only have adjective readings
            form = morph.inflect(lemma, "adj", a.number, a.case, GENDER_CODE[a.target])
        return form

    def _edit(self, t: Tok, new: str, rule: str, entry: Entry | None = None) -> None:
        if t.i in self.done:
            return
        self.done.add(t.i)
        new = transfer_case(t.text, new)
        if t.text[:1].isupper() and not t.text.isupper():
            new = new[:1].upper() + new[1:]
        elif t.text[:1].islower() and new[:1].isupper() and rule not in (
                "pl.name", "pl.surname", "pl.nsurname"):
            new = new[:1].lower() + new[1:]
        if new == t.text:
            return
        self.result.edits.append(Edit(
            t.start, t.end, t.text, new, rule,
            entry.id if entry else None,
            self.g.lexicons.lexicon_of(entry) if entry else None,
        ))
