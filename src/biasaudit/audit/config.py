"""Audit configuration: a YAML file naming the model, the probes, the metrics and the gates.

Every key is checked: an unknown or mistyped key, or a bad value, raises ConfigError naming
the file, line and key, so a broken CI config fails loudly instead of auditing the wrong thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError, Location, read_utf8

CONFIG_VERSION = 1
OUTCOMES = ("proba", "logit", "loglik", "continuation", "association", "generation")


@dataclass(frozen=True)
class ModelConfig:
    """Which model to audit: a spec for ``biasaudit.models.load_model`` plus its options."""

    spec: str
    options: Mapping[str, Any] = field(default_factory=dict)
    cache: str | None = None


@dataclass(frozen=True)
class ProbeConfig:
    """One probe source: a built-in suite, the user's texts, a saved probe set or a benchmark."""

    lang: str
    axis: str
    suite: str | None = None
    input: str | None = None
    text_field: str = "text"
    file: str | None = None
    benchmark: str | None = None
    path: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class MetricConfig:
    """An outcome measured on every probe (e.g. ``proba`` of a label, ``association``)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StatsConfig:
    """How findings are computed: resamples, confidence, test, multiplicity and equivalence."""

    n_resamples: int = 2000
    n_permutations: int = 9999
    confidence: float = 0.95
    test: str = "sign-flip"
    adjust: str = "holm"
    equivalence_margin: float | None = None
    power: float = 0.8


@dataclass(frozen=True)
class GateConfig:
    """A CI gate: a threshold on a confidence bound, for the findings it selects."""

    name: str
    metric: str | None = None
    lang: str | None = None
    axis: str | None = None
    group: str | None = None
    max_abs_bound: float | None = None
    max_regression: float | None = None


@dataclass(frozen=True)
class AuditConfig:
    """A whole audit; build it with :func:`load_config` or directly in Python."""

    model: ModelConfig
    probes: tuple[ProbeConfig, ...]
    metrics: tuple[MetricConfig, ...]
    name: str = "audit"
    seed: int = 0
    reference: Mapping[str, str] = field(default_factory=dict)
    statistics: StatsConfig = field(default_factory=StatsConfig)
    gates: tuple[GateConfig, ...] = ()
    base_dir: Path = field(default_factory=Path.cwd)

    def resolve(self, path: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.base_dir / p


class _Reader:
    """Walks composed YAML nodes, keeping line numbers for errors."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def error(self, message: str, node: yaml.Node | None, key: str) -> ConfigError:
        line = node.start_mark.line + 1 if node is not None else None
        return ConfigError(message, Location(self.path, line, key))

    def mapping(
        self, node: yaml.Node, key: str, allowed: set[str], required: set[str] = frozenset()
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error("expected a mapping", node, key)
        out: dict[str, yaml.Node] = {}
        for knode, vnode in node.value:
            name = str(knode.value)
            full = f"{key}.{name}" if key else name
            if name not in allowed:
                raise self.error(
                    f"unknown key {name!r} (allowed: {', '.join(sorted(allowed))})", knode, full
                )
            out[name] = vnode
        for name in sorted(required - set(out)):
            raise self.error(
                f"missing required key {name!r}", node, f"{key}.{name}" if key else name
            )
        return out

    def value(self, node: yaml.Node, key: str, kind: type | tuple[type, ...]) -> Any:
        data = yaml.safe_load(yaml.serialize(node)) if node is not None else None
        if kind is float and isinstance(data, int) and not isinstance(data, bool):
            data = float(data)
        if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.error(f"expected {names}, got {data!r}", node, key)
        return data

    def sequence(self, node: yaml.Node, key: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error("expected a list", node, key)
        return list(node.value)


def _fields(
    r: _Reader,
    node: yaml.Node,
    key: str,
    spec: dict[str, type | tuple[type, ...]],
    required: set[str] = frozenset(),
) -> dict[str, Any]:
    nodes = r.mapping(node, key, set(spec), required)
    return {name: r.value(n, f"{key}.{name}", spec[name]) for name, n in nodes.items()}


def parse_config(data: str, path: Path | None = None) -> AuditConfig:
    """Parse YAML text into an :class:`AuditConfig` (``path`` only labels errors and paths)."""
    r = _Reader(path)
    try:
        root = yaml.compose(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"invalid YAML: {exc}", Location(path, mark.line + 1 if mark else None)
        ) from None
    if root is None:
        raise ConfigError("the config is empty", Location(path))
    top = r.mapping(
        root,
        "",
        {
            "version",
            "name",
            "seed",
            "model",
            "probes",
            "metrics",
            "reference",
            "statistics",
            "gates",
        },
        {"version", "model", "probes", "metrics"},
    )
    version = r.value(top["version"], "version", int)
    if version != CONFIG_VERSION:
        raise r.error(
            f"unsupported config version {version}; this biasaudit reads version {CONFIG_VERSION}",
            top["version"],
            "version",
        )

    m = _fields(r, top["model"], "model", {"spec": str, "options": dict, "cache": str}, {"spec"})
    if any("key" in k.lower() and "env" not in k.lower() for k in m.get("options", {})):
        raise r.error(
            "API keys must come from the environment; name the variable with 'api_key_env' instead",
            top["model"],
            "model.options",
        )
    model = ModelConfig(m["spec"], m.get("options", {}), m.get("cache"))

    probes = []
    for i, pnode in enumerate(r.sequence(top["probes"], "probes")):
        key = f"probes[{i}]"
        p = _fields(
            r,
            pnode,
            key,
            {
                "lang": str,
                "axis": str,
                "suite": str,
                "input": str,
                "text_field": str,
                "file": str,
                "benchmark": str,
                "path": str,
                "limit": int,
            },
            {"lang", "axis"},
        )
        sources = [s for s in ("suite", "input", "file", "benchmark") if s in p]
        if len(sources) != 1:
            raise r.error("give exactly one of suite, input, file, benchmark", pnode, key)
        if "benchmark" in p and "path" not in p:
            raise r.error("a benchmark needs 'path' to its local files", pnode, f"{key}.path")
        probes.append(ProbeConfig(**p))
    if not probes:
        raise r.error("at least one probe source is needed", top["probes"], "probes")

    metrics = []
    for i, mnode in enumerate(r.sequence(top["metrics"], "metrics")):
        key = f"metrics[{i}]"
        nodes = r.mapping(mnode, key, {"name", "params"}, {"name"})
        name = r.value(nodes["name"], f"{key}.name", str)
        if name not in OUTCOMES:
            raise r.error(
                f"unknown metric {name!r} (known: {', '.join(OUTCOMES)})",
                nodes["name"],
                f"{key}.name",
            )
        params = r.value(nodes["params"], f"{key}.params", dict) if "params" in nodes else {}
        metrics.append(MetricConfig(name, params))
    if not metrics:
        raise r.error("at least one metric is needed", top["metrics"], "metrics")

    stats = StatsConfig()
    if "statistics" in top:
        s = _fields(
            r,
            top["statistics"],
            "statistics",
            {
                "n_resamples": int,
                "n_permutations": int,
                "confidence": float,
                "test": str,
                "adjust": str,
                "equivalence_margin": float,
                "power": float,
            },
        )
        if s.get("test", "sign-flip") not in ("sign-flip", "wilcoxon"):
            raise r.error(
                "test must be sign-flip or wilcoxon", top["statistics"], "statistics.test"
            )
        if s.get("adjust", "holm") not in ("holm", "bh", "none"):
            raise r.error("adjust must be holm, bh or none", top["statistics"], "statistics.adjust")
        if s.get("n_resamples", 2000) < 2000:
            raise r.error(
                "n_resamples must be at least 2000", top["statistics"], "statistics.n_resamples"
            )
        stats = StatsConfig(**s)

    gates = []
    for i, gnode in enumerate(r.sequence(top["gates"], "gates") if "gates" in top else []):
        key = f"gates[{i}]"
        g = _fields(
            r,
            gnode,
            key,
            {
                "name": str,
                "metric": str,
                "lang": str,
                "axis": str,
                "group": str,
                "max_abs_bound": float,
                "max_regression": float,
            },
            {"name"},
        )
        if "max_abs_bound" not in g and "max_regression" not in g:
            raise r.error("a gate needs max_abs_bound or max_regression", gnode, key)
        if g.get("metric") and g["metric"] not in {mc.name for mc in metrics}:
            raise r.error(
                f"gate names metric {g['metric']!r}, which is not measured", gnode, f"{key}.metric"
            )
        gates.append(GateConfig(**g))

    reference = {}
    if "reference" in top:
        reference = r.value(top["reference"], "reference", dict)
    return AuditConfig(
        model=model,
        probes=tuple(probes),
        metrics=tuple(metrics),
        name=r.value(top["name"], "name", str) if "name" in top else "audit",
        seed=r.value(top["seed"], "seed", int) if "seed" in top else 0,
        reference=reference,
        statistics=stats,
        gates=tuple(gates),
        base_dir=path.parent.resolve() if path else Path.cwd(),
    )


def load_config(path: str | Path) -> AuditConfig:
    """Read an audit config file; errors name the file, line and key."""
    path = Path(path)
    return parse_config(read_utf8(path, "config", ConfigError), path)
