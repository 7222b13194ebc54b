"""Paired (within-cluster) contrasts between groups: estimate, cluster-bootstrap CI, tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from biasaudit.errors import InputError

from ._common import (
    SeedLike,
    as_1d_float,
    as_rng,
    check_alpha,
    check_alternative,
    check_confidence,
    check_positive_int,
)
from .matrix import ClusterMatrix
from .multiplicity import adjust
from .resampling import CI_METHODS, MIN_BOOTSTRAP_RESAMPLES, bootstrap_mean_ci, sign_flip_test

__all__ = [
    "ContrastResult",
    "McNemarResult",
    "OmnibusResult",
    "TostResult",
    "cohens_dz",
    "contrasts_vs_reference",
    "mcnemar_exact",
    "mcnemar_paired",
    "omnibus_test",
    "paired_contrast",
    "rank_biserial",
    "tost_paired",
    "wilcoxon_test",
]


@dataclass(frozen=True)
class TostResult:
    """Paired two one-sided t-tests (Lakens 2017): is the mean difference within ±margin?"""

    margin: float
    estimate: float
    p_value: float
    p_lower: float
    p_upper: float
    equivalent: bool
    alpha: float
    ci_low: float
    ci_high: float
    df: int


@dataclass(frozen=True)
class ContrastResult:
    """One group-vs-reference paired contrast over clusters (estimate = mean of group − ref)."""

    group: str
    reference: str
    estimate: float
    ci_low: float
    ci_high: float
    confidence: float
    ci_method: str
    n_resamples: int
    p_value: float
    test: str
    p_method: str
    n_permutations: int
    alternative: str
    cohens_dz: float
    rank_biserial: float
    mean_group: float
    mean_reference: float
    n_clusters: int
    n_clusters_dropped: int
    n_probes: int
    equivalence: TostResult | None = None
    p_adjusted: float | None = None
    adjust_method: str | None = None
    family: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class McNemarResult:
    """Exact McNemar test of paired binary decisions: discordant counts b (x only), c (y only)."""

    b: int
    c: int
    p_value: float
    p_value_mid: float
    odds_ratio: float


@dataclass(frozen=True)
class OmnibusResult:
    """Omnibus test that all groups have the same outcome, with the cluster as block."""

    kind: str
    groups: tuple[str, ...]
    statistic: float
    df: int
    p_value: float
    kendall_w: float
    n_clusters: int
    n_clusters_dropped: int


def cohens_dz(diffs: np.ndarray | Sequence[float]) -> float:
    """Cohen's d_z = mean / SD (ddof=1) of per-cluster differences (Lakens 2013).

    Returns NaN when there are fewer than 2 values or all differences are 0, and ±inf when
    the differences are constant and non-zero.
    """
    d = as_1d_float(diffs, name="diffs")
    if d.shape[0] < 2:
        return float("nan")
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    if sd == 0.0:
        return float("nan") if mean == 0.0 else float(np.copysign(np.inf, mean))
    return mean / sd


def rank_biserial(diffs: np.ndarray | Sequence[float]) -> float:
    """Matched-pairs rank-biserial r = (T+ − T−)/(T+ + T−) from signed ranks (Kerby 2014).

    Zero differences are dropped before ranking (Wilcoxon's convention); 0.0 if none remain.
    """
    d = as_1d_float(diffs, name="diffs")
    d = d[d != 0]
    if d.shape[0] == 0:
        return 0.0
    ranks = stats.rankdata(np.abs(d))
    t_plus = float(ranks[d > 0].sum())
    t_minus = float(ranks[d < 0].sum())
    return (t_plus - t_minus) / (t_plus + t_minus)


def tost_paired(
    diffs: np.ndarray | Sequence[float], margin: float, *, alpha: float = 0.05
) -> TostResult:
    """Equivalence test "no disparity larger than margin" on per-cluster differences (paired TOST).

    p = max of the two one-sided t-test p-values; equivalent when p < alpha, i.e. when the
    (1 − 2·alpha) t interval lies inside (−margin, margin).
    """
    d = as_1d_float(diffs, name="diffs")
    check_alpha(alpha)
    if not (np.isfinite(margin) and margin > 0):
        raise ValueError(f"margin must be a positive number, got {margin!r}")
    n = d.shape[0]
    if n < 2:
        raise InputError(f"TOST needs at least 2 clusters, got {n}")
    mean = float(d.mean())
    se = float(d.std(ddof=1)) / np.sqrt(n)
    df = n - 1
    if se == 0.0:
        p_lower = 0.0 if mean > -margin else 1.0
        p_upper = 0.0 if mean < margin else 1.0
        ci_low = ci_high = mean
    else:
        p_lower = float(stats.t.sf((mean + margin) / se, df))
        p_upper = float(stats.t.cdf((mean - margin) / se, df))
        half = float(stats.t.ppf(1.0 - alpha, df)) * se
        ci_low, ci_high = mean - half, mean + half
    p = max(p_lower, p_upper)
    return TostResult(
        float(margin), mean, p, p_lower, p_upper, bool(p < alpha), alpha, ci_low, ci_high, df
    )


def wilcoxon_test(
    diffs: np.ndarray | Sequence[float], *, alternative: str = "two-sided"
) -> tuple[float, str]:
    """Wilcoxon signed-rank p-value of per-cluster differences via scipy (Pratt zero handling).

    Uses the exact null when n <= 50 with no zeros or tied |d|; with zeros or ties, every
    sign flip of the observed ranks when n <= 16 (exact too: the normal approximation is
    anti-conservative there), else the normal approximation with tie correction. Returns
    (p_value, method); p = 1 (method "degenerate") when every difference is 0. No
    differences at all raise :class:`InputError`, as the other tests do.
    """
    d = as_1d_float(diffs, name="diffs")
    check_alternative(alternative)
    if d.shape[0] == 0:
        raise InputError("a Wilcoxon test needs at least one cluster")
    if np.all(d == 0):
        return 1.0, "degenerate"
    n = d.shape[0]
    absd = np.abs(d)
    method: Any
    if n <= 50 and np.all(d != 0) and np.unique(absd).shape[0] == n:
        method = name = "exact"
    elif n <= _WILCOXON_ENUMERATE:
        method, name = stats.PermutationMethod(n_resamples=2**n), "exact (sign flips)"
    else:
        method = name = "asymptotic"
    res = stats.wilcoxon(d, zero_method="pratt", alternative=alternative, method=method)
    return float(res.pvalue), name


_WILCOXON_ENUMERATE = 16  # 2^16 sign patterns: enumerated in milliseconds


def mcnemar_exact(b: int, c: int) -> McNemarResult:
    """Exact McNemar test: b ~ Binomial(b + c, 1/2) under no asymmetry; also the mid-p value.

    ``b`` counts pairs positive only in the first condition, ``c`` only in the second.
    """
    b = check_positive_int(b, name="b", minimum=0)
    c = check_positive_int(c, name="c", minimum=0)
    n = b + c
    if n == 0:
        return McNemarResult(0, 0, 1.0, 1.0, float("nan"))
    k = min(b, c)
    p = min(1.0, 2.0 * float(stats.binom.cdf(k, n, 0.5)))
    p_mid = 2.0 * float(stats.binom.cdf(k, n, 0.5)) - float(stats.binom.pmf(k, n, 0.5))
    odds = float(b / c) if c > 0 else float("inf")
    return McNemarResult(b, c, p, min(1.0, p_mid), odds)


def mcnemar_paired(x: Sequence[bool] | np.ndarray, y: Sequence[bool] | np.ndarray) -> McNemarResult:
    """Exact McNemar test from two aligned boolean decision arrays (one entry per pair)."""
    xa = np.asarray(x)
    ya = np.asarray(y)
    if xa.shape != ya.shape or xa.ndim != 1:
        raise InputError(f"x and y must be 1-D with equal length, got {xa.shape} and {ya.shape}")
    for name, arr in (("x", xa), ("y", ya)):
        if not np.all(np.isin(arr, (0, 1))):
            raise InputError(f"'{name}' must be boolean (0/1)")
    xb, yb = xa.astype(bool), ya.astype(bool)
    return mcnemar_exact(int(np.sum(xb & ~yb)), int(np.sum(~xb & yb)))


def omnibus_test(
    matrix: ClusterMatrix, *, kind: str = "friedman", groups: Sequence[str] | None = None
) -> OmnibusResult:
    """Friedman (continuous) or Cochran's Q (binary cells) test across >2 groups, cluster = block.

    Clusters lacking any of the groups are dropped and counted. Kendall's W = stat / (n (k − 1)).
    """
    if kind not in ("friedman", "cochran"):
        raise ValueError(f"kind must be 'friedman' or 'cochran', got {kind!r}")
    sub = matrix.select(groups) if groups is not None else matrix
    k = sub.n_groups
    if k < 3:
        raise InputError(f"an omnibus test needs at least 3 groups, got {k}; use paired_contrast")
    complete = ~np.any(np.isnan(sub.values), axis=1)
    x = sub.values[complete]
    n = x.shape[0]
    dropped = int(sub.n_clusters - n)
    if n < 2:
        raise InputError(f"an omnibus test needs at least 2 complete clusters, got {n}")
    if kind == "friedman":
        res = stats.friedmanchisquare(*x.T)
        statistic, p = float(res.statistic), float(res.pvalue)
    else:
        if not np.all(np.isin(x, (0.0, 1.0))):
            raise InputError(
                "Cochran's Q needs one binary outcome per cluster and group; these cells are "
                "averages of several probes, use kind='friedman'"
            )
        col = x.sum(axis=0)
        row = x.sum(axis=1)
        total = row.sum()
        denom = k * total - np.sum(row**2)
        if denom == 0:
            statistic, p = 0.0, 1.0
        else:
            statistic = float((k - 1) * (k * np.sum(col**2) - total**2) / denom)
            p = float(stats.chi2.sf(statistic, k - 1))
    if np.isnan(statistic):
        statistic, p = 0.0, 1.0
    return OmnibusResult(
        kind, sub.groups, statistic, k - 1, p, statistic / (n * (k - 1)), n, dropped
    )


def paired_contrast(
    matrix: ClusterMatrix,
    group: str,
    reference: str,
    *,
    n_resamples: int = MIN_BOOTSTRAP_RESAMPLES,
    confidence: float = 0.95,
    seed: SeedLike = 0,
    test: str = "sign-flip",
    n_permutations: int = 9999,
    alternative: str = "two-sided",
    margin: float | None = None,
    alpha: float = 0.05,
    tags: Mapping[str, str] | None = None,
    ci_method: str = "bca-expanded",
) -> ContrastResult:
    """Mean within-cluster difference ``group − reference`` with BCa cluster-bootstrap CI and p.

    Clusters missing either group are dropped and counted in ``n_clusters_dropped``. ``test`` is
    'sign-flip' (exact for <= 16 clusters) or 'wilcoxon'; ``margin`` adds a TOST at ``alpha``.
    ``ci_method`` is the requested interval (see bootstrap_mean_ci); the result's ``ci_method``
    is the one actually computed (a fallback or "degenerate" when BCa cannot be used).
    """
    if ci_method not in CI_METHODS:
        raise ValueError(f"ci_method must be one of {CI_METHODS}, got {ci_method!r}")
    if test not in ("sign-flip", "wilcoxon"):
        raise ValueError(f"test must be 'sign-flip' or 'wilcoxon', got {test!r}")
    check_confidence(confidence)
    check_alternative(alternative)
    check_positive_int(n_resamples, name="n_resamples", minimum=MIN_BOOTSTRAP_RESAMPLES)
    check_positive_int(n_permutations, name="n_permutations", minimum=1)
    gi, ri = matrix.index(group), matrix.index(reference)
    if gi == ri:
        raise InputError(f"group and reference are both {group!r}")
    x, y = matrix.values[:, gi], matrix.values[:, ri]
    ok = ~(np.isnan(x) | np.isnan(y))
    n = int(ok.sum())
    if n < 2:
        raise InputError(f"need at least 2 clusters with both {group!r} and {reference!r}, got {n}")
    d = x[ok] - y[ok]
    rng = as_rng(seed)
    ci = bootstrap_mean_ci(
        d, n_resamples=n_resamples, confidence=confidence, seed=rng, method=ci_method
    )
    if test == "sign-flip":
        sf = sign_flip_test(d, n_permutations=n_permutations, alternative=alternative, seed=rng)
        p, p_method, n_perm = sf.p_value, sf.method, sf.n_permutations
    else:
        p, p_method = wilcoxon_test(d, alternative=alternative)
        n_perm = 0
    tost = tost_paired(d, margin, alpha=alpha) if margin is not None else None
    counts = matrix.counts[ok]
    return ContrastResult(
        group=matrix.groups[gi],
        reference=matrix.groups[ri],
        estimate=float(d.mean()),
        ci_low=ci.low,
        ci_high=ci.high,
        confidence=confidence,
        ci_method=ci.method,
        n_resamples=n_resamples,
        p_value=float(p),
        test=test,
        p_method=p_method,
        n_permutations=n_perm,
        alternative=alternative,
        cohens_dz=cohens_dz(d),
        rank_biserial=rank_biserial(d),
        mean_group=float(x[ok].mean()),
        mean_reference=float(y[ok].mean()),
        n_clusters=n,
        n_clusters_dropped=int(matrix.n_clusters - n),
        n_probes=int(counts[:, gi].sum() + counts[:, ri].sum()),
        equivalence=tost,
        tags=dict(tags or {}),
    )


def contrasts_vs_reference(
    matrix: ClusterMatrix,
    reference: str,
    *,
    groups: Sequence[str] | None = None,
    adjust_method: str = "holm",
    family: str | None = None,
    n_resamples: int = MIN_BOOTSTRAP_RESAMPLES,
    confidence: float = 0.95,
    seed: SeedLike = 0,
    test: str = "sign-flip",
    n_permutations: int = 9999,
    alternative: str = "two-sided",
    margin: float | None = None,
    alpha: float = 0.05,
    tags: Mapping[str, str] | None = None,
    ci_method: str = "bca-expanded",
) -> list[ContrastResult]:
    """Every group against ``reference`` (K − 1 contrasts), p-values adjusted as one family.

    Arguments after ``family`` are those of paired_contrast; an int seed gives every contrast
    the same random numbers (common random numbers across contrasts).
    """
    ref = matrix.groups[matrix.index(reference)]
    others = [g for g in (groups or matrix.groups) if g != ref]
    if not others:
        raise InputError("no groups to compare with the reference")
    results = [
        paired_contrast(
            matrix,
            g,
            ref,
            n_resamples=n_resamples,
            confidence=confidence,
            seed=seed,
            test=test,
            n_permutations=n_permutations,
            alternative=alternative,
            margin=margin,
            alpha=alpha,
            tags=tags,
            ci_method=ci_method,
        )
        for g in others
    ]
    name = family if family is not None else f"vs {ref}"
    return adjust(results, family_key=lambda _r: name, method=adjust_method)
