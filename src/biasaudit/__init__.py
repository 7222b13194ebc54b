"""biasaudit: audit language models for gender and identity bias.

Counterfactual probes that stay grammatical (English, Polish, Vietnamese, Norwegian),
model adapters, paired statistics with honest uncertainty, and CI-ready reports.

>>> import biasaudit
>>> biasaudit.swap("He said she would call her mother.").text
'She said he would call his father.'
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .core import SWAP, Counterfactual, CounterfactualEngine, Edit
from .core.engine import path_tuple
from .errors import BiasAuditError, InputError, LexiconError, MissingExtraError, UnsupportedError

# engine()'s cache: (engine, the lexicon state it was built from, when that was last checked)
_ENGINES: OrderedDict[tuple, tuple[CounterfactualEngine, tuple, float]] = OrderedDict()
_ENGINES_MAX = 32
RECHECK_SECONDS = 1.0  # how often a cached engine compares its lexicon files with the disk


def engine(
    lang: str = "en",
    axis: str = "gender",
    *,
    lexicon_paths: Iterable[str | Path] | str | Path = (),
    options: Mapping[str, Any] | None = None,
) -> CounterfactualEngine:
    """An engine for ``lang`` and ``axis``, cached per lexicon paths and grammar options
    (e.g. ``options={"feminatives": "keep-generic"}`` for Polish).

    A lexicon file edited, added or removed on disk (or a changed
    ``BIASAUDIT_LEXICON_PATH``) is picked up: the cache compares the files' modification
    times with those the engine was built from, at most once a second, so that a linguist
    editing a lexicon in a notebook never swaps with the old one for long.
    """
    from .lexicons.registry import lexicon_state

    paths = tuple(str(p) for p in path_tuple(lexicon_paths))
    key = (lang, axis, paths, tuple(sorted((options or {}).items())))
    now = time.monotonic()
    cached = _ENGINES.get(key)
    if cached is not None and now - cached[2] < RECHECK_SECONDS:
        _ENGINES.move_to_end(key)
        return cached[0]
    state = lexicon_state(paths)
    if cached is None or cached[1] != state:
        cached = (CounterfactualEngine(lang, axis, lexicon_paths=paths, options=dict(key[3])),
                  state, now)
    _ENGINES[key] = (cached[0], state, now)
    _ENGINES.move_to_end(key)
    while len(_ENGINES) > _ENGINES_MAX:
        _ENGINES.popitem(last=False)
    return cached[0]


def swap(
    text: str,
    lang: str = "en",
    axis: str = "gender",
    *,
    lexicon_paths: Iterable[str | Path] | str | Path = (),
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
    lexicon_paths: Iterable[str | Path] | str | Path = (),
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
    lexicon_paths: Iterable[str | Path] | str | Path = (),
    options: Mapping[str, Any] | None = None,
) -> Iterator[list[Counterfactual]]:
    """Stream :func:`counterfactuals` over many texts (lazily, one list per text)."""
    if isinstance(texts, str):
        raise TypeError("texts must be an iterable of texts, not one str: use counterfactuals()")
    eng = engine(lang, axis, lexicon_paths=lexicon_paths, options=options)
    for text in texts:
        yield eng.counterfactuals(text, groups)


def swap_batch(
    texts: Iterable[str],
    lang: str = "en",
    axis: str = "gender",
    *,
    lexicon_paths: Iterable[str | Path] | str | Path = (),
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
