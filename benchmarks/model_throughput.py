"""Throughput of biasaudit model adapters against the practical limit and common practice.

For the embedded default encoder (all-MiniLM-L6-v2) and a tiny local BERT classifier:
texts/s of the adapter vs (a) a hand-written length-sorted batched forward loop over the same
texts (the practical limit) and (b) the per-example ``transformers.pipeline`` loop. Then a
repeated-texts run (counterfactual sets repeat texts) showing the de-duplication/cache gain,
and requests/s of the OpenAI-compatible adapter at concurrency 32 against a loopback server
with a fixed 50 ms latency (ideal: 32 / 0.05 s = 640 req/s).

    PYTHONPATH=src python benchmarks/model_throughput.py           # full run (3-6 min)
    PYTHONPATH=src python benchmarks/model_throughput.py --quick   # smaller run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("CI", "1")  # no progress bars in the timings

BATCH_SIZE = 32

_SUBJECTS = [
    "The nurse",
    "The engineer",
    "My neighbour",
    "The new manager",
    "Her brother",
    "The young doctor",
    "A teacher from the village",
    "The pilot",
    "His sister",
    "The retired professor",
    "Our secretary",
    "The firefighter",
]
_VERBS = [
    "said that",
    "explained why",
    "argued that",
    "wondered whether",
    "wrote that",
    "told everyone that",
    "insisted that",
    "complained that",
]
_CLAUSES = [
    "the report was late",
    "the meeting had been moved to Thursday",
    "nobody had checked the figures before the deadline",
    "the children were happy with the new playground near the river",
    "she would finish the project",
    "he could not find the keys",
    "the patients needed more time and better care during the long winter nights",
    "the results were surprisingly good",
    "they should hire more staff",
    "the old bridge was finally repaired after years of complaints from drivers",
]
_TAILS = [
    "",
    " yesterday",
    " at the end of a long and tiring week",
    " again",
    " without giving any further details",
    " to the whole team",
]


def sentences(n: int, *, seed: int = 0) -> list[str]:
    """`n` distinct synthetic English sentences of varied length (about 6 to 35 words)."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < n:
        text = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAUSES)}"
        if rng.random() < 0.35:
            text += f" and {rng.choice(_CLAUSES)}"
        out[text + rng.choice(_TAILS) + "."] = None
    return list(out)


def best_rate(fn: Callable[[], object], count: int, repeats: int) -> float:
    """Best items/s over `repeats` runs (the machine is shared, so the best is the signal)."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return count / best


def paired_rates(
    a: Callable[[], object], b: Callable[[], object], count: int, repeats: int
) -> tuple[float, float]:
    """Best items/s of `a` and of `b`, run alternately so that load changes hit both alike."""
    best_a = best_b = float("inf")
    for _ in range(repeats):
        for fn, which in ((a, "a"), (b, "b")):
            gc.collect()
            start = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - start
            if which == "a":
                best_a = min(best_a, elapsed)
            else:
                best_b = min(best_b, elapsed)
    return count / best_a, count / best_b


def chunked_paired_rates(
    a: Callable[[list[str]], object],
    b: Callable[[list[str]], object],
    texts: list[str],
    *,
    chunks: int,
    repeats: int,
) -> tuple[float, float]:
    """Items/s of `a` and `b` over `texts` cut into `chunks` parts, each part timed `repeats`
    times, alternating a/b, keeping the best time per part: short back-to-back runs see the
    same machine load, which keeps the comparison fair on a shared machine."""
    size = -(-len(texts) // chunks)
    parts = [texts[i : i + size] for i in range(0, len(texts), size)]
    total_a = total_b = 0.0
    for part in parts:
        best_a = best_b = float("inf")
        for r in range(repeats):
            order = ((a, "a"), (b, "b")) if r % 2 == 0 else ((b, "b"), (a, "a"))
            for fn, which in order:
                start = time.perf_counter()
                fn(part)
                elapsed = time.perf_counter() - start
                if which == "a":
                    best_a = min(best_a, elapsed)
                else:
                    best_b = min(best_b, elapsed)
        total_a += best_a
        total_b += best_b
    return len(texts) / total_a, len(texts) / total_b


def hand_loop(
    model, tokenizer, texts: list[str], head: str, max_length: int, batch_size: int = BATCH_SIZE
) -> list:
    """The practical limit: tokenize, sort by length, pad per batch, one forward per batch
    (on the model's device; one copy back per batch)."""
    import torch

    enc = tokenizer(texts, truncation=True, max_length=max_length)["input_ids"]
    order = sorted(range(len(texts)), key=lambda i: -len(enc[i]))
    out: list = [None] * len(texts)
    pad = tokenizer.pad_token_id
    device = next(model.parameters()).device
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            width = max(len(enc[i]) for i in batch)
            ids = torch.full((len(batch), width), pad, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, i in enumerate(batch):
                ids[row, : len(enc[i])] = torch.tensor(enc[i])
                mask[row, : len(enc[i])] = 1
            ids, mask = ids.to(device), mask.to(device)
            result = model(input_ids=ids, attention_mask=mask)
            if head == "embed":
                hidden = result.last_hidden_state
                w = mask.unsqueeze(-1).float()
                vec = torch.nn.functional.normalize((hidden * w).sum(1) / w.sum(1), dim=-1)
            else:
                vec = torch.softmax(result.logits.float(), -1)
            rows = vec.float().cpu().numpy()
            for row, i in enumerate(batch):
                out[i] = rows[row]
    return out


def pipeline_loop(pipe, texts: list[str], head: str) -> list:
    """What many tools do: call a transformers pipeline once per example."""
    import numpy as np

    out = []
    for text in texts:
        if head == "embed":
            out.append(np.asarray(pipe(text)[0]).mean(0))
        else:
            out.append(pipe(text, top_k=None))
    return out


def local_rows(kind: str, path: Path | None, texts: list[str], repeats: int, pipe_n: int):
    """Benchmark one local model; returns table rows."""
    import numpy as np
    import transformers

    from biasaudit.models import load_model

    head = "embed" if kind == "default" else "proba"
    spec = "default" if path is None else f"hf:{path}"

    adapter = load_model(spec, batch_size=BATCH_SIZE)

    def fresh():
        """The same loaded model with an empty cache (what a new audit starts with)."""
        adapter.cache.clear_memory()
        return adapter

    tokenizer, model = adapter.tokenizer, adapter.model
    max_length = adapter.max_length

    def run(m, items: list[str]) -> object:
        return m.embed(items) if head == "embed" else m.predict_proba(items)

    # Warm up both paths once (first-call allocations, lazy imports).
    run(adapter, texts[:64])
    hand_loop(model, tokenizer, texts[:64], head, max_length)

    rate_adapter, rate_hand = chunked_paired_rates(
        lambda part: run(fresh(), part),
        lambda part: hand_loop(model, tokenizer, part, head, max_length),
        texts,
        chunks=max(1, len(texts) // 200),
        repeats=repeats,
    )
    # Same numbers either way (checked, so the comparison is fair).
    got = run(fresh(), texts[:50])
    ref = np.stack(hand_loop(model, tokenizer, texts[:50], head, max_length))
    assert np.allclose(got, ref, atol=1e-4), "adapter and hand loop disagree"

    task = "feature-extraction" if head == "embed" else "text-classification"
    pipe = transformers.pipeline(task, model=model, tokenizer=tokenizer, device="cpu")
    sub = texts[:pipe_n]
    pipeline_loop(pipe, sub[:8], head)
    rate_pipe = best_rate(lambda: pipeline_loop(pipe, sub, head), len(sub), min(repeats, 2))

    # Counterfactual-style input: every text appears 4 times; then the same call again.
    repeated = [t for t in texts for _ in range(4)]
    random.Random(1).shuffle(repeated)
    rate_rep_adapter, rate_rep_hand = paired_rates(
        lambda: run(fresh(), repeated),
        lambda: hand_loop(model, tokenizer, repeated, head, max_length),
        len(repeated),
        min(repeats, 2),
    )
    warm = fresh()
    run(warm, repeated)
    rate_warm = best_rate(lambda: run(warm, repeated), len(repeated), repeats)
    name = "all-MiniLM-L6-v2 (default)" if path is None else "tiny BERT classifier"
    return [
        (name, f"{len(texts)} unique", rate_adapter, rate_hand, rate_pipe),
        (name, f"{len(repeated)} (4x repeats)", rate_rep_adapter, rate_rep_hand, None),
        (name, f"{len(repeated)} again (LRU warm)", rate_warm, None, None),
    ]


SERVER_SCRIPT = r"""
# A minimal asyncio HTTP/1.1 server (keep-alive, Content-Length) answering OpenAI chat
# completions after a fixed latency. Leaner than the threaded test server, so that the
# client adapter, not the server, is what gets measured.
import asyncio, json, sys

LATENCY = float(sys.argv[1])


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = json.loads(await reader.readexactly(length))
            await asyncio.sleep(LATENCY)
            prompt = body["messages"][-1]["content"]
            answer = {"choices": [{"index": 0, "finish_reason": "stop",
                      "message": {"role": "assistant", "content": "reply to " + prompt}}]}
            data = json.dumps(answer).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
    print("http://127.0.0.1:%d" % server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)


asyncio.run(main())
"""


async def raw_httpx(url: str, n_requests: int, concurrency: int) -> None:
    """The practical limit for remote calls: bare httpx workers, no cache or retries."""
    import httpx

    context = httpx.create_ssl_context()
    prompts = iter(range(n_requests))

    async def worker() -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(verify=context, limits=limits) as client:
            for i in prompts:
                body = {"model": "stub", "messages": [{"role": "user", "content": f"raw {i}"}]}
                response = await client.post(url + "/v1/chat/completions", json=body)
                response.json()["choices"][0]["message"]["content"]

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def remote_rows(n_requests: int, repeats: int, concurrency: int = 32, latency: float = 0.05):
    """Requests/s at `concurrency` against a loopback server with a fixed latency."""
    from biasaudit.models import OpenAIModel

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # The server runs in its own process so that client and server do not share one GIL.
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        url = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            warm = OpenAIModel(url, "stub", concurrency=concurrency)
            warm.generate([f"warm {i}" for i in range(64)])
            prompts = [f"prompt {i}" for i in range(n_requests)]
            caches = iter(Path(tmp) / f"run{i}.sqlite" for i in range(repeats))

            def adapter_run() -> None:  # a fresh persistent cache each time: all real requests
                model = OpenAIModel(url, "stub", concurrency=concurrency, cache=next(caches))
                model.generate(prompts)
                assert model.stats.remote_calls == n_requests

            rate, raw_rate = paired_rates(
                adapter_run,
                lambda: asyncio.run(raw_httpx(url, n_requests, concurrency)),
                n_requests,
                repeats,
            )
            again = OpenAIModel(
                url, "stub", concurrency=concurrency, cache=Path(tmp) / "run0.sqlite"
            )
            start = time.perf_counter()
            again.generate(prompts)
            cached_rate = n_requests / (time.perf_counter() - start)
            assert again.stats.remote_calls == 0
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    ideal = concurrency / latency
    return rate, raw_rate, cached_rate, ideal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller, faster run")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(2)
    n_texts = 300 if args.quick else 1200
    repeats = 1 if args.quick else 5
    pipe_n = 100 if args.quick else 300
    texts = sentences(n_texts)

    from biasaudit.models.testing import build_tiny_classifier, tiny_corpus

    rows = []
    rows += local_rows("default", None, texts, repeats, pipe_n)
    with tempfile.TemporaryDirectory() as tmp:
        tiny = build_tiny_classifier(Path(tmp) / "tiny", corpus=tiny_corpus() + texts[:400])
        rows += local_rows("tiny", tiny, texts, repeats, pipe_n)
    remote = remote_rows(256 if args.quick else 1024, repeats)

    print(
        f"\nLocal models: texts/s, torch threads = {torch.get_num_threads()}, "
        f"batch size {BATCH_SIZE}, best of {repeats} alternating runs (per 200-text part)"
    )
    header = (
        f"{'model':28} {'input':26} {'adapter':>9} {'hand loop':>10} {'adapter/hand':>13} "
        f"{'pipeline/ex':>12}"
    )
    print(header)
    print("-" * len(header))
    for name, what, adapter, hand, pipe in rows:
        ratio = f"{adapter / hand:12.0%}" if hand else f"{'':12}"
        hand_s = f"{hand:10.0f}" if hand else f"{'':10}"
        pipe_s = f"{pipe:12.0f}" if pipe else f"{'':12}"
        print(f"{name:28} {what:26} {adapter:9.0f} {hand_s} {ratio:>13} {pipe_s}")
    rate, raw_rate, cached_rate, ideal = remote
    print("\nRemote: OpenAI-compatible adapter, loopback server, 50 ms latency, concurrency 32")
    print(f"  adapter          {rate:7.0f} req/s  ({rate / ideal:.0%} of the ideal {ideal:.0f})")
    print(f"  bare httpx loop  {raw_rate:7.0f} req/s  ({raw_rate / ideal:.0%})")
    print(f"  cached re-run    {cached_rate:7.0f} req/s  (0 remote calls)")


if __name__ == "__main__":
    main()
