"""The audit runner: probes → model outputs → paired statistics → gates → reports."""

from .baseline import load_baseline
from .config import (
    AuditConfig,
    GateConfig,
    MetricConfig,
    ModelConfig,
    ProbeConfig,
    StatsConfig,
    load_config,
    parse_config,
    validate,
)
from .result import AuditResult, Finding, GateOutcome
from .runner import run_audit

__all__ = [
    "AuditConfig",
    "AuditResult",
    "Finding",
    "GateConfig",
    "GateOutcome",
    "MetricConfig",
    "ModelConfig",
    "ProbeConfig",
    "StatsConfig",
    "load_baseline",
    "load_config",
    "parse_config",
    "run_audit",
    "validate",
]
