"""Inputs cut to fit a model's context: a finding whose swapped words the model never saw is
not measurable, and its gates fail closed instead of passing on Δ = 0, CI [0, 0]."""

from __future__ import annotations

import hashlib
import json
import math
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from biasaudit.audit import parse_config, run_audit
from biasaudit.audit.config import GateConfig
from biasaudit.audit.gates import evaluate
from biasaudit.errors import TruncationWarning
from biasaudit.models import CallableModel

PAD = "word " * 200


def cutting_model(limit: int) -> CallableModel:
    """A stand-in for a model with a context of ``limit`` characters: it reads only the start
    of each text (scored by a hash of it) and warns when it cut one, as the HF adapters do."""

    def score(texts: list[str]) -> list[float]:
        cut = sum(len(t) > limit for t in texts)
        if cut:
            warnings.warn(
                f"{cut} of {len(texts)} text(s) were cut to fit", TruncationWarning, stacklevel=2
            )
        return [int(hashlib.sha256(t[:limit].encode()).hexdigest()[:6], 16) / 2**24 for t in texts]

    return CallableModel(score, name=f"cut-at-{limit}")


def write_texts(tmp_path: Path, long: int, short: int) -> Path:
    """``long`` texts with the pronoun after 1000 characters, ``short`` with it at the start."""
    rows = [f"{PAD}and then he left, number {i}." for i in range(long)]
    rows += [f"He left early, number {i}." for i in range(short)]
    path = tmp_path / "texts.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in rows), encoding="utf-8")
    return path


def config(texts: Path, gates: str = "  - {name: g, max_abs_bound: 0.05}\n") -> str:
    return f"""\
version: 1
model: {{spec: unused}}
probes:
  - {{input: {texts}, lang: en, axis: gender}}
metrics:
  - {{name: proba}}
reference: {{gender: male}}
gates:
{gates}"""


def test_every_swap_past_the_cut_fails_the_gate(tmp_path: Path) -> None:
    cfg = parse_config(config(write_texts(tmp_path, long=10, short=0)))
    result = run_audit(cfg, model=cutting_model(200))
    (f,) = result.findings
    assert f.estimate == 0 and f.ci_low == f.ci_high == 0  # what the model saw: no difference
    assert f.not_measurable and "cut" in f.not_measurable
    (gate,) = result.gates
    assert not gate.passed and gate.failing == (f.id,)
    assert "not measurable" in gate.message and "cut" in gate.message
    assert result.exit_code == 1
    assert any(f.id in w and "not measurable" in w for w in result.warnings)
    # its advice is about the cut, not "add probes" (more cut probes would not help)
    assert not any("zero width" in w for w in result.warnings)


def test_a_regression_gate_also_fails_on_a_finding_not_measured(tmp_path: Path) -> None:
    cfg = parse_config(config(write_texts(tmp_path, long=10, short=0)))
    (f,) = run_audit(cfg, model=cutting_model(200)).findings
    paired = {"paired": True, "pairing": "paired", "regression_ci_low": -0.01}
    outcome = evaluate(GateConfig("r", max_regression=0.02), [replace(f, baseline=paired)])
    assert not outcome.passed and outcome.failing == (f.id,)
    assert "not measurable" in outcome.message
    fine = replace(f, baseline=paired, not_measurable=None)
    assert evaluate(GateConfig("r", max_regression=0.02), [fine]).passed


def test_a_model_that_saw_every_swap_is_measured(tmp_path: Path) -> None:
    """The same model on texts it reads whole: no cut, a real (here random) difference."""
    cfg = parse_config(config(write_texts(tmp_path, long=0, short=10)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncationWarning)
        (f,) = run_audit(cfg, model=cutting_model(200)).findings
    assert f.not_measurable is None and f.estimate != 0


def test_exact_zeros_without_a_cut_are_a_measurement(tmp_path: Path) -> None:
    """A model that does not depend on the swapped word at all is fair, not blind: with no
    cut reported its zeros pass the gate."""
    cfg = parse_config(config(write_texts(tmp_path, long=0, short=10)))
    result = run_audit(cfg, model=CallableModel(lambda ts: [0.5] * len(ts)))
    (f,) = result.findings
    assert f.not_measurable is None and f.estimate == 0
    assert result.gates[0].passed


def test_some_clusters_past_the_cut_are_a_warning(tmp_path: Path) -> None:
    cfg = parse_config(config(write_texts(tmp_path, long=4, short=10)))
    result = run_audit(cfg, model=cutting_model(200))
    (f,) = result.findings
    assert f.not_measurable is None
    (w,) = [w for w in result.warnings if "4 of 14 clusters" in w]
    assert f.id in w and "cut" in w


def test_a_cut_tiny_classifier_is_not_measurable(tmp_path: Path) -> None:
    """The user's report: ~200-word texts with he/she at the end, a model of 16 tokens."""
    pytest.importorskip("transformers")
    from biasaudit.models.testing import build_tiny_classifier

    model_dir = build_tiny_classifier(tmp_path / "clf")
    texts = write_texts(tmp_path, long=10, short=0)
    text = config(texts).replace(
        "{spec: unused}", f'{{spec: "hf:{model_dir}", options: {{max_length: 16}}}}'
    )
    cut = run_audit(
        parse_config(text.replace("{name: proba}", "{name: proba, params: {label: pos}}"))
    )
    (f,) = cut.findings
    assert f.not_measurable and not cut.gates[0].passed and cut.exit_code == 1
    # read whole (the model's 128 tokens hold the short texts), the same model is measured
    whole = parse_config(
        config(write_texts(tmp_path, long=0, short=10))
        .replace("{spec: unused}", f'{{spec: "hf:{model_dir}"}}')
        .replace("{name: proba}", "{name: proba, params: {label: pos}}")
    )
    (g,) = run_audit(whole).findings
    assert g.not_measurable is None and not math.isclose(g.estimate, 0, abs_tol=1e-9)
