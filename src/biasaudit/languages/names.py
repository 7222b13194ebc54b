"""Names alongside gender terms: the ``names=True`` option of a gender grammar.

A language whose gender axis can also swap first names (Vietnamese, Norwegian) builds a
names-axis grammar of the same language and runs it over the spans no gender term covers.
When names are not swapped, a swapped title before a name leaves a person with the other
gender's name (*dronning Sonja* → *kong Sonja*); :func:`mark_titles_before_names` says so.
"""

from __future__ import annotations

from collections.abc import Callable, Set

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


#: A word of the text and where it starts, e.g. ``("Sonja", 12)``.
Word = tuple[str, int]


def mark_titles_before_names(
    text: str,
    result: Rewrite,
    titles: Set[str],
    name_after: Callable[[str, int], Word | None],
    note: Callable[[str, Word], str | None] | None = None,
) -> None:
    """Mark ``result`` unsafe for each swapped title just before a name no edit swapped.

    The gender axis swaps the title but not the name after it, so the counterfactual gives
    the person a title of one gender and a name of the other (*Kong Harald* → *Dronning
    Harald*, *Bà Nguyễn Thị Lan* → *Ông Nguyễn Thị Lan*). With ``names=True`` the name is
    usually swapped too: an edit that starts where the name starts clears the title.

    What differs between languages is passed in: ``titles``, the case-folded words that
    count as a title (Norwegian: royal titles and singular person nouns, *tante Gerd*;
    Vietnamese: every kinship title);
    ``name_after(text, end)``, the name that starts right after a title ending at ``end``,
    or None (each language's rule for the gap and the capitals); and ``note(text, name)``,
    an optional language-specific account of the problem that replaces the default
    "a name that is not swapped (...)" (Vietnamese: the middle name *Thị*/*Văn*).
    """
    starts: set[int] | None = None  # where edits start: built only once a name is found
    for e in result.edits:
        if e.old.casefold() not in titles:
            continue
        name = name_after(text, e.end)
        if name is None:
            continue
        if starts is None:
            starts = {x.start for x in result.edits}
        if name[1] in starts:
            continue
        why = note(text, name) if note is not None else None
        if why is None:
            why = f"a name that is not swapped ({name[0]}; option names=True)"
        result.unsafe.append(f"title {e.old!r} → {e.new!r} before {why}")
