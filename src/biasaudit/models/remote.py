"""Shared machinery for remote adapters: bounded async concurrency, retries, a sync facade.

Each missing answer is one request; at most `concurrency` run at once (a fixed pool of
worker coroutines), and each answer is stored in the cache the moment it arrives, so an
interrupted run loses nothing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math
import numbers
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from biasaudit.models.base import BaseModel, Capability, check_texts, require_capability
from biasaudit.models.progress import progress
from biasaudit.models.retry import RetryPolicy, TransientError, retry_async

__all__ = ["MAX_RESPONSE_BYTES", "RemoteModel", "run_sync", "safe_url"]

T = TypeVar("T")

# The most bytes of one response body that are read: a generation or an echoed prompt's
# logprobs take kilobytes; a runaway server must not exhaust memory.
MAX_RESPONSE_BYTES = 8 * 2**20


def size_text(n: int) -> str:
    """A byte count as a message shows it (``8 MiB``, ``6000 bytes``)."""
    return f"{n // 2**20} MiB" if n >= 2**20 and n % 2**20 == 0 else f"{n} bytes"


def safe_url(url: str) -> str:
    """`url` without user info, query or fragment (where credentials sometimes hide)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called from async code (e.g. a notebook): run on a private loop in a worker thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class RemoteModel(BaseModel):
    """A model behind a network API: subclasses open a worker's session (`_session`) and
    answer one request with the `fetch` they pass to `_remote_map` (or `_samples`)."""

    def __init__(
        self,
        *,
        name: str,
        fingerprint: str,
        cache: Any = None,
        concurrency: int = 8,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        show_progress: bool | None = None,
    ) -> None:
        # (checked before anything is built: a bad value would otherwise surface at the first
        # request, from deep inside httpx or botocore, or never: None meant no time limit)
        if (
            isinstance(concurrency, bool)
            or not isinstance(concurrency, numbers.Integral)
            or concurrency < 1
        ):
            raise ValueError(
                f"concurrency must be a whole number of at least 1, not {concurrency!r}"
            )
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, numbers.Real)
            or not 0 < timeout < math.inf
        ):
            raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
        super().__init__(name=name, fingerprint=fingerprint, cache=cache)
        self.concurrency = int(concurrency)
        self.timeout = float(timeout)
        self.retry = retry or RetryPolicy()
        self.show_progress = show_progress

    def _redact(self, text: str) -> str:
        """Remove any secret this adapter knows of from `text` (overridden by subclasses)."""
        return text

    def _on_retry(self, exc: TransientError) -> None:
        self._stats.add(retries=1)

    async def _session(self) -> Any:
        """Open one worker's client (an `httpx.AsyncClient`, a thread ...) for one run."""
        return None

    async def _close(self, session: Any) -> None:
        """Close what `_session` opened."""

    # -- generation -------------------------------------------------------------------------
    def generate(
        self, prompts: Sequence[str], *, n: int = 1, seed: int = 0, max_new_tokens: int = 64
    ) -> list[list[str]]:
        """GENERATION: `n` replies per prompt, as `agenerate` gives them (cached per prompt,
        sample and settings)."""
        return run_sync(self.agenerate(prompts, n=n, seed=seed, max_new_tokens=max_new_tokens))

    async def agenerate(
        self, prompts: Sequence[str], *, n: int = 1, seed: int = 0, max_new_tokens: int = 64
    ) -> list[list[str]]:
        """Async `generate` (adapters with GENERATION override it, through `_samples`)."""
        require_capability(self, Capability.GENERATION)
        raise self._missing()  # pragma: no cover

    async def _samples(
        self,
        prompts: Sequence[str],
        n: int,
        seed: int,
        params: dict[str, Any],
        fetch: Callable[[Any, tuple[str, int]], Awaitable[str]],
        what: Callable[[Any], str],
    ) -> list[list[str]]:
        """`n` replies per prompt, one request each: sample i of a prompt is the item
        ``(prompt, seed + i)``, answered by ``fetch(session, item)`` and cached under it with
        `params` (as `_remote_map`); the replies come back grouped by prompt."""
        prompts = check_texts(prompts, "prompts")
        if n < 1:
            raise ValueError("n must be at least 1")
        items = [(p, seed + i) for p in prompts for i in range(n)]
        flat = await self._remote_map("generate", params, items, fetch, what)
        return [flat[i * n : (i + 1) * n] for i in range(len(prompts))]

    # -- requests ---------------------------------------------------------------------------
    async def _remote_map(
        self,
        op: str,
        params: dict[str, Any],
        items: Sequence[Hashable],
        fetch: Callable[[Any, Any], Awaitable[Any]],
        what: Callable[[Any], str],
    ) -> list[Any]:
        """Answer `items` from the cache, requesting only the misses, `concurrency` at a time.

        Concurrency is bounded by a fixed pool of worker coroutines (a semaphore in effect),
        each with its own session, i.e. one keep-alive connection: that keeps httpx's
        connection-pool bookkeeping O(1) per request. `fetch(session, item)` performs one
        attempt and raises `TransientError` for failures worth retrying; `what(item)` names the
        request in error messages.
        """
        plan = self._plan(op, params, items)
        if not plan.missing:
            return plan.results()
        queue = iter(enumerate(plan.missing))

        async def worker(bar: Any) -> None:
            session = await self._session()
            try:
                for i, item in queue:

                    async def attempt(item: Any = item) -> Any:
                        self._stats.add(remote_calls=1)
                        return await fetch(session, item)

                    value = await retry_async(
                        attempt,
                        policy=self.retry,
                        what=what(item),
                        on_retry=self._on_retry,
                        redact=self._redact,
                    )
                    self._emit(plan, i, value)
                    bar.advance()
            finally:
                await self._close(session)

        description = f"{self.name}: {op}"
        with progress(len(plan.missing), description, enabled=self.show_progress) as bar:
            workers = min(self.concurrency, len(plan.missing))
            tasks = [asyncio.ensure_future(worker(bar)) for _ in range(workers)]
            try:
                for done in asyncio.as_completed(tasks):
                    await done
            except BaseException:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
        return plan.results()
