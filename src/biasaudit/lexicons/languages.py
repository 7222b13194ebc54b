"""The catalogue of languages, axes and features that lexicon files may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import LexiconError, Location


@dataclass(frozen=True)
class LanguageCatalog:
    """Known language codes (with aliases), axes, parts of speech and feature values."""

    names: dict[str, str]
    aliases: dict[str, str]
    axes: dict[str, str]
    pos: frozenset[str]
    features: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return sorted(self.names)

    def knows(self, code: str) -> bool:
        return code in self.names or code in self.aliases

    def canonical(self, code: str) -> str:
        """Map an alias (``no`` → ``nb``) to its canonical code; unknown codes pass through."""
        return self.aliases.get(code, code)

    @classmethod
    def from_file(cls, path: Path) -> LanguageCatalog:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            names = {code: spec["name"] for code, spec in data["languages"].items()}
            aliases = {
                alias: code
                for code, spec in data["languages"].items()
                for alias in spec.get("aliases", [])
            }
            return cls(
                names=names,
                aliases=aliases,
                axes=dict(data["axes"]),
                pos=frozenset(data["parts_of_speech"]),
                features={k: tuple(str(x) for x in v) for k, v in data["features"].items()},
            )
        except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
            raise LexiconError(f"bad language catalogue: {exc}", Location(path)) from exc

    @staticmethod
    def builtin() -> LanguageCatalog:
        from .registry import builtin_lexicon_dir

        return _load_catalog(builtin_lexicon_dir() / "languages.yaml")


@lru_cache(maxsize=4)
def _load_catalog(path: Path) -> LanguageCatalog:
    return LanguageCatalog.from_file(path)
