"""Loopback HTTP servers for tests and benchmarks: OpenAI-compatible and Bedrock Converse.

They run in a background thread on ``127.0.0.1`` (a free port), answer deterministically,
record every request, can add a fixed latency, and inject faults one request at a time::

    with OpenAIStubServer(latency=0.05) as server:
        server.inject("429", "500", "drop")   # the next three requests fail in these ways
        model = OpenAIModel(server.url, "stub")

Faults: ``"slow"`` (answers after `slow_seconds`), ``"429"`` (with Retry-After),
``"500"``/``"503"``, ``"400"`` (not retryable), ``"drop"`` (closes the connection without an
answer), ``"malformed"`` (200 with invalid JSON), ``"truncated"`` (200 whose body is cut short),
``"trickle"`` (the answer sent a byte at a time over `slow_seconds`: every read is quick, the
whole is slow), ``"huge"`` (the answer followed by `huge_bytes` of JSON whitespace, without a
Content-Length, so a client that reads it all gets a valid answer) and ``"ok"`` (no fault:
lets a later request in the queue be the faulty one).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = [
    "BedrockStubServer",
    "LoopbackServer",
    "OpenAIStubServer",
    "RecordedRequest",
    "stub_completion",
    "stub_token_logprob",
    "stub_tokens",
]

FAULTS = (
    "ok",
    "slow",
    "429",
    "500",
    "503",
    "400",
    "drop",
    "malformed",
    "truncated",
    "trickle",
    "huge",
)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    body: Any
    fault: str | None = None


def stub_tokens(text: str) -> list[tuple[str, int]]:
    """Split text into GPT-2-like tokens (leading whitespace attached) with character offsets."""
    return [(m.group(0), m.start()) for m in re.finditer(r"\s*\S+", text)]


def stub_token_logprob(token: str) -> float:
    """A deterministic pseudo log-probability for a token (what the stub server reports)."""
    return -(1.0 + (sum(map(ord, token.strip())) % 50) / 10.0)


def stub_completion(prompt: str, seed: int | None) -> str:
    """The stub server's deterministic completion for a prompt and seed."""
    return f"reply[{seed}] to: {prompt[::-1]}"


@dataclass
class _State:
    latency: float
    slow_seconds: float
    retry_after: str
    huge_bytes: int = 32 * 2**20
    huge_sent: int = 0
    faults: deque = field(default_factory=deque)
    requests: list[RecordedRequest] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        state = self.server.state
        with state.lock:
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            self._handle()
        finally:
            with state.lock:
                state.in_flight -= 1

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = None
        state = self.server.state
        with state.lock:
            fault = state.faults.popleft() if state.faults else None
            state.requests.append(RecordedRequest(self.path, dict(self.headers), body, fault))
        if state.latency:
            time.sleep(state.latency)
        if fault == "slow":
            time.sleep(state.slow_seconds)
        elif fault == "drop":
            self.close_connection = True
            self.connection.close()
            return
        elif fault in ("429", "500", "503", "400"):
            headers = {"Retry-After": state.retry_after} if fault == "429" else {}
            headers.update(self.server.owner.error_headers(int(fault)))
            self._send(int(fault), {"error": {"message": f"injected {fault}"}}, headers)
            return
        elif fault == "malformed":
            self._send_raw(200, b'{"choices": [{"text": "oops"', {})
            return
        elif fault == "truncated":
            payload = json.dumps(self.server.owner.answer(self.path, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.close()
            return
        elif fault == "trickle":
            payload = json.dumps(self.server.owner.answer(self.path, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            try:
                for byte in payload:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(state.slow_seconds / len(payload))
            except OSError:  # the client gave up
                self.close_connection = True
            return
        elif fault == "huge":
            self._send_huge(json.dumps(self.server.owner.answer(self.path, body)).encode())
            return
        try:
            answer = self.server.owner.answer(self.path, body)
        except LookupError as exc:
            self._send(404, {"error": {"message": str(exc)}}, {})
            return
        self._send(200, answer, {})

    def _send_huge(self, payload: bytes) -> None:
        """A valid answer padded with `huge_bytes` of whitespace, its end marked by closing the
        connection; stops when the client hangs up (`huge_sent` counts what was written)."""
        state = self.server.state
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        piece = b" " * 65536
        try:
            self.wfile.write(payload)
            left = state.huge_bytes
            while left > 0:
                self.wfile.write(piece[:left])
                with state.lock:
                    state.huge_sent += min(left, len(piece))
                left -= len(piece)
            self.wfile.flush()
        except OSError:  # the client stopped reading and hung up
            pass

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    state: _State
    owner: LoopbackServer


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 answering JSON POSTs through `answer`."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        slow_seconds: float = 5.0,
        retry_after: str = "1",
        huge_bytes: int = 32 * 2**20,
    ) -> None:
        self._state = _State(
            latency=latency,
            slow_seconds=slow_seconds,
            retry_after=retry_after,
            huge_bytes=huge_bytes,
        )
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> LoopbackServer:
        """Bind a free port and serve in a daemon thread."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.state = self._state
        server.owner = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- control and inspection -------------------------------------------------------------
    def inject(self, *faults: str) -> None:
        """Queue faults; each applies to one future request, in order."""
        for fault in faults:
            if fault not in FAULTS:
                raise ValueError(f"unknown fault {fault!r}; choose from {FAULTS}")
        with self._state.lock:
            self._state.faults.extend(faults)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (faulty ones included)."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def huge_sent(self) -> int:
        """Bytes of padding written for ``"huge"`` faults before the client hung up."""
        return self._state.huge_sent

    @property
    def max_in_flight(self) -> int:
        """The most requests handled at the same time so far."""
        return self._state.max_in_flight

    def reset(self) -> None:
        """Forget recorded requests, pending faults, the in-flight maximum and `huge_sent`."""
        with self._state.lock:
            self._state.requests.clear()
            self._state.faults.clear()
            self._state.max_in_flight = 0
            self._state.huge_sent = 0

    @property
    def latency(self) -> float:
        return self._state.latency

    @latency.setter
    def latency(self, value: float) -> None:
        self._state.latency = value

    # -- behaviour (overridden) -------------------------------------------------------------
    def answer(self, path: str, body: Any) -> Any:
        """The JSON answer for a successful request; raise LookupError for unknown paths."""
        raise LookupError(path)

    def error_headers(self, status: int) -> dict[str, str]:
        """Extra headers on injected error responses."""
        return {}


class OpenAIStubServer(LoopbackServer):
    """OpenAI-compatible endpoints: ``/v1/chat/completions`` and ``/v1/completions``.

    Completions are `stub_completion(prompt, seed)` unless `generate` is given; with
    ``echo=True`` and ``logprobs`` the prompt's `stub_tokens` come back with
    `stub_token_logprob` values (the first one None, as real servers do).
    """

    def __init__(
        self,
        *,
        generate: Callable[[str, int | None], str] | None = None,
        supports_echo: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self._generate = generate or stub_completion
        self.supports_echo = supports_echo

    def answer(self, path: str, body: Any) -> Any:
        if not isinstance(body, dict):
            raise LookupError("request body is not a JSON object")
        seed = body.get("seed")
        if path == "/v1/chat/completions":
            prompt = body["messages"][-1]["content"]
            message = {"role": "assistant", "content": self._generate(prompt, seed)}
            return {
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            }
        if path == "/v1/completions":
            prompt = body["prompt"]
            choice: dict[str, Any] = {"index": 0, "finish_reason": "length"}
            if body.get("echo") and body.get("logprobs") is not None:
                if not self.supports_echo:
                    raise LookupError("echo with logprobs is not supported")
                tokens = [*stub_tokens(prompt), (" x", len(prompt))]
                values: list[float | None] = [stub_token_logprob(t) for t, _ in tokens]
                values[0] = None
                choice["text"] = prompt + " x"
                choice["logprobs"] = {
                    "tokens": [t for t, _ in tokens],
                    "token_logprobs": values,
                    "text_offset": [o for _, o in tokens],
                    "top_logprobs": None,
                }
            else:
                choice["text"] = self._generate(prompt, seed)
            return {"object": "text_completion", "model": body.get("model"), "choices": [choice]}
        raise LookupError(f"no route {path}")


class BedrockStubServer(LoopbackServer):
    """The Bedrock Runtime Converse endpoint (``POST /model/{modelId}/converse``).

    Point ``boto3.client("bedrock-runtime", endpoint_url=server.url)`` at it with dummy
    credentials. Answers are `stub_completion(prompt, None)` unless `generate` is given.
    """

    def __init__(
        self, *, generate: Callable[[str, int | None], str] | None = None, **options: Any
    ) -> None:
        super().__init__(**options)
        self._generate = generate or stub_completion

    def answer(self, path: str, body: Any) -> Any:
        match = re.fullmatch(r"/model/([^/]+)/converse", path)
        if match is None or not isinstance(body, dict):
            raise LookupError(f"no route {path}")
        prompt = body["messages"][-1]["content"][0]["text"]
        text = self._generate(prompt, None)
        return {
            "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
            "stopReason": "end_turn",
            "usage": {
                "inputTokens": len(prompt.split()),
                "outputTokens": len(text.split()),
                "totalTokens": len(prompt.split()) + len(text.split()),
            },
            "metrics": {"latencyMs": int(self.latency * 1000)},
        }

    def error_headers(self, status: int) -> dict[str, str]:
        code = {
            429: "ThrottlingException",
            500: "InternalServerException",
            503: "ServiceUnavailableException",
            400: "ValidationException",
        }[status]
        return {"x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/com.amazon.bedrock/"}
