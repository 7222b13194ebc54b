"""Second correctness review of the scanner: occupations in non-NFC text, groups that never
occur, CSV empty cells and float labels, CDS targets on axes without swaps, a source
``weight`` field, threshold validation, and counterfactual edits in the output."""

from __future__ import annotations

import collections
import json
import unicodedata
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from biasaudit.data import ScanConfig, ScanThresholds, scan, scan_to_dir
from biasaudit.errors import InputError


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- occupations in text that is not NFC ---------------------------------------------------

VI = ["Bà ấy là bác sĩ.", "Ông ấy là y tá giỏi.", "Anh ấy làm kỹ sư, chị ấy là giáo viên."]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_occupations_are_found_in_decomposed_text(tmp_path: Path, form: str) -> None:
    """Identity terms are matched after the engine's NFC normalisation, so occupations
    must be too: an NFD Vietnamese corpus (common from macOS tools) has the same counts."""
    rows = [{"text": unicodedata.normalize(form, t), "label": "a"} for t in VI * 20]
    result = scan(_jsonl(tmp_path / "vi.jsonl", rows), ScanConfig(lang="vi", label_field="label"))
    occ = {o: k for (_, o), k in result.counts.occ_docs.items()}
    assert occ == {"bác sĩ": 20, "y tá": 20, "kỹ sư": 20, "giáo viên": 20}
    assert result.counts.group_occ["gender", "female", "bác sĩ"] == 20


def test_flag_pass_finds_occupations_in_decomposed_text(tmp_path: Path) -> None:
    """The second pass cites the flagged occupation for NFD text as for NFC text."""
    rows = [{"text": unicodedata.normalize("NFD", "Bà ấy là bác sĩ."), "label": "a"}] * 40
    rows += [{"text": unicodedata.normalize("NFD", "Ông ấy là nông dân."), "label": "a"}] * 40
    rows += [{"text": unicodedata.normalize("NFD", "Ông ấy đến."), "label": "a"}] * 40
    th = ScanThresholds(min_count=10)
    summary = scan_to_dir(_jsonl(tmp_path / "vi.jsonl", rows),
                          ScanConfig(lang="vi", label_field="label"), tmp_path / "out",
                          thresholds=th, html=False)
    flagged = {(f["subject"], f["target"]) for f in summary["flags"]
               if f["kind"] == "group_occupation"}
    assert ("female", "bác sĩ") in flagged
    cited = collections.Counter(
        (r["group"], r["occupation"])
        for line in (tmp_path / "out" / "flags.jsonl").read_text(encoding="utf-8").splitlines()
        for r in json.loads(line)["reasons"] if r["kind"] == "group_occupation")
    assert cited[("female", "bác sĩ")] == 40


# -- groups that never occur ---------------------------------------------------------------

def test_groups_that_never_occur_are_reported_with_zero(tmp_path: Path) -> None:
    """An absent group is the strongest under-representation there is: it is listed with
    0 examples and its Wilson interval, not left out of the table."""
    rows = [{"text": f"He is number {i}.", "label": "a", "src": "web"} for i in range(50)]
    result = scan(_jsonl(tmp_path / "m.jsonl", rows),
                  ScanConfig(lang="en", label_field="label", meta_fields=("src",)))
    shares = {s.group: s for s in result.representation}
    assert list(shares) == ["male", "female", "neutral"]
    assert shares["female"].docs == 0 and shares["female"].share == 0.0
    assert shares["female"].ci_low == 0.0 and 0.05 < shares["female"].ci_high < 0.08
    meta = {(r["value"], r["group"]): r["docs"] for r in result.meta}
    assert meta == {("web", "male"): 50, ("web", "female"): 0, ("web", "neutral"): 0}


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


# -- substitution targets ------------------------------------------------------------------

def test_substitution_spreads_over_the_other_groups(tmp_path: Path) -> None:
    """CDS on an axis without pairwise swaps picks one of the other groups per example (a
    deterministic coin), instead of always the first group of the axis, which would plant
    a new skew of its own."""
    rows = [{"text": f"The Muslim man number {i} prayed.", "label": "bad"} for i in range(300)]
    rows += [{"text": f"The Christian man number {i} prayed.", "label": "good"}
             for i in range(300)]
    config = ScanConfig(lang="en", label_field="label", axes=("religion",))
    runs = []
    for out in ("o1", "o2"):
        scan_to_dir(_jsonl(tmp_path / "r.jsonl", rows), config, tmp_path / out,
                    method="substitute", html=False, seed=7)
        runs.append((tmp_path / out / "rebalanced.jsonl").read_text(encoding="utf-8"))
    assert runs[0] == runs[1]  # reproducible
    recs = [json.loads(line) for line in runs[0].splitlines()]
    religions = {"atheist", "buddhist", "christian", "hindu", "jewish", "muslim"}
    for source in ("muslim", "christian"):
        targets = collections.Counter(
            r["counterfactual_target"] for r in recs
            if "counterfactual_of" in r and rows[int(r["example_id"].split(":")[1]) - 1][
                "text"].lower().startswith(f"the {source}"))
        assert set(targets) == religions - {source}  # each of the five others
        assert max(targets.values()) < 0.4 * sum(targets.values())


# -- the reweighing output field -----------------------------------------------------------

def test_reweigh_does_not_overwrite_a_weight_field_of_the_data(tmp_path: Path) -> None:
    """Sample weights already in the data are not silently replaced: the error names the
    file, line and field."""
    rows = [{"text": "she is" if i % 3 else "he is", "label": "ab"[i % 2], "weight": 2.5}
            for i in range(60)]
    path = _jsonl(tmp_path / "w.jsonl", rows)
    with pytest.raises(InputError, match=r"w\.jsonl, line 1, field 'weight'"):
        scan_to_dir(path, ScanConfig(lang="en", label_field="label"), tmp_path / "o",
                    method="reweigh", html=False)
    scan_to_dir(path, ScanConfig(lang="en", label_field="label"), tmp_path / "o2",
                method="reweigh", html=False, weight_field="kc_weight")
    out = _read(tmp_path / "o2" / "rebalanced.jsonl")
    assert {r["weight"] for r in out} == {2.5} and all("kc_weight" in r for r in out)


# -- thresholds ----------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [{"max_weight": 0.0}, {"max_weight": 0.5}, {"alpha": 0.0},
                                 {"alpha": 1.5}, {"confidence": 1.0}, {"min_cell": -1},
                                 {"prior": 0.0}])
def test_thresholds_out_of_range_are_input_errors(tmp_path: Path, bad: dict) -> None:
    """max_weight 0 divided by zero and 0.5 set every weight to 0.5 without a word."""
    path = _jsonl(tmp_path / "t.jsonl", [{"text": "she is", "label": "a"}])
    with pytest.raises(InputError, match=next(iter(bad))):
        scan(path, ScanConfig(lang="en", label_field="label"),
             thresholds=ScanThresholds(**bad))


# -- counterfactual records ------------------------------------------------------------------

def test_counterfactual_records_carry_their_edits(tmp_path: Path) -> None:
    """Each counterfactual says what was changed, so a reviewer can trace it to its source
    without re-running the engine: applying the edits to the source gives its text."""
    rows = [{"text": f"She told her mother about case {i}.", "label": "pos"} for i in range(60)]
    rows += [{"text": f"The clerk filed case {i}.", "label": "neg"} for i in range(60)]
    scan_to_dir(_jsonl(tmp_path / "c.jsonl", rows), ScanConfig(lang="en", label_field="label"),
                tmp_path / "o", method="augment", html=False)
    recs = _read(tmp_path / "o" / "rebalanced.jsonl")
    by_id = {r["example_id"]: r for r in recs}
    cfs = [r for r in recs if "counterfactual_of" in r]
    assert len(cfs) == 60
    for cf in cfs:
        text = by_id[cf["counterfactual_of"]]["text"]
        for e in sorted(cf["counterfactual_edits"], key=lambda e: -e["start"]):
            assert text[e["start"]:e["end"]] == e["old"]
            text = text[:e["start"]] + e["new"] + text[e["end"]:]
        assert text == cf["text"]
