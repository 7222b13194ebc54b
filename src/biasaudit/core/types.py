"""Result types of the counterfactual engine: edits and counterfactual texts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from ..lexicons.model import Entry


@dataclass(frozen=True, slots=True)
class Edit:
    """One replaced span of the source text, with the rule or lexicon entry that made it."""

    start: int
    end: int
    old: str
    new: str
    rule: str
    entry: str | None = None
    lexicon: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Candidate:
    """A reading of a matched span: a lexicon entry and the group whose form matched.

    Compared by identity: the engine makes one per (entry, group, form), so tuples of
    candidates can key memo tables cheaply.
    """

    entry: Entry
    group: str


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon term found in the text; ``candidates`` is empty for an exclusion phrase."""

    start: int
    end: int
    text: str
    candidates: tuple[Candidate, ...]
    groups: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.groups and self.candidates:  # derived when the caller leaves it out
            object.__setattr__(self, "groups", frozenset(c.group for c in self.candidates))

    @property
    def excluded(self) -> bool:
        return not self.candidates

    def narrowed(self, candidates: tuple[Candidate, ...]) -> Match:
        """The same span with only some of its readings."""
        return Match(
            self.start, self.end, self.text, candidates, frozenset(c.group for c in candidates)
        )


@dataclass(frozen=True, slots=True)
class Counterfactual:
    """A counterfactual of ``source`` for one target (``swap`` or a group name).

    ``unsafe`` lists the reasons the engine could not vouch for ``text`` (ambiguous reading,
    unknown agreement); callers decide whether to keep such variants, and count them.
    """

    source: str
    text: str
    lang: str
    axis: str
    target: str
    edits: tuple[Edit, ...] = ()
    groups: tuple[str, ...] = ()
    unsafe: tuple[str, ...] = ()

    @property
    def safe(self) -> bool:
        """Whether every edit is known to be grammatical (``unsafe`` is empty)."""
        return not self.unsafe

    @property
    def changed(self) -> bool:
        """Whether the text differs from the source (some term was replaced)."""
        return self.text != self.source

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (edits as dicts)."""
        data = asdict(self)
        data["safe"] = self.safe
        return data


# -- building results on the hot path ------------------------------------------------------
# The engine builds a Match per term found, an Edit per replaced span and a Counterfactual
# per text. The __init__ of a frozen dataclass sets each field with object.__setattr__;
# the builders below create the instance and write its slots through their descriptors,
# which takes about 40% less time. They take every field, in order (no defaults, no
# derived groups); code outside the engine's inner loops should call the classes.
_new = object.__new__


def _slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Any, ...]:
    """The ``__set__`` of each slot of ``cls``, checked to cover all its fields in order."""
    if names != tuple(f.name for f in fields(cls)):
        raise TypeError(f"{cls.__name__} fields changed: update its builder")
    return tuple(getattr(cls, name).__set__ for name in names)


_MATCH_SLOTS = _slot_setters(Match, ("start", "end", "text", "candidates", "groups"))
_EDIT_SLOTS = _slot_setters(Edit, ("start", "end", "old", "new", "rule", "entry", "lexicon"))
_COUNTERFACTUAL_SLOTS = _slot_setters(
    Counterfactual, ("source", "text", "lang", "axis", "target", "edits", "groups", "unsafe")
)


def new_match(
    start: int, end: int, text: str, candidates: tuple[Candidate, ...], groups: frozenset[str]
) -> Match:
    """``Match(start, end, text, candidates, groups)``, built faster (see above)."""
    match = _new(Match)
    set_start, set_end, set_text, set_candidates, set_groups = _MATCH_SLOTS
    set_start(match, start)
    set_end(match, end)
    set_text(match, text)
    set_candidates(match, candidates)
    set_groups(match, groups)
    return match


def new_edit(
    start: int, end: int, old: str, new: str, rule: str, entry: str | None, lexicon: str | None
) -> Edit:
    """``Edit(start, end, old, new, rule, entry, lexicon)``, built faster (see above)."""
    edit = _new(Edit)
    set_start, set_end, set_old, set_new, set_rule, set_entry, set_lexicon = _EDIT_SLOTS
    set_start(edit, start)
    set_end(edit, end)
    set_old(edit, old)
    set_new(edit, new)
    set_rule(edit, rule)
    set_entry(edit, entry)
    set_lexicon(edit, lexicon)
    return edit


def new_counterfactual(
    source: str,
    text: str,
    lang: str,
    axis: str,
    target: str,
    edits: tuple[Edit, ...],
    groups: tuple[str, ...],
    unsafe: tuple[str, ...],
) -> Counterfactual:
    """``Counterfactual(source, text, ...)`` with every field, built faster (see above)."""
    cf = _new(Counterfactual)
    set_source, set_text, set_lang, set_axis, set_target, set_edits, set_groups, set_unsafe = (
        _COUNTERFACTUAL_SLOTS
    )
    set_source(cf, source)
    set_text(cf, text)
    set_lang(cf, lang)
    set_axis(cf, axis)
    set_target(cf, target)
    set_edits(cf, edits)
    set_groups(cf, groups)
    set_unsafe(cf, unsafe)
    return cf
