"""Polish: counterfactuals with full grammatical agreement.

Swapping *on* for *ona* is not enough in Polish: past-tense and conditional verbs
(*poszedł*/*poszła*), adjectives and participles (*zmęczony*/*zmęczona*), determiners and
possessives (*ten*/*ta*, *mój*/*moja*), relative pronouns (*który*/*która*) and the case of
every noun and pronoun must follow. This module does that in one pass per text:

1. **Referents.** Lexicon terms (pronouns, person nouns as lemma pairs, first names) plus
   gendered surnames (*Kowalski*/*Kowalska*, found by their ending), title phrases (*pani
   doktor*, *pan Nowak*), relative pronouns with a person antecedent, and *implied subjects*
   (*Był zmęczony.*: a third-person masculine or feminine past verb with no subject).
2. **Case and number.** Each referent's reading is chosen from Morfeusz 2 (SGJP) analyses,
   narrowed by agreeing modifiers, the governing preposition, negation (genitive of
   negation), adnominal genitive, and small lists of verbs that govern the dative or the
   genitive. A choice that is still open is made by a fixed order and marked unsafe.
3. **Agreement.** Modifiers before a swapped noun, and the predicate words of a clause whose
   subject is swapped (past and conditional verbs, predicative adjectives and participles),
   are regenerated with Morfeusz in the other gender; nothing else is touched.

Inflection comes from the dictionary, not hand tables: the lexicons hold lemma pairs
(*lekarz*/*lekarka*) and the target form is generated with the source's case and number.
Options (``CounterfactualEngine("pl", options={...})``): ``feminatives`` is ``"always"``
(default: an occupational predicate noun takes the gender of its subject, *On jest lekarzem*
→ *Ona jest lekarką*) or ``"keep-generic"`` (a masculine occupational predicate stays as the
generic masculine, *Ona jest lekarzem*). See docs/languages/polish.md.
"""

from __future__ import annotations

import re

from ..engine.grammar import Grammar, Rewrite, SwapPlan, at_sentence_start
from ..engine.types import Match, new_edit
from ..errors import ConfigError
from ..lexicons.model import Entry
from ..lexicons.registry import LexiconSet
from .polish_morph import Morph
from .polish_pass import GENDER_CODE, RewritePass
from .polish_rules import (
    COMPARATIVE_AFTER,
    COMPARATIVE_BEFORE,
    COPULAS,
    COUNTRIES,
    DEAF_IN,
    DEAF_TO,
    ELDERLY_HEADS,
    EPICENE_NOUNS,
    KINSHIP_HEADS,
    LANGUAGE_PREPOSITIONS,
    LOCATIVE_PREPOSITIONS,
    PREPOSITIONS,
    RANK_HEADS,
)

FEMINATIVE_POLICIES = ("always", "keep-generic")
OCCUPATIONS_LEXICON = "pl-gender-occupations"

# Cheap test for texts with no lexicon term: a past or conditional verb form (-ł, -ła,
# -łby, -łaby, also 1st/2nd person endings are caught and then ignored), a -ski surname, or
# a predicative adjective or participle after jest/będzie/zostanie, maybe after an adverb
# (*Jest bardzo szczęśliwa*, *Zostanie zwolniony*: a person or a thing?), or a capitalised
# word inside a sentence, which may be a noun surname (*Umówiłem się z Nowakiem*), or an
# epicene noun that no lexicon lists (*Sędzia przyjmuje we wtorki*: its forms share a stem).
_WANTS = re.compile(
    r"\w(?:ł|ła|łby|łaby)(?!\w)|[A-ZŁŚŻŹĆ]\w*(?:s|c|dz)k(?:i|a|iego|iemu|im|iej|ą)(?!\w)"
    r"|(?<!\w)(?:[Jj]est|[Bb]ędzie|[Zz]ostanie)\s+(?:\w+\s+)?\w+[ay](?!\w)"
    r"|(?<=\w )[A-ZŁŚŻŹĆ]"
    r"|(?i:(?<!\w)(?:" + "|".join(sorted(lemma[:-1] for lemma in EPICENE_NOUNS)) + r"))"
)


class PolishGrammar(Grammar):
    """Polish grammar: case-aware pronoun and noun swaps with full agreement (Morfeusz 2)."""

    language = "pl"

    def __init__(self, lexicons: LexiconSet, *, feminatives: str = "always") -> None:
        super().__init__(lexicons)
        if feminatives not in FEMINATIVE_POLICIES:
            raise ConfigError(
                f"unknown feminatives policy {feminatives!r} "
                f"(known: {', '.join(FEMINATIVE_POLICIES)})"
            )
        self.feminatives = feminatives
        self._gendered = lexicons.axis in ("gender", "names")
        self.morph = Morph()  # raises MissingExtraError without morfeusz2
        self._spellings: dict[str, tuple[str, ...]] = {}
        self._pronouns: dict[tuple[str, str], list[str]] = {}
        self._occupational: set[str] = set()
        for entry in lexicons.entries:
            if entry.pos in ("noun", "name"):
                for group, forms in entry.forms.items():
                    for form in forms:
                        self._spellings[form] = self._inflections(form, group, entry.pos)
                if lexicons.lexicon_of(entry).startswith(OCCUPATIONS_LEXICON + "@"):
                    self._occupational.add(entry.id)
            elif entry.pos == "pron":
                case = {"ins": "inst"}.get(entry.features.get("case", ""),
                                           entry.features.get("case", ""))
                for group, forms in entry.forms.items():
                    slot = self._pronouns.setdefault((group, case), [])
                    slot += [f for f in forms if f not in slot]

    # -- engine hooks -------------------------------------------------------------------
    def spellings(self, form: str) -> tuple[str, ...]:
        """A noun or name lemma stands for all its inflected forms (from SGJP)."""
        if not self._gendered:
            return (form,)
        return self._spellings.get(form, (form,))

    def wants(self, text: str) -> bool:
        """Texts with no lexicon term still need a look when a past verb or a -ski
        surname may mark a person (*Był zmęczony.*, *Kowalska przyszła.*)."""
        return self._gendered and _WANTS.search(text) is not None

    def _inflections(self, lemma: str, group: str, pos: str | None) -> tuple[str, ...]:
        """Every SGJP form of a person noun or name lemma in ``group``'s gender (names:
        singular only), archaic forms left out: what the matcher looks for."""
        gender = GENDER_CODE.get(group, "")
        forms = {lemma}
        for r in self.morph.paradigm(lemma):
            if r.pos != "subst" or r.base != lemma or gender not in r.gender:
                continue
            if pos == "name" and "sg" not in r.number:
                continue
            if "daw." not in ",".join(r.qualifiers):
                forms.add(r.orth)
        return tuple(sorted(forms))

    # -- the pass -----------------------------------------------------------------------
    def rewrite(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        if not self._gendered:
            # identity axes list every case and gender form as its own entry: the lexicon
            # decides (Polakiem -> Niemcem, Polką -> Niemką) once the context has ruled out
            # the other senses and readings (_IdentityCheck)
            return self._rewrite_identity(text, matches, plan)
        return RewritePass(self, text, matches, plan).run()

    def _rewrite_identity(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        check = _IdentityCheck(self, text, plan)
        kept: list[Match] = []
        held: list[str] = []
        moved = Rewrite()
        for match in matches:
            if not match.candidates:
                kept.append(match)  # an exclusion phrase
                continue
            verdict = check.verdict(match)
            if verdict is None:
                continue  # another sense of the word: no reference, no edit
            if isinstance(verdict, str):
                # unsafe, unless the word is already in the target group: it stays as it
                # is whichever reading is right (*z Niemcami* rewritten to german)
                if any(plan.target_of(g) != g for g in match.groups):
                    held.append(verdict)
                moved.groups.update(match.groups)
            elif not check.move_middle_aged(verdict, moved):
                kept.append(verdict)
        result = super().rewrite(text, kept, plan)
        result.unsafe[:0] = held
        result.groups |= moved.groups
        result.edits += moved.edits
        result.edits.sort(key=lambda e: e.start)
        check.fix_prepositions(result)
        return result

    def pronoun_form(self, group: str, case: str, variant: str) -> str | None:
        """The pronoun of ``group`` in ``case``; ``variant`` is prep, stressed or clitic."""
        forms = self._pronouns.get((group, case), [])
        if not forms:
            return None
        prep = [f for f in forms if f.startswith("n")]
        plain = [f for f in forms if not f.startswith("n")]
        if variant == "prep" and prep:
            return prep[0]
        if not plain:
            return prep[0]
        if variant == "stressed":
            return max(plain, key=len)
        return min(plain, key=len)

    def is_occupational(self, entry: Entry | None) -> bool:
        """Whether ``entry`` comes from the occupations lexicon (the feminatives policy)."""
        return entry is not None and entry.id in self._occupational


# -- identity axes ------------------------------------------------------------------------
_PREV_WORD = re.compile(r"(\w+)\s+$")
_NEXT_WORD = re.compile(r"\s+(\w+)")
_NOMINAL = ("subst", "depr")
_PERSONAL_ONLY_NOT = frozenset({"m2", "m3"})
# *ze* before a cluster of a sibilant and a consonant (*ze starszą*, *ze Szwedem*) and
# before *mn*; *we* before w/f and a consonant (*we francuskiej*, *we Włoszech*).
_ZE = re.compile(r"(?i)(?:[sśzźż]|sz|rz)[^aeiouyąęó]|mn|w[sz]")
_WE = re.compile(r"(?i)[wf][^aeiouyąęó]|mn")
_SURNAME_TITLES = frozenset("pan pana panu panem panie pani panią państwo państwa".split())


class _IdentityCheck:
    """Context checks for one text on an identity axis (nationality, religion, age,
    disability, orientation), where each case and gender form is its own lexicon entry.

    :meth:`verdict` returns the match to rewrite (its readings narrowed by the context),
    None when the word is used in another sense (left alone), or a reason to mark the
    variant unsafe. The checks, in order:

    * a word after a hyphen (*polsko-niemiecki*) is part of a compound: unsafe;
    * a lower-case lexicon word written with a capital inside a sentence is part of a name
      (*Polskiej Akademii Nauk*, *Cmentarz Żydowski*: a capitalised neighbour) or the
      country (*Stolicą Polski*) and is left alone; alone, it is an ethnonym or a name
      (*Żydzi* vs the religious *żydzi*): unsafe. At a sentence start a form that is also a
      country (*Polska*) is the country unless a noun follows (*Polska wygrała*);
    * a demonym that is also a country's form (*Niemcy*, *z Niemiec*, *z Niemcami*): after a
      preposition a nominative is the country; *Niemcy* is people with a virile past verb
      (*przyjechali*), the country with a non-virile one (*przyjęły*), else unsafe, and the
      other cases are unsafe; after *pan*/*pani* a demonym that SGJP has as a surname is
      the surname (*z panem Niemcem*);
    * the readings are narrowed by case: a vocative has no preposition before it in its
      clause, a locative needs one, a nominative cannot follow one (*Drogi Polaku* →
      *Drogi Niemcze*, *o Polaku* → *o Niemcu*);
    * a bare masculine nationality adjective after *z*/*na*/*do* with no noun is a language
      or a school subject (*z polskiego*, *na polski*);
    * *starszy* is 'elderly' only with a person head of ELDERLY_HEADS; with kinship nouns,
      rank titles, *od*/*niż* after or a measure before (*o trzy lata starsza*) it is the
      comparative and is left alone; with any other head, unsafe;
    * an age or disability adjective whose head noun is a masculine animal or thing
      (*młode ziemniaki*, *głuchy telefon*, *głuchy łoskot*) is left alone;
    * *głuchy na* with an object of DEAF_TO (*na nasze prośby*) is the idiom 'deaf to' and is
      left alone; with an ear (*na jedno ucho*) it fits deafness only, and with any other
      object it is open: both unsafe (unless the word stays as it is);
    * a bare *młode* with no noun and no copula before it is the noun 'the young (of an
      animal)' (*karmi swoje młode*) and is left alone.

    Unsafe verdicts on a word already in the target group are dropped: it stays as it is
    whichever reading is right. :meth:`move_middle_aged` and :meth:`fix_prepositions` then
    place *w średnim wieku* after its noun and write *z*/*ze*, *w*/*we* for the new word.
    """

    def __init__(self, grammar: PolishGrammar, text: str, plan: SwapPlan) -> None:
        self.g = grammar
        self.morph = grammar.morph
        self.axis = grammar.lexicons.axis
        self.text = text
        self.plan = plan

    # -- words around a match -----------------------------------------------------------
    def prev_word(self, start: int) -> tuple[str, int] | None:
        """The word just before ``start`` (only white space between) and its start."""
        m = _PREV_WORD.search(self.text, max(0, start - 40), start)
        return (m.group(1), m.start(1)) if m else None

    def next_word(self, end: int) -> tuple[str, int] | None:
        """The word just after ``end`` (only white space between) and its end."""
        m = _NEXT_WORD.match(self.text, end)
        return (m.group(1), m.end(1)) if m else None

    def nominal(self, word: str) -> bool:
        return any(r.pos in _NOMINAL for r in self.morph.analyse(word))

    def agreeing_noun(self, adj: str, word: str) -> list:
        """The noun readings of ``word`` that agree with some adjective reading of ``adj``."""
        adjs = [r for r in self.morph.analyse(adj.lower()) if r.pos == "adj"]
        out = []
        for n in self.morph.analyse(word):
            if n.pos not in _NOMINAL:
                continue
            if any(a.case & n.case and a.number & n.number and a.gender & n.gender for a in adjs):
                out.append(n)
        return out

    def head(self, match: Match) -> tuple[str, int, int, list] | None:
        """The noun an adjective match goes with: the next word, else the previous one
        (*osoby niepełnosprawne*); its text, span and agreeing readings."""
        nxt = self.next_word(match.end)
        if nxt is not None:
            readings = self.agreeing_noun(match.text, nxt[0])
            if readings:
                return nxt[0], nxt[1] - len(nxt[0]), nxt[1], readings
        prev = self.prev_word(match.start)
        if prev is not None and not any(r.pos == "adj" for r in self.morph.analyse(prev[0])):
            readings = self.agreeing_noun(match.text, prev[0])
            if readings:
                return prev[0], prev[1], prev[1] + len(prev[0]), readings
        return None

    def clause_preposition(self, start: int) -> str | None:
        """The nearest preposition among the (up to four) words before ``start`` in its
        clause ('' when it is right before ``start``)."""
        pos = start
        for n in range(4):
            prev = self.prev_word(pos)
            if prev is None:
                return None
            if prev[0].lower() in PREPOSITIONS:
                return "" if n == 0 else prev[0].lower()
            pos = prev[1]
        return None

    def geographic(self, word: str) -> bool:
        """Whether ``word`` is also a form of a country's name (*Polski*, *Niemiec*)."""
        return any(r.base in COUNTRIES and "nazwa_geograficzna" in r.names
                   for r in self.morph.analyse(word))

    # -- the checks -----------------------------------------------------------------------
    def verdict(self, match: Match) -> Match | str | None:
        text, surface = self.text, match.text
        cands = match.candidates
        key = surface.casefold()
        lower = all(
            f[:1].islower()
            for c in cands for f in c.entry.forms.get(c.group, ()) if f.casefold() == key
        )
        prev = self.prev_word(match.start)
        nxt = self.next_word(match.end)
        p_low = prev[0].lower() if prev else ""
        if match.start >= 2 and text[match.start - 1] == "-" and text[match.start - 2].isalpha():
            return f"{surface!r} is part of a compound ({text[:match.start].split()[-1]}...)"
        if surface[:1].isupper() and lower:
            if not at_sentence_start(text, match.start):
                if (prev and prev[0][:1].isupper()) or (nxt and nxt[0][:1].isupper()):
                    return None  # part of a name: *Polskiej Akademii Nauk*
                if self.geographic(surface):
                    return None  # the country: *Stolicą Polski*
                return f"capitalised {surface!r} inside a sentence: a name or an ethnonym"
            if nxt and nxt[0][:1].isupper():
                return f"{surface!r} before a capitalised word: part of a name?"
            if self.geographic(surface) and not (nxt and self.nominal(nxt[0])):
                return None  # *Polska wygrała*: the country
        cases = {c.entry.features.get("case") for c in cands}
        numbers = {c.entry.features.get("number") for c in cands}
        if not lower and self.axis == "nationality":
            if self.geographic(surface):
                if p_low in PREPOSITIONS and cases <= {"nom", "voc"}:
                    return None  # *z Niemiec*: the country's genitive
                if not cases <= {"nom", "voc"} or numbers != {"sg"}:
                    if "nom" in cases and "pl" in numbers:
                        virile = self.plural_past(match.end)
                        if virile is False:
                            return None  # *Niemcy przyjęły*: the country
                        if virile is None:
                            return f"{surface!r}: the people or the country?"
                    else:
                        return f"{surface!r}: the people or the country?"
            if p_low in _SURNAME_TITLES and any(
                "nazwisko" in r.names for r in self.morph.analyse(surface)
            ):
                return None  # *z panem Niemcem*: a surname
        pos = {c.entry.pos for c in cands}
        masc_sg = any(c.entry.features.get("gender") == "m" and c.entry.features.get("number")
                      == "sg" for c in cands)
        if (self.axis == "nationality" and pos == {"adj"} and p_low in LANGUAGE_PREPOSITIONS
                and masc_sg and not (nxt and self.nominal(nxt[0]))):
            return None  # *z polskiego*, *na polski*: a language or school subject
        if self.axis == "age" and key.startswith("stars"):
            verdict = self.elderly(match, prev, nxt, pos)
            if verdict is not True:
                return verdict
        if self.axis in ("age", "disability") and pos == {"adj"}:
            head = self.head(match)
            if head is not None and all(r.gender <= _PERSONAL_ONLY_NOT for r in head[3]):
                return None  # *młode ziemniaki*, *głuchy telefon*: not a person
        if self.axis == "disability" and key.startswith("głuch") and nxt and nxt[0].lower() == "na":
            after = self.next_word(nxt[1])
            if after is not None and after[0].lower() in DEAF_IN:
                return f"{surface!r} na {after[0]} ...: said of deafness only"
            obj = [after, self.next_word(after[1])] if after else []
            if any(w and {r.base for r in self.morph.analyse(w[0].lower())} & DEAF_TO
                   for w in obj):
                return None  # *głuchy na nasze prośby*: the idiom
            return f"{surface!r} na ...: deaf, or the idiom 'deaf to'?"
        if (self.axis == "age" and pos == {"adj"} and self.head(match) is None
                and not self.after_copula(match.start)
                and any(r.pos == "subst" and r.gender == {"n"} and r.base == key
                        for r in self.morph.analyse(key))):
            return None  # *karmi swoje młode*: the noun 'young (of an animal)'
        return self.narrow(match, cases)

    def after_copula(self, start: int) -> bool:
        """Whether a form of *być*/*zostać* stands among the two words before ``start``
        (*są młode*, *są bardzo młode*)."""
        pos = start
        for _ in range(2):
            prev = self.prev_word(pos)
            if prev is None:
                return False
            if any(r.base in COPULAS for r in self.morph.analyse(prev[0].lower())):
                return True
            pos = prev[1]
        return False

    def narrow(self, match: Match, cases: set) -> Match:
        """Drop the readings whose case the preposition (or its absence) rules out."""
        if len(cases) < 2:
            return match
        prep = self.clause_preposition(match.start)
        if prep is None:
            drop = {"loc"}
        elif prep == "":
            drop = {"nom", "voc"} | (set() if self.prev_word(match.start)[0].lower()  # type: ignore[index]
                                     in LOCATIVE_PREPOSITIONS else {"loc"})
        else:
            drop = {"voc"} | (set() if prep in LOCATIVE_PREPOSITIONS else {"loc"})
        kept = tuple(c for c in match.candidates if c.entry.features.get("case") not in drop)
        if not kept or len(kept) == len(match.candidates):
            return match
        return match.narrowed(kept)

    def elderly(self, match: Match, prev, nxt, pos: set) -> bool | str | None:
        """*Starszy*: True for 'elderly', None for the comparative, or an unsafe reason."""
        if nxt and nxt[0].lower() in COMPARATIVE_AFTER:
            return None
        if prev and prev[0].lower() in COMPARATIVE_BEFORE:
            return None
        if pos != {"adj"}:
            return True  # *starsza kobieta*, *starszy mężczyzna*
        head = self.head(match)
        if head is None:
            return f"{match.text!r} with no noun: elderly or older?"
        lemmas = {r.base.lower() for r in head[3]}
        if lemmas & (KINSHIP_HEADS | RANK_HEADS):
            return None  # *starszy brat*, *starszy sierżant*
        after = self.next_word(head[2])
        if after and after[0].lower() in COMPARATIVE_AFTER:
            return None
        if lemmas & ELDERLY_HEADS:
            return True
        return f"{match.text!r} {head[0]!r}: elderly, or older / senior?"

    def plural_past(self, end: int) -> bool | None:
        """Whether the first past-tense verb in the next few words is virile (True),
        non-virile (False), or there is none (None)."""
        pos = end
        for _ in range(4):
            nxt = self.next_word(pos)
            if nxt is None:
                return None
            verbs = [r for r in self.morph.analyse(nxt[0].lower()) if r.pos == "praet"
                     and "pl" in r.number]
            if verbs:
                return any("m1" in r.gender for r in verbs)
            pos = nxt[1]
        return None

    # -- middle-aged order and prepositions ------------------------------------------------
    def move_middle_aged(self, match: Match, out: Rewrite) -> bool:
        """Age, target middle_aged: an age adjective with a noun becomes *w średnim wieku*
        after the noun (*starszemu panu* → *panu w średnim wieku*); True when done."""
        if self.axis != "age" or self.plan.target != "middle_aged":
            return False
        if {c.entry.pos for c in match.candidates} != {"adj"}:
            return False
        head = self.head(match)
        if head is None:
            return False
        word, start, end, _ = head
        cand = match.candidates[0]
        label = self.g.lexicons.labels.get(cand.entry.path or "")
        if start > match.start:  # adjective before the noun
            if match.text[:1].isupper() and at_sentence_start(self.text, match.start):
                word = word[:1].upper() + word[1:]
            new = f"{word} w średnim wieku"
            out.edits.append(new_edit(match.start, end, self.text[match.start:end], new,
                                      "middle-aged-order", cand.entry.id, label))
        else:
            out.edits.append(new_edit(match.start, match.end, match.text, "w średnim wieku",
                                      "middle-aged-order", cand.entry.id, label))
        out.groups.update(match.groups)
        return True

    def fix_prepositions(self, result: Rewrite) -> None:
        """*z*/*ze* and *w*/*we* before a rewritten word follow its new first letters
        (*ze starszą* → *z młodą*, *w chińskiej* → *we francuskiej*)."""
        extra = []
        for e in result.edits:
            prev = self.prev_word(e.start)
            if prev is None or prev[0].lower() not in ("z", "ze", "w", "we"):
                continue
            first = e.new.split()[0] if e.new.split() else ""
            if not first or first[:2].lower() == e.old[:2].lower():
                continue
            if prev[0].lower() in ("z", "ze"):
                want = "ze" if _ZE.match(first) else "z"
            else:
                want = "we" if _WE.match(first) else "w"
            if want != prev[0].lower():
                new = want[0].upper() + want[1:] if prev[0][:1].isupper() else want
                extra.append(new_edit(prev[1], prev[1] + len(prev[0]), prev[0], new,
                                      "preposition-form", e.entry, e.lexicon))
        if extra:
            result.edits += extra
            result.edits.sort(key=lambda e: e.start)
