"""Open-vocabulary detection with Grounding DINO (transformers), prompted with the tagger's tags:
the detector of the Lyrics paper (box threshold 0.25, text threshold 0.2, NMS IoU 0.6)."""

from __future__ import annotations

import os
import threading

import numpy as np
import supervision as sv
import torch
from PIL import Image

from ..weights import WeightsSource, explicit_path, load_from_hub
from .ssd_detector import COCO_90


class GroundingDinoDetector:
    """Grounding DINO: boxes for the phrases of a text prompt ("tag1. tag2. tag3.").

    Args:
        model: a transformers `GroundingDinoForObjectDetection` (eval mode).
        processor: its `GroundingDinoProcessor` (image processor + BERT tokenizer).
        box_threshold / text_threshold: minimum box and phrase scores. iou: NMS IoU threshold.
        default_prompts: classes used when no tags are given.
    """

    open_vocabulary = True

    def __init__(self, model, processor, box_threshold=0.25, text_threshold=0.2, iou=0.6, name="", source=None,
                 default_prompts=None):
        self.model, self.processor = model, processor
        self.box_threshold, self.text_threshold, self.iou = box_threshold, text_threshold, iou
        self.name = name
        self.source: WeightsSource | None = source
        self.default_prompts = list(default_prompts or [])
        self.prompts: list[str] = []
        self.device = next(model.parameters()).device
        self._lock = threading.Lock()

    @classmethod
    def from_pretrained(cls, repo_id: str = "IDEA-Research/grounding-dino-tiny",
                        weights: str | os.PathLike | None = None, device="cpu", **kwargs) -> "GroundingDinoDetector":
        """Load `weights` (a folder saved with `save_pretrained`) or hub repo `repo_id` (cached, else downloaded)."""
        from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor

        def load(target, local_only: bool):
            return (AutoModelForZeroShotObjectDetection.from_pretrained(target, local_files_only=local_only),
                    AutoProcessor.from_pretrained(target, local_files_only=local_only))

        if weights is not None:
            source = explicit_path(weights)
            model, processor = load(str(source.path), True)
        else:
            (model, processor), source = load_from_hub(repo_id, load)
        model.to(device).eval()
        name = repo_id if weights is None else source.path.name
        return cls(model, processor, name=name, source=source, default_prompts=[c for c in COCO_90 if c], **kwargs)

    @torch.inference_mode()
    def detect(self, rgb: np.ndarray, prompts: list[str] | None = None) -> sv.Detections:
        """Boxes in pixels of `rgb` ((H, W, 3) uint8) with `data["class_name"]`, one of `prompts`."""
        prompts = list(dict.fromkeys(p.lower() for p in (prompts or self.default_prompts)))
        inputs = self.processor(images=Image.fromarray(rgb), text=". ".join(prompts) + ".", return_tensors="pt")
        inputs = {k: v.to(self.device) for k, v in inputs.items()}
        with self._lock:
            outputs = self.model(**inputs)
            self.prompts = prompts
        found = self.processor.post_process_grounded_object_detection(
            outputs, inputs["input_ids"], threshold=self.box_threshold, text_threshold=self.text_threshold,
            target_sizes=[rgb.shape[:2]])[0]
        names = [prompt_of(str(phrase), prompts) for phrase in found.get("text_labels", found["labels"])]
        if not names:
            return sv.Detections.empty()
        class_ids = np.array([prompts.index(n) for n in names])
        detections = sv.Detections(xyxy=found["boxes"].float().cpu().numpy(), confidence=found["scores"].float().cpu().numpy(),
                                   class_id=class_ids, data={"class_name": np.array(names, dtype=object)})
        return detections.with_nms(threshold=self.iou, class_agnostic=True)


def prompt_of(phrase: str, prompts: list[str]) -> str:
    """The prompt a matched phrase stands for: the longest prompt inside it, else the one sharing the
    most words with it (Grounding DINO returns the prompt tokens above threshold, which can span or
    cut prompts)."""
    phrase = phrase.replace(" - ", "-").strip()
    inside = [p for p in prompts if f" {p} " in f" {phrase} "]
    if inside:
        return max(inside, key=len)
    words = set(phrase.split())
    return max(prompts, key=lambda p: (len(words & set(p.split())), -prompts.index(p)))
