"""The bridge between the refiner and the LLM: object encoder + MQ-Former + projectors (+ a small
vision encoder when the profile has no CLIP), trained in two stages and saved as one checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .llm import LoraSettings
from .mq_former import MQFormer, MQFormerConfig
from .object_encoder import ObjectEncoder, ObjectEncoderConfig, pad_objects, pool_regions
from .vision_encoder import PatchEncoder, PatchEncoderConfig, feature_map, to_pixels


@dataclass
class BridgeConfig:
    """Everything needed to rebuild a bridge.

    vision: a `PatchEncoderConfig` for a trainable encoder saved with the bridge, or None to use the
        profile's frozen CLIP (`vision_name` records which).
    llm_name / llm_hidden: the language model the projector was trained for.
    """

    mq_former: MQFormerConfig = field(default_factory=MQFormerConfig)
    objects: ObjectEncoderConfig = field(default_factory=ObjectEncoderConfig)
    vision: PatchEncoderConfig | None = None
    vision_name: str = "patch"
    llm_name: str = ""
    llm_hidden: int = 576
    lora: LoraSettings = field(default_factory=LoraSettings)
    #: False for the text-only ablation: no soft tokens reach the LLM, regions are given as box text.
    soft_tokens: bool = True
    #: False for the boxes-only ablation: object features are pooled inside boxes, masks are ignored.
    use_masks: bool = True

    def to_dict(self) -> dict:
        return {
            "mq_former": self.mq_former.to_dict(), "objects": self.objects.to_dict(),
            "vision": self.vision.to_dict() if self.vision else None, "vision_name": self.vision_name,
            "llm_name": self.llm_name, "llm_hidden": self.llm_hidden,
            "lora": {"r": self.lora.r, "alpha": self.lora.alpha, "dropout": self.lora.dropout,
                     "target_modules": list(self.lora.target_modules)},
            "soft_tokens": self.soft_tokens, "use_masks": self.use_masks,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "BridgeConfig":
        lora = dict(data["lora"])
        lora["target_modules"] = tuple(lora["target_modules"])
        return cls(MQFormerConfig(**data["mq_former"]), ObjectEncoderConfig(**data["objects"]),
                   PatchEncoderConfig(**data["vision"]) if data.get("vision") else None, data["vision_name"],
                   data["llm_name"], data["llm_hidden"], LoraSettings(**lora), data.get("soft_tokens", True),
                   data.get("use_masks", True))


@dataclass
class SceneObjects:
    """The refiner's objects (or user regions) in the form the object encoder reads.

    boxes_norm: (O, 4) xyxy in [0, 1]. masks: (O, H, W) bool or None. labels: O names. scores: (O,).
    """

    boxes_norm: np.ndarray
    masks: np.ndarray | None
    labels: list[str]
    scores: np.ndarray


class LyricsBridge(nn.Module):
    """Image + objects (+ instruction) -> soft tokens for the LLM.

    Args:
        config: `BridgeConfig`.
        vision_encoder: the frozen CLIP encoder when `config.vision` is None (not saved with the bridge).
    """

    def __init__(self, config: BridgeConfig, vision_encoder: nn.Module | None = None):
        super().__init__()
        self.config = config
        if config.vision is not None:
            self.vision = PatchEncoder(config.vision)
        elif vision_encoder is not None:
            self.__dict__["vision"] = vision_encoder  # kept out of state_dict: it is the profile's CLIP
        else:
            raise ValueError(f"bridge expects the vision encoder {config.vision_name}; pass vision_encoder")
        self.object_encoder = ObjectEncoder(config.objects)
        self.mq_former = MQFormer(config.mq_former)
        self.projector = nn.Linear(config.mq_former.hidden_size, config.llm_hidden)
        self.region_projector = nn.Linear(config.objects.out_width, config.llm_hidden)

    def encode_image(self, rgb: np.ndarray) -> torch.Tensor:
        """(H, W, 3) uint8 -> (P, C) patch tokens."""
        return self.vision.encode(rgb)

    def encode_images(self, images: list[np.ndarray]) -> torch.Tensor:
        """B images -> (B, P, C) patch tokens (one batched pass for the trainable encoder)."""
        if isinstance(self.vision, PatchEncoder):
            size = self.vision.config.image_size
            pixels = torch.stack([to_pixels(image, size) for image in images]).to(self.vision.positions.device)
            return self.vision(pixels)
        return torch.stack([self.vision.encode(image) for image in images])

    def encode_objects(self, patches: torch.Tensor, objects: SceneObjects, label_embeddings: torch.Tensor) -> torch.Tensor:
        """Object vectors (O, out_width) from patch tokens (P, C), objects, and (O, L) label embeddings
        (features pooled inside each object's mask, or its box when it has none or `use_masks` is off)."""
        device = patches.device
        if len(objects.labels) == 0:
            return patches.new_zeros(0, self.config.objects.out_width)
        fmap = feature_map(patches, self.vision.grid)
        pooled = pool_regions(fmap, objects.boxes_norm, objects.masks if self.config.use_masks else None)
        boxes = torch.as_tensor(np.asarray(objects.boxes_norm, np.float32), device=device)
        scores = torch.as_tensor(np.asarray(objects.scores, np.float32), device=device)
        return self.object_encoder(pooled[None], boxes[None], label_embeddings[None].to(pooled), scores[None])[0]

    def soft_tokens(self, patches, patch_mask, object_vectors, object_mask, instruction_ids=None, instruction_mask=None):
        """(B, P, C) patches, (B, O, D) object vectors (+ their bool masks, True = valid) and an optional
        (B, T) instruction -> (B, Q, llm_hidden) soft tokens, Q = ViT queries + object queries."""
        queries, _ = self.mq_former(patches, patch_mask, object_vectors, object_mask,
                                    input_ids=instruction_ids, text_mask=instruction_mask)
        return self.projector(queries)

    def region_tokens(self, region_vectors: torch.Tensor) -> torch.Tensor:
        """(R, out_width) region vectors -> (R, llm_hidden): one soft token per user region."""
        return self.region_projector(region_vectors)

    def pad(self, object_vectors: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return pad_objects(object_vectors, self.config.objects.max_objects)


def label_embeddings(llm, labels: list[str]) -> torch.Tensor:
    """(O, hidden): the mean input embedding of each label's tokens in the LLM (frozen semantics)."""
    if not labels:
        return torch.zeros(0, llm.hidden_size, device=llm.device)
    rows = []
    with torch.no_grad():
        for label in labels:
            ids = llm.tokenizer(" " + label, add_special_tokens=False, return_tensors="pt").input_ids.to(llm.device)
            rows.append(llm.embed_tokens(ids)[0].mean(dim=0))
    return torch.stack(rows)


class LabelEmbeddings:
    """Label -> (hidden,) mean LLM input embedding, computed once per label."""

    def __init__(self, llm):
        self.llm, self.cache = llm, {}

    def __call__(self, labels: list[str]) -> torch.Tensor:
        missing = [label for label in labels if label not in self.cache]
        if missing:
            self.cache.update(zip(missing, label_embeddings(self.llm, missing).detach()))
        if not labels:
            return torch.zeros(0, self.llm.hidden_size)
        return torch.stack([self.cache[label] for label in labels])
