"""Reading: every kind of bad record counted with its line, strict mode, chunking that never
changes results (CSV quoted newlines included), Parquet, folders, datasets objects, CSV empty
cells as missing values, and integral float labels."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biasaudit.data import BAD_KINDS, LocalRunner, ScanConfig, open_source, scan
from biasaudit.data.sources import Fields, _loads, plan_text_file, read_chunk
from biasaudit.errors import InputError

GOOD = {"text": "She thanked her mother.", "label": "pos"}


def _bad_jsonl(path: Path) -> dict[str, list[int]]:
    """A JSONL file with each kind of bad record at known lines."""
    lines: list[bytes] = []
    where: dict[str, list[int]] = {k: [] for k in BAD_KINDS}

    def add(raw: bytes, kind: str | None = None) -> None:
        lines.append(raw)
        if kind:
            where[kind].append(len(lines))

    good = json.dumps(GOOD).encode()
    add(good)
    add(b'{"text": "He left", "label": ', "unparsable")
    add(good)
    add(b'{"text": "caf\xe9 au lait", "label": "pos"}', "invalid_utf8")
    add(b'["a", "list"]', "not_an_object")
    add(json.dumps({"label": "pos"}).encode(), "missing_field")
    add(json.dumps({"text": "He said", "label": None}).encode())  # unlabelled, not bad
    add(json.dumps({"text": 42, "label": "pos"}).encode(), "wrong_type")
    add(json.dumps({"text": "He said", "label": [1]}).encode(), "wrong_type")
    add(b"", "unparsable")
    for _ in range(5):
        add(good)
    add(json.dumps({"text": "His son", "label": 1.5}).encode(), "wrong_type")
    path.write_bytes(b"\n".join(lines) + b"\n")
    return where


def test_bad_records_counted_by_kind_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    where = _bad_jsonl(path)
    result = scan(path, ScanConfig(lang="en", label_field="label"))
    c = result.counts
    assert c.examples == 8 and c.unlabelled == 1 and c.unlabelled_lines == [("bad.jsonl", 7)]
    for kind in BAD_KINDS:
        assert c.bad[kind] == len(where[kind]), kind
        assert [line for _, line, _, _ in c.bad_lines.get(kind, [])] == where[kind]
    fields = {line: fld for kind in BAD_KINDS for _, line, fld, _ in c.bad_lines.get(kind, [])}
    assert fields[6] == "text" and 7 not in fields and fields[8] == "text"
    n_lines = len(path.read_bytes().split(b"\n")) - 1
    assert c.examples + sum(c.bad.values()) == n_lines == 16  # nothing dropped silently


def test_bad_lines_keep_first_n_but_count_all(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join("not json\n" if i % 2 else json.dumps(GOOD) + "\n"
                            for i in range(200)))
    result = scan(path, ScanConfig(lang="en", max_bad_lines=5, chunk_bytes=256))
    assert result.counts.bad["unparsable"] == 100
    assert [ln for _, ln, _, _ in result.counts.bad_lines["unparsable"]] == [2, 4, 6, 8, 10]


@pytest.mark.parametrize("workers", [1, 2])
def test_strict_mode_fails_on_first_bad_record(tmp_path: Path, workers: int) -> None:
    path = tmp_path / "bad.jsonl"
    _bad_jsonl(path)
    with pytest.raises(InputError) as info:  # the first in file order, whatever the workers
        scan(path, ScanConfig(lang="en", label_field="label", strict=True, chunk_bytes=64),
             runner=LocalRunner(workers=workers))
    err = info.value
    assert err.location.path == str(path) and err.location.line == 2
    assert "bad.jsonl, line 2" in str(err)
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({"text": "x"}) + "\n")
    with pytest.raises(InputError) as info:
        scan(path, ScanConfig(lang="en", label_field="label", strict=True))
    assert (info.value.location.line, info.value.location.field) == (2, "label")


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def test_csv_quoted_newlines_survive_any_chunking(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    rows = [["id", "text", "label"]]
    for i in range(60):
        text = f"He said \"hi\",\nthen she left {i}." if i % 3 == 0 else f"Her son {i}"
        rows.append([str(i), text, "ab"[i % 2]])
    _write_csv(path, rows)
    config = ScanConfig(lang="en", label_field="label", id_field="id")
    whole = scan(path, config)
    for size in (16, 50, 333):
        chunks = list(plan_text_file(str(path), "csv", chunk_bytes=size))
        assert len(chunks) > 1
        parts = scan(path, ScanConfig(lang="en", label_field="label", id_field="id",
                                      chunk_bytes=size))
        assert parts.counts == whole.counts
    assert whole.counts.examples == 60 and not whole.counts.bad
    assert whole.counts.term_docs["gender", "she"] == 20


def test_csv_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"text,label\nHe left,pos\nonly one column\n"
                     b"\"She said \xff\",neg\nHis,pos,extra\n\"unterminated,pos\n")
    result = scan(path, ScanConfig(lang="en", label_field="label"))
    lines = {k: [ln for _, ln, _, _ in v] for k, v in result.counts.bad_lines.items()}
    assert lines["invalid_utf8"] == [4]
    assert lines["unparsable"][:2] == [3, 5]
    assert result.counts.examples == 1


@pytest.mark.parametrize("chunk_bytes", [40, 1 << 20])
def test_jsonl_chunking_gives_exact_lines(tmp_path: Path, chunk_bytes: int) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps({"text": f"he {i}", "n": i}) + "\n" for i in range(50)))
    lines = [ex.line for ch in plan_text_file(str(path), "jsonl", chunk_bytes=chunk_bytes)
             for ex in read_chunk(ch, Fields("text"), keep_record=True)]
    assert lines == list(range(1, 51))


def test_parquet_row_groups_and_folder_of_partitions(tmp_path: Path) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    texts = [f"{'She' if i % 4 else 'He'} met her sister {i}." for i in range(100)]
    labels = ["pos" if i % 3 else "neg" for i in range(100)]
    for part in range(2):
        sl = slice(part * 50, part * 50 + 50)
        table = pa.table({"text": texts[sl], "label": labels[sl]})
        pq.write_table(table, folder / f"part-{part}.parquet", row_group_size=16)
    (tmp_path / "all.jsonl").write_text("".join(
        json.dumps({"text": t, "label": y}) + "\n" for t, y in zip(texts, labels)))
    config = ScanConfig(lang="en", label_field="label")
    pq_result = scan(folder, config)
    js_result = scan(tmp_path / "all.jsonl", config)
    assert pq_result.counts.examples == 100
    assert pq_result.counts.term_label == js_result.counts.term_label
    assert open_source(str(folder / "part-*.parquet")).paths == open_source(folder).paths


def test_parquet_nulls_and_types_are_bad_records(tmp_path: Path) -> None:
    """A null text is a bad record; a null label makes an unlabelled example."""
    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"text": ["he", None, "she"], "label": [1.5, 1.0, None]}), path)
    result = scan(path, ScanConfig(lang="en", label_field="label"))
    lines = {k: [ln for _, ln, _, _ in v] for k, v in result.counts.bad_lines.items()}
    assert lines == {"wrong_type": [1], "missing_field": [2]}
    assert result.counts.unlabelled_lines == [("d.parquet", 3)]


class FakeDataset:
    """The slice of ``datasets.Dataset`` the scanner uses: column_names, len, slicing."""

    def __init__(self, columns: dict[str, list[Any]]) -> None:
        self._columns = columns
        self.column_names = list(columns)

    def __len__(self) -> int:
        return len(next(iter(self._columns.values())))

    def __getitem__(self, key: slice) -> dict[str, list[Any]]:
        return {k: v[key] for k, v in self._columns.items()}


class FakeIterableDataset:
    """The slice of ``datasets.IterableDataset`` the scanner uses: column_names and .iter."""

    def __init__(self, columns: dict[str, list[Any]]) -> None:
        self._columns = columns
        self.column_names = list(columns)

    def iter(self, batch_size: int):
        n = len(next(iter(self._columns.values())))
        for lo in range(0, n, batch_size):
            yield {k: v[lo : lo + batch_size] for k, v in self._columns.items()}


@pytest.mark.parametrize("cls", [FakeDataset, FakeIterableDataset])
def test_datasets_objects_by_duck_typing(tmp_path: Path, cls: type) -> None:
    texts = [f"{'His' if i % 2 else 'Her'} father called {i}" for i in range(45)] + [None]
    labels = ["ab"[i % 2] for i in range(46)]
    result = scan(cls({"text": texts, "label": labels}),
                  ScanConfig(lang="en", label_field="label", chunk_rows=10))
    assert result.counts.examples == 45
    assert [ln for _, ln, _, _ in result.counts.bad_lines["missing_field"]] == [46]
    assert result.counts.term_docs["gender", "father"] == 45


def test_unknown_inputs_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data files"):
        open_source(tmp_path / "nothing-*.jsonl")
    (tmp_path / "x.txt").write_text("hi")
    with pytest.raises(InputError, match="format"):
        open_source(tmp_path / "x.txt")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(['{"a": 1}', "[1, 2]", '"x"', "1", "null", " ", "\t", "\r",
                                 "\u00a0", "x", "{", "}", ",", '"', "\\", "nul", "]"]),
                max_size=6))
def test_fast_json_line_parser_agrees_with_json_loads(parts: list[str]) -> None:
    line = "".join(parts)
    try:
        expected: Any = json.loads(line)
    except ValueError as exc:
        expected = ("error", str(exc))
    try:
        got: Any = _loads(line)
    except ValueError as exc:
        got = ("error", str(exc))
    assert got == expected


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


# -- label values -------------------------------------------------------------------------

def test_csv_empty_cells_are_missing_like_json_null(tmp_path: Path) -> None:
    """CSV cannot write null: an empty label, id or metadata cell is a missing value, as a
    JSON null is, not a label (or source) called '' (a missing label: an unlabelled
    example, kept for representation)."""
    (tmp_path / "a.csv").write_text(
        "text,label,src,id\nshe is here,pos,web,1\nhe is here,,,2\nhe went,neg,,3\n"
        "she went,neg,web,\n", encoding="utf-8")
    config = ScanConfig(lang="en", label_field="label", meta_fields=("src",))
    result = scan(tmp_path / "a.csv", config)
    assert dict(result.counts.labels) == {"pos": 1, "neg": 2}
    assert result.counts.unlabelled_lines == [("a.csv", 3)] and not result.counts.bad
    assert dict(result.counts.meta_docs) == {("src", "web"): 2, ("src", "(missing)"): 2}
    with_id = scan(tmp_path / "a.csv", ScanConfig(lang="en", id_field="id"))
    assert with_id.counts.bad_lines["missing_field"] == [("a.csv", 5, "id", "id is missing")]


def test_integral_float_labels_are_integers_and_nan_is_missing(tmp_path: Path) -> None:
    """A label column written by pandas with a null in it is float (1.0, NaN): 1.0 is the
    label 1, NaN and null are missing (unlabelled examples), 1.5 is still the wrong type."""
    pq.write_table(pa.table({"text": ["she is", "he is", "he went", "she went", "he ran"],
                             "label": [1.0, float("nan"), 0.0, None, 1.5]}),
                   tmp_path / "a.parquet")
    result = scan(tmp_path / "a.parquet", ScanConfig(lang="en", label_field="label"))
    assert dict(result.counts.labels) == {"1": 1, "0": 1}
    lines = {k: [ln for _, ln, _, _ in v] for k, v in result.counts.bad_lines.items()}
    assert lines == {"wrong_type": [5]}
    assert [ln for _, ln in result.counts.unlabelled_lines] == [2, 4]
    _jsonl(tmp_path / "b.jsonl", [{"text": "she", "label": 1}, {"text": "he", "label": 1.0},
                                  {"text": "he", "label": "1"}])
    same = scan(tmp_path / "b.jsonl", ScanConfig(lang="en", label_field="label"))
    assert dict(same.counts.labels) == {"1": 3}
