"""Model adapters: local (Hugging Face), remote (OpenAI-compatible HTTP, Bedrock) and callables.

Importing this package is cheap: torch, transformers and boto3 are imported only when an
adapter that needs them is built. See docs/models.md.
"""

from __future__ import annotations

from typing import Any

from biasaudit.errors import ModelNotFoundError
from biasaudit.models.base import BaseModel, Capability, Model, ModelStats, require_capability
from biasaudit.models.cache import ResponseCache, ResultCache
from biasaudit.models.callable import CallableModel
from biasaudit.models.loading import load_model
from biasaudit.models.retry import RemoteModelError, RetryPolicy
from biasaudit.models.scorers import (
    LengthScorer,
    LexiconScorer,
    ModelScorer,
    RefusalScorer,
    Scorer,
)

__all__ = [
    "BaseModel",
    "BedrockModel",
    "CallableModel",
    "Capability",
    "HFCausalLM",
    "HFClassifier",
    "HFEncoder",
    "HFMaskedLM",
    "LengthScorer",
    "LexiconScorer",
    "Model",
    "ModelNotFoundError",
    "ModelScorer",
    "ModelStats",
    "OpenAIModel",
    "RefusalScorer",
    "RemoteModelError",
    "ResponseCache",
    "ResultCache",
    "RetryPolicy",
    "Scorer",
    "load_model",
    "require_capability",
]

_LAZY = {
    "HFCausalLM": "biasaudit.models.hf",
    "HFClassifier": "biasaudit.models.hf",
    "HFEncoder": "biasaudit.models.hf",
    "HFMaskedLM": "biasaudit.models.hf",
    "OpenAIModel": "biasaudit.models.openai",
    "BedrockModel": "biasaudit.models.bedrock",
}


def __getattr__(name: str) -> Any:
    """Import adapter classes on first use (they are light, but keep one import path)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'biasaudit.models' has no attribute {name!r}")
