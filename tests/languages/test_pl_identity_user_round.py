"""Polish identity axes: a native-speaker user's round (elliptical languages, products,
religion names as a transitive verb's object). Expected outputs written before the fix;
the rules: ``biasaudit.languages.polish_identity``, docs/languages/polish.md, "Identity axes".
"""

from __future__ import annotations

import pytest

pytest.importorskip("morfeusz2")

from biasaudit import CounterfactualEngine

NATIONALITY = ("american", "chinese", "french", "german", "mexican", "nigerian", "norwegian",
               "polish", "ukrainian", "vietnamese")
RELIGION = ("atheist", "buddhist", "christian", "hindu", "jewish", "muslim")


def rewrite(axis: str, text: str, group: str):
    e = CounterfactualEngine("pl", axis)
    return e.rewrite(text, e.plan(group))


def check(axis: str, text: str, group: str, expected: str) -> None:
    r = rewrite(axis, text, group)
    if expected == "UNSAFE":
        assert not r.safe, r.text
    else:
        assert (r.text, r.safe) == (expected, True), r.unsafe


# -- 1. an elliptical language (no *język*) is not a nationality -----------------------------
LANGUAGES = [
    "Wymagana biegła znajomość angielskiego, mile widziany niemiecki.",
    "Szukamy pielęgniarki ze znajomością języka niemieckiego; mile widziany polski.",
    "Uczę się polskiego, a w przyszłym roku chcę zacząć francuski.",
    "Od września zaczynam chiński.",
    "Mile widziana znajomość języka angielskiego; mile widziany także ukraiński.",
]


@pytest.mark.parametrize("group", NATIONALITY)
@pytest.mark.parametrize("text", LANGUAGES)
def test_elliptical_language_unchanged(text: str, group: str) -> None:
    check("nationality", text, group, text)


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [  # a noun after the adjective: a person, rewritten as before
        ("Mile widziany niemiecki turysta.", "polish", "Mile widziany polski turysta."),
        ("Chcę zacząć współpracę z niemieckim partnerem.", "french",
         "Chcę zacząć współpracę z francuskim partnerem."),
        ("Przyjechał niemiecki turysta.", "french", "Przyjechał francuski turysta."),
    ],
)
def test_person_with_noun_still_rewritten(text: str, group: str, expected: str) -> None:
    check("nationality", text, group, expected)


# -- 2. products and food are not people -----------------------------------------------------
PRODUCTS = [
    "Kupiłam wczoraj chińską herbatę i francuskie wino.",
    "Uwielbiam kuchnię meksykańską.",
    "Wolę niemieckie piwo od czeskiego.",
    "Polska wódka i francuski ser stały na stole.",
    "Piję tylko wietnamską kawę.",
    "Norweskie jedzenie jest drogie.",
]


@pytest.mark.parametrize("group", NATIONALITY)
@pytest.mark.parametrize("text", PRODUCTS)
def test_products_unchanged(text: str, group: str) -> None:
    check("nationality", text, group, text)


def test_people_next_to_products_still_rewritten() -> None:
    check("nationality", "Chińska turystka kupiła francuskie wino.", "polish",
          "Polska turystka kupiła francuskie wino.")


# -- 3. a religion's name as the object of a transitive verb ---------------------------------
@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Porzucił islam w wieku dwudziestu lat.", "christian",
         "Porzucił chrześcijaństwo w wieku dwudziestu lat."),
        ("Porzucił chrześcijaństwo w wieku dwudziestu lat.", "muslim",
         "Porzucił islam w wieku dwudziestu lat."),
        ("Przyjął islam w wieku dwudziestu lat.", "christian",
         "Przyjął chrześcijaństwo w wieku dwudziestu lat."),
        ("Krytykował buddyzm.", "christian", "Krytykował chrześcijaństwo."),
        # a nominative subject stays unsafe: the verb would have to agree
        ("Islam dotarł do Persji.", "christian", "UNSAFE"),
        ("W Persji szybko rozprzestrzenił się islam.", "christian", "UNSAFE"),
        ("Tam panuje islam.", "christian", "UNSAFE"),
    ],
)
def test_religion_name_after_transitive_verb(text: str, group: str, expected: str) -> None:
    check("religion", text, group, expected)


def test_elliptical_person_after_a_person_adjective_still_rewritten() -> None:
    check("nationality", "Najpierw przyjechał angielski turysta, a potem niemiecki.", "polish",
          "Najpierw przyjechał angielski turysta, a potem polski.")
