"""Exact-match accuracy of English gender swaps on MT-GenEval (human-written rewrites).

Usage: python benchmarks/mt_geneval_accuracy.py [--split test|dev|tune] [--pair en_de] [--show N]
       [--oracle]

Line i of the masculine file and line i of the feminine file are the same sentence written
by annotators for each gender; a swap is right when it reproduces the other file's line
exactly. The data lives in ../shared/data/mt_geneval (CC BY-SA 3.0), outside the repository.

``--split tune`` is the set to develop rules on: the dev sides of every language pair, less
any pair that shares a sentence with the test split of ``--pair``. (The English sides of the
other pairs' dev splits hold almost all en_de test sentences, so they must not be used
whole.)

``--oracle`` adds an upper bound for deciding which words to swap: the exact-match rate
if the engine dropped exactly those of its edits that the annotators did not make.
"""

from __future__ import annotations

import argparse
from itertools import combinations
from pathlib import Path

import biasaudit

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mt_geneval" / "sentences"


PAIRS = ("en_ar", "en_de", "en_es", "en_fr", "en_hi", "en_it", "en_pt", "en_ru")


def load(split: str, pair: str) -> tuple[list[str], list[str]]:
    if split == "tune":
        return tuning_set(pair)
    base = DATA / split
    masc = (base / f"geneval-sentences-masculine-{split}.{pair}.en").read_text("utf-8").splitlines()
    fem = (base / f"geneval-sentences-feminine-{split}.{pair}.en").read_text("utf-8").splitlines()
    return masc, fem


def tuning_set(pair: str) -> tuple[list[str], list[str]]:
    """Unique dev pairs of all language pairs that share no sentence with ``pair``'s test."""
    held_out = set().union(*load("test", pair))
    seen: set[tuple[str, str]] = set()
    for other in PAIRS:
        for m, f in zip(*load("dev", other)):
            if m not in held_out and f not in held_out and (m, f) not in seen:
                seen.add((m, f))
    masc, fem = zip(*sorted(seen)) if seen else ((), ())
    return list(masc), list(fem)


def evaluate(split: str = "test", pair: str = "en_de") -> dict[str, float]:
    """Exact-match rates for masculine→feminine, feminine→masculine and both together."""
    masc, fem = load(split, pair)
    engine = biasaudit.engine("en", "gender")
    m2f = sum(engine.swap(m).text == f for m, f in zip(masc, fem))
    f2m = sum(engine.swap(f).text == m for m, f in zip(masc, fem))
    n = len(masc)
    return {"pairs": n, "m2f": m2f / n, "f2m": f2m / n, "both": (m2f + f2m) / (2 * n)}


def oracle_rate(split: str = "test", pair: str = "en_de", max_dropped: int = 5) -> float:
    """Exact-match rate when the edits the annotators did not make are dropped (both
    directions); subsets of up to ``max_dropped`` edits are tried."""
    from biasaudit.core.engine import apply_edits

    masc, fem = load(split, pair)
    engine = biasaudit.engine("en", "gender")
    hits = 0
    for src, gold in [*zip(masc, fem), *zip(fem, masc)]:
        result = engine.swap(src)
        edits = list(result.edits)
        hits += result.text == gold or any(
            apply_edits(result.source, [e for i, e in enumerate(edits) if i not in dropped]) == gold
            for k in range(1, min(len(edits), max_dropped) + 1)
            for dropped in combinations(range(len(edits)), k)
        )
    return hits / (2 * len(masc))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", default="test")
    ap.add_argument("--pair", default="en_de")
    ap.add_argument("--show", type=int, default=0, help="print the first N mismatches")
    ap.add_argument("--oracle", action="store_true", help="also print the keep/swap bound")
    args = ap.parse_args()
    scores = evaluate(args.split, args.pair)
    print(f"MT-GenEval {args.split} {args.pair}: {scores['pairs']} pairs")
    print(f"  masculine->feminine exact match: {scores['m2f']:.1%}")
    print(f"  feminine->masculine exact match: {scores['f2m']:.1%}")
    print(f"  both directions:                 {scores['both']:.1%}")
    if args.oracle:
        rate = oracle_rate(args.split, args.pair)
        print(f"  with a keep/swap oracle:         {rate:.1%}")
    if args.show:
        masc, fem = load(args.split, args.pair)
        engine = biasaudit.engine("en", "gender")
        shown = 0
        for src, gold in [*zip(masc, fem), *zip(fem, masc)]:
            out = engine.swap(src).text
            if out != gold and shown < args.show:
                shown += 1
                print(f"\nSRC  {src}\nOUT  {out}\nGOLD {gold}")


if __name__ == "__main__":
    main()
