"""One line of text read in an image: its string, the reader's confidence, and where it is."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True, eq=False)  # compared by identity: a generated == would compare numpy polygons
class TextLine:
    """A line of text the text reader returned (never a string it did not read).

    Attributes:
        text: the string as read (at most the reader's `max_chars` characters; a cut line ends with "…").
        score: the recogniser's confidence, 0-1.
        box: [x1, y1, x2, y2] in pixels: the bounds of `polygon`.
        polygon: (4, 2) float32 corners [x, y] in pixels, clockwise from the top left of the text as
            written (a rotated line has a rotated quadrilateral).
    """

    text: str
    score: float
    box: tuple[float, float, float, float]
    polygon: np.ndarray

    @classmethod
    def from_polygon(cls, text: str, score: float, polygon) -> "TextLine":
        """A line from its (4, 2) corner polygon in pixels; the box is the polygon's bounds."""
        polygon = np.asarray(polygon, np.float32).reshape(4, 2)
        box = (float(polygon[:, 0].min()), float(polygon[:, 1].min()), float(polygon[:, 0].max()),
               float(polygon[:, 1].max()))
        return cls(text, float(score), box, polygon)

    def scaled(self, fx: float, fy: float) -> "TextLine":
        """The same line on an image scaled by fx along x and fy along y (pixels -> pixels)."""
        polygon = self.polygon * np.array([fx, fy], np.float32)
        x1, y1, x2, y2 = self.box
        return replace(self, polygon=polygon.astype(np.float32), box=(x1 * fx, y1 * fy, x2 * fx, y2 * fy))

    def to_json(self) -> dict:
        """{"text", "score" (4 decimals), "box" [x1, y1, x2, y2] pixels (1 decimal), "polygon" [[x, y] x 4] pixels}."""
        return {"text": self.text, "score": round(self.score, 4), "box": [round(v, 1) for v in self.box],
                "polygon": [[round(float(x), 1), round(float(y), 1)] for x, y in self.polygon]}
