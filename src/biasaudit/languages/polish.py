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

The identity axes (nationality, religion, age, disability, orientation) do not use this
pass: their rules are in :mod:`biasaudit.languages.polish_identity`, which the grammar calls
from :meth:`PolishGrammar.rewrite`.
"""

from __future__ import annotations

import re

from ..core.grammar import Grammar, Rewrite, SwapPlan
from ..core.types import Match
from ..errors import ConfigError
from ..lexicons.model import Entry
from ..lexicons.registry import LexiconSet
from .polish_identity import PolishIdentityRules
from .polish_morph import Morph
from .polish_pass import GENDER_CODE, RewritePass
from .polish_rules import EPICENE_NOUNS

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
        # identity axes list every case and gender form as its own entry: the lexicon
        # decides (Polakiem -> Niemcem, Polką -> Niemką) once the context has ruled out
        # the other senses and readings (polish_identity)
        self.identity: PolishIdentityRules | None = (
            None if self._gendered else PolishIdentityRules(self.morph, lexicons)
        )
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
        """Gender: the agreement pass (:class:`RewritePass`); identity axes: their rules
        (:meth:`PolishIdentityRules.rewrite`), which write the kept matches from the lexicon."""
        if self.identity is not None:
            return self.identity.rewrite(text, matches, plan, super().rewrite)
        return RewritePass(self, text, matches, plan).run()

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
