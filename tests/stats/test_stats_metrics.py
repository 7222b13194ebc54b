"""Per-output-type metrics against hand computations, scipy and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats
from scipy.spatial import distance

from biasaudit.errors import InputError
from biasaudit.stats import (
    classifier_metrics,
    counterfactual_shift,
    probability_to_logit,
    refusal_rates,
    shared_continuation_delta,
    stereotype_preference,
    weat,
    within_prompt_difference,
)


def test_logit_matches_scipy_and_clips_saturated_outputs() -> None:
    p = np.array([0.1, 0.5, 0.93])
    np.testing.assert_allclose(probability_to_logit(p), special.logit(p))
    ends = probability_to_logit([0.0, 1.0], eps=1e-6)
    np.testing.assert_allclose(ends, [special.logit(1e-6), special.logit(1 - 1e-6)])
    with pytest.raises(InputError):
        probability_to_logit([1.2])


def test_classifier_metrics_hand_example() -> None:
    pg = np.array([0.9, 0.6, 0.4, 0.2, 0.7])
    pr = np.array([0.8, 0.3, 0.45, 0.6, 0.7])
    res = classifier_metrics(pg, pr, threshold=0.5)
    assert res.delta_prob == pytest.approx(np.mean(pg - pr))
    assert res.delta_logit == pytest.approx(np.mean(special.logit(pg) - special.logit(pr)))
    assert res.ctf_gap == pytest.approx(np.mean(np.abs(pg - pr)))
    assert (res.n_flip_up, res.n_flip_down) == (1, 1)  # pair 2 up, pair 4 down
    assert res.flip_rate == pytest.approx(2 / 5)
    assert res.mcnemar.p_value == pytest.approx(stats.binomtest(1, 2, 0.5).pvalue)
    with pytest.raises(InputError, match="equal length"):
        classifier_metrics(pg, pr[:3])


def test_stereotype_preference_tie_policy_counts_half() -> None:
    more = np.array([-1.0, -2.0, -3.0, -4.0, -5.0, -6.0])
    less = np.array([-2.0, -1.0, -3.0, -5.0, -5.0, -7.0])
    res = stereotype_preference(more, less)
    assert (res.n_more, res.n_less, res.n_ties) == (3, 1, 2)
    assert res.preference_rate == pytest.approx((3 + 0.5 * 2) / 6)
    assert res.p_value == pytest.approx(stats.binomtest(3, 4, 0.5).pvalue)
    assert res.mean_delta == pytest.approx(np.mean(more - less))
    all_ties = stereotype_preference(more, more)
    assert all_ties.preference_rate == 0.5 and all_ties.p_value == 1.0  # ideal, not 0
    tol = stereotype_preference(more, less, tie_tolerance=1.0)
    assert tol.n_ties == 6 and tol.preference_rate == 0.5


def test_shared_continuation_delta_sums_log_probs() -> None:
    g = [[-0.5, -1.0], [-2.0, -0.1, -0.3]]
    r = [[-0.7, -1.5], [-1.0, -0.1, -0.2]]
    np.testing.assert_allclose(shared_continuation_delta(g, r), [-1.5 - (-2.2), -2.4 - (-1.3)])
    with pytest.raises(InputError, match="shared tokens"):
        shared_continuation_delta([[-1.0]], [[-1.0, -2.0]])
    with pytest.raises(InputError, match="<= 0"):
        shared_continuation_delta([[0.5]], [[-1.0]])


def test_within_prompt_difference_averages_samples_first() -> None:
    g = [[0.1, 0.3, 0.5], [0.9]]
    r = [[0.2, 0.2], [0.0, 1.0, 0.5, 0.5]]
    np.testing.assert_allclose(within_prompt_difference(g, r), [0.3 - 0.2, 0.9 - 0.5])
    with pytest.raises(InputError, match="no generated samples"):
        within_prompt_difference([[0.1]], [[]])


def test_refusal_rates_wilson_matches_scipy() -> None:
    group = ["f"] * 40 + ["m"] * 25
    refused = [True] * 7 + [False] * 33 + [True] * 1 + [False] * 24
    rates = refusal_rates(group, refused)
    assert rates["f"].rate == pytest.approx(7 / 40) and rates["m"].count == 1
    for g, k, n in (("f", 7, 40), ("m", 1, 25)):
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert (rates[g].ci_low, rates[g].ci_high) == pytest.approx((ci.low, ci.high))


@given(st.integers(1, 200), st.data())
@settings(max_examples=150, deadline=None)
def test_refusal_rate_interval_matches_scipy_and_holds_the_rate(n, data) -> None:
    k = data.draw(st.sampled_from([0, n, data.draw(st.integers(0, n))]))
    rate = refusal_rates(["g"] * n, [True] * k + [False] * (n - k))["g"]
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert (rate.ci_low, rate.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-12)
    assert rate.ci_low <= rate.rate <= rate.ci_high


def test_counterfactual_shift_is_cosine_distance() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(5, 8)), rng.normal(size=(5, 8))
    np.testing.assert_allclose(
        counterfactual_shift(a, b), [distance.cosine(x, y) for x, y in zip(a, b, strict=True)]
    )
    assert counterfactual_shift(a, 3 * a) == pytest.approx(np.zeros(5), abs=1e-12)
    with pytest.raises(InputError, match="all-zero"):
        counterfactual_shift(np.zeros((1, 3)), np.ones((1, 3)))


def _s(w: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    return np.mean([1 - distance.cosine(w, x) for x in a]) - np.mean(
        [1 - distance.cosine(w, x) for x in b]
    )


def _weat_sets(seed: int, nx: int = 5, ny: int = 5, shift: float = 0.6):
    rng = np.random.default_rng(seed)
    dim = 12
    a_dir, b_dir = rng.normal(size=dim), rng.normal(size=dim)
    x = rng.normal(size=(nx, dim)) + shift * a_dir
    y = rng.normal(size=(ny, dim)) + shift * b_dir
    a = rng.normal(size=(6, dim)) + a_dir
    b = rng.normal(size=(6, dim)) + b_dir
    return x, y, a, b


def test_weat_effect_size_and_exact_p_against_brute_force_and_scipy() -> None:
    x, y, a, b = _weat_sets(2)
    res = weat(x, y, a, b)
    sx = np.array([_s(w, a, b) for w in x])
    sy = np.array([_s(w, a, b) for w in y])
    all_s = np.r_[sx, sy]
    assert res.effect_size == pytest.approx((sx.mean() - sy.mean()) / all_s.std(ddof=1))
    assert res.statistic == pytest.approx(sx.sum() - sy.sum())
    obs = sx.sum() - sy.sum()
    splits = [
        all_s[list(c)].sum() - np.delete(all_s, list(c)).sum()
        for c in itertools.combinations(range(10), 5)
    ]
    brute = np.mean(np.array(splits) >= obs - 1e-12)
    assert res.p_method == "exact" and res.n_permutations == 252
    assert res.p_value == pytest.approx(brute)
    ref = stats.permutation_test(
        (sx, sy),
        lambda u, v, axis: u.sum(axis) - v.sum(axis),
        permutation_type="independent",
        alternative="greater",
        vectorized=True,
        n_resamples=10_000,
    )
    assert res.p_value == pytest.approx(ref.pvalue)
    assert res.effect_size > 0.5 and res.p_value < 0.05


def test_weat_monte_carlo_close_to_exact() -> None:
    x, y, a, b = _weat_sets(3, nx=8, ny=8, shift=0.2)
    exact = weat(x, y, a, b, n_permutations=20_000)
    mc = weat(x, y, a, b, n_permutations=5000, seed=1)
    assert exact.p_method == "exact" and mc.p_method == "monte-carlo"
    assert mc.p_value == pytest.approx(exact.p_value, abs=4 * np.sqrt(exact.p_value / 5000) + 1e-3)


def test_seat_sentences_are_averaged_per_word_not_permuted() -> None:
    rng = np.random.default_rng(4)
    x, y, a, b = _weat_sets(4, nx=4, ny=4)
    x_sent = [w + 0.1 * rng.normal(size=(7, w.size)) for w in x]
    y_sent = [w + 0.1 * rng.normal(size=(5, w.size)) for w in y]
    res = weat(x_sent, y_sent, a, b)
    sx = np.array([np.mean([_s(s, a, b) for s in sents]) for sents in x_sent])
    sy = np.array([np.mean([_s(s, a, b) for s in sents]) for sents in y_sent])
    assert res.statistic == pytest.approx(sx.sum() - sy.sum())
    # Word-level permutation: only C(8, 4) = 70 splits, so p >= 1/70 however many sentences.
    assert res.n_permutations == 70 and res.p_value >= 1 / 70
    with pytest.raises(InputError, match="at least 2"):
        weat(x[:1], y, a, b)
