"""Object vectors: one per detected object or user region, from what the refiner found.

Each vector fuses region-pooled visual features (mask-pooled where a mask exists), the normalised
box, an embedding of the label and the score; vectors are padded to `max_objects` with a mask.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class ObjectEncoderConfig:
    """feature_width: channels of the pooled visual features. label_width: label embedding width.
    out_width: object vector width (the MQ-Former's object cross-attention source). max_objects: padding."""

    feature_width: int = 1280
    label_width: int = 576
    out_width: int = 256
    max_objects: int = 32

    def to_dict(self) -> dict:
        return asdict(self)


class ObjectEncoder(nn.Module):
    def __init__(self, config: ObjectEncoderConfig):
        super().__init__()
        self.config = config
        self.feature_norm = nn.LayerNorm(config.feature_width)
        self.label_norm = nn.LayerNorm(config.label_width)
        width = config.feature_width + 4 + config.label_width + 1
        self.fuse = nn.Sequential(nn.Linear(width, config.out_width), nn.GELU(), nn.Linear(config.out_width, config.out_width))
        self.norm = nn.LayerNorm(config.out_width)

    def forward(self, features, boxes, labels, scores):
        """features (B, O, feature_width); boxes (B, O, 4) xyxy in [0, 1]; labels (B, O, label_width);
        scores (B, O) in [0, 1]. Returns (B, O, out_width)."""
        fused = torch.cat([self.feature_norm(features), boxes, self.label_norm(labels), scores[..., None]], dim=-1)
        return self.norm(self.fuse(fused))


def pool_regions(feature_map: torch.Tensor, boxes_norm: np.ndarray, masks: np.ndarray | None = None) -> torch.Tensor:
    """Average a (C, h, w) feature map over each region -> (O, C).

    boxes_norm: (O, 4) xyxy in [0, 1]. masks: optional (O, H, W) bool at image resolution; each is
    area-downsampled to (h, w) and used as weights; an empty (or missing) mask falls back to its box.
    """
    channels, height, width = feature_map.shape
    count = len(boxes_norm)
    if count == 0:
        return feature_map.new_zeros(0, channels)
    weights = torch.zeros(count, height, width, dtype=feature_map.dtype, device=feature_map.device)
    if masks is not None:
        small = F.interpolate(torch.as_tensor(masks, dtype=torch.float32)[:, None], size=(height, width), mode="area")
        weights = small[:, 0].to(feature_map)
    for i, (x1, y1, x2, y2) in enumerate(np.asarray(boxes_norm, np.float64)):
        if weights[i].sum() <= 1e-6:
            c1, r1 = int(np.floor(x1 * width)), int(np.floor(y1 * height))
            c2, r2 = max(c1 + 1, int(np.ceil(x2 * width))), max(r1 + 1, int(np.ceil(y2 * height)))
            weights[i, min(r1, height - 1) : r2, min(c1, width - 1) : c2] = 1.0
    weights = weights / weights.sum(dim=(1, 2), keepdim=True)
    return torch.einsum("ohw,chw->oc", weights, feature_map)


def pad_objects(vectors: torch.Tensor, max_objects: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(O, D) -> ((max_objects, D) zero-padded, (max_objects,) bool mask, True = real object)."""
    count = min(len(vectors), max_objects)
    padded = vectors.new_zeros(max_objects, vectors.shape[-1])
    padded[:count] = vectors[:count]
    mask = torch.zeros(max_objects, dtype=torch.bool, device=vectors.device)
    mask[:count] = True
    return padded, mask
