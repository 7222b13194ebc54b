"""Probe suites: sets of texts that differ only in which group they mention.

>>> from biasaudit import probes
>>> ps = probes.build(lang="pl", axis="nationality", suite="descriptors", seed=0)
>>> ps.clusters[0].variants[0].text  # doctest: +SKIP
'Jestem Amerykaninem.'

Sources: built-in template suites (:func:`build` with ``suite=``), the user's texts
(``input=``, via the counterfactual engine) and importers for standard benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, UnsupportedError
from ..lexicons.languages import LanguageCatalog
from ..lexicons.registry import load_lexicons
from .fillers import axis_fillers, names_by_group, sample_names
from .importers import (
    from_bbq,
    from_crows_pairs,
    from_holistic_bias,
    from_winobias,
    from_winogender,
)
from .model import FORMAT, Cluster, ProbeSet, Variant, compute_stats, load, save
from .templates import (
    expand,
    find_suite,
    load_suite,
    no_suites_error,
    suite_paths,
    template_usable,
)
from .texts import from_texts

LANGUAGES = ("en", "pl", "vi", "nb", "nn")
AXES = ("gender", "names", "nationality", "religion", "age", "disability", "orientation")


@dataclass(frozen=True)
class SuiteInfo:
    """A built-in suite in one language: its templates and the clusters per axis it builds."""

    name: str
    lang: str
    description: str
    templates: int
    sizes: dict[str, int] = field(default_factory=dict)
    path: str | None = None


def build_suite(
    suite: str | Path,
    *,
    lang: str,
    axis: str,
    seed: int = 0,
    groups: Sequence[str] | None = None,
    lexicon_paths: Iterable[str | Path] = (),
    name: str | None = None,
) -> ProbeSet:
    """Fill a template suite for ``axis``: one cluster per template and slot filling.

    ``seed`` drives name sampling (``random.Random(seed)``), so the same seed gives the same
    probes; the names used are recorded per variant and in ``metadata['names_used']``.
    """
    code = LanguageCatalog.builtin().canonical(lang)
    spec = find_suite(suite, code)
    if spec.lang != code:
        raise InputError(f"suite is for language {spec.lang!r}, not {code!r}",
                         Location(spec.path, None, "language"))
    fillers = axis_fillers(code, axis, tuple(str(p) for p in lexicon_paths))
    if groups is not None:
        _check_groups(groups, fillers, code, axis, tuple(str(p) for p in lexicon_paths))
    rng = random.Random(seed)
    clusters, counts = expand(spec, fillers, rng=rng, groups=tuple(groups) if groups else None)
    names_used: dict[str, list[str]] = {}
    for c in clusters:
        for v in c.variants:
            for n in v.names_used:
                names_used.setdefault(v.group, [])
                if n not in names_used[v.group]:
                    names_used[v.group].append(n)
    usable = sum(template_usable(t, fillers) for t in spec.templates)
    return ProbeSet(
        name=name or f"{spec.name}-{code}-{axis}",
        lang=code,
        axis=axis,
        clusters=tuple(clusters),
        metadata={"suite": spec.name, "suite_path": Path(spec.path or "").name, "seed": seed,
                  "source": spec.source, "licence": spec.licence,
                  "fillers": list(fillers.sources),
                  "names_used": {g: sorted(v) for g, v in names_used.items()}},
        stats=compute_stats(clusters, templates=len(spec.templates), templates_used=usable,
                            **counts),
    )


def _check_groups(groups: Sequence[str], fillers, lang: str, axis: str,
                  lexicon_paths: tuple[str, ...]) -> None:
    """Raise when a requested group has no fillers. A group that the axis's lexicons know
    (English gender ``neutral``: ``from_texts`` writes it) but the suites' fillers lack is
    named as such, with what to do instead; a group nobody knows is "unknown"."""
    missing = [g for g in dict.fromkeys(groups) if g not in fillers.groups]
    if not missing:
        return
    try:
        lexicon_groups = set(load_lexicons(lang, axis, lexicon_paths=lexicon_paths).groups)
    except UnsupportedError:
        lexicon_groups = set()
    no_fillers = [g for g in missing if g in lexicon_groups]
    unknown = [g for g in missing if g not in lexicon_groups]
    parts = []
    if unknown:
        parts.append(f"unknown group(s) {', '.join(sorted(unknown))} for axis {axis!r}; "
                     f"known: {', '.join(fillers.groups)}")
    if no_fillers:
        names = ", ".join(repr(g) for g in no_fillers)
        where = ", ".join(fillers.sources) or f"the {lang} {axis} fillers"
        parts.append(
            f"the built-in {lang} suites have no {names} variant for axis {axis!r}: their "
            f"templates are filled from {where}, which gives only "
            f"{', '.join(fillers.groups)}. {names} is a group of the {lang} {axis} lexicons, "
            f"written by counterfactuals() and from_texts(): leave it out of groups= for a "
            f"suite, or build probes from your own texts with build(lang={lang!r}, "
            f"axis={axis!r}, input=..., groups=[...])")
    raise UnsupportedError("; ".join(parts), argument="groups")


def build(
    *,
    lang: str,
    axis: str,
    suite: str | Path | None = None,
    input: Any = None,
    text_field: str = "text",
    seed: int = 0,
    groups: Sequence[str] | None = None,
    lexicon_paths: Iterable[str | Path] = (),
    name: str | None = None,
) -> ProbeSet:
    """A probe set from a built-in (or file) template ``suite`` or from the texts in ``input``.

    Exactly one of ``suite`` and ``input`` is given; ``input`` is anything
    :func:`from_texts` accepts (a path, a DataFrame, a ``datasets.Dataset``, a list).
    """
    if (suite is None) == (input is None):
        raise InputError("give exactly one of suite= and input=")
    if suite is not None:
        return build_suite(suite, lang=lang, axis=axis, seed=seed, groups=groups,
                           lexicon_paths=lexicon_paths, name=name)
    return from_texts(input, lang=lang, axis=axis, text_field=text_field, groups=groups,
                      lexicon_paths=lexicon_paths, name=name)


def list_suites(lang: str | None = None, *, axes: Sequence[str] = AXES) -> list[SuiteInfo]:
    """Built-in suites (per language) with the number of clusters each builds per axis.

    ``lang`` may be an alias (``no`` → ``nb``, ``pol`` → ``pl``); a language with no built-in
    suites (an unknown code) raises :class:`UnsupportedError` naming those that have some.
    An axis is left out of ``sizes`` when the language has no lexicon or fillers for it.
    """
    out = []
    code = LanguageCatalog.builtin().canonical(lang) if lang else None
    paths = suite_paths(code)
    if code is not None and not paths:
        raise no_suites_error(lang)
    for path in paths:
        spec = load_suite(path)
        sizes: dict[str, int] = {}
        for axis in axes:
            try:
                sizes[axis] = len(build_suite(path, lang=spec.lang, axis=axis))
            except UnsupportedError:
                continue
        out.append(SuiteInfo(spec.name, spec.lang, spec.description, len(spec.templates),
                             sizes, str(path)))
    return out


__all__ = [
    "AXES",
    "FORMAT",
    "LANGUAGES",
    "Cluster",
    "ProbeSet",
    "SuiteInfo",
    "Variant",
    "build",
    "build_suite",
    "from_bbq",
    "from_crows_pairs",
    "from_holistic_bias",
    "from_texts",
    "from_winobias",
    "from_winogender",
    "list_suites",
    "load",
    "load_suite",
    "names_by_group",
    "sample_names",
    "save",
]
