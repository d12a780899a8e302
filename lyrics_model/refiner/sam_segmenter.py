"""Segmentation with Segment Anything (segment-anything package): boxes at refine time, points on click.

The split mirrors `SamPredictor`: the image embedding (seconds on a CPU) is computed once per image
and cached by image hash; each box or click prompt then costs only the light mask decoder.
"""

from __future__ import annotations

import os
import threading
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
import torch
# `_build_sam` is the one place segment-anything names every size; the public registry hard-codes
# three of them, and a tiny variant keeps tests fast.
from segment_anything.build_sam import _build_sam
from segment_anything.predictor import SamPredictor

from ..image_cache import ImageCache
from ..weights import WeightsSource, resolve_file

SAM_URL = "https://dl.fbaipublicfiles.com/segment_anything/"


@dataclass(frozen=True)
class SamVariant:
    """Image-encoder sizes of one SAM variant and its official checkpoint file."""

    embed_dim: int
    depth: int
    num_heads: int
    global_attn_indexes: tuple[int, ...]
    checkpoint: str | None


SAM_VARIANTS = {
    "vit_h": SamVariant(1280, 32, 16, (7, 15, 23, 31), "sam_vit_h_4b8939.pth"),
    "vit_l": SamVariant(1024, 24, 16, (5, 11, 17, 23), "sam_vit_l_0b3195.pth"),
    "vit_b": SamVariant(768, 12, 12, (2, 5, 8, 11), "sam_vit_b_01ec64.pth"),
    "vit_tiny": SamVariant(64, 2, 2, (1,), None),  # random-weight tests only: no official checkpoint
}


def checkpoint_name(variant: str) -> str:
    """The file name of SAM `variant`'s checkpoint (downloads and the cache use it)."""
    return SAM_VARIANTS[variant].checkpoint or f"sam_{variant}.pth"


def build_sam(variant: str, checkpoint: str | os.PathLike | None = None):
    """A `segment_anything.modeling.Sam` of `variant`, loaded from `checkpoint` (a state dict) if given."""
    v = SAM_VARIANTS[variant]
    return _build_sam(v.embed_dim, v.depth, v.num_heads, list(v.global_attn_indexes),
                      checkpoint=None if checkpoint is None else str(checkpoint))


@dataclass
class SamEmbedding:
    """SAM's image embedding and the sizes needed to map prompts into it.

    features: (1, 256, 64, 64) float tensor. original_size / input_size: (H, W) in pixels.
    """

    features: torch.Tensor
    original_size: tuple[int, int]
    input_size: tuple[int, int]


class SamSegmenter:
    """Masks from boxes or points with a SAM model.

    Args:
        sam: a `segment_anything.modeling.Sam`.
        bf16: run the image encoder under bfloat16 autocast on CPU (about 2x faster).
        cache_size: number of image embeddings kept.
    """

    def __init__(self, sam, name="", source: WeightsSource | None = None, bf16=True, cache_size=8):
        self.predictor = SamPredictor(sam)
        self.device = sam.device
        self.name = name
        self.source = source
        self.bf16 = bf16 and self.device.type == "cpu"
        self._embeddings: ImageCache[SamEmbedding] = ImageCache(cache_size)
        self._lock = threading.Lock()  # SamPredictor holds one image at a time
        self.embeddings_computed = 0

    @classmethod
    def from_pretrained(cls, variant="vit_b", weights: str | os.PathLike | None = None, device="cpu", **kw):
        """Load SAM `variant` from `weights` (a file) or its official checkpoint (cached, else downloaded)."""
        source = resolve_file(checkpoint_name(variant), SAM_URL, explicit=weights)
        sam = build_sam(variant, source.path).to(device)
        return cls(sam, name=f"SAM {variant}", source=source, **kw)

    def embed(self, rgb: np.ndarray, key: str) -> SamEmbedding:
        """The cached embedding of `rgb` ((H, W, 3) uint8) under `key`, computed on first use."""
        return self._embeddings.get_or_compute(key, lambda: self._compute_embedding(rgb))

    def clear_cache(self) -> None:
        """Forget every cached image embedding."""
        self._embeddings.clear()

    @torch.inference_mode()
    def _compute_embedding(self, rgb: np.ndarray) -> SamEmbedding:
        transform = self.predictor.transform
        resized = transform.apply_image(rgb)
        pixels = torch.as_tensor(resized, device=self.device).permute(2, 0, 1).contiguous()[None]
        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else nullcontext()
        model = self.predictor.model
        with autocast:
            features = model.image_encoder(model.preprocess(pixels))
        self.embeddings_computed += 1
        return SamEmbedding(features.float(), tuple(rgb.shape[:2]), tuple(pixels.shape[-2:]))

    def _load(self, embedding: SamEmbedding) -> None:
        self.predictor.features = embedding.features
        self.predictor.original_size = embedding.original_size
        self.predictor.input_size = embedding.input_size
        self.predictor.is_image_set = True

    @torch.inference_mode()
    def segment_boxes(self, rgb: np.ndarray, key: str, xyxy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Masks for N boxes (xyxy pixels) -> ((N, H, W) bool masks, (N,) predicted IoU scores)."""
        if len(xyxy) == 0:
            return np.zeros((0, *rgb.shape[:2]), bool), np.zeros(0, np.float32)
        embedding = self.embed(rgb, key)
        with self._lock:
            self._load(embedding)
            boxes = self.predictor.transform.apply_boxes_torch(
                torch.as_tensor(xyxy, dtype=torch.float32, device=self.device), embedding.original_size
            )
            masks, scores, _ = self.predictor.predict_torch(None, None, boxes=boxes, multimask_output=False)
        return masks[:, 0].cpu().numpy(), scores[:, 0].float().cpu().numpy()

    def segment_points(self, rgb, key, points, labels, box_hint=None) -> tuple[np.ndarray, float]:
        """One mask from points ((K, 2) pixels) with labels (K,) of 1 = object, 0 = background.

        `box_hint` is unused: SAM needs no seed rectangle. Returns ((H, W) bool, predicted IoU).
        """
        embedding = self.embed(rgb, key)
        with self._lock, torch.inference_mode():
            self._load(embedding)
            masks, scores, _ = self.predictor.predict(
                point_coords=np.asarray(points, np.float32), point_labels=np.asarray(labels, np.int64),
                multimask_output=len(points) == 1,  # one click is ambiguous: pick SAM's best of three
            )
        best = int(np.argmax(scores))
        return masks[best], float(scores[best])
