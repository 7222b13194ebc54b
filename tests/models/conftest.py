"""Shared fixtures: tiny local models (built once per session) and loopback servers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny models run faster (and far steadier on a shared machine) on one torch thread."""
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tiny-models")


@pytest.fixture(scope="session")
def tiny_classifier_path(tiny_dir: Path) -> Path:
    from biasaudit.models.testing import build_tiny_classifier

    return build_tiny_classifier(tiny_dir / "classifier", labels=("neg", "neutral", "pos"))


@pytest.fixture(scope="session")
def tiny_mlm_path(tiny_dir: Path) -> Path:
    from biasaudit.models.testing import build_tiny_masked_lm

    return build_tiny_masked_lm(tiny_dir / "mlm")


@pytest.fixture(scope="session")
def tiny_gpt2_path(tiny_dir: Path) -> Path:
    from biasaudit.models.testing import build_tiny_causal_lm

    return build_tiny_causal_lm(tiny_dir / "gpt2")


@pytest.fixture(scope="session")
def tiny_encoder_path(tiny_dir: Path) -> Path:
    from biasaudit.models.testing import build_tiny_encoder

    return build_tiny_encoder(tiny_dir / "encoder")


@pytest.fixture(scope="session")
def biased_classifier_path(tiny_dir: Path) -> Path:
    from biasaudit.models.testing import planted_bias_dataset, train_tiny_classifier

    texts, labels = planted_bias_dataset(600, seed=1)
    return train_tiny_classifier(texts, labels, tiny_dir / "biased", epochs=2, seed=0)


@pytest.fixture
def openai_server():
    from biasaudit.models.testserver import OpenAIStubServer

    with OpenAIStubServer(slow_seconds=2.0, retry_after="0.3") as server:
        yield server


@pytest.fixture
def bedrock_server():
    from biasaudit.models.testserver import BedrockStubServer

    with BedrockStubServer(slow_seconds=2.0, retry_after="0.3") as server:
        yield server


@pytest.fixture
def fast_retry():
    from biasaudit.models.retry import RetryPolicy

    return RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)
