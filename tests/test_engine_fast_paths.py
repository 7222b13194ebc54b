"""The engine's shortcuts must not change a result: the matcher's regex with a consumed lead
character, key-only scans, the joint matcher of the scanner, settled lower-case vetoes, the
grammar's memo of context-free edits, in-order edit application and the result builders."""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit
from biasaudit.core import (
    CounterfactualEngine,
    Grammar,
    Rewrite,
    SwapPlan,
    TermMatcher,
    apply_edits,
)
from biasaudit.core.matcher import normalize_key, trie_pattern
from biasaudit.core.types import (
    Candidate,
    Counterfactual,
    Edit,
    Match,
    new_counterfactual,
    new_edit,
    new_match,
)
from biasaudit.lexicons import Entry

ENGINE = biasaudit.engine("en", "gender")
TERMS = sorted({f for e in ENGINE.lexicons.entries for fs in e.forms.values() for f in fs})
OCCUPATIONS = ["nurse", "engineer", "pilot", "chief executive", "data scientist"]
WORDS = [*TERMS, *OCCUPATIONS, "the", "of", "Mr", "King's", "college", "HE", "sHe", "'s", "-",
         ".", ",", "  ", "\n", "\t", "he_", "2", "shes", "hers'", "ſir", "é", "İ", "straße",
         "fiancée", "HER-2", "\u0331", "\u0300"]  # (combining marks NFC cannot compose)
PIECES = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "", ", ", "\t", "-", "\u00a0"]),
              st.sampled_from([str.lower, str.upper, str.title, str])),
    max_size=20,
)


def _text(pieces: list) -> str:
    return "".join(case(w) + sep for w, sep, case in pieces)


@functools.cache
def _combining_marks() -> str:
    """Every combining mark (category M; planes 0, 1 and 14 hold them all), for a regex class."""
    return "".join(
        chr(cp)
        for cp in (*range(0x20000), *range(0xE0000, 0xE1000))
        if unicodedata.category(chr(cp))[0] == "M"
    )


def _reference_spans(matcher: TermMatcher, text: str) -> list[tuple[int, int]]:
    """The spans the matcher's regex finds, by the plain look-behind formulation (a word
    character is \\w or a combining mark)."""
    body = trie_pattern(sorted(matcher._terms))
    word = "[\\w" + _combining_marks() + "]"
    regex = re.compile(f"(?<!{word})(?:" + body + f")(?!{word})", re.IGNORECASE)
    return [m.span() for m in regex.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(PIECES)
def test_lead_character_pattern_finds_the_look_behind_spans(pieces: list) -> None:
    text = _text(pieces)
    plain = TermMatcher(dict.fromkeys([*TERMS, *OCCUPATIONS], ()))
    assert plain._lead == 1  # every key ends with a word character
    assert [(m.start, m.end) for m in plain.find(text)] == _reference_spans(plain, text)


def test_keys_ending_in_a_symbol_use_the_look_behind_pattern() -> None:
    matcher = TermMatcher(dict.fromkeys(["c++", "c", "he"], ()))
    assert matcher._lead == 0
    text = "c++ c he c++c he. C++"
    spans = _reference_spans(matcher, text)
    assert [(m.start, m.end) for m in matcher.find(text)] == spans
    assert matcher.keys(text) == [text[s:e].lower() for s, e in spans]
    assert matcher.keys(text)[:3] == ["c++", "c", "he"]


@settings(max_examples=300, deadline=None)
@given(PIECES)
def test_keys_are_the_normalised_texts_of_find(pieces: list) -> None:
    text = _text(pieces)
    found = ENGINE.matcher.find(text)
    assert ENGINE.matcher.keys(text) == [normalize_key(m.text) for m in found]
    assert ENGINE.matcher.keys(text, exclusions=False) == [
        normalize_key(m.text) for m in found if m.candidates
    ]


@settings(max_examples=300, deadline=None)
@given(PIECES)
def test_joint_matcher_equals_two_matchers_on_ascii_text(pieces: list) -> None:
    text = _text(pieces).encode("ascii", "ignore").decode()
    occupations = TermMatcher(dict.fromkeys(OCCUPATIONS, ()))
    joint = ENGINE.matcher.joined(OCCUPATIONS)
    assert joint is not None
    words = {normalize_key(w) for w in OCCUPATIONS}
    keys = joint.keys(text)
    assert [k for k in keys if k in words] == occupations.keys(text)
    assert [k for k in keys if k not in words] == ENGINE.matcher.keys(text)


@pytest.mark.parametrize(
    "words",
    [
        ["head nurse", "mother superior"],  # shares the word "mother" with a term
        ["ıdol"],  # matches ASCII "idol" only by case folding
        ["c++"],  # ends with a symbol: could overlap a term by that symbol alone
        ["he"],  # is a term
    ],
)
def test_joint_matcher_refused_when_a_single_pass_could_differ(words: list[str]) -> None:
    assert ENGINE.matcher.joined(words) is None


LEXICON = """\
format: biasaudit-lexicon/1
name: test-fast
language: en
axis: gender
version: 0.1.0
groups: [male, female]
swap: {male: female, female: male}
source: test fixture
entries:
  - {id: zed, pos: noun, forms: {male: zed, female: zedda}}
  - {id: alf, pos: name, forms: {male: Alf, female: Alfa}}
  - {id: pol, pos: adj, forms: {male: Polo, female: Pola}}
"""


@pytest.fixture()
def lexicon_dir(tmp_path: Path) -> Path:
    (tmp_path / "fast.yaml").write_text(LEXICON, encoding="utf-8")
    return tmp_path


class _CountingGrammar(Grammar):
    """Grammar.accept behind an override that counts its calls."""

    calls = 0

    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        type(self).calls += 1
        return super().accept(text, start, end, candidates)


class _OptedInGrammar(Grammar):
    """The same override, declared to decide lower-case matches as Grammar.accept does."""

    calls = 0
    lowercase_accept_is_lexical = True

    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        type(self).calls += 1
        return super().accept(text, start, end, candidates)


class _OverridesAgain(_OptedInGrammar):
    """Inherits the flag, but its own accept is not covered by it (calls counted by the
    parent's accept)."""

    calls = 0

    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        return super().accept(text, start, end, candidates)


TEXTS = ["zed and zedda met alf and Alf, polo and Polo.", "ZED Zedda alfa Alfa POLA pola"]


def test_accept_override_is_asked_for_every_match_unless_it_opts_in(lexicon_dir: Path) -> None:
    def run(grammar: type[Grammar]) -> list[dict]:
        eng = CounterfactualEngine("en", "gender", lexicon_paths=[lexicon_dir], grammar=grammar)
        return [eng.swap(t).to_dict() for t in TEXTS]

    _CountingGrammar.calls = _OptedInGrammar.calls = _OverridesAgain.calls = 0
    reference = run(Grammar)
    assert run(_CountingGrammar) == reference
    assert _CountingGrammar.calls == 12  # every match with readings
    assert run(_OptedInGrammar) == reference
    assert _OptedInGrammar.calls == 6  # the capitalised ones only
    _OptedInGrammar.calls = 0
    assert run(_OverridesAgain) == reference
    assert _OverridesAgain.calls == 12  # the flag does not vouch for a later override
    # names and capitalised lexicon forms still need a capital without an accept call
    assert reference[0]["text"] == "zedda and zed met alf and Alfa, polo and Pola."


def test_context_free_memo_keeps_results_per_plan_and_readings() -> None:
    texts = ["The king met the queen.", "The King met the Queen.", "THE KING.", "king"]
    first = [ENGINE.swap(t).to_dict() for t in texts]
    neutral = [ENGINE.rewrite(t, ENGINE.plan("neutral")).to_dict() for t in texts]
    assert [ENGINE.swap(t).to_dict() for t in texts] == first
    assert [ENGINE.rewrite(t, ENGINE.plan("neutral")).to_dict() for t in texts] == neutral
    assert first[0]["text"] == "The queen met the king."

    # the same surface form with other readings is decided again, not taken from the memo
    grammar = Grammar(ENGINE.lexicons)
    male = Entry(id="m", forms={"male": ("zed",), "female": ("zedda",)})
    other = Entry(id="o", forms={"male": ("zed",), "female": ("zeddo",)})
    plan = ENGINE.plan("swap")
    for entry, expected in ((male, "zedda"), (other, "zeddo"), (male, "zedda")):
        cands = (Candidate(entry, "male"),)
        result = grammar.rewrite("zed", [Match(0, 3, "zed", cands)], plan)
        assert [e.new for e in result.edits] == [expected]


def test_context_free_memo_never_reuses_a_capital_that_came_from_the_sentence_start() -> None:
    """*Christian* is written with a capital, *atheist* is not: first in a sentence the edit
    is *Atheist*, inside one *atheist*. The memo must give each text the result a fresh
    engine gives it, whatever came before."""
    texts = ["Christian families came.", "The Christian family moved in.", "Christian is here."]
    fresh = []
    for t in texts:
        e = CounterfactualEngine("en", "religion")
        fresh.append(e.rewrite(t, e.plan("atheist")).text)
    assert fresh[:2] == ["Atheist families came.", "The atheist family moved in."]
    shared = CounterfactualEngine("en", "religion")
    for order in (texts, texts[::-1]):
        got = {t: shared.rewrite(t, shared.plan("atheist")).text for t in order}
        assert [got[t] for t in texts] == fresh


class _OverlappingGrammar(Grammar):
    """Adds edits out of order, one overlapping another."""

    def rewrite(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        result = super().rewrite(text, matches, plan)
        result.edits.insert(0, Edit(4, 7, text[4:7], "XYZ", "test.late"))
        result.edits.append(Edit(1, 3, text[1:3], "QQ", "test.overlap"))
        return result


def test_edits_out_of_order_are_sorted_and_conflicts_dropped(lexicon_dir: Path) -> None:
    eng = CounterfactualEngine("en", "gender", lexicon_paths=[lexicon_dir],
                               grammar=_OverlappingGrammar)
    cf = eng.swap("zed met a zed.")
    assert [(e.start, e.end, e.new) for e in cf.edits] == [
        (0, 3, "zedda"), (4, 7, "XYZ"), (10, 13, "zedda")]
    assert cf.text == "zedda XYZ a zedda."
    assert cf.unsafe == ("conflicting edits at 0-3 and 1-3",)


def test_builders_equal_the_constructors() -> None:
    cand = (Candidate(Entry(id="x", forms={"a": ("p",)}), "a"),)
    groups = frozenset({"a"})
    assert new_match(1, 2, "p", cand, groups) == Match(1, 2, "p", cand, groups)
    assert new_edit(1, 2, "p", "q", "r", None, "l") == Edit(1, 2, "p", "q", "r", None, "l")
    edits = (Edit(0, 1, "p", "q", "r"),)
    built = new_counterfactual("p", "q", "en", "gender", "swap", edits, ("a",), ())
    assert built == Counterfactual("p", "q", "en", "gender", "swap", edits, ("a",), ())
    assert built.to_dict() == Counterfactual("p", "q", "en", "gender", "swap", edits,
                                             ("a",)).to_dict()
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.text = "x"  # type: ignore[misc]


def test_plans_are_built_once() -> None:
    assert ENGINE.plan("swap") is ENGINE.plan("swap")
    assert ENGINE.plan("female").mapping == dict.fromkeys(ENGINE.groups, "female")


class _NestedOverlapGrammar(Grammar):
    """A long edit over the whole text, then two inside it: the second overlaps the
    first edit but not the (dropped) one just before it."""

    def rewrite(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        result = Rewrite()
        result.edits += [Edit(0, 10, text[:10], "LONG", "test.a"),
                         Edit(2, 4, text[2:4], "B", "test.b"),
                         Edit(6, 8, text[6:8], "C", "test.c")]
        return result


def test_an_edit_overlapping_a_kept_edit_is_dropped(lexicon_dir: Path) -> None:
    eng = CounterfactualEngine("en", "gender", lexicon_paths=[lexicon_dir],
                               grammar=_NestedOverlapGrammar)
    cf = eng.swap("zed abcdefgh")
    assert cf.text == "LONG" + "zed abcdefgh"[10:]
    assert [e.rule for e in cf.edits] == ["test.a"]
    assert cf.unsafe == ("conflicting edits at 0-10 and 2-4", "conflicting edits at 0-10 and 6-8")


def test_apply_edits_refuses_overlapping_or_unsorted_edits() -> None:
    a, b = Edit(0, 3, "zed", "x", "r"), Edit(2, 5, "d a", "y", "r")
    assert apply_edits("zed abc", [a]) == "x abc"
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("zed abc", [a, b])
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("zed abc", [Edit(4, 5, "a", "q", "r"), a])
