"""Exceptions raised by biasaudit.

Every error that comes from user input names where the problem is (file, line, field)
so it can be fixed without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class BiasAuditError(Exception):
    """Base class for all errors raised on purpose by biasaudit."""


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem was found."""

    path: str | Path | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) if parts else "<input>"


class InputError(BiasAuditError, ValueError):
    """Bad user input: a lexicon, config, data or probe file that cannot be used as given."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location or Location()
        super().__init__(f"{self.location}: {message}" if location else message)


class LexiconError(InputError):
    """A lexicon file that does not follow the lexicon format."""


class ConfigError(InputError):
    """An audit configuration that names an unknown key or holds a bad value."""


class UnsupportedError(BiasAuditError, ValueError):
    """A request for a language, axis or capability that is not available.

    ``argument`` names the keyword of the public call that asked for it (``lang``,
    ``axis``, ``suite``, ``groups``) when one does, so a caller that took that value from
    a file can point at the right key.
    """

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        self.argument = argument
        super().__init__(message)


class ModelNotFoundError(BiasAuditError, OSError):
    """An ``hf:`` spec that names neither a local model folder nor a hub model that can be
    loaded (offline, not in the Hugging Face cache, misspelt, or a path that does not exist)."""


class ModelOptionError(BiasAuditError, ValueError):
    """A model option (``load_model(spec, OPTION=value)``) or call argument with a value the
    adapter cannot use (``batch_size=0``, ``max_length`` past the model's positions,
    ``device="cuda"`` without CUDA, ...). ``option`` names it."""

    def __init__(self, message: str, *, option: str | None = None) -> None:
        self.option = option
        super().__init__(message)


class MissingWeightsError(BiasAuditError, ValueError):
    """An ``hf:`` checkpoint that lacks weights its task needs (a classifier head, an LM
    head): transformers would fill them with random values and answer anyway, so an audit
    would measure noise. ``task`` is the task asked for, ``missing`` the weight names."""

    def __init__(self, message: str, *, task: str, missing: tuple[str, ...] = ()) -> None:
        self.task = task
        self.missing = missing
        super().__init__(message)


class BiasAuditWarning(UserWarning):
    """Base class for biasaudit's warnings: results were produced, but read them with care."""


class TruncationWarning(BiasAuditWarning):
    """Some inputs were longer than a model's context and were cut to fit it."""


class MissingExtraError(BiasAuditError, ImportError):
    """An optional dependency is needed; says which extra to install."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{purpose} needs the optional package '{package}'. "
            f"Install it with: pip install 'biasaudit[{extra}]'"
        )


def not_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    """The line (from 1) of the first byte of ``data`` that is not UTF-8, and a message
    saying which byte it is and where in its line."""
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    message = (
        f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte "
        f"{exc.start - line_start + 1} of the line)"
    )
    return data.count(b"\n", 0, exc.start) + 1, message


def read_utf8(path: str | Path, what: str, error: type[InputError] = InputError) -> str:
    """The text of ``path``. A file that cannot be read, or that is not UTF-8, raises
    ``error`` naming the file (and the line of the first bad byte)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise error(f"cannot read {what}: {exc}", Location(path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, message = not_utf8(data, exc)
        raise error(message, Location(path, line)) from None


def require(module: str, *, extra: str, purpose: str, package: str | None = None):
    """Import an optional dependency, or raise MissingExtraError naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - exercised with monkeypatching in tests
        raise MissingExtraError(package or module.split(".")[0], extra, purpose) from exc
