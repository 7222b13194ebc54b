"""Input handling: Parquet without the text column, CSV chunking that follows csv's own
quote rules (stray quotes, lone ``\\r``), corrupt files, lexicon paths (relative on workers,
missing), unique default ids, degenerate tables, suffix-less partitions, a JSONL BOM."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from biasaudit.cli import app
from biasaudit.data import LocalRunner, ScanConfig, ScanThresholds, open_source, scan, scan_to_dir
from biasaudit.data.analysis import log_odds_dirichlet
from biasaudit.data.counts import scan_chunk
from biasaudit.data.sources import BadRecord, Fields, plan_text_file, read_chunk
from biasaudit.errors import InputError, LexiconError
from biasaudit.lexicons import load_lexicons

runner = CliRunner()

ROWS = [("She is a nurse.", "a"), ("He is a doctor.", "b"), ("The mother cooked.", "a")]

LEXICON = """\
format: biasaudit-lexicon/1
name: en-gender-extra
language: en
axis: gender
version: 1.0.0
groups: [male, female]
swap: {male: female, female: male}
description: test
source: test
licence: Apache-2.0
reviewer: test
entries:
  - {pos: noun, features: {number: sg}, forms: {male: zorpman, female: zorpwoman}}
"""


def _lines(result: Any) -> dict[str, list[tuple[int, str | None]]]:
    return {k: [(ln, fld) for _, ln, fld, _ in v] for k, v in result.counts.bad_lines.items()}


# -- 1. Parquet without the text column ------------------------------------------------------

def test_parquet_without_the_text_column_counts_missing_fields_like_jsonl(tmp_path: Path
                                                                          ) -> None:
    pq.write_table(pa.table({"sentence": [s for s, _ in ROWS], "label": [y for _, y in ROWS]}),
                   tmp_path / "p.parquet")
    (tmp_path / "p.jsonl").write_text(
        "".join(json.dumps({"sentence": s, "label": y}) + "\n" for s, y in ROWS))
    for label_field in (None, "label"):
        config = ScanConfig(lang="en", label_field=label_field)
        results = [scan(tmp_path / f"p.{ext}", config) for ext in ("parquet", "jsonl")]
        for r in results:
            assert r.counts.examples == 0 and dict(r.counts.bad) == {"missing_field": 3}
            assert _lines(r) == {"missing_field": [(1, "text"), (2, "text"), (3, "text")]}
    with pytest.raises(InputError) as info:
        scan(tmp_path / "p.parquet", ScanConfig(lang="en", strict=True))
    assert (info.value.location.line, info.value.location.field) == (1, "text")
    # both passes of rebalance see the same bad records
    summary = scan_to_dir(tmp_path / "p.parquet", ScanConfig(lang="en"), tmp_path / "out",
                          method="augment", html=False)
    assert summary["totals"]["bad_records"] == 3
    assert summary["rebalance"]["counts"]["bad_records"] == 3
    result = runner.invoke(app, ["scan", str(tmp_path / "p.parquet"), "--strict", "--out",
                                 str(tmp_path / "o2")])
    assert result.exit_code == 2
    assert "field 'text'" in result.output and "missing field" in result.output


# -- 3 and 5. CSV chunking follows csv's rules ----------------------------------------------

def _csv_items(path: Path, chunk_bytes: int, text: str = "a") -> list[tuple[Any, ...]]:
    fields = Fields(text)
    out: list[tuple[Any, ...]] = []
    for chunk in plan_text_file(str(path), "csv", chunk_bytes=chunk_bytes):
        for item in read_chunk(chunk, fields, keep_record=True):
            if isinstance(item, BadRecord):
                out.append(("bad", item.line))
            else:
                out.append(("ok", item.line, tuple(item.record.values())))
    return out


def _single_pass(data: bytes) -> list[tuple[Any, ...]]:
    """The records of one csv.reader pass over the whole file (after the header)."""
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    out: list[tuple[Any, ...]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return out
        except csv.Error:
            out.append(("bad",))
            continue
        out.append(("ok", tuple(row)) if len(row) == 2 else ("bad",))


_PIECES = ["she", "he", " ", ",", '"', '""', "\n", "\r", "\r\n", "5\" screen", "x", "é"]
_field = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=4).map("".join),  # raw: stray quotes, breaks
    st.lists(st.sampled_from(_PIECES), max_size=4).map(  # properly quoted
        lambda p: '"' + "".join(p).replace('"', '""') + '"'),
)
_row = st.tuples(st.lists(_field, min_size=1, max_size=3).map(",".join),
                 st.sampled_from(["\n", "\r\n", "\r"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_row, max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_csv_records_are_the_same_at_any_chunk_size(tmp_path_factory: pytest.TempPathFactory,
                                                    rows: list[tuple[str, str]],
                                                    end: str) -> None:
    data = ("a,b" + end + "".join(r + e for r, e in rows)).encode("utf-8")
    path = tmp_path_factory.mktemp("csv") / "d.csv"
    path.write_bytes(data)
    whole = _csv_items(path, 1 << 20)
    expected = _single_pass(data)
    assert [(x[0], *x[2:]) for x in whole] == expected
    for size in (1, 3, 17):
        assert _csv_items(path, size) == whole


def test_stray_quote_in_an_unquoted_field_does_not_shift_chunks(tmp_path: Path) -> None:
    rows = ["text,label\n"]
    for i in range(200):
        rows.append(f'she bought a 5" screen {i},a\n' if i == 0 else f"he works {i},b\n")
        rows.append(f'"the mother said\nhello {i}",a\n')
    path = tmp_path / "stray.csv"
    path.write_text("".join(rows))
    for size in (1 << 22, 64, 256):
        r = scan(path, ScanConfig(lang="en", label_field="label", chunk_bytes=size))
        assert r.counts.examples == 400 and not r.counts.bad
        assert dict(r.counts.labels) == {"a": 201, "b": 199}
    scan(path, ScanConfig(lang="en", label_field="label", strict=True, chunk_bytes=64))


def _with_lines(data: bytes) -> list[tuple[Any, ...]]:
    """:func:`_single_pass` with each record's first line, counting ``\\n`` and a lone
    ``\\r`` that ends a record as line breaks, as the planner does."""
    lines = list(io.StringIO(data.decode("utf-8"), newline=""))
    reader = csv.reader(iter(lines), strict=True)
    out: list[tuple[Any, ...]] = []
    line, seen = 1, 0
    while True:
        try:
            row: Any = next(reader)
        except StopIteration:
            return out[1:]  # (after the header)
        except csv.Error:
            row = None
        taken = lines[seen:reader.line_num]
        seen = reader.line_num
        first = line
        line += sum(ln.count("\n") for ln in taken) + taken[-1].endswith("\r")
        ok = row is not None and len(row) == 2
        out.append(("ok", first, tuple(row)) if ok else ("bad", first))


def test_lone_cr_files_cut_into_many_chunks_read_as_one_pass(tmp_path: Path) -> None:
    """Old Mac line ends (a file that is one line for ``for line in f``), with quoted fields
    holding \\r and \\r\\n, stray quotes and bad rows, larger than a read block."""
    rows = ["a,b\r"]
    for i in range(60_000):
        rows.append(f'he said {i},x\r' if i % 4 else f'"she\rsaid\r\n{i}",y\r')
        if i % 997 == 0:
            rows.append(f'a 5" screen,"q"z{i}\r"oops",1,2\r\r')
    data = "".join(rows).encode()
    path = tmp_path / "mac.csv"
    path.write_bytes(data)
    expected = _with_lines(data)
    for size in (1 << 22, 100_000, 4096):
        chunks = list(plan_text_file(str(path), "csv", chunk_bytes=size))
        assert chunks[0].start == 4 and chunks[-1].end == len(data)
        assert all(a.end == b.start for a, b in itertools.pairwise(chunks))
        got = [("bad", x[1]) if x[0] == "bad" else x for x in _csv_items(path, size)]
        assert got == expected


def test_csv_cuts_follow_the_field_size_limit(tmp_path: Path) -> None:
    """A field over csv's limit is a csv error that drops the rest of its line, so a quoted
    field it would have opened does not swallow the next lines."""
    data = ('a,b\n' + "".join(f'{"x" * 30},"q{i}\nr",z\n{i},"ok"\n' for i in range(50))
            ).encode()
    path = tmp_path / "limit.csv"
    path.write_bytes(data)
    old = csv.field_size_limit(20)
    try:
        expected = _with_lines(data)
        for size in (1, 7, 100, 1 << 20):
            got = [("bad", x[1]) if x[0] == "bad" else x for x in _csv_items(path, size)]
            assert got == expected
    finally:
        csv.field_size_limit(old)


def test_jsonl_lines_longer_than_a_chunk(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    lines = [json.dumps({"text": "she " * n}) for n in (3000, 1, 0, 5000)]
    path.write_text("\n".join(lines))  # (no newline at the end)
    data = path.read_bytes()
    for size in (1, 1000, 7000, 1 << 20):
        chunks = list(plan_text_file(str(path), "jsonl", chunk_bytes=size))
        assert chunks[0].start == 0 and chunks[-1].end == len(data)
        assert all(a.end == b.start for a, b in itertools.pairwise(chunks))
        for c in chunks:  # cut after a newline (or at the end), numbered from the file's lines
            assert c.end == len(data) or data[c.end - 1:c.end] == b"\n"
            assert c.first_line == 1 + data.count(b"\n", 0, c.start)
        items = [(x.line, x.text) for c in chunks for x in read_chunk(c, Fields("text"))]
        assert items == [(i + 1, json.loads(ln)["text"]) for i, ln in enumerate(lines)]


@pytest.mark.parametrize("chunk_bytes", [1, 16, 1 << 20])
def test_csv_lone_carriage_return_in_a_quoted_field_keeps_line_numbers(
        tmp_path: Path, chunk_bytes: int) -> None:
    path = tmp_path / "cr.csv"
    path.write_bytes(b'text,label\n"she said\rhello",a\nhe left,b\nbad row with,too,many\n')
    items = _csv_items(path, chunk_bytes, "text")
    assert [x[:2] for x in items] == [("ok", 2), ("ok", 3), ("bad", 4)]
    r = scan(path, ScanConfig(lang="en", label_field="label", chunk_bytes=chunk_bytes))
    assert _lines(r) == {"unparsable": [(4, None)]}
    with pytest.raises(InputError, match=r"cr\.csv, line 4"):
        scan(path, ScanConfig(lang="en", label_field="label", strict=True,
                              chunk_bytes=chunk_bytes))


def test_csv_with_old_mac_line_ends_numbers_each_record(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b'text,label\rshe left,a\r"he\rsaid",b\rher son,a\r')
    for size in (1, 1 << 20):
        assert [x[:2] for x in _csv_items(path, size, "text")] == [("ok", 2), ("ok", 3),
                                                                  ("ok", 4)]


# -- 4. corrupt Parquet ----------------------------------------------------------------------

def test_corrupt_parquet_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.parquet"
    path.write_text("not parquet\n")
    with pytest.raises(InputError, match=r"corrupt\.parquet: cannot read the Parquet file"):
        scan(path, ScanConfig(lang="en"))
    result = runner.invoke(app, ["scan", str(path), "--fail-on-flags", "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "cannot read the Parquet file" in result.output and "Traceback" not in result.output


# -- 2 and 6. lexicon paths ------------------------------------------------------------------

def test_relative_lexicon_path_is_resolved_on_the_driver(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mylex").mkdir()
    (tmp_path / "mylex" / "extra.yaml").write_text(LEXICON)
    (tmp_path / "z.jsonl").write_text('{"text": "a zorpwoman left"}\n')
    monkeypatch.chdir(tmp_path)
    config = ScanConfig(lang="en", lexicon_paths=("mylex",))
    spec = config.spec()
    assert spec.lexicon_paths == (str(tmp_path / "mylex"),)
    chunks = list(open_source("z.jsonl").chunks(spec.fields))
    monkeypatch.chdir("/")  # a worker elsewhere
    counts = scan_chunk(chunks[0], spec)
    assert counts.term_docs["gender", "zorpwoman"] == 1


def test_missing_lexicon_path_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    missing = tmp_path / "does_not_exist"
    with pytest.raises(LexiconError, match=r"no such file or folder: .*does_not_exist"):
        load_lexicons("en", "gender", lexicon_paths=[missing])
    (tmp_path / "z.jsonl").write_text('{"text": "she left"}\n')
    with pytest.raises(LexiconError, match="no such file or folder"):
        scan(tmp_path / "z.jsonl", ScanConfig(lang="en", lexicon_paths=(str(missing),)))
    for args in (["scan", str(tmp_path / "z.jsonl"), "--out", str(tmp_path / "o")],
                 ["swap", "she left", "--lang", "en"]):
        result = runner.invoke(app, [*args, "--lexicon", str(missing)])
        assert result.exit_code == 2, result.output
        assert "no such file or folder" in result.output
    # a missing entry of BIASAUDIT_LEXICON_PATH is skipped, as in PATH
    monkeypatch.setenv("BIASAUDIT_LEXICON_PATH", str(missing))
    assert load_lexicons("en", "gender").entries


# -- 7. unique default ids -------------------------------------------------------------------

@pytest.mark.parametrize("workers", [1, 2])
def test_default_ids_are_unique_across_same_named_files(tmp_path: Path, workers: int) -> None:
    for part in ("a", "b"):
        (tmp_path / "multi" / part).mkdir(parents=True)
        (tmp_path / "multi" / part / "train.jsonl").write_text(
            "".join(json.dumps({"text": f"her mother {i}", "label": "xy"[i % 2]}) + "\n"
                    for i in range(40)))
    out = tmp_path / "out"
    scan_to_dir(str(tmp_path / "multi" / "*" / "train.jsonl"),
                ScanConfig(lang="en", label_field="label"), out, method="reweigh", html=False,
                runner=LocalRunner(workers=workers))
    ids = [json.loads(line)["example_id"] for line in (out / "rebalanced.jsonl").open()]
    assert len(ids) == len(set(ids)) == 80
    assert ids[0] == "a/train.jsonl:1" and ids[40] == "b/train.jsonl:1"
    # one file, or a folder of partitions, keeps the base name
    single = tmp_path / "multi" / "a" / "train.jsonl"
    chunk = next(open_source(single).chunks(Fields("text")))
    assert next(read_chunk(chunk, Fields("text"))).id == "train.jsonl:1"


@pytest.mark.parametrize("workers", [1, 2])
def test_outputs_name_files_relative_to_the_inputs_and_errors_as_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    for part in ("a", "b"):
        (tmp_path / "data" / part).mkdir(parents=True)
        rows = [json.dumps({"text": ["her mother", "his father"][i % 2] + f" {i}",
                            "label": "xy"[i % 2]}) for i in range(40)]
        rows.insert(5, "{oops")
        (tmp_path / "data" / part / "train.jsonl").write_text("\n".join(rows) + "\n")
    monkeypatch.chdir(tmp_path)
    given = "data/*/train.jsonl"
    out = tmp_path / "out"
    summary = scan_to_dir(given, ScanConfig(lang="en", label_field="label"), out,
                          html=False, runner=LocalRunner(workers=workers),
                          thresholds=ScanThresholds(min_count=10))
    # outputs: relative to the folder holding all inputs (as the default ids), never absolute
    assert summary["config"]["files"] == ["a/train.jsonl", "b/train.jsonl"]
    assert [b["file"] for b in summary["bad_records"]["unparsable"]["first"]] == [
        "a/train.jsonl", "b/train.jsonl"]
    flags = [json.loads(line) for line in (out / "flags.jsonl").open()]
    assert flags and {f["source"] for f in flags} <= {"a/train.jsonl", "b/train.jsonl"}
    assert all(f["id"] == f"{f['source']}:{f['line']}" for f in flags)
    assert str(tmp_path / "data") not in (out / "flags.jsonl").read_text()
    assert str(tmp_path / "data") not in (out / "summary.json").read_text()
    # error messages: the file as the caller named it
    with pytest.raises(InputError) as info:
        scan(given, ScanConfig(lang="en", strict=True), runner=LocalRunner(workers=workers))
    assert str(info.value).startswith("data/a/train.jsonl, line 6: unparsable: bad JSON")
    result = runner.invoke(app, ["scan", "data/b/train.jsonl", "--strict", "--out", "o"])
    assert result.exit_code == 2
    assert "data/b/train.jsonl, line 6: unparsable" in " ".join(result.output.split())
    (tmp_path / "data" / "h.csv").write_text("")
    with pytest.raises(InputError, match=r"^data/h\.csv, line 1: cannot read the CSV header"):
        scan("data/h.csv", ScanConfig(lang="en"))


# -- 8. degenerate tables --------------------------------------------------------------------

def test_min_count_zero_skips_tables_of_a_subject_in_every_example(tmp_path: Path) -> None:
    path = tmp_path / "allshe.jsonl"
    path.write_text("".join(json.dumps({"text": "she is a nurse" if i % 2 else "she is here",
                                        "label": "ab"[i % 3 == 0]}) + "\n" for i in range(100)))
    result = scan(path, ScanConfig(lang="en", label_field="label"),
                  thresholds=ScanThresholds(min_count=0))
    assert all(0 < a.a + a.b < a.a + a.b + a.c + a.d for a in result.associations)
    assert all(math.isnan(x) for x in log_odds_dirichlet(5, 5, 0, 0, prior=10.0))
    assert all(math.isnan(x) for x in log_odds_dirichlet(0, 0, 5, 5, prior=10.0))
    cli = runner.invoke(app, ["scan", str(path), "--label-field", "label", "--min-count", "0",
                              "--out", str(tmp_path / "o")])
    assert cli.exit_code == 2


# -- 9. suffix-less partitions ---------------------------------------------------------------

def test_folder_of_suffixless_partitions_with_a_format(tmp_path: Path) -> None:
    folder = tmp_path / "sparkout"
    folder.mkdir()
    for i in range(2):
        (folder / f"part-0000{i}").write_text(json.dumps({"text": f"she {i}"}) + "\n")
    (folder / "_SUCCESS").write_text("")
    (folder / ".part-00000.crc").write_text("crc")
    (folder / "other.csv").write_text("text\nhe\n")
    source = open_source(folder, fmt="jsonl")
    assert [Path(p).name for p in source.paths] == ["part-00000", "part-00001"]
    assert scan(folder, ScanConfig(lang="en", fmt="jsonl")).counts.examples == 2
    # without a format, the suffix says which files are data
    assert [Path(p).name for p in open_source(folder).paths] == ["other.csv"]
    os.remove(folder / "other.csv")
    with pytest.raises(InputError, match="no data files"):
        open_source(folder)


# -- BOM -------------------------------------------------------------------------------------

def test_jsonl_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps({"text": s}) + "\n"
                                              for s, _ in ROWS).encode())
    for size in (1, 1 << 20):
        r = scan(path, ScanConfig(lang="en", chunk_bytes=size))
        assert r.counts.examples == 3 and not r.counts.bad
