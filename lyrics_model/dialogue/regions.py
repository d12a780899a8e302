"""User regions (a mask or a box the user selected) and how they relate to the refiner's objects."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import supervision as sv

from ..errors import PromptError
from ..photo_pixels import PhotoFrame
from ..refiner.result import RefineResult
from ..rle import rle_to_mask

REGION_ID = re.compile(r"region[1-9]\d*")


@dataclass
class Region:
    """A region the user refers to as `id` ("region1", ...).

    box: [x1, y1, x2, y2] pixels. mask: (H, W) bool or None (a box-only region).
    """

    id: str
    box: np.ndarray
    mask: np.ndarray | None = None


@dataclass
class RegionMatch:
    """The detected object that overlaps a region best: its id ("obj3"), label, score and IoU."""

    object_id: str
    label: str
    score: float
    iou: float


def make_regions(regions, size: tuple[int, int]) -> list[Region]:
    """Validate user regions: each an (H, W) bool mask, its COCO RLE ({"size": [H, W], "counts"}) or an
    [x1, y1, x2, y2] pixel box, in pixels of the photo of size = (W, H).

    A list names them region1, region2, ... in order; a dict {"region3": mask, ...} keeps its names
    (so a UI can remove a region without renaming the others).
    """
    width, height = size
    out = []
    named = regions.items() if isinstance(regions, dict) else ((f"region{i + 1}", r) for i, r in enumerate(regions or []))
    for region_id, region in named:
        if not REGION_ID.fullmatch(str(region_id)):
            raise PromptError(f"region names look like region1, region2...; got {region_id!r}")
        if isinstance(region, dict) and "counts" in region:
            region = _decode_rle(region_id, region)
        array = np.asarray(region)
        if array.ndim == 2 and array.shape == (height, width):
            mask = array.astype(bool)
            ys, xs = np.nonzero(mask)
            if len(xs) == 0:
                raise PromptError(f"{region_id} is an empty mask")
            box = np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], np.float32)
            out.append(Region(region_id, box, mask))
        elif array.shape == (4,):
            x1, y1, x2, y2 = array.astype(np.float32)
            if not (x2 > x1 and y2 > y1):
                raise PromptError(f"{region_id} box must have x2 > x1 and y2 > y1, got {array.tolist()}")
            if x2 <= 0 or y2 <= 0 or x1 >= width or y1 >= height:
                raise PromptError(f"{region_id} box {array.tolist()} lies outside the {width}x{height} image")
            box = np.clip(np.array([x1, y1, x2, y2], np.float32), 0, [width, height, width, height])
            out.append(Region(region_id, box))
        else:
            raise PromptError(f"{region_id} must be a {height}x{width} mask or an [x1, y1, x2, y2] box, "
                              f"got shape {array.shape}")
    return out


def _decode_rle(region_id: str, rle: dict) -> np.ndarray:
    try:
        return rle_to_mask(rle)
    except (KeyError, TypeError, ValueError) as err:
        raise PromptError(f"{region_id} is not a valid COCO RLE mask ({err})") from None


def in_working_pixels(regions: list[Region], frame: PhotoFrame) -> list[Region]:
    """Regions validated in the photo's pixels -> the working image's (boxes scaled, masks resized)."""
    if frame.identity:
        return list(regions)
    return [Region(r.id, frame.boxes_in(r.box), None if r.mask is None else frame.mask_in(r.mask)) for r in regions]


def best_match(region: Region, result: RefineResult) -> RegionMatch | None:
    """The refiner's object with the highest IoU with `region` (mask IoU where both have masks)."""
    detections = result.detections
    if len(detections) == 0:
        return None
    if region.mask is not None and detections.mask is not None:
        ious = sv.mask_iou_batch(region.mask[None], detections.mask)[0]
    else:
        ious = sv.box_iou_batch(region.box[None], detections.xyxy)[0]
    best = int(np.argmax(ious))
    if ious[best] <= 0:
        return None
    return RegionMatch(result.object_ids()[best], result.labels[best], float(detections.confidence[best]),
                       float(ious[best]))
