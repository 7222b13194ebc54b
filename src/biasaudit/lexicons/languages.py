"""The catalogue of languages, axes and features that lexicon files may use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .._yaml import duplicate_keys, duplicate_message, yaml_error
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
        """The known language codes (aliases excluded), sorted."""
        return sorted(self.names)

    def knows(self, code: str) -> bool:
        """Whether ``code`` is a known language code or an alias of one."""
        return code in self.names or code in self.aliases

    def canonical(self, code: str) -> str:
        """Map an alias (``no`` → ``nb``) to its canonical code; unknown codes pass through."""
        return self.aliases.get(code, code)

    @classmethod
    def from_file(cls, path: Path) -> LanguageCatalog:
        """Read a ``languages.yaml``; a mistake raises :class:`LexiconError` with its line
        and field."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LexiconError(f"bad language catalogue: {exc}", Location(path)) from None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            message, line = yaml_error(exc, text)
            raise LexiconError(message, Location(path, line)) from None
        for key, first, again in duplicate_keys(root):
            raise LexiconError(
                duplicate_message(key, first, again),
                Location(path, again.start_mark.line + 1, key),
            )
        if root is None:
            return cls({}, {}, {}, frozenset())
        top = _pairs(path, root, None, "a mapping of 'languages', 'axes', ...")
        for key, node in top.items():
            if key not in _CATALOG_KEYS:
                known = ", ".join(sorted(_CATALOG_KEYS))
                raise LexiconError(f"unknown key {key!r} (known: {known})", _at(path, node, key))
        names: dict[str, str] = {}
        aliases: dict[str, str] = {}
        if "languages" in top:
            for code, spec in _pairs(path, top["languages"], "languages").items():
                where = f"languages.{code}"
                fields = _pairs(path, spec, where, "a mapping with 'name' (and 'aliases')")
                if "name" not in fields:
                    raise LexiconError(
                        "a language needs a 'name'", _at(path, spec, f"{where}.name")
                    )
                names[code] = _text(path, fields["name"], f"{where}.name")
                if "aliases" in fields:
                    for alias in _texts(path, fields["aliases"], f"{where}.aliases"):
                        aliases[alias] = code
        axes = {
            name: _text(path, node, f"axes.{name}")
            for name, node in (_pairs(path, top["axes"], "axes").items() if "axes" in top else ())
        }
        pos = _texts(path, top["parts_of_speech"], "parts_of_speech") if (
            "parts_of_speech" in top
        ) else ()
        features = {
            name: tuple(_texts(path, node, f"features.{name}"))
            for name, node in (
                _pairs(path, top["features"], "features").items() if "features" in top else ()
            )
        }
        return cls(names=names, aliases=aliases, axes=axes, pos=frozenset(pos), features=features)

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
    def for_dirs(
        dirs: tuple[Path, ...], errors: list[LexiconError] | None = None
    ) -> LanguageCatalog:
        """The built-in catalogue extended by the ``languages.yaml`` that applies to each of
        ``dirs``: the nearest one at or above the folder (or the file's folder).

        A user folder may declare new languages, axes or feature values this way, so a
        linguist adds them without touching the package; ``--lexicon my-lexicons/en-GB``
        and ``lexicon lint my-lexicons/en-GB`` both see ``my-lexicons/languages.yaml``.

        A broken ``languages.yaml`` raises :class:`LexiconError`; with ``errors`` given, the
        error is appended there instead and the file left out (``lexicon lint`` reports it
        with the other problems).
        """
        catalog = LanguageCatalog.builtin()
        for extra in catalog_files(dirs):
            try:
                catalog = catalog.extended(_load_catalog(extra))
            except LexiconError as exc:
                if errors is None:
                    raise
                errors.append(exc)
        return catalog

    @staticmethod
    def builtin() -> LanguageCatalog:
        """The catalog shipped with biasaudit (the built-in lexicons' ``languages.yaml``)."""
        from .registry import builtin_lexicon_dir

        return _load_catalog(builtin_lexicon_dir() / "languages.yaml")


_CATALOG_KEYS = {"format", "languages", "axes", "parts_of_speech", "features"}


def _at(path: Path, node: yaml.Node, field: str | None) -> Location:
    return Location(path, node.start_mark.line + 1, field)


def _pairs(
    path: Path, node: yaml.Node, field: str | None, what: str = "a mapping"
) -> dict[str, yaml.Node]:
    """The values of a mapping node by key, or an error naming ``field``."""
    if not isinstance(node, yaml.MappingNode):
        raise LexiconError(f"'{field or 'languages.yaml'}' must be {what}", _at(path, node, field))
    out = {}
    for k, v in node.value:
        if not isinstance(k, yaml.ScalarNode):
            raise LexiconError("a key must be a plain name", _at(path, k, field))
        out[k.value] = v
    return out


def _text(path: Path, node: yaml.Node, field: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise LexiconError(f"'{field}' must be a single value", _at(path, node, field))
    return str(node.value)


def _texts(path: Path, node: yaml.Node, field: str) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        raise LexiconError(f"'{field}' must be a list", _at(path, node, field))
    return [_text(path, item, field) for item in node.value]


def catalog_files(dirs: Iterable[Path]) -> list[Path]:
    """The user ``languages.yaml`` files that apply to ``dirs``: for each folder (or file's
    folder), the nearest one at or above it; the built-in one and repeats left out."""
    builtin, found = _builtin_file().resolve(), []
    for path in dirs:
        folder = path.resolve() if path.is_dir() else path.resolve().parent
        extra = next((d / "languages.yaml" for d in (folder, *folder.parents)
                      if (d / "languages.yaml").is_file()), None)
        if extra is not None and extra != builtin and extra not in found:
            found.append(extra)
    return found


def _builtin_file() -> Path:
    from .registry import builtin_lexicon_dir

    return builtin_lexicon_dir() / "languages.yaml"


def _load_catalog(path: Path) -> LanguageCatalog:
    """``path``'s catalogue, read again when the file changes."""
    return _catalog_at(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _catalog_at(path: Path, mtime_ns: int) -> LanguageCatalog:
    return LanguageCatalog.from_file(path)
