"""Small shared helpers for argument checking and random number generators."""

from __future__ import annotations

import numpy as np

from biasaudit.errors import InputError

SeedLike = int | np.random.Generator | np.random.SeedSequence | None


def as_rng(seed: SeedLike) -> np.random.Generator:
    """Return a numpy Generator from an int seed, a SeedSequence or an existing Generator."""
    return np.random.default_rng(seed)


def as_1d_float(values: object, *, name: str) -> np.ndarray:
    """Convert ``values`` to a finite 1-D float array, or raise InputError naming ``name``."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise InputError(f"'{name}' must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"'{name}' contains NaN or infinite values; drop failed probes first")
    return arr


def check_confidence(confidence: float) -> float:
    """Check that a confidence level lies strictly between 0 and 1."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    return float(confidence)


def check_alpha(alpha: float) -> float:
    """Check that a significance level lies strictly between 0 and 1."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    return float(alpha)


def check_alternative(alternative: str) -> str:
    """Check the name of an alternative hypothesis."""
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(
            f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}"
        )
    return alternative


def check_positive_int(value: int, *, name: str, minimum: int = 1) -> int:
    """Check that ``value`` is an integer not below ``minimum``."""
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)
