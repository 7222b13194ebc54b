"""Run an audit: probes → model outputs → paired statistics → gates.

Pair, then aggregate: every contrast is formed inside a probe cluster (the variants of one
source text), replicate outputs are averaged within the probe first, and clusters are the
unit of resampling (see docs/statistics.md).
"""

from __future__ import annotations

import platform
import warnings as warn_module
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..errors import (
    BiasAuditError,
    BiasAuditWarning,
    ConfigError,
    InputError,
    TruncationWarning,
    UnsupportedError,
)
from . import outcomes
from .baseline import compare, missing_clusters_warning, removed_findings
from .config import AuditConfig, ProbeConfig, validate
from .gates import evaluate, min_clusters, select
from .probesets import ProbeRow, load_probe_rows, no_usable_probes, source_names
from .result import AuditResult, Finding


class UnsupportedMetric(ConfigError, UnsupportedError):
    """A metric of the config that the model cannot provide (``loglik`` of a classifier):
    a config error naming ``metrics[i].name``, and still an :class:`UnsupportedError`."""


def _build_model(config: AuditConfig) -> Any:
    from ..models import load_model

    options = dict(config.model.options)
    spec = config.model.spec
    tried: list[Path] = []  # the folders looked for, when none exists (then a Hub id)
    if spec.startswith("hf:") and not Path(spec[3:]).expanduser().is_absolute():
        # a relative hf: path is looked up (1) in the config file's folder, (2) as given,
        # i.e. relative to the working directory, (3) on the Hugging Face Hub
        local = config.resolve(spec[3:])
        if local.exists():
            spec = f"hf:{local}"
        elif not Path(spec[3:]).expanduser().exists():
            tried = [local, Path.cwd() / spec[3:]]
    if config.model.cache:
        from ..models import ResponseCache

        options["cache"] = ResponseCache(config.resolve(config.model.cache))
    try:
        return load_model(spec, **options)
    except OSError as exc:  # neither folder exists and the Hub could not provide the model
        if not tried:
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(
            f"model {config.model.spec!r} not found: no folder {tried[0]} (relative to the "
            f"config file) or {tried[1]} (relative to the working directory), and loading "
            f"{spec[3:]!r} as a Hugging Face Hub id failed: {first}",
            config.where("model.spec"),
        ) from None


def safe_spec(spec: str) -> str:
    """The model spec for reports: a URL in it loses user info, query and fragment (where
    credentials hide), like the adapter's fingerprint."""
    if "://" not in spec:
        return spec
    from ..models.openai import safe_url

    scheme, _, rest = spec.partition(":")
    return f"{scheme}:{safe_url(rest)}" if "://" in rest else safe_url(spec)


def _reference(config: AuditConfig, axis: str, groups: Sequence[str]) -> str:
    ref = config.reference.get(axis)
    if ref is None:
        return groups[0]
    if ref not in groups:
        raise ConfigError(
            f"reference group {ref!r} for axis {axis!r} is not among the probe "
            f"groups: {', '.join(groups)}",
            config.where(f"reference.{axis}"),
        )
    return ref


def run_audit(
    config: AuditConfig,
    *,
    model: Any = None,
    baseline: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> AuditResult:
    """Run every probe source × metric of ``config`` and evaluate its gates.

    ``model`` overrides the configured one (any adapter, or a plain callable wrapped by
    ``biasaudit.models.load_model``); ``baseline`` is a report loaded with
    :func:`biasaudit.audit.load_baseline`.
    """
    from ..stats import (
        classifier_metrics,
        cluster_matrix,
        contrasts_vs_reference,
        minimum_detectable_effect,
        null_calibrated,
        omnibus_test,
    )

    config = validate(config)  # a config built in Python is checked like a YAML file
    say = progress or (lambda _msg: None)
    if model is None:
        model = _build_model(config)
    elif callable(model) and not hasattr(model, "capabilities"):
        from ..models import load_model

        model = load_model(model)
    from ..models import require_capability

    for j, mc in enumerate(config.metrics):
        # fail before any probe is built if the model cannot serve a metric
        try:
            require_capability(model, outcomes.CAPABILITY[mc.name])
        except UnsupportedError as exc:
            raise UnsupportedMetric(str(exc), config.where(f"metrics[{j}].name")) from None
    stats_cfg = config.statistics
    findings: list[Finding] = []
    omnibus: list[dict[str, Any]] = []
    gaps: list[dict[str, Any]] = []
    warnings: list[str] = []
    records: list[dict[str, Any]] = []
    diffs: dict[str, dict[str, float]] = {}
    probe_meta: dict[str, dict[str, Any]] = {}

    names = source_names(config.probes)
    for i, pc in enumerate(config.probes):
        say(f"building probes: {pc.lang}/{pc.axis} ({_source(pc)})")
        loaded = load_probe_rows(pc, config, i, names[i])
        probe_meta[loaded.name] = loaded.metadata
        rows = [r for r in loaded.rows if not r.unsafe]
        # clusters whose every variant is unsafe never reach the matrix: counted as dropped
        all_unsafe = len({r.cluster for r in loaded.rows}) - len({r.cluster for r in rows})
        unsafe = len(loaded.rows) - len(rows)
        if unsafe:
            warnings.append(f"{loaded.name}: {unsafe} unsafe variant(s) skipped")
        if not rows:
            raise ConfigError(
                f"probe source {loaded.name} has no usable probes: {no_usable_probes(loaded)}",
                config.where(f"probes[{i}].{_source_key(pc)}"),
            )
        groups = loaded.groups
        reference = _reference(config, pc.axis, groups)
        unique = sorted({r.text for r in rows})
        index = {t: k for k, t in enumerate(unique)}
        for j, mc in enumerate(config.metrics):
            say(f"measuring {mc.name} on {len(unique)} unique texts of {loaded.name}")
            with warn_module.catch_warnings(record=True) as caught:
                warn_module.simplefilter("always", BiasAuditWarning)
                try:
                    measured = outcomes.measure(
                        mc.name, model, unique, mc.params, seed=config.seed
                    )
                except ConfigError as exc:  # a bad label, scorer, ...: name the metric's key
                    if exc.location.path is not None:
                        raise
                    field = exc.location.field
                    where = f"metrics[{j}].{field}" if field else f"metrics[{j}]"
                    raise ConfigError(exc.message, config.where(where)) from None
            # inputs the model cut to fit its context: a swapped word past the cut is not seen
            truncated = any(issubclass(w.category, TruncationWarning) for w in caught)
            for w in caught:  # a model's caveats (cut inputs, ...) belong in the report
                if issubclass(w.category, BiasAuditWarning):
                    warnings.append(f"{loaded.name} / {mc.name}: {w.message}")
                else:
                    warn_module.warn_explicit(w.message, w.category, w.filename, w.lineno)
            cluster_ids, group_ids, values, units = [], [], [], []
            for r in rows:
                t = index[r.text]
                reps = measured.per_text[t] if measured.per_text is not None else None
                vals = reps if reps is not None and len(reps) else [measured.values[t]]
                for k, v in enumerate(vals):
                    cluster_ids.append(r.cluster)
                    group_ids.append(r.group)
                    values.append(float(v))
                    units.append(f"{r.unit}#{k}")
                records.append(
                    {
                        "probe_set": loaded.name,
                        "cluster": r.cluster,
                        "group": r.group,
                        "text": r.text,
                        "edits": r.edits,
                        "metric": mc.name,
                        "value": float(measured.values[t]),
                        **({"replicates": [float(x) for x in reps]} if reps is not None else {}),
                    }
                )
            if not np.all(np.isfinite(values)):
                raise BiasAuditError(f"the model returned non-finite {mc.name} values")
            levels = [np.asarray(units)] if measured.per_text is not None else None
            family = f"{loaded.name}/{mc.name}"
            margin = stats_cfg.equivalence_margin
            try:
                matrix = cluster_matrix(
                    cluster_ids, group_ids, values, groups=groups, levels=levels
                )
                contrasts = contrasts_vs_reference(
                    matrix,
                    reference,
                    adjust_method=stats_cfg.adjust if stats_cfg.adjust != "none" else "holm",
                    family=family,
                    n_resamples=stats_cfg.n_resamples,
                    confidence=stats_cfg.confidence,
                    seed=config.seed,
                    test=stats_cfg.test,
                    n_permutations=stats_cfg.n_permutations,
                    margin=margin,
                )
            except InputError as exc:  # too few clusters, ...: say which source it was
                raise ConfigError(
                    f"{family}: {exc.message} (add probes or raise its limit)",
                    config.where(f"probes[{i}]"),
                ) from None
            if len(groups) > 2:
                om = omnibus_test(matrix, kind="friedman")
                omnibus.append(
                    {
                        "family": family,
                        "kind": om.kind,
                        "statistic": om.statistic,
                        "df": om.df,
                        "p_value": om.p_value,
                        "kendall_w": om.kendall_w,
                        "n_clusters": om.n_clusters,
                    }
                )
            replicated = measured.per_text is not None
            if replicated:
                # non-negative gaps next to their label-permutation null; with one output per
                # variant the statistics do not change when labels are shuffled (the null is
                # degenerate), so they are reported for replicated outputs (generations) only
                for statistic in ("mean_abs_diff", "range"):
                    g = null_calibrated(
                        cluster_ids,
                        group_ids,
                        values,
                        statistic=statistic,
                        groups=groups,
                        unit=units,
                        seed=config.seed,
                    )
                    gaps.append(
                        {
                            "family": family,
                            "statistic": statistic,
                            "observed": g.observed,
                            "null_mean": g.null_mean,
                            "null_quantile_95": g.null_quantile_95,
                            "p_value": g.p_value,
                            "excess": g.excess,
                            "n_clusters": g.n_clusters,
                        }
                    )
            ref_col = matrix.column(reference)
            for c in contrasts:
                col = matrix.column(c.group)
                ok = ~(np.isnan(col) | np.isnan(ref_col))
                d = col[ok] - ref_col[ok]
                sd = float(d.std(ddof=1)) if len(d) > 1 else float("nan")
                fid = f"{loaded.name}/{mc.name}/{c.group}-vs-{reference}"
                diffs[fid] = {str(k): float(v) for k, v in zip(np.asarray(matrix.clusters)[ok], d)}
                blind = _unseen(fid, d, col[ok], ref_col[ok], truncated, warnings)
                mde = minimum_detectable_effect(
                    c.n_clusters,
                    power=stats_cfg.power,
                    sd=sd if np.isfinite(sd) and sd > 0 else None,
                )
                decisions = None
                if mc.name == "proba":
                    cm = classifier_metrics(
                        col[ok], ref_col[ok], threshold=float(mc.params.get("threshold", 0.5))
                    )
                    decisions = {
                        "threshold": cm.threshold,
                        "flip_rate": cm.flip_rate,
                        "flips_up": cm.n_flip_up,
                        "flips_down": cm.n_flip_down,
                        "mcnemar_p": cm.mcnemar.p_value,
                        "ctf_gap": cm.ctf_gap,
                        "delta_logit": cm.delta_logit,
                    }
                eq = None
                if c.equivalence is not None:
                    eq = {
                        "margin": c.equivalence.margin,
                        "p_value": c.equivalence.p_value,
                        "equivalent": bool(c.equivalence.equivalent),
                    }
                findings.append(
                    Finding(
                        id=fid,
                        probe_set=loaded.name,
                        lang=pc.lang,
                        axis=pc.axis,
                        metric=mc.name,
                        description=outcomes.describe(mc.name, mc.params),
                        units=measured.units,
                        group=c.group,
                        reference=c.reference,
                        estimate=c.estimate,
                        ci_low=c.ci_low,
                        ci_high=c.ci_high,
                        confidence=c.confidence,
                        ci_method=c.ci_method,
                        p_value=c.p_value,
                        p_adjusted=c.p_adjusted if stats_cfg.adjust != "none" else c.p_value,
                        adjust_method=stats_cfg.adjust,
                        family=family,
                        test=c.test,
                        cohens_dz=c.cohens_dz,
                        rank_biserial=c.rank_biserial,
                        mean_group=c.mean_group,
                        mean_reference=c.mean_reference,
                        sd_diff=sd,
                        n_clusters=c.n_clusters,
                        n_clusters_dropped=c.n_clusters_dropped + all_unsafe,
                        n_probes=c.n_probes,
                        unsafe_skipped=unsafe,
                        mde=mde.effect_raw,
                        equivalence=eq,
                        decisions=decisions,
                        not_measurable=blind,
                    )
                )

    hashes = {name: meta.get("hash", "") for name, meta in probe_meta.items()}
    removed: list[dict[str, Any]] = []
    if baseline is not None:
        missing = missing_clusters_warning(baseline)
        if missing:
            warnings.append(missing)
        removed = removed_findings(findings, baseline)
        findings = compare(
            findings,
            diffs,
            hashes,
            baseline,
            confidence=stats_cfg.confidence,
            n_resamples=stats_cfg.n_resamples,
            seed=config.seed,
        )
    warnings += _small_sample_warnings(findings)
    gate_results = tuple(
        evaluate(g, findings, with_baseline=baseline is not None) for g in config.gates
    )
    for g in config.gates:
        if g.max_abs_bound is None:
            continue
        for f in select(g, findings):
            if f.mde is not None and f.mde > g.max_abs_bound:
                warnings.append(
                    f"{f.id}: with {f.n_clusters} clusters the minimum detectable effect "
                    f"({f.mde:.3g}) exceeds gate {g.name!r}'s margin ({g.max_abs_bound:g}); "
                    "add probes to make the gate meaningful"
                )
    stats = getattr(model, "stats", None)
    metadata = {
        "config": config.name,
        "model": {
            "name": getattr(model, "name", type(model).__name__),
            "fingerprint": getattr(model, "fingerprint", ""),
            "spec": safe_spec(config.model.spec),
        },
        "probe_sets": probe_meta,
        "probe_hashes": hashes,
        "lexicons": sorted({v for m in probe_meta.values() for v in m.get("lexicons", [])}),
        "seed": config.seed,
        "statistics": {k: getattr(stats_cfg, k) for k in stats_cfg.__dataclass_fields__},
        "library_version": __version__,
        "python": platform.python_version(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cache": {
            "hits": getattr(stats, "cache_hits", None),
            "misses": getattr(stats, "cache_misses", None),
        }
        if stats
        else None,
    }
    return AuditResult(
        config.name,
        metadata,
        tuple(findings),
        gate_results,
        tuple(omnibus),
        tuple(gaps),
        tuple(dict.fromkeys(warnings)),
        tuple(records),
        diffs,
        tuple(removed),
    )


def _source(pc: ProbeConfig) -> str:
    return pc.suite or pc.input or pc.file or f"{pc.benchmark}:{pc.path}"


def _source_key(pc: ProbeConfig) -> str:
    """The config key that names a probe source's probes (``suite``, ``input``, ...)."""
    return next(k for k in ("suite", "input", "file", "benchmark") if getattr(pc, k))


__all__ = ["ProbeRow", "run_audit"]


def _small_sample_warnings(findings: list[Finding]) -> list[str]:
    """Findings whose numbers cannot mean what they seem to: a zero-width interval (every
    cluster gave the same difference), or fewer clusters than :func:`~.gates.min_clusters`,
    so that a sign-flip or Wilcoxon test cannot reach its level whatever the data (its
    smallest two-sided p is 2 / 2**n)."""
    out = []
    for f in findings:
        if f.not_measurable:  # (its zero-width interval is explained, and probes do not help)
            out.append(f"{f.id}: not measurable: {f.not_measurable}")
        elif f.ci_method == "degenerate":
            out.append(
                f"{f.id}: every cluster gives the same difference, so the interval has zero "
                "width and measures no sampling error; add probes"
            )
        if f.test in ("sign-flip", "wilcoxon") and f.n_clusters < min_clusters(f.confidence):
            alpha = 1 - f.confidence
            floor = 2.0 ** (1 - f.n_clusters) if f.n_clusters else 1.0
            out.append(
                f"{f.id}: with {f.n_clusters} clusters no {f.test} p-value can fall below "
                f"{alpha:g} (the smallest possible is {floor:.3g}); add probes"
            )
    return out


# A cluster difference no larger than this share of the values' magnitude (at least 1) is no
# difference: float32 outputs of one text may differ by a few units in the last place when
# batched with other texts.
ZERO_DIFFERENCE = 1e-6


def _unseen(
    fid: str,
    d: np.ndarray,
    group: np.ndarray,
    reference: np.ndarray,
    truncated: bool,
    warnings: list[str],
) -> str | None:
    """Why a finding is not measurable, or None.

    The rule: when the model reported cutting inputs to fit its context (a
    :class:`~biasaudit.errors.TruncationWarning` while it measured the source) and not one
    cluster shows any difference (beyond float rounding, :data:`ZERO_DIFFERENCE`), the
    swapped words may all lie past the cut: Δ = 0 with a zero-width interval would then be
    what the model did not see, not a fair model. When only some clusters show no
    difference, a warning says how many (they pull Δ toward 0).
    """
    if not truncated or not len(d):
        return None
    scale = max(1.0, float(np.max(np.abs(group))), float(np.max(np.abs(reference))))
    zero = np.abs(d) <= ZERO_DIFFERENCE * scale
    if zero.all():
        return (
            f"the model cut its inputs to fit its context, and none of the {len(d)} clusters "
            "shows any difference: the swapped words may all lie past the cut, where the "
            "model does not see them; shorten the texts or raise the model's max_length"
        )
    if zero.any():
        warnings.append(
            f"{fid}: {int(zero.sum())} of {len(d)} clusters show no difference at all while "
            "the model cut inputs to fit its context: their swapped words may lie past the "
            "cut, which pulls Δ toward 0"
        )
    return None
