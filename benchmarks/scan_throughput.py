"""Training-data scan throughput: MB/s and examples/s, peak memory, and scaling.

Usage: python benchmarks/scan_throughput.py [--mb 500] [--lang en] [--skip-dask]

Generates a JSONL corpus of ``--mb`` megabytes (English-like sentences with gendered
terms, occupations and a label) in a temporary folder, then times, each in a fresh
subprocess so peak RSS (``resource.getrusage``) is its own:

* ``biasaudit.data.scan`` in one process (``LocalRunner(workers=1)``);
* the naive approach: one ``\\b term \\b`` regex per lexicon term, looped per example
  (on the first ``--naive-mb`` megabytes only: it is slow);
* a local process pool with 2 workers, and Dask ``LocalCluster`` with 1 and 2 worker
  processes (one thread each); the Dask results are checked equal to the local scan.

Targets: >= 20 MB/s per core for English, flat memory, 2 workers >= 1.7x one. Numbers on
a shared machine move with its load: the 1-minute load average is printed with them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILLER = """the a of and to in is was for on with as by at from that this it be are were has
had have after before during while when where which new old first last year years city
company team project report meeting plan data study school house car road river park
market music film book paper board group office work job life home family day week month
time morning evening night early late small large long short good great high low public
local national annual major second third final open closed big little young green blue
red white black north south east west central main early about over under into through
between around against without within along across near behind beyond said says told
asked made took gave found saw went came began started finished moved lived worked
played wrote read called joined left stayed returned announced published""".split()

TERMS = {
    "en": "he she his her him himself herself man woman men women boy girl father mother "
          "son daughter brother sister husband wife king queen mr mrs uncle aunt".split(),
}
OCCUPATIONS = {"en": "engineer nurse doctor teacher lawyer pilot secretary manager".split()}


def generate(path: Path, mb: float, *, lang: str = "en", seed: int = 0) -> int:
    """Write about ``mb`` MB of JSONL; returns the number of examples."""
    rng = random.Random(seed)
    terms, occs = TERMS[lang], OCCUPATIONS[lang]
    pool = []
    for _ in range(20_000):
        words = [rng.choice(FILLER) for _ in range(rng.randint(14, 40))]
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            words.insert(rng.randrange(len(words)), rng.choice(terms))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(occs))
        text = " ".join(words).capitalize() + "."
        pool.append(json.dumps({"text": text, "label": rng.choice(["pos", "neg"]),
                                "split": rng.choice(["train", "train", "dev"])}) + "\n")
    target = int(mb * 1e6)
    n = size = 0
    with open(path, "w", encoding="utf-8") as f:
        while size < target:
            batch = rng.choices(pool, k=10_000)
            f.write("".join(batch))
            size += sum(len(s) for s in batch)
            n += len(batch)
    return n


def child(args: argparse.Namespace) -> None:
    """One measurement, printed as JSON (run in a fresh process)."""
    from biasaudit.data import DaskRunner, LocalRunner, ScanConfig, scan
    from biasaudit.data.counts import engines_for, occupation_matcher

    config = ScanConfig(lang=args.lang, label_field="label", meta_fields=("split",))
    size = Path(args.data).stat().st_size
    t0, cpu0 = time.perf_counter(), _cpu()
    extra: dict = {}
    if args.child == "local":
        result = scan(args.data, config, runner=LocalRunner(args.workers, progress=False))
        cpu = _cpu() - cpu0
    elif args.child == "dask":
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            # a long-lived cluster has its engines built: build them before timing
            client.run(engines_for, args.lang, ("gender",), ())
            client.run(occupation_matcher, args.lang, ("gender",), (), None)
            w0 = sum(client.run(_cpu).values())
            t0, cpu0 = time.perf_counter(), _cpu()
            result = scan(args.data, config, runner=DaskRunner(client=client, progress=False))
            cpu = _cpu() - cpu0 + sum(client.run(_cpu).values()) - w0
            extra["worker_rss_mb"] = max(client.run(_rss_mb).values())
    else:
        naive(args, size)
        return
    seconds = time.perf_counter() - t0
    extra["mb_cpu_s"] = size / 1e6 / cpu
    c = result.counts
    digest = json.dumps([sorted(map(str, c.term_docs.items())),
                         sorted(map(str, c.term_label.items())),
                         sorted(map(str, c.term_occ.items()))])
    print(json.dumps({"seconds": seconds, "mb_s": size / 1e6 / seconds,
                      "examples_s": c.examples / seconds, "examples": c.examples,
                      "peak_rss_mb": _rss_mb(),
                      "digest": hashlib.sha1(digest.encode()).hexdigest(), **extra}))


def _cpu() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive(args: argparse.Namespace, size: int) -> None:
    """One case-insensitive ``\\bterm\\b`` regex per term, looped over every example."""
    import biasaudit

    eng = biasaudit.engine(args.lang, "gender")
    terms = sorted({" ".join(f.split()) for e in eng.lexicons.entries
                    for forms in e.forms.values() for f in forms})
    regexes = [(t, re.compile(r"\b" + re.escape(t) + r"\b", re.IGNORECASE)) for t in terms]
    limit = int(args.naive_mb * 1e6)
    read = n = 0
    counts: dict[str, int] = {}
    t0, cpu0 = time.perf_counter(), _cpu()
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            read += len(line.encode())
            text = json.loads(line)["text"]
            for t, rx in regexes:
                if rx.search(text):
                    counts[t] = counts.get(t, 0) + 1
            n += 1
            if read >= limit:
                break
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "mb_s": read / 1e6 / seconds,
                      "mb_cpu_s": read / 1e6 / (_cpu() - cpu0),
                      "examples_s": n / seconds, "examples": n, "terms": len(regexes),
                      "peak_rss_mb": _rss_mb()}))


def run_child(data: Path, kind: str, workers: int, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--data", str(data), "--workers",
           str(workers), "--lang", args.lang, "--naive-mb", str(args.naive_mb)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=500.0, help="corpus size in MB (>= 500 for "
                    "the reference figures; smaller for a quick run)")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--naive-mb", type=float, default=5.0, help="0 skips the naive loop")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = args.keep or Path(tmp) / "corpus.jsonl"
        t0 = time.perf_counter()
        n = generate(data, args.mb, lang=args.lang)
        size = data.stat().st_size
        print(f"corpus: {size / 1e6:.1f} MB, {n} examples ({time.perf_counter() - t0:.1f} s to "
              f"generate); cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
        rows = [("biasaudit, 1 process", run_child(data, "local", 1, args))]
        if args.naive_mb > 0:
            rows.append((f"naive regex loop (first {args.naive_mb:g} MB)",
                         run_child(data, "naive", 1, args)))
        rows.append(("biasaudit, 2 local processes", run_child(data, "local", 2, args)))
        if not args.skip_dask:
            rows += [("biasaudit on Dask, 1 worker", run_child(data, "dask", 1, args)),
                     ("biasaudit on Dask, 2 workers", run_child(data, "dask", 2, args))]
        print(f"{'configuration':40} {'MB/s':>8} {'MB/cpu-s':>9} {'examples/s':>12} "
              f"{'seconds':>8} {'peak RSS MB':>12}")
        for name, r in rows:
            if "error" in r:
                print(f"{name:40} failed: {r['error']}")
                continue
            rss = r["peak_rss_mb"]
            if "worker_rss_mb" in r:
                rss = f"{rss:.0f}/{r['worker_rss_mb']:.0f}w"
            else:
                rss = f"{rss:.0f}"
            print(f"{name:40} {r['mb_s']:8.1f} {r['mb_cpu_s']:9.1f} {r['examples_s']:12.0f} "
                  f"{r['seconds']:8.1f} {rss:>12}")
        res = dict(rows)
        one = res["biasaudit, 1 process"]
        for name in ("biasaudit, 2 local processes", "biasaudit on Dask, 2 workers"):
            if name in res and "mb_s" in res[name] and "mb_s" in one:
                print(f"speed-up {name} vs 1 process: {res[name]['mb_s'] / one['mb_s']:.2f}x")
        d1, d2 = res.get("biasaudit on Dask, 1 worker", {}), res.get(
            "biasaudit on Dask, 2 workers", {})
        if "mb_s" in d1 and "mb_s" in d2:
            print(f"speed-up Dask 2 workers vs 1 worker: {d2['mb_s'] / d1['mb_s']:.2f}x")
        digests = {r.get("digest") for n_, r in rows if "digest" in r}
        print(f"identical counts across engines: {len(digests) == 1}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
