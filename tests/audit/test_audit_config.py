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
            "model.options.api_key",
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


BLOCK = """\
version: 1
model:
  spec: default
  cache: cache.sqlite
  options:
    max_length: 64
    api_key: sk-123
probes:
  - {suite: occupations, lang: en, axis: gender}
metrics:
  - name: association
statistics:
  n_resamples: 2000
  confidence: 0.95
  power: 0.8
  test: permutation
gates:
  - name: gender-gap
    axis: gender
    max_abs_bound: 0.05
    metric: proba
"""


def _drop(text: str, *needles: str) -> str:
    return "".join(
        line for line in text.splitlines(keepends=True) if not any(n in line for n in needles)
    )


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        (BLOCK, 7, "model.options.api_key", "environment"),
        (_drop(BLOCK, "api_key"), 15, "statistics.test", "sign-flip or wilcoxon"),
        (_drop(BLOCK, "api_key", "test:"), 19, "gates[0].metric", "not measured"),
        (
            _drop(BLOCK, "api_key", "test:").replace("power: 0.8", "adjust: bonferroni"),
            14,
            "statistics.adjust",
            "holm, bh or none",
        ),
    ],
)
def test_errors_on_block_mappings_name_the_line_of_the_key(
    text: str, line: int, key: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, Path("audit.yaml"))
    assert message in str(info.value)
    assert (info.value.location.line, info.value.location.field) == (line, key), str(info.value)


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        (GOOD + "statistics: {confidence: 95}\n", 10, "statistics.confidence", "not 95"),
        (GOOD + "statistics: {confidence: 1.0}\n", 10, "statistics.confidence", "between 0"),
        (GOOD + "statistics: {power: 1.5}\n", 10, "statistics.power", "power must be"),
        (GOOD + "statistics: {n_permutations: 0}\n", 10, "statistics.n_permutations", "at least"),
        (
            GOOD + "statistics: {equivalence_margin: -0.1}\n",
            10,
            "statistics.equivalence_margin",
            "positive",
        ),
        (GOOD.replace("name: demo", "name: demo\nseed: -1"), 3, "seed", "non-negative"),
        (
            GOOD.replace("max_abs_bound: 0.05", "max_abs_bound: .nan"),
            9,
            "gates[0].max_abs_bound",
            "finite",
        ),
        (
            GOOD.replace("{spec: default}", "{spec: default, options: {devic: cpu}}"),
            3,
            "model.options.devic",
            "unknown option 'devic'",
        ),
        (
            GOOD.replace("{spec: default}", "{spec: 'openai:http://h/v1', options: {modle: x}}"),
            3,
            "model.options.modle",
            "unknown option 'modle'",
        ),
        (GOOD + "gates:\n  - {name: g2, max_abs_bound: 0.1}\n", 10, "gates", "lines 8 and 10"),
        (GOOD.replace("name: demo", "name: demo\nname: other"), 3, "name", "lines 2 and 3"),
        (
            GOOD.replace("{name: association}", "{name: association, params: {atribute_a: [x]}}"),
            7,
            "metrics[0].params.atribute_a",
            "unknown key 'atribute_a'",
        ),
        (
            GOOD.replace("{name: association}", "{name: generation, params: {scorer: lenght}}"),
            7,
            "metrics[0].params.scorer",
            "unknown scorer",
        ),
        (GOOD + "reference: {gendr: female}\n", 10, "reference.gendr", "no probe source"),
        (
            GOOD.replace("axis: gender}", "axis: gender, limit: -1}"),
            5,
            "probes[0].limit",
            "at least 1",
        ),
        (
            GOOD.replace("axis: gender}", "axis: gender, limit: 0}"),
            5,
            "probes[0].limit",
            "at least 1",
        ),
        (
            GOOD.replace("suite: occupations", "benchmark: winogendr, path: x.tsv"),
            5,
            "probes[0].benchmark",
            "unknown benchmark",
        ),
    ],
)
def test_values_the_statistics_would_reject_are_config_errors(
    text: str, line: int, key: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, Path("audit.yaml"))
    assert message in str(info.value)
    assert (info.value.location.line, info.value.location.field) == (line, key), str(info.value)


def test_valid_options_params_and_reference_are_accepted() -> None:
    text = GOOD.replace(
        "{spec: default}", "{spec: default, options: {max_length: 64, batch_size: 8}}"
    ).replace(
        "{name: association}",
        "{name: association, params: {attribute_a: [career], attribute_b: [home]}}",
    )
    cfg = parse_config(text + "reference: {gender: female}\nseed: 7\n")
    assert cfg.model.options == {"max_length": 64, "batch_size": 8}
    assert cfg.metrics[0].params == {"attribute_a": ["career"], "attribute_b": ["home"]}
    assert cfg.reference == {"gender": "female"}
    assert cfg.where("metrics[0].params.attribute_a").line == 7



@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        (GOOD + "x: &a [*a]\n", 10, "x[0]"),
        (GOOD.replace("{spec: default}", "&m {spec: *m}"), 3, "model.spec"),
        (GOOD.replace("{name: association}", "&a {name: association, params: *a}"), 7,
         "metrics[0].params"),
    ],
)
def test_recursive_alias_is_a_config_error(text: str, line: int, key: str) -> None:
    """A value that contains itself is an error naming where it is used (it used to
    overflow the stack: an internal error, exit 3)."""
    with pytest.raises(ConfigError, match="recursive YAML alias") as info:
        parse_config(text, Path("audit.yaml"))
    assert (info.value.location.line, info.value.location.field) == (line, key)


def test_aliases_are_read_and_checked_once() -> None:
    text = GOOD.replace(
        "  - {suite: occupations, lang: en, axis: gender}\n",
        "  - &p {suite: occupations, lang: &l en, axis: gender}\n"
        "  - {suite: descriptors, lang: *l, axis: gender}\n",
    )
    cfg = parse_config(text)
    assert [p.lang for p in cfg.probes] == ["en", "en"]
    # an alias whose content repeats a key is reported once, at the anchor's lines
    dup = GOOD.replace("{spec: default}", "&m {spec: default, spec: x}")
    with pytest.raises(ConfigError, match="duplicate key 'spec' twice on line 3") as info:
        parse_config(dup + "x: *m\n", Path("audit.yaml"))
    assert info.value.location.field == "model.spec"
    # a chain of aliases that would expand to 10**8 values is walked in linear time
    chain = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 9))
    with pytest.raises(ConfigError, match="unknown key 'l0'"):
        parse_config("l0: &l0 x\n" + chain + GOOD)


def test_a_metric_named_twice_is_an_error() -> None:
    # both would write findings with the same id (and overwrite each other's clusters.jsonl
    # rows, which baseline comparisons pair)
    text = GOOD.replace(
        "  - {name: association}\n",
        "  - {name: association}\n  - {name: association, params: {attribute_a: [x]}}\n",
    )
    with pytest.raises(ConfigError, match="metric 'association' is measured twice") as info:
        parse_config(text)
    assert (info.value.location.line, info.value.location.field) == (8, "metrics[1].name")


def test_a_gate_without_metric_is_an_error_when_several_metrics_are_measured() -> None:
    # one limit on findings in different units (probability points and logits) is meaningless
    text = (
        GOOD.replace("{name: association}", "{name: proba}\n  - {name: logit}")
        .replace("model: {spec: default}", "model: {spec: unused}")
        .replace("metric: association, ", "")
    )
    with pytest.raises(ConfigError, match="name its metric") as info:
        parse_config(text)
    assert (info.value.location.line, info.value.location.field) == (10, "gates[0].metric")
    parse_config(text.replace("{name: g,", "{name: g, metric: logit,"))  # named: fine


def test_a_yaml_boolean_where_a_string_is_expected_says_to_quote_it() -> None:
    text = GOOD.replace("lang: en", "lang: no")  # YAML 1.1 reads `no` as false
    with pytest.raises(ConfigError, match="quote it") as info:
        parse_config(text)
    assert info.value.location.field == "probes[0].lang"


def test_a_yaml_boolean_is_no_label_index() -> None:
    """``label: yes`` is True to YAML 1.1, and True is an int to Python: it passed the
    str-or-int check of a classifier label."""
    text = GOOD.replace("{name: association}", "{name: proba, params: {label: yes}}").replace(
        "metric: association", "metric: proba"
    )
    with pytest.raises(ConfigError, match="quote it") as info:
        parse_config(text)
    assert info.value.location.field == "metrics[0].params.label"
    assert parse_config(text.replace("label: yes", "label: 'yes'")).metrics[0].params == {
        "label": "yes"
    }
