"""Group disparity metrics on labelled data through fairlearn's MetricFrame (not re-implemented)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from biasaudit.errors import InputError, require

from ._common import check_confidence

__all__ = ["FOUR_FIFTHS", "GroupMetricsResult", "disparate_impact_ci", "group_metrics"]

FOUR_FIFTHS = 0.8
"""Adverse-impact threshold of the Uniform Guidelines, 29 CFR §1607.4(D)."""


@dataclass(frozen=True)
class GroupMetricsResult:
    """Per-group rates and fairlearn disparity metrics, plus the disparate-impact ratio with CI.

    ``disparate_impact`` = lowest / highest selection rate (fairlearn demographic_parity_ratio);
    its CI is the delta-method (Katz) interval on the log ratio for those two groups.
    """

    groups: tuple[str, ...]
    n: Mapping[str, int]
    selection_rate: Mapping[str, float]
    true_positive_rate: Mapping[str, float]
    false_positive_rate: Mapping[str, float]
    demographic_parity_difference: float
    equalized_odds_difference: float
    disparate_impact: float
    disparate_impact_ci_low: float
    disparate_impact_ci_high: float
    confidence: float
    lowest_group: str
    highest_group: str
    four_fifths_violated: bool
    four_fifths_violated_confidently: bool


def disparate_impact_ci(
    selected_low: int, n_low: int, selected_high: int, n_high: int, *, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Ratio of two selection rates with a log-scale (Katz delta-method) CI: (ratio, low, high).

    Var(log ratio) ≈ (1 − p1)/(n1 p1) + (1 − p2)/(n2 p2); with a zero count 0.5 is added to
    every cell of the 2×2 table (Haldane–Anscombe) so the upper bound stays finite, and the
    lower bound is 0 when the lowest group has no selections (the ratio itself is then 0).
    """
    check_confidence(confidence)
    for name, v in (("n_low", n_low), ("n_high", n_high)):
        if v <= 0:
            raise InputError(f"{name} must be positive")
    if not (0 <= selected_low <= n_low and 0 <= selected_high <= n_high):
        raise InputError("selected counts must lie between 0 and the group size")
    if selected_high == 0:
        return float("nan"), float("nan"), float("nan")
    ratio = (selected_low / n_low) / (selected_high / n_high)
    x1, m1, x2, m2 = float(selected_low), float(n_low), float(selected_high), float(n_high)
    if x1 == 0 or x2 == 0:
        x1, m1, x2, m2 = x1 + 0.5, m1 + 1.0, x2 + 0.5, m2 + 1.0
    log_ratio = np.log((x1 / m1) / (x2 / m2))
    se = np.sqrt(1.0 / x1 - 1.0 / m1 + 1.0 / x2 - 1.0 / m2)
    z = stats.norm.ppf(0.5 + confidence / 2.0)
    low = 0.0 if selected_low == 0 else float(np.exp(log_ratio - z * se))
    return float(ratio), low, float(np.exp(log_ratio + z * se))


def group_metrics(
    y_true: Sequence[int] | np.ndarray,
    y_pred: Sequence[int] | np.ndarray,
    sensitive_features: Sequence[object] | np.ndarray,
    *,
    confidence: float = 0.95,
) -> GroupMetricsResult:
    """Demographic parity and equalized odds differences (fairlearn) and disparate impact with CI.

    Four-fifths flags: ``four_fifths_violated`` when the ratio is below 0.8,
    ``four_fifths_violated_confidently`` when even the upper CI bound is below 0.8.
    """
    fm = require(
        "fairlearn.metrics", extra="fairness", purpose="Group metrics", package="fairlearn"
    )
    require("pandas", extra="fairness", purpose="Group metrics", package="fairlearn")
    check_confidence(confidence)
    yt = np.asarray(y_true)
    yp = np.asarray(y_pred)
    sf = np.asarray(sensitive_features).astype(str)
    if not (yt.shape == yp.shape == sf.shape) or yt.ndim != 1 or yt.shape[0] == 0:
        raise InputError("y_true, y_pred and sensitive_features must be 1-D with equal length")
    for name, arr in (("y_true", yt), ("y_pred", yp)):
        if not np.all(np.isin(arr, (0, 1))):
            raise InputError(f"'{name}' must be binary (0/1)")
    yt = yt.astype(int)
    yp = yp.astype(int)
    frame = fm.MetricFrame(
        metrics={
            "selection_rate": fm.selection_rate,
            "tpr": fm.true_positive_rate,
            "fpr": fm.false_positive_rate,
            "count": fm.count,
        },
        y_true=yt,
        y_pred=yp,
        sensitive_features=sf,
    )
    by = frame.by_group
    groups = tuple(str(g) for g in by.index)
    if len(groups) < 2:
        raise InputError("group metrics need at least 2 groups")
    sel = {g: float(by.loc[g, "selection_rate"]) for g in groups}
    n = {g: int(by.loc[g, "count"]) for g in groups}
    dpd = float(fm.demographic_parity_difference(yt, yp, sensitive_features=sf))
    eod = float(fm.equalized_odds_difference(yt, yp, sensitive_features=sf))
    low_g = min(groups, key=lambda g: (sel[g], g))
    high_g = max(groups, key=lambda g: (sel[g], g))
    k_low = round(sel[low_g] * n[low_g])
    k_high = round(sel[high_g] * n[high_g])
    ratio, lo, hi = disparate_impact_ci(k_low, n[low_g], k_high, n[high_g], confidence=confidence)
    return GroupMetricsResult(
        groups=groups,
        n=n,
        selection_rate=sel,
        true_positive_rate={g: float(by.loc[g, "tpr"]) for g in groups},
        false_positive_rate={g: float(by.loc[g, "fpr"]) for g in groups},
        demographic_parity_difference=dpd,
        equalized_odds_difference=eod,
        disparate_impact=ratio,
        disparate_impact_ci_low=lo,
        disparate_impact_ci_high=hi,
        confidence=confidence,
        lowest_group=low_g,
        highest_group=high_g,
        four_fifths_violated=bool(ratio < FOUR_FIFTHS),
        four_fifths_violated_confidently=bool(hi < FOUR_FIFTHS),
    )
