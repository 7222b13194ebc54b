"""Where chunks are processed: in this process, on a local process pool, or on Dask.

Each runner maps a function over chunks and yields the results in chunk order with a
bounded number of chunks in flight, so memory stays flat and every engine reduces the
same results in the same order.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import MissingExtraError


def show_progress() -> bool:
    """Progress bars only on an interactive terminal, never under CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class _Progress:
    """A rich progress bar over chunks (or nothing when disabled), on standard error: it is
    shown when stderr is a terminal, and standard output may be a pipe whose reader has
    gone (``| head``), which must not stop a scan before its outputs are written."""

    def __init__(self, enabled: bool, total: int | None, label: str) -> None:
        self._bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task(label, total=total)

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


@dataclass(frozen=True)
class LocalRunner:
    """Chunks on this machine: in-process when ``workers`` is 1, else a process pool."""

    workers: int = 1
    progress: bool | None = None

    def map(self, fn: Callable[..., Any], chunks: Iterable[Any], *, total: int | None = None,
            label: str = "scanning", **kwargs: Any) -> Iterator[Any]:
        """``fn(chunk, **kwargs)`` for each chunk, in order."""
        enabled = show_progress() if self.progress is None else self.progress
        with _Progress(enabled, total, label) as bar:
            if self.workers <= 1:
                for chunk in chunks:
                    yield fn(chunk, **kwargs)
                    bar.advance()
                return
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=self.workers) as pool:
                pending: deque = deque()
                try:
                    for chunk in chunks:
                        pending.append(pool.submit(fn, chunk, **kwargs))
                        if len(pending) >= 2 * self.workers:
                            yield pending.popleft().result()
                            bar.advance()
                    while pending:
                        yield pending.popleft().result()
                        bar.advance()
                finally:
                    for fut in pending:
                        fut.cancel()


@dataclass(frozen=True)
class DaskRunner:
    """Chunks on a Dask cluster: ``scheduler`` address, or an existing ``client``."""

    scheduler: str | None = None
    client: Any = None
    progress: bool | None = None
    in_flight: int = 4  # chunks per worker

    def map(self, fn: Callable[..., Any], chunks: Iterable[Any], *, total: int | None = None,
            label: str = "scanning", **kwargs: Any) -> Iterator[Any]:
        """``fn(chunk, **kwargs)`` for each chunk on the cluster, in order."""
        client, own = self._client()
        enabled = show_progress() if self.progress is None else self.progress
        try:
            limit = self.in_flight * max(1, len(client.scheduler_info().get("workers", {})))
            with _Progress(enabled, total, label) as bar:
                pending: deque = deque()
                try:
                    for chunk in chunks:
                        pending.append(client.submit(fn, chunk, pure=False, **kwargs))
                        if len(pending) >= limit:
                            yield _take(pending.popleft())
                            bar.advance()
                    while pending:
                        yield _take(pending.popleft())
                        bar.advance()
                finally:
                    for fut in pending:
                        fut.cancel()
        finally:
            if own:
                client.close()

    def connect(self) -> Any:
        """A new client: to ``scheduler``, or to an in-process local cluster."""
        distributed = require_dask()
        if self.scheduler:
            return distributed.Client(self.scheduler)
        return distributed.Client(processes=False)

    def _client(self) -> tuple[Any, bool]:
        if self.client is not None:
            return self.client, False
        return self.connect(), True


def _take(fut: Any) -> Any:
    result = fut.result()
    fut.release()
    return result


def require_dask() -> Any:
    """Import ``dask.distributed`` or say which extra to install."""
    try:
        import dask.distributed as distributed
    except ImportError as exc:
        raise MissingExtraError("dask", "dask", "Scanning on Dask") from exc
    return distributed


Runner = LocalRunner | DaskRunner
