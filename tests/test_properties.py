"""Property tests of the engine over generated English text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit
from biasaudit.core import apply_edits

ENGINE = biasaudit.engine("en", "gender")
_EXCLUDED = {x.text.split()[0].casefold() for x in ENGINE.lexicons.exclusions}
INVERTIBLE = sorted(
    {
        form
        for e in ENGINE.lexicons.entries
        if e.invertible and e.pos in ("noun", "adj") and {"male", "female"} <= set(e.forms)
        for g in ("male", "female")
        for form in e.forms[g]
        if form.casefold() not in _EXCLUDED and " " not in form
    }
    | {"he", "she", "himself", "herself"}
)
FILLERS = [
    "the",
    "a",
    "and",
    "met",
    "Heather",
    "theater",
    "shepherd",
    "42",
    "café",
    "naïve",
    "this",
    "hiss",
    "hersh",
    "kingdom",
    "manly-ish",
    "x_y",
]
SEPARATORS = [" ", "  ", ", ", ".\n", "\t", " — ", "! ", " (", ") "]


def cased(word: str, style: int) -> str:
    return [word.lower(), word.upper(), word[:1].upper() + word[1:].lower()][style]


words = st.tuples(st.sampled_from(INVERTIBLE + FILLERS), st.integers(0, 2)).map(lambda t: cased(*t))
texts = st.lists(st.tuples(words, st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts)
)


def style_of(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "upper"
    if word[:1].isupper():
        return "title"
    return "lower"


@settings(max_examples=300, deadline=None)
@given(texts)
def test_swapping_twice_returns_the_original(text: str) -> None:
    once = ENGINE.swap(text)
    assert once.safe
    assert ENGINE.swap(once.text).text == text


@settings(max_examples=300, deadline=None)
@given(texts)
def test_untouched_text_identical_and_case_pattern_kept(text: str) -> None:
    cf = ENGINE.swap(text)
    assert apply_edits(text, cf.edits) == cf.text
    pos = 0
    for e in cf.edits:
        assert e.start >= pos
        assert text[e.start : e.end] == e.old
        assert style_of(e.new) == style_of(e.old)
        pos = e.end


@settings(max_examples=300, deadline=None)
@given(texts)
def test_no_half_replaced_words(text: str) -> None:
    cf = ENGINE.swap(text)
    for e in cf.edits:
        before = text[e.start - 1] if e.start else " "
        after = text[e.end] if e.end < len(text) else " "
        assert not (before.isalnum() or before == "_")
        assert not (after.isalnum() or after == "_")
    # every output word is either untouched source or a whole lexicon form
    forms = {f.casefold() for e in ENGINE.lexicons.entries for v in e.forms.values() for f in v}
    for e in cf.edits:
        assert e.new.casefold() in forms


# Any Unicode around the terms: marks NFC cannot compose, joiners, line ends, emoji, lone
# surrogates, letters whose case mapping changes length.
ODD = ["\u0300", "\u0331", "\u0489", "\u200b", "\u200d", "\r\n", "\t", "\U0001f600", "\ud800",
       "ß", "İ", "ı", "ǅ", "ﬃ", "'", "\u2019", "-", "_", "7"]
odd_texts = st.lists(
    st.one_of(words, st.sampled_from(ODD), st.text(max_size=2)), max_size=12
).map("".join)


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


@settings(max_examples=400, deadline=None)
@given(odd_texts)
def test_edits_are_whole_words_of_the_source_in_any_unicode(text: str) -> None:
    cf = ENGINE.swap(text)
    assert cf.source == text  # matched in NFC, answered in the caller's text
    assert apply_edits(cf.source, cf.edits) == cf.text
    assert unicodedata.normalize("NFC", cf.text) == ENGINE.swap(
        unicodedata.normalize("NFC", text)).text
    for e in cf.edits:
        assert cf.source[e.start : e.end] == e.old
        if e.entry is None:
            continue  # a grammar edit (the possessive "prophetess'" -> "prophet's")
        assert not (e.start and _in_word(cf.source[e.start - 1])), e
        assert not (e.end < len(cf.source) and _in_word(cf.source[e.end])), e
