"""Non-negative disparity statistics calibrated against a within-cluster permutation null.

|Δ|, Wasserstein-1 and max−min spreads are > 0 in expectation even for an unbiased model; we
report them next to the mean and 95th percentile of their null distribution, obtained by
permuting group labels among the units (probes, names, generations) of each cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from biasaudit.errors import InputError

from ._common import SeedLike, as_1d_float, as_rng, check_positive_int

__all__ = [
    "STATISTICS",
    "NullCalibratedResult",
    "counterfactual_gap",
    "null_calibrated",
    "spread_gap",
    "wasserstein_gap",
]

STATISTICS = ("mean_abs_diff", "wasserstein", "range")
"""Names of the non-negative statistics that null_calibrated understands."""

_CHUNK_ELEMENTS = 1 << 22


@dataclass(frozen=True)
class NullCalibratedResult:
    """A non-negative statistic, its permutation-null mean and 95% quantile, and its p-value.

    ``excess = observed − null_mean`` is the part of the statistic not explained by noise.
    """

    statistic: str
    observed: float
    null_mean: float
    null_quantile_95: float
    p_value: float
    excess: float
    n_permutations: int
    n_clusters: int
    n_clusters_dropped: int
    n_units: int
    groups: tuple[str, ...]
    p_adjusted: float | None = None
    adjust_method: str | None = None
    family: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


def _compact(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, inv = np.unique(x, return_inverse=True)
    return uniq, inv.reshape(-1).astype(np.int64)


@dataclass(frozen=True, eq=False)
class _Layout:
    cluster: np.ndarray  # compact cluster code per unit, sorted ascending
    label: np.ndarray  # group code per unit
    value: np.ndarray  # unit value, sorted within cluster
    counts: np.ndarray  # (n_clusters, n_groups) units per cell
    starts: np.ndarray  # first unit of each cluster
    n_groups: int


def _layout(
    cluster: object, group: object, value: object, groups: Sequence[str] | None, unit: object
) -> tuple[_Layout, tuple[str, ...], int]:
    val = as_1d_float(value, name="value")
    n = val.shape[0]
    cl = np.asarray(cluster)
    gr = np.asarray(group)
    if cl.shape != (n,) or gr.shape != (n,):
        raise InputError("cluster, group and value must be 1-D with equal lengths")
    gs = gr.astype(str)
    names = tuple(str(g) for g in (groups if groups is not None else np.unique(gs)))
    if len(names) < 2:
        raise InputError(f"need at least 2 groups, got {names}")
    lookup = {g: i for i, g in enumerate(names)}
    g = np.array([lookup.get(x, -1) for x in gs.tolist()], dtype=np.int64)
    keep = g >= 0
    _, c = _compact(cl.astype(str) if cl.dtype.kind == "O" else cl)
    c, g, val = c[keep], g[keep], val[keep]
    k = len(names)
    if unit is not None:
        un = np.asarray(unit)
        if un.shape != (n,):
            raise InputError("unit must be 1-D with the same length as value")
        _, u = _compact(un.astype(str) if un.dtype.kind == "O" else un)
        u = u[keep]
        cell = (c * k + g) * (int(u.max(initial=0)) + 1) + u
        ids, inv = _compact(cell)
        val = np.bincount(inv, weights=val) / np.bincount(inv)
        cg = ids // (int(u.max(initial=0)) + 1)
        c, g = np.divmod(cg, k)
    n_c = int(c.max(initial=-1)) + 1
    has = np.zeros((n_c, k), dtype=bool)
    has[c, g] = True
    present = has.any(axis=1)
    complete = has.all(axis=1)
    dropped = int(np.sum(present & ~complete))
    rows = complete[c]
    c, g, val = c[rows], g[rows], val[rows]
    if c.shape[0] == 0:
        raise InputError(f"no cluster has units for every group {names}")
    _, c = _compact(c)
    order = np.lexsort((val, c))
    c, g, val = c[order], g[order], val[order]
    n_c = int(c.max()) + 1
    counts = np.bincount(c * k + g, minlength=n_c * k).reshape(n_c, k)
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    return _Layout(c, g, val, counts, starts, k), names, dropped


def _cell_means(lay: _Layout, labels: np.ndarray) -> np.ndarray:
    b, n = labels.shape
    n_c, k = lay.counts.shape
    idx = (np.arange(b)[:, None] * n_c + lay.cluster[None, :]) * k + labels
    sums = np.bincount(
        idx.ravel(), weights=np.broadcast_to(lay.value, (b, n)).ravel(), minlength=b * n_c * k
    )
    return sums.reshape(b, n_c, k) / lay.counts[None]


def _mean_abs_diff(lay: _Layout, labels: np.ndarray) -> np.ndarray:
    m = _cell_means(lay, labels)
    i, j = np.triu_indices(lay.n_groups, 1)
    return np.abs(m[..., i] - m[..., j]).mean(axis=2).mean(axis=1)


def _range(lay: _Layout, labels: np.ndarray) -> np.ndarray:
    m = _cell_means(lay, labels)
    return (m.max(axis=2) - m.min(axis=2)).mean(axis=1)


def _wasserstein(lay: _Layout, labels: np.ndarray) -> np.ndarray:
    # W1 = integral |F_i − F_j| over the pooled sorted values of each cluster.
    n = lay.value.shape[0]
    gaps = np.zeros(n)
    gaps[:-1] = np.diff(lay.value)
    last = np.r_[lay.starts[1:] - 1, n - 1]
    gaps[last] = 0.0
    cdfs = []
    for k in range(lay.n_groups):
        cs = np.cumsum(labels == k, axis=1, dtype=np.float64)
        before = np.where(lay.starts > 0, cs[:, np.maximum(lay.starts - 1, 0)], 0.0)
        within = cs - before[:, lay.cluster]
        cdfs.append(within / lay.counts[lay.cluster, k][None, :])
    i, j = np.triu_indices(lay.n_groups, 1)
    total = np.zeros((labels.shape[0], lay.counts.shape[0]))
    for a, b in zip(i, j, strict=True):
        total += np.add.reduceat(np.abs(cdfs[a] - cdfs[b]) * gaps, lay.starts, axis=1)
    return (total / len(i)).mean(axis=1)


_STAT_FUNCS: dict[str, Callable[[_Layout, np.ndarray], np.ndarray]] = {
    "mean_abs_diff": _mean_abs_diff,
    "wasserstein": _wasserstein,
    "range": _range,
}


def null_calibrated(
    cluster: Sequence[object] | np.ndarray,
    group: Sequence[object] | np.ndarray,
    value: Sequence[float] | np.ndarray,
    *,
    statistic: str = "mean_abs_diff",
    groups: Sequence[str] | None = None,
    unit: Sequence[object] | np.ndarray | None = None,
    n_permutations: int = 999,
    seed: SeedLike = 0,
) -> NullCalibratedResult:
    """Non-negative per-cluster statistic averaged over clusters, with a label-permutation null.

    Rows are first averaged within (cluster, group, ``unit``) when ``unit`` is given; the null
    shuffles group labels among a cluster's units. Clusters lacking a group are dropped and
    counted. p = (b + 1)/(B + 1). With one unit per cell and two groups |Δ| cannot change under
    the null (p = 1): replicate units (generations, names) are needed to calibrate it.
    """
    if statistic not in _STAT_FUNCS:
        raise ValueError(f"statistic must be one of {STATISTICS}, got {statistic!r}")
    check_positive_int(n_permutations, name="n_permutations", minimum=1)
    lay, names, dropped = _layout(cluster, group, value, groups, unit)
    fn = _STAT_FUNCS[statistic]
    observed = float(fn(lay, lay.label[None, :])[0])
    rng = as_rng(seed)
    n = lay.value.shape[0]
    chunk = max(1, min(n_permutations, _CHUNK_ELEMENTS // (n * max(lay.n_groups, 2))))
    null = np.empty(n_permutations)
    base = lay.cluster.astype(np.float64)[None, :]
    for start in range(0, n_permutations, chunk):
        size = min(chunk, n_permutations - start)
        perm = np.argsort(base + rng.random((size, n)), axis=1)
        null[start : start + size] = fn(lay, lay.label[perm])
    tol = 1e-9 * max(abs(observed), float(np.abs(lay.value).max()), 1e-300)
    b = int(np.count_nonzero(null >= observed - tol))
    null_mean = float(null.mean())
    return NullCalibratedResult(
        statistic=statistic,
        observed=observed,
        null_mean=null_mean,
        null_quantile_95=float(np.quantile(null, 0.95)),
        p_value=(b + 1.0) / (n_permutations + 1.0),
        excess=observed - null_mean,
        n_permutations=n_permutations,
        n_clusters=int(lay.counts.shape[0]),
        n_clusters_dropped=dropped,
        n_units=int(n),
        groups=names,
    )


def counterfactual_gap(
    cluster: Sequence[object] | np.ndarray,
    group: Sequence[object] | np.ndarray,
    value: Sequence[float] | np.ndarray,
    *,
    groups: Sequence[str] | None = None,
    unit: Sequence[object] | np.ndarray | None = None,
    n_permutations: int = 999,
    seed: SeedLike = 0,
) -> NullCalibratedResult:
    """Counterfactual token fairness gap: mean |Δ| over clusters and group pairs (Garg 2019)."""
    return null_calibrated(
        cluster,
        group,
        value,
        statistic="mean_abs_diff",
        groups=groups,
        unit=unit,
        n_permutations=n_permutations,
        seed=seed,
    )


def wasserstein_gap(
    cluster: Sequence[object] | np.ndarray,
    group: Sequence[object] | np.ndarray,
    value: Sequence[float] | np.ndarray,
    *,
    groups: Sequence[str] | None = None,
    unit: Sequence[object] | np.ndarray | None = None,
    n_permutations: int = 999,
    seed: SeedLike = 0,
) -> NullCalibratedResult:
    """Average individual fairness: per-cluster W1 between groups, averaged (Huang et al. 2020)."""
    return null_calibrated(
        cluster,
        group,
        value,
        statistic="wasserstein",
        groups=groups,
        unit=unit,
        n_permutations=n_permutations,
        seed=seed,
    )


def spread_gap(
    cluster: Sequence[object] | np.ndarray,
    group: Sequence[object] | np.ndarray,
    value: Sequence[float] | np.ndarray,
    *,
    groups: Sequence[str] | None = None,
    unit: Sequence[object] | np.ndarray | None = None,
    n_permutations: int = 999,
    seed: SeedLike = 0,
) -> NullCalibratedResult:
    """Perturbation score range: mean per-cluster max − min of group means (Prabhakaran 2019)."""
    return null_calibrated(
        cluster,
        group,
        value,
        statistic="range",
        groups=groups,
        unit=unit,
        n_permutations=n_permutations,
        seed=seed,
    )
