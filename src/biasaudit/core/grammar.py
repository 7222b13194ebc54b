"""The interface a language implements to plug into the engine, and the default that only
uses the lexicon.

A language decides three things the lexicon alone cannot: how text is normalised before
matching, which reading an ambiguous term has (*her* → *his* or *him*), and which other
words must change to agree (Polish verbs and adjectives). Everything else (matching, case,
building the output, provenance) is the engine's job.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..lexicons.registry import LexiconSet
from .casing import transfer_case
from .types import Candidate, Edit, Match, new_edit

# An edit less its span and old text (new, rule, entry, lexicon): what a term whose
# decision does not depend on the context gets wherever it stands.
_EditTail = tuple[str, str, str | None, str | None]
# What the grammar remembers about a surface form: its readings, and its edit (None: none).
_Known = tuple[tuple[Candidate, ...], _EditTail | None]


@dataclass(frozen=True)
class SwapPlan:
    """Which group each referenced group becomes: a swap (male↔female) or all-to-one-group.

    Grammars memoise their decisions per ``target``, so within one grammar a target name
    must always stand for the same mapping (as the engine's :meth:`plan` guarantees).
    """

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

    #: Whether :meth:`accept` decides a match whose first letter is lower case exactly as
    #: ``Grammar.accept`` does (from the lexicon alone: refused only when the lexicon writes
    #: every matching form with a capital). When it does, the matcher settles each term
    #: written in lower case once, when it is built, and skips the :meth:`accept` call for
    #: it. ``Grammar.accept`` itself qualifies; a subclass that overrides :meth:`accept`
    #: is asked for every match unless it sets this to True in the same class as the
    #: override (its override may look at the context), e.g. when it hands lower-case
    #: matches to ``super().accept``. A subclass that overrides :meth:`accept` again is
    #: asked for every match unless it sets the flag itself.
    lowercase_accept_is_lexical: bool = False

    def __init__(self, lexicons: LexiconSet) -> None:
        self.lexicons = lexicons
        self._decisions: dict[tuple[tuple[Candidate, ...], str], Decision] = {}
        self._proper: dict[tuple[Candidate, ...], bool] = {}
        # memo of rendered replacements; bounded by vocabulary x case patterns in practice
        self._rendered: dict[tuple[Candidate | None, str | None, str], str] = {}
        # per plan target, surface form -> readings and edit of a context-free decision
        self._context_free: dict[str, dict[str, _Known]] = {}

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

    def _lowercase_accept(self) -> Callable[[str, tuple[Candidate, ...]], bool] | None:
        """How the matcher settles a term written in lower case once (see
        :attr:`lowercase_accept_is_lexical`): a function of the term's key and readings, or
        None when :meth:`accept` must be asked for every match."""
        # the flag vouches for the ``accept`` of the class that sets it, not for an
        # override further down (a subclass of English that vetoes quoted words)
        owner = next(c for c in type(self).__mro__ if "accept" in c.__dict__)
        if owner is Grammar or owner.__dict__.get("lowercase_accept_is_lexical", False):
            return _lexical_lowercase_accept
        return None

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
            wanted = "/".join(sorted({plan.target_of(g) for g in match.groups}))
            return Decision(unsafe=f"no {wanted} form for {match.text.lower()!r} ({groups})")
        if len(targets) > 1:
            options = ", ".join(sorted(targets))
            return Decision(unsafe=f"ambiguous {match.text.lower()!r}: could be {options}")
        cand = next(iter(targets.values()))
        return Decision(new=cand.entry.output(plan.target_of(cand.group)), candidate=cand)

    def rewrite(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        """Decide every match (and, in subclasses, agreement edits) for one text.

        A term whose readings do not need the context (:meth:`needs_context`) gets the same
        edit wherever it stands, so after its first occurrence its surface form is looked
        up instead of decided and rendered again.
        """
        result = Rewrite()
        edits = result.edits
        add_groups = result.groups.update
        known = self._context_free.get(plan.target)
        if known is None:
            known = self._context_free[plan.target] = {}
        for match in matches:
            cands = match.candidates
            if not cands:
                continue  # an exclusion phrase
            add_groups(match.groups)
            hit = known.get(match.text)
            if hit is not None and hit[0] == cands:
                tail = hit[1]
                if tail is not None:
                    edits.append(new_edit(match.start, match.end, match.text, *tail))
                continue
            self._decide_match(text, match, plan, matches, result, known)
        return result

    def _decide_match(
        self,
        text: str,
        match: Match,
        plan: SwapPlan,
        matches: list[Match],
        result: Rewrite,
        known: dict[str, _Known],
    ) -> None:
        """Decide one match the hard way (:meth:`choose`, :meth:`add_edit`) and remember
        the outcome in ``known`` when the context cannot change it."""
        cands = match.candidates
        groups = match.groups
        if len(groups) == 1:
            (group,) = groups
            if plan.mapping.get(group, group) == group:
                known[match.text] = (cands, None)  # already the target group: no change
                return
        decision = self.choose(text, match, plan, matches)
        if decision.unsafe:
            result.unsafe.append(decision.unsafe)
            return
        before = len(result.edits)
        self.add_edit(result, match, decision, text)
        if not self.needs_context(cands):
            edit = result.edits[before] if len(result.edits) > before else None
            if edit is None:
                known[match.text] = (cands, None)
            elif not (match.text[:1].isupper() and self.render(match, decision)[:1].islower()):
                # an edit whose capital depends on the sentence position (*Christian* →
                # *Atheist* first in a sentence, *atheist* inside one) is never reused
                known[match.text] = (cands, (edit.new, edit.rule, edit.entry, edit.lexicon))

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
            new_edit(
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


def _lexical_lowercase_accept(key: str, candidates: tuple[Candidate, ...]) -> bool:
    """``Grammar.accept`` for a match written in lower case (``key``): a term the lexicon
    only writes with a capital is refused."""
    return not _needs_capital(key, candidates)


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


_OPENERS = "\"'“‘«»([{-–—*•"


def at_sentence_start(text: str, start: int) -> bool:
    """True when only spaces, opening quotes, brackets or dashes stand between ``start`` and
    the beginning of the text, a line break or the end of the previous sentence (.!?…:;).

    For grammars that read a capital as a name only where it cannot be a sentence's first
    letter (Norwegian *Hans* the name vs *hans* the pronoun; Vietnamese *Anh* vs *anh*).
    """
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in ".!?…:;"
