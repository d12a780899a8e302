"""Masks leave the process as COCO run-length encoding: {"size": [h, w], "counts": str}."""

from __future__ import annotations

import numpy as np
from pycocotools import mask as coco_mask


def mask_to_rle(mask: np.ndarray) -> dict:
    """Encode an (H, W) boolean mask as compressed COCO RLE with `counts` as a UTF-8 string."""
    column_major = np.asfortranarray(mask, dtype=bool).view(np.uint8)  # one copy: bool and uint8 share a byte
    return _compressed(coco_mask.encode(column_major))


def crop_to_rle(crop: np.ndarray, offset: tuple[int, int], image_size: tuple[int, int]) -> dict:
    """COCO RLE of an (H, W) mask given as its (h, w) bool `crop` at offset (x, y); image_size = (W, H).

    The crop is written straight into a column-major canvas, the order COCO RLE scans: far cheaper than
    decoding a full-size mask and copying it to that order, for a 12-megapixel photo.
    """
    width, height = image_size
    x, y = offset
    canvas = np.zeros((height, width), np.uint8, order="F")
    canvas[y : y + crop.shape[0], x : x + crop.shape[1]] = crop
    return _compressed(coco_mask.encode(canvas))


def _compressed(rle: dict) -> dict:
    return {"size": [int(rle["size"][0]), int(rle["size"][1])], "counts": rle["counts"].decode("ascii")}


def rle_to_mask(rle: dict) -> np.ndarray:
    """Decode COCO RLE (compressed string counts) back into an (H, W) boolean mask."""
    counts = rle["counts"]
    encoded = {"size": list(rle["size"]), "counts": counts.encode("ascii") if isinstance(counts, str) else counts}
    return coco_mask.decode(encoded).astype(bool)
