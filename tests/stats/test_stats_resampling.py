"""Cluster bootstrap CI and sign-flip test against scipy.stats and brute-force enumeration."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from biasaudit.errors import InputError
from biasaudit.stats import bootstrap_mean_ci, sign_flip_pvalues, sign_flip_test
from biasaudit.stats.resampling import bootstrap_distribution


def _mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis)


@pytest.mark.parametrize("dist", ["normal", "lognormal"])
def test_bca_matches_scipy_bootstrap_within_monte_carlo_error(dist: str) -> None:
    rng = np.random.default_rng(11)
    d = rng.normal(0.2, 1.0, 80) if dist == "normal" else rng.lognormal(0.0, 1.0, 80)
    ours = bootstrap_mean_ci(d, n_resamples=9999, seed=1, method="bca")
    ref = stats.bootstrap(
        (d,),
        _mean,
        n_resamples=9999,
        method="BCa",
        vectorized=True,
        rng=np.random.default_rng(12345),
    )
    assert ours.method == "bca"
    tol = 0.15 * ours.standard_error  # about 4 Monte Carlo SDs of the endpoint difference
    assert ours.low == pytest.approx(ref.confidence_interval.low, abs=tol)
    assert ours.high == pytest.approx(ref.confidence_interval.high, abs=tol)
    assert ours.standard_error == pytest.approx(ref.standard_error, rel=0.05)


def test_bca_corrects_for_skew_like_scipy() -> None:
    # For a right-skewed mean BCa shifts both endpoints up relative to the percentile CI.
    d = np.random.default_rng(5).lognormal(0.0, 1.2, 40)
    bca = bootstrap_mean_ci(d, n_resamples=9999, seed=2, method="bca")
    pct = bootstrap_mean_ci(d, n_resamples=9999, seed=2, method="percentile")
    ref = stats.bootstrap(
        (d,), _mean, n_resamples=9999, method="BCa", vectorized=True, rng=np.random.default_rng(3)
    )
    assert bca.acceleration > 0.02
    assert bca.high > pct.high and bca.low > pct.low
    tol = 0.15 * bca.standard_error
    assert bca.low == pytest.approx(ref.confidence_interval.low, abs=tol)
    assert bca.high == pytest.approx(ref.confidence_interval.high, abs=tol)


def test_percentile_matches_scipy_percentile() -> None:
    d = np.random.default_rng(8).normal(size=50)
    ours = bootstrap_mean_ci(d, n_resamples=9999, seed=4, method="percentile")
    ref = stats.bootstrap(
        (d,),
        _mean,
        n_resamples=9999,
        method="percentile",
        vectorized=True,
        rng=np.random.default_rng(9),
    )
    tol = 0.15 * ours.standard_error
    assert ours.low == pytest.approx(ref.confidence_interval.low, abs=tol)
    assert ours.high == pytest.approx(ref.confidence_interval.high, abs=tol)


def test_acceleration_is_the_delete_one_cluster_jackknife() -> None:
    d = np.array([0.1, 0.4, -0.3, 2.5, 0.0, 0.7])
    jack = np.array([np.delete(d, i).mean() for i in range(d.size)])
    dev = jack.mean() - jack
    expected = np.sum(dev**3) / (6 * np.sum(dev**2) ** 1.5)
    assert bootstrap_mean_ci(d, seed=0).acceleration == pytest.approx(expected)


def test_degenerate_constant_differences_are_reported_as_degenerate() -> None:
    # No percentile interval is computed for constant values: say so instead of "percentile".
    ci = bootstrap_mean_ci(np.full(30, 0.25), seed=0)
    assert ci.method == "degenerate"
    assert ci.low == ci.high == ci.estimate == 0.25


def test_bootstrap_is_seeded_and_validates() -> None:
    d = np.random.default_rng(1).normal(size=30)
    assert bootstrap_mean_ci(d, seed=7) == bootstrap_mean_ci(d, seed=7)
    assert bootstrap_mean_ci(d, seed=7).low != bootstrap_mean_ci(d, seed=8).low
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_mean_ci(d, n_resamples=500)
    with pytest.raises(InputError, match="at least 2"):
        bootstrap_mean_ci([1.0])


def test_expanded_bca_aims_at_the_small_sample_points() -> None:
    # Same resamples as plain BCa; only the target normal points change, to
    # ±sqrt(n/(n-1)) t_{n-1} (Hesterberg 2015), so the endpoints are checkable by hand.
    d = np.array([0.1, 0.4, -0.3, 2.5, 0.0, 0.7, -0.2, 0.9])
    n = d.size
    ci = bootstrap_mean_ci(d, seed=3)
    assert ci.method == "bca-expanded"
    boot = bootstrap_distribution(d, n_resamples=2000, rng=np.random.default_rng(3))
    q = np.sqrt(n / (n - 1)) * stats.t.ppf(0.975, n - 1)
    z = np.array([-q, q])
    levels = stats.norm.cdf(ci.z0 + (ci.z0 + z) / (1 - ci.acceleration * (ci.z0 + z)))
    np.testing.assert_allclose([ci.low, ci.high], np.quantile(boot, levels), rtol=1e-12)
    plain = bootstrap_mean_ci(d, seed=3, method="bca")
    assert ci.low < plain.low and plain.high < ci.high
    assert (ci.z0, ci.acceleration) == (plain.z0, plain.acceleration)


def test_expanded_bca_tends_to_plain_bca_with_many_clusters() -> None:
    d = np.random.default_rng(4).normal(size=3000)
    a = bootstrap_mean_ci(d, seed=1)
    b = bootstrap_mean_ci(d, seed=1, method="bca")
    width = b.high - b.low
    assert abs(a.low - b.low) < 0.01 * width and abs(a.high - b.high) < 0.01 * width


def test_bca_fallback_reports_the_expanded_percentile() -> None:
    # 3 clusters at 99.9%: a·(z0 + z) > 1, so BCa is undefined and the result must say which
    # interval it is instead (with z0 and the acceleration kept for the record).
    d = np.array([0.0, 0.0, 1.0])
    ci = bootstrap_mean_ci(d, seed=0, confidence=0.999)
    assert ci.method == "percentile-expanded"
    assert ci.acceleration * (ci.z0 + 38.0) > 1.0
    assert (ci.low, ci.high) == (0.0, 1.0)
    with pytest.raises(ValueError, match="method"):
        bootstrap_mean_ci(d, method="bootstrap-t")


def _brute_force_sign_flip(d: np.ndarray, alternative: str) -> float:
    obs = d.sum()
    hits = 0
    total = 0
    for signs in itertools.product([1.0, -1.0], repeat=d.size):
        t = float(np.dot(signs, d))
        total += 1
        if alternative == "two-sided":
            hits += abs(t) >= abs(obs) - 1e-12
        elif alternative == "greater":
            hits += t >= obs - 1e-12
        else:
            hits += t <= obs + 1e-12
    return hits / total


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exact_sign_flip_equals_enumeration_and_scipy(alternative: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = rng.normal(0.3, 1.0, 9)
    ours = sign_flip_test(d, alternative=alternative)
    assert ours.method == "exact" and ours.n_permutations == 2**9
    assert ours.p_value == pytest.approx(_brute_force_sign_flip(d, alternative), abs=1e-12)
    ref = stats.permutation_test(
        (d,),
        _mean,
        permutation_type="samples",
        vectorized=True,
        alternative=alternative,
        n_resamples=10_000,
    )
    assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-12)


def test_exact_sign_flip_with_ties_counts_ties_as_extreme() -> None:
    d = np.array([1.0, 1.0, 2.0, -1.0, 3.0])
    assert sign_flip_test(d).p_value == pytest.approx(_brute_force_sign_flip(d, "two-sided"))


def test_monte_carlo_sign_flip_is_close_to_exact() -> None:
    d = np.random.default_rng(4).normal(0.35, 1.0, 18)
    exact = sign_flip_test(d, max_exact=18).p_value
    mc = sign_flip_test(d, n_permutations=20_000, max_exact=10, seed=3)
    assert mc.method == "monte-carlo"
    assert 0.01 < exact < 0.5
    assert mc.p_value == pytest.approx(exact, abs=4 * np.sqrt(exact * (1 - exact) / 20_000))


def test_monte_carlo_p_is_never_zero() -> None:
    d = np.full(40, 1.0) + np.linspace(0, 0.1, 40)
    res = sign_flip_test(d, n_permutations=999)
    assert res.p_value == pytest.approx(1 / 1000)


def test_batched_p_values_equal_single_exact_tests() -> None:
    d = np.random.default_rng(6).normal(0.2, 1.0, (7, 10))
    batch, method, count = sign_flip_pvalues(d)
    assert method == "exact" and count == 1024
    singles = [sign_flip_test(row).p_value for row in d]
    np.testing.assert_allclose(batch, singles)


def test_sign_flip_validates() -> None:
    with pytest.raises(InputError):
        sign_flip_test([1.0, np.nan])
    with pytest.raises(ValueError, match="alternative"):
        sign_flip_test([1.0, 2.0], alternative="bigger")


def test_sign_flip_statistic_is_the_mean_as_documented() -> None:
    d = [0.1, 0.5]
    res = sign_flip_test(d)
    assert res.statistic == pytest.approx(0.3) == pytest.approx(np.mean(d))
    # the p-value is that of Σ d_t (same ordering of sign vectors as the mean)
    assert res.p_value == pytest.approx(_brute_force_sign_flip(np.array(d), "two-sided"))
    docs = (Path(__file__).resolve().parents[2] / "docs" / "statistics.md").read_text("utf-8")
    section = docs.split("### 2.2", 1)[1].split("### 2.3", 1)[0]
    bullet = section.split("**Statistic.**", 1)[1].split("\n* ", 1)[0]
    assert "`SignFlipResult.statistic` reports the mean" in " ".join(bullet.split())


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-50, 50).map(lambda k: k / 10), min_size=1, max_size=10))
def test_sign_flip_statistic_and_p_against_brute_force(values: list[float]) -> None:
    d = np.array(values)
    res = sign_flip_test(d)
    assert res.statistic == pytest.approx(float(np.mean(d)), abs=1e-12)
    assert res.p_value == pytest.approx(_brute_force_sign_flip(d, "two-sided"), abs=1e-12)
