"""What the overlay view shows: objects (filtered by the layer controls), regions, clicks, and the
boxes the last answer referred to; all drawn with supervision."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import supervision as sv
from PIL import Image

from lyrics_model import RefineResult
from lyrics_model.overlay import draw_detections, object_labels

from .session import DemoSession

#: Region colours: bright, and apart from the object palette's purples, so regions stand out.
REGION_PALETTE = sv.ColorPalette.from_hex(["#00e5ff", "#ffd600", "#76ff03", "#ff3d00", "#f50057", "#2979ff",
                                           "#1de9b6", "#ff9100"])
POSITIVE = sv.Color.from_hex("#00c853")
NEGATIVE = sv.Color.from_hex("#d50000")
ANSWER = sv.Color.from_hex("#ffea00")


@dataclass
class Layers:
    """The overlay controls: which layers to draw, minimum object score, and how many objects."""

    masks: bool = True
    boxes: bool = True
    labels: bool = True
    min_score: float = 0.0
    max_objects: int = 20


def visible_objects(result: RefineResult, layers: Layers, highlight: str | None) -> np.ndarray:
    """Indices of the objects to draw: above `min_score`, the `max_objects` best, only `highlight`'s label."""
    scores = result.detections.confidence
    order = [int(i) for i in np.argsort(-scores) if scores[i] >= layers.min_score][: int(layers.max_objects)]
    if highlight:
        order = [i for i in order if result.labels[i] == highlight]
    return np.array(sorted(order), dtype=int)


def region_color(index: int) -> str:
    return REGION_PALETTE.by_idx(index).as_hex()


def render_overlay(result: RefineResult, session: DemoSession, layers: Layers) -> np.ndarray:
    """(H, W, 3) uint8: the session's image with every layer drawn, the same size as the image."""
    rgb = session.image
    keep = visible_objects(result, layers, session.highlight)
    detections = result.detections[keep] if len(keep) else result.detections[np.zeros(0, dtype=int)]
    ids = [result.object_ids()[i] for i in keep]
    labels = object_labels(ids, [result.labels[i] for i in keep], detections.confidence)
    scene = draw_detections(rgb, detections, labels, masks=layers.masks, boxes=layers.boxes,
                            show_labels=layers.labels, color_ids=keep)
    scene = _draw_regions(scene, session)
    return _draw_references(scene, session.references)


def _draw_regions(scene: np.ndarray, session: DemoSession) -> np.ndarray:
    drawn = [r for r in session.regions if r.mask is not None]
    picture = Image.fromarray(scene)
    if drawn:
        regions = sv.Detections(xyxy=np.array([r.box for r in drawn], np.float32),
                                mask=np.stack([r.mask for r in drawn]),
                                class_id=np.array([r.color_index for r in drawn]))
        picture = sv.MaskAnnotator(color=REGION_PALETTE, opacity=0.55).annotate(picture, regions)
        picture = sv.BoxAnnotator(color=REGION_PALETTE, thickness=2).annotate(picture, regions)
        picture = sv.LabelAnnotator(color=REGION_PALETTE, text_color=sv.Color.BLACK, text_scale=0.5,
                                    text_position=sv.Position.BOTTOM_LEFT, smart_position=True).annotate(
            picture, regions, labels=[r.id for r in drawn])
    radius = max(4, min(scene.shape[:2]) // 90)
    for wanted, color in ((1, POSITIVE), (0, NEGATIVE)):
        points = [p for r in session.regions for p, label in zip(r.points, r.labels) if label == wanted]
        if points:
            key_points = sv.KeyPoints(xy=np.array([points], np.float32))
            picture = sv.VertexAnnotator(color=color, radius=radius).annotate(picture, key_points)
    return np.asarray(picture)


def _draw_references(scene: np.ndarray, references: list[dict]) -> np.ndarray:
    if not references:
        return scene
    boxes = sv.Detections(xyxy=np.array([r["box"] for r in references], np.float32),
                          class_id=np.zeros(len(references), int))
    picture = sv.BoxCornerAnnotator(color=ANSWER, thickness=3).annotate(Image.fromarray(scene), boxes)
    labels = [f"answer: {r['id'] or 'box'}" for r in references]
    picture = sv.LabelAnnotator(color=ANSWER, text_color=sv.Color.BLACK, text_scale=0.45,
                                text_position=sv.Position.BOTTOM_RIGHT, smart_position=True).annotate(
        picture, boxes, labels=labels)
    return np.asarray(picture)
