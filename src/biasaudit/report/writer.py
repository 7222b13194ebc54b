"""Write every report format into one output folder."""

from __future__ import annotations

from pathlib import Path

from ..audit.result import AuditResult
from .html import write_html
from .json import FILES, write_json_files
from .junit import write_junit
from .markdown import markdown_summary


def write_reports(result: AuditResult, out_dir: str | Path) -> dict[str, Path]:
    """report.json (+ sidecars), report.html, junit.xml and summary.md in ``out_dir``; the
    path of every file written, by kind (``json``, ``records``, ``clusters``, ``html``,
    ``junit``, ``markdown``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = write_json_files(result, out)
    paths["html"] = write_html(result, out / FILES["html"])
    paths["junit"] = write_junit(result, out / FILES["junit"])
    md = out / FILES["markdown"]
    md.write_text(markdown_summary(result), encoding="utf-8")
    paths["markdown"] = md
    return paths
