"""The benchmark scripts run, on tiny inputs, and their correctness columns hold.

Timings are never asserted here (they live in the scripts' output and the docs); these runs
keep the scripts from rotting and check the figures that are not timings.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_benchmark(script: str, *args: str) -> str:
    """stdout of ``benchmarks/SCRIPT ARGS``, which must exit 0."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True, text=True, timeout=600, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_swap_throughput_engine_is_exact_on_gold_sets_and_beats_the_naive_loop() -> None:
    out = run_benchmark("swap_throughput.py", "--n", "300")
    rows = re.findall(r"^(\S+)\s+(biasaudit engine|naive regex loop.*?)\s+[\d,]+\s+([\d.]+)%$",
                      out, flags=re.M)
    accuracy = {(lang, approach.split()[0]): float(rate) for lang, approach, rate in rows}
    langs = {lang for lang, _ in accuracy}
    assert {"en", "vi", "nb", "nn", "pl"} <= langs, out
    for lang in langs:
        assert accuracy[lang, "biasaudit"] > accuracy[lang, "naive"], (lang, out)
        if lang != "en-wiki":  # hand-checked gold sentences: every one is right
            assert accuracy[lang, "biasaudit"] == 100.0, (lang, out)


def test_swap_throughput_vi_no_runs_each_configuration() -> None:
    out = run_benchmark("swap_throughput_vi_no.py", "--n", "50", "--only", "vi", "nb", "nn")
    assert re.findall(r"^(vi|nb|nn)\s+[\d,]+$", out, flags=re.M) == ["vi", "nb", "nn"], out


def test_scan_throughput_counts_agree_across_engines() -> None:
    pytest.importorskip("dask.distributed")
    out = run_benchmark("scan_throughput.py", "--mb", "1", "--naive-mb", "0.1")
    assert "identical counts across engines: True" in out, out
    assert "biasaudit on Dask, 2 workers" in out, out


def test_stats_speed_reports_both_implementations() -> None:
    out = run_benchmark("stats_speed.py", "--clusters", "50", "--resamples", "2000",
                        "--repeats", "1", "--skip-scipy-permutation")
    assert "ours paired_contrast" in out and "scipy.stats.bootstrap paired" in out, out


def test_plan_speed_plans_every_file_kind() -> None:
    out = run_benchmark("plan_speed.py", "--rows", "2000", "--jsonl-mb", "1")
    for kind in ("csv, \\n", "csv, all quoted", "jsonl, one line"):
        assert kind in out, out
