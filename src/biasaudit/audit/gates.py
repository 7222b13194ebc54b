"""CI gates: thresholds written on confidence bounds, not on point estimates.

``max_abs_bound: m`` fails when the upper confidence bound of |Δ| exceeds m, i.e. the data
cannot rule out a disparity larger than m. ``max_regression: r`` fails when the paired
change since the baseline makes |Δ| larger by more than r with confidence (lower bound of
the change in the direction of more bias above r).
"""

from __future__ import annotations

from collections.abc import Sequence

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
    """Apply one gate; a gate that selects nothing fails (fail closed in CI)."""
    chosen = select(gate, findings)
    ids = tuple(f.id for f in chosen)
    if not chosen:
        return GateOutcome(gate.name, False, "the gate selects no findings: check its filters")
    if gate.max_abs_bound is not None:
        worst = max(chosen, key=lambda f: f.abs_bound)
        failing = tuple(f.id for f in chosen if f.abs_bound > gate.max_abs_bound)
        conf = f"{worst.confidence:.0%}"
        message = (
            f"upper {conf} bound of |Δ| is {worst.abs_bound:.4g} for {worst.id} "
            f"(limit {gate.max_abs_bound:g})"
        )
        return GateOutcome(
            gate.name, not failing, message, ids, failing, gate.max_abs_bound, worst.abs_bound
        )
    assert gate.max_regression is not None
    compared = [f for f in chosen if f.baseline and f.baseline.get("paired")]
    if not compared:
        return GateOutcome(
            gate.name,
            False,
            "no baseline comparison available for the "
            "selected findings (run with --baseline on identical probes)",
            ids,
        )
    worst_value, worst_id, failing_ids = float("-inf"), "", []
    for f in compared:
        regression_low = f.baseline["regression_ci_low"]
        if regression_low > worst_value:
            worst_value, worst_id = regression_low, f.id
        if regression_low > gate.max_regression:
            failing_ids.append(f.id)
    message = (
        f"lower bound of the increase in |Δ| since the baseline is {worst_value:.4g} for "
        f"{worst_id} (limit {gate.max_regression:g})"
    )
    return GateOutcome(
        gate.name,
        not failing_ids,
        message,
        ids,
        tuple(failing_ids),
        gate.max_regression,
        worst_value,
    )
