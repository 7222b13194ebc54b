"""Counterfactual engine: span-based, one-pass term substitution with provenance."""

from .casing import transfer_case
from .engine import SWAP, CounterfactualEngine, apply_edits
from .grammar import Decision, Grammar, Rewrite, SwapPlan
from .matcher import TermMatcher
from .types import Candidate, Counterfactual, Edit, Match

__all__ = [
    "SWAP",
    "Candidate",
    "Counterfactual",
    "CounterfactualEngine",
    "Decision",
    "Edit",
    "Grammar",
    "Match",
    "Rewrite",
    "SwapPlan",
    "TermMatcher",
    "apply_edits",
    "transfer_case",
]
