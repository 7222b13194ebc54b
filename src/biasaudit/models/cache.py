"""Result caches: an in-memory LRU in front of an optional persistent SQLite store.

The SQLite store (stdlib ``sqlite3``, WAL mode) commits every answer as it arrives, so an audit
killed at any point (even ``kill -9``) resumes without asking again for anything already
answered, and a re-run of the same audit is served entirely from the cache. Rows hold only a
hash key, the model fingerprint, the operation and the JSON answer: never inputs or secrets.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from biasaudit.errors import BiasAuditError

__all__ = ["CacheError", "ResponseCache", "ResultCache", "as_result_cache"]


class CacheError(BiasAuditError, sqlite3.DatabaseError):
    """A persistent cache file that SQLite cannot read (not a cache, or damaged), or a row
    in it that the cache cannot have written (a value cut short, or of the wrong kind)."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numbers(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_number(v) for v in value)


def _texts(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


# What the adapters store per operation (the row's ``op``), as JSON: a row of a known
# operation holding anything else was not written by the cache. Rows of other operations
# (a third-party adapter's) are only checked to be JSON.
_OP_VALUES: dict[str, tuple[str, Any]] = {
    "proba": ("a number or a list of numbers", lambda v: _is_number(v) or _numbers(v)),
    "ll": ("a number", _is_number),
    "continuation_loglikelihood": ("a number", _is_number),
    "embed": ("a list of numbers", _numbers),
    "generate": ("a string or a list of strings", _texts),
}
_SHAPED = ("proba", "embed")  # operations whose answers all have one shape per lookup


def _shape(value: Any) -> int:
    """-1 for a number, else the length of a list."""
    return len(value) if isinstance(value, list) else -1


def _describe(shape: int) -> str:
    return "a number" if shape < 0 else f"a list of {shape} numbers"


def _to_jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot cache a value of type {type(value).__name__}")


_BUSY_TIMEOUT = 30.0


def _setup(conn: sqlite3.Connection) -> None:
    """Switch to WAL and create the table, waiting while another process does the same.

    Several audits started together on one new cache file all try to switch it to WAL at
    once; SQLite answers "database is locked" at once to all but one of them (changing the
    journal mode does not wait for the busy timeout as writes do), so that step is retried
    here for as long as a write would wait.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS responses ("
                " key TEXT PRIMARY KEY, model TEXT NOT NULL, op TEXT NOT NULL,"
                " value TEXT NOT NULL, created REAL NOT NULL)"
            )
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class ResponseCache:
    """A persistent key → JSON answer store in one SQLite file (safe to share between runs)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=_BUSY_TIMEOUT
        )
        try:
            with self._readable():
                _setup(self._conn)
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"ResponseCache({str(self.path)!r})"

    @contextmanager
    def _readable(self) -> Iterator[None]:
        """Turn SQLite's "file is not a database" or "database disk image is malformed" (a
        file that is no cache, or one damaged by a partial copy or a failing disk; a killed
        run cannot cause it) into an error naming the file and the way out. Operational
        errors (locked, cannot open, disk full) pass as they are."""
        try:
            yield
        except (sqlite3.OperationalError, CacheError):  # (a bad row: already explained)
            raise
        except sqlite3.DatabaseError as exc:
            raise CacheError(
                f"cache file {str(self.path)!r} is not a readable SQLite cache ({exc}): it is "
                "another kind of file or it was damaged; move it away (its answers are lost "
                "and will be asked for again) or pass another cache path"
            ) from None

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """Return the stored answers for whichever of `keys` are present.

        A row the cache cannot have written (its value is not JSON, e.g. cut short, or is not
        what its operation stores, e.g. a number where a list of probabilities belongs, or a
        list of another length than the other rows of the lookup) raises :class:`CacheError`
        naming the file and the row's key: it is not asked for again silently, since a
        damaged row may not be the only one.
        """
        keys = list(keys)
        found: dict[str, Any] = {}
        shapes: dict[str, dict[str, int]] = {}  # op -> key -> shape (proba, embed rows)
        with self._lock, self._readable():
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT key, op, value FROM responses WHERE key IN ({marks})", chunk
                )
                for key, op, text in rows:
                    found[key] = self._decode(key, op, text)
                    if op in _SHAPED:
                        shapes.setdefault(op, {})[key] = _shape(found[key])
        for of_op in shapes.values():
            # a model's answers to one operation all have the same number of classes or
            # dimensions (-1: a number, a callable's 1-D scores)
            counts = Counter(of_op.values())
            if len(counts) > 1:
                (common, n_common), *_ = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                odd = next(k for k, shape in of_op.items() if shape != common)
                raise self._bad_row(
                    odd,
                    f"holds {_describe(of_op[odd])} where {n_common} other row(s) of the "
                    f"same lookup hold {_describe(common)}",
                )
        return found

    def _decode(self, key: str, op: str, text: Any) -> Any:
        """The answer a row holds, checked against what its operation stores."""
        try:
            value = json.loads(text)
        except (TypeError, ValueError) as exc:  # JSONDecodeError is a ValueError
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise self._bad_row(
                key, f"holds {str(text)[:40]!r}, which is not JSON ({reason})"
            ) from None
        expected = _OP_VALUES.get(op)
        if expected is not None and not expected[1](value):
            raise self._bad_row(
                key, f"holds {str(text)[:40]!r} where a {op!r} answer is {expected[0]}"
            )
        return value

    def _bad_row(self, key: str, what: str) -> CacheError:
        return CacheError(
            f"cache file {str(self.path)!r}: the row with key {key!r} {what}; the cache "
            "did not write it (the file was edited or damaged). Move the file away (its "
            "answers are lost and will be asked for again) or pass another cache path"
        )

    def put(self, key: str, value: Any, *, model: str = "", op: str = "") -> None:
        """Store one answer and commit it at once (each answer survives a crash right after)."""
        text = json.dumps(value, default=_to_jsonable, ensure_ascii=False, allow_nan=True)
        with self._lock, self._readable():
            self._conn.execute(
                "INSERT OR REPLACE INTO responses (key, model, op, value, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, model, op, text, time.time()),
            )

    def __len__(self) -> int:
        with self._lock, self._readable():
            return self._conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def clear(self) -> None:
        """Delete every stored answer."""
        with self._lock, self._readable():
            self._conn.execute("DELETE FROM responses")

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()


def _approx_bytes(value: Any) -> int:
    """A cheap size estimate of a cached answer (arrays, numbers, strings, lists of them)."""
    if isinstance(value, np.ndarray):
        return value.nbytes + 112
    if isinstance(value, str):
        return len(value) + 49
    if isinstance(value, (list, tuple)):
        return 56 + sum(_approx_bytes(v) for v in value[:64]) * max(1, len(value) // 64)
    return 32


class ResultCache:
    """An LRU of recent answers (per adapter) backed by an optional `ResponseCache`.

    The LRU holds at most `memory_size` answers and about `memory_bytes` bytes (embeddings of
    large models are big), evicting the least recently used first.
    """

    def __init__(
        self,
        *,
        memory_size: int = 100_000,
        memory_bytes: int = 512 * 2**20,
        store: ResponseCache | None = None,
    ) -> None:
        self.memory_size = memory_size
        self.memory_bytes = memory_bytes
        self.store = store
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._bytes = 0

    def __repr__(self) -> str:
        return f"ResultCache(memory_size={self.memory_size}, store={self.store!r})"

    def __len__(self) -> int:
        return len(self._memory)

    def get_many(self, keys: list[str]) -> tuple[dict[str, Any], int, int]:
        """Look `keys` up; return (found, memory hits, persistent-store hits)."""
        found: dict[str, Any] = {}
        with self._lock:
            for key in keys:
                if key in self._memory:
                    self._memory.move_to_end(key)
                    found[key] = self._memory[key][0]
        memory_hits = len(found)
        disk_hits = 0
        if self.store is not None and len(found) < len(keys):
            stored = self.store.get_many(k for k in keys if k not in found)
            disk_hits = len(stored)
            for key, value in stored.items():
                found[key] = value
                self._remember(key, value)
        return found, memory_hits, disk_hits

    def put(self, key: str, value: Any, *, model: str = "", op: str = "") -> None:
        """Remember an answer in memory and, when a store is attached, on disk."""
        self._remember(key, value)
        if self.store is not None:
            self.store.put(key, value, model=model, op=op)

    def _remember(self, key: str, value: Any) -> None:
        if self.memory_size <= 0:
            return
        size = _approx_bytes(value)
        with self._lock:
            old = self._memory.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._memory[key] = (value, size)
            self._bytes += size
            while self._memory and (
                len(self._memory) > self.memory_size or self._bytes > self.memory_bytes
            ):
                _, (_, dropped) = self._memory.popitem(last=False)
                self._bytes -= dropped

    def clear_memory(self) -> None:
        """Forget the in-memory answers (the persistent store is kept)."""
        with self._lock:
            self._memory.clear()
            self._bytes = 0


def as_result_cache(cache: Any) -> ResultCache:
    """Normalise an adapter's ``cache=`` option.

    ``None``/``True``: in-memory LRU only; ``False``: no caching; a path: LRU plus a SQLite
    store at that path; a `ResponseCache` or `ResultCache`: used as given.
    """
    if cache is None or cache is True:
        return ResultCache()
    if cache is False:
        return ResultCache(memory_size=0)
    if isinstance(cache, ResultCache):
        return cache
    if isinstance(cache, ResponseCache):
        return ResultCache(store=cache)
    if isinstance(cache, (str, Path)):
        return ResultCache(store=ResponseCache(cache))
    raise TypeError(f"cache must be None, a bool, a path or a cache object, not {cache!r}")
