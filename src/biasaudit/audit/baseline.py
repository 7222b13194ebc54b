"""Compare an audit with a previous release's report: per finding, the paired change.

When both runs used the same probes (same content hash), each cluster's contrast in the new
run is paired with its contrast in the old run and the change gets its own cluster-bootstrap
interval and sign-flip p-value. Otherwise only the two estimates are shown side by side.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, Location
from ..stats import bootstrap_mean_ci, sign_flip_test
from .result import Finding


def load_baseline(path: str | Path) -> dict[str, Any]:
    """Read an old report.json and its per-cluster contrasts sidecar."""
    path = Path(path)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read baseline report: {exc}", Location(path)) from None
    if not str(report.get("schema", "")).startswith("biasaudit-report/"):
        raise InputError(
            "not a biasaudit report (no 'schema' field)", Location(path, None, "schema")
        )
    clusters: dict[str, dict[str, float]] = {}
    sidecar = report.get("files", {}).get("clusters")
    if sidecar and (path.parent / sidecar).is_file():
        with open(path.parent / sidecar, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                clusters.setdefault(row["finding"], {})[row["cluster"]] = row["diff"]
    report["_clusters"] = clusters
    return report


def compare(
    findings: list[Finding],
    diffs: dict[str, dict[str, float]],
    probe_hashes: dict[str, str],
    baseline: dict[str, Any],
    *,
    confidence: float,
    n_resamples: int,
    seed: int,
) -> list[Finding]:
    """Attach a ``baseline`` section to every finding that exists in the old report."""
    old = {f["id"]: f for f in baseline.get("findings", [])}
    old_hashes = baseline.get("run", {}).get("probe_hashes", {})
    old_clusters = baseline.get("_clusters", {})
    out = []
    for f in findings:
        prev = old.get(f.id)
        if prev is None:
            out.append(f)
            continue
        section: dict[str, Any] = {
            "estimate": prev["estimate"],
            "ci_low": prev["ci_low"],
            "ci_high": prev["ci_high"],
            "change": f.estimate - prev["estimate"],
            "paired": False,
        }
        same = probe_hashes.get(f.probe_set) == old_hashes.get(f.probe_set)
        new_d, old_d = diffs.get(f.id, {}), old_clusters.get(f.id, {})
        common = sorted(set(new_d) & set(old_d))
        if same and len(common) >= 2:
            change = np.array([new_d[c] - old_d[c] for c in common])
            ci = bootstrap_mean_ci(
                change, n_resamples=n_resamples, confidence=confidence, seed=seed
            )
            p = sign_flip_test(change, seed=seed).p_value
            sign = np.sign(f.estimate) or np.sign(prev["estimate"]) or 1.0
            lo, hi = sorted((sign * ci.low, sign * ci.high))
            section.update(
                paired=True,
                change_ci_low=ci.low,
                change_ci_high=ci.high,
                p_value=float(p),
                n_clusters=len(common),
                regression_ci_low=float(lo),
                regression_ci_high=float(hi),
            )
        elif not same:
            section["note"] = "probe sets differ (content hash); change is not paired"
        out.append(replace(f, baseline=section))
    return out
