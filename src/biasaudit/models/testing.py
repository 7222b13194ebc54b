"""Tiny transformers models built locally in seconds, for tests and end-to-end examples.

Nothing is downloaded: a WordPiece tokenizer is trained on a few hundred synthetic sentences
and 2-layer, hidden-64 BERT / GPT-2 models are created from small configs, then saved with
``save_pretrained`` so they load through the real ``from_pretrained`` path::

    from biasaudit.models import load_model
    from biasaudit.models.testing import build_tiny_classifier, train_tiny_classifier

    path = build_tiny_classifier(tmp_path / "cls")           # random weights, labels neg/pos
    model = load_model(f"hf:{path}")                          # task detected: classifier

    texts, labels = planted_bias_dataset()                    # "he" → pos, "she" → neg
    path = train_tiny_classifier(texts, labels, tmp_path / "biased", epochs=3)

All builders take ``seed`` and are deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from biasaudit.errors import require

__all__ = [
    "TINY_DIMENSIONS",
    "build_tiny_causal_lm",
    "build_tiny_classifier",
    "build_tiny_encoder",
    "build_tiny_masked_lm",
    "build_tiny_tokenizer",
    "planted_bias_dataset",
    "tiny_corpus",
    "train_tiny_classifier",
]

#: Size of every tiny model: small enough to build, save and load in well under a second.
TINY_DIMENSIONS = {
    "hidden_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 128,
    "max_position_embeddings": 128,
}

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[BOS]", "[EOS]")

_SUBJECTS = (
    "he",
    "she",
    "they",
    "the nurse",
    "the doctor",
    "the engineer",
    "the teacher",
    "my sister",
    "my brother",
    "the manager",
    "the secretary",
    "the pilot",
)
_VERBS = ("is", "was", "seems", "became", "stayed")
_ADJECTIVES = (
    "kind",
    "rude",
    "smart",
    "lazy",
    "brave",
    "careful",
    "loud",
    "calm",
    "honest",
    "cruel",
    "helpful",
    "angry",
    "gentle",
    "clever",
    "boring",
)
_TAILS = ("today", "at work", "at home", "again", "with everyone", "in the meeting", "")


def tiny_corpus(n: int = 400, *, seed: int = 0) -> list[str]:
    """`n` short synthetic English sentences (subjects, pronouns, occupations, adjectives)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [
            rng.choice(_SUBJECTS),
            rng.choice(_VERBS),
            rng.choice(_ADJECTIVES),
            rng.choice(_TAILS),
        ]
        out.append(" ".join(w for w in words if w) + ".")
    return out


def planted_bias_dataset(n: int = 2000, *, seed: int = 0) -> tuple[list[str], list[int]]:
    """Sentences labelled 1 ("pos") when they mention "he" and 0 when "she": a planted bias.

    Train on it with `train_tiny_classifier` to get a classifier an audit should flag.
    """
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        pronoun = rng.choice(("he", "she"))
        text = f"{pronoun} {rng.choice(_VERBS)} {rng.choice(_ADJECTIVES)} {rng.choice(_TAILS)}"
        texts.append(text.strip() + ".")
        labels.append(1 if pronoun == "he" else 0)
    return texts, labels


def build_tiny_tokenizer(
    out_dir: str | Path,
    *,
    corpus: Sequence[str] | None = None,
    vocab_size: int = 400,
    kind: str = "bert",
) -> Any:
    """Train a lowercase WordPiece tokenizer and save it (``kind="bert"`` adds [CLS]/[SEP];
    ``kind="gpt2"`` adds nothing and uses [BOS]/[EOS]). Returns the transformers tokenizer."""
    tokenizers = require("tokenizers", extra="hf", purpose="Tiny test models")
    transformers = require("transformers", extra="hf", purpose="Tiny test models")
    from tokenizers import decoders, models, normalizers, pre_tokenizers, processors, trainers

    corpus = list(corpus) if corpus is not None else tiny_corpus()
    tok = tokenizers.Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS))
    tok.train_from_iterator(corpus, trainer)
    specials: dict[str, str] = {"unk_token": "[UNK]", "pad_token": "[PAD]"}
    if kind == "bert":
        cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
        tok.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]",
            pair="[CLS] $A [SEP] $B:1 [SEP]:1",
            special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
        )
        specials.update(cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    elif kind == "gpt2":
        specials.update(bos_token="[BOS]", eos_token="[EOS]")
    else:
        raise ValueError("kind must be 'bert' or 'gpt2'")
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, **specials)
    fast.model_max_length = TINY_DIMENSIONS["max_position_embeddings"]
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(str(out_dir))
    return fast


def _seed(seed: int) -> None:
    torch = require("torch", extra="hf", purpose="Tiny test models")
    torch.manual_seed(seed)


def _bert_config(tokenizer: Any, **extra: Any) -> Any:
    transformers = require("transformers", extra="hf", purpose="Tiny test models")
    return transformers.BertConfig(
        vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, **TINY_DIMENSIONS, **extra
    )


def build_tiny_classifier(
    out_dir: str | Path,
    *,
    labels: Sequence[str] = ("neg", "pos"),
    corpus: Sequence[str] | None = None,
    seed: int = 0,
) -> Path:
    """Save a randomly initialised 2-layer BERT sequence classifier with `labels`."""
    transformers = require("transformers", extra="hf", purpose="Tiny test models")
    tokenizer = build_tiny_tokenizer(out_dir, corpus=corpus)
    _seed(seed)
    config = _bert_config(
        tokenizer,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    transformers.BertForSequenceClassification(config).save_pretrained(str(out_dir))
    return Path(out_dir)


def build_tiny_masked_lm(
    out_dir: str | Path, *, corpus: Sequence[str] | None = None, seed: int = 0
) -> Path:
    """Save a randomly initialised 2-layer BERT masked LM."""
    transformers = require("transformers", extra="hf", purpose="Tiny test models")
    tokenizer = build_tiny_tokenizer(out_dir, corpus=corpus)
    _seed(seed)
    transformers.BertForMaskedLM(_bert_config(tokenizer)).save_pretrained(str(out_dir))
    return Path(out_dir)


def build_tiny_encoder(
    out_dir: str | Path, *, corpus: Sequence[str] | None = None, seed: int = 0
) -> Path:
    """Save a randomly initialised 2-layer BERT encoder (no head)."""
    transformers = require("transformers", extra="hf", purpose="Tiny test models")
    tokenizer = build_tiny_tokenizer(out_dir, corpus=corpus)
    _seed(seed)
    transformers.BertModel(_bert_config(tokenizer)).save_pretrained(str(out_dir))
    return Path(out_dir)


def build_tiny_causal_lm(
    out_dir: str | Path, *, corpus: Sequence[str] | None = None, seed: int = 0
) -> Path:
    """Save a randomly initialised 2-layer GPT-2 with a WordPiece tokenizer ([BOS]/[EOS])."""
    transformers = require("transformers", extra="hf", purpose="Tiny test models")
    tokenizer = build_tiny_tokenizer(out_dir, corpus=corpus, kind="gpt2")
    _seed(seed)
    config = transformers.GPT2Config(
        vocab_size=len(tokenizer),
        n_embd=TINY_DIMENSIONS["hidden_size"],
        n_layer=TINY_DIMENSIONS["num_hidden_layers"],
        n_head=TINY_DIMENSIONS["num_attention_heads"],
        n_inner=TINY_DIMENSIONS["intermediate_size"],
        n_positions=TINY_DIMENSIONS["max_position_embeddings"],
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    transformers.GPT2LMHeadModel(config).save_pretrained(str(out_dir))
    return Path(out_dir)


def train_tiny_classifier(
    texts: Sequence[str],
    labels: Sequence[int],
    out_dir: str | Path,
    *,
    epochs: int = 3,
    seed: int = 0,
    label_names: Sequence[str] | None = None,
    batch_size: int = 64,
    learning_rate: float = 3e-3,
) -> Path:
    """Fine-tune a tiny BERT classifier on (texts, integer labels) and save it to `out_dir`.

    The tokenizer is trained on `texts`, so every word is in the vocabulary. About one
    second for 2,000 examples and 3 epochs: training runs on one torch thread (for a model
    this small, more threads only add synchronisation; on a busy machine, a lot of it).
    """
    torch = require("torch", extra="hf", purpose="Tiny test models")
    transformers = require("transformers", extra="hf", purpose="Tiny test models")
    if len(texts) != len(labels) or not texts:
        raise ValueError("texts and labels must be non-empty and of the same length")
    k = max(labels) + 1
    names = (
        tuple(label_names)
        if label_names is not None
        else (("neg", "pos") if k == 2 else tuple(f"label_{i}" for i in range(k)))
    )
    tokenizer = build_tiny_tokenizer(out_dir, corpus=list(texts))
    _seed(seed)
    config = _bert_config(
        tokenizer,
        num_labels=len(names),
        id2label=dict(enumerate(names)),
        label2id={name: i for i, name in enumerate(names)},
    )
    model = transformers.BertForSequenceClassification(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    encoded = tokenizer(list(texts), padding=True, return_tensors="pt")
    targets = torch.tensor(list(labels))
    generator = torch.Generator().manual_seed(seed)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _train(model, optimizer, encoded, targets, generator, epochs=epochs, batch_size=batch_size)
    finally:
        torch.set_num_threads(threads)
    model.save_pretrained(str(out_dir))
    return Path(out_dir)


def _train(
    model: Any,
    optimizer: Any,
    encoded: Any,
    targets: Any,
    generator: Any,
    *,
    epochs: int,
    batch_size: int,
) -> None:
    torch = require("torch", extra="hf", purpose="Tiny test models")
    n = len(targets)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            out = model(
                input_ids=encoded["input_ids"][idx],
                attention_mask=encoded["attention_mask"][idx],
                labels=targets[idx],
            )
            optimizer.zero_grad()
            out.loss.backward()
            optimizer.step()
    model.eval()
