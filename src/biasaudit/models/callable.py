"""Plain Python callables as models: ``f(list[str]) -> scores | probabilities | ...``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from biasaudit.models.base import (
    BaseModel,
    Capability,
    check_texts,
    continuation_start,
    positive_int,
    require_capability,
)

__all__ = ["CallableModel"]


def _callable_name(fn: Callable[..., Any]) -> str:
    module = getattr(fn, "__module__", None) or ""
    qual = getattr(fn, "__qualname__", None) or type(fn).__name__
    return f"{module}.{qual}" if module else qual


def _code_digest(fn: Callable[..., Any]) -> str:
    """Hash of a function's bytecode and constants, so editing the function changes it."""
    code = getattr(fn, "__code__", None)
    if code is None:  # a callable object: hash its class's __call__
        call = vars(type(fn)).get("__call__")
        code = getattr(call, "__code__", None)
    if code is None:
        return "opaque"
    payload = code.co_code + repr(code.co_consts).encode() + repr(code.co_names).encode()
    return hashlib.sha256(payload).hexdigest()[:16]


class CallableModel(BaseModel):
    """Wrap a function taking a list of texts and returning one answer per text.

    With ``capability=PROBABILITIES`` (the default) a 1-D result is a score (one column named
    ``"score"``) and a 2-D result is class probabilities; ``LOGLIKELIHOOD`` expects 1-D values,
    ``EMBEDDING`` 2-D vectors and ``GENERATION`` a string or a list of strings per prompt.
    A ``LOGLIKELIHOOD`` callable scores whole texts; continuations are scored from it as
    ``ll(prefix + continuation) - ll(prefix)`` (see :meth:`continuation_loglikelihood`).
    Results are cached in memory by text unless ``cache=False`` (use that for impure functions).
    The fingerprint is the name plus a hash of the function's code; give closures that differ
    only in captured values distinct ``name=`` values before sharing a persistent cache.
    """

    def __init__(
        self,
        fn: Callable[[list[str]], Any],
        *,
        capability: Capability | str = Capability.PROBABILITIES,
        name: str | None = None,
        labels: Sequence[str] | None = None,
        batch_size: int | None = None,
        cache: Any = None,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"expected a callable, got {type(fn).__name__}")
        self.fn = fn
        self.capability = Capability(capability)
        self.batch_size = None if batch_size is None else positive_int(batch_size, "batch_size")
        name = name or _callable_name(fn)
        digest = _code_digest(fn)
        super().__init__(name=name, fingerprint=f"callable:{name}@{digest}", cache=cache)
        self._capabilities = frozenset({self.capability})
        self._labels = tuple(labels) if labels is not None else ()

    def _call(self, texts: list[str]) -> list[Any]:
        size = self.batch_size or max(len(texts), 1)
        out: list[Any] = []
        for start in range(0, len(texts), size):
            chunk = texts[start : start + size]
            result = self.fn(chunk)
            if isinstance(result, np.ndarray):
                result = list(result)
            result = list(result)
            if len(result) != len(chunk):
                raise ValueError(
                    f"model '{self.name}' returned {len(result)} results for {len(chunk)} texts"
                )
            out.extend(result)
        return out

    def _map(self, op: str, texts: list[str]) -> list[Any]:
        def compute(missing: list[str], emit: Callable[[int, Any], None]) -> None:
            for i, value in enumerate(self._call(missing)):
                emit(i, value)

        return self._cached_map(op, {}, texts, compute)

    def _numeric(self, op: str, texts: Sequence[str], capability: Capability) -> np.ndarray:
        require_capability(self, capability)
        texts = check_texts(texts)
        values = self._map(op, texts)
        try:
            array = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"model '{self.name}' returned non-numeric or ragged results") from exc
        if np.isnan(array).any():
            raise ValueError(f"model '{self.name}' returned NaN")
        return array

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """n×k probabilities, or an n×1 column of scores for a 1-D callable."""
        array = self._numeric("proba", texts, Capability.PROBABILITIES)
        if array.ndim == 1:
            array = array[:, None]
            if not self._labels:
                self._labels = ("score",)
        elif array.ndim != 2:
            raise ValueError(f"model '{self.name}' must return 1-D scores or 2-D probabilities")
        if not self._labels:
            self._labels = tuple(str(i) for i in range(array.shape[1]))
        if len(self._labels) != array.shape[1]:
            raise ValueError(
                f"model '{self.name}' returned {array.shape[1]} columns for labels {self._labels}"
            )
        return array

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """The 1-D score (or last probability column): lets a callable act as a `Scorer`."""
        array = self.predict_proba(texts)
        return array[:, -1]

    def loglikelihood(self, texts: Sequence[str]) -> np.ndarray:
        """1-D log-likelihoods from the callable."""
        array = self._numeric("ll", texts, Capability.LOGLIKELIHOOD)
        if array.ndim != 1:
            raise ValueError(f"model '{self.name}' must return one log-likelihood per text")
        return array

    def continuation_loglikelihood(
        self, prefixes: Sequence[str], continuations: Sequence[str]
    ) -> np.ndarray:
        """log P(continuation | prefix) from a callable that returns log P(text):
        ``ll(prefix + continuation) - ll(prefix)``.

        By the chain rule, log P(prefix + continuation) = log P(prefix) + log P(continuation
        | prefix), so the difference is exact for a callable that returns a text's summed
        token log-probability, as long as its tokenizer splits the joined text at the
        boundary. Whitespace at the end of the prefix goes with the continuation, as for the
        Hugging Face adapters: ``("He is a ", "nurse")`` is ``ll("He is a nurse") -
        ll("He is a")``. An empty continuation scores 0 and an empty prefix the
        continuation's own log-likelihood (the callable is not asked about ``""``). For a
        callable whose score is not a summed log-probability (a mean per token, a
        pseudo-log-likelihood) the result is the difference of two scores, not a
        conditional probability.
        """
        require_capability(self, Capability.LOGLIKELIHOOD)
        prefixes = check_texts(prefixes, "prefixes")
        continuations = check_texts(continuations, "continuations")
        if len(prefixes) != len(continuations):
            raise ValueError("prefixes and continuations must have the same length")
        pairs = []
        for prefix, continuation in zip(prefixes, continuations, strict=True):
            full = prefix + continuation
            head = full[: continuation_start(prefix, continuation)] if continuation else full
            pairs.append((full, head))
        needed = list(
            dict.fromkeys(t for full, head in pairs if full != head for t in (full, head) if t)
        )
        scores = dict(zip(needed, self.loglikelihood(needed).tolist(), strict=True))
        return np.asarray(
            [
                0.0 if full == head else scores[full] - (scores[head] if head else 0.0)
                for full, head in pairs
            ],
            dtype=np.float64,
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """n×d embeddings from the callable."""
        array = self._numeric("embed", texts, Capability.EMBEDDING)
        if array.ndim != 2:
            raise ValueError(f"model '{self.name}' must return one vector per text")
        return array

    def generate(
        self, prompts: Sequence[str], *, n: int = 1, seed: int = 0, max_new_tokens: int = 64
    ) -> list[list[str]]:
        """The callable's text(s) per prompt; `n` must match when it returns lists."""
        require_capability(self, Capability.GENERATION)
        prompts = check_texts(prompts, "prompts")
        out: list[list[str]] = []
        for prompt, value in zip(prompts, self._map("generate", prompts), strict=True):
            samples = [value] if isinstance(value, str) else list(value)
            if len(samples) == 1 and n > 1:
                samples = samples * n
            if len(samples) != n or not all(isinstance(s, str) for s in samples):
                raise ValueError(
                    f"model '{self.name}' must return a string or {n} strings per prompt "
                    f"(got {samples!r:.80} for {prompt!r:.40})"
                )
            out.append(samples)
        return out
