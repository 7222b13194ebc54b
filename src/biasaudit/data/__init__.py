"""Training-data scanner and rebalancer: who a corpus mentions, with which labels and
occupations, flagged with honest statistics, fixed by reweighing or counterfactuals.

>>> from biasaudit.data import ScanConfig, scan
>>> result = scan("train.jsonl", ScanConfig(lang="en", label_field="label"))  # doctest: +SKIP

Runs in one process, on a local process pool (``LocalRunner(workers=4)``) or on a Dask
cluster (``DaskRunner(scheduler="tcp://...")``) with identical results: the scan is a map
(integer count tables per chunk) and a reduce (their sum).
"""

from __future__ import annotations

from .analysis import (
    Association,
    ScanResult,
    ScanThresholds,
    Share,
    TableTest,
    Weights,
    analyze,
    bh_adjust,
    effective_sample_size,
    log_odds_dirichlet,
    reweighing,
    smoothed_pmi,
    wilson_interval,
)
from .counts import ChunkCounts, ScanSpec, scan_chunk, sum_counts
from .occupations import occupation_terms
from .rebalance import METHODS, ChunkOutput, RebalancePlan, flag_chunk
from .runners import DaskRunner, LocalRunner
from .scanner import (
    RebalanceReport,
    ScanConfig,
    flag_examples,
    plan_for,
    scan,
    scan_to_dir,
    write_flags,
)
from .sources import BAD_KINDS, BadRecord, DataSource, Example, Fields, open_source

__all__ = [
    "BAD_KINDS",
    "METHODS",
    "Association",
    "BadRecord",
    "ChunkCounts",
    "ChunkOutput",
    "DaskRunner",
    "DataSource",
    "Example",
    "Fields",
    "LocalRunner",
    "RebalancePlan",
    "RebalanceReport",
    "ScanConfig",
    "ScanResult",
    "ScanSpec",
    "ScanThresholds",
    "Share",
    "TableTest",
    "Weights",
    "analyze",
    "bh_adjust",
    "effective_sample_size",
    "flag_chunk",
    "flag_examples",
    "log_odds_dirichlet",
    "occupation_terms",
    "open_source",
    "plan_for",
    "reweighing",
    "scan",
    "scan_chunk",
    "scan_to_dir",
    "smoothed_pmi",
    "sum_counts",
    "wilson_interval",
    "write_flags",
]
