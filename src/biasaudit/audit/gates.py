"""CI gates: thresholds written on confidence bounds, not on point estimates.

``max_abs_bound: m`` fails when the upper confidence bound of |Δ| exceeds m, i.e. the data
cannot rule out a disparity larger than m. ``max_regression: r`` fails when, with confidence,
|Δ| grew by more than r since the baseline: the lower confidence bound of the paired growth
|Δ_new| − |Δ_old| (see :func:`biasaudit.audit.baseline.growth_bounds`, valid whichever
signs the two estimates have) is above r. A gate with both limits fails when either fails.

Gates fail closed: a gate that selects nothing, a bound that is NaN, a finding with too few
clusters to bound |Δ| (:func:`min_clusters`), a finding that is not measurable
(``Finding.not_measurable``: the model never saw the swapped words, which it cut off), and a
selected finding whose change since the baseline cannot be paired all fail it, since a
release must not ship on a check that was not made.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .baseline import CLUSTERS_MISSING, MISSING_CLUSTERS, PROBES_DIFFER
from .config import GateConfig
from .probesets import same_lang
from .result import Finding, GateOutcome


def select(gate: GateConfig, findings: Sequence[Finding]) -> list[Finding]:
    """The findings a gate applies to (every filter it sets must match; ``lang`` by the
    canonical language code)."""
    return [
        f
        for f in findings
        if (gate.metric is None or f.metric == gate.metric)
        and (gate.lang is None or same_lang(f.lang, gate.lang))
        and (gate.axis is None or f.axis == gate.axis)
        and (gate.group is None or f.group == gate.group)
    ]


def _exceeds(value: float, limit: float) -> bool:
    """``value > limit``, and True for NaN: a bound that could not be computed fails."""
    return not value <= limit


def _nothing_selected(gate: GateConfig, findings: Sequence[Finding]) -> str:
    """Why a gate selected nothing: its filters next to the values the findings have, so a
    typo (``group: femal``) is seen at once."""
    filters = [
        f"{name} {getattr(gate, name)!r}"
        for name in ("metric", "lang", "axis", "group")
        if getattr(gate, name) is not None
    ]
    have = [
        f"{plural}: {', '.join(sorted({str(getattr(f, name)) for f in findings})) or '-'}"
        for name, plural in (("metric", "metrics"), ("lang", "langs"), ("axis", "axes"),
                             ("group", "groups"))
    ]
    return (
        f"the gate selects no findings: check its filters ({', '.join(filters) or 'none'}; "
        f"the findings have {'; '.join(have)})"
    )


def evaluate(
    gate: GateConfig, findings: Sequence[Finding], *, with_baseline: bool = False
) -> GateOutcome:
    """Apply one gate; a gate that selects nothing fails (fail closed in CI).

    ``with_baseline`` says that the run was compared with a baseline, so that a
    ``max_regression`` gate none of whose findings is in it can say so (rather than ask
    for ``--baseline``).

    A gate with both ``max_abs_bound`` and ``max_regression`` checks both and fails when
    either fails: its message has both parts, ``failing`` the findings that failed either,
    and ``threshold``/``observed`` are those of the first check that failed (of
    ``max_abs_bound`` when both pass). A selected finding that is not measurable fails
    either kind, with a message part saying why.
    """
    chosen = select(gate, findings)
    ids = tuple(f.id for f in chosen)
    if not chosen:
        return GateOutcome(gate.name, False, _nothing_selected(gate, findings))
    parts = []
    if gate.max_abs_bound is not None:
        parts.append(_abs_bound(gate.name, gate.max_abs_bound, chosen, ids))
    if gate.max_regression is not None:
        parts.append(_regression(gate.name, gate.max_regression, chosen, ids, with_baseline))
    blind = [f for f in chosen if f.not_measurable]
    if blind:  # its numbers are those of texts the model read without the swapped words
        shown = "; ".join(f"{f.id}: {f.not_measurable}" for f in blind[:3])
        parts.append(
            GateOutcome(
                gate.name,
                False,
                f"{len(blind)} finding(s) not measurable, so the gate cannot pass: {shown}"
                + ("; ..." if len(blind) > 3 else ""),
                ids,
                tuple(f.id for f in blind),
                parts[0].threshold if parts else None,
                parts[0].observed if parts else None,
            )
        )
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


def min_clusters(confidence: float) -> int:
    """The fewest clusters that can bound |Δ| at ``confidence``: with n clusters the smallest
    two-sided sign-flip p is 2/2**n, and a bootstrap interval is never wider than the range
    of the n cluster differences, so fewer clusters give a bound that means nothing (6 at
    95%)."""
    return 1 + math.ceil(math.log2(1 / (1 - confidence)) - 1e-12)


def _abs_bound(
    name: str, limit: float, chosen: Sequence[Finding], ids: tuple[str, ...]
) -> GateOutcome:
    # a NaN bound is the worst (max() would keep whichever came first)
    worst = max(chosen, key=lambda f: math.inf if math.isnan(f.abs_bound) else f.abs_bound)
    too_few = [f for f in chosen if f.n_clusters < min_clusters(f.confidence)]
    failing = tuple(
        dict.fromkeys([f.id for f in chosen if _exceeds(f.abs_bound, limit)]
                      + [f.id for f in too_few])
    )
    conf = f"{worst.confidence:.0%}"
    message = (
        f"upper {conf} bound of |Δ| is {worst.abs_bound:.4g} for {worst.id} (limit {limit:g})"
    )
    if too_few:
        shown = ", ".join(f"{f.id} ({f.n_clusters})" for f in too_few[:3])
        message += (
            f"; {len(too_few)} finding(s) have too few clusters to bound |Δ| (at least "
            f"{min_clusters(too_few[0].confidence)} needed): {shown}"
            + (", ..." if len(too_few) > 3 else "")
        )
    return GateOutcome(name, not failing, message, ids, failing, limit, worst.abs_bound)


_NO_COMPARISON = "no baseline comparison available for the selected findings ({})"
_HOW_TO_PAIR = (
    "run with --baseline on identical probes, with the baseline's clusters.jsonl next to its "
    "report.json"
)


def _regression(
    name: str,
    limit: float,
    chosen: Sequence[Finding],
    ids: tuple[str, ...],
    with_baseline: bool = False,
) -> GateOutcome:
    """Check the growth of |Δ| of every selected finding the baseline has.

    A finding the baseline does not have (a new probe source or group) cannot have grown and
    is only counted in the message; a finding the baseline has but whose change cannot be
    paired (probes changed, sidecar missing, too few clusters) fails the gate, since its
    growth was not measured. With no finding in the baseline at all the gate fails.
    """
    compared = [f for f in chosen if f.baseline and f.baseline.get("paired")]
    unpaired = [f for f in chosen if f.baseline and not f.baseline.get("paired")]
    new = [f for f in chosen if not f.baseline]
    if not compared and not unpaired:
        why = (
            "none of them is in the baseline: were probe sources, metrics, groups or the "
            "reference group renamed?"
            if with_baseline
            else _HOW_TO_PAIR
        )
        return GateOutcome(name, False, _NO_COMPARISON.format(why), ids, threshold=limit)
    if unpaired:
        reasons = {f.baseline.get("pairing") for f in unpaired if f.baseline}
        if CLUSTERS_MISSING in reasons:
            why = (
                f"{MISSING_CLUSTERS}, so changes cannot be paired (copy both files of the "
                "baseline's report)"
            )
        elif PROBES_DIFFER in reasons:
            why = "the baseline used different probes (content hash), so changes cannot be paired"
        else:
            why = _HOW_TO_PAIR
        failing = tuple(f.id for f in unpaired)
        if not compared:
            message = _NO_COMPARISON.format(why)
        else:
            shown = ", ".join(failing[:3]) + (", ..." if len(failing) > 3 else "")
            message = (
                f"{len(failing)} selected finding(s) cannot be compared with the baseline "
                f"({shown}): {why}"
            )
        return GateOutcome(name, False, message, ids, failing, limit)
    worst_value, worst_id, failing_ids = -math.inf, compared[0].id, []
    for f in compared:
        regression_low = float(f.baseline["regression_ci_low"])
        if math.isnan(regression_low) or regression_low > worst_value:  # NaN is the worst
            worst_value, worst_id = regression_low, f.id
        if _exceeds(regression_low, limit):
            failing_ids.append(f.id)
    worst_value += 0.0  # (a release compared with itself: -0.0 reads, and is stored, as 0)
    message = (
        f"lower bound of the increase in |Δ| since the baseline is {worst_value:.4g} for "
        f"{worst_id} (limit {limit:g})"
    )
    if new:
        message += f"; {len(new)} new finding(s) not in the baseline"
    return GateOutcome(
        name, not failing_ids, message, ids, tuple(failing_ids), limit, worst_value
    )
