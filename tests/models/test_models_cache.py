"""Result caches: LRU behaviour, SQLite persistence (WAL, committed per answer), cache config.

Also tests opening one new cache file from several processes at once (a locked file is
waited for, other SQLite errors are not)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from biasaudit.models import CallableModel, ResponseCache, ResultCache
from biasaudit.models.cache import as_result_cache


def test_response_cache_round_trips_json_and_numpy(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite")
    cache.put("k1", np.array([0.1, 0.2], dtype=np.float32), model="m", op="proba")
    cache.put("k2", ["a", "b"], model="m", op="generate")
    cache.put("k3", -1.2345678901234567, model="m", op="ll")
    again = ResponseCache(tmp_path / "c.sqlite")
    got = again.get_many(["k1", "k2", "k3", "missing"])
    assert set(got) == {"k1", "k2", "k3"}
    assert (
        np.asarray(got["k1"], dtype=np.float32).tolist()
        == np.array([0.1, 0.2], dtype=np.float32).tolist()
    )
    assert got["k2"] == ["a", "b"]
    assert got["k3"] == -1.2345678901234567  # float64 survives exactly
    assert len(again) == 3


def test_response_cache_uses_wal_and_commits_immediately(tmp_path):
    path = tmp_path / "c.sqlite"
    cache = ResponseCache(path)
    cache.put("k", 1.0)
    # A second, independent connection sees the row without any close/flush.
    other = sqlite3.connect(path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert other.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 1


def test_lru_evicts_least_recently_used():
    cache = ResultCache(memory_size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get_many(["a"])  # a is now most recent
    cache.put("c", 3)
    found, memory_hits, _ = cache.get_many(["a", "b", "c"])
    assert set(found) == {"a", "c"} and memory_hits == 2


def test_lru_respects_a_byte_budget():
    cache = ResultCache(memory_bytes=10_000)
    for i in range(10):
        cache.put(f"k{i}", np.zeros(500))  # 4 kB each
    found, _, _ = cache.get_many([f"k{i}" for i in range(10)])
    assert set(found) == {"k8", "k9"} and len(cache) == 2


def test_memory_then_disk_hits_are_counted_separately(tmp_path):
    calls = []
    path = tmp_path / "cache.sqlite"

    def fn(texts):
        calls.extend(texts)
        return [float(len(t)) for t in texts]

    first = CallableModel(fn, name="len", cache=path)
    first.predict_proba(["a", "bb"])
    second = CallableModel(fn, name="len", cache=path)  # a fresh process would look like this
    second.predict_proba(["a", "bb", "ccc"])
    second.predict_proba(["a"])
    assert calls == ["a", "bb", "ccc"]
    stats = second.stats
    assert stats.disk_hits == 2 and stats.memory_hits == 1 and stats.computed == 1


@pytest.mark.parametrize(
    ("option", "memory", "store"),
    [(None, 100_000, False), (True, 100_000, False), (False, 0, False)],
)
def test_cache_option_forms(option, memory, store):
    cache = as_result_cache(option)
    assert cache.memory_size == memory and (cache.store is not None) == store


def test_cache_option_path_and_errors(tmp_path):
    assert as_result_cache(tmp_path / "x.sqlite").store is not None
    shared = ResultCache()
    assert as_result_cache(shared) is shared
    with pytest.raises(TypeError):
        as_result_cache(42)


def test_cache_rows_hold_no_inputs(tmp_path):
    path = tmp_path / "c.sqlite"
    model = CallableModel(lambda t: [0.5] * len(t), name="m", cache=path)
    model.predict_proba(["a very identifiable sentence"])
    dump = "\n".join(sqlite3.connect(path).iterdump())
    assert "identifiable" not in dump


# -- the persistent cache: several processes opening one new file -------------------------------
def test_opening_a_cache_waits_while_another_process_switches_it_to_wal(tmp_path, monkeypatch):
    """SQLite answers "database is locked" at once (no busy timeout) to a connection that
    switches a file to WAL while another is doing the same: parallel audits sharing a new
    cache file crashed at start (2 of 200 processes in /tmp/rv_models/conc3.py). Simulated
    here: the first two attempts find the file locked."""
    real_connect = sqlite3.connect
    failures = {"left": 2}

    class Connection:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql.startswith("PRAGMA journal_mode") and failures["left"]:
                failures["left"] -= 1
                raise sqlite3.OperationalError("database is locked")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self._conn, name)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: Connection(real_connect(*a, **k)))
    cache = ResponseCache(tmp_path / "shared.sqlite")
    cache.put("k", 1)
    assert failures["left"] == 0 and cache.get_many(["k"]) == {"k": 1}


def test_other_sqlite_errors_are_not_retried(tmp_path):
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        ResponseCache(folder)


# -- a damaged cache file ---------------------------------------------------------------------
def _damaged(tmp_path, kind):
    path = tmp_path / f"{kind}.sqlite"
    if kind == "not-a-database":  # e.g. cache= pointed at a results file
        path.write_text('{"results": []}\n' * 200)
        return path
    cache = ResponseCache(path)
    for i in range(2000):
        cache.put(f"k{i}", "v" * 200)
    cache.close()
    data = path.read_bytes()  # a half-copied file: the second half of its pages is gone
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize("kind", ["not-a-database", "truncated"])
def test_a_damaged_cache_file_is_a_clear_error_naming_it(tmp_path, kind):
    """sqlite3 said only "file is not a database" or "database disk image is malformed",
    naming neither the file nor what to do, and not as a biasaudit error (so the CLI showed
    a traceback)."""
    from biasaudit.errors import BiasAuditError

    path = _damaged(tmp_path, kind)
    with pytest.raises(sqlite3.DatabaseError) as info:
        cache = ResponseCache(path)
        cache.get_many([f"k{i}" for i in range(2000)])
        cache.put("new", 1)
    message = str(info.value)
    assert isinstance(info.value, BiasAuditError)
    assert str(path) in message and "not a readable SQLite cache" in message
    assert "move it away" in message


def test_a_damaged_cache_is_reported_by_the_model_that_uses_it(tmp_path):
    from biasaudit.errors import BiasAuditError

    path = _damaged(tmp_path, "not-a-database")
    with pytest.raises(BiasAuditError, match="not a readable SQLite cache"):
        CallableModel(lambda t: [0.5] * len(t), name="m", cache=path)


def _edit_row(path, key, value):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE responses SET value = ? WHERE key = ?", (value, key))
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("op", "good", "bad", "match"),
    [
        ("proba", [0.4, 0.6], '["trunc', "not JSON"),
        ("proba", [0.4, 0.6], '{"a": 1}', "a 'proba' answer is a number or a list of numbers"),
        ("proba", [0.4, 0.6], "42", "holds a number where 2 other row"),
        ("proba", [0.4, 0.6], "[0.4, 0.5, 0.1]", "a list of 3 numbers where 2 other row"),
        ("ll", -3.5, '"x"', "a 'll' answer is a number"),
        ("continuation_loglikelihood", -3.5, "[1]", "is a number"),
        ("embed", [0.1, 0.2], "[]", "a list of numbers"),
        ("generate", ["a", "b"], "[1, 2]", "a string or a list of strings"),
        ("generate", ["a", "b"], "true", "a string or a list of strings"),
    ],
)
def test_a_row_the_cache_did_not_write_is_a_cache_error_naming_file_and_key(
    tmp_path, op, good, bad, match
):
    """A value cut short raised a bare JSONDecodeError, and a number where probabilities
    belong a TypeError or ValueError far from the cache (both "internal error", exit 3)."""
    from biasaudit.models.cache import CacheError

    path = tmp_path / "c.sqlite"
    cache = ResponseCache(path)
    for key in ("k1", "k2", "k3"):
        cache.put(key, good, model="m", op=op)
    _edit_row(path, "k2", bad)
    with pytest.raises(CacheError, match=match) as info:
        ResponseCache(path).get_many(["k1", "k2", "k3"])
    message = str(info.value)
    assert str(path) in message and "'k2'" in message and "move the file away" in message.lower()
    assert "not a readable SQLite cache" not in message  # the file is, its row is not


def test_rows_of_unknown_operations_and_of_several_operations_are_read(tmp_path):
    path = tmp_path / "c.sqlite"
    cache = ResponseCache(path)
    cache.put("a", {"any": "json"}, model="m", op="custom")
    cache.put("b", [0.1, 0.9], model="m", op="proba")
    cache.put("c", [0.1, 0.2, 0.3], model="m", op="embed")
    cache.put("d", 0.7, model="m2", op="proba")  # a callable's 1-D scores, another model
    cache.put("e", "text", model="m", op="generate")
    cache.put("f", ["x", "y"], model="m", op="generate")
    got = ResponseCache(path).get_many(["a", "b", "c", "e", "f"])
    assert got == {"a": {"any": "json"}, "b": [0.1, 0.9], "c": [0.1, 0.2, 0.3],
                   "e": "text", "f": ["x", "y"]}
    assert ResponseCache(path).get_many(["d"]) == {"d": 0.7}


def test_a_damaged_row_reaches_the_model_user_as_a_cache_error(tmp_path):
    from biasaudit.models.cache import CacheError

    def fn(ts):
        return [[0.5, 0.5] for _ in ts]

    path = tmp_path / "c.sqlite"
    CallableModel(fn, name="m", cache=path).predict_proba(["a", "b", "c"])
    conn = sqlite3.connect(path)
    (key,) = conn.execute("SELECT key FROM responses ORDER BY key LIMIT 1").fetchone()
    conn.close()
    _edit_row(path, key, '["trunc')
    with pytest.raises(CacheError, match=key):
        CallableModel(fn, name="m", cache=path).predict_proba(["a", "b", "c"])
