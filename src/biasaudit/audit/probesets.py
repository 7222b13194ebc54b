"""Turn a probe source from the config into flat rows (cluster, group, text) for the runner."""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, is_dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError, LexiconError, UnsupportedError
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
    lexicons: tuple[str, ...] = ()  # name@version of the lexicons whose entries made the edits
    reasons: tuple[str, ...] = ()  # why the variant is unsafe, when it is


@dataclass(frozen=True)
class LoadedProbes:
    """The rows of one probe source with its name, groups and metadata (hash, lexicons)."""

    name: str
    groups: tuple[str, ...]
    rows: tuple[ProbeRow, ...]
    metadata: dict[str, Any]
    stats: Mapping[str, int] = field(default_factory=dict)  # the probe set's input counts
    lang: str = ""
    axis: str = ""


def source_names(probes: Sequence[ProbeConfig]) -> list[str]:
    """A unique, stable name per probe source: ``LANG/AXIS/SOURCE``.

    SOURCE is the suite or benchmark name, or ``input`` for ``input:`` and ``file:`` sources.
    When several sources of a config would get the same name, each of them gets its file's
    name (without extension) appended, ``LANG/AXIS/input:reviews``, and if that is still not
    unique, its position in ``probes``: ``LANG/AXIS/occupations#2``.
    """
    base = [f"{pc.lang}/{pc.axis}/{pc.suite or pc.benchmark or 'input'}" for pc in probes]
    seen = Counter(base)
    names = []
    for i, (pc, name) in enumerate(zip(probes, base)):
        if seen[name] > 1:
            source = pc.input or pc.file or (pc.path if pc.benchmark else None)
            name = f"{name}:{Path(source).stem}" if source else f"{name}#{i}"
        names.append(name)
    seen = Counter(names)
    return [f"{n}#{i}" if seen[n] > 1 else n for i, n in enumerate(names)]


def _probe_set(pc: ProbeConfig, config: AuditConfig, key: str) -> Any:
    """Build or read the probe set of ``pc`` (``key`` in the config).

    A source the library cannot provide (:class:`UnsupportedError`) is a config error on the
    key that asked for it: for a suite or the user's texts, the argument the error names
    (``lang``, ``axis``, ``suite``), else ``axis``; ``file`` or ``benchmark`` while a probe
    file is read or a benchmark imported.
    """
    from .. import probes

    try:
        if pc.suite:
            return probes.build(lang=pc.lang, axis=pc.axis, suite=pc.suite, seed=config.seed)
        if pc.input:
            return probes.from_texts(
                config.resolve(pc.input), lang=pc.lang, axis=pc.axis, text_field=pc.text_field
            )
        if pc.file:
            return probes.load(config.resolve(pc.file))
        importer = getattr(probes, f"from_{pc.benchmark}", None)
        if importer is None:  # parse_config checks the name; a config built in Python may not
            raise UnsupportedError(f"unknown benchmark {pc.benchmark!r}")
        return importer(config.resolve(pc.path or ""), **_benchmark_part(importer, pc.axis))
    except InputError as exc:
        if pc.benchmark and exc.location.field in ("axis", "category"):
            # the config's axis picked the part of the benchmark that does not exist
            raise ConfigError(exc.message, config.where(f"{key}.axis")) from None
        raise
    except UnsupportedError as exc:
        if pc.file or pc.benchmark:
            field = "file" if pc.file else "benchmark"
        else:
            field = exc.argument if exc.argument in ("lang", "axis", "suite") else "axis"
        message = str(exc)
        if field == "lang":
            message = _unknown_language(pc.lang) or message
        raise ConfigError(message, config.where(f"{key}.{field}")) from None


def _unknown_language(code: str) -> str | None:
    """"unknown language 'xx' (known: ...)" when the language catalogue does not know
    ``code`` (rather than the list of suites or lexicons it has none of), else None."""
    from ..lexicons import LanguageCatalog

    try:
        catalog = LanguageCatalog.builtin()
    except LexiconError:  # an unreadable catalogue: keep the original message
        return None
    if catalog.knows(code) or catalog.knows(code.lower()):
        return None
    aliases = ", ".join(f"{a} = {c}" for a, c in sorted(catalog.aliases.items()))
    return (
        f"unknown language {code!r} (known: {', '.join(catalog.codes)}"
        + (f"; aliases: {aliases}" if aliases else "")
        + ")"
    )


def canonical_lang(code: str) -> str:
    """The language catalogue's canonical code for ``code`` (``no`` -> ``nb``); an unknown
    code lower-cased, or any code when the catalogue cannot be read."""
    from ..lexicons import LanguageCatalog

    try:
        return str(LanguageCatalog.builtin().canonical(code.lower()))
    except LexiconError:  # an unreadable catalogue: compare the codes as written
        return code.lower()


def _benchmark_part(importer: Any, axis: str) -> dict[str, str]:
    """The keyword that makes a benchmark importer keep the config's ``axis`` (CrowS-Pairs
    and HolisticBias take ``axis``, BBQ a ``category`` that may be an axis name): without
    it, a source labelled ``gender`` would hold every bias type of the benchmark."""
    params = inspect.signature(importer).parameters
    for name in ("axis", "category"):
        if name in params:
            return {name: axis}
    return {}  # one axis only (WinoBias, Winogender): checked against the config's axis


def same_lang(a: str, b: str) -> bool:
    """Whether two language codes name one language (``no`` and ``nb`` do)."""
    return canonical_lang(a) == canonical_lang(b)


def _subset(pset: Any, keep: set[str]) -> Any:
    """``pset`` with only the clusters whose ids are in ``keep`` (in its order), so that its
    content hash is that of the probes a ``limit`` keeps."""
    clusters = tuple(c for c in pset.clusters if str(c.id) in keep)
    if is_dataclass(pset) and not isinstance(pset, type):
        return replace(pset, clusters=clusters)
    raise TypeError(f"cannot limit a probe set of type {type(pset).__name__}")


def load_probe_rows(
    pc: ProbeConfig, config: AuditConfig, index: int | None = None, name: str | None = None
) -> LoadedProbes:
    """Build or read the probe set a config entry (``probes[index]``) names and flatten it.

    ``name`` is the source's name from :func:`source_names` (computed alone when not given).
    """
    key = f"probes[{index}]" if index is not None else "probes"
    pset = _probe_set(pc, config, key)
    if pc.file or pc.benchmark:
        for attr in ("lang", "axis"):
            have = getattr(pset, attr, None)
            want = getattr(pc, attr)
            if have and not (same_lang(have, want) if attr == "lang" else have == want):
                raise ConfigError(
                    f"the probe {'file' if pc.file else 'benchmark'} {pc.file or pc.benchmark} "
                    f"holds {attr} {have!r} probes, but the config says {attr}: {want}",
                    config.where(f"{key}.{attr}"),
                )
    rows: list[ProbeRow] = []
    for cluster in pset.clusters:
        for k, v in enumerate(cluster.variants):
            raw = getattr(v, "edits", None) or ()
            labels = tuple(
                sorted(
                    {
                        str(e.lexicon)
                        for e in raw
                        if "@" in str(getattr(e, "lexicon", None) or "")
                    }
                )
            )
            edits = [
                [e.start, e.end, e.old, e.new] if hasattr(e, "start") else list(e) for e in raw
            ]
            rows.append(
                ProbeRow(
                    str(cluster.id),
                    v.group,
                    v.text,
                    f"{cluster.id}:{k}",
                    edits,
                    bool(getattr(v, "unsafe", False)),
                    labels,
                    _reasons(getattr(v, "unsafe", ())),
                )
            )
    audited = pset
    if pc.limit is not None:
        # the first N clusters of the source, in its order (a sort of the ids as strings
        # would keep row-1, row-10, row-11)
        keep = set(list(dict.fromkeys(r.cluster for r in rows))[: pc.limit])
        if len(keep) < len({r.cluster for r in rows}):
            rows = [r for r in rows if r.cluster in keep]
            audited = _subset(pset, keep)
    groups = tuple(getattr(pset, "groups", ()) or dict.fromkeys(r.group for r in rows))
    name = name or source_names([pc])[0]
    # the hash of the probes audited (after ``limit``), so that a baseline comparison pairs
    # only runs on identical probes
    content_hash = getattr(audited, "content_hash", None)
    if callable(content_hash):
        content_hash = content_hash()
    meta = {
        "hash": content_hash or "",
        "n_clusters": len({r.cluster for r in rows}),
        "n_probes": len(rows),
        "lexicons": sorted({lx for r in rows if not r.unsafe for lx in r.lexicons}),
        "source": pc.suite or pc.input or pc.file or pc.benchmark,
    }
    stats = getattr(pset, "stats", None)
    return LoadedProbes(
        name,
        groups,
        tuple(rows),
        meta,
        dict(stats) if isinstance(stats, Mapping) else {},
        pc.lang,
        pc.axis,
    )


def _reasons(unsafe: Any) -> tuple[str, ...]:
    """A variant's ``unsafe`` reasons as a tuple of strings (a bare flag has none)."""
    if isinstance(unsafe, str):
        return (unsafe,)
    if isinstance(unsafe, Sequence):
        return tuple(str(u) for u in unsafe)
    return ()


def no_usable_probes(loaded: LoadedProbes) -> str:
    """Why a probe source has no probe to audit (every variant unsafe, or no cluster at
    all), in words for the error that stops the audit."""
    unsafe = [r for r in loaded.rows if r.unsafe]
    if unsafe and len(unsafe) == len(loaded.rows):
        reasons = Counter(r.reasons[0] for r in unsafe if r.reasons)
        n_clusters = len({r.cluster for r in unsafe})
        why = f"all {len(unsafe)} variants are unsafe (of {n_clusters} cluster(s))"
        if reasons:
            reason, count = reasons.most_common(1)[0]
            why += f"; the most common reason ({count} of {len(unsafe)}): {reason}"
        return why + "; the engine could not vouch for any rewrite"
    rows = loaded.stats.get("rows")
    source = loaded.metadata.get("source")
    if rows == 0:
        return f"the file {source} has no rows (empty, or a header only)"
    if rows is not None and loaded.stats.get("no_mention") == rows:
        return (
            f"none of its {rows} rows mentions a {loaded.axis} group that the "
            f"{loaded.lang} lexicons know, so no cluster could be built"
        )
    return "it holds no clusters"
