"""What an audit produces: findings, gate outcomes and run metadata."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One group-vs-reference contrast: how big (estimate, effect sizes), how sure (CI, p),
    and on what (language, axis, metric, probe set, clusters, probes)."""

    id: str
    probe_set: str
    lang: str
    axis: str
    metric: str
    description: str
    units: str
    group: str
    reference: str
    estimate: float
    ci_low: float
    ci_high: float
    confidence: float
    ci_method: str
    p_value: float
    p_adjusted: float
    adjust_method: str
    family: str
    test: str
    cohens_dz: float
    rank_biserial: float
    mean_group: float
    mean_reference: float
    sd_diff: float
    n_clusters: int
    n_clusters_dropped: int
    n_probes: int
    unsafe_skipped: int
    mde: float | None = None
    equivalence: dict[str, Any] | None = None
    baseline: dict[str, Any] | None = None
    decisions: dict[str, Any] | None = None
    # why the finding measures nothing (e.g. every swapped word lay past where the model cut
    # its inputs); None when it was measured. A gate that selects it fails.
    not_measurable: str | None = None

    @property
    def abs_bound(self) -> float:
        """The upper confidence bound of |estimate| (what ``max_abs_bound`` gates compare);
        NaN when either end is NaN (``max`` would silently keep the other end)."""
        low, high = abs(self.ci_low), abs(self.ci_high)
        return math.nan if math.isnan(low) or math.isnan(high) else max(low, high)

    def to_dict(self) -> dict[str, Any]:
        """This finding as plain data."""
        return asdict(self)


@dataclass(frozen=True)
class GateOutcome:
    """Whether a gate passed, on which findings, and why."""

    name: str
    passed: bool
    message: str
    findings: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()
    threshold: float | None = None
    observed: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """This gate outcome as plain data."""
        return asdict(self)


@dataclass(frozen=True)
class AuditResult:
    """The outcome of :func:`biasaudit.audit.run_audit`."""

    name: str
    metadata: dict[str, Any]
    findings: tuple[Finding, ...]
    gates: tuple[GateOutcome, ...] = ()
    omnibus: tuple[dict[str, Any], ...] = ()
    gaps: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()
    records: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    cluster_diffs: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)
    removed: tuple[dict[str, Any], ...] = ()  # baseline findings this run no longer has

    @property
    def passed(self) -> bool:
        """Whether every gate passed (True when there are no gates)."""
        return all(g.passed for g in self.gates)

    @property
    def exit_code(self) -> int:
        """0 when every gate passes, 1 when one fails (usage errors exit 2 before this)."""
        return 0 if self.passed else 1
