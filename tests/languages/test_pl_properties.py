"""Polish properties: swapping twice returns the original for invertible gold sentences, and
no byte outside the edited spans ever changes (on gold sentences and on arbitrary text)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("morfeusz2")

from biasaudit import CounterfactualEngine

DATA = Path(__file__).parent / "data"
# Not invertible by design: a generic masculine predicate of a woman (*Ona jest lekarzem*)
# becomes *On jest lekarzem*, which swaps back to the feminative.
NON_INVERTIBLE = {"generic_masc"}


def sources(*names: str) -> list[tuple[str, str]]:
    out = []
    for name in names:
        lines = [ln.rstrip("\n") for ln in (DATA / name).open(encoding="utf-8")
                 if not ln.startswith("#")]
        out += [(c[0], c[2]) for c in (ln.split("\t") for ln in lines[1:])]
    return out


ROWS = sources("pl_gold.tsv", "pl_heldout.tsv", "pl_heldout2.tsv")
INVERTIBLE = [s for s, cat in ROWS if cat not in NON_INVERTIBLE]
WORDS = sorted({w for s, _ in ROWS for w in s.replace(",", " ").replace(".", " ").split()})


@cache
def engine() -> CounterfactualEngine:
    return CounterfactualEngine("pl")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(INVERTIBLE))
def test_swap_twice_is_identity(text: str) -> None:
    once = engine().swap(text)
    assert engine().swap(once.text).text == text


def assert_outside_edits_kept(text: str) -> None:
    cf = engine().swap(text)
    pos = 0
    for edit in cf.edits:
        assert cf.source[pos:edit.start] in cf.text
        assert cf.source[edit.start:edit.end] == edit.old
        pos = edit.end
    # rebuild: the output is exactly the source with each edit's span replaced
    rebuilt, pos = [], 0
    for edit in cf.edits:
        rebuilt += [cf.source[pos:edit.start], edit.new]
        pos = edit.end
    rebuilt.append(cf.source[pos:])
    assert "".join(rebuilt) == cf.text
    if not cf.edits:
        assert cf.text == cf.source


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
       st.sampled_from([" ", ", ", " i ", ". "]))
def test_text_outside_edits_unchanged_on_word_salad(words: list[str], sep: str) -> None:
    assert_outside_edits_kept(sep.join(words))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]),
               max_size=60))
def test_arbitrary_text_never_fails(text: str) -> None:
    assert_outside_edits_kept(text)


@pytest.mark.parametrize(("text", "category"), ROWS)
def test_gold_sources_keep_text_outside_edits(text: str, category: str) -> None:
    assert_outside_edits_kept(text)
