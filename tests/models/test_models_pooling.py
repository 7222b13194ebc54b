"""Encoder pooling as a sentence-transformers folder configures it: modules.json,
1_Pooling/config.json and Normalize, checked against hand-pooled hidden states, plus the
pooling's part in the cache key and the folder-less and hub-snapshot cases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from biasaudit.errors import UnsupportedError  # noqa: E402
from biasaudit.models import load_model  # noqa: E402
from biasaudit.models.hf import HFEncoder  # noqa: E402

TEXTS = [
    "the nurse is kind.",
    "my brother became brave with everyone in the meeting again.",
    "she seems smart.",
    "he was rude at work.",
    "the pilot stayed calm.",
]


# -- sentence-transformers pooling configuration ------------------------------------------------
_ST_MODES = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "lasttoken")


def st_folder(
    source: Path, target: Path, mode: str | None, *, normalize: bool, extra: list | None = None
) -> Path:
    """A copy of the tiny encoder folder laid out as sentence-transformers saves one:
    modules.json (Transformer, Pooling, Normalize when asked) and 1_Pooling/config.json."""
    shutil.copytree(source, target)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.models.Pooling",
        },
    ]
    if normalize:
        modules.append(
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            }
        )
    modules += extra or []
    (target / "modules.json").write_text(json.dumps(modules))
    hidden_size = json.loads((source / "config.json").read_text())["hidden_size"]
    pooling = {"word_embedding_dimension": hidden_size}
    pooling.update({f"pooling_mode_{m}": m == mode for m in _ST_MODES})
    (target / "1_Pooling").mkdir()
    (target / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    return target


def token_vectors(path: Path, text: str) -> np.ndarray:
    """The encoder's last hidden states for one text alone (no padding at all)."""
    ref = transformers.AutoModel.from_pretrained(path).eval()
    tok = transformers.AutoTokenizer.from_pretrained(path)
    with torch.no_grad():
        return ref(**tok(text, return_tensors="pt")).last_hidden_state[0].numpy()


HAND_POOLING = {
    "cls_token": lambda h: h[0],
    "mean_tokens": lambda h: h.mean(0),
    "max_tokens": lambda h: h.max(0),
    "lasttoken": lambda h: h[-1],
}


@pytest.mark.parametrize("mode", sorted(HAND_POOLING))
@pytest.mark.parametrize("normalize", [False, True])
def test_encoder_pools_as_the_sentence_transformers_folder_says(
    tiny_encoder_path, tmp_path, mode, normalize
):
    folder = st_folder(tiny_encoder_path, tmp_path / "st", mode, normalize=normalize)
    model = load_model(f"hf:{folder}", batch_size=2, cache=False)  # padded batches
    assert isinstance(model, HFEncoder) and model.normalize is normalize
    got = model.embed(TEXTS)
    for text, row in zip(TEXTS, got, strict=True):
        expected = HAND_POOLING[mode](token_vectors(folder, text))
        if normalize:
            expected = expected / np.linalg.norm(expected)
        np.testing.assert_allclose(row, expected, atol=1e-5)


def test_explicit_normalize_wins_over_the_folder(tiny_encoder_path, tmp_path):
    folder = st_folder(tiny_encoder_path, tmp_path / "st", "cls_token", normalize=False)
    got = load_model(f"hf:{folder}", normalize=True, cache=False).embed(TEXTS[:2])
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_a_folder_without_configuration_still_mean_pools_and_normalizes(tiny_encoder_path):
    model = load_model(f"hf:{tiny_encoder_path}", cache=False)
    assert model.pooling == ("mean",) and model.normalize is True
    got = model.embed(TEXTS[:1])[0]
    expected = token_vectors(tiny_encoder_path, TEXTS[0]).mean(0)
    np.testing.assert_allclose(got, expected / np.linalg.norm(expected), atol=1e-5)


def test_pooling_is_part_of_the_cache_key(tiny_encoder_path, tmp_path):
    """Copies of one folder share a content fingerprint; a shared cache must still not hand
    mean-pooled vectors to a CLS model. Mean pooling (the default) keeps its old key, so
    answers cached before pooling was configurable stay valid."""
    cache = tmp_path / "cache.sqlite"
    plain = load_model(f"hf:{tiny_encoder_path}", cache=cache)
    mean = load_model(
        f"hf:{st_folder(tiny_encoder_path, tmp_path / 'mean', 'mean_tokens', normalize=True)}",
        cache=cache,
    )
    cls = load_model(
        f"hf:{st_folder(tiny_encoder_path, tmp_path / 'cls', 'cls_token', normalize=True)}",
        cache=cache,
    )
    assert plain.fingerprint == mean.fingerprint == cls.fingerprint  # same weights
    first = plain.embed(TEXTS)
    np.testing.assert_array_equal(mean.embed(TEXTS), first)
    assert mean.stats.cache_hits == len(TEXTS)  # same pooling: the cached answers serve
    got = cls.embed(TEXTS)
    assert cls.stats.cache_hits == 0
    expected = token_vectors(tiny_encoder_path, TEXTS[0])[0]
    np.testing.assert_allclose(got[0], expected / np.linalg.norm(expected), atol=1e-5)


def test_pooling_that_cannot_be_reproduced_is_refused(tiny_encoder_path, tmp_path):
    weighted = st_folder(tiny_encoder_path, tmp_path / "weighted", None, normalize=False)
    config = weighted / "1_Pooling" / "config.json"
    config.write_text(
        json.dumps({**json.loads(config.read_text()), "pooling_mode_weightedmean_tokens": True})
    )
    with pytest.raises(UnsupportedError, match="weightedmean_tokens"):
        load_model(f"hf:{weighted}")
    dense = {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"}
    with pytest.raises(UnsupportedError, match="Dense"):
        folder = st_folder(
            tiny_encoder_path, tmp_path / "d", "max_tokens", normalize=True, extra=[dense]
        )
        load_model(f"hf:{folder}")


def test_several_modes_are_concatenated_in_sentence_transformers_order(tiny_encoder_path, tmp_path):
    folder = st_folder(tiny_encoder_path, tmp_path / "st", "cls_token", normalize=False)
    config = folder / "1_Pooling" / "config.json"
    config.write_text(
        json.dumps({**json.loads(config.read_text()), "pooling_mode_mean_tokens": True})
    )
    model = load_model(f"hf:{folder}", cache=False)
    assert model.pooling == ("cls", "mean")
    got = model.embed(TEXTS[:1])
    assert got.shape == (1, 2 * model.model.config.hidden_size)
    hidden = token_vectors(folder, TEXTS[0])
    np.testing.assert_allclose(got[0], np.concatenate([hidden[0], hidden.mean(0)]), atol=1e-5)


def test_a_hub_id_pools_as_its_cached_snapshot_says(tiny_encoder_path, tmp_path, monkeypatch):
    """A hub model downloaded whole (huggingface-cli download) into the Hugging Face cache."""
    import huggingface_hub.constants

    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--org--tiny-bge"
    st_folder(tiny_encoder_path, repo / "snapshots" / commit, "cls_token", normalize=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    from biasaudit.models.hf import _cached_snapshot

    assert _cached_snapshot("org/tiny-bge", None) == repo / "snapshots" / commit
    assert _cached_snapshot("org/other", None) is None
    from biasaudit.models.hf import HFModel

    # (what HFEncoder passes on to the generic loader, which would then load the weights;
    # the loader's own options, which from_pretrained forwards as given, are left out)
    forwarded = {"device", "dtype", "trust_remote_code", "revision", "name"}
    sources = []

    def generic(cls, path, local, **options):
        sources.append((path, local))
        return {k: v for k, v in options.items() if k not in forwarded}

    monkeypatch.setattr(HFModel, "_from_source", classmethod(generic))
    assert HFEncoder.from_pretrained("org/tiny-bge") == {"pooling": ("cls",), "normalize": True}
    assert sources == [("org/tiny-bge", False)]  # resolved once, then passed down
    assert HFEncoder.from_pretrained("org/tiny-bge", pooling="mean", normalize=False) == {
        "pooling": "mean",
        "normalize": False,
    }
    assert HFEncoder.from_pretrained("org/other") == {}  # not cached: the adapter's defaults


def test_the_default_model_reads_mean_pooling_and_normalize_from_its_folder():
    model = load_model("default")
    assert model.pooling == ("mean",) and model.normalize is True
