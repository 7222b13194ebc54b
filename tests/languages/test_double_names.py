"""Double first names (*Ingrid Alexandra*, *Per Olav*, *Anne-Marie*, *Mary Kate*): both
given names are swapped, or the variant is unsafe; never half a name swapped and called safe.

The expected outputs were written before the fix (`names.mark_half_names`) and seen failing
on the code before it. Norwegian with ``names=True`` on the gender axis and on the names
axis, English on the names axis (its gender axis has no names option), and Vietnamese
(family + middle + given, *Nguyễn Thị Mai*), which the check leaves alone.
"""

from __future__ import annotations

from functools import cache

import pytest

from biasaudit import CounterfactualEngine


@cache
def engine(lang: str, axis: str, names: bool) -> CounterfactualEngine:
    options = {"names": True} if names else {}
    return CounterfactualEngine(lang, axis, options=options)


# lang, axis, names=True, target ("swap" or a group), source, expected text, unsafe word
# (a word the reason names; "" for a safe variant)
# fmt: off
CASES = [
    # Norwegian, gender axis with names=True: the user's report
    ("nb", "gender", True, "swap", "Prinsesse Ingrid Alexandra kom.",
     "Prins Kjell Alexandra kom.", "Alexandra"),
    ("nb", "gender", True, "swap", "Tante Gerd Alexandra kom.",
     "Onkel Nils Alexandra kom.", "Alexandra"),
    # no title (no gender term at all: names=True still swaps the names)
    ("nb", "gender", True, "swap", "Ingrid Alexandra kom.", "Kjell Alexandra kom.", "Alexandra"),
    ("nb", "gender", True, "swap", "Ingrid kom.", "Kjell kom.", ""),
    # both names known to the lexicon: both swapped, safe
    ("nb", "gender", True, "swap", "Tante Anne Marie kom.", "Onkel Jan Christian kom.", ""),
    ("nb", "gender", True, "swap", "Anne Marie kom.", "Jan Christian kom.", ""),
    ("nb", "gender", True, "swap", "Jon Arne og kona hans kom.",
     "Tove Marianne og mannen hennes kom.", ""),
    # a first name the lexicon leaves out (Per is also a word)
    ("nb", "gender", True, "swap", "Per Olav kom.", "Per Hege kom.", "Per"),
    # a surname after
    ("nb", "gender", True, "swap", "Ingrid Alexandra Hansen kom.",
     "Kjell Alexandra Hansen kom.", "Alexandra"),
    ("nb", "gender", True, "swap", "Ingrid Hansen kom.", "Kjell Hansen kom.", ""),
    # hyphenated
    ("nb", "gender", True, "swap", "Anne-Marie kom.", "Jan-Christian kom.", ""),
    ("nb", "gender", True, "swap", "Per-Olav kom.", "Per-Hege kom.", "Per"),
    # Nynorsk
    ("nn", "gender", True, "swap", "Prinsesse Ingrid Alexandra kom.",
     "Prins Kjell Alexandra kom.", "Alexandra"),
    ("nn", "gender", True, "swap", "Tante Anne Marie kjem.", "Onkel Jan Christian kjem.", ""),
    # names axis
    ("nb", "names", False, "male", "Ingrid Alexandra kom.", "Kjell Alexandra kom.", "Alexandra"),
    ("nb", "names", False, "female", "Ingrid Alexandra kom.", "Ingrid Alexandra kom.", ""),
    ("nb", "names", False, "female", "Hans Petter kjørte oss.", "Hans Malin kjørte oss.", "Hans"),
    ("nb", "names", False, "female", "Jakob Ingebrigtsen vant.", "Therese Ingebrigtsen vant.", ""),
    ("nn", "names", False, "female", "Olav Duun skreiv romanar.", "Hege Duun skreiv romanar.", ""),
    # English, names axis
    ("en", "names", False, "male", "Mary Kate came home.", "James Kate came home.", "Kate"),
    ("en", "names", False, "male", "Mary-Kate came home.", "James-Kate came home.", "Kate"),
    ("en", "names", False, "male", "I met Mary Alice yesterday.",
     "I met James Alice yesterday.", "Alice"),
    ("en", "names", False, "female", "John Paul came home.", "Patricia Paul came home.", "Paul"),
    ("en", "names", False, "male", "Margaret Ellis gave evidence.",
     "Joseph Ellis gave evidence.", ""),
    ("en", "names", False, "male", "I called Emily Harris.", "I called Oisin Harris.", ""),
    # Vietnamese: family + middle + given, unchanged by the check
    ("vi", "gender", True, "swap", "Trần Thị Mai sống ở Huế.", "Trần Văn Cường sống ở Huế.", ""),
    ("vi", "names", False, "male", "Phan Thị Ngọc Ánh đạt giải nhất.",
     "Phan Văn Ngọc Ánh đạt giải nhất.", ""),
]
# fmt: on


@pytest.mark.parametrize(
    ("lang", "axis", "names", "target", "source", "expected", "unsafe_word"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[3]}-{c[4]}" for c in CASES],
)
def test_double_first_names(
    lang: str, axis: str, names: bool, target: str, source: str, expected: str, unsafe_word: str
) -> None:
    e = engine(lang, axis, names)
    cf = e.swap(source) if target == "swap" else e.counterfactuals(source, [target])[0]
    assert cf.text == expected
    if unsafe_word:
        assert not cf.safe, cf
        assert any(unsafe_word in reason for reason in cf.unsafe), cf.unsafe
    else:
        assert cf.safe, cf.unsafe


def test_names_option_without_gender_term_as_on_names_axis() -> None:
    """With names=True a text with no gender term is rewritten as on the names axis: the
    genitive apostrophe takes the new name's -s, and names of both genders rewritten to one
    group are unsafe (the names' groups count)."""
    e = engine("nb", "gender", True)
    assert e.swap("Vi lånte Anders' hytte i påsken.").text == "Vi lånte Bentes hytte i påsken."
    female = e.counterfactuals("Ole og Kari dro på hytta.", ["female"])[0]
    assert female.text == "Kari og Kari dro på hytta."
    assert any("several groups" in reason for reason in female.unsafe)
    assert e.swap("Ole og Kari dro på hytta.").safe


@pytest.mark.parametrize(("text", "target", "expected", "unsafe_word"), [
    # after a first name of the lexicon a name is a surname, even at the sentence start
    ("Jack Harris called.", "female", "Freya Harris called.", "Harris"),
    ("Emily Harris called.", "male", "Oisin Harris called.", ""),
    # a capitalised word opening the sentence may be a first name the lexicon lacks
    ("Dylan Thomas wrote a poem.", "female", "Dylan Thomas wrote a poem.", "Dylan"),
    ("Yesterday Emma called.", "male", "Yesterday Noah called.", ""),
    ("Finally Emma called.", "male", "Finally Noah called.", ""),
    # an office before a surname
    ("Congressman Lewis spoke first.", "female", "Congressman Lewis spoke first.", ""),
])
def test_english_names_next_to_a_sentence_start_or_another_name(
    text: str, target: str, expected: str, unsafe_word: str
) -> None:
    [cf] = engine("en", "names", False).counterfactuals(text, [target])
    assert cf.text == expected
    if unsafe_word:
        assert any(unsafe_word in reason for reason in cf.unsafe), cf.unsafe
    else:
        assert cf.safe, cf.unsafe
