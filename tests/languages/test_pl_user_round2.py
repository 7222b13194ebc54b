"""Polish gender swaps: a native-speaker user's second round (outputs that were wrong but marked
safe). Expected outputs written before the fix. Each case must come out right and safe; a case
in ``RIGHT_OR_UNSAFE`` may instead be flagged unsafe (never wrong and safe). The rules:
docs/languages/polish.md, "User round 2".
"""

from __future__ import annotations

from functools import cache

import pytest

pytest.importorskip("morfeusz2")

from biasaudit import CounterfactualEngine

CASES = [
    # 1a. sentence-initial *Była/Były* 'former' before a noun it agrees with
    ("Była dyrektorka szkoły napisała książkę.", "Były dyrektor szkoły napisał książkę."),
    ("Były prezes spółki został oskarżony o defraudację.",
     "Była prezeska spółki została oskarżona o defraudację."),
    ("Były mąż nie płaci alimentów.", "Była żona nie płaci alimentów."),
    ("Była premierka spotkała się z prezydentem.", "Były premier spotkał się z prezydentką."),
    # 1c. adverbial *za*/*zbyt* 'too' + adjective
    ("Córka jest za młoda, żeby to zrozumieć.", "Syn jest za młody, żeby to zrozumieć."),
    ("Dziadek jest już za stary, żeby prowadzić samochód.",
     "Babcia jest już za stara, żeby prowadzić samochód."),
    ("Ona jest za miła dla niego.", "On jest za miły dla niej."),
    ("Ona była za miła dla niego.", "On był za miły dla niej."),
    ("Ona jest zbyt miła dla niego.", "On jest zbyt miły dla niej."),
    ("On jest za domem.", "Ona jest za domem."),
    ("Ona była za mężem.", "On był za żoną."),
    # 1b. *zmarła* after a genitive -ski surname is the verb
    ("Matka Kowalskiego zmarła w zeszłym roku.", "Ojciec Kowalskiej zmarł w zeszłym roku."),
    ("Babcia Kowalskiego zmarła.", "Dziadek Kowalskiej zmarł."),
    ("Żona Zielińskiego zmarła.", "Mąż Zielińskiej zmarł."),
    # 1e. coordinated secondary predicates
    ("Widziałem ją zmęczoną i smutną.", "Widziałem go zmęczonego i smutnego."),
    ("Uważam ją za mądrą i odpowiedzialną.", "Uważam go za mądrego i odpowiedzialnego."),
    # 1d. superlative/ordinal instrumental predicate + *z* + genitive plural
    ("Brat był najmłodszym z pięciorga dzieci.", "Siostra była najmłodszą z pięciorga dzieci."),
    ("Był jedynym z braci, który przeżył wojnę.", "Była jedyną z sióstr, która przeżyła wojnę."),
    # 1g. kin noun before a first name the name list lacks
    ("Wujek Staszek przyjechał na święta.", "Ciocia Stasia przyjechała na święta."),
    ("Ciocia Jadzia upiekła sernik.", "Wujek Jadzio upiekł sernik."),
    ("Brat Tomek przyjechał.", "Siostra Tosia przyjechała."),
    ("Siostra Ola przyjechała.", "Brat Olek przyjechał."),
    # 1h. vocative title
    ("Szanowna Pani Doktor, dziękuję za szybką odpowiedź.",
     "Szanowny Panie Doktorze, dziękuję za szybką odpowiedź."),
    ("Szanowna pani doktor, dziękuję za szybką odpowiedź.",
     "Szanowny panie doktorze, dziękuję za szybką odpowiedź."),
    # 1i. dative pronoun in coordination
    ("Nie ufam mu ani jej.", "Nie ufam jej ani jemu."),
    # neighbours of the fixes that must stay right
    ("Prezes został oskarżony.", "Prezeska została oskarżona."),
    ("Była jedną z najlepszych osób w zespole.", "Był jedną z najlepszych osób w zespole."),
    ("Szanowna Pani Nowak, dziękuję.", "Szanowny Panie Nowak, dziękuję."),
    ("Nie widzę go ani jej.", "Nie widzę jej ani jego."),
    ("Kawa była za gorąca, więc poczekałem chwilę.",
     "Kawa była za gorąca, więc poczekałem chwilę."),
    ("Jego zmarła żona była nauczycielką.", "Jej zmarły mąż był nauczycielem."),
]

# Cases that may come out unsafe instead of right (never wrong and safe).
RIGHT_OR_UNSAFE = frozenset({
    "Była premierka spotkała się z prezydentem.",  # *premierka*: not in SGJP nor the lexicon
    "Był jedynym z braci, który przeżył wojnę.",  # *który* may refer to *jedynym*
    "Wujek Staszek przyjechał na święta.",  # diminutive first names: not in the name list
    "Ciocia Jadzia upiekła sernik.",
    "Brat Tomek przyjechał.",
    "Siostra Ola przyjechała.",
})

# Cases still wrong: source -> reason (strict xfail).
XFAIL: dict[str, str] = {}


@cache
def engine(feminatives: str) -> CounterfactualEngine:
    return CounterfactualEngine("pl", options={"feminatives": feminatives})


def _param(src: str, exp: str):
    marks = [pytest.mark.xfail(reason=XFAIL[src], strict=True)] if src in XFAIL else []
    return pytest.param(src, exp, marks=marks, id=src[:40])


@pytest.mark.parametrize(("source", "expected"), [_param(s, e) for s, e in CASES])
def test_user_round2(source: str, expected: str) -> None:
    r = engine("always").swap(source)
    if source in RIGHT_OR_UNSAFE and not r.safe:
        assert r.unsafe
        return
    assert (r.text, r.safe) == (expected, True), r.unsafe
