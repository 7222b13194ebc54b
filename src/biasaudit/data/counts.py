"""The map step of a scan: integer count tables for one chunk, and their sum.

Every statistic of the report is computed from these sums, so a scan on one process, on a
process pool or on a Dask cluster gives identical results whatever the chunking.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..engine import CounterfactualEngine, TermMatcher
from ..engine.matcher import normalize_key
from .occupations import occupation_terms
from .sources import BadRecord, Chunk, Fields, read_chunk

NONE = "none"


@dataclass(frozen=True)
class ScanSpec:
    """What a worker needs to scan a chunk (picklable, small)."""

    lang: str
    fields: Fields
    axes: tuple[str, ...] = ("gender",)
    lexicon_paths: tuple[str, ...] = ()
    occupations: tuple[str, ...] | None = None
    strict: bool = False
    max_bad_lines: int = 20


@dataclass
class ChunkCounts:
    """Count tables of part of a corpus; ``+`` sums two of them (the reduce step)."""

    examples: int = 0
    text_chars: int = 0
    max_bad_lines: int = 20
    error: BadRecord | None = None  # strict mode: the first bad record (the chunk stops there)
    bad: Counter = field(default_factory=Counter)
    bad_lines: dict[str, list[tuple[str, int, str | None, str]]] = field(default_factory=dict)
    labels: Counter = field(default_factory=Counter)
    axis_docs: Counter = field(default_factory=Counter)  # axis -> docs mentioning it
    term_docs: Counter = field(default_factory=Counter)  # (axis, term) -> docs
    term_mentions: Counter = field(default_factory=Counter)  # (axis, term) -> mentions
    term_groups: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    term_label: Counter = field(default_factory=Counter)  # (axis, term, label)
    group_docs: Counter = field(default_factory=Counter)  # (axis, group)
    group_mentions: Counter = field(default_factory=Counter)
    group_label: Counter = field(default_factory=Counter)  # (axis, group, label)
    profiles: Counter = field(default_factory=Counter)  # (axis, profile)
    profile_label: Counter = field(default_factory=Counter)  # (axis, profile, label)
    joint_label: Counter = field(default_factory=Counter)  # (joint profile, label)
    occ_docs: Counter = field(default_factory=Counter)  # (axis, occupation): axis docs with it
    term_occ: Counter = field(default_factory=Counter)  # (axis, term, occupation)
    group_occ: Counter = field(default_factory=Counter)  # (axis, group, occupation)
    meta_docs: Counter = field(default_factory=Counter)  # (field, value)
    meta_axis: Counter = field(default_factory=Counter)  # (axis, field, value)
    meta_group: Counter = field(default_factory=Counter)  # (axis, field, value, group)

    def __add__(self, other: ChunkCounts) -> ChunkCounts:
        out = ChunkCounts()
        for name in self.__dataclass_fields__:
            a, b = getattr(self, name), getattr(other, name)
            if isinstance(a, Counter):
                setattr(out, name, a + b if b else Counter(a))
            elif name == "term_groups":
                out.term_groups = {k: a.get(k, frozenset()) | b.get(k, frozenset())
                                   for k in a.keys() | b.keys()}
            elif name == "bad_lines":
                out.bad_lines = {}
                for kind in sorted(a.keys() | b.keys()):
                    merged = sorted(a.get(kind, []) + b.get(kind, []), key=lambda r: r[:2])
                    out.bad_lines[kind] = merged[: max(self.max_bad_lines,
                                                       other.max_bad_lines)]
            elif name == "error":
                out.error = a or b
            elif name == "max_bad_lines":
                out.max_bad_lines = max(a, b)
            else:
                setattr(out, name, a + b)
        return out


def sum_counts(parts: Iterable[ChunkCounts], *, max_bad_lines: int = 20) -> ChunkCounts:
    """The sum of chunk counts (bad-record lines keep the first ``max_bad_lines`` per kind)."""
    total = ChunkCounts(max_bad_lines=max_bad_lines)
    for part in parts:
        total = total + part
    return total


@lru_cache(maxsize=16)
def engines_for(lang: str, axes: tuple[str, ...], lexicon_paths: tuple[str, ...]
                ) -> tuple[CounterfactualEngine, ...]:
    """The engines of a scan, built once per process (workers reuse them across chunks)."""
    import biasaudit

    return tuple(biasaudit.engine(lang, axis, lexicon_paths=lexicon_paths) for axis in axes)


@lru_cache(maxsize=16)
def occupation_matcher(lang: str, axes: tuple[str, ...], lexicon_paths: tuple[str, ...],
                       occupations: tuple[str, ...] | None) -> TermMatcher:
    """A matcher for the occupation list, minus any word that is itself an identity term."""
    engines = engines_for(lang, axes, lexicon_paths)
    words = occupations if occupations is not None else occupation_terms(lang)
    keep = [w for w in words if not any(e.find(w) for e in engines)]
    return TermMatcher({w: () for w in keep}, ())


def profile_of(groups: set[str] | frozenset[str], order: Sequence[str]) -> str:
    """``female``, ``female+male`` or ``none``: the groups an example mentions, in axis order."""
    if not groups:
        return NONE
    return "+".join([g for g in order if g in groups] + sorted(g for g in groups
                                                                 if g not in order))


def scan_chunk(chunk: Chunk, spec: ScanSpec) -> ChunkCounts:
    """Count one chunk (the map step); in strict mode stop at the first bad record.

    Examples are first reduced to a signature (label, metadata, terms per axis,
    occupations) and counted; the tables are filled once per distinct signature.
    """
    engines = engines_for(spec.lang, spec.axes, spec.lexicon_paths)
    occ = occupation_matcher(spec.lang, spec.axes, spec.lexicon_paths, spec.occupations)
    c = ChunkCounts(max_bad_lines=spec.max_bad_lines)
    signatures: Counter = Counter()
    term_groups: dict[tuple[str, str], frozenset[str]] = {}
    keys: dict[str, str] = {}  # surface form -> term key (few distinct surfaces per chunk)
    for item in read_chunk(chunk, spec.fields):
        if isinstance(item, BadRecord):
            if spec.strict:
                c.error = item
                break
            count_bad(c, item)
            continue
        c.examples += 1
        c.text_chars += len(item.text)
        per_axis = []
        occupations = None
        for eng in engines:
            terms: dict[str, int] = {}
            for m in eng.find(item.text):
                if m.candidates:
                    key = keys.get(m.text)
                    if key is None:
                        key = keys[m.text] = normalize_key(m.text)
                    terms[key] = terms.get(key, 0) + 1
                    if (eng.axis, key) not in term_groups:
                        term_groups[eng.axis, key] = m.groups
            per_axis.append(tuple(sorted(terms.items())))
            if terms and occupations is None:
                occupations = tuple(sorted({keys.get(m.text) or keys.setdefault(
                    m.text, normalize_key(m.text)) for m in occ.find(item.text)}))
        signatures[item.label, item.meta, tuple(per_axis), occupations or ()] += 1
    c.term_groups = term_groups
    _fill(c, signatures, engines, spec.fields.meta)
    return c


def _fill(c: ChunkCounts, signatures: Counter, engines: Sequence[CounterfactualEngine],
          meta_names: Sequence[str]) -> None:
    """Add ``n`` examples of each signature to the count tables."""
    for (label, meta, per_axis, occupations), n in signatures.items():
        if label is not None:
            c.labels[label] += n
        for name, value in zip(meta_names, meta):
            c.meta_docs[name, value] += n
        joint = []
        for eng, terms in zip(engines, per_axis):
            axis = eng.axis
            groups: set[str] = set()
            mentions: Counter = Counter()
            for term, k in terms:
                tg = c.term_groups[axis, term]
                groups |= tg
                for g in tg:
                    mentions[g] += k * n
            profile = profile_of(groups, eng.groups)
            joint.append(f"{axis}={profile}")
            c.profiles[axis, profile] += n
            if label is not None:
                c.profile_label[axis, profile, label] += n
            if not terms:
                continue
            c.axis_docs[axis] += n
            for o in occupations:
                c.occ_docs[axis, o] += n
            for name, value in zip(meta_names, meta):
                c.meta_axis[axis, name, value] += n
            for term, k in terms:
                c.term_docs[axis, term] += n
                c.term_mentions[axis, term] += k * n
                if label is not None:
                    c.term_label[axis, term, label] += n
                for o in occupations:
                    c.term_occ[axis, term, o] += n
            for g in groups:
                c.group_docs[axis, g] += n
                c.group_mentions[axis, g] += mentions[g]
                if label is not None:
                    c.group_label[axis, g, label] += n
                for o in occupations:
                    c.group_occ[axis, g, o] += n
                for name, value in zip(meta_names, meta):
                    c.meta_group[axis, name, value, g] += n
        if label is not None:
            c.joint_label["|".join(joint), label] += n


def count_bad(c: ChunkCounts, bad: BadRecord) -> None:
    """Count a bad record and keep its place if it is among the first of its kind."""
    c.bad[bad.kind] += 1
    lines = c.bad_lines.setdefault(bad.kind, [])
    if len(lines) < c.max_bad_lines:
        lines.append((bad.source, bad.line, bad.field, bad.detail))
