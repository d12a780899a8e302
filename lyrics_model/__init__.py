"""Lyrics: a vision-language model grounded in semantic-aware visual objects.

    from lyrics_model import Lyrics
    lyr = Lyrics.from_profile("offline")
    result = lyr.refine("photo.jpg")          # tags, boxes, masks
    click = lyr.segment_point("photo.jpg", points=[(120, 80)], labels=[1])
"""

import os

# ultralytics sets OMP_NUM_THREADS=1 on import when it is unset, which would leave torch on one core.
os.environ.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))

from .errors import ImageError, LyricsError, PromptError, WeightsUnavailable
from .image_io import load_image
from .lyrics import Lyrics, PointMask
from .profiles import PROFILES, get_profile
from .refiner import RefineResult

__all__ = ["Lyrics", "PointMask", "RefineResult", "LyricsError", "ImageError", "PromptError",
           "WeightsUnavailable", "load_image", "PROFILES", "get_profile"]
