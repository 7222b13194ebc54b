"""Find lexicon terms in text in one left-to-right pass: longest match first, multi-word
terms as units, never inside another word.

All surface forms are compiled into a single regular expression shaped like a trie
(``h(?:e(?:rs?|rself)?|i(?:m|s))``), so the scan runs in the regex engine's C loop and
Python only touches the few spans that matched. Each matched span then costs one dict
lookup (its :class:`_Term`); the grammar's ``accept`` veto is asked only where its answer
is not already known for the term (see ``lowercase_accept``).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from .types import Candidate, Match, new_match

_Accept = Callable[[str, int, int, tuple[Candidate, ...]], bool]
_WORD = re.compile(r"\w+")
_WORD_END = re.compile(r"\w$")


# Invisible characters that sit inside a word: soft hyphen (scraped and PDF text: *man­ager*),
# zero-width non-joiner and joiner, word joiner. (A zero-width space separates words.)
_INVISIBLE_IN_WORD = frozenset("\u00ad\u200c\u200d\u2060")


def _continues_word(char: str) -> bool:
    """Whether ``char`` (one character, or '' at either end of a text) belongs to the word
    next to it although ``\\w`` leaves it out: a combining mark (category M; NFC cannot
    compose every mark into its letter: *s* + U+0300, *e* + U+0331) or an invisible
    in-word character (*man* + soft hyphen + *ager*). A term must not match up to one
    (*countess̀*) or just after one."""
    return bool(char) and (unicodedata.category(char)[0] == "M" or char in _INVISIBLE_IN_WORD)


def normalize_key(surface: str) -> str:
    """Lookup key of a surface form: case-folded with runs of whitespace collapsed."""
    key = surface.casefold()
    return " ".join(key.split()) if " " in key or not key.isalnum() else key


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression (without anchors) matching exactly ``words``, shaped like a trie
    so the regex engine never retries a shared prefix; a space stands for any whitespace."""
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


def _ascii_words(keys: Iterable[str]) -> set[str]:
    """The words (runs of letters, digits and underscores) of the ASCII keys."""
    return {word for key in keys if key.isascii() for word in _WORD.findall(key)}


class _Term(NamedTuple):
    """What the matcher knows about one lookup key, computed once when it is built."""

    candidates: tuple[Candidate, ...]  # empty for an exclusion phrase
    groups: frozenset[str]
    # accept()'s answer for a match written exactly as the key (all lower case), when the
    # grammar declared it fixed (``lowercase_accept``); None: ask accept() for every match
    lowercase: bool | None


class TermMatcher:
    """Matches a fixed vocabulary of terms (and blocking exclusion phrases) in text.

    ``terms`` maps each surface form to its candidate readings; ``exclusions`` are phrases
    that consume their span without producing an edit (so *tiếng Anh* hides *Anh*).
    ``accept`` may veto a match in context (e.g. names must be capitalised).
    ``lowercase_accept``, if given, is asked once per term with its key (lower case) and
    readings: it returns what ``accept`` would answer for every match written exactly as
    the key, and those matches then skip the ``accept`` call (None: the answer depends on
    the context, ask ``accept``). See
    :attr:`Grammar.lowercase_accept_is_lexical <biasaudit.core.grammar.Grammar>`.
    """

    def __init__(
        self,
        terms: Mapping[str, tuple[Candidate, ...]],
        exclusions: Iterable[str] = (),
        *,
        accept: _Accept | None = None,
        lowercase_accept: Callable[[str, tuple[Candidate, ...]], bool | None] | None = None,
    ) -> None:
        table: dict[str, tuple[Candidate, ...]] = {}
        for surface, cands in terms.items():
            key = normalize_key(surface)
            known = table.get(key, ())
            table[key] = known + tuple(c for c in cands if c not in known)
        for phrase in exclusions:
            table[normalize_key(phrase)] = ()
        self._accept = accept
        if accept is None:
            lowercase_accept = None  # nothing to settle
        self._terms: dict[str, _Term] = {}
        for key, cands in table.items():
            lowercase = None
            # (a key may start with a digit or a symbol: only a lower-case letter is settled)
            if cands and lowercase_accept is not None and key[:1].islower():
                settled = lowercase_accept(key, cands)
                lowercase = None if settled is None else bool(settled)
            self._terms[key] = _Term(cands, frozenset(c.group for c in cands), lowercase)
        self._compile()

    def _compile(self) -> None:
        """Build the regular expressions for the keys of ``self._terms``."""
        self._pattern: str | None = None  # for any text, with IGNORECASE
        self._unicode_regex: re.Pattern[str] | None = None  # compiled when first needed
        self._ascii_regex: re.Pattern[str] | None = None  # for lower-cased ASCII text
        self._lead = 0  # characters put in front of the text for the regex (see below)
        if not self._terms:
            return
        keys = sorted(self._terms)
        body = trie_pattern(keys)
        if all(_WORD_END.search(k) for k in keys):
            # A term starts after a non-word character (or at the start of the text). With
            # that character consumed, instead of looked behind for, the regex engine jumps
            # from one non-word character to the next rather than trying every position:
            # about 20% faster. The text gets a space in front (see _scan). This needs
            # every term to end with a word character, so that no match can end with the
            # non-word character the next match starts from.
            self._lead = 1

        def pattern(word: str, nonword: str) -> str:
            """The trie between word boundaries, for a given spelling of \\w and \\W."""
            start = nonword if self._lead else f"(?<!{word})"
            return start + "(?:" + body + ")(?!" + word + ")"

        # (combining marks count as word characters too: _scan drops a match next to one,
        # which costs less than adding the marks to these character classes)
        self._pattern = pattern(r"\w", r"\W")
        if all(_ascii_safe(k) for k in keys):
            # Same matches on ASCII text, about 1.7x faster: case-sensitive on lower(). On
            # ASCII text \w is [a-zA-Z0-9_], which the regex engine tests faster spelt out.
            self._ascii_regex = re.compile(pattern("[a-zA-Z0-9_]", "[^a-zA-Z0-9_]"))

    def _regex(self) -> re.Pattern[str]:
        """The case-insensitive regular expression, for text the ASCII one cannot take."""
        if self._unicode_regex is None:
            assert self._pattern is not None
            self._unicode_regex = re.compile(self._pattern, re.IGNORECASE)
        return self._unicode_regex

    def __len__(self) -> int:
        return len(self._terms)

    def joined(self, words: Iterable[str]) -> TermMatcher | None:
        """This matcher with plain ``words`` added, to find both in one pass over ASCII text;
        None when that pass could find other matches than two separate passes.

        The words have no readings (like the exclusion phrases) and no veto: :meth:`keys`
        reports them as an ``accept``-less ``TermMatcher(dict.fromkeys(words, ()))`` would
        (e.g. an occupation list). Two matches can only overlap where they share a word of
        the text (a run of letters, digits and underscores), and ASCII text can only be
        matched by ASCII keys, letter for letter; so when no ASCII key of this matcher
        shares a word with a word of ``words``, the joined matcher finds on ASCII text
        exactly the matches of the two matchers apart. On other text it may not.
        """
        added = {normalize_key(w): _Term((), frozenset(), None) for w in words}
        keys = [*self._terms, *added]
        if (
            self._ascii_regex is None  # (no case-sensitive pattern for lower-cased text)
            or not all(_ascii_safe(k) for k in added)
            or added.keys() & self._terms.keys()
            or _ascii_words(added) & _ascii_words(self._terms)
            # a term ending with a symbol could overlap another one by that symbol alone
            or not all(_WORD_END.search(k) for k in keys)
        ):
            return None
        joined = copy.copy(self)
        joined._terms = {**self._terms, **added}
        joined._compile()
        return joined

    def groups_of(self, key: str) -> frozenset[str]:
        """The groups of the readings of a lookup key (empty for an exclusion phrase)."""
        return self._terms[key].groups

    def find(self, text: str) -> list[Match]:
        """All non-overlapping matches, left to right, each the longest possible at its start."""
        return self._scan(text, False, True)

    def keys(self, text: str, *, exclusions: bool = True) -> list[str]:
        """The lookup key (:func:`normalize_key` of the matched text) of each match that
        :meth:`find` returns, in order; ``exclusions=False`` leaves out the terms without
        readings (exclusion phrases).

        For counting terms, where building a :class:`Match` per term would be wasted work.
        """
        return self._scan(text, True, exclusions)

    def _scan(self, text: str, keys: bool, exclusions: bool) -> list:
        """The accepted matches as :class:`Match` objects, or only their keys."""
        if self._pattern is None:
            return []
        out: list = []
        terms = self._terms
        accept = self._accept
        lead = self._lead
        fast = self._ascii_regex is not None and text.isascii()
        if fast:  # (keys are sliced from the lower-cased text)
            low = " " + text.lower() if lead else text.lower()
            found = self._ascii_regex.finditer(low)
        else:
            found = self._regex().finditer(" " + text if lead else text)
        for m in found:
            # (with a lead, the match starts with the non-word character before the term,
            # and the text with one character in front: the term's offsets are the same)
            start, end = m.span()
            end -= lead
            if not fast and (_continues_word(text[end : end + 1])
                             or _continues_word(text[start - 1 : start])):
                continue  # a mark or soft hyphen continues the word before or after the term
            surface = text[start:end]
            key = low[start + lead : end + lead] if fast else surface.casefold()
            term = terms.get(key)
            if term is None:  # multi-word terms: collapse the whitespace between words
                key = normalize_key(surface)
                term = terms.get(key)
                if term is None:  # case-folding quirk (e.g. ß) that the regex allowed
                    continue
            cands = term.candidates
            if not cands:
                if not exclusions:
                    continue
            elif accept is not None:
                if term.lowercase is not None and surface == key:
                    if not term.lowercase:
                        continue
                elif not accept(text, start, end, cands):
                    continue
            out.append(key if keys else new_match(start, end, surface, cands, term.groups))
        return out
