"""The consoles every command prints to, and tables that survive a CI log.

Standard output that is not a terminal (a CI log, a pipe) has no width: Rich would assume
80 columns, cut table cells to ``occu…`` and break long lines mid-sentence. Lines are
therefore never wrapped by Rich (``soft_wrap``), and :func:`print_table` draws a table at its
natural width there; in a terminal, cells that do not fit wrap instead of being cut.
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: standard output was closed by its reader


def closed_stdout() -> typer.Exit:
    """The reader of standard output went away (``biasaudit swap ... | head -1``): stop
    quietly with exit status 141 (128 + SIGPIPE), as a command killed by SIGPIPE would.

    Standard output is pointed at the null device so that Python's final flush of what is
    still buffered does not fail again on the way out.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass
    return typer.Exit(EXIT_BROKEN_PIPE)


class _Console(Console):
    """A console whose closed output ends the command with 141, as ``swap`` does. (Rich's
    own exits with 1, which for ``audit`` and ``scan --fail-on-flags`` means "a gate failed"
    or "flags found".) Commands write their files before they print their summary."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise closed_stdout()


err = _Console(stderr=True, soft_wrap=True)
out = _Console(soft_wrap=True)


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
    _Console(file=console.file, width=width, soft_wrap=True, no_color=console.no_color).print(
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
