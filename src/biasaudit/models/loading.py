"""`load_model(spec, **options)`: one entry point for every kind of model.

Specs: ``"hf:PATH_OR_ID"``, ``"openai:BASE_URL"`` (with ``model=``), ``"bedrock:MODEL_ID"``,
``"default"`` (the embedded all-MiniLM-L6-v2 encoder), a Python callable, or an adapter.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from biasaudit.errors import UnsupportedError
from biasaudit.models.base import BaseModel, Model

__all__ = ["load_model", "model_options"]

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


def model_options(spec: str) -> set[str] | None:
    """The options `load_model(spec, ...)` accepts for the adapter a spec names, so a config
    can be checked before anything is loaded (None when that cannot be told)."""
    scheme = "default" if spec == "default" else spec.partition(":")[0]
    try:
        if scheme in ("default", "hf"):
            from biasaudit.models import hf

            calls: list[Callable[..., Any]] = [
                hf.load_hf,
                hf.HFModel.from_pretrained,
                hf.HFModel.__init__,
            ]
            calls += [c.__init__ for c in getattr(hf, "_CLASSES", {}).values()]
            skip = {"self", "cls", "model", "tokenizer", "path"}
        elif scheme == "openai":
            from biasaudit.models.openai import OpenAIModel

            calls, skip = [OpenAIModel.__init__], {"self", "base_url"}
        elif scheme == "bedrock":
            from biasaudit.models.bedrock import BedrockModel

            calls, skip = [BedrockModel.__init__], {"self", "model_id"}
        else:
            return None
        names: set[str] = set()
        for call in calls:
            for p in inspect.signature(call).parameters.values():
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in skip:
                    names.add(p.name)
        return names or None
    except ImportError:  # an adapter that cannot be imported fails when it is built
        return None
