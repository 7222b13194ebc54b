"""Languages after adverbs, coordinations and lists (a native speaker's report): a
singular nationality adjective reached from a verb or preposition of language over
*gjerne, helst, eventuelt, også/òg, i tillegg*, *og/eller* and commas of a list is a
language and stays as it is in every group (*snakker flytende norsk og gjerne litt tysk*
became *... og gjerne litt amerikansk*); a nationality after a copula still swaps."""

from __future__ import annotations

import pytest

from biasaudit import engine

GROUPS = (
    "american chinese french german mexican nigerian norwegian polish ukrainian vietnamese"
).split()

UNCHANGED = [
    ("nb", "Vi søker en sykepleier som snakker flytende norsk og gjerne litt tysk."),
    ("nn", "Vi søkjer ein sjukepleiar som snakkar flytande norsk og gjerne litt tysk."),
    ("nn", "Søkjaren bør ha god kjennskap til norsk og helst litt tysk."),
    ("nn", "Du har god kjennskap til norsk og helst litt tysk."),
    ("nb", "Du har god kjennskap til norsk og helst litt tysk."),
    ("nb", "Han snakker norsk og eventuelt litt tysk."),
    ("nn", "Han snakkar norsk og eventuelt litt tysk."),
    ("nb", "Han snakker norsk og i tillegg litt tysk."),
    ("nn", "Han snakkar norsk og i tillegg litt tysk."),
    ("nb", "Han snakker norsk og/eller tysk."),
    ("nn", "Han snakkar norsk og/eller tysk."),
    ("nb", "Hun snakker norsk og også litt polsk."),
    ("nn", "Ho snakkar norsk og òg litt polsk."),
    ("nb", "Hun snakker norsk, tysk og litt polsk."),
    ("nn", "Ho snakkar norsk, tysk og litt polsk."),
    ("nb", "Krav: norsk og engelsk, gjerne også tysk."),
    ("nn", "Krav: norsk og engelsk, gjerne òg tysk."),
    ("nb", "Hun snakker flytende tysk og litt polsk."),
]


@pytest.mark.parametrize("lang,text", UNCHANGED)
def test_language_left_alone(lang: str, text: str) -> None:
    for v in engine(lang, "nationality").counterfactuals(text):
        assert not v.unsafe, (v.target, v.unsafe)
        assert v.text == text, v.target


SWAPPED = [
    # a nationality, not a language: after a copula, before a person noun
    (
        "nb",
        "Hun snakker norsk, men mannen er tysk.",
        "polish",
        "Hun snakker norsk, men mannen er polsk.",
    ),
    (
        "nn",
        "Ho snakkar norsk, men mannen er tysk.",
        "polish",
        "Ho snakkar norsk, men mannen er polsk.",
    ),
    ("nb", "Vi søker gjerne en tysk sykepleier.", "polish", "Vi søker gjerne en polsk sykepleier."),
    ("nb", "Han er norsk og gjerne litt stolt.", "german", "Han er tysk og gjerne litt stolt."),
]


@pytest.mark.parametrize("lang,text,group,expected", SWAPPED)
def test_nationality_still_swapped(lang: str, text: str, group: str, expected: str) -> None:
    (v,) = [v for v in engine(lang, "nationality").counterfactuals(text) if v.target == group]
    assert not v.unsafe, v.unsafe
    assert v.text == expected
