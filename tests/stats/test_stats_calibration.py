"""Simulation calibration of the whole pipeline: false-positive rate, power and CI coverage.

Audits are simulated as long tables (clusters × 2 groups × 3 names × 2 generations, skewed
noise, cluster × group interaction) and pushed through cluster_matrix; the sign-flip p-values
of all audits are computed in one vectorised call. Everything is seeded, hence deterministic.
"""

from __future__ import annotations

import numpy as np
import pytest

from biasaudit.stats import (
    ClusterMatrix,
    bootstrap_mean_ci,
    cluster_matrix,
    paired_contrast,
    required_clusters,
    sign_flip_pvalues,
    wilcoxon_test,
)

N_CLUSTERS = 100
NAMES, GENERATIONS = 3, 2
# SDs chosen so that the per-cluster difference d_t has SD 1: 2·0.5² + 2·(0.5²/3 + 1/6) = 1.
SD_INTERACTION, SD_NAME, SD_NOISE = 0.5, 0.5, 1.0


def simulate_audits(n_audits: int, delta: float, seed: int) -> ClusterMatrix:
    """One long table holding ``n_audits`` independent audits (cluster ids are audit-major)."""
    rng = np.random.default_rng(seed)
    shape = (n_audits, N_CLUSTERS, 2, NAMES, GENERATIONS)
    cluster_eff = rng.normal(0, 1, shape[:2])[:, :, None, None, None]
    interaction = rng.normal(0, SD_INTERACTION, shape[:3])[:, :, :, None, None]
    name_eff = rng.normal(0, SD_NAME, shape[:4])[..., None]
    noise = SD_NOISE * (rng.exponential(1.0, shape) - 1.0)  # skewed, exchangeable across groups
    group_eff = np.array([delta, 0.0])[None, None, :, None, None]
    value = cluster_eff + group_eff + interaction + name_eff + noise
    a, c, g, j, r = np.indices(shape).reshape(5, -1)
    return cluster_matrix(
        a * N_CLUSTERS + c,
        np.array(["female", "male"])[g],
        value.reshape(-1),
        levels=[g * NAMES + j, r],  # names are nested in groups; generations in names
    )


def _audit_diffs(m: ClusterMatrix, n_audits: int) -> np.ndarray:
    d = m.column("female") - m.column("male")
    return d.reshape(n_audits, N_CLUSTERS)


@pytest.fixture(scope="module")
def null_audits() -> np.ndarray:
    return _audit_diffs(simulate_audits(2000, 0.0, seed=20261125), 2000)


@pytest.fixture(scope="module")
def planted_audits() -> np.ndarray:
    return _audit_diffs(simulate_audits(2000, 0.3, seed=20261126), 2000)


def test_simulated_differences_have_the_intended_scale(
    null_audits: np.ndarray, planted_audits: np.ndarray
) -> None:
    assert null_audits.std() == pytest.approx(1.0, abs=0.03)
    assert planted_audits.mean() == pytest.approx(0.3, abs=0.01)


def test_sign_flip_false_positive_rate_is_nominal(null_audits: np.ndarray) -> None:
    p, method, _ = sign_flip_pvalues(null_audits, n_permutations=999, seed=1)
    assert method == "monte-carlo"
    fpr = float(np.mean(p <= 0.05))
    assert 0.03 <= fpr <= 0.07  # binomial SE 0.005 with 2000 audits
    assert 0.47 < float(np.mean(p)) < 0.53


def test_sign_flip_power_at_dz_0_3_with_100_clusters(planted_audits: np.ndarray) -> None:
    p, _, _ = sign_flip_pvalues(planted_audits, n_permutations=999, seed=2)
    power = float(np.mean(p <= 0.05))
    assert power >= 0.8
    # required_clusters(0.3) says 90 clusters reach 80% power, so 100 clusters give more.
    assert required_clusters(0.3) <= N_CLUSTERS


def test_wilcoxon_false_positive_rate_and_power(
    null_audits: np.ndarray, planted_audits: np.ndarray
) -> None:
    fp = np.mean([wilcoxon_test(d)[0] <= 0.05 for d in null_audits[:1000]])
    power = np.mean([wilcoxon_test(d)[0] <= 0.05 for d in planted_audits[:1000]])
    assert 0.03 <= fp <= 0.07
    assert power >= 0.75  # Wilcoxon tests the median-type shift; d_t is skewed here


def test_full_paired_contrast_coverage_and_size(
    null_audits: np.ndarray, planted_audits: np.ndarray
) -> None:
    n = 300
    covered = 0
    rejected = 0
    for i in range(n):
        for diffs, truth in ((null_audits[i], 0.0), (planted_audits[i], 0.3)):
            m = ClusterMatrix(
                np.arange(N_CLUSTERS),
                ("f", "m"),
                np.c_[diffs, np.zeros(N_CLUSTERS)],
                np.ones((N_CLUSTERS, 2), dtype=int),
            )
            res = paired_contrast(m, "f", "m", n_permutations=999, seed=i)
            covered += res.ci_low <= truth <= res.ci_high
            if truth == 0.0:
                rejected += res.p_value <= 0.05
    coverage = covered / (2 * n)
    assert 0.92 <= coverage <= 0.98  # nominal 0.95; SE 0.009 with 600 intervals
    assert 0.02 <= rejected / n <= 0.09


def _coverage(n_clusters: int, method: str, reps: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for i in range(reps):
        d = rng.normal(0.3, 1.0, n_clusters)
        ci = bootstrap_mean_ci(d, seed=i, method=method)
        hits += ci.low <= 0.3 <= ci.high
    return hits / reps


@pytest.mark.parametrize(("n_clusters", "floor"), [(5, 0.875), (10, 0.92)])
def test_default_ci_keeps_its_coverage_with_few_clusters(n_clusters: int, floor: float) -> None:
    # Normal d_t. Plain 95% BCa covers about 0.84 (5 clusters) and 0.90 (10): a gate on the CI
    # bound passes too easily. The expanded default covers about 0.91 and 0.94 (SE 0.01).
    assert _coverage(n_clusters, "bca-expanded", 800, seed=n_clusters) >= floor
    assert _coverage(n_clusters, "bca", 800, seed=n_clusters) < floor
