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


def _plain(text: str) -> str:
    """Text for matplotlib, taken literally: a pair of ``$`` would start mathtext (and an
    invalid formula would make the whole report fail)."""
    return str(text).replace("$", r"\$")


def _xlabel(metric: str, units: str, levels: set[float]) -> str:
    """The x-axis label of one panel: what Δ measures, in which units, with which interval."""
    level = f"{next(iter(levels)):.0%} " if len(levels) == 1 else ""
    return _plain(
        f"Δ {metric} ({units}): group − reference, with {level}confidence interval"
    )


def forest_figure(findings: list[Finding]) -> Any:
    """A forest plot of estimates with their intervals, one panel per metric and units
    (differences in different units share no axis); None without findings or matplotlib.

    Uses matplotlib's object-oriented API only, never pyplot: no display is needed and the
    caller's plotting backend (a notebook's, say) is left as it was.
    """
    if not findings:
        return None
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    panels: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        panels[(f.metric, f.units)].append(f)
    heights = [0.9 + 0.32 * len(fs) for fs in panels.values()]
    width = 5 + 0.055 * max(len(f.id) for f in findings)  # the ids (7 pt) beside a 5" plot
    fig = Figure(figsize=(width, sum(heights)), dpi=110, layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, ((metric, units), fs) in zip(axes, panels.items()):
        ys = list(range(len(fs)))[::-1]
        for y, f in zip(ys, fs):
            colour = "#b3261e" if f.p_adjusted < 0.05 else "#41484d"
            ax.plot([f.ci_low, f.ci_high], [y, y], color=colour, lw=2)
            ax.plot([f.estimate], [y], "o", color=colour)
        ax.axvline(0, color="#888", lw=1, ls="--")
        ax.set_yticks(ys, [_plain(f.id) for f in fs], fontsize=7)
        ax.set_ylim(-0.6, len(fs) - 0.4)
        ax.set_xlabel(_xlabel(metric, units, {f.confidence for f in fs}))
    return fig


def forest_plot_png(findings: list[Finding]) -> str | None:
    """:func:`forest_figure` as base64 PNG (None without findings or matplotlib)."""
    fig = forest_figure(findings)
    if fig is None:
        return None
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")  # (tight: long ids are not cut)
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


def write_html(result: AuditResult, path: str | Path) -> Path:
    """Render the report page to ``path``."""
    path = Path(path)
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
