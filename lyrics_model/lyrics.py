"""`Lyrics`: the public entry point. Load a profile, refine images, segment clicks."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np

from .image_io import DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, ImageInput, load_image
from .overlay import draw_detections, object_labels
from .profiles import Profile, get_profile
from .refiner import RefineResult, VisualRefiner, build_refiner
from .refiner.build import BuiltModel
from .rle import mask_to_rle

log = logging.getLogger(__name__)


@dataclass
class PointMask:
    """The mask for a set of clicks.

    mask: (H, W) bool in pixels of the image. box: its [x1, y1, x2, y2] pixel bounds (None if empty).
    score: the segmenter's confidence.
    """

    mask: np.ndarray
    box: list[float] | None
    score: float

    def to_json(self) -> dict:
        return {"mask": mask_to_rle(self.mask), "box": self.box, "score": round(self.score, 4),
                "area": int(self.mask.sum())}


class Lyrics:
    """Lyrics: a visual refiner (tags, boxes, masks) in front of a language model.

    Build one with `Lyrics.from_profile(name)`; it is safe to share between threads (each model
    guards its own state) and keeps per-image work in bounded caches keyed by image content.

    Args:
        profile: the resolved `Profile`.
        refiner: the `VisualRefiner`.
        built: role -> `BuiltModel` (what `describe()` reports).
        max_pixels, max_side: image size limits passed to `load_image`.
    """

    def __init__(self, profile: Profile, refiner: VisualRefiner, built: dict[str, BuiltModel],
                 max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int = DEFAULT_MAX_SIDE, requested: str | None = None):
        self.profile = profile
        self.refiner = refiner
        self.built = built
        self.max_pixels = max_pixels
        self.max_side = max_side
        self.requested = requested or profile.name

    @classmethod
    def from_profile(cls, name: str | Profile = "auto", weights: dict | None = None, max_objects: int = 20,
                     max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int = DEFAULT_MAX_SIDE) -> "Lyrics":
        """Load the models of profile `name` ("auto", "offline", "cpu", "gpu" or a `Profile`).

        weights: optional role -> explicit weights file ("tagger", "detector", "segmenter",
            "detector_text"); these are used as given, with no fallback.
        """
        profile = name if isinstance(name, Profile) else get_profile(name)
        name = profile.name if isinstance(name, Profile) else name
        log.info("loading profile %s (requested %s)", profile.name, name)
        refiner, built = build_refiner(profile, weights, max_objects=max_objects)
        return cls(profile, refiner, built, max_pixels=max_pixels, max_side=max_side, requested=name)

    def describe(self) -> dict:
        """Profile, and per role: model, weights file, where they came from, licence, fallback reason."""
        return {
            "profile": self.profile.name,
            "requested_profile": self.requested,
            "description": self.profile.description,
            "roles": {role: built.info() for role, built in self.built.items()},
        }

    def load(self, image: ImageInput):
        """Decode `image` (path, bytes, PIL image or array) with this instance's size limits."""
        return load_image(image, max_pixels=self.max_pixels, max_side=self.max_side)

    def refine(self, image: ImageInput) -> RefineResult:
        """Tags, boxes and masks for `image`. Raises ImageError for unusable input."""
        loaded = self.load(image)
        result = self.refiner.refine(loaded.rgb)
        if loaded.notices:
            result = _with_notices(result, loaded.notices)
        return result

    def segment_point(self, image: ImageInput, points, labels) -> PointMask:
        """Mask from clicks: points [(x, y), ...] in image pixels, labels [1 = object, 0 = background].

        Reuses the image's cached embedding (and refined boxes when present): a second click on the
        same image costs only the mask decoder. Raises PromptError for points outside the image.
        """
        loaded = self.load(image)
        mask, score = self.refiner.segment_point(loaded.rgb, points, labels)
        return PointMask(mask, _mask_box(mask), score)

    def clear_caches(self) -> None:
        """Forget all per-image work (refine results and segmenter embeddings)."""
        self.refiner.cache.clear()
        embeddings = getattr(self.refiner.segmenter, "_embeddings", None)
        if embeddings is not None:
            embeddings.clear()

    def overlay(self, image: ImageInput, result: RefineResult | None = None, **layers) -> np.ndarray:
        """(H, W, 3) uint8 picture of `image` with the refiner's masks, boxes and labels drawn."""
        loaded = self.load(image)
        result = result or self.refiner.refine(loaded.rgb)
        labels = object_labels(result.object_ids(), result.labels, result.detections.confidence)
        return draw_detections(loaded.rgb, result.detections, labels=labels, **layers)


def _mask_box(mask: np.ndarray) -> list[float] | None:
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


def _with_notices(result: RefineResult, notices: list[str]) -> RefineResult:
    return replace(result, notices=list(notices))
