"""``biasaudit scan`` / ``rebalance`` on the command line: outputs, exit codes, errors."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from biasaudit.cli import app

runner = CliRunner()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    rng = random.Random(2)
    rows = []
    for _ in range(400):
        term = rng.choice(["mother", "father", "sister", "brother"])
        label = "pos" if rng.random() < (0.9 if term == "mother" else 0.5) else "neg"
        rows.append(json.dumps({"body": f"My {term} called today.", "y": label,
                                "split": rng.choice(["train", "dev"])}))
    rows.insert(10, '{"body": 3, "y": "pos"}')
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_scan_writes_outputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["scan", str(corpus), "--lang", "en", "--text-field", "body",
                                 "--label-field", "y", "--meta-field", "split", "--out",
                                 str(out), "--min-count", "20"])
    assert result.exit_code == 0, result.output
    assert "400 examples, 1 bad record(s)" in result.stdout
    assert "'mother' → 'pos'" in result.stdout
    assert {p.name for p in out.iterdir()} == {"flags.jsonl", "summary.json", "report.html"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["bad_records"]["wrong_type"]["first"][0]["line"] == 11
    failing = runner.invoke(app, ["scan", str(corpus), "--text-field", "body", "--label-field",
                                  "y", "--out", str(out), "--min-count", "20",
                                  "--fail-on-flags"])
    assert failing.exit_code == 1


def test_scan_strict_and_bad_input_exit_2(corpus: Path, tmp_path: Path) -> None:
    strict = runner.invoke(app, ["scan", str(corpus), "--text-field", "body", "--out",
                                 str(tmp_path / "o"), "--strict"])
    assert strict.exit_code == 2
    assert "line 11" in strict.output and "field 'body'" in strict.output
    bad_lang = runner.invoke(app, ["scan", str(corpus), "--lang", "xx", "--out",
                                   str(tmp_path / "o")])
    assert bad_lang.exit_code == 2 and "no lexicon" in bad_lang.output
    missing = runner.invoke(app, ["scan", str(tmp_path / "nope.jsonl"), "--out",
                                  str(tmp_path / "o")])
    assert missing.exit_code == 2 and "no data files" in missing.output
    bad_engine = runner.invoke(app, ["scan", str(corpus), "--out", str(tmp_path / "o"),
                                     "--engine", "spark"])
    assert bad_engine.exit_code == 2


@pytest.mark.parametrize("method", ["reweigh", "augment", "substitute"])
def test_rebalance_methods(corpus: Path, tmp_path: Path, method: str) -> None:
    out = tmp_path / method
    result = runner.invoke(app, ["rebalance", str(corpus), "--text-field", "body",
                                 "--label-field", "y", "--out", str(out), "--method", method,
                                 "--min-count", "20"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in (out / "rebalanced.jsonl").read_text().splitlines()]
    if method == "reweigh":
        assert len(rows) == 400 and all("weight" in r for r in rows)
    elif method == "augment":
        assert len(rows) > 400
        assert all(r["split"] for r in rows)
    else:
        assert len(rows) == 400
        assert any("counterfactual_of" in r for r in rows)


def test_rebalance_rejects_unknown_method(corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["rebalance", str(corpus), "--out", str(tmp_path),
                                 "--method", "massage"])
    assert result.exit_code == 2
    assert "reweigh, augment, substitute" in result.output


def test_scan_on_dask_scheduler_address(corpus: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    args = ["scan", str(corpus), "--text-field", "body", "--label-field", "y",
            "--min-count", "20"]
    local = runner.invoke(app, [*args, "--out", str(tmp_path / "local")])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=":0") as cluster:
        dask = runner.invoke(app, [*args, "--out", str(tmp_path / "dask"), "--engine", "dask",
                                   "--scheduler", cluster.scheduler_address])
    assert dask.exit_code == 0, dask.output
    def report(text: str) -> str:
        return text.split("wrote ")[0]  # all but the output paths

    assert report(dask.stdout) == report(local.stdout)
    assert (tmp_path / "dask" / "flags.jsonl").read_text() == \
        (tmp_path / "local" / "flags.jsonl").read_text()


def test_rebalance_weights_of_data_with_a_weight_field(tmp_path: Path) -> None:
    """Data with its own ``weight`` column: reweighing refuses to overwrite it (exit 2,
    naming the file, line and field) and writes to the field ``--weight-field`` names."""
    rows = [{"text": f"My {t} called.", "y": y, "weight": 2.5}
            for t, y in [("mother", "pos")] * 30 + [("father", "neg")] * 30
            + [("mother", "neg")] * 5 + [("father", "pos")] * 5]
    path = tmp_path / "w.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    args = ["rebalance", str(path), "--label-field", "y", "--min-count", "5"]
    refused = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert refused.exit_code == 2, refused.output
    assert "line 1" in refused.output and "'weight'" in refused.output
    assert "--weight-field" in " ".join(refused.output.split())  # the CLI's name for it
    done = runner.invoke(app, [*args, "--out", str(tmp_path / "b"), "--weight-field", "kc"])
    assert done.exit_code == 0, done.output
    out = [json.loads(x) for x in (tmp_path / "b" / "rebalanced.jsonl").read_text().splitlines()]
    assert len(out) == len(rows) and {r["weight"] for r in out} == {2.5}
    # Kamiran–Calders: P(g) P(y) / P(g, y) = 35 · 35 / (70 · n(g, y))
    assert {round(r["kc"], 6) for r in out} == {round(35 * 35 / (70 * n), 6) for n in (30, 5)}


def test_out_of_range_thresholds_exit_2(corpus: Path, tmp_path: Path) -> None:
    for option, value in [("--max-weight", "0"), ("--alpha", "5")]:
        result = runner.invoke(app, ["rebalance", str(corpus), "--text-field", "body",
                                     "--label-field", "y", "--out", str(tmp_path / "o"),
                                     option, value])
        assert result.exit_code == 2, (option, result.output)
        assert option.lstrip("-").replace("-", "_") in result.output
