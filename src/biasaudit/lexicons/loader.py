"""Read lexicon YAML files into :class:`Lexicon` objects, reporting every problem with its
file, line and field.

The loader and ``biasaudit lexicon lint`` share one code path: :func:`parse_lexicon`
collects problems instead of stopping at the first, and :func:`load_lexicon` raises the
first error it finds.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .._yaml import duplicate_keys, duplicate_message, yaml_error
from ..errors import InputError, LexiconError, Location, read_utf8
from .languages import LanguageCatalog
from .model import FORMAT_VERSION, NONPERSON, Entry, Exclusion, Lexicon

try:  # the C loader is ~10x faster and keeps line marks
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

HEADER_KEYS = {
    "format",
    "name",
    "language",
    "axis",
    "version",
    "groups",
    "swap",
    "description",
    "source",
    "licence",
    "license",
    "reviewer",
    "defaults",
    "entries",
    "exclusions",
    "match_groups",
}
ENTRY_KEYS = {
    "id", "forms", "pos", "features", "invertible", "match_groups", "note", "source", "reviewer"
}
EXCLUSION_KEYS = {"text", "note"}
# Parts of speech that always refer to a person, and features only first names carry: an
# entry with either cannot be ``referent: nonperson`` (a term that names no person).
PERSON_POS = {"pron": "a pronoun", "det": "a possessive determiner", "title": "a title",
              "name": "a first name"}
NAME_FEATURES = ("name_part", "pairing")


@dataclass(frozen=True)
class Problem:
    """One lint finding; ``severity`` is ``error`` or ``warning``."""

    message: str
    location: Location
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


class _Collector:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, message: str, node: yaml.Node | None, field: str | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(message, Location(str(self.path), line, field)))

    def warn(self, message: str, node: yaml.Node | None, field: str | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(message, Location(str(self.path), line, field), "warning"))


def _mapping(
    node: yaml.MappingNode, col: _Collector, field: str | None
) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """The pairs of a mapping by key; a key that is a list or a mapping is an error."""
    out = {}
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode):
            out[k.value] = (k, v)
        else:
            col.error("a key must be a plain name, not a list or a mapping", k, field)
    return out


# Whitespace other than a plain space, and invisible characters, make a form that no text
# written normally contains (or one that looks like another). Zero-width (non-)joiners are
# spelling in some scripts (Persian, Indic), so they are allowed.
_JOINERS = {"\u200c", "\u200d"}
# Letters of these scripts look alike (Latin o, Cyrillic о, Greek ο): one word mixing them is
# almost always a typing or copying mistake that no text will match.
_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()


def _text_problem(value: str) -> str | None:
    """Why ``value`` (a form or an exclusion) cannot be matched as written, if it cannot."""
    if not value.strip():
        return "empty text"
    if value != value.strip() or "  " in value:
        return f"{value!r} has stray whitespace"
    for ch in value:
        if ch.isspace() and ch != " ":
            return f"{value!r} contains {_char_name(ch)}; use a plain space between words"
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn") and ch not in _JOINERS:
            return f"{value!r} contains the invisible character {_char_name(ch)}"
    if not any(ch.isalnum() for ch in value):
        return f"{value!r} has no letter or digit"
    for word in value.split():
        scripts = {
            name.split()[0]
            for name in (unicodedata.name(ch, "") for ch in word if ch.isalpha())
            if name.split()[0] in _LOOKALIKE_SCRIPTS
        }
        if len(scripts) > 1:
            mixed = " and ".join(s.title() for s in _LOOKALIKE_SCRIPTS if s in scripts)
            return f"{value!r} mixes {mixed} letters in one word (a look-alike letter?)"
    return None


def _scalar(node: yaml.Node, col: _Collector, field: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        col.error("expected a single value", node, field)
        return None
    value = str(node.value)
    if unicodedata.normalize("NFC", value) != value:
        col.error(f"{value!r} is not in Unicode NFC form", node, field)
    return value


def _group_list(
    node: yaml.Node, groups: list[str] | None, col: _Collector, where: str
) -> list[str]:
    """A YAML list of declared group names (``match_groups``); ``groups`` None when the
    file's groups are unusable (their names are not checked then)."""
    if not isinstance(node, yaml.SequenceNode):
        col.error(f"'{where.rsplit('.', 1)[-1]}' must be a list of groups", node, where)
        return []
    names: list[str] = []
    for g in node.value:
        name = _scalar(g, col, where)
        if name is None:
            continue
        if groups is not None and name not in groups:
            col.error(f"match_groups names undeclared group {name!r}", g, where)
        elif name in names:
            col.error(f"group {name!r} listed twice", g, where)
        else:
            names.append(name)
    return names


def _forms(node: yaml.Node, col: _Collector, field: str) -> tuple[str, ...]:
    nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out: list[str] = []
    for item in nodes:
        value = _scalar(item, col, field)
        if value is None:
            continue
        problem = _text_problem(value)
        if problem is not None:
            col.error(f"form {problem}", item, field)
        else:
            out.append(value)
    return tuple(out)


def parse_lexicon(
    path: str | Path, catalog: LanguageCatalog | None = None
) -> tuple[Lexicon | None, list[Problem]]:
    """Parse one lexicon file; returns the lexicon (None if unusable) and all problems found."""
    path = Path(path)
    col = _Collector(path)
    catalog = catalog or LanguageCatalog.builtin()
    try:
        text = read_utf8(path, "file")
    except InputError as exc:
        col.problems.append(Problem(exc.message, exc.location))
        return None, col.problems
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        message, line = yaml_error(exc, text)
        col.problems.append(Problem(message, Location(str(path), line)))
        return None, col.problems
    if not isinstance(root, yaml.MappingNode):
        col.error("a lexicon file must be a mapping with 'format', 'language', ...", root)
        return None, col.problems
    for key, first, again in duplicate_keys(root):
        col.error(duplicate_message(key, first, again), again, key)

    top = _mapping(root, col, None)
    for key, (knode, _) in top.items():
        if key not in HEADER_KEYS:
            col.error(f"unknown key {key!r} (known: {', '.join(sorted(HEADER_KEYS))})", knode, key)
    header: dict[str, str | None] = {}
    for key in (
        "format",
        "name",
        "language",
        "axis",
        "version",
        "description",
        "source",
        "licence",
        "license",
        "reviewer",
    ):
        if key in top:
            header[key] = _scalar(top[key][1], col, key)
    for key in ("format", "language", "axis", "version", "groups", "entries"):
        if key not in top:
            col.error(f"missing required key {key!r}", root, key)
        elif header.get(key) == "":
            col.error(f"{key!r} is empty", top[key][1], key)
    # A missing or broken header value is reported above; the checks that need it are
    # skipped, and everything else in the file is still checked.
    if header.get("format") and header["format"] != FORMAT_VERSION:
        col.error(
            f"unsupported format {header['format']!r}; expected {FORMAT_VERSION!r}",
            top["format"][1],
            "format",
        )
    language = header.get("language") or ""
    if header.get("language") and not catalog.knows(language):
        col.error(
            f"unknown language {language!r} (known: {', '.join(catalog.codes)}); "
            "add it to languages.yaml",
            top["language"][1],
            "language",
        )
    axis = header.get("axis") or ""
    if header.get("axis") and axis not in catalog.axes:
        col.error(
            f"unknown axis {axis!r} (known: {', '.join(sorted(catalog.axes))})",
            top["axis"][1],
            "axis",
        )

    groups: list[str] = []
    before_groups = len(col.problems)
    if "groups" in top:
        groups_node = top["groups"][1]
        if isinstance(groups_node, yaml.SequenceNode) and groups_node.value:
            for g in groups_node.value:
                name = _scalar(g, col, "groups")
                if name is not None:
                    if name in groups:
                        col.error(f"group {name!r} listed twice", g, "groups")
                    groups.append(name)
        else:
            col.error("'groups' must be a non-empty list", groups_node, "groups")
    # Without a usable group list, group names (in forms, swap, match_groups) cannot be
    # checked; the rest of each entry still is.
    known: list[str] | None = (
        groups if "groups" in top and len(col.problems) == before_groups else None
    )

    swap: dict[str, str] = {}
    if "swap" in top:
        swap_node = top["swap"][1]
        if not isinstance(swap_node, yaml.MappingNode):
            col.error("'swap' must map each group to its counterpart", swap_node, "swap")
        else:
            undeclared: set[str] = set()
            for key, (knode, vnode) in _mapping(swap_node, col, "swap").items():
                target = _scalar(vnode, col, f"swap.{key}")
                for g, n in ((key, knode), (target, vnode)):
                    if known is None:
                        break
                    if g is not None and g not in known and g not in undeclared:
                        undeclared.add(g)
                        col.error(f"swap names undeclared group {g!r}", n, "swap")
                if target is not None:
                    swap[key] = target

    match_groups = (
        _group_list(top["match_groups"][1], known, col, "match_groups")
        if "match_groups" in top
        else []
    )

    defaults: dict[str, Any] = {}
    if "defaults" in top:
        dnode = top["defaults"][1]
        if isinstance(dnode, yaml.MappingNode):
            for key, (knode, vnode) in _mapping(dnode, col, "defaults").items():
                if key not in ("pos", "features", "source", "reviewer"):
                    col.error(
                        f"'defaults' may set pos, features, source, reviewer; not {key!r}",
                        knode,
                        f"defaults.{key}",
                    )
                defaults[key] = vnode
        else:
            col.error("'defaults' must be a mapping", dnode, "defaults")
    # checked once here, not again for every entry that inherits them
    if "pos" in defaults:
        pos = _scalar(defaults["pos"], col, "defaults.pos")
        if pos is not None and pos not in catalog.pos:
            col.error(
                f"unknown part of speech {pos!r} (known: {', '.join(sorted(catalog.pos))})",
                defaults["pos"],
                "defaults.pos",
            )
        if pos is None or pos not in catalog.pos:
            del defaults["pos"]
    if "features" in defaults:
        defaults["features"] = _features(defaults["features"], col, catalog, "defaults.features")

    entries: list[Entry] = []
    entries_node = top["entries"][1] if "entries" in top else None
    if entries_node is None:
        pass  # (reported as missing above)
    elif not isinstance(entries_node, yaml.SequenceNode):
        col.error("'entries' must be a list", entries_node, "entries")
    else:
        for i, enode in enumerate(entries_node.value):
            entry = _entry(enode, i, col, catalog, known, defaults, path,
                           match_groups or groups)
            if entry is not None:
                entries.append(entry)

    exclusions: list[Exclusion] = []
    if "exclusions" in top:
        xnode = top["exclusions"][1]
        if not isinstance(xnode, yaml.SequenceNode):
            col.error("'exclusions' must be a list", xnode, "exclusions")
        else:
            for i, item in enumerate(xnode.value):
                where = f"exclusions[{i}]"
                text_node = item
                if isinstance(item, yaml.ScalarNode):
                    value = _scalar(item, col, where)
                    note = None
                elif isinstance(item, yaml.MappingNode):
                    m = _mapping(item, col, where)
                    for key, (knode, _) in m.items():
                        if key not in EXCLUSION_KEYS:
                            col.error(f"unknown key {key!r} in exclusion", knode, f"{where}.{key}")
                    note = _scalar(m["note"][1], col, f"{where}.note") if "note" in m else None
                    if "text" not in m:
                        col.error("exclusion needs 'text'", item, f"{where}.text")
                        continue
                    text_node = m["text"][1]
                    where += ".text"
                    value = _scalar(text_node, col, where)
                else:
                    col.error("exclusion must be text or a mapping", item, where)
                    continue
                if value is None:
                    continue
                problem = _text_problem(value)
                if problem is not None:
                    col.error(f"exclusion {problem}", text_node, where)
                    continue
                exclusions.append(Exclusion(value, note, str(path), item.start_mark.line + 1))

    if any(p.severity == "error" for p in col.problems):
        return None, col.problems
    lexicon = Lexicon(
        name=header.get("name") or path.stem,
        language=catalog.canonical(language),
        axis=axis,
        version=str(header.get("version")),
        groups=tuple(groups),
        entries=tuple(entries),
        exclusions=tuple(exclusions),
        swap=swap,
        match_groups=tuple(match_groups) or tuple(groups),
        description=header.get("description"),
        source=header.get("source"),
        licence=header.get("licence") or header.get("license"),
        reviewer=header.get("reviewer"),
        path=path,
    )
    return lexicon, col.problems


def _entry(
    enode: yaml.Node,
    index: int,
    col: _Collector,
    catalog: LanguageCatalog,
    groups: list[str] | None,
    defaults: dict[str, Any],
    path: Path,
    file_match: list[str],
) -> Entry | None:
    where = f"entries[{index}]"
    if not isinstance(enode, yaml.MappingNode):
        col.error("each entry must be a mapping with 'forms'", enode, where)
        return None
    m = _mapping(enode, col, where)
    for key, (knode, _) in m.items():
        if key not in ENTRY_KEYS:
            col.error(
                f"unknown key {key!r} (known: {', '.join(sorted(ENTRY_KEYS))})",
                knode,
                f"{where}.{key}",
            )
    if "forms" not in m:
        col.error("entry has no 'forms'", enode, f"{where}.forms")
        return None
    fnode = m["forms"][1]
    if not isinstance(fnode, yaml.MappingNode):
        col.error("'forms' must map group names to words", fnode, f"{where}.forms")
        return None
    forms: dict[str, tuple[str, ...]] = {}
    before = len(col.problems)
    for group, (gnode, vnode) in _mapping(fnode, col, f"{where}.forms").items():
        if groups is not None and group not in groups:
            col.error(
                f"group {group!r} is not declared in 'groups' ({', '.join(groups)})",
                gnode,
                f"{where}.forms.{group}",
            )
            continue
        values = _forms(vnode, col, f"{where}.forms.{group}")
        if values:
            forms[group] = values
    if len(forms) < 2:
        if len(col.problems) == before:  # (not when a form was already reported)
            col.error("an entry needs forms for at least two groups", fnode, f"{where}.forms")
        return None

    def text_field(key: str) -> str | None:
        node = m[key][1] if key in m else defaults.get(key)
        return _scalar(node, col, f"{where}.{key}") if node is not None else None

    pos = text_field("pos")
    if pos is not None and pos not in catalog.pos:
        col.error(
            f"unknown part of speech {pos!r} (known: {', '.join(sorted(catalog.pos))})",
            m["pos"][1] if "pos" in m else enode,
            f"{where}.pos",
        )
    features = dict(defaults.get("features", {}))
    if "features" in m:
        features.update(_features(m["features"][1], col, catalog, f"{where}.features"))
    if features.get("referent") == NONPERSON:
        _check_nonperson(m, enode, col, where, pos, features)
    invertible = True
    if "invertible" in m:
        inode = m["invertible"][1]
        if not (isinstance(inode, yaml.ScalarNode) and inode.value in ("true", "false")):
            col.error("'invertible' must be true or false", inode, f"{where}.invertible")
        else:
            invertible = inode.value == "true"
    entry_match: tuple[str, ...] | None = None
    if "match_groups" in m:
        entry_match = tuple(_group_list(m["match_groups"][1], groups, col,
                                        f"{where}.match_groups"))
        if invertible and set(forms) & set(file_match) - set(entry_match):
            col.error(
                "entry leaves some forms out of matching, so swapping back is not possible; "
                "set 'invertible: false'",
                m["match_groups"][1],
                f"{where}.invertible",
            )
    if invertible and any(len(v) > 1 for v in forms.values()):
        col.error(
            "entry lists alternative forms, so swapping back is not unique; "
            "set 'invertible: false'",
            fnode,
            f"{where}.invertible",
        )
    entry_id = text_field("id")
    if entry_id is not None and not entry_id.strip():
        col.error("'id' is empty", m["id"][1], f"{where}.id")
    entry_id = entry_id or "/".join(v[0] for v in forms.values())
    return Entry(
        id=entry_id,
        forms=forms,
        pos=pos,
        features=features,
        invertible=invertible,
        match_groups=entry_match,
        note=text_field("note"),
        source=text_field("source"),
        reviewer=text_field("reviewer"),
        path=str(path),
        line=enode.start_mark.line + 1,
    )


def _check_nonperson(
    m: dict[str, tuple[yaml.Node, yaml.Node]],
    enode: yaml.Node,
    col: _Collector,
    where: str,
    pos: str | None,
    features: dict[str, str],
) -> None:
    """``referent: nonperson`` (a term that names no person, such as a religion: *Islam*)
    on an entry that always names one: a pronoun, a title, a first name, or an entry with a
    first name's features (``name_part``, ``pairing``)."""
    node = enode
    if "features" in m and isinstance(m["features"][1], yaml.MappingNode):
        node = next(
            (v for k, v in m["features"][1].value
             if isinstance(k, yaml.ScalarNode) and k.value == "referent"),
            enode,  # (set by the file's defaults)
        )
    field = f"{where}.features.referent"
    if pos in PERSON_POS:
        col.error(
            f"'referent: nonperson' marks a term that names no person, but the entry is "
            f"{PERSON_POS[pos]} (pos {pos!r}), which always does",
            node,
            field,
        )
    for name in NAME_FEATURES:
        if name in features:
            col.error(
                f"'referent: nonperson' marks a term that names no person, but {name!r} is "
                "a feature of first names",
                node,
                field,
            )


def _features(
    node: yaml.Node, col: _Collector, catalog: LanguageCatalog, where: str
) -> dict[str, str]:
    """A ``features`` mapping, each name and value checked against the catalogue."""
    if not isinstance(node, yaml.MappingNode):
        col.error("'features' must be a mapping", node, where)
        return {}
    features: dict[str, str] = {}
    for name, (knode, vnode) in _mapping(node, col, where).items():
        value = _scalar(vnode, col, f"{where}.{name}")
        if value is None:
            continue
        allowed = catalog.features.get(name)
        if allowed is None:
            col.error(
                f"unknown feature {name!r} (known: {', '.join(sorted(catalog.features))})",
                knode,
                f"{where}.{name}",
            )
        elif value not in allowed:
            col.error(
                f"unknown value {value!r} for feature {name!r} (known: {', '.join(allowed)})",
                vnode,
                f"{where}.{name}",
            )
        features[name] = value
    return features


def load_lexicon(path: str | Path, catalog: LanguageCatalog | None = None) -> Lexicon:
    """Load one lexicon file, raising :class:`LexiconError` at its first error."""
    lexicon, problems = parse_lexicon(path, catalog)
    errors = [p for p in problems if p.severity == "error"]
    if errors or lexicon is None:
        first = errors[0]
        raise LexiconError(first.message, first.location)
    return lexicon
