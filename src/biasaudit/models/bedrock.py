"""AWS Bedrock adapter through boto3's ``bedrock-runtime`` Converse API (GENERATION).

Credentials come from boto3's usual chain (environment, shared config, SSO, instance role);
the adapter never reads, stores or prints them. boto3's own retries are switched off so that
`RetryPolicy` (backoff with full jitter, Retry-After) governs every attempt.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
from collections.abc import Sequence
from typing import Any

from biasaudit.errors import require
from biasaudit.models.base import Capability
from biasaudit.models.remote import RemoteModel, safe_url
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


class BedrockModel(RemoteModel):
    """A Bedrock model called with Converse; one request per (prompt, sample)."""

    _capabilities = frozenset({Capability.GENERATION})

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

    def __repr__(self) -> str:
        endpoint = f", endpoint_url={self.endpoint_url!r}" if self.endpoint_url else ""
        return f"BedrockModel(model_id={self.model_id!r}, region={self.region!r}{endpoint})"

    async def _session(self) -> concurrent.futures.ThreadPoolExecutor:
        return concurrent.futures.ThreadPoolExecutor(max_workers=1)

    async def _close(self, session: concurrent.futures.ThreadPoolExecutor) -> None:
        session.shutdown(wait=False, cancel_futures=True)

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
        try:
            blocks = response["output"]["message"]["content"]
            texts = [block["text"] for block in blocks if "text" in block]
        except (KeyError, TypeError):
            raise TransientError("unexpected Converse response shape") from None
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
