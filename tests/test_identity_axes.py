"""English identity axes: other senses of the axis words are left alone (lexicon
exclusions), real references are still rewritten, and the names axis has no unisex names."""

from __future__ import annotations

from functools import cache

import pytest

from biasaudit import CounterfactualEngine
from biasaudit.lexicons import load_lexicons


@cache
def engine(axis: str) -> CounterfactualEngine:
    return CounterfactualEngine("en", axis)


def variants(axis: str, text: str) -> dict[str, str]:
    """The text rewritten to every group of the axis."""
    e = engine(axis)
    return {g: e.rewrite(text, e.plan(g)).text for g in e.groups}


UNCHANGED = {
    "nationality": [
        "She speaks fluent German.",
        "He speaks German at home.",
        "They spoke Chinese with the guide.",
        "The letter was translated from Polish.",
        "It was translated into Vietnamese last year.",
        "A German-speaking region.",
        "She is a native French speaker.",
        "The Norwegian language has two written standards.",
        "South American countries signed the treaty.",
        "Native Americans lived here first.",
        "North American markets fell.",
        "African-American history month.",
        "The Norwegian Sea is cold.",
        "The French Revolution began in 1789.",
        "They celebrated Chinese New Year.",
        "Two French fries and a German shepherd.",
    ],
    "disability": [
        "The alarm was disabled by the burglar.",
        "She disabled the alarm.",
        "The feature can be enabled or disabled.",
        "It was a blind guess.",
        "Everyone has a blind spot.",
        "They met on a blind date.",
        "He turned a blind eye.",
        "He turned a deaf ear to them.",
        "The plea fell on deaf ears.",
        "A double-blind trial.",
        "He is colour-blind.",
        "A tone-deaf remark.",
    ],
    "religion": [
        "She wore Christian Dior.",
        "The Christian Democratic Union won.",
        "Christian Democrats voted against it.",
        "The Christian Science Monitor reported it.",
        "What is your Christian name?",
        "They crossed the Hindu Kush.",
    ],
    "age": [
        "He is 30 years old.",
        "A 30-year-old man.",
        "The puppy is six weeks old.",
        "The baby is ten months old.",
        "How old is she?",
        "She met an old friend.",
    ],
    "orientation": [
        "Draw a straight line.",
        "Go straight ahead.",
        "She came straight home.",
        "He kept a straight face.",
    ],
}


@pytest.mark.parametrize(
    ("axis", "text"), [(axis, text) for axis, texts in UNCHANGED.items() for text in texts]
)
def test_other_senses_are_left_unchanged(axis: str, text: str) -> None:
    changed = {g: v for g, v in variants(axis, text).items() if v != text}
    assert changed == {}


@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        ("nationality", "The German engineer arrived.", "ukrainian",
         "The Ukrainian engineer arrived."),
        ("nationality", "Many Germans live in the south.", "french",
         "Many French people live in the south."),
        ("nationality", "The German speaker at the conference.", "french",
         "The French speaker at the conference."),  # may be a German giving a talk
        ("disability", "The blind man walked home.", "autistic", "The autistic man walked home."),
        ("disability", "Disabled people were left out.", "deaf", "Deaf people were left out."),
        ("religion", "The Christian family moved in.", "jewish", "The Jewish family moved in."),
        ("age", "The old man smiled.", "young", "The young man smiled."),
        ("orientation", "A straight couple.", "gay", "A gay couple."),
    ],
)
def test_references_are_still_rewritten(axis: str, text: str, group: str, expected: str) -> None:
    assert variants(axis, text)[group] == expected


def test_every_exclusion_has_a_note_and_contains_a_term() -> None:
    for axis in ("nationality", "religion", "age", "disability", "orientation"):
        lexset = load_lexicons("en", axis)
        forms = {f.casefold() for e in lexset.entries for fs in e.forms.values() for f in fs}
        for x in lexset.exclusions:
            assert x.note, f"{axis}: exclusion {x.text!r} has no note"
            words = set(x.text.casefold().replace("-", " ").split())
            assert words & forms or any(f in x.text.casefold() for f in forms), (axis, x.text)


# names commonly given to both genders in English-speaking countries
UNISEX = {
    "Alex", "Ali", "Andy", "Angel", "Ashley", "Avery", "Bailey", "Cameron", "Casey", "Charlie",
    "Dakota", "Drew", "Eden", "Elliot", "Emerson", "Finley", "Frankie", "Hayden", "Jamie",
    "Jesse", "Jordan", "Jude", "Kai", "Kelly", "Lee", "Morgan", "Parker",
    "Peyton", "Quinn", "Reese", "Riley", "River", "Robin", "Rowan", "Ryan", "Sam", "Sasha",
    "Sidney", "Skyler", "Sydney", "Taylor", "Toni", "Tyler",
}


def test_names_axis_has_no_unisex_names() -> None:
    lexset = load_lexicons("en", "names")
    by_group = {
        g: {f for e in lexset.entries for f in e.forms.get(g, ())} for g in lexset.groups
    }
    assert by_group["male"].isdisjoint(by_group["female"])
    every = set().union(*by_group.values())
    assert every.isdisjoint(UNISEX), sorted(every & UNISEX)
    assert len(by_group["male"]) == len(by_group["female"]) == len(lexset.entries)


# -- age wording: 'older' is written, 'old' and 'elderly' are still read ------------------


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("The young man smiled.", "old", "The older man smiled."),
        ("A young woman left.", "old", "An older woman left."),  # article follows the word
        ("The middle-aged man left.", "old", "The older man left."),
        ("The old man smiled.", "young", "The young man smiled."),
        ("The old man smiled.", "middle_aged", "The middle-aged man smiled."),
        ("An elderly woman sat down.", "young", "A young woman sat down."),
        ("Elderly people vote.", "middle_aged", "Middle-aged people vote."),
        ("She is older than him.", "young", "She is younger than him."),
        ("Older people vote.", "young", "Younger people vote."),
    ],
)
def test_age_writes_older_and_still_reads_old_and_elderly(
    text: str, group: str, expected: str
) -> None:
    assert variants("age", text)[group] == expected


def test_age_old_group_forms() -> None:
    """'older' is the form written for the old group; 'old' and 'elderly' stay recognised,
    and no form belongs to two groups."""
    lexset = load_lexicons("en", "age")
    adj = next(e for e in lexset.entries if e.id == "age-adj")
    assert adj.output("old") == "older"
    read = {
        f.casefold()
        for e in lexset.entries
        for g in (e.match_groups or lexset.groups)
        if g == "old"
        for f in e.forms.get(g, ())
    }
    assert {"older", "old", "elderly"} <= read
    e = engine("age")
    for text in ("an old man", "an elderly man", "an older man"):
        assert e.rewrite(text, e.plan("young")).text == (
            "a younger man" if "older" in text else "a young man")
