"""Power and minimum detectable effect: noncentral t checked against simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from biasaudit.stats import minimum_detectable_effect, paired_power, required_clusters


@pytest.mark.parametrize(("dz", "normal_approx"), [(0.5, 32), (0.3, 88), (0.2, 197), (0.1, 785)])
def test_required_clusters_is_normal_approximation_plus_t_correction(
    dz: float, normal_approx: int
) -> None:
    n = required_clusters(dz)
    assert normal_approx <= n <= normal_approx + 3
    assert paired_power(dz, n) >= 0.8 > paired_power(dz, n - 1)


def test_mde_inverts_power_and_scales_with_sd() -> None:
    mde = minimum_detectable_effect(100, sd=0.2)
    assert mde.effect_dz == pytest.approx(0.283, abs=0.002)  # notes: ≈ 0.28 SD at T = 100
    assert paired_power(mde.effect_dz, 100) == pytest.approx(0.8, abs=1e-8)
    assert mde.effect_raw == pytest.approx(0.2 * mde.effect_dz)
    assert minimum_detectable_effect(100).effect_raw is None
    assert minimum_detectable_effect(400).effect_dz < mde.effect_dz
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert mde.effect_dz > z / np.sqrt(100)  # the t-distribution needs a little more
    with pytest.raises(ValueError):
        minimum_detectable_effect(1)


def test_power_matches_simulated_t_tests() -> None:
    rng = np.random.default_rng(0)
    dz, sims = 0.5, 4000
    n = required_clusters(dz)
    x = rng.normal(dz, 1.0, (sims, n))
    t = x.mean(axis=1) / (x.std(axis=1, ddof=1) / np.sqrt(n))
    crit = stats.t.ppf(0.975, n - 1)
    empirical = np.mean(np.abs(t) > crit)
    expected = paired_power(dz, n)
    assert empirical == pytest.approx(expected, abs=3 * np.sqrt(expected * (1 - expected) / sims))
    assert paired_power(0.0, n) == pytest.approx(0.05)


def test_power_is_monotone_and_symmetric_in_effect() -> None:
    powers = [paired_power(d, 50) for d in (0.0, 0.1, 0.2, 0.4, 0.8, 2.0)]
    assert powers == sorted(powers) and powers[-1] == pytest.approx(1.0)
    assert paired_power(-0.3, 50) == pytest.approx(paired_power(0.3, 50))
    assert required_clusters(-0.3) == required_clusters(0.3)
    assert required_clusters(0.3, alpha=0.05 / 20) > required_clusters(0.3)
