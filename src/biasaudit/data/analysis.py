"""The reduce side of a scan: representation, group × label tests, term associations with
a log-odds Dirichlet prior, Benjamini–Hochberg control, flags and reweighing weights.

Everything here is a pure function of the summed :class:`ChunkCounts`, so the local and
Dask engines agree exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats as sps

from ..errors import InputError
from .counts import NONE, ChunkCounts


@dataclass(frozen=True)
class ScanThresholds:
    """When an association is flagged, and how reweighing guards small cells.

    A term (or group) is flagged for a label (or occupation) only when it is in at least
    ``min_count`` examples (and at least ``min_count`` are without it), its BH-adjusted
    Fisher p-value is below ``alpha``, and its log-odds ratio with an informative Dirichlet
    prior of total ``prior`` pseudo-examples is at least ``min_log_odds`` (0.5 ≈ odds 1.65×,
    about a 25% relative rise of P(label | term) at balanced labels).
    """

    min_count: int = 30
    alpha: float = 0.05
    min_log_odds: float = 0.5
    prior: float = 10.0
    pmi_smoothing: float = 10.0
    confidence: float = 0.95
    max_weight: float = 10.0
    min_cell: int = 5

    def check(self) -> None:
        """Raise InputError for a threshold outside its range: ``max_weight`` below 1
        would divide by zero or turn the clip range [1/W, W] inside out (every weight
        W), an ``alpha`` outside (0, 1] flags everything or nothing, a zero ``prior``
        takes the log of zero."""
        problems = [
            (self.min_count >= 0, "min_count must be at least 0"),
            (0 < self.alpha <= 1, "alpha must be in (0, 1]"),
            (self.prior > 0, "prior must be above 0"),
            (self.pmi_smoothing >= 0, "pmi_smoothing must be at least 0"),
            (0 < self.confidence < 1, "confidence must be in (0, 1)"),
            (self.max_weight >= 1, "max_weight must be at least 1 (weights are clipped "
                                   "to [1/max_weight, max_weight])"),
            (self.min_cell >= 0, "min_cell must be at least 0"),
        ]
        for ok, message in problems:
            if not ok:
                name = message.split()[0]
                raise InputError(f"{message}, got {getattr(self, name)!r}")


@dataclass(frozen=True)
class Share:
    """How many examples mention a group, and that count's share with a Wilson interval."""

    axis: str
    group: str
    docs: int
    mentions: int
    share: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class Association:
    """One 2×2 test: ``subject`` (a term or group) against ``target`` (a label or occupation).

    ``a``: both; ``b``: subject without target; ``c``: target without subject; ``d``: neither.
    """

    axis: str
    kind: str  # term_label | group_label | term_occupation | group_occupation
    subject: str
    target: str
    groups: tuple[str, ...]
    a: int
    b: int
    c: int
    d: int
    log_odds: float
    z: float
    pmi: float
    p: float
    q: float = math.nan
    flagged: bool = False

    @property
    def n_subject(self) -> int:
        """Examples that mention the subject (``a + b``)."""
        return self.a + self.b


@dataclass(frozen=True)
class TableTest:
    """Profile × label contingency table of one axis, with its test of independence."""

    axis: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    test: str
    statistic: float
    dof: int
    p: float


@dataclass(frozen=True)
class Weights:
    """Kamiran–Calders weights per (joint profile, label) cell and the resulting Kish n_eff."""

    cells: Mapping[tuple[str, str], float]
    counts: Mapping[tuple[str, str], int]
    clipped: tuple[tuple[str, str], ...]
    n: int
    effective_n: float
    empty: tuple[tuple[str, str], ...] = ()  # cells with no example: independence impossible

    def weight(self, profile: str, label: str | None) -> float:
        """The weight of an example in ``(profile, label)`` (1.0 without labels)."""
        if label is None:
            return 1.0
        return self.cells.get((profile, label), 1.0)


@dataclass(frozen=True)
class ScanResult:
    """Everything a scan found; ``counts`` are the raw sums the rest is computed from."""

    counts: ChunkCounts
    thresholds: ScanThresholds
    axes: tuple[str, ...]
    groups: Mapping[str, tuple[str, ...]]
    coverage: Mapping[str, Share]
    representation: tuple[Share, ...]
    tables: tuple[TableTest, ...]
    associations: tuple[Association, ...]
    weights: Weights
    meta: tuple[dict[str, Any], ...] = field(default=())

    @property
    def flags(self) -> tuple[Association, ...]:
        """The flagged associations, of every kind."""
        return tuple(a for a in self.associations if a.flagged)

    def flagged(self, kind: str) -> set[tuple[str, str, str]]:
        """``(axis, subject, target)`` of the flagged associations of one kind."""
        return {(a.axis, a.subject, a.target) for a in self.flags if a.kind == kind}


# -- statistics ----------------------------------------------------------------------------

def wilson_interval(k: int, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion k/n ((0, 1) when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # (the bounds at k = 0 and k = n are exactly 0 and 1; rounding would leave 7e-18)
    return (0.0 if k == 0 else max(0.0, centre - half),
            1.0 if k == n else min(1.0, centre + half))


def log_odds_dirichlet(a: int, b: int, c: int, d: int, *, prior: float) -> tuple[float, float]:
    """Log-odds ratio of the subject in target vs other examples, with an informative
    Dirichlet prior (Monroe, Colaresi & Quinn 2008), and its z-score.

    The prior adds ``prior × P(subject)`` pseudo-examples with the subject, so rare
    subjects are shrunk towards no association instead of over-flagged.
    """
    n = a + b + c + d
    n_t, n_o = a + c, b + d
    if not 0 < a + b < n:  # the subject is in every example or in none: nothing to compare
        return math.nan, math.nan
    alpha = prior * (a + b) / n
    lt = math.log((a + alpha) / (n_t + prior - a - alpha))
    lo = math.log((b + alpha) / (n_o + prior - b - alpha))
    delta = lt - lo
    var = 1 / (a + alpha) + 1 / (b + alpha)
    return delta, delta / math.sqrt(var)


def smoothed_pmi(a: int, b: int, c: int, d: int, *, smoothing: float) -> float:
    """log P(target | subject) / P(target), with ``smoothing`` pseudo-examples at P(target)."""
    n = a + b + c + d
    p_t = (a + c) / n
    if p_t == 0:
        return 0.0
    return math.log(((a + smoothing * p_t) / (a + b + smoothing)) / p_t)


def fisher_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact p-value of a 2×2 table."""
    return float(sps.fisher_exact([[a, b], [c, d]]).pvalue)


def bh_adjust(pvalues: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (q-values), in input order."""
    if not len(pvalues):
        return []
    return [float(q) for q in sps.false_discovery_control(np.asarray(pvalues), method="bh")]


def table_test(rows: Sequence[str], columns: Sequence[str], counts: np.ndarray
               ) -> tuple[str, float, int, float]:
    """Fisher's exact test for a 2×2 table, Pearson chi-square otherwise (name, stat, dof, p)."""
    keep_r = counts.sum(axis=1) > 0
    keep_c = counts.sum(axis=0) > 0
    table = counts[keep_r][:, keep_c]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return "none", math.nan, 0, math.nan
    if table.shape == (2, 2):
        res = sps.fisher_exact(table)
        return "fisher", float(res.statistic), 1, float(res.pvalue)
    res = sps.chi2_contingency(table, correction=False)
    return "chi2", float(res.statistic), int(res.dof), float(res.pvalue)


# -- building the result ---------------------------------------------------------------------

def analyze(counts: ChunkCounts, *, axes: Sequence[str], groups: Mapping[str, Sequence[str]],
            thresholds: ScanThresholds | None = None) -> ScanResult:
    """Turn summed counts into shares, tests, flags and reweighing weights."""
    th = thresholds or ScanThresholds()
    th.check()
    labels = sorted(counts.labels)
    coverage = {
        axis: _share(axis, "any", counts.axis_docs[axis], 0, counts.examples, th)
        for axis in axes
    }
    representation = tuple(
        _share(axis, g, counts.group_docs[axis, g], counts.group_mentions[axis, g],
               counts.axis_docs[axis], th)
        for axis in axes for g in _axis_groups(counts, axis, groups[axis])
    )
    tables = tuple(_profile_table(counts, axis, labels) for axis in axes) if labels else ()
    tests = _associations(counts, axes, labels, th)
    qs = bh_adjust([t.p for t in tests])
    associations = tuple(
        _replace(t, q=q, flagged=bool(
            q < th.alpha and t.log_odds >= th.min_log_odds
            and t.a + t.b >= th.min_count and t.c + t.d >= th.min_count))
        for t, q in zip(tests, qs)
    )
    return ScanResult(
        counts=counts, thresholds=th, axes=tuple(axes),
        groups={a: tuple(groups[a]) for a in axes}, coverage=coverage,
        representation=representation, tables=tables, associations=associations,
        weights=reweighing(counts.joint_label, max_weight=th.max_weight, min_cell=th.min_cell),
        meta=_meta_breakdown(counts, axes, groups, th),
    )


def reweighing(cells: Mapping[tuple[str, str], int], *, max_weight: float = math.inf,
               min_cell: int = 0) -> Weights:
    """Kamiran & Calders weights w(g, y) = n_g·n_y / (n·n_gy), clipped to
    [1/max_weight, max_weight]; cells under ``min_cell`` examples are left at weight 1."""
    if not max_weight >= 1:
        raise InputError(f"max_weight must be at least 1, got {max_weight!r}")
    n = sum(cells.values())
    n_g: dict[str, int] = {}
    n_y: dict[str, int] = {}
    for (g, y), k in cells.items():
        n_g[g] = n_g.get(g, 0) + k
        n_y[y] = n_y.get(y, 0) + k
    weights: dict[tuple[str, str], float] = {}
    clipped: list[tuple[str, str]] = []
    for (g, y), k in sorted(cells.items()):
        if k < min_cell:
            w = 1.0
            clipped.append((g, y))
        else:
            w = n_g[g] * n_y[y] / (n * k)
            if w > max_weight or w < 1 / max_weight:
                clipped.append((g, y))
                w = min(max_weight, max(1 / max_weight, w))
        weights[g, y] = w
    sw = sum(k * weights[c] for c, k in cells.items())
    sw2 = sum(k * weights[c] ** 2 for c, k in cells.items())
    empty = tuple((g, y) for g in sorted(n_g) for y in sorted(n_y) if (g, y) not in cells)
    return Weights(weights, dict(cells), tuple(clipped), n, sw * sw / sw2 if sw2 else 0.0,
                   empty)


def effective_sample_size(weights: Sequence[float]) -> float:
    """Kish's effective sample size (Σw)² / Σw²."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w * w).sum()) if len(w) else 0.0


def _replace(t: Association, **changes: Any) -> Association:
    return Association(**{**asdict(t), **changes})


def _axis_groups(counts: ChunkCounts, axis: str, order: Sequence[str]) -> list[str]:
    """Every group of the axis, in its order, then any other group seen (a lexicon's):
    a group the corpus never mentions is reported with 0 examples, not left out, since
    absence is the strongest under-representation there is."""
    seen = {g for (ax, g) in counts.group_docs if ax == axis}
    return list(order) + sorted(seen - set(order))


def _share(axis: str, group: str, k: int, mentions: int, n: int, th: ScanThresholds) -> Share:
    lo, hi = wilson_interval(k, n, confidence=th.confidence)
    return Share(axis, group, k, mentions, k / n if n else 0.0, lo, hi)


def _profile_table(counts: ChunkCounts, axis: str, labels: list[str]) -> TableTest:
    profiles = sorted({p for (ax, p) in counts.profiles if ax == axis},
                      key=lambda p: (p == NONE, p.count("+"), p))
    table = np.array([[counts.profile_label[axis, p, y] for y in labels] for p in profiles],
                     dtype=np.int64).reshape(len(profiles), len(labels))
    name, stat, dof, p = table_test(profiles, labels, table)
    return TableTest(axis, tuple(profiles), tuple(labels),
                     tuple(tuple(int(x) for x in row) for row in table), name, stat, dof, p)


def _associations(counts: ChunkCounts, axes: Sequence[str], labels: list[str],
                  th: ScanThresholds) -> list[Association]:
    """Every testable 2×2 table: subjects in at least ``min_count`` examples (and not in
    all but ``min_count``) against each label / occupation; the BH family is this list."""
    n_lab = sum(counts.labels.values())
    out: list[Association] = []
    # a subject needs min_count examples with and without it; one in every example or in
    # none has no table, even when min_count is 0
    low = max(th.min_count, 1)
    for axis in axes:
        n_axis = counts.axis_docs[axis]
        subjects = [("term", t, counts.term_docs[axis, t],
                     tuple(sorted(counts.term_groups.get((axis, t), ()))))
                    for (ax, t) in sorted(counts.term_docs) if ax == axis]
        subjects += [("group", g, counts.group_docs[axis, g], (g,))
                     for (ax, g) in sorted(counts.group_docs) if ax == axis]
        occupations = sorted(o for (ax, o) in counts.occ_docs if ax == axis)
        for kind, subject, _, sgroups in subjects:
            table = counts.term_label if kind == "term" else counts.group_label
            s_lab = sum(table[axis, subject, y] for y in labels)
            if labels and low <= s_lab <= n_lab - low:
                for y in labels:
                    a = table[axis, subject, y]
                    out.append(_test(axis, f"{kind}_label", subject, y, sgroups,
                                     a, s_lab - a, counts.labels[y] - a,
                                     n_lab - s_lab - counts.labels[y] + a, th))
            n_s = counts.term_docs[axis, subject] if kind == "term" else \
                counts.group_docs[axis, subject]
            if not low <= n_s <= n_axis - low:
                continue
            co = counts.term_occ if kind == "term" else counts.group_occ
            for o in occupations:
                a = co[axis, subject, o]
                n_o = counts.occ_docs[axis, o]
                out.append(_test(axis, f"{kind}_occupation", subject, o, sgroups,
                                 a, n_s - a, n_o - a, n_axis - n_s - n_o + a, th))
    return out


def _test(axis: str, kind: str, subject: str, target: str, groups: tuple[str, ...],
          a: int, b: int, c: int, d: int, th: ScanThresholds) -> Association:
    delta, z = log_odds_dirichlet(a, b, c, d, prior=th.prior)
    return Association(axis, kind, subject, target, groups, a, b, c, d, delta, z,
                       smoothed_pmi(a, b, c, d, smoothing=th.pmi_smoothing),
                       fisher_p(a, b, c, d))


def _meta_breakdown(counts: ChunkCounts, axes: Sequence[str],
                    groups: Mapping[str, Sequence[str]], th: ScanThresholds
                    ) -> tuple[dict[str, Any], ...]:
    """Group shares per value of each metadata field (among examples mentioning the axis),
    with every group of the axis, 0 where a value's examples never mention it."""
    rows = []
    for (axis, name, value), n_axis in sorted(counts.meta_axis.items()):
        if axis not in axes:
            continue
        for g in _axis_groups(counts, axis, groups[axis]):
            k = counts.meta_group[axis, name, value, g]
            rows.append(_meta_row(counts, axis, name, value, g, k, n_axis, th))
    return tuple(rows)


def _meta_row(counts: ChunkCounts, axis: str, name: str, value: str, g: str, k: int,
              n_axis: int, th: ScanThresholds) -> dict[str, Any]:
    """One row of the metadata breakdown: group ``g`` among the value's axis examples."""
    lo, hi = wilson_interval(k, n_axis, confidence=th.confidence)
    return {"field": name, "value": value, "examples": counts.meta_docs[name, value],
            "axis": axis, "axis_examples": n_axis, "group": g, "docs": k,
            "share": k / n_axis if n_axis else 0.0, "ci_low": lo, "ci_high": hi}
