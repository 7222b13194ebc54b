"""Data model for lexicons: aligned term sets across the groups of one identity axis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

FORMAT_VERSION = "biasaudit-lexicon/1"
# ``features: {referent: nonperson}`` marks a term that names no person (a religion itself:
# *Islam*, *atheism*): swaps rewrite it like any term, probe fillers never use it.
NONPERSON = "nonperson"


@dataclass(frozen=True)
class Entry:
    """One aligned set of forms: the same word or phrase for each group of an axis.

    ``forms[group]`` is a tuple of spellings; the first is what the engine writes, the
    others are only accepted on input (e.g. Nynorsk *jenta*/*jenten*). Features such as
    ``case`` or ``number`` tell the language grammar which reading the entry is.
    ``match_groups``, when set, narrows the file's groups looked for in text for this entry
    alone (*hostess* is read, *host* only written: "to host a show" is not a person).
    The feature ``referent: nonperson`` says that the entry names no person
    (:attr:`names_person`).
    """

    id: str
    forms: Mapping[str, tuple[str, ...]]
    pos: str | None = None
    features: Mapping[str, str] = field(default_factory=dict)
    invertible: bool = True
    match_groups: tuple[str, ...] | None = None
    note: str | None = None
    source: str | None = None
    reviewer: str | None = None
    path: str | None = None
    line: int | None = None

    @property
    def names_person(self) -> bool:
        """False for a term that refers to no person (``features: {referent: nonperson}``:
        the religion itself, *Islam*, *atheism*), which probe fillers must not use as a
        person or a descriptor; True otherwise (the default)."""
        return self.features.get("referent") != NONPERSON

    def output(self, group: str) -> str | None:
        """The form the engine writes for ``group`` (None when the group has no form)."""
        alternatives = self.forms.get(group)
        return alternatives[0] if alternatives else None


@dataclass(frozen=True)
class Exclusion:
    """A phrase that contains a term but is not a reference to a group (*tiếng Anh*, *bà con*)."""

    text: str
    note: str | None = None
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Lexicon:
    """The entries of one file: one language, one axis, a version and provenance."""

    name: str
    language: str
    axis: str
    version: str
    groups: tuple[str, ...]
    entries: tuple[Entry, ...]
    exclusions: tuple[Exclusion, ...] = ()
    swap: Mapping[str, str] = field(default_factory=dict)
    match_groups: tuple[str, ...] = ()
    description: str | None = None
    source: str | None = None
    licence: str | None = None
    reviewer: str | None = None
    path: Path | None = None

    @property
    def label(self) -> str:
        """``name@version``, recorded with every edit so a report says which data made it."""
        return f"{self.name}@{self.version}"
