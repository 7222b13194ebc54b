"""Per-output-type bias metrics: small pure functions the audit runner calls on paired outputs.

Each takes outputs already aligned by counterfactual pair (index i of the group array and of
the reference array come from the same source text). Inference over clusters is done by
feeding the per-probe values to cluster_matrix and paired_contrast.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from biasaudit.errors import InputError

from ._common import SeedLike, as_1d_float, as_rng, check_confidence, check_positive_int
from .paired import McNemarResult, mcnemar_exact

__all__ = [
    "ClassifierMetrics",
    "GroupRate",
    "PreferenceResult",
    "WeatResult",
    "classifier_metrics",
    "counterfactual_shift",
    "probability_to_logit",
    "refusal_rates",
    "shared_continuation_delta",
    "stereotype_preference",
    "weat",
    "within_prompt_difference",
]


def _pair(a: object, b: object, *, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    x = as_1d_float(a, name=names[0])
    y = as_1d_float(b, name=names[1])
    if x.shape != y.shape:
        raise InputError(
            f"'{names[0]}' and '{names[1]}' must have equal length, got "
            f"{x.shape[0]} and {y.shape[0]}"
        )
    if x.shape[0] == 0:
        raise InputError("no pairs given")
    return x, y


# --- classifiers -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassifierMetrics:
    """Counterfactual metrics of a probabilistic classifier over aligned group/reference pairs."""

    n_pairs: int
    delta_prob: float
    delta_logit: float
    ctf_gap: float
    threshold: float
    flip_rate: float
    n_flip_up: int
    n_flip_down: int
    mcnemar: McNemarResult


def probability_to_logit(prob: Sequence[float] | np.ndarray, *, eps: float = 1e-7) -> np.ndarray:
    """log(p / (1 − p)) with p clipped to [eps, 1 − eps] so saturated outputs stay finite."""
    p = as_1d_float(prob, name="prob")
    if np.any((p < 0) | (p > 1)):
        raise InputError("probabilities must lie in [0, 1]")
    return special.logit(np.clip(p, eps, 1.0 - eps))


def classifier_metrics(
    prob_group: Sequence[float] | np.ndarray,
    prob_reference: Sequence[float] | np.ndarray,
    *,
    threshold: float = 0.5,
    eps: float = 1e-7,
) -> ClassifierMetrics:
    """Signed mean Δ of probability and logit, CTF gap mean |Δp| (Garg et al. 2019), flip rate.

    A decision is positive when p > threshold; ``n_flip_up`` counts pairs positive only for the
    group, ``n_flip_down`` only for the reference, tested with the exact McNemar test.
    """
    p, q = _pair(prob_group, prob_reference, names=("prob_group", "prob_reference"))
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    lp = probability_to_logit(p, eps=eps)
    lq = probability_to_logit(q, eps=eps)
    dp = p > threshold
    dq = q > threshold
    up = int(np.sum(dp & ~dq))
    down = int(np.sum(~dp & dq))
    return ClassifierMetrics(
        n_pairs=int(p.shape[0]),
        delta_prob=float(np.mean(p - q)),
        delta_logit=float(np.mean(lp - lq)),
        ctf_gap=float(np.mean(np.abs(p - q))),
        threshold=float(threshold),
        flip_rate=(up + down) / p.shape[0],
        n_flip_up=up,
        n_flip_down=down,
        mcnemar=mcnemar_exact(up, down),
    )


# --- masked and causal language models ---------------------------------------------------


@dataclass(frozen=True)
class PreferenceResult:
    """Share of pairs where the model prefers the more-stereotyping sentence (ideal 0.5).

    Tie policy: a tie counts 0.5 and stays in the denominator; the sign test uses untied pairs.
    """

    n_pairs: int
    n_more: int
    n_less: int
    n_ties: int
    preference_rate: float
    p_value: float
    mean_delta: float
    tie_tolerance: float


def stereotype_preference(
    score_more: Sequence[float] | np.ndarray,
    score_less: Sequence[float] | np.ndarray,
    *,
    tie_tolerance: float = 0.0,
) -> PreferenceResult:
    """CrowS-Pairs style preference rate from (pseudo-)log-likelihoods of paired sentences.

    |score_more − score_less| <= ``tie_tolerance`` is a tie, counted as half a preference (so a
    model that ties everything scores 0.5, not 0). p is the exact two-sided sign test on
    untied pairs; ``mean_delta`` keeps the magnitude.
    """
    x, y = _pair(score_more, score_less, names=("score_more", "score_less"))
    if not (tie_tolerance >= 0):
        raise ValueError(f"tie_tolerance must be >= 0, got {tie_tolerance!r}")
    delta = x - y
    tie = np.abs(delta) <= tie_tolerance
    more = int(np.sum((delta > 0) & ~tie))
    less = int(np.sum((delta < 0) & ~tie))
    ties = int(tie.sum())
    n = int(delta.shape[0])
    p = float(stats.binomtest(more, more + less, 0.5).pvalue) if more + less > 0 else 1.0
    return PreferenceResult(
        n, more, less, ties, (more + 0.5 * ties) / n, p, float(delta.mean()), float(tie_tolerance)
    )


def _as_rows(x: object, *, name: str) -> list[np.ndarray]:
    if isinstance(x, np.ndarray) and x.ndim == 2:
        rows = list(x.astype(float))
    else:
        rows = [np.asarray(r, dtype=float).reshape(-1) for r in x]  # type: ignore[union-attr]
    for i, r in enumerate(rows):
        if not np.all(np.isfinite(r)):
            raise InputError(f"'{name}'[{i}] contains NaN or infinite values")
    return rows


def shared_continuation_delta(
    logprobs_group: Sequence[Sequence[float]] | np.ndarray,
    logprobs_reference: Sequence[Sequence[float]] | np.ndarray,
) -> np.ndarray:
    """Per probe Δ = log P(continuation | prefix_group) − log P(continuation | prefix_reference).

    Inputs are per-token log-probabilities of the same shared continuation; the sum (a proper
    log-likelihood, in nats) is used, not a length-normalised mean.
    """
    g = _as_rows(logprobs_group, name="logprobs_group")
    r = _as_rows(logprobs_reference, name="logprobs_reference")
    if len(g) != len(r) or not g:
        raise InputError("logprobs_group and logprobs_reference must list the same probes")
    out = np.empty(len(g))
    for i, (a, b) in enumerate(zip(g, r, strict=True)):
        if a.shape != b.shape:
            raise InputError(
                f"probe {i}: the continuation has {a.shape[0]} tokens under the group prefix "
                f"but {b.shape[0]} under the reference prefix; score only shared tokens"
            )
        if np.any(a > 1e-9) or np.any(b > 1e-9):
            raise InputError(f"probe {i}: log-probabilities must be <= 0")
        out[i] = a.sum() - b.sum()
    return out


# --- generated text ----------------------------------------------------------------------


def within_prompt_difference(
    scores_group: Sequence[Sequence[float]] | np.ndarray,
    scores_reference: Sequence[Sequence[float]] | np.ndarray,
) -> np.ndarray:
    """Per prompt, mean downstream score of the group's samples minus the reference's samples.

    Each entry holds the scores (sentiment, toxicity, regard...) of the R generations for one
    prompt; R may differ. Samples are averaged, never treated as independent observations.
    """
    g = _as_rows(scores_group, name="scores_group")
    r = _as_rows(scores_reference, name="scores_reference")
    if len(g) != len(r) or not g:
        raise InputError("scores_group and scores_reference must list the same prompts")
    for i, (a, b) in enumerate(zip(g, r, strict=True)):
        if a.shape[0] == 0 or b.shape[0] == 0:
            raise InputError(f"prompt {i} has no generated samples for one of the groups")
    return np.array([a.mean() - b.mean() for a, b in zip(g, r, strict=True)])


@dataclass(frozen=True)
class GroupRate:
    """A per-group rate (e.g. refusals) with a Wilson score interval."""

    group: str
    n: int
    count: int
    rate: float
    ci_low: float
    ci_high: float


def _wilson(k: int, n: int, confidence: float) -> tuple[float, float]:
    z = stats.norm.ppf(0.5 + confidence / 2.0)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # at k = 0 and k = n the bound is exactly 0 (1); rounding would leave it just inside
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


def refusal_rates(
    group: Sequence[object] | np.ndarray,
    refused: Sequence[bool] | np.ndarray,
    *,
    confidence: float = 0.95,
) -> dict[str, GroupRate]:
    """Refusal (or abstention) rate per group with Wilson intervals; refusals are an outcome.

    The intervals treat probes as independent; for the clustered group difference feed the
    0/1 refusal indicator to cluster_matrix and paired_contrast.
    """
    check_confidence(confidence)
    g = np.asarray(group).astype(str)
    r = np.asarray(refused)
    if g.shape != r.shape or g.ndim != 1:
        raise InputError("group and refused must be 1-D with equal length")
    if not np.all(np.isin(r, (0, 1))):
        raise InputError("'refused' must be boolean (0/1)")
    r = r.astype(bool)
    out: dict[str, GroupRate] = {}
    for name in np.unique(g).tolist():
        mask = g == name
        n = int(mask.sum())
        k = int(r[mask].sum())
        low, high = _wilson(k, n, confidence)
        out[name] = GroupRate(name, n, k, k / n, low, high)
    return out


# --- embeddings --------------------------------------------------------------------------


def _unit_rows(x: np.ndarray, *, name: str) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise InputError(f"'{name}' contains an all-zero embedding")
    return x / norms


def counterfactual_shift(
    emb_group: np.ndarray | Sequence[Sequence[float]],
    emb_reference: np.ndarray | Sequence[Sequence[float]],
) -> np.ndarray:
    """Cosine distance 1 − cos(e_group, e_reference) between each pair of variant embeddings."""
    a = np.asarray(emb_group, dtype=float)
    b = np.asarray(emb_reference, dtype=float)
    if a.ndim != 2 or a.shape != b.shape:
        raise InputError(f"embeddings must be 2-D with equal shapes, got {a.shape} and {b.shape}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise InputError("embeddings contain NaN or infinite values")
    ua = _unit_rows(a, name="emb_group")
    ub = _unit_rows(b, name="emb_reference")
    return np.clip(1.0 - np.sum(ua * ub, axis=1), 0.0, 2.0)


@dataclass(frozen=True)
class WeatResult:
    """WEAT/SEAT effect size d and one-sided word-level permutation p (Caliskan et al. 2017)."""

    effect_size: float
    statistic: float
    p_value: float
    p_method: str
    n_permutations: int
    n_x: int
    n_y: int


def _word_sets(x: object, *, name: str) -> list[np.ndarray]:
    if isinstance(x, np.ndarray) and x.ndim == 2:
        words = [row[None, :] for row in x.astype(float)]
    else:
        words = [np.atleast_2d(np.asarray(w, dtype=float)) for w in x]  # type: ignore[union-attr]
    if not words:
        raise InputError(f"'{name}' is empty")
    dims = {w.shape[1] for w in words}
    if len(dims) != 1 or any(w.shape[0] == 0 for w in words):
        raise InputError(f"'{name}' must hold non-empty embeddings of one dimension")
    for w in words:
        if not np.all(np.isfinite(w)):
            raise InputError(f"'{name}' contains NaN or infinite values")
    return [_unit_rows(w, name=name) for w in words]


def _mean_cos(items: np.ndarray, words: list[np.ndarray]) -> np.ndarray:
    # mean over words of (mean over that word's sentences of cos(item, sentence))
    stacked = np.vstack(words)
    owner = np.repeat(np.arange(len(words)), [w.shape[0] for w in words])
    onehot = np.zeros((stacked.shape[0], len(words)))
    onehot[np.arange(stacked.shape[0]), owner] = 1.0
    per_word = (items @ stacked.T) @ onehot / np.bincount(owner)
    return per_word.mean(axis=1)


def weat(
    targets_x: np.ndarray | Sequence[np.ndarray],
    targets_y: np.ndarray | Sequence[np.ndarray],
    attributes_a: np.ndarray | Sequence[np.ndarray],
    attributes_b: np.ndarray | Sequence[np.ndarray],
    *,
    n_permutations: int = 9999,
    seed: SeedLike = 0,
) -> WeatResult:
    """WEAT effect size and permutation p-value, permuting target WORDS between X and Y.

    A 2-D array is one word per row; a sequence of 2-D arrays gives each word's sentence
    embeddings (SEAT), whose associations are averaged per word so sentences of one word are
    never treated as independent. Exact over all C(|X|+|Y|, |X|) splits when that is at most
    ``n_permutations``, else Monte Carlo with p = (b + 1)/(B + 1). One-sided (X more like A).
    """
    check_positive_int(n_permutations, name="n_permutations", minimum=1)
    xs = _word_sets(targets_x, name="targets_x")
    ys = _word_sets(targets_y, name="targets_y")
    a_words = _word_sets(attributes_a, name="attributes_a")
    b_words = _word_sets(attributes_b, name="attributes_b")
    dims = {w.shape[1] for w in xs + ys + a_words + b_words}
    if len(dims) != 1:
        raise InputError("all embeddings must have the same dimension")
    words = xs + ys
    owner = np.repeat(np.arange(len(words)), [w.shape[0] for w in words])
    items = np.vstack(words)
    s_item = _mean_cos(items, a_words) - _mean_cos(items, b_words)
    s = np.bincount(owner, weights=s_item) / np.bincount(owner)
    nx, ny = len(xs), len(ys)
    if nx < 2 or ny < 2:
        raise InputError("WEAT needs at least 2 target words in each of X and Y")
    sx, sy = s[:nx], s[nx:]
    effect = float((sx.mean() - sy.mean()) / s.std(ddof=1)) if s.std(ddof=1) > 0 else 0.0
    statistic = float(sx.sum() - sy.sum())
    observed = float(sx.sum())
    tol = 1e-12 * float(np.abs(s).sum())
    n_splits = math.comb(nx + ny, nx)
    if n_splits <= n_permutations:
        combos = np.array(list(itertools.combinations(range(nx + ny), nx)), dtype=np.int64)
        sums = s[combos].sum(axis=1)
        p = float(np.count_nonzero(sums >= observed - tol)) / n_splits
        return WeatResult(effect, statistic, p, "exact", n_splits, nx, ny)
    rng = as_rng(seed)
    b = 0
    chunk = max(1, min(n_permutations, (1 << 22) // (nx + ny)))
    for start in range(0, n_permutations, chunk):
        size = min(chunk, n_permutations - start)
        perm = np.argsort(rng.random((size, nx + ny)), axis=1)[:, :nx]
        b += int(np.count_nonzero(s[perm].sum(axis=1) >= observed - tol))
    p = (b + 1.0) / (n_permutations + 1.0)
    return WeatResult(effect, statistic, p, "monte-carlo", n_permutations, nx, ny)
