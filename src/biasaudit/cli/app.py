"""Typer application and the commands for counterfactuals and lexicons.

Exit codes: 0 success, 1 a check failed (lint errors, failed gates), 2 usage or input error,
3 an internal error in ``biasaudit audit`` (a bug: the traceback is printed), 141 (128 +
SIGPIPE) ``biasaudit swap`` stopped because its standard output was closed (``| head``).

Everything printed that came from the user or a data file goes through ``rich.markup.escape``
(names and paths may contain ``[...]``, which Rich would otherwise read as markup).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .._version import __version__
from ..errors import BiasAuditError, not_utf8
from ._console import closed_stdout, err, error, fail, out, print_table
from .data import rebalance, scan
from .probes import probes_app

app = typer.Typer(
    name="biasaudit",
    help="Audit language models for gender and identity bias.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
lexicon_app = typer.Typer(help="Validate and inspect lexicons.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")
app.add_typer(probes_app, name="probes")


LangOpt = Annotated[
    str, typer.Option("--lang", "-l", help="Language code: en, pl, vi, nb, nn, no.")
]
AxisOpt = Annotated[str, typer.Option("--axis", "-a", help="Identity axis, e.g. gender, religion.")]
LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option("--lexicon", help="Extra lexicon file or folder loaded on top (repeatable)."),
]


def _version(value: bool) -> None:
    if value:
        out.print(f"biasaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Audit language models for gender and identity bias."""


@app.command()
def swap(
    text: Annotated[str | None, typer.Argument(help="Text to swap; omit to read stdin.")] = None,
    lang: LangOpt = "en",
    axis: AxisOpt = "gender",
    to: Annotated[
        str, typer.Option("--to", help="Target group, or 'swap' for pairwise swaps.")
    ] = "swap",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with the edits.")] = False,
    keep_unsafe: Annotated[
        bool,
        typer.Option("--keep-unsafe", help="Print unsafe variants instead of the original line."),
    ] = False,
    lexicon: LexiconOpt = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            "-O",
            help="Grammar option KEY=VALUE (repeatable), e.g. "
            "feminatives=keep-generic for pl, third_person_female='cô ấy' for vi.",
        ),
    ] = None,
) -> None:
    """Print the counterfactual of TEXT, or of each line of standard input.

    Reading stdin, exactly one line is written per input line, in order; lines with
    nothing to swap are echoed unchanged, byte for byte, and a line with edits differs
    from the input only in the edited words. Unsafe variants (the engine
    could not vouch for the grammar) are replaced by the original line unless
    --keep-unsafe is given, and counted on stderr. When standard output is closed early
    (| head), swap stops quietly with exit code 141 (128 + SIGPIPE).
    """
    from ..core import CounterfactualEngine

    try:
        options = parse_options(option or [])
        engine = CounterfactualEngine(lang, axis, lexicon_paths=lexicon or (), options=options)
        plan = engine.plan(to)
    except BiasAuditError as exc:
        raise fail(str(exc)) from None

    lines = [text] if text is not None else None
    unsafe = 0
    stream = lines if lines is not None else _stdin_lines()
    _utf8_stdout()
    write = sys.stdout.write
    try:
        for line in stream:
            body, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
            if lines is not None:
                newline = "\n"
            cf = engine.rewrite(body, plan)
            if not cf.safe:
                unsafe += 1
            if as_json:
                write(json.dumps(cf.to_dict(), ensure_ascii=False) + "\n")
            elif cf.edits and (cf.safe or keep_unsafe):
                write(cf.text + newline)
            else:
                write(body + newline)  # nothing to swap, or unsafe: the line exactly as read
        sys.stdout.flush()
    except BrokenPipeError:
        raise closed_stdout() from None
    if unsafe:
        what = "printed as is" if keep_unsafe or as_json else "left unchanged"
        why = "their reasons are in the JSON" if as_json else "use --json to see why"
        err.print(f"{unsafe} unsafe variant(s) {what}; {why}", highlight=False)


def _utf8_stdout() -> None:
    """Write standard output in UTF-8, whatever the locale: input is read as UTF-8, and a
    line echoed unchanged must come out as the same bytes (Windows pipes default to
    cp1252, which cannot write *żółw*). Bytes of the TEXT argument that were not UTF-8
    (kept by Python as surrogate escapes) are written back as they came."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", errors="surrogateescape")


def _show_warnings_once() -> None:
    """The library's warnings as ``warning: MESSAGE`` lines on stderr, each message once
    (the process is the command's own, so changing how it shows warnings is harmless)."""
    import warnings

    from ..errors import BiasAuditWarning

    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if issubclass(category, BiasAuditWarning):
            err.print(f"[yellow]warning:[/] {escape(str(message))}", highlight=False)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.simplefilter("once", BiasAuditWarning)


def parse_options(items: list[str]) -> dict[str, object]:
    """``KEY=VALUE`` pairs, stripped; ``none`` becomes None. The engine reads yes/no values
    (``true``, ``0``, ``off``...) for options that are true or false, and rejects others."""
    out: dict[str, object] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise BiasAuditError(f"--option needs KEY=VALUE, got {item!r}")
        out[key.replace("-", "_")] = None if value.lower() == "none" else value
    return out


def _stdin_lines() -> Iterator[str]:
    """Standard input split at ``\n`` (a ``\r`` stays part of its line), each line decoded
    on its own: a line that is not UTF-8 stops the run with its line number, after every
    line before it has been written."""
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            sys.stdout.flush()
            raise fail(f"standard input, line {number}: {not_utf8(raw, exc)[1]}") from None


@lexicon_app.command("lint")
def lexicon_lint(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: built-in lexicons).")
    ] = None,
) -> None:
    """Validate lexicon files: schema, duplicates, conflicts, invertibility, Unicode NFC."""
    from ..lexicons.lint import lint_paths
    from ..lexicons.registry import builtin_lexicon_dir, lexicon_files

    targets = paths or [builtin_lexicon_dir()]
    missing = [p for p in targets if not p.exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(map(str, missing))}")
    empty = [p for p in targets if p.is_dir() and not lexicon_files([p])]
    if empty:  # a wrong folder must not pass as a clean one
        err.print(f"{', '.join(map(str, empty))}: [red]error[/]: no lexicon files "
                  "(*.yaml, *.yml) in this folder", highlight=False)
        raise typer.Exit(1)
    problems, lexicons = lint_paths(targets)
    for p in problems:
        colour = "red" if p.severity == "error" else "yellow"
        err.print(
            f"{escape(str(p.location))}: [{colour}]{p.severity}[/]: {escape(str(p.message))}",
            highlight=False,
        )
    errors = sum(p.severity == "error" for p in problems)
    entries = sum(len(lx.entries) for lx in lexicons)
    summary = f"{len(lexicons)} lexicon file(s), {entries} entries, {errors} error(s)"
    (err if errors else out).print(summary, highlight=False)
    if errors:
        raise typer.Exit(1)


@lexicon_app.command("show")
def lexicon_show(
    lang: Annotated[str, typer.Argument(help="Language code.")],
    axis: Annotated[str | None, typer.Option("--axis", "-a", help="Only this axis.")] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """List the loaded lexicons and entries for a language."""
    from ..lexicons import LanguageCatalog, all_lexicons
    from ..lexicons.registry import lexicon_dirs

    try:  # (aliases declared in a user folder's languages.yaml count too)
        code = LanguageCatalog.for_dirs(lexicon_dirs(lexicon or ())).canonical(lang)
        chosen = [
            lx
            for lx in all_lexicons(lexicon or ())
            if lx.language == code and (axis is None or lx.axis == axis)
        ]
    except BiasAuditError as exc:
        raise fail(str(exc)) from None
    if not chosen:
        raise fail(f"no lexicons for language {lang!r}" + (f" and axis {axis!r}" if axis else ""))
    for lx in chosen:
        table = Table(
            title=escape(f"{lx.label}  ({lx.language}/{lx.axis}, {len(lx.entries)} entries)"),
            caption=escape(str(lx.path)),
            title_justify="left",
        )
        table.add_column("id")
        table.add_column("pos")
        table.add_column("features")
        for g in lx.groups:
            table.add_column(escape(str(g)))
        for e in lx.entries:
            feats = ",".join(f"{k}={v}" for k, v in e.features.items())
            cells = [e.id, e.pos or "", feats, *("/".join(e.forms.get(g, ())) for g in lx.groups)]
            table.add_row(*(escape(str(c)) for c in cells))
        print_table(table)


@app.command()
def audit(
    config: Annotated[Path, typer.Argument(help="Audit config (YAML); see docs/config.md.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the reports.")] = Path(
        "biasaudit-report"
    ),
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="report.json of a previous release to compare with."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only print the verdict.")] = False,
) -> None:
    """Run an audit and write report.json, report.html, junit.xml and summary.md.

    Exit code 0 when every gate passes, 1 when a gate fails, 2 for usage or input errors
    (checked before the audit runs, the --out folder included), 3 for an internal error (a
    bug; the traceback is printed), 130 when interrupted (Ctrl-C), 141 when standard output
    is closed early (| head; the reports are written before anything is printed).
    """
    try:
        code = _audit(config, out_dir, baseline, quiet)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted", highlight=False)
        raise typer.Exit(130) from None
    except Exception:  # never exit 1 (a failed gate) for a crash
        err.print(escape(traceback.format_exc()), highlight=False)
        raise fail(
            "internal error (exit code 3); please report it with the traceback above", 3
        ) from None
    raise typer.Exit(code)


def _audit(config: Path, out_dir: Path, baseline: Path | None, quiet: bool) -> int:
    from ..audit import load_baseline, load_config, run_audit
    from ..report import write_reports

    def say(message: str) -> None:
        if not quiet:
            err.print(f"[dim]·[/] {escape(message)}", highlight=False)

    if out_dir.exists() and not out_dir.is_dir():
        raise fail(f"--out {out_dir} exists and is not a folder")
    try:
        cfg = load_config(config)
        old = load_baseline(baseline) if baseline else None
        _check_writable(out_dir)  # before the audit, which may take hours, not after it
        result = run_audit(cfg, baseline=old, progress=say)
    except BiasAuditError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:  # a file the audit reads (model, probes) cannot be read
        raise fail(f"{type(exc).__name__}: {exc}") from None
    try:
        paths = write_reports(result, out_dir)
    except OSError as exc:
        raise fail(f"cannot write the reports to {out_dir}: {exc}") from None
    for w in result.warnings:
        err.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
    for r in result.removed:
        err.print(
            f"[yellow]warning:[/] baseline finding {escape(str(r.get('id')))} is gone from "
            "this run",
            highlight=False,
        )
    if not quiet:
        n = len(result.findings)
        table = Table(title=f"{n} finding{'' if n == 1 else 's'}", title_justify="left")
        for col in ("finding", "Δ", "CI", "adj. p"):
            table.add_column(col)
        for f in sorted(result.findings, key=lambda f: -abs(f.estimate))[:15]:
            table.add_row(
                escape(f.id),
                f"{f.estimate:.3g}",
                escape(f"[{f.ci_low:.3g}, {f.ci_high:.3g}]"),
                f"{f.p_adjusted:.2g}",
            )
        print_table(table)
    for g in result.gates:
        mark = "[green]pass[/]" if g.passed else "[bold red]FAIL[/]"
        out.print(f"gate {escape(g.name)}: {mark} — {escape(g.message)}", highlight=False)
    folder = paths["html"].parent
    # what this run wrote (not what an earlier run left in the folder), report.html first
    written = [paths["html"], *(p for kind, p in paths.items() if kind != "html")]
    names = ", ".join(p.name for p in written)
    out.print(escape(f"reports in {folder}/ ({names})"), highlight=False)
    return result.exit_code


def _check_writable(out_dir: Path) -> None:
    """Create the report folder and make sure a file can be written in it."""
    import tempfile

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise fail(f"cannot write the reports to {out_dir}: {exc}") from None


app.command()(scan)
app.command()(rebalance)


def main() -> None:
    """Console entry point."""
    _show_warnings_once()
    try:
        app()
    except BiasAuditError as exc:  # pragma: no cover - commands catch their own
        error(str(exc))
        sys.exit(2)
