"""OpenAI-compatible HTTP adapter (OpenAI, vLLM, TGI, Ollama, llama.cpp, hosted APIs).

Generation uses ``/chat/completions`` (or ``/completions``); log-likelihood scoring uses
``/completions`` with ``echo`` and ``logprobs`` where the server supports it. The API key is
read from an environment variable at request time and is never stored on the adapter, put in
cache rows or shown in reprs and errors.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import os
from collections.abc import Callable, Sequence
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
import numpy as np

from biasaudit.models.base import (
    Capability,
    check_texts,
    continuation_start,
    no_token_message,
    require_capability,
)
from biasaudit.models.remote import (
    MAX_RESPONSE_BYTES,
    RemoteModel,
    run_sync,
    safe_url,
    size_text,
)
from biasaudit.models.retry import (
    RemoteModelError,
    RetryPolicy,
    TransientError,
    parse_retry_after,
)

__all__ = ["MAX_RESPONSE_BYTES", "OpenAIModel", "safe_url"]


# Request fields the adapter sets itself. extra_body is merged over the body, so letting it set
# these would silently break what the cache key and reports say: a fixed "seed" makes the n
# samples of a prompt one sample n times, "model" asks another model than the fingerprint
# names, "stream" or "n" change the response's shape.
_RESERVED_BODY = {
    "model": "pass model=",
    "messages": "the prompt is the message",
    "prompt": "the prompt is given to generate()",
    "seed": "sample i of a prompt is sent with seed + i; pass generate(seed=...)",
    "n": "each sample is its own request; pass generate(n=...)",
    "max_tokens": "pass generate(max_new_tokens=...)",
    "stream": "answers are read whole; streaming is not supported",
    "echo": "echo is used for scoring only (echo_logprobs=True)",
}


# Endpoint paths the adapter appends itself; a base URL pasted with one would 404 later.
_ENDPOINT_PATHS = ("/chat/completions", "/completions")


def _api_base(url: str) -> str:
    """The API's base URL (``.../v1``) from what the user passed, without credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # (the URL itself is not repeated: without a scheme, credentials in it can't be told
        # apart from the rest)
        raise ValueError("base_url must be an http:// or https:// URL with a host")
    base = safe_url(url)
    for endpoint in _ENDPOINT_PATHS:
        if base.endswith(endpoint):
            raise ValueError(
                f"base_url ends with the endpoint path {endpoint!r}, which the adapter adds "
                f"itself: pass the base URL, {base.removesuffix(endpoint)!r}"
            )
    return base + "/v1" if urlsplit(base).path in ("", "/") else base


class OpenAIModel(RemoteModel):
    """A model served over the OpenAI HTTP API; GENERATION, plus LOGLIKELIHOOD with echo.

    The key in ``$api_key_env`` is sent as a bearer token when set; ``api_key_env=None``
    never sends one (e.g. for a local server while ``OPENAI_API_KEY`` is set). A response
    body longer than `max_response_bytes` (8 MiB) is a final error, not read to its end.
    """

    max_response_bytes: int = MAX_RESPONSE_BYTES

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api: Literal["chat", "completions"] = "chat",
        api_key_env: str | None = "OPENAI_API_KEY",
        echo_logprobs: bool = False,
        temperature: float | None = None,
        system_prompt: str | None = None,
        extra_body: dict[str, Any] | None = None,
        concurrency: int = 8,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        cache: Any = None,
        show_progress: bool | None = None,
    ) -> None:
        if api not in ("chat", "completions"):
            raise ValueError("api must be 'chat' or 'completions'")
        self.base_url = _api_base(base_url)
        self.model = model
        self.api = api
        self.api_key_env = api_key_env
        self.echo_logprobs = echo_logprobs
        self.temperature = temperature
        self.system_prompt = system_prompt
        self.extra_body = dict(extra_body or {})
        for key in self.extra_body:
            if key in _RESERVED_BODY:
                raise ValueError(
                    f"extra_body cannot set {key!r}, which the adapter sets itself: "
                    f"{_RESERVED_BODY[key]}"
                )
        self._ssl_context: Any = None
        super().__init__(
            name=f"openai:{model}",
            fingerprint=f"openai:{self.base_url}#{model}",
            cache=cache,
            concurrency=concurrency,
            timeout=timeout,
            retry=retry,
            show_progress=show_progress,
        )
        caps = {Capability.GENERATION}
        if echo_logprobs:
            caps.add(Capability.LOGLIKELIHOOD)
        self._capabilities = frozenset(caps)

    def __repr__(self) -> str:
        return (
            f"OpenAIModel(base_url={self.base_url!r}, model={self.model!r}, api={self.api!r}, "
            f"api_key_env={self.api_key_env!r})"
        )

    # -- secrets ----------------------------------------------------------------------------
    def _api_key(self) -> str | None:
        """The key, read from the environment now; never stored on the adapter."""
        if not self.api_key_env:
            return None
        # (surrounding whitespace, e.g. the newline of a key read from a file, is not part
        # of a key and is not allowed in a header)
        return (os.environ.get(self.api_key_env) or "").strip() or None

    def _check_key(self, key: str) -> None:
        """Refuse a key that an HTTP header cannot carry (a character pasted with it: a
        zero-width or no-break space, a smart quote), naming the variable, never the key."""
        for i, char in enumerate(key):
            if not " " <= char <= "~":
                raise RemoteModelError(
                    f"the key in ${self.api_key_env} holds U+{ord(char):04X} at character {i}, "
                    "which cannot be sent in an HTTP header (was it pasted with an invisible "
                    "or typographic character?); set the variable to the key alone"
                )

    def _redact(self, text: str) -> str:
        key = self._api_key()
        if key and len(key) >= 4:
            text = text.replace(key, "***")
        return text

    # -- transport --------------------------------------------------------------------------
    async def _session(self) -> httpx.AsyncClient:
        # One connection per worker; the TLS context is built once (it costs ~15 ms).
        if self._ssl_context is None:
            self._ssl_context = httpx.create_ssl_context()
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        return httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout), limits=limits, verify=self._ssl_context
        )

    async def _close(self, session: httpx.AsyncClient) -> None:
        await session.aclose()

    async def _post(self, client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
        """POST one request; classify failures as retryable (`TransientError`) or final."""
        headers = {"Content-Type": "application/json"}
        key = self._api_key()
        if key:
            self._check_key(key)
            headers["Authorization"] = f"Bearer {key}"
        # httpx's timeout bounds each connect and read; wait_for bounds the whole request (a
        # server trickling its answer byte by byte would otherwise never time out)
        try:
            response, content = await asyncio.wait_for(
                self._exchange(client, path, body, headers), self.timeout
            )
        except (asyncio.TimeoutError, httpx.TimeoutException):
            raise TransientError(f"timed out after {self.timeout:g} s") from None
        except (httpx.UnsupportedProtocol, httpx.LocalProtocolError) as exc:
            raise RemoteModelError(  # made on this side: retrying cannot help
                f"POST {path}: the request could not be sent "
                f"({type(exc).__name__}); check base_url, extra_body and the key in "
                f"${self.api_key_env}"
            ) from None
        except httpx.DecodingError:
            raise TransientError("response body could not be decoded") from None
        except httpx.TransportError as exc:
            raise TransientError(f"connection error ({type(exc).__name__})") from None
        status = response.status_code
        if status in self.retry.retry_statuses:
            raise TransientError(
                self._error_body(content, response),
                status=status,
                retry_after=parse_retry_after(response.headers.get("retry-after")),
            )
        if 300 <= status < 400:
            location = response.headers.get("location")
            where = f" to {safe_url(location)}" if location else ""
            raise RemoteModelError(
                f"POST {path}: HTTP {status}: redirected{where}; "
                "use that address as base_url (requests are not redirected, so that the key "
                "is never sent elsewhere)",
                status=status,
            )
        if status >= 400:
            raise RemoteModelError(
                f"POST {path}: HTTP {status}: {self._error_body(content, response)}",
                status=status,
            )
        try:
            return json.loads(content)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise TransientError(
                f"malformed JSON in response: {self._error_body(content, response)}",
                status=status,
            ) from None

    async def _exchange(
        self, client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[httpx.Response, bytes]:
        """POST and read the response body, streamed and bounded by `max_response_bytes`
        (counted after decompression, so a small compressed bomb is caught too)."""
        limit = self.max_response_bytes
        async with client.stream(
            "POST", self.base_url + path, json=body, headers=headers
        ) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise self._too_large(path, limit)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:  # stop reading: the rest is never held
                    raise self._too_large(path, limit)
                chunks.append(chunk)
        return response, b"".join(chunks)

    def _too_large(self, path: str, limit: int) -> RemoteModelError:
        """A final error: the same request would bring the same runaway body again."""
        return RemoteModelError(
            f"POST {path}: the response body is larger than {size_text(limit)}, the most that is "
            f"read from model {self.model!r} (a runaway or misrouted server?); raise "
            "OpenAIModel.max_response_bytes if such answers are expected"
        )

    def _error_body(self, content: bytes, response: httpx.Response) -> str:
        """The response body as an error message shows it: decoded only for an error (a
        successful body is parsed as JSON and nothing more), the key scrubbed before the text
        is cut (so no half key is left), then shortened."""
        return _short(self._redact(_decode(content, response)))

    # -- generation -------------------------------------------------------------------------
    def _gen_params(self, max_new_tokens: int) -> dict[str, Any]:
        system = self.system_prompt
        return {
            "api": self.api,
            "temperature": self.temperature,
            "system": hashlib.sha256(system.encode()).hexdigest() if system else None,
            "extra": self.extra_body,
            "max_new_tokens": max_new_tokens,
        }

    def _gen_body(self, prompt: str, seed: int, max_new_tokens: int) -> tuple[str, dict]:
        body: dict[str, Any] = {"model": self.model, "max_tokens": max_new_tokens, "seed": seed}
        if self.temperature is not None:
            body["temperature"] = self.temperature
        if self.api == "chat":
            messages = [{"role": "user", "content": prompt}]
            if self.system_prompt:
                messages.insert(0, {"role": "system", "content": self.system_prompt})
            body["messages"] = messages
            path = "/chat/completions"
        else:
            body["prompt"] = prompt
            path = "/completions"
        body.update(self.extra_body)
        return path, body

    async def agenerate(
        self, prompts: Sequence[str], *, n: int = 1, seed: int = 0, max_new_tokens: int = 64
    ) -> list[list[str]]:
        """Async `generate`: sample i of a prompt is one request with seed ``seed + i``, so
        the `n` completions of a prompt are reproducible through their seeds and the cache."""

        async def fetch(client: httpx.AsyncClient, item: tuple[str, int]) -> str:
            path, body = self._gen_body(item[0], item[1], max_new_tokens)
            data = await self._post(client, path, body)
            return _completion_text(data, chat=self.api == "chat", redact=self._redact)

        params = self._gen_params(max_new_tokens)
        return await self._samples(prompts, n, seed, params, fetch, self._what)

    # -- scoring ----------------------------------------------------------------------------
    async def acontinuation_loglikelihood(
        self, prefixes: Sequence[str], continuations: Sequence[str]
    ) -> np.ndarray:
        """Async `continuation_loglikelihood` via ``/completions`` with echo and logprobs."""
        require_capability(self, Capability.LOGLIKELIHOOD)
        prefixes = check_texts(prefixes, "prefixes")
        continuations = check_texts(continuations, "continuations")
        if len(prefixes) != len(continuations):
            raise ValueError("prefixes and continuations must have the same length")

        async def fetch(client: httpx.AsyncClient, item: tuple[str, str]) -> float:
            prefix, continuation = item
            if not continuation:  # nothing to score (as for local models): no request
                return 0.0
            text = prefix + continuation
            start = continuation_start(prefix, continuation)
            body = {
                "model": self.model,
                "prompt": text,
                "max_tokens": 1,
                "echo": True,
                "logprobs": 1,
                "temperature": 0,
            }
            data = await self._post(client, "/completions", body)
            total = _echo_loglikelihood(data, start=start, end=len(text))
            if total is None:
                raise ValueError(no_token_message(prefix, continuation))
            return total

        values = await self._remote_map(
            "continuation_loglikelihood",
            {"api": "completions-echo"},
            list(zip(prefixes, continuations, strict=True)),
            fetch,
            self._what,
        )
        return np.asarray(values, dtype=np.float64)

    def continuation_loglikelihood(
        self, prefixes: Sequence[str], continuations: Sequence[str]
    ) -> np.ndarray:
        """Sum of log-probabilities of each continuation's tokens given its prefix."""
        return run_sync(self.acontinuation_loglikelihood(prefixes, continuations))

    def loglikelihood(self, texts: Sequence[str]) -> np.ndarray:
        """Sum of token log-probabilities of each text (the first token is unconditioned)."""
        texts = check_texts(texts)
        return self.continuation_loglikelihood([""] * len(texts), texts)

    def _what(self, item: Any) -> str:
        return f"request to {self.base_url} (model {self.model})"


def _decode(content: bytes, response: httpx.Response) -> str:
    """A body's bytes as text, in the charset its headers name (UTF-8 if none or unknown)."""
    try:
        return content.decode(response.charset_encoding or "utf-8", errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def _completion_text(data: Any, *, chat: bool, redact: Callable[[str], str]) -> str:
    """The first choice's text; a malformed body is a transient failure, never an empty string.
    The body quoted in the error is scrubbed with `redact` before it is cut (no half key)."""
    try:
        choice = data["choices"][0]
        text = choice["message"]["content"] if chat else choice["text"]
    except (KeyError, IndexError, TypeError):
        shown = _short(redact(json.dumps(data)))
        raise TransientError(f"unexpected response shape: {shown}") from None
    if text is None:  # a refusal (structured outputs) is the model's answer; a filter's isn't
        refusal = choice.get("message", {}).get("refusal") if chat else None
        if isinstance(refusal, str):
            return refusal
        raise RemoteModelError(
            f"the reply has no text (finish_reason {choice.get('finish_reason')!r}): a "
            "filtered or empty reply is not an answer, so it is neither scored nor cached; "
            "change the prompt, the server's content filter or max_new_tokens"
        )
    if not isinstance(text, str):
        raise TransientError("unexpected response: completion text is not a string")
    return text


def _echo_loglikelihood(data: Any, *, start: int, end: int) -> float | None:
    """Sum echoed prompt-token log-probs whose character offset lies in [start, end); None
    when no token starts there although the range is not empty."""
    try:
        logprobs = data["choices"][0]["logprobs"]
        values = logprobs["token_logprobs"]
        offsets = logprobs.get("text_offset")
        if offsets is None:
            offsets, position = [], 0
            for token in logprobs["tokens"]:
                offsets.append(position)
                position += len(token)
    except (KeyError, IndexError, TypeError, AttributeError):
        raise TransientError(
            "response has no echoed logprobs (does the server support "
            "echo=True with logprobs on /completions?)"
        ) from None
    if not isinstance(values, list) or len(values) != len(offsets):
        raise TransientError("echoed logprobs and offsets differ in length")
    if not any(isinstance(o, int) and o < end for o in offsets):
        raise TransientError(
            "response does not echo the prompt's tokens (does the server support "
            "echo=True with logprobs on /completions?)"
        )
    total, in_range = 0.0, 0
    for index, (value, offset) in enumerate(zip(values, offsets, strict=True)):
        if not isinstance(offset, int) or offset < start or offset >= end:
            continue
        in_range += 1
        if value is None and index == 0:  # the first token has no conditional probability
            continue
        if not isinstance(value, (int, float)) or math.isnan(value):
            raise TransientError(f"bad logprob value {value!r} for token {index} in response")
        total += float(value)
    if in_range == 0 and end > start:
        return None
    return total
