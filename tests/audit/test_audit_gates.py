"""Gates as a release manager relies on them: every finding a gate selects is checked, and
anything a gate cannot check (NaN, an unpaired baseline comparison) fails it."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from test_audit_runner import CONFIG, is_female, model, noise

from biasaudit.audit import parse_config, run_audit
from biasaudit.audit.config import GateConfig
from biasaudit.audit.gates import evaluate
from biasaudit.audit.result import Finding
from biasaudit.models import CallableModel
from biasaudit.report import write_reports


@pytest.fixture(scope="module")
def finding() -> Finding:
    (f,) = run_audit(parse_config(CONFIG), model=model(0.0)).findings
    return f


@pytest.mark.parametrize("field", ["ci_low", "ci_high"])
def test_abs_bound_gate_fails_on_a_nan_bound(finding: Finding, field: str) -> None:
    # NaN > limit is False: a NaN bound passed the gate and could be reported as the worst
    nan = replace(finding, id="nan", **{field: math.nan})
    fine = replace(finding, id="fine", ci_low=-0.01, ci_high=0.01)
    for order in ([nan, fine], [fine, nan]):
        outcome = evaluate(GateConfig("g", max_abs_bound=0.05), order)
        assert not outcome.passed
        assert outcome.failing == ("nan",)
        assert "nan" in outcome.message


def test_regression_gate_fails_on_a_nan_bound(finding: Finding) -> None:
    section = {"paired": True, "pairing": "paired", "regression_ci_low": math.nan}
    fine = dict(section, regression_ci_low=-0.01)
    chosen = [replace(finding, id="nan", baseline=section), replace(finding, baseline=fine)]
    outcome = evaluate(GateConfig("g", max_regression=0.02), chosen)
    assert not outcome.passed and outcome.failing == ("nan",)


def test_regression_gate_against_itself_says_0_not_minus_0(finding: Finding) -> None:
    section = {"paired": True, "pairing": "paired", "regression_ci_low": -0.0}
    outcome = evaluate(GateConfig("g", max_regression=0.02), [replace(finding, baseline=section)])
    assert outcome.passed
    assert "since the baseline is 0 for" in outcome.message
    assert math.copysign(1.0, outcome.observed) == 1.0


def test_regression_gate_fails_when_one_selected_finding_cannot_be_paired(
    finding: Finding,
) -> None:
    paired = {"paired": True, "pairing": "paired", "regression_ci_low": -0.01}
    changed = {"paired": False, "pairing": "probes_differ", "note": "..."}
    chosen = [replace(finding, baseline=paired), replace(finding, id="pl", baseline=changed)]
    outcome = evaluate(GateConfig("g", max_regression=0.02), chosen)
    assert not outcome.passed
    assert outcome.failing == ("pl",)
    assert "cannot be paired" in outcome.message and "pl" in outcome.message
    # a finding the baseline does not have (a new probe source) cannot have regressed
    new = replace(finding, id="new", baseline=None)
    chosen = [replace(finding, baseline=paired), new]
    outcome = evaluate(GateConfig("g", max_regression=0.02), chosen)
    assert outcome.passed and "1 new finding" in outcome.message


def test_regression_gate_with_no_finding_in_the_baseline_says_so(finding: Finding) -> None:
    # e.g. the reference group changed, so every finding id changed
    gate, chosen = GateConfig("g", max_regression=0.02), [replace(finding, baseline=None)]
    outcome = evaluate(gate, chosen, with_baseline=True)
    assert not outcome.passed
    assert "none of them is in the baseline" in outcome.message
    assert "--baseline" not in outcome.message  # the user did pass one
    outcome = evaluate(gate, chosen)  # the first release: no baseline yet
    assert not outcome.passed and "run with --baseline" in outcome.message


def test_probe_file_edited_between_releases_fails_the_regression_gate(tmp_path: Path) -> None:
    """End to end: one source paired (no change), one whose texts changed (bias grew from 0
    to 0.3): the gate used to pass on the paired source alone."""
    jobs = ["teacher", "nurse", "engineer", "doctor", "pilot", "cleaner", "manager", "lawyer"]

    def texts(n: int) -> str:
        return "".join(
            json.dumps({"text": f"She works as a {jobs[i % 8]} in report {i}."}) + "\n"
            for i in range(n)
        )

    def biased(effect: float) -> CallableModel:
        def score(ts: list[str]) -> list[float]:
            return [0.5 + noise(t) + (effect if is_female(t) and "report" in t else 0) for t in ts]

        return CallableModel(score, name=f"e{effect}")

    text = (
        CONFIG.replace(
            "  - {suite: occupations, lang: en, axis: gender}\n",
            "  - {suite: occupations, lang: en, axis: gender}\n"
            "  - {input: texts.jsonl, lang: en, axis: gender}\n",
        )
    )
    path = tmp_path / "audit.yaml"
    (tmp_path / "texts.jsonl").write_text(texts(40), encoding="utf-8")
    write_reports(run_audit(parse_config(text, path), model=biased(0.0)), tmp_path / "old")
    (tmp_path / "texts.jsonl").write_text(texts(41), encoding="utf-8")
    from biasaudit.audit import load_baseline

    new = run_audit(
        parse_config(text, path),
        model=biased(0.3),
        baseline=load_baseline(tmp_path / "old" / "report.json"),
    )
    gate = {g.name: g for g in new.gates}["regression"]
    assert not gate.passed and new.exit_code == 1
    assert gate.failing == ("en/gender/input/proba/female-vs-male",)


def test_gate_lang_matches_an_alias_of_the_probes_language(finding: Finding) -> None:
    no = replace(finding, lang="no")
    assert evaluate(GateConfig("g", lang="nb", max_abs_bound=1.0), [no]).passed
    assert evaluate(GateConfig("g", lang="no", max_abs_bound=1.0), [replace(no, lang="nb")]).passed
    assert not evaluate(GateConfig("g", lang="pl", max_abs_bound=1.0), [no]).passed


def test_gate_that_selects_nothing_names_what_there_is(finding: Finding) -> None:
    outcome = evaluate(GateConfig("g", group="femal", max_abs_bound=1.0), [finding])
    assert not outcome.passed
    assert "selects no findings" in outcome.message
    assert "groups: female" in outcome.message
    assert "axes: gender" in outcome.message  # (it said "axiss")


def test_abs_bound_gate_fails_a_finding_with_too_few_clusters(finding: Finding) -> None:
    """Two clusters gave a CI of [0.0065, 0.014] (a bootstrap cannot be wider than the two
    differences' range) and passed a 0.05 gate: with fewer than 6 clusters no bound means
    anything at 95%, so the gate fails."""
    from biasaudit.audit.gates import min_clusters

    assert [min_clusters(c) for c in (0.9, 0.95, 0.99)] == [5, 6, 8]
    tight = dict(ci_low=0.0065, ci_high=0.014)
    small = replace(finding, id="small", n_clusters=2, **tight)
    enough = replace(finding, id="enough", n_clusters=6, **tight)
    outcome = evaluate(GateConfig("g", max_abs_bound=0.05), [small, enough])
    assert not outcome.passed and outcome.failing == ("small",)
    assert "too few clusters" in outcome.message and "at least 6" in outcome.message
    assert evaluate(GateConfig("g", max_abs_bound=0.05), [enough]).passed
