"""Planted skews: a synthetic corpus with one term tied to a label and one term tied to an
occupation; the scan must flag exactly those terms, in every language, with the real engines.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import biasaudit
from biasaudit.core.matcher import normalize_key
from biasaudit.data import ScanConfig, occupation_terms, scan
from biasaudit.errors import UnsupportedError

FILLERS = {
    "en": "the report was long and our meeting ended late today with some data about a new "
          "project in town".split(),
    "pl": "raport był długi a spotkanie skończyło się późno dzisiaj z danymi o nowym projekcie "
          "w mieście".split(),
    "vi": "hôm nay trời đẹp và cuộc họp kết thúc muộn với nhiều dữ liệu về dự án mới ở "
          "thành phố".split(),
    "nb": "rapporten var lang og møtet sluttet sent i dag med mye data om et nytt prosjekt "
          "i byen".split(),
    "nn": "rapporten var lang og møtet slutta seint i dag med mykje data om eit nytt prosjekt "
          "i byen".split(),
}
N = 4000
N_TERMS = 8


def _engine_or_skip(lang: str):
    try:
        return biasaudit.engine(lang, "gender")
    except UnsupportedError as exc:  # a language whose lexicon has not landed yet
        pytest.skip(f"no {lang} gender lexicon yet ({exc}); re-run when it lands")


def _finds_only(eng, occ_words: set[str], sentence: str, expected: list[str]) -> bool:
    """Whether the engine sees exactly the ``expected`` terms in ``sentence``."""
    found = [normalize_key(m.text) for m in eng.find(sentence) if m.candidates]
    return found == [normalize_key(t) for t in expected]


def choose_terms(eng, fillers: list[str]) -> list[str]:
    """Up to N_TERMS lexicon forms (alternating groups) the engine finds mid-sentence."""
    chosen: list[str] = []
    keys: set[str] = set()
    by_group: dict[str, list[str]] = {}
    for entry in eng.lexicons.entries:
        if entry.pos == "name":
            continue
        for group, forms in entry.forms.items():
            form = forms[0]
            if " " in form or not eng.lexicons.matched(entry, group):
                continue
            by_group.setdefault(group, []).append(form)
    pools = [by_group[g] for g in eng.groups if g in by_group]
    for i in range(max(map(len, pools))):
        for pool in pools:
            if i >= len(pool) or len(chosen) >= N_TERMS:
                continue
            form = pool[i]
            sentence = f"{fillers[0]} {fillers[1]} {form} {fillers[2]} {fillers[3]}."
            key = normalize_key(form)
            if key not in keys and _finds_only(eng, set(), sentence, [form]):
                chosen.append(form)
                keys.add(key)
    return chosen


def make_corpus(path: Path, lang: str, *, seed: int = 7) -> tuple[str, str, str]:
    """Write the planted corpus; returns (label term, occupation term, occupation)."""
    eng = _engine_or_skip(lang)
    fillers = [w for w in FILLERS[lang] if not eng.find(w)]
    terms = choose_terms(eng, fillers)
    assert len(terms) >= 6, terms
    occupation = next(o for o in occupation_terms(lang) if not eng.find(o))
    label_term, occ_term = terms[0], terms[1]
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        written = 0
        while written < N:
            term = rng.choice(terms)
            words = [rng.choice(fillers) for _ in range(7)]
            words.insert(2, term)
            if rng.random() < (0.7 if term == occ_term else 0.2):
                words.insert(5, occupation)
            sentence = " ".join(words) + "."
            if not _finds_only(eng, set(), sentence, [term]):
                continue  # a filler combination formed another term: draw again
            label = "pos" if rng.random() < (0.85 if term == label_term else 0.5) else "neg"
            f.write(json.dumps({"text": sentence, "label": label}, ensure_ascii=False) + "\n")
            written += 1
    return normalize_key(label_term), normalize_key(occ_term), occupation


@pytest.mark.parametrize("lang", ["en", "pl", "vi", "nb", "nn"])
def test_planted_terms_are_flagged_and_nothing_else(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "planted.jsonl"
    label_term, occ_term, occupation = make_corpus(path, lang)
    result = scan(path, ScanConfig(lang=lang, label_field="label"))
    assert result.counts.examples == N
    assert sum(result.counts.bad.values()) == 0
    assert result.flagged("term_label") == {("gender", label_term, "pos")}
    assert result.flagged("term_occupation") == {("gender", occ_term, occupation)}
    # group-level flags can only echo the planted terms' own groups
    groups = result.counts.term_groups
    allowed = groups["gender", label_term] | groups["gender", occ_term]
    assert {g for _, g, _ in result.flagged("group_label")} <= allowed
    assert {g for _, g, _ in result.flagged("group_occupation")} <= allowed


def test_no_skew_no_flags(tmp_path: Path) -> None:
    """The same design without planted effects flags nothing."""
    eng = biasaudit.engine("en", "gender")
    fillers = FILLERS["en"]
    terms = choose_terms(eng, fillers)
    rng = random.Random(3)
    path = tmp_path / "flat.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(N):
            words = [rng.choice(fillers) for _ in range(7)]
            words.insert(2, rng.choice(terms))
            if rng.random() < 0.2:
                words.insert(5, "engineer")
            f.write(json.dumps({"text": " ".join(words), "label": rng.choice("ab")}) + "\n")
    result = scan(path, ScanConfig(lang="en", label_field="label"))
    assert result.flags == ()
    assert len(result.associations) > 10
