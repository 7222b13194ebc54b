"""Lexicons: aligned term sets per language and identity axis, stored as YAML data files."""

from .languages import LanguageCatalog
from .loader import Problem, load_lexicon, parse_lexicon
from .model import FORMAT_VERSION, Entry, Exclusion, Lexicon
from .registry import LexiconSet, all_lexicons, builtin_lexicon_dir, lexicon_dirs, load_lexicons

__all__ = [
    "FORMAT_VERSION",
    "Entry",
    "Exclusion",
    "LanguageCatalog",
    "Lexicon",
    "LexiconSet",
    "Problem",
    "all_lexicons",
    "builtin_lexicon_dir",
    "lexicon_dirs",
    "load_lexicon",
    "load_lexicons",
    "parse_lexicon",
]
