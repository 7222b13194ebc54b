"""report.html: one self-contained page for people (gates, forest plot, tables, probes).

Everything that came from data or a model is escaped by Jinja's autoescape; the forest plot
is a PNG embedded as base64, so the page needs no network and no other files.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..audit.result import AuditResult, Finding


def forest_plot_png(findings: list[Finding]) -> str | None:
    """A forest plot of estimates with their intervals, as base64 PNG (None without matplotlib)."""
    if not findings:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    height = 1.2 + 0.32 * len(findings)
    fig, ax = plt.subplots(figsize=(8, height), dpi=110)
    ys = list(range(len(findings)))[::-1]
    for y, f in zip(ys, findings):
        colour = "#b3261e" if f.p_adjusted < 0.05 else "#41484d"
        ax.plot([f.ci_low, f.ci_high], [y, y], color=colour, lw=2)
        ax.plot([f.estimate], [y], "o", color=colour)
    ax.axvline(0, color="#888", lw=1, ls="--")
    ax.set_yticks(ys, [f.id for f in findings], fontsize=7)
    ax.set_xlabel("within-cluster difference (group − reference), with confidence interval")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def highlight(text: str, edits: list[list[Any]]) -> list[tuple[str, bool]]:
    """Split a variant's text into (segment, edited) pairs from its source-offset edits."""
    segments: list[tuple[str, bool]] = []
    pos = shift = 0
    for start, end, _old, new in sorted(edits, key=lambda e: e[0]):
        s = start + shift
        if s < pos or s + len(new) > len(text) or text[s : s + len(new)] != new:
            return [(text, False)]  # offsets do not fit this text: show it plain
        segments.append((text[pos:s], False))
        segments.append((new, True))
        pos = s + len(new)
        shift += len(new) - (end - start)
    segments.append((text[pos:], False))
    return [seg for seg in segments if seg[0]]


def _affected(result: AuditResult, top_findings: int = 5, per_finding: int = 5) -> list[dict]:
    by_cluster: dict[tuple[str, str, str], dict[str, dict]] = defaultdict(dict)
    for rec in result.records:
        by_cluster[(rec["probe_set"], rec["metric"], rec["cluster"])][rec["group"]] = rec
    out = []
    ranked = sorted(
        result.findings, key=lambda f: -abs(f.cohens_dz if f.cohens_dz == f.cohens_dz else 0)
    )[:top_findings]
    for f in ranked:
        diffs = result.cluster_diffs.get(f.id, {})
        worst = sorted(diffs.items(), key=lambda kv: -abs(kv[1]))[:per_finding]
        rows = []
        for cluster, diff in worst:
            variants = by_cluster.get((f.probe_set, f.metric, cluster), {})
            rows.append(
                {
                    "cluster": cluster,
                    "diff": diff,
                    "variants": [
                        {
                            "group": g,
                            "value": r["value"],
                            "segments": highlight(r["text"], r.get("edits") or []),
                        }
                        for g, r in variants.items()
                        if g in (f.group, f.reference)
                    ],
                }
            )
        out.append({"finding": f, "rows": rows})
    return out


def write_html(result: AuditResult, path: Path) -> Path:
    """Render the report page to ``path``."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("biasaudit.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["num"] = lambda x, d=3: "–" if x is None or x != x else f"{x:.{d}g}"
    by_lang: dict[str, list[Finding]] = defaultdict(list)
    by_axis: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_lang[f.lang].append(f)
        by_axis[f.axis].append(f)
    html = env.get_template("report.html.j2").render(
        result=result,
        plot=forest_plot_png(list(result.findings)),
        by_lang=dict(sorted(by_lang.items())),
        by_axis=dict(sorted(by_axis.items())),
        affected=_affected(result),
    )
    path.write_text(html, encoding="utf-8")
    return path
