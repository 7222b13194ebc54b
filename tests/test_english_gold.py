"""English swaps against human-written gold counterfactuals from the shared data sets."""

from __future__ import annotations

import importlib.util
import re
import types
from pathlib import Path

import pytest

import biasaudit

ROOT = Path(__file__).resolve().parents[1]


def documented_rates(row_start: str) -> list[str]:
    """The percentages in the exact-match cell of the docs/accuracy.md table row that starts
    with ``row_start``: every figure on that page is checked against a fresh measurement."""
    for line in (ROOT / "docs/accuracy.md").read_text("utf-8").splitlines():
        if line.startswith(f"| {row_start}"):
            return re.findall(r"(\d+\.\d)%", line.split("|")[3])
    raise AssertionError(f"no row {row_start!r} in docs/accuracy.md")


def _mt_geneval_benchmark(data: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mt_geneval_accuracy", ROOT / "benchmarks/mt_geneval_accuracy.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.DATA = data / "mt_geneval/sentences"
    return module


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
    assert [f"{rate:.1%}"] == [f"{r}%" for r in documented_rates("WinoBias pro")]


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


@pytest.mark.parametrize(
    ("split", "row"),
    [("test", "MT-GenEval test"), ("dev", "MT-GenEval dev"), ("tune", "MT-GenEval tuning set")],
)
def test_mt_geneval_exact_match_is_the_documented_figure(
    shared_data: Path, split: str, row: str
) -> None:
    """The benchmark's figures are those docs/accuracy.md gives (the issue's target is 90%
    on test; the page explains why word rules stop short of it)."""
    scores = _mt_geneval_benchmark(shared_data).evaluate(split, "en_de")
    measured = [f"{scores['both']:.1%}", f"{scores['m2f']:.1%}", f"{scores['f2m']:.1%}"]
    documented = [f"{rate}%" for rate in documented_rates(row)]
    assert measured[: len(documented)] == documented, (split, measured)


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
    assert [f"{rate:.1%}"] == [f"{r}%" for r in documented_rates("NeuTral Rewriter WinoBias+")]

