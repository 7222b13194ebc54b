"""report.html, its forest plot and summary.md on awkward inputs: text that matplotlib or
Markdown would read as markup, several metrics in one audit, no gates, provenance."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pytest

from biasaudit.audit.result import AuditResult, Finding, GateOutcome
from biasaudit.report import markdown_summary, write_reports
from biasaudit.report.html import forest_plot_png


def finding(**kw) -> Finding:
    base = dict(
        id="en/gender/input/proba/female-vs-male", probe_set="en/gender/input", lang="en",
        axis="gender", metric="proba", description="P(positive)", units="probability",
        group="female", reference="male", estimate=-0.31, ci_low=-0.4, ci_high=-0.2,
        confidence=0.95, ci_method="bca", p_value=0.0001, p_adjusted=0.0001,
        adjust_method="holm", family="en/gender/input/proba", test="sign-flip", cohens_dz=-1.2,
        rank_biserial=-0.9, mean_group=0.3, mean_reference=0.61, sd_diff=0.2, n_clusters=60,
        n_clusters_dropped=0, n_probes=120, unsafe_skipped=1, mde=0.07,
    )
    base.update(kw)
    return Finding(**base)


META = {
    "model": {"name": "tiny", "fingerprint": "hf:local@0123abcd|encoder", "spec": "hf:dist/m"},
    "probe_sets": {},
    "probe_hashes": {},
    "lexicons": ["en-gender@1.0.0"],
    "seed": 0,
    "statistics": {"n_resamples": 2000},
    "library_version": "0.1.0",
    "created": "2026-11-25T00:00:00+00:00",
    "cache": None,
}


def audit(*findings, gates=(), **kw) -> AuditResult:
    return AuditResult("rel", META, tuple(findings), tuple(gates), **kw)


def _png_size(b64: str) -> tuple[int, int]:
    data = base64.b64decode(b64)
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_forest_plot_takes_dollar_signs_in_names_literally(tmp_path: Path) -> None:
    """A pair of $ in a group name made matplotlib parse mathtext: the report crashed."""
    f = finding(id="en/gender/input/proba/a$\\frac{$b-vs-male", group="a$\\frac{$b")
    paths = write_reports(audit(f), tmp_path)  # raised ValueError (mathtext) before
    assert 'id="forest"' in paths["html"].read_text(encoding="utf-8")


def test_forest_plot_leaves_the_global_matplotlib_backend_alone() -> None:
    """Writing a report from a notebook must not switch the user's plotting backend."""
    matplotlib = pytest.importorskip("matplotlib")
    before = matplotlib.get_backend()
    matplotlib.use("svg")
    try:
        assert forest_plot_png([finding()]) is not None
        assert matplotlib.get_backend() == "svg"  # was switched to agg
    finally:
        matplotlib.use(before)


def test_forest_plot_has_one_panel_per_metric_with_units_and_level() -> None:
    """Findings in different units share no axis; each axis says its metric, units and
    confidence level."""
    pytest.importorskip("matplotlib")
    from biasaudit.report.html import forest_figure

    fig = forest_figure(
        [
            finding(),
            finding(id="en/gender/input/loglik/female-vs-male", metric="loglik", units="nats",
                    estimate=-3.0, ci_low=-4.0, ci_high=-2.0, confidence=0.9),
        ]
    )
    labels = [ax.get_xlabel() for ax in fig.axes]
    assert len(labels) == 2, labels
    assert "proba" in labels[0] and "probability" in labels[0] and "95%" in labels[0]
    assert "loglik" in labels[1] and "nats" in labels[1] and "90%" in labels[1]


def test_forest_plot_keeps_its_axis_label_with_long_finding_ids() -> None:
    """A long id used to push the x-axis label off the right edge of the image."""
    pytest.importorskip("matplotlib")
    long_id = "en/gender/input:" + "a-very-long-file-stem" * 4 + "/proba/female-vs-male"
    short = _png_size(forest_plot_png([finding()]) or "")
    wide = _png_size(forest_plot_png([finding(id=long_id)]) or "")
    assert wide[0] > short[0]  # the image grows to fit the label instead of cutting it


def test_html_run_section_names_the_model_fingerprint_and_spec(tmp_path: Path) -> None:
    html = write_reports(audit(finding()), tmp_path)["html"].read_text(encoding="utf-8")
    run = html.split("<h2>Run</h2>")[1]
    assert "hf:local@0123abcd|encoder" in run
    assert "hf:dist/m" in run


def test_html_shows_equivalence_and_why_a_change_is_not_paired(tmp_path: Path) -> None:
    eq = finding(equivalence={"margin": 0.01, "p_value": 0.003, "equivalent": True})
    base = {"estimate": 0.0, "ci_low": -0.1, "ci_high": 0.1, "change": 0.01, "paired": False,
            "pairing": "probes_differ",
            "note": "probe sets differ (content hash); change is not paired"}
    html = write_reports(audit(replace(eq, baseline=base)), tmp_path)["html"].read_text(
        encoding="utf-8"
    )
    table = html.split("<h2>By language</h2>")[1].split("</table>")[0]
    assert "equivalent within ±0.01" in table
    assert "<td>yes <" in table
    assert "probe sets differ (content hash)" in table


def test_no_gates_is_not_reported_as_all_gates_passed(tmp_path: Path) -> None:
    paths = write_reports(audit(), tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    assert "all gates passed" not in html and "no gates configured" in html
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "all gates passed" not in md and "no gates configured" in md
    assert "No findings" in html
    one = write_reports(audit(gates=[GateOutcome("g", True, "ok")]), tmp_path / "g")
    assert "all gates passed" in one["html"].read_text(encoding="utf-8")


def test_html_isolates_right_to_left_text_and_breaks_long_words(tmp_path: Path) -> None:
    f = finding()
    text = "هو طبيب " + "x" * 400
    records = tuple(
        {"probe_set": f.probe_set, "cluster": "c1", "group": g, "text": text, "edits": [],
         "metric": "proba", "value": 0.5}
        for g in ("female", "male")
    )
    html = write_reports(
        audit(f, records=records, cluster_diffs={f.id: {"c1": 0.1}}), tmp_path
    )["html"].read_text(encoding="utf-8")
    assert f"<bdi>{text}</bdi>" in html
    assert "overflow-wrap: anywhere" in html


def test_summary_markdown_escapes_html(tmp_path: Path) -> None:
    """summary.md becomes a PR comment or job summary, where raw HTML is rendered: a
    ``<!--`` in a warning hid everything after it, the failed gate included."""
    gate = GateOutcome("gap <b>", False, "bound is 0.4 <!--")
    md = markdown_summary(
        audit(finding(id="en/gender/x/proba/<i>-vs-male"), gates=[gate],
              warnings=("model warning: <!-- cut",))
    )
    assert "<!--" not in md and "<b>" not in md and "<i>" not in md
    assert "&lt;!--" in md and "gap &lt;b&gt;" in md
    model = markdown_summary(
        replace(audit(finding()), metadata={**META, "model": {"name": "m`<x>`"}})
    )
    assert "<x>" not in model


def test_summary_markdown_writes_nan_as_a_dash() -> None:
    nan = float("nan")
    md = markdown_summary(audit(finding(estimate=nan, p_adjusted=nan, cohens_dz=nan)))
    row = next(line for line in md.splitlines() if line.startswith("| en/"))
    assert "nan" not in row and "| – |" in row


def test_html_lists_every_finding_a_failed_gate_failed_on(tmp_path: Path) -> None:
    """The gate message quotes the worst finding only; the others that failed were in
    report.json and junit.xml but not on the page."""
    ids = ("en/gender/a/proba/female-vs-male", "pl/gender/a/proba/female-vs-male")
    gate = GateOutcome("gap", False, f"upper 95% bound of |Δ| is 0.4 for {ids[0]}", ids, ids)
    html = write_reports(audit(finding(), gates=[gate]), tmp_path)["html"].read_text(
        encoding="utf-8"
    )
    gates = html.split('<table id="gates">')[1].split("</table>")[0]
    assert ids[1] in gates and "2 failing" in gates


def test_a_failure_while_writing_leaves_the_previous_report_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """report.json used to be replaced before report.html failed, so the folder held a new
    report.json beside the old report.html."""
    import biasaudit.report.writer as writer

    first = write_reports(audit(finding()), tmp_path)
    before = {kind: path.read_bytes() for kind, path in first.items()}

    def broken_html(*args: object, **kwargs: object) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(writer, "write_html", broken_html)
    with pytest.raises(OSError, match="disk full"):
        write_reports(audit(finding(estimate=-0.05, ci_low=-0.1, ci_high=0.0)), tmp_path)
    assert {kind: path.read_bytes() for kind, path in first.items()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in first.values())
    monkeypatch.undo()
    second = write_reports(audit(finding(estimate=-0.05, ci_low=-0.1, ci_high=0.0)), tmp_path)
    assert second == first and second["json"].read_bytes() != before["json"]


def test_one_finding_is_not_called_findings(tmp_path: Path) -> None:
    one = write_reports(audit(finding()), tmp_path / "one")["html"].read_text(encoding="utf-8")
    two = write_reports(audit(finding(), finding(id="x")), tmp_path / "two")["html"]
    assert " 1 finding · " in one and " 2 findings · " in two.read_text(encoding="utf-8")
