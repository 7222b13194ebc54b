"""Holm and Benjamini–Hochberg against straightforward reference implementations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from biasaudit.errors import InputError
from biasaudit.stats import adjust, adjust_pvalues, benjamini_hochberg, holm
from biasaudit.stats.nulls import NullCalibratedResult

pvals = st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=1, max_size=25)


def _holm_reference(p: list[float]) -> list[float]:
    """Holm by definition: adj_i = max over j with p_j <= p_i (in sorted order) of (m-rank+1) p."""
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def _bh_reference(p: list[float]) -> list[float]:
    """BH by definition: adj_(i) = min over j >= i of m p_(j) / j."""
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    out = [0.0] * m
    for rank, i in enumerate(order):
        out[i] = min(1.0, min(m * p[order[j]] / (j + 1) for j in range(rank, m)))
    return out


@settings(max_examples=150, deadline=None)
@given(pvals)
def test_holm_matches_reference_and_is_monotone(p: list[float]) -> None:
    adj = holm(p)
    np.testing.assert_allclose(adj, _holm_reference(p), rtol=1e-12, atol=1e-15)
    assert np.all(adj >= np.asarray(p) - 1e-15) and np.all(adj <= 1.0)
    order = np.argsort(p, kind="stable")
    assert np.all(np.diff(adj[order]) >= -1e-15)


@settings(max_examples=150, deadline=None)
@given(pvals)
def test_bh_matches_reference_and_scipy_and_is_monotone(p: list[float]) -> None:
    adj = benjamini_hochberg(p)
    np.testing.assert_allclose(adj, _bh_reference(p), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(
        adj, stats.false_discovery_control(p, method="bh"), rtol=1e-12, atol=1e-15
    )
    assert np.all(adj >= np.asarray(p) - 1e-15)
    order = np.argsort(p, kind="stable")
    assert np.all(np.diff(adj[order]) >= -1e-15)
    assert np.all(adj <= holm(p) + 1e-12)  # FDR adjustment is never stricter than Holm's FWER


def test_known_values() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(holm(p), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(benjamini_hochberg(p), [0.02, 0.04, 0.04, 0.02])
    assert holm([]).size == 0
    with pytest.raises(InputError):
        holm([0.1, np.nan])
    with pytest.raises(ValueError, match="method"):
        adjust_pvalues([0.1], "bonferroni")


def _result(p: float, **tags: str) -> NullCalibratedResult:
    return NullCalibratedResult(
        "range", 1.0, 0.5, 0.9, p, 0.5, 99, 10, 0, 20, ("a", "b"), tags=tags
    )


def test_adjust_within_declared_families_keeps_order() -> None:
    results = [
        _result(0.01, axis="gender"),
        _result(0.02, axis="religion"),
        _result(0.04, axis="gender"),
        _result(0.03, axis="religion"),
        _result(0.2, axis="religion"),
    ]
    out = adjust(results, "axis", "holm")
    assert [r.p_value for r in out] == [r.p_value for r in results]
    gender = holm([0.01, 0.04])
    religion = holm([0.02, 0.03, 0.2])
    np.testing.assert_allclose(
        [r.p_adjusted for r in out], [gender[0], religion[0], gender[1], religion[1], religion[2]]
    )
    assert [r.family for r in out] == ["gender", "religion", "gender", "religion", "religion"]
    by_lang = adjust(results, lambda r: "all-in-one", "bh")
    np.testing.assert_allclose(
        [r.p_adjusted for r in by_lang], benjamini_hochberg([r.p_value for r in results])
    )
    assert all(r.p_adjusted is None for r in results)  # inputs are not mutated
    assert all(r.adjust_method == "holm" for r in out)
    assert (
        dataclasses.replace(out[0], p_adjusted=None, adjust_method=None, family=None) == results[0]
    )
    with pytest.raises(InputError, match="tag"):
        adjust(results, "language")


@pytest.mark.parametrize("fn", [holm, benjamini_hochberg,
                                lambda p: adjust_pvalues(p, "holm"),
                                lambda p: adjust_pvalues(p, "bh")])
@pytest.mark.parametrize("shape", [(2, 3), (1, 4), (3, 1), (2, 2, 2), ()])
def test_non_1d_input_is_an_error_not_flattened(fn, shape) -> None:
    # a 2-D array is usually several families (one per row): flattening it silently would
    # adjust them as one family of rows × columns tests
    p = np.full(shape, 0.02)
    with pytest.raises(InputError, match="one-dimensional") as info:
        fn(p)
    assert str(shape) in str(info.value)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.lists(
    st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=k, max_size=k),
    min_size=1, max_size=5)))
def test_row_families_as_documented(rows: list[list[float]]) -> None:
    # the recipe the error and docs give for one family per row
    p = np.array(rows)
    got = np.apply_along_axis(holm, 1, p)
    np.testing.assert_allclose(got, [_holm_reference(r) for r in rows])
    got = np.apply_along_axis(benjamini_hochberg, 1, p)
    np.testing.assert_allclose(got, [_bh_reference(r) for r in rows])
