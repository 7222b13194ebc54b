"""Exact-match accuracy of English gender swaps on MT-GenEval (human-written rewrites).

Usage: python benchmarks/mt_geneval_accuracy.py [--split test|dev] [--pair en_de] [--show N]

Line i of the masculine file and line i of the feminine file are the same sentence written
by annotators for each gender; a swap is right when it reproduces the other file's line
exactly. The data lives in ../shared/data/mt_geneval (CC BY-SA 3.0), outside the repository.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import biasaudit

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mt_geneval" / "sentences"


def load(split: str, pair: str) -> tuple[list[str], list[str]]:
    base = DATA / split
    masc = (base / f"geneval-sentences-masculine-{split}.{pair}.en").read_text("utf-8").splitlines()
    fem = (base / f"geneval-sentences-feminine-{split}.{pair}.en").read_text("utf-8").splitlines()
    return masc, fem


def evaluate(split: str = "test", pair: str = "en_de") -> dict[str, float]:
    """Exact-match rates for masculine→feminine, feminine→masculine and both together."""
    masc, fem = load(split, pair)
    engine = biasaudit.engine("en", "gender")
    m2f = sum(engine.swap(m).text == f for m, f in zip(masc, fem))
    f2m = sum(engine.swap(f).text == m for m, f in zip(masc, fem))
    n = len(masc)
    return {"pairs": n, "m2f": m2f / n, "f2m": f2m / n, "both": (m2f + f2m) / (2 * n)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", default="test")
    ap.add_argument("--pair", default="en_de")
    ap.add_argument("--show", type=int, default=0, help="print the first N mismatches")
    args = ap.parse_args()
    scores = evaluate(args.split, args.pair)
    print(f"MT-GenEval {args.split} {args.pair}: {scores['pairs']} pairs")
    print(f"  masculine->feminine exact match: {scores['m2f']:.1%}")
    print(f"  feminine->masculine exact match: {scores['f2m']:.1%}")
    print(f"  both directions:                 {scores['both']:.1%}")
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
