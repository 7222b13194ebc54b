"""Backoff arithmetic, Retry-After parsing, the retry loop and the progress switch.

Also tests the jitter added on top of a server's Retry-After wait."""

from __future__ import annotations

import asyncio
import email.utils
import io
import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biasaudit.models.progress import progress, progress_enabled
from biasaudit.models.retry import (
    RemoteModelError,
    RetryPolicy,
    TransientError,
    parse_retry_after,
    retry_async,
)


@settings(deadline=None)  # the machine is shared: no per-example deadline
@given(attempt=st.integers(1, 30))
def test_full_jitter_stays_within_the_exponential_cap(attempt):
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0)
    cap = min(8.0, 0.5 * 2 ** (attempt - 1))
    delays = [policy.delay(attempt) for _ in range(20)]
    assert all(0.0 <= d <= cap for d in delays)


def test_jitter_spreads_delays():
    policy = RetryPolicy(base_delay=1.0, max_delay=10.0)
    delays = {round(policy.delay(4), 6) for _ in range(50)}
    assert len(delays) > 40


def test_retry_after_wins_and_is_capped():
    policy = RetryPolicy(max_retry_after=5.0, base_delay=0.5)
    # (a little jitter on top: never less than asked, at most base_delay + 10 % more)
    assert 2.5 <= policy.delay(1, retry_after=2.5) <= 2.5 + 0.5 + 0.25
    assert 5.0 <= policy.delay(1, retry_after=500) <= 5.0 + 0.5 + 0.5


def test_retry_after_gets_a_little_jitter_never_less_than_asked():
    random.seed(0)
    policy = RetryPolicy(base_delay=0.5, max_delay=30.0, max_retry_after=120.0)
    delays = [policy.delay(1, retry_after=2.0) for _ in range(200)]
    assert min(delays) >= 2.0
    assert max(delays) <= 2.0 + 0.5 + 0.2  # base_delay + 10 % of the wait, at most
    assert len({round(d, 6) for d in delays}) > 150  # workers no longer wake together
    capped = [policy.delay(1, retry_after=500.0) for _ in range(50)]
    assert all(120.0 <= d <= 120.0 + 0.5 + 12.0 for d in capped)
    zero = RetryPolicy(base_delay=0.0)
    assert all(3.0 <= zero.delay(2, retry_after=3.0) <= 3.3 for _ in range(50))


def test_parse_retry_after_forms():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("0.25") == 0.25
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= parse_retry_after(future) <= 31


def test_retry_loop_retries_then_succeeds():
    attempts = []

    async def call():
        attempts.append(1)
        if len(attempts) < 3:
            raise TransientError("busy", status=503)
        return "ok"

    policy = RetryPolicy(max_attempts=5, base_delay=0.001)
    assert asyncio.run(retry_async(call, policy=policy, what="thing")) == "ok"
    assert len(attempts) == 3


def test_retry_loop_gives_up_naming_status_and_attempts():
    async def call():
        raise TransientError("slow down", status=429)

    policy = RetryPolicy(max_attempts=3, base_delay=0.001)
    with pytest.raises(RemoteModelError) as info:
        asyncio.run(retry_async(call, policy=policy, what="request to X"))
    assert info.value.status == 429 and info.value.attempts == 3
    assert "after 3 attempts" in str(info.value) and "HTTP 429" in str(info.value)


def test_retry_loop_redacts_messages():
    async def call():
        raise TransientError("key sk-abc123 rejected", status=500)

    policy = RetryPolicy(max_attempts=1)
    with pytest.raises(RemoteModelError) as info:
        asyncio.run(
            retry_async(call, policy=policy, what="x", redact=lambda s: s.replace("sk-abc123", "*"))
        )
    assert "sk-abc123" not in str(info.value)


def test_progress_only_on_long_tty_runs_outside_ci(monkeypatch):
    tty = io.StringIO()
    tty.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.delenv("CI", raising=False)
    assert progress_enabled(1000, stream=tty)
    assert not progress_enabled(10, stream=tty)
    assert not progress_enabled(1000, stream=io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not progress_enabled(1000, stream=tty)
    assert progress_enabled(5, enabled=True)


def test_progress_counts_even_when_hidden():
    with progress(10, "x", enabled=False) as bar:
        bar.advance(4)
        bar.advance()
    assert bar.completed == 5
    with progress(3, "x", enabled=True) as bar:
        bar.advance(3)
    assert bar.completed == 3
