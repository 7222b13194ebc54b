"""English word lists and word-level helpers shared by the gender rules
(:mod:`.english`) and the identity rules (:mod:`.english_identity`): the words that close
a noun phrase after *her*, the copulas, the punctuation that opens a sentence, and the
tokens just before and after a position in the text.
"""

from __future__ import annotations

import re

# Punctuation after which a capital starts a sentence (or a quotation) rather than a name.
SENTENCE_OPENERS = frozenset('.!?:;"“”«»([—–\n')
# Words after *her* that show it is an object, not a possessive determiner.
OBJECT_FOLLOWERS = frozenset(
    """
a an the this that these those my your his her its our their some any no every each all both
either neither another such what whom who which whose whether if when while where why how
than as to of around in on at for with from by about into onto upon off out up down over under after
before during through throughout until till since against among amongst between without
within along across behind beyond near toward towards like unlike via per despite except and
or but nor so yet because although though unless whereas once back again too also alone away
herself himself anyway there here then now tonight yesterday tomorrow soon ever never not
instead often anywhere everywhere somewhere nowhere twice thrice today well aside apart
forward forwards backwards sideways anymore enough
you i we they he she it me us them is was are were be been being has had have will would can
could shall should may might must do does did
""".split()
)
# Copulas before *her first*/*her last*: *it was her first.* is her first one (a possessive),
# *he kissed her first.* an object and an adverb.
COPULAS = frozenset("is was are were be been being 's ’s".split())

# The token after a position (a word, or one punctuation mark), after any spaces.
NEXT = re.compile(r"\s*([\w][\w'’-]*|[^\w\s])?")
_PREV_REVERSED = re.compile(r"\W*?(['’-]*\w[\w'’-]*)")


def second_token(text: str, end: int) -> str | None:
    """The token after the one that follows ``end`` (None when either is missing)."""
    m = NEXT.match(text, end)
    return next_token(text, m.end(1)) if m and m.group(1) else None


def next_token(text: str, end: int) -> str | None:
    """The token that follows ``end`` (a word or a punctuation mark; None at the end)."""
    m = NEXT.match(text, end)
    token = m.group(1) if m else None
    return token


def prev_token(text: str, start: int) -> str | None:
    """The word before ``start`` (past spaces and punctuation, within 40 characters),
    without leading apostrophes or hyphens; None when there is none."""
    # matched on the reversed 40 characters before ``start``: a search for a pattern
    # anchored at the end would try every start position
    m = _PREV_REVERSED.match(text[max(0, start - 40) : start][::-1])
    word = m.group(1)[::-1].lstrip("'’-") if m else ""
    return word or None


def opens_sentence(text: str, start: int) -> bool:
    """Whether ``start`` opens the text or follows a :data:`SENTENCE_OPENERS` mark."""
    before = text[:start].rstrip()
    return not before or before[-1] in SENTENCE_OPENERS


# Lower-case words that a Title Case headline leaves in lower case (*Sophie Wins the Final*).
TITLE_LOWER = frozenset(
    """
a an the and but or nor for so yet on at to by in of up as vs via per off out with from
into onto over than
""".split()
)
_TITLE_WORDS = re.compile(r"[^\W\d_][\w'’-]*")


def title_case(text: str) -> bool:
    """Whether ``text`` is a Title Case headline: every word over three letters capitalised,
    and no other word in lower case but those of :data:`TITLE_LOWER` (*Hamilton won the
    German Grand Prix* is a sentence)."""
    words = _TITLE_WORDS.findall(text)
    long = [w for w in words if len(w) > 3]
    return (
        len(long) >= 4
        and all(w[0].isupper() for w in long)
        and all(w[0].isupper() or w.lower() in TITLE_LOWER for w in words)
    )
