"""Polish morphology for the counterfactual grammar: Morfeusz 2 (SGJP) analysis and generation.

Morfeusz is imported lazily, when a Polish grammar is built, so the rest of biasaudit works
without it; a missing install raises :class:`~biasaudit.errors.MissingExtraError` naming the
``pl`` extra. Every analysis is cached per word and every paradigm per lemma (most text
repeats a few thousand words), which is what makes the grammar fast enough for batch audits.

Tags follow the NKJP tagset: ``subst:sg:gen.acc:m1`` (noun, singular, genitive or accusative,
masculine personal); ``.`` separates alternatives. Genders: ``m1`` masculine personal, ``m2``
animate, ``m3`` inanimate, ``f``, ``n``. Cases: nom gen dat acc inst loc voc.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import require

# Which tag field holds number, case and gender, per part of speech (None: no such field).
_FIELDS: dict[str, tuple[int | None, int | None, int | None]] = {
    "subst": (1, 2, 3),
    "depr": (1, 2, 3),
    "adj": (1, 2, 3),
    "ppas": (1, 2, 3),
    "pact": (1, 2, 3),
    "ppron3": (1, 2, 3),
    "ppron12": (1, 2, 3),
    "num": (1, 2, 3),
    "praet": (1, None, 2),
    "winien": (1, None, 2),
    "prep": (None, 1, None),
    "fin": (1, None, None),
    "bedzie": (1, None, None),
    "impt": (1, None, None),
    "aglt": (1, None, None),
    "siebie": (None, 1, None),
}
_NONE: frozenset[str] = frozenset()
# Qualifiers of forms the grammar never writes (archaic, rare, colloquial, regional).
_AVOID = ("daw.", "rzad.", "pot.", "reg.", "przest.", "książk.", "gwar.", "poet.")
# Qualifiers of forms that are still standard predicates (*ukończył* is SGJP's "książk.",
# bookish, yet the everyday verb for finishing school).
STANDARD_QUALIFIERS = frozenset({"książk."})


@dataclass(frozen=True, slots=True)
class Reading:
    """One interpretation of a word: lemma, part of speech and its grammatical categories.

    ``rest`` is what follows this segment inside the same word (``by`` in *zrobiłby*, ``em``
    in *poszedłem*); ``person`` is ``pri``/``sec`` when that rest is a person agglutinate, so
    the form is first or second person (a speaker's or addressee's gender, out of scope).
    """

    orth: str
    lemma: str
    pos: str
    tag: tuple[str, ...]
    number: frozenset[str]
    case: frozenset[str]
    gender: frozenset[str]
    names: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    rest: str = ""
    person: str | None = None

    @property
    def standard(self) -> bool:
        """No qualifier, or only one of :data:`STANDARD_QUALIFIERS`."""
        return all(q in STANDARD_QUALIFIERS for q in self.qualifiers)

    @property
    def base(self) -> str:
        """The lemma without SGJP's homonym marker (``on:S`` → ``on``)."""
        return self.lemma.split(":", 1)[0]


def _fields(parts: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    idx = _FIELDS.get(parts[0])
    if idx is None:
        return _NONE, _NONE, _NONE
    out = []
    for i in idx:
        out.append(frozenset(parts[i].split(".")) if i is not None and i < len(parts) else _NONE)
    return out[0], out[1], out[2]


def make_reading(orth: str, lemma: str, tag: str, names: Any = (), quals: Any = (),
                 rest: str = "", person: str | None = None) -> Reading:
    """A :class:`Reading` from Morfeusz's fields."""
    parts = tuple(tag.split(":"))
    number, case, gender = _fields(parts)
    return Reading(orth, lemma, parts[0], parts, number, case, gender,
                   tuple(names or ()), tuple(quals or ()), rest, person)


class Morph:
    """Cached Morfeusz 2 analysis and generation (one dictionary instance per process)."""

    def __init__(self) -> None:
        module = require("morfeusz2", extra="pl", purpose="Polish counterfactuals")
        self._m = _instance(module)
        self.analyse = lru_cache(maxsize=200_000)(self._analyse)
        self.paradigm = lru_cache(maxsize=50_000)(self._paradigm)
        self.inflect = lru_cache(maxsize=100_000)(self._inflect)

    def _analyse(self, word: str) -> tuple[Reading, ...]:
        """Readings of one word (no spaces). Multi-segment words (*zrobiłby* = *zrobił*+*by*)
        give the first segment's readings with the rest of the word attached."""
        edges = self._m.analyse(word)
        if not edges:
            return ()
        final = max(e[1] for e in edges)
        by_start: dict[int, list] = {}
        for e in edges:
            by_start.setdefault(e[0], []).append(e)
        out: list[Reading] = []
        for _start, end, (orth, lemma, tag, names, quals) in by_start.get(0, ()):
            if tag == "ign":
                continue
            rest, person, node = "", None, end
            while node != final and node in by_start:
                nxt = by_start[node][0]
                rest += nxt[2][0]
                if nxt[2][2].startswith("aglt"):
                    person = nxt[2][2].split(":")[2]
                node = nxt[1]
            out.append(make_reading(orth, lemma, tag, names, quals, rest, person))
        return tuple(out)

    def _paradigm(self, lemma: str) -> tuple[Reading, ...]:
        """Every form of ``lemma`` (a Morfeusz lemma, homonym marker allowed)."""
        try:
            forms = self._m.generate(lemma)
        except Exception:
            return ()
        return tuple(make_reading(f[0], f[1], f[2], f[3], f[4]) for f in forms)

    def _inflect(self, lemma: str, pos: str, number: str | None, case: str | None,
                gender: str, like: Reading | None = None, hint: str = "") -> str | None:
        """The form of ``lemma`` with part of speech ``pos``, one number, case and gender.

        ``like`` supplies the other tag fields (degree, aspect, negation) to keep; forms
        with avoid-qualifiers (archaic, colloquial) come last; among equals, the form
        closest to ``hint`` (the source word) wins, so *swojego* gives *swojej*, not *swej*.
        """
        best: tuple[int, int, int, str] | None = None
        for r in self.paradigm(lemma):
            if r.pos != pos or gender not in r.gender:
                continue
            if number is not None and number not in r.number:
                continue
            if case is not None and r.case and case not in r.case:
                continue
            penalty = 0
            if like is not None:
                for i, value in enumerate(like.tag):
                    if i == 0 or i >= len(r.tag):
                        continue
                    if i in _FIELDS.get(pos, ()):
                        continue
                    if not set(value.split(".")) & set(r.tag[i].split(".")):
                        penalty += 10
                if len(r.tag) > len(like.tag):
                    extra = r.tag[len(like.tag):]
                    penalty += 0 if extra in (("nagl",), ()) else 5
            if any(q in ",".join(r.qualifiers) for q in _AVOID):
                penalty += 3
            key = (penalty, -_common_prefix(hint, r.orth), -len(r.orth), r.orth)
            if best is None or key < best:
                best = key
        return best[3] if best else None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


@lru_cache(maxsize=4)
def _instance(module: Any) -> Any:
    """One Morfeusz instance per imported module (loading the dictionary takes ~50 ms)."""
    return module.Morfeusz()
