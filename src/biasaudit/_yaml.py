"""YAML checks shared by the audit config, the lexicon loader and the language catalogue.

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
