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
        self._labels = {str(lx.path): lx.label for lx in lexicons.lexicons}
        self._decisions: dict[tuple[tuple[Candidate, ...], str], Decision] = {}
        self._names: dict[tuple[Candidate, ...], bool] = {}

    # -- text conventions ---------------------------------------------------------------
    def normalize(self, text: str) -> str:
        """Normalise input before matching (NFC by default; offsets refer to the result)."""
        return text if text.isascii() else unicodedata.normalize("NFC", text)

    def spellings(self, form: str) -> tuple[str, ...]:
        """Spellings of a lexicon form to accept on input (default: just the form)."""
        return (form,)

    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        """Veto a match in context; names only match when capitalised."""
        names = self._names.get(candidates)
        if names is None:
            names = self._names[candidates] = all(c.entry.pos == "name" for c in candidates)
        return text[start].isupper() if names else True

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
        for match in matches:
            if match.excluded:
                continue
            groups = match.groups
            result.groups.update(groups)
            if len(groups) == 1:
                (group,) = groups
                if plan.target_of(group) == group:
                    continue  # already the target group: nothing to change
            decision = self.choose(text, match, plan, matches)
            if decision.unsafe:
                result.unsafe.append(decision.unsafe)
                continue
            self.add_edit(result, match, decision)
        return result

    def add_edit(self, result: Rewrite, match: Match, decision: Decision) -> None:
        """Record the edit for a decided match, carrying the source's case pattern."""
        assert decision.new is not None
        new = transfer_case(match.text, decision.new)
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
                self._labels.get(entry.path or "") if entry else None,
            )
        )
