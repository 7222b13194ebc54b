"""``summary.json`` and the HTML summary (jinja2, autoescaped; matplotlib PNGs inlined)."""

from __future__ import annotations

import base64
import io
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .._version import __version__
from .analysis import ScanResult
from .sources import BAD_KINDS, DataSource

TOP_ASSOCIATIONS = 200


def _finite(x: float) -> float | None:
    return x if isinstance(x, (int, float)) and math.isfinite(x) else None


def _assoc(a: Any) -> dict[str, Any]:
    d = asdict(a)
    for k in ("log_odds", "z", "pmi", "p", "q"):
        d[k] = _finite(d[k])
    return d


def summary_dict(result: ScanResult, config: Any, *, report: Any = None,
                 method: str | None = None, seconds: float | None = None,
                 source: DataSource | None = None) -> dict[str, Any]:
    """The JSON-ready summary of a scan (and of the second pass, when ``report`` is given)."""
    c = result.counts
    th = result.thresholds
    tested = sorted(result.associations, key=lambda a: (not a.flagged, -abs(a.z)))
    w = result.weights
    summary: dict[str, Any] = {
        "biasaudit": __version__,
        "config": {
            "lang": config.lang, "axes": list(config.axes), "text_field": config.text_field,
            "label_field": config.label_field, "meta_fields": list(config.meta_fields),
            "id_field": config.id_field, "strict": config.strict,
            "files": list(source.short_names) if source else [],
        },
        "thresholds": asdict(th),
        "totals": {
            "examples": c.examples, "text_chars": c.text_chars,
            "bad_records": sum(c.bad.values()),
            # representation and occupations count every example, label statistics only
            # the labelled (None: no label field)
            "labelled": c.examples - c.unlabelled if config.label_field else None,
            "unlabelled": c.unlabelled,
            "input_bytes": source.size_bytes if source and source.paths else None,
            "seconds": seconds,
        },
        "bad_records": {
            kind: {"count": c.bad[kind],
                   "first": [{"file": f, "line": line, "field": fld, "detail": det}
                             for f, line, fld, det in c.bad_lines.get(kind, [])]}
            for kind in BAD_KINDS
        },
        "unlabelled": {"count": c.unlabelled,
                       "first": [{"file": f, "line": line} for f, line in c.unlabelled_lines]},
        "labels": dict(sorted(c.labels.items())),
        "coverage": {a: asdict(s) for a, s in result.coverage.items()},
        "representation": [asdict(s) for s in result.representation],
        "profiles": {a: {p: n for (ax, p), n in sorted(c.profiles.items()) if ax == a}
                     for a in result.axes},
        "tables": [asdict(t) | {"statistic": _finite(t.statistic), "p": _finite(t.p)}
                   for t in result.tables],
        "flags": [_assoc(a) for a in result.flags],
        "associations": {"tested": len(result.associations),
                         "top": [_assoc(a) for a in tested[:TOP_ASSOCIATIONS]]},
        "terms": [{"axis": ax, "term": t, "groups": sorted(c.term_groups.get((ax, t), ())),
                   "docs": n, "mentions": c.term_mentions[ax, t]}
                  for (ax, t), n in sorted(c.term_docs.items())],
        "metadata": list(result.meta),
        "weights": {
            "method": "kamiran-calders",
            "cells": [{"profile": g, "label": y, "count": w.counts[g, y], "weight": wt}
                      for (g, y), wt in sorted(w.cells.items())],
            "clipped": [list(cell) for cell in w.clipped],
            "empty": [list(cell) for cell in w.empty],
            "effective_n": w.effective_n, "n": w.n,
        },
    }
    if report is not None:
        summary["rebalance"] = {"method": method, "counts": report.counts,
                                "flags_file": str(report.flags_path),
                                "dataset_file": str(report.dataset_path)
                                if report.dataset_path else None,
                                "effective_n": report.effective_n}
    return summary


# -- HTML --------------------------------------------------------------------------------------

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>biasaudit data scan</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;
text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}.flag{background:#fde8e8}
img{max-width:100%}code{background:#f3f3f3;padding:0 .2em}
</style></head><body>
<h1>Training-data scan</h1>
<p>{{ s.totals.examples }} examples{% if s.totals.input_bytes %} ({{ "%.1f"|format(
s.totals.input_bytes / 1e6) }} MB){% endif %} in language <code>{{ s.config.lang }}</code>,
axes {{ s.config.axes|join(", ") }}; text field <code>{{ s.config.text_field }}</code>{% if
s.config.label_field %}, label field <code>{{ s.config.label_field }}</code>{% endif %}.
{{ s.totals.bad_records }} bad record(s). biasaudit {{ s.biasaudit }}.</p>
{% if s.totals.unlabelled %}<p>{{ s.totals.unlabelled }} of them without a label (first:
{% for r in s.unlabelled.first[:10] %}{{ r.file }}:{{ r.line }}{% if not loop.last %}, {%
endif %}{% endfor %}): representation and occupations count all {{ s.totals.examples }}
examples, the label tests and reweighing only the {{ s.totals.labelled }} labelled ones.</p>
{% endif %}

<h2>Bad records</h2>
<table><tr><th class="l">kind</th><th>count</th><th class="l">first lines</th></tr>
{% for kind, b in s.bad_records.items() %}<tr><td class="l">{{ kind }}</td><td>{{ b.count }}</td>
<td class="l">{% for r in b.first[:10] %}{{ r.file }}:{{ r.line }}{% if r.field %} [{{ r.field
}}]{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>{% endfor %}</table>

<h2>Representation</h2>
{% for axis, cov in s.coverage.items() %}<p>Axis <b>{{ axis }}</b>: {{ cov.docs }} examples
({{ "%.1f"|format(100 * cov.share) }}%, {{ "%.1f"|format(100 * cov.ci_low) }}–{{ "%.1f"|format(
100 * cov.ci_high) }}%) mention at least one group.</p>{% endfor %}
<table><tr><th class="l">axis</th><th class="l">group</th><th>examples</th><th>mentions</th>
<th>share of mentioning examples</th><th>{{ (100 * s.thresholds.confidence)|round|int }}% Wilson
interval</th></tr>
{% for r in s.representation %}<tr><td class="l">{{ r.axis }}</td><td class="l">{{ r.group }}</td>
<td>{{ r.docs }}</td><td>{{ r.mentions }}</td><td>{{ "%.3f"|format(r.share) }}</td>
<td>{{ "%.3f"|format(r.ci_low) }}–{{ "%.3f"|format(r.ci_high) }}</td></tr>{% endfor %}</table>
{% for img in plots.representation %}<img alt="representation" src="data:image/png;base64,{{
img }}">{% endfor %}

{% if s.tables %}<h2>Group profile × label</h2>
<p>Over the {{ s.totals.labelled }} labelled examples.</p>
{% for t in s.tables %}<p>Axis <b>{{ t.axis }}</b>: {{ t.test }} test{% if t.p is not none %},
p = {{ "%.3g"|format(t.p) }}{% endif %}.</p>
<table><tr><th class="l">profile</th>{% for y in t.columns %}<th>{{ y }}</th>{% endfor %}</tr>
{% for row in t.counts %}<tr><td class="l">{{ t.rows[loop.index0] }}</td>{% for x in row
%}<td>{{ x }}</td>{% endfor %}</tr>{% endfor %}</table>{% endfor %}
{% for img in plots.labels %}<img alt="labels" src="data:image/png;base64,{{ img }}">{% endfor
%}{% endif %}

<h2>Flagged associations ({{ s.flags|length }} of {{ s.associations.tested }} tested)</h2>
<p>Flag rule: at least {{ s.thresholds.min_count }} examples with and without the subject,
Benjamini–Hochberg q &lt; {{ s.thresholds.alpha }}, log-odds (Dirichlet prior {{
s.thresholds.prior }}) ≥ {{ s.thresholds.min_log_odds }}.</p>
<table><tr><th class="l">axis</th><th class="l">kind</th><th class="l">subject</th>
<th class="l">target</th><th>with subject</th><th>both</th><th>log-odds</th><th>z</th>
<th>PMI</th><th>q</th></tr>
{% for a in s.associations.top[:50] %}<tr{% if a.flagged %} class="flag"{% endif %}>
<td class="l">{{ a.axis }}</td><td class="l">{{ a.kind }}</td><td class="l">{{ a.subject }}</td>
<td class="l">{{ a.target }}</td><td>{{ a.a + a.b }}</td><td>{{ a.a }}</td>
<td>{{ "%.2f"|format(a.log_odds) }}</td><td>{{ "%.1f"|format(a.z) }}</td>
<td>{{ "%.2f"|format(a.pmi) }}</td><td>{{ "%.2g"|format(a.q) }}</td></tr>{% endfor %}</table>
{% for img in plots.associations %}<img alt="associations" src="data:image/png;base64,{{ img
}}">{% endfor %}

{% if s.metadata %}<h2>By metadata</h2>
<table><tr><th class="l">field</th><th class="l">value</th><th class="l">axis</th>
<th class="l">group</th><th>examples</th><th>share</th><th>interval</th></tr>
{% for r in s.metadata[:200] %}<tr><td class="l">{{ r.field }}</td><td class="l">{{ r.value }}</td>
<td class="l">{{ r.axis }}</td><td class="l">{{ r.group }}</td><td>{{ r.docs }}</td>
<td>{{ "%.3f"|format(r.share) }}</td><td>{{ "%.3f"|format(r.ci_low) }}–{{ "%.3f"|format(
r.ci_high) }}</td></tr>{% endfor %}</table>{% endif %}

{% if s.weights.cells %}<h2>Reweighing (Kamiran–Calders)</h2>
<p>Kish effective sample size {{ "%.1f"|format(s.weights.effective_n) }} of {{ s.weights.n }}
labelled examples; {{ s.weights.clipped|length }} cell(s) clipped{% if s.totals.unlabelled
%}; the {{ s.totals.unlabelled }} unlabelled examples keep weight 1{% endif %}.</p>
<table><tr><th class="l">profile</th><th class="l">label</th><th>examples</th><th>weight</th></tr>
{% for c in s.weights.cells %}<tr><td class="l">{{ c.profile }}</td><td class="l">{{ c.label
}}</td><td>{{ c.count }}</td><td>{{ "%.3f"|format(c.weight) }}</td></tr>{% endfor %}</table>
{% endif %}
{% if s.rebalance %}<h2>Second pass</h2><table>{% for k, v in s.rebalance.counts.items()
%}<tr><td class="l">{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</table>{% endif %}
</body></html>
"""


def write_html(summary: dict[str, Any], result: ScanResult, path: str | Path) -> Path:
    """Render the HTML summary (all user text escaped) with inline PNG plots."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    plots = _plots(result)
    html = env.from_string(TEMPLATE).render(s=_fill_none(summary), plots=plots)
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path


def _fill_none(summary: dict[str, Any]) -> dict[str, Any]:
    """Association rows with NaN-free numbers for formatting."""
    top = [{**a, **{k: (a[k] if a[k] is not None else float("nan"))
                    for k in ("log_odds", "z", "pmi", "q")}}
           for a in summary["associations"]["top"]]
    return {**summary, "rebalance": summary.get("rebalance"),
            "associations": {**summary["associations"], "top": top}}


def _txt(value: str) -> str:
    """Plot text from the data, with matplotlib's mathtext ``$`` disarmed."""
    return str(value).replace("$", r"\$")


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _plots(result: ScanResult) -> dict[str, list[str]]:
    """Representation with Wilson intervals, label shares per profile, top associations.

    Drawn on matplotlib ``Figure`` objects, never pyplot: no display is needed, and the
    caller's backend (a notebook's inline plots) is left alone.
    """
    try:
        from matplotlib.figure import Figure
    except ImportError:  # plots are optional: the tables carry the same numbers
        return {"representation": [], "labels": [], "associations": []}

    def subplots(height: float) -> tuple[Any, Any]:
        fig = Figure(figsize=(6, height))
        return fig, fig.add_subplot()

    plots: dict[str, list[str]] = {"representation": [], "labels": [], "associations": []}
    for axis in result.axes:
        rows = [s for s in result.representation if s.axis == axis]
        if not rows:
            continue
        fig, ax = subplots(0.5 + 0.4 * len(rows))
        y = range(len(rows))
        ax.barh(list(y), [r.share for r in rows],
                xerr=[[r.share - r.ci_low for r in rows], [r.ci_high - r.share for r in rows]],
                color="#4c72b0", capsize=3)
        ax.set_yticks(list(y), [_txt(r.group) for r in rows])
        ax.set_xlabel(_txt(f"share of examples mentioning {axis} (Wilson interval)"))
        ax.set_xlim(0, 1)
        plots["representation"].append(_png(fig))
    for t in result.tables:
        fig, ax = subplots(0.5 + 0.4 * len(t.rows))
        left = [0.0] * len(t.rows)
        for j, label in enumerate(t.columns):
            vals = [row[j] / max(1, sum(row)) for row in t.counts]
            ax.barh(range(len(t.rows)), vals, left=left, label=_txt(label))
            left = [a + b for a, b in zip(left, vals)]
        ax.set_yticks(range(len(t.rows)), [_txt(r) for r in t.rows])
        ax.set_xlabel(f"label share by {t.axis} profile")
        ax.legend(fontsize="small", loc="lower right")
        plots["labels"].append(_png(fig))
    top = sorted(result.associations, key=lambda a: -abs(a.z))[:15]
    if top:
        fig, ax = subplots(0.5 + 0.35 * len(top))
        ax.barh(range(len(top)), [a.log_odds for a in top],
                color=["#c44e52" if a.flagged else "#8c8c8c" for a in top])
        ax.set_yticks(range(len(top)), [_txt(f"{a.subject} → {a.target}") for a in top])
        ax.axvline(result.thresholds.min_log_odds, ls="--", color="k", lw=0.8)
        ax.set_xlabel("log-odds with Dirichlet prior (red: flagged)")
        ax.invert_yaxis()
        plots["associations"].append(_png(fig))
    return plots
