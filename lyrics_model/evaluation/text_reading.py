"""Score a text reader against drawn text whose strings and places are known (`data.synthetic_text`).

Each line read is matched to the drawn line whose polygon holds its centre; a drawn line read in pieces
(words read apart) is scored on the pieces joined with spaces in writing order. A line read where no text
was drawn is *invented*.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class LineOutcome:
    """One drawn line: its truth, what was read there ("" for nothing), and the drawn x-height (pixels)."""

    truth: str
    read: str
    x_height: int
    kind: str

    @property
    def exact(self) -> bool:
        return self.read == self.truth

    @property
    def exact_but_spaces(self) -> bool:
        """Equal once spaces are ignored (a reader may drop or add a space between words)."""
        return self.read.replace(" ", "") == self.truth.replace(" ", "")


def score_reading(drawn: list, read: list) -> tuple[list[LineOutcome], list]:
    """(one outcome per drawn line, the lines read where no text was drawn).

    drawn: `DrawnLine`s (text, kind, x_height, (4, 2) polygon in pixels); read: `TextLine`s (text, polygon).
    """
    pieces: list[list[tuple[float, str]]] = [[] for _ in drawn]
    invented = []
    for line in read:
        centre = line.polygon.mean(axis=0)
        owner = next((i for i, d in enumerate(drawn)
                      if cv2.pointPolygonTest(d.polygon.reshape(-1, 1, 2), (float(centre[0]), float(centre[1])),
                                              False) >= 0), None)
        if owner is None:
            invented.append(line)
            continue
        polygon = drawn[owner].polygon
        direction = polygon[1] - polygon[0]  # along the writing
        pieces[owner].append((float(np.dot(centre - polygon[0], direction)), line.text))
    outcomes = [LineOutcome(d.text, " ".join(text for _, text in sorted(p)), d.x_height, d.kind)
                for d, p in zip(drawn, pieces)]
    return outcomes, invented
