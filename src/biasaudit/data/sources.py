"""Read a corpus in chunks: JSONL, CSV, Parquet files (one, a folder, or a glob) or a
``datasets`` object, with every bad record counted and located instead of dropped.

A chunk is a small, picklable description of where its records are (a byte range, a
Parquet row group) so worker processes and Dask workers read it themselves; only in-memory
datasets ship their rows. It also carries the file's short name (its path relative to the
folder holding every input file), so default example ids are unique across the corpus and
the same on every worker.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import math
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import BiasAuditWarning, InputError, Location, not_utf8

FORMATS = ("jsonl", "csv", "parquet")
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
            ".parquet": "parquet", ".pq": "parquet"}
BAD_KINDS = ("invalid_utf8", "unparsable", "not_an_object", "missing_field", "wrong_type")
BOM = b"\xef\xbb\xbf"
# what scan_to_dir writes to its output folder
FLAGS_FILE = "flags.jsonl"
DATASET_FILE = "rebalanced.jsonl"
SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.html"
OUTPUT_FILES = (FLAGS_FILE, DATASET_FILE, SUMMARY_FILE, REPORT_FILE)
LABEL_TYPES = (str, int, bool)
DEFAULT_CHUNK_BYTES = 4 << 20
DEFAULT_CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class FileChunk:
    """Lines ``[start, end)`` (bytes) of a JSONL or CSV file; ``first_line`` is 1-based;
    ``name`` is the file's name in default example ids (its base name when not given)."""

    path: str
    fmt: str
    start: int
    end: int
    first_line: int
    header: tuple[str, ...] | None = None
    name: str | None = None


@dataclass(frozen=True)
class ParquetChunk:
    """One row group of a Parquet file; rows are numbered from 1 like lines."""

    path: str
    row_group: int
    first_line: int
    name: str | None = None


@dataclass(frozen=True)
class RowsChunk:
    """A batch of rows of an in-memory dataset, as columns (shipped to workers as is)."""

    name: str
    columns: Mapping[str, Sequence[Any]]
    first_line: int


Chunk = FileChunk | ParquetChunk | RowsChunk


@dataclass(frozen=True)
class Fields:
    """Which fields of a record hold the text, the label, metadata and the example id."""

    text: str
    label: str | None = None
    meta: tuple[str, ...] = ()
    id: str | None = None

    @property
    def needed(self) -> tuple[str, ...]:
        """The field names to read from each record, without repeats."""
        names = [self.text, self.label, *self.meta, self.id]
        return tuple(dict.fromkeys(n for n in names if n))


class Example(NamedTuple):
    """A valid record: where it is, its id, text, label and metadata values.

    ``label`` is None when no label field is configured, and also when the record's label
    is missing (null, NaN, an empty CSV cell, an absent key): such an *unlabelled* example
    has a usable text, so it counts for representation and occupations, and only the
    label statistics leave it out (in strict mode it is a bad record instead: see
    :func:`validate`).

    A named tuple rather than a dataclass: one is built per record on the hot path.
    """

    source: str
    line: int
    id: str
    text: str
    label: str | None
    meta: tuple[str, ...]
    record: Mapping[str, Any] | None = None


class BadRecord(NamedTuple):
    """A record that could not be used: its kind (see ``BAD_KINDS``), place and reason."""

    kind: str
    source: str
    line: int
    field: str | None = None
    detail: str = ""

    def error(self, path: str | Path | None = None) -> InputError:
        """The strict-mode error for this record, naming the file ``path`` (by default its
        ``source``, the short name)."""
        return InputError(f"{self.kind.replace('_', ' ')}: {self.detail}",
                          Location(path or self.source, self.line, self.field))


@dataclass(frozen=True)
class DataSource:
    """A corpus to scan: files of one format, or a ``datasets``-like object."""

    paths: tuple[str, ...] = ()
    fmt: str | None = None
    dataset: Any = field(default=None, compare=False)
    name: str = "dataset"
    #: each of ``paths`` as the caller named it (relative paths stay relative), for messages
    given: tuple[str, ...] = field(default=(), compare=False)

    @property
    def short_names(self) -> tuple[str, ...]:
        """Each file's path relative to the folder holding every input (what outputs say)."""
        names = short_names(self.paths)
        return tuple(names[p] for p in self.paths)

    def as_given(self, where: str | Path | None) -> str | Path | None:
        """A file named by its absolute path or short name, as the caller named it (for
        error messages); anything else unchanged."""
        if where is None or not self.given:
            return where
        for path, short, given in zip(self.paths, self.short_names, self.given):
            if str(where) in (path, short):
                return given
        return where

    def chunks(self, fields: Fields, *, chunk_bytes: int = DEFAULT_CHUNK_BYTES,
               chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[Chunk]:
        """Chunks in corpus order (lazily: only the current batch of a dataset is in memory)."""
        if self.dataset is not None:
            yield from _dataset_chunks(self.dataset, self.name, fields, chunk_rows)
            return
        names = short_names(self.paths)
        for path in self.paths:
            if self.fmt == "parquet":
                yield from _parquet_chunks(path, names[path])
            else:
                yield from plan_text_file(path, self.fmt or "jsonl", chunk_bytes=chunk_bytes,
                                          name=names[path])

    def count_chunks(self, *, chunk_bytes: int = DEFAULT_CHUNK_BYTES,
                     chunk_rows: int = DEFAULT_CHUNK_ROWS) -> int | None:
        """Roughly how many chunks there are (for the progress bar), or None if unknown."""
        if self.dataset is not None:
            n = _dataset_len(self.dataset)
            return None if n is None else max(1, -(-n // chunk_rows))
        if self.fmt == "parquet":
            return sum(_parquet_file(p).metadata.num_row_groups for p in self.paths)
        return sum(max(1, -(-Path(p).stat().st_size // chunk_bytes)) for p in self.paths)

    @property
    def size_bytes(self) -> int:
        """The total size of the source files in bytes."""
        return sum(Path(p).stat().st_size for p in self.paths)


def short_names(paths: Sequence[str]) -> dict[str, str]:
    """Each file's path relative to the folder that holds them all (``/`` separated): the
    ``FILE`` of default ``FILE:LINE`` ids, unique across the corpus. Files in one folder
    keep their base names (``train.jsonl``); ``a/train.jsonl`` and ``b/train.jsonl`` differ."""
    try:
        root = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths])
    except ValueError:  # no paths, or paths on different drives
        return {p: Path(p).as_posix() for p in paths}
    return {p: Path(os.path.relpath(os.path.abspath(p), root)).as_posix() for p in paths}


def short_name(chunk: Chunk) -> str:
    """The ``source`` of a chunk's examples and bad records: its file's short name (see
    :func:`short_names`; the base name for a chunk planned without one), or the dataset's
    name. Absolute paths are not written to outputs: they differ between machines and
    workers, and the short name is what default example ids start with."""
    if isinstance(chunk, RowsChunk):
        return chunk.name
    return chunk.name or Path(chunk.path).name


def _data_file(f: Path, fmt: str | None) -> bool:
    """Whether a file in a folder of partitions is data: not hidden, not a ``_SUCCESS``-style
    marker, and of the format (by suffix; with ``fmt``, also any file without a known suffix,
    such as Spark's ``part-00000``)."""
    if f.name.startswith((".", "_")) or not f.is_file():
        return False
    kind = SUFFIXES.get(f.suffix.lower())
    if fmt is None:
        return kind is not None
    return kind in (None, fmt)


def open_source(data: Any, *, fmt: str | None = None) -> DataSource:
    """A :class:`DataSource` for a path (file, folder of partitions, glob), a list of paths,
    or a Hugging Face ``datasets`` object (anything with ``column_names``).

    A folder's data files are those with the format's suffix; with ``fmt`` also those
    without a known suffix (``part-00000``). Hidden files and names starting with ``_``
    (``_SUCCESS``) are never data, nor are the outputs of an earlier scan in a folder the
    scan's output went to (see :func:`skip_scan_outputs`); a file named on its own is
    always read."""
    if isinstance(data, DataSource):
        return data
    if hasattr(data, "column_names") and not isinstance(data, (str, Path)):
        info = getattr(data, "info", None)
        return DataSource(dataset=data, name=str(getattr(info, "dataset_name", None)
                                                 or "dataset"))
    items = [data] if isinstance(data, (str, Path)) else list(data)
    paths: list[str] = []
    given: list[str] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = skip_scan_outputs(sorted(str(f) for f in p.iterdir() if _data_file(f, fmt)))
        elif p.is_file():
            found = [str(p)]
        else:
            found = skip_scan_outputs(sorted(glob.glob(str(item))))
        if not found:
            raise InputError("no data files found", Location(str(item)))
        paths += [os.path.abspath(f) for f in found]  # workers may run elsewhere
        given += found
    fmts = {fmt or SUFFIXES.get(Path(p).suffix.lower()) for p in paths}
    if None in fmts:
        raise InputError(f"cannot tell the format from the file name; pass fmt= one of "
                         f"{', '.join(FORMATS)}", Location(given[0]))
    if len(fmts) > 1:
        raise InputError(f"mixed formats: {', '.join(sorted(fmts))}", Location(given[0]))
    (chosen,) = fmts
    if chosen not in FORMATS:
        raise InputError(f"unknown format {chosen!r}; use one of {', '.join(FORMATS)}")
    return DataSource(paths=tuple(paths), fmt=chosen, given=tuple(given))


def skip_scan_outputs(found: Sequence[str]) -> list[str]:
    """``found`` (the files of a folder or a glob) without the outputs of an earlier scan:
    ``flags.jsonl``, ``rebalanced.jsonl``, ``summary.json`` and ``report.html`` in a folder
    whose ``summary.json`` is a scan summary (``biasaudit scan d --out d`` followed by
    another scan of ``d``), with a warning naming them. Elsewhere the names are data."""
    by_folder: dict[str, list[str]] = {}
    for f in found:
        if os.path.basename(f) in OUTPUT_FILES:
            by_folder.setdefault(os.path.dirname(f), []).append(f)
    skipped: set[str] = set()
    for folder, names in by_folder.items():
        if is_scan_summary(os.path.join(folder, SUMMARY_FILE)):
            skipped.update(names)
            shown = ", ".join(os.path.basename(n) for n in names)
            # (stacklevel 2: always the same place, so shown once though each pass opens
            # the source)
            warnings.warn(f"{folder or '.'}: skipped {shown}: the outputs of an earlier "
                          f"scan (its {SUMMARY_FILE} says so), not data; name a file to "
                          "read it anyway", BiasAuditWarning, stacklevel=2)
    return [f for f in found if f not in skipped]


def is_scan_summary(path: str | Path) -> bool:
    """Whether ``path`` is a ``summary.json`` that :func:`~biasaudit.data.scan_to_dir`
    wrote: a JSON object with the biasaudit version, the config, totals and flags. (A
    JSONL file of that name is read only as far as its first bytes.)"""
    try:
        with open(path, "rb") as f:
            if not re.match(rb'\{\s*"biasaudit"\s*:', f.read(64)):
                return False
            f.seek(0)
            summary = json.loads(f.read())
    except (OSError, ValueError):
        return False
    return (isinstance(summary, dict) and isinstance(summary.get("config"), dict)
            and isinstance(summary.get("totals"), dict) and "flags" in summary)


# -- planning ------------------------------------------------------------------------------

def plan_text_file(path: str, fmt: str, *, chunk_bytes: int = DEFAULT_CHUNK_BYTES,
                   name: str | None = None) -> Iterator[FileChunk]:
    """Split a JSONL/CSV file at record boundaries in one streaming pass.

    JSONL is cut at the last newline of each block. CSV is cut after the first record that
    ends ``chunk_bytes`` or more after the chunk's start, where records end exactly as the
    ``csv`` reader the workers use ends them (a quote opens a quoted field only at the start
    of a field, quoted fields may hold newlines; see :class:`_CsvScanner`). Line numbers are
    counted here, so workers report exact file lines. Memory stays flat: only the current
    block (and the record being read) is held.
    """
    if fmt == "csv":
        yield from _plan_csv(path, chunk_bytes, name)
        return
    with open(path, "rb") as f:
        start, line = 0, 1
        pending = 0  # bytes after ``start`` read so far, all without a newline
        while True:
            block = f.read(chunk_bytes)
            if not block:
                if pending:
                    yield FileChunk(path, fmt, start, start + pending, line, None, name)
                return
            cut = block.rfind(b"\n") + 1
            if not cut:  # a line longer than a block: only its length is kept
                pending += len(block)
                continue
            end = start + pending + cut
            yield FileChunk(path, fmt, start, end, line, None, name)
            line += block.count(b"\n", 0, cut)
            start, pending = end, len(block) - cut


class _CsvFeed:
    """Feeds a ``csv.reader`` the lines of CSV bytes as ``io.StringIO(newline="")`` splits
    them (at ``\\n``, ``\\r`` and ``\\r\\n``), counting the line breaks. The reader asks
    for a line only when it needs one, so after each record (and :meth:`end_record`) the
    count says exactly which line it ended on.

    Line breaks are ``\\n``, and a lone ``\\r`` that ends a record (old Mac files); a ``\\r``
    inside a quoted field does not start a new line. ``dirty`` says whether the current
    record had bytes that are not UTF-8 (decoded with ``surrogateescape``).
    """

    __slots__ = ("breaks", "dirty", "lone_cr")

    def __init__(self, breaks: int = 0) -> None:
        self.breaks = breaks
        self.lone_cr = False
        self.dirty = False

    def lines(self, raw_lines: Iterable[bytes], *, bom: bool = False) -> Iterator[str]:
        for raw in raw_lines:
            for part in raw.splitlines(keepends=True) if b"\r" in raw else (raw,):
                if part.endswith(b"\n"):
                    self.breaks += 1
                    self.lone_cr = False
                else:
                    self.lone_cr = part.endswith(b"\r")
                if bom:
                    bom = False
                    if part.startswith(BOM):
                        part = part[len(BOM):]
                try:
                    yield part.decode("utf-8")
                except UnicodeDecodeError:
                    self.dirty = True
                    yield part.decode("utf-8", "surrogateescape")

    def end_record(self) -> None:
        """Call after each record (or csv error): a lone ``\\r`` that ended it is a line break."""
        if self.lone_cr:
            self.breaks += 1
            self.lone_cr = False


def _csv_reader(lines: Iterable[str]) -> Any:
    return csv.reader(lines, strict=True)


# How csv (the default dialect, strict) ends records, as regular expressions over bytes.
# Unquoted text: a '"' is literal unless it starts a field (after ',', a line break or at
# the start of the record), where it opens a quoted field; a quoted field holds '""' and
# must be followed by ',' or a line break (anything else is a csv error).
_RUN = rb'[^"\r\n]*+(?:(?<=[^,\r\n])"[^"\r\n]*+)*+'
_QUOTED_1 = rb'"[^"\r\n]*+(?:""[^"\r\n]*+)*+"(?=[,\r\n])'  # on one line
_QUOTED = rb'"[^"]*+(?:""[^"]*+)*+"'  # may hold line breaks
_END = rb"(?:\r\n|\n|\r)"
# Many one-line records at once: runs of lines without a quote, and lines whose quoted
# fields all close on the line. A one-line record ends at its line's end whatever csv
# makes of it (even a field over csv's size limit only loses the rest of the line).
_CSV_LINES = re.compile(rb"(?:[^\"]*[\r\n]|%s(?:%s%s)*+%s)*+" % (_RUN, _QUOTED_1, _RUN, _END))
# One record whose quoted fields may hold line breaks; at the end of the file also one
# that ends there.
_CSV_RECORD = re.compile(rb"%s(?:%s(?=[,\r\n])%s)*+%s" % (_RUN, _QUOTED, _RUN, _END))
_CSV_LAST = re.compile(rb"%s(?:%s(?=[,\r\n]|\Z)%s)*+(?:%s|\Z)" % (_RUN, _QUOTED, _RUN, _END))
_LINE_BREAK = re.compile(rb"\r\n?|\n")
_SCAN_BLOCK = 1 << 20  # bytes read, and matched by one call, at a time
_CSV_RUN = 64  # records read by csv itself after one the expressions cannot place


class _CsvScanner:
    """Finds where the records of a CSV file end, exactly as one ``csv.reader(strict=True)``
    pass over its lines (split at ``\\n``, ``\\r\\n`` and ``\\r``) ends them, without
    parsing each record in Python: the expressions above place most records, a block at a
    time; a record they cannot place (a csv error, a record with a line break in a quoted
    field and more bytes than csv's field size limit) and the few after it are read by
    ``csv`` itself, which starts each record afresh, so its answer is the one pass's.

    The file is read in blocks; only the bytes from the current record on are kept.
    """

    def __init__(self, f: Any) -> None:
        self.f = f
        self.base = 0  # file offset of buf[0]
        self.buf = bytearray()
        self.eof = False
        self.at = 0  # end of the last line handed out by lines()
        self.limit = csv.field_size_limit()

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def fill(self, upto: int) -> None:
        while self.end < upto and not self.eof:
            data = self.f.read(max(_SCAN_BLOCK, upto - self.end))
            if data:
                self.buf += data
            else:
                self.eof = True

    def lines(self, pos: int) -> Iterator[bytes]:
        """The lines from offset ``pos`` (a line start) as csv gets them; ``at`` is the end
        of the last one handed out."""
        i = k = pos - self.base  # the line's start; where to look for its end
        while True:
            buf = self.buf
            m = _LINE_BREAK.search(buf, k)
            if m is None or (m.end() == len(buf) and buf[-1] == 13 and not self.eof):
                if not self.eof:  # (a \r at the end may be half of a \r\n)
                    k = len(buf) if m is None else m.start()
                    self.fill(self.end + 1)
                    continue
                if i < len(buf):
                    self.at = self.end
                    yield bytes(buf[i:])
                return
            j = m.end()
            self.at = self.base + j
            yield bytes(buf[i:j])
            i = k = j

    def cut(self, start: int, target: int) -> tuple[int, int]:
        """The end of the first record from ``start`` (a record start) that ends at or after
        ``target``, or the end of the file, and the line breaks before it: every ``\n`` and
        each lone ``\r`` that ends a record (see :class:`_CsvFeed`)."""
        pos, breaks = start, 0
        while pos < target:
            if pos > self.base:
                del self.buf[:pos - self.base]
                self.base = pos
            stop = min(target, pos + _SCAN_BLOCK)
            self.fill(stop + 1)
            if pos >= self.end:
                break
            buf = self.buf
            j = min(stop, self.end) - self.base
            if j < len(buf) and buf[j - 1] == 13 and buf[j] == 10:
                j += 1  # (never cut a \r\n in two)
            e = _CSV_LINES.match(buf, 0, j).end()
            if e:
                lone_cr = buf.count(b"\r", 0, e)  # (each \r here ends a record)
                if lone_cr:
                    lone_cr -= buf.count(b"\r\n", 0, e)
                breaks += buf.count(b"\n", 0, e) + lone_cr
                pos += e
            else:
                pos, n = self._record(pos, target)
                breaks += n
        return pos, breaks

    def _record(self, pos: int, target: int) -> tuple[int, int]:
        """Past one record at ``pos`` that :data:`_CSV_LINES` does not match."""
        self.fill(pos + self.limit + 2)
        buf, i = self.buf, pos - self.base
        if self.eof:
            m = _CSV_LAST.match(buf, i)
        else:
            m = _CSV_RECORD.match(buf, i, len(buf) - (buf[-1] == 13))
        if m and m.end() - i <= self.limit:  # (so no field is over the limit)
            e = m.end()
            return self.base + e, buf.count(b"\n", i, e) + (buf[e - 1] == 13)
        return self._csv_records(pos, target)

    def _csv_records(self, pos: int, target: int) -> tuple[int, int]:
        """Past the records from ``pos`` that csv reads, up to ``_CSV_RUN`` of them or the
        first that ends at or after ``target``."""
        reader = _csv_reader(line.decode("utf-8", "surrogateescape")
                             for line in self.lines(pos))
        end, lone_cr = pos, 0
        for _ in range(_CSV_RUN):
            try:
                next(reader)
            except StopIteration:
                break
            except csv.Error:
                pass  # the reader goes on at the next line, as the worker's will
            end = self.at
            lone_cr += self.buf[end - 1 - self.base] == 13
            if end >= target:
                break
        return end, self.buf.count(b"\n", pos - self.base, end - self.base) + lone_cr


def _plan_csv(path: str, chunk_bytes: int, name: str | None) -> Iterator[FileChunk]:
    with open(path, "rb") as f:
        scan = _CsvScanner(f)
        feed = _CsvFeed()  # (decodes and strips the BOM as the workers' reader does)
        reader = _csv_reader(feed.lines(scan.lines(0), bom=True))
        try:
            row = next(reader)
        except StopIteration:
            raise InputError("cannot read the CSV header: the file is empty",
                             Location(path, 1)) from None
        except csv.Error as exc:
            raise InputError(f"cannot read the CSV header: {exc}", Location(path, 1)) from None
        if feed.dirty:
            raise InputError("cannot read the CSV header: not valid UTF-8", Location(path, 1))
        header = tuple(row)
        feed.end_record()
        start, line = scan.at, 1 + feed.breaks  # (the feed counted the header's lines)
        while True:
            end, breaks = scan.cut(start, start + max(chunk_bytes, 1))
            if end <= start:
                return
            yield FileChunk(path, "csv", start, end, line, header, name)
            start, line = end, line + breaks


def _parquet_file(path: str) -> Any:
    """``pyarrow.parquet.ParquetFile(path)``; a file pyarrow cannot read is an InputError."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"cannot read the Parquet file: {exc}", Location(path)) from None


def _parquet_chunks(path: str, name: str | None = None) -> Iterator[ParquetChunk]:
    meta = _parquet_file(path).metadata
    line = 1
    for i in range(meta.num_row_groups):
        yield ParquetChunk(path, i, line, name)
        line += meta.row_group(i).num_rows


def _dataset_len(ds: Any) -> int | None:
    try:
        return len(ds)
    except TypeError:
        return None


def _dataset_chunks(ds: Any, name: str, fields: Fields, chunk_rows: int) -> Iterator[RowsChunk]:
    """Batches of a ``datasets.Dataset`` (by slicing) or ``IterableDataset`` (``.iter``)."""
    line = 1
    n = _dataset_len(ds)
    if n is not None and hasattr(ds, "__getitem__"):
        for lo in range(0, n, chunk_rows):
            batch = ds[lo : min(n, lo + chunk_rows)]
            yield RowsChunk(name, dict(batch), line)
            line += min(n, lo + chunk_rows) - lo
        return
    if hasattr(ds, "iter"):
        for batch in ds.iter(batch_size=chunk_rows):
            columns = dict(batch)
            yield RowsChunk(name, columns, line)
            line += len(next(iter(columns.values()), ()))
        return
    raise InputError(f"cannot read {type(ds).__name__}: expected a datasets Dataset "
                     "(len + slicing) or IterableDataset (.iter)")


# -- reading ---------------------------------------------------------------------------------

def read_chunk(chunk: Chunk, fields: Fields, *, keep_record: bool = False,
               label_required: bool = False) -> Iterator[Example | BadRecord]:
    """The chunk's records in order, each a valid :class:`Example` or a :class:`BadRecord`
    (with ``label_required``, strict mode, a missing label is a bad record: see
    :func:`validate`)."""
    if isinstance(chunk, FileChunk) and chunk.fmt == "jsonl":  # (the common case, in one loop)
        return _jsonl_records(chunk, fields, keep_record, label_required)
    return _records(chunk, fields, keep_record, label_required)


def _records(chunk: Chunk, fields: Fields, keep_record: bool, label_required: bool
             ) -> Iterator[Example | BadRecord]:
    if isinstance(chunk, FileChunk):
        raw = _raw_csv(chunk)
    elif isinstance(chunk, ParquetChunk):
        raw = _raw_parquet(chunk, fields, keep_record)
    else:
        raw = _raw_rows(chunk.columns, chunk.first_line)
    source = ident = short_name(chunk)
    check = _validate
    # CSV has no null: an empty label, id or metadata cell is a missing value
    empty = isinstance(chunk, FileChunk) and chunk.fmt == "csv"
    for line, rec in raw:
        if isinstance(rec, BadRecord):
            yield rec
        else:
            yield check(rec, fields, source, ident, line, keep_record, empty, label_required)


def validate(rec: Any, fields: Fields, *, source: str, ident: str, line: int,
             keep_record: bool = False, empty_is_missing: bool = False,
             label_required: bool = False) -> Example | BadRecord:
    """Check one parsed record's fields and types. With ``empty_is_missing`` (CSV, which
    cannot write null) an empty label, id or metadata value counts as missing. A missing
    label is not a bad record: the example comes back with ``label=None`` (unlabelled);
    with ``label_required`` (strict mode: ``--strict`` promises a complete corpus) it is
    one, a ``missing_field`` of the label field, found after the text and id checks."""
    return _validate(rec, fields, source, ident, line, keep_record, empty_is_missing,
                     label_required)


def _validate(rec: Any, fields: Fields, source: str, ident: str, line: int,
              keep_record: bool, empty_is_missing: bool = False,
              label_required: bool = False) -> Example | BadRecord:
    """:func:`validate` with positional arguments (called once per record)."""
    if not isinstance(rec, dict):
        return BadRecord("not_an_object", source, line, None,
                         f"expected a JSON object, got {type(rec).__name__}")
    text = rec.get(fields.text)
    if text is None:
        return BadRecord("missing_field", source, line, fields.text, "text field is missing")
    if not isinstance(text, str):
        return BadRecord("wrong_type", source, line, fields.text,
                         f"text must be a string, got {type(text).__name__}")
    label = None
    if fields.label:
        value = rec.get(fields.label)
        if isinstance(value, float):  # a pandas label column with a null in it is float
            value = _float_label(value)
        if value is None or (empty_is_missing and value == ""):
            pass  # unlabelled: kept for representation, left out of the label statistics
        elif not isinstance(value, LABEL_TYPES):
            return BadRecord("wrong_type", source, line, fields.label,
                             f"label must be a string, integer or boolean, got "
                             f"{type(value).__name__} {value!r}")
        else:
            label = str(value)
    if fields.id:
        value = rec.get(fields.id)
        if value is None or (empty_is_missing and value == ""):
            return BadRecord("missing_field", source, line, fields.id, "id is missing")
        ex_id = str(value)
    else:
        ex_id = f"{ident}:{line}"
    if label_required and label is None and fields.label:
        return BadRecord("missing_field", source, line, fields.label, "label is missing")
    # (most metadata values are strings already)
    meta = tuple([v if type(v) is str and (v or not empty_is_missing) else _meta_value(v)
                  for v in map(rec.get, fields.meta)])
    return Example(source, line, ex_id, text, label, meta, rec if keep_record else None)


def _float_label(value: float) -> int | float | None:
    """A float label as the label it stands for: 1.0 is the label 1 (so JSON ``1.0``, a
    pandas float column and ``1`` agree), NaN is missing; any other float is left as it is
    (and is the wrong type: a label is a class, not a measurement)."""
    if math.isnan(value):
        return None
    return int(value) if value.is_integer() else value


def _meta_value(value: Any) -> str:
    if value is None or value == "":
        return "(missing)"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _read_range(chunk: FileChunk) -> bytes:
    with open(chunk.path, "rb") as f:
        f.seek(chunk.start)
        return f.read(chunk.end - chunk.start)


def _jsonl_records(chunk: FileChunk, fields: Fields, keep_record: bool, label_required: bool
                   ) -> Iterator[Example | BadRecord]:
    """:func:`read_chunk` for a JSONL chunk: each line parsed and validated."""
    data = _read_range(chunk)
    if chunk.start == 0 and data.startswith(BOM):  # a UTF-8 byte order mark, as CSV allows
        data = data[len(BOM):]
    try:
        lines: list[Any] = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    source = ident = short_name(chunk)
    loads = _loads
    check = _validate
    line = chunk.first_line
    for raw in lines:
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield BadRecord("invalid_utf8", source, line, None, not_utf8(raw, exc)[1])
                line += 1
                continue
        if not raw or raw.isspace():
            yield BadRecord("unparsable", source, line, None, "blank line")
        else:
            try:
                rec = loads(raw)
            except ValueError as exc:
                yield BadRecord("unparsable", source, line, None, f"bad JSON: {exc}")
            else:
                yield check(rec, fields, source, ident, line, keep_record, False, label_required)
        line += 1


_SCAN_ONCE = json.JSONDecoder().scan_once


def _loads(line: str) -> Any:
    """``json.loads`` for one line, skipping its Python wrappers on the common path."""
    try:
        value, end = _SCAN_ONCE(line, 0)
    except StopIteration:
        return json.loads(line)  # leading whitespace or bad JSON: the full parser decides
    if end != len(line) and line[end:].strip(" \t\n\r"):
        return json.loads(line)  # trailing data: raises with json's own message
    return value


def _raw_csv(chunk: FileChunk) -> Iterator[tuple[int, Any]]:
    """The rows of a CSV chunk, each at the line it starts on (see :class:`_CsvFeed`)."""
    data = _read_range(chunk)
    if data.count(b"\r") == data.count(b"\r\n"):  # no lone \r: the common case
        yield from _raw_csv_lf(chunk, data)
        return
    header = chunk.header or ()
    feed = _CsvFeed(chunk.first_line - 1)
    reader = _csv_reader(feed.lines(data.splitlines(keepends=True)))
    path = short_name(chunk)  # where bad records are reported
    while True:
        line = feed.breaks + 1
        feed.dirty = False
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            feed.end_record()
            yield line, BadRecord("unparsable", path, line, None, f"bad CSV: {exc}")
            continue
        feed.end_record()
        yield line, _csv_row(row, header, feed.dirty, path, line)


def _raw_csv_lf(chunk: FileChunk, data: bytes) -> Iterator[tuple[int, Any]]:
    """:func:`_raw_csv` for a chunk without a lone ``\\r`` (faster): every line ends with
    ``\\n`` or ``\\r\\n``, so the reader's ``line_num`` counts the lines."""
    try:
        text = data.decode("utf-8")
        clean = True
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="surrogateescape")
        clean = False
    header = chunk.header or ()
    reader = _csv_reader(io.StringIO(text, newline=""))
    path = short_name(chunk)  # where bad records are reported
    base = chunk.first_line
    done = 0  # lines consumed so far
    while True:
        line = base + done
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            done = reader.line_num
            yield line, BadRecord("unparsable", path, line, None, f"bad CSV: {exc}")
            continue
        done = reader.line_num
        yield line, _csv_row(row, header, not clean and any(map(_has_surrogate, row)), path,
                             line)


def _csv_row(row: list[str], header: tuple[str, ...], dirty: bool, path: str, line: int
             ) -> Any:
    """A CSV row as a record, or why it is bad: bytes that are not UTF-8 (``dirty``), a
    blank line, or not as many columns as the header."""
    if dirty:
        return BadRecord("invalid_utf8", path, line, None, "invalid UTF-8")
    if not row:
        return BadRecord("unparsable", path, line, None, "blank line")
    if len(row) != len(header):
        return BadRecord("unparsable", path, line, None,
                         f"{len(row)} columns, the header has {len(header)}")
    return dict(zip(header, row))


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _raw_parquet(chunk: ParquetChunk, fields: Fields, keep_record: bool
                 ) -> Iterator[tuple[int, Any]]:
    import pyarrow as pa

    pf = _parquet_file(chunk.path)
    names = pf.schema_arrow.names
    columns = None if keep_record else [c for c in fields.needed if c in names]
    try:
        table = pf.read_row_group(chunk.row_group, columns=columns)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"cannot read row group {chunk.row_group} of the Parquet file: {exc}",
                         Location(chunk.path, chunk.first_line)) from None
    # (the row count comes with the table even when none of the fields is a column)
    yield from _raw_rows(table.to_pydict(), chunk.first_line, table.num_rows)


def _raw_rows(columns: Mapping[str, Sequence[Any]], first_line: int, n: int | None = None
              ) -> Iterator[tuple[int, Any]]:
    names = list(columns)
    if n is None:
        n = len(columns[names[0]]) if names else 0
    cols = [columns[k] for k in names]
    for i, values in enumerate(zip(*cols) if cols else ((),) * n):
        yield first_line + i, dict(zip(names, values))
