"""Audit configuration: a YAML file naming the model, the probes, the metrics and the gates.

Every key is checked: an unknown or mistyped key, or a bad value, raises ConfigError naming
the file, line and key, so a broken CI config fails loudly instead of auditing the wrong thing.

There is one set of checks, :func:`validate`, for both ways of making a config:
:func:`parse_config` reads the YAML's structure (syntax, unknown, missing and repeated keys),
builds the dataclasses and validates them; :func:`~biasaudit.audit.run_audit` validates
whatever config it is given, so one built in Python is checked the same way, its errors
naming the field path (``metrics[0].params.lable``) instead of a file and line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
        self.booleans: dict[str, str] = {}  # key path -> a scalar YAML read as a boolean ('no')

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
                if node.tag == "tag:yaml.org,2002:bool":
                    self.booleans[prefix] = str(node.value)
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

    def raw(self, node: yaml.Node) -> Any:
        """The plain value of a node (its type and range are checked by :func:`validate`)."""
        return yaml.safe_load(yaml.serialize(node))

    def fields(
        self,
        node: yaml.Node,
        key: str,
        allowed: Mapping[str, Any],
        required: set[str] = frozenset(),
    ) -> dict[str, Any]:
        """The plain values of a mapping's keys, each one of ``allowed``."""
        nodes = self.mapping(node, key, set(allowed), required)
        return {name: self.raw(n) for name, n in nodes.items()}

    def boolean_hint(self, exc: ConfigError) -> ConfigError:
        """``exc`` with a hint when the value it rejects was a YAML 1.1 boolean: YAML reads
        unquoted no/yes/on/off as booleans (``lang: no``, Norwegian)."""
        scalar = self.booleans.get(exc.location.field or "")
        if scalar is None or not exc.message.startswith("expected "):
            return exc
        return ConfigError(
            f"{exc.message} (YAML reads {scalar} as a boolean: quote it, '{scalar}')",
            exc.location,
        )

    def sequence(self, node: yaml.Node, key: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error("expected a list", node, key)
        return list(node.value)


# The fields of each config dataclass with the types their values must have (a float field
# also takes an int, a field whose default is None also takes None). The YAML reader allows
# exactly these keys; validate checks the types.
MODEL_FIELDS: dict[str, Any] = {"spec": str, "options": Mapping, "cache": str}
PROBE_FIELDS: dict[str, Any] = {
    "lang": str,
    "axis": str,
    "suite": str,
    "input": str,
    "text_field": str,
    "file": str,
    "benchmark": str,
    "path": str,
    "limit": int,
}
STATS_FIELDS: dict[str, Any] = {
    "n_resamples": int,
    "n_permutations": int,
    "confidence": float,
    "test": str,
    "adjust": str,
    "equivalence_margin": float,
    "power": float,
}
GATE_FIELDS: dict[str, Any] = {
    "name": str,
    "metric": str,
    "lang": str,
    "axis": str,
    "group": str,
    "max_abs_bound": float,
    "max_regression": float,
}
PROBE_SOURCES = ("suite", "input", "file", "benchmark")

# Keys each metric's ``params`` accepts, with their types (checked by validate).
METRIC_PARAMS: dict[str, dict[str, Any]] = {
    "proba": {"label": (str, int), "threshold": float},
    "logit": {"label": (str, int)},
    "loglik": {},
    "continuation": {"continuation": str},
    "association": {"attribute_a": list, "attribute_b": list},
    "generation": {"n": int, "scorer": str, "max_new_tokens": int, "words": list},
}
SCORERS = ("length", "refusal", "lexicon")
_TYPE_NAMES = {Mapping: "mapping", list: "list"}


def benchmarks() -> tuple[str, ...]:
    """The benchmark importers ``probes.from_<name>`` (``from_texts`` is not a benchmark)."""
    from .. import probes

    return tuple(
        sorted(n[5:] for n in dir(probes) if n.startswith("from_") and n != "from_texts")
    )


class _Checker:
    """The checks of :func:`validate`; errors name ``config.where(key)``: the file, line and
    key of a config read from YAML, the field path of one built in Python."""

    def __init__(self, config: AuditConfig) -> None:
        self.config = config

    def error(self, message: str, key: str) -> ConfigError:
        return ConfigError(message, self.config.where(key))

    def typed(self, value: Any, kind: Any, key: str, optional: bool = False) -> Any:
        """``value`` if it has type ``kind`` (an int as a float; a list as a tuple or list;
        None when ``optional``), else a ConfigError."""
        if value is None and optional:
            return None
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if list in kinds and isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = "/".join(_TYPE_NAMES.get(k, getattr(k, "__name__", str(k))) for k in kinds)
            raise self.error(f"expected {names}, got {value!r}", key)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(f"expected a finite number, got {value!r}", key)
        return value

    def fields(self, obj: Any, cls: type, key: str, spec: Mapping[str, Any]) -> Any:
        """``obj`` (an instance of dataclass ``cls``) with every field type-checked."""
        if not isinstance(obj, cls):
            raise self.error(f"expected a {cls.__name__}, got {obj!r}", key)
        defaults = {f.name: f.default for f in cls.__dataclass_fields__.values()}
        values = {
            name: self.typed(getattr(obj, name), kind, f"{key}.{name}", defaults[name] is None)
            for name, kind in spec.items()
        }
        return replace(obj, **values)

    def mapping(self, value: Any, key: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        """A mapping whose keys are all in ``spec``, its values type-checked."""
        value = self.typed(value, Mapping, key)
        out = {}
        for name, item in value.items():
            if name not in spec:
                allowed = ", ".join(sorted(spec)) or "none"
                raise self.error(f"unknown key {name!r} (allowed: {allowed})", f"{key}.{name}")
            out[name] = self.typed(item, spec[name], f"{key}.{name}")
        return out

    def items(self, value: Any, key: str, cls: type) -> list[Any]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise self.error(f"expected a list of {cls.__name__}, got {value!r}", key)
        return list(value)

    def range(
        self, values: Mapping[str, Any], key: str, name: str, ok: Callable[[Any], bool], rule: str
    ) -> None:
        """``values[name]``, when set, must pass ``ok``."""
        if values.get(name) is not None and not ok(values[name]):
            raise self.error(f"{name} must be {rule}, got {values[name]!r}", f"{key}.{name}")


def validate(config: AuditConfig) -> AuditConfig:
    """Check every setting of ``config``; return it with its values normalized (an int
    where a float is expected as a float, lists as tuples).

    :func:`parse_config` calls it on what it read, :func:`~biasaudit.audit.run_audit` on
    the config it is given, so a config built in Python is held to the same rules as a
    YAML file. A ConfigError names the key: with the file and line for a config read from
    YAML, as a field path (``metrics[0].params.lable``) for one built in Python.
    """
    c = _Checker(config)
    model = _validate_model(c, config.model)
    probes = [
        _validate_probe(c, pc, f"probes[{i}]")
        for i, pc in enumerate(c.items(config.probes, "probes", ProbeConfig))
    ]
    if not probes:
        raise c.error("at least one probe source is needed", "probes")
    metrics: list[MetricConfig] = []
    for i, mc in enumerate(c.items(config.metrics, "metrics", MetricConfig)):
        metrics.append(_validate_metric(c, mc, f"metrics[{i}]", metrics))
    if not metrics:
        raise c.error("at least one metric is needed", "metrics")
    stats = _validate_stats(c, config.statistics)
    gates: list[GateConfig] = []
    for i, g in enumerate(c.items(config.gates, "gates", GateConfig)):
        gates.append(_validate_gate(c, g, f"gates[{i}]", metrics, gates))
    axes = sorted({pc.axis for pc in probes})
    reference = c.typed(config.reference, Mapping, "reference")
    for axis in reference:
        if axis not in axes:
            raise c.error(
                f"reference names axis {axis!r}, which no probe source audits "
                f"(axes: {', '.join(axes)})",
                f"reference.{axis}",
            )
    reference = c.mapping(reference, "reference", dict.fromkeys(axes, str))
    seed = c.typed(config.seed, int, "seed")
    if not 0 <= seed < 2**63:
        raise c.error(f"seed must be a non-negative integer, got {seed}", "seed")
    return replace(
        config,
        model=model,
        probes=tuple(probes),
        metrics=tuple(metrics),
        name=c.typed(config.name, str, "name"),
        seed=seed,
        reference=reference,
        statistics=stats,
        gates=tuple(gates),
    )


def _validate_model(c: _Checker, model: Any) -> ModelConfig:
    model = c.fields(model, ModelConfig, "model", MODEL_FIELDS)
    for opt in model.options:
        if "key" in str(opt).lower() and "env" not in str(opt).lower():
            raise c.error(
                "API keys must come from the environment; name the variable with "
                "'api_key_env' instead",
                f"model.options.{opt}",
            )
    if model.options:
        from ..models.loading import model_options

        known_options = model_options(model.spec)
        for opt in model.options if known_options is not None else ():
            if opt not in known_options:
                raise c.error(
                    f"unknown option {opt!r} for model {model.spec.partition(':')[0]!r} "
                    f"(allowed: {', '.join(sorted(known_options))})",
                    f"model.options.{opt}",
                )
    return model


def _validate_probe(c: _Checker, pc: Any, key: str) -> ProbeConfig:
    pc = c.fields(pc, ProbeConfig, key, PROBE_FIELDS)
    given = [s for s in PROBE_SOURCES if getattr(pc, s) is not None]
    if len(given) != 1:
        raise c.error("give exactly one of suite, input, file, benchmark", key)
    if not getattr(pc, given[0]).strip():
        raise c.error(f"{given[0]} must not be empty", f"{key}.{given[0]}")
    if pc.benchmark is not None and pc.path is None:
        raise c.error("a benchmark needs 'path' to its local files", f"{key}.path")
    if pc.benchmark is not None and pc.benchmark not in benchmarks():
        raise c.error(
            f"unknown benchmark {pc.benchmark!r} (known: {', '.join(benchmarks())})",
            f"{key}.benchmark",
        )
    c.range({"limit": pc.limit}, key, "limit", lambda n: n >= 1, "at least 1")
    return pc


def _validate_metric(
    c: _Checker, mc: Any, key: str, before: Sequence[MetricConfig]
) -> MetricConfig:
    if not isinstance(mc, MetricConfig):
        raise c.error(f"expected a MetricConfig, got {mc!r}", key)
    name = c.typed(mc.name, str, f"{key}.name")
    if any(other.name == name for other in before):
        # finding ids, families and gates name the metric: two of one name would write
        # findings with the same id, and one's per-cluster rows would replace the other's
        raise c.error(
            f"metric {name!r} is measured twice; audit each setting in its own config",
            f"{key}.name",
        )
    if name not in OUTCOMES:
        raise c.error(f"unknown metric {name!r} (known: {', '.join(OUTCOMES)})", f"{key}.name")
    pkey = f"{key}.params"
    params = c.mapping(mc.params, pkey, METRIC_PARAMS[name])
    for attr in ("attribute_a", "attribute_b", "words"):
        words = params.get(attr)
        if words is not None and (
            not words or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise c.error(f"{attr} must be a non-empty list of words", f"{pkey}.{attr}")
    c.range(params, pkey, "threshold", lambda t: 0 < t < 1, "between 0 and 1")
    for count in ("n", "max_new_tokens"):
        c.range(params, pkey, count, lambda n: n >= 1, "at least 1")
    if params.get("scorer", "length") not in SCORERS:
        raise c.error(
            f"unknown scorer {params['scorer']!r} (known: {', '.join(SCORERS)})",
            f"{pkey}.scorer",
        )
    if params.get("scorer") == "lexicon" and "words" not in params:
        raise c.error("the lexicon scorer needs words", f"{pkey}.words")
    if name == "continuation" and not params.get("continuation"):
        raise c.error(
            "the continuation metric needs params.continuation", f"{pkey}.continuation"
        )
    return MetricConfig(name, params)


def _validate_stats(c: _Checker, stats: Any) -> StatsConfig:
    stats = c.fields(stats, StatsConfig, "statistics", STATS_FIELDS)
    s = {name: getattr(stats, name) for name in STATS_FIELDS}
    if stats.test not in ("sign-flip", "wilcoxon"):
        raise c.error("test must be sign-flip or wilcoxon", "statistics.test")
    if stats.adjust not in ("holm", "bh", "none"):
        raise c.error("adjust must be holm, bh or none", "statistics.adjust")
    if stats.n_resamples < 2000:
        raise c.error("n_resamples must be at least 2000", "statistics.n_resamples")
    checks: list[tuple[str, Callable[[Any], bool], str]] = [
        ("n_permutations", lambda n: n >= 1, "at least 1"),
        ("confidence", lambda x: 0 < x < 1, "strictly between 0 and 1 (e.g. 0.95, not 95)"),
        ("equivalence_margin", lambda x: x > 0, "positive"),
        ("power", lambda x: 0.05 < x < 1, "between 0.05 (the tests' alpha) and 1, e.g. 0.8"),
    ]
    for field_name, ok, rule in checks:
        c.range(s, "statistics", field_name, ok, rule)
    return stats


def _validate_gate(
    c: _Checker,
    g: Any,
    key: str,
    metrics: Sequence[MetricConfig],
    before: Sequence[GateConfig],
) -> GateConfig:
    g = c.fields(g, GateConfig, key, GATE_FIELDS)
    if g.max_abs_bound is None and g.max_regression is None:
        raise c.error("a gate needs max_abs_bound or max_regression", key)
    limits = {"max_abs_bound": g.max_abs_bound, "max_regression": g.max_regression}
    # a bound of |Δ| is never below 0: a limit of 0 or less fails every run; an increase
    # limit below 0 would fail a model compared with itself
    c.range(
        limits, key, "max_abs_bound", lambda m: m > 0, "positive (a limit on |Δ|, e.g. 0.05)"
    )
    c.range(
        limits,
        key,
        "max_regression",
        lambda r: r >= 0,
        "at least 0 (the increase in |Δ| allowed, e.g. 0.02)",
    )
    if g.metric is None and len(metrics) > 1:
        # metrics have their own units (probability, logit, nats, cosine, ...): one
        # limit cannot mean the same on all of them
        raise c.error(
            "the config measures several metrics, in different units: name its metric "
            f"({', '.join(mc.name for mc in metrics)})",
            f"{key}.metric",
        )
    if g.metric and g.metric not in {mc.name for mc in metrics}:
        raise c.error(f"gate names metric {g.metric!r}, which is not measured", f"{key}.metric")
    if any(other.name == g.name for other in before):
        # junit.xml, summary.md and the CLI name gates: two of one name cannot be told apart
        raise c.error(f"gate name {g.name!r} is used twice", f"{key}.name")
    return g


_TOP_KEYS = {
    "version",
    "name",
    "seed",
    "model",
    "probes",
    "metrics",
    "reference",
    "statistics",
    "gates",
}


def parse_config(data: str, path: Path | None = None) -> AuditConfig:
    """Parse YAML text into an :class:`AuditConfig` (``path`` only labels errors and paths).

    The YAML's structure is checked here (syntax, unknown, missing and repeated keys,
    lists and mappings where they belong); the values, by :func:`validate`.
    """
    r = _Reader(path)
    try:
        root = yaml.compose(data)
    except yaml.YAMLError as exc:
        message, line = yaml_error(exc, data)
        raise ConfigError(message, Location(path, line)) from None
    if root is None:
        raise ConfigError("the config is empty", Location(path))
    r.index(root)
    top = r.mapping(root, "", _TOP_KEYS, {"version", "model", "probes", "metrics"})
    version = r.raw(top["version"])
    if isinstance(version, bool) or not isinstance(version, int):
        raise r.error(f"expected int, got {version!r}", top["version"], "version")
    if version != CONFIG_VERSION:
        raise r.error(
            f"unsupported config version {version}; this biasaudit reads version {CONFIG_VERSION}",
            top["version"],
            "version",
        )
    settings: dict[str, Any] = {
        "model": ModelConfig(**r.fields(top["model"], "model", MODEL_FIELDS, {"spec"})),
        "probes": tuple(
            ProbeConfig(**r.fields(node, f"probes[{i}]", PROBE_FIELDS, {"lang", "axis"}))
            for i, node in enumerate(r.sequence(top["probes"], "probes"))
        ),
    }
    metrics = []
    for i, node in enumerate(r.sequence(top["metrics"], "metrics")):
        m = r.fields(node, f"metrics[{i}]", {"name": str, "params": Mapping}, {"name"})
        metrics.append(MetricConfig(m["name"], m.get("params", {})))
    settings["metrics"] = tuple(metrics)
    if "statistics" in top:
        settings["statistics"] = StatsConfig(
            **r.fields(top["statistics"], "statistics", STATS_FIELDS)
        )
    if "gates" in top:
        settings["gates"] = tuple(
            GateConfig(**r.fields(node, f"gates[{i}]", GATE_FIELDS, {"name"}))
            for i, node in enumerate(r.sequence(top["gates"], "gates"))
        )
    for name in ("name", "seed", "reference"):
        if name in top:
            settings[name] = r.raw(top[name])
    config = AuditConfig(
        **settings,
        base_dir=path.parent.resolve() if path else Path.cwd(),
        path=path,
        lines=dict(r.lines),
    )
    try:
        return validate(config)
    except ConfigError as exc:
        raise r.boolean_hint(exc) from None


def load_config(path: str | Path) -> AuditConfig:
    """Read an audit config file; errors name the file, line and key."""
    path = Path(path)
    return parse_config(read_utf8(path, "config", ConfigError), path)
