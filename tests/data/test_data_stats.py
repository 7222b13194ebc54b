"""Statistics of the scanner against references: Wilson vs scipy, reweighing vs brute force
and its independence invariant, Kish n_eff, log-odds vs the formula, BH vs a direct loop;
groups that never occur reported with zero, and out-of-range thresholds rejected."""

from __future__ import annotations

import itertools
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from biasaudit.data import (
    ScanConfig,
    ScanThresholds,
    bh_adjust,
    effective_sample_size,
    log_odds_dirichlet,
    reweighing,
    scan,
    smoothed_pmi,
    wilson_interval,
)
from biasaudit.errors import InputError


@pytest.mark.parametrize("k,n", [(0, 1), (0, 10), (3, 10), (10, 10), (1, 1000), (517, 1033)])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_matches_scipy(k: int, n: int, confidence: float) -> None:
    ref = sps.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    lo, hi = wilson_interval(k, n, confidence=confidence)
    assert lo == pytest.approx(ref.low, abs=1e-12)
    assert hi == pytest.approx(ref.high, abs=1e-12)


def test_wilson_empty_is_uninformative() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


def _brute_weights(rows: list[tuple[str, str]]) -> list[float]:
    """w = P(g)·P(y) / P(g, y), computed example by example."""
    n = len(rows)
    out = []
    for g, y in rows:
        p_g = sum(r[0] == g for r in rows) / n
        p_y = sum(r[1] == y for r in rows) / n
        p_gy = sum(r == (g, y) for r in rows) / n
        out.append(p_g * p_y / p_gy)
    return out


def _cells(rows: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    cells: dict[tuple[str, str], int] = {}
    for r in rows:
        cells[r] = cells.get(r, 0) + 1
    return cells


rows_strategy = st.lists(
    st.tuples(st.sampled_from(["female", "male", "female+male", "none"]),
              st.sampled_from(["pos", "neg", "mixed"])),
    min_size=1, max_size=200,
)


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_reweighing_matches_brute_force(rows: list[tuple[str, str]]) -> None:
    w = reweighing(_cells(rows))
    got = [w.weight(g, y) for g, y in rows]
    assert got == pytest.approx(_brute_weights(rows), rel=1e-12)
    assert w.effective_n == pytest.approx(effective_sample_size(got), rel=1e-12)
    assert w.clipped == ()


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_weighted_table_is_independent(rows: list[tuple[str, str]]) -> None:
    """After reweighing, P_w(g, y) = P_w(g)·P_w(y) for every cell (Kamiran & Calders);
    this needs every cell filled (an empty cell cannot be weighted up, and is reported)."""
    w = reweighing(_cells(rows))
    groups = {g for g, _ in rows}
    labels = {y for _, y in rows}
    assert len(w.empty) == len(groups) * len(labels) - len(_cells(rows))
    assume(not w.empty)
    total = sum(w.weight(g, y) for g, y in rows)
    for g, y in itertools.product(groups, labels):
        p_gy = sum(w.weight(*r) for r in rows if r == (g, y)) / total
        p_g = sum(w.weight(*r) for r in rows if r[0] == g) / total
        p_y = sum(w.weight(*r) for r in rows if r[1] == y) / total
        assert p_gy == pytest.approx(p_g * p_y, abs=1e-12)
    assert total == pytest.approx(len(rows), rel=1e-12)  # weights keep the sample size


def test_reweighing_clips_and_guards_small_cells() -> None:
    cells = {("female", "pos"): 2, ("female", "neg"): 400, ("male", "pos"): 300,
             ("male", "neg"): 300}
    raw = reweighing(cells)
    assert raw.cells["female", "pos"] > 10
    w = reweighing(cells, max_weight=10.0, min_cell=5)
    assert w.cells["female", "pos"] == 1.0  # too small a cell to trust: left alone
    assert ("female", "pos") in w.clipped
    assert all(0.1 <= x <= 10.0 for x in w.cells.values())
    w2 = reweighing(cells, max_weight=1.2)
    assert max(w2.cells.values()) == pytest.approx(1.2)
    assert w2.effective_n <= sum(cells.values())


def test_effective_sample_size() -> None:
    assert effective_sample_size([1.0] * 10) == pytest.approx(10)
    assert effective_sample_size([1.0, 0.0, 0.0]) == pytest.approx(1)
    assert effective_sample_size([2.0, 1.0]) == pytest.approx(9 / 5)


def test_log_odds_matches_monroe_formula() -> None:
    a, b, c, d, prior = 30, 10, 470, 490, 10.0
    alpha = prior * (a + b) / (a + b + c + d)
    n_i, n_j = a + c, b + d
    delta = (math.log((a + alpha) / (n_i + prior - a - alpha))
             - math.log((b + alpha) / (n_j + prior - b - alpha)))
    var = 1 / (a + alpha) + 1 / (b + alpha)
    got, z = log_odds_dirichlet(a, b, c, d, prior=prior)
    assert got == pytest.approx(delta)
    assert z == pytest.approx(delta / math.sqrt(var))
    # the prior shrinks: the smoothed log-odds is smaller than the raw log odds ratio
    assert 0 < got < math.log(a * d / (b * c))
    assert log_odds_dirichlet(10, 10, 490, 490, prior=prior)[0] == pytest.approx(0)


def test_smoothed_pmi() -> None:
    # P(y|t) = P(y): zero; strong association: close to log(P(y|t)/P(y))
    assert smoothed_pmi(50, 50, 450, 450, smoothing=10) == pytest.approx(0)
    big = smoothed_pmi(9000, 1000, 41000, 49000, smoothing=10)
    assert big == pytest.approx(math.log(0.9 / 0.5), abs=1e-3)


def test_bh_matches_direct_definition() -> None:
    rng = random.Random(0)
    p = [rng.random() ** 3 for _ in range(50)]
    q = bh_adjust(p)
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    direct = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        direct[i] = running
    assert q == pytest.approx(direct)
    assert bh_adjust([]) == []


def test_thresholds_defaults_documented() -> None:
    th = ScanThresholds()
    assert (th.min_count, th.alpha, th.min_log_odds, th.prior) == (30, 0.05, 0.5, 10.0)
    assert np.exp(th.min_log_odds) == pytest.approx(1.6487, abs=1e-4)


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


# -- groups that never occur ---------------------------------------------------------------

def test_groups_that_never_occur_are_reported_with_zero(tmp_path: Path) -> None:
    """An absent group is the strongest under-representation there is: it is listed with
    0 examples and its Wilson interval, not left out of the table."""
    rows = [{"text": f"He is number {i}.", "label": "a", "src": "web"} for i in range(50)]
    result = scan(_jsonl(tmp_path / "m.jsonl", rows),
                  ScanConfig(lang="en", label_field="label", meta_fields=("src",)))
    shares = {s.group: s for s in result.representation}
    assert list(shares) == ["male", "female", "neutral"]
    assert shares["female"].docs == 0 and shares["female"].share == 0.0
    assert shares["female"].ci_low == 0.0 and 0.05 < shares["female"].ci_high < 0.08
    meta = {(r["value"], r["group"]): r["docs"] for r in result.meta}
    assert meta == {("web", "male"): 50, ("web", "female"): 0, ("web", "neutral"): 0}


# -- thresholds ----------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [{"max_weight": 0.0}, {"max_weight": 0.5}, {"alpha": 0.0},
                                 {"alpha": 1.5}, {"confidence": 1.0}, {"min_cell": -1},
                                 {"prior": 0.0}])
def test_thresholds_out_of_range_are_input_errors(tmp_path: Path, bad: dict) -> None:
    """max_weight 0 divided by zero and 0.5 set every weight to 0.5 without a word."""
    path = _jsonl(tmp_path / "t.jsonl", [{"text": "she is", "label": "a"}])
    with pytest.raises(InputError, match=next(iter(bad))):
        scan(path, ScanConfig(lang="en", label_field="label"),
             thresholds=ScanThresholds(**bad))
