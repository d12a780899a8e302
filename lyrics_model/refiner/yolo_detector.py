"""Detection with ultralytics YOLO; YOLO-World is prompted with the tagger's tags.

YOLO-World was trained against CLIP ViT-B/32 text embeddings, so the prompts are embedded with
open_clip's ViT-B-32 (`text_encoder`) and written into the model directly: ultralytics never needs
to download a CLIP of its own.
"""

from __future__ import annotations

import os
import threading

import numpy as np
import supervision as sv
import torch

from ..weights import WeightsSource, resolve_file
from .ssd_detector import COCO_90

#: Where ultralytics publishes its weights (downloaded only when not given nor cached).
ULTRALYTICS_RELEASE = "https://github.com/ultralytics/assets/releases/download/v8.3.0/"


class YoloDetector:
    """Open-vocabulary (YOLO-World) or closed-vocabulary (YOLO) detector.

    Args:
        model: an `ultralytics.YOLOWorld` or `ultralytics.YOLO`.
        text_encoder: object with `encode_text(list[str]) -> (N, 512)` unit-norm CLIP ViT-B/32
            embeddings; required for YOLO-World.
        conf: minimum box score. iou: NMS IoU threshold. imgsz: inference size in pixels.
        default_prompts: classes used when no tags are given (YOLO-World only).
    """

    def __init__(self, model, text_encoder=None, conf=0.25, iou=0.6, imgsz=640, name="", source=None,
                 default_prompts=None):
        from ultralytics import YOLOWorld

        self.model = model
        self.open_vocabulary = isinstance(model, YOLOWorld)
        if self.open_vocabulary and text_encoder is None:
            raise ValueError("YOLO-World needs a CLIP ViT-B/32 text encoder for its prompts")
        self.text_encoder = text_encoder
        self.conf, self.iou, self.imgsz = conf, iou, imgsz
        self.name = name
        self.source: WeightsSource | None = source
        self.default_prompts = list(default_prompts or [])
        self.prompts: list[str] = []  # the classes the model was last prompted with
        self._prompt_features: dict[str, torch.Tensor] = {}
        self._lock = threading.Lock()  # prompts are model state: set and predict together

    @classmethod
    def from_pretrained(cls, weights_name="yolov8s-worldv2.pt", weights: str | os.PathLike | None = None,
                        text_encoder=None, device="cpu", **kwargs) -> "YoloDetector":
        """Load `weights` (a file) or the ultralytics release `weights_name` (cached, else downloaded)."""
        from ultralytics import YOLO, YOLOWorld

        source = resolve_file(weights_name, ULTRALYTICS_RELEASE, explicit=weights)
        is_world = "world" in (weights_name if weights is None else str(weights)).lower()
        model = (YOLOWorld if is_world else YOLO)(str(source.path))
        model.to(device)
        name = weights_name if weights is None else str(source.path.name)
        defaults = [c for c in COCO_90 if c]
        return cls(model, text_encoder=text_encoder, name=name, source=source, default_prompts=defaults, **kwargs)

    def _set_prompts(self, prompts: list[str]) -> None:
        """Write the CLIP embeddings of `prompts` into YOLO-World as its classes."""
        if prompts == self.prompts:
            return
        missing = [p for p in prompts if p not in self._prompt_features]
        if missing:
            for prompt, feature in zip(missing, self.text_encoder.encode_text(missing)):
                self._prompt_features[prompt] = feature.cpu()
        features = torch.stack([self._prompt_features[p] for p in prompts])[None]  # (1, N, 512)
        world = self.model.model
        world.txt_feats = features.to(next(world.parameters()).device)
        world.model[-1].nc = len(prompts)
        world.names = list(prompts)
        self.model.predictor = None  # the predictor caches class names
        self.prompts = list(prompts)

    def detect(self, rgb: np.ndarray, prompts: list[str] | None = None) -> sv.Detections:
        """Boxes in pixels of `rgb` ((H, W, 3) uint8) with `data["class_name"]`.

        prompts: class names for YOLO-World (e.g. the tags); ignored by closed-vocabulary YOLO.
        """
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])  # ultralytics reads numpy arrays as BGR
        with self._lock:
            if self.open_vocabulary:
                self._set_prompts(list(dict.fromkeys(prompts or self.default_prompts)))
            threads = torch.get_num_threads()
            result = self.model.predict(bgr, conf=self.conf, iou=self.iou, imgsz=self.imgsz, verbose=False)[0]
            torch.set_num_threads(threads)  # ultralytics' device selection leaves torch on cores - 1
        return sv.Detections.from_ultralytics(result)
