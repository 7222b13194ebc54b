"""Find lexicon files (built-in, on ``BIASAUDIT_LEXICON_PATH``, or given by the user) and
merge them per language and axis."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from ..errors import BiasAuditWarning, LexiconError, UnsupportedError
from .languages import LanguageCatalog, catalog_files
from .loader import Problem, parse_lexicon
from .model import Entry, Exclusion, Lexicon

ENV_PATH = "BIASAUDIT_LEXICON_PATH"
LEXICON_SUFFIXES = (".yaml", ".yml")


def builtin_lexicon_dir() -> Path:
    """The shipped lexicons: inside the wheel, or the source tree's ``lexicons/``."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_lexicons"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "lexicons"


def lexicon_dirs(lexicon_paths: Iterable[str | Path] = ()) -> tuple[Path, ...]:
    """Built-in directory first, then ``BIASAUDIT_LEXICON_PATH`` entries, then ``lexicon_paths``.

    ``BIASAUDIT_LEXICON_PATH`` entries that do not exist are skipped (as in ``PATH``), with
    a :class:`~biasaudit.errors.BiasAuditWarning` so that a typo is seen; a path in
    ``lexicon_paths`` that does not exist raises :class:`LexiconError`.
    """
    dirs = [builtin_lexicon_dir()]
    env = os.environ.get(ENV_PATH, "")
    for p in env.split(os.pathsep):
        if p and Path(p).exists():
            dirs.append(Path(p))
        elif p:
            warnings.warn(f"{ENV_PATH}: no such file or folder: {p} (skipped)",
                          BiasAuditWarning, stacklevel=2)
    for p in lexicon_paths:
        if not Path(p).exists():
            raise LexiconError(f"no such file or folder: {p}")
        dirs.append(Path(p))
    return tuple(d.resolve() for d in dirs)


def lexicon_files(dirs: Sequence[Path]) -> list[Path]:
    """Every ``*.yaml`` or ``*.yml`` lexicon under ``dirs`` (a file path is taken as is),
    each once (a folder named twice, or a file inside a folder also named, is read once);
    a path that is neither a file nor a folder raises :class:`LexiconError`."""
    files: list[Path] = []
    for d in dirs:
        if d.is_file():
            files.append(d)
        elif d.is_dir():
            files += sorted(p for p in d.rglob("*.y*ml")
                            if p.suffix in LEXICON_SUFFIXES and p.name != "languages.yaml")
        else:
            raise LexiconError(f"no such file or folder: {d}")
    return list(dict.fromkeys(files))


@dataclass(frozen=True)
class LexiconSet:
    """All lexicons for one language and axis, merged; later files override earlier entry ids."""

    language: str
    axis: str
    lexicons: tuple[Lexicon, ...]
    entries: tuple[Entry, ...]
    exclusions: tuple[Exclusion, ...]
    groups: tuple[str, ...]
    swap: dict[str, str]
    match_groups: dict[str, frozenset[str]]

    def matched(self, entry: Entry, group: str) -> bool:
        """Whether ``group``'s forms of ``entry`` are looked for in text (output-only otherwise)."""
        if entry.match_groups is not None:
            return group in entry.match_groups
        groups = self.match_groups.get(entry.path or "")
        return groups is None or group in groups

    @cached_property
    def labels(self) -> dict[str, str]:
        """``file path → name@version``: the provenance recorded with every edit."""
        return {str(lx.path): lx.label for lx in self.lexicons}

    def lexicon_of(self, entry: Entry) -> str:
        """``name@version`` of the lexicon that holds ``entry`` (``?`` if none does)."""
        return self.labels.get(entry.path or "", "?")


@dataclass(frozen=True)
class _Broken:
    """A lexicon file that failed to load, with the language and axis its header names."""

    problem: Problem
    language: str | None
    axis: str | None


def _header(path: Path, catalog: LanguageCatalog) -> tuple[str | None, str | None]:
    """The language and axis a broken file's header names (None where it names none).

    A file that is not valid YAML is read line by line for its top-level ``language:`` and
    ``axis:``, so a typo in a Polish file does not stop English.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # an unreadable header could belong to any language
        return None, None
    try:
        data = yaml.safe_load(text)
        found = data if isinstance(data, dict) else {}
    except yaml.YAMLError:
        found = {m[1]: m[2] for m in _HEADER_LINE.finditer(text)}
    lang, axis = found.get("language"), found.get("axis")
    return (catalog.canonical(str(lang)) if lang else None, str(axis) if axis else None)


# ``language: pl`` or ``axis: "gender"  # comment`` at the start of a line
_HEADER_LINE = re.compile(r"""^(language|axis):[ \t]*["']?([^\s"'#]+)""", re.MULTILINE)


@lru_cache(maxsize=64)
def _load_all(
    dirs: tuple[Path, ...], files: tuple[Path, ...], mtimes: tuple[tuple[Path, int], ...]
) -> tuple[tuple[Lexicon, ...], tuple[_Broken, ...]]:
    catalog = LanguageCatalog.for_dirs(dirs)
    loaded, broken = [], []
    for f in files:
        lexicon, problems = parse_lexicon(f, catalog)
        errors = [p for p in problems if p.severity == "error"]
        if lexicon is not None and not errors:
            loaded.append(lexicon)
        else:
            broken.append(_Broken(errors[0], *_header(f, catalog)))
    return tuple(loaded), tuple(broken)


def lexicon_state(lexicon_paths: Iterable[str | Path] = ()) -> tuple:
    """What the loaded lexicons depend on: the folders searched, their files and the files'
    modification times, and those of the user ``languages.yaml`` files that apply. Equal
    states load equal lexicons (so caches can compare them)."""
    dirs = lexicon_dirs(lexicon_paths)
    files = tuple(lexicon_files(dirs))
    watched = (*files, *catalog_files(dirs))  # a user languages.yaml changes what loads
    return dirs, files, tuple((f, f.stat().st_mtime_ns) for f in watched)


def _raise(broken: _Broken) -> None:
    raise LexiconError(broken.problem.message, broken.problem.location)


@lru_cache(maxsize=64)
def _set_problems(
    dirs: tuple[Path, ...], files: tuple[Path, ...], mtimes: tuple[tuple[Path, int], ...],
    language: str, axis: str,
) -> tuple[Problem, ...]:
    """What ``lexicon lint`` finds across the entries of ``language`` and ``axis`` (ids used
    twice in a file or a folder, one form in two groups, two entries with one reading),
    those in user files first. Empty when only built-in files take part: they lint clean
    (a test keeps them so), and engines are built often.

    A problem between a user entry and a built-in one (a user adjective *Christian* next to
    the built-in one, under another id) is a warning: ``lexicon lint`` of the user's folder
    cannot see it, and the engine marks what the two readings leave ambiguous unsafe."""
    from .lint import check_entries

    lexicons, _ = _load_all(dirs, files, mtimes)
    chosen = [lx for lx in lexicons if lx.language == language and lx.axis == axis]
    builtin = dirs[0]

    def is_builtin(lx: Lexicon) -> bool:
        return lx.path is not None and lx.path.is_relative_to(builtin)

    if all(is_builtin(lx) for lx in chosen):
        return ()
    roots = {}
    for f in files:  # the folder (or file) each was found in, as lint names it
        roots[str(f)] = next(d for d in dirs if d == f or d in f.parents)
    own = {str(p) for p in check_entries([lx for lx in chosen if not is_builtin(lx)], roots,
                                         loading=True)}
    problems = [p if str(p) in own else replace(p, severity="warning")
                for p in check_entries(chosen, roots, loading=True)]
    return tuple(sorted(problems, key=lambda p: Path(p.location.path or "").is_relative_to(
        builtin)))


def _check_set(state: tuple, language: str, axis: str) -> None:
    """Raise the first error :func:`_set_problems` finds; warn about the rest."""
    problems = _set_problems(*state, language, axis)
    for p in problems:
        if p.severity == "error":
            raise LexiconError(p.message, p.location)
    for p in problems:
        warnings.warn(f"{p.location}: {p.message}", BiasAuditWarning, stacklevel=3)


def all_lexicons(lexicon_paths: Iterable[str | Path] = ()) -> tuple[Lexicon, ...]:
    """Load every lexicon file found (cached until a file changes); any broken file raises,
    and so does any error that ``lexicon lint`` finds across the entries of a language and
    axis that user files take part in (see :func:`load_lexicons`).

    ``lexicon_paths`` are extra lexicon files or folders, searched after the built-in ones
    and ``BIASAUDIT_LEXICON_PATH`` (see :func:`lexicon_dirs`).
    """
    state = lexicon_state(lexicon_paths)
    lexicons, broken = _load_all(*state)
    if broken:
        _raise(broken[0])
    for language, axis in dict.fromkeys((lx.language, lx.axis) for lx in lexicons):
        _check_set(state, language, axis)
    return lexicons


def load_lexicons(
    lang: str, axis: str, *, lexicon_paths: Iterable[str | Path] = ()
) -> LexiconSet:
    """Merge every lexicon for ``lang`` and ``axis``; raises if there is none.

    ``lexicon_paths`` are extra lexicon files or folders, searched after the built-in ones
    and ``BIASAUDIT_LEXICON_PATH``; a file of a later folder overrides an earlier folder's
    entry ids (a user entry replaces the built-in one with its id).

    Raises :class:`LexiconError` for what ``lexicon lint`` refuses: a broken file of this
    language and axis (or one whose header cannot be read), and, once user files take part,
    the errors across their entries: an id used twice in one file or in two files of one
    folder, one form in two groups, two entries with the same reading. An entry that says
    it is invertible but is not changes no swap: it gives a
    :class:`~biasaudit.errors.BiasAuditWarning`.
    """
    paths = tuple(lexicon_paths)
    state = lexicon_state(paths)
    catalog = LanguageCatalog.for_dirs(state[0])
    language = catalog.canonical(lang)
    lexicons, broken = _load_all(*state)
    for b in broken:  # a broken file of another language or axis does not stop this one
        if b.language in (None, language) and b.axis in (None, axis):
            _raise(b)
    chosen = [lx for lx in lexicons if lx.language == language and lx.axis == axis]
    if not chosen:
        known = sorted({(lx.language, lx.axis) for lx in lexicons})
        raise UnsupportedError(
            f"no lexicon for language {language!r} and axis {axis!r}; available: "
            + ", ".join(f"{lang}/{ax}" for lang, ax in known),
            argument="axis" if any(lang == language for lang, _ in known) else "lang",
        )
    _check_set(state, language, axis)
    by_id: dict[str, Entry] = {}
    groups: list[str] = []
    swap: dict[str, str] = {}
    exclusions: list[Exclusion] = []
    for lx in chosen:
        for entry in lx.entries:
            by_id[entry.id] = entry
        groups += [g for g in lx.groups if g not in groups]
        swap.update(lx.swap)
        exclusions += lx.exclusions
    match_groups = {str(lx.path): frozenset(lx.match_groups) for lx in chosen}
    return LexiconSet(
        language,
        axis,
        tuple(chosen),
        tuple(by_id.values()),
        tuple(exclusions),
        tuple(groups),
        swap,
        match_groups,
    )
