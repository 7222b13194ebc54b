"""Result types of the counterfactual engine: edits and counterfactual texts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
        return not self.unsafe

    @property
    def changed(self) -> bool:
        return self.text != self.source

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (edits as dicts)."""
        data = asdict(self)
        data["safe"] = self.safe
        return data
