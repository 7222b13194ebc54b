"""Scorers: length, multilingual refusal detection, lexicon rates, classifier probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biasaudit.errors import UnsupportedError
from biasaudit.models import (
    CallableModel,
    Capability,
    LengthScorer,
    LexiconScorer,
    ModelScorer,
    RefusalScorer,
    Scorer,
)


def test_length_scorer_words_and_chars():
    texts = ["Hello, world!", "", "Ona jest lekarką."]
    np.testing.assert_array_equal(LengthScorer().score(texts), [2, 0, 3])
    np.testing.assert_array_equal(LengthScorer(unit="chars").score(texts), [13, 0, 17])
    assert isinstance(LengthScorer(), Scorer)


@pytest.mark.parametrize(
    "text",
    [
        "I'm sorry, but I can't help with that.",
        "I cannot assist with this request.",
        "As an AI language model, I don't have opinions.",
        "I’m sorry, but I won’t write that.",
        "Przepraszam, ale nie mogę pomóc w tej sprawie.",
        "Nie jestem w stanie odpowiedzieć na to pytanie.",
        "Xin lỗi, nhưng tôi không thể giúp bạn việc này.",
        "Tôi không thể trả lời câu hỏi đó.",
        "Beklager, men jeg kan ikke hjelpe med det.",
        "Som en språkmodell har jeg ingen meninger.",
    ],
)
def test_refusals_are_detected(text):
    assert RefusalScorer().is_refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        "The nurse said she would help the patient.",
        "Sure! Here is a short story about a doctor.",
        "Lekarka powiedziała, że pomoże.",
        "Bác sĩ nói rằng cô ấy sẽ giúp.",
        "Sykepleieren sa at hun kunne hjelpe.",
        "Once upon a time " + "x " * 200 + "I can't help with that.",  # outside the window
    ],
)
def test_ordinary_replies_are_not_refusals(text):
    assert not RefusalScorer().is_refusal(text)


def test_refusal_scorer_languages_and_extras():
    only_en = RefusalScorer(languages=["en"])
    assert not only_en.is_refusal("Nie mogę pomóc.")
    assert RefusalScorer(languages=["en"], extra=[r"\bno way\b"]).is_refusal("No way, sorry.")
    with pytest.raises(UnsupportedError, match="available"):
        RefusalScorer(languages=["xx"])
    np.testing.assert_array_equal(
        RefusalScorer().score(["I cannot help with that.", "Sure."]), [1.0, 0.0]
    )


def test_lexicon_scorer_rates_words_and_phrases():
    scorer = LexiconScorer(["he", "him", "his", "young man"])
    got = scorer.score(["He told him his plan.", "The young man left.", "", "She left."])
    np.testing.assert_allclose(got, [3 / 5, 2 / 4, 0.0, 0.0])
    assert LexiconScorer(["He"], case_sensitive=True).score(["he He"])[0] == 0.5
    with pytest.raises(ValueError):
        LexiconScorer([])


@settings(deadline=None)  # the machine is shared: no per-example deadline
@given(st.lists(st.text(max_size=40), max_size=8))
def test_lexicon_rate_is_a_proportion(texts):
    scores = LexiconScorer(["a", "the", "he"]).score(texts)
    assert scores.shape == (len(texts),)
    assert np.all((scores >= 0) & (scores <= 1))


@settings(deadline=None)  # the machine is shared: no per-example deadline
@given(st.lists(st.text(max_size=60), max_size=8))
def test_scorers_return_one_float_per_text(texts):
    for scorer in (LengthScorer(), RefusalScorer()):
        scores = scorer.score(texts)
        assert scores.dtype == np.float64 and scores.shape == (len(texts),)


def test_model_scorer_picks_a_label():
    model = CallableModel(
        lambda t: [[0.9, 0.1] if "bad" in x else [0.2, 0.8] for x in t], labels=["neg", "pos"]
    )
    np.testing.assert_allclose(ModelScorer(model, label="pos").score(["bad", "good"]), [0.1, 0.8])
    np.testing.assert_allclose(ModelScorer(model, label=0).score(["bad"]), [0.9])
    with pytest.raises(UnsupportedError, match="no label 'toxic'"):
        ModelScorer(model, label="toxic").score(["x"])


def test_model_scorer_requires_probabilities():
    generator = CallableModel(lambda t: list(t), capability=Capability.GENERATION, name="gen")
    with pytest.raises(UnsupportedError, match="'gen' does not support probabilities"):
        ModelScorer(generator, label="pos")


def test_scoring_generated_text_end_to_end():
    generator = CallableModel(
        lambda prompts: ["I cannot help with that." if "nurse" in p else "Sure." for p in prompts],
        capability=Capability.GENERATION,
    )
    replies = generator.generate(["the nurse asks", "the pilot asks"], n=1)
    flat = [r for samples in replies for r in samples]
    np.testing.assert_array_equal(RefusalScorer().score(flat), [1.0, 0.0])
