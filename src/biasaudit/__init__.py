"""biasaudit: audit language models for gender and identity bias.

Counterfactual probes that stay grammatical (English, Polish, Vietnamese, Norwegian),
model adapters, paired statistics with honest uncertainty, and CI-ready reports.

>>> import biasaudit
>>> biasaudit.swap("He said she would call her mother.").text
'She said he would call his father.'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._version import __version__
from .engine import SWAP, Counterfactual, CounterfactualEngine, Edit
from .errors import BiasAuditError, InputError, LexiconError, MissingExtraError, UnsupportedError


@lru_cache(maxsize=32)
def _engine(
    lang: str, axis: str, lexicon_paths: tuple[str, ...], options: tuple[tuple[str, Any], ...]
) -> CounterfactualEngine:
    return CounterfactualEngine(lang, axis, lexicon_paths=lexicon_paths, options=dict(options))


def engine(
    lang: str = "en",
    axis: str = "gender",
    *,
    lexicon_paths: Iterable[str | Path] = (),
    options: Mapping[str, Any] | None = None,
) -> CounterfactualEngine:
    """An engine for ``lang`` and ``axis``, cached per lexicon paths and grammar options
    (e.g. ``options={"feminatives": "keep-generic"}`` for Polish)."""
    opts = tuple(sorted((options or {}).items()))
    return _engine(lang, axis, tuple(str(p) for p in lexicon_paths), opts)


def swap(
    text: str,
    lang: str = "en",
    axis: str = "gender",
    *,
    lexicon_paths: Iterable[str | Path] = (),
    options: Mapping[str, Any] | None = None,
) -> Counterfactual:
    """Swap every reference in ``text`` to its counterpart (e.g. male↔female)."""
    return engine(lang, axis, lexicon_paths=lexicon_paths, options=options).swap(text)


def counterfactuals(
    text: str,
    lang: str = "en",
    axis: str = "gender",
    *,
    groups: Sequence[str] | None = None,
    lexicon_paths: Iterable[str | Path] = (),
    options: Mapping[str, Any] | None = None,
) -> list[Counterfactual]:
    """One counterfactual of ``text`` per group of ``axis`` (or per group in ``groups``)."""
    eng = engine(lang, axis, lexicon_paths=lexicon_paths, options=options)
    return eng.counterfactuals(text, groups)


def counterfactuals_batch(
    texts: Iterable[str],
    lang: str = "en",
    axis: str = "gender",
    *,
    groups: Sequence[str] | None = None,
    lexicon_paths: Iterable[str | Path] = (),
    options: Mapping[str, Any] | None = None,
) -> Iterator[list[Counterfactual]]:
    """Stream :func:`counterfactuals` over many texts (lazily, one list per text)."""
    eng = engine(lang, axis, lexicon_paths=lexicon_paths, options=options)
    for text in texts:
        yield eng.counterfactuals(text, groups)


def swap_batch(
    texts: Iterable[str],
    lang: str = "en",
    axis: str = "gender",
    *,
    lexicon_paths: Iterable[str | Path] = (),
    options: Mapping[str, Any] | None = None,
) -> Iterator[Counterfactual]:
    """Stream :func:`swap` over many texts."""
    return engine(lang, axis, lexicon_paths=lexicon_paths, options=options).swap_many(texts)


__all__ = [
    "SWAP",
    "BiasAuditError",
    "Counterfactual",
    "CounterfactualEngine",
    "Edit",
    "InputError",
    "LexiconError",
    "MissingExtraError",
    "UnsupportedError",
    "__version__",
    "counterfactuals",
    "counterfactuals_batch",
    "engine",
    "swap",
    "swap_batch",
]
