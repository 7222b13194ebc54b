"""Power and minimum detectable effect for paired contrasts over clusters (noncentral t)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from ._common import check_alpha, check_positive_int

__all__ = [
    "MinimumDetectableEffect",
    "minimum_detectable_effect",
    "paired_power",
    "required_clusters",
]


@dataclass(frozen=True)
class MinimumDetectableEffect:
    """Smallest true effect a two-sided paired t-test over clusters detects with the given power."""

    n_clusters: int
    alpha: float
    power: float
    effect_dz: float
    effect_raw: float | None


def _check_power(power: float) -> float:
    if not 0.0 < power < 1.0:
        raise ValueError(f"power must be in (0, 1), got {power!r}")
    return float(power)


def paired_power(effect_dz: float, n_clusters: int, *, alpha: float = 0.05) -> float:
    """Power of the two-sided one-sample t-test on n cluster differences for a true d_z."""
    check_alpha(alpha)
    n = check_positive_int(n_clusters, name="n_clusters", minimum=2)
    df = n - 1
    crit = stats.t.ppf(1.0 - alpha / 2.0, df)
    nc = float(effect_dz) * np.sqrt(n)
    upper = float(stats.nct.sf(crit, df, nc))
    lower = float(stats.nct.sf(crit, df, -nc))  # = P(T <= -crit); far tails may come back NaN
    return min(
        1.0,
        float(np.nan_to_num(upper, nan=1.0 if nc > 0 else 0.0))
        + float(np.nan_to_num(lower, nan=0.0 if nc > 0 else 1.0)),
    )


def minimum_detectable_effect(
    n_clusters: int, *, alpha: float = 0.05, power: float = 0.8, sd: float | None = None
) -> MinimumDetectableEffect:
    """MDE in d_z units for ``n_clusters`` clusters (and in raw units when ``sd`` of d_t is given).

    Solves paired_power(d, n) = power exactly with the noncentral t (≈ (z_{1−α/2}+z_{power})/√n).
    """
    n = check_positive_int(n_clusters, name="n_clusters", minimum=2)
    check_alpha(alpha)
    _check_power(power)
    if power <= alpha:
        raise ValueError("power must exceed alpha")
    upper = 1.0
    while paired_power(upper, n, alpha=alpha) < power:
        upper *= 2.0
    dz = float(
        optimize.brentq(lambda e: paired_power(e, n, alpha=alpha) - power, 0.0, upper, xtol=1e-10)
    )
    raw = None
    if sd is not None:
        if not (np.isfinite(sd) and sd > 0):
            raise ValueError(f"sd must be a positive number, got {sd!r}")
        raw = dz * float(sd)
    return MinimumDetectableEffect(n, float(alpha), float(power), dz, raw)


def required_clusters(effect_dz: float, *, alpha: float = 0.05, power: float = 0.8) -> int:
    """Fewest clusters for which the two-sided paired t-test reaches ``power`` at true d_z."""
    check_alpha(alpha)
    _check_power(power)
    e = abs(float(effect_dz))
    if not (np.isfinite(e) and e > 0):
        raise ValueError(f"effect_dz must be a non-zero finite number, got {effect_dz!r}")
    z = stats.norm.ppf(1.0 - alpha / 2.0) + stats.norm.ppf(power)
    n = max(2, int(np.floor((z / e) ** 2)))
    while n > 2 and paired_power(e, n - 1, alpha=alpha) >= power:
        n -= 1
    while paired_power(e, n, alpha=alpha) < power:
        n += 1
    return n
