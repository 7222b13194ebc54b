"""Hugging Face adapters on tiny local models loaded through the real from_pretrained path.

Tests loading (folders, hub ids, dtypes), classifier activations, masked and causal LM
scoring, generation sampling, long inputs and model fingerprints; encoder pooling
configuration is tested in test_models_pooling.py."""

from __future__ import annotations

import json
import shutil
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from biasaudit.errors import TruncationWarning, UnsupportedError  # noqa: E402
from biasaudit.models import (  # noqa: E402
    Capability,
    ModelScorer,
    load_model,
    require_capability,
)
from biasaudit.models.hf import (  # noqa: E402
    HFCausalLM,
    HFClassifier,
    HFEncoder,
    HFMaskedLM,
    ModelNotFoundError,
    detect_task,
    model_digest,
    pick_dtype,
)
from biasaudit.models.testing import tiny_corpus  # noqa: E402

TEXTS = [
    "the nurse is kind.",
    "he was rude at work.",
    "she seems smart.",
    "my brother became brave with everyone in the meeting again.",
    "the pilot stayed calm.",
    "they is honest.",
    "the nurse is kind.",  # duplicate on purpose
]


def count_rows(model):
    counter = {"rows": 0, "calls": 0}
    original = model.forward

    def forward(*args, **kwargs):
        ids = kwargs.get("input_ids", args[0] if args else None)
        counter["rows"] += int(ids.shape[0])
        counter["calls"] += 1
        return original(*args, **kwargs)

    model.forward = forward
    return counter


# -- loading --------------------------------------------------------------------------------
def test_task_is_detected_from_config(
    tiny_classifier_path, tiny_mlm_path, tiny_gpt2_path, tiny_encoder_path
):
    assert isinstance(load_model(f"hf:{tiny_classifier_path}"), HFClassifier)
    assert isinstance(load_model(f"hf:{tiny_mlm_path}"), HFMaskedLM)
    assert isinstance(load_model(f"hf:{tiny_gpt2_path}"), HFCausalLM)
    assert isinstance(load_model(f"hf:{tiny_encoder_path}"), HFEncoder)
    config = transformers.AutoConfig.from_pretrained(tiny_gpt2_path)
    assert detect_task(config) == "causal-lm"


def test_explicit_task_and_aliases(tiny_classifier_path):
    encoder = load_model(f"hf:{tiny_classifier_path}", task="feature-extraction")
    assert isinstance(encoder, HFEncoder) and encoder.capabilities == {Capability.EMBEDDING}
    with pytest.raises(UnsupportedError, match="unknown task"):
        load_model(f"hf:{tiny_classifier_path}", task="translation")


def test_cpu_defaults_to_float32_and_capabilities(tiny_gpt2_path):
    assert pick_dtype("cpu") == torch.float32
    model = load_model(f"hf:{tiny_gpt2_path}")
    assert next(model.model.parameters()).dtype == torch.float32
    assert model.capabilities == {Capability.LOGLIKELIHOOD, Capability.GENERATION}
    require_capability(model, Capability.GENERATION)
    with pytest.raises(UnsupportedError, match="probabilities"):
        model.predict_proba(["x"])


def test_loading_draws_no_transformers_bar_outside_a_terminal(tiny_classifier_path, capfd):
    logging = transformers.utils.logging
    assert logging.is_progress_bar_enabled()
    load_model(f"hf:{tiny_classifier_path}", show_progress=False)
    assert "Loading weights" not in capfd.readouterr().err
    assert logging.is_progress_bar_enabled()  # the caller's setting is restored


def test_fingerprint_follows_content_not_location(tiny_dir, tiny_classifier_path):
    from biasaudit.models.testing import build_tiny_classifier

    copy = tiny_dir / "classifier-copy"
    shutil.copytree(tiny_classifier_path, copy, dirs_exist_ok=True)
    other = build_tiny_classifier(
        tiny_dir / "classifier-seed1", labels=("neg", "neutral", "pos"), seed=1
    )
    a = load_model(f"hf:{tiny_classifier_path}")
    b = load_model(f"hf:{copy}")
    c = load_model(f"hf:{other}")
    assert a.fingerprint == b.fingerprint and a.name != b.name
    assert a.fingerprint != c.fingerprint
    as_encoder = load_model(f"hf:{tiny_classifier_path}", task="encoder")
    assert as_encoder.fingerprint != a.fingerprint


# -- loading: paths and hub ids that cannot be loaded -------------------------------------------
@pytest.mark.parametrize("task", [None, "classifier"])
def test_a_hub_id_that_is_not_cached_offline_names_the_id(monkeypatch, tmp_path, task):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    options = {"task": task} if task else {}
    with pytest.raises(ModelNotFoundError) as info:
        load_model("hf:biasaudit-tests/no-such-model", **options)
    message = str(info.value)
    assert "'biasaudit-tests/no-such-model'" in message and "HF_HUB_OFFLINE" in message
    assert "not a local folder" in message
    assert isinstance(info.value, OSError)  # callers that caught transformers' OSError still do


@pytest.mark.parametrize("spec", ["./models/sentiment", "/no/such/folder", "~/no-such-model-x"])
def test_a_missing_local_folder_is_named_not_read_as_a_hub_id(spec):
    """transformers said "Repo id must be in the form 'repo_name' or 'namespace/repo_name'"."""
    with pytest.raises(ModelNotFoundError, match="no model folder at") as info:
        load_model(f"hf:{spec}")
    assert "Repo id" not in str(info.value)


def test_a_file_instead_of_a_folder_is_named(tiny_gpt2_path):
    with pytest.raises(ModelNotFoundError, match="is a file"):
        load_model(f"hf:{tiny_gpt2_path / 'config.json'}")


def test_a_folder_under_home_is_found(tiny_gpt2_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tiny_gpt2_path.parent))
    model = load_model(f"hf:~/{tiny_gpt2_path.name}")
    assert model.capabilities


@pytest.mark.parametrize("task", [None, "encoder"])
def test_a_load_resolves_its_source_once(tiny_encoder_path, monkeypatch, task):
    """Detecting the task, reading the pooling folder and loading share one resolution."""
    from biasaudit.models import hf

    seen = []
    resolve = hf.resolve_source
    monkeypatch.setattr(hf, "resolve_source", lambda path: seen.append(path) or resolve(path))
    model = load_model(f"hf:{tiny_encoder_path}", task=task, cache=False)
    assert isinstance(model, HFEncoder) and len(seen) == 1


def test_unknown_dtype_names_are_a_clear_error():
    assert pick_dtype("cpu", "bfloat16") == torch.bfloat16
    assert pick_dtype("cpu", "torch.float16") == torch.float16
    for bad in ("fp16", "auto", "nn"):
        with pytest.raises(ValueError, match="not a torch dtype"):
            pick_dtype("cpu", bad)


# -- classifier -----------------------------------------------------------------------------
def test_classifier_matches_unbatched_reference(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}", batch_size=3)
    assert model.labels == ("neg", "neutral", "pos")
    probs = model.predict_proba(TEXTS)
    assert probs.shape == (len(TEXTS), 3)
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-6)
    ref_model = transformers.AutoModelForSequenceClassification.from_pretrained(
        tiny_classifier_path
    ).eval()
    tok = transformers.AutoTokenizer.from_pretrained(tiny_classifier_path)
    for text, row in zip(TEXTS, probs, strict=True):
        with torch.no_grad():
            logits = ref_model(**tok(text, return_tensors="pt")).logits
        np.testing.assert_allclose(row, torch.softmax(logits, -1)[0].numpy(), atol=1e-5)


def test_dedup_within_call_and_lru_across_calls(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}", batch_size=4)
    counter = count_rows(model.model)
    first = model.predict_proba(TEXTS)
    assert counter["rows"] == len(set(TEXTS))  # duplicate computed once
    second = model.predict_proba([*list(reversed(TEXTS)), "a new text."])
    assert counter["rows"] == len(set(TEXTS)) + 1  # only the new text
    np.testing.assert_array_equal(second[:-1], first[::-1])
    stats = model.stats
    assert stats.deduplicated == 2 and stats.memory_hits == len(set(TEXTS))


def test_length_sorted_batches(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}", batch_size=2)
    widths = []
    original = model.model.forward

    def forward(*args, **kwargs):
        widths.append(tuple(kwargs["input_ids"].shape))
        return original(*args, **kwargs)

    model.model.forward = forward
    texts = tiny_corpus(40, seed=3)
    model.predict_proba(texts)
    lengths = [w for _, w in widths]
    assert lengths == sorted(lengths, reverse=True)  # longest first, padding minimal
    assert all(b <= 2 for b, _ in widths)


def test_out_of_memory_halves_batch_size_and_still_answers(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}", batch_size=8)
    expected = load_model(f"hf:{tiny_classifier_path}").predict_proba(TEXTS)
    original = model.model.forward

    def forward(*args, **kwargs):
        if kwargs["input_ids"].shape[0] > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2 GiB")
        return original(*args, **kwargs)

    model.model.forward = forward
    np.testing.assert_allclose(model.predict_proba(TEXTS), expected, atol=1e-6)
    assert model.batch_size == 2


def test_non_oom_errors_propagate(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}")
    model.model.forward = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("shape mismatch"))
    with pytest.raises(RuntimeError, match="shape mismatch"):
        model.predict_proba(["x"])


def test_batches_finished_before_an_error_are_kept(tiny_classifier_path):
    """A batch's results reach the cache before a later batch's error propagates."""
    model = load_model(f"hf:{tiny_classifier_path}", batch_size=2)
    forward = model.model.forward
    calls = {"n": 0}

    def failing_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("device lost")
        return forward(*args, **kwargs)

    model.model.forward = failing_second
    with pytest.raises(RuntimeError, match="device lost"):
        model.predict_proba(TEXTS[:4])
    model.model.forward = forward
    model.reset_stats()
    model.predict_proba(TEXTS[:4])
    assert model.stats.memory_hits == 2 and model.stats.computed == 2


def test_persistent_cache_serves_a_second_adapter(tiny_classifier_path, tmp_path):
    path = tmp_path / "local.sqlite"
    first = load_model(f"hf:{tiny_classifier_path}", cache=path)
    a = first.predict_proba(TEXTS)
    second = load_model(f"hf:{tiny_classifier_path}", cache=path)
    counter = count_rows(second.model)
    b = second.predict_proba(TEXTS)
    assert counter["rows"] == 0 and second.stats.disk_hits == len(set(TEXTS))
    np.testing.assert_array_equal(a, b)


def test_planted_bias_is_learned(biased_classifier_path):
    model = load_model(f"hf:{biased_classifier_path}")
    probs = model.predict_proba(["he is kind.", "she is kind.", "he was lazy.", "she was lazy."])
    pos = list(model.labels).index("pos")
    assert probs[0, pos] > probs[1, pos] + 0.3
    assert probs[2, pos] > probs[3, pos] + 0.3
    scores = ModelScorer(model, label="pos").score(["he is kind.", "she is kind."])
    np.testing.assert_allclose(scores, probs[:2, pos], atol=1e-6)


# -- classifiers: the activation transformers' pipeline uses --------------------------------
CLF_TEXTS = ["he was rude at work.", "she seems smart.", "the nurse is kind."]


def test_a_multi_label_classifier_gives_each_label_its_own_sigmoid(tiny_classifier_path, tmp_path):
    """Detoxify-style heads (problem_type multi_label_classification) answer k yes/no
    questions; a softmax over them split P(toxic) with the other labels (≈ 1/k each)."""
    folder = tmp_path / "multi"
    shutil.copytree(tiny_classifier_path, folder)
    config = json.loads((folder / "config.json").read_text())
    config["problem_type"] = "multi_label_classification"
    (folder / "config.json").write_text(json.dumps(config))
    model = load_model(f"hf:{folder}", cache=False)
    reference = transformers.AutoModelForSequenceClassification.from_pretrained(folder).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    with torch.no_grad():
        logits = reference(**tokenizer(CLF_TEXTS, padding=True, return_tensors="pt")).logits
    expected = torch.sigmoid(logits.double()).numpy()
    np.testing.assert_allclose(model.predict_proba(CLF_TEXTS), expected, atol=1e-6)
    assert model.predict_proba(CLF_TEXTS).sum(axis=1) == pytest.approx([1.5, 1.5, 1.5], abs=0.1)


def test_a_single_label_classifier_still_softmaxes(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}", cache=False)
    reference = transformers.AutoModelForSequenceClassification.from_pretrained(
        tiny_classifier_path
    ).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_classifier_path)
    with torch.no_grad():
        rows = [reference(**tokenizer(t, return_tensors="pt")).logits[0] for t in CLF_TEXTS]
    expected = np.stack([torch.softmax(r.double(), -1).numpy() for r in rows])
    np.testing.assert_allclose(model.predict_proba(CLF_TEXTS), expected, atol=1e-6)


# -- masked LM ------------------------------------------------------------------------------
def reference_pll(model_path, text):
    model = transformers.AutoModelForMaskedLM.from_pretrained(model_path).eval()
    tok = transformers.AutoTokenizer.from_pretrained(model_path)
    ids = tok(text)["input_ids"]
    total = 0.0
    for pos in range(1, len(ids) - 1):  # skip [CLS] and [SEP]
        masked = list(ids)
        masked[pos] = tok.mask_token_id
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([masked])).logits[0, pos]
        total += torch.log_softmax(logits, -1)[ids[pos]].item()
    return total


def test_masked_lm_pseudo_log_likelihood_matches_reference(tiny_mlm_path):
    model = load_model(f"hf:{tiny_mlm_path}", batch_size=5)
    texts = TEXTS[:4]
    got = model.loglikelihood(texts)
    expected = [reference_pll(tiny_mlm_path, t) for t in texts]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)
    assert np.all(got < 0)


@pytest.mark.parametrize("arch", ["BertForMaskedLM", "RobertaForMaskedLM", "DistilBertForMaskedLM"])
def test_masked_lm_head_only_at_masked_positions_matches_full_logits(arch, tiny_dir):
    """BERT's and RoBERTa's heads run on the masked positions alone; DistilBERT's head is
    split over several modules, so it computes full logits. All give the same scores."""
    from biasaudit.models.testing import TINY_DIMENSIONS, build_tiny_tokenizer

    path = tiny_dir / f"mlm-{arch}"
    tokenizer = build_tiny_tokenizer(path)
    kind = {"BertForMaskedLM": "bert", "RobertaForMaskedLM": "roberta"}.get(arch, "distilbert")
    if kind == "distilbert":
        config = transformers.DistilBertConfig(
            vocab_size=len(tokenizer),
            dim=64,
            n_layers=2,
            n_heads=2,
            hidden_dim=128,
            max_position_embeddings=128,
            pad_token_id=tokenizer.pad_token_id,
        )
    else:
        config = transformers.AutoConfig.for_model(
            kind,
            vocab_size=len(tokenizer),
            pad_token_id=tokenizer.pad_token_id,
            **{**TINY_DIMENSIONS, "max_position_embeddings": 130},
        )
    torch.manual_seed(0)
    getattr(transformers, arch)(config).save_pretrained(str(path))
    model = load_model(f"hf:{path}", task="masked-lm", batch_size=4)
    assert (model._head is None) == (kind == "distilbert")
    fast = model.loglikelihood(TEXTS[:4])
    model._head = None
    model.cache.clear_memory()
    np.testing.assert_allclose(model.loglikelihood(TEXTS[:4]), fast, rtol=1e-5, atol=1e-5)


def test_masked_lm_continuation_scores_only_the_continuation(tiny_mlm_path):
    model = load_model(f"hf:{tiny_mlm_path}")
    full = model.loglikelihood(["the nurse is kind."])[0]
    cont = model.continuation_loglikelihood(["the nurse is"], [" kind."])[0]
    assert cont > full  # fewer (negative) terms
    assert model.continuation_loglikelihood(["the nurse is kind."], [""])[0] == 0.0


# -- causal LM ------------------------------------------------------------------------------
def reference_causal(model_path, prefix, continuation):
    model = transformers.AutoModelForCausalLM.from_pretrained(model_path).eval()
    tok = transformers.AutoTokenizer.from_pretrained(model_path)
    prefix_ids = tok(prefix)["input_ids"] if prefix else []
    ids = [tok.bos_token_id, *prefix_ids, *tok(continuation)["input_ids"]]
    with torch.no_grad():
        logp = torch.log_softmax(model(input_ids=torch.tensor([ids])).logits[0], -1)
    return sum(logp[j - 1, ids[j]].item() for j in range(1 + len(prefix_ids), len(ids)))


def test_causal_lm_loglikelihood_matches_reference(tiny_gpt2_path):
    model = load_model(f"hf:{tiny_gpt2_path}", batch_size=3)
    texts = TEXTS[:5]
    got = model.loglikelihood(texts)
    expected = [reference_causal(tiny_gpt2_path, "", t) for t in texts]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)
    cont = model.continuation_loglikelihood(["the nurse is", "he was"], [" kind.", " rude."])
    np.testing.assert_allclose(
        cont,
        [
            reference_causal(tiny_gpt2_path, "the nurse is", " kind."),
            reference_causal(tiny_gpt2_path, "he was", " rude."),
        ],
        rtol=1e-5,
        atol=1e-4,
    )


def test_causal_lm_generation_is_seeded_and_batch_independent(tiny_gpt2_path):
    model = load_model(f"hf:{tiny_gpt2_path}")
    out = model.generate(["the nurse is", "he was"], n=3, seed=7, max_new_tokens=6)
    assert len(out) == 2 and all(len(s) == 3 for s in out)
    assert all(isinstance(t, str) for s in out for t in s)
    fresh = load_model(f"hf:{tiny_gpt2_path}")
    assert fresh.generate(["he was"], n=3, seed=7, max_new_tokens=6) == [out[1]]
    assert fresh.generate(["he was"], n=3, seed=8, max_new_tokens=6) != [out[1]]
    before = torch.random.get_rng_state()
    fresh.generate(["something else"], n=1, seed=1, max_new_tokens=3)
    assert torch.equal(before, torch.random.get_rng_state())  # caller's RNG untouched


def test_greedy_generation_with_zero_temperature(tiny_gpt2_path):
    model = load_model(f"hf:{tiny_gpt2_path}", temperature=0.0)
    a = model.generate(["the nurse"], n=2, seed=1, max_new_tokens=4)
    b = model.generate(["the nurse"], n=2, seed=2, max_new_tokens=4)
    assert a[0][0] == a[0][1] == b[0][0]


# -- sampling: temperature 1, top_p 1 means the whole distribution -----------------------------
def first_tokens(model, n: int = 400) -> set[str]:
    return set(model.generate(["the nurse is"], n=n, seed=0, max_new_tokens=1)[0])


def test_sampling_is_not_cut_to_transformers_hidden_top_k_of_50(tiny_gpt2_path, tmp_path):
    """transformers samples from the 50 likeliest tokens unless top_k is given: on the tiny
    model two thirds of the probability mass were never drawn."""
    model = load_model(f"hf:{tiny_gpt2_path}", cache=False)
    assert len(model.tokenizer) > 100
    assert len(first_tokens(model)) > 60
    # a top_k in the model's generation_config.json does not apply either (the adapter's
    # temperature, top_p and top_k define the sampler) ...
    folder = tmp_path / "topk"
    shutil.copytree(tiny_gpt2_path, folder)
    generation = json.loads((folder / "generation_config.json").read_text())
    (folder / "generation_config.json").write_text(json.dumps({**generation, "top_k": 5}))
    assert len(first_tokens(load_model(f"hf:{folder}", cache=False))) > 60
    # ... unless asked for, and then it is part of the cache key
    cut = load_model(f"hf:{tiny_gpt2_path}", cache=False, top_k=5)
    assert len(first_tokens(cut)) <= 5
    with pytest.raises(ValueError, match="top_k"):
        load_model(f"hf:{tiny_gpt2_path}", top_k=-1)


# -- inputs longer than the model's context ---------------------------------------------------
LONG = " ".join(["the nurse said that my brother was kind"] * 40)  # far over 128 tokens


def test_long_inputs_are_cut_to_the_context_and_reported(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}")
    with pytest.warns(TruncationWarning, match=r"1 of 2 text\(s\) are longer than .* 128 tokens"):
        probs = model.predict_proba([LONG, "the nurse is kind."])
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-5)


def test_answers_from_the_cache_of_cut_texts_are_reported_again(tiny_classifier_path,
                                                                  tiny_gpt2_path, tmp_path):
    """A rerun served from the cache must say, as the first run did, that texts were cut:
    the audit fails a gate closed on it (an all-zero finding under a cut)."""
    classifier = load_model(f"hf:{tiny_classifier_path}", cache=tmp_path / "c.sqlite")
    gpt2 = load_model(f"hf:{tiny_gpt2_path}", cache=tmp_path / "g.sqlite")
    calls = [
        lambda: classifier.predict_proba([LONG, "the nurse is kind."]),
        lambda: gpt2.loglikelihood([LONG]),
        lambda: gpt2.continuation_loglikelihood([LONG], [" and kind"]),
        lambda: gpt2.generate([LONG], n=1, seed=0, max_new_tokens=4),
    ]
    for call in calls:
        with pytest.warns(TruncationWarning):
            first = call()
        with pytest.warns(TruncationWarning, match="from the cache|cut"):
            again = call()
        assert repr(again) == repr(first)
    assert classifier.stats.cache_hits > 0 and gpt2.stats.cache_hits >= 3


def test_inputs_that_fit_raise_no_truncation_warning(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}")
    exactly = model.tokenizer.decode(model.tokenizer(LONG)["input_ids"][1:127])
    assert len(model.tokenizer(exactly)["input_ids"]) == 128  # at the limit, not over it
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncationWarning)
        model.predict_proba([exactly, *TEXTS])


def test_causal_lm_keeps_room_for_the_bos_it_prepends(tiny_gpt2_path):
    """The text is cut one token short, so BOS + text still fits the position table
    (this used to index past GPT-2's 128 positions and crash)."""
    model = load_model(f"hf:{tiny_gpt2_path}")
    with pytest.warns(TruncationWarning, match="127 tokens"):
        value = model.loglikelihood([LONG])
    assert np.isfinite(value).all()
    with pytest.warns(TruncationWarning):
        out = model.generate([LONG], n=1, seed=0, max_new_tokens=8)
    assert len(out[0]) == 1
    with pytest.raises(ValueError, match="leaves no room for a prompt"):
        model.generate(["he was"], max_new_tokens=128)


def test_audit_reports_truncated_inputs(tiny_classifier_path, tmp_path):
    from biasaudit.audit import parse_config, run_audit

    texts = tmp_path / "texts.jsonl"
    rows = [f"{LONG} and he is kind.", "he is kind.", "she was rude at work."]
    texts.write_text("".join(json.dumps({"text": t}) + "\n" for t in rows))
    config = parse_config(
        f"""
version: 1
name: long
model: {{spec: "hf:{tiny_classifier_path}"}}
probes: [{{input: "{texts}", lang: en, axis: gender}}]
metrics: [{{name: proba, params: {{label: pos}}}}]
statistics: {{n_resamples: 2000}}
"""
    )
    result = run_audit(config)
    assert any("2 of 6 text(s) are longer" in w for w in result.warnings), result.warnings


# -- long generation prompts keep their end ------------------------------------------------------
def test_a_long_generation_prompt_keeps_its_end(tiny_gpt2_path):
    model = load_model(f"hf:{tiny_gpt2_path}", temperature=0.0, cache=False)
    assert isinstance(model, HFCausalLM) and model._prepends_bos
    seen = []
    original = model.model.generate

    def generate(**kwargs):
        seen.append(kwargs["input_ids"][0].tolist())
        return original(**kwargs)

    model.model.generate = generate
    prompt = LONG + " then the pilot stayed calm"
    with pytest.warns(
        TruncationWarning,
        match=r"cut at the start \(the end, where generation continues, is kept\)",
    ):
        model.generate([prompt], max_new_tokens=8)
    room = model.max_length - 8
    ids = model.tokenizer(prompt)["input_ids"]
    assert seen[0] == [model.bos_id, *ids[-(room - 1) :]]
    with warnings.catch_warnings():  # a prompt that fits is sent whole, without a warning
        warnings.simplefilter("error", TruncationWarning)
        model.generate(["the pilot stayed"], max_new_tokens=8)
    assert seen[1] == [model.bos_id, *model.tokenizer("the pilot stayed")["input_ids"]]


# -- encoders -------------------------------------------------------------------------------
def test_encoder_mean_pooling_matches_reference(tiny_encoder_path):
    model = load_model(f"hf:{tiny_encoder_path}", normalize=False, batch_size=4)
    got = model.embed(TEXTS)
    ref = transformers.AutoModel.from_pretrained(tiny_encoder_path).eval()
    tok = transformers.AutoTokenizer.from_pretrained(tiny_encoder_path)
    for text, row in zip(TEXTS, got, strict=True):
        with torch.no_grad():
            hidden = ref(**tok(text, return_tensors="pt")).last_hidden_state[0]
        np.testing.assert_allclose(row, hidden.mean(0).numpy(), atol=1e-5)
    normalized = load_model(f"hf:{tiny_encoder_path}").embed(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(normalized, axis=1), 1.0, atol=1e-5)


def test_default_model_is_the_embedded_minilm():
    model = load_model("default")
    assert model.name == "default:all-MiniLM-L6-v2"
    assert model.capabilities == {Capability.EMBEDDING}
    vectors = model.embed(
        ["The doctor is kind.", "The physician is friendly.", "Stock prices fell sharply."]
    )
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    assert model.fingerprint.startswith("hf:local@") and "encoder" in model.fingerprint


@pytest.mark.parametrize("path_fixture", ["tiny_mlm_path", "tiny_gpt2_path"])
def test_continuation_boundary_follows_the_word_not_the_space(path_fixture, request):
    """A prefix's trailing space belongs to the next word (as in lm-evaluation-harness); a
    continuation that lies inside the prefix's last token cannot be scored and says so."""
    model = load_model(f"hf:{request.getfixturevalue(path_fixture)}")
    prefixes, continuations = ["the nurse is ", "the nurse is"], ["kind.", " kind."]
    spaced = model.continuation_loglikelihood(prefixes, continuations)
    assert spaced[0] == pytest.approx(spaced[1]) and spaced[0] < 0
    tokens = model.tokenizer.tokenize("the nurse")
    assert tokens[-1].lstrip("Ġ#") == "nurse"  # one token, so "se" has none of its own
    with pytest.raises(ValueError, match=r"'se' after prefix .* has no token of its own"):
        model.continuation_loglikelihood(["the nur"], ["se"])


# -- fingerprints cover the tokenizer and generation settings ---------------------------------
@pytest.mark.parametrize(
    ("file", "change"),
    [
        ("tokenizer.json", lambda d: d["normalizer"].update(lowercase=False)),
        ("tokenizer_config.json", lambda d: d.update(model_max_length=64)),
        ("generation_config.json", lambda d: d.update(top_k=1)),
    ],
)
def test_fingerprint_changes_with_tokenizer_and_generation_files(
    tiny_dir, tiny_gpt2_path, file, change
):
    from biasaudit.models.hf import model_digest

    copy = tiny_dir / f"gpt2-{file}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(tiny_gpt2_path, copy)
    assert model_digest(copy) == model_digest(tiny_gpt2_path)
    data = json.loads((copy / file).read_text())
    change(data)
    (copy / file).write_text(json.dumps(data))
    assert model_digest(copy) != model_digest(tiny_gpt2_path)
    shutil.rmtree(copy)


def test_a_models_own_code_is_part_of_its_fingerprint(tiny_gpt2_path, tmp_path):
    """A trust_remote_code model's modeling_*.py decides its answers like its weights."""
    folder = tmp_path / "custom"
    shutil.copytree(tiny_gpt2_path, folder)
    (folder / "modeling_custom.py").write_text("SCALE = 1.0\n")
    before = model_digest(folder)
    (folder / "modeling_custom.py").write_text("SCALE = 2.0\n")
    assert model_digest(folder) != before


# -- usable context: RoBERTa's position offset and the tokenizer's limit -----------------------
@pytest.mark.parametrize(
    ("adapter", "arch", "call"),
    [
        (HFEncoder, "RobertaModel", "embed"),
        (HFMaskedLM, "RobertaForMaskedLM", "loglikelihood"),
        (HFClassifier, "RobertaForSequenceClassification", "predict_proba"),
    ],
)
def test_roberta_positions_start_after_padding_idx(tiny_mlm_path, adapter, arch, call):
    """roberta-base has 514 positions for 512 tokens (positions start at pad_token_id + 1):
    a text over the limit is cut with a warning instead of indexing past the table."""
    tok = transformers.AutoTokenizer.from_pretrained(tiny_mlm_path)
    config = transformers.RobertaConfig(
        vocab_size=len(tok), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=34, pad_token_id=1,
    )
    torch.manual_seed(0)
    model = adapter(getattr(transformers, arch)(config), tok, name="r", fingerprint="r",
                    cache=False)
    assert model.max_length == 32
    with pytest.warns(TruncationWarning, match="32 tokens"):
        out = getattr(model, call)([" ".join(["he is kind"] * 20), "he is kind."])
    assert len(out) == 2 and np.isfinite(out).all()


class _FakeEmbeddings(torch.nn.Module):
    """The embeddings module layouts that decide the position offset, without a model."""

    def __init__(self, *, padding_idx=1, table_padding_idx=1, method=False, keep_idx=True):
        super().__init__()
        self.word_embeddings = torch.nn.Embedding(10, 4, padding_idx=padding_idx)
        self.position_embeddings = torch.nn.Embedding(12, 4, padding_idx=table_padding_idx)
        if keep_idx:
            self.padding_idx = padding_idx
        if method:  # transformers 5 made the position numbering a method (4.x: a function)
            self.create_position_ids_from_input_ids = lambda ids, idx: ids


@pytest.mark.parametrize(
    ("embeddings", "offset"),
    [
        (_FakeEmbeddings(), 2),  # transformers 4.x RoBERTa: a module-level function
        (_FakeEmbeddings(method=True), 2),  # transformers 5 RoBERTa: a method
        (_FakeEmbeddings(padding_idx=0, table_padding_idx=0), 1),
        (_FakeEmbeddings(table_padding_idx=None), 0),  # BERT: no padding row in the table
        (_FakeEmbeddings(padding_idx=0, table_padding_idx=0, keep_idx=False), 0),  # LXMERT
        (torch.nn.Embedding(10, 4, padding_idx=1), 0),  # a bare table is no embeddings module
    ],
)
def test_position_offset_from_the_embeddings_layout(embeddings, offset):
    from biasaudit.models.hf import _position_offset

    model = torch.nn.Sequential(torch.nn.Linear(2, 2), embeddings)
    model.config = transformers.BertConfig(pad_token_id=1)
    assert _position_offset(model) == offset


def test_position_offset_of_a_known_roberta_type_without_a_recognised_layout():
    from biasaudit.models.hf import _position_offset

    model = torch.nn.Sequential(torch.nn.Linear(2, 2))
    model.config = transformers.RobertaConfig(pad_token_id=1)
    assert _position_offset(model) == 2
    model.config = transformers.BertConfig(pad_token_id=0)
    assert _position_offset(model) == 0


@pytest.mark.parametrize("arch", ["RobertaModel", "XLMRobertaModel", "CamembertModel"])
def test_position_offset_of_installed_roberta_family_models(arch):
    from biasaudit.models.hf import _position_offset

    config_class = getattr(transformers, arch.replace("Model", "Config"))
    config = config_class(vocab_size=20, hidden_size=8, num_hidden_layers=1,
                          num_attention_heads=2, intermediate_size=16,
                          max_position_embeddings=20, pad_token_id=1)
    assert _position_offset(getattr(transformers, arch)(config)) == 2
    bert = transformers.BertConfig(vocab_size=20, hidden_size=8, num_hidden_layers=1,
                                   num_attention_heads=2, intermediate_size=16, pad_token_id=0)
    assert _position_offset(transformers.BertModel(bert)) == 0


def test_tokenizer_limit_is_used_unless_it_is_the_no_limit_sentinel(tiny_classifier_path):
    model = transformers.AutoModelForSequenceClassification.from_pretrained(tiny_classifier_path)
    tok = transformers.AutoTokenizer.from_pretrained(tiny_classifier_path)
    tok.model_max_length = 64
    assert HFClassifier(model, tok, name="a", fingerprint="a").max_length == 64
    tok.model_max_length = int(1e30)
    assert HFClassifier(model, tok, name="b", fingerprint="b").max_length == 128


# -- causal LMs without BOS start from EOS (lm-evaluation-harness) ----------------------------
def no_bos_lm(path):
    model = transformers.AutoModelForCausalLM.from_pretrained(path).eval()
    tok = transformers.AutoTokenizer.from_pretrained(path, bos_token=None)
    assert tok.bos_token_id is None and tok.eos_token_id is not None
    return HFCausalLM(model, tok, name="no-bos", fingerprint="no-bos", cache=False)


def test_causal_lm_without_bos_scores_the_first_token_after_eos(tiny_gpt2_path):
    lm = no_bos_lm(tiny_gpt2_path)
    texts = ["he", "she", "he is kind."]

    def reference(text):
        ids = [lm.tokenizer.eos_token_id, *lm.tokenizer(text)["input_ids"]]
        with torch.no_grad():
            logp = torch.log_softmax(lm.model(torch.tensor([ids])).logits[0], -1)
        return sum(logp[j - 1, ids[j]].item() for j in range(1, len(ids)))

    got = lm.loglikelihood(texts)
    np.testing.assert_allclose(got, [reference(t) for t in texts], rtol=1e-5, atol=1e-5)
    words = lm.continuation_loglikelihood(["", ""], ["he", "she"])
    assert np.all(words < 0) and words[0] != words[1]
    np.testing.assert_allclose(words, got[:2])


def test_generations_cached_before_the_start_token_are_not_reused(tiny_gpt2_path):
    """Generation starts from EOS when a tokenizer has no BOS: the start token is part of
    the cache key, so what was cached without it (from the prompt alone) is not served."""
    from biasaudit.models.base import cache_key

    lm = no_bos_lm(tiny_gpt2_path)
    seen = []
    original = lm._cached_map

    def spy(op, params, items, compute):
        seen.append((op, params))
        return original(op, params, items, compute)

    lm._cached_map = spy
    old_params = {"n": 1, "max_new_tokens": 3, "temperature": lm.temperature,
                  "top_p": lm.top_p, "max_length": lm.max_length}
    stale = cache_key(lm.fingerprint, "generate", old_params, ("he", 0))
    lm.cache.put(stale, ["STALE"])
    (out,) = lm.generate(["he"], n=1, seed=0, max_new_tokens=3)
    assert out != ["STALE"]
    expected = {
        **old_params,
        "top_k": 0,
        "start_token": lm.tokenizer.eos_token_id,
        "cut": "prompt-start",  # (long prompts lose their start, no longer their end)
    }
    assert seen == [("generate", expected)]


# -- long prefixes lose their start, never the continuation ------------------------------------
LONG_PREFIX = "the nurse was kind at work today. " * 20 + "then"


@pytest.mark.parametrize("path_fixture", ["tiny_mlm_path", "tiny_gpt2_path"])
def test_long_prefix_is_cut_from_the_left(path_fixture, request):
    path = request.getfixturevalue(path_fixture)
    model = load_model(f"hf:{path}", cache=False)
    with pytest.warns(TruncationWarning, match="prefix whose start was dropped"):
        got = model.continuation_loglikelihood(
            [LONG_PREFIX, LONG_PREFIX], [" he was rude.", " she was rude."]
        )
    assert np.all(got < 0) and got[0] != got[1]
    # the same as scoring the continuation after the prefix's last tokens that fit
    tok = model.tokenizer
    room = model.max_length - (1 if isinstance(model, HFCausalLM) else 2)
    cont_ids = tok(" he was rude.", add_special_tokens=False)["input_ids"]
    kept = tok(LONG_PREFIX, add_special_tokens=False)["input_ids"][-(room - len(cont_ids)) :]
    short_prefix = tok.decode(kept)
    assert len(tok(short_prefix + " he was rude.", add_special_tokens=False)["input_ids"]) == room
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncationWarning)
        expected = model.continuation_loglikelihood([short_prefix], [" he was rude."])
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-5, atol=1e-4)
    with pytest.raises(ValueError, match="does not fit"):
        model.continuation_loglikelihood(["he said"], [" " + LONG_PREFIX])


# -- empty texts ---------------------------------------------------------------------------------
def test_empty_texts(tiny_gpt2_path, tiny_classifier_path):
    """An empty continuation or text scores 0 (no token); generation from an empty prompt
    starts at BOS/EOS; a classifier whose tokenizer makes no token of "" raises, naming it."""
    lm = no_bos_lm(tiny_gpt2_path)
    assert lm.loglikelihood(["", "he"])[0] == 0.0
    assert lm.continuation_loglikelihood(["he", ""], ["", ""]).tolist() == [0.0, 0.0]
    assert len(lm.generate([""], n=1, max_new_tokens=3)[0]) == 1
    tok = transformers.AutoTokenizer.from_pretrained(tiny_gpt2_path)
    config = transformers.GPT2Config(vocab_size=len(tok), n_embd=32, n_layer=1, n_head=2,
                                     n_positions=64, num_labels=2, pad_token_id=0)
    torch.manual_seed(0)
    gpt2_classifier = HFClassifier(transformers.GPT2ForSequenceClassification(config), tok,
                                   name="g", fingerprint="g", cache=False)
    with pytest.raises(ValueError, match=r"texts\[1\] is '': the tokenizer of 'g' makes no"):
        gpt2_classifier.predict_proba(["he is kind.", ""])
    bert = load_model(f"hf:{tiny_classifier_path}", cache=False)  # "" reads [CLS] [SEP]
    alone = bert.predict_proba([""])
    bert.cache.clear_memory()
    np.testing.assert_allclose(bert.predict_proba([TEXTS[3], "", "he"])[1], alone[0], atol=1e-6)


# -- XLM / FlauBERT masked LMs ---------------------------------------------------------------
def test_xlm_and_flaubert_are_masked_lms_with_a_tuple_head(tiny_dir, tiny_mlm_path):
    for arch in ("XLMWithLMHeadModel", "FlaubertWithLMHeadModel"):
        assert detect_task(transformers.XLMConfig(architectures=[arch])) == "masked-lm"
    clm = transformers.XLMConfig(architectures=["XLMWithLMHeadModel"], causal=True)
    assert detect_task(clm) == "causal-lm"
    tok = transformers.AutoTokenizer.from_pretrained(tiny_mlm_path)
    config = transformers.XLMConfig(
        vocab_size=len(tok), emb_dim=32, n_layers=1, n_heads=2, pad_index=tok.pad_token_id,
        mask_token_id=tok.mask_token_id, architectures=["XLMWithLMHeadModel"],
    )
    torch.manual_seed(0)
    path = tiny_dir / "xlm"
    transformers.XLMWithLMHeadModel(config).save_pretrained(str(path))
    tok.save_pretrained(str(path))
    model = load_model(f"hf:{path}", batch_size=4)
    assert isinstance(model, HFMaskedLM) and model._head is not None
    fast = model.loglikelihood(TEXTS[:3])
    model._head = None
    model.cache.clear_memory()
    np.testing.assert_allclose(model.loglikelihood(TEXTS[:3]), fast, rtol=1e-5, atol=1e-5)
