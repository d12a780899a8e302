"""Save and load a bridge: bridge_config.json + bridge.safetensors + lora/ (peft adapter, safetensors).

Nothing is unpickled: tensors load with safetensors only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from safetensors.torch import load_file, save_file

from ..errors import WeightsUnavailable
from .bridge import BridgeConfig, LyricsBridge

CONFIG_FILE = "bridge_config.json"
WEIGHTS_FILE = "bridge.safetensors"
LORA_FOLDER = "lora"


def save_bridge(folder: str | os.PathLike, bridge: LyricsBridge, llm) -> Path:
    """Write the bridge (and the LLM's LoRA adapter, if it has one) into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_FILE).write_text(json.dumps(bridge.config.to_dict(), indent=1))
    state = {k: v.detach().contiguous().cpu() for k, v in bridge.state_dict().items()}
    save_file(state, folder / WEIGHTS_FILE)
    if hasattr(llm.model, "peft_config"):
        llm.model.save_pretrained(folder / LORA_FOLDER)  # adapter weights only, as safetensors
    return folder


def load_bridge(folder: str | os.PathLike, llm, vision_encoder=None) -> LyricsBridge:
    """Rebuild the bridge saved in `folder` and merge its LoRA adapter into `llm` (in place; merged, the
    adapter costs nothing per token).

    vision_encoder: the profile's CLIP encoder, needed when the bridge was trained on CLIP features.
    Raises WeightsUnavailable when the folder is not a bridge checkpoint or was made for another LLM size.
    """
    folder = Path(folder)
    if not (folder / CONFIG_FILE).is_file() or not (folder / WEIGHTS_FILE).is_file():
        raise WeightsUnavailable(f"{folder} is not a bridge checkpoint (needs {CONFIG_FILE} and {WEIGHTS_FILE})")
    config = BridgeConfig.from_dict(json.loads((folder / CONFIG_FILE).read_text()))
    if config.llm_hidden != llm.hidden_size:
        raise WeightsUnavailable(f"bridge {folder} was trained for an LLM of width {config.llm_hidden} "
                                 f"({config.llm_name}); the loaded LLM has width {llm.hidden_size}")
    if config.vision is None and vision_encoder is None:
        raise WeightsUnavailable(f"bridge {folder} was trained on {config.vision_name} features; load it with a "
                                 "profile whose tagger is that CLIP (cpu or gpu)")
    bridge = LyricsBridge(config, vision_encoder=vision_encoder)
    bridge.load_state_dict(load_file(folder / WEIGHTS_FILE), strict=True)
    if (folder / LORA_FOLDER).is_dir():
        from peft import PeftModel

        llm.model = PeftModel.from_pretrained(llm.model, folder / LORA_FOLDER, is_trainable=False).merge_and_unload()
    bridge.to(llm.device).eval()
    llm.model.eval()
    return bridge
