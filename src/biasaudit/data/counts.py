"""The map step of a scan: integer count tables for one chunk, and their sum.

Every statistic of the report is computed from these sums, so a scan on one process, on a
process pool or on a Dask cluster gives identical results whatever the chunking.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..core import CounterfactualEngine, Grammar, TermMatcher
from ..core.matcher import normalize_key
from .occupations import occupation_terms
from .sources import BadRecord, Chunk, Example, Fields, read_chunk

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

    examples: int = 0  # every example with a usable text, labelled or not
    text_chars: int = 0
    # examples whose label is missing while a label field is configured: counted in
    # ``examples`` and everything but the label tables (0 without a label field)
    unlabelled: int = 0
    unlabelled_lines: list[tuple[str, int]] = field(default_factory=list)  # first few
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
            elif name == "unlabelled_lines":
                out.unlabelled_lines = sorted(a + b)[: max(self.max_bad_lines,
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
    """A matcher for the occupation list, minus any word that is itself an identity term
    (built once per process and configuration: every chunk needs it)."""
    return TermMatcher(dict.fromkeys(_occupation_words(lang, axes, lexicon_paths, occupations),
                                     ()), ())


@lru_cache(maxsize=16)
def _occupation_words(lang: str, axes: tuple[str, ...], lexicon_paths: tuple[str, ...],
                      occupations: tuple[str, ...] | None) -> tuple[str, ...]:
    engines = engines_for(lang, axes, lexicon_paths)
    words = occupations if occupations is not None else occupation_terms(lang)
    # NFC, as the texts they are matched in (see occupation_text)
    words = [unicodedata.normalize("NFC", w) for w in words]
    return tuple(dict.fromkeys(w for w in words if not any(e.find(w) for e in engines)))


def occupation_text(engines: Sequence[CounterfactualEngine], text: str) -> str:
    """The text occupations are matched in: the first engine's normalisation (NFC), the
    text its identity terms are found in. Matching the raw text instead would miss every
    occupation of a decomposed (NFD) text while its identity terms are found."""
    return engines[0].grammar.normalize(text)


@lru_cache(maxsize=16)
def _first_axis_and_occupations(lang: str, axes: tuple[str, ...], lexicon_paths: tuple[str, ...],
                                occupations: tuple[str, ...] | None) -> TermMatcher | None:
    """The first axis's terms and the occupations in one matcher, exact on ASCII text (see
    :meth:`TermMatcher.joined`), or None. The scan then reads an ASCII text once instead
    of twice; that needs the grammar to leave ASCII text as it is (Grammar.normalize)."""
    eng = engines_for(lang, axes, lexicon_paths)[0]
    if type(eng.grammar).normalize is not Grammar.normalize:
        return None
    return eng.matcher.joined(_occupation_words(lang, axes, lexicon_paths, occupations))


def profile_of(groups: set[str] | frozenset[str], order: Sequence[str]) -> str:
    """``female``, ``female+male`` or ``none``: the groups an example mentions, in axis order."""
    if not groups:
        return NONE
    return "+".join([g for g in order if g in groups] + sorted(g for g in groups
                                                                 if g not in order))


def scan_chunk(chunk: Chunk, spec: ScanSpec) -> ChunkCounts:
    """Count one chunk (the map step); in strict mode stop at the first bad record (a
    missing label included).

    Examples are first reduced to a signature (label, metadata, terms per axis,
    occupations) and counted; the tables are filled once per distinct signature.
    """
    engines = engines_for(spec.lang, spec.axes, spec.lexicon_paths)
    reader = _TermReader(spec)
    c = ChunkCounts(max_bad_lines=spec.max_bad_lines)
    signatures: dict[tuple, int] = {}
    examples = chars = 0
    label_field = spec.fields.label
    for item in read_chunk(chunk, spec.fields, label_required=spec.strict):
        if isinstance(item, BadRecord):
            if spec.strict:
                c.error = item
                break
            count_bad(c, item)
            continue
        if label_field and item.label is None:
            count_unlabelled(c, item)
        text = item.text
        examples += 1
        chars += len(text)
        signature = (item.label, item.meta, *reader.read(text))
        signatures[signature] = signatures.get(signature, 0) + 1
    c.examples = examples
    c.text_chars = chars
    c.term_groups = {(e.axis, term): e.matcher.groups_of(term)
                     for i, e in enumerate(engines)
                     for term in sorted({t for _, _, per_axis, _ in signatures
                                         for t, _ in per_axis[i]})}
    _fill(c, signatures, engines, spec.fields.meta)
    return c


class _TermReader:
    """What a scan takes from a text: each axis's terms, and the occupations mentioned
    with them, found by their lookup keys (:meth:`TermMatcher.keys`): the terms that
    ``engine.find`` reports, without building a match object for each.

    An ASCII text is read once for the first axis and the occupations together when the
    joint matcher allows it (see :func:`_first_axis_and_occupations`), else once per axis
    and once more for the occupations.
    """

    def __init__(self, spec: ScanSpec) -> None:
        key = (spec.lang, spec.axes, spec.lexicon_paths)
        self._engines = engines_for(*key)
        self._occupations = occupation_matcher(*key, spec.occupations)
        self._joint = _first_axis_and_occupations(*key, spec.occupations)
        self._occupation_keys = frozenset(
            normalize_key(w) for w in _occupation_words(*key, spec.occupations))
        # per axis: normalisation and key finder
        self._axes = [(e.grammar.normalize, e.matcher.keys) for e in self._engines]
        self._roles: dict[str, str] = {}  # key found by the joint matcher -> what it is

    def read(self, text: str) -> tuple[tuple[tuple[tuple[str, int], ...], ...],
                                       tuple[str, ...]]:
        """Per axis, its terms with their mentions; and the occupations (sorted), if any
        axis has terms."""
        if self._joint is not None and text.isascii():
            per_axis, occupations = self._read_joint(text)
        else:
            per_axis, occupations = self._read_axes(text, self._axes), None
        if not any(per_axis):
            return per_axis, ()
        if occupations is None:
            occupations = self._occupations.keys(occupation_text(self._engines, text))
        return per_axis, tuple(sorted(set(occupations))) if occupations else ()

    def _read_joint(self, text: str) -> tuple[tuple, list[str]]:
        terms: list[str] = []
        occupations: list[str] = []
        roles = self._roles
        for key in self._joint.keys(text):
            role = roles.get(key)
            if role is None:
                role = roles[key] = self._role(key)
            if role is _TERM:
                terms.append(key)
            elif role is _OCCUPATION:
                occupations.append(key)
        return (_tally(terms), *self._read_axes(text, self._axes[1:])), occupations

    @staticmethod
    def _read_axes(text: str, axes: Sequence[tuple]) -> tuple:
        """The tallied terms of ``text`` on each of ``axes`` (normalisation, key finder)."""
        return tuple([_tally(find_keys(normalize(text), exclusions=False))
                      for normalize, find_keys in axes])

    def _role(self, key: str) -> str:
        """What a key found by the joint matcher is: an occupation, a term of the first
        axis (it has groups) or one of its exclusion phrases."""
        if key in self._occupation_keys:
            return _OCCUPATION
        return _TERM if self._engines[0].matcher.groups_of(key) else _EXCLUDED


_TERM, _OCCUPATION, _EXCLUDED = "term", "occupation", "excluded"


def _tally(keys: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """Each distinct key of ``keys`` with its number of mentions, sorted."""
    if not keys:
        return ()
    if len(keys) == 1:
        return ((keys[0], 1),)
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return tuple(sorted(counts.items()))


def _fill(c: ChunkCounts, signatures: dict[tuple, int], engines: Sequence[CounterfactualEngine],
          meta_names: Sequence[str]) -> None:
    """Add ``n`` examples of each signature to the count tables.

    The tables are summed in ``defaultdict(int)`` (a new key costs less than in a Counter)
    and then added to the chunk's counters, keys in the same order.
    """
    t: dict[str, defaultdict] = {name: defaultdict(int) for name in _SIGNATURE_TABLES}
    labels, meta_docs, profiles, profile_label, axis_docs, occ_docs, meta_axis = (
        t["labels"], t["meta_docs"], t["profiles"], t["profile_label"], t["axis_docs"],
        t["occ_docs"], t["meta_axis"])
    term_docs, term_mentions, term_label, term_occ = (
        t["term_docs"], t["term_mentions"], t["term_label"], t["term_occ"])
    group_docs, group_mentions, group_label, group_occ, meta_group, joint_label = (
        t["group_docs"], t["group_mentions"], t["group_label"], t["group_occ"],
        t["meta_group"], t["joint_label"])
    for (label, meta, per_axis, occupations), n in signatures.items():
        if label is not None:
            labels[label] += n
        metas = list(zip(meta_names, meta))
        for name, value in metas:
            meta_docs[name, value] += n
        joint = []
        for eng, terms in zip(engines, per_axis):
            axis = eng.axis
            profile, per_group = _summary(eng, terms)
            joint.append(f"{axis}={profile}")
            profiles[axis, profile] += n
            if label is not None:
                profile_label[axis, profile, label] += n
            if not terms:
                continue
            axis_docs[axis] += n
            for o in occupations:
                occ_docs[axis, o] += n
            for name, value in metas:
                meta_axis[axis, name, value] += n
            for term, k in terms:
                term_docs[axis, term] += n
                term_mentions[axis, term] += k * n
                if label is not None:
                    term_label[axis, term, label] += n
                for o in occupations:
                    term_occ[axis, term, o] += n
            for g, k in per_group:
                group_docs[axis, g] += n
                group_mentions[axis, g] += k * n
                if label is not None:
                    group_label[axis, g, label] += n
                for o in occupations:
                    group_occ[axis, g, o] += n
                for name, value in metas:
                    meta_group[axis, name, value, g] += n
        if label is not None:
            joint_label["|".join(joint), label] += n
    for name, table in t.items():
        getattr(c, name).update(table)


# The counters of ChunkCounts that _fill computes from the signatures.
_SIGNATURE_TABLES = (
    "labels", "meta_docs", "profiles", "profile_label", "axis_docs", "occ_docs", "meta_axis",
    "term_docs", "term_mentions", "term_label", "term_occ", "group_docs", "group_mentions",
    "group_label", "group_occ", "meta_group", "joint_label",
)


@lru_cache(maxsize=1 << 16)
def _summary(eng: CounterfactualEngine, terms: tuple[tuple[str, int], ...]
             ) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The profile of an example with ``terms`` (term, mentions) on ``eng``'s axis, and
    each of its groups with the mentions that refer to it (memoised: the same few sets
    of terms come back in every chunk)."""
    groups: set[str] = set()
    mentions: dict[str, int] = {}
    for term, k in terms:
        tg = eng.matcher.groups_of(term)
        groups |= tg
        for g in tg:
            mentions[g] = mentions.get(g, 0) + k
    return profile_of(groups, eng.groups), tuple([(g, mentions[g]) for g in groups])


def count_unlabelled(c: ChunkCounts, item: Example) -> None:
    """Count an unlabelled example and keep its place if it is among the first (so the
    summary can point at them, as it does at bad records)."""
    c.unlabelled += 1
    if len(c.unlabelled_lines) < c.max_bad_lines:
        c.unlabelled_lines.append((item.source, item.line))


def count_bad(c: ChunkCounts, bad: BadRecord) -> None:
    """Count a bad record and keep its place if it is among the first of its kind."""
    c.bad[bad.kind] += 1
    lines = c.bad_lines.setdefault(bad.kind, [])
    if len(lines) < c.max_bad_lines:
        lines.append((bad.source, bad.line, bad.field, bad.detail))
