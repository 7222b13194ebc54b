"""Outcomes: the number an audit reads off a model for each probe text.

Each outcome needs one model capability and returns one value per text, or several
(``n`` generations) that the statistics average within the probe first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ConfigError, Location, UnsupportedError
from ..models import Capability, require_capability
from ..models.scorers import label_column, label_probabilities

# Career vs family attribute words (Greenwald et al. 1998; Caliskan et al. 2017, WEAT 6).
CAREER = [
    "executive",
    "management",
    "professional",
    "corporation",
    "salary",
    "office",
    "business",
    "career",
]
FAMILY = ["home", "parents", "children", "family", "cousins", "marriage", "wedding", "relatives"]


@dataclass(frozen=True)
class Measured:
    """Values for a list of texts; ``per_text`` holds the replicate values (generations)."""

    values: np.ndarray
    per_text: list[np.ndarray] | None = None
    units: str = ""


CAPABILITY = {
    "proba": Capability.PROBABILITIES,
    "logit": Capability.PROBABILITIES,
    "loglik": Capability.LOGLIKELIHOOD,
    "continuation": Capability.LOGLIKELIHOOD,
    "association": Capability.EMBEDDING,
    "generation": Capability.GENERATION,
}

DESCRIPTION = {
    "proba": "P({label}) from the classifier",
    "logit": "log-odds of {label} from the classifier",
    "loglik": "log-likelihood of the text",
    "continuation": "log-likelihood of a shared continuation",
    "association": "cosine association with attribute A minus attribute B",
    "generation": "mean {scorer} score of generated text",
}


def _param(name: str) -> Location:
    """Where in a metric's config a bad parameter is: ``params.<name>`` (the runner puts
    the config file, line and ``metrics[i].`` in front)."""
    return Location(None, None, f"params.{name}")


def describe(name: str, params: Mapping[str, Any]) -> str:
    """A one-line description of what the outcome measures, for reports."""
    return DESCRIPTION[name].format(
        label=params.get("label", "the positive class"), scorer=params.get("scorer", "length")
    )


def _label_index(model: Any, label: Any) -> int:
    """The probability column of ``label``, or of the positive class when it is ``None``
    (``ConfigError`` for a label the model lacks)."""
    labels = list(getattr(model, "labels", ()) or ())
    if label is None:
        for guess in ("positive", "POSITIVE", "pos", "LABEL_1", "1"):
            if guess in labels:
                return labels.index(guess)
        return len(labels) - 1 if labels else 1
    try:
        return label_column(model, label)
    except UnsupportedError as exc:
        raise ConfigError(str(exc), _param("label")) from None


def _attributes(params: Mapping[str, Any], key: str, default: Sequence[str]) -> list[str]:
    words = params.get(key, default)
    if isinstance(words, (str, bytes)) or not isinstance(words, Sequence):
        # list("career") would be six one-letter attributes
        raise ConfigError(f"{key} must be a list of words, got {words!r}", _param(key))
    words = list(words)
    if not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise ConfigError(
            f"{key} must be a non-empty list of non-empty words, got {words!r}", _param(key)
        )
    return words


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def _scorer(params: Mapping[str, Any]) -> Any:
    from ..models import LengthScorer, LexiconScorer, RefusalScorer

    kind = params.get("scorer", "length")
    if kind == "length":
        return LengthScorer()
    if kind == "refusal":
        return RefusalScorer()
    if kind == "lexicon":
        words = params.get("words")
        if not words:
            raise ConfigError("the lexicon scorer needs params.words", _param("words"))
        return LexiconScorer(words)
    raise ConfigError(
        f"unknown scorer {kind!r} (known: length, refusal, lexicon)", _param("scorer")
    )


def measure(
    name: str, model: Any, texts: Sequence[str], params: Mapping[str, Any], *, seed: int = 0
) -> Measured:
    """Measure outcome ``name`` on ``texts`` with ``model`` (fails early without the capability)."""
    require_capability(model, CAPABILITY[name])
    texts = list(texts)
    if name in ("proba", "logit"):
        label = params.get("label")
        if isinstance(label, bool) or getattr(model, "labels", None):
            _label_index(model, label)  # a bad label fails before inference
        probs = np.asarray(model.predict_proba(texts), dtype=float)
        # a callable learns its labels from its first answer: resolve them again
        try:
            p = label_probabilities(probs, _label_index(model, label), label)
        except UnsupportedError as exc:
            raise ConfigError(str(exc), _param("label")) from None
        if name == "proba":
            return Measured(p, units="probability")
        from ..stats import probability_to_logit

        return Measured(probability_to_logit(p), units="logit")
    if name == "loglik":
        return Measured(np.asarray(model.loglikelihood(texts), dtype=float), units="nats")
    if name == "continuation":
        cont = params.get("continuation")
        if not cont:
            raise ConfigError(
                "the continuation metric needs params.continuation", _param("continuation")
            )
        values = model.continuation_loglikelihood(texts, [cont] * len(texts))
        return Measured(np.asarray(values, dtype=float), units="nats")
    if name == "association":
        a = _attributes(params, "attribute_a", CAREER)
        b = _attributes(params, "attribute_b", FAMILY)
        emb = _unit(np.asarray(model.embed(texts), dtype=float))
        ea = _unit(np.asarray(model.embed(a), dtype=float))
        eb = _unit(np.asarray(model.embed(b), dtype=float))
        return Measured((emb @ ea.T).mean(axis=1) - (emb @ eb.T).mean(axis=1), units="cosine")
    if name == "generation":
        n = int(params.get("n", 5))
        outs = model.generate(
            texts, n=n, seed=seed, max_new_tokens=int(params.get("max_new_tokens", 64))
        )
        scorer = _scorer(params)
        flat = [s for samples in outs for s in samples]
        scores = np.asarray(scorer.score(flat), dtype=float) if flat else np.zeros(0)
        per_text, pos = [], 0
        for samples in outs:
            per_text.append(scores[pos : pos + len(samples)])
            pos += len(samples)
        values = np.array([x.mean() if len(x) else np.nan for x in per_text])
        return Measured(values, per_text, units=params.get("scorer", "length"))
    raise ConfigError(f"unknown metric {name!r}", Location(None, None, "name"))
