"""Second review of the model adapters: each test reproduces a defect found against an
independent computation (transformers' pipeline, a hand-written loop) or a fake server."""

from __future__ import annotations

import json
import shutil
import sqlite3

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from biasaudit.models import load_model  # noqa: E402
from biasaudit.models.cache import ResponseCache  # noqa: E402
from biasaudit.models.hf import ModelNotFoundError, model_digest, pick_dtype  # noqa: E402
from biasaudit.models.openai import OpenAIModel  # noqa: E402
from biasaudit.models.retry import RemoteModelError, RetryPolicy  # noqa: E402
from biasaudit.models.testserver import OpenAIStubServer  # noqa: E402

TEXTS = ["he was rude at work.", "she seems smart.", "the nurse is kind."]


# -- classifiers: the activation transformers' pipeline uses --------------------------------
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
        logits = reference(**tokenizer(TEXTS, padding=True, return_tensors="pt")).logits
    expected = torch.sigmoid(logits.double()).numpy()
    np.testing.assert_allclose(model.predict_proba(TEXTS), expected, atol=1e-6)
    assert model.predict_proba(TEXTS).sum(axis=1) == pytest.approx([1.5, 1.5, 1.5], abs=0.1)


def test_a_single_label_classifier_still_softmaxes(tiny_classifier_path):
    model = load_model(f"hf:{tiny_classifier_path}", cache=False)
    reference = transformers.AutoModelForSequenceClassification.from_pretrained(
        tiny_classifier_path
    ).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_classifier_path)
    with torch.no_grad():
        rows = [reference(**tokenizer(t, return_tensors="pt")).logits[0] for t in TEXTS]
    expected = np.stack([torch.softmax(r.double(), -1).numpy() for r in rows])
    np.testing.assert_allclose(model.predict_proba(TEXTS), expected, atol=1e-6)


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


def test_unknown_dtype_names_are_a_clear_error():
    assert pick_dtype("cpu", "bfloat16") == torch.bfloat16
    assert pick_dtype("cpu", "torch.float16") == torch.float16
    for bad in ("fp16", "auto", "nn"):
        with pytest.raises(ValueError, match="not a torch dtype"):
            pick_dtype("cpu", bad)


def test_a_models_own_code_is_part_of_its_fingerprint(tiny_gpt2_path, tmp_path):
    """A trust_remote_code model's modeling_*.py decides its answers like its weights."""
    folder = tmp_path / "custom"
    shutil.copytree(tiny_gpt2_path, folder)
    (folder / "modeling_custom.py").write_text("SCALE = 1.0\n")
    before = model_digest(folder)
    (folder / "modeling_custom.py").write_text("SCALE = 2.0\n")
    assert model_digest(folder) != before


# -- the persistent cache: several processes opening one new file -------------------------------
def test_opening_a_cache_waits_while_another_process_switches_it_to_wal(tmp_path, monkeypatch):
    """SQLite answers "database is locked" at once (no busy timeout) to a connection that
    switches a file to WAL while another is doing the same: parallel audits sharing a new
    cache file crashed at start (2 of 200 processes in /tmp/rv_models/conc3.py). Simulated
    here: the first two attempts find the file locked."""
    real_connect = sqlite3.connect
    failures = {"left": 2}

    class Connection:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql.startswith("PRAGMA journal_mode") and failures["left"]:
                failures["left"] -= 1
                raise sqlite3.OperationalError("database is locked")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self._conn, name)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: Connection(real_connect(*a, **k)))
    cache = ResponseCache(tmp_path / "shared.sqlite")
    cache.put("k", 1)
    assert failures["left"] == 0 and cache.get_many(["k"]) == {"k": 1}


def test_other_sqlite_errors_are_not_retried(tmp_path):
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        ResponseCache(folder)


# -- remote errors name the model and the attempts ---------------------------------------------
def test_a_client_error_names_the_model_and_the_attempts(fast_retry):
    with OpenAIStubServer() as server:
        model = OpenAIModel(server.url, "my-model", api_key_env=None, retry=fast_retry)
        server.inject("400")
        with pytest.raises(RemoteModelError) as info:
            model.generate(["a"])
        message = str(info.value)
        assert "(model my-model)" in message and "after 1 attempt " in message
        assert "HTTP 400" in message and info.value.status == 400 and info.value.attempts == 1
        server.inject("503", "400")  # retried once, then refused: two attempts, not one
        with pytest.raises(RemoteModelError, match="after 2 attempts") as info:
            model.generate(["b"])
        assert info.value.attempts == 2 and info.value.status == 400


def test_a_bedrock_client_error_keeps_awss_message(monkeypatch):
    pytest.importorskip("boto3")
    from botocore.exceptions import ClientError

    from biasaudit.models.bedrock import BedrockModel

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
    model = BedrockModel("anthropic.nope", region="us-east-1")
    error = {
        "Error": {
            "Code": "ValidationException",
            "Message": "The provided model identifier is invalid.",
        },
        "ResponseMetadata": {"HTTPStatusCode": 400, "HTTPHeaders": {}},
    }

    def converse(**request: object) -> None:
        raise ClientError(error, "Converse")

    monkeypatch.setattr(model._client, "converse", converse)
    with pytest.raises(RemoteModelError) as info:
        model.generate(["hi"])
    message = str(info.value)
    assert "anthropic.nope" in message and "model identifier is invalid" in message
    assert "ValidationException" in message and info.value.attempts == 1


# -- extra_body cannot override what the adapter sets -----------------------------------------
@pytest.mark.parametrize("key", ["seed", "model", "stream", "n", "max_tokens", "messages"])
def test_extra_body_cannot_override_fields_the_adapter_sets(key):
    """extra_body={"seed": 7} made the n samples of a prompt one sample n times (each sent
    with seed 7), and {"model": ...} asked a model other than the one the cache key names."""
    with pytest.raises(ValueError, match=f"extra_body cannot set '{key}'"):
        OpenAIModel("http://127.0.0.1:9/v1", "m", extra_body={key: 1})


def test_extra_body_still_sets_other_fields():
    with OpenAIStubServer() as server:
        model = OpenAIModel(server.url, "m", api_key_env=None, extra_body={"top_p": 0.5})
        samples = model.generate(["hello"], n=2, seed=3)[0]
        assert samples[0] != samples[1]
        # (the two samples are requested concurrently: they may arrive in either order)
        assert sorted(r.body["seed"] for r in server.requests) == [3, 4]
        assert all(r.body["top_p"] == 0.5 for r in server.requests)


def test_retries_wait_as_retry_after_says():
    """(Checked, right: a 429 with Retry-After 0.3 s is retried after 0.3 s, not at once.)"""
    import time

    with OpenAIStubServer(retry_after="0.3") as server:
        model = OpenAIModel(server.url, "m", api_key_env=None, retry=RetryPolicy(base_delay=0))
        server.inject("429")
        start = time.monotonic()
        assert model.generate(["a"])[0][0].startswith("reply[0]")
        assert time.monotonic() - start >= 0.3 and len(server.requests) == 2
