"""Pair, then aggregate: the cluster × group matrix of within-cluster means."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from biasaudit.errors import InputError

from ._common import as_1d_float

__all__ = ["ClusterMatrix", "cluster_matrix"]


@dataclass(frozen=True, eq=False)
class ClusterMatrix:
    """Within-cluster mean outcome per group: one row per cluster, one column per group.

    ``values[i, j]`` is NaN when cluster ``clusters[i]`` has no probe for ``groups[j]``;
    ``counts[i, j]`` is the number of probes (rows of the long table) behind that cell.
    """

    clusters: np.ndarray
    groups: tuple[str, ...]
    values: np.ndarray
    counts: np.ndarray

    def __post_init__(self) -> None:
        values = np.array(self.values, dtype=float)
        counts = np.array(self.counts, dtype=np.int64)
        clusters = np.array(self.clusters)
        groups = tuple(str(g) for g in self.groups)
        if values.ndim != 2 or values.shape != counts.shape:
            raise InputError(
                f"values and counts must be 2-D with equal shapes, got {values.shape} "
                f"and {counts.shape}"
            )
        if values.shape != (clusters.shape[0], len(groups)):
            raise InputError(
                f"values has shape {values.shape} but there are {clusters.shape[0]} clusters "
                f"and {len(groups)} groups"
            )
        if len(set(groups)) != len(groups):
            raise InputError(f"group names must be unique, got {groups}")
        if np.any(np.isnan(values) != (counts == 0)):
            raise InputError("values must be NaN exactly where counts are 0")
        for arr in (values, counts, clusters):
            arr.setflags(write=False)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "clusters", clusters)
        object.__setattr__(self, "groups", groups)

    @property
    def n_clusters(self) -> int:
        """Number of clusters (rows)."""
        return int(self.values.shape[0])

    @property
    def n_groups(self) -> int:
        """Number of groups (columns)."""
        return len(self.groups)

    def index(self, group: str) -> int:
        """Column index of ``group``; raises InputError for an unknown group."""
        try:
            return self.groups.index(str(group))
        except ValueError:
            raise InputError(f"unknown group {group!r}; groups are {self.groups}") from None

    def column(self, group: str) -> np.ndarray:
        """Within-cluster means of one group (NaN where the cluster lacks it)."""
        return self.values[:, self.index(group)]

    def select(self, groups: Sequence[str]) -> ClusterMatrix:
        """A matrix restricted to ``groups`` (in that order), keeping every cluster."""
        idx = [self.index(g) for g in groups]
        return ClusterMatrix(
            clusters=self.clusters,
            groups=tuple(self.groups[i] for i in idx),
            values=self.values[:, idx],
            counts=self.counts[:, idx],
        )


def _id_kind(t: type) -> str:
    """The kind of an id's type: ids of one kind compare as Python compares them."""
    if issubclass(t, str):  # numpy.str_ too
        return "text"
    if issubclass(t, (bytes, np.bytes_)):
        return "bytes"
    if issubclass(t, (numbers.Number, np.number, np.bool_)):
        return "number"
    return t.__name__


def _ids(values: object, *, name: str, n: int) -> np.ndarray:
    """``values`` as a 1-D array of ``n`` ids: numbers, or text (other objects as text).

    Ids of different kinds are an error, not merged: ``1`` and ``"1"`` (or ``None`` and
    ``"None"``) would both become the text ``"1"``, one cluster where the caller has two.
    A list that mixes them gives a text array, so the list's own items are checked.
    """
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise InputError(f"'{name}' must be 1-D with {n} entries, got shape {arr.shape}")
    if arr.dtype.kind == "O" or (arr.dtype.kind in "US" and not isinstance(values, np.ndarray)):
        items = arr.tolist() if arr.dtype.kind == "O" else values
        kinds = {_id_kind(t) for t in set(map(type, items))}  # type: ignore[call-overload]
        if len(kinds) > 1:
            first: dict[str, object] = {}
            for x in items:  # type: ignore[attr-defined]
                first.setdefault(_id_kind(type(x)), x)
            shown = ", ".join(f"{first[k]!r} ({type(first[k]).__name__})" for k in sorted(first))
            raise InputError(
                f"'{name}' mixes value types ({shown}); ids of different types are not "
                "merged (1 and '1' would both read as '1'): give every id one type, e.g. "
                "all str"
            )
    if arr.dtype.kind == "O":
        arr = arr.astype(str)
    return arr


def _codes(values: object, *, name: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    arr = _ids(values, name=name, n=n)
    uniq, inverse = np.unique(arr, return_inverse=True)
    return uniq, inverse.reshape(-1).astype(np.int64)


def _compact(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, inverse = np.unique(key, return_inverse=True)
    return uniq, inverse.reshape(-1).astype(np.int64)


def cluster_matrix(
    cluster: Sequence[object] | np.ndarray,
    group: Sequence[object] | np.ndarray,
    value: Sequence[float] | np.ndarray,
    *,
    groups: Sequence[str] | None = None,
    levels: Sequence[Sequence[object] | np.ndarray] | None = None,
) -> ClusterMatrix:
    """Average a long table of probe outputs into a cluster × group matrix ("pair, then aggregate").

    ``levels`` are nested columns (e.g. name, filler, generation index), outermost first; means
    are taken innermost-first so each level's units weigh equally within the cell above them.
    Rows whose group is not in ``groups`` are ignored; clusters are sorted by id. Ids
    (cluster, group, level values) must be of one kind each, all numbers or all text:
    ``1`` and ``"1"`` in one column raise :class:`InputError` rather than becoming one id.
    """
    val = as_1d_float(value, name="value")
    n = val.shape[0]
    cluster_ids, c_code = _codes(cluster, name="cluster", n=n)
    group_str = _ids(group, name="group", n=n).astype(str)
    if groups is None:
        names = tuple(str(g) for g in np.unique(group_str))
    else:
        names = tuple(str(g) for g in groups)
        if len(set(names)) != len(names):
            raise InputError(f"groups must be unique, got {names}")
        seen = set(np.unique(group_str).tolist())
        missing = [g for g in names if g not in seen]
        if missing:
            raise InputError(f"requested groups {missing} do not occur in 'group'")
    if not names:
        raise InputError("no groups to aggregate (empty input)")
    lookup = {g: i for i, g in enumerate(names)}
    g_code = np.array([lookup.get(g, -1) for g in group_str.tolist()], dtype=np.int64)
    keep = g_code >= 0
    level_codes = []
    for k, lev in enumerate(levels or ()):
        level_codes.append(_codes(lev, name=f"levels[{k}]", n=n)[1][keep])
    c_code, g_code, val = c_code[keep], g_code[keep], val[keep]
    # Canonical row order (cluster, group, levels, value) so sums do not depend on input order.
    order = np.lexsort((val, *reversed(level_codes), g_code, c_code))
    c_code, g_code, val = c_code[order], g_code[order], val[order]
    level_codes = [codes[order] for codes in level_codes]
    n_groups = len(names)
    n_clusters = cluster_ids.shape[0]

    cell_key = c_code * n_groups + g_code
    cell_ids, cell_inv = _compact(cell_key)
    # Build the compact key of every depth: depth 0 = cell, depth k = cell + first k levels.
    keys = [cell_inv]
    for codes in level_codes:
        prev = keys[-1]
        _, inv = _compact(prev * (int(codes.max()) + 1) + codes)
        keys.append(inv)
    # Innermost means, then average upwards one level at a time.
    deepest = keys[-1]
    sums = np.bincount(deepest, weights=val)
    cnt = np.bincount(deepest).astype(float)
    means = sums / cnt
    for depth in range(len(keys) - 1, 0, -1):
        parent = np.empty(means.shape[0], dtype=np.int64)
        parent[keys[depth]] = keys[depth - 1]
        means = np.bincount(parent, weights=means) / np.bincount(parent)
    values = np.full((n_clusters, n_groups), np.nan)
    counts = np.zeros((n_clusters, n_groups), dtype=np.int64)
    rows, cols = np.divmod(cell_ids, n_groups)
    values[rows, cols] = means
    counts[rows, cols] = np.bincount(cell_inv, minlength=cell_ids.shape[0])
    present = counts.sum(axis=1) > 0
    return ClusterMatrix(
        clusters=cluster_ids[present],
        groups=names,
        values=values[present],
        counts=counts[present],
    )
