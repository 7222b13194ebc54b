"""Group fillers for template slots: the forms each group of an axis puts into ``{person}``,
``{descriptor}``, ``{pronoun}`` and ``{name}``, with the features (case, number, gender) a
slot asks for.

Identity axes read the axis lexicons (``lexicons/<lang>/<axis>.yaml``), less the entries
that name no person (``referent: nonperson``: *Islam*, *atheism*); gender reads the
suite folder's ``_groups.yaml`` so built-in suites do not depend on how the gender lexicons
are written; names come from the ``names`` axis (or name entries of the gender axis).
"""

from __future__ import annotations

import operator
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .._yaml import yaml_error
from ..errors import InputError, Location, UnsupportedError
from ..lexicons.registry import load_lexicons

SUITES_DIR = Path(__file__).resolve().parent / "suites"
GROUP_SLOTS = ("person", "descriptor", "pronoun", "name")
SLOT_OF_POS = {"noun": "person", "phrase": "person", "adj": "descriptor", "pron": "pronoun",
               "name": "name"}
# languages whose descriptor follows the head noun (người Mỹ, not Mỹ người)
HEAD_FIRST = frozenset({"vi"})


@dataclass(frozen=True)
class Form:
    """One fillable form: its text, the features it carries and where it came from."""

    text: str
    features: Mapping[str, str] = field(default_factory=dict)
    entry: str | None = None
    lexicon: str | None = None

    def fits(self, wanted: Mapping[str, str]) -> int | None:
        """How many wanted features this form matches; None if one it carries conflicts."""
        score = 0
        for key, value in wanted.items():
            have = self.features.get(key)
            if have is None:
                continue
            if have != value:
                return None
            score += 1
        return score


@dataclass(frozen=True)
class AxisFillers:
    """Forms per group and slot for one language and axis, plus head nouns for composing."""

    lang: str
    axis: str
    groups: tuple[str, ...]
    slots: Mapping[str, Mapping[str, tuple[Form, ...]]]  # group -> slot -> forms
    genders: Mapping[str, str] = field(default_factory=dict)  # group -> grammatical gender
    heads: tuple[Form, ...] = ()
    sources: tuple[str, ...] = ()

    def has(self, group: str, slot: str) -> bool:
        return bool(self.slots.get(group, {}).get(slot)) or (
            slot == "person" and bool(self.heads) and self.has(group, "descriptor"))

    def pick(self, group: str, slot: str, wanted: Mapping[str, str], *,
             compose: bool = False) -> Form | None:
        """The best form of ``group`` for ``slot`` with ``wanted`` features (None if none fits).

        ``{person}`` on an axis without person nouns is composed from the descriptor and a
        head noun of the language (*Muslim person*, *người trẻ*); ``compose=True`` composes
        it even when the group has a person noun (see :meth:`compose_person`).
        """
        best = None if compose and slot == "person" else _best(
            self.slots.get(group, {}).get(slot, ()), wanted)
        if best is not None or slot != "person" or not self.heads:
            return best
        adj = _best(self.slots.get(group, {}).get("descriptor", ()), wanted)
        head = _best(self.heads, wanted)
        if adj is None or head is None:
            return None
        text = f"{head.text} {adj.text}" if self.lang in HEAD_FIRST else f"{adj.text} {head.text}"
        return Form(text, {**head.features, **adj.features}, adj.entry, adj.lexicon)

    def compose_person(self, groups: Iterable[str], wanted: Mapping[str, str]) -> bool:
        """Whether ``{person}`` should be composed (descriptor + head) for *every* group.

        A cluster must use one construction for all its variants: when some group has a
        person noun for ``wanted`` (*Americans*) and another has none, or a lexicon noun
        that is itself descriptor + head (*Chinese people*), the variants would differ in
        construction and length as well as in group. So when any group's person form is
        (or equals) the composition and every group can be composed, all are composed
        (*American people* ... *Chinese people*); otherwise the person nouns are used.
        """
        if not self.heads:
            return False
        composed_any = False
        for g in groups:
            composed = self.pick(g, "person", wanted, compose=True)
            if composed is None:
                return False
            direct = _best(self.slots.get(g, {}).get("person", ()), wanted)
            if direct is None or direct.text.casefold() == composed.text.casefold():
                composed_any = True
        return composed_any


def _best(forms: Iterable[Form], wanted: Mapping[str, str]) -> Form | None:
    best, best_score = None, -1
    for form in forms:
        score = form.fits(wanted)
        if score is not None and score > best_score:
            best, best_score = form, score
    return best


def _forms_from_entries(entries, lexset, slot_of=SLOT_OF_POS):
    """Forms per group and slot from lexicon entries. An entry that names no person
    (``referent: nonperson``: the religion itself, *Islam*, *atheism*) fills no slot: a
    template slot always stands for a person (*I'm {person:indef}.*)."""
    slots: dict[str, dict[str, list[Form]]] = {}
    for entry in entries:
        slot = slot_of.get(entry.pos or "noun")
        if slot is None or not entry.names_person:
            continue
        label = lexset.lexicon_of(entry)
        for group in entry.forms:
            text = entry.output(group)
            if text:
                slots.setdefault(group, {}).setdefault(slot, []).append(
                    Form(text, dict(entry.features), entry.id, label))
    return slots


@lru_cache(maxsize=16)
def _groups_file(lang: str) -> dict:
    path = SUITES_DIR / lang / "_groups.yaml"
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        message, line = yaml_error(exc, text)
        raise InputError(message, Location(path, line)) from None
    data["_path"] = str(path)
    return data


def _table_forms(rows: list, path: str, where: str) -> dict[str, dict[str, list[Form]]]:
    """Rows ``{features: {...}, forms: {group: text}}`` of a ``_groups.yaml`` slot table."""
    out: dict[str, list[Form]] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("forms"), dict):
            raise InputError("a row needs 'forms'", Location(path, None, f"{where}[{i}]"))
        feats = {k: str(v) for k, v in (row.get("features") or {}).items()}
        for group, text in row["forms"].items():
            form = Form(str(text), feats, f"{where}[{i}]", "suite-groups")
            out.setdefault(group, []).append(form)
    return out


def heads_for(lang: str) -> tuple[Form, ...]:
    """Head nouns (person/people, người...) used to compose ``{person}`` from a descriptor."""
    data = _groups_file(lang)
    return tuple(Form(str(r["form"]), {k: str(v) for k, v in (r.get("features") or {}).items()},
                      "head", "suite-groups") for r in data.get("heads", []))


def axis_fillers(lang: str, axis: str, lexicon_paths: tuple[str, ...] = ()) -> AxisFillers:
    """Fillers for ``axis`` in ``lang`` (raises UnsupportedError when there are none)."""
    if axis == "gender":
        data = _groups_file(lang)
        spec = data.get("gender")
        if not spec:
            raise UnsupportedError(f"no gender fillers for {lang!r} (suites/{lang}/_groups.yaml)",
                                   argument="lang")
        path = data["_path"]
        slots: dict[str, dict[str, list[Form]]] = {}
        for slot, rows in (spec.get("slots") or {}).items():
            for group, forms in _table_forms(rows, path, f"gender.slots.{slot}").items():
                slots.setdefault(group, {})[slot] = forms
        groups = tuple(spec["groups"])
        _add_names(slots, lang, groups, lexicon_paths)
        return AxisFillers(lang, axis, groups, _freeze(slots),
                           {g: str(v) for g, v in (spec.get("genders") or {}).items()},
                           (), (f"suites/{lang}/_groups.yaml",))
    if axis == "names":
        pool = names_by_group(lang, lexicon_paths=lexicon_paths)
        if not pool:
            raise UnsupportedError(f"no first names for language {lang!r}", argument="lang")
        genders = {"male": "m", "female": "f"}
        return AxisFillers(lang, axis, tuple(pool), {g: {"name": f} for g, f in pool.items()},
                           {g: genders[g] for g in pool if g in genders}, (),
                           tuple(sorted({f.lexicon or "" for fs in pool.values() for f in fs})))
    lexset = load_lexicons(lang, axis, lexicon_paths=lexicon_paths)
    slots = _forms_from_entries(lexset.entries, lexset)
    return AxisFillers(lang, axis, lexset.groups, _freeze(slots), {}, heads_for(lang),
                       tuple(lx.label for lx in lexset.lexicons))


def _add_names(slots, lang: str, groups: tuple[str, ...], lexicon_paths) -> None:
    pool = names_by_group(lang, lexicon_paths=lexicon_paths)
    for group in groups:
        if pool.get(group):
            slots.setdefault(group, {})["name"] = list(pool[group])


def _freeze(slots) -> dict[str, dict[str, tuple[Form, ...]]]:
    return {g: {s: tuple(f) for s, f in by_slot.items()} for g, by_slot in slots.items()}


def names_by_group(
    lang: str, *, lexicon_paths: Iterable[str | Path] = ()
) -> dict[str, tuple[Form, ...]]:
    """First names per group from the ``names`` axis, else from name entries of ``gender``.

    Pairs marked ``pairing: rank`` (two names paired only so that each has a counterpart,
    e.g. *Peter*/*Roksana*) are left out while matched pairs remain: a cluster's variants
    take a pair's two names, and they should differ in gender, not also in origin or rarity.
    """
    lexicon_paths = tuple(lexicon_paths)
    for axis in ("names", "gender"):
        try:
            lexset = load_lexicons(lang, axis, lexicon_paths=lexicon_paths)
        except UnsupportedError:
            continue
        # (a middle or family name such as Vietnamese Văn/Thị is no first name on its own)
        names = [
            e
            for e in lexset.entries
            if e.pos == "name"
            and e.features.get("name_part", "given") == "given"
            and e.names_person
        ]
        names = [e for e in names if e.features.get("pairing") != "rank"] or names
        if not names:
            continue
        out: dict[str, list[Form]] = {}
        for e in names:
            for group in e.forms:
                text = e.output(group)
                if text and " " not in text:
                    out.setdefault(group, []).append(
                        Form(text, dict(e.features), e.id, lexset.lexicon_of(e)))
        return {g: tuple(sorted(v, key=lambda f: f.text)) for g, v in out.items()}
    return {}


def sample_names(
    lang: str, groups: Iterable[str], k: int, *, seed: int = 0,
    lexicon_paths: Iterable[str | Path] = (),
) -> dict[str, list[str]]:
    """``k`` names per group drawn without replacement with ``random.Random(seed)``.

    The same seed and lexicons give the same names, so a name-based probe set is reproducible.
    Asking for more names than a group has raises :class:`UnsupportedError` saying how many
    there are (nothing is cut short silently).
    """
    try:
        count = operator.index(k)
    except TypeError:
        count = -1
    if isinstance(k, bool) or count < 0:
        raise ValueError(f"k must be a non-negative integer, got {k!r}")
    k = count
    rng = random.Random(seed)
    pool = names_by_group(lang, lexicon_paths=lexicon_paths)
    groups = list(groups)
    found: dict[str, list[str]] = {}
    for group in groups:
        names = [f.text for f in pool.get(group, ())]
        if not names:
            raise UnsupportedError(f"no {group!r} names for language {lang!r}")
        found[group] = names
    short = {g: len(v) for g, v in found.items() if len(v) < k}
    if short:
        counts = ", ".join(f"{n} {g!r}" for g, n in short.items())
        raise UnsupportedError(f"asked for k={k} names per group, but language {lang!r} has "
                               f"only {counts} names; use k <= {min(short.values())} or add "
                               "names with lexicon_paths", argument="k")
    out: dict[str, list[str]] = {}
    for group in groups:  # in the caller's order, repeats included, as the seed has always run
        out[group] = rng.sample(found[group], k)
    return out
