"""The offline profile's SmolLM2 as a folder that an OpenAI-compatible server can load (`transformers serve`,
vLLM, TGI): config, safetensors weights, tokenizer and chat template, saved with `save_pretrained`.

    python -m lyrics_model.modeling.llm_export OUT_DIR [--no-adapter]
    transformers serve OUT_DIR --host 127.0.0.1 --port 8000

The weights ship as a GGUF file. A server given the GGUF itself fails at start-up (its config names no
architecture), and a model loaded from a GGUF refuses `save_pretrained` (it counts as quantized), so the
export loads the GGUF through transformers (dequantised), builds a fresh model of the same class from its
config, copies the weights over and saves that. By default the grounded-text adapter shipped for SmolLM2
is merged in first, so the server answers as the in-process model does.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import torch

from ..profiles import PROFILES
from .llm import load_language_model


def export_offline_llm(out_dir: str | os.PathLike, adapter: str | os.PathLike | None = "default",
                       dtype: torch.dtype = torch.float32) -> Path:
    """Save the offline profile's LLM (the adapter merged in: "default" the shipped one, None none, or a
    folder) to `out_dir` in `dtype`; returns the folder. About 540 MB in float32, 270 MB in bfloat16."""
    out = Path(out_dir)
    choice = PROFILES["offline"].llm
    llm = load_language_model(choice.kind, choice.name)
    adapter = PROFILES["offline"].adapter_path() if adapter == "default" else adapter
    if adapter is not None:
        llm.merge_adapter(adapter)
    config = llm.model.config
    config.architectures = [type(llm.model).__name__]  # a GGUF's config leaves it None
    fresh = type(llm.model)(config)
    fresh.load_state_dict(llm.model.state_dict())
    fresh.generation_config = llm.model.generation_config
    fresh.to(dtype).save_pretrained(out)
    llm.tokenizer.save_pretrained(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--no-adapter", action="store_true", help="the base SmolLM2, without the grounded-text adapter")
    parser.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32")
    args = parser.parse_args()
    out = export_offline_llm(args.out_dir, None if args.no_adapter else "default", getattr(torch, args.dtype))
    print(f"saved to {out}; serve it with: transformers serve {out} --host 127.0.0.1 --port 8000")


if __name__ == "__main__":
    main()
