"""Bedrock Converse adapter: a real boto3 client against a loopback Converse endpoint.

Also tests that AWS's own error message is kept and that the fingerprint names a custom
endpoint without its credentials."""

from __future__ import annotations

import sqlite3
import time
from urllib.parse import unquote

import pytest

pytest.importorskip("boto3")

from biasaudit.models import BedrockModel, Capability, RemoteModelError, load_model
from biasaudit.models.retry import RetryPolicy
from biasaudit.models.testserver import stub_completion

ACCESS = "AKIATESTDUMMYKEY0001"
SECRET = "bedrock/SECRET/AccessKey+1234567890abcdef"


@pytest.fixture(autouse=True)
def dummy_credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def make(server, **options) -> BedrockModel:
    options.setdefault("retry", RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05))
    options.setdefault("timeout", 1.0)
    return load_model("bedrock:anthropic.claude-test-v1:0", endpoint_url=server.url, **options)


def test_converse_generation(bedrock_server):
    model = make(bedrock_server, system_prompt="Answer briefly.", temperature=0.2)
    assert model.capabilities == {Capability.GENERATION}
    assert model.region == "eu-west-1"
    out = model.generate(["the nurse is", "the doctor is", "the nurse is"], n=2, max_new_tokens=20)
    assert out[0] == [stub_completion("the nurse is", None)] * 2
    assert out[2] == out[0]
    requests = bedrock_server.requests
    assert len(requests) == 4  # 2 unique prompts x 2 samples
    assert unquote(requests[0].path) == "/model/anthropic.claude-test-v1:0/converse"
    body = requests[0].body
    assert body["inferenceConfig"] == {"maxTokens": 20, "temperature": 0.2}
    assert body["system"] == [{"text": "Answer briefly."}]
    assert body["messages"][0]["content"][0]["text"] in {"the nurse is", "the doctor is"}
    assert "AWS4-HMAC-SHA256" in requests[0].headers["Authorization"]  # signed by boto3


@pytest.mark.parametrize("fault", ["429", "500", "503", "drop", "malformed", "truncated", "slow"])
def test_transient_faults_are_retried(bedrock_server, fault):
    model = make(bedrock_server)
    bedrock_server.inject(fault)
    assert model.generate(["retry me"]) == [[stub_completion("retry me", None)]]
    assert len(bedrock_server.requests) == 2 and model.stats.retries == 1


def test_throttling_budget_ends_in_a_clear_error(bedrock_server):
    model = make(bedrock_server)
    bedrock_server.inject(*["429"] * 4)
    with pytest.raises(RemoteModelError) as info:
        model.generate(["throttled"])
    assert "after 4 attempts" in str(info.value) and "429" in str(info.value)
    assert "ThrottlingException" in str(info.value)


def test_validation_error_is_not_retried(bedrock_server):
    model = make(bedrock_server)
    bedrock_server.inject("400")
    with pytest.raises(RemoteModelError, match="ValidationException") as info:
        model.generate(["invalid"])
    assert info.value.status == 400 and len(bedrock_server.requests) == 1


def test_credentials_never_leak(bedrock_server, tmp_path):
    cache = tmp_path / "b.sqlite"
    model = make(bedrock_server, cache=cache)
    model.generate(["hello"])
    bedrock_server.inject(*["500"] * 4)
    with pytest.raises(RemoteModelError) as info:
        model.generate(["boom"])
    texts = [repr(model), str(model), model.fingerprint, str(info.value)]
    texts.append("\n".join(sqlite3.connect(cache).iterdump()))
    for text in texts:
        assert SECRET not in text and ACCESS not in text


def test_rerun_is_served_from_the_cache(bedrock_server, tmp_path):
    cache = tmp_path / "b.sqlite"
    first = make(bedrock_server, cache=cache).generate(["a", "b"], n=2)
    bedrock_server.reset()
    again = make(bedrock_server, cache=cache)
    assert again.generate(["a", "b"], n=2) == first
    assert bedrock_server.requests == [] and again.stats.disk_hits == 4


def test_a_filtered_reply_is_an_error_not_an_empty_answer(tmp_path):
    from biasaudit.models.testserver import BedrockStubServer

    class FilteringServer(BedrockStubServer):
        def answer(self, path, body):
            reply = super().answer(path, body)
            if "filter me" in body["messages"][-1]["content"][0]["text"]:
                reply["output"]["message"]["content"] = []
                reply["stopReason"] = "content_filtered"
            return reply

    cache = tmp_path / "c.sqlite"
    with FilteringServer() as server:
        model = make(server, cache=cache)
        assert model.generate(["fine"]) == [[stub_completion("fine", None)]]
        with pytest.raises(RemoteModelError, match=r"no text \(stopReason 'content_filtered'"):
            model.generate(["filter me"])
        assert len(server.requests) == 2  # not retried
    assert sqlite3.connect(cache).execute("select count(*) from responses").fetchone() == (1,)


# -- AWS's error message is kept; the fingerprint names the endpoint ----------------------
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


# -- bounded answers: size and time -------------------------------------------------------
def test_a_runaway_body_is_cut_off_while_reading_and_not_retried():
    """botocore read a Converse body whole, however large: a 32 MiB answer was accepted
    (`huge` sends a valid answer padded with whitespace and no Content-Length)."""
    from biasaudit.models.testserver import BedrockStubServer

    with BedrockStubServer(huge_bytes=64 * 2**20) as server:
        model = make(server)
        model.max_response_bytes = 2**20
        server.inject("huge")
        with pytest.raises(RemoteModelError) as info:
            model.generate(["x"])
        message = str(info.value)
        assert "anthropic.claude-test-v1:0" in message and "1 MiB" in message
        assert "larger than" in message and "max_response_bytes" in message
        assert len(server.requests) == 1 and info.value.attempts == 1  # final, not retried
        # reading stopped near the limit: what the server wrote is bounded by socket buffers
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and server.huge_sent < 2**20:
            time.sleep(0.01)
        time.sleep(0.2)
        assert server.huge_sent < 24 * 2**20
        # the connection was dropped, not reused with the rest of the body in it
        assert model.generate(["next"]) == [[stub_completion("next", None)]]


def test_a_declared_oversized_body_is_refused_before_reading():
    import http.server
    import threading

    read = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(2**40))
            self.end_headers()
            self.wfile.write(b"{}")
            read.append(1)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        model = load_model(
            "bedrock:m",
            endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
            timeout=2.0,
            retry=RetryPolicy(max_attempts=3, base_delay=0.01),
        )
        start = time.monotonic()
        with pytest.raises(RemoteModelError, match=r"larger than 8 MiB.*'m'") as info:
            model.generate(["x"])
        assert info.value.attempts == 1 and time.monotonic() - start < 1.5  # no read timeout
    finally:
        server.shutdown()
        server.server_close()


def test_a_body_within_the_limit_is_read(bedrock_server):
    text = "y" * 5000
    model = make(bedrock_server)
    model.max_response_bytes = 6000
    bedrock_server._generate = lambda prompt, seed: text
    assert model.generate(["x"]) == [[text]]
    model.max_response_bytes = 4000
    with pytest.raises(RemoteModelError, match="larger than 4000 bytes"):
        model.generate(["other"])


def test_the_timeout_bounds_the_whole_answer_not_each_read(bedrock_server):
    """botocore's read timeout applies to each socket read: an answer sent a byte at a time
    (`trickle`, over 2 s) never timed out, whatever `timeout` said."""
    model = make(bedrock_server, timeout=0.5, retry=RetryPolicy(max_attempts=1))
    bedrock_server.inject("trickle")
    start = time.monotonic()
    with pytest.raises(RemoteModelError, match=r"timed out after 0\.5 s"):
        model.generate(["slowly"])
    assert time.monotonic() - start < 1.6


def test_a_trickled_answer_is_retried_to_the_right_answer(bedrock_server):
    model = make(bedrock_server, timeout=0.5)
    bedrock_server.inject("trickle")
    assert model.generate(["slowly"]) == [[stub_completion("slowly", None)]]
    assert len(bedrock_server.requests) == 2 and model.stats.retries == 1


# -- malformed replies, ordering, resuming ------------------------------------------------------
def test_a_text_block_that_is_not_a_string_is_a_malformed_reply(tmp_path):
    """`"text": 123` in a content block raised a bare TypeError from "".join, naming
    neither the model nor the problem, instead of being retried as a malformed reply (botocore
    passes a number through where the text should be; a null it already refuses)."""
    from biasaudit.models.testserver import BedrockStubServer

    class NullText(BedrockStubServer):
        def answer(self, path, body):
            reply = super().answer(path, body)
            reply["output"]["message"]["content"] = [{"text": 123}]
            return reply

    cache = tmp_path / "c.sqlite"
    with NullText() as server:
        model = make(server, cache=cache)
        with pytest.raises(RemoteModelError) as info:
            model.generate(["x"])
        assert "unexpected Converse response shape" in str(info.value)
        assert "anthropic.claude-test-v1:0" in str(info.value) and len(server.requests) == 4
    assert sqlite3.connect(cache).execute("select count(*) from responses").fetchone() == (0,)


def test_answers_come_back_in_input_order_under_concurrency():
    """(Checked, right: answers arriving in any order are returned in the inputs' order.)"""
    import random

    from biasaudit.models.testserver import BedrockStubServer

    rng = random.Random(0)

    def answer(prompt, seed):
        time.sleep(rng.uniform(0, 0.03))
        return f"answer to {prompt}"

    with BedrockStubServer(generate=answer) as server:
        model = make(server, concurrency=6)
        prompts = [f"prompt {i}" for i in range(40)]
        assert model.generate(prompts, n=2) == [[f"answer to {p}"] * 2 for p in prompts]
        assert server.max_in_flight > 1


def test_a_failure_mid_batch_keeps_the_answers_before_it(bedrock_server, tmp_path):
    """(Checked, right: a final error after two answers leaves both cached; the rerun asks
    only for the rest.)"""
    cache = tmp_path / "c.sqlite"
    model = make(bedrock_server, concurrency=1, cache=cache)
    bedrock_server.inject("ok", "ok", "400")
    with pytest.raises(RemoteModelError):
        model.generate(["first", "second", "third", "fourth"])
    bedrock_server.reset()
    again = make(bedrock_server, concurrency=1, cache=cache)
    out = again.generate(["first", "second", "third", "fourth"])
    assert out == [[stub_completion(p, None)] for p in ("first", "second", "third", "fourth")]
    asked = [r.body["messages"][0]["content"][0]["text"] for r in bedrock_server.requests]
    assert asked == ["third", "fourth"] and again.stats.disk_hits == 2


# -- credentials stay out of logs ----------------------------------------------------------------
def test_debug_logs_hold_no_credentials(bedrock_server, caplog, monkeypatch):
    """botocore's DEBUG records (the signed request, its canonical form) carried the
    session token and the access key id: anyone sharing a debug log shared them."""
    import logging

    token = "FQoGZXIvYXdzEXAMPLE+SESSION/TOKEN=="
    monkeypatch.setenv("AWS_SESSION_TOKEN", token)
    caplog.set_level(logging.DEBUG)
    model = make(bedrock_server)
    model.generate(["logged"])
    bedrock_server.inject("500", "400")
    with pytest.raises(RemoteModelError):
        model.generate(["failing"])
    assert "Sending http request" in caplog.text  # botocore did log the requests
    for secret in (token, SECRET, ACCESS, "EXAMPLE+SESSION"):
        assert secret not in caplog.text
    assert bedrock_server.requests[0].headers["X-Amz-Security-Token"] == token  # still sent


@pytest.mark.parametrize(
    ("option", "value"), [("timeout", 0), ("timeout", "30"), ("concurrency", 0)]
)
def test_a_bad_timeout_or_concurrency_is_refused_naming_it(option, value):
    """timeout=0 raised urllib3's "Attempted to set connect timeout to 0" at the first
    request, "30" botocore's "Timeout value connect was 30", both outside RemoteModelError."""
    with pytest.raises(ValueError, match=f"^{option} must be .*, not {value!r}"):
        BedrockModel("anthropic.m", region="us-east-1", **{option: value})


def test_a_throttled_request_waits_as_retry_after_says():
    """(Checked, right: botocore hands over the Retry-After header, and it is waited for.)"""
    from biasaudit.models.testserver import BedrockStubServer

    with BedrockStubServer(retry_after="0.3") as server:
        model = make(server, retry=RetryPolicy(base_delay=0))
        server.inject("429")
        start = time.monotonic()
        assert model.generate(["a"]) == [[stub_completion("a", None)]]
        assert time.monotonic() - start >= 0.3 and len(server.requests) == 2
