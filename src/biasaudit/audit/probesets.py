"""Turn a probe source from the config into flat rows (cluster, group, text) for the runner."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config import AuditConfig, ProbeConfig


@dataclass(frozen=True)
class ProbeRow:
    """One probe text: its cluster, group and provenance."""

    cluster: str
    group: str
    text: str
    unit: str = ""
    edits: list[list[Any]] = field(default_factory=list)
    unsafe: bool = False


@dataclass(frozen=True)
class LoadedProbes:
    """The rows of one probe source with its name, groups and metadata (hash, lexicons)."""

    name: str
    groups: tuple[str, ...]
    rows: tuple[ProbeRow, ...]
    metadata: dict[str, Any]


def _probe_set(pc: ProbeConfig, config: AuditConfig) -> Any:
    from .. import probes

    if pc.suite:
        return probes.build(lang=pc.lang, axis=pc.axis, suite=pc.suite, seed=config.seed)
    if pc.input:
        return probes.from_texts(
            config.resolve(pc.input), lang=pc.lang, axis=pc.axis, text_field=pc.text_field
        )
    if pc.file:
        return probes.load(config.resolve(pc.file))
    importer = getattr(probes, f"from_{pc.benchmark}", None)
    if importer is None:
        from ..errors import ConfigError

        raise ConfigError(f"unknown benchmark {pc.benchmark!r}")
    return importer(config.resolve(pc.path or ""))


def load_probe_rows(pc: ProbeConfig, config: AuditConfig) -> LoadedProbes:
    """Build or read the probe set a config entry names and flatten it."""
    pset = _probe_set(pc, config)
    rows: list[ProbeRow] = []
    lexicons: set[str] = set(getattr(pset, "lexicons", None) or ())
    for cluster in pset.clusters:
        for k, v in enumerate(cluster.variants):
            lexicons.update(
                e.lexicon for e in (getattr(v, "edits", None) or ()) if getattr(e, "lexicon", None)
            )
            edits = [
                [e.start, e.end, e.old, e.new] if hasattr(e, "start") else list(e)
                for e in (getattr(v, "edits", None) or ())
            ]
            rows.append(
                ProbeRow(
                    str(cluster.id),
                    v.group,
                    v.text,
                    f"{cluster.id}:{k}",
                    edits,
                    bool(getattr(v, "unsafe", False)),
                )
            )
    if pc.limit is not None:
        keep = sorted({r.cluster for r in rows})[: pc.limit]
        rows = [r for r in rows if r.cluster in set(keep)]
    groups = tuple(getattr(pset, "groups", ()) or dict.fromkeys(r.group for r in rows))
    name = f"{pc.lang}/{pc.axis}/{pc.suite or pc.benchmark or 'input'}"
    content_hash = getattr(pset, "content_hash", None)
    if callable(content_hash):
        content_hash = content_hash()
    meta = {
        "hash": content_hash or "",
        "n_clusters": len({r.cluster for r in rows}),
        "n_probes": len(rows),
        "lexicons": list(getattr(pset, "lexicons", []) or []),
        "source": pc.suite or pc.input or pc.file or pc.benchmark,
    }
    return LoadedProbes(name, groups, tuple(rows), meta)
