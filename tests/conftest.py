"""Shared fixtures: where the shared data sets are, and small lexicon folders for tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BIASAUDIT_SHARED", ROOT.parent / "shared")) / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only shared data folder beside the checkout (skips if absent)."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED


RELIGION_LEXICON = """\
format: biasaudit-lexicon/1
name: test-religion
language: en
axis: faith
version: 0.1.0
groups: [christian, muslim, jewish]
source: test fixture
entries:
  - {pos: adj, forms: {christian: Christian, muslim: Muslim, jewish: Jewish}}
  - {pos: noun, features: {number: sg},
     forms: {christian: church, muslim: mosque, jewish: synagogue}}
  - {pos: noun, features: {number: pl},
     forms: {christian: Christians, muslim: Muslims, jewish: Jews}}
"""


@pytest.fixture()
def religion_dir(tmp_path: Path) -> Path:
    """A user lexicon folder declaring its own axis (``faith``) with three groups."""
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "religion.yaml").write_text(RELIGION_LEXICON, encoding="utf-8")
    (folder / "languages.yaml").write_text(
        "format: biasaudit-languages/1\naxes:\n  faith: A test axis declared by a user folder\n",
        encoding="utf-8",
    )
    return folder
