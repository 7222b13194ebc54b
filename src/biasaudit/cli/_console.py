"""The consoles every command prints to, and tables that survive a CI log.

Standard output that is not a terminal (a CI log, a pipe) has no width: Rich would assume
80 columns, cut table cells to ``occu…`` and break long lines mid-sentence. Lines are
therefore never wrapped by Rich (``soft_wrap``), and :func:`print_table` draws a table at its
natural width there; in a terminal, cells that do not fit wrap instead of being cut.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def print_table(table: Table, console: Console = out) -> None:
    """Print ``table`` whole: at its natural width when the output is not a terminal."""
    for column in table.columns:
        column.overflow = "fold"  # in a terminal too narrow, wrap a cell's text, never cut it
    if console.is_terminal:
        console.print(table)
        return
    width = Measurement.get(console, console.options.update_width(10_000), table).maximum
    if width <= console.width:
        console.print(table)
        return
    Console(file=console.file, width=width, soft_wrap=True, no_color=console.no_color).print(
        table
    )


def error(message: str, console: Console = err) -> None:
    """Print ``error: MESSAGE``; the message is text, never Rich markup (paths and names
    may hold ``[...]``)."""
    console.print(f"[bold red]error:[/] {escape(str(message))}", highlight=False)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print an error without a traceback and return the exit to raise (2: usage or input)."""
    error(message)
    return typer.Exit(code)
