"""CI gates: thresholds written on confidence bounds, not on point estimates.

``max_abs_bound: m`` fails when the upper confidence bound of |Δ| exceeds m, i.e. the data
cannot rule out a disparity larger than m. ``max_regression: r`` fails when, with confidence,
|Δ| grew by more than r since the baseline: the lower confidence bound of the paired growth
|Δ_new| − |Δ_old| (see :func:`biasaudit.audit.baseline.growth_bounds`, valid whichever
signs the two estimates have) is above r. A gate with both limits fails when either fails.
"""

from __future__ import annotations

from collections.abc import Sequence

from .baseline import CLUSTERS_MISSING, MISSING_CLUSTERS, PROBES_DIFFER
from .config import GateConfig
from .result import Finding, GateOutcome


def select(gate: GateConfig, findings: Sequence[Finding]) -> list[Finding]:
    """The findings a gate applies to (every filter it sets must match)."""
    return [
        f
        for f in findings
        if (gate.metric is None or f.metric == gate.metric)
        and (gate.lang is None or f.lang == gate.lang)
        and (gate.axis is None or f.axis == gate.axis)
        and (gate.group is None or f.group == gate.group)
    ]


def evaluate(gate: GateConfig, findings: Sequence[Finding]) -> GateOutcome:
    """Apply one gate; a gate that selects nothing fails (fail closed in CI).

    A gate with both ``max_abs_bound`` and ``max_regression`` checks both and fails when
    either fails: its message has both parts, ``failing`` the findings that failed either,
    and ``threshold``/``observed`` are those of the first check that failed (of
    ``max_abs_bound`` when both pass).
    """
    chosen = select(gate, findings)
    ids = tuple(f.id for f in chosen)
    if not chosen:
        return GateOutcome(gate.name, False, "the gate selects no findings: check its filters")
    parts = []
    if gate.max_abs_bound is not None:
        parts.append(_abs_bound(gate.name, gate.max_abs_bound, chosen, ids))
    if gate.max_regression is not None:
        parts.append(_regression(gate.name, gate.max_regression, chosen, ids))
    if len(parts) == 1:
        return parts[0]
    first = next((p for p in parts if not p.passed), parts[0])
    failing = tuple(dict.fromkeys(fid for p in parts for fid in p.failing))
    return GateOutcome(
        gate.name,
        all(p.passed for p in parts),
        "; ".join(p.message for p in parts),
        ids,
        failing,
        first.threshold,
        first.observed,
    )


def _abs_bound(
    name: str, limit: float, chosen: Sequence[Finding], ids: tuple[str, ...]
) -> GateOutcome:
    worst = max(chosen, key=lambda f: f.abs_bound)
    failing = tuple(f.id for f in chosen if f.abs_bound > limit)
    conf = f"{worst.confidence:.0%}"
    message = (
        f"upper {conf} bound of |Δ| is {worst.abs_bound:.4g} for {worst.id} (limit {limit:g})"
    )
    return GateOutcome(name, not failing, message, ids, failing, limit, worst.abs_bound)


def _regression(
    name: str, limit: float, chosen: Sequence[Finding], ids: tuple[str, ...]
) -> GateOutcome:
    compared = [f for f in chosen if f.baseline and f.baseline.get("paired")]
    if not compared:
        reasons = {f.baseline.get("pairing") for f in chosen if f.baseline}
        if CLUSTERS_MISSING in reasons:
            why = (
                f"{MISSING_CLUSTERS}, so changes cannot be paired (copy both files of the "
                "baseline's report)"
            )
        elif PROBES_DIFFER in reasons:
            why = "the baseline used different probes (content hash), so changes cannot be paired"
        else:
            why = (
                "run with --baseline on identical probes, with the baseline's clusters.jsonl "
                "next to its report.json"
            )
        return GateOutcome(
            name,
            False,
            f"no baseline comparison available for the selected findings ({why})",
            ids,
            threshold=limit,
        )
    worst_value, worst_id, failing_ids = float("-inf"), "", []
    for f in compared:
        regression_low = f.baseline["regression_ci_low"]
        if regression_low > worst_value:
            worst_value, worst_id = regression_low, f.id
        if regression_low > limit:
            failing_ids.append(f.id)
    message = (
        f"lower bound of the increase in |Δ| since the baseline is {worst_value:.4g} for "
        f"{worst_id} (limit {limit:g})"
    )
    return GateOutcome(
        name, not failing_ids, message, ids, tuple(failing_ids), limit, worst_value
    )
