"""Offline segmentation with OpenCV GrabCut, seeded by a box or by clicked points.

GrabCut runs on a crop around the seed, downscaled to `work_side` pixels, so a box costs a few
milliseconds whatever the photo's size; the mask is scaled back to full resolution.
"""

from __future__ import annotations

import cv2
import numpy as np


class GrabCutSegmenter:
    """Classical segmentation with the same interface as `SamSegmenter`.

    Args:
        work_side: longer side, in pixels, of the crop GrabCut works on.
        iterations: GrabCut iterations.
        point_radius: radius, as a fraction of the crop's longer side, of the seed disc drawn at each click.
    """

    name = "GrabCut (OpenCV)"
    source = None
    embeddings_computed = 0  # nothing to embed: each prompt works on the pixels directly

    def __init__(self, work_side: int = 160, iterations: int = 3, point_radius: float = 0.03):
        self.work_side = work_side
        self.iterations = iterations
        self.point_radius = point_radius

    def clear_cache(self) -> None:
        """Nothing is cached per image (the same interface as `SamSegmenter`)."""

    def segment_boxes(self, rgb: np.ndarray, key: str, xyxy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Masks for N boxes (xyxy pixels) -> ((N, H, W) bool, (N,) share of the box the mask fills)."""
        masks = np.zeros((len(xyxy), *rgb.shape[:2]), bool)
        fill = np.zeros(len(xyxy), np.float32)
        for i, box in enumerate(xyxy):
            masks[i] = self._segment(rgb, box, [], [])
            x1, y1, x2, y2 = box
            fill[i] = masks[i].sum() / max(1.0, (x2 - x1) * (y2 - y1))
        return masks, fill

    def segment_points(self, rgb, key, points, labels, box_hint=None) -> tuple[np.ndarray, float]:
        """One mask from points ((K, 2) pixels) with labels (K,) of 1 = object, 0 = background.

        `box_hint` (xyxy pixels), e.g. the detected box under the click, bounds the object; without
        it a window around the positive points is used. Returns ((H, W) bool mask, 1.0).
        """
        points = np.asarray(points, np.float32).reshape(-1, 2)
        labels = np.asarray(labels).reshape(-1)
        positives = points[labels == 1]
        height, width = rgb.shape[:2]
        if box_hint is None:
            half = 0.25 * min(height, width) + 8
            x1, y1 = positives.min(axis=0) - half
            x2, y2 = positives.max(axis=0) + half
            box_hint = np.array([x1, y1, x2, y2])
        box = np.clip(np.asarray(box_hint, np.float32), 0, [width, height, width, height])
        box[:2] = np.minimum(box[:2], positives.min(axis=0))
        box[2:] = np.maximum(box[2:], positives.max(axis=0) + 1)
        mask = self._segment(rgb, box, positives, points[labels == 0])
        return mask, 1.0

    def _segment(self, rgb, box, positives, negatives) -> np.ndarray:
        height, width = rgb.shape[:2]
        x1, y1, x2, y2 = [float(v) for v in box]
        margin_x, margin_y = 0.15 * (x2 - x1) + 2, 0.15 * (y2 - y1) + 2
        cx1, cy1 = int(max(0, x1 - margin_x)), int(max(0, y1 - margin_y))
        cx2, cy2 = int(min(width, np.ceil(x2 + margin_x))), int(min(height, np.ceil(y2 + margin_y)))
        crop = rgb[cy1:cy2, cx1:cx2]
        scale = min(1.0, self.work_side / max(crop.shape[:2]))
        small = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else crop
        sh, sw = small.shape[:2]

        def to_small(x, y):
            return int(np.clip((x - cx1) * scale, 0, sw - 1)), int(np.clip((y - cy1) * scale, 0, sh - 1))

        seed = np.full((sh, sw), cv2.GC_BGD, np.uint8)
        (bx1, by1), (bx2, by2) = to_small(x1, y1), to_small(x2, y2)
        seed[by1 : by2 + 1, bx1 : bx2 + 1] = cv2.GC_PR_FGD
        if not (seed == cv2.GC_BGD).any():  # the box fills the image: let the border be background
            seed[[0, -1], :] = cv2.GC_PR_BGD
            seed[:, [0, -1]] = cv2.GC_PR_BGD
        radius = max(1, int(self.point_radius * max(sh, sw)))
        for x, y in negatives:
            cv2.circle(seed, to_small(x, y), radius, cv2.GC_BGD, -1)
        for x, y in positives:
            cv2.circle(seed, to_small(x, y), radius, cv2.GC_FGD, -1)
        try:
            bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
            cv2.setRNGSeed(0)  # GrabCut's k-means draws from OpenCV's global RNG: the mask depends on the image alone
            cv2.grabCut(np.ascontiguousarray(small), seed, None, bgd, fgd, self.iterations, cv2.GC_INIT_WITH_MASK)
            small_mask = ((seed == cv2.GC_FGD) | (seed == cv2.GC_PR_FGD)).astype(np.uint8)
        except cv2.error:  # too few pixels of one kind to model: keep the seed itself
            small_mask = ((seed == cv2.GC_FGD) | (seed == cv2.GC_PR_FGD)).astype(np.uint8)
        if len(positives):
            small_mask = _components_touching(small_mask, [to_small(x, y) for x, y in positives])
        crop_mask = cv2.resize(small_mask, (crop.shape[1], crop.shape[0]), interpolation=cv2.INTER_LINEAR)
        mask = np.zeros((height, width), bool)
        mask[cy1:cy2, cx1:cx2] = crop_mask > 0
        return mask


def _components_touching(mask: np.ndarray, seeds: list[tuple[int, int]]) -> np.ndarray:
    """Keep only the connected components of `mask` that contain one of the (x, y) `seeds`."""
    count, components = cv2.connectedComponents(mask, connectivity=8)
    keep = {int(components[y, x]) for x, y in seeds} - {0}
    return np.isin(components, list(keep)).astype(np.uint8) if keep else mask
