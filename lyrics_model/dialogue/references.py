"""Find what an answer points at: [x1, y1, x2, y2] boxes and objN / regionN mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..refiner.result import RefineResult
from .regions import Region

NUMBER = r"(-?\d+(?:\.\d+)?)"
BOX = re.compile(r"\[\s*" + r"\s*,\s*".join([NUMBER] * 4) + r"\s*\]")
MENTION = re.compile(r"\b(obj|region)(\d+)\b")


@dataclass
class Reference:
    """Something an answer refers to.

    kind: "box", "object" or "region". id: "obj2"/"region1" (None for a bare box). label: the
    refiner's label when known. box: [x1, y1, x2, y2] in image pixels. span: (start, end) in the answer.
    """

    kind: str
    id: str | None
    label: str | None
    box: list[float]
    span: tuple[int, int]

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "label": self.label, "box": [round(v, 1) for v in self.box],
                "span": list(self.span)}


def parse_references(answer: str, result: RefineResult, regions: list[Region] | None = None) -> list[Reference]:
    """Boxes (normalised if every value is <= 1, else pixels) and known objN/regionN mentions, in order."""
    width, height = result.size
    refs = []
    for match in BOX.finditer(answer):
        values = np.array([float(v) for v in match.groups()])
        if (values <= 1.0).all():
            values = values * [width, height, width, height]
        x1, y1, x2, y2 = np.clip(values, 0, [width, height, width, height])
        if x2 > x1 and y2 > y1:
            refs.append(Reference("box", None, None, [float(x1), float(y1), float(x2), float(y2)], match.span()))
    objects = dict(zip(result.object_ids(), range(len(result.detections))))
    region_boxes = {r.id: r for r in regions or []}
    for match in MENTION.finditer(answer):
        name = match.group(0)
        if match.group(1) == "obj" and name in objects:
            i = objects[name]
            refs.append(Reference("object", name, result.labels[i], [float(v) for v in result.detections.xyxy[i]],
                                  match.span()))
        elif match.group(1) == "region" and name in region_boxes:
            refs.append(Reference("region", name, None, [float(v) for v in region_boxes[name].box], match.span()))
    return sorted(refs, key=lambda r: r.span)
