"""The interface: capabilities, require_capability, load_model specs, callables, lazy imports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from biasaudit.errors import MissingExtraError, UnsupportedError
from biasaudit.models import (
    CallableModel,
    Capability,
    Model,
    ModelStats,
    load_model,
    require_capability,
)

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_import_does_not_load_heavy_dependencies():
    code = (
        "import sys, biasaudit, biasaudit.models\n"
        "from biasaudit.models import load_model, CallableModel, RefusalScorer, ResponseCache\n"
        "heavy = [m for m in ('torch', 'transformers', 'boto3', 'botocore') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == ""


def test_require_capability_names_model_and_offers():
    model = CallableModel(lambda texts: [0.5] * len(texts), name="half")
    require_capability(model, Capability.PROBABILITIES)
    require_capability(model, "probabilities")
    with pytest.raises(UnsupportedError) as info:
        require_capability(model, Capability.GENERATION)
    message = str(info.value)
    assert "'half'" in message and "generation" in message and "probabilities" in message


def test_unsupported_method_fails_early_with_clear_error():
    model = CallableModel(lambda texts: [0.5] * len(texts), name="half")
    with pytest.raises(UnsupportedError, match="does not support loglikelihood"):
        model.loglikelihood(["a"])
    with pytest.raises(UnsupportedError, match="does not support embedding"):
        model.embed(["a"])


def test_callable_1d_is_a_score_column():
    model = load_model(lambda texts: [len(t) / 10 for t in texts])
    assert isinstance(model, Model)
    probs = model.predict_proba(["ab", "abcd"])
    assert probs.shape == (2, 1)
    np.testing.assert_allclose(probs[:, 0], [0.2, 0.4])
    assert model.labels == ("score",)
    np.testing.assert_allclose(model.score(["ab"]), [0.2])


def test_callable_2d_is_probabilities_with_labels():
    def fn(texts):
        return [[0.25, 0.75] if "he" in t.split() else [0.6, 0.4] for t in texts]

    model = CallableModel(fn, labels=["neg", "pos"])
    probs = model.predict_proba(["he is", "she is", "he is"])
    np.testing.assert_allclose(probs, [[0.25, 0.75], [0.6, 0.4], [0.25, 0.75]])
    assert model.labels == ("neg", "pos")
    assert model.stats.deduplicated == 1 and model.stats.computed == 2


def test_callable_results_are_cached_across_calls():
    calls: list[list[str]] = []

    def fn(texts):
        calls.append(list(texts))
        return [1.0] * len(texts)

    model = CallableModel(fn)
    model.predict_proba(["a", "b"])
    model.predict_proba(["b", "c", "a"])
    assert calls == [["a", "b"], ["c"]]
    stats = model.stats
    assert isinstance(stats, ModelStats)
    assert (stats.requested, stats.memory_hits, stats.computed) == (5, 2, 3)
    assert stats.cache_hits == 2 and stats.cache_misses == 3


def test_callable_cache_false_calls_every_time():
    calls = []
    model = CallableModel(lambda t: calls.append(1) or [0.0] * len(t), cache=False)
    model.predict_proba(["a"])
    model.predict_proba(["a"])
    assert len(calls) == 2


def test_callable_other_capabilities():
    ll = CallableModel(lambda t: [-float(len(x)) for x in t], capability="loglikelihood")
    np.testing.assert_allclose(ll.loglikelihood(["ab", "c"]), [-2.0, -1.0])
    emb = CallableModel(lambda t: [[len(x), 1.0] for x in t], capability=Capability.EMBEDDING)
    assert emb.embed(["abc"]).tolist() == [[3.0, 1.0]]
    gen = CallableModel(lambda t: [x.upper() for x in t], capability=Capability.GENERATION)
    assert gen.generate(["hi", "yo"], n=2) == [["HI", "HI"], ["YO", "YO"]]


def test_callable_bad_outputs_are_clear_errors():
    short = CallableModel(lambda t: [0.1], name="short")
    with pytest.raises(ValueError, match="returned 1 results for 2 texts"):
        short.predict_proba(["a", "b"])
    nan = CallableModel(lambda t: [float("nan")] * len(t), name="nan")
    with pytest.raises(ValueError, match="NaN"):
        nan.predict_proba(["a"])
    with pytest.raises(TypeError, match="list of strings"):
        short.predict_proba("a single string")


def test_callable_batch_size_splits_calls():
    sizes = []
    model = CallableModel(lambda t: sizes.append(len(t)) or [0.0] * len(t), batch_size=3)
    model.predict_proba([str(i) for i in range(7)])
    assert sizes == [3, 3, 1]


def test_fingerprint_is_stable_and_distinct():
    def f(texts):
        return [0.0] * len(texts)

    def g(texts):
        return [1.0] * len(texts)

    assert CallableModel(f).fingerprint == CallableModel(f).fingerprint
    assert CallableModel(f).fingerprint != CallableModel(g).fingerprint


@pytest.mark.parametrize(
    "spec", ["nonsense", "hf:", "ollama:http://x", "openai:http://127.0.0.1:1"]
)
def test_bad_specs_explain_the_formats(spec):
    with pytest.raises(UnsupportedError) as info:
        load_model(spec)
    assert "hf:" in str(info.value) or "model=" in str(info.value)


def test_load_model_passes_adapters_through():
    model = CallableModel(lambda t: [0.0] * len(t))
    assert load_model(model) is model


def test_missing_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)  # makes `import boto3` fail
    with pytest.raises(MissingExtraError) as info:
        load_model("bedrock:some.model")
    assert "biasaudit[bedrock]" in str(info.value) and info.value.package == "boto3"


def test_missing_hf_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingExtraError, match=r"biasaudit\[hf\]"):
        load_model("default")


# -- callables that score whole texts also score continuations ---------------------------------
def test_callable_loglikelihood_scores_continuations_by_difference():
    """log P(c | p) = ll(p + c) - ll(p): the continuation metric works with a callable."""
    asked = []

    def ll(texts):
        asked.extend(texts)
        return [-float(len(t)) for t in texts]

    model = CallableModel(ll, capability=Capability.LOGLIKELIHOOD, cache=False)
    got = model.continuation_loglikelihood(
        ["a", "He is a ", "", "x", "x "], [" bb", "nurse", "abc", "", ""]
    )
    # "He is a " + "nurse": the prefix's trailing space goes with the continuation
    assert got.tolist() == [-3.0, -6.0, -3.0, 0.0, 0.0]
    assert "" not in asked and "He is a" in asked and "He is a " not in asked
    with pytest.raises(ValueError, match="same length"):
        model.continuation_loglikelihood(["a"], [])
    scorer = CallableModel(lambda texts: [0.5] * len(texts))
    with pytest.raises(UnsupportedError, match="does not support loglikelihood"):
        scorer.continuation_loglikelihood(["a"], [" b"])


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_callable_batch_size_must_be_a_positive_integer(size):
    from biasaudit.errors import ModelOptionError

    with pytest.raises(ModelOptionError, match=re.escape(f"batch_size={size!r}")) as info:
        CallableModel(lambda texts: [0.0] * len(texts), batch_size=size)
    assert info.value.option == "batch_size"
