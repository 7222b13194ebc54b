"""Find lexicon terms in text in one left-to-right pass: longest match first, multi-word
terms as units, never inside another word.

All surface forms are compiled into a single regular expression shaped like a trie
(``h(?:e(?:rs?|rself)?|i(?:m|s))``), so the scan runs in the regex engine's C loop and
Python only touches the few spans that matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from .types import Candidate, Match


def normalize_key(surface: str) -> str:
    """Lookup key of a surface form: case-folded with runs of whitespace collapsed."""
    key = surface.casefold()
    return " ".join(key.split()) if " " in key or not key.isalnum() else key


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            atom = r"\s+" if ch == " " else re.escape(ch)
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # the word may stop here: try the longer continuation first (greedy)
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(trie)


def _ascii_safe(key: str) -> bool:
    """Whether no character of ``key`` matches an ASCII letter only through IGNORECASE
    (like ``ı`` ~ ``i``), so lower-casing ASCII text can replace that flag."""
    return all(
        ch.isascii()
        or not any(re.fullmatch(re.escape(ch), chr(i), re.IGNORECASE) for i in range(128))
        for ch in key
    )


class TermMatcher:
    """Matches a fixed vocabulary of terms (and blocking exclusion phrases) in text.

    ``terms`` maps each surface form to its candidate readings; ``exclusions`` are phrases
    that consume their span without producing an edit (so *tiếng Anh* hides *Anh*).
    ``accept`` may veto a match in context (e.g. names must be capitalised).
    """

    def __init__(
        self,
        terms: Mapping[str, tuple[Candidate, ...]],
        exclusions: Iterable[str] = (),
        *,
        accept: Callable[[str, int, int, tuple[Candidate, ...]], bool] | None = None,
    ) -> None:
        self._table: dict[str, tuple[Candidate, ...]] = {}
        for surface, cands in terms.items():
            key = normalize_key(surface)
            self._table[key] = self._table.get(key, ()) + tuple(
                c for c in cands if c not in self._table.get(key, ())
            )
        for phrase in exclusions:
            self._table[normalize_key(phrase)] = ()
        self._groups = {k: frozenset(c.group for c in v) for k, v in self._table.items()}
        self._accept = accept
        keys = sorted(self._table)
        self._ascii_regex: re.Pattern[str] | None = None
        if keys:
            body = _trie_pattern(keys)
            self._regex: re.Pattern[str] | None = re.compile(
                r"(?<!\w)(?:" + body + r")(?!\w)", re.IGNORECASE
            )
            if all(_ascii_safe(k) for k in keys):
                # Same matches on ASCII text, about 1.7x faster: case-sensitive on lower().
                self._ascii_regex = re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")
        else:
            self._regex = None

    def __len__(self) -> int:
        return len(self._table)

    def find(self, text: str) -> list[Match]:
        """All non-overlapping matches, left to right, each the longest possible at its start."""
        if self._regex is None:
            return []
        out: list[Match] = []
        table = self._table
        groups = self._groups
        accept = self._accept
        fast = self._ascii_regex is not None and text.isascii()
        found = self._ascii_regex.finditer(text.lower()) if fast else self._regex.finditer(text)
        for m in found:
            start, end = m.span()
            surface = text[start:end]
            key = m.group() if fast else surface.casefold()
            cands = table.get(key)
            if cands is None:  # multi-word terms: collapse the whitespace between words
                key = normalize_key(surface)
                cands = table.get(key)
            if cands is None:  # case-folding quirk (e.g. ß) that the regex allowed
                continue
            if cands and accept is not None and not accept(text, start, end, cands):
                continue
            out.append(Match(start, end, surface, cands, groups[key]))
        return out
