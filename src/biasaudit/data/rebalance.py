"""The second pass: flag examples in over-represented cells, give each its reweighing
weight, and write counterfactual variants (CDA) or substitutes (CDS) from the engines.

CDA and CDS act on every example that mentions an axis with a flagged association, not
only on the flagged examples: two-sided CDA (Lu et al. 2018; Zmigrod et al. 2019) adds the
counterfactual of each such example, which makes the group × label table symmetric, and
CDS (Maudslay et al. 2019) moves each to a uniformly drawn group, which makes it uniform in
expectation. Copying only the flagged examples moved whole mirror cells (female → pos and
male → neg) and reversed the skew. ``flags.jsonl`` still lists only flagged examples.

Counterfactual copies carry every field of their source (so a ``split`` field is copied
and siblings never leak across splits) plus ``counterfactual_of`` linking to the source.
"""

from __future__ import annotations

import hashlib
import itertools
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..core import SWAP, Counterfactual, CounterfactualEngine, apply_edits
from ..core.matcher import normalize_key
from ..core.types import Edit
from .counts import ScanSpec, engines_for, occupation_matcher, occupation_text, profile_of
from .sources import BadRecord, Chunk, Example, Fields, read_chunk

METHODS = ("reweigh", "augment", "substitute")
#: the field every record written to rebalanced.jsonl carries its example id in
ID_FIELD = "example_id"
#: the fields ``augment`` and ``substitute`` write to each counterfactual record
COUNTERFACTUAL_FIELDS = ("counterfactual_of", "counterfactual_target", "counterfactual_axis",
                         "counterfactual_edits")


def weight_field_clash(fields: Fields, name: str) -> str | None:
    """Why ``name`` cannot hold the reweighing weights (None when it can): it is a field
    the scan reads, or the one rebalancing writes the example ids to."""
    if not name:
        return "must not be empty"
    if name == ID_FIELD:
        return "is the field rebalancing writes each example's id to"
    for role, used in (("text", fields.text), ("label", fields.label), ("id", fields.id)):
        if name == used:
            return f"is the {role} field"
    if name in fields.meta:
        return "is a metadata field"
    return None


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
    # CDS replacement probability; None: the balancing rate of each axis (see _rate)
    substitute_rate: float | None = None
    weight_field: str = "weight"

    @property
    def needs_occupations(self) -> bool:
        """Whether a flagged cell involves an occupation (so pass 2 must match them)."""
        return bool(self.term_occupation or self.group_occupation)

    @cached_property  # (read for every example of the second pass)
    def balanced_axes(self) -> frozenset[str]:
        """The axes ``augment`` and ``substitute`` rewrite: those with a flagged
        association of any kind (an axis the scan found nothing on is left alone)."""
        cells = self.term_label | self.group_label | self.term_occupation | self.group_occupation
        return frozenset(axis for axis, _, _ in cells)

    @cached_property
    def written_fields(self) -> tuple[str, ...]:
        """The fields the method writes into records the data may have already: the example
        id (unless it is the data's own id field), the weight, the counterfactual links. A
        record that has one is an error, never overwritten."""
        if self.method is None:
            return ()
        names = [] if self.spec.fields.id == ID_FIELD else [ID_FIELD]
        if self.method == "reweigh":
            names.append(self.weight_field)
        else:
            names += COUNTERFACTUAL_FIELDS
        return tuple(names)


@dataclass
class ChunkOutput:
    """Flag rows and rebalanced records of one chunk, with counters of what was done."""

    flags: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    # reweigh: the sum of the weights of the labelled examples written, and of their
    # squares (the Kish effective sample size is theirs: unlabelled rows keep weight 1 and
    # no weight acts on them)
    weight_sum: float = 0.0
    weight_sq_sum: float = 0.0
    # what stops the pass: a bad record in strict mode, or a record that already has a
    # field the method would write (RebalancePlan.written_fields)
    error: BadRecord | None = None


@dataclass(frozen=True)
class Variant:
    """One counterfactual of an example: its rewrite on one axis, or on several axes at once
    (their edits merged, all as offsets in the source text).

    ``steps`` holds one ``(axis, target)`` per axis rewritten, ``target`` being ``swap``
    or a group; ``unsafe`` the reasons it cannot be written (empty when it can)."""

    steps: tuple[tuple[str, str], ...]
    text: str
    edits: tuple[Edit, ...]
    unsafe: tuple[str, ...] = ()

    @property
    def axis(self) -> str:
        return "+".join(axis for axis, _ in self.steps)

    @property
    def target(self) -> str:
        return "+".join(target for _, target in self.steps)

    @property
    def suffix(self) -> str:
        """What the copy's id adds to its source's: ``~gender:swap~religion:jewish``."""
        return "".join(f"~{axis}:{target}" for axis, target in self.steps)


def flag_chunk(chunk: Chunk, plan: RebalancePlan) -> ChunkOutput:
    """Flag, weigh and (optionally) rebalance one chunk.

    Every example is written, unlabelled ones included (weight 1 under ``reweigh``; they
    have no label cell, so only occupation flags can apply to them, but ``augment`` and
    ``substitute`` rewrite them as any other example that mentions the axis, so
    representation and occupation counts are balanced too); in strict mode a missing
    label stops the pass as a bad record does."""
    spec = plan.spec
    engines = engines_for(spec.lang, spec.axes, spec.lexicon_paths)
    occ = (occupation_matcher(spec.lang, spec.axes, spec.lexicon_paths, spec.occupations)
           if plan.needs_occupations else None)
    out = ChunkOutput()
    keep = plan.method is not None
    label_field = spec.fields.label
    for item in read_chunk(chunk, spec.fields, keep_record=keep, label_required=spec.strict):
        if isinstance(item, BadRecord):
            if spec.strict:
                out.error = item
                return out
            out.counts["bad_records"] += 1
            continue
        if label_field and item.label is None:
            out.counts["unlabelled"] += 1
        clash = _existing_field(item, plan)
        if clash is not None:
            out.error = clash
            return out
        out.counts["examples"] += 1
        flag, weight, groups = flag_example(item, engines, plan, occ)
        if plan.method == "reweigh" and item.label is not None:
            out.weight_sum += weight
            out.weight_sq_sum += weight * weight
        rewrite = plan.method in ("augment", "substitute")
        # each axis's counterfactuals, computed once for the flag row and the rewrite
        cands = {eng.axis: _axis_candidates(item.text, eng, groups[eng.axis])
                 for eng in engines
                 if (rewrite and eng.axis in plan.balanced_axes) or (
                     flag is not None and any(r["axis"] == eng.axis for r in flag["reasons"]))}
        if flag is not None:
            out.counts["flagged"] += 1
            mine = [cf for r_axis in {r["axis"] for r in flag["reasons"]}
                    for cf in cands[r_axis]]
            if not rewrite:  # (augment and substitute count every example they rewrite)
                out.counts["unsafe_skipped"] += sum(not cf.safe for cf in mine)
                out.counts["unchanged_skipped"] += sum(cf.safe and not cf.changed
                                                       for cf in mine)
            flag["counterfactuals"] = sum(cf.safe and cf.changed for cf in mine)
            flag["action"] = ("augment" if flag["counterfactuals"] else
                              "reweigh" if item.label is not None and weight != 1.0
                              else "review")
            out.flags.append(flag)
        if rewrite:
            _rebalance(item, engines, cands, plan, out)
        elif keep:
            out.records.append(_output_record(item, plan, weight))
    return out


def _existing_field(item: Example, plan: RebalancePlan) -> BadRecord | None:
    """The error for a record that has a field the method would write (see
    :attr:`RebalancePlan.written_fields`), naming the field; None for most records."""
    rec = item.record
    if not rec:
        return None
    name = next((n for n in plan.written_fields if n in rec), None)
    if name is None:
        return None
    if name == plan.weight_field and plan.method == "reweigh":
        detail = (f"the data has a field {name!r} already, which reweighing would "
                  "overwrite; rename it, or write the weights to another field "
                  "(--weight-field; weight_field= in Python)")
    elif name == ID_FIELD:
        detail = (f"the data has a field {name!r} already, which rebalancing would "
                  f"overwrite with the example's id ({item.id!r}); make it the id with "
                  f"--id-field {ID_FIELD} (id_field= in Python), or rename it")
    else:
        detail = (f"the data has a field {name!r} already, which {plan.method} writes to "
                  "each counterfactual record; rename it (to rewrite data that augment or "
                  "substitute wrote, rewrite its source instead)")
    return BadRecord("field_exists", item.source, item.line, name, detail)


def flag_example(item: Example, engines: tuple[CounterfactualEngine, ...],
                 plan: RebalancePlan, occ: Any
                 ) -> tuple[dict[str, Any] | None, float, dict[str, list[str]]]:
    """The flag row of one example (None when no flagged cell applies), its weight, and
    the groups it mentions per axis (in the axis's order; an empty list: not mentioned)."""
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
                key = normalize_key(unicodedata.normalize("NFC", m.text))
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
        return None, weight, groups_by_axis
    spans = [{"axis": axis, "start": m.start, "end": m.end, "text": m.text, "term": key,
              "groups": sorted(m.groups)} for axis, m, key in found]
    return {"id": item.id, "source": item.source, "line": item.line, "label": label,
            "groups": groups_by_axis, "reasons": reasons, "spans": spans,
            "weight": weight}, weight, groups_by_axis


def _axis_candidates(text: str, eng: CounterfactualEngine,
                     present: Sequence[str]) -> list[Counterfactual]:
    """Every counterfactual of ``text`` on one axis, safe or not, changed or not: the
    pairwise swap, or one per group the text does not mention on an axis without pairwise
    swaps (religion). None for a text that does not mention the axis."""
    if not present:
        return []
    if eng.lexicons.swap:
        return [eng.swap(text)]
    others = [g for g in eng.groups if g not in present]
    return eng.counterfactuals(text, others) if others else []


def _merge(parts: Sequence[Counterfactual]) -> Variant:
    """One variant from one counterfactual per axis, all of the same source text: their
    edits applied together. Unsafe when a part is, or when edits of two axes overlap."""
    steps = tuple((cf.axis, cf.target if cf.target != SWAP else "swap") for cf in parts)
    unsafe = tuple(reason for cf in parts for reason in cf.unsafe)
    if len(parts) == 1:
        return Variant(steps, parts[0].text, tuple(parts[0].edits), unsafe)
    if any(cf.source != parts[0].source for cf in parts):  # (one language: never)
        unsafe += ("the axes normalised the text differently",)
    edits = sorted((e for cf in parts for e in cf.edits), key=lambda e: (e.start, e.end))
    if any(a.end > b.start for a, b in itertools.pairwise(edits)):
        unsafe += (f"edits of {'+'.join(cf.axis for cf in parts)} overlap",)
    if unsafe:
        return Variant(steps, parts[0].source, (), unsafe)
    return Variant(steps, apply_edits(parts[0].source, edits), tuple(edits))


def _rate(plan: RebalancePlan, eng: CounterfactualEngine) -> float:
    """CDS replacement probability on one axis. The default balances the axis: an example
    of group g is kept with probability 1 - p and otherwise moved to one of the other k - 1
    groups, uniformly, so the expected count of group h with label y is
    (1 - p)·n_hy + p/(k - 1)·(N_y - n_hy), the same for every h exactly when
    p = (k - 1)/k, giving N_y/k: each example lands in each group with probability 1/k.
    A pairwise swap has k = 2 (p = 1/2, Maudslay et al. 2019)."""
    if plan.substitute_rate is not None:
        return plan.substitute_rate
    k = 2 if eng.lexicons.swap else len(eng.groups)
    return (k - 1) / k


def _rebalance(item: Example, engines: tuple[CounterfactualEngine, ...],
               cands: dict[str, list[Counterfactual]], plan: RebalancePlan,
               out: ChunkOutput) -> None:
    """Write the example under ``augment`` (itself, then every safe counterfactual) or
    ``substitute`` (itself or one counterfactual drawn by coins on (seed, id, axis)).

    ``cands`` holds each balanced axis's counterfactuals (empty: the example does not
    mention it). The counterfactuals written are the combinations over those axes: one
    axis rewritten (the swap, or each other group), or several at once, so with two
    flagged axes each axis's table is balanced, not only one of them. An example with an
    unsafe counterfactual is counted as ``unbalanced``: the unsafe ones are never written
    (and a drawn substitute that is unsafe leaves the example as it was)."""
    per_axis: list[tuple[CounterfactualEngine, list[Counterfactual]]] = []
    for eng in engines:
        if eng.axis not in plan.balanced_axes:
            continue
        axis_cands = cands[eng.axis]
        out.counts["unchanged_skipped"] += sum(cf.safe and not cf.changed for cf in axis_cands)
        # a safe, unchanged one is its own counterfactual: nothing to write or balance
        usable = [cf for cf in axis_cands if cf.changed or not cf.safe]
        if usable:
            per_axis.append((eng, usable))
    # every combination of "unchanged or one counterfactual" per axis, but all unchanged
    orbit = [_merge([cf for cf in combo if cf is not None])
             for combo in itertools.product(*([None, *usable] for _, usable in per_axis))
             if any(cf is not None for cf in combo)]
    unsafe = sum(bool(v.unsafe) for v in orbit)
    out.counts["unsafe_skipped"] += unsafe
    out.counts["unbalanced"] += bool(unsafe)
    out.records.append(_output_record(item, plan, 1.0))
    if plan.method == "augment":
        for v in orbit:
            if not v.unsafe:
                out.records.append(_copy(item, plan, v))
                out.counts["augmented"] += 1
        return
    chosen = []
    for eng, usable in per_axis:
        key = f"{item.id}\x1f{eng.axis}"
        if _coin(plan.seed, key) < _rate(plan, eng):
            # the target by a second coin, uniform over the other groups, safe or not:
            # skipping the unsafe ones would skew where substitutes go
            chosen.append(usable[int(_coin(plan.seed, f"{key}\x1ftarget") * len(usable))])
    if chosen:
        v = _merge(chosen)
        if not v.unsafe:
            out.records[-1] = _copy(item, plan, v, substitute=True)
            out.counts["substituted"] += 1


def _output_record(item: Example, plan: RebalancePlan, weight: float) -> dict[str, Any]:
    """The record as read, with its id (and its weight when reweighing); a record whose
    id field is ``example_id`` keeps it as it is."""
    rec = dict(item.record or {})
    if plan.spec.fields.id != ID_FIELD:
        rec[ID_FIELD] = item.id
    if plan.method == "reweigh":
        rec[plan.weight_field] = weight
    return rec


def _copy(item: Example, plan: RebalancePlan, v: Variant, *,
          substitute: bool = False) -> dict[str, Any]:
    """A counterfactual sibling: every source field (split included), new text, a link."""
    rec = dict(item.record or {})
    rec[plan.spec.fields.text] = v.text
    new_id = item.id if substitute else f"{item.id}{v.suffix}"
    if plan.spec.fields.id and not substitute:
        rec[plan.spec.fields.id] = new_id
    if plan.spec.fields.id != ID_FIELD:
        rec[ID_FIELD] = new_id
    rec["counterfactual_of"] = item.id
    rec["counterfactual_target"] = v.target
    rec["counterfactual_axis"] = v.axis
    # what was changed, as offsets in the source text as read, so each variant can be
    # checked against its source
    rec["counterfactual_edits"] = [{"start": e.start, "end": e.end, "old": e.old, "new": e.new}
                                   for e in v.edits]
    return rec


def _coin(seed: int, key: str) -> float:
    """A deterministic uniform number in [0, 1) from ``seed`` and a key (an example id,
    with the axis for CDS)."""
    digest = hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
