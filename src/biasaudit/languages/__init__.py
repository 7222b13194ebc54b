"""Language modules: the grammar rules a language needs beyond its lexicon data.

A language with no entry here still works with the default :class:`~biasaudit.core.Grammar`
(lexicon-only swaps), so a linguist can add one by adding lexicon files. Modules are
imported lazily: a language's toolkit (e.g. morfeusz2 for Polish) loads only when used.
"""

from __future__ import annotations

import importlib

from ..core.grammar import Grammar

# language code -> "module:ClassName" relative to this package
GRAMMARS: dict[str, str] = {
    "en": "english:EnglishGrammar",
    "pl": "polish:PolishGrammar",
    "vi": "vietnamese:VietnameseGrammar",
    "nb": "norwegian:BokmalGrammar",
    "nn": "norwegian:NynorskGrammar",
}


def grammar_class(lang: str) -> type[Grammar]:
    """The grammar class for ``lang`` (the lexicon-only default when none is registered)."""
    spec = GRAMMARS.get(lang)
    if spec is None:
        return Grammar
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = ["GRAMMARS", "grammar_class"]
