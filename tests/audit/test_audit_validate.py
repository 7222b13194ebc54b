"""Configs built in Python go through the same checks as YAML configs (one ``validate``).

Every check of ``parse_config`` applies to an :class:`AuditConfig` built from the
dataclasses and passed to ``run_audit``: the same message, naming the field path
(``metrics[0].params.lable``) since there is no file or line.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from biasaudit.audit import (
    AuditConfig,
    GateConfig,
    MetricConfig,
    ModelConfig,
    ProbeConfig,
    StatsConfig,
    parse_config,
    run_audit,
)
from biasaudit.audit.config import (
    GATE_FIELDS,
    MODEL_FIELDS,
    PROBE_FIELDS,
    STATS_FIELDS,
    validate,
)
from biasaudit.errors import ConfigError

PROBES = (ProbeConfig(lang="en", axis="gender", suite="occupations"),)
PROBA = (MetricConfig("proba"),)


def score(texts: list[str]) -> list[float]:
    return [0.5 + 0.01 * ("she" in t.lower()) for t in texts]


def config(**changes: Any) -> AuditConfig:
    base = AuditConfig(model=ModelConfig("x"), probes=PROBES, metrics=PROBA)
    return replace(base, **changes)


BAD: list[tuple[dict[str, Any], str, str]] = [
    (
        {"metrics": (MetricConfig("proba", {"lable": "neg"}),)},
        "metrics[0].params.lable",
        "unknown key 'lable' (allowed: label, threshold)",
    ),
    ({"metrics": ()}, "metrics", "at least one metric is needed"),
    ({"probes": ()}, "probes", "at least one probe source is needed"),
    ({"gates": (GateConfig(name="g"),)}, "gates[0]", "a gate needs max_abs_bound or"),
    ({"metrics": (MetricConfig("probaa"),)}, "metrics[0].name", "unknown metric 'probaa'"),
    (
        {"gates": (GateConfig(name="g", max_abs_bound=-1),)},
        "gates[0].max_abs_bound",
        "max_abs_bound must be positive",
    ),
    (
        {"gates": (GateConfig("g", max_abs_bound=0.1), GateConfig("g", max_regression=0.0))},
        "gates[1].name",
        "gate name 'g' is used twice",
    ),
    ({"reference": {"race": "x"}}, "reference.race", "reference names axis 'race'"),
    (
        {"probes": (ProbeConfig("en", "gender", suite="occupations", input="x.jsonl"),)},
        "probes[0]",
        "give exactly one of suite, input, file, benchmark",
    ),
    (
        {"probes": (ProbeConfig("en", "gender"),)},
        "probes[0]",
        "give exactly one of suite, input, file, benchmark",
    ),
    (
        {"probes": (ProbeConfig("en", "gender", benchmark="winogender"),)},
        "probes[0].path",
        "a benchmark needs 'path'",
    ),
    (
        {"probes": (ProbeConfig("en", "gender", suite="occupations", limit=0),)},
        "probes[0].limit",
        "limit must be at least 1",
    ),
    (
        {"metrics": (MetricConfig("proba"), MetricConfig("proba", {"label": 1}))},
        "metrics[1].name",
        "metric 'proba' is measured twice",
    ),
    (
        {"metrics": (MetricConfig("proba", {"threshold": 1.5}),)},
        "metrics[0].params.threshold",
        "threshold must be between 0 and 1",
    ),
    (
        {"metrics": (MetricConfig("proba", {"threshold": "0.5"}),)},
        "metrics[0].params.threshold",
        "expected float, got '0.5'",
    ),
    (
        {"metrics": (MetricConfig("continuation"),)},
        "metrics[0].params.continuation",
        "the continuation metric needs params.continuation",
    ),
    (
        {"metrics": (MetricConfig("generation", {"scorer": "lexicon"}),)},
        "metrics[0].params.words",
        "the lexicon scorer needs words",
    ),
    (
        {"statistics": StatsConfig(n_resamples=100)},
        "statistics.n_resamples",
        "n_resamples must be at least 2000",
    ),
    (
        {"statistics": StatsConfig(confidence=95)},
        "statistics.confidence",
        "confidence must be strictly between 0 and 1",
    ),
    ({"statistics": StatsConfig(test="t")}, "statistics.test", "sign-flip or wilcoxon"),
    ({"seed": -1}, "seed", "seed must be a non-negative integer"),
    (
        {"model": ModelConfig("hf:x", {"api_key": "sk-123"})},
        "model.options.api_key",
        "API keys must come from the environment",
    ),
    (
        {
            "metrics": (MetricConfig("proba"), MetricConfig("logit")),
            "gates": (GateConfig("g", max_abs_bound=0.1),),
        },
        "gates[0].metric",
        "name its metric",
    ),
    (
        {"gates": (GateConfig("g", metric="logit", max_abs_bound=0.1),)},
        "gates[0].metric",
        "gate names metric 'logit', which is not measured",
    ),
    (
        {"gates": (GateConfig("g", max_abs_bound=float("nan")),)},
        "gates[0].max_abs_bound",
        "expected a finite number",
    ),
    ({"probes": PROBES[0]}, "probes", "expected a list of ProbeConfig"),
    ({"metrics": ("proba",)}, "metrics[0]", "expected a MetricConfig, got 'proba'"),
]


@pytest.mark.parametrize(("changes", "key", "message"), BAD, ids=[b[1] for b in BAD])
def test_a_python_config_is_checked_like_a_yaml_one(
    changes: dict[str, Any], key: str, message: str
) -> None:
    cfg = config(**changes)
    calls: list[list[str]] = []

    def model(texts: list[str]) -> list[float]:
        calls.append(texts)
        return score(texts)

    with pytest.raises(ConfigError) as info:
        run_audit(cfg, model=model)
    assert message in info.value.message
    assert info.value.location.field == key
    assert info.value.location.path is None and info.value.location.line is None
    assert str(info.value).startswith(f"field '{key}': ")
    assert "sk-123" not in str(info.value)
    assert not calls  # stopped before the model was asked anything
    with pytest.raises(ConfigError) as again:
        validate(cfg)
    assert again.value.message == info.value.message


def test_the_user_report_typo_is_an_error_not_the_default_label() -> None:
    cfg = AuditConfig(
        model=ModelConfig("x"), probes=PROBES, metrics=(MetricConfig("proba", {"lable": "neg"}),)
    )
    with pytest.raises(ConfigError, match=r"field 'metrics\[0\]\.params\.lable': unknown key"):
        run_audit(cfg, model=score)


def test_yaml_and_python_give_the_same_message() -> None:
    """parse_config builds the dataclasses and calls the same validate: one message, and the
    YAML error adds only the file and line."""
    yaml_text = """\
version: 1
model: {spec: x}
probes:
  - {suite: occupations, lang: en, axis: gender}
metrics:
  - {name: proba, params: {lable: neg}}
"""
    with pytest.raises(ConfigError) as from_yaml:
        parse_config(yaml_text, Path("audit.yaml"))
    with pytest.raises(ConfigError) as from_python:
        validate(config(metrics=(MetricConfig("proba", {"lable": "neg"}),)))
    assert from_yaml.value.message == from_python.value.message
    assert from_yaml.value.location.field == from_python.value.location.field
    assert (from_yaml.value.location.path, from_yaml.value.location.line) == (
        Path("audit.yaml"),
        6,
    )


def test_a_valid_python_config_is_normalized_and_runs() -> None:
    cfg = config(
        probes=[ProbeConfig("en", "gender", suite="occupations", limit=12)],
        gates=[GateConfig("g", metric="proba", max_abs_bound=1)],
        reference={"gender": "male"},
    )
    checked = validate(cfg)
    assert isinstance(checked.probes, tuple) and isinstance(checked.gates, tuple)
    assert checked.gates[0].max_abs_bound == 1.0
    assert isinstance(checked.gates[0].max_abs_bound, float)
    assert validate(checked) == checked
    result = run_audit(cfg, model=score)
    assert [g.name for g in result.gates] == ["g"]


@pytest.mark.parametrize(
    ("table", "cls"),
    [
        (MODEL_FIELDS, ModelConfig),
        (PROBE_FIELDS, ProbeConfig),
        (STATS_FIELDS, StatsConfig),
        (GATE_FIELDS, GateConfig),
    ],
)
def test_the_checked_fields_are_the_dataclass_fields(table: dict[str, Any], cls: type) -> None:
    """The YAML keys allowed and the types checked come from one table per dataclass."""
    assert set(table) == {f.name for f in dataclasses.fields(cls)}


def test_an_empty_source_is_an_error_in_yaml_and_python() -> None:
    with pytest.raises(ConfigError, match="suite must not be empty") as info:
        validate(config(probes=(ProbeConfig("en", "gender", suite=" "),)))
    assert info.value.location.field == "probes[0].suite"
    text = """\
version: 1
model: {spec: x}
probes:
  - {suite: "", lang: en, axis: gender}
metrics:
  - {name: proba}
"""
    with pytest.raises(ConfigError, match="suite must not be empty") as info:
        parse_config(text, Path("a.yaml"))
    assert (info.value.location.line, info.value.location.field) == (4, "probes[0].suite")
