"""The photo's pixels and the working pixels the models see: one mapping for every coordinate in or out.

A photo whose longer side exceeds `max_side` is processed downscaled (the working image), so refining
it costs what a `max_side` image costs. Callers never see that scale: boxes, masks, click points and
sizes going in or out of the public API are pixels of the photo as uploaded (after EXIF orientation).
`PhotoFrame` maps inputs to working pixels and outputs back to the photo's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np
import supervision as sv
from supervision.detection.compact_mask import CompactMask

from .errors import PromptError


@dataclass(frozen=True)
class PhotoFrame:
    """The photo (as uploaded) and the working image the models see.

    photo_size: (width, height) of the photo in pixels. working_size: (width, height) of the working
    image (equal to photo_size unless the photo was downscaled).
    """

    photo_size: tuple[int, int]
    working_size: tuple[int, int]

    @property
    def identity(self) -> bool:
        """True when the models see the photo at its own size (nothing to map)."""
        return self.photo_size == self.working_size

    @property
    def scale(self) -> float:
        """Working pixels per photo pixel (1.0 unless downscaled), along the width."""
        return self.working_size[0] / self.photo_size[0]

    @property
    def _factors(self) -> np.ndarray:
        """(sx, sy, sx, sy): working pixels per photo pixel per axis (rounding makes them differ slightly)."""
        sx = self.working_size[0] / self.photo_size[0]
        sy = self.working_size[1] / self.photo_size[1]
        return np.array([sx, sy, sx, sy], np.float64)

    def points_in(self, points) -> np.ndarray:
        """Click points (K, 2) in photo pixels -> working pixels (float32).

        Raises PromptError for a point outside the photo (named in the photo's pixels).
        """
        points = np.asarray(points, np.float32).reshape(-1, 2)
        width, height = self.photo_size
        outside = (points[:, 0] < 0) | (points[:, 1] < 0) | (points[:, 0] >= width) | (points[:, 1] >= height)
        if outside.any():
            x, y = points[outside][0]
            raise PromptError(f"point ({x:.0f}, {y:.0f}) is outside the {width}x{height} image")
        return (points * self._factors[:2]).astype(np.float32)

    def boxes_in(self, xyxy) -> np.ndarray:
        """Boxes (N, 4) or (4,) [x1, y1, x2, y2] in photo pixels -> working pixels (float32)."""
        return (np.asarray(xyxy, np.float64) * self._factors).astype(np.float32)

    def boxes_out(self, xyxy) -> np.ndarray:
        """Boxes (N, 4) or (4,) in working pixels -> photo pixels (float32)."""
        return (np.asarray(xyxy, np.float64) / self._factors).astype(np.float32)

    def mask_in(self, mask: np.ndarray) -> np.ndarray:
        """An (H, W) bool mask at the photo's size -> (h, w) bool at the working size.

        A working pixel is in the mask when at least half the photo pixels it covers are; a mask too thin
        for that keeps every working pixel it touches, so no non-empty region vanishes.
        """
        if self.identity:
            return mask
        coverage = cv2.resize(mask.astype(np.float32), self.working_size, interpolation=cv2.INTER_AREA)
        working = coverage >= 0.5
        return working if working.any() else coverage > 0

    def mask_out(self, mask: np.ndarray) -> np.ndarray:
        """An (h, w) bool mask at the working size -> (H, W) bool at the photo's size (nearest neighbour)."""
        if self.identity:
            return mask
        return cv2.resize(mask.astype(np.uint8), self.photo_size, interpolation=cv2.INTER_NEAREST).astype(bool)

    def lines_out(self, lines: list) -> list:
        """Text lines (`TextLine`: box and (4, 2) polygon) in working pixels -> the photo's pixels."""
        if self.identity:
            return list(lines)
        fx, fy = (1.0 / f for f in self._factors[:2])
        return [line.scaled(fx, fy) for line in lines]

    def detections_out(self, detections: sv.Detections) -> sv.Detections:
        """Working-pixel detections -> photo pixels; masks become a `CompactMask` at the photo's size."""
        return resize_detections(detections, self.working_size, self.photo_size)


def resize_detections(detections: sv.Detections, from_size: tuple[int, int], to_size: tuple[int, int]) -> sv.Detections:
    """`detections` on an image of from_size (W, H) redrawn for one of to_size: boxes scaled, masks resized.

    Masks ((N, H, W) bool or a `CompactMask`) come back as a `supervision` `CompactMask` (each mask's
    bounding-box crop, run-length encoded): a dense mask is decoded only when indexed (`mask[i]`), so
    twenty masks of a 12-megapixel photo hold kilobytes, not 240 MB.
    """
    if from_size == to_size:
        return detections
    factors = np.array([to_size[0] / from_size[0], to_size[1] / from_size[1]] * 2, np.float64)
    mask = detections.mask
    if mask is not None:
        mask = compact_masks(mask).resize((to_size[1], to_size[0]))
    return replace(detections, xyxy=(detections.xyxy.astype(np.float64) * factors).astype(np.float32), mask=mask)


def compact_masks(masks) -> CompactMask:
    """(N, H, W) bool masks as a `CompactMask`, cropped to each mask's own bounds (a mask may reach past its
    detector box, so the box is not the crop)."""
    if isinstance(masks, CompactMask):
        return masks
    masks = np.asarray(masks, bool)
    return CompactMask.from_dense(masks, sv.mask_to_xyxy(masks), image_shape=masks.shape[1:])
