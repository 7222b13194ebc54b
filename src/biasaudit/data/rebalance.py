"""The second pass: flag examples in over-represented cells, give each its reweighing
weight, and write counterfactual variants (CDA) or substitutes (CDS) from the engines.

Counterfactual copies carry every field of their source (so a ``split`` field is copied
and siblings never leak across splits) plus ``counterfactual_of`` linking to the source.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engine import SWAP, Counterfactual, CounterfactualEngine
from ..engine.matcher import normalize_key
from .counts import ScanSpec, engines_for, occupation_matcher, occupation_text, profile_of
from .sources import BadRecord, Chunk, Example, missing_label, read_chunk

METHODS = ("reweigh", "augment", "substitute")


@dataclass(frozen=True)
class RebalancePlan:
    """What the second pass needs from the scan: flagged cells and weights (picklable)."""

    spec: ScanSpec
    term_label: frozenset[tuple[str, str, str]] = frozenset()
    group_label: frozenset[tuple[str, str, str]] = frozenset()
    term_occupation: frozenset[tuple[str, str, str]] = frozenset()
    group_occupation: frozenset[tuple[str, str, str]] = frozenset()
    weights: Mapping[tuple[str, str], float] = field(default_factory=dict)
    method: str | None = None
    seed: int = 0
    substitute_rate: float = 0.5
    weight_field: str = "weight"

    @property
    def needs_occupations(self) -> bool:
        return bool(self.term_occupation or self.group_occupation)


@dataclass
class ChunkOutput:
    """Flag rows and rebalanced records of one chunk, with counters of what was done."""

    flags: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    # reweigh: the weight of each labelled example written, in order (the Kish effective
    # sample size is theirs: unlabelled rows keep weight 1 and no weight acts on them)
    labelled_weights: list[float] = field(default_factory=list)
    # what stops the pass: a bad record in strict mode, or a record that already has the
    # weight field reweighing would write
    error: BadRecord | None = None


def flag_chunk(chunk: Chunk, plan: RebalancePlan) -> ChunkOutput:
    """Flag, weigh and (optionally) rebalance one chunk.

    Every example is written, unlabelled ones included (weight 1 under ``reweigh``; they
    have no label cell, so only occupation flags can apply to them); in strict mode a
    missing label stops the pass as a bad record does."""
    spec = plan.spec
    engines = engines_for(spec.lang, spec.axes, spec.lexicon_paths)
    occ = (occupation_matcher(spec.lang, spec.axes, spec.lexicon_paths, spec.occupations)
           if plan.needs_occupations else None)
    out = ChunkOutput()
    keep = plan.method is not None
    label_field = spec.fields.label
    for item in read_chunk(chunk, spec.fields, keep_record=keep):
        if isinstance(item, BadRecord):
            if spec.strict:
                out.error = item
                return out
            out.counts["bad_records"] += 1
            continue
        if label_field and item.label is None:
            if spec.strict:
                out.error = missing_label(item, label_field)
                return out
            out.counts["unlabelled"] += 1
        if plan.method == "reweigh" and plan.weight_field in (item.record or {}):
            out.error = BadRecord(
                "field_exists", item.source, item.line, plan.weight_field,
                f"the data has a field {plan.weight_field!r} already, which reweighing "
                "would overwrite; rename it, or write the weights to another field "
                "(weight_field=)")
            return out
        out.counts["examples"] += 1
        flag, weight = flag_example(item, engines, plan, occ)
        if plan.method == "reweigh" and item.label is not None:
            out.labelled_weights.append(weight)
        if flag is None:
            if keep:
                out.records.append(_output_record(item, plan, weight))
            continue
        out.counts["flagged"] += 1
        variants = _variants(item, engines, flag, out.counts)
        flag["counterfactuals"] = len(variants)
        flag["action"] = ("augment" if variants else
                          "reweigh" if item.label is not None and weight != 1.0
                          else "review")
        out.flags.append(flag)
        if keep:
            _rebalance(item, flag, variants, plan, out)
    return out


def flag_example(item: Example, engines: tuple[CounterfactualEngine, ...],
                 plan: RebalancePlan, occ: Any) -> tuple[dict[str, Any] | None, float]:
    """The flag row of one example (None when no flagged cell applies) and its weight."""
    reasons: list[dict[str, Any]] = []
    found: list[tuple[str, Any, str]] = []
    groups_by_axis: dict[str, list[str]] = {}
    joint: list[str] = []
    occupations: set[str] | None = None
    label = item.label
    for eng in engines:
        axis = eng.axis
        terms: set[str] = set()
        groups: set[str] = set()
        for m in eng.find(item.text):
            if m.candidates:
                key = normalize_key(m.text)
                terms.add(key)
                groups |= m.groups
                found.append((axis, m, key))
        groups_by_axis[axis] = [g for g in eng.groups if g in groups] + sorted(
            g for g in groups if g not in eng.groups)
        joint.append(f"{axis}={profile_of(groups, eng.groups)}")
        if label is not None:
            reasons += [{"kind": "term_label", "axis": axis, "term": t, "label": label}
                        for t in sorted(terms) if (axis, t, label) in plan.term_label]
            reasons += [{"kind": "group_label", "axis": axis, "group": g, "label": label}
                        for g in groups_by_axis[axis] if (axis, g, label) in plan.group_label]
        if occ is not None and terms:
            if occupations is None:
                occupations = {normalize_key(m.text)
                               for m in occ.find(occupation_text(engines, item.text))}
            for o in sorted(occupations):
                reasons += [{"kind": "term_occupation", "axis": axis, "term": t,
                             "occupation": o}
                            for t in sorted(terms) if (axis, t, o) in plan.term_occupation]
                reasons += [{"kind": "group_occupation", "axis": axis, "group": g,
                             "occupation": o}
                            for g in groups_by_axis[axis]
                            if (axis, g, o) in plan.group_occupation]
    weight = plan.weights.get(("|".join(joint), label), 1.0) if label is not None else 1.0
    if not reasons:
        return None, weight
    spans = [{"axis": axis, "start": m.start, "end": m.end, "text": m.text, "term": key,
              "groups": sorted(m.groups)} for axis, m, key in found]
    return {"id": item.id, "source": item.source, "line": item.line, "label": label,
            "groups": groups_by_axis, "reasons": reasons, "spans": spans,
            "weight": weight}, weight


def _variants(item: Example, engines: tuple[CounterfactualEngine, ...],
              flag: dict[str, Any], counts: Counter) -> list[Counterfactual]:
    """Safe, changed counterfactuals for the flagged axes; unsafe ones are counted, not kept."""
    axes = {r["axis"] for r in flag["reasons"]}
    variants = []
    for eng in engines:
        if eng.axis not in axes:
            continue
        if eng.lexicons.swap:
            cands = [eng.swap(item.text)]
        else:
            present = set(flag["groups"][eng.axis])
            cands = eng.counterfactuals(item.text, [g for g in eng.groups if g not in present])
        for cf in cands:
            if not cf.safe:
                counts["unsafe_skipped"] += 1
            elif not cf.changed:
                counts["unchanged_skipped"] += 1
            else:
                variants.append(cf)
    return variants


def _rebalance(item: Example, flag: dict[str, Any], variants: list[Counterfactual],
               plan: RebalancePlan, out: ChunkOutput) -> None:
    if plan.method == "reweigh":
        out.records.append(_output_record(item, plan, flag["weight"]))
    elif plan.method == "augment":
        out.records.append(_output_record(item, plan, 1.0))
        for cf in variants:
            out.records.append(_copy(item, plan, cf))
            out.counts["augmented"] += 1
    elif plan.method == "substitute":
        if variants and _coin(plan.seed, item.id) < plan.substitute_rate:
            # one of the variants (one per other group on an axis without pairwise swaps)
            # by a second coin: always the first would send every substitute to one group
            pick = int(_coin(plan.seed, f"{item.id}\x1fvariant") * len(variants))
            rec = _copy(item, plan, variants[pick], substitute=True)
            out.records.append(rec)
            out.counts["substituted"] += 1
        else:
            out.records.append(_output_record(item, plan, 1.0))


def _output_record(item: Example, plan: RebalancePlan, weight: float) -> dict[str, Any]:
    """The record as read, with its id (and its weight when reweighing)."""
    rec = dict(item.record or {})
    rec["example_id"] = item.id
    if plan.method == "reweigh":
        rec[plan.weight_field] = weight
    return rec


def _copy(item: Example, plan: RebalancePlan, cf: Counterfactual, *,
          substitute: bool = False) -> dict[str, Any]:
    """A counterfactual sibling: every source field (split included), new text, a link."""
    rec = dict(item.record or {})
    rec[plan.spec.fields.text] = cf.text
    new_id = item.id if substitute else f"{item.id}~{cf.axis}:{cf.target}"
    if plan.spec.fields.id and not substitute:
        rec[plan.spec.fields.id] = new_id
    rec["example_id"] = new_id
    rec["counterfactual_of"] = item.id
    rec["counterfactual_target"] = cf.target if cf.target != SWAP else "swap"
    rec["counterfactual_axis"] = cf.axis
    # what was changed, as offsets in the source text (after the engine's NFC
    # normalisation), so each variant can be checked against its source
    rec["counterfactual_edits"] = [{"start": e.start, "end": e.end, "old": e.old, "new": e.new}
                                   for e in cf.edits]
    return rec


def _coin(seed: int, key: str) -> float:
    """A deterministic uniform number in [0, 1) from ``seed`` and an example id."""
    digest = hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
