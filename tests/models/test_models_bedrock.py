"""Bedrock Converse adapter: a real boto3 client against a loopback Converse endpoint.

Also tests that AWS's own error message is kept and that the fingerprint names a custom
endpoint without its credentials."""

from __future__ import annotations

import sqlite3
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
