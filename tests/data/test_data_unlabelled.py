"""Partly labelled corpora: an example whose label is missing (null, NaN, an empty CSV cell,
an absent key) is an unlabelled example, not a bad record. Representation and occupation
statistics cover every example with a usable text, label statistics only the labelled
ones, every example is written to rebalanced.jsonl, and the unlabelled are counted in
summary.json, the HTML report and the CLI summary. ``--strict`` still refuses them.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import biasaudit
from biasaudit.cli import app
from biasaudit.data import (
    LocalRunner,
    ScanConfig,
    ScanThresholds,
    scan,
    scan_to_dir,
    write_flags,
)
from biasaudit.errors import InputError

TH = ScanThresholds(min_count=20)
N = 1000
FORMATS = ("jsonl", "csv", "parquet")
LABEL_KINDS = ("term_label", "group_label")
OCCUPATION_KINDS = ("term_occupation", "group_occupation")


def _rows(n: int = N, seed: int = 3) -> list[dict[str, Any]]:
    """30% of the rows (i % 10 < 3) have no label; they mention female terms more often
    than the labelled rows, so representation over all rows and over the labelled part
    differ. 'mother' is planted in label pos, 'father' with the occupation 'engineer'."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        unlabelled = i % 10 < 3
        pool = (["mother", "mother", "sister", "daughter", "father"] if unlabelled
                else ["mother", "father", "sister", "brother", "son", "daughter"])
        term = rng.choice(pool)
        occ = " with the engineer" if rng.random() < (0.6 if term == "father" else 0.1) else ""
        label = "pos" if rng.random() < (0.9 if term == "mother" else 0.45) else "neg"
        rows.append({"text": f"Today my {term} spoke{occ} at length.",
                     "label": None if unlabelled else label, "uid": f"u{i}"})
    return rows


def _write(path: Path, fmt: str, rows: list[dict[str, Any]]) -> Path:
    """``rows`` in ``fmt``, a missing label written each way the format has: JSONL null,
    an absent key and NaN in turn; CSV an empty cell; Parquet a null."""
    path = path.with_suffix(f".{fmt}")
    if fmt == "jsonl":
        lines = []
        for i, r in enumerate(rows):
            rec = dict(r)
            if rec["label"] is None:
                if i % 3 == 1:
                    del rec["label"]
                elif i % 3 == 2:
                    rec["label"] = math.nan  # json writes NaN, which json reads back
            lines.append(json.dumps(rec) + "\n")
        path.write_text("".join(lines), encoding="utf-8")
    elif fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["text", "label", "uid"])
            w.writeheader()
            w.writerows({**r, "label": r["label"] or ""} for r in rows)
    else:
        pq.write_table(pa.table({k: [r[k] for r in rows] for k in ("text", "label", "uid")}),
                       path, row_group_size=128)
    return path


def _config(fmt: str, **kwargs: Any) -> ScanConfig:
    return ScanConfig(lang="en", label_field="label", id_field="uid", fmt=fmt,
                      chunk_bytes=4096, chunk_rows=128, **kwargs)


def _brute_representation(rows: list[dict[str, Any]]) -> tuple[int, Counter]:
    """Examples mentioning the gender axis, and per group, over every row, by engine.find."""
    eng = biasaudit.engine("en", "gender")
    axis_docs = 0
    docs: Counter = Counter()
    for r in rows:
        groups: set[str] = set()
        for m in eng.find(r["text"]):
            if m.candidates:
                groups |= m.groups
        axis_docs += bool(groups)
        docs.update(groups)
    return axis_docs, docs


def _label_view(result: Any) -> tuple:
    """Everything a scan says about labels."""
    c = result.counts
    return (dict(c.labels), dict(c.term_label), dict(c.group_label), dict(c.profile_label),
            dict(c.joint_label), result.tables, dict(result.weights.cells),
            result.weights.effective_n, result.weights.n,
            tuple(a for a in result.associations if a.kind in LABEL_KINDS))


def _test_view(a: Any) -> tuple:
    """One association without its q-value and flag (they depend on the whole BH family)."""
    return (a.axis, a.kind, a.subject, a.target, a.a, a.b, a.c, a.d, a.log_odds, a.p)


@pytest.mark.parametrize("fmt", FORMATS)
def test_representation_covers_every_example(tmp_path: Path, fmt: str) -> None:
    rows = _rows()
    path = _write(tmp_path / "d", fmt, rows)
    result = scan(path, _config(fmt), thresholds=TH)
    c = result.counts
    assert c.examples == N and c.unlabelled == 300 and sum(c.labels.values()) == 700
    assert sum(c.bad.values()) == 0
    axis_docs, docs = _brute_representation(rows)
    assert result.coverage["gender"].docs == axis_docs == N
    shares = {s.group: s for s in result.representation}
    for group in ("male", "female"):
        assert shares[group].docs == docs[group]
        assert shares[group].share == pytest.approx(docs[group] / axis_docs)
    # the labelled part alone says something else (the unlabelled rows are mostly female)
    labelled = _brute_representation([r for r in rows if r["label"] is not None])
    assert docs["female"] / axis_docs - labelled[1]["female"] / labelled[0] > 0.05


@pytest.mark.parametrize("fmt", FORMATS)
def test_label_statistics_are_those_of_the_labelled_subset(tmp_path: Path, fmt: str) -> None:
    rows = _rows()
    part = _write(tmp_path / "part", fmt, rows)
    only = _write(tmp_path / "labelled", fmt, [r for r in rows if r["label"] is not None])
    # without occupations the BH family is the label tests alone: q and flags compare too
    config = _config(fmt, occupations=())
    got, want = scan(part, config, thresholds=TH), scan(only, config, thresholds=TH)
    assert want.counts.unlabelled == 0 and want.counts.examples == 700
    assert _label_view(got) == _label_view(want)
    assert ("gender", "mother", "pos") in got.flagged("term_label")
    assert got.flagged("term_label") == want.flagged("term_label")


@pytest.mark.parametrize("fmt", FORMATS)
def test_occupation_statistics_are_those_of_every_example(tmp_path: Path, fmt: str) -> None:
    """The occupation tests of a partly labelled corpus are those of the same corpus
    scanned without a label field (every example, none dropped)."""
    path = _write(tmp_path / "d", fmt, _rows())
    got = scan(path, _config(fmt), thresholds=TH)
    unlabelled = scan(path, ScanConfig(lang="en", id_field="uid", fmt=fmt), thresholds=TH)
    assert unlabelled.counts.unlabelled == 0  # no label field: nothing is missing
    for name in ("examples", "axis_docs", "term_docs", "group_docs", "occ_docs", "term_occ",
                 "group_occ", "profiles"):
        assert getattr(got.counts, name) == getattr(unlabelled.counts, name), name
    assert got.representation == unlabelled.representation
    occupation = [_test_view(a) for a in got.associations if a.kind in OCCUPATION_KINDS]
    assert occupation and occupation == [_test_view(a) for a in unlabelled.associations
                                         if a.kind in OCCUPATION_KINDS]
    assert ("gender", "father", "engineer") in got.flagged("term_occupation")


@pytest.mark.parametrize("fmt", FORMATS)
def test_reweigh_writes_every_row_and_unlabelled_rows_weigh_1(tmp_path: Path,
                                                                fmt: str) -> None:
    rows = _rows()
    path = _write(tmp_path / "d", fmt, rows)
    config = _config(fmt)
    result = scan(path, config, thresholds=TH)
    report = write_flags(path, result, config, tmp_path / "w", method="reweigh")
    out = [json.loads(x) for x in report.dataset_path.read_text().splitlines()]
    assert [r["example_id"] for r in out] == [r["uid"] for r in rows]
    assert report.counts["examples"] == N and report.counts["unlabelled"] == 300
    assert report.counts["records_written"] == N
    labelled = [r["weight"] for r, src in zip(out, rows) if src["label"] is not None]
    assert {r["weight"] for r, src in zip(out, rows) if src["label"] is None} == {1.0}
    # Σw over the labelled rows is their number (no cell clipped here), and the Kish
    # effective size is that of the labelled rows, the rows the weights act on
    assert not result.weights.clipped and not result.weights.empty
    assert sum(labelled) == pytest.approx(700)
    assert report.effective_n == pytest.approx(result.weights.effective_n)


@pytest.mark.parametrize("fmt", FORMATS)
def test_augment_copies_every_row_labelled_or_not(tmp_path: Path, fmt: str) -> None:
    """Two-sided CDA copies every example that mentions the axis, unlabelled ones too (a
    copy keeps the missing label), so representation and occupation counts are balanced
    as well as the label table; flags.jsonl still flags an unlabelled example only on
    occupation grounds."""
    rows = _rows()
    path = _write(tmp_path / "d", fmt, rows)
    config = _config(fmt)
    result = scan(path, config, thresholds=TH)
    report = write_flags(path, result, config, tmp_path / "a", method="augment")
    out = [json.loads(x) for x in report.dataset_path.read_text().splitlines()]
    originals = [r for r in out if "counterfactual_of" not in r]
    copies = [r for r in out if "counterfactual_of" in r]
    assert [r["example_id"] for r in originals] == [r["uid"] for r in rows]  # each once
    assert sorted(r["counterfactual_of"] for r in copies) == sorted(r["uid"] for r in rows)
    assert len(copies) == report.counts["augmented"] == N  # every row mentions gender
    assert report.counts["records_written"] == len(out) == 2 * N
    label_of = {r["uid"]: r["label"] for r in rows}
    for cf in copies:  # a missing label stays missing (null, absent, NaN or "" as read)
        label = cf.get("label")
        missing = label in (None, "") or (isinstance(label, float) and math.isnan(label))
        assert missing == (label_of[cf["counterfactual_of"]] is None)
    flags = {f["id"]: f for f in map(json.loads, report.flags_path.read_text().splitlines())}
    unlabelled_flags = [f for f in flags.values() if label_of[f["id"]] is None]
    assert unlabelled_flags and all(f["label"] is None for f in unlabelled_flags)
    assert all({x["kind"] for x in f["reasons"]} <= set(OCCUPATION_KINDS)
               for f in unlabelled_flags)
    # an unlabelled 'mother' row (the planted pos term) without an occupation is not flagged
    plain = [r["uid"] for r in rows if r["label"] is None and "mother" in r["text"]
             and "engineer" not in r["text"]]
    assert plain and not set(plain) & set(flags)


@pytest.mark.parametrize("fmt", FORMATS)
def test_strict_still_refuses_a_missing_label(tmp_path: Path, fmt: str) -> None:
    """``--strict`` promises a complete corpus: the first missing label (row 1 here) is an
    error naming its line and field, in the scan and in the second pass alike."""
    rows = _rows(50)
    path = _write(tmp_path / "d", fmt, rows)
    line = 2 if fmt == "csv" else 1  # (the CSV header is line 1)
    with pytest.raises(InputError, match="label is missing") as info:
        scan(path, _config(fmt, strict=True), thresholds=TH)
    assert info.value.location.line == line and info.value.location.field == "label"
    lax = scan(path, _config(fmt), thresholds=TH)
    with pytest.raises(InputError, match="label is missing") as info:
        write_flags(path, lax, _config(fmt, strict=True), tmp_path / "o", method="reweigh")
    assert info.value.location.line == line


@pytest.mark.parametrize("workers", [1, 2])
def test_strict_stops_at_the_first_problem_in_file_order(tmp_path: Path,
                                                         workers: int) -> None:
    """A missing label and a bad record are stopped at in file order, whatever the workers."""
    good = [json.dumps({"text": f"My son number {i} ran.", "label": "a"}) for i in range(40)]
    missing_first = [*good[:20], json.dumps({"text": "My son ran."}), *good[20:30],
                     json.dumps({"text": 3, "label": "a"}), *good[30:]]
    bad_first = [*good[:20], json.dumps({"text": 3, "label": "a"}), *good[20:30],
                 json.dumps({"text": "My son ran.", "label": None}), *good[30:]]
    for lines, want in [(missing_first, (21, "label")), (bad_first, (21, "text"))]:
        path = tmp_path / "d.jsonl"
        path.write_text("\n".join(lines) + "\n")
        config = ScanConfig(lang="en", label_field="label", strict=True, chunk_bytes=64)
        with pytest.raises(InputError) as info:
            scan(path, config, runner=LocalRunner(workers=workers))
        assert (info.value.location.line, info.value.location.field) == want


def test_strict_missing_label_names_the_file_and_comes_after_the_id_check(
        tmp_path: Path) -> None:
    """The strict label check is one of the record checks: its error names the file as
    given, the line and the field, and a record without its id reports the id first."""
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "My son ran.", "uid": "a", "label": "x"}) + "\n"
                    + json.dumps({"text": "My son ran."}) + "\n")
    strict = ScanConfig(lang="en", label_field="label", id_field="uid", strict=True)
    for run in (lambda: scan(path, strict),
                lambda: write_flags(path, scan(path, replace(strict, strict=False)), strict,
                                    tmp_path / "o")):
        with pytest.raises(InputError) as info:
            run()
        where = info.value.location
        assert (str(where.path), where.line, where.field) == (str(path), 2, "uid")
    path.write_text(json.dumps({"text": "My son ran.", "uid": "b"}) + "\n")
    with pytest.raises(InputError) as info:
        scan(path, strict)
    where = info.value.location
    assert (info.value.message, str(where.path), where.line, where.field) == (
        "missing field: label is missing", str(path), 1, "label")


def test_summary_html_and_cli_report_the_unlabelled(tmp_path: Path) -> None:
    rows = _rows()
    path = _write(tmp_path / "d", "jsonl", rows)
    summary = scan_to_dir(path, _config("jsonl"), tmp_path / "out", thresholds=TH,
                          method="reweigh")
    saved = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert saved["totals"]["unlabelled"] == 300 == summary["totals"]["unlabelled"]
    assert saved["totals"]["labelled"] == 700 and saved["totals"]["bad_records"] == 0
    first = saved["unlabelled"]["first"]
    assert saved["unlabelled"]["count"] == 300 and len(first) == 20
    assert first[:4] == [{"file": "d.jsonl", "line": n} for n in (1, 2, 3, 11)]
    assert saved["weights"]["n"] == 700
    assert saved["rebalance"]["counts"]["unlabelled"] == 300
    html = (tmp_path / "out" / "report.html").read_text()
    assert "300 of them without a label" in html and "Over the 700 labelled examples" in html
    assert "the 300 unlabelled examples keep weight 1" in html
    cli = CliRunner().invoke(app, ["scan", str(path), "--label-field", "label", "--out",
                                   str(tmp_path / "cli"), "--min-count", "20"])
    assert cli.exit_code == 0, cli.output
    assert "1000 examples (300 without a label), 0 bad record(s)" in cli.stdout
    strict = CliRunner().invoke(app, ["scan", str(path), "--label-field", "label", "--out",
                                      str(tmp_path / "s"), "--strict"])
    assert strict.exit_code == 2 and "line 1" in strict.output
    assert "field 'label'" in strict.output


def test_no_label_field_has_nothing_unlabelled(tmp_path: Path) -> None:
    path = _write(tmp_path / "d", "jsonl", _rows(100))
    summary = scan_to_dir(path, ScanConfig(lang="en"), tmp_path / "out", html=False)
    assert summary["totals"]["unlabelled"] == 0 and summary["totals"]["labelled"] is None
    assert summary["unlabelled"] == {"count": 0, "first": []}


def test_rescan_after_augment_is_symmetric(tmp_path: Path) -> None:
    """What docs/data-scanner.md says of re-scanning after ``augment`` (the figures quoted
    there): every example is copied, so the female and male rows of the profile × label
    table are equal and the gender flags are gone. 'mother' and 'father' stay flagged for
    pos, both alike: the planted skew was on one term, and CDA gives a term its partner's
    examples, so what is left is a parent-word effect shared by the pair, not a gender one.
    (Copying only the flagged examples reversed the skew: female 39% pos, male 66%, 7
    flags, all on the other side.)"""
    path = _write(tmp_path / "d", "jsonl", [r for r in _rows() if r["label"] is not None])
    config = ScanConfig(lang="en", label_field="label", occupations=())
    summary = scan_to_dir(path, config, tmp_path / "a", thresholds=TH, method="augment",
                          html=False)
    before = {(f["subject"], f["target"]) for f in summary["flags"]}
    assert before == {("mother", "pos"), ("father", "neg"), ("female", "pos"),
                      ("male", "neg")}
    counts = summary["rebalance"]["counts"]
    assert (counts["flagged"], counts["augmented"], counts["records_written"]) == (
        398, 700, 1400)
    after = scan(tmp_path / "a" / "rebalanced.jsonl", config, thresholds=TH)
    assert {(a.subject, a.target) for a in after.flags} == {("mother", "pos"),
                                                             ("father", "pos")}
    (table,) = after.tables
    share = {row: dict(zip(table.columns, n))["pos"] / sum(n)
             for row, n in zip(table.rows, table.counts)}
    assert share["female"] == share["male"] and round(share["female"], 2) == 0.52
