"""The counterfactual engine: find every term, decide each replacement, build the output once.

Working on spans in one pass means no swap can undo another (*He said she would call her
mother* swaps both ways correctly) and every byte outside the edited spans is kept.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

from ..errors import UnsupportedError
from ..lexicons.registry import LexiconSet, load_lexicons
from .alignment import Alignment, align
from .grammar import Grammar, SwapPlan
from .matcher import TermMatcher
from .types import Candidate, Counterfactual, Edit, Match, new_counterfactual

SWAP = "swap"


class CounterfactualEngine:
    """Counterfactuals for one language and axis, built from its lexicons and grammar.

    Build once and reuse: construction compiles the lexicons into a matcher.
    """

    def __init__(
        self,
        lang: str = "en",
        axis: str = "gender",
        *,
        lexicon_paths: Iterable[str | Path] | str | Path = (),
        grammar: type[Grammar] | None = None,
        options: dict | None = None,
    ) -> None:
        from ..languages import grammar_class

        self.lexicons: LexiconSet = load_lexicons(lang, axis,
                                                  lexicon_paths=path_tuple(lexicon_paths))
        self.lang = self.lexicons.language
        self.axis = axis
        cls = grammar or grammar_class(self.lang)
        self.grammar: Grammar = _make_grammar(cls, self.lexicons, options or {})
        self.matcher = build_matcher(self.lexicons, self.grammar)
        self._plans: dict[str, SwapPlan] = {}

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups of the axis, in lexicon order."""
        return self.lexicons.groups

    def plan(self, target: str = SWAP) -> SwapPlan:
        """The plan for ``swap`` (the axis's declared pairs) or for one target group.

        Built once per target and shared: a plan is read-only.
        """
        plan = self._plans.get(target)
        if plan is None:
            plan = self._plans[target] = self._new_plan(target)
        return plan

    def _new_plan(self, target: str) -> SwapPlan:
        if target == SWAP:
            if not self.lexicons.swap:
                raise UnsupportedError(
                    f"axis {self.axis!r} in {self.lang!r} has no pairwise swap; rewrite to "
                    f"one of its groups ({', '.join(self.groups)}) instead: "
                    "counterfactuals(text, ..., groups=[...]) in Python, --to GROUP on the "
                    "command line"
                )
            return SwapPlan(SWAP, dict(self.lexicons.swap))
        if target not in self.groups:
            raise UnsupportedError(
                f"unknown group {target!r} for axis {self.axis!r}; known: {', '.join(self.groups)}",
                argument="groups",
            )
        return SwapPlan(target, {g: target for g in self.groups})

    def find(self, text: str) -> list[Match]:
        """The lexicon terms in ``text``, matched in the language's normalisation of it
        (NFC by default); offsets and matched text refer to ``text`` as given."""
        normalize = self.grammar.normalize
        source = normalize(text)
        matches = self.matcher.find(source)
        if source is text or source == text or not matches:
            return matches
        alignment = align(text, source, normalize)
        return [replace(m, start=span[2], end=span[3], text=text[span[2] : span[3]])
                for m in matches for span in [alignment.span(m.start, m.end)]]

    def rewrite(self, text: str, plan: SwapPlan) -> Counterfactual:
        """Apply ``plan`` to ``text``.

        Edits refer to ``text`` as given, and every character outside them is kept, even
        where the grammar matches in a normalised copy (NFD input: *e* + U+0301).
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        normalize = self.grammar.normalize
        source = normalize(text)
        if source is text or source == text:
            return self._rewrite(source, plan)
        return _in_original(text, self._rewrite(source, plan), align(text, source, normalize))

    def _rewrite(self, source: str, plan: SwapPlan) -> Counterfactual:
        """:meth:`rewrite` on text already normalised."""
        grammar = self.grammar
        matches = self.matcher.find(source)
        if not matches and not grammar.wants(source):
            return new_counterfactual(source, source, self.lang, self.axis, plan.target, (), (), ())
        result = grammar.rewrite(source, matches, plan)
        unsafe = result.unsafe
        found = result.groups
        if plan.target != SWAP and len(found) > 1:
            unsafe.append(
                "text refers to several groups ("
                + ", ".join(sorted(found))
                + f"); rewriting all of them to {plan.target!r} would merge different people"
            )
        edits = result.edits
        output = _apply_in_order(source, edits)
        if output is None:  # edits out of order, or overlapping
            edits = _without_conflicts(edits, unsafe)
            output = apply_edits(source, edits)
        return new_counterfactual(
            source,
            output,
            self.lang,
            self.axis,
            plan.target,
            tuple(edits),
            tuple([g for g in self.groups if g in found]),
            tuple(dict.fromkeys(unsafe)) if unsafe else (),
        )

    def swap(self, text: str) -> Counterfactual:
        """Swap every reference to its counterpart (male↔female)."""
        return self.rewrite(text, self.plan(SWAP))

    def counterfactuals(
        self, text: str, groups: Sequence[str] | None = None
    ) -> list[Counterfactual]:
        """One variant per group of the axis (all references rewritten to that group)."""
        if isinstance(groups, str):
            groups = (groups,)
        plans = [self.plan(g) for g in (groups or self.groups)]
        return [self.rewrite(text, p) for p in plans]

    def swap_many(self, texts: Iterable[str]) -> Iterator[Counterfactual]:
        """Stream :meth:`swap` over many texts."""
        plan = self.plan(SWAP)
        if isinstance(texts, str):
            raise TypeError("texts must be an iterable of texts, not one str: use swap()")
        for text in texts:
            yield self.rewrite(text, plan)


_TRUE = frozenset(("true", "yes", "on", "1"))
_FALSE = frozenset(("false", "no", "off", "0"))


def path_tuple(paths: Iterable[str | Path] | str | Path) -> tuple[str | Path, ...]:
    """Lexicon paths as a tuple: one path (a str or Path) or any iterable of them."""
    return (paths,) if isinstance(paths, str | Path) else tuple(paths)


def _make_grammar(cls: type[Grammar], lexicons: LexiconSet, options: dict) -> Grammar:
    """Instantiate a grammar, turning an unknown option, or a value that is not a truth value
    for a yes/no option, into a clear error (``"no"`` must not switch an option on)."""
    import inspect

    params = {
        name: p
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    unknown = sorted(set(options) - set(params))
    if unknown:
        raise UnsupportedError(
            f"unknown option(s) {', '.join(unknown)} for {cls.__name__}; "
            f"accepted: {', '.join(params) or 'none'}"
        )
    options = dict(options)
    for name, value in options.items():
        if isinstance(params[name].default, bool) and not isinstance(value, bool):
            word = str(value).strip().lower()
            if word not in _TRUE | _FALSE:
                raise UnsupportedError(
                    f"option {name} of {cls.__name__} is true or false, not {value!r}",
                    argument=name,
                )
            options[name] = word in _TRUE
    return cls(lexicons, **options)


def build_matcher(lexicons: LexiconSet, grammar: Grammar) -> TermMatcher:
    """A matcher for every form (and accepted spelling) of ``lexicons``, vetted by ``grammar``."""
    terms: dict[str, tuple[Candidate, ...]] = {}
    for entry in lexicons.entries:
        for group, forms in entry.forms.items():
            if not lexicons.matched(entry, group):
                continue
            for form in forms:
                for spelling in grammar.spellings(form):
                    terms[spelling] = (*terms.get(spelling, ()), Candidate(entry, group))
    exclusions = [s for x in lexicons.exclusions for s in grammar.spellings(x.text)]
    return TermMatcher(
        terms, exclusions, accept=grammar.accept, lowercase_accept=grammar._lowercase_accept()
    )


_start = attrgetter("start")


def _in_original(text: str, result: Counterfactual, alignment: Alignment) -> Counterfactual:
    """``result``, computed on a normalised copy of ``text``, moved back onto ``text``: each
    edit's span is mapped to the original (widened to whole clusters if it cut one) and
    the output rebuilt from the original, so characters outside the edits are kept. In a
    decomposed (NFD) text the new words are decomposed too."""
    normalized = result.source
    decomposed = unicodedata.is_normalized("NFD", text)  # then written so, as the input
    unsafe = list(result.unsafe)
    edits = []
    for e in result.edits:
        start, end, orig_start, orig_end = alignment.span(e.start, e.end)
        new = normalized[start : e.start] + e.new + normalized[e.end : end]
        if decomposed:
            new = unicodedata.normalize("NFD", new)
        edits.append(Edit(orig_start, orig_end, text[orig_start:orig_end], new,
                          e.rule, e.entry, e.lexicon))
    output = _apply_in_order(text, edits)
    if output is None:  # two edits widened into one cluster
        edits = _without_conflicts(edits, unsafe)
        output = apply_edits(text, edits)
    return replace(result, source=text, text=output, edits=tuple(edits),
                   unsafe=tuple(dict.fromkeys(unsafe)))


def _without_conflicts(edits: list[Edit], unsafe: list[str]) -> list[Edit]:
    """The edits sorted by start, less each one that overlaps an edit kept before it
    (reported in ``unsafe``)."""
    edits.sort(key=_start)
    kept: list[Edit] = []
    for b in edits:
        if kept and b.start < kept[-1].end:
            a = kept[-1]
            unsafe.append(f"conflicting edits at {a.start}-{a.end} and {b.start}-{b.end}")
        else:
            kept.append(b)
    return kept


def _apply_in_order(text: str, edits: Sequence[Edit]) -> str | None:
    """The text with ``edits`` applied, when they are sorted by start and do not overlap
    (the usual case: the grammar writes them left to right); None if they are not."""
    if not edits:
        return text
    parts: list[str] = []
    pos = 0
    for e in edits:
        if e.start < pos:
            return None
        parts.append(text[pos : e.start])
        parts.append(e.new)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Build the output once from non-overlapping edits sorted by start offset.

    Raises ValueError for edits that overlap or are out of order.
    """
    output = _apply_in_order(text, edits)
    if output is None:
        raise ValueError("edits overlap or are not sorted by start offset")
    return output
