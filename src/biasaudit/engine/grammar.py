"""The interface a language implements to plug into the engine, and the default that only
uses the lexicon.

A language decides three things the lexicon alone cannot: how text is normalised before
matching, which reading an ambiguous term has (*her* → *his* or *him*), and which other
words must change to agree (Polish verbs and adjectives). Everything else (matching, case,
building the output, provenance) is the engine's job.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..lexicons.registry import LexiconSet
from .casing import transfer_case
from .types import Candidate, Edit, Match


@dataclass(frozen=True)
class SwapPlan:
    """Which group each referenced group becomes: a swap (male↔female) or all-to-one-group."""

    target: str
    mapping: Mapping[str, str]

    def target_of(self, group: str) -> str:
        return self.mapping.get(group, group)


@dataclass
class Rewrite:
    """What a grammar decided for one text: the edits and any reasons it is unsafe."""

    edits: list[Edit] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)
    groups: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Decision:
    """The grammar's choice for one match: write ``new`` (by ``rule``), or explain why not."""

    new: str | None = None
    candidate: Candidate | None = None
    rule: str = "lexicon"
    unsafe: str | None = None


class Grammar:
    """Default grammar: a term is replaced by its entry's form for the target group.

    Subclasses override :meth:`choose` to pick among several readings of one surface form,
    :meth:`rewrite` to add agreement edits, and :meth:`normalize` / :meth:`spellings` for
    script-level conventions. A grammar must not keep state between texts.
    """

    language: str = ""

    def __init__(self, lexicons: LexiconSet) -> None:
        self.lexicons = lexicons
        self._decisions: dict[tuple[tuple[Candidate, ...], str], Decision] = {}
        self._proper: dict[tuple[Candidate, ...], bool] = {}
        # memo of rendered replacements; bounded by vocabulary x case patterns in practice
        self._rendered: dict[tuple[Candidate | None, str | None, str], str] = {}
        self._fixed: dict[tuple[tuple[Candidate, ...], str, str], tuple] = {}

    # -- text conventions ---------------------------------------------------------------
    def normalize(self, text: str) -> str:
        """Normalise input before matching (NFC by default; offsets refer to the result)."""
        return text if text.isascii() else unicodedata.normalize("NFC", text)

    def spellings(self, form: str) -> tuple[str, ...]:
        """Spellings of a lexicon form to accept on input (default: just the form)."""
        return (form,)

    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        """Veto a match in context: names and capitalised lexicon forms need a capital."""
        proper = self._proper.get(candidates)
        if proper is None:
            proper = self._proper[candidates] = _needs_capital(text[start:end], candidates)
        return text[start].isupper() if proper else True

    def wants(self, text: str) -> bool:
        """Whether :meth:`rewrite` must see ``text`` although no lexicon term matched.

        False by default. A language where agreement alone can mark a person overrides it
        with a cheap test (Polish *Był zmęczony.* 'He was tired.' has no pronoun or noun).
        """
        return False

    # -- decisions ------------------------------------------------------------------------
    def choose(self, text: str, match: Match, plan: SwapPlan, matches: list[Match]) -> Decision:
        """Pick the replacement for one match; several distinct targets means ambiguity.

        The default depends only on the readings and the plan, so it is memoised.
        """
        key = (match.candidates, plan.target)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decisions[key] = self._by_lexicon(match, plan)
        return decision

    def _by_lexicon(self, match: Match, plan: SwapPlan) -> Decision:
        targets: dict[str, Candidate] = {}
        for cand in match.candidates:
            new = cand.entry.output(plan.target_of(cand.group))
            if new is not None:
                targets.setdefault(new.casefold(), cand)
        if not targets:
            groups = "/".join(sorted(match.groups))
            return Decision(unsafe=f"no {plan.target} form for {match.text.lower()!r} ({groups})")
        if len(targets) > 1:
            options = ", ".join(sorted(targets))
            return Decision(unsafe=f"ambiguous {match.text.lower()!r}: could be {options}")
        cand = next(iter(targets.values()))
        return Decision(new=cand.entry.output(plan.target_of(cand.group)), candidate=cand)

    def rewrite(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        """Decide every match (and, in subclasses, agreement edits) for one text."""
        result = Rewrite()
        fixed = self._fixed
        target = plan.target
        mapping = plan.mapping
        for match in matches:
            cands = match.candidates
            if not cands:
                continue  # an exclusion phrase
            groups = match.groups
            result.groups.update(groups)
            if len(groups) == 1:
                (group,) = groups
                if mapping.get(group, group) == group:
                    continue  # already the target group: nothing to change
            # fast path: a context-free decision already rendered for this surface form
            key = (cands, target, match.text)
            done = fixed.get(key)
            if done is not None:
                if done[0] is not None:
                    result.edits.append(Edit(match.start, match.end, match.text, *done))
                continue
            decision = self.choose(text, match, plan, matches)
            if decision.unsafe:
                result.unsafe.append(decision.unsafe)
                continue
            before = len(result.edits)
            self.add_edit(result, match, decision, text)
            if not self.needs_context(cands):
                edit = result.edits[before] if len(result.edits) > before else None
                if edit is None:
                    fixed[key] = (None,)
                elif not (edit.new[:1].islower() and match.text[:1].isupper()):
                    # (a capital that depends on sentence position is never reused)
                    fixed[key] = (edit.new, edit.rule, edit.entry, edit.lexicon)
        return result

    def needs_context(self, candidates: tuple[Candidate, ...]) -> bool:
        """Whether decisions for these readings depend on the surrounding text.

        By default True exactly when a subclass overrides :meth:`choose` (it may look at
        neighbours); such a grammar can narrow it down, as English does for its ambiguous
        pronouns. Context-free decisions are reused for the same surface form.
        """
        return type(self).choose is not Grammar.choose

    def add_edit(
        self, result: Rewrite, match: Match, decision: Decision, text: str | None = None
    ) -> None:
        """Record the edit for a decided match, written in the right case (:meth:`render`)."""
        assert decision.new is not None
        new = self.render(match, decision, text)
        if new == match.text:
            return
        entry = decision.candidate.entry if decision.candidate else None
        result.edits.append(
            Edit(
                match.start,
                match.end,
                match.text,
                new,
                decision.rule,
                entry.id if entry else None,
                self.lexicons.labels.get(entry.path or "") if entry else None,
            )
        )

    def render(self, match: Match, decision: Decision, text: str | None = None) -> str:
        """The replacement in the right case.

        A capital that the lexicon itself writes (*Christian*, *Mr*) is part of the word, not
        of its position: *The Christian family* → *The atheist family*, *an atheist* →
        *a Christian*. Other capitals follow the source's pattern (*He* → *She*, *HE* → *SHE*),
        and a sentence-initial capital is kept.
        """
        source = match.text
        key = (decision.candidate, decision.new, source)
        out = self._rendered.get(key)
        if out is None:
            out = self._rendered[key] = self._render(source, decision)
        if out[:1].islower() and source[:1].isupper() and _sentence_initial(text, match.start):
            out = out[0].upper() + out[1:]
        return out

    def _render(self, source: str, decision: Decision) -> str:
        new = decision.new or ""
        cand = decision.candidate
        lexical = None
        if cand is not None:
            key = source.casefold()
            lexical = next(
                (f for f in cand.entry.forms.get(cand.group, ()) if f.casefold() == key), None
            )
        src_proper = bool(lexical) and lexical[:1].isupper() and not lexical.isupper()
        new_proper = new[:1].isupper() and not new.isupper()
        if len(source) > 1 and source.isupper() and not (lexical or "").isupper():
            out = new.upper()
        elif (src_proper and source == lexical) or (new_proper and not src_proper):
            out = new
        else:
            out = transfer_case(source, new)
        return out


def _needs_capital(surface: str, candidates: tuple[Candidate, ...]) -> bool:
    """Names, and forms the lexicon writes with a capital (*Polish*, *Christian*), only match
    capitalised text: *polish the floor* is not a nationality."""
    key = surface.casefold()
    for c in candidates:
        if c.entry.pos == "name":
            continue
        forms = [f for f in c.entry.forms.get(c.group, ()) if f.casefold() == key]
        if not forms or not all(f[:1].isupper() for f in forms):
            return False
    return True


def _sentence_initial(text: str | None, start: int) -> bool:
    if text is None:
        return False
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?\n"“”«»'
