"""Fixtures of the data-scanner tests."""

from __future__ import annotations

from pathlib import Path

import pytest

AMBIGUOUS_LEXICON = """\
format: biasaudit-lexicon/1
name: test-ambiguous
language: en
axis: gender
version: 0.1.0
groups: [male, female]
swap: {male: female, female: male}
source: test fixture
entries:
  - {pos: noun, features: {register: formal}, forms: {male: wizard, female: witch}}
  - {pos: noun, features: {register: informal}, forms: {male: warlock, female: witch}}
"""


@pytest.fixture()
def ambiguous_lexicon_dir(tmp_path: Path) -> Path:
    """``tmp_path/lex``: a gender lexicon in which *witch* has two male forms (*wizard*,
    *warlock*, two readings told apart by a feature, as lint requires), so swapping a
    sentence with *witch* is unsafe."""
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "ambiguous.yaml").write_text(AMBIGUOUS_LEXICON, encoding="utf-8")
    return folder
