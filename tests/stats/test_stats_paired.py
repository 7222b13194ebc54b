"""Paired contrasts, effect sizes, TOST, McNemar and omnibus tests against scipy references."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from biasaudit.errors import InputError
from biasaudit.stats import (
    bootstrap_mean_ci,
    cluster_matrix,
    cohens_dz,
    contrasts_vs_reference,
    holm,
    mcnemar_exact,
    mcnemar_paired,
    omnibus_test,
    paired_contrast,
    rank_biserial,
    sign_flip_test,
    tost_paired,
    wilcoxon_test,
)


def _long_table(n_clusters: int, effects: dict[str, float], seed: int, reps: int = 3):
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_clusters):
        base = rng.normal()
        for g, eff in effects.items():
            for r in range(reps):
                rows.append((f"c{c:03d}", g, r, base + eff + rng.normal(0, 0.5)))
    cluster, group, rep, value = map(np.array, zip(*rows, strict=True))
    return cluster, group, rep, value.astype(float)


def test_paired_contrast_estimate_counts_and_dropped_clusters() -> None:
    cluster, group, rep, value = _long_table(30, {"f": 0.4, "m": 0.0}, seed=1)
    keep = ~((cluster == "c000") & (group == "f")) & ~((cluster == "c001") & (group == "m"))
    m = cluster_matrix(cluster[keep], group[keep], value[keep], levels=[rep[keep]])
    res = paired_contrast(m, "f", "m", seed=0)
    d = m.column("f") - m.column("m")
    d = d[~np.isnan(d)]
    assert res.n_clusters == 28 and res.n_clusters_dropped == 2
    assert res.n_probes == 28 * 6
    assert res.estimate == pytest.approx(d.mean())
    assert res.mean_group - res.mean_reference == pytest.approx(res.estimate)
    assert res.cohens_dz == pytest.approx(d.mean() / d.std(ddof=1))
    assert res.ci_low < res.estimate < res.ci_high
    assert res.ci_method == "bca-expanded" and res.test == "sign-flip"
    assert res.p_method == "monte-carlo"
    # The CI consumes the generator first, then the sign-flip test continues the same stream.
    rng = np.random.default_rng(0)
    ci = bootstrap_mean_ci(d, seed=rng)
    assert (res.ci_low, res.ci_high) == (ci.low, ci.high)
    assert res.p_value == sign_flip_test(d, seed=rng).p_value
    assert res.p_value < 0.01


def test_paired_contrast_wilcoxon_matches_scipy() -> None:
    cluster, group, _, value = _long_table(25, {"f": 0.1, "m": 0.0}, seed=2)
    m = cluster_matrix(cluster, group, value)
    res = paired_contrast(m, "f", "m", test="wilcoxon")
    d = m.column("f") - m.column("m")
    assert res.p_value == pytest.approx(stats.wilcoxon(d).pvalue)
    assert res.p_method == "exact" and res.n_permutations == 0


def test_wilcoxon_zero_differences_use_pratt_and_all_zero_is_one() -> None:
    d = np.array([0.0, 0.0, 1.0, -2.0, 3.0, 4.0, 5.0, 0.5, 2.5, 6.0] * 2)
    p, method = wilcoxon_test(d)  # 20 clusters with zeros and ties: normal approximation
    ref = stats.wilcoxon(d, zero_method="pratt", method="asymptotic").pvalue
    assert method == "asymptotic" and p == pytest.approx(ref)
    assert wilcoxon_test(np.zeros(5)) == (1.0, "degenerate")


def pratt_sign_flip_p(d: np.ndarray, alternative: str) -> float:
    """Brute force: W+ over every sign pattern of the non-zero differences, Pratt ranks."""
    ranks = stats.rankdata(np.abs(d))
    nonzero = d != 0
    observed = ranks[d > 0].sum()
    null = np.array(
        [
            sum(r for r, s, nz in zip(ranks, signs, nonzero, strict=True) if nz and s)
            for signs in itertools.product([False, True], repeat=len(d))
            if all(s or nz for s, nz in zip(signs, nonzero, strict=True))  # zeros: one pattern
        ]
    )
    eps = 1e-9
    upper, lower = np.mean(null >= observed - eps), np.mean(null <= observed + eps)
    if alternative == "greater":
        return float(upper)
    if alternative == "less":
        return float(lower)
    return float(min(1.0, 2 * min(upper, lower)))


@given(
    st.lists(st.sampled_from([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]), min_size=2, max_size=9),
    st.sampled_from(["two-sided", "greater", "less"]),
)
@settings(max_examples=60, deadline=None)
def test_wilcoxon_with_zeros_or_ties_is_exact_for_few_clusters(values, alternative) -> None:
    d = np.array(values)
    assume(np.any(d != 0))
    p, method = wilcoxon_test(d, alternative=alternative)
    assert method in ("exact", "exact (sign flips)")
    assert p == pytest.approx(pratt_sign_flip_p(d, alternative), abs=1e-9)


def test_wilcoxon_small_sample_with_a_zero_is_not_anti_conservative() -> None:
    # the normal approximation gave 0.035 here; every sign pattern gives 2/32
    p, method = wilcoxon_test(np.array([0.0, 0.3, 0.5, 0.7, 0.9, 1.1]))
    assert method == "exact (sign flips)" and p == pytest.approx(0.0625)


def test_paired_contrast_rejects_too_few_clusters_and_same_group() -> None:
    m = cluster_matrix([1, 1, 2], ["a", "b", "a"], [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="at least 2 clusters"):
        paired_contrast(m, "a", "b")
    with pytest.raises(InputError, match="both"):
        paired_contrast(m, "a", "a")
    with pytest.raises(ValueError, match="test"):
        paired_contrast(m, "a", "b", test="t-test")


def test_small_cluster_count_uses_exact_sign_flip() -> None:
    cluster, group, _, value = _long_table(8, {"f": 0.5, "m": 0.0}, seed=3)
    res = paired_contrast(cluster_matrix(cluster, group, value), "f", "m")
    assert res.p_method == "exact" and res.n_permutations == 256
    assert res.p_value >= 2 / 256  # two-sided exact p can never be below 2 / 2^n


def test_cohens_dz_and_rank_biserial_references() -> None:
    d = np.array([0.5, -0.2, 1.3, 0.0, 0.8, 0.8, -1.1, 2.0])
    assert cohens_dz(d) == pytest.approx(np.mean(d) / np.std(d, ddof=1))
    nz = d[d != 0]
    ranks = stats.rankdata(np.abs(nz))
    t_plus = ranks[nz > 0].sum()
    n = nz.size
    # Kerby's simple difference formula r = T+/S − T−/S with S = n(n+1)/2 (no zeros left).
    assert rank_biserial(d) == pytest.approx(4 * t_plus / (n * (n + 1)) - 1)
    # scipy's Wilcoxon statistic is min(T+, T−); r = (T+ − T−)/S.
    t_small = stats.wilcoxon(nz).statistic
    assert abs(rank_biserial(d)) == pytest.approx(1 - 2 * t_small / (n * (n + 1) / 2))
    assert rank_biserial(np.zeros(4)) == 0.0
    assert np.isnan(cohens_dz(np.zeros(4)))
    assert cohens_dz(np.full(4, 2.0)) == np.inf


def test_tost_matches_two_one_sided_scipy_t_tests() -> None:
    d = np.random.default_rng(4).normal(0.05, 0.3, 60)
    res = tost_paired(d, 0.15)
    lower = stats.ttest_1samp(d, -0.15, alternative="greater").pvalue
    upper = stats.ttest_1samp(d, 0.15, alternative="less").pvalue
    assert res.p_lower == pytest.approx(lower)
    assert res.p_upper == pytest.approx(upper)
    assert res.p_value == pytest.approx(max(lower, upper))
    ci = stats.ttest_1samp(d, 0.0).confidence_interval(0.90)
    assert (res.ci_low, res.ci_high) == pytest.approx((ci.low, ci.high))
    assert res.equivalent == (ci.low > -0.15 and ci.high < 0.15)
    assert res.equivalent and not tost_paired(d, 0.01).equivalent
    with pytest.raises(ValueError, match="margin"):
        tost_paired(d, 0.0)


def test_paired_contrast_attaches_tost() -> None:
    cluster, group, _, value = _long_table(80, {"f": 0.0, "m": 0.0}, seed=5)
    m = cluster_matrix(cluster, group, value)
    res = paired_contrast(m, "f", "m", margin=0.5)
    assert res.equivalence is not None and res.equivalence.equivalent
    d = m.column("f") - m.column("m")
    assert res.equivalence.p_value == pytest.approx(tost_paired(d, 0.5).p_value)


@pytest.mark.parametrize(("b", "c"), [(0, 0), (3, 0), (7, 2), (12, 12), (1, 30), (40, 25)])
def test_mcnemar_exact_matches_binomtest(b: int, c: int) -> None:
    res = mcnemar_exact(b, c)
    if b + c == 0:
        assert res.p_value == 1.0
        return
    assert res.p_value == pytest.approx(stats.binomtest(b, b + c, 0.5).pvalue)
    k = min(b, c)
    mid = 2 * stats.binom.cdf(k, b + c, 0.5) - stats.binom.pmf(k, b + c, 0.5)
    assert res.p_value_mid == pytest.approx(min(1.0, mid))
    assert res.p_value_mid <= res.p_value


def test_mcnemar_from_paired_booleans() -> None:
    x = np.array([1, 1, 0, 0, 1, 1, 1, 0], dtype=bool)
    y = np.array([1, 0, 0, 1, 0, 0, 1, 0], dtype=bool)
    res = mcnemar_paired(x, y)
    assert (res.b, res.c) == (3, 1)
    assert res.odds_ratio == 3.0
    with pytest.raises(InputError):
        mcnemar_paired(x, y[:-1])


def test_friedman_matches_scipy_and_drops_incomplete_clusters() -> None:
    cluster, group, _, value = _long_table(20, {"a": 0.0, "b": 0.3, "c": 0.1}, seed=6)
    keep = ~((cluster == "c005") & (group == "b"))
    m = cluster_matrix(cluster[keep], group[keep], value[keep])
    res = omnibus_test(m, kind="friedman")
    complete = m.values[~np.isnan(m.values).any(axis=1)]
    ref = stats.friedmanchisquare(*complete.T)
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.p_value == pytest.approx(ref.pvalue)
    assert (res.n_clusters, res.n_clusters_dropped, res.df) == (19, 1, 2)
    assert res.kendall_w == pytest.approx(ref.statistic / (19 * 2))


def test_cochrans_q_equals_tie_corrected_friedman_on_binary_data() -> None:
    rng = np.random.default_rng(7)
    x = (rng.random((40, 4)) < np.array([0.3, 0.5, 0.4, 0.6])).astype(float)
    cluster = np.repeat(np.arange(40), 4)
    group = np.tile(["g1", "g2", "g3", "g4"], 40)
    m = cluster_matrix(cluster, group, x.ravel())
    res = omnibus_test(m, kind="cochran")
    informative = x[(x.sum(axis=1) > 0) & (x.sum(axis=1) < 4)]
    ref = stats.friedmanchisquare(*informative.T)
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.p_value == pytest.approx(ref.pvalue)
    # Textbook form Q = k(k−1) Σ (C_j − N/k)² / Σ R_i (k − R_i)
    k = 4
    col, row = x.sum(axis=0), x.sum(axis=1)
    q = k * (k - 1) * np.sum((col - col.mean()) ** 2) / np.sum(row * (k - row))
    assert res.statistic == pytest.approx(q)


def test_cochran_rejects_non_binary_and_two_groups() -> None:
    m = cluster_matrix([1, 1, 1, 2, 2, 2], list("abcabc"), [0.5, 1, 0, 1, 0, 1])
    with pytest.raises(InputError, match="binary"):
        omnibus_test(m, kind="cochran")
    with pytest.raises(InputError, match="at least 3 groups"):
        omnibus_test(m.select(["a", "b"]))


def test_contrasts_vs_reference_adjusts_with_holm() -> None:
    cluster, group, _, value = _long_table(40, {"ref": 0.0, "x": 0.5, "y": 0.05, "z": 0.0}, seed=8)
    m = cluster_matrix(cluster, group, value)
    results = contrasts_vs_reference(m, "ref", n_permutations=1999)
    assert [r.group for r in results] == ["x", "y", "z"]
    raw = [paired_contrast(m, g, "ref", n_permutations=1999).p_value for g in ("x", "y", "z")]
    assert [r.p_value for r in results] == raw
    np.testing.assert_allclose([r.p_adjusted for r in results], holm(raw))
    assert all(r.adjust_method == "holm" and r.family == "vs ref" for r in results)


def test_identical_outputs_give_a_degenerate_but_honest_result() -> None:
    # A deterministic model that ignores the group: every within-cluster difference is 0.
    cluster = np.repeat(np.arange(40), 2)
    group = np.tile(["f", "m"], 40)
    value = np.repeat(np.random.default_rng(9).normal(size=40), 2)
    m = cluster_matrix(cluster, group, value)
    res = paired_contrast(m, "f", "m", margin=0.01)
    assert res.estimate == 0.0 and res.ci_low == res.ci_high == 0.0
    assert res.ci_method == "degenerate" and res.p_value == 1.0
    assert np.isnan(res.cohens_dz) and res.rank_biserial == 0.0
    assert res.equivalence is not None and res.equivalence.equivalent
    assert paired_contrast(m, "f", "m", test="wilcoxon").p_value == 1.0


@pytest.mark.parametrize(
    "test",
    [
        wilcoxon_test,
        sign_flip_test,
        lambda d: tost_paired(d, 0.1),
        bootstrap_mean_ci,
    ],
    ids=["wilcoxon", "sign-flip", "tost", "bootstrap"],
)
@pytest.mark.parametrize("empty", [[], np.array([])])
def test_every_test_rejects_empty_input_alike(test, empty) -> None:
    with pytest.raises(InputError, match="at least"):
        test(empty)


def test_wilcoxon_needs_a_cluster_but_all_zero_stays_degenerate() -> None:
    with pytest.raises(InputError, match="at least one cluster"):
        wilcoxon_test([])
    assert wilcoxon_test([0.0]) == (1.0, "degenerate")
    p, _ = wilcoxon_test([0.7])  # one non-zero difference: exact p = 1 (2 of 2 patterns)
    assert p == pytest.approx(stats.wilcoxon([0.7]).pvalue) == pytest.approx(1.0)
