"""What a baseline comparison pairs, and where an audit's errors point.

* ``limit:`` is part of the probe content hash, so a run on a subset is not paired with a
  run on the whole source (and a ``max_regression`` gate fails instead of passing);
* a baseline's ``clusters.jsonl`` must match its report.json (cluster counts, means);
* out-of-range gate limits, and probe, label, capability and language errors name the
  config file, line and field;
* a damaged response cache is an input error (exit code 2), not an internal one.
"""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

import biasaudit
from biasaudit.audit import load_baseline, parse_config, run_audit
from biasaudit.audit.baseline import compare
from biasaudit.errors import ConfigError, InputError, Location
from biasaudit.models import CallableModel
from biasaudit.report import write_reports

CONFIG = """\
version: 1
name: integrity
model: {spec: unused}
probes:
  - {suite: occupations, lang: en, axis: gender}
metrics:
  - {name: proba}
reference: {gender: male}
gates:
  - {name: regression, metric: proba, max_regression: 0.0}
"""
ENGINE = biasaudit.engine("en", "gender")


def is_female(text: str) -> bool:
    return any("female" in m.groups for m in ENGINE.find(text))


def noise(text: str) -> float:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 2**32 * 0.1


def model(effect: float = 0.05) -> CallableModel:
    def score(texts: list[str]) -> list[float]:
        return [0.5 + noise(t) + (effect if is_female(t) else 0) for t in texts]

    return CallableModel(score, name=f"planted-{effect}")


def limited(n: int | None) -> str:
    if n is None:
        return CONFIG
    return CONFIG.replace("axis: gender}", f"axis: gender, limit: {n}}}")


# -- 1. limit is part of the probe hash -------------------------------------------------------
def test_a_limited_source_has_another_probe_hash_and_is_not_paired(tmp_path: Path) -> None:
    """The full ``occupations`` suite (72 clusters) and ``limit: 20`` had the same
    ``run.probe_hashes``: the comparison was "paired" over 20 clusters and
    ``max_regression: 0.0`` passed."""
    full = run_audit(parse_config(limited(None)), model=model())
    write_reports(full, tmp_path / "base")
    baseline = load_baseline(tmp_path / "base" / "report.json")
    cand = run_audit(parse_config(limited(20)), model=model(), baseline=baseline)
    name = "en/gender/occupations"
    assert cand.metadata["probe_sets"][name]["n_clusters"] == 20
    assert cand.metadata["probe_hashes"][name] != full.metadata["probe_hashes"][name]
    (f,) = cand.findings
    assert f.baseline["paired"] is False and f.baseline["pairing"] == "probes_differ"
    (gate,) = cand.gates
    assert not gate.passed and "different probes" in gate.message


def test_the_hash_of_a_limited_source_is_that_of_the_clusters_audited() -> None:
    from biasaudit import probes
    from biasaudit.audit.probesets import load_probe_rows

    def meta(n: int | None) -> dict:
        cfg = parse_config(limited(n))
        return load_probe_rows(cfg.probes[0], cfg, 0).metadata

    pset = probes.build(lang="en", axis="gender", suite="occupations", seed=0)
    assert meta(None)["hash"] == pset.content_hash()
    kept = replace(pset, clusters=pset.clusters[:20])
    assert meta(20)["hash"] == kept.content_hash() != pset.content_hash()
    assert meta(20)["hash"] != meta(21)["hash"]
    # a limit that keeps every cluster audits the same probes: the same hash
    assert meta(len(pset.clusters))["hash"] == meta(1000)["hash"] == pset.content_hash()


def test_same_limit_in_both_runs_still_pairs(tmp_path: Path) -> None:
    write_reports(run_audit(parse_config(limited(20)), model=model()), tmp_path / "base")
    baseline = load_baseline(tmp_path / "base" / "report.json")
    cand = run_audit(parse_config(limited(20)), model=model(), baseline=baseline)
    (f,) = cand.findings
    assert f.baseline["pairing"] == "paired" and f.baseline["n_clusters"] == 20
    assert f.baseline["change_ci_low"] <= f.baseline["change"] <= f.baseline["change_ci_high"]
    assert cand.gates[0].passed


def test_a_paired_change_lies_in_its_interval_or_is_not_paired(tmp_path: Path) -> None:
    """The change is Δ_new − Δ_old (docs/reading-reports.md); its interval is that of the
    mean paired difference. They can only disagree when the two runs' clusters differ, which
    identical probes rule out: a baseline whose clusters differ is an input error rather
    than a change paired on some of the clusters."""
    cfg = parse_config(CONFIG)
    write_reports(run_audit(cfg, model=model(0.05)), tmp_path / "base")
    baseline = load_baseline(tmp_path / "base" / "report.json")
    new = run_audit(cfg, model=model(0.08))
    (f,) = new.findings
    diffs = dict(new.cluster_diffs)
    kw = {"confidence": 0.95, "n_resamples": 2000, "seed": 0}
    hashes = new.metadata["probe_hashes"]
    (g,) = compare([f], diffs, hashes, baseline, **kw)
    assert g.baseline["change_ci_low"] <= g.baseline["change"] <= g.baseline["change_ci_high"]
    old_estimate = baseline["findings"][0]["estimate"]
    assert g.baseline["change"] == pytest.approx(f.estimate - old_estimate, abs=1e-12)
    # this run's clusters, but only 20 of them in the baseline's differences
    some = dict(list(baseline["_clusters"][f.id].items())[:20])
    with pytest.raises(InputError, match="20 cluster") as info:
        compare([f], diffs, hashes, {**baseline, "_clusters": {f.id: some}}, **kw)
    assert "72" in str(info.value)


# -- 2. the clusters sidecar must match its report --------------------------------------------
def _baseline_files(tmp_path: Path) -> tuple[Path, list[str]]:
    write_reports(run_audit(parse_config(CONFIG), model=model()), tmp_path / "base")
    path = tmp_path / "base" / "report.json"
    lines = (tmp_path / "base" / "clusters.jsonl").read_text(encoding="utf-8").splitlines()
    return path, lines


def test_a_partial_clusters_sidecar_is_an_error_naming_it(tmp_path: Path) -> None:
    path, lines = _baseline_files(tmp_path)
    side = path.parent / "clusters.jsonl"
    side.write_text("\n".join(lines[:28]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"28 cluster.*n_clusters 72") as info:
        load_baseline(path)
    assert info.value.location.path == side
    assert "en/gender/occupations/proba/female-vs-male" in str(info.value)


def test_an_empty_clusters_sidecar_is_an_error(tmp_path: Path) -> None:
    path, _ = _baseline_files(tmp_path)
    (path.parent / "clusters.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="0 cluster"):
        load_baseline(path)


def test_a_sidecar_of_another_report_is_an_error(tmp_path: Path) -> None:
    path, lines = _baseline_files(tmp_path)
    other = [json.loads(x) for x in lines]
    for row in other:
        row["diff"] += 0.01  # the same clusters, another model's differences
    side = path.parent / "clusters.jsonl"
    side.write_text("".join(json.dumps(r) + "\n" for r in other), encoding="utf-8")
    with pytest.raises(InputError, match=r"mean .* estimate") as info:
        load_baseline(path)
    assert info.value.location.path == side


def test_a_sidecar_row_given_twice_or_of_an_unknown_finding_is_an_error(tmp_path: Path) -> None:
    path, lines = _baseline_files(tmp_path)
    side = path.parent / "clusters.jsonl"
    side.write_text("\n".join([*lines, lines[3]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="given twice") as info:
        load_baseline(path)
    assert (info.value.location.path, info.value.location.line) == (side, len(lines) + 1)
    stray = json.dumps({"finding": "en/gender/other/proba/female-vs-male", "cluster": "c",
                        "diff": 0.0})
    side.write_text("\n".join([*lines, stray]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not have") as info:
        load_baseline(path)
    assert (info.value.location.path, info.value.location.line) == (side, len(lines) + 1)


def test_a_matching_sidecar_is_read(tmp_path: Path) -> None:
    path, lines = _baseline_files(tmp_path)
    baseline = load_baseline(path)
    (fid,) = baseline["_clusters"]
    assert len(baseline["_clusters"][fid]) == len(lines) == 72


def test_a_partial_sidecar_is_exit_code_2_on_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from biasaudit.cli.app import app

    path, lines = _baseline_files(tmp_path)
    (path.parent / "clusters.jsonl").write_text("\n".join(lines[:28]) + "\n", encoding="utf-8")
    monkeypatch.setattr("biasaudit.models.load_model", lambda spec, **options: model())
    cfg = tmp_path / "audit.yaml"
    cfg.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["audit", str(cfg), "-o", str(tmp_path / "new"), "--baseline", str(path)]
    )
    assert result.exit_code == 2, result.output
    assert "clusters.jsonl" in "".join(result.output.split())


# -- 3. a damaged response cache is exit code 2 -----------------------------------------------
def _cache_config(tmp_path: Path) -> Path:
    cfg = tmp_path / "audit.yaml"
    text = CONFIG.replace("{spec: unused}", "{spec: unused, cache: c.sqlite}")
    cfg.write_text(text, encoding="utf-8")
    return cfg


@pytest.mark.parametrize("damage", ["file", '["trunc', "42"])
def test_a_damaged_cache_is_exit_code_2_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    from typer.testing import CliRunner

    from biasaudit.cli.app import app

    monkeypatch.setattr(
        "biasaudit.models.load_model",
        lambda spec, cache=None, **options: CallableModel(
            lambda ts: [[0.5, 0.5] for _ in ts], name="m", cache=cache
        ),
    )
    cfg = _cache_config(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "a")])
    assert first.exit_code == 1, first.output  # the regression gate: no baseline
    gc.collect()  # close the first run's connection
    cache = tmp_path / "c.sqlite"
    if damage == "file":
        cache.write_bytes(b"this is not a database" * 100)
        for extra in ("c.sqlite-wal", "c.sqlite-shm"):
            (tmp_path / extra).unlink(missing_ok=True)
    else:
        conn = sqlite3.connect(cache)
        (key,) = conn.execute("SELECT key FROM responses ORDER BY key LIMIT 1").fetchone()
        conn.execute("UPDATE responses SET value = ? WHERE key = ?", (damage, key))
        conn.commit()
        conn.close()
    result = runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "b")])
    out = "".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "internalerror" not in out and "c.sqlite" in out
    if damage != "file":
        assert key in out


# -- 4. out-of-range gate limits --------------------------------------------------------------
@pytest.mark.parametrize(
    ("gate", "field", "rule"),
    [
        ("{name: g, max_abs_bound: -0.05}", "max_abs_bound", "positive"),
        ("{name: g, max_abs_bound: 0}", "max_abs_bound", "positive"),
        ("{name: g, max_regression: -0.01}", "max_regression", "at least 0"),
        ("{name: g, max_abs_bound: 0.05, max_regression: -1}", "max_regression", "at least 0"),
    ],
)
def test_out_of_range_gate_limits_name_file_line_and_field(
    gate: str, field: str, rule: str
) -> None:
    text = CONFIG.replace("{name: regression, metric: proba, max_regression: 0.0}", gate)
    with pytest.raises(ConfigError, match=f"{field} must be {rule}") as info:
        parse_config(text, Path("audit.yaml"))
    assert info.value.location == Location(Path("audit.yaml"), 10, f"gates[0].{field}")


def test_a_zero_regression_limit_is_accepted() -> None:
    assert parse_config(CONFIG).gates[0].max_regression == 0.0


# -- 5. errors name the config location and the cause -----------------------------------------
def _input_config(tmp_path: Path, name: str, content: str) -> tuple[Path, str]:
    (tmp_path / name).write_text(content, encoding="utf-8")
    text = CONFIG.replace("{suite: occupations,", f"{{input: {name},")
    return tmp_path / "a.yaml", text


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("h.csv", "text\n", "has no rows"),
        ("e.txt", "", "has no rows"),
        ("n.txt", "The sky is blue.\nIt rained.\n", "none of its 2 rows mentions"),
        ("u.txt", "He met her.\nShe saw him.\n", "all 4 variants are unsafe"),
    ],
)
def test_a_source_with_no_usable_probes_says_why_and_where(
    tmp_path: Path, name: str, content: str, why: str
) -> None:
    path, text = _input_config(tmp_path, name, content)
    with pytest.raises(ConfigError, match=why) as info:
        run_audit(parse_config(text, path), model=model())
    assert info.value.location == Location(path, 5, "probes[0].input")
    assert "en/gender/input" in str(info.value)
    if name == "u.txt":  # the most common reason is given
        assert "several groups" in str(info.value)


@pytest.mark.parametrize(
    ("metric", "field", "match"),
    [
        ("{name: proba, params: {label: postive}}", "metrics[0].params.label", "no label"),
        ("{name: loglik}", "metrics[0].name", "does not support"),
    ],
)
def test_what_the_model_cannot_give_names_the_metric(
    metric: str, field: str, match: str
) -> None:
    classifier = CallableModel(
        lambda ts: [[0.5, 0.5] for _ in ts], name="m", labels=("negative", "positive")
    )
    text = CONFIG.replace("{name: proba}", metric).replace("metric: proba, ", "")
    with pytest.raises(ConfigError, match=match) as info:
        run_audit(parse_config(text, Path("a.yaml")), model=classifier)
    assert info.value.location == Location(Path("a.yaml"), 7, field)


def test_a_label_the_model_learns_late_names_the_metric() -> None:
    """A plain callable learns its labels from its first answer: the label is checked
    after inference, and still names the config key."""
    text = CONFIG.replace("{name: proba}", "{name: proba, params: {label: '7'}}")
    with pytest.raises(ConfigError, match="label") as info:
        run_audit(parse_config(text, Path("a.yaml")), model=CallableModel(
            lambda ts: [[0.5, 0.5] for _ in ts], name="m"))
    assert info.value.location == Location(Path("a.yaml"), 7, "metrics[0].params.label")


@pytest.mark.parametrize("source", ["suite: occupations", "input: t.txt"])
def test_an_unknown_language_is_named_as_such(tmp_path: Path, source: str) -> None:
    (tmp_path / "t.txt").write_text("She was kind.\n", encoding="utf-8")
    path = tmp_path / "a.yaml"
    text = CONFIG.replace("suite: occupations, lang: en", f"{source}, lang: xx")
    with pytest.raises(ConfigError, match="unknown language 'xx'") as info:
        run_audit(parse_config(text, path), model=model())
    assert info.value.location == Location(path, 5, "probes[0].lang")
    assert "known: en, nb, nn, pl, vi" in str(info.value)
