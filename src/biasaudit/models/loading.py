"""`load_model(spec, **options)`: one entry point for every kind of model.

Specs: ``"hf:PATH_OR_ID"``, ``"openai:BASE_URL"`` (with ``model=``), ``"bedrock:MODEL_ID"``,
``"default"`` (the embedded all-MiniLM-L6-v2 encoder), a Python callable, or an adapter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from biasaudit.errors import UnsupportedError
from biasaudit.models.base import BaseModel, Model

__all__ = ["load_model"]

_SCHEMES = ("hf", "openai", "bedrock", "default")


def load_model(spec: str | Callable[..., Any] | Model, **options: Any) -> Model:
    """Build the adapter a spec names; `options` go to that adapter.

    >>> load_model("hf:./my-classifier", task="classifier")       # doctest: +SKIP
    >>> load_model("openai:http://localhost:8000/v1", model="llama")  # doctest: +SKIP
    >>> load_model("bedrock:anthropic.claude-3-haiku-20240307-v1:0")  # doctest: +SKIP
    >>> load_model("default")                                       # doctest: +SKIP
    >>> load_model(lambda texts: [len(t) / 100 for t in texts])     # doctest: +SKIP
    """
    if isinstance(spec, BaseModel):
        if options:
            raise TypeError("options cannot be applied to an adapter that is already built")
        return spec
    if not isinstance(spec, str):
        if callable(spec):
            from biasaudit.models.callable import CallableModel

            return CallableModel(spec, **options)
        raise TypeError(f"cannot make a model from {type(spec).__name__}")
    if spec == "default":
        from biasaudit.models.hf import load_default

        return load_default(**options)
    scheme, sep, rest = spec.partition(":")
    if not sep or scheme not in _SCHEMES or not rest:
        raise UnsupportedError(
            f"unknown model spec {spec!r}; use 'hf:PATH_OR_ID', 'openai:BASE_URL' (with "
            "model=...), 'bedrock:MODEL_ID', 'default' or a Python callable"
        )
    if scheme == "hf":
        from biasaudit.models.hf import load_hf

        return load_hf(rest, **options)
    if scheme == "openai":
        from biasaudit.models.openai import OpenAIModel

        model = options.pop("model", None)
        if not model:
            raise UnsupportedError(
                f"{spec!r} needs the served model's name: load_model({spec!r}, model='...')"
            )
        return OpenAIModel(rest, model, **options)
    from biasaudit.models.bedrock import BedrockModel

    return BedrockModel(rest, **options)
