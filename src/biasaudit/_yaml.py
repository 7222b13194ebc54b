"""YAML checks shared by the audit config, the lexicon loader and the language catalogue,
and syntax errors said in words a linguist reads (:func:`yaml_error`).

They work on the composed node graph (``yaml.compose``), where an alias is the very node
object its anchor names: a walk over it visits each node once (as :func:`duplicate_keys`
and the audit config's reader do), so an alias costs nothing and a recursive alias
(``x: &a [*a]``) cannot loop.
"""

from __future__ import annotations

import yaml


def duplicate_keys(root: yaml.Node | None) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """Every key that a mapping of the composed document ``root`` repeats, anywhere in it:
    ``(key, first key node, repeated key node)``, in the order of the repeated keys.

    A YAML parser keeps only the last value of a repeated key, so ``{male: uncle, male:
    son}`` would silently load *son*, and a second ``entries:`` block would discard the
    first; callers report them instead (with :func:`duplicate_message`).
    """
    found: list[tuple[str, yaml.Node, yaml.Node]] = []
    stack = [root] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # an alias repeats a node: check it once
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, yaml.Node] = {}
            for knode, vnode in node.value:
                if isinstance(knode, yaml.ScalarNode):
                    if knode.value in first:
                        found.append((knode.value, first[knode.value], knode))
                    else:
                        first[knode.value] = knode
                stack.append(vnode)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    found.sort(key=lambda d: (d[2].start_mark.line, d[2].start_mark.column))
    return found


def duplicate_message(key: str, first: yaml.Node, again: yaml.Node) -> str:
    """The error for a repeated key, naming the key and both lines."""
    a, b = first.start_mark.line + 1, again.start_mark.line + 1
    where = f"twice on line {a}" if a == b else f"on lines {a} and {b}"
    return f"duplicate key {key!r} {where}: YAML would keep only the last value; remove one"


# the error for a node that contains itself through an alias
RECURSIVE_ALIAS = "recursive YAML alias: this value contains itself"


TAB_INDENT = "tab character used for indentation (YAML needs spaces)"


def yaml_error(exc: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """The message for ``exc`` (raised reading ``text``) and its 1-based line, if known:
    no ``in "<unicode string>"`` (the caller names the file), and a tab used for
    indentation is called a tab."""
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
