"""Offsets between a text and its normalised form.

Lexicon forms are stored in NFC, so the engine matches in the grammar's normalisation of
the input (NFC by default). Its edits must still refer to, and keep every unedited
character of, the text it was given, which may be decomposed (NFD: *e* + U+0301 for *é*).
An :class:`Alignment` maps spans of the normalised text back to the original.
"""

from __future__ import annotations

import itertools
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator


class Alignment:
    """Boundaries that a text and its normalised form share, in both coordinates.

    Between two consecutive boundaries lies one cluster: a piece of the original whose
    normalisation is the matching piece of the normalised text (a letter and its marks).
    """

    __slots__ = ("_normalized_bounds", "_original_bounds")

    def __init__(self, normalized_bounds: list[int], original_bounds: list[int]) -> None:
        self._normalized_bounds = normalized_bounds
        self._original_bounds = original_bounds

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """The smallest run of whole clusters around ``[start, end)`` of the normalised
        text: its start and end there, then its start and end in the original."""
        norm, orig = self._normalized_bounds, self._original_bounds
        i = bisect_right(norm, start) - 1
        j = bisect_left(norm, end, lo=i)
        return norm[i], norm[j], orig[i], orig[j]


def align(original: str, normalized: str, normalize: Callable[[str], str]) -> Alignment:
    """The alignment of ``original`` with ``normalized == normalize(original)``.

    Cuts the original before each character that starts a cluster and normalises the
    pieces one by one; if they do not add up to ``normalized`` (a normalisation that
    composes across such a cut), it cuts only before ASCII characters, which nothing
    composes with, and as a last resort takes the whole text as one cluster.
    """
    for starts in (_cluster_starts(original), _ascii_starts(original)):
        normalized_bounds, original_bounds = [0], [0]
        pos = 0
        ok = True
        for a, b in itertools.pairwise([*starts, len(original)]):
            piece = normalize(original[a:b])
            if not normalized.startswith(piece, pos):
                ok = False
                break
            pos += len(piece)
            normalized_bounds.append(pos)
            original_bounds.append(b)
        if ok and pos == len(normalized):
            return Alignment(normalized_bounds, original_bounds)
    return Alignment([0, len(normalized)], [0, len(original)])


def _cluster_starts(text: str) -> Iterator[int]:
    """Offsets of the characters that begin a cluster: not a combining mark, and not a
    Hangul vowel or final consonant (conjoining jamo compose with the letter before)."""
    yield 0
    combining = unicodedata.combining
    for i in range(1, len(text)):
        char = text[i]
        if not combining(char) and not "\u1160" <= char <= "\u11ff":
            yield i


def _ascii_starts(text: str) -> Iterator[int]:
    """Offset 0 and the offsets of ASCII characters (a safe cut for NFC and NFKC)."""
    yield 0
    for i in range(1, len(text)):
        if text[i] < "\x80":
            yield i
