"""Polish identity axes: which lexicon words refer to a person of a group, and which readings.

On the identity axes (nationality, religion, age, disability, orientation) each case, number
and gender form is its own lexicon entry, so the lexicon writes the target form (*Polakiem*
→ *Niemcem*, *Polką* → *Niemką*); the gender pass of :mod:`biasaudit.languages.polish_pass`
is not used. What the lexicon cannot tell is whether a word in context is about a person of
the group at all (*z polskiego* the school subject, *Niemcy* the country, *starszy brat* the
comparative, *głuchy telefon*) and which of a form's readings fits (*Drogi Polaku*, vocative;
*o Polaku*, locative). This module holds those checks and their word lists:

* :class:`PolishIdentityRules`, built once per :class:`~biasaudit.languages.polish.PolishGrammar`
  of an identity axis: what the checks take from the grammar and its lexicons, and
  :meth:`PolishIdentityRules.rewrite`, the call the grammar makes for each text;
* :class:`_IdentityCheck`, the checks for one text (its docstring lists them in order).

See docs/languages/polish.md, "Identity axes".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..core.grammar import Rewrite, SwapPlan, at_sentence_start
from ..core.types import Match, new_edit
from ..lexicons.registry import LexiconSet
from .polish_morph import Morph
from .polish_rules import COPULAS

# -- word lists ---------------------------------------------------------------------------

# Simple prepositions. A nominative cannot follow one (*z Niemiec* is the country's genitive,
# not *Niemiec* 'a German'); a locative needs one (*o Polaku*), a vocative never has one
# (*Drogi Polaku*).
PREPOSITIONS = frozenset("""
w we na o przy po z ze do od ode dla u bez beze przez przeze za pod pode nad nade przed
przede między pomiędzy obok wśród około koło według dzięki ku poza spod znad zza wobec
naprzeciw naprzeciwko mimo oprócz prócz zamiast wokół dookoła względem
""".split())
LOCATIVE_PREPOSITIONS = frozenset("w we na o przy po".split())

# Countries of the nationality groups as SGJP spells their lemmas. Two share forms with the
# lexicon (*Polska*/*polska*, *Polski*/*polski*; *Niemcy* the country and the people, *z
# Niemiec*): such a form is read as the country when the context says so. Other place names
# that SGJP has (the village *Polaki*: *Polaków*) are too rare to matter.
COUNTRIES = frozenset("""
Ameryka Chiny Francja Niemcy Meksyk Nigeria Norwegia Polska Ukraina Wietnam
""".split())

# Prepositions after which a bare masculine nationality adjective is a language or a school
# subject (*z polskiego*, *z ukraińskiego na polski*), not a person.
LANGUAGE_PREPOSITIONS = frozenset("z ze na do".split())
# Verbs after which (maybe with *się* between) a bare masculine nationality adjective with no
# noun is a language (*Uczę się chińskiego*, *rozumie niemiecki*), not a person.
LANGUAGE_VERBS = frozenset("""
uczyć nauczyć douczać podszkolić znać umieć rozumieć zrozumieć studiować nauczać wykładać
zacząć zaczynać kontynuować opanować szlifować podszlifować
""".split())
# Lemmas that make a text about languages: a bare masculine nationality adjective with no
# noun in such a text is a language too (*znajomość angielskiego, mile widziany niemiecki*,
# *języka niemieckiego; mile widziany polski*). Languages of no lexicon group are here
# since the lexicon does not see them.
LANGUAGE_CONTEXT = frozenset("""
język angielski hiszpański włoski rosyjski japoński czeski arabski portugalski
""".split())
# Nouns of things (food, drink, cuisine, products) that a nationality adjective describes
# without a person (*chińską herbatę*, *francuskie wino*, *kuchnię meksykańską*); SGJP's m2
# and m3 nouns (*niemiecki samochód*) are things already.
NOT_PEOPLE = frozenset("""
herbata kawa wino piwo wódka nalewka ser kuchnia jedzenie potrawa danie czekolada
musztarda kiełbasa wędlina zupa sałatka pizza samochód auto marka produkt
""".split())

# *Starszy* is the comparative of *stary* (older, senior) as well as the polite 'elderly'.
# Heads with which it means 'elderly' (rewritten), kinship nouns with which it means 'older'
# (*starszy brat*, left alone), and rank titles (*starszy sierżant*, left alone); with any
# other head the reading is open and the variant is unsafe.
ELDERLY_HEADS = frozenset("""
pan pani mężczyzna kobieta człowiek osoba ludzie pacjent pacjentka sąsiad sąsiadka
mieszkaniec mieszkanka małżeństwo para klient klientka obywatel obywatelka wyborca
wyborczyni pasażer pasażerka turysta turystka kierowca widz czytelnik czytelniczka
użytkownik użytkowniczka pieszy piesza emeryt emerytka senior seniorka
""".split())
KINSHIP_HEADS = frozenset("""
brat siostra syn córka kuzyn kuzynka wnuk wnuczka rodzeństwo dziecko bliźniak bliźniaczka
pasierb pasierbica
""".split())
RANK_HEADS = frozenset("""
sierżant szeregowy kapral chorąży aspirant posterunkowy ogniomistrz referent
specjalista asystent inspektor wykładowca kustosz bibliotekarz księgowy technik oficer
marynarz mechanik ratownik kapitan bosman komisarz
""".split())
# Words before *starszy* that make it a comparative (*o trzy lata starsza*, *dużo starszy*).
COMPARATIVE_BEFORE = frozenset("""
lat lata rok roku miesięcy miesiące tygodni dni dużo wiele trochę nieco znacznie sporo
niewiele odrobinę zdecydowanie coraz dwa trzy dwukrotnie
""".split())
COMPARATIVE_AFTER = frozenset("od ode niż".split())
# Heads that are young by definition: *starszy* written before them for `old` reads as the
# comparative (*starsi chłopcy* 'older boys'), and *w średnim wieku* after them is nonsense,
# so a variant that rewrites their *młody* to another group is unsafe.
YOUNG_HEADS = frozenset("""
chłopiec chłopak chłopczyk dziewczynka dziecko niemowlę nastolatek nastolatka młodzież
""".split())
# Heads with which a preposed *młody* may be the bride and groom (*młoda para* at a wedding)
# or a young couple: unsafe (the postposed *para młoda* is a lexicon exclusion).
NEWLYWED_HEADS = frozenset("para małżeństwo".split())
# Heads with which a preposed *młody* may mean 'new' (a recent parent: *młode matki* next to
# a leave entitlement) as well as young in years: unsafe.
NEW_PARENT_HEADS = frozenset("matka mama mamusia ojciec tata tatuś rodzic".split())
# After *głuchy na* these make it literal deafness (*głuchy na jedno ucho*); any other
# object is the idiom 'deaf to' (*głuchy na prośby*) or open.
DEAF_IN = frozenset("jedno lewe prawe oba obydwa".split())
# ... and these (as the object's noun, maybe after a determiner) make it the idiom
# (*głuchy na nasze prośby*, *głucha na argumenty*): the word is left alone.
DEAF_TO = frozenset("""
prośba błaganie argument apel krytyka głos wołanie skarga uwaga żądanie racja cierpienie
potrzeba krzyk perswazja rada namowa ostrzeżenie upomnienie protest
""".split())


# -- the grammar's entry point ------------------------------------------------------------
class PolishIdentityRules:
    """The identity-axis rewrite of one Polish grammar, built once with it.

    It holds what every text's checks need from the grammar and its lexicons (the Morfeusz
    analyser, the axis, the provenance labels of the lexicon files) and no state of a text:
    :meth:`rewrite` builds an :class:`_IdentityCheck` for each text.
    """

    def __init__(self, morph: Morph, lexicons: LexiconSet) -> None:
        self.morph = morph
        self.axis = lexicons.axis
        self.labels = lexicons.labels

    def rewrite(
        self,
        text: str,
        matches: list[Match],
        plan: SwapPlan,
        by_lexicon: Callable[[str, list[Match], SwapPlan], Rewrite],
    ) -> Rewrite:
        """Rewrite ``text``'s identity references to ``plan``'s target.

        Each match is checked in context (:meth:`_IdentityCheck.verdict`): another sense is
        dropped, an open reading marks the variant unsafe, and the rest, their readings
        narrowed, are written from the lexicon by ``by_lexicon`` (the grammar's lexicon-only
        rewrite, ``Grammar.rewrite``). Age adjectives rewritten to *w średnim wieku* are
        moved after their noun, and *z*/*ze*, *w*/*we* follow the new words.
        """
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
        result = by_lexicon(text, kept, plan)
        result.unsafe[:0] = held
        result.groups |= moved.groups
        result.edits += moved.edits
        result.edits.sort(key=lambda e: e.start)
        check.fix_prepositions(result)
        return result


# -- the checks for one text -------------------------------------------------------------
_PREV_WORD = re.compile(r"(\w+)\s+$")
_NEXT_WORD = re.compile(r"\s+(\w+)")
_NOMINAL = ("subst", "depr")
_PERSONAL_ONLY_NOT = frozenset({"m2", "m3"})
# *ze* before a cluster of a sibilant and a consonant (*ze starszą*, *ze Szwedem*) and
# before *mn*; *we* before w/f and a consonant (*we francuskiej*, *we Włoszech*).
_ZE = re.compile(r"(?i)(?:[sśzźż]|sz|rz)[^aeiouyąęó]|mn|w[sz]")
_WE = re.compile(r"(?i)[wf][^aeiouyąęó]|mn")
_CASES = {"ins": "inst"}  # lexicon case names that SGJP spells otherwise
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
    * *Niemiec* (a form of the country) after a capitalised word inside a sentence is the
      country's genitive in a name (*Grand Prix Niemiec*);
    * a bare masculine nationality adjective after *z*/*na*/*do* with no noun is a language
      or a school subject (*z polskiego*, *na polski*), and so is one after a verb of
      LANGUAGE_VERBS (*Uczę się chińskiego*);
    * *starszy* is 'elderly' only with a person head of ELDERLY_HEADS; with kinship nouns,
      rank titles, *od*/*niż* after or a measure before (*o trzy lata starsza*) it is the
      comparative and is left alone; with any other head, unsafe;
    * an age, disability or nationality adjective whose head noun is a masculine animal or
      thing (*młode ziemniaki*, *głuchy telefon*, *niemiecki samochód*) is left alone;
    * a preposed *młody* before *para*/*małżeństwo* (the bride and groom or a young couple)
      or before a parent of NEW_PARENT_HEADS (*młode matki*: new mothers, or young ones),
      and one before a noun of YOUNG_HEADS rewritten to another group (*starsi chłopcy*
      'older boys') are unsafe;
    * *głuchy na* with an object of DEAF_TO among the next three words (*na wszystkie nasze
      prośby*) is the idiom 'deaf to' and is
      left alone; with an ear (*na jedno ucho*) it fits deafness only, and with any other
      object it is open: both unsafe (unless the word stays as it is);
    * a bare *młode* with no noun and no copula before it is the noun 'the young (of an
      animal)' (*karmi swoje młode*) and is left alone;
    * an adjective's readings are narrowed by agreement with its noun (*niesłyszący aktor*:
      singular; *niesłyszący aktorzy*: virile plural).

    :meth:`PolishIdentityRules.rewrite` drops unsafe verdicts on a word already in the target
    group: it stays as it is whichever reading is right. :meth:`move_middle_aged` and
    :meth:`fix_prepositions` then place *w średnim wieku* after its noun and write *z*/*ze*,
    *w*/*we* for the new word.
    """

    def __init__(self, rules: PolishIdentityRules, text: str, plan: SwapPlan) -> None:
        self.morph = rules.morph
        self.axis = rules.axis
        self.labels = rules.labels
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
        """Whether ``word`` has a noun reading (SGJP ``subst`` or ``depr``)."""
        return any(r.pos in _NOMINAL for r in self.morph.analyse(word))

    def agreeing_noun(self, adj: str, word: str) -> list:
        """The noun readings of ``word`` that agree with some adjective (or active
        participle: *niesłyszący*) reading of ``adj``."""
        adjs = [r for r in self.morph.analyse(adj.lower()) if r.pos in ("adj", "pact")]
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
            if (prev and prev[0][:1].isupper() and cases <= {"nom", "voc"} and numbers == {"sg"}
                    and not at_sentence_start(text, prev[1]) and self.geographic(surface)):
                return None  # *Grand Prix Niemiec*: the country's genitive in a name
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
        if (self.axis == "nationality" and pos == {"adj"} and masc_sg and self.head(match) is None
                and (self.after_language_verb(match.start) or self.language_text(match))):
            return None  # *Uczę się chińskiego*, *mile widziany niemiecki*: a language
        if self.axis == "age" and key.startswith("stars"):
            verdict = self.elderly(match, prev, nxt, pos)
            if verdict is not True:
                return verdict
        if self.axis in ("age", "disability", "nationality") and pos == {"adj"}:
            head = self.head(match)
            if head is not None and all(r.gender <= _PERSONAL_ONLY_NOT for r in head[3]):
                return None  # *młode ziemniaki*, *głuchy telefon*, *niemiecki samochód*
            if (self.axis == "nationality" and head is not None
                    and all(r.base.lower() in NOT_PEOPLE for r in head[3])):
                return None  # *chińską herbatę*, *francuskie wino*: a product
            if self.axis == "age" and head is not None and head[1] > match.start:
                lemmas = {r.base.lower() for r in head[3]}
                if key.startswith("młod") and lemmas & NEWLYWED_HEADS:
                    return f"{surface!r} {head[0]!r}: the bride and groom, or a young couple?"
                if key.startswith("młod") and lemmas & NEW_PARENT_HEADS:
                    return f"{surface!r} {head[0]!r}: a new parent, or a young one?"
                if (self.plan.target != "young" and lemmas & YOUNG_HEADS
                        and not key.startswith("stars")):
                    return f"{head[0]!r} is young by definition: 'older' or nonsense"
        if self.axis == "disability" and key.startswith("głuch") and nxt and nxt[0].lower() == "na":
            after = self.next_word(nxt[1])
            if after is not None and after[0].lower() in DEAF_IN:
                return f"{surface!r} na {after[0]} ...: said of deafness only"
            obj = [after] if after else []
            while obj and obj[-1] and len(obj) < 3:
                obj.append(self.next_word(obj[-1][1]))
            if any(w and {r.base for r in self.morph.analyse(w[0].lower())} & DEAF_TO
                   for w in obj):
                return None  # *głuchy na nasze prośby*: the idiom
            return f"{surface!r} na ...: deaf, or the idiom 'deaf to'?"
        if (self.axis == "age" and pos == {"adj"} and self.head(match) is None
                and not self.after_copula(match.start)
                and any(r.pos == "subst" and r.gender == {"n"} and r.base == key
                        for r in self.morph.analyse(key))):
            return None  # *karmi swoje młode*: the noun 'young (of an animal)'
        if pos == {"adj"} and len(cases | numbers) > 2:
            match = self.agree_with_head(match)
        match = self.narrow(match, {c.entry.features.get("case") for c in match.candidates})
        if not any(c.entry.names_person for c in match.candidates):
            return self.name_agreement(match) or match
        return match

    def genders(self, word: str) -> frozenset[str]:
        """The genders of ``word``'s noun readings (*islam*: m3; *chrześcijaństwo*: n)."""
        return frozenset(g for r in self.morph.analyse(word.lower()) if r.pos in _NOMINAL
                         for g in r.gender)

    def name_agreement(self, match: Match) -> str | None:
        """A religion's name (``referent: nonperson``) rewritten to one of another gender
        (*islam*, m3 → *chrześcijaństwo*, n) when a word may agree with it: a nominative
        (*Islam dotarł* → **Chrześcijaństwo dotarł*: the verb) or an adjective or
        participle next to it in its case (*wczesny islam*, *islam sunnicki*): unsafe, since
        the identity axes rewrite the name only. None when it is safe (*przeszła na islam*
        → *przeszła na chrześcijaństwo*)."""
        old = self.genders(match.text)
        cases = {_CASES.get(c.entry.features.get("case"), c.entry.features.get("case"))
                 for c in match.candidates}
        for c in match.candidates:
            new = c.entry.output(self.plan.target_of(c.group))
            if new is None or not old or self.genders(new) == old:
                continue
            if "nom" in cases and not ("acc" in cases and self.after_transitive(match.start)):
                return (f"{match.text!r} → {new!r}: another grammatical gender, and a "
                        "nominative may agree with a verb or an adjective")
            for near in (self.prev_word(match.start), self.next_word(match.end)):
                if near is not None and any(
                    r.pos in ("adj", "ppas", "pact") and r.case & cases and r.gender & old
                    and "sg" in r.number for r in self.morph.analyse(near[0].lower())
                ):
                    return (f"{near[0]!r} agrees with {match.text!r}, and {new!r} has another "
                            "grammatical gender")
        return None

    def after_transitive(self, start: int) -> bool:
        """Whether a finite or past verb that takes an accusative (SGJP gives it a passive
        participle) stands right before ``start``: the name is its object (*Porzucił islam*),
        not a subject that the verb agrees with."""
        prev = self.prev_word(start)
        if prev is None:
            return False
        verbs = {r.lemma for r in self.morph.analyse(prev[0].lower())
                 if r.pos in ("fin", "praet", "impt", "bedzie")}
        return any(any(f.pos == "ppas" for f in self.morph.paradigm(v)) for v in verbs)

    def language_text(self, match: Match) -> bool:
        """Whether the text is about languages: *mile widziany* right before ``match``, or
        another word of LANGUAGE_CONTEXT in the text: a form of *język*, or a language's
        adjective with no agreeing noun after it (*angielskiego*, not *angielski turysta*)."""
        before = self.text[max(0, match.start - 30):match.start].lower().split()
        if before[-2:-1] == ["mile"] and before[-1].startswith("widzian"):
            return True
        for w in re.finditer(r"\w+", self.text):
            bases = {r.base for r in self.morph.analyse(w.group().lower())}
            if w.start() == match.start or not bases & LANGUAGE_CONTEXT:
                continue
            if "język" in bases:
                return True
            nxt = self.next_word(w.end())  # *angielskiego* bare, not *angielski turysta*
            if nxt is None or not self.agreeing_noun(w.group(), nxt[0]):
                return True
        return False

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

    def after_language_verb(self, start: int) -> bool:
        """Whether a verb of LANGUAGE_VERBS stands right before ``start``, maybe with *się*
        between (*uczę się chińskiego*, *rozumie niemiecki*)."""
        prev = self.prev_word(start)
        if prev is not None and prev[0].lower() == "się":
            prev = self.prev_word(prev[1])
        return prev is not None and any(
            r.base in LANGUAGE_VERBS for r in self.morph.analyse(prev[0].lower()))

    def agree_with_head(self, match: Match) -> Match:
        """Keep the readings of an adjective that agree with its noun in case, number and
        gender (*niesłyszący aktor* is singular, *niesłyszący aktorzy* virile plural)."""
        head = self.head(match)
        if head is None:
            return match
        kept = []
        for c in match.candidates:
            f = c.entry.features
            case = _CASES.get(f.get("case"), f.get("case"))
            gender = {("sg", "m"): {"m1", "m2", "m3"}, ("sg", "f"): {"f"}, ("pl", "m"): {"m1"},
                      ("pl", "f"): {"m2", "m3", "f", "n"}}.get((f.get("number"), f.get("gender")))
            if gender is None:
                return match
            if any(case in r.case and f.get("number") in r.number and r.gender & gender
                   for r in head[3]):
                kept.append(c)
        if not kept or len(kept) == len(match.candidates):
            return match
        return match.narrowed(tuple(kept))

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
        label = self.labels.get(cand.entry.path or "")
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
