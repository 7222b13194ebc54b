"""Outcomes: association against a hand computation, label resolution, parameter checks."""

from __future__ import annotations

import numpy as np
import pytest

from biasaudit.audit.outcomes import CAREER, FAMILY, measure
from biasaudit.errors import ConfigError
from biasaudit.models import CallableModel, Capability, load_model

VECTORS = {
    "x": [3.0, 0.0, 0.0],
    "y": [0.0, 2.0, 2.0],
    "a1": [1.0, 1.0, 0.0],
    "a2": [2.0, 0.0, 0.0],
    "b1": [0.0, 5.0, 0.0],
    "b2 phrase": [0.0, 0.0, 1.0],
}


def _embedder() -> CallableModel:
    return CallableModel(
        lambda ts: [VECTORS[t] for t in ts], capability=Capability.EMBEDDING, name="vec"
    )


def _cos(u, v) -> float:
    u, v = np.asarray(u), np.asarray(v)
    return float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))


def test_association_is_the_mean_cosine_difference_of_unnormalised_embeddings():
    params = {"attribute_a": ["a1", "a2"], "attribute_b": ["b1", "b2 phrase"]}
    got = measure("association", _embedder(), ["x", "y"], params)
    want = [
        np.mean([_cos(VECTORS[t], VECTORS[a]) for a in ("a1", "a2")])
        - np.mean([_cos(VECTORS[t], VECTORS[b]) for b in ("b1", "b2 phrase")])
        for t in ("x", "y")
    ]
    np.testing.assert_allclose(got.values, want, rtol=1e-12)
    assert got.units == "cosine"


def test_association_with_the_default_model_matches_numpy():
    model = load_model("default")
    texts = ["She is a nurse.", "He is an engineer."]
    got = measure("association", model, texts, {}).values

    def unit(m):
        m = np.asarray(m, dtype=float)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    x, a, b = unit(model.embed(texts)), unit(model.embed(CAREER)), unit(model.embed(FAMILY))
    want = [np.mean(x[i] @ a.T) - np.mean(x[i] @ b.T) for i in range(len(texts))]
    np.testing.assert_allclose(got, want, atol=1e-9)


@pytest.mark.parametrize(
    "params",
    [
        {"attribute_a": "career", "attribute_b": ["home"]},  # a string is not a list of words
        {"attribute_a": ["career"], "attribute_b": []},
        {"attribute_a": ["career", " "], "attribute_b": ["home"]},
    ],
)
def test_association_rejects_malformed_attribute_sets(params):
    model = _embedder()
    with pytest.raises(ConfigError, match="attribute_"):
        measure("association", model, ["x"], params)


def _classifier(calls: list) -> CallableModel:
    def fn(texts):
        calls.append(list(texts))
        return [[0.6, 0.3, 0.1] for _ in texts]

    return CallableModel(fn, labels=["neg", "neu", "pos"])


@pytest.mark.parametrize("metric", ["proba", "logit"])
@pytest.mark.parametrize(
    ("label", "match"),
    [
        ("toxic", "has no label 'toxic'; its labels: \\['neg', 'neu', 'pos'\\]"),
        (3, "out of range"),
        (-4, "out of range"),
        (True, "boolean"),
    ],
)
def test_a_bad_label_fails_before_the_model_is_asked(metric, label, match):
    calls: list = []
    with pytest.raises(ConfigError, match=match):
        measure(metric, _classifier(calls), ["some text"], {"label": label})
    assert calls == []


def test_labels_by_name_and_index():
    calls: list = []
    model = _classifier(calls)
    np.testing.assert_allclose(measure("proba", model, ["t"], {"label": "neu"}).values, [0.3])
    np.testing.assert_allclose(measure("proba", model, ["t"], {"label": 0}).values, [0.6])
    np.testing.assert_allclose(measure("proba", model, ["t"], {"label": -1}).values, [0.1])
    np.testing.assert_allclose(measure("proba", model, ["t"], {}).values, [0.1])  # last column
    np.testing.assert_allclose(
        measure("logit", model, ["t"], {"label": "pos"}).values, [np.log(0.1 / 0.9)]
    )


def test_loglik_is_the_summed_log_likelihood_as_the_model_gives_it():
    model = CallableModel(
        lambda ts: [-1.5 * len(t.split()) for t in ts], capability=Capability.LOGLIKELIHOOD
    )
    got = measure("loglik", model, ["he is here", "they are here now"], {})
    np.testing.assert_allclose(got.values, [-4.5, -6.0])  # not divided by the length
    assert got.units == "nats"


def test_generation_averages_scored_replicates_per_text():
    model = CallableModel(
        lambda ps: [f"I can't help with that, {p}." if "nurse" in p else "Sure!" for p in ps],
        capability=Capability.GENERATION,
    )
    got = measure("generation", model, ["nurse", "pilot"], {"n": 2, "scorer": "refusal"})
    np.testing.assert_allclose(got.values, [1.0, 0.0])
    assert [len(x) for x in got.per_text] == [2, 2]


def test_a_callable_that_learns_its_labels_from_its_first_answer():
    one = CallableModel(lambda ts: [0.25 for _ in ts])  # one column, labelled "score"
    np.testing.assert_allclose(measure("proba", one, ["t"], {}).values, [0.25])
    two = CallableModel(lambda ts: [[0.7, 0.3] for _ in ts])  # labels "0", "1"
    np.testing.assert_allclose(measure("proba", two, ["t"], {"label": "1"}).values, [0.3])
    fresh = CallableModel(lambda ts: [[0.7, 0.3] for _ in ts])
    with pytest.raises(ConfigError, match="out of range"):
        measure("proba", fresh, ["t"], {"label": 2})
