"""Names alongside gender terms: the ``names=True`` option of a gender grammar.

A language whose gender axis can also swap first names (Vietnamese, Norwegian) builds a
names-axis grammar of the same language and runs it over the spans no gender term covers.
"""

from __future__ import annotations

from ..engine.engine import build_matcher
from ..engine.grammar import Grammar, Rewrite, SwapPlan
from ..engine.matcher import TermMatcher
from ..engine.types import Match
from ..lexicons.registry import load_lexicons


def names_swapper(grammar: Grammar) -> tuple[Grammar, TermMatcher]:
    """A names-axis grammar of the same language as ``grammar`` and a matcher for it."""
    lexicons = load_lexicons(grammar.lexicons.language, "names")
    names = type(grammar)(lexicons)
    return names, build_matcher(lexicons, names)


def add_names(
    swapper: tuple[Grammar, TermMatcher] | None,
    text: str,
    matches: list[Match],
    plan: SwapPlan,
    result: Rewrite,
) -> None:
    """Swap the names that no gender term covers, with the same plan (not to neutral)."""
    if swapper is None:
        return
    names, matcher = swapper
    groups = names.lexicons.groups
    if plan.target != "swap" and plan.target not in groups:
        return  # names have no neutral form: keep them
    taken = [(m.start, m.end) for m in matches]
    found = [n for n in matcher.find(text) if not any(n.start < e and s < n.end for s, e in taken)]
    if not found:
        return
    sub = names.rewrite(text, found, SwapPlan(plan.target, {g: plan.target_of(g) for g in groups}))
    result.edits.extend(sub.edits)
    result.unsafe.extend(sub.unsafe)
