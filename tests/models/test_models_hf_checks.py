"""Loading checks of the Hugging Face adapters: a checkpoint loaded for a task whose weights
it lacks, options with values the adapter cannot use, and paths that are not hub ids."""

from __future__ import annotations

import json
import re
import shutil

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from biasaudit.errors import (  # noqa: E402
    MissingWeightsError,
    ModelNotFoundError,
    ModelOptionError,
)
from biasaudit.models import load_model  # noqa: E402
from biasaudit.models.hf import (  # noqa: E402
    HFCausalLM,
    HFClassifier,
    HFEncoder,
)


# -- a task whose head the checkpoint lacks is refused, not filled with random weights ---------
@pytest.mark.parametrize("task", ["causal-lm", "masked-lm"])
def test_a_classifier_loaded_as_a_language_model_is_refused(tiny_classifier_path, task):
    with pytest.raises(MissingWeightsError) as info:
        load_model(f"hf:{tiny_classifier_path}", task=task)
    message = str(info.value)
    assert str(tiny_classifier_path) in message and f"as a {task}" in message
    assert "cls.predictions.transform.dense.weight" in message and "random" in message
    assert "task='classifier'" in message
    assert info.value.task == task and "cls.predictions.bias" in info.value.missing


def test_a_language_model_loaded_as_a_classifier_is_refused(tiny_gpt2_path):
    with pytest.raises(MissingWeightsError, match=r"score\.weight") as info:
        load_model(f"hf:{tiny_gpt2_path}", task="classifier")
    assert "task='causal-lm'" in str(info.value) and str(tiny_gpt2_path) in str(info.value)


def test_a_base_model_loaded_as_a_classifier_is_refused(tiny_encoder_path):
    with pytest.raises(MissingWeightsError, match=r"classifier\.weight") as info:
        load_model(f"hf:{tiny_encoder_path}", task="text-classification")
    assert info.value.task == "classifier" and "task='encoder'" in str(info.value)


def test_a_checkpoint_missing_the_head_its_config_names_is_refused(tmp_path, tiny_encoder_path):
    """Task detection trusts config.architectures; weights that are not there still count."""
    folder = tmp_path / "lying-config"
    shutil.copytree(tiny_encoder_path, folder)
    config = json.loads((folder / "config.json").read_text())
    config["architectures"] = ["BertForSequenceClassification"]
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(MissingWeightsError, match="incomplete") as info:
        load_model(f"hf:{folder}")
    assert info.value.task == "classifier"


def test_weights_a_task_does_not_use_or_that_are_tied_are_not_missing(
    tiny_mlm_path, tiny_gpt2_path, tiny_classifier_path
):
    # a masked LM has no pooler: as an encoder it pools the hidden states, never the pooler
    encoder = load_model(f"hf:{tiny_mlm_path}", task="encoder", cache=False)
    assert isinstance(encoder, HFEncoder) and encoder.embed(["he is kind."]).shape == (1, 64)
    # GPT-2's lm_head is tied to the token embeddings, not saved apart
    lm = load_model(f"hf:{tiny_gpt2_path}", task="causal-lm", cache=False)
    assert lm.model.lm_head.weight.data_ptr() == lm.model.transformer.wte.weight.data_ptr()
    assert isinstance(load_model(f"hf:{tiny_classifier_path}", task="encoder"), HFEncoder)


def test_tied_parameters_listed_as_missing_hold_loaded_values():
    """Some transformers versions list a tied LM head among the missing keys."""
    from biasaudit.models.hf import _untrained_parameters

    config = transformers.GPT2Config(vocab_size=20, n_embd=8, n_layer=1, n_head=2, n_positions=8)
    model = transformers.GPT2LMHeadModel(config)
    assert _untrained_parameters(model, ["lm_head.weight"]) == []
    both = ["lm_head.weight", "transformer.wte.weight"]
    assert _untrained_parameters(model, both) == both  # tied, but neither was loaded
    assert _untrained_parameters(model, ["transformer.h.0.attn.bias"]) == []  # not a parameter


def test_a_masked_lm_is_not_scored_as_a_causal_lm(tiny_mlm_path):
    """BERT as BertLMHeadModel has every weight, but reads both directions."""
    with pytest.raises(ModelOptionError, match="task='masked-lm'") as info:
        load_model(f"hf:{tiny_mlm_path}", task="causal-lm")
    assert info.value.option == "task" and "both directions" in str(info.value)


def test_a_task_transformers_has_no_class_for_names_the_task(tiny_gpt2_path):
    with pytest.raises(ModelOptionError, match="as a masked-lm") as info:
        load_model(f"hf:{tiny_gpt2_path}", task="masked-lm")
    assert info.value.option == "task" and "gpt2" in str(info.value)


# -- max_length -----------------------------------------------------------------------------
@pytest.mark.parametrize("value", [0, -5, 129, 512, 2.5, True])
@pytest.mark.parametrize("which", ["classifier", "gpt2"])
def test_max_length_outside_the_model_is_refused(
    tiny_classifier_path, tiny_gpt2_path, which, value
):
    path = tiny_classifier_path if which == "classifier" else tiny_gpt2_path
    with pytest.raises(ModelOptionError, match=re.escape(f"max_length={value!r}")) as info:
        load_model(f"hf:{path}", max_length=value)
    assert info.value.option == "max_length"
    if value in (129, 512):
        assert "128 positions" in str(info.value)


def test_max_length_within_the_model_is_kept(tiny_classifier_path, tiny_gpt2_path):
    assert load_model(f"hf:{tiny_classifier_path}", max_length=128).max_length == 128
    assert load_model(f"hf:{tiny_gpt2_path}", max_length=16).max_length == 16
    # [CLS] and [SEP] need room besides the text; the causal LM its BOS
    with pytest.raises(ModelOptionError, match="2 special token"):
        load_model(f"hf:{tiny_classifier_path}", max_length=2)
    with pytest.raises(ModelOptionError, match="BOS"):
        load_model(f"hf:{tiny_gpt2_path}", max_length=1)


def test_max_length_may_pass_the_tokenizers_limit_but_not_the_positions(tiny_classifier_path):
    model = transformers.AutoModelForSequenceClassification.from_pretrained(tiny_classifier_path)
    tok = transformers.AutoTokenizer.from_pretrained(tiny_classifier_path)
    tok.model_max_length = 64
    assert HFClassifier(model, tok, name="a", fingerprint="a").max_length == 64
    assert HFClassifier(model, tok, name="b", fingerprint="b", max_length=100).max_length == 100
    with pytest.raises(ModelOptionError, match="128 positions"):
        HFClassifier(model, tok, name="c", fingerprint="c", max_length=200)


# -- other options --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("batch_size", 0),
        ("batch_size", -1),
        ("batch_size", 2.5),
        ("temperature", -1),
        ("temperature", float("nan")),
        ("temperature", "hot"),
        ("top_p", 2),
        ("top_p", 0),
        ("top_k", -1),
        ("top_k", 2.5),
    ],
)
def test_bad_options_are_named_before_the_weights_are_read(
    tiny_gpt2_path, monkeypatch, option, value
):
    def no_load(*args, **kwargs):
        raise AssertionError("the weights were read before the options were checked")

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", no_load)
    with pytest.raises(ModelOptionError, match=re.escape(f"{option}={value!r}")) as info:
        load_model(f"hf:{tiny_gpt2_path}", **{option: value})
    assert info.value.option == option


def test_options_are_checked_when_an_adapter_wraps_a_loaded_model(tiny_gpt2_path):
    model = transformers.AutoModelForCausalLM.from_pretrained(tiny_gpt2_path)
    tok = transformers.AutoTokenizer.from_pretrained(tiny_gpt2_path)
    with pytest.raises(ModelOptionError, match=r"top_p=1\.5"):
        HFCausalLM(model, tok, name="g", fingerprint="g", top_p=1.5)
    with pytest.raises(ModelOptionError, match="batch_size=0"):
        HFCausalLM(model, tok, name="g", fingerprint="g", batch_size=0)


@pytest.mark.parametrize(
    ("argument", "value"),
    [("seed", None), ("seed", "1"), ("seed", 1.5), ("n", 0), ("max_new_tokens", 0)],
)
def test_bad_generate_arguments_are_named(tiny_gpt2_path, argument, value):
    lm = load_model(f"hf:{tiny_gpt2_path}", cache=False)
    with pytest.raises(ModelOptionError, match=re.escape(f"{argument}={value!r}")) as info:
        lm.generate(["he is"], **{argument: value})
    assert info.value.option == argument


def test_a_device_that_is_not_a_torch_device_is_named(tiny_classifier_path):
    with pytest.raises(ModelOptionError, match="device='gpu0' is not a torch device") as info:
        load_model(f"hf:{tiny_classifier_path}", device="gpu0")
    assert info.value.option == "device"


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_without_cuda_is_named(tiny_classifier_path):
    with pytest.raises(ModelOptionError, match="device='cuda', but"):
        load_model(f"hf:{tiny_classifier_path}", device="cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_a_cuda_index_past_the_gpus_is_named(tiny_classifier_path):
    count = torch.cuda.device_count()
    with pytest.raises(ModelOptionError, match=f"only {count} CUDA GPU"):
        load_model(f"hf:{tiny_classifier_path}", device=f"cuda:{count}")
    model = load_model(f"hf:{tiny_classifier_path}", device="cuda:0", cache=False)
    assert model.device.type == "cuda" and model.predict_proba(["he is kind."]).shape == (1, 3)


# -- paths ------------------------------------------------------------------------------------
def test_a_folder_without_config_json_is_not_found(tmp_path, tiny_classifier_path):
    with pytest.raises(ModelNotFoundError, match=r"without config\.json"):
        load_model(f"hf:{tmp_path}")
    shutil.copytree(tiny_classifier_path, tmp_path / "0_Transformer")
    with pytest.raises(ModelNotFoundError, match="0_Transformer"):
        load_model(f"hf:{tmp_path}")


def test_a_relative_path_under_an_existing_folder_is_never_a_hub_id(tmp_path, monkeypatch):
    def no_hub(*args, **kwargs):
        raise AssertionError("tried as a hub id")

    monkeypatch.setattr(transformers.AutoConfig, "from_pretrained", no_hub)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", no_hub)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    with pytest.raises(ModelNotFoundError, match="read as a local path") as info:
        load_model("hf:models/nothere")
    assert str(tmp_path / "models" / "nothere") in str(info.value)
    with pytest.raises(ModelNotFoundError, match="read as a local path"):
        load_model("hf:models/nothere", task="classifier")
