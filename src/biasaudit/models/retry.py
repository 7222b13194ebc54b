"""Retries for remote calls: exponential backoff with full jitter, honouring Retry-After
(plus a little jitter, never less than asked).

Transient failures (429, 5xx, connection errors, timeouts, malformed or truncated bodies) are
retried; anything else, or running out of attempts, raises `RemoteModelError` naming the last
status and the number of attempts. Messages never include credentials.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from biasaudit.errors import BiasAuditError

__all__ = ["RemoteModelError", "RetryPolicy", "TransientError", "retry_async"]

T = TypeVar("T")


class RemoteModelError(BiasAuditError, RuntimeError):
    """A remote model call failed for good (not retryable, or the retry budget is spent)."""

    def __init__(self, message: str, *, status: int | None = None, attempts: int = 1) -> None:
        self.status = status
        self.attempts = attempts
        super().__init__(message)


class TransientError(Exception):
    """A failure worth retrying; `retry_after` is the server's requested wait in seconds."""

    def __init__(
        self, detail: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        self.detail = detail
        self.status = status
        self.retry_after = retry_after
        super().__init__(detail)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry transient failures."""

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0
    retry_statuses: frozenset[int] = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1` (`attempt` counts from 1).

        A server's Retry-After (capped at `max_retry_after`) is honoured with a little
        jitter on top, up to `base_delay` plus a tenth of the wait: workers throttled
        together would otherwise all retry at the same instant and be throttled again. The
        jitter only adds, so the wait is never shorter than the server asked for.
        """
        if retry_after is not None:
            wait = min(max(retry_after, 0.0), self.max_retry_after)
            return wait + random.uniform(0.0, self.base_delay + 0.1 * wait)
        cap = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return random.uniform(0.0, cap)  # full jitter


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


async def retry_async(
    call: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    what: str,
    on_retry: Callable[[TransientError], None] | None = None,
    redact: Callable[[str], str] = lambda s: s,
) -> T:
    """Await `call()` until it succeeds; retry on `TransientError` within `policy`'s budget.

    Every failure that ends the call, retryable or not, becomes a `RemoteModelError` that
    names the request (`what`: the endpoint and the model) and the attempts made, so a 400,
    a 404 for a misspelt model or a filtered reply say which model they came from.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call()
        except RemoteModelError as exc:  # final: the request itself is at fault
            raise RemoteModelError(
                redact(f"{what} failed after {_attempts(attempt)} (last: {exc})"),
                status=exc.status,
                attempts=attempt,
            ) from None
        except TransientError as exc:
            if attempt >= policy.max_attempts:
                status = f"HTTP {exc.status}" if exc.status else "no HTTP status"
                raise RemoteModelError(
                    redact(
                        f"{what} failed after {_attempts(attempt)} (last: {status}: {exc.detail})"
                    ),
                    status=exc.status,
                    attempts=attempt,
                ) from None
            if on_retry is not None:
                on_retry(exc)
            await asyncio.sleep(policy.delay(attempt, exc.retry_after))


def _attempts(n: int) -> str:
    return f"{n} attempt" if n == 1 else f"{n} attempts"
