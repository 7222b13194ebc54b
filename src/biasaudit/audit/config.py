"""Audit configuration: a YAML file naming the model, the probes, the metrics and the gates.

Every key is checked: an unknown or mistyped key, or a bad value, raises ConfigError naming
the file, line and key, so a broken CI config fails loudly instead of auditing the wrong thing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .._yaml import RECURSIVE_ALIAS, duplicate_keys, duplicate_message, yaml_error
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
    path: Path | None = field(default=None, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def resolve(self, path: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    def where(self, key: str) -> Location:
        """The config file, line and ``key`` for an error found after loading (the line of
        the key, or of the nearest enclosing entry that has one)."""
        probe = key
        while probe and probe not in self.lines:
            probe = probe.rpartition(".")[0] if "." in probe else probe.rpartition("[")[0]
        return Location(self.path, self.lines.get(probe), key)


class _Reader:
    """Walks composed YAML nodes, keeping line numbers for errors."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lines: dict[str, int] = {}  # key path ('gates[0].name') -> line of the key

    def index(self, root: yaml.Node) -> None:
        """Record the line of every key and list item; a key given twice in one mapping is
        an error naming both lines (YAML would silently keep the last), and so is a
        recursive alias (``x: &a [*a]``), which no setting can hold.

        An alias is the node its anchor names: its key's line is recorded, but what it
        holds is walked once, at the anchor (errors inside it name the anchor's lines).
        """
        key_paths: dict[int, str] = {}  # id(key node) -> its key path
        open_nodes: set[int] = set()  # the nodes being walked: the current path's ancestors
        done: set[int] = set()
        stack: list[tuple[yaml.Node, str, bool]] = [(root, "", False)]
        while stack:
            node, prefix, leaving = stack.pop()
            if leaving:
                open_nodes.discard(id(node))
                done.add(id(node))
                continue
            if id(node) in open_nodes:
                line = self.lines.get(prefix, node.start_mark.line + 1)
                raise ConfigError(RECURSIVE_ALIAS, Location(self.path, line, prefix or None))
            if id(node) in done:
                continue
            children: list[tuple[yaml.Node, str]] = []
            if isinstance(node, yaml.MappingNode):
                for knode, vnode in node.value:
                    full = f"{prefix}.{knode.value}" if prefix else str(knode.value)
                    self.lines[full] = knode.start_mark.line + 1
                    key_paths[id(knode)] = full
                    children.append((vnode, full))
            elif isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    self.lines[f"{prefix}[{i}]"] = item.start_mark.line + 1
                    children.append((item, f"{prefix}[{i}]"))
            else:
                continue
            open_nodes.add(id(node))
            stack.append((node, prefix, True))
            stack.extend((child, path, False) for child, path in reversed(children))
        for key, first, again in duplicate_keys(root):
            raise ConfigError(
                duplicate_message(key, first, again),
                Location(self.path, again.start_mark.line + 1, key_paths.get(id(again), key)),
            )

    def error(self, message: str, node: yaml.Node | None, key: str) -> ConfigError:
        line = self.lines.get(key)
        if line is None and node is not None:
            line = node.start_mark.line + 1
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
            raise ConfigError(
                f"missing required key {name!r}",
                Location(
                    self.path,
                    self.lines.get(key, node.start_mark.line + 1),
                    f"{key}.{name}" if key else name,
                ),
            )
        return out

    def value(self, node: yaml.Node, key: str, kind: type | tuple[type, ...]) -> Any:
        data = yaml.safe_load(yaml.serialize(node)) if node is not None else None
        if kind is float and isinstance(data, int) and not isinstance(data, bool):
            data = float(data)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(data, kind) or (isinstance(data, bool) and bool not in kinds):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            hint = ""
            if isinstance(data, bool) and isinstance(node, yaml.ScalarNode):
                # YAML 1.1 reads unquoted no/yes/on/off as booleans: `lang: no` (Norwegian)
                hint = f" (YAML reads {node.value} as a boolean: quote it, '{node.value}')"
            raise self.error(f"expected {names}, got {data!r}{hint}", node, key)
        if isinstance(data, float) and not math.isfinite(data):
            raise self.error(f"expected a finite number, got {data!r}", node, key)
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


# Keys each metric's ``params`` accepts, with their types (checked at load time).
METRIC_PARAMS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "proba": {"label": (str, int), "threshold": float},
    "logit": {"label": (str, int)},
    "loglik": {},
    "continuation": {"continuation": str},
    "association": {"attribute_a": list, "attribute_b": list},
    "generation": {"n": int, "scorer": str, "max_new_tokens": int, "words": list},
}
SCORERS = ("length", "refusal", "lexicon")


def benchmarks() -> tuple[str, ...]:
    """The benchmark importers ``probes.from_<name>`` (``from_texts`` is not a benchmark)."""
    from .. import probes

    return tuple(
        sorted(n[5:] for n in dir(probes) if n.startswith("from_") and n != "from_texts")
    )


def _check_range(
    r: _Reader, values: dict[str, Any], node: yaml.Node, key: str, name: str, ok: bool, rule: str
) -> None:
    if name in values and not ok:
        raise r.error(f"{name} must be {rule}, got {values[name]!r}", node, f"{key}.{name}")


def parse_config(data: str, path: Path | None = None) -> AuditConfig:
    """Parse YAML text into an :class:`AuditConfig` (``path`` only labels errors and paths)."""
    r = _Reader(path)
    try:
        root = yaml.compose(data)
    except yaml.YAMLError as exc:
        message, line = yaml_error(exc, data)
        raise ConfigError(message, Location(path, line)) from None
    if root is None:
        raise ConfigError("the config is empty", Location(path))
    r.index(root)
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
    for opt in m.get("options", {}):
        if "key" in str(opt).lower() and "env" not in str(opt).lower():
            raise r.error(
                "API keys must come from the environment; name the variable with "
                "'api_key_env' instead",
                top["model"],
                f"model.options.{opt}",
            )
    from ..models.loading import model_options

    known_options = model_options(m["spec"])
    if known_options is not None:
        for opt in m.get("options", {}):
            if opt not in known_options:
                raise r.error(
                    f"unknown option {opt!r} for model {m['spec'].partition(':')[0]!r} "
                    f"(allowed: {', '.join(sorted(known_options))})",
                    top["model"],
                    f"model.options.{opt}",
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
        if "benchmark" in p and p["benchmark"] not in benchmarks():
            raise r.error(
                f"unknown benchmark {p['benchmark']!r} (known: {', '.join(benchmarks())})",
                pnode,
                f"{key}.benchmark",
            )
        _check_range(r, p, pnode, key, "limit", p.get("limit", 1) >= 1, "at least 1")
        probes.append(ProbeConfig(**p))
    if not probes:
        raise r.error("at least one probe source is needed", top["probes"], "probes")

    metrics = []
    for i, mnode in enumerate(r.sequence(top["metrics"], "metrics")):
        key = f"metrics[{i}]"
        nodes = r.mapping(mnode, key, {"name", "params"}, {"name"})
        name = r.value(nodes["name"], f"{key}.name", str)
        if any(other.name == name for other in metrics):
            # finding ids, families and gates name the metric: two of one name would write
            # findings with the same id, and one's per-cluster rows would replace the other's
            raise r.error(
                f"metric {name!r} is measured twice; audit each setting in its own config",
                nodes["name"],
                f"{key}.name",
            )
        if name not in OUTCOMES:
            raise r.error(
                f"unknown metric {name!r} (known: {', '.join(OUTCOMES)})",
                nodes["name"],
                f"{key}.name",
            )
        params: dict[str, Any] = {}
        if "params" in nodes:
            params = _fields(r, nodes["params"], f"{key}.params", METRIC_PARAMS[name])
            pkey = f"{key}.params"
            for attr in ("attribute_a", "attribute_b", "words"):
                words = params.get(attr)
                if words is not None and (
                    not words or not all(isinstance(w, str) and w.strip() for w in words)
                ):
                    raise r.error(
                        f"{attr} must be a non-empty list of words",
                        nodes["params"],
                        f"{pkey}.{attr}",
                    )
            _check_range(
                r, params, nodes["params"], pkey, "threshold",
                0 < params.get("threshold", 0.5) < 1, "between 0 and 1",
            )
            for count in ("n", "max_new_tokens"):
                _check_range(
                    r, params, nodes["params"], pkey, count, params.get(count, 1) >= 1, "at least 1"
                )
            if params.get("scorer", "length") not in SCORERS:
                raise r.error(
                    f"unknown scorer {params['scorer']!r} (known: {', '.join(SCORERS)})",
                    nodes["params"],
                    f"{pkey}.scorer",
                )
            if params.get("scorer") == "lexicon" and "words" not in params:
                raise r.error("the lexicon scorer needs words", nodes["params"], f"{pkey}.words")
            if name == "continuation" and not params.get("continuation"):
                raise r.error(
                    "the continuation metric needs a continuation",
                    nodes["params"],
                    f"{pkey}.continuation",
                )
        elif name == "continuation":
            raise r.error("the continuation metric needs params.continuation", mnode, key)
        metrics.append(MetricConfig(name, params))
    if not metrics:
        raise r.error("at least one metric is needed", top["metrics"], "metrics")

    stats = StatsConfig()
    if "statistics" in top:
        snode = top["statistics"]
        s = _fields(
            r,
            snode,
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
            raise r.error("test must be sign-flip or wilcoxon", snode, "statistics.test")
        if s.get("adjust", "holm") not in ("holm", "bh", "none"):
            raise r.error("adjust must be holm, bh or none", snode, "statistics.adjust")
        if s.get("n_resamples", 2000) < 2000:
            raise r.error("n_resamples must be at least 2000", snode, "statistics.n_resamples")
        checks = [
            ("n_permutations", s.get("n_permutations", 1) >= 1, "at least 1"),
            (
                "confidence",
                0 < s.get("confidence", 0.95) < 1,
                "strictly between 0 and 1 (e.g. 0.95, not 95)",
            ),
            ("equivalence_margin", s.get("equivalence_margin", 1.0) > 0, "positive"),
            (
                "power",
                0.05 < s.get("power", 0.8) < 1,
                "between 0.05 (the tests' alpha) and 1, e.g. 0.8",
            ),
        ]
        for field_name, ok, rule in checks:
            _check_range(r, s, snode, "statistics", field_name, ok, rule)
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
        # a bound of |Δ| is never below 0: a limit of 0 or less fails every run; an increase
        # limit below 0 would fail a model compared with itself
        _check_range(
            r, g, gnode, key, "max_abs_bound", g.get("max_abs_bound", 1.0) > 0,
            "positive (a limit on |Δ|, e.g. 0.05)",
        )
        _check_range(
            r, g, gnode, key, "max_regression", g.get("max_regression", 0.0) >= 0,
            "at least 0 (the increase in |Δ| allowed, e.g. 0.02)",
        )
        if "metric" not in g and len(metrics) > 1:
            # metrics have their own units (probability, logit, nats, cosine, ...): one
            # limit cannot mean the same on all of them
            raise r.error(
                "the config measures several metrics, in different units: name its metric "
                f"({', '.join(mc.name for mc in metrics)})",
                gnode,
                f"{key}.metric",
            )
        if g.get("metric") and g["metric"] not in {mc.name for mc in metrics}:
            raise r.error(
                f"gate names metric {g['metric']!r}, which is not measured", gnode, f"{key}.metric"
            )
        if any(other.name == g["name"] for other in gates):
            # junit.xml, summary.md and the CLI name gates: two of one name cannot be told apart
            raise r.error(f"gate name {g['name']!r} is used twice", gnode, f"{key}.name")
        gates.append(GateConfig(**g))

    reference: dict[str, str] = {}
    if "reference" in top:
        axes = sorted({pc.axis for pc in probes})
        if isinstance(top["reference"], yaml.MappingNode):
            for knode, _ in top["reference"].value:
                if str(knode.value) not in axes:
                    raise r.error(
                        f"reference names axis {knode.value!r}, which no probe source audits "
                        f"(axes: {', '.join(axes)})",
                        knode,
                        f"reference.{knode.value}",
                    )
        reference = _fields(r, top["reference"], "reference", dict.fromkeys(axes, str))

    seed = 0
    if "seed" in top:
        seed = r.value(top["seed"], "seed", int)
        if not 0 <= seed < 2**63:
            raise r.error(f"seed must be a non-negative integer, got {seed}", top["seed"], "seed")
    return AuditConfig(
        model=model,
        probes=tuple(probes),
        metrics=tuple(metrics),
        name=r.value(top["name"], "name", str) if "name" in top else "audit",
        seed=seed,
        reference=reference,
        statistics=stats,
        gates=tuple(gates),
        base_dir=path.parent.resolve() if path else Path.cwd(),
        path=path,
        lines=dict(r.lines),
    )


def load_config(path: str | Path) -> AuditConfig:
    """Read an audit config file; errors name the file, line and key."""
    path = Path(path)
    return parse_config(read_utf8(path, "config", ConfigError), path)
