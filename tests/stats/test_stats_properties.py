"""Property tests: order invariance, sign symmetry, CI contains the estimate."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from biasaudit.stats import (
    bootstrap_mean_ci,
    cluster_matrix,
    paired_contrast,
    sign_flip_test,
)

Table = tuple[np.ndarray, np.ndarray, np.ndarray]

finite = st.floats(-50.0, 50.0, allow_nan=False, allow_infinity=False, width=32)


@st.composite
def long_tables(draw: st.DrawFn) -> Table:
    n_clusters = draw(st.integers(2, 25))
    reps = draw(st.integers(1, 3))
    n = n_clusters * 2 * reps
    values = np.array(draw(st.lists(finite, min_size=n, max_size=n)), dtype=float)
    cluster = np.repeat(np.arange(n_clusters), 2 * reps)
    group = np.tile(np.repeat(np.array(["f", "m"]), reps), n_clusters)
    return cluster, group, values


common = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(long_tables(), st.randoms(use_true_random=False), st.sampled_from(["sign-flip", "wilcoxon"]))
def test_invariant_to_row_and_cluster_order(table: Table, rnd: random.Random, test: str) -> None:
    cluster, group, value = table
    order = np.arange(value.size)
    rnd.shuffle(order)
    a = paired_contrast(cluster_matrix(cluster, group, value), "f", "m", test=test)
    b = paired_contrast(
        cluster_matrix(cluster[order], group[order], value[order]), "f", "m", test=test
    )
    assert a.estimate == pytest.approx(b.estimate, abs=1e-9)
    assert (a.ci_low, a.ci_high) == pytest.approx((b.ci_low, b.ci_high), abs=1e-9)
    assert a.p_value == pytest.approx(b.p_value, abs=1e-12)
    assert a.n_clusters == b.n_clusters and a.n_probes == b.n_probes


@common
@given(long_tables())
def test_swapping_group_and_reference_negates_estimate_and_ci(table: Table) -> None:
    m = cluster_matrix(*table)
    a = paired_contrast(m, "f", "m", n_permutations=999)
    b = paired_contrast(m, "m", "f", n_permutations=999)
    scale = 1e-9 * (1 + np.nanmax(np.abs(m.values)))
    assert b.estimate == pytest.approx(-a.estimate, abs=scale)
    assert b.ci_low == pytest.approx(-a.ci_high, abs=scale)
    assert b.ci_high == pytest.approx(-a.ci_low, abs=scale)
    assert b.ci_method == a.ci_method
    assert b.p_value == pytest.approx(a.p_value, abs=1e-12)
    assert b.rank_biserial == pytest.approx(-a.rank_biserial, abs=1e-12)
    if np.isfinite(a.cohens_dz):
        assert b.cohens_dz == pytest.approx(-a.cohens_dz, rel=1e-9, abs=1e-12)


@common
@given(
    st.lists(finite, min_size=2, max_size=60),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_ci_contains_estimate_and_is_ordered(
    values: list[float], seed: int, confidence: float
) -> None:
    ci = bootstrap_mean_ci(values, seed=seed, confidence=confidence)
    tol = 1e-9 * (1 + max(abs(v) for v in values))
    assert ci.low <= ci.estimate + tol
    assert ci.estimate <= ci.high + tol
    assert min(values) - tol <= ci.low and ci.high <= max(values) + tol


@common
@given(st.lists(finite, min_size=1, max_size=12))
def test_sign_flip_p_is_valid_and_symmetric(values: list[float]) -> None:
    d = np.asarray(values)
    assume(np.all(np.isfinite(d)))
    res = sign_flip_test(d)
    neg = sign_flip_test(-d)
    assert 2.0**-d.size <= res.p_value <= 1.0
    assert res.p_value == pytest.approx(neg.p_value, abs=1e-12)
    greater = sign_flip_test(d, alternative="greater").p_value
    less = sign_flip_test(d, alternative="less").p_value
    assert greater + less >= 1.0 - 1e-12  # the observed arrangement counts in both tails


@common
@given(st.lists(finite, min_size=3, max_size=40), st.integers(0, 2**32 - 1))
def test_expanded_interval_contains_the_plain_bca_interval(values: list[float], seed: int) -> None:
    # Same resamples, target points pushed outwards: the expansion only ever widens.
    wide = bootstrap_mean_ci(values, seed=seed)
    plain = bootstrap_mean_ci(values, seed=seed, method="bca")
    assume(wide.method == "bca-expanded" and plain.method == "bca")
    assert wide.low <= plain.low and plain.high <= wide.high
