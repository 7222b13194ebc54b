"""A progress bar for long model runs: shown on a terminal, silent in CI and in pipes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Progress", "progress", "progress_enabled"]

#: Runs with fewer items than this finish too fast for a bar to help.
MIN_ITEMS = 256


def progress_enabled(total: int, *, enabled: bool | None = None, stream: Any = None) -> bool:
    """Whether to draw a bar: forced by `enabled`, else only for long runs on a TTY outside CI."""
    if enabled is not None:
        return enabled
    if total < MIN_ITEMS or os.environ.get("CI"):
        return False
    stream = stream if stream is not None else sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


class Progress:
    """A minimal progress handle: ``advance(n)``; draws with rich when enabled."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar = bar
        self._task = task
        self.completed = 0

    def advance(self, n: int = 1) -> None:
        self.completed += n
        if self._bar is not None:
            self._bar.advance(self._task, n)


@contextmanager
def progress(total: int, description: str, *, enabled: bool | None = None) -> Iterator[Progress]:
    """Yield a `Progress` for `total` items; a transient rich bar when `progress_enabled`."""
    if not progress_enabled(total, enabled=enabled):
        yield Progress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress

    bar = RichProgress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        yield Progress(bar, bar.add_task(description, total=total))
