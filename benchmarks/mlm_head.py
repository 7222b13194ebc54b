"""Pseudo-log-likelihood with the prediction head on masked positions only, against full logits.

A masked LM scores a sentence of L tokens with L forward passes, each needing the logits of
one position. Full logits cost rows × L × vocabulary in the head (for XLM-R's 250k words
the head alone outweighs the encoder); the adapter runs the head on the masked position
only. Both paths are timed on the same randomly initialised BERT models (hidden 256,
4 layers) with a BERT-sized and an XLM-R-sized vocabulary, alternating, best of 3, and
their scores compared.

    PYTHONPATH=src python benchmarks/mlm_head.py            # about 6 minutes on 2 CPU cores
    PYTHONPATH=src python benchmarks/mlm_head.py --n 40     # the figures in docs/models.md
    PYTHONPATH=src python benchmarks/mlm_head.py --n 400 --device cuda   # on a GPU (auto dtype)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("CI", "1")  # no progress bars in the timings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model_throughput import sentences


def build(root: Path, vocab: int) -> Path:
    """A BERT masked LM with `vocab` words (the tiny tokenizer's ids are a subset)."""
    import torch
    import transformers

    from biasaudit.models.testing import build_tiny_tokenizer

    tokenizer = build_tiny_tokenizer(root, vocab_size=2000)
    config = transformers.BertConfig(
        vocab_size=vocab,
        hidden_size=256,
        num_hidden_layers=4,
        num_attention_heads=4,
        intermediate_size=1024,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    transformers.BertForMaskedLM(config).save_pretrained(str(root))
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="sentences to score")
    parser.add_argument("--device", default="cpu", help="cpu (default), cuda, or auto")
    args = parser.parse_args()

    import numpy as np
    import torch

    from biasaudit.models import load_model

    texts = sentences(args.n, seed=3)
    print(
        f"{'vocabulary':>10} {'head on masked only':>20} {'full logits':>12} {'speed-up':>9}"
        f" {'max |diff|':>11}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for vocab in (30_522, 250_002):
            device = None if args.device == "auto" else args.device
            model = load_model(
                f"hf:{build(Path(tmp) / str(vocab), vocab)}", task="masked-lm", device=device
            )
            head = model._head
            best = {"head": float("inf"), "full": float("inf")}
            scores = {}
            for _ in range(3):
                for name in ("head", "full"):
                    model._head = head if name == "head" else None
                    model.cache.clear_memory()
                    start = time.perf_counter()
                    scores[name] = model.loglikelihood(texts)
                    best[name] = min(best[name], time.perf_counter() - start)
            diff = float(np.max(np.abs(scores["head"] - scores["full"])))
            rate = {k: args.n / v for k, v in best.items()}
            print(
                f"{vocab:>10,} {rate['head']:>14,.1f} s/s {rate['full']:>8,.1f} s/s"
                f" {best['full'] / best['head']:>8.1f}x {diff:>11.1e}",
                flush=True,
            )
            del model
    where = (
        torch.cuda.get_device_name()
        if torch.cuda.is_available() and args.device != "cpu"
        else f"{torch.get_num_threads()} CPU threads"
    )
    print(f"(s/s: sentences per second; torch {torch.__version__}, {where})")


if __name__ == "__main__":
    main()
