"""``biasaudit probes``: build probe sets from template suites or texts, list the suites."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import BiasAuditError
from ._console import err as _err
from ._console import fail, print_table

probes_app = typer.Typer(help="Build and list probe sets (template suites, your texts).",
                         no_args_is_help=True)


@probes_app.command("build")
def build_cmd(
    lang: Annotated[str, typer.Option("--lang", "-l", help="Language code: en, pl, vi, nb, nn.")],
    axis: Annotated[str, typer.Option("--axis", "-a", help="Identity axis, e.g. religion.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Probe-set JSONL file to write.")],
    suite: Annotated[
        str | None, typer.Option("--suite", help="Built-in suite name or a suite YAML file.")
    ] = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", help="Texts: .jsonl, .csv, .tsv, .parquet or .txt.")
    ] = None,
    text_field: Annotated[
        str, typer.Option("--text-field", help="Field or column holding the text.")
    ] = "text",
    seed: Annotated[int, typer.Option("--seed", help="Seed for sampling names.")] = 0,
    lexicon: Annotated[
        list[Path] | None,
        typer.Option("--lexicon", help="Extra lexicon file or folder loaded on top (repeatable)."),
    ] = None,
) -> None:
    """Build a probe set from a template --suite or from the texts in --input."""
    from .. import probes

    if (suite is None) == (input_file is None):
        raise fail("give exactly one of --suite and --input")
    if input_file is not None and not input_file.is_file():
        raise fail(f"{input_file}: no such file")
    try:
        ps = probes.build(lang=lang, axis=axis, suite=suite, input=input_file,
                          text_field=text_field, seed=seed, lexicon_paths=lexicon or ())
        out.parent.mkdir(parents=True, exist_ok=True)
        probes.save(ps, out)
    except BiasAuditError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc}") from None
    stats = ", ".join(f"{k} {v}" for k, v in ps.stats.items())
    _err.print(escape(f"wrote {out}: {stats}; {ps.content_hash()}"), highlight=False)
    if not ps.clusters:
        _err.print(escape(f"warning: the probe set is empty: no {axis} probe could be built "
                          f"(an audit refuses such a source); see the counts above"),
                   highlight=False)
    if ps.stats.get("no_mention"):
        _err.print(escape(f"{ps.stats['no_mention']} text(s) mention no {axis} group and were "
                          "not probed (rows in the header's metadata.no_mention_rows)"),
                   highlight=False)


@probes_app.command("list")
def list_cmd(
    lang: Annotated[str | None, typer.Option("--lang", "-l", help="Only this language.")] = None,
) -> None:
    """Show the built-in suites: templates and clusters per axis, per language."""
    from .. import probes

    try:
        suites = probes.list_suites(lang)
    except BiasAuditError as exc:
        raise fail(str(exc)) from None
    if not suites:
        raise fail(f"no built-in suites for language {lang!r}")
    table = Table(title="Built-in probe suites (clusters per axis)", title_justify="left")
    table.add_column("suite")
    table.add_column("lang")
    table.add_column("templates", justify="right")
    for axis in probes.AXES:
        table.add_column(axis, justify="right")
    for s in suites:
        table.add_row(escape(s.name), s.lang, str(s.templates),
                      *(str(s.sizes[a]) if a in s.sizes else "-" for a in probes.AXES))
    print_table(table)
