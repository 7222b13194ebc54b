"""Say what a YAML syntax error is in a lexicon or ``languages.yaml``, in words a linguist
reads: no ``in "<unicode string>"`` (the caller names the file), and a tab used for
indentation is called a tab."""

from __future__ import annotations

import yaml

TAB_INDENT = "tab character used for indentation (YAML needs spaces)"


def yaml_error(exc: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """The message for ``exc`` (raised reading ``text``) and its 1-based line, if known."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:  # (not a MarkedYAMLError: no marks, so no stand-in file name either)
        return f"invalid YAML: {exc}", None
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent[: mark.column + 1]:
        return TAB_INDENT, mark.line + 1
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if problem and ("'\\t'" in problem or "tab character" in problem):
        return "tab character where YAML does not allow one (use spaces)", mark.line + 1
    if not problem:
        return f"invalid YAML: {context or type(exc).__name__}", mark.line + 1
    message = f"invalid YAML: {problem} at column {mark.column + 1}"
    if context:
        message += f" ({context}"
        if context_mark is not None and (context_mark.line, context_mark.column) != (
            mark.line, mark.column
        ):
            message += f" from line {context_mark.line + 1}, column {context_mark.column + 1}"
        message += ")"
    return message, mark.line + 1
