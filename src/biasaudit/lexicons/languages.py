"""The catalogue of languages, axes and features that lexicon files may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .._yaml import duplicate_keys, duplicate_message
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
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
            for key, first, again in duplicate_keys(root):
                raise LexiconError(
                    duplicate_message(key, first, again),
                    Location(path, again.start_mark.line + 1, key),
                )
            # (built from the composed nodes: the file is parsed once)
            data = (yaml.SafeLoader("").construct_document(root) if root else None) or {}
            languages = data.get("languages") or {}
            names = {code: spec["name"] for code, spec in languages.items()}
            aliases = {
                alias: code for code, spec in languages.items() for alias in spec.get("aliases", [])
            }
            return cls(
                names=names,
                aliases=aliases,
                axes=dict(data.get("axes") or {}),
                pos=frozenset(data.get("parts_of_speech") or ()),
                features={
                    k: tuple(str(x) for x in v) for k, v in (data.get("features") or {}).items()
                },
            )
        except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
            raise LexiconError(f"bad language catalogue: {exc}", Location(path)) from exc

    def extended(self, other: LanguageCatalog) -> LanguageCatalog:
        """This catalogue with ``other``'s languages, axes, parts of speech and features added."""
        features = dict(self.features)
        for name, values in other.features.items():
            features[name] = tuple(dict.fromkeys((*features.get(name, ()), *values)))
        return LanguageCatalog(
            names={**self.names, **other.names},
            aliases={**self.aliases, **other.aliases},
            axes={**self.axes, **other.axes},
            pos=self.pos | other.pos,
            features=features,
        )

    @staticmethod
    def for_dirs(dirs: tuple[Path, ...]) -> LanguageCatalog:
        """The built-in catalogue extended by a ``languages.yaml`` in any of ``dirs``.

        A user folder may declare new languages, axes or feature values this way, so a
        linguist adds them without touching the package.
        """
        catalog = LanguageCatalog.builtin()
        for d in dirs:
            extra = d / "languages.yaml" if d.is_dir() else None
            if extra is not None and extra.is_file() and extra != _builtin_file():
                catalog = catalog.extended(_load_catalog(extra))
        return catalog

    @staticmethod
    def builtin() -> LanguageCatalog:
        from .registry import builtin_lexicon_dir

        return _load_catalog(builtin_lexicon_dir() / "languages.yaml")


def _builtin_file() -> Path:
    from .registry import builtin_lexicon_dir

    return builtin_lexicon_dir() / "languages.yaml"


@lru_cache(maxsize=16)
def _load_catalog(path: Path) -> LanguageCatalog:
    return LanguageCatalog.from_file(path)
