"""A Markdown summary sized for a pull-request comment."""

from __future__ import annotations

from ..audit.result import AuditResult


def _fmt(x: float | None, digits: int = 3) -> str:
    return "–" if x is None or x != x else f"{x:.{digits}g}"  # NaN as in report.html


def _cell(text: str) -> str:
    """Text for one line of the summary: GitHub and GitLab render HTML in a comment or job
    summary, so ``<`` and ``&`` are escaped (a ``<!--`` in a warning would hide the rest,
    a failed gate included); pipes are escaped for tables, line breaks become spaces."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown_summary(result: AuditResult, *, top: int = 10) -> str:
    """Gates first, then the largest findings with their intervals and adjusted p-values."""
    if not result.gates:
        status = "no gates configured"
    else:
        status = "✅ all gates passed" if result.passed else "❌ gate failed"
    lines = [f"## biasaudit: {_cell(result.name)} — {status}", ""]
    if result.gates:
        lines += ["| gate | result | detail |", "|---|---|---|"]
        for g in result.gates:
            lines.append(
                f"| {_cell(g.name)} | {'pass' if g.passed else '**fail**'} | {_cell(g.message)} |"
            )
        lines.append("")
    worst = sorted(result.findings, key=lambda f: -abs(f.estimate))[:top]
    if worst:
        levels = sorted({f"{f.confidence:.0%}" for f in worst})
        ci = f"{levels[0]} CI" if len(levels) == 1 else "CI"
        lines += [f"| finding | Δ | {ci} | adj. p | d_z | clusters |", "|---|---|---|---|---|---|"]
        for f in worst:
            lines.append(
                f"| {_cell(f.id)} | {_fmt(f.estimate)} | [{_fmt(f.ci_low)}, {_fmt(f.ci_high)}] "
                f"| {_fmt(f.p_adjusted, 2)} | {_fmt(f.cohens_dz, 2)} | {f.n_clusters} |"
            )
        lines.append("")
    if result.removed:
        lines += [
            f"**{len(result.removed)} finding(s) of the baseline are gone from this run:**",
            "",
        ]
        lines += [f"- {_cell(str(r.get('id', '')))}" for r in result.removed]
        lines.append("")
    for w in result.warnings:
        lines.append(f"> ⚠️ {_cell(w)}")
    model = result.metadata.get("model", {})
    lines.append(
        f"\n<sub>model <code>{_cell(str(model.get('name', '')))}</code> · biasaudit "
        f"{result.metadata.get('library_version', '')}</sub>"
    )
    return "\n".join(lines) + "\n"
