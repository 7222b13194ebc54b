"""report.json: a versioned schema (docs/report-schema.md) plus JSONL sidecars."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..audit.result import AuditResult

REPORT_SCHEMA = "biasaudit-report/1"
FILES = {
    "records": "records.jsonl",
    "clusters": "clusters.jsonl",
    "html": "report.html",
    "junit": "junit.xml",
    "markdown": "summary.md",
}


def _clean(value: Any) -> Any:
    """JSON has no NaN or infinity: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def report_dict(result: AuditResult) -> dict[str, Any]:
    """The report as plain data, in the documented schema."""
    return _clean(
        {
            "schema": REPORT_SCHEMA,
            "name": result.name,
            "passed": result.passed,
            "run": result.metadata,
            "summary": {
                "findings": len(result.findings),
                "significant": sum(f.p_adjusted < 0.05 for f in result.findings),
                "gates": len(result.gates),
                "gates_failed": sum(not g.passed for g in result.gates),
            },
            "gates": [g.to_dict() for g in result.gates],
            "findings": [f.to_dict() for f in result.findings],
            "removed_findings": list(result.removed),
            "omnibus": list(result.omnibus),
            "gaps": list(result.gaps),
            "warnings": list(result.warnings),
            "files": FILES,
        }
    )


def write_json(result: AuditResult, out_dir: str | Path) -> Path:
    """Write report.json and the per-probe and per-cluster sidecars; report.json's path."""
    return write_json_files(result, Path(out_dir))["json"]


def write_json_files(result: AuditResult, out_dir: Path) -> dict[str, Path]:
    """As :func:`write_json`, returning every file written: ``json`` (report.json),
    ``records`` and ``clusters`` (the sidecars)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.json"
    path.write_text(
        json.dumps(report_dict(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    records = out_dir / FILES["records"]
    with open(records, "w", encoding="utf-8") as fh:
        for rec in result.records:
            fh.write(json.dumps(_clean(rec), ensure_ascii=False) + "\n")
    clusters = out_dir / FILES["clusters"]
    with open(clusters, "w", encoding="utf-8") as fh:
        for fid, per_cluster in result.cluster_diffs.items():
            for cluster, diff in per_cluster.items():
                fh.write(json.dumps({"finding": fid, "cluster": cluster, "diff": diff}) + "\n")
    return {"json": path, "records": records, "clusters": clusters}
