"""The output folder of ``scan`` / ``rebalance``: written whole or not at all (a failed or
interrupted run leaves the previous outputs as they were), never over a field of the data,
never cut short by a closed standard output, and never read back as data by the next scan
of a folder it sits in."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from biasaudit.cli import app
from biasaudit.data import (
    LocalRunner,
    ScanConfig,
    ScanThresholds,
    plan_for,
    scan,
    scan_to_dir,
    write_flags,
)
from biasaudit.errors import BiasAuditWarning, InputError

runner = CliRunner()
TH = ScanThresholds(min_count=20)
OUTPUTS = {"flags.jsonl", "rebalanced.jsonl", "summary.json", "report.html"}


def _rows(n: int = 400, seed: int = 2, **extra: Any) -> list[dict[str, Any]]:
    """'mother' planted in label pos, so every run flags something."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        term = rng.choice(["mother", "father", "sister", "brother"])
        label = "pos" if rng.random() < (0.9 if term == "mother" else 0.5) else "neg"
        rows.append({"text": f"My {term} called today.", "label": label,
                     **{k: (v(i) if callable(v) else v) for k, v in extra.items()}})
    return rows


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry of ``folder`` (hidden ones included) with its bytes."""
    return {p.name: (p.read_bytes() if p.is_file() else b"<dir>") for p in folder.iterdir()}


def _args(data: Path, out: Path, *more: str) -> list[str]:
    return ["rebalance", str(data), "--label-field", "label", "--min-count", "20",
            "--out", str(out), *more]


# -- 1. a failed or interrupted run leaves the previous outputs whole ---------------------

def test_a_failed_rebalance_leaves_the_previous_outputs_whole(tmp_path: Path) -> None:
    """The user's run: a complete rebalance, then one that stops in pass 2 (a row with a
    ``weight`` field) into the same folder. flags.jsonl and rebalanced.jsonl were truncated
    while the old summary.json and report.html still claimed the old counts."""
    good = _jsonl(tmp_path / "train.jsonl", _rows())
    bad_rows = _rows(seed=5)
    bad_rows[249]["weight"] = 2.0  # line 250, found in the second pass
    bad = _jsonl(tmp_path / "w.jsonl", bad_rows)
    out = tmp_path / "o_wf"
    done = runner.invoke(app, _args(good, out))
    assert done.exit_code == 0, done.output
    before = _snapshot(out)
    assert set(before) == OUTPUTS
    failed = runner.invoke(app, _args(bad, out))
    assert failed.exit_code == 2, failed.output
    assert "line 250" in failed.output and "'weight'" in failed.output
    assert _snapshot(out) == before  # byte for byte, and no scratch files left behind
    # a first run that fails leaves no outputs at all
    fresh = tmp_path / "fresh"
    assert runner.invoke(app, _args(bad, fresh)).exit_code == 2
    assert not fresh.exists() or not any(fresh.iterdir())


def test_an_interrupted_rebalance_exits_130_and_leaves_the_previous_outputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during pass 2: 'interrupted' on stderr, exit 130, the folder as it was."""
    import biasaudit.data.scanner as scanner

    data = _jsonl(tmp_path / "train.jsonl", _rows())
    out = tmp_path / "o"
    assert runner.invoke(app, _args(data, out, "--method", "augment")).exit_code == 0
    before = _snapshot(out)

    def interrupt(chunk: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(scanner, "flag_chunk", interrupt)
    stopped = runner.invoke(app, _args(data, out, "--method", "augment"))
    assert stopped.exit_code == 130, stopped.output
    assert "interrupted" in stopped.stderr
    assert _snapshot(out) == before


def test_write_flags_and_scan_to_dir_replace_outputs_only_when_complete(tmp_path: Path
                                                                         ) -> None:
    """From Python too: an error after some chunks were written (small chunks) leaves the
    previous files; a complete run's summary names the final paths, not scratch ones."""
    config = ScanConfig(lang="en", label_field="label", chunk_rows=50)
    good = _jsonl(tmp_path / "train.jsonl", _rows())
    bad_rows = _rows()
    bad_rows[-1]["weight"] = 1.0
    bad = _jsonl(tmp_path / "bad" / "train.jsonl", bad_rows)
    out = tmp_path / "o"
    summary = scan_to_dir(good, config, out, thresholds=TH, method="reweigh")
    assert summary["rebalance"]["flags_file"] == str(out / "flags.jsonl")
    assert summary["rebalance"]["dataset_file"] == str(out / "rebalanced.jsonl")
    before = _snapshot(out)
    result = scan(bad, config, thresholds=TH)
    with pytest.raises(InputError, match="line 400, field 'weight'"):
        write_flags(bad, result, config, out, method="reweigh")
    with pytest.raises(InputError, match="line 400, field 'weight'"):
        scan_to_dir(bad, config, out, thresholds=TH, method="reweigh")
    assert _snapshot(out) == before
    report = write_flags(good, scan(good, config, thresholds=TH), config, tmp_path / "w",
                         method="reweigh")
    assert report.flags_path == tmp_path / "w" / "flags.jsonl"
    assert {p.name for p in (tmp_path / "w").iterdir()} == {"flags.jsonl", "rebalanced.jsonl"}


# -- 2. fields of the data are never overwritten ------------------------------------------

@pytest.mark.parametrize("method", ["reweigh", "augment", "substitute"])
def test_rebalance_refuses_to_overwrite_an_example_id_of_the_data(tmp_path: Path,
                                                                  method: str) -> None:
    """Every row's ``example_id`` became ``eid.jsonl:N``; now it is an InputError naming
    file, line and field, and ``--id-field example_id`` keeps the data's ids."""
    rows = _rows(example_id=lambda i: f"my-{i}")
    data = _jsonl(tmp_path / "eid.jsonl", rows)
    refused = runner.invoke(app, _args(data, tmp_path / "a", "--method", method))
    assert refused.exit_code == 2, refused.output
    message = " ".join(refused.output.split())
    assert "eid.jsonl, line 1, field 'example_id'" in message
    assert "--id-field example_id" in message
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())
    done = runner.invoke(app, _args(data, tmp_path / "b", "--method", method,
                                    "--id-field", "example_id"))
    assert done.exit_code == 0, done.output
    out = _read(tmp_path / "b" / "rebalanced.jsonl")
    originals = [r for r in out if "counterfactual_of" not in r]
    copies = [r for r in out if "counterfactual_of" in r]
    if method != "substitute":
        assert [r["example_id"] for r in originals] == [r["example_id"] for r in rows]
    else:
        assert len(out) == len(rows)
    if method != "reweigh":
        assert copies and all(r["counterfactual_of"].startswith("my-") for r in copies)
        assert all(r["example_id"].startswith(r["counterfactual_of"]) for r in copies)


@pytest.mark.parametrize("method", ["augment", "substitute"])
@pytest.mark.parametrize("name", ["counterfactual_of", "counterfactual_target",
                                  "counterfactual_axis", "counterfactual_edits"])
def test_augment_and_substitute_refuse_to_overwrite_counterfactual_fields(
        tmp_path: Path, method: str, name: str) -> None:
    rows = _rows()
    rows[6][name] = "orig"
    data = _jsonl(tmp_path / "cf.jsonl", rows)
    config = ScanConfig(lang="en", label_field="label")
    with pytest.raises(InputError, match=rf"cf\.jsonl, line 7, field '{name}'"):
        scan_to_dir(data, config, tmp_path / "o", thresholds=TH, method=method, html=False)
    # reweighing writes no counterfactual field: the data's is kept as it is
    scan_to_dir(data, config, tmp_path / "r", thresholds=TH, method="reweigh", html=False)
    assert _read(tmp_path / "r" / "rebalanced.jsonl")[6][name] == "orig"


def test_weights_never_go_into_a_field_the_tool_or_the_config_uses(tmp_path: Path) -> None:
    """``--weight-field example_id`` wrote the weights over the ids."""
    data = _jsonl(tmp_path / "train.jsonl", _rows(uid=lambda i: f"u{i}", split="train"))
    refused = runner.invoke(app, _args(data, tmp_path / "a", "--weight-field", "example_id"))
    assert refused.exit_code == 2, refused.output
    assert "--weight-field" in refused.output and "example_id" in refused.output
    assert not (tmp_path / "a").exists()  # refused before the scan
    config = ScanConfig(lang="en", label_field="label", id_field="uid", meta_fields=("split",))
    result = scan(data, config, thresholds=TH)
    for name in ("example_id", "text", "label", "uid", "split"):
        with pytest.raises(ValueError, match="weight_field"):
            plan_for(result, config, method="reweigh", weight_field=name)


def test_reweighing_an_augmented_dataset_with_its_ids(tmp_path: Path) -> None:
    """The documented follow-up: reweigh rebalanced.jsonl, whose rows carry example_id."""
    data = _jsonl(tmp_path / "train.jsonl", _rows())
    assert runner.invoke(app, _args(data, tmp_path / "a", "--method", "augment")).exit_code == 0
    augmented = tmp_path / "a" / "rebalanced.jsonl"
    again = runner.invoke(app, _args(augmented, tmp_path / "b", "--id-field", "example_id"))
    assert again.exit_code == 0, again.output
    before, after = _read(augmented), _read(tmp_path / "b" / "rebalanced.jsonl")
    assert [r["example_id"] for r in after] == [r["example_id"] for r in before]
    assert [r.get("counterfactual_of") for r in after] == \
        [r.get("counterfactual_of") for r in before]
    assert all("weight" in r for r in after)


# -- 3. a closed standard output ------------------------------------------------------------

def test_a_closed_stdout_never_stops_the_progress_bar_or_the_outputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``biasaudit rebalance big.jsonl ... | head`` in a terminal: the progress bar (shown
    because stderr is a terminal) was drawn on stdout, so the closed pipe ended the run
    with exit 1 before anything was written. It belongs on stderr."""
    import io

    class Closed(io.TextIOBase):
        writes = 0

        def write(self, text: str) -> int:
            Closed.writes += 1
            raise BrokenPipeError

        def flush(self) -> None:
            raise BrokenPipeError

        def fileno(self) -> int:
            raise io.UnsupportedOperation

    monkeypatch.setattr(os, "dup2", lambda *a: None)  # (leave pytest's own stdout alone)
    monkeypatch.setattr(sys, "stdout", Closed())
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    data = _jsonl(tmp_path / "train.jsonl", _rows())
    summary = scan_to_dir(data, ScanConfig(lang="en", label_field="label", chunk_rows=50),
                          tmp_path / "o", thresholds=TH, method="reweigh", html=False,
                          runner=LocalRunner(progress=True))
    assert Closed.writes == 0
    assert len(_read(tmp_path / "o" / "rebalanced.jsonl")) == summary["totals"]["examples"]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_scan_into_a_closed_pipe_from_a_terminal_exits_141_with_complete_outputs(
        tmp_path: Path) -> None:
    """The user's command, ``biasaudit scan ... | head -1`` in a terminal (stderr a tty,
    so the progress bar is on): exit 141, not 1 (``--fail-on-flags``: flags found), and
    every output written."""
    import pty

    data = _jsonl(tmp_path / "train.jsonl", _rows(n=2000))
    out = tmp_path / "o"
    master, slave = pty.openpty()
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.Popen([sys.executable, "-m", "biasaudit", "scan", str(data),
                             "--label-field", "label", "--min-count", "20", "--out",
                             str(out), "--fail-on-flags"],
                            stdout=write, stderr=slave, env=env)
    os.close(write)
    os.close(slave)
    stderr = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # (Linux: EIO once the child has closed the terminal)
            break
        if not chunk:
            break
        stderr += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 141, stderr.decode(errors="replace")
    assert b"Traceback" not in stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["totals"]["examples"] == 2000 and summary["flags"]
    assert {p.name for p in out.iterdir()} == {"flags.jsonl", "summary.json", "report.html"}


# -- 4. the output folder inside an input folder ---------------------------------------------

def test_a_scan_of_a_folder_skips_the_outputs_of_an_earlier_run_in_it(tmp_path: Path
                                                                      ) -> None:
    """``rebalance d --out d`` then ``scan d``: flags.jsonl, rebalanced.jsonl and
    summary.json were read as data (and with --format, report.html too)."""
    folder = tmp_path / "d"
    _jsonl(folder / "train.jsonl", _rows())
    first = runner.invoke(app, _args(folder, folder))
    assert first.exit_code == 0, first.output
    assert {p.name for p in folder.iterdir()} >= OUTPUTS
    first_summary = json.loads((folder / "summary.json").read_text())
    for extra in ([], ["--format", "jsonl"]):
        with pytest.warns(BiasAuditWarning, match="skipped .*flags.jsonl"):
            again = runner.invoke(app, _args(folder, folder, *extra))
        assert again.exit_code == 0, again.output
        summary = json.loads((folder / "summary.json").read_text())
        assert summary["config"]["files"] == ["train.jsonl"]
        assert summary["totals"] == first_summary["totals"] | {
            "seconds": summary["totals"]["seconds"]}
    assert len(_read(folder / "rebalanced.jsonl")) == 400
    # from Python: a warning naming what was skipped; a glob skips them too
    config = ScanConfig(lang="en", label_field="label")
    with pytest.warns(BiasAuditWarning, match="rebalanced.jsonl"):
        assert scan(folder, config, thresholds=TH).counts.examples == 400
    with pytest.warns(BiasAuditWarning, match="rebalanced.jsonl"):
        assert scan(str(folder / "*.jsonl"), config, thresholds=TH).counts.examples == 400
    # a file named on its own is read, output or not
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert scan(folder / "rebalanced.jsonl", config, thresholds=TH).counts.examples == 400


def test_a_csv_folder_holding_its_own_outputs_is_not_mixed_formats(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    lines = ["text,label"] + [f"{r['text']},{r['label']}" for r in _rows()]
    (folder / "train.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert runner.invoke(app, _args(folder, folder)).exit_code == 0
    with pytest.warns(BiasAuditWarning, match="skipped flags.jsonl, rebalanced.jsonl, summ"):
        again = runner.invoke(app, _args(folder, folder))
    assert again.exit_code == 0, again.output
    assert json.loads((folder / "summary.json").read_text())["config"]["files"] == ["train.csv"]


def test_a_summary_json_that_is_not_a_scanner_summary_is_data(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    _jsonl(folder / "summary.json", _rows(n=200))
    _jsonl(folder / "flags.jsonl", _rows(n=200, seed=4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = scan(folder, ScanConfig(lang="en", label_field="label"), thresholds=TH)
    assert result.counts.examples == 400
