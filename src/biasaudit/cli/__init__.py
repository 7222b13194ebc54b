"""The ``biasaudit`` command line: ``swap``, ``lexicon lint|show`` and the jobs built on them."""

from .app import app, main

__all__ = ["app", "main"]
