"""``biasaudit scan`` and ``biasaudit rebalance``: the training-data scanner on the command line.

Exit codes: 0 done, 1 ``--fail-on-flags`` and something was flagged, 2 usage or input error,
130 interrupted (Ctrl-C), 141 standard output closed (``| head``; the outputs are written
before anything is printed). The outputs replace an earlier run's in ``--out`` only when
all of them are written: a failed or interrupted run leaves the folder as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..errors import BiasAuditError
from ._console import err, fail, out

DataArg = Annotated[str, typer.Argument(
    help="JSONL, CSV or Parquet file, a folder of partitions, or a glob (quote it).")]
LangOpt = Annotated[str, typer.Option("--lang", "-l", help="Language code: en, pl, vi, nb, nn.")]
AxisOpt = Annotated[list[str] | None, typer.Option(
    "--axis", "-a", help="Identity axis (repeatable; default gender).")]
TextOpt = Annotated[str, typer.Option("--text-field", help="Field holding the text.")]
LabelOpt = Annotated[str | None, typer.Option("--label-field", help="Field holding the label.")]
MetaOpt = Annotated[list[str] | None, typer.Option(
    "--meta-field", help="Metadata field to break representation down by (repeatable).")]
IdOpt = Annotated[str | None, typer.Option(
    "--id-field", help="Field with the example id (default: FILE:LINE).")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
EngineOpt = Annotated[str, typer.Option("--engine", help="local or dask.")]
SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", help="Dask scheduler address (default: a local in-process cluster).")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-j", min=1,
                                         help="Local worker processes (1: in this process).")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on the first bad record.")]
FormatOpt = Annotated[str | None, typer.Option(
    "--format", help="jsonl, csv or parquet (default: from the file suffix).")]
MinCountOpt = Annotated[int, typer.Option("--min-count", min=1,
                                          help="Fewest examples to flag.")]
AlphaOpt = Annotated[float, typer.Option("--alpha", help="Benjamini–Hochberg level.")]
LogOddsOpt = Annotated[float, typer.Option("--min-log-odds", help="Smallest flagged effect.")]
LexiconOpt = Annotated[list[Path] | None, typer.Option(
    "--lexicon", help="Extra lexicon file or folder (repeatable).")]


def _run(data: str, *, lang: str, axis: list[str] | None, text_field: str,
         label_field: str | None, meta_field: list[str] | None, id_field: str | None,
         out_dir: Path, engine: str, scheduler: str | None, workers: int, strict: bool,
         fmt: str | None, min_count: int, alpha: float, min_log_odds: float,
         lexicon: list[Path] | None, method: str | None, seed: int = 0,
         max_weight: float = 10.0, weight_field: str = "weight") -> dict[str, Any]:
    from ..data import DaskRunner, LocalRunner, ScanConfig, ScanThresholds, scan_to_dir
    from ..data.rebalance import weight_field_clash

    if engine not in ("local", "dask"):
        raise fail(f"--engine must be local or dask, not {engine!r}")
    if scheduler and engine != "dask":
        raise fail("--scheduler needs --engine dask")
    config = ScanConfig(lang=lang, text_field=text_field, axes=tuple(axis or ["gender"]),
                        label_field=label_field, meta_fields=tuple(meta_field or ()),
                        id_field=id_field, lexicon_paths=tuple(str(p) for p in lexicon or ()),
                        strict=strict, fmt=fmt)
    why = weight_field_clash(config.fields, weight_field) if method == "reweigh" else None
    if why is not None:
        raise fail(f"--weight-field {weight_field!r} {why}; name another field")
    if out_dir.exists() and not out_dir.is_dir():
        raise fail(f"--out {out_dir} exists and is not a folder")
    thresholds = ScanThresholds(min_count=min_count, alpha=alpha, min_log_odds=min_log_odds,
                                max_weight=max_weight)
    client = None
    try:
        if engine == "dask":  # one client for both passes
            client = DaskRunner(scheduler=scheduler).connect()
            runner: Any = DaskRunner(client=client)
        else:
            runner = LocalRunner(workers)
        return scan_to_dir(data, config, out_dir, thresholds=thresholds, runner=runner,
                           method=method, seed=seed, weight_field=weight_field)
    except (BiasAuditError, OSError) as exc:
        raise fail(str(exc)) from None
    finally:
        if client is not None:
            client.close()


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C anywhere in a command: "interrupted" on stderr and exit 130. The outputs of an
    earlier run in --out are left as they were (they are replaced only when all the new
    ones are written)."""
    try:
        yield
    except KeyboardInterrupt:
        err.print("interrupted", highlight=False)
        raise typer.Exit(130) from None


def _report(summary: dict[str, Any], out_dir: Path) -> None:
    t = summary["totals"]
    flags = summary["flags"]
    unlabelled = f" ({t['unlabelled']} without a label)" if t.get("unlabelled") else ""
    out.print(f"{t['examples']} examples{unlabelled}, {t['bad_records']} bad record(s), "
              f"{len(flags)} flagged association(s)", highlight=False)
    for f in flags[:20]:
        out.print(escape(f"  {f['axis']}: {f['kind']} {f['subject']!r} → {f['target']!r} "
                         f"(log-odds {f['log_odds']:.2f}, q={f['q']:.2g}, n={f['a'] + f['b']})"),
                  highlight=False)
    rb = summary.get("rebalance") or {}
    if rb.get("counts"):
        c = rb["counts"]
        out.print(f"{c.get('flagged', 0)} example(s) flagged; "
                  f"{c.get('unsafe_skipped', 0)} unsafe counterfactual(s) skipped",
                  highlight=False)
        if c.get("unbalanced"):  # augment / substitute: what they could not balance
            out.print(f"{c['unbalanced']} example(s) left unbalanced (no safe "
                      "counterfactual): rebalanced.jsonl keeps their skew", highlight=False)
    out.print(escape(f"wrote {out_dir}/flags.jsonl, summary.json, report.html"), highlight=False)


def scan(
    data: DataArg,
    out_dir: OutOpt,
    lang: LangOpt = "en",
    axis: AxisOpt = None,
    text_field: TextOpt = "text",
    label_field: LabelOpt = None,
    meta_field: MetaOpt = None,
    id_field: IdOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = 1,
    strict: StrictOpt = False,
    fmt: FormatOpt = None,
    min_count: MinCountOpt = 30,
    alpha: AlphaOpt = 0.05,
    min_log_odds: LogOddsOpt = 0.5,
    fail_on_flags: Annotated[bool, typer.Option(
        "--fail-on-flags", help="Exit 1 when any association is flagged (for CI).")] = False,
    lexicon: LexiconOpt = None,
) -> None:
    """Scan training data for identity representation and group × label / occupation skews.

    Writes flags.jsonl (one row per flagged example), summary.json and report.html to --out.
    """
    with _interruptible():
        summary = _run(data, lang=lang, axis=axis, text_field=text_field,
                       label_field=label_field, meta_field=meta_field, id_field=id_field,
                       out_dir=out_dir, engine=engine, scheduler=scheduler, workers=workers,
                       strict=strict, fmt=fmt, min_count=min_count, alpha=alpha,
                       min_log_odds=min_log_odds, lexicon=lexicon, method=None)
        _report(summary, out_dir)
    if fail_on_flags and summary["flags"]:
        raise typer.Exit(1)


def rebalance(
    data: DataArg,
    out_dir: OutOpt,
    method: Annotated[str, typer.Option(
        "--method", help="reweigh (a Kamiran-Calders weight per example), augment (add "
        "the counterfactual of every example that mentions a flagged axis: two-sided CDA) "
        "or substitute (replace each such example by a counterfactual with probability "
        "1/2, or (k-1)/k on an axis of k groups without pairwise swaps: CDS).")] = "reweigh",
    lang: LangOpt = "en",
    axis: AxisOpt = None,
    text_field: TextOpt = "text",
    label_field: LabelOpt = None,
    meta_field: MetaOpt = None,
    id_field: IdOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = 1,
    strict: StrictOpt = False,
    fmt: FormatOpt = None,
    min_count: MinCountOpt = 30,
    alpha: AlphaOpt = 0.05,
    min_log_odds: LogOddsOpt = 0.5,
    max_weight: Annotated[float, typer.Option(
        "--max-weight", help="Clip reweighing weights to [1/W, W].")] = 10.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the substitution coin.")] = 0,
    weight_field: Annotated[str, typer.Option(
        "--weight-field", help="Field reweighing writes each example's weight to; it must "
        "not exist in the data already, nor be a field the scan reads or example_id.")]
    = "weight",
    lexicon: LexiconOpt = None,
) -> None:
    """Scan, then write a rebalanced copy of the data (rebalanced.jsonl) next to the report.

    Counterfactual copies keep every field of their source (a split field included) and link
    back with counterfactual_of; unsafe counterfactuals are skipped and counted, and the
    examples they leave unbalanced are counted too. A field the tool writes (example_id,
    the weight, counterfactual_*) that the data already has is an error, never overwritten:
    to keep your own example_id, pass --id-field example_id.
    """
    with _interruptible():
        from ..data import METHODS

        if method not in METHODS:
            raise fail(f"--method must be one of {', '.join(METHODS)}, not {method!r}")
        if method == "reweigh" and not label_field:
            raise fail("--method reweigh needs --label-field")
        summary = _run(data, lang=lang, axis=axis, text_field=text_field,
                       label_field=label_field, meta_field=meta_field, id_field=id_field,
                       out_dir=out_dir, engine=engine, scheduler=scheduler, workers=workers,
                       strict=strict, fmt=fmt, min_count=min_count, alpha=alpha,
                       min_log_odds=min_log_odds, lexicon=lexicon, method=method, seed=seed,
                       max_weight=max_weight, weight_field=weight_field)
        _report(summary, out_dir)
        out.print(escape(f"wrote {out_dir}/rebalanced.jsonl"), highlight=False)


__all__ = ["rebalance", "scan"]
