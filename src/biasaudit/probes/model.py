"""Probe sets: clusters of texts that differ only in which group they mention.

A :class:`ProbeSet` is plain data (frozen dataclasses of strings, numbers and tuples) with a
JSONL file format and a content hash, so two runs can tell whether they used the same probes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.types import Edit
from ..errors import InputError, Location, read_utf8

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "biasaudit-probes/1"


@dataclass(frozen=True)
class Variant:
    """One text of a cluster: the version that mentions ``group``.

    ``edits`` are the spans of the cluster's ``source`` replaced to make ``text`` (so
    ``apply_edits(source, edits) == text``); ``unsafe`` lists why the text may be wrong.
    """

    group: str
    text: str
    edits: tuple[Edit, ...] = ()
    unsafe: tuple[str, ...] = ()
    names_used: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def safe(self) -> bool:
        """Whether every edit is known to be grammatical (``unsafe`` is empty)."""
        return not self.unsafe


@dataclass(frozen=True)
class Cluster:
    """Variants of one source text, one per group, aligned for paired comparison."""

    id: str
    source: str
    variants: tuple[Variant, ...]
    template_id: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups of the variants, in variant order."""
        return tuple(v.group for v in self.variants)

    def variant(self, group: str) -> Variant:
        """The variant for ``group`` (KeyError when the cluster has none)."""
        for v in self.variants:
            if v.group == group:
                return v
        raise KeyError(group)


@dataclass(frozen=True)
class ProbeSet:
    """Named clusters for one language and axis, with provenance and counts.

    ``metadata`` says how the set was made (suite, seed, sources, names used); ``stats``
    counts what went in and what came out (rows read, texts without a mention, unsafe
    variants). Neither is part of :meth:`content_hash`.
    """

    name: str
    lang: str
    axis: str
    clusters: tuple[Cluster, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)
    stats: Mapping[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.clusters)

    @property
    def groups(self) -> tuple[str, ...]:
        """Every group that occurs, in first-seen order."""
        return tuple(dict.fromkeys(g for c in self.clusters for g in c.groups))

    def content_hash(self) -> str:
        """``sha256:<hex>`` over canonical JSON (sorted keys, compact, UTF-8) of lang/axis,
        then of each cluster in id order, one per line.

        Variants are sorted by group, so file order does not matter; the set's name,
        metadata and stats are left out, cluster and variant metadata are in.
        """
        digest = hashlib.sha256()
        head = {"lang": self.lang, "axis": self.axis}
        digest.update(_canonical(head).encode("utf-8") + b"\n")
        for c in sorted(self.clusters, key=lambda c: c.id):
            digest.update(_canonical(_cluster_dict(c, canonical=True)).encode("utf-8") + b"\n")
        return "sha256:" + digest.hexdigest()

    def texts(self) -> list[tuple[str, str, str]]:
        """Flat ``(cluster id, group, text)`` rows, e.g. to feed a model."""
        return [(c.id, v.group, v.text) for c in self.clusters for v in c.variants]

    def to_pandas(self) -> pd.DataFrame:
        """One row per variant (cluster_id, group, text, safe, template_id); needs pandas."""
        from ..errors import require

        pd = require("pandas", extra="data", purpose="ProbeSet.to_pandas")
        rows = [
            {"cluster_id": c.id, "group": v.group, "text": v.text, "safe": v.safe,
             "template_id": c.template_id}
            for c in self.clusters for v in c.variants
        ]
        return pd.DataFrame(rows, columns=["cluster_id", "group", "text", "safe", "template_id"])


def compute_stats(clusters: Iterable[Cluster], **counts: int) -> dict[str, int]:
    """Counts of clusters, variants and unsafe variants, plus the caller's input counts."""
    clusters = list(clusters)
    variants = [v for c in clusters for v in c.variants]
    stats = {
        "clusters": len(clusters),
        "variants": len(variants),
        "unsafe_variants": sum(not v.safe for v in variants),
    }
    stats.update(counts)
    return stats


# -- serialisation --------------------------------------------------------------------------
def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _edit_dict(e: Edit) -> dict[str, Any]:
    return {"start": e.start, "end": e.end, "old": e.old, "new": e.new, "rule": e.rule,
            "entry": e.entry, "lexicon": e.lexicon}


def _variant_dict(v: Variant) -> dict[str, Any]:
    return {"group": v.group, "text": v.text, "edits": [_edit_dict(e) for e in v.edits],
            "unsafe": list(v.unsafe), "names_used": list(v.names_used),
            "metadata": dict(v.metadata)}


def _cluster_dict(c: Cluster, canonical: bool = False) -> dict[str, Any]:
    variants = [_variant_dict(v) for v in c.variants]
    if canonical:
        variants.sort(key=lambda v: v["group"])
    return {"id": c.id, "source": c.source, "template_id": c.template_id,
            "metadata": dict(c.metadata), "variants": variants}


def to_records(probes: ProbeSet) -> list[dict[str, Any]]:
    """The JSONL records: a header, then one cluster per record."""
    header = {"format": FORMAT, "name": probes.name, "lang": probes.lang, "axis": probes.axis,
              "hash": probes.content_hash(), "metadata": dict(probes.metadata),
              "stats": dict(probes.stats)}
    return [header] + [_cluster_dict(c) for c in probes.clusters]


def save(probes: ProbeSet, path: str | Path) -> Path:
    """Write ``probes`` as JSONL (header line, then one cluster per line); returns the path."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for record in to_records(probes):
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
    return path


def _need(record: Mapping[str, Any], key: str, where: Location, kind: type | tuple = str) -> Any:
    if key not in record:
        raise InputError(f"missing field {key!r}", Location(where.path, where.line, key))
    value = record[key]
    if not isinstance(value, kind):
        raise InputError(f"field {key!r} has the wrong type ({type(value).__name__})",
                         Location(where.path, where.line, key))
    return value


def _edit(d: Any, where: Location, field_name: str) -> Edit:
    try:
        return Edit(int(d["start"]), int(d["end"]), str(d["old"]), str(d["new"]), str(d["rule"]),
                    d.get("entry"), d.get("lexicon"))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"bad edit: {exc}", Location(where.path, where.line, field_name)) from None


def _variant(d: Any, where: Location, index: int) -> Variant:
    name = f"variants[{index}]"
    if not isinstance(d, dict):
        raise InputError("a variant must be an object", Location(where.path, where.line, name))
    sub = Location(where.path, where.line, name)
    group = _need(d, "group", sub)
    text = _need(d, "text", sub)
    edits = tuple(_edit(e, where, f"{name}.edits[{i}]") for i, e in enumerate(d.get("edits", [])))
    return Variant(group, text, edits, tuple(d.get("unsafe", ())),
                   tuple(d.get("names_used", ())), dict(d.get("metadata") or {}))


def from_records(records: Iterable[tuple[int, Any]], path: str | Path | None = None) -> ProbeSet:
    """Build a :class:`ProbeSet` from ``(line number, record)`` pairs of the JSONL format."""
    it = iter(records)
    try:
        line, header = next(it)
    except StopIteration:
        raise InputError("empty probe file: expected a header line", Location(path, 1)) from None
    where = Location(path, line)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InputError(f"first line must be a header with format {FORMAT!r}",
                         Location(path, line, "format"))
    clusters: list[Cluster] = []
    seen: set[str] = set()
    for line, rec in it:
        where = Location(path, line)
        if not isinstance(rec, dict):
            raise InputError("each line after the header must be a cluster object", where)
        cid = _need(rec, "id", where)
        if cid in seen:
            raise InputError(f"duplicate cluster id {cid!r}", Location(path, line, "id"))
        seen.add(cid)
        variants = _need(rec, "variants", where, list)
        clusters.append(Cluster(
            id=cid,
            source=_need(rec, "source", where),
            variants=tuple(_variant(v, where, i) for i, v in enumerate(variants)),
            template_id=rec.get("template_id"),
            metadata=dict(rec.get("metadata") or {}),
        ))
    probes = ProbeSet(
        name=_need(header, "name", Location(path, 1)),
        lang=_need(header, "lang", Location(path, 1)),
        axis=_need(header, "axis", Location(path, 1)),
        clusters=tuple(clusters),
        metadata=dict(header.get("metadata") or {}),
        stats=dict(header.get("stats") or {}),
    )
    expected = header.get("hash")
    if expected and expected != probes.content_hash():
        raise InputError(f"content hash mismatch: header says {expected}, clusters give "
                         f"{probes.content_hash()} (file edited by hand?)",
                         Location(path, 1, "hash"))
    return probes


def load(path: str | Path) -> ProbeSet:
    """Read a probe-set JSONL file written by :func:`save` (checks the stored hash).

    Records are split at ``\n`` only, as the project's other JSONL readers do: a ``\r``
    before it (CRLF files) is JSON whitespace, and U+0085, U+2028 and U+2029, which
    :func:`save` writes unescaped inside texts, are part of their record (``str.splitlines``
    would cut a record there).
    """
    path = Path(path)
    return from_records(json_lines(read_utf8(path, "probe file").split("\n"), path), path)


def json_lines(lines: Iterable[str], path: Path) -> Iterator[tuple[int, Any]]:
    """``(line number, decoded value)`` for each non-blank line of a JSONL file; a line that
    is not JSON raises :class:`InputError` naming ``path`` and the line."""
    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield i, json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", Location(path, i)) from None
