"""The refiner's output: tags plus `supervision.Detections`, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import supervision as sv
from supervision.detection.compact_mask import CompactMask

from ..photo_pixels import PhotoFrame
from ..rle import crop_to_rle, mask_to_rle
from .tags import Tag
from .text_line import TextLine


def normalise_box(xyxy, size: tuple[int, int]) -> list[float]:
    """Pixel box [x1, y1, x2, y2] -> the model-facing form, in [0, 1] with 3 decimals. size = (W, H)."""
    width, height = size
    scale = np.array([width, height, width, height], dtype=np.float64)
    return [round(float(v), 3) for v in np.clip(np.asarray(xyxy, np.float64) / scale, 0.0, 1.0)]


def mask_rle_and_area(masks, index: int, size: tuple[int, int]) -> tuple[dict, int]:
    """COCO RLE and pixel area of mask `index` of (N, H, W) masks or a `CompactMask`; size = (W, H).
    A compact mask is encoded from its crop, never decoded at full size."""
    if isinstance(masks, CompactMask):
        crop = masks.crop(index)
        x, y = (int(v) for v in masks.offsets[index])
        return crop_to_rle(crop, (x, y), size), int(crop.sum())
    return mask_to_rle(masks[index]), int(masks[index].sum())


@dataclass
class RefineResult:
    """What the visual refiner sees in one image.

    From `Lyrics.refine` every coordinate is in the photo's pixels; inside the refiner (`scale` 1.0)
    they are the working image's.

    Attributes:
        size: (width, height) in pixels of the photo as uploaded (after EXIF orientation).
        tags: tags, highest score first.
        detections: boxes (xyxy pixels), masks ((N, H, W) bool at `size`), confidence, class_id and
            data["class_name"]; object i is named obj{i+1}. For a photo processed downscaled the
            masks are a `supervision` `CompactMask` (crop run-lengths; `mask[i]` decodes one (H, W)
            mask on demand), so a 12-megapixel photo does not hold N full-size masks.
        timings_ms: milliseconds per stage ("tagger", "detector", "segmenter", "total").
        models: model name per role. profile: the profile that produced it.
        image_hash: content hash of the image (the cache key).
        notices: conversions applied to the input (downscaling, ...).
        scale: working pixels per photo pixel: the models saw the photo at `scale` times its size
            (1.0 unless it exceeded `max_side`). Reported, never applied to coordinates.
        texts: lines of text read (string, 0-1 score, box and polygon in the same pixels as the
            detections), kept apart from the detections; None when text was not read (reading is lazy:
            `refine(..., read_text=True)`) or no reader could read it (`notices` says why).
    """

    size: tuple[int, int]
    tags: list[Tag]
    detections: sv.Detections
    timings_ms: dict[str, float]
    models: dict[str, str]
    profile: str
    image_hash: str
    notices: list[str] = field(default_factory=list)
    scale: float = 1.0
    texts: list[TextLine] | None = None

    @property
    def labels(self) -> list[str]:
        return [str(n) for n in self.detections.data.get("class_name", [])]

    def in_photo_pixels(self, frame: PhotoFrame) -> "RefineResult":
        """This working-image result in the photo's pixels: `size` the photo's, boxes scaled, masks
        resized lazily (a `CompactMask`), `scale` reported. The same object when nothing is scaled."""
        if frame.identity:
            return self
        texts = None if self.texts is None else frame.lines_out(self.texts)
        return replace(self, size=frame.photo_size, detections=frame.detections_out(self.detections),
                       scale=frame.scale, texts=texts)

    def text_ids(self) -> list[str]:
        """text1, text2, ... for `texts` (empty when text was not read)."""
        return [f"text{i + 1}" for i in range(len(self.texts or []))]

    def texts_json(self) -> list[dict] | None:
        """[{"id", "text", "score", "box", "box_norm", "polygon"}] in pixels, or None when text was not read."""
        if self.texts is None:
            return None
        return [{"id": text_id, **line.to_json(), "box_norm": normalise_box(line.box, self.size)}
                for text_id, line in zip(self.text_ids(), self.texts)]

    def object_ids(self) -> list[str]:
        return [f"obj{i + 1}" for i in range(len(self.detections))]

    def objects_json(self) -> list[dict]:
        objects = []
        for i, object_id in enumerate(self.object_ids()):
            box = self.detections.xyxy[i]
            entry = {
                "id": object_id,
                "label": self.labels[i],
                "score": round(float(self.detections.confidence[i]), 4),
                "box": [round(float(v), 1) for v in box],
                "box_norm": normalise_box(box, self.size),
            }
            if self.detections.mask is not None:
                entry["mask"], entry["area"] = mask_rle_and_area(self.detections.mask, i, self.size)
            objects.append(entry)
        return objects

    def to_json(self) -> dict:
        """The refine schema: image (the photo's size), scale, profile, models, tags, objects (pixel boxes
        and RLE masks at the photo's size), texts (see `texts_json`; null when not read), timings_ms, notices."""
        return {
            "image": {"width": self.size[0], "height": self.size[1]},
            "scale": round(self.scale, 6),
            "profile": self.profile,
            "models": dict(self.models),
            "tags": [tag.to_json() for tag in self.tags],
            "objects": self.objects_json(),
            "texts": self.texts_json(),
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "notices": list(self.notices),
        }
