"""AWS Bedrock adapter through boto3's ``bedrock-runtime`` Converse API (GENERATION).

Credentials come from boto3's usual chain (environment, shared config, SSO, instance role);
the adapter never reads, stores or prints them, and scrubs them from botocore's DEBUG log
records. boto3's own retries are switched off so that `RetryPolicy` (backoff with full
jitter, Retry-After) governs every attempt. Answers are read by the adapter, not botocore,
so that their size (`max_response_bytes`) and the time they take (`timeout`) are bounded.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import logging
import re
import time
from collections.abc import Iterator, Sequence
from typing import Any

from biasaudit.errors import require
from biasaudit.models.base import Capability
from biasaudit.models.remote import MAX_RESPONSE_BYTES, RemoteModel, safe_url, size_text
from biasaudit.models.retry import (
    RemoteModelError,
    RetryPolicy,
    TransientError,
    parse_retry_after,
)

__all__ = ["BedrockModel"]

_RETRY_CODES = frozenset(
    {
        "ThrottlingException",
        "TooManyRequestsException",
        "ServiceUnavailableException",
        "InternalServerException",
        "ModelNotReadyException",
        "ModelTimeoutException",
        "RequestTimeout",
    }
)


# What botocore's DEBUG records would carry of the credentials: the session token (a header
# of the signed request, a line of its canonical form) and the access key id (in the
# Authorization header's credential scope). The secret key itself is never sent or logged.
_CREDENTIALS_IN_LOGS = (
    re.compile(r"(x-amz-security-token['\"]?\s*[:=]\s*b?['\"]?)[^'\"\s,}]+", re.IGNORECASE),
    re.compile(r"(Credential=)[^/\s'\",]+"),
)
_SIGNING_LOGGERS = ("botocore.endpoint", "botocore.auth")


class _ScrubCredentials(logging.Filter):
    """Replaces credentials in botocore's records of the requests it signs and sends by
    ``***`` (those records exist only when DEBUG logging is switched on for botocore)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = message
        for pattern in _CREDENTIALS_IN_LOGS:
            scrubbed = pattern.sub(r"\1***", scrubbed)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


_SCRUB = _ScrubCredentials()


class _TooLarge(Exception):
    """The answer's body is larger than the adapter reads (a final error)."""


class _TimedOut(Exception):
    """The answer was still arriving `timeout` seconds after the request was sent."""


class _ReadFailed(Exception):
    """The connection failed while the answer's body was read (retried)."""


class _ReadBody:
    """The ``raw`` of a botocore response whose body the adapter has read already (botocore
    takes the body from ``raw.stream()``)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[bytes]:
        if self._data:
            yield self._data


def _read_bounded(raw: Any, limit: int, deadline: float) -> bytes:
    """Read a urllib3 response body: at most `limit` bytes, until `deadline`.

    ``read1`` returns what has arrived (one socket read, each bounded by botocore's read
    timeout) instead of waiting for a whole buffer, so an answer sent a byte at a time
    cannot outlast the deadline by more than one read.
    """
    read = getattr(raw, "read1", None) or raw.read  # (urllib3 1.x has no read1)
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = read(2**16)
        except Exception as exc:  # urllib3's timeouts and protocol errors, socket errors
            raise _ReadFailed(type(exc).__name__) from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:  # stop reading: the rest is never held
            raise _TooLarge
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise _TimedOut


class BedrockModel(RemoteModel):
    """A Bedrock model called with Converse; one request per (prompt, sample).

    A response body longer than `max_response_bytes` (8 MiB) is a final error, not read to
    its end; an answer still arriving `timeout` seconds after its request was sent is
    abandoned and retried.
    """

    _capabilities = frozenset({Capability.GENERATION})
    max_response_bytes: int = MAX_RESPONSE_BYTES

    def __init__(
        self,
        model_id: str,
        *,
        region: str | None = None,
        profile: str | None = None,
        endpoint_url: str | None = None,
        temperature: float | None = None,
        system_prompt: str | None = None,
        concurrency: int = 8,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        cache: Any = None,
        show_progress: bool | None = None,
    ) -> None:
        boto3 = require("boto3", extra="bedrock", purpose="The Bedrock adapter")
        from botocore.config import Config

        session = boto3.session.Session(profile_name=profile, region_name=region)
        self.model_id = model_id
        self.region = session.region_name or "us-east-1"
        self.temperature = temperature
        self.system_prompt = system_prompt
        # Another endpoint (a proxy, a VPC or FIPS endpoint, a compatible server) may serve
        # another model under the same id: it is part of the identity, stripped of user
        # info, query and fragment (where credentials hide). Unset, the fingerprint is as it
        # always was, so existing caches stay valid.
        self.endpoint_url = safe_url(endpoint_url) if endpoint_url else None
        where = f"{self.region}@{self.endpoint_url}" if self.endpoint_url else self.region
        super().__init__(
            name=f"bedrock:{model_id}",
            fingerprint=f"bedrock:{where}#{model_id}",
            cache=cache,
            concurrency=concurrency,
            timeout=timeout,
            retry=retry,
            show_progress=show_progress,
        )
        config = Config(
            retries={"total_max_attempts": 1, "mode": "standard"},
            connect_timeout=timeout,
            read_timeout=timeout,
            max_pool_connections=concurrency,
        )
        self._client = session.client(
            "bedrock-runtime", region_name=self.region, endpoint_url=endpoint_url, config=config
        )
        self._client.meta.events.register(
            "before-send.bedrock-runtime.Converse", self._send_bounded
        )
        for name in _SIGNING_LOGGERS:
            logging.getLogger(name).addFilter(_SCRUB)  # (once: a filter is added only once)

    def __repr__(self) -> str:
        endpoint = f", endpoint_url={self.endpoint_url!r}" if self.endpoint_url else ""
        return f"BedrockModel(model_id={self.model_id!r}, region={self.region!r}{endpoint})"

    async def _session(self) -> concurrent.futures.ThreadPoolExecutor:
        return concurrent.futures.ThreadPoolExecutor(max_workers=1)

    async def _close(self, session: concurrent.futures.ThreadPoolExecutor) -> None:
        session.shutdown(wait=False, cancel_futures=True)

    def _send_bounded(self, request: Any, **kwargs: Any) -> Any:
        """botocore's ``before-send`` hook for Converse: send the request, then read the
        body here, bounded in size (`max_response_bytes`, also an error's body) and in time
        (`timeout` from now). botocore would read it whole, however large, and its read
        timeout applies to each socket read, so a trickled answer never timed out."""
        deadline = time.monotonic() + self.timeout
        limit = self.max_response_bytes
        streamed, request.stream_output = request.stream_output, True  # return after headers
        try:
            # (the session botocore's endpoint sends with; botocore has no public handle on it)
            response = self._client._endpoint.http_session.send(request)
        finally:
            request.stream_output = streamed
        raw = response.raw
        try:
            declared = str(response.headers.get("content-length", ""))
            if declared.isdigit() and int(declared) > limit:
                raise _TooLarge
            body = _read_bounded(raw, limit, deadline)
        except BaseException:
            raw.close()  # drop the connection with the rest of the body in it
            raise
        response.raw = _ReadBody(body)
        return response

    def _converse(self, prompt: str, max_new_tokens: int) -> str:
        """One blocking Converse call; failures are classified for `retry_async`."""
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            ConnectionError,
            HTTPClientError,
        )
        from botocore.parsers import ResponseParserError

        inference: dict[str, Any] = {"maxTokens": max_new_tokens}
        if self.temperature is not None:
            inference["temperature"] = self.temperature
        request: dict[str, Any] = {
            "modelId": self.model_id,
            "messages": [{"role": "user", "content": [{"text": prompt}]}],
            "inferenceConfig": inference,
        }
        if self.system_prompt:
            request["system"] = [{"text": self.system_prompt}]
        try:
            response = self._client.converse(**request)
        except ClientError as exc:
            meta = exc.response.get("ResponseMetadata", {})
            status = meta.get("HTTPStatusCode")
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _RETRY_CODES or status in self.retry.retry_statuses:
                retry_after = parse_retry_after(meta.get("HTTPHeaders", {}).get("retry-after"))
                raise TransientError(f"{code}", status=status, retry_after=retry_after) from None
            # AWS's message says what is wrong ("The provided model identifier is invalid.")
            message = " ".join(str(exc.response.get("Error", {}).get("Message", "")).split())
            detail = f": {message[:300]}" if message else ""
            raise RemoteModelError(f"HTTP {status} {code}{detail}", status=status) from None
        except (ConnectionError, HTTPClientError) as exc:
            raise TransientError(f"connection error ({type(exc).__name__})") from None
        except ResponseParserError:
            raise TransientError("malformed response body") from None
        except BotoCoreError as exc:
            raise RemoteModelError(f"{type(exc).__name__}: {exc}") from None
        except _TooLarge:  # the same request would bring the same runaway body again
            limit = self.max_response_bytes
            raise RemoteModelError(
                f"the response body is larger than {size_text(limit)}, the most that is read "
                f"from model {self.model_id!r} (a runaway or misrouted endpoint?); raise "
                "BedrockModel.max_response_bytes if such answers are expected"
            ) from None
        except _TimedOut:
            raise TransientError(f"timed out after {self.timeout:g} s") from None
        except _ReadFailed as exc:
            raise TransientError(f"connection error ({exc})") from None
        try:
            blocks = response["output"]["message"]["content"]
            texts = [block["text"] for block in blocks if "text" in block]
        except (KeyError, TypeError):
            raise TransientError("unexpected Converse response shape") from None
        if not all(isinstance(text, str) for text in texts):
            raise TransientError("unexpected Converse response shape (text is not a string)")
        if not texts:  # a filtered reply is not an empty answer
            raise RemoteModelError(
                f"the reply has no text (stopReason "
                f"{response.get('stopReason')!r}): a filtered or empty reply is not an "
                "answer, so it is neither scored nor cached; change the prompt, the "
                "guardrail or max_new_tokens"
            )
        return "".join(texts)

    async def agenerate(
        self, prompts: Sequence[str], *, n: int = 1, seed: int = 0, max_new_tokens: int = 64
    ) -> list[list[str]]:
        """Async `generate`. Converse has no seed: samples differ by index in the cache key."""
        system = self.system_prompt
        params = {
            "temperature": self.temperature,
            "system": hashlib.sha256(system.encode()).hexdigest() if system else None,
            "max_new_tokens": max_new_tokens,
        }

        async def fetch(pool: concurrent.futures.Executor, item: tuple[str, int]) -> str:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(pool, self._converse, item[0], max_new_tokens)

        return await self._samples(
            prompts, n, seed, params, fetch, lambda _: f"Bedrock Converse for {self.model_id}"
        )
