"""Compare an audit with a previous release's report: per finding, the paired change.

When both runs used the same probes (same content hash, taken after ``limit``), each
cluster's contrast in the new run is paired with its contrast in the old run and the change
gets its own cluster-bootstrap interval and sign-flip p-value. Otherwise only the two
estimates are shown side by side. The baseline's per-cluster differences (``clusters.jsonl``)
are checked against its report.json when it is read (:func:`load_baseline`), so that a
paired change is always over the clusters of both findings.

The ``max_regression`` gate reads the growth of the disparity's size, |Δ_new| − |Δ_old|,
which is not the signed change Δ_new − Δ_old when the bias changed sign. Its confidence
bounds come from :func:`growth_bounds`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, Location
from ..stats import bootstrap_mean_ci, sign_flip_test
from .result import Finding

_FINDING_KEYS = ("id", "estimate", "ci_low", "ci_high")
_NUMBERS = ("estimate", "ci_low", "ci_high")

# why a finding's change since the baseline is or is not paired (``baseline.pairing``)
PAIRED = "paired"
PROBES_DIFFER = "probes_differ"  # the probe source's content hash changed
CLUSTERS_MISSING = "clusters_missing"  # the baseline's clusters.jsonl is not next to it
TOO_FEW_CLUSTERS = "too_few_clusters"  # fewer than two clusters in both runs' differences


def _as_float(value: Any) -> float | None:
    """``value`` as a float when it is a JSON number (not a bool), else None."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float
        return None


def _check_finding(f: Any, path: Path, i: int) -> None:
    """A baseline finding as the comparison reads it; ``null`` numbers (how reports write
    NaN) become NaN, so the changes computed from them are NaN (written ``null``) too."""
    if not isinstance(f, dict) or any(k not in f for k in _FINDING_KEYS):
        raise InputError(
            f"each finding needs {', '.join(_FINDING_KEYS)}",
            Location(path, None, f"findings[{i}]"),
        )
    if not isinstance(f["id"], str):
        raise InputError(
            f"'id' must be a string, got {f['id']!r}", Location(path, None, f"findings[{i}].id")
        )
    for k in _NUMBERS:
        value = math.nan if f[k] is None else _as_float(f[k])
        if value is None:
            raise InputError(
                f"{k!r} must be a number or null, got {f[k]!r}",
                Location(path, None, f"findings[{i}].{k}"),
            )
        f[k] = value


def load_baseline(path: str | Path) -> dict[str, Any]:
    """Read an old report.json and its per-cluster contrasts sidecar.

    Anything that is not a readable biasaudit report raises :class:`InputError` naming the
    file, the line (for the JSONL sidecar) and the field (``findings[3].estimate``,
    ``run.probe_hashes``, ...): every field the comparison reads is checked here. A finding's
    ``estimate``, ``ci_low`` or ``ci_high`` may be ``null`` (how reports write NaN): it is read
    as NaN, and the changes computed from it are NaN (``null``) too. A sidecar that
    report.json names but that is not next to it is recorded under ``_clusters_missing``
    (its path): the comparison then cannot be paired, and :func:`missing_clusters_warning`
    says why. A sidecar that is there must be the one the report was written with: a
    finding whose per-cluster differences are not ``n_clusters`` many, or whose mean is not
    its ``estimate``, a cluster given twice or a finding the report does not have is an
    :class:`InputError` naming the sidecar (a partial sidecar is not paired on what is left).
    """
    path = Path(path)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"cannot read baseline report: invalid JSON: {exc.msg} (column {exc.colno})",
            Location(path, exc.lineno),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read baseline report: {exc}", Location(path)) from None
    if not isinstance(report, dict) or not str(report.get("schema", "")).startswith(
        "biasaudit-report/"
    ):
        raise InputError(
            "not a biasaudit report (no 'schema' field)", Location(path, None, "schema")
        )
    from ..report.json import REPORT_SCHEMA

    if report["schema"] != REPORT_SCHEMA:
        # a change in the meaning of a field bumps the schema: its numbers cannot be compared
        # with this run's field by field
        raise InputError(
            f"baseline report has schema {report['schema']!r}; this biasaudit compares with "
            f"{REPORT_SCHEMA!r} reports only (re-run the baseline's audit with this version)",
            Location(path, None, "schema"),
        )
    findings = report.get("findings", [])
    if not isinstance(findings, list):
        raise InputError("'findings' must be a list", Location(path, None, "findings"))
    for i, f in enumerate(findings):
        _check_finding(f, path, i)
    for key in ("run", "files"):
        if not isinstance(report.get(key, {}), dict):
            raise InputError(f"'{key}' must be an object", Location(path, None, key))
    hashes = report.get("run", {}).get("probe_hashes", {})
    if not isinstance(hashes, dict) or not all(isinstance(v, str) for v in hashes.values()):
        raise InputError(
            "'probe_hashes' must be an object of probe source -> content hash (strings), "
            f"got {hashes!r}",
            Location(path, None, "run.probe_hashes"),
        )
    sidecar = report.get("files", {}).get("clusters")
    if sidecar is not None and not isinstance(sidecar, str):
        raise InputError(
            f"'clusters' must be a file name, got {sidecar!r}",
            Location(path, None, "files.clusters"),
        )
    clusters: dict[str, dict[str, float]] = {}
    lines: dict[str, dict[str, int]] = {}  # finding -> cluster -> line of the sidecar
    if sidecar and not (path.parent / str(sidecar)).is_file():
        # changes cannot be paired without it: say so (report warning, finding notes and
        # the max_regression gate's message) rather than silently comparing estimates only
        report["_clusters_missing"] = str(path.parent / str(sidecar))
    elif sidecar:
        side = path.parent / str(sidecar)
        try:
            with open(side, encoding="utf-8") as fh:
                for number, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                        finding, cluster, diff = row["finding"], row["cluster"], row["diff"]
                    except (json.JSONDecodeError, TypeError, KeyError) as exc:
                        what = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                        raise InputError(
                            "not a clusters.jsonl line (finding, cluster, diff): "
                            f"{what}; the file may be truncated",
                            Location(side, number),
                        ) from None
                    value = _as_float(diff)
                    if value is None or not math.isfinite(value):
                        raise InputError(
                            f"'diff' must be a finite number, got {diff!r}",
                            Location(side, number, "diff"),
                        )
                    seen = lines.setdefault(str(finding), {})
                    if str(cluster) in seen:
                        raise InputError(
                            f"cluster {cluster!r} of finding {finding!r} is given twice (lines "
                            f"{seen[str(cluster)]} and {number}): the file was joined from "
                            "several reports or edited; copy it again from the baseline's "
                            "report",
                            Location(side, number, "cluster"),
                        )
                    seen[str(cluster)] = number
                    clusters.setdefault(str(finding), {})[str(cluster)] = value
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read baseline clusters: {exc}", Location(side)) from None
        _check_sidecar(findings, clusters, lines, path, side)
    report["_clusters"] = clusters
    report["_clusters_file"] = str(path.parent / str(sidecar)) if sidecar else None
    return report


_SAME_REPORT = (
    "the sidecar is partial (cut by a failed copy?) or belongs to another report: copy "
    "report.json and clusters.jsonl of the same report together"
)


def _check_sidecar(
    findings: list[dict[str, Any]],
    clusters: dict[str, dict[str, float]],
    lines: dict[str, dict[str, int]],
    path: Path,
    side: Path,
) -> None:
    """Check that the clusters sidecar ``side`` is the one report.json (``path``) was written
    with: every finding of the report has exactly its ``n_clusters`` per-cluster differences
    there, whose mean is its ``estimate`` (up to rounding), and the sidecar names no other
    finding. A mismatch is an :class:`InputError` naming the sidecar: pairing a partial or
    foreign sidecar would measure the change on other clusters than the findings'."""
    known = {f["id"] for f in findings}
    for fid, rows in lines.items():
        if fid not in known:
            raise InputError(
                f"names finding {fid!r}, which {path.name} does not have; {_SAME_REPORT}",
                Location(side, min(rows.values()), "finding"),
            )
    for i, f in enumerate(findings):
        n = f.get("n_clusters")
        if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 0):
            raise InputError(
                f"'n_clusters' must be a non-negative integer, got {n!r}",
                Location(path, None, f"findings[{i}].n_clusters"),
            )
        diffs = list(clusters.get(f["id"], {}).values())
        if n is not None and len(diffs) != n:
            raise InputError(
                f"holds {len(diffs)} cluster(s) of finding {f['id']!r}, but {path.name} says "
                f"n_clusters {n}; {_SAME_REPORT}",
                Location(side),
            )
        estimate = f["estimate"]
        if diffs and math.isfinite(estimate):
            mean = math.fsum(diffs) / len(diffs)
            scale = max(1.0, max(abs(d) for d in diffs))
            if abs(mean - estimate) > 1e-9 * scale:
                raise InputError(
                    f"the mean of the {len(diffs)} cluster differences of finding "
                    f"{f['id']!r} is {mean:.6g}, but {path.name} says its estimate is "
                    f"{estimate:.6g}; {_SAME_REPORT}",
                    Location(side),
                )


MISSING_CLUSTERS = "baseline clusters.jsonl not found next to report.json"


def missing_clusters_warning(baseline: dict[str, Any]) -> str | None:
    """The report warning for a baseline whose clusters sidecar is missing, else None."""
    where = baseline.get("_clusters_missing")
    if not where:
        return None
    return f"{MISSING_CLUSTERS}: changes cannot be paired (looked for {where})"


def growth_bounds(
    new: Sequence[float] | np.ndarray,
    old: Sequence[float] | np.ndarray,
    *,
    confidence: float,
    n_resamples: int,
    seed: int,
) -> tuple[float, float]:
    """Confidence bounds for the growth of the disparity's size, |Δ_new| − |Δ_old|.

    ``new`` and ``old`` are the per-cluster differences of the same clusters in the two
    runs (Δ is their mean). For signs s, t ∈ {−1, +1} write μ(s, t) = s·Δ_new − t·Δ_old,
    the mean of the paired per-cluster values s·new − t·old. Then

        |Δ_new| − |Δ_old| = max_s min_t μ(s, t) = min_t max_s μ(s, t),

    so with paired cluster-bootstrap bounds L(s, t) ≤ μ(s, t) ≤ U(s, t) the growth lies in
    [max_s min_t L(s, t), min_t max_s U(s, t)] whichever signs the two estimates have. The
    lower bound fails only when L(s, t*) > μ(s, t*) for t* = sign(Δ_old) and some s; the
    term with s ≠ sign(Δ_new) bounds −|Δ_new| − |Δ_old| and hardly ever matters, so when
    both signs are clear the bounds are exactly those of the paired change in the direction
    of the bias. Whatever the signs, each bound errs at most twice as often as one paired
    bootstrap bound (a union bound over the two terms), i.e. with two-sided ``confidence``
    1 − α each one-sided bound holds with probability at least 1 − α.

    Only two bootstrap intervals are needed: of the change new − old and of the sum
    new + old (the intervals of their negations are their negated intervals).
    """
    new = np.asarray(new, dtype=float)
    old = np.asarray(old, dtype=float)
    kw = {"n_resamples": n_resamples, "confidence": confidence, "seed": seed}
    change = bootstrap_mean_ci(new - old, **kw)  # μ(+, +); μ(−, −) is its negation
    total = bootstrap_mean_ci(new + old, **kw)  # μ(+, −); μ(−, +) is its negation
    low = max(min(change.low, total.low), min(-total.high, -change.high))
    high = min(max(change.high, -total.low), max(total.high, -change.low))
    return float(low), float(high)


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
            "abs_change": abs(f.estimate) - abs(prev["estimate"]),
            "paired": False,
        }
        same = probe_hashes.get(f.probe_set) == old_hashes.get(f.probe_set)
        new_d, old_d = diffs.get(f.id, {}), old_clusters.get(f.id, {})
        common = sorted(set(new_d) & set(old_d))
        if same and len(common) >= 2 and set(new_d) != set(old_d):
            # identical probes give the same clusters: the change (Δ_new − Δ_old) and its
            # paired interval must be over the same clusters, or they could disagree
            raise InputError(
                f"the baseline's per-cluster differences of finding {f.id!r} cover "
                f"{len(old_d)} cluster(s) and this run's {len(new_d)} ({len(common)} in "
                "common), although both used the same probes (content hash): the baseline's "
                f"clusters sidecar does not belong to its report; {_SAME_REPORT}",
                Location(baseline.get("_clusters_file"), None, "finding"),
            )
        if same and len(common) >= 2:
            new_v = np.array([new_d[c] for c in common])
            old_v = np.array([old_d[c] for c in common])
            change = new_v - old_v
            ci = bootstrap_mean_ci(
                change, n_resamples=n_resamples, confidence=confidence, seed=seed
            )
            p = sign_flip_test(change, seed=seed).p_value
            lo, hi = growth_bounds(
                new_v, old_v, confidence=confidence, n_resamples=n_resamples, seed=seed
            )
            section.update(
                paired=True,
                pairing=PAIRED,
                change_ci_low=ci.low,
                change_ci_high=ci.high,
                p_value=float(p),
                n_clusters=len(common),
                regression_ci_low=lo,
                regression_ci_high=hi,
            )
        elif not same:
            section["pairing"] = PROBES_DIFFER
            section["note"] = "probe sets differ (content hash); change is not paired"
        elif baseline.get("_clusters_missing"):
            section["pairing"] = CLUSTERS_MISSING
            section["note"] = f"{MISSING_CLUSTERS}; change is not paired"
        else:
            section["pairing"] = TOO_FEW_CLUSTERS
            section["note"] = (
                f"{len(common)} cluster(s) in both runs' per-cluster differences (2 needed); "
                "change is not paired"
            )
        out.append(replace(f, baseline=section))
    return out


def removed_findings(findings: Sequence[Finding], baseline: dict[str, Any]) -> list[dict[str, Any]]:
    """The baseline's findings that this run no longer has (a probe source, metric or group
    was removed or renamed), so that they are listed instead of silently dropped."""
    ids = {f.id for f in findings}
    keep = ("id", "probe_set", "lang", "axis", "metric", "group", "reference")
    keep += ("estimate", "ci_low", "ci_high")
    return [
        {k: prev.get(k) for k in keep}
        for prev in baseline.get("findings", [])
        if prev["id"] not in ids
    ]
