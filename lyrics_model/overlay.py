"""Draw detected objects (masks, boxes, labels) and read text lines onto the image with supervision
annotators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import supervision as sv
from PIL import Image
from supervision.config import ORIENTED_BOX_COORDINATES

#: One colour per object index; the demo uses the same palette for region chips.
PALETTE = sv.ColorPalette.DEFAULT
#: Text lines: one colour apart from the object palette, so read text never looks like an object.
TEXT_COLOR = sv.Color.from_hex("#ff6d00")
#: Debian's DejaVu Sans draws any string the reader returns (OpenCV's fonts draw ASCII only); PIL's own
#: font where it is missing.
TEXT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def draw_detections(
    rgb: np.ndarray,
    detections: sv.Detections,
    labels: list[str] | None = None,
    masks: bool = True,
    boxes: bool = True,
    show_labels: bool = True,
    palette: sv.ColorPalette = PALETTE,
    color_ids=None,
) -> np.ndarray:
    """Return a copy of `rgb` ((H, W, 3) uint8) with the chosen layers drawn; same size as the input.

    color_ids: (N,) palette index per detection (default: its position), so an object keeps its
    colour when others are filtered out.
    """
    if len(detections) == 0:
        return rgb.copy()
    scene = Image.fromarray(rgb)  # a PIL scene tells supervision the channels are RGB
    colored = sv.Detections(xyxy=detections.xyxy, mask=detections.mask, confidence=detections.confidence,
                            class_id=np.asarray(color_ids if color_ids is not None else np.arange(len(detections))))
    detections, lookup = colored, sv.ColorLookup.CLASS
    if masks and detections.mask is not None:
        scene = sv.MaskAnnotator(color=palette, opacity=0.45, color_lookup=lookup).annotate(scene, detections)
    if boxes:
        thickness = max(1, round(min(rgb.shape[:2]) / 300))
        scene = sv.BoxAnnotator(color=palette, thickness=thickness, color_lookup=lookup).annotate(scene, detections)
    if show_labels:
        text_scale = max(0.35, min(rgb.shape[:2]) / 1200)
        scene = sv.LabelAnnotator(color=palette, text_scale=text_scale, color_lookup=lookup,
                                  smart_position=True).annotate(scene, detections, labels=labels)
    return np.asarray(scene)


def object_labels(ids: list[str], names: list[str], scores) -> list[str]:
    """Overlay captions such as 'obj1 person 0.93' (ASCII only: OpenCV fonts draw nothing else)."""
    return [f"{i} {n} {float(s):.2f}".encode("ascii", "replace").decode() for i, n, s in zip(ids, names, scores)]


def draw_text_lines(rgb: np.ndarray, lines: list, ids: list[str] | None = None) -> np.ndarray:
    """Return a copy of `rgb` ((H, W, 3) uint8) with each text line's polygon outlined and its string drawn
    beside it, quoted as read (`lines`: `TextLine`s in `rgb`'s pixels; `ids` prefix the labels)."""
    if not lines:
        return rgb.copy()
    corners = np.stack([line.polygon for line in lines]).astype(np.float32)
    boxes = sv.Detections(xyxy=np.array([line.box for line in lines], np.float32),
                          class_id=np.zeros(len(lines), int), data={ORIENTED_BOX_COORDINATES: corners})
    ids = ids or [""] * len(lines)
    labels = [f'{i} "{line.text}"'.strip() for i, line in zip(ids, lines)]
    thickness = max(1, round(min(rgb.shape[:2]) / 400))
    font_size = max(11, round(min(rgb.shape[:2]) / 45))
    scene = sv.OrientedBoxAnnotator(color=TEXT_COLOR, thickness=thickness).annotate(Image.fromarray(rgb), boxes)
    scene = sv.RichLabelAnnotator(color=TEXT_COLOR, text_color=sv.Color.BLACK, font_size=font_size,
                                  font_path=str(TEXT_FONT) if TEXT_FONT.is_file() else None, text_padding=3,
                                  text_position=sv.Position.BOTTOM_LEFT, smart_position=True).annotate(
        scene, boxes, labels=labels)
    return np.asarray(scene)
