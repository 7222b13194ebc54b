"""Statistics for counterfactual bias audits: pair within clusters, then aggregate.

Clusters (the variants of one source text) are the independent unit: contrasts are formed
within a cluster, CIs come from a cluster bootstrap and tests permute labels within clusters.
See docs/statistics.md for formulas, estimands and references.
"""

from __future__ import annotations

from .group import FOUR_FIFTHS, GroupMetricsResult, disparate_impact_ci, group_metrics
from .matrix import ClusterMatrix, cluster_matrix
from .metrics import (
    ClassifierMetrics,
    GroupRate,
    PreferenceResult,
    WeatResult,
    classifier_metrics,
    counterfactual_shift,
    probability_to_logit,
    refusal_rates,
    shared_continuation_delta,
    stereotype_preference,
    weat,
    within_prompt_difference,
)
from .multiplicity import adjust, adjust_pvalues, benjamini_hochberg, holm
from .nulls import (
    STATISTICS,
    NullCalibratedResult,
    counterfactual_gap,
    null_calibrated,
    spread_gap,
    wasserstein_gap,
)
from .paired import (
    ContrastResult,
    McNemarResult,
    OmnibusResult,
    TostResult,
    cohens_dz,
    contrasts_vs_reference,
    mcnemar_exact,
    mcnemar_paired,
    omnibus_test,
    paired_contrast,
    rank_biserial,
    tost_paired,
    wilcoxon_test,
)
from .power import (
    MinimumDetectableEffect,
    minimum_detectable_effect,
    paired_power,
    required_clusters,
)
from .resampling import (
    CI_METHODS,
    MIN_BOOTSTRAP_RESAMPLES,
    BootstrapCI,
    SignFlipResult,
    bootstrap_mean_ci,
    sign_flip_pvalues,
    sign_flip_test,
)

__all__ = [
    "CI_METHODS",
    "FOUR_FIFTHS",
    "MIN_BOOTSTRAP_RESAMPLES",
    "STATISTICS",
    "BootstrapCI",
    "ClassifierMetrics",
    "ClusterMatrix",
    "ContrastResult",
    "GroupMetricsResult",
    "GroupRate",
    "McNemarResult",
    "MinimumDetectableEffect",
    "NullCalibratedResult",
    "OmnibusResult",
    "PreferenceResult",
    "SignFlipResult",
    "TostResult",
    "WeatResult",
    "adjust",
    "adjust_pvalues",
    "benjamini_hochberg",
    "bootstrap_mean_ci",
    "classifier_metrics",
    "cluster_matrix",
    "cohens_dz",
    "contrasts_vs_reference",
    "counterfactual_gap",
    "counterfactual_shift",
    "disparate_impact_ci",
    "group_metrics",
    "holm",
    "mcnemar_exact",
    "mcnemar_paired",
    "minimum_detectable_effect",
    "null_calibrated",
    "omnibus_test",
    "paired_contrast",
    "paired_power",
    "probability_to_logit",
    "rank_biserial",
    "refusal_rates",
    "required_clusters",
    "shared_continuation_delta",
    "sign_flip_pvalues",
    "sign_flip_test",
    "spread_gap",
    "stereotype_preference",
    "tost_paired",
    "wasserstein_gap",
    "weat",
    "wilcoxon_test",
    "within_prompt_difference",
]
