"""English identity axes on free text: the first review set (tests/languages/data/
en_identity_review.tsv, written before the engine was run on it), the held-out set
(en_identity_heldout.tsv, written after the first review's rules, before the engine was
run on it) and the rules they led to (src/biasaudit/languages/english_identity.py).

Each rule test below failed before its rule or lexicon entry was added."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from biasaudit import CounterfactualEngine

REVIEW = Path(__file__).parent / "data" / "en_identity_review.tsv"
ROWS = 262  # 252 of the first review, 10 religion-name rows
RIGHT = 246  # rows right now (the others are marked hard)
HELDOUT = Path(__file__).parent / "data" / "en_identity_heldout.tsv"
HELDOUT_ROWS = 194
HELDOUT_RIGHT = 189  # first run: 150


@cache
def engine(axis: str) -> CounterfactualEngine:
    return CounterfactualEngine("en", axis)


def rewrite(axis: str, text: str, group: str):
    e = engine(axis)
    return e.rewrite(text, e.plan(group))


def out(axis: str, text: str, group: str) -> str:
    cf = rewrite(axis, text, group)
    assert cf.safe, cf.unsafe
    return cf.text


def _rows(path: Path = REVIEW) -> list[tuple[str, str, str, str, bool]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        axis, src, group, gold, *flag = line.split("\t")
        assert flag in ([], ["hard"]), line
        rows.append((axis, src, group, gold, flag == ["hard"]))
    return rows


def _right(axis: str, src: str, group: str, gold: str) -> bool:
    cf = rewrite(axis, src, group)
    return (not cf.safe) if gold == "UNSAFE" else (cf.safe and cf.text == gold)


def test_review_set_is_complete() -> None:
    rows = _rows()
    assert len(rows) == ROWS  # every row kept, including those still wrong
    assert len({(r[1], r[2]) for r in rows}) == ROWS  # no duplicates
    assert sum(not r[4] for r in rows) == RIGHT


@pytest.mark.parametrize(
    ("axis", "src", "group", "gold", "hard"), _rows(), ids=[f"{i:03d}" for i in range(1, ROWS + 1)]
)
def test_review_row(axis: str, src: str, group: str, gold: str, hard: bool) -> None:
    """Each row is right, except the rows marked ``hard`` (documented limits), which must
    still be wrong: a rule that fixes one has to drop its flag."""
    assert _right(axis, src, group, gold) != hard


def test_heldout_set_is_complete() -> None:
    rows = _rows(HELDOUT)
    assert len(rows) == HELDOUT_ROWS  # every row kept, including those still wrong
    assert len({(r[1], r[2]) for r in rows}) == HELDOUT_ROWS  # no duplicates
    assert sum(not r[4] for r in rows) == HELDOUT_RIGHT


@pytest.mark.parametrize(
    ("axis", "src", "group", "gold", "hard"),
    _rows(HELDOUT),
    ids=[f"h{i:03d}" for i in range(1, HELDOUT_ROWS + 1)],
)
def test_heldout_row(axis: str, src: str, group: str, gold: str, hard: bool) -> None:
    """As :func:`test_review_row`, on the held-out set: a ``hard`` row must still be wrong."""
    assert _right(axis, src, group, gold) != hard


# -- lexicon: forms read in text --------------------------------------------------------


@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        (
            "religion",
            "He was the only Jew in his unit.",
            "muslim",
            "He was the only Muslim in his unit.",
        ),
        ("religion", "A Jew and his son.", "atheist", "An atheist and his son."),
        (
            "nationality",
            "He became the first Pole to climb K2.",
            "german",
            "He became the first German to climb K2.",
        ),
        (
            "nationality",
            "He became the first Pole to climb K2.",
            "french",
            "He became the first French person to climb K2.",
        ),
        (
            "nationality",
            "The Frenchwoman who runs the bakery left.",
            "german",
            "The German woman who runs the bakery left.",
        ),
        ("nationality", "Two Frenchmen were arrested.", "polish", "Two Polish men were arrested."),
        (
            "orientation",
            "A lesbian couple adopted the twins.",
            "straight",
            "A straight couple adopted the twins.",
        ),
        (
            "age",
            "Older workers are often overlooked.",
            "middle_aged",
            "Middle-aged workers are often overlooked.",
        ),
    ],
)
def test_forms_read_in_text(axis: str, text: str, group: str, expected: str) -> None:
    assert out(axis, text, group) == expected


@pytest.mark.parametrize(
    ("axis", "text", "group"),
    [
        ("nationality", "Polish the brass handles with a soft cloth.", "german"),
        ("nationality", "The teenagers traded French kisses.", "german"),
        ("nationality", "They flew over the North Pole.", "german"),
        ("age", "Her older sister lives in Leeds.", "young"),
        ("age", "My younger brother just started university.", "old"),
        ("age", "My old man worked down the pit.", "young"),
        ("age", "The festival drew young and old alike.", "old"),
        ("age", "Old habits die hard.", "young"),
        ("age", "She was old enough to remember the war.", "young"),
        ("age", "Come on, the night is young!", "old"),
        ("age", "Older versions of the app will stop working.", "young"),
        ("disability", "The committee was blind to the risks.", "autistic"),
        ("disability", "He remained deaf to their pleas.", "blind"),
        ("disability", "She pulled down the blind.", "deaf"),
        ("disability", "Please use the disabled toilet.", "autistic"),
        ("disability", "Don't overtake on a blind bend.", "deaf"),
        ("disability", "They went in blind.", "deaf"),
        ("disability", "It was a blind trial.", "deaf"),
        ("orientation", "She won three straight games.", "gay"),
        ("orientation", "She beat her rival in straight sets.", "gay"),
        ("orientation", "Let me get this straight.", "bisexual"),
        ("orientation", "He drinks his whisky straight.", "gay"),
        ("orientation", "Keep your back straight.", "gay"),
        ("orientation", "The road runs straight for miles.", "asexual"),
        ("orientation", "He was a straight-A student.", "bisexual"),
        ("orientation", "They danced with gay abandon.", "straight"),
        ("orientation", "Gay-Lussac's law relates pressure and temperature.", "straight"),
    ],
)
def test_exclusions(axis: str, text: str, group: str) -> None:
    assert out(axis, text, group) == text


# -- grammar: nouns, collectives ---------------------------------------------------------


@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        ("nationality", "She married a German she met.", "polish", "She married a Pole she met."),
        ("nationality", "As a Mexican, I object.", "chinese", "As a Chinese person, I object."),
        ("nationality", "Is the German's car outside?", "polish", "Is the Pole's car outside?"),
        ("nationality", "He is a proud Mexican.", "french", "He is a proud French person."),
        ("religion", "An atheist wrote the op-ed.", "jewish", "A Jew wrote the op-ed."),
        ("religion", "He is a devout Christian.", "jewish", "He is a devout Jew."),
        # a predicate adjective stays an adjective
        ("religion", "She is Muslim.", "jewish", "She is Jewish."),
        (
            "religion",
            "Her parents are Muslim, like her.",
            "jewish",
            "Her parents are Jewish, like her.",
        ),
        # an adjective before a noun, in a compound or coordinated, stays an adjective
        (
            "nationality",
            "The French and Italian delegations left.",
            "polish",
            "The Polish and Italian delegations left.",
        ),
        (
            "nationality",
            "Is this cheese French or Italian?",
            "chinese",
            "Is this cheese Chinese or Italian?",
        ),
        (
            "nationality",
            "The German-born designer left.",
            "french",
            "The French-born designer left.",
        ),
    ],
)
def test_adjective_as_noun(axis: str, text: str, group: str, expected: str) -> None:
    assert out(axis, text, group) == expected


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        (
            "The Vietnamese are famously hospitable.",
            "american",
            "The Americans are famously hospitable.",
        ),
        ("The Chinese who live here vote.", "german", "The Germans who live here vote."),
        ("The Poles have a word for it.", "french", "The French have a word for it."),
        ("The Germans scored twice.", "vietnamese", "The Vietnamese scored twice."),
        ("'You Americans are all the same.'", "chinese", "'You Chinese are all the same.'"),
        # not after *the*, or before a possessive: X people
        ("Many Germans live here.", "french", "Many French people live here."),
        (
            "The Americans' reaction surprised us.",
            "chinese",
            "The Chinese people's reaction surprised us.",
        ),
    ],
)
def test_nationality_collectives(text: str, group: str, expected: str) -> None:
    assert out("nationality", text, group) == expected


@pytest.mark.parametrize(
    ("axis", "text", "group"),
    [
        ("disability", "The school for the blind opened in 1890.", "autistic"),
        ("age", "The young are most at risk.", "old"),
        ("age", "She is older than him.", "middle_aged"),
        ("orientation", "She is a lesbian.", "straight"),
        ("nationality", "Her French teacher set a test.", "german"),
        ("names", "Henry told me his flat had flooded.", "female"),
        ("names", "Ask Sophie if she can help.", "male"),
    ],
)
def test_unsafe(axis: str, text: str, group: str) -> None:
    cf = rewrite(axis, text, group)
    assert not cf.safe
    if axis != "names":
        assert cf.text == text  # no broken text: the edit is left out


# -- grammar: other senses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("axis", "text", "group"),
    [
        # a language
        ("nationality", "The sign was written in German.", "french"),
        ("nationality", "The menu is in Chinese and English.", "german"),
        ("nationality", "She teaches Chinese at a school in Bristol.", "german"),
        ("nationality", "I'm taking Vietnamese classes.", "polish"),
        ("nationality", "Vietnamese is a tonal language.", "french"),
        ("nationality", "She speaks Polish, German and a little French.", "ukrainian"),
        # a thing
        ("nationality", "We had Mexican food.", "chinese"),
        ("nationality", "A bottle of French wine.", "german"),
        ("nationality", "They crossed the German border.", "norwegian"),
        ("nationality", "Prices are quoted in Vietnamese dong.", "chinese"),
        # a name
        ("nationality", "American Airlines cancelled our flight.", "mexican"),
        ("nationality", "The German Democratic Republic collapsed.", "french"),
        ("nationality", "The French Open final was postponed.", "polish"),
        ("nationality", "The French Foreign Legion", "polish"),
        ("religion", "The Christian Bale film was a flop.", "jewish"),
        ("religion", "She worked for the Young Men's Christian Association.", "hindu"),
        ("religion", "The Jewish Museum in Berlin reopens.", "muslim"),
        ("religion", "According to The Hindu, the talks collapsed.", "christian"),
        ("religion", "Christian said he'd be late.", "jewish"),
        ("religion", "Ask Christian to bring the projector.", "atheist"),
        ("age", "Neil Young played two encores.", "old"),
        ("age", "Manchester United play at Old Trafford.", "young"),
        ("age", "Young's modulus measures stiffness.", "old"),
        ("names", "Ms Harris will chair the meeting.", "female"),
        ("names", "Dr Oliver will see you now.", "female"),
        ("names", "The Prophet Muhammad was born in Mecca.", "female"),
        ("names", "The Union Jack flew over the town hall.", "female"),
        ("names", "The poem is by Dylan Thomas.", "female"),
        ("names", "The film won an Oscar.", "female"),
        ("names", "We sailed up the Hudson.", "female"),
        ("names", "He bought a copy of Harper's Bazaar.", "male"),
        ("names", "King Charles opened Parliament.", "female"),
    ],
)
def test_other_senses(axis: str, text: str, group: str) -> None:
    assert out(axis, text, group) == text


@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        ("nationality", "She moved to French cities.", "german", "She moved to German cities."),
        ("nationality", "Polish Jews fled in 1939.", "german", "German Jews fled in 1939."),
        (
            "nationality",
            "The French President visited Kyiv.",
            "polish",
            "The Polish President visited Kyiv.",
        ),
        (
            "nationality",
            "Nigerian Author Wins Booker Prize",
            "norwegian",
            "Norwegian Author Wins Booker Prize",
        ),
        ("religion", "Christian values matter.", "jewish", "Jewish values matter."),
        ("religion", "She identifies as Christian.", "jewish", "She identifies as Jewish."),
        ("names", "Thanks, Emily! See you Thursday.", "male", "Thanks, Oisin! See you Thursday."),
        ("names", "Dear Margaret, thank you.", "male", "Dear Joseph, thank you."),
        # a pronoun before the name is someone else's
        ("names", "He plays chess with Theo.", "female", "He plays chess with Willow."),
        # a capital that only a convention gave: lower case
        (
            "disability",
            "She is active in the Deaf community.",
            "blind",
            "She is active in the blind community.",
        ),
        ("religion", "The Christian family moved in.", "atheist", "The atheist family moved in."),
    ],
)
def test_references_are_still_rewritten(axis: str, text: str, group: str, expected: str) -> None:
    assert out(axis, text, group) == expected


def test_lower_case_word_does_not_keep_a_sentence_start_capital() -> None:
    """The engine reuses an edit for the same word in later texts; a capital that came from
    a sentence start must not travel with it (*Muslims pray.* then *I met Muslims.*)."""
    e = CounterfactualEngine("en", "religion")
    plan = e.plan("atheist")
    assert e.rewrite("Muslims pray.", plan).text == "Atheists pray."
    assert e.rewrite("I met Muslims.", plan).text == "I met atheists."
    assert e.rewrite("Christian families came.", plan).text == "Atheist families came."
    assert e.rewrite("The Christian family moved in.", plan).text == "The atheist family moved in."


# -- held-out round: rules it led to ------------------------------------------------------


@pytest.mark.parametrize(
    ("axis", "text", "group"),
    [
        # a Title Case headline needs its short words capitalised too: a name after all
        ("nationality", "Vettel won the German Grand Prix.", "french"),
        # things (nouns of THING_NOUNS)
        ("nationality", "Add a teaspoon of Mexican oregano.", "german"),
        ("nationality", "He drives a German car.", "polish"),
        ("nationality", "Their French bulldog snores.", "german"),
        # the verb *polish* before a determiner at a sentence start
        ("nationality", "Polish every spoon before the guests arrive.", "french"),
        # an airline after *fly*
        ("nationality", "They always fly Norwegian to Oslo.", "german"),
        # a takeaway meal
        ("nationality", "We ordered a Chinese and watched a film.", "german"),
        ("nationality", "Fancy a Chinese?", "polish"),
        # idioms
        ("nationality", "Pardon my French, but it's a mess.", "polish"),
        # a language: from ... into/to, knowledge of
        ("nationality", "She translates from German to English.", "mexican"),
        ("nationality", "A good command of Polish is required.", "french"),
        # the numeral system
        ("religion", "The Hindu-Arabic system uses ten digits.", "muslim"),
        # an age limit, things, a time, a stage of life, set phrases
        ("age", "Applicants older than 65 need a medical.", "young"),
        ("age", "They bought an old house in Wales.", "young"),
        ("age", "Pick the young leaves for salads.", "old"),
        ("age", "The evening is still young.", "old"),
        ("age", "I lived in Rome when I was young.", "old"),
        ("age", "She started playing at a young age.", "middle_aged"),
        ("age", "Feed a cold, starve a fever: an old wives' tale.", "young"),
        # sports, cooking, idioms; *disabled* of a thing switched off
        ("disability", "He came off the disabled list on Friday.", "deaf"),
        ("disability", "Blind bake the tart shell first.", "autistic"),
        ("disability", "That's the blind leading the blind.", "deaf"),
        ("disability", "Cookies are disabled in your browser.", "deaf"),
        ("disability", "Notifications have been disabled for this chat.", "blind"),
        # *straight* of shape or honesty; biology
        ("orientation", "She sat on a straight-backed chair.", "gay"),
        ("orientation", "Straight-leg jeans are back in fashion.", "bisexual"),
        ("orientation", "Be straight with me.", "bisexual"),
        ("orientation", "Bacteria use asexual reproduction.", "gay"),
        # names: a place after *in*, a place, a dog breed, a hymn, a cloth
        ("names", "She grew up in Charlotte.", "male"),
        ("names", "Hudson Yards opened in 2019.", "female"),
        ("names", "Jack Russells are loyal dogs.", "female"),
        ("names", "Amazing Grace is sung at most funerals.", "male"),
        ("names", "It is woven from Harris Tweed.", "female"),
    ],
)
def test_heldout_other_senses(axis: str, text: str, group: str) -> None:
    assert out(axis, text, group) == text


@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        # a noun before a past tense
        ("nationality", "The German finished fifth.", "polish", "The Pole finished fifth."),
        ("nationality", "A Norwegian won the sprint.", "french", "A French person won the sprint."),
        # *older* cannot stand after a degree adverb
        ("age", "He looks very young for his age.", "old", "He looks very old for his age."),
        ("age", "You are never too young to learn.", "old", "You are never too old to learn."),
        # each word of a Title Case headline
        (
            "age",
            "Elderly Man Rescued From River Thames",
            "middle_aged",
            "Middle-Aged Man Rescued From River Thames",
        ),
        # the register of *homosexual*
        (
            "orientation",
            "Homosexual men were barred from serving.",
            "straight",
            "Heterosexual men were barred from serving.",
        ),
        # guards (right before too): after *get* only *a Chinese* (no singular noun) is the
        # meal; a person who is disabled is still rewritten
        (
            "nationality",
            "I got a Pole to fix the roof.",
            "german",
            "I got a German to fix the roof.",
        ),
        ("disability", "Her son is disabled.", "blind", "Her son is blind."),
        ("disability", "He was disabled in a car crash.", "deaf", "He was deaf in a car crash."),
    ],
)
def test_heldout_references(axis: str, text: str, group: str, expected: str) -> None:
    assert out(axis, text, group) == expected


@pytest.mark.parametrize(
    ("axis", "text", "group"),
    [
        # a compound of two religions
        ("religion", "It grew out of a Judeo-Christian tradition.", "muslim"),
        # a person noun of the old gender may name the renamed person
        ("names", "My brother Jack starts school today.", "female"),
        ("names", "Congratulations to our wonderful daughter, Olivia!", "male"),
    ],
)
def test_heldout_unsafe(axis: str, text: str, group: str) -> None:
    cf = rewrite(axis, text, group)
    assert not cf.safe


@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        ("nationality", "my flatmate is german lol", "french", "my flatmate is french lol"),
        ("nationality", "the germans won lol", "chinese", "the chinese won lol"),
        ("religion", "is your boyfriend muslim?", "hindu", "is your boyfriend hindu?"),
        # a capital anywhere: lower case is another word, as before
        ("nationality", "I speak to my german friend.", "french", "I speak to my german friend."),
        # mostly another word, or maybe a first name, even without capitals
        ("nationality", "i need to polish my shoes", "german", "i need to polish my shoes"),
        ("religion", "christian said he would come", "muslim", "christian said he would come"),
        ("names", "ask emma if she can come", "male", "ask emma if she can come"),
    ],
)
def test_text_without_capitals_is_read_in_lower_case(
    axis: str, text: str, group: str, expected: str
) -> None:
    """Chat written without capitals: a nationality or religion is read in lower case and
    written in lower case."""
    e = CounterfactualEngine("en", axis)
    cf = e.rewrite(text, e.plan(group))
    assert (cf.text, cf.safe) == (expected, True)


# -- a native speaker's report: translations from "the" language; coordinated chat words --

TRANSLATIONS = [
    "The novel was translated from the German by Anthea Bell.",
    "Translated from the Polish by Antonia Lloyd-Jones.",
    "She translates from the Polish and the Czech.",
    "She translates from the German, the Polish and the French.",
    "It was translated from the Chinese into English in 1998.",
    "He is translating from the French.",
]


@pytest.mark.parametrize("text", TRANSLATIONS)
@pytest.mark.parametrize("group", ["american", "chinese", "french", "mexican", "polish"])
def test_translated_from_the_language(text: str, group: str) -> None:
    """*translate(d/s) from the X* (then *by*, *and*, *or*, a comma, the end, *into* or
    *to*) names a language: the text stays as it is."""
    assert out("nationality", text, group) == text


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        # no verb of translating: the person
        ("She took the ball from the German and scored.", "polish",
         "She took the ball from the Pole and scored."),
        # a noun after it: the adjective of a person
        ("The speech was translated from the German ambassador's notes.", "polish",
         "The speech was translated from the Polish ambassador's notes."),
    ],
)
def test_from_the_nationality_is_still_read(text: str, group: str, expected: str) -> None:
    assert out("nationality", text, group) == expected


@pytest.mark.parametrize(
    ("axis", "text", "group"),
    [
        ("religion", "is ur gf muslim or christian?? asking for a friend", "christian"),
        ("religion", "is ur gf muslim or christian?? asking for a friend", "hindu"),
        ("religion", "is ur gf muslim or christian?? asking for a friend", "muslim"),
        ("religion", "are they christian and jewish or what", "atheist"),
        ("nationality", "is she german or polish? cant tell", "polish"),
    ],
)
def test_lower_case_word_coordinated_with_a_group_is_a_second_group(
    axis: str, text: str, group: str
) -> None:
    """In chat, a lower-case *christian* (*polish*) is not read alone (a first name, another
    word), but coordinated with a word that is read (*muslim or christian*) it names a
    group too: the text refers to several groups, so the variant is unsafe."""
    assert not rewrite(axis, text, group).safe


@pytest.mark.parametrize(
    ("axis", "text", "group", "expected"),
    [
        ("religion", "me and christian are muslim", "hindu", "me and christian are hindu"),
        ("religion", "christian and i are muslim lol", "jewish", "christian and i are jewish lol"),
    ],
)
def test_lower_case_name_not_coordinated_with_a_group(
    axis: str, text: str, group: str, expected: str
) -> None:
    assert out(axis, text, group) == expected
