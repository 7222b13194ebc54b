"""English swaps against human-written gold counterfactuals from the shared data sets."""

from __future__ import annotations

import re
from pathlib import Path

import biasaudit


def _pairs_winobias(data: Path) -> list[tuple[str, str]]:
    def clean(line: str) -> str:
        return re.sub(r"^\d+ ", "", line).replace("[", "").replace("]", "")

    pairs = []
    for kind in ("type1", "type2"):
        for split in ("dev", "test"):
            pro = (data / f"winobias/pro_stereotyped_{kind}.txt.{split}").read_text().splitlines()
            anti = (data / f"winobias/anti_stereotyped_{kind}.txt.{split}").read_text().splitlines()
            assert len(pro) == len(anti) == 396
            pairs += [(clean(a), clean(b)) for a, b in zip(pro, anti)]
    return pairs


def test_winobias_pro_anti_pairs(shared_data: Path) -> None:
    eng = biasaudit.engine("en", "gender")
    pairs = _pairs_winobias(shared_data)
    hits = sum(eng.swap(a).text == b for a, b in pairs) + sum(
        eng.swap(b).text == a for a, b in pairs
    )
    rate = hits / (2 * len(pairs))
    assert len(pairs) == 1584
    assert rate >= 0.975, rate  # measured 97.8% (docs/accuracy.md)


def test_winogender_male_female_and_neutral(shared_data: Path) -> None:
    eng = biasaudit.engine("en", "gender")
    rows = (shared_data / "winogender/all_sentences.tsv").read_text().splitlines()[1:]
    by: dict[str, dict[str, str]] = {}
    for row in rows:
        sid, sentence = row.split("\t")
        stem, gender, _ = sid.rsplit(".", 2)
        by.setdefault(stem, {})[gender] = sentence
    assert len(by) == 240
    neutral = eng.plan("neutral")
    for v in by.values():
        assert eng.swap(v["male"]).text == v["female"]
        assert eng.swap(v["female"]).text == v["male"]
        assert eng.rewrite(v["male"], neutral).text == v["neutral"]


def test_mt_geneval_exact_match(shared_data: Path) -> None:
    base = shared_data / "mt_geneval/sentences/test"
    masc = (base / "geneval-sentences-masculine-test.en_de.en").read_text("utf-8").splitlines()
    fem = (base / "geneval-sentences-feminine-test.en_de.en").read_text("utf-8").splitlines()
    eng = biasaudit.engine("en", "gender")
    hits = sum(eng.swap(m).text == f for m, f in zip(masc, fem))
    hits += sum(eng.swap(f).text == m for m, f in zip(masc, fem))
    rate = hits / (2 * len(masc))
    # Measured 81.2% (docs/accuracy.md); the target is 90%. This floor guards regressions.
    assert rate >= 0.805, rate


def test_neutral_rewriter_winobias_plus(shared_data: Path) -> None:
    """Singular *they* against NeuTral Rewriter's curated WinoBias+ references (verbs made
    to agree: *she puts* → *they put*). References are tokenized, so both sides are compared
    token by token; the bracket marks of the source are dropped."""
    base = shared_data / "neutral_rewriter/WinoBias+"
    orig = (base / "WinoBias+.orig").read_text("utf-8").splitlines()
    refs = (base / "WinoBias+.references").read_text("utf-8").splitlines()
    assert len(orig) == len(refs) == 3167
    token = re.compile(r"\w+|[^\w\s]")
    eng = biasaudit.engine("en", "gender")
    neutral = eng.plan("neutral")
    hits = sum(
        token.findall(eng.rewrite(o.replace("[", "").replace("]", ""), neutral).text)
        == token.findall(r)
        for o, r in zip(orig, refs)
    )
    rate = hits / len(orig)
    assert rate >= 0.975, rate  # measured 97.9% (docs/accuracy.md)

