"""The model interface: capabilities, the `Model` protocol and shared adapter plumbing.

Adapters (Hugging Face, OpenAI-compatible HTTP, Bedrock, Python callables) implement the
subset of methods their model supports and advertise it in ``capabilities``; an audit calls
:func:`require_capability` first so a mismatch fails before any work is done.
"""

from __future__ import annotations

import enum
import hashlib
import json
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from biasaudit.errors import ModelOptionError, UnsupportedError
from biasaudit.models.cache import ResultCache, as_result_cache

__all__ = [
    "BaseModel",
    "Capability",
    "Model",
    "ModelStats",
    "require_capability",
]


class Capability(str, enum.Enum):
    """What a model can be asked for."""

    PROBABILITIES = "probabilities"
    LOGLIKELIHOOD = "loglikelihood"
    GENERATION = "generation"
    EMBEDDING = "embedding"

    def __str__(self) -> str:
        return self.value


_METHODS = {
    Capability.PROBABILITIES: "predict_proba(texts)",
    Capability.LOGLIKELIHOOD: "loglikelihood(texts) / continuation_loglikelihood(...)",
    Capability.GENERATION: "generate(prompts, n=..., seed=...)",
    Capability.EMBEDDING: "embed(texts)",
}


@runtime_checkable
class Model(Protocol):
    """A model adapter: a stable identity plus the methods its capabilities allow."""

    @property
    def name(self) -> str:
        """A readable name for reports (e.g. the model id)."""
        ...

    @property
    def fingerprint(self) -> str:
        """A stable identity of the weights and settings: cache keys and reports use it."""
        ...

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What this adapter can be asked for; other methods raise UnsupportedError."""
        ...

    @property
    def labels(self) -> tuple[str, ...]:
        """Class labels, one per column of :meth:`predict_proba` (empty for other models)."""
        ...

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """PROBABILITIES: an ``n × k`` array of class probabilities, columns as ``labels``."""
        ...

    def loglikelihood(self, texts: Sequence[str]) -> np.ndarray:
        """LOGLIKELIHOOD: the summed token log-probability of each text (``n`` values)."""
        ...

    def continuation_loglikelihood(
        self, prefixes: Sequence[str], continuations: Sequence[str]
    ) -> np.ndarray:
        """LOGLIKELIHOOD: log P(continuation | prefix) for each aligned pair (``n`` values)."""
        ...

    def generate(
        self, prompts: Sequence[str], *, n: int = 1, seed: int = 0, max_new_tokens: int = 64
    ) -> list[list[str]]:
        """GENERATION: ``n`` sampled replies per prompt, reproducible for a given ``seed``."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """EMBEDDING: an ``n × d`` array, one vector per text."""
        ...


def require_capability(model: Any, capability: Capability | str) -> None:
    """Raise UnsupportedError, naming the model and what it can do, unless it has `capability`."""
    cap = Capability(capability)
    caps = frozenset(getattr(model, "capabilities", ()))
    if cap in caps:
        return
    name = getattr(model, "name", type(model).__name__)
    offered = ", ".join(sorted(c.value for c in caps)) or "nothing"
    raise UnsupportedError(
        f"model '{name}' does not support {cap.value} ({_METHODS[cap]}); it offers: {offered}. "
        f"{_hint(cap)}"
    )


def _hint(cap: Capability) -> str:
    return {
        Capability.PROBABILITIES: "Use a sequence classifier (hf: task='classifier') or a "
        "callable returning probabilities, or score generated text with a Scorer.",
        Capability.LOGLIKELIHOOD: "Use a causal or masked LM (hf: task='causal-lm' or "
        "'masked-lm'), or an OpenAI-compatible server with echo_logprobs=True.",
        Capability.GENERATION: "Use a causal LM, an OpenAI-compatible server or Bedrock.",
        Capability.EMBEDDING: "Use an encoder (hf: task='encoder') or load_model('default').",
    }[cap]


@dataclass(frozen=True)
class ModelStats:
    """Counters for reports: how many inputs were asked for and where the answers came from."""

    requested: int = 0
    deduplicated: int = 0
    memory_hits: int = 0
    disk_hits: int = 0
    computed: int = 0
    remote_calls: int = 0
    retries: int = 0

    @property
    def cache_hits(self) -> int:
        """Answers served from the in-memory LRU or the persistent cache."""
        return self.memory_hits + self.disk_hits

    @property
    def cache_misses(self) -> int:
        """Answers that had to be computed (locally) or requested (remotely)."""
        return self.computed


class StatsCounter:
    """Thread-safe mutable counters behind `ModelStats` snapshots."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values = dict.fromkeys(ModelStats.__dataclass_fields__, 0)

    def add(self, **counts: int) -> None:
        with self._lock:
            for key, value in counts.items():
                self._values[key] += value

    def snapshot(self) -> ModelStats:
        with self._lock:
            return ModelStats(**self._values)

    def reset(self) -> None:
        with self._lock:
            self._values = dict.fromkeys(self._values, 0)


def cache_key(fingerprint: str, op: str, params: dict[str, Any], item: Any) -> str:
    """A stable hash of everything that determines an answer (never includes credentials)."""
    payload = json.dumps(
        [fingerprint, op, params, item], sort_keys=True, ensure_ascii=False, default=str
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class BaseModel:
    """Shared behaviour: unsupported methods raise clearly; results are de-duplicated and cached.

    Subclasses set ``_capabilities``, ``_name`` and ``_fingerprint`` and implement the methods
    they support by calling :meth:`_cached_map` with a batch function.
    """

    _capabilities: frozenset[Capability] = frozenset()
    _labels: tuple[str, ...] = ()

    def __init__(self, *, name: str, fingerprint: str, cache: Any = None) -> None:
        self._name = name
        self._fingerprint = fingerprint
        self._cache: ResultCache = as_result_cache(cache)
        self._stats = StatsCounter()

    # -- identity ---------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """Human-readable model name used in reports."""
        return self._name

    @property
    def fingerprint(self) -> str:
        """Stable identity of the model and its settings; used in cache keys, never secret."""
        return self._fingerprint

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What this adapter can be asked for."""
        return self._capabilities

    @property
    def labels(self) -> tuple[str, ...]:
        """Column names of `predict_proba` (empty for models without PROBABILITIES)."""
        return self._labels

    @property
    def stats(self) -> ModelStats:
        """A snapshot of request, cache and remote-call counters."""
        return self._stats.snapshot()

    @property
    def cache(self) -> Any:
        """The result cache (memory LRU plus optional persistent store)."""
        return self._cache

    def reset_stats(self) -> None:
        """Zero the counters (the caches are kept)."""
        self._stats.reset()

    def __repr__(self) -> str:
        caps = ",".join(sorted(c.value for c in self.capabilities))
        return f"{type(self).__name__}(name={self.name!r}, capabilities={caps})"

    # -- default methods --------------------------------------------------------------------
    # An adapter without a capability gets UnsupportedError naming what it offers; one that
    # declares a capability overrides the method (``_missing`` flags an adapter that forgot).
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """PROBABILITIES: an ``n × k`` array of class probabilities, columns as ``labels``."""
        require_capability(self, Capability.PROBABILITIES)
        raise self._missing()  # pragma: no cover

    def loglikelihood(self, texts: Sequence[str]) -> np.ndarray:
        """LOGLIKELIHOOD: the summed token log-probability of each text (``n`` values)."""
        require_capability(self, Capability.LOGLIKELIHOOD)
        raise self._missing()  # pragma: no cover

    def continuation_loglikelihood(
        self, prefixes: Sequence[str], continuations: Sequence[str]
    ) -> np.ndarray:
        """LOGLIKELIHOOD: log P(continuation | prefix) for each aligned pair (``n`` values)."""
        require_capability(self, Capability.LOGLIKELIHOOD)
        raise self._missing()  # pragma: no cover

    def generate(
        self, prompts: Sequence[str], *, n: int = 1, seed: int = 0, max_new_tokens: int = 64
    ) -> list[list[str]]:
        """GENERATION: ``n`` sampled replies per prompt, reproducible for a given ``seed``."""
        require_capability(self, Capability.GENERATION)
        raise self._missing()  # pragma: no cover

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """EMBEDDING: an ``n × d`` array, one vector per text."""
        require_capability(self, Capability.EMBEDDING)
        raise self._missing()  # pragma: no cover

    def _missing(self) -> TypeError:
        return TypeError(f"{type(self).__name__} declares a capability it does not implement")

    # -- plumbing ---------------------------------------------------------------------------
    def _plan(self, op: str, params: dict[str, Any], items: Sequence[Hashable]) -> CachePlan:
        """Hash, de-duplicate and look up `items`; count what was found where."""
        keys = [cache_key(self._fingerprint, op, params, item) for item in items]
        unique: dict[str, Any] = {}
        for key, item in zip(keys, items, strict=True):
            unique.setdefault(key, item)
        found, memory_hits, disk_hits = self._cache.get_many(list(unique))
        missing_keys = [k for k in unique if k not in found]
        self._stats.add(
            requested=len(items),
            deduplicated=len(items) - len(unique),
            memory_hits=memory_hits,
            disk_hits=disk_hits,
            computed=len(missing_keys),
        )
        return CachePlan(op, keys, found, missing_keys, [unique[k] for k in missing_keys])

    def _emit(self, plan: CachePlan, i: int, value: Any) -> None:
        """Record the answer to ``plan.missing[i]`` (committed at once to a persistent cache)."""
        key = plan.missing_keys[i]
        plan.found[key] = value
        self._cache.put(key, value, model=self._fingerprint, op=plan.op)

    def _cached_map(
        self,
        op: str,
        params: dict[str, Any],
        items: Sequence[Hashable],
        compute: Callable[[list[Any], Callable[[int, Any], None]], None],
    ) -> list[Any]:
        """Answer `items` in order: de-duplicate, serve cache hits, compute only the misses.

        `compute(missing, emit)` must call ``emit(i, value)`` once for each ``missing[i]``;
        each value is stored (and committed, for a persistent cache) as soon as it is emitted,
        so an interrupted run keeps everything answered so far.
        """
        plan = self._plan(op, params, items)
        if plan.missing:
            compute(plan.missing, lambda i, value: self._emit(plan, i, value))
        return plan.results()


@dataclass
class CachePlan:
    """The cache lookup for one call: all keys in order, what was found and what is missing."""

    op: str
    keys: list[str]
    found: dict[str, Any]
    missing_keys: list[str]
    missing: list[Any]

    def results(self) -> list[Any]:
        """Answers in input order (raises if an adapter left one unanswered)."""
        try:
            return [self.found[k] for k in self.keys]
        except KeyError:  # pragma: no cover - a bug in an adapter, not user error
            raise RuntimeError(f"{self.op}: some inputs were left unanswered") from None


def check_texts(texts: Sequence[str], what: str = "texts") -> list[str]:
    """Accept a sequence of strings (not a bare string) and return it as a list.

    Empty strings are accepted: generated text can be empty and scorers must score it, and
    an empty continuation has a log-likelihood of 0 (no token to score). An adapter whose
    model would be left with no token at all (a local classifier, encoder or prompt whose
    tokenizer adds no special tokens) raises ValueError naming the index itself.
    """
    if isinstance(texts, str):
        raise TypeError(f"{what} must be a list of strings, not a single string")
    out = list(texts)
    for i, text in enumerate(out):
        if not isinstance(text, str):
            raise TypeError(f"{what}[{i}] is {type(text).__name__}, expected str")
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:  # a lone surrogate: no model or server takes it
                raise ValueError(
                    f"{what}[{i}] holds {text[exc.start]!r} at character {exc.start}, half "
                    "of a surrogate pair, which is not text (was it decoded with "
                    "errors='surrogateescape', or cut inside an emoji?)"
                ) from None
    return out


def positive_int(value: Any, option: str) -> int:
    """`value` as an int of at least 1, or a ModelOptionError naming `option`."""
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ModelOptionError(
            f"{option}={value!r} is not a whole number; pass a positive integer", option=option
        )
    number = int(value.__index__())
    if number < 1:
        raise ModelOptionError(f"{option}={value!r} must be at least 1", option=option)
    return number


def check_seed(seed: Any) -> int:
    """`seed` as an int, or a ModelOptionError naming it: generations are seeded so that
    they can be reproduced, and None (or 1.5) seeds nothing reproducible."""
    if isinstance(seed, bool) or not hasattr(seed, "__index__"):
        raise ModelOptionError(
            f"seed={seed!r}: the seed must be an integer (generations are seeded so that they "
            "can be reproduced)",
            option="seed",
        )
    return int(seed.__index__())


def continuation_start(prefix: str, continuation: str) -> int:
    """Where a continuation's scored tokens start: the prefix's trailing whitespace moves to
    the continuation (``"He is a " + "nurse"`` scores ``" nurse"``), as lm-evaluation-harness
    does, since tokenizers attach a space to the word after it."""
    if not continuation or continuation[:1].isspace():
        return len(prefix)
    return len(prefix.rstrip())


def no_token_message(prefix: str, continuation: str) -> str:
    """Why a continuation with no token of its own cannot be scored."""
    return (
        f"continuation {continuation!r} after prefix ...{prefix[-30:]!r} has no token of its "
        "own: the tokenizer joins it to the prefix's last token; end the prefix at a word "
        "boundary"
    )
