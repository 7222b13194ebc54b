"""Write every report format into one output folder."""

from __future__ import annotations

from pathlib import Path

from .._staging import staged_outputs
from ..audit.result import AuditResult
from .html import write_html
from .json import FILES, write_json_files
from .junit import write_junit
from .markdown import markdown_summary


def write_reports(result: AuditResult, out_dir: str | Path) -> dict[str, Path]:
    """report.json (+ sidecars), report.html, junit.xml and summary.md in ``out_dir``; the
    path of every file written, by kind (``json``, ``records``, ``clusters``, ``html``,
    ``junit``, ``markdown``).

    Every file is first written into a scratch folder inside ``out_dir`` and moved into
    place only when all of them are written, so a failure or an interrupt while writing
    leaves the previous report whole instead of a new report.json beside an old
    report.html.
    """
    with staged_outputs(out_dir) as scratch:
        paths = write_json_files(result, scratch)
        paths["html"] = write_html(result, scratch / FILES["html"])
        paths["junit"] = write_junit(result, scratch / FILES["junit"])
        md = scratch / FILES["markdown"]
        md.write_text(markdown_summary(result), encoding="utf-8")
        paths["markdown"] = md
    return {kind: Path(out_dir) / path.name for kind, path in paths.items()}
