"""The visual refiner: tagger -> detector (prompted by the tags) -> segmenter, cached per image."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import supervision as sv

from ..errors import PromptError, TextReaderUnavailable
from ..image_cache import ImageCache
from ..image_io import image_hash
from .result import RefineResult
from .tags import Tag
from .text_line import TextLine


class VisualRefiner:
    """Turns an image into tags, boxes and masks, the way Lyrics chains RAM, Grounding DINO and SAM.

    Args:
        tagger: `tag(rgb) -> list[Tag]`.
        detector: `detect(rgb, prompts) -> sv.Detections`; prompted with the tag names when its
            `open_vocabulary` is True. A closed-set detector's classes are never renamed by the tags: a
            name carries the score of the model that gave it.
        segmenter: `segment_boxes(rgb, key, xyxy)`, `segment_points(rgb, key, points, labels, box_hint)`
            and `clear_cache()`.
        profile: name reported in results.
        max_objects: keep at most this many detections (highest score first).
        cache_size: number of images whose results (and, apart, whose text lines) are kept.
        text_reader: `read(rgb) -> list[TextLine]`, or None where no reader could load. Text is read
            only when asked for (`read_text`, `refine(..., read_text=True)`), so refining costs the same
            with or without a reader.
    """

    def __init__(self, tagger, detector, segmenter, profile="custom", max_objects=20, cache_size=16,
                 text_reader=None):
        self.tagger = tagger
        self.detector = detector
        self.segmenter = segmenter
        self.text_reader = text_reader
        self.profile = profile
        self.max_objects = max_objects
        self.cache: ImageCache[RefineResult] = ImageCache(cache_size)
        #: (lines, milliseconds spent reading) per image hash.
        self.text_cache: ImageCache[tuple[list[TextLine], float]] = ImageCache(cache_size)

    @property
    def models(self) -> dict[str, str]:
        models = {"tagger": self.tagger.name, "detector": self.detector.name, "segmenter": self.segmenter.name}
        if self.text_reader is not None:
            models["text_reader"] = self.text_reader.name
        return models

    @property
    def can_read_text(self) -> bool:
        """True when a text reader is loaded."""
        return self.text_reader is not None

    def refine(self, rgb: np.ndarray, key: str | None = None, read_text: bool = False) -> RefineResult:
        """Tags, boxes and masks for an (H, W, 3) uint8 image; computed once per image content.

        read_text: also fill `RefineResult.texts` (read once per image, see `read_text`); where no reader
        is loaded, or reading fails, `texts` stays None and `notices` says why.
        """
        key = key or image_hash(rgb)
        result = self.cache.get_or_compute(key, lambda: self._refine(rgb, key))
        if not read_text:
            return result
        try:
            lines, reading_ms = self._read_cached(rgb, key)
        except TextReaderUnavailable as err:
            return replace(result, notices=[*result.notices, str(err)])
        return replace(result, texts=lines, timings_ms={**result.timings_ms, "text_reader": reading_ms})

    def read_text(self, rgb: np.ndarray, key: str | None = None) -> list[TextLine]:
        """Lines of text in an (H, W, 3) uint8 image (boxes and polygons in its pixels, reading order),
        read once per image content and cached apart from `refine`'s results.

        Raises TextReaderUnavailable when no reader is loaded or reading this image failed.
        """
        return self._read_cached(rgb, key or image_hash(rgb))[0]

    def _read_cached(self, rgb: np.ndarray, key: str) -> tuple[list[TextLine], float]:
        if self.text_reader is None:
            raise TextReaderUnavailable("no text reader is loaded, so no text was read (see the Models tab)")
        return self.text_cache.get_or_compute(key, lambda: self._read(rgb))

    def _read(self, rgb: np.ndarray) -> tuple[list[TextLine], float]:
        start = time.perf_counter()
        try:
            lines = self.text_reader.read(rgb)
        except Exception as err:  # onnxruntime and rapidocr raise their own error types
            raise TextReaderUnavailable(f"reading text failed: {err}") from err
        return lines, _ms_since(start)

    def cached(self, rgb: np.ndarray, key: str | None = None) -> RefineResult | None:
        """The cached result for this image, or None if it was not refined (recently)."""
        key = key or image_hash(rgb)
        return self.cache.get(key)

    def _refine(self, rgb: np.ndarray, key: str) -> RefineResult:
        timings: dict[str, float] = {}
        start = time.perf_counter()
        tags = self.tagger.tag(rgb)
        timings["tagger"] = _ms_since(start)

        stage = time.perf_counter()
        prompts = [tag.name for tag in tags] if self.detector.open_vocabulary else None
        detections = self.detector.detect(rgb, prompts)
        if len(detections) > self.max_objects:
            detections = detections[np.argsort(-detections.confidence)[: self.max_objects]]
        timings["detector"] = _ms_since(stage)

        stage = time.perf_counter()
        masks, _ = self.segmenter.segment_boxes(rgb, key, detections.xyxy)
        detections.mask = masks
        timings["segmenter"] = _ms_since(stage)
        timings["total"] = _ms_since(start)
        height, width = rgb.shape[:2]
        return RefineResult((width, height), _merge_tags(tags, detections), detections, timings,
                            self.models, self.profile, key)

    def segment_point(self, rgb: np.ndarray, points, labels, key: str | None = None) -> tuple[np.ndarray, float]:
        """One mask from clicks: points (K, 2) in pixels, labels (K,) with 1 = object, 0 = background.

        Reuses the image's cached embedding and, when the image was refined, seeds the segmenter
        with the detected box under the first positive click. Returns ((H, W) bool, score).
        """
        points = np.asarray(points, np.float32).reshape(-1, 2)
        labels = np.asarray(labels, np.int64).reshape(-1)
        height, width = rgb.shape[:2]
        if len(points) == 0 or len(points) != len(labels):
            raise PromptError("give at least one point and exactly one label (1 or 0) per point")
        if not np.isin(labels, (0, 1)).all():
            raise PromptError("point labels must be 1 (object) or 0 (background)")
        if not (labels == 1).any():
            raise PromptError("at least one point must be positive (label 1)")
        outside = (points[:, 0] < 0) | (points[:, 1] < 0) | (points[:, 0] >= width) | (points[:, 1] >= height)
        if outside.any():
            x, y = points[outside][0]
            raise PromptError(f"point ({x:.0f}, {y:.0f}) is outside the {width}x{height} image")
        key = key or image_hash(rgb)
        refined = self.cached(rgb, key)
        hint = _box_under(refined.detections, points[labels == 1][0]) if refined else None
        return self.segmenter.segment_points(rgb, key, points, labels, box_hint=hint)


def _box_under(detections: sv.Detections, point) -> np.ndarray | None:
    """The smallest detected box (xyxy) containing `point` (x, y), or None."""
    x, y = point
    xyxy = detections.xyxy
    inside = (xyxy[:, 0] <= x) & (x <= xyxy[:, 2]) & (xyxy[:, 1] <= y) & (y <= xyxy[:, 3])
    if not inside.any():
        return None
    areas = np.where(inside, (xyxy[:, 2] - xyxy[:, 0]) * (xyxy[:, 3] - xyxy[:, 1]), np.inf)
    return xyxy[int(np.argmin(areas))]


def _merge_tags(tags: list[Tag], detections: sv.Detections) -> list[Tag]:
    """Tagger tags, then detected class names the tagger missed (with their best detection score)."""
    merged = {tag.name: tag for tag in tags}
    for name, score in zip(detections.data.get("class_name", []), detections.confidence):
        name = str(name)
        if name not in merged or (merged[name].source == "detector" and score > merged[name].score):
            merged[name] = Tag(name, float(score), "detector")
    return list(merged.values())


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
