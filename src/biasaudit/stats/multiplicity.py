"""Multiple-comparison adjustment within declared families (Holm FWER, Benjamini–Hochberg FDR)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import numpy as np

from biasaudit.errors import InputError

__all__ = ["adjust", "adjust_pvalues", "benjamini_hochberg", "holm"]

R = TypeVar("R")

_METHODS = ("holm", "bh")


def _as_pvalues(pvalues: Sequence[float] | np.ndarray, fn: str) -> np.ndarray:
    p = np.asarray(pvalues, dtype=float)
    if p.ndim != 1:
        # Not flattened: a 2-D array is usually several families (one per row, say), and
        # adjusting all its entries as one family would be a different, silent choice.
        raise InputError(
            f"p-values must be one-dimensional (one family), got shape {p.shape}; adjust "
            f"each family on its own, e.g. np.apply_along_axis({fn}, 1, p) for one family "
            f"per row, or {fn}(p.ravel()).reshape(p.shape) for one family of all entries"
        )
    if np.any(np.isnan(p)) or np.any((p < 0) | (p > 1)):
        raise InputError("p-values must lie in [0, 1] and not be NaN")
    return p


def holm(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values in input order; FWER under any dependence.

    ``pvalues`` is one family, a 1-D sequence; other shapes raise :class:`InputError`.
    """
    p = _as_pvalues(pvalues, "holm")
    m = p.shape[0]
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = (m - np.arange(m)) * p[order]
    adjusted = np.minimum(np.maximum.accumulate(scaled), 1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out


def benjamini_hochberg(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg (1995) step-up adjusted p-values in input order; FDR under PRDS.

    ``pvalues`` is one family, a 1-D sequence; other shapes raise :class:`InputError`.
    """
    p = _as_pvalues(pvalues, "benjamini_hochberg")
    m = p.shape[0]
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out


def adjust_pvalues(pvalues: Sequence[float] | np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjust one family of p-values with ``method`` ('holm' or 'bh')."""
    if method == "holm":
        return holm(pvalues)
    if method == "bh":
        return benjamini_hochberg(pvalues)
    raise ValueError(f"method must be one of {_METHODS}, got {method!r}")


def _family_of(result: Any, family_key: str | Callable[[Any], Hashable] | None) -> Hashable:
    if family_key is None:
        return "all"
    if callable(family_key):
        return family_key(result)
    tags = getattr(result, "tags", None) or {}
    if family_key not in tags:
        raise InputError(f"result has no tag {family_key!r} to define its family")
    return tags[family_key]


def adjust(
    results: Sequence[R],
    family_key: str | Callable[[R], Hashable] | None = None,
    method: str = "holm",
) -> list[R]:
    """Return copies of ``results`` with ``p_adjusted`` set, adjusting within each declared family.

    ``family_key`` is a tag name (e.g. ``"axis"``), a function of a result, or None for one
    family; results must be dataclasses with ``p_value``, ``p_adjusted``, ``adjust_method``
    and ``family`` fields (e.g. ContrastResult). Order is preserved.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    families: dict[Hashable, list[int]] = {}
    for i, res in enumerate(results):
        families.setdefault(_family_of(res, family_key), []).append(i)
    out: list[R] = list(results)
    for fam, idx in families.items():
        adjusted = adjust_pvalues([results[i].p_value for i in idx], method)  # type: ignore[attr-defined]
        for i, q in zip(idx, adjusted, strict=True):
            out[i] = dataclasses.replace(  # type: ignore[type-var]
                results[i], p_adjusted=float(q), adjust_method=method, family=str(fam)
            )
    return out
