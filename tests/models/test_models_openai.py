"""OpenAI-compatible adapter against a real HTTP server on loopback, with injected faults.

Tests requests and answers, retries (Retry-After, errors naming the model and attempts),
secrets, resuming, extra_body and base URL checks and bounded response bodies."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from biasaudit.errors import UnsupportedError
from biasaudit.models import Capability, OpenAIModel, RemoteModelError, load_model
from biasaudit.models.retry import RetryPolicy
from biasaudit.models.testserver import (
    OpenAIStubServer,
    stub_completion,
    stub_token_logprob,
    stub_tokens,
)

SRC = str(Path(__file__).resolve().parents[2] / "src")
SECRET = "sk-test-SECRET-9876543210"


def expected_ll(prefix: str, continuation: str) -> float:
    text = prefix + continuation
    tokens = stub_tokens(text)
    scored = [tok for i, (tok, off) in enumerate(tokens) if i > 0 and off >= len(prefix)]
    return sum(stub_token_logprob(tok) for tok in scored)


def make(server, **options) -> OpenAIModel:
    from biasaudit.models.retry import RetryPolicy

    options.setdefault("retry", RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05))
    options.setdefault("timeout", 5.0)
    return load_model(f"openai:{server.url}", model="stub-model", **options)


# -- happy paths ----------------------------------------------------------------------------
def test_chat_generation_with_samples_and_seeds(openai_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    model = make(openai_server, system_prompt="Be brief.", temperature=0.7)
    out = model.generate(["he is", "she is", "he is"], n=2, seed=5, max_new_tokens=12)
    assert out[0] == [stub_completion("he is", 5), stub_completion("he is", 6)]
    assert out[1] == [stub_completion("she is", 5), stub_completion("she is", 6)]
    assert out[2] == out[0]
    requests = openai_server.requests
    assert len(requests) == 4  # duplicate prompt asked once; one request per sample
    body = requests[0].body
    assert requests[0].path == "/v1/chat/completions"
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["max_tokens"] == 12 and body["temperature"] == 0.7 and body["model"] == "stub-model"
    assert requests[0].headers["Authorization"] == f"Bearer {SECRET}"
    assert model.capabilities == {Capability.GENERATION}


def test_completions_api_and_no_key_means_no_header(openai_server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    model = make(openai_server, api="completions")
    assert model.generate(["abc"]) == [[stub_completion("abc", 0)]]
    request = openai_server.requests[0]
    assert request.path == "/v1/completions" and request.body["prompt"] == "abc"
    assert "Authorization" not in request.headers


def test_base_url_with_v1_is_kept(openai_server):
    model = OpenAIModel(openai_server.url + "/v1/", "m")
    assert model.base_url == openai_server.url + "/v1"


def test_echo_logprobs_loglikelihood(openai_server):
    model = make(openai_server, echo_logprobs=True)
    assert Capability.LOGLIKELIHOOD in model.capabilities
    texts = ["the nurse is kind", "he was rude at work"]
    np.testing.assert_allclose(model.loglikelihood(texts), [expected_ll("", t) for t in texts])
    got = model.continuation_loglikelihood(["the nurse is", "he"], [" kind", " was rude"])
    np.testing.assert_allclose(
        got, [expected_ll("the nurse is", " kind"), expected_ll("he", " was rude")]
    )
    body = openai_server.requests[0].body
    assert body["echo"] is True and body["logprobs"] == 1


def test_loglikelihood_needs_echo_opt_in(openai_server):
    model = make(openai_server)
    with pytest.raises(UnsupportedError, match="echo_logprobs=True"):
        model.loglikelihood(["x"])


def test_server_without_echo_support_is_a_clear_error():
    with OpenAIStubServer(supports_echo=False) as server:
        model = make(server, echo_logprobs=True)
        with pytest.raises(RemoteModelError, match="HTTP 404") as info:
            model.loglikelihood(["the nurse is kind"])
        assert info.value.status == 404 and len(server.requests) == 1


def test_concurrency_is_bounded():
    with OpenAIStubServer(latency=0.05) as server:
        model = make(server, concurrency=3)
        start = time.perf_counter()
        model.generate([f"p{i}" for i in range(12)])
        elapsed = time.perf_counter() - start
        assert server.max_in_flight == 3
        assert elapsed >= 4 * 0.05  # 12 requests, 3 at a time


def test_sync_facade_works_inside_a_running_loop(openai_server):
    model = make(openai_server)

    async def main():
        sync_result = model.generate(["inside"])  # runs on a private loop in a thread
        async_result = await model.agenerate(["inside", "also"])
        return sync_result, async_result

    sync_result, async_result = asyncio.run(main())
    assert sync_result == [[stub_completion("inside", 0)]]
    assert async_result[1] == [stub_completion("also", 0)]
    assert len(openai_server.requests) == 2  # "inside" answered from the cache the 2nd time


# -- faults ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fault", ["429", "500", "503", "drop", "malformed", "truncated", "slow"])
def test_transient_faults_are_retried_to_the_right_answer(openai_server, fault):
    model = make(openai_server, timeout=0.5)
    openai_server.inject(fault)
    start = time.perf_counter()
    out = model.generate(["fault please"], seed=3)
    elapsed = time.perf_counter() - start
    assert out == [[stub_completion("fault please", 3)]]
    assert len(openai_server.requests) == 2
    assert model.stats.retries == 1 and model.stats.remote_calls == 2
    if fault == "429":
        assert elapsed >= 0.3  # Retry-After honoured
    if fault == "slow":
        assert 0.5 <= elapsed < 2.0  # the per-request timeout fired


def test_non_retryable_status_fails_at_once(openai_server):
    model = make(openai_server)
    openai_server.inject("400")
    with pytest.raises(RemoteModelError, match="HTTP 400") as info:
        model.generate(["bad"])
    assert info.value.attempts == 1 and len(openai_server.requests) == 1


@pytest.mark.parametrize(("fault", "text"), [("500", "HTTP 500"), ("malformed", "malformed")])
def test_retry_budget_ends_in_a_clear_error(openai_server, fault, text):
    model = make(openai_server)
    openai_server.inject(*[fault] * 4)
    with pytest.raises(RemoteModelError) as info:
        model.generate(["doomed"])
    message = str(info.value)
    assert "after 4 attempts" in message and text in message
    assert info.value.attempts == 4
    assert model.generate(["doomed"]) == [[stub_completion("doomed", 0)]]  # nothing bad cached


def test_answers_before_a_failure_are_kept(openai_server, tmp_path):
    cache = tmp_path / "c.sqlite"
    model = make(openai_server, concurrency=1, cache=cache)
    openai_server.inject("ok", "ok", "400")  # the third request fails for good
    with pytest.raises(RemoteModelError):
        model.generate(["first", "second", "third"])
    openai_server.reset()
    again = make(openai_server, concurrency=1, cache=cache)
    out = again.generate(["first", "second", "third"])
    assert out == [[stub_completion(p, 0)] for p in ("first", "second", "third")]
    assert [r.body["messages"][-1]["content"] for r in openai_server.requests] == ["third"]
    assert again.stats.disk_hits == 2 and again.stats.computed == 1


# -- remote errors name the model and the attempts; Retry-After is waited for -------------
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


def test_retries_wait_as_retry_after_says():
    """(Checked, right: a 429 with Retry-After 0.3 s is retried after 0.3 s, not at once.)"""
    import time

    with OpenAIStubServer(retry_after="0.3") as server:
        model = OpenAIModel(server.url, "m", api_key_env=None, retry=RetryPolicy(base_delay=0))
        server.inject("429")
        start = time.monotonic()
        assert model.generate(["a"])[0][0].startswith("reply[0]")
        assert time.monotonic() - start >= 0.3 and len(server.requests) == 2


# -- secrets --------------------------------------------------------------------------------
class LeakyServer(OpenAIStubServer):
    """A server that echoes the credential back in its error body."""

    def answer(self, path, body):
        raise LookupError(f"invalid api key: {SECRET}")


def test_api_key_never_appears_in_repr_errors_or_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("MY_LLM_KEY", SECRET)
    cache = tmp_path / "c.sqlite"
    with OpenAIStubServer() as server:
        model = make(server, api_key_env="MY_LLM_KEY", cache=cache)
        model.generate(["hello"], n=2)
        assert server.requests[0].headers["Authorization"] == f"Bearer {SECRET}"
        assert SECRET not in repr(model) and SECRET not in str(model)
        assert SECRET not in model.fingerprint and SECRET not in model.name
        assert SECRET not in repr(vars(model))
    dump = "\n".join(sqlite3.connect(cache).iterdump())
    assert "INSERT INTO" in dump and "reply[" in dump  # the answers are there, the key is not
    assert SECRET not in dump
    with LeakyServer() as leaky:
        model = make(leaky, api_key_env="MY_LLM_KEY")
        with pytest.raises(RemoteModelError) as info:
            model.generate(["x"])
        assert SECRET not in str(info.value) and "***" in str(info.value)


def test_credentials_in_the_url_are_not_kept(openai_server):
    url = openai_server.url.replace("http://", "http://user:hunter2@") + "/v1?api-key=hunter2"
    model = OpenAIModel(url, "m")
    assert "hunter2" not in model.base_url and "hunter2" not in repr(model)
    assert "hunter2" not in model.fingerprint


# -- resume after kill -9 --------------------------------------------------------------------
WORKER = """
import json, sys
from biasaudit.models import OpenAIModel
url, cache, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = OpenAIModel(url, "stub-model", api="completions", concurrency=2, cache=cache)
out = model.generate([f"prompt number {i}" for i in range(n)], n=1, seed=0, max_new_tokens=8)
print(json.dumps({"out": out, "stats": model.stats.__dict__}))
"""


def run_worker(url, cache, n, env):
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, url, str(cache), str(n)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_resume_after_sigkill_asks_only_for_the_rest(tmp_path):
    n = 40
    cache = tmp_path / "audit.sqlite"
    env = {**os.environ, "PYTHONPATH": SRC, "OPENAI_API_KEY": SECRET, "CI": "1"}
    expected = [[stub_completion(f"prompt number {i}", 0)] for i in range(n)]
    with OpenAIStubServer(latency=0.05) as server:
        proc = run_worker(server.url, cache, n, env)
        deadline = time.monotonic() + 30
        while len(server.requests) < 14 and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        first_run = len(server.requests)
        assert 14 <= first_run < n
        answered = sqlite3.connect(cache).execute("SELECT COUNT(*) FROM responses").fetchone()[0]
        assert first_run - 2 <= answered <= first_run  # at most the in-flight ones lost
        server.reset()

        proc = run_worker(server.url, cache, n, env)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 0, stderr
        result = json.loads(stdout)
        assert result["out"] == expected
        assert len(server.requests) == n - answered  # only the remaining prompts were asked
        assert result["stats"]["disk_hits"] == answered
        asked = {r.body["prompt"] for r in server.requests}
        assert len(asked) == n - answered
        server.reset()

        proc = run_worker(server.url, cache, n, env)
        stdout, _ = proc.communicate(timeout=60)
        assert json.loads(stdout)["out"] == expected
        assert server.requests == []  # a re-run makes zero remote calls
    assert SECRET not in "\n".join(sqlite3.connect(cache).iterdump())


def test_no_exception_in_the_chain_of_a_failed_call_holds_the_key(monkeypatch):
    """The error a failed call ends with is not chained (``__cause__``, ``__context__``) to
    httpx's error, whose request carries the Authorization header: a tool that walks the
    chain (an error tracker) finds no key. (The retry policy raises its own error after the
    last attempt; this keeps it so.)"""
    import socket

    from biasaudit.models.retry import RetryPolicy

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("MY_LLM_KEY", SECRET)
    model = OpenAIModel(f"http://127.0.0.1:{port}", "m", api_key_env="MY_LLM_KEY",
                        retry=RetryPolicy(max_attempts=2, base_delay=0.01))
    with pytest.raises(RemoteModelError) as info:
        model.generate(["anyone there?"])
    seen, stack = [], [info.value]
    while stack:
        exc = stack.pop()
        if exc is None or any(exc is s for s in seen):
            continue
        seen.append(exc)
        request = getattr(exc, "_request", None) or getattr(exc, "request", None)
        assert request is None or SECRET not in str(dict(getattr(request, "headers", {})))
        stack += [exc.__cause__, exc.__context__]
    assert not any("httpx" in type(e).__module__ for e in seen), [type(e) for e in seen]


def test_unreachable_server_is_a_clear_error_after_retries():
    import socket

    with socket.socket() as sock:  # find a free port, then leave nothing listening on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    from biasaudit.models.retry import RetryPolicy

    model = OpenAIModel(
        f"http://127.0.0.1:{port}", "m", retry=RetryPolicy(max_attempts=3, base_delay=0.01)
    )
    with pytest.raises(RemoteModelError) as info:
        model.generate(["anyone there?"])
    assert "after 3 attempts" in str(info.value) and "connection error" in str(info.value)
    assert model.stats.remote_calls == 3 and model.stats.retries == 2


def test_server_backed_by_a_tiny_local_model_matches_it(tiny_gpt2_path):
    pytest.importorskip("torch")
    local = load_model(f"hf:{tiny_gpt2_path}")

    def answer(prompt, seed):
        return local.generate([prompt], n=1, seed=seed, max_new_tokens=5)[0][0]

    with OpenAIStubServer(generate=answer) as server:
        remote = make(server, concurrency=1)  # the local model's seeding is process-global
        prompts = ["the nurse is", "the pilot was"]
        got = remote.generate(prompts, n=2, seed=3, max_new_tokens=5)
    expected = [[answer(p, 3), answer(p, 4)] for p in prompts]  # sample i is sent with seed 3+i
    assert got == expected
    assert all(isinstance(t, str) for samples in got for t in samples)


def test_api_key_env_none_sends_no_key(openai_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    model = make(openai_server, api_key_env=None)
    model.generate(["local only"])
    assert "Authorization" not in openai_server.requests[0].headers


# -- answers the server gets wrong, and requests this side gets wrong ---------------------------
def mocked(monkeypatch, handler, **options) -> OpenAIModel:
    """An adapter whose requests go to `handler(request) -> httpx.Response` (no sockets)."""
    import httpx

    from biasaudit.models.retry import RetryPolicy

    async def session(self):
        return httpx.AsyncClient(transport=httpx.MockTransport(handler))

    monkeypatch.setattr(OpenAIModel, "_session", session)
    options.setdefault("retry", RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02))
    options.setdefault("api_key_env", None)
    return OpenAIModel("http://server.test/v1", "m", **options)


def chat_reply(message: dict, finish_reason: str = "stop"):
    import httpx

    return httpx.Response(
        200, json={"choices": [{"index": 0, "message": message, "finish_reason": finish_reason}]}
    )


def test_a_refusal_is_the_answer_and_a_filtered_reply_is_an_error(monkeypatch, tmp_path):
    calls = []

    def handler(request):
        calls.append(request)
        if b"refuse" in request.content:
            return chat_reply({"content": None, "refusal": "I can't help with that."})
        return chat_reply({"content": None}, finish_reason="content_filter")

    cache = tmp_path / "c.sqlite"
    model = mocked(monkeypatch, handler, cache=cache)
    assert model.generate(["please refuse"]) == [["I can't help with that."]]
    with pytest.raises(RemoteModelError, match=r"no text \(finish_reason 'content_filter'"):
        model.generate(["filtered"])
    assert len(calls) == 2  # a filter's decision is final: not retried
    rows = sqlite3.connect(cache).execute("select value from responses").fetchall()
    assert rows == [(json.dumps("I can't help with that."),)]  # nothing cached for the filter


def test_an_echoed_key_is_scrubbed_before_the_body_is_cut(monkeypatch):
    import httpx

    key = "sk-proj-" + "S3CR3T" * 6
    monkeypatch.setenv("LEAKY_KEY", key)

    def handler(request):  # the key starts 180 characters in, across the 200-character cut
        return httpx.Response(401, text="x" * 180 + f"invalid key {key}")

    model = mocked(monkeypatch, handler, api_key_env="LEAKY_KEY")
    with pytest.raises(RemoteModelError) as info:
        model.generate(["x"])
    assert "S3CR3T" not in str(info.value) and "***" in str(info.value)


def test_timeout_bounds_the_whole_request_not_each_read(monkeypatch):
    import httpx

    async def trickle():
        for byte in b'{"choices": [{"message": {"content": "slow"}}]}':
            await asyncio.sleep(0.1)
            yield bytes([byte])

    def handler(request):
        return httpx.Response(200, content=trickle())

    from biasaudit.models.retry import RetryPolicy

    model = mocked(monkeypatch, handler, timeout=0.5, retry=RetryPolicy(max_attempts=1))
    start = time.perf_counter()
    with pytest.raises(RemoteModelError, match=r"timed out after 0\.5 s"):
        model.generate(["x"])
    assert time.perf_counter() - start < 3  # the body alone would take 4.8 s


def test_an_undecodable_body_is_retried_and_holds_no_request(monkeypatch):
    import httpx

    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(200, content=b"not gzip", headers={"Content-Encoding": "gzip"})
        return chat_reply({"content": "fine"})

    model = mocked(monkeypatch, handler)
    assert model.generate(["x"]) == [["fine"]]
    assert len(calls) == 2 and model.stats.retries == 1


def test_redirects_fail_at_once_naming_the_new_address(monkeypatch):
    import httpx

    calls = []

    def handler(request):
        calls.append(request)
        location = "https://user:pw@server.test/v1/chat/completions?token=t"
        return httpx.Response(301, headers={"Location": location})

    model = mocked(monkeypatch, handler)
    with pytest.raises(RemoteModelError, match=r"redirected to https://server\.test/v1") as info:
        model.generate(["x"])
    assert len(calls) == 1 and "pw" not in str(info.value) and "token" not in str(info.value)


def test_bad_base_urls_and_keys_with_a_newline(openai_server, monkeypatch):
    for url in ("localhost:8000/v1", "ftp://host/v1", "http:///v1"):
        with pytest.raises(ValueError, match="http:// or https:// URL with a host"):
            OpenAIModel(url, "m")
    monkeypatch.setenv("OPENAI_API_KEY", SECRET + "\n")  # as read from a file
    model = make(openai_server)
    assert model.generate(["hi"]) == [[stub_completion("hi", 0)]]
    assert openai_server.requests[0].headers["Authorization"] == f"Bearer {SECRET}"


def test_ipv6_base_urls_keep_their_brackets():
    from biasaudit.models.openai import safe_url

    assert safe_url("http://user:pw@[::1]:8000/v1/?k=v") == "http://[::1]:8000/v1"
    assert OpenAIModel("http://[::1]:8000", "m").base_url == "http://[::1]:8000/v1"


@pytest.mark.parametrize(
    "url", ["http://host:8000/v1/chat/completions", "https://host/v1/completions/"]
)
def test_a_base_url_with_an_endpoint_path_is_refused_at_construction(url):
    with pytest.raises(ValueError, match=r"pass the base URL.*'http.*://host(:8000)?/v1'"):
        OpenAIModel(url, "m")


def echo_reply(tokens, logprobs):
    import httpx

    offsets = list(np.cumsum([0] + [len(t) for t in tokens[:-1]]))
    body = {"tokens": tokens, "token_logprobs": logprobs, "text_offset": [int(o) for o in offsets]}
    return httpx.Response(200, json={"choices": [{"text": "".join(tokens), "logprobs": body}]})


def test_a_missing_logprob_after_the_first_token_is_an_error(monkeypatch):
    def handler(request):
        return echo_reply(["He", " is", " a", " nurse"], [None, -2.0, -1.0, None])

    model = mocked(monkeypatch, handler, echo_logprobs=True)
    with pytest.raises(RemoteModelError, match="bad logprob value None for token 3"):
        model.continuation_loglikelihood(["He is a"], [" nurse"])


def test_a_prefix_ending_in_a_space_scores_the_next_word(monkeypatch):
    calls = []

    def handler(request):
        calls.append(request)
        return echo_reply(["He", " is", " a", " nurse"], [None, -2.0, -1.0, -3.0])

    model = mocked(monkeypatch, handler, echo_logprobs=True)
    got = model.continuation_loglikelihood(["He is a ", "He is a"], ["nurse", " nurse"])
    assert got.tolist() == [-3.0, -3.0]
    # a continuation inside the prefix's last token cannot be scored: said at once
    with pytest.raises(ValueError, match="has no token of its own"):
        model.continuation_loglikelihood(["He is a nur"], ["se"])
    assert len(calls) == 3
    # an empty continuation scores 0 without a request, as for local models
    assert model.continuation_loglikelihood(["He is a"], [""]).tolist() == [0.0]
    assert model.loglikelihood([""]).tolist() == [0.0] and len(calls) == 3


def test_a_lone_surrogate_is_a_clear_error_before_any_request(openai_server):
    model = make(openai_server)
    with pytest.raises(ValueError, match=r"prompts\[1\] holds '\\ud83d' at character 6"):
        model.generate(["fine", "emoji \ud83d cut"])
    assert openai_server.requests == []


def test_a_body_is_decoded_for_error_messages_only(monkeypatch):
    """A successful answer is parsed as JSON, never decoded, scrubbed and cut as text; an
    error's body is, for its message."""
    import httpx

    from biasaudit.models import openai

    decoded = []
    decode = openai._decode

    def watched(content, response):  # (bodies are read bounded, then decoded by _decode)
        decoded.append(response.status_code)
        return decode(content, response)

    monkeypatch.setattr(openai, "_decode", watched)

    def handler(request):
        if b"fail" in request.content:
            return httpx.Response(400, text="bad request")
        return httpx.Response(200, json={"choices": [{"index": 0, "finish_reason": "stop",
                                                      "message": {"content": "ok"}}]})

    model = mocked(monkeypatch, handler)
    assert model.generate(["x"]) == [["ok"]]
    assert decoded == []
    with pytest.raises(RemoteModelError, match="HTTP 400: bad request"):
        model.generate(["fail"])
    assert decoded == [400]


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


# -- response bodies are bounded --------------------------------------------------------------
def mocked_runaway(monkeypatch, handler, **options) -> OpenAIModel:
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

    model = mocked_runaway(monkeypatch, handler)
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

    model = mocked_runaway(monkeypatch, handler)
    with pytest.raises(RemoteModelError, match=r"larger than 8 MiB"):
        model.generate(["x"])


def test_a_body_within_the_limit_is_read(monkeypatch):
    import httpx

    text = "y" * 5000

    def handler(request):
        return httpx.Response(200, json={"choices": [{"message": {"content": text}}]})

    model = mocked_runaway(monkeypatch, handler)
    model.max_response_bytes = 6000
    assert model.generate(["x"]) == [[text]]


# -- secrets in malformed answers, keys that cannot be sent, logs --------------------------------
def test_an_echoed_key_in_an_unexpected_answer_is_scrubbed_before_it_is_cut(monkeypatch):
    """A 200 answer of the wrong shape is quoted in the error, cut to 200 characters: the
    cut came before the key was scrubbed, so a key straddling it left its first part in
    the message (as a debugging proxy that echoes the request would show it)."""
    import httpx

    key = "sk-proj-" + "S3CR3T" * 6
    monkeypatch.setenv("LEAKY_KEY", key)

    def handler(request):  # JSON without "choices"; the key straddles the cut
        return httpx.Response(200, json={"echo": "x" * 170 + f"Bearer {key}"})

    model = mocked(monkeypatch, handler, api_key_env="LEAKY_KEY")
    with pytest.raises(RemoteModelError) as info:
        model.generate(["x"])
    message = str(info.value)
    assert "unexpected response shape" in message
    assert "S3CR3T" not in message and "sk-proj" not in message and "***" in message


@pytest.mark.parametrize("junk", ["\u200b", "\u00a0x", "\x1b", "é"])
def test_a_key_that_cannot_be_sent_in_a_header_is_a_clear_error(monkeypatch, junk):
    """A key pasted with an invisible or accented character raised a bare
    UnicodeEncodeError from inside httpx (holding the key in its `object`), naming neither
    the variable nor the problem."""
    calls = []

    def handler(request):
        calls.append(request)
        return chat_reply({"content": "ok"})

    key = "sk-abc123def456" + junk + "tail"
    monkeypatch.setenv("PASTED_KEY", key)
    model = mocked(monkeypatch, handler, api_key_env="PASTED_KEY")
    with pytest.raises(RemoteModelError) as info:
        model.generate(["x"])
    message = str(info.value)
    assert "$PASTED_KEY" in message and "cannot be sent in an HTTP header" in message
    assert f"U+{ord(junk[0]):04X}" in message and "character 15" in message
    assert "abc123" not in message and info.value.attempts == 1 and calls == []
    assert info.value.__context__ is None or "abc123" not in repr(info.value.__context__)


def test_debug_logs_hold_no_key(openai_server, caplog, monkeypatch):
    """(Checked, right: httpx and httpcore log requests at DEBUG without their headers.)"""
    import logging

    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    caplog.set_level(logging.DEBUG)
    model = make(openai_server)
    model.generate(["logged"])
    openai_server.inject("500", "drop", "400")
    with pytest.raises(RemoteModelError):
        model.generate(["failing"])
    assert "HTTP Request: POST" in caplog.text  # httpx did log the requests
    assert SECRET not in caplog.text


# -- ordering, and bodies bounded in size and time on a real socket ------------------------------
def test_answers_come_back_in_input_order_under_concurrency():
    """(Checked, right: answers arriving in any order are returned in the inputs' order.)"""
    import random

    rng = random.Random(0)

    def answer(prompt, seed):
        time.sleep(rng.uniform(0, 0.03))
        return f"{prompt}/{seed}"

    with OpenAIStubServer(generate=answer) as server:
        model = make(server, concurrency=6)
        prompts = [f"prompt {i}" for i in range(40)]
        got = model.generate(prompts, n=3, seed=10)
        assert got == [[f"{p}/{s}" for s in (10, 11, 12)] for p in prompts]
        assert server.max_in_flight > 1


def test_a_runaway_body_from_a_real_server_is_cut_off():
    """(Checked, right: the limit holds on a real socket, without a Content-Length.)"""
    with OpenAIStubServer(huge_bytes=64 * 2**20) as server:
        model = make(server)
        model.max_response_bytes = 2**20
        server.inject("huge")
        with pytest.raises(RemoteModelError, match=r"larger than 1 MiB.*'stub-model'"):
            model.generate(["x"])
        assert len(server.requests) == 1
        time.sleep(0.2)
        assert server.huge_sent < 24 * 2**20
        assert model.generate(["next"]) == [[stub_completion("next", 0)]]


def test_a_trickled_answer_times_out_and_is_retried(openai_server):
    """(Checked, right: the timeout bounds the whole answer on a real socket too.)"""
    model = make(openai_server, timeout=0.5)
    openai_server.inject("trickle")
    start = time.perf_counter()
    assert model.generate(["slowly"]) == [[stub_completion("slowly", 0)]]
    assert len(openai_server.requests) == 2 and time.perf_counter() - start < 1.5


# -- options checked when the adapter is made -----------------------------------------------------
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0),
        ("timeout", -1.0),
        ("timeout", None),
        ("timeout", "30"),
        ("timeout", float("nan")),
        ("timeout", float("inf")),
        ("timeout", True),
        ("concurrency", 0),
        ("concurrency", "8"),
        ("concurrency", 2.5),
    ],
)
def test_a_bad_timeout_or_concurrency_is_refused_naming_it(option, value):
    """timeout=0 or a negative one spent every retry before saying "timed out after 0 s",
    "30" (a string from a config) raised "'<=' not supported between instances of 'str' and
    'int'" at the first request, and None meant no time limit at all."""
    with pytest.raises(ValueError, match=f"^{option} must be .*, not {re.escape(repr(value))}"):
        OpenAIModel("http://127.0.0.1:9/v1", "m", **{option: value})
