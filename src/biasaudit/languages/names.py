"""Names alongside gender terms: the ``names=True`` option of a gender grammar.

A language whose gender axis can also swap first names (Vietnamese, Norwegian) builds a
names-axis grammar of the same language and runs it over the spans no gender term covers.
When names are not swapped, a swapped title before a name leaves a person with the other
gender's name (*dronning Sonja* → *kong Sonja*); :func:`mark_titles_before_names` says so.
When only one half of a double first name is swapped (*Ingrid Alexandra* → *Kjell
Alexandra*, *Per Olav* → *Per Hege*), :class:`DoubleNames` says so (Norwegian and English;
Vietnamese names are family + middle + given and have their own rules).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Set

from ..core.engine import build_matcher
from ..core.grammar import Grammar, Rewrite, SwapPlan
from ..core.matcher import TermMatcher
from ..core.types import Edit, Match
from ..lexicons.registry import LexiconSet, load_lexicons


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
    result.groups.update(sub.groups)  # (names of both groups merged into one: unsafe)


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


# A word right after a name, joined by a space or a hyphen (*Ingrid Alexandra*, *Anne-Marie*),
# and the word right before one.
_HYPHENS = "-\u2010"
_WORD_AFTER = re.compile(r"([ \u00a0]|[-\u2010])([^\W\d_]+)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)([ \u00a0]|[-\u2010])\Z")


class DoubleNames:
    """Marks a variant unsafe where one half of a double first name is swapped and the other
    is not (*Ingrid Alexandra* → *Kjell Alexandra*, *Per Olav* → *Per Hege*, *Mary-Kate* →
    *James-Kate*): the person is left with a first name of each gender.

    Built once per grammar from its names lexicon (``lexicons``): the first names of every
    group, case-folded, and the labels that mark a name's edit. A language adds
    ``more``, first names the lexicon leaves out with their groups (Norwegian *Per* and
    *Hans*, which are also words; *Kim*, given to both genders), and ``guess``, the groups
    of a capitalised word the lexicon does not know, or an empty set (Norwegian: a word in
    *-a* is a woman's name, *Alexandra*).

    For each swapped name (an edit of the names lexicon), the capitalised word next to it,
    when no edit swaps it too, makes the variant unsafe if

    * a hyphen joins the two (*Anne-Marie*, *Per-Olav*): one first name;
    * a space joins them and the word is a first name of the swapped name's own group
      (*Ingrid Alexandra*, *Per Olav*, *Mary Kate*; after the name, also a ``guess``). A
      first name of the other group, or a word that is no known first name, is a surname
      (*Kari Nordmann*, *Jakob Ingebrigtsen*, *Emily Harris*) and the variant stays safe.
    """

    def __init__(
        self,
        lexicons: LexiconSet,
        more: Mapping[str, Iterable[str]] | None = None,
        guess: Callable[[str], Set[str]] | None = None,
    ) -> None:
        groups: dict[str, set[str]] = {}
        for entry in lexicons.entries:
            for group, forms in entry.forms.items():
                for form in forms:
                    groups.setdefault(form.casefold(), set()).add(group)
        for name, its in (more or {}).items():
            groups.setdefault(name.casefold(), set()).update(its)
        self.groups: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in groups.items()}
        self.labels = frozenset(lexicons.labels.values())
        self.guess = guess

    def groups_of(self, word: str, *, guess: bool) -> Set[str]:
        """The groups whose first name ``word`` is (a genitive *Alexandras* too); ``guess``:
        ask the language's guess for a word the lexicon does not know."""
        low = word.casefold()
        found = self.groups.get(low)
        if found is None and low.endswith("s"):
            found = self.groups.get(low[:-1])
        if found is None and guess and self.guess is not None:
            found = self.guess(word)
            if not found and low.endswith("s"):
                found = self.guess(word[:-1])
        return found or frozenset()

    def mark(self, text: str, result: Rewrite) -> None:
        """Add a reason to ``result.unsafe`` for each half-swapped double first name."""
        names = [e for e in result.edits if e.lexicon in self.labels]
        if not names:
            return
        spans = [(e.start, e.end) for e in result.edits]

        def swapped(start: int, end: int) -> bool:
            return any(s < end and start < e for s, e in spans)

        for edit in names:
            own = self.groups.get(edit.old.casefold())
            if not own:
                continue  # a genitive (Oles) or a spelling the lexicon lacks: no name to pair
            after = _WORD_AFTER.match(text, edit.end)
            if after is not None:
                word = after.group(2)
                if (
                    word[:1].isupper()
                    and not swapped(after.start(2), after.end(2))
                    and (after.group(1) in _HYPHENS or own & self.groups_of(word, guess=True))
                ):
                    full = text[edit.start : after.end(2)]
                    result.unsafe.append(_half_reason(full, edit, word))
            before = _WORD_BEFORE.search(text, max(0, edit.start - 40), edit.start)
            if before is not None:
                word = before.group(1)
                if (
                    word[:1].isupper()
                    and not swapped(before.start(1), before.end(1))
                    and (before.group(2) in _HYPHENS or own & self.groups_of(word, guess=False))
                ):
                    full = text[before.start(1) : edit.end]
                    result.unsafe.append(_half_reason(full, edit, word))


def _half_reason(full: str, edit: Edit, kept: str) -> str:
    """Why a half-swapped double first name is unsafe."""
    return (
        f"{full!r} may be a double first name, swapped by half ({edit.old!r} → "
        f"{edit.new!r}, {kept!r} stays)"
    )
