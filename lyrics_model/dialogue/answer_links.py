"""An answer's phrase links as callers see them: each linked thing's box and mask in the photo's pixels."""

from __future__ import annotations

from dataclasses import dataclass

from ..refiner.result import RefineResult, mask_rle_and_area
from ..rle import mask_to_rle
from .phrase_links import PhraseLink
from .regions import Region


@dataclass(frozen=True)
class LinkedThing:
    """One object or region a phrase names.

    id: "obj2" or "region1". label: the refiner's label (None for a region). box: [x1, y1, x2, y2] in the
    photo's pixels. mask: COCO RLE at the photo's size (None for a box-only region). colour_index: the
    object's palette index in the overlay (its position among the refined objects; None for a region).
    """

    id: str
    label: str | None
    box: list[float]
    mask: dict | None
    colour_index: int | None

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "box": [round(v, 1) for v in self.box], "mask": self.mask,
                "colour_index": self.colour_index}


@dataclass(frozen=True)
class AnswerLink:
    """A phrase of an answer and the things it names, in the photo's pixels.

    phrase: ``answer[span[0]:span[1]]``. span: [start, end) characters of the answer. things: what it names.
    """

    phrase: str
    span: tuple[int, int]
    things: tuple[LinkedThing, ...]

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.things]

    def to_json(self) -> dict:
        return {"phrase": self.phrase, "span": list(self.span), "ids": self.ids,
                "things": [t.to_json() for t in self.things]}


def in_photo_pixels(links: list[PhraseLink], result: RefineResult, regions: list[Region]) -> list[AnswerLink]:
    """`links` with each id's box and mask: objects from `result` (in the photo's pixels, from `Lyrics.refine`),
    regions from `regions` (in the photo's pixels)."""
    objects = {oid: i for i, oid in enumerate(result.object_ids())}
    by_id = {r.id: r for r in regions}
    masks = result.detections.mask
    out = []
    for link in links:
        things = []
        for thing_id in link.ids:
            if thing_id in objects:
                i = objects[thing_id]
                mask = mask_rle_and_area(masks, i, result.size)[0] if masks is not None else None
                things.append(LinkedThing(thing_id, result.labels[i], [float(v) for v in result.detections.xyxy[i]],
                                          mask, i))
            elif thing_id in by_id:
                region = by_id[thing_id]
                things.append(LinkedThing(thing_id, None, [float(v) for v in region.box],
                                          mask_to_rle(region.mask) if region.mask is not None else None, None))
        if things:
            out.append(AnswerLink(link.phrase, link.span, tuple(things)))
    return out
