"""Chunk planning speed and memory: how long ``plan_text_file`` takes to cut a generated
CSV (plain, every field quoted, lone-``\\r`` line ends with stray quotes) and a one-line
JSONL file, and the most memory it allocates (``tracemalloc``) while doing it.

Usage: PYTHONPATH=src python benchmarks/plan_speed.py [--rows 1000000] [--jsonl-mb 64]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from biasaudit.data.sources import plan_text_file

WORDS = "she he the nurse doctor mother father cooked said hello world data report".split()


def write_csv(path: Path, rows: int, *, quote_all: bool = False, newline: str = "\n",
              stray: bool = False) -> None:
    rnd = random.Random(1)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator=newline,
                       quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        w.writerow(["text", "label", "id"])
        for i in range(rows):
            text = " ".join(rnd.choice(WORDS) for _ in range(3))
            if i % 10 == 0:
                text += ", and more"  # a quoted field
            if stray and i % 7 == 0:
                text = text.replace(" ", ' 5" ', 1)  # a quote inside an unquoted field
            w.writerow([text, rnd.choice("ab"), str(i)])


def measure(path: Path, fmt: str) -> tuple[float, float, int]:
    t = time.perf_counter()
    n = sum(1 for _ in plan_text_file(str(path), fmt))
    seconds = time.perf_counter() - t
    tracemalloc.start()
    sum(1 for _ in plan_text_file(str(path), fmt))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 2**20, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--jsonl-mb", type=int, default=64)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "csv, \\n": (Path(tmp, "plain.csv"), {}),
            "csv, all quoted": (Path(tmp, "quoted.csv"), {"quote_all": True}),
            "csv, lone \\r + stray quotes": (Path(tmp, "cr.csv"),
                                             {"newline": "\r", "stray": True}),
        }
        print(f"{'file':32} {'MB':>7} {'chunks':>7} {'seconds':>8} {'peak MB':>8}")
        for label, (path, kw) in files.items():
            write_csv(path, args.rows, **kw)
            s, peak, n = measure(path, "csv")
            print(f"{label:32} {path.stat().st_size / 2**20:7.1f} {n:7} {s:8.3f} {peak:8.1f}")
        path = Path(tmp, "one-line.jsonl")
        path.write_bytes(b'{"text": "' + b"x" * (args.jsonl_mb << 20) + b'"}\n')
        s, peak, n = measure(path, "jsonl")
        print(f"{'jsonl, one line':32} {path.stat().st_size / 2**20:7.1f} {n:7} {s:8.3f} "
              f"{peak:8.1f}")


if __name__ == "__main__":
    main()
