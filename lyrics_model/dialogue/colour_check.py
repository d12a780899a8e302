"""A CLIP zero-shot check of the colour names read from an object's pixels.

Pixel colours go wrong where a mask takes in shade, windows or background (a blue bus read as
black). Where the profile loads a CLIP model (the `cpu` and `gpu` taggers), CLIP scores the object's
crop against "a photo of a {colour} {label}." for every basic colour name: a pixel colour CLIP
finds plausible is kept; when it finds none plausible and is sure of another, its colour replaces
them; otherwise the pixel colours stand.
"""

from __future__ import annotations

import threading

import numpy as np
import torch

from ..image_cache import ImageCache
from ..image_io import image_hash
from .scene_facts import BASIC_COLOURS

COLOUR_PROMPT = "a photo of a {colour} {label}."
#: CLIP finds a pixel colour plausible at this probability over the colour names (uniform: 1/14).
PLAUSIBLE = 0.12
#: CLIP's own colour replaces implausible pixel colours at this probability.
SURE = 0.4


def reconcile(pixel_colours: list[str], probabilities: dict[str, float]) -> list[str]:
    """The colour names to state, from the pixels' names and CLIP's probability of each basic colour."""
    plausible = [c for c in pixel_colours if probabilities.get(c, 0.0) >= PLAUSIBLE]
    if plausible:
        return plausible
    best = max(probabilities, key=probabilities.get)
    return [best] if probabilities[best] >= SURE else list(pixel_colours)


class ClipColourCheck:
    """Checks pixel colour names with a CLIP tagger's image and text towers (`ClipTagger`).

    The colour prompts of a label are embedded once, and each crop once (by content hash), so a
    region asked about again in a later chat turn costs no CLIP pass.
    """

    def __init__(self, tagger, cache_size: int = 256):
        self.tagger = tagger
        self._text: dict[str, torch.Tensor] = {}
        self._crops: ImageCache[torch.Tensor] = ImageCache(cache_size)
        self._lock = threading.Lock()

    def probabilities(self, rgb: np.ndarray, label: str, box) -> dict[str, float]:
        """CLIP's probability of each basic colour name for the `label` inside `box` ([x1, y1, x2, y2]
        pixels) of rgb ((H, W, 3) uint8)."""
        x1, y1, x2, y2 = [int(round(v)) for v in box]
        crop = np.ascontiguousarray(rgb[max(0, y1) : max(y1 + 1, y2), max(0, x1) : max(x1 + 1, x2)])
        image = self._crops.get_or_compute(image_hash(crop), lambda: self.tagger.encode_image(crop))  # (D,) unit norm
        text = self._text_features(label)  # (13, D) unit norm
        scale = float(self.tagger.model.logit_scale.detach().exp()) if hasattr(self.tagger.model, "logit_scale") \
            else 100.0
        probs = (scale * text @ image).softmax(dim=0).tolist()
        return dict(zip(BASIC_COLOURS, probs))

    def __call__(self, rgb: np.ndarray, label: str, box, pixel_colours: list[str]) -> list[str]:
        return reconcile(pixel_colours, self.probabilities(rgb, label, box))

    def _text_features(self, label: str) -> torch.Tensor:
        with self._lock:
            if label not in self._text:
                self._text[label] = self.tagger.encode_text(
                    [COLOUR_PROMPT.format(colour=colour, label=label) for colour in BASIC_COLOURS])
            return self._text[label]
