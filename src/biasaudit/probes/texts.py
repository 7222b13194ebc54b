"""Counterfactual probes of the user's own texts (JSONL, CSV, Parquet, plain text, a pandas
DataFrame, a Hugging Face ``datasets`` object or any iterable of strings or dicts)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..core import CounterfactualEngine
from ..errors import InputError, Location, not_utf8, require
from .model import Cluster, ProbeSet, Variant, compute_stats, json_lines

TextRow = tuple[Location, str]


def _check_text(value: Any, where: Location) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"text must be a string, not {type(value).__name__}", where)
    return value


def _utf8_error(path: Path, exc: UnicodeDecodeError) -> InputError:
    """The error for a file that is not UTF-8, naming the first bad line (found again by
    decoding line by line: a newline byte is never part of a multi-byte character)."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as bad:
                return InputError(not_utf8(raw, bad)[1], Location(path, number))
    return InputError(f"not valid UTF-8: {exc.reason}", Location(path))


def _rows_from_file(path: Path, text_field: str) -> Iterator[TextRow]:
    try:
        yield from _decoded_rows(path, text_field)
    except UnicodeDecodeError as exc:
        raise _utf8_error(path, exc) from None


def _decoded_rows(path: Path, text_field: str) -> Iterator[TextRow]:
    suffix = "".join(path.suffixes[-2:]) if path.suffix == ".gz" else path.suffix
    if not path.is_file():
        raise InputError("no such file", Location(path))
    if suffix in (".jsonl", ".ndjson", ".json"):
        with path.open(encoding="utf-8") as fh:
            for i, rec in json_lines(fh, path):
                where = Location(path, i, text_field)
                if isinstance(rec, str):
                    yield where, rec
                    continue
                if not isinstance(rec, dict) or text_field not in rec:
                    raise InputError(f"no field {text_field!r} in this record", where)
                yield where, _check_text(rec[text_field], where)
    elif suffix in (".csv", ".tsv"):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
            if text_field not in (reader.fieldnames or []):
                raise InputError(f"no column {text_field!r} (columns: "
                                 f"{', '.join(reader.fieldnames or [])})",
                                 Location(path, 1, text_field))
            for rec in reader:
                yield Location(path, reader.line_num, text_field), rec[text_field] or ""
    elif suffix == ".parquet":
        pq = require("pyarrow.parquet", extra="data", purpose="reading Parquet", package="pyarrow")
        table = pq.read_table(path)
        if text_field not in table.column_names:
            raise InputError(f"no column {text_field!r} (columns: "
                             f"{', '.join(table.column_names)})", Location(path, None, text_field))
        for i, value in enumerate(table.column(text_field).to_pylist()):
            yield Location(path, i + 1, text_field), _check_text(value, Location(path, i + 1,
                                                                                   text_field))
    elif suffix == ".txt":
        with path.open(encoding="utf-8") as fh:
            for i, raw in enumerate(fh, start=1):
                yield Location(path, i), raw.rstrip("\r\n")
    else:
        raise InputError(f"unsupported file type {path.suffix!r} (use .jsonl, .csv, .tsv, "
                         ".parquet or .txt)", Location(path))


def iter_texts(data: Any, text_field: str = "text") -> Iterator[TextRow]:
    """``(location, text)`` for every row of ``data``; errors name the row and field.

    Accepts a path, a pandas DataFrame (column ``text_field``), a ``datasets.Dataset``
    (duck-typed: ``column_names`` and iteration over dict rows), or an iterable of
    strings or dicts.
    """
    if isinstance(data, (str, Path)) and Path(data).suffix and Path(data).exists():
        yield from _rows_from_file(Path(data), text_field)
        return
    if isinstance(data, (str, Path)):
        raise InputError("no such file (pass a list to probe literal texts)", Location(data))
    columns = getattr(data, "column_names", None)
    if isinstance(columns, dict) or (columns is None and isinstance(data, dict)):
        raise InputError("got a mapping (e.g. a datasets.DatasetDict); pass one split or a "
                         "list of rows", Location("<input>"))
    if columns is None and hasattr(data, "columns") and hasattr(data, "iterrows"):
        columns = list(data.columns)  # pandas DataFrame
        if text_field not in columns:
            raise InputError(f"no column {text_field!r} (columns: {', '.join(map(str, columns))})",
                             Location("<DataFrame>", None, text_field))
        for i, value in enumerate(data[text_field].tolist()):
            where = Location("<DataFrame>", i + 1, text_field)
            yield where, _check_text(None if value != value else value, where)  # NaN -> ""
        return
    if columns is not None and text_field not in list(columns):
        raise InputError(f"no column {text_field!r} (columns: {', '.join(map(str, columns))})",
                         Location("<dataset>", None, text_field))
    label = "<dataset>" if columns is not None else "<input>"
    for i, row in enumerate(data):
        where = Location(label, i + 1, text_field)
        if isinstance(row, str):
            yield where, row
        elif isinstance(row, dict):
            if text_field not in row:
                raise InputError(f"no field {text_field!r} in this row", where)
            yield where, _check_text(row[text_field], where)
        else:
            raise InputError(f"rows must be strings or dicts, not {type(row).__name__}", where)


def default_groups(engine: CounterfactualEngine) -> tuple[str, ...]:
    """The axis's groups that its lexicons look for in text (``match_groups``)."""
    matched = set().union(*engine.lexicons.match_groups.values())
    return tuple(g for g in engine.groups if g in matched) or engine.groups


def from_texts(
    texts: Any,
    *,
    lang: str,
    axis: str,
    text_field: str = "text",
    groups: Sequence[str] | None = None,
    lexicon_paths: Iterable[str | Path] = (),
    name: str | None = None,
) -> ProbeSet:
    """One cluster per text that mentions ``axis``: a variant per group (the engine's
    :meth:`~biasaudit.CounterfactualEngine.counterfactuals`).

    ``groups`` defaults to the groups the lexicons match in text (so output-only groups such
    as English ``neutral`` are built only when asked for). Texts that mention no group are
    not clusters; they are counted in ``stats['no_mention']``
    and their row numbers listed in ``metadata['no_mention_rows']``.
    """
    engine = CounterfactualEngine(lang, axis, lexicon_paths=tuple(lexicon_paths))
    if groups is None:
        groups = default_groups(engine)
    clusters: list[Cluster] = []
    no_mention: list[int] = []
    rows = 0
    source_name = str(texts) if isinstance(texts, (str, Path)) else type(texts).__name__
    for where, text in iter_texts(texts, text_field):
        rows += 1
        row = where.line if where.line is not None else rows
        if not text.strip():
            no_mention.append(row)
            continue
        cfs = engine.counterfactuals(text, groups)
        mentioned = {g for cf in cfs for g in cf.groups}
        if not mentioned:
            no_mention.append(row)
            continue
        variants = tuple(
            Variant(cf.target, cf.text, cf.edits, cf.unsafe) for cf in cfs
        )
        clusters.append(Cluster(
            id=f"row-{row}", source=cfs[0].source, variants=variants,
            metadata={"row": row, "groups_in_source": sorted(mentioned)},
        ))
    labels = sorted({lx.label for lx in engine.lexicons.lexicons})
    return ProbeSet(
        name=name or f"texts-{engine.lang}-{axis}",
        lang=engine.lang,
        axis=axis,
        clusters=tuple(clusters),
        metadata={"source": source_name, "text_field": text_field, "lexicons": labels,
                  "groups": list(groups),
                  "no_mention_rows": no_mention},
        stats=compute_stats(clusters, rows=rows, no_mention=len(no_mention)),
    )
