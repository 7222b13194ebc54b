"""Report writers: JSON schema and sidecars, escaped HTML (checked in headless Chromium),
JUnit XML and the Markdown summary."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from biasaudit.audit.result import AuditResult, Finding, GateOutcome
from biasaudit.report import markdown_summary, report_dict, write_reports
from biasaudit.report.html import highlight

EVIL = '<script>document.title="pwned"</script><img src=x onerror="document.title=1">'


def finding(**kw) -> Finding:
    base = dict(
        id="en/gender/input/proba/female-vs-male",
        probe_set="en/gender/input",
        lang="en",
        axis="gender",
        metric="proba",
        description="P(positive)",
        units="probability",
        group="female",
        reference="male",
        estimate=-0.31,
        ci_low=-0.4,
        ci_high=-0.2,
        confidence=0.95,
        ci_method="bca",
        p_value=0.0001,
        p_adjusted=0.0001,
        adjust_method="holm",
        family="en/gender/input/proba",
        test="sign-flip",
        cohens_dz=-1.2,
        rank_biserial=-0.9,
        mean_group=0.3,
        mean_reference=0.61,
        sd_diff=0.2,
        n_clusters=60,
        n_clusters_dropped=0,
        n_probes=120,
        unsafe_skipped=1,
        mde=0.07,
    )
    base.update(kw)
    return Finding(**base)


@pytest.fixture()
def result() -> AuditResult:
    f = finding()
    g = finding(
        id="pl/gender/input/proba/female-vs-male",
        lang="pl",
        estimate=0.01,
        ci_low=-0.02,
        ci_high=0.04,
        p_value=0.5,
        p_adjusted=0.5,
        cohens_dz=float("nan"),
    )
    gates = (
        GateOutcome("gap-en", False, "upper 95% bound of |Δ| is 0.4", (f.id,), (f.id,), 0.1, 0.4),
        GateOutcome("gap-pl", True, "upper 95% bound of |Δ| is 0.04", (g.id,), (), 0.1, 0.04),
    )
    records = (
        {
            "probe_set": f.probe_set,
            "cluster": "c1",
            "group": "male",
            "text": "He said " + EVIL,
            "edits": [],
            "metric": "proba",
            "value": 0.9,
        },
        {
            "probe_set": f.probe_set,
            "cluster": "c1",
            "group": "female",
            "text": "She said " + EVIL,
            "edits": [[0, 2, "He", "She"]],
            "metric": "proba",
            "value": 0.2,
        },
    )
    meta = {
        "model": {"name": "tiny <b>model</b>", "fingerprint": "abc", "spec": "hf:x"},
        "probe_sets": {
            f.probe_set: {"hash": "sha256:00", "n_clusters": 60, "n_probes": 120, "lexicons": []}
        },
        "probe_hashes": {f.probe_set: "sha256:00"},
        "lexicons": ["en-gender@1"],
        "seed": 0,
        "statistics": {"n_resamples": 2000},
        "library_version": "0.1.0",
        "created": "2026-11-25T00:00:00+00:00",
        "cache": None,
    }
    return AuditResult(
        "release <x>",
        meta,
        (f, g),
        gates,
        gaps=(
            {
                "family": "en/x/proba",
                "statistic": "range",
                "observed": 0.3,
                "null_mean": 0.1,
                "null_quantile_95": 0.2,
                "p_value": 0.001,
                "excess": 0.2,
                "n_clusters": 60,
            },
        ),
        warnings=("1 unsafe variant skipped",),
        records=records,
        cluster_diffs={f.id: {"c1": -0.7}, g.id: {"c1": 0.01}},
    )


def test_json_schema_sidecars_and_nan(tmp_path: Path, result: AuditResult) -> None:
    paths = write_reports(result, tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["schema"] == "biasaudit-report/1"
    assert data["passed"] is False
    assert data["summary"] == {"findings": 2, "significant": 1, "gates": 2, "gates_failed": 1}
    assert data["findings"][1]["cohens_dz"] is None  # NaN is written as null
    assert set(data["findings"][0]) >= {
        "estimate",
        "ci_low",
        "ci_high",
        "p_value",
        "p_adjusted",
        "cohens_dz",
        "n_clusters",
        "n_probes",
        "unsafe_skipped",
        "lang",
        "axis",
        "group",
        "metric",
    }
    records = (tmp_path / data["files"]["records"]).read_text(encoding="utf-8").splitlines()
    assert len(records) == 2
    clusters = [json.loads(x) for x in (tmp_path / "clusters.jsonl").read_text().splitlines()]
    assert {"finding": result.findings[0].id, "cluster": "c1", "diff": -0.7} in clusters
    assert report_dict(result)["run"]["model"]["name"] == "tiny <b>model</b>"
    assert data["gaps"][0]["null_mean"] == 0.1
    assert data["warnings"] == ["1 unsafe variant skipped"]


def test_html_escapes_model_and_probe_text(tmp_path: Path, result: AuditResult) -> None:
    html = write_reports(result, tmp_path)["html"].read_text(encoding="utf-8")
    assert "<script>document.title" not in html
    assert "&lt;script&gt;document.title" in html
    assert "tiny &lt;b&gt;model&lt;/b&gt;" in html
    assert "<mark>She</mark>" in html
    assert 'id="status">gate failed' in html


def test_highlight_maps_source_offsets_to_variant_text() -> None:
    edits = [[0, 2, "He", "She"], [7, 10, "his", "her"]]
    assert highlight("She met her dad", edits) == [
        ("She", True),
        (" met ", False),
        ("her", True),
        (" dad", False),
    ]
    assert highlight("unrelated", edits) == [("unrelated", False)]


def test_junit_has_one_case_per_gate(tmp_path: Path, result: AuditResult) -> None:
    path = write_reports(result, tmp_path)["junit"]
    root = ET.parse(path).getroot()
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["gap-en", "gap-pl"]
    assert cases[0].find("failure") is not None
    assert cases[1].find("failure") is None
    assert root.get("failures") == "1"


def test_markdown_summary(result: AuditResult) -> None:
    md = markdown_summary(result)
    assert "❌ gate failed" in md
    assert "| gap-en | **fail** |" in md
    assert "[-0.4, -0.2]" in md


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed")
def test_html_report_in_headless_chromium(tmp_path: Path, result: AuditResult) -> None:
    html = write_reports(result, tmp_path / "r")["html"]
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [_chromium(), *flags, "--dump-dom", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    # the injected script did not run (it would rename the page) and shows as text
    assert "<title>biasaudit report: release &lt;x&gt;</title>" in dom
    assert "pwned" not in dom.split("<body")[0]
    assert "&lt;script&gt;" in dom
    assert 'id="forest"' in dom or "matplotlib" in dom
    shot = tmp_path / "page.png"
    subprocess.run(
        [_chromium(), *flags, f"--screenshot={shot}", "--window-size=1200,1600", html.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 10_000


def test_junit_is_valid_xml_with_control_characters(tmp_path: Path, result: AuditResult) -> None:
    from dataclasses import replace

    bad = replace(
        result,
        name="release\x1b1",
        gates=(GateOutcome("gender\x0cgap", False, "bound\x00 is 0.4", ("a\x07",), ("a\x07",)),),
    )
    write_reports(bad, tmp_path)
    root = ET.parse(tmp_path / "junit.xml").getroot()  # raised ParseError before
    case = root.find("testsuite/testcase")
    assert case is not None and case.get("name") == "gender\ufffdgap"
    assert "\ufffd" in root.find("testsuite").get("name")


def test_summary_states_the_configured_confidence(result: AuditResult) -> None:
    from dataclasses import replace

    ninety = replace(result, findings=tuple(replace(f, confidence=0.9) for f in result.findings))
    md = markdown_summary(ninety)
    assert "| 90% CI |" in md and "95% CI" not in md
    assert "| 95% CI |" in markdown_summary(result)


def test_html_baseline_column_when_only_later_findings_have_a_baseline(
    tmp_path: Path, result: AuditResult
) -> None:
    import re
    from dataclasses import replace

    base = {"estimate": 0.0, "ci_low": -0.1, "ci_high": 0.1, "change": 0.01, "paired": False}
    first, second = result.findings
    added = replace(result, findings=(replace(first, lang="pl"), replace(second, baseline=base)))
    write_reports(added, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    pl = html.split("<h3>pl</h3>")[1].split("</table>")[0]
    widths = [len(re.findall(r"<t[hd]", row)) for row in re.findall(r"<tr>.*?</tr>", pl, re.S)]
    assert len(set(widths)) == 1 and widths[0] == 9, widths
    assert ">new<" in pl


def test_removed_findings_are_listed_in_every_report(tmp_path: Path, result: AuditResult) -> None:
    from dataclasses import replace

    gone = {"id": "nb/gender/input/proba/female-vs-male", "estimate": 0.02, "ci_low": -0.01,
            "ci_high": 0.05}
    write_reports(replace(result, removed=(gone,)), tmp_path)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["removed_findings"] == [gone]
    assert gone["id"] in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert gone["id"] in (tmp_path / "summary.md").read_text(encoding="utf-8")
