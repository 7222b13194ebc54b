"""Audit config parsing: every bad key or value names the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from biasaudit.audit import load_config, parse_config
from biasaudit.errors import ConfigError

GOOD = """\
version: 1
name: demo
model: {spec: default}
probes:
  - {suite: occupations, lang: en, axis: gender}
metrics:
  - {name: association}
gates:
  - {name: g, metric: association, max_abs_bound: 0.05}
"""


def test_good_config_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(GOOD, encoding="utf-8")
    cfg = load_config(path)
    assert cfg.name == "demo"
    assert cfg.probes[0].suite == "occupations"
    assert cfg.gates[0].max_abs_bound == 0.05
    assert cfg.statistics.n_resamples == 2000
    assert cfg.resolve("x.jsonl") == tmp_path / "x.jsonl"


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        (GOOD.replace("name: demo", "nmae: demo"), 2, "nmae", "unknown key 'nmae'"),
        (GOOD.replace("version: 1", "version: 2"), 1, "version", "unsupported config version"),
        (
            GOOD.replace("max_abs_bound: 0.05", "max_abs_bound: high"),
            9,
            "gates[0].max_abs_bound",
            "expected float",
        ),
        (
            GOOD.replace("{name: association}", "{name: sentiment}"),
            7,
            "metrics[0].name",
            "unknown metric 'sentiment'",
        ),
        (GOOD.replace("suite: occupations, ", ""), 5, "probes[0]", "exactly one of"),
        (
            GOOD.replace("metric: association, ", "metric: proba, "),
            9,
            "gates[0].metric",
            "not measured",
        ),
        (
            GOOD.replace("{spec: default}", "{spec: default, options: {api_key: sk-123}}"),
            3,
            "model.options",
            "environment",
        ),
        (GOOD + "statistics: {n_resamples: 100}\n", 10, "statistics.n_resamples", "at least 2000"),
        (GOOD.replace("model: {spec: default}\n", ""), 1, "model", "missing required key"),
    ],
)
def test_errors_name_line_and_key(text: str, line: int, key: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, Path("audit.yaml"))
    assert message in str(info.value)
    assert info.value.location.line == line, str(info.value)
    assert info.value.location.field == key
    assert "sk-123" not in str(info.value)


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="invalid YAML"):
        parse_config("version: [", Path("x.yaml"))
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "nope.yaml")
