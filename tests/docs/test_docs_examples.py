"""The scripts and configs in examples/ run, and say what the docs say they do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import biasaudit
from biasaudit.audit import load_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run_example(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Run an example script with this interpreter and this checkout's package."""
    package_root = str(Path(biasaudit.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    env.pop("BIASAUDIT_LEXICON_PATH", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


def test_script_author_flags_the_planted_bias(tmp_path: Path) -> None:
    proc = run_example("examples/script_author.py", "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stderr  # the planted bias fails the gate
    out = proc.stdout
    assert "swap: He is a brilliant engineer and his team trusts him." in out
    assert "  female: My sister is a nurse." in out
    assert "en/gender/input/proba/female-vs-male: delta -0.1" in out
    assert "gate gender-gap: FAIL" in out
    assert "unsafe variant(s) skipped" in out
    for name in ("report.json", "report.html", "junit.xml", "summary.md"):
        assert (tmp_path / name).is_file(), name


def test_script_author_passes_without_the_bias() -> None:
    proc = run_example("examples/script_author.py", "--fair")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gate gender-gap: pass" in proc.stdout


def test_ci_release_gate_stops_a_regression_and_passes_a_fair_candidate(tmp_path: Path) -> None:
    proc = run_example("examples/ci_release_gate.py", "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    assert "== model-1.0: exit code 0" in proc.stdout
    assert "gate no-regression: FAIL" in proc.stdout
    assert "gate gender-gap-en: pass" in proc.stdout
    junit = (tmp_path / "candidate" / "junit.xml").read_text(encoding="utf-8")
    assert 'name="no-regression"' in junit and "GateFailed" in junit
    assert (tmp_path / "baseline" / "clusters.jsonl").is_file()

    fair = run_example("examples/ci_release_gate.py", "--bias", "0.01")
    assert fair.returncode == 0, fair.stdout + fair.stderr
    assert "gate no-regression: pass" in fair.stdout


def test_linguist_new_axis_lints_and_swaps() -> None:
    proc = run_example("examples/linguist_new_axis/run.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "lint: 1 lexicon file(s), 5 entries, 0 error(s)" in proc.stdout
    assert "gold: 6/6 exact" in proc.stdout
    assert "high: My neighbour is a high-income single parent." in proc.stdout


def test_release_config_is_valid_and_its_suites_exist() -> None:
    from biasaudit import probes

    config = load_config(EXAMPLES / "ci" / "release-audit.yaml")
    assert {g.name for g in config.gates} >= {"no-regression", "gender-gap-en"}
    assert any(g.max_regression is not None for g in config.gates)
    assert all(g.max_abs_bound is not None or g.max_regression is not None for g in config.gates)
    assert config.model.cache and ".biasaudit-cache" in config.model.cache
    for pc in config.probes:
        assert pc.suite is not None
        assert len(probes.build(lang=pc.lang, axis=pc.axis, suite=pc.suite).clusters) >= 60


def test_default_audit_config_is_valid() -> None:
    config = load_config(EXAMPLES / "default-audit.yaml")
    assert config.model.spec == "default"
    assert config.gates


def _steps(job: dict) -> str:
    return yaml.safe_dump(job)


def test_github_actions_job() -> None:
    workflow = yaml.safe_load((EXAMPLES / "ci" / "github-actions.yml").read_text("utf-8"))
    job = workflow["jobs"]["audit"]
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    uses = [step.get("uses", "") for step in job["steps"]]
    assert "biasaudit audit audit/release-audit.yaml" in runs and "--baseline" in runs
    assert "torch==2.13.0" in runs
    cache = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".biasaudit-cache"
    assert any(u.startswith("actions/upload-artifact") for u in uses)
    junit = next(s for s in job["steps"] if "junit" in s.get("uses", ""))
    assert junit["with"]["report_paths"] == "bias-report/junit.xml"
    # reports are uploaded even when the audit step fails on a gate
    for step in job["steps"]:
        if step.get("uses", "").startswith(("actions/upload-artifact", "mikepenz")):
            assert "!cancelled()" in step["if"]


def test_gitlab_ci_job() -> None:
    config = yaml.safe_load((EXAMPLES / "ci" / "gitlab-ci.yml").read_text("utf-8"))
    job = config["bias-audit"]
    script = "\n".join(job["script"])
    assert "biasaudit audit audit/release-audit.yaml" in script and "--baseline" in script
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == "bias-report/junit.xml"
    assert any(".biasaudit-cache/" in c["paths"] for c in job["cache"])


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.py")), ids=lambda p: p.name)
def test_examples_are_ruff_clean(path: Path) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed next to this interpreter")
    proc = subprocess.run(
        [str(ruff), "check", "--line-length", "100", str(path)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout
