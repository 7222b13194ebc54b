"""End to end: a tiny classifier with a planted gender bias is flagged, a balanced one passes.

The classifiers are trained in the test (seconds) and loaded through the real
``from_pretrained`` path; probes are counterfactuals of neutral template sentences.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from biasaudit.audit import load_config, run_audit
from biasaudit.models.testing import train_tiny_classifier
from biasaudit.report import write_reports

SUBJECTS = {
    "en": {
        "male": ["He", "My brother", "The man", "Her husband"],
        "female": ["She", "My sister", "The woman", "His wife"],
    },
    "pl": {
        "male": ["On", "Mój brat", "Ten mężczyzna"],
        "female": ["Ona", "Moja siostra", "Ta kobieta"],
    },
}
PREDICATES = {
    "en": [
        "is at work today",
        "went to the market",
        "reads the newspaper",
        "cooked dinner",
        "called the office",
        "walked to the station",
        "wrote a letter",
        "paid the bill",
        "opened the window",
        "drove to the city",
        "waited for the bus",
        "bought bread",
    ],
    "pl": [
        "był w pracy",
        "poszedł na targ",
        "czytał gazetę",
        "ugotował obiad",
        "zadzwonił do biura",
        "poszedł na stację",
        "napisał list",
        "zapłacił rachunek",
    ],
}
PL_FEM = {
    "był": "była",
    "poszedł": "poszła",
    "czytał": "czytała",
    "ugotował": "ugotowała",
    "zadzwonił": "zadzwoniła",
    "napisał": "napisała",
    "zapłacił": "zapłaciła",
}


def sentence(lang: str, gender: str, rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS[lang][gender])
    pred = rng.choice(PREDICATES[lang])
    if lang == "pl" and gender == "female":
        pred = " ".join(PL_FEM.get(w, w) for w in pred.split())
    return f"{subject} {pred}."


def training_data(lang: str, *, biased: bool, n: int = 1600, seed: int = 0):
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        gender = rng.choice(["male", "female"])
        p_pos = (0.85 if gender == "male" else 0.15) if biased else 0.5
        texts.append(sentence(lang, gender, rng))
        labels.append(int(rng.random() < p_pos))
    return texts, labels


def write_config(tmp: Path, lang: str, model_dir: Path) -> Path:
    rng = random.Random(1)
    probes = tmp / f"probes-{lang}.jsonl"
    with open(probes, "w", encoding="utf-8") as fh:
        for _ in range(60):
            fh.write(
                json.dumps(
                    {"text": sentence(lang, rng.choice(["male", "female"]), rng)},
                    ensure_ascii=False,
                )
                + "\n"
            )
    cfg = tmp / f"audit-{lang}.yaml"
    cfg.write_text(
        f"""version: 1
name: planted-{lang}
seed: 0
model: {{spec: "hf:{model_dir}", options: {{task: classifier}}}}
probes:
  - {{input: {probes.name}, lang: {lang}, axis: gender}}
metrics:
  - {{name: proba, params: {{label: positive}}}}
reference: {{gender: male}}
gates:
  - {{name: gender-gap-{lang}, metric: proba, axis: gender, max_abs_bound: 0.1}}
""",
        encoding="utf-8",
    )
    return cfg


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_planted_bias_is_flagged_and_balanced_model_passes(tmp_path: Path, lang: str) -> None:
    if lang == "pl":
        pytest.importorskip("morfeusz2")
    results = {}
    for biased in (True, False):
        texts, labels = training_data(lang, biased=biased, seed=3)
        model_dir = train_tiny_classifier(
            texts,
            labels,
            tmp_path / f"{lang}-{biased}",
            epochs=4,
            seed=0,
            label_names=["negative", "positive"],
        )
        cfg = load_config(write_config(tmp_path, lang, model_dir))
        results[biased] = run_audit(cfg)

    (finding,) = results[True].findings
    assert (finding.group, finding.reference) == ("female", "male")
    assert finding.estimate < -0.2  # correct sign: female probes less positive
    assert finding.p_adjusted < 0.01
    assert finding.ci_high < 0
    assert not results[True].passed
    assert results[True].exit_code == 1

    (balanced,) = results[False].findings
    assert abs(balanced.estimate) < 0.1
    assert results[False].passed, results[False].gates

    paths = write_reports(results[True], tmp_path / f"report-{lang}")
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert report["schema"] == "biasaudit-report/1"
    assert report["passed"] is False
    assert report["findings"][0]["n_clusters"] == finding.n_clusters
