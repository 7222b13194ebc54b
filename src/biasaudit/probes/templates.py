"""Template suites: sentences with slots, filled per group to make probe clusters.

A slot is ``{name}`` or ``{name:feat,feat}``: ``{person:ins}`` asks for the instrumental,
``{descriptor:pl}`` for the plural, ``{person:indef}`` (English) adds *a*/*an*,
``{occupation:agree}`` picks the occupation form that agrees with the person's gender,
``{person:pred}`` (Norwegian) is a predicative complement that takes the indefinite article
only when the filler has a modifier (*Jeg er amerikaner*, *Jeg er en ung person*), and
``{g:pracował|pracowała}`` writes the masculine or feminine alternative. See docs/probes.md.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .._yaml import yaml_error
from ..core.types import Edit
from ..errors import InputError, Location, UnsupportedError, read_utf8
from ..lexicons.languages import LanguageCatalog
from .fillers import GROUP_SLOTS, SUITES_DIR, AxisFillers, Form
from .model import Cluster, Variant

SUITE_FORMAT = "biasaudit-suite/1"
SLOT_RE = re.compile(r"\{([a-z_]+)(?::([^{}]*))?\}")
EXTRA_FLAGS = frozenset({"agree", "indef", "pred"})
ARTICLE_LANGS = frozenset({"en"})
# {person:pred}: the indefinite article (masculine, feminine) before a modified predicative
# noun; a bare noun of nationality, religion or occupation after være/vere takes none.
PRED_ARTICLES = {"nb": ("en", "en"), "nn": ("ein", "ei")}
DEFAULTS = {"case": "nom", "number": "sg"}


@dataclass(frozen=True)
class Slot:
    """One placeholder of a template: its name, the features it asks for and its span."""

    name: str
    features: Mapping[str, str]
    flags: frozenset[str]
    start: int
    end: int
    raw: str
    choices: tuple[str, ...] = ()  # for {g:masc|fem}


@dataclass(frozen=True)
class Template:
    """A sentence with slots; ``line`` is where it is defined in its suite file."""

    id: str
    text: str
    slots: tuple[Slot, ...]
    line: int | None = None

    @property
    def group_slots(self) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.name in GROUP_SLOTS)


@dataclass(frozen=True)
class SlotFiller:
    """A value of a non-group slot (an occupation...): forms keyed by feature values."""

    id: str
    forms: Mapping[str, str]

    def form(self, wanted: set[str]) -> str:
        """The form whose key (``nom``, ``m``, ``ins.f``) matches most wanted features."""
        best, best_score = next(iter(self.forms.values())), -1
        for key, text in self.forms.items():
            parts = set(key.split(".")) if key != "base" else set()
            if parts <= wanted and len(parts) > best_score:
                best, best_score = text, len(parts)
        return best


@dataclass(frozen=True)
class Suite:
    """A template suite for one language (file ``suites/<lang>/<name>.yaml``)."""

    name: str
    lang: str
    description: str
    templates: tuple[Template, ...]
    slots: Mapping[str, tuple[SlotFiller, ...]]
    genders: tuple[str | None, ...] = (None,)
    source: str | None = None
    licence: str | None = None
    path: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


def parse_template(text: str, known: set[str], catalog: LanguageCatalog,
                   where: Location) -> tuple[Slot, ...]:
    """The slots of ``text``; raises InputError naming the bad slot."""
    values = {v: k for k, vs in catalog.features.items() for v in vs}
    slots = []
    for m in SLOT_RE.finditer(text):
        name, spec = m.group(1), m.group(2) or ""
        if name == "g":
            choices = tuple(spec.split("|"))
            if len(choices) != 2:
                raise InputError(f"{m.group()!r}: write {{g:masculine|feminine}}", where)
            slots.append(Slot("g", {}, frozenset(), m.start(), m.end(), m.group(), choices))
            continue
        if name not in known:
            raise InputError(f"unknown slot {{{name}}} (known: {', '.join(sorted(known))})",
                             where)
        feats: dict[str, str] = {}
        flags = set()
        for part in filter(None, (p.strip() for p in spec.split(","))):
            if part in EXTRA_FLAGS:
                flags.add(part)
            elif part in values:
                feats[values[part]] = part
            else:
                raise InputError(f"unknown feature {part!r} in {m.group()!r}", where)
        slots.append(Slot(name, feats, frozenset(flags), m.start(), m.end(), m.group()))
    return tuple(slots)


def load_suite(path: str | Path) -> Suite:
    """Read and check one suite file; errors name the file, line and field."""
    path = Path(path)
    return _load_suite(str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0)


@lru_cache(maxsize=64)
def _load_suite(path_str: str, _mtime: float) -> Suite:
    path = Path(path_str)
    text = read_utf8(path, "suite")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        message, line = yaml_error(exc, text)
        raise InputError(message, Location(path, line)) from None
    if not isinstance(root, yaml.MappingNode):
        raise InputError("a suite file must be a mapping", Location(path, 1))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    nodes = {k.value: v for k, v in root.value}
    for key in ("format", "name", "language", "templates"):
        if key not in data:
            raise InputError(f"missing required key {key!r}", Location(path, 1, key))
    if data["format"] != SUITE_FORMAT:
        raise InputError(f"unsupported format {data['format']!r}; expected {SUITE_FORMAT!r}",
                         Location(path, nodes["format"].start_mark.line + 1, "format"))
    slots: dict[str, tuple[SlotFiller, ...]] = {}
    for name, fillers in (data.get("slots") or {}).items():
        items = []
        for i, f in enumerate(fillers or []):
            if isinstance(f, str):
                items.append(SlotFiller(f, {"base": f}))
            elif isinstance(f, dict) and isinstance(f.get("forms"), dict) and f["forms"]:
                items.append(SlotFiller(str(f.get("id", i)),
                                        {str(k): str(v) for k, v in f["forms"].items()}))
            else:
                raise InputError("a slot filler is a string or {id, forms: {...}}",
                                 Location(path, None, f"slots.{name}[{i}]"))
        if not items:
            raise InputError("slot has no fillers", Location(path, None, f"slots.{name}"))
        slots[name] = tuple(items)
    catalog = LanguageCatalog.builtin()
    known = set(GROUP_SLOTS) | set(slots)
    templates = []
    seen: set[str] = set()
    tnodes = nodes["templates"]
    if not isinstance(tnodes, yaml.SequenceNode):
        raise InputError("'templates' must be a list", Location(path, None, "templates"))
    for i, (tdata, tnode) in enumerate(zip(data["templates"], tnodes.value)):
        line = tnode.start_mark.line + 1
        where = Location(path, line, f"templates[{i}].text")
        if isinstance(tdata, str):
            tdata = {"id": f"t{i + 1:02d}", "text": tdata}
        if not isinstance(tdata, dict) or not isinstance(tdata.get("text"), str):
            raise InputError("a template is a string or {id, text}", where)
        tid = str(tdata.get("id", f"t{i + 1:02d}"))
        if tid in seen:
            raise InputError(f"template id {tid!r} used twice", Location(path, line, "id"))
        seen.add(tid)
        text = tdata["text"]
        templates.append(Template(tid, text, parse_template(text, known, catalog, where), line))
    genders = tuple(data.get("genders") or (None,))
    return Suite(
        name=str(data["name"]), lang=catalog.canonical(str(data["language"])),
        description=str(data.get("description", "")), templates=tuple(templates), slots=slots,
        genders=genders, source=data.get("source"), licence=data.get("licence"),
        path=str(path),
    )


def suite_paths(lang: str | None = None) -> list[Path]:
    """Built-in suite files (``suites/<lang>/<name>.yaml``), sorted."""
    pattern = f"{lang}/*.yaml" if lang else "*/*.yaml"
    return sorted(p for p in SUITES_DIR.glob(pattern) if not p.name.startswith("_"))


def find_suite(name: str | Path, lang: str) -> Suite:
    """A built-in suite by name for ``lang``, or a suite file by path (a name ending in
    ``.yaml`` or ``.yml`` is a path: a missing file is an error, not a suite name)."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml"):
        if not path.is_file():
            raise InputError("no such suite file", Location(path))
        return load_suite(path)
    candidate = SUITES_DIR / lang / f"{name}.yaml"
    if not candidate.is_file():
        known = sorted({p.stem for p in suite_paths(lang)})
        if not known:
            raise no_suites_error(lang)
        raise UnsupportedError(f"no suite {str(name)!r} for language {lang!r}; "
                               f"known: {', '.join(known)}", argument="suite")
    return load_suite(candidate)


def no_suites_error(lang: str) -> UnsupportedError:
    """The error for a language with no built-in suites: unknown, or known without suites;
    it names the languages that have some, and the aliases."""
    catalog = LanguageCatalog.builtin()
    code = catalog.canonical(lang)
    with_suites = sorted({p.parent.name for p in suite_paths()})
    what = "no built-in suites for" if catalog.knows(code) else "unknown"
    aliases = ", ".join(f"{a}={c}" for a, c in sorted(catalog.aliases.items()))
    return UnsupportedError(f"{what} language {lang!r}; languages with built-in suites: "
                            f"{', '.join(with_suites)} (aliases: {aliases})", argument="lang")


# -- rendering ----------------------------------------------------------------------------
def _article(word: str) -> str:
    from ..languages.english import takes_an  # (the English grammar's rule: a Ukrainian)

    return ("an " if takes_an(word) else "a ") + word


_PL_VOCALISED = re.compile(r"(?<!\w)([zZwW]) $")


def _polish_preposition(source: str, start: int, new: str) -> list[Edit]:
    """*z*/*w* before a slot become *ze*/*we* when the filled word starts with a cluster
    that needs the vowel (*ze starszym*, *we wtorek*): the preposition follows the word."""
    m = _PL_VOCALISED.search(source, max(0, start - 3), start)
    if not m:
        return []
    prep, first, second = m.group(1), new[:1].lower(), new[1:2].lower()
    same = "szśźż" if prep.lower() == "z" else "wf"
    vowel = first in same and second not in "aąeęioóuy"
    # (an edit in every variant, if only z -> z, keeps the variants' edited spans aligned)
    return [Edit(m.start(1), m.end(1), prep, prep + "e" if vowel else prep, "agree", None, None)]


def _predicative(lang: str, text: str, gender: str | None) -> str:
    """A Norwegian predicative complement: *amerikaner* stays bare (a classifying noun after
    *være* takes no article; *Jeg er en amerikaner* is marked), a modified noun phrase takes
    the indefinite article (*en ung person*, Nynorsk *ei ung kvinne* for a feminine head)."""
    articles = PRED_ARTICLES.get(lang)
    if articles is None or " " not in text.strip():
        return text
    return f"{articles[1] if gender == 'f' else articles[0]} {text}"


def _pick_name(fillers: Any, group: str, picked: dict, rng: random.Random) -> Any:
    """A first name for ``group``: the counterpart of a name already drawn for another
    group of the cluster when the lexicon pairs them (*Jan* and *Janina*), so the
    variants differ in gender only, not also in the names' origin; else a random one."""
    pool = fillers.slots.get(group, {}).get("name", ())
    entries = {f.entry for f in picked.values() if f is not None}
    paired = [f for f in pool if f.entry in entries]
    if paired:
        return paired[0]
    return rng.choice(pool) if pool else None


def _capitalise_at(text: str, start: int, value: str) -> str:
    before = text[:start].rstrip(" \"'“(")
    if (not before or before[-1] in ".!?") and value[:1].islower():
        return value[0].upper() + value[1:]
    return value


def template_usable(template: Template, fillers: AxisFillers) -> bool:
    """Whether every group slot of ``template`` can be filled for every group of the axis."""
    if any(s.name == "name" and s.features.get("number") == "pl" for s in template.slots):
        return False
    return all(fillers.has(g, s.name) for s in template.group_slots for g in fillers.groups)


def expand(
    suite: Suite, fillers: AxisFillers, *, rng: random.Random,
    groups: tuple[str, ...] | None = None,
) -> tuple[list[Cluster], dict[str, int]]:
    """Every cluster of ``suite`` for the axis of ``fillers``, plus counts of skipped parts.

    One cluster per template, combination of non-group slot fillers and (for identity axes
    in gendered languages) grammatical gender of the person; one variant per group.
    """
    groups = groups or fillers.groups
    per_group_gender = fillers.axis in ("gender", "names")
    genders = (None,) if per_group_gender else suite.genders
    clusters: list[Cluster] = []
    skipped = 0
    unfillable = 0
    for t in suite.templates:
        if not template_usable(t, fillers):
            skipped += 1
            continue
        fixed_names = sorted({s.name for s in t.slots if s.name in suite.slots})
        combos = itertools.product(*(suite.slots[n] for n in fixed_names))
        for combo in combos:
            chosen = dict(zip(fixed_names, combo))
            for gender in genders:
                cluster = _render_cluster(suite, t, fillers, groups, chosen, gender, rng,
                                          per_group_gender)
                if cluster is None:
                    unfillable += 1
                else:
                    clusters.append(cluster)
    return clusters, {"templates_skipped": skipped, "clusters_unfillable": unfillable}


def _render_cluster(suite, t: Template, fillers: AxisFillers, groups, chosen, gender, rng,
                    per_group_gender: bool) -> Cluster | None:
    # 1. the source: fixed slots filled, group-dependent slots left as placeholders
    depends = [s for s in t.slots if s.name in GROUP_SLOTS or s.name == "g"
               or (per_group_gender and "agree" in s.flags)]
    depend_ids = {id(s) for s in depends}
    parts, pos, spans = [], 0, []
    for s in t.slots:
        parts.append(t.text[pos:s.start])
        offset = sum(len(p) for p in parts)
        if id(s) in depend_ids:
            parts.append(s.raw)
            spans.append((s, offset, offset + len(s.raw)))
        else:
            agree = {gender} if gender and "agree" in s.flags else set()
            wanted = set(s.features.values()) | agree
            value = chosen[s.name].form(wanted)
            if "indef" in s.flags and suite.lang in ARTICLE_LANGS:
                value = _article(value)
            parts.append(_capitalise_at("".join(parts), offset, value))
        pos = s.end
    parts.append(t.text[pos:])
    source = "".join(parts)

    # 2. one variant per group; {person} uses one construction for the whole cluster
    names_pick: dict[str, Form | None] = {}
    compose = {
        id(s): fillers.compose_person(
            groups, {**DEFAULTS, **s.features, **({"gender": gender} if gender else {})})
        for s, _, _ in spans if s.name == "person" and not per_group_gender
    }
    variants = []
    for group in groups:
        g_gender = fillers.genders.get(group) if per_group_gender else gender
        edits, used = [], []
        for s, start, end in spans:
            if s.name == "g":
                new = s.choices[0] if g_gender != "f" else s.choices[1]
                rule, entry, lexicon = "agree", None, None
            elif s.name in GROUP_SLOTS:
                wanted = {**DEFAULTS, **s.features}
                if g_gender:
                    wanted["gender"] = g_gender
                if s.name == "name":
                    if group not in names_pick:
                        names_pick[group] = _pick_name(fillers, group, names_pick, rng)
                    form = names_pick[group]
                    if form is not None and wanted.get("case", "nom") != "nom":
                        form = None  # names are stored in the nominative only
                else:
                    form = fillers.pick(group, s.name, wanted,
                                        compose=compose.get(id(s), False))
                if form is None:
                    return None
                new = form.text
                if "indef" in s.flags and suite.lang in ARTICLE_LANGS:
                    new = _article(new)
                if "pred" in s.flags:
                    new = _predicative(suite.lang, new, g_gender)
                if s.name == "name":
                    used.append(form.text)
                rule, entry, lexicon = f"slot:{s.name}", form.entry, form.lexicon
            else:  # a fixed slot that agrees with the group's gender
                wanted = set(s.features.values()) | ({g_gender} if g_gender else set())
                new = chosen[s.name].form(wanted)
                rule, entry, lexicon = "agree", chosen[s.name].id, suite.name
            new = _capitalise_at(source, start, new)
            edits.append(Edit(start, end, s.raw, new, rule, entry, lexicon))
            if suite.lang == "pl":
                edits.extend(_polish_preposition(source, start, new))
        edits.sort(key=lambda e: e.start)
        text = _apply(source, edits)
        variants.append(Variant(group, text, tuple(edits), (), tuple(used)))
    fixed = "/".join(f"{k}={v.id}" for k, v in chosen.items())
    cid = "/".join(p for p in (suite.name, t.id, fixed, gender or "") if p)
    meta: dict[str, Any] = {"suite": suite.name, "slots": {k: v.id for k, v in chosen.items()}}
    if gender:
        meta["gender"] = gender
    return Cluster(cid, source, tuple(variants), t.id, meta)


def _apply(source: str, edits: list[Edit]) -> str:
    from ..core.engine import apply_edits

    return apply_edits(source, edits)
