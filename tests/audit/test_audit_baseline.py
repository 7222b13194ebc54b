"""Baseline comparisons: the growth of |Δ| and its bounds, whichever signs; removed findings;
unreadable baselines."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biasaudit.audit import load_baseline
from biasaudit.audit.baseline import growth_bounds
from biasaudit.errors import InputError
from biasaudit.stats import bootstrap_mean_ci

KW = {"confidence": 0.95, "n_resamples": 2000, "seed": 0}


def paired(dn: float, do: float, n: int, seed: int, sd: float = 0.03, rho: float = 0.6):
    """Per-cluster differences of the same clusters in two runs (correlated, as retraining)."""
    rng = np.random.default_rng(seed)
    z, a, b = rng.normal(size=(3, n))
    new = dn + sd * (np.sqrt(rho) * z + np.sqrt(1 - rho) * a)
    old = do + sd * (np.sqrt(rho) * z + np.sqrt(1 - rho) * b)
    return new, old


def brute_force(new: np.ndarray, old: np.ndarray) -> tuple[float, float]:
    """max_s min_t and min_t max_s of the paired bounds of s·Δ_new − t·Δ_old, all four
    bootstrapped directly."""
    ci = {
        (s, t): bootstrap_mean_ci(s * new - t * old, **KW) for s in (-1, 1) for t in (-1, 1)
    }
    low = max(min(ci[s, t].low for t in (-1, 1)) for s in (-1, 1))
    high = min(max(ci[s, t].high for s in (-1, 1)) for t in (-1, 1))
    return low, high


def test_sign_flip_measures_growth_of_abs_not_the_signed_change() -> None:
    # the bias flips from -0.011 to +0.018: |Δ| grew by 0.007, the signed change is 0.029
    new, old = paired(0.018, -0.011, 72, seed=1, sd=0.01)
    growth = abs(new.mean()) - abs(old.mean())
    low, high = growth_bounds(new, old, **KW)
    assert low < growth < high
    assert low < 0.012 and high < 0.02  # the old statistic gave a lower bound of ~0.023
    change = bootstrap_mean_ci(new - old, **KW)
    assert change.low > 0.02


@pytest.mark.parametrize(
    ("dn", "do"),
    [(0.04, 0.01), (-0.04, -0.01), (0.018, -0.011), (-0.03, 0.01), (0.0, 0.02), (0.001, -0.001)],
)
def test_growth_bounds_match_the_brute_force_reference(dn: float, do: float) -> None:
    new, old = paired(dn, do, 40, seed=2)
    assert growth_bounds(new, old, **KW) == pytest.approx(brute_force(new, old), abs=1e-12)


def test_same_signs_give_the_paired_change_in_the_direction_of_the_bias() -> None:
    for sign in (1, -1):
        new, old = paired(sign * 0.05, sign * 0.02, 60, seed=3, sd=0.01)
        change = bootstrap_mean_ci(sign * (new - old), **KW)
        assert growth_bounds(new, old, **KW) == pytest.approx((change.low, change.high))


@pytest.mark.parametrize(
    ("dn", "do", "max_miss"),
    [
        (0.02, 0.01, 0.05),  # same sign
        (0.018, -0.011, 0.05),  # flip
        (-0.03, 0.01, 0.05),  # flip, bias shrank in size
        (0.0, 0.0, 0.05),
        (0.0, 0.02, 0.09),  # Δ_new = 0: the worst case, at most twice one bound's error
    ],
)
def test_growth_bounds_cover_in_simulation(dn: float, do: float, max_miss: float) -> None:
    truth = abs(dn) - abs(do)
    reps, low_miss, high_miss = 400, 0, 0
    for i in range(reps):
        new, old = paired(dn, do, 50, seed=100 + i)
        low, high = growth_bounds(new, old, confidence=0.95, n_resamples=2000, seed=i)
        low_miss += low > truth
        high_miss += high < truth
    assert low_miss / reps <= max_miss
    assert high_miss / reps <= max_miss + 0.03


finite = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=3, max_size=25))
def test_growth_bounds_properties(pairs: list[tuple[float, float]]) -> None:
    new = np.array([p[0] for p in pairs])
    old = np.array([p[1] for p in pairs])
    low, high = growth_bounds(new, old, **KW)
    assert low <= high + 1e-12
    # |Δ| does not depend on the direction of the bias: negating either run changes nothing
    for n2, o2 in ((-new, old), (new, -old), (-new, -old)):
        assert growth_bounds(n2, o2, **KW) == pytest.approx((low, high), abs=1e-9)
    # the bounds of the growth never exceed those of |Δ_new| + |Δ_old| in size
    size = abs(new).max() + abs(old).max()
    assert -size - 1e-9 <= low and high <= size + 1e-9


def test_baseline_that_is_not_an_object_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="not a biasaudit report"):
        load_baseline(path)


def test_truncated_clusters_sidecar_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    report = {"schema": "biasaudit-report/1", "findings": [], "files": {"clusters": "c.jsonl"}}
    path.write_text(json.dumps(report), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        '{"finding": "a", "cluster": "1", "diff": 0.1}\n{"finding": "a", "clus', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"c\.jsonl, line 2: .*truncated"):
        load_baseline(path)


GOOD_FINDING = {"id": "en/gender/s/proba/female-vs-male", "estimate": 0.1, "ci_low": 0.0,
                "ci_high": 0.2}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"findings": [{**GOOD_FINDING, "estimate": "0.1"}]}, "findings[0].estimate",
         "must be a number or null"),
        ({"findings": [GOOD_FINDING, {**GOOD_FINDING, "ci_high": True}]}, "findings[1].ci_high",
         "must be a number or null"),
        ({"findings": [{**GOOD_FINDING, "ci_low": 10**400}]}, "findings[0].ci_low",
         "must be a number or null"),
        ({"findings": [{**GOOD_FINDING, "id": ["x"]}]}, "findings[0].id", "must be a string"),
        ({"run": {"probe_hashes": None}}, "run.probe_hashes", "must be an object"),
        ({"run": {"probe_hashes": {"en/gender/s": 3}}}, "run.probe_hashes", "must be an object"),
        ({"files": {"clusters": ["c.jsonl"]}}, "files.clusters", "must be a file name"),
    ],
)
def test_malformed_baseline_fields_are_input_errors_naming_the_field(
    tmp_path: Path, change: dict, field: str, message: str
) -> None:
    path = tmp_path / "report.json"
    report = {"schema": "biasaudit-report/1", "findings": [GOOD_FINDING], **change}
    path.write_text(json.dumps(report), encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_baseline(path)
    assert (info.value.location.path, info.value.location.field) == (path, field)


def test_null_numbers_of_a_baseline_finding_are_read_as_nan(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    finding = {**GOOD_FINDING, "estimate": None, "ci_low": None, "ci_high": 1}
    path.write_text(json.dumps({"schema": "biasaudit-report/1", "findings": [finding]}))
    (f,) = load_baseline(path)["findings"]
    assert np.isnan(f["estimate"]) and np.isnan(f["ci_low"]) and f["ci_high"] == 1.0


@pytest.mark.parametrize("diff", ["NaN", "Infinity", "null", '"0.1"'])
def test_cluster_differences_must_be_finite_numbers(tmp_path: Path, diff: str) -> None:
    path = tmp_path / "report.json"
    report = {"schema": "biasaudit-report/1", "findings": [], "files": {"clusters": "c.jsonl"}}
    path.write_text(json.dumps(report), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        '{"finding": "a", "cluster": "1", "diff": 0.1}\n'
        f'{{"finding": "a", "cluster": "2", "diff": {diff}}}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="'diff' must be a finite number") as info:
        load_baseline(path)
    assert (info.value.location.line, info.value.location.field) == (2, "diff")


@pytest.mark.parametrize(
    "schema", ["biasaudit-report/2", "biasaudit-report/0", "biasaudit-report/"]
)
def test_baseline_of_another_report_schema_is_rejected(tmp_path: Path, schema: str) -> None:
    # a change in meaning bumps the schema: such a report cannot be compared field by field
    path = tmp_path / "report.json"
    path.write_text(json.dumps({"schema": schema, "findings": []}), encoding="utf-8")
    with pytest.raises(InputError, match="biasaudit-report/1") as info:
        load_baseline(path)
    assert info.value.location.field == "schema"
