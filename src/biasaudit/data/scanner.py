"""The scan and rebalance entry points: pass 1 counts (map + reduce), analysis, then an
optional pass 2 that writes per-example flags and a rebalanced dataset."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .._staging import staged_outputs
from ..errors import InputError
from .analysis import ScanResult, ScanThresholds, analyze
from .counts import ChunkCounts, ScanSpec, engines_for, scan_chunk, sum_counts
from .rebalance import METHODS, ChunkOutput, RebalancePlan, flag_chunk, weight_field_clash
from .runners import LocalRunner, Runner
from .sources import (
    DATASET_FILE,
    DEFAULT_CHUNK_BYTES,
    DEFAULT_CHUNK_ROWS,
    FLAGS_FILE,
    REPORT_FILE,
    SUMMARY_FILE,
    DataSource,
    Fields,
    open_source,
)

DEFAULT_THRESHOLDS = ScanThresholds()


@dataclass(frozen=True)
class ScanConfig:
    """What to scan: language, axes and the fields of each record."""

    lang: str
    text_field: str = "text"
    axes: tuple[str, ...] = ("gender",)
    label_field: str | None = None
    meta_fields: tuple[str, ...] = ()
    id_field: str | None = None
    lexicon_paths: tuple[str, ...] = ()
    occupations: tuple[str, ...] | None = None
    strict: bool = False
    max_bad_lines: int = 20
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    fmt: str | None = None

    @property
    def fields(self) -> Fields:
        """The record fields to read: text, label, metadata and id."""
        return Fields(self.text_field, self.label_field, tuple(self.meta_fields), self.id_field)

    def spec(self) -> ScanSpec:
        """The picklable part the workers need; lexicon paths are made absolute here, on the
        driver, since workers may run in another folder (as data paths are)."""
        return ScanSpec(lang=self.lang, fields=self.fields, axes=tuple(self.axes),
                        lexicon_paths=tuple(os.path.abspath(p) for p in self.lexicon_paths),
                        occupations=None if self.occupations is None else tuple(self.occupations),
                        strict=self.strict, max_bad_lines=self.max_bad_lines)


@dataclass(frozen=True)
class RebalanceReport:
    """What the second pass did: flagged examples, variants written, unsafe ones skipped."""

    counts: dict[str, int]
    flags_path: Path | None
    dataset_path: Path | None
    effective_n: float | None = None


def scan(data: Any, config: ScanConfig, *, thresholds: ScanThresholds = DEFAULT_THRESHOLDS,
         runner: Runner | None = None) -> ScanResult:
    """Scan a corpus (path, folder, glob, list of paths or ``datasets`` object).

    Raises InputError on the first bad record in strict mode; otherwise bad records are
    counted in ``result.counts.bad`` with their first line numbers. With a label field,
    an example whose label is missing is kept for representation and occupations, left
    out of the label statistics, and counted in ``result.counts.unlabelled`` (in strict
    mode it is an error, as a bad record is).
    """
    thresholds.check()  # (before reading, not after)
    source = open_source(data, fmt=config.fmt)
    spec = config.spec()
    engines = engines_for(spec.lang, spec.axes, spec.lexicon_paths)  # fail fast on a bad lang
    with _named_as_given(source):
        counts = sum_counts(_checked(_map(source, config, runner or LocalRunner(), scan_chunk,
                                          "scanning", spec=spec), source),
                            max_bad_lines=config.max_bad_lines)
    return analyze(counts, axes=spec.axes, groups={e.axis: e.groups for e in engines},
                   thresholds=thresholds)


def plan_for(result: ScanResult, config: ScanConfig, *, method: str | None = None,
             seed: int = 0, substitute_rate: float | None = None, weight_field: str = "weight"
             ) -> RebalancePlan:
    """The second-pass plan from a scan result (``weight_field``: where ``reweigh``
    writes each example's weight, not a field the config reads nor ``example_id``; a
    record that has that field already is an error, as is one that has any other field
    the method writes: ``example_id`` unless it is the id field, and under ``augment``
    and ``substitute`` the ``counterfactual_*`` fields;
    ``substitute_rate``: the CDS replacement probability, None for the rate that balances
    each axis, 1/2 for a pairwise swap and (k-1)/k on an axis of k groups)."""
    if method is not None and method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if substitute_rate is not None and not 0.0 <= substitute_rate <= 1.0:
        raise ValueError(f"substitute_rate must be in [0, 1], not {substitute_rate!r}")
    if method == "reweigh":
        check_weight_field(config.fields, weight_field)
    return RebalancePlan(
        spec=config.spec(),
        term_label=frozenset(result.flagged("term_label")),
        group_label=frozenset(result.flagged("group_label")),
        term_occupation=frozenset(result.flagged("term_occupation")),
        group_occupation=frozenset(result.flagged("group_occupation")),
        weights=dict(result.weights.cells), method=method, seed=seed,
        substitute_rate=substitute_rate, weight_field=weight_field,
    )


def check_weight_field(fields: Fields, weight_field: str) -> None:
    """Raise ValueError when ``weight_field`` cannot hold the weights (see
    :func:`~biasaudit.data.rebalance.weight_field_clash`)."""
    why = weight_field_clash(fields, weight_field)
    if why is not None:
        raise ValueError(f"weight_field {weight_field!r} {why}; name another field")


def flag_examples(data: Any, result: ScanResult, config: ScanConfig, *,
                  runner: Runner | None = None, method: str | None = None, seed: int = 0,
                  substitute_rate: float | None = None, weight_field: str = "weight"
                  ) -> Iterator[ChunkOutput]:
    """Stream the second pass chunk by chunk (flags, rebalanced records, counters)."""
    source = open_source(data, fmt=config.fmt)
    plan = plan_for(result, config, method=method, seed=seed, substitute_rate=substitute_rate,
                    weight_field=weight_field)
    with _named_as_given(source):
        yield from _checked(_map(source, config, runner or LocalRunner(), flag_chunk,
                                 "flagging", plan=plan), source)


def write_flags(data: Any, result: ScanResult, config: ScanConfig, out_dir: str | Path, *,
                runner: Runner | None = None, method: str | None = None, seed: int = 0,
                substitute_rate: float | None = None, weight_field: str = "weight"
                ) -> RebalanceReport:
    """Write ``flags.jsonl`` (and ``rebalanced.jsonl`` when ``method`` is given) to ``out_dir``;
    ``reweigh`` writes each example's weight to ``weight_field`` (1 for an unlabelled
    example). The report's ``effective_n`` is the Kish effective size of the labelled
    examples' weights, the ones Kamiran–Calders computed.

    The files are written into a scratch folder in ``out_dir`` and moved into place only
    when the pass is complete (see :func:`staged_outputs`): an error or an interrupt
    leaves the previous files as they were."""
    out = Path(out_dir)
    with staged_outputs(out, last=SUMMARY_FILE) as scratch:
        return _write_pass2(data, result, config, scratch, out, runner=runner, method=method,
                            seed=seed, substitute_rate=substitute_rate,
                            weight_field=weight_field)


def _write_pass2(data: Any, result: ScanResult, config: ScanConfig, folder: Path, final: Path,
                 *, runner: Runner | None, method: str | None, seed: int,
                 substitute_rate: float | None, weight_field: str) -> RebalanceReport:
    """:func:`write_flags` into ``folder``; the report names the files as they will be
    called in ``final``, once moved there."""
    totals: Counter = Counter()
    sw = sw2 = 0.0
    with open(folder / FLAGS_FILE, "w", encoding="utf-8") as ff, \
            (open(folder / DATASET_FILE, "w", encoding="utf-8") if method else _Null()) as df:
        for part in flag_examples(data, result, config, runner=runner, method=method,
                                  seed=seed, substitute_rate=substitute_rate,
                                  weight_field=weight_field):
            totals.update(part.counts)
            for row in part.flags:
                ff.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            for rec in part.records:
                df.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            sw += part.weight_sum
            sw2 += part.weight_sq_sum
    totals["records_written"] = totals["examples"] + totals["augmented"] if method else 0
    ess = sw * sw / sw2 if method == "reweigh" and sw2 else None
    return RebalanceReport(dict(totals), final / FLAGS_FILE,
                           final / DATASET_FILE if method else None, ess)


class _Null:
    def __enter__(self) -> _Null:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, _: str) -> None:
        return None


def _map(source: DataSource, config: ScanConfig, runner: Runner, fn: Any, label: str,
         **kwargs: Any) -> Iterator[Any]:
    total = source.count_chunks(chunk_bytes=config.chunk_bytes, chunk_rows=config.chunk_rows)
    chunks = source.chunks(config.fields, chunk_bytes=config.chunk_bytes,
                           chunk_rows=config.chunk_rows)
    return runner.map(fn, chunks, total=total, label=label, **kwargs)


def _checked(parts: Iterator[ChunkCounts | ChunkOutput], source: DataSource
             ) -> Iterator[Any]:
    """Raise the strict-mode error of the first chunk (in corpus order) that has one, naming
    the file as the caller named it."""
    for part in parts:
        if part.error is not None:
            close = getattr(parts, "close", None)
            if close is not None:
                close()
            raise part.error.error(source.as_given(part.error.source))
        yield part


@contextmanager
def _named_as_given(source: DataSource) -> Iterator[None]:
    """Errors about an input file (a CSV header, a Parquet file that cannot be read), raised
    where files are known by their absolute paths, name the file as the caller named it."""
    try:
        yield
    except InputError as exc:
        where = exc.location
        given = source.as_given(where.path)
        if where.path is None or given == where.path:
            raise
        raise type(exc)(exc.message, replace(where, path=given)) from None


def timed_scan(data: Any, config: ScanConfig, *, thresholds: ScanThresholds = DEFAULT_THRESHOLDS,
               runner: Runner | None = None) -> tuple[ScanResult, float]:
    """:func:`scan` and its wall time in seconds."""
    t0 = time.perf_counter()
    result = scan(data, config, thresholds=thresholds, runner=runner)
    return result, time.perf_counter() - t0


def scan_to_dir(data: Any, config: ScanConfig, out_dir: str | Path, *,
                thresholds: ScanThresholds = DEFAULT_THRESHOLDS, runner: Runner | None = None,
                method: str | None = None, seed: int = 0, substitute_rate: float | None = None,
                html: bool = True, weight_field: str = "weight") -> dict[str, Any]:
    """Scan, then write ``flags.jsonl``, ``summary.json``, ``report.html`` (and
    ``rebalanced.jsonl`` for a ``method``) to ``out_dir``; returns the summary.

    The files replace those of an earlier run only once all of them are written (see
    :func:`staged_outputs`), so a run that fails or is interrupted leaves the folder as it
    was. A file of the outputs that this run does not write (``rebalanced.jsonl`` after a
    ``scan``, ``report.html`` with ``html=False``) is left as it is."""
    from .report import summary_dict, write_html

    if method == "reweigh":
        check_weight_field(config.fields, weight_field)  # (before the scan, not after)
    out = Path(out_dir)
    result, seconds = timed_scan(data, config, thresholds=thresholds, runner=runner)
    with staged_outputs(out, last=SUMMARY_FILE) as scratch:  # all of them, or none
        report = _write_pass2(data, result, config, scratch, out, runner=runner,
                              method=method, seed=seed, substitute_rate=substitute_rate,
                              weight_field=weight_field)
        summary = summary_dict(result, config, report=report, method=method,
                               seconds=seconds, source=open_source(data, fmt=config.fmt))
        (scratch / SUMMARY_FILE).write_text(
            json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n",
            encoding="utf-8")
        if html:
            write_html(summary, result, scratch / REPORT_FILE)
    return summary
