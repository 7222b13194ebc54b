"""Group metrics via fairlearn, disparate impact with a log-scale CI and the four-fifths flag."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats.contingency import relative_risk

from biasaudit.errors import MissingExtraError
from biasaudit.stats import disparate_impact_ci, group_metrics

fairlearn_metrics = pytest.importorskip("fairlearn.metrics")


def _data(seed: int, rates: dict[str, float], n: int = 400):
    rng = np.random.default_rng(seed)
    groups = np.repeat(list(rates), n)
    y_true = rng.integers(0, 2, groups.size)
    p = np.array([rates[g] for g in groups])
    y_pred = (rng.random(groups.size) < p).astype(int)
    return y_true, y_pred, groups


def test_matches_fairlearn_and_hand_computed_rates() -> None:
    y, yhat, s = _data(1, {"a": 0.5, "b": 0.35, "c": 0.45})
    res = group_metrics(y, yhat, s)
    assert res.groups == ("a", "b", "c")
    sel = {g: yhat[s == g].mean() for g in res.groups}
    assert res.selection_rate == pytest.approx(sel)
    tpr = {g: yhat[(s == g) & (y == 1)].mean() for g in res.groups}
    fpr = {g: yhat[(s == g) & (y == 0)].mean() for g in res.groups}
    assert res.true_positive_rate == pytest.approx(tpr)
    assert res.demographic_parity_difference == pytest.approx(max(sel.values()) - min(sel.values()))
    eod = max(max(tpr.values()) - min(tpr.values()), max(fpr.values()) - min(fpr.values()))
    assert res.equalized_odds_difference == pytest.approx(eod)
    assert res.equalized_odds_difference == pytest.approx(
        fairlearn_metrics.equalized_odds_difference(y, yhat, sensitive_features=s)
    )
    assert res.disparate_impact == pytest.approx(
        fairlearn_metrics.demographic_parity_ratio(y, yhat, sensitive_features=s)
    )
    assert (res.lowest_group, res.highest_group) == ("b", "a")


def test_disparate_impact_ci_is_katz_log_interval() -> None:
    y, yhat, s = _data(2, {"a": 0.5, "b": 0.3})
    res = group_metrics(y, yhat, s)
    k_b, k_a = int(yhat[s == "b"].sum()), int(yhat[s == "a"].sum())
    ref = relative_risk(k_b, 400, k_a, 400).confidence_interval(0.95)
    assert (res.disparate_impact_ci_low, res.disparate_impact_ci_high) == pytest.approx(
        (ref.low, ref.high)
    )
    assert res.four_fifths_violated and res.four_fifths_violated_confidently


def test_four_fifths_flag_needs_confidence_for_small_samples() -> None:
    y, yhat, s = _data(3, {"a": 0.5, "b": 0.36}, n=30)
    res = group_metrics(y, yhat, s)
    assert res.disparate_impact < 0.8
    assert res.four_fifths_violated and not res.four_fifths_violated_confidently
    assert res.disparate_impact_ci_high > 0.8


def test_zero_selection_gets_finite_interval_that_holds_the_ratio() -> None:
    ratio, low, high = disparate_impact_ci(0, 50, 20, 50)
    assert ratio == 0.0 and low == 0.0 and 0.0 < high < 0.5
    # upper bound: Katz on the table with 0.5 added to every cell (0.5/51 vs 20.5/51)
    x1, m1, x2, m2 = 0.5, 51.0, 20.5, 51.0
    se = np.sqrt(1 / x1 - 1 / m1 + 1 / x2 - 1 / m2)
    assert high == pytest.approx((x1 / m1) / (x2 / m2) * np.exp(1.959963984540054 * se))
    assert all(np.isnan(disparate_impact_ci(0, 50, 0, 50)))


@given(
    st.integers(1, 60).flatmap(lambda n1: st.tuples(st.integers(0, n1), st.just(n1))),
    st.integers(1, 60).flatmap(lambda n2: st.tuples(st.integers(1, n2), st.just(n2))),
)
@settings(max_examples=200, deadline=None)
def test_disparate_impact_interval_always_holds_its_ratio(low_group, high_group) -> None:
    ratio, low, high = disparate_impact_ci(*low_group, *high_group)
    assert low <= ratio <= high


def test_missing_fairlearn_raises_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fairlearn", None)
    monkeypatch.setitem(sys.modules, "fairlearn.metrics", None)
    with pytest.raises(MissingExtraError, match=r"biasaudit\[fairness\]") as err:
        group_metrics([0, 1], [0, 1], ["a", "b"])
    assert err.value.package == "fairlearn" and err.value.extra == "fairness"


def test_stats_package_import_is_light() -> None:
    import subprocess
    from pathlib import Path

    import biasaudit.stats

    root = str(Path(biasaudit.stats.__file__).resolve().parents[2])
    code = (
        "import sys, biasaudit.stats; "
        "print(any(m in sys.modules for m in ('fairlearn', 'pandas', 'torch')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": root},
    )
    assert out.stdout.strip() == "False"
