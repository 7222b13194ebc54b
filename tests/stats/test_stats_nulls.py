"""Non-negative statistics with a within-cluster permutation null."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from scipy import stats

from biasaudit.errors import InputError
from biasaudit.stats import (
    cluster_matrix,
    counterfactual_gap,
    null_calibrated,
    spread_gap,
    wasserstein_gap,
)


def _table(
    n_clusters: int, units: int, effect: float, seed: int, groups: tuple[str, ...] = ("a", "b")
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    k = len(groups)
    cluster = np.repeat(np.arange(n_clusters), k * units)
    group = np.tile(np.repeat(np.array(groups), units), n_clusters)
    value = (
        rng.normal(size=n_clusters)[cluster]
        + effect * (group == groups[0])
        + rng.normal(size=cluster.size)
    )
    return cluster, group, value


def test_observed_statistics_match_direct_computation() -> None:
    cluster, group, value = _table(15, 4, 0.3, seed=1, groups=("a", "b", "c"))
    m = cluster_matrix(cluster, group, value)
    pairs = [(0, 1), (0, 2), (1, 2)]
    mad = np.mean([np.mean([abs(r[i] - r[j]) for i, j in pairs]) for r in m.values])
    assert counterfactual_gap(cluster, group, value, n_permutations=19).observed == (
        pytest.approx(mad)
    )
    rng_ = np.mean(m.values.max(axis=1) - m.values.min(axis=1))
    assert spread_gap(cluster, group, value, n_permutations=19).observed == pytest.approx(rng_)
    w1 = np.mean(
        [
            np.mean(
                [
                    stats.wasserstein_distance(
                        value[(cluster == c) & (group == g1)], value[(cluster == c) & (group == g2)]
                    )
                    for g1, g2 in itertools.combinations("abc", 2)
                ]
            )
            for c in range(15)
        ]
    )
    assert wasserstein_gap(cluster, group, value, n_permutations=19).observed == (pytest.approx(w1))


def test_wasserstein_unequal_group_sizes_match_scipy() -> None:
    rng = np.random.default_rng(2)
    cluster = np.array([0] * 7 + [1] * 5)
    group = np.array(list("aaaabbb") + list("abbbb"))
    value = rng.normal(size=12)
    res = wasserstein_gap(cluster, group, value, n_permutations=9)
    ref = np.mean(
        [
            stats.wasserstein_distance(
                value[(cluster == c) & (group == "a")], value[(cluster == c) & (group == "b")]
            )
            for c in (0, 1)
        ]
    )
    assert res.observed == pytest.approx(ref)


@pytest.mark.parametrize("statistic", ["mean_abs_diff", "wasserstein", "range"])
def test_null_matches_exhaustive_enumeration(statistic: str) -> None:
    # 2 clusters × (3 + 3 units): all C(6,3)^2 = 400 within-cluster relabellings.
    cluster, group, value = _table(2, 3, 0.8, seed=3)
    obs_res = null_calibrated(
        cluster, group, value, statistic=statistic, n_permutations=4000, seed=5
    )
    exact = []
    blocks = [np.flatnonzero(cluster == c) for c in (0, 1)]
    splits = list(itertools.combinations(range(6), 3))
    for s0, s1 in itertools.product(splits, splits):
        g = np.empty(12, dtype="<U1")
        for block, chosen in ((blocks[0], s0), (blocks[1], s1)):
            g[block] = "b"
            g[block[list(chosen)]] = "a"
        exact.append(
            null_calibrated(cluster, g, value, statistic=statistic, n_permutations=1).observed
        )
    exact = np.array(exact)
    sd = exact.std()
    assert obs_res.null_mean == pytest.approx(exact.mean(), abs=4 * sd / np.sqrt(4000))
    p_exact = np.mean(exact >= obs_res.observed - 1e-12)
    assert obs_res.p_value == pytest.approx(p_exact, abs=4 * np.sqrt(p_exact / 4000) + 0.003)


def test_unbiased_model_is_not_flagged_but_naive_statistic_is_positive() -> None:
    cluster, group, value = _table(60, 5, 0.0, seed=4)
    res = counterfactual_gap(cluster, group, value, n_permutations=499)
    assert res.observed > 0.4  # the naive CTF gap looks like bias...
    assert abs(res.excess) < 0.1  # ...but it is what the null produces
    assert res.p_value > 0.05
    assert res.null_mean < res.null_quantile_95


def test_planted_bias_is_detected() -> None:
    cluster, group, value = _table(60, 5, 0.8, seed=5)
    for fn in (counterfactual_gap, wasserstein_gap, spread_gap):
        res = fn(cluster, group, value, n_permutations=499)
        assert res.p_value == pytest.approx(1 / 500)
        assert res.excess > 0.1 and res.observed > res.null_quantile_95


@pytest.mark.parametrize("fn", [counterfactual_gap, wasserstein_gap])
def test_false_positive_rate_of_null_calibrated_gap(fn: Callable[..., Any]) -> None:
    pvals = np.array(
        [
            fn(*_table(8, 3, 0.0, seed=100 + seed), n_permutations=99, seed=seed).p_value
            for seed in range(400)
        ]
    )
    fpr = np.mean(pvals <= 0.05)
    assert 0.02 <= fpr <= 0.085  # nominal 0.05; binomial SE 0.011 with 400 audits
    assert 0.45 < np.mean(pvals) < 0.55  # p-values roughly uniform


def test_units_are_averaged_first_and_incomplete_clusters_dropped() -> None:
    cluster = np.array([0, 0, 0, 0, 0, 0, 1, 1, 2, 2])
    group = np.array(["a", "a", "a", "b", "b", "b", "a", "a", "a", "b"])
    unit = np.array(["n1", "n1", "n2", "n3", "n4", "n4", "n1", "n2", "n1", "n3"])
    value = np.array([1.0, 3.0, 4.0, 0.0, 2.0, 4.0, 5.0, 6.0, 1.0, 1.0])
    res = counterfactual_gap(cluster, group, value, unit=unit, n_permutations=99)
    assert res.n_clusters == 2 and res.n_clusters_dropped == 1
    assert res.n_units == 4 + 2
    # cluster 0: a units {n1: 2, n2: 4} -> 3; b units {n3: 0, n4: 3} -> 1.5; cluster 2: 0.
    assert res.observed == pytest.approx((1.5 + 0.0) / 2)


def test_single_unit_per_cell_gives_degenerate_null_for_two_groups() -> None:
    cluster, group, value = _table(30, 1, 0.5, seed=6)
    res = counterfactual_gap(cluster, group, value, n_permutations=99)
    assert res.null_mean == pytest.approx(res.observed)
    assert res.p_value == 1.0


def test_validation() -> None:
    with pytest.raises(ValueError, match="statistic"):
        null_calibrated([0, 0], ["a", "b"], [1.0, 2.0], statistic="tvd")
    with pytest.raises(InputError, match="every group"):
        null_calibrated([0, 1], ["a", "b"], [1.0, 2.0])
