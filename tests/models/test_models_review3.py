"""Third review of the model adapters: each test reproduces an open item against a hand
computation, a fake transport or a tiny local model folder."""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from biasaudit.errors import TruncationWarning, UnsupportedError  # noqa: E402
from biasaudit.models import load_model  # noqa: E402
from biasaudit.models.hf import HFCausalLM, HFEncoder  # noqa: E402
from biasaudit.models.openai import OpenAIModel  # noqa: E402
from biasaudit.models.retry import RemoteModelError, RetryPolicy  # noqa: E402

TEXTS = [
    "the nurse is kind.",
    "my brother became brave with everyone in the meeting again.",
    "she seems smart.",
    "he was rude at work.",
    "the pilot stayed calm.",
]


# -- 1. sentence-transformers pooling configuration ---------------------------------------------
_ST_MODES = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "lasttoken")


def st_folder(
    source: Path, target: Path, mode: str | None, *, normalize: bool, extra: list | None = None
) -> Path:
    """A copy of the tiny encoder folder laid out as sentence-transformers saves one:
    modules.json (Transformer, Pooling, Normalize when asked) and 1_Pooling/config.json."""
    shutil.copytree(source, target)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.models.Pooling",
        },
    ]
    if normalize:
        modules.append(
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            }
        )
    modules += extra or []
    (target / "modules.json").write_text(json.dumps(modules))
    hidden_size = json.loads((source / "config.json").read_text())["hidden_size"]
    pooling = {"word_embedding_dimension": hidden_size}
    pooling.update({f"pooling_mode_{m}": m == mode for m in _ST_MODES})
    (target / "1_Pooling").mkdir()
    (target / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    return target


def token_vectors(path: Path, text: str) -> np.ndarray:
    """The encoder's last hidden states for one text alone (no padding at all)."""
    ref = transformers.AutoModel.from_pretrained(path).eval()
    tok = transformers.AutoTokenizer.from_pretrained(path)
    with torch.no_grad():
        return ref(**tok(text, return_tensors="pt")).last_hidden_state[0].numpy()


HAND_POOLING = {
    "cls_token": lambda h: h[0],
    "mean_tokens": lambda h: h.mean(0),
    "max_tokens": lambda h: h.max(0),
    "lasttoken": lambda h: h[-1],
}


@pytest.mark.parametrize("mode", sorted(HAND_POOLING))
@pytest.mark.parametrize("normalize", [False, True])
def test_encoder_pools_as_the_sentence_transformers_folder_says(
    tiny_encoder_path, tmp_path, mode, normalize
):
    folder = st_folder(tiny_encoder_path, tmp_path / "st", mode, normalize=normalize)
    model = load_model(f"hf:{folder}", batch_size=2, cache=False)  # padded batches
    assert isinstance(model, HFEncoder) and model.normalize is normalize
    got = model.embed(TEXTS)
    for text, row in zip(TEXTS, got, strict=True):
        expected = HAND_POOLING[mode](token_vectors(folder, text))
        if normalize:
            expected = expected / np.linalg.norm(expected)
        np.testing.assert_allclose(row, expected, atol=1e-5)


def test_explicit_normalize_wins_over_the_folder(tiny_encoder_path, tmp_path):
    folder = st_folder(tiny_encoder_path, tmp_path / "st", "cls_token", normalize=False)
    got = load_model(f"hf:{folder}", normalize=True, cache=False).embed(TEXTS[:2])
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_a_folder_without_configuration_still_mean_pools_and_normalizes(tiny_encoder_path):
    model = load_model(f"hf:{tiny_encoder_path}", cache=False)
    assert model.pooling == ("mean",) and model.normalize is True
    got = model.embed(TEXTS[:1])[0]
    expected = token_vectors(tiny_encoder_path, TEXTS[0]).mean(0)
    np.testing.assert_allclose(got, expected / np.linalg.norm(expected), atol=1e-5)


def test_pooling_is_part_of_the_cache_key(tiny_encoder_path, tmp_path):
    """Copies of one folder share a content fingerprint; a shared cache must still not hand
    mean-pooled vectors to a CLS model. Mean pooling (the default) keeps its old key, so
    answers cached before pooling was configurable stay valid."""
    cache = tmp_path / "cache.sqlite"
    plain = load_model(f"hf:{tiny_encoder_path}", cache=cache)
    mean = load_model(
        f"hf:{st_folder(tiny_encoder_path, tmp_path / 'mean', 'mean_tokens', normalize=True)}",
        cache=cache,
    )
    cls = load_model(
        f"hf:{st_folder(tiny_encoder_path, tmp_path / 'cls', 'cls_token', normalize=True)}",
        cache=cache,
    )
    assert plain.fingerprint == mean.fingerprint == cls.fingerprint  # same weights
    first = plain.embed(TEXTS)
    np.testing.assert_array_equal(mean.embed(TEXTS), first)
    assert mean.stats.cache_hits == len(TEXTS)  # same pooling: the cached answers serve
    got = cls.embed(TEXTS)
    assert cls.stats.cache_hits == 0
    expected = token_vectors(tiny_encoder_path, TEXTS[0])[0]
    np.testing.assert_allclose(got[0], expected / np.linalg.norm(expected), atol=1e-5)


def test_pooling_that_cannot_be_reproduced_is_refused(tiny_encoder_path, tmp_path):
    weighted = st_folder(tiny_encoder_path, tmp_path / "weighted", None, normalize=False)
    config = weighted / "1_Pooling" / "config.json"
    config.write_text(
        json.dumps({**json.loads(config.read_text()), "pooling_mode_weightedmean_tokens": True})
    )
    with pytest.raises(UnsupportedError, match="weightedmean_tokens"):
        load_model(f"hf:{weighted}")
    dense = {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"}
    with pytest.raises(UnsupportedError, match="Dense"):
        folder = st_folder(
            tiny_encoder_path, tmp_path / "d", "max_tokens", normalize=True, extra=[dense]
        )
        load_model(f"hf:{folder}")


def test_several_modes_are_concatenated_in_sentence_transformers_order(tiny_encoder_path, tmp_path):
    folder = st_folder(tiny_encoder_path, tmp_path / "st", "cls_token", normalize=False)
    config = folder / "1_Pooling" / "config.json"
    config.write_text(
        json.dumps({**json.loads(config.read_text()), "pooling_mode_mean_tokens": True})
    )
    model = load_model(f"hf:{folder}", cache=False)
    assert model.pooling == ("cls", "mean")
    got = model.embed(TEXTS[:1])
    assert got.shape == (1, 2 * model.model.config.hidden_size)
    hidden = token_vectors(folder, TEXTS[0])
    np.testing.assert_allclose(got[0], np.concatenate([hidden[0], hidden.mean(0)]), atol=1e-5)


def test_a_hub_id_pools_as_its_cached_snapshot_says(tiny_encoder_path, tmp_path, monkeypatch):
    """A hub model downloaded whole (huggingface-cli download) into the Hugging Face cache."""
    import huggingface_hub.constants

    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--org--tiny-bge"
    st_folder(tiny_encoder_path, repo / "snapshots" / commit, "cls_token", normalize=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    from biasaudit.models.hf import _cached_snapshot

    assert _cached_snapshot("org/tiny-bge", None) == repo / "snapshots" / commit
    assert _cached_snapshot("org/other", None) is None
    from biasaudit.models.hf import HFModel

    # (what HFEncoder passes on to the generic loader, which would then load the weights)
    monkeypatch.setattr(HFModel, "from_pretrained", classmethod(lambda cls, path, **o: o))
    assert HFEncoder.from_pretrained("org/tiny-bge") == {"pooling": ("cls",), "normalize": True}
    assert HFEncoder.from_pretrained("org/tiny-bge", pooling="mean", normalize=False) == {
        "pooling": "mean",
        "normalize": False,
    }
    assert HFEncoder.from_pretrained("org/other") == {}  # not cached: the adapter's defaults


def test_the_default_model_reads_mean_pooling_and_normalize_from_its_folder():
    model = load_model("default")
    assert model.pooling == ("mean",) and model.normalize is True


# -- 2. Bedrock fingerprint names the endpoint ---------------------------------------------------
def test_bedrock_fingerprint_includes_the_endpoint_without_credentials(monkeypatch):
    pytest.importorskip("boto3")
    from biasaudit.models.bedrock import BedrockModel

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
    plain = BedrockModel("anthropic.m", region="us-east-1")
    assert plain.fingerprint == "bedrock:us-east-1#anthropic.m"  # unchanged: caches stay valid
    url = "https://user:pw@proxy.example.test:8443/bedrock/?X-Amz-Security-Token=tok#frag"
    proxied = BedrockModel("anthropic.m", region="us-east-1", endpoint_url=url)
    other = BedrockModel("anthropic.m", region="us-east-1", endpoint_url="https://other.test")
    assert proxied.fingerprint == (
        "bedrock:us-east-1@https://proxy.example.test:8443/bedrock#anthropic.m"
    )
    assert len({plain.fingerprint, proxied.fingerprint, other.fingerprint}) == 3
    for secret in ("pw", "tok", "frag", "user"):
        assert secret not in proxied.fingerprint and secret not in repr(proxied)


# -- 3. Retry-After gets jitter on top -----------------------------------------------------------
def test_retry_after_gets_a_little_jitter_never_less_than_asked():
    random.seed(0)
    policy = RetryPolicy(base_delay=0.5, max_delay=30.0, max_retry_after=120.0)
    delays = [policy.delay(1, retry_after=2.0) for _ in range(200)]
    assert min(delays) >= 2.0
    assert max(delays) <= 2.0 + 0.5 + 0.2  # base_delay + 10 % of the wait, at most
    assert len({round(d, 6) for d in delays}) > 150  # workers no longer wake together
    capped = [policy.delay(1, retry_after=500.0) for _ in range(50)]
    assert all(120.0 <= d <= 120.0 + 0.5 + 12.0 for d in capped)
    zero = RetryPolicy(base_delay=0.0)
    assert all(3.0 <= zero.delay(2, retry_after=3.0) <= 3.3 for _ in range(50))


# -- 4. response bodies are bounded --------------------------------------------------------------
def mocked(monkeypatch, handler, **options) -> OpenAIModel:
    import httpx

    async def session(self):
        return httpx.AsyncClient(transport=httpx.MockTransport(handler))

    monkeypatch.setattr(OpenAIModel, "_session", session)
    options.setdefault("retry", RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02))
    return OpenAIModel("http://server.test/v1", "runaway-model", api_key_env=None, **options)


def test_a_runaway_body_is_cut_off_while_streaming_and_not_retried(monkeypatch):
    import httpx

    calls, sent = [], []

    async def endless():
        while True:
            sent.append(1)
            await asyncio.sleep(0)
            yield b" " * 65536

    def handler(request):
        calls.append(request)
        return httpx.Response(200, content=endless())

    model = mocked(monkeypatch, handler)
    model.max_response_bytes = 2**20
    with pytest.raises(RemoteModelError) as info:
        model.generate(["x"])
    message = str(info.value)
    assert "runaway-model" in message and "1 MiB" in message and "larger than" in message
    assert len(calls) == 1  # a final error, not retried
    assert len(sent) <= 20  # reading stopped at the limit (16 chunks), not at the end


def test_a_declared_oversized_body_is_refused_before_reading(monkeypatch):
    import httpx

    def handler(request):
        return httpx.Response(200, content=b"{}", headers={"Content-Length": str(2**40)})

    model = mocked(monkeypatch, handler)
    with pytest.raises(RemoteModelError, match=r"larger than 8 MiB"):
        model.generate(["x"])


def test_a_body_within_the_limit_is_read(monkeypatch):
    import httpx

    text = "y" * 5000

    def handler(request):
        return httpx.Response(200, json={"choices": [{"message": {"content": text}}]})

    model = mocked(monkeypatch, handler)
    model.max_response_bytes = 6000
    assert model.generate(["x"]) == [[text]]


# -- 5. long generation prompts keep their end ---------------------------------------------------
LONG = " ".join(["the nurse said that my brother was kind"] * 40)  # far over 128 tokens


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


# -- base URLs pasted with an endpoint path ------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["http://host:8000/v1/chat/completions", "https://host/v1/completions/"]
)
def test_a_base_url_with_an_endpoint_path_is_refused_at_construction(url):
    with pytest.raises(ValueError, match=r"pass the base URL.*'http.*://host(:8000)?/v1'"):
        OpenAIModel(url, "m")
