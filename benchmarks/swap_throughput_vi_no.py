"""Swap throughput for Vietnamese and Norwegian (sentences per second, one core).

Runs each configuration over the gold sentences (tests/languages/data/{vi,no}_gold.tsv)
repeated to ``--n`` sentences, after a warm-up, and prints one row per configuration.
The engine is single-threaded; pin it to one core with ``taskset -c 0`` for a clean figure.

    PYTHONPATH=src taskset -c 0 .venv/bin/python benchmarks/swap_throughput_vi_no.py
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from biasaudit import CounterfactualEngine

DATA = Path(__file__).resolve().parent.parent / "tests" / "languages" / "data"

CONFIGS: list[tuple[str, str, str, dict]] = [
    ("vi", "vi", "gender", {}),
    ("vi+names", "vi", "gender", {"names": True}),
    ("vi+pyvi", "vi", "gender", {"segmenter": "pyvi"}),
    ("vi+underthesea", "vi", "gender", {"segmenter": "underthesea"}),
    ("vi names axis", "vi", "names", {}),
    ("nb", "nb", "gender", {}),
    ("nb+names", "nb", "gender", {"names": True}),
    ("nn", "nn", "gender", {}),
]


def sentences(lang: str) -> list[str]:
    """The gold sources of one language (nb and nn from no_gold.tsv)."""
    name = "vi_gold.tsv" if lang == "vi" else "no_gold.tsv"
    with (DATA / name).open(encoding="utf-8") as f:
        return [r["source"] for r in csv.DictReader(f, delimiter="\t") if r["lang"] == lang]


def measure(engine: CounterfactualEngine, texts: list[str], n: int) -> float:
    """Sentences per second of ``engine.swap`` over ``n`` sentences cycled from ``texts``."""
    batch = (texts * (n // len(texts) + 1))[:n]
    for text in texts:  # warm-up (lazy imports, caches)
        engine.swap(text)
    start = time.perf_counter()
    for _ in engine.swap_many(batch):
        pass
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000, help="sentences per configuration")
    parser.add_argument("--only", nargs="*", help="configuration names to run")
    args = parser.parse_args()
    print(f"{'configuration':<16}{'sentences/s':>14}")
    for label, lang, axis, options in CONFIGS:
        if args.only and label not in args.only:
            continue
        try:
            engine = CounterfactualEngine(lang, axis, options=options)
        except ImportError as exc:
            print(f"{label:<16}{'skipped':>14}  ({exc})")
            continue
        n = args.n if "segmenter" not in options else max(1, args.n // 20)
        print(f"{label:<16}{measure(engine, sentences(lang), n):>14,.0f}")


if __name__ == "__main__":
    main()
