"""What the overlay view shows: objects (filtered by the visitor's layers), the text lines read, regions,
clicks, the boxes the last answer referred to, and the Answer layer (the objects the latest answer's
phrases name, labelled with the phrases); all drawn with supervision, sent at display size.

Everything the session holds is in the photo's pixels; each layer is scaled to the picture drawn."""

from __future__ import annotations

import numpy as np
import supervision as sv
from PIL import Image

from lyrics_model import AnswerLink, RefineResult, draw_detections, draw_text_lines, object_labels, resize_detections
from lyrics_model.overlay import PALETTE

from .layers import Layers
from .session import DemoSession

#: Region colours: bright, and apart from the object palette's purples, so regions stand out.
REGION_PALETTE = sv.ColorPalette.from_hex(["#00e5ff", "#ffd600", "#76ff03", "#ff3d00", "#f50057", "#2979ff",
                                           "#1de9b6", "#ff9100"])
POSITIVE = sv.Color.from_hex("#00c853")
NEGATIVE = sv.Color.from_hex("#d50000")
ANSWER = sv.Color.from_hex("#ffea00")
#: Longest side, in pixels, of the overlay sent to the browser (the panel shows it smaller still).
DISPLAY_SIDE = 1024


def display_scale(size: tuple[int, int]) -> float:
    """Photo pixels per overlay pixel for a photo of size (W, H): 1 unless the photo is larger than
    DISPLAY_SIDE. Multiply a click's overlay coordinates by it to get the photo's pixels."""
    return max(1.0, max(size) / DISPLAY_SIDE)


def visible_objects(result: RefineResult, layers: Layers, highlight: str | None) -> np.ndarray:
    """Indices of the objects to draw: above `min_score`, the `max_objects` best, only `highlight`'s label."""
    scores = result.detections.confidence
    order = [int(i) for i in np.argsort(-scores) if scores[i] >= layers.min_score][: int(layers.max_objects)]
    if highlight:
        order = [i for i in order if result.labels[i] == highlight]
    return np.array(sorted(order), dtype=int)


def region_color(index: int) -> str:
    return REGION_PALETTE.by_idx(index).as_hex()


def picture_size(session: DemoSession, display: bool = True) -> tuple[int, int]:
    """(w, h) of the overlay: with `display`, the photo scaled so its longest side is at most DISPLAY_SIDE
    (see `display_scale`), else the photo's own size."""
    width, height = session.size
    scale = display_scale(session.size) if display else 1.0
    return (round(width / scale), round(height / scale)) if scale != 1.0 else (width, height)


def render_overlay(result: RefineResult, session: DemoSession, display: bool = True) -> np.ndarray:
    """(h, w, 3) uint8 at `picture_size`: the session's image with every layer drawn (`result` and the
    session in the photo's pixels; text lines when `result.texts` holds them and the Text layer is on). The
    objects layer is kept in the session and redrawn only when the image, the layers, the highlighted tag,
    the text read or the picture size change."""
    size = picture_size(session, display)
    scene = _objects_layer(result, session, size)
    scene = _draw_regions(scene, session, size)
    if session.layers.answer:
        scene = _draw_answer(scene, result, session, size)
    return _draw_references(scene, session.references, _factor(session.size, size))


def linked_objects(result: RefineResult, links: list[AnswerLink]) -> tuple[list[int], list[str]]:
    """The indices of the objects `links` name (each once, first phrase first) and each one's label: the
    phrase that names it ("2 dogs"), ASCII only (OpenCV fonts draw nothing else)."""
    ids = result.object_ids()
    indices, labels = [], []
    for link in links:
        for thing in link.things:
            if thing.id in ids and ids.index(thing.id) not in indices:
                indices.append(ids.index(thing.id))
                labels.append(link.phrase.encode("ascii", "replace").decode())
    return indices, labels


def link_masks(result: RefineResult, session: DemoSession, link: AnswerLink, size: tuple[int, int]) -> list[np.ndarray]:
    """(h, w) bool masks at picture size `size` (w, h) of what `link` names: its objects' masks from `result`
    (photo pixels) and its regions' masks from the session; an object the segmenter outlined nothing of
    (or a box-only region) as its box."""
    ids = result.object_ids()
    masks = []
    for thing in link.things:
        mask = None
        if thing.id in ids and result.detections.mask is not None:
            mask = np.asarray(result.detections.mask[ids.index(thing.id)], bool)
        elif session.region(thing.id) is not None:
            mask = session.region(thing.id).mask
        if mask is None or not mask.any():
            mask = np.zeros((session.size[1], session.size[0]), bool)
            x1, y1, x2, y2 = [int(round(v)) for v in thing.box]
            mask[max(0, y1):y2, max(0, x1):x2] = True
        masks.append(np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).resize(size, Image.NEAREST)) > 0)
    return masks


def _draw_answer(scene: np.ndarray, result: RefineResult, session: DemoSession, size: tuple[int, int]) -> np.ndarray:
    """The Answer layer: the linked objects' masks and boxes in their own colours, each labelled with its phrase."""
    indices, labels = linked_objects(result, session.answer_links)
    if not indices:
        return scene
    detections = resize_detections(result.detections[np.array(indices)], result.size, size)
    detections = sv.Detections(xyxy=detections.xyxy, mask=detections.mask, class_id=np.array(indices))
    picture = Image.fromarray(scene)
    if detections.mask is not None:
        picture = sv.MaskAnnotator(color=PALETTE, opacity=0.5).annotate(picture, detections)
    picture = sv.BoxAnnotator(color=PALETTE, thickness=max(2, round(min(size) / 200))).annotate(picture, detections)
    picture = sv.LabelAnnotator(color=PALETTE, text_scale=max(0.45, min(size) / 1000), text_position=sv.Position.TOP_LEFT,
                                smart_position=True).annotate(picture, detections, labels=labels)
    return np.asarray(picture)


def _factor(photo_size: tuple[int, int], size: tuple[int, int]) -> np.ndarray:
    """(fx, fy, fx, fy): picture pixels per photo pixel."""
    return np.array([size[0] / photo_size[0], size[1] / photo_size[1]] * 2, np.float32)


def _picture(session: DemoSession, size: tuple[int, int]) -> np.ndarray:
    """The working image the models saw, resized to `size`."""
    rgb = session.image.rgb
    if (rgb.shape[1], rgb.shape[0]) == size:
        return rgb
    return np.asarray(Image.fromarray(rgb).resize(size, Image.BILINEAR))


def _objects_layer(result: RefineResult, session: DemoSession, size: tuple[int, int]) -> np.ndarray:
    key = (result.image_hash, session.layers, session.highlight, size, result.texts is not None)
    if session.objects_layer is not None and session.objects_layer[0] == key:
        return session.objects_layer[1]
    layers = session.layers
    keep = visible_objects(result, layers, session.highlight)
    detections = result.detections[keep] if len(keep) else result.detections[np.zeros(0, dtype=int)]
    ids = [result.object_ids()[i] for i in keep]
    labels = object_labels(ids, [result.labels[i] for i in keep], detections.confidence)
    detections = resize_detections(detections, result.size, size)
    scene = draw_detections(_picture(session, size), detections, labels, masks=layers.masks, boxes=layers.boxes,
                            show_labels=layers.labels, color_ids=keep)
    if layers.text and result.texts:
        fx, fy = _factor(result.size, size)[:2]
        scene = draw_text_lines(scene, [line.scaled(float(fx), float(fy)) for line in result.texts], result.text_ids())
    session.objects_layer = (key, scene)
    return scene


def _draw_regions(scene: np.ndarray, session: DemoSession, size: tuple[int, int]) -> np.ndarray:
    picture = Image.fromarray(scene)
    factor = _factor(session.size, size)
    drawn = [r for r in session.regions if r.mask is not None]
    for chosen in (False, True):  # the region chosen from its chip last, stronger
        group = [r for r in drawn if (r.id == session.focus) == chosen]
        if not group:
            continue
        regions = sv.Detections(xyxy=np.array([r.box for r in group], np.float32), mask=np.stack([r.mask for r in group]),
                                class_id=np.array([r.color_index for r in group]))
        regions = resize_detections(regions, session.size, size)
        picture = sv.MaskAnnotator(color=REGION_PALETTE, opacity=0.8 if chosen else 0.55).annotate(picture, regions)
        picture = sv.BoxAnnotator(color=REGION_PALETTE, thickness=5 if chosen else 2).annotate(picture, regions)
        picture = sv.LabelAnnotator(color=REGION_PALETTE, text_color=sv.Color.BLACK, text_scale=0.5,
                                    text_position=sv.Position.BOTTOM_LEFT, smart_position=True).annotate(
            picture, regions, labels=[r.id for r in group])
    radius = max(4, min(scene.shape[:2]) // 90)
    for wanted, color in ((1, POSITIVE), (0, NEGATIVE)):
        points = [p for r in session.regions for p, label in zip(r.points, r.labels) if label == wanted]
        if points:
            key_points = sv.KeyPoints(xy=np.array([points], np.float32) * factor[:2])
            picture = sv.VertexAnnotator(color=color, radius=radius).annotate(picture, key_points)
    return np.asarray(picture)


def _draw_references(scene: np.ndarray, references: list[dict], factor: np.ndarray) -> np.ndarray:
    if not references:
        return scene
    boxes = sv.Detections(xyxy=np.array([r["box"] for r in references], np.float32) * factor,
                          class_id=np.zeros(len(references), int))
    picture = sv.BoxCornerAnnotator(color=ANSWER, thickness=3).annotate(Image.fromarray(scene), boxes)
    labels = [f"answer: {r['id'] or 'box'}" for r in references]
    picture = sv.LabelAnnotator(color=ANSWER, text_color=sv.Color.BLACK, text_scale=0.45,
                                text_position=sv.Position.BOTTOM_RIGHT, smart_position=True).annotate(
            picture, boxes, labels=labels)
    return np.asarray(picture)
