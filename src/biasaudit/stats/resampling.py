"""Cluster bootstrap confidence intervals and sign-flip permutation tests for paired contrasts.

Both work on one value per cluster (the within-cluster contrast), so the cluster is the
resampling unit; both are vectorised and seeded.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from biasaudit.errors import InputError

from ._common import (
    SeedLike,
    as_1d_float,
    as_rng,
    check_alternative,
    check_confidence,
    check_positive_int,
)

__all__ = [
    "CI_METHODS",
    "MIN_BOOTSTRAP_RESAMPLES",
    "BootstrapCI",
    "SignFlipResult",
    "bootstrap_mean_ci",
    "sign_flip_pvalues",
    "sign_flip_test",
]

MIN_BOOTSTRAP_RESAMPLES = 2000
"""Fewest bootstrap resamples accepted: BCa endpoints are unstable below this."""

_CHUNK_ELEMENTS = 1 << 22  # about 4M index draws (16 MiB of int32) per block


@dataclass(frozen=True)
class BootstrapCI:
    """A cluster-bootstrap confidence interval for a mean of per-cluster values.

    ``method`` is what was computed: "bca-expanded", "bca", "percentile-expanded" (fallback
    of "bca-expanded"), "percentile" or "degenerate" (constant values, zero-width interval).
    """

    estimate: float
    low: float
    high: float
    confidence: float
    method: str
    n_resamples: int
    z0: float
    acceleration: float
    standard_error: float


@dataclass(frozen=True)
class SignFlipResult:
    """A within-cluster sign-flip permutation test of a mean paired difference against 0.

    ``statistic`` is the mean difference ``(1/T) Σ d_t``; the p-value is computed from
    ``Σ d_t``, which orders the sign vectors the same way, so either gives the same test.
    """

    statistic: float
    p_value: float
    method: str
    n_permutations: int
    alternative: str


def bootstrap_distribution(
    values: np.ndarray, *, n_resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """Means of ``n_resamples`` cluster resamples (with replacement) of ``values``."""
    n = values.shape[0]
    out = np.empty(n_resamples)
    chunk = max(1, min(n_resamples, _CHUNK_ELEMENTS // max(n, 1)))
    for start in range(0, n_resamples, chunk):
        stop = min(start + chunk, n_resamples)
        idx = rng.integers(0, n, size=(stop - start, n), dtype=np.int32)
        out[start:stop] = values[idx].sum(axis=1)
    out /= n
    return out


CI_METHODS = ("bca-expanded", "bca", "percentile")
"""Interval methods bootstrap_mean_ci accepts; "bca-expanded" is the default."""


def _target_z(confidence: float, n: int, *, expanded: bool) -> np.ndarray:
    """Lower and upper standard-normal points the interval aims at.

    Plain: ±z_{1−α/2}. Expanded (Hesterberg 2015): ±√(n/(n−1))·t_{n−1, 1−α/2}, which undoes
    the bootstrap's narrowness bias for few clusters (the resampling variance uses 1/n, and
    the mean's spread needs t, not z, quantiles); the factor tends to 1 as n grows.
    """
    alpha = (1.0 - confidence) / 2.0
    if expanded:
        q = float(np.sqrt(n / (n - 1.0)) * stats.t.ppf(1.0 - alpha, n - 1))
    else:
        q = float(special.ndtri(1.0 - alpha))
    return np.array([-q, q])


def bootstrap_mean_ci(
    values: np.ndarray | list[float],
    *,
    n_resamples: int = MIN_BOOTSTRAP_RESAMPLES,
    confidence: float = 0.95,
    seed: SeedLike = 0,
    method: str = "bca-expanded",
) -> BootstrapCI:
    """BCa (or percentile) bootstrap CI of the mean of one value per cluster.

    ``method``: "bca-expanded" (default) is BCa aimed at the small-sample-expanded normal
    points of :func:`_target_z`, because plain BCa undercovers with few clusters (95% BCa
    covered 84% at 5 and 90% at 10 normal clusters); "bca" and "percentile" are the textbook
    intervals (scipy.stats.bootstrap). BCa uses a delete-one-cluster jackknife for the
    acceleration and falls back to the (equally expanded) percentile interval when it is
    degenerate; constant values give the zero-width interval [mean, mean], method
    "degenerate". ``method`` of the result names what was actually computed.
    """
    d = as_1d_float(values, name="values")
    check_confidence(confidence)
    check_positive_int(n_resamples, name="n_resamples", minimum=MIN_BOOTSTRAP_RESAMPLES)
    if method not in CI_METHODS:
        raise ValueError(f"method must be one of {CI_METHODS}, got {method!r}")
    n = d.shape[0]
    if n < 2:
        raise InputError(f"a bootstrap CI needs at least 2 clusters, got {n}")
    theta = float(d.mean())
    rng = as_rng(seed)
    if np.ptp(d) == 0.0:
        return BootstrapCI(
            theta, theta, theta, confidence, "degenerate", n_resamples, np.nan, np.nan, 0.0
        )
    expanded = method == "bca-expanded"
    percentile_name = "percentile-expanded" if expanded else "percentile"
    z = _target_z(confidence, n, expanded=expanded)
    boot = bootstrap_distribution(d, n_resamples=n_resamples, rng=rng)
    se = float(boot.std(ddof=1))
    low, high = np.quantile(boot, special.ndtr(z))
    pct = BootstrapCI(
        theta, float(low), float(high), confidence, percentile_name, n_resamples, np.nan,
        np.nan, se,
    )
    if method == "percentile":
        return pct
    # Bias correction (ties with the estimate count half) and jackknife acceleration.
    # Summation order differs between theta and the resamples: compare with a small tolerance.
    tol = 1e-10 * float(np.abs(d).max())
    below = np.count_nonzero(boot < theta - tol)
    ties = np.count_nonzero(np.abs(boot - theta) <= tol)
    prop = (below + 0.5 * ties) / n_resamples
    z0 = float(special.ndtri(prop))
    jack = (d.sum() - d) / (n - 1)
    dev = jack.mean() - jack
    denom = 6.0 * float(np.sum(dev**2)) ** 1.5
    accel = float(np.sum(dev**3)) / denom if denom > 0 else np.nan
    fallback = dataclasses.replace(pct, z0=z0, acceleration=accel)
    shift = 1.0 - accel * (z0 + z)
    if not (np.isfinite(z0) and np.isfinite(accel) and np.all(shift > 0)):
        return fallback
    levels = special.ndtr(z0 + (z0 + z) / shift)
    if not np.all(np.isfinite(levels)):
        return fallback
    bca_low, bca_high = np.quantile(boot, levels)
    return BootstrapCI(
        theta, float(bca_low), float(bca_high), confidence, method, n_resamples, z0, accel, se
    )


def _sign_bits(n: int, count: int, rng: np.random.Generator) -> np.ndarray:
    raw = rng.integers(0, 256, size=(count, (n + 7) // 8), dtype=np.uint8)
    return np.unpackbits(raw, axis=1, count=n).astype(np.float64)


def _all_sign_bits(n: int) -> np.ndarray:
    codes = np.arange(2**n, dtype=np.int64)
    return ((codes[:, None] >> np.arange(n)) & 1).astype(np.float64)


def _exceed_counts(
    null: np.ndarray, observed: np.ndarray, tol: np.ndarray, alternative: str
) -> np.ndarray:
    obs = observed[:, None]
    eps = tol[:, None]
    if alternative == "two-sided":
        hit = np.abs(null) >= np.abs(obs) - eps
    elif alternative == "greater":
        hit = null >= obs - eps
    else:
        hit = null <= obs + eps
    return hit.sum(axis=1)


def sign_flip_pvalues(
    diffs: np.ndarray,
    *,
    n_permutations: int = 9999,
    alternative: str = "two-sided",
    seed: SeedLike = 0,
    max_exact: int = 16,
) -> tuple[np.ndarray, str, int]:
    """Sign-flip p-values for each row of a 2-D array of per-cluster differences (vectorised).

    Exact enumeration of all 2^n sign vectors when n <= ``max_exact`` or 2^n <= n_permutations
    (p = share of flips at least as extreme); otherwise Monte Carlo with p = (b + 1)/(B + 1),
    all rows sharing the same random sign vectors (each row is still a valid test).
    Returns (p_values, method, number of sign vectors evaluated).
    """
    d = np.asarray(diffs, dtype=float)
    if d.ndim != 2:
        raise InputError(f"diffs must be 2-D (audits × clusters), got shape {d.shape}")
    if not np.all(np.isfinite(d)):
        raise InputError("diffs contains NaN or infinite values")
    check_alternative(alternative)
    check_positive_int(n_permutations, name="n_permutations", minimum=1)
    m, n = d.shape
    if n < 1:
        raise InputError("a sign-flip test needs at least one cluster")
    observed = d.sum(axis=1)
    tol = 1e-12 * np.abs(d).sum(axis=1)
    exact = n <= max_exact or 2**n <= n_permutations
    counts = np.zeros(m, dtype=np.int64)
    if exact:
        bits = _all_sign_bits(n)
        total = bits.shape[0]
        rows = max(1, _CHUNK_ELEMENTS // total)
        for start in range(0, m, rows):
            block = d[start : start + rows]
            null = observed[start : start + rows, None] - 2.0 * (block @ bits.T)
            counts[start : start + rows] = _exceed_counts(
                null, observed[start : start + rows], tol[start : start + rows], alternative
            )
        return counts / total, "exact", total
    rng = as_rng(seed)
    chunk = max(1, min(n_permutations, _CHUNK_ELEMENTS // max(n, m, 1)))
    for start in range(0, n_permutations, chunk):
        size = min(chunk, n_permutations - start)
        bits = _sign_bits(n, size, rng)
        null = observed[:, None] - 2.0 * (d @ bits.T)
        counts += _exceed_counts(null, observed, tol, alternative)
    return (counts + 1.0) / (n_permutations + 1.0), "monte-carlo", n_permutations


def sign_flip_test(
    diffs: np.ndarray | list[float],
    *,
    n_permutations: int = 9999,
    alternative: str = "two-sided",
    seed: SeedLike = 0,
    max_exact: int = 16,
) -> SignFlipResult:
    """Test mean paired difference = 0 by flipping the sign of each cluster's difference.

    Under the sharp null the group labels are exchangeable within a cluster, so each
    cluster's difference is symmetric about 0 (Canay, Romano & Shaikh 2017).
    """
    d = as_1d_float(diffs, name="diffs")
    p, method, count = sign_flip_pvalues(
        d[None, :],
        n_permutations=n_permutations,
        alternative=alternative,
        seed=seed,
        max_exact=max_exact,
    )
    return SignFlipResult(float(d.mean()), float(p[0]), method, count, alternative)
