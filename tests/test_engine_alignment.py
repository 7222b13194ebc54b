"""Input that is not in NFC: the engine matches in NFC but answers in the caller's text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit
from biasaudit.core import apply_edits
from biasaudit.core.alignment import align

NFC = "NFC"


def _nfc(text: str) -> str:
    return unicodedata.normalize(NFC, text)


# -- the alignment itself -------------------------------------------------------------------
any_text = st.text(
    st.sampled_from("ae iouAEó\u0301\u0300\u0323\u0302\u0306\u031b\u0328ñ-., \u1100\u1161\u11a8"),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(any_text, st.data())
def test_every_span_maps_to_a_piece_that_normalises_to_it(text: str, data: st.DataObject) -> None:
    normalized = _nfc(text)
    alignment = align(text, normalized, _nfc)
    start = data.draw(st.integers(0, len(normalized)))
    end = data.draw(st.integers(start, len(normalized)))
    n_start, n_end, o_start, o_end = alignment.span(start, end)
    assert n_start <= start <= end <= n_end
    assert _nfc(text[o_start:o_end]) == normalized[n_start:n_end]


def test_a_normalisation_that_joins_ascii_letters_falls_back_to_one_cluster() -> None:
    """A normalisation that composes across every cut is still aligned exactly: the whole
    text is then one cluster."""
    def join_ij(s: str) -> str:
        return s.replace("ij", "\u0133")

    alignment = align("bijna", "b\u0133na", join_ij)
    assert alignment.span(1, 2) == (0, 4, 0, 5)


def test_a_split_cluster_is_widened() -> None:
    """NFC cannot compose *s* + U+0300; a span that ends before the mark takes it along."""
    text = unicodedata.normalize("NFD", "és\u0300x")
    normalized = _nfc(text)  # 'és̀x'
    alignment = align(text, normalized, _nfc)
    assert alignment.span(1, 2) == (1, 3, 2, 4)


# -- the engine on decomposed text, every language ---------------------------------------------
SENTENCES = {
    "en": ["Café owner: he said his naïve son met her fiancée.", "The actress's rôle, hers."],
    "pl": ["Pan Kowalski poszedł do sklepu z żoną.", "Była zmęczona, więc jej mąż gotował.",
           "Lekarka powiedziała, że jest zadowolona."],
    "vi": ["Anh ấy là con trai của bà Hương.", "Ông ấy học tiếng Anh với chị gái.",
           "Cô ấy đã gặp bà con ở quê."],
    "nb": ["Han så gutten på kafé i Tromsø.", "Hun er lærer, og søsteren hennes er pilot."],
    "nn": ["Ho såg guten på kafeen.", "Han er far til jenta."],
}
CASES = [(lang, s) for lang, texts in SENTENCES.items() for s in texts]


@pytest.mark.parametrize(("lang", "text"), CASES)
@pytest.mark.parametrize("form", ["NFD", "NFKD", "mixed"])
def test_decomposed_input_gives_the_nfc_answer_in_the_callers_text(
    lang: str, text: str, form: str
) -> None:
    if form == "mixed":  # every other word decomposed
        given = " ".join(unicodedata.normalize("NFD", w) if i % 2 else w
                         for i, w in enumerate(text.split(" ")))
    else:
        given = unicodedata.normalize(form, text)
    expected = biasaudit.swap(text, lang=lang)
    cf = biasaudit.swap(given, lang=lang)
    assert cf.source == given
    assert _nfc(cf.text) == expected.text
    assert cf.unsafe == expected.unsafe
    assert [given[e.start : e.end] for e in cf.edits] == [e.old for e in cf.edits]
    assert apply_edits(given, cf.edits) == cf.text  # so every other character is the caller's
