"""Checks a lexicon set as a whole: duplicates, conflicting forms, broken invertibility.

Per-file checks (schema, Unicode NFC, unknown languages and features) happen while parsing;
this module adds the checks that need every entry of a language and axis at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import LexiconError, Location
from .languages import LanguageCatalog
from .loader import Problem, parse_lexicon
from .model import Entry, Lexicon
from .registry import lexicon_files


def _reading(entry: Entry) -> tuple:
    return (entry.pos, tuple(sorted(entry.features.items())))


def _where(entry: Entry, field: str) -> Location:
    return Location(entry.path, entry.line, field)


def _other(entry: Entry, here: Entry) -> str:
    """Where ``entry`` is, said from ``here``: its line, with its file when that differs."""
    return f"line {entry.line}" if entry.path == here.path else f"{entry.path}, line {entry.line}"


def check_entries(
    lexicons: Iterable[Lexicon], roots: Mapping[str, Path] | None = None, *,
    loading: bool = False,
) -> list[Problem]:
    """Problems across all entries of one language and axis.

    ``roots`` maps each file to the folder it was found in: an entry id used again in a file
    of the same folder is an error (one of the two would be silently dropped), while a file of
    a later folder may replace an id on purpose (the replaced entry is then left out of the
    form checks, as the loader leaves it out). Without ``roots``, ids must be unique per file.

    With ``loading`` (the loader's check of user files), the one problem that changes no
    swap, an entry that says it is invertible but is not, is a warning instead of an error.
    """
    problems: list[Problem] = []
    lexicons = list(lexicons)
    entries = [e for lx in lexicons for e in lx.entries]
    matched = {str(lx.path): set(lx.match_groups) for lx in lexicons}
    by_id: dict[str, Entry] = {}
    replaced: set[int] = set()  # entries that a later folder's entry replaces on purpose
    for e in entries:
        before = by_id.get(e.id)
        same_folder = before is not None and (
            before.path == e.path
            or (roots is not None and roots.get(before.path or "") == roots.get(e.path or ""))
        )
        if before is not None and same_folder:
            problems.append(
                Problem(
                    f"entry id {e.id!r} already used on {_other(before, e)}",
                    _where(e, "id"),
                )
            )
        elif before is not None:
            replaced.add(id(before))
        by_id[e.id] = e
    entries = [e for e in entries if id(e) not in replaced]  # (as the loader merges them)

    # surface form -> the entries and groups that own it, per reading (pos + features)
    owners: dict[tuple, list[tuple[Entry, str]]] = defaultdict(list)
    for e in entries:
        for group, forms in e.forms.items():
            looked_for = e.match_groups if e.match_groups is not None else matched.get(
                e.path or "", e.forms
            )
            if group not in looked_for:
                continue  # output-only forms (e.g. neutral) are never read back
            for form in forms:
                owners[(form.casefold(), _reading(e))].append((e, group))

    for (form, _), owned in owners.items():
        if len(owned) < 2:
            continue
        groups = {g for _, g in owned}
        first, later = owned[0], owned[1:]
        if len(groups) > 1:
            e, g = later[0]
            problems.append(
                Problem(
                    f"form {form!r} belongs to group {first[1]!r} ({_other(first[0], e)}) and to "
                    f"{g!r}: the engine cannot tell which group a text refers to",
                    _where(e, f"forms.{g}"),
                )
            )
            continue
        for e, g in later:
            same = all(
                e.output(k) == first[0].output(k) for k in set(e.forms) | set(first[0].forms)
            )
            kind = "duplicate of" if same else "conflicts with"
            problems.append(
                Problem(
                    f"form {form!r} ({g}) {kind} the entry on {_other(first[0], e)}; give the "
                    "entries different features (e.g. case) if both readings are real",
                    _where(e, f"forms.{g}"),
                )
            )

    for e in entries:
        if not e.invertible:
            continue
        for a in e.forms:
            for b in e.forms:
                if a == b:
                    continue
                there = e.output(b)
                back = {
                    o.output(a)
                    for o, g in owners.get((there.casefold(), _reading(e)), [])
                    if g == b
                }
                if back and back != {e.output(a)}:
                    problems.append(
                        Problem(
                            f"not invertible: {e.output(a)!r} → {there!r} → "
                            f"{' / '.join(sorted(x or '?' for x in back))!r}; set 'invertible: "
                            "false' or fix the forms",
                            _where(e, "invertible"),
                            "warning" if loading else "error",
                        )
                    )
    return problems


def lint_paths(paths: Iterable[str | Path]) -> tuple[list[Problem], list[Lexicon]]:
    """Lint every lexicon file under ``paths``; returns problems and the lexicons that parsed."""
    roots = tuple(Path(p).resolve() for p in paths)
    broken: list[LexiconError] = []  # a broken languages.yaml is one more problem to report
    catalog = LanguageCatalog.for_dirs(roots, broken)
    problems: list[Problem] = [Problem(exc.message, exc.location) for exc in broken]
    lexicons: list[Lexicon] = []
    root_of: dict[str, Path] = {}
    for root in roots:
        for path in lexicon_files([root]):
            if str(path) in root_of:  # (a file named twice, or inside a folder named too)
                continue
            root_of[str(path)] = root
            lexicon, found = parse_lexicon(path, catalog)
            problems += found
            if lexicon is not None:
                lexicons.append(lexicon)
    groups: dict[tuple[str, str], list[Lexicon]] = defaultdict(list)
    for lx in lexicons:
        groups[(lx.language, lx.axis)].append(lx)
    for members in groups.values():
        problems += check_entries(members, root_of)
    return problems, lexicons
