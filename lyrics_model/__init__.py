"""Lyrics: a vision-language model grounded in semantic-aware visual objects.

    from lyrics_model import Lyrics
    lyr = Lyrics.from_profile("offline")
    result = lyr.refine("photo.jpg")          # tags, boxes, masks
    lines = lyr.read_text("photo.jpg")        # text lines: string, score, box, polygon
    click = lyr.segment_point("photo.jpg", points=[(120, 80)], labels=[1])
    answer = lyr.chat("photo.jpg", [{"role": "user", "content": "What is region1?"}], regions=[click.mask])
    review = lyr.review_answer("photo.jpg", "What is region1?", answer, regions=[click.mask])

Every coordinate in or out (boxes, masks, click points, sizes) is in pixels of the photo as uploaded
(after EXIF orientation), whatever its size; the models may work on a downscaled copy (`result.scale`).

Helpers for clients: `normalise_box` (pixel box -> 0-1), `mask_to_rle` / `rle_to_mask` (COCO RLE),
`draw_detections` / `object_labels` / `draw_text_lines` (supervision overlays), `resize_detections` (detections for a
picture of another size), `load_image` (decode once, pass the `LoadedImage` to every call).
"""

import os

# ultralytics sets OMP_NUM_THREADS=1 on import when it is unset, which would leave torch on one core.
os.environ.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))

from .dialogue import AnswerReview, Reference, RegionCheck
from .dialogue.answer_links import AnswerLink, LinkedThing
from .errors import ImageError, LLMServerError, LyricsError, PromptError, TextReaderUnavailable, WeightsUnavailable
from .image_io import LoadedImage, load_image
from .lyrics import Lyrics, PointMask
from .profiles import PROFILES, get_profile
from .overlay import draw_detections, draw_text_lines, object_labels
from .photo_pixels import PhotoFrame, resize_detections
from .refiner import RefineResult, TextLine
from .refiner.result import normalise_box
from .rle import mask_to_rle, rle_to_mask

__all__ = ["Lyrics", "AnswerLink", "LinkedThing", "PointMask", "RefineResult", "TextLine", "TextReaderUnavailable",
           "LyricsError", "ImageError", "LLMServerError", "PromptError",
           "WeightsUnavailable", "load_image", "LoadedImage", "PhotoFrame", "resize_detections", "PROFILES", "get_profile",
           "AnswerReview", "Reference", "RegionCheck", "normalise_box", "mask_to_rle", "rle_to_mask", "draw_detections",
           "object_labels", "draw_text_lines"]
