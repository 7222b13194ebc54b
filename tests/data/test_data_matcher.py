"""The scanner relies on ``engine.find``; its ASCII fast path (lower-case, no IGNORECASE)
must find exactly what the IGNORECASE regex finds."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit
from biasaudit.engine import TermMatcher

ENGINE = biasaudit.engine("en", "gender")
TERMS = sorted({f for e in ENGINE.lexicons.entries for fs in e.forms.values() for f in fs
                if f.isascii()})
WORDS = [*TERMS, "the", "of", "x", "Mr", "King's", "college", "HE", "sHe", "'s", "-", ".",
         ",", "  ", "\n", "he_", "2", "shes", "hers'"]


def _slow(matcher: TermMatcher) -> TermMatcher:
    slow = copy.copy(matcher)
    slow._ascii_regex = None
    return slow


def _spans(matches):
    return [(m.start, m.end, m.text, m.candidates) for m in matches]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "", ", ", "\t"]),
                          st.sampled_from([str.lower, str.upper, str.title, str])),
                max_size=25))
def test_ascii_fast_path_equals_ignorecase(parts) -> None:
    text = "".join(case(w) + sep for w, sep, case in parts)
    matcher = ENGINE.matcher
    assert matcher._ascii_regex is not None
    assert _spans(matcher.find(text)) == _spans(_slow(matcher).find(text))


@pytest.mark.parametrize("key,fast", [("ıdol", False), ("ſir", True), ("straße", True)])
def test_fast_path_off_for_keys_matching_ascii_only_by_case_folding(key: str,
                                                                    fast: bool) -> None:
    """``ı`` matches ASCII ``i``/``I`` only under IGNORECASE: no fast path for such keys
    (keys are case-folded first, so ``ſ`` and ``ß`` become ASCII and are fine)."""
    matcher = TermMatcher({key: ()})
    assert (matcher._ascii_regex is not None) == fast
    text = "IDOL idol sir SIR strasse ıdol"
    assert _spans(matcher.find(text)) == _spans(_slow(matcher).find(text))
