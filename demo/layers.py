"""The overlay controls a visitor sets: which layers to draw, the minimum object score, how many objects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layers:
    """What the overlay draws. answer: the objects the latest answer names, labelled with its phrases.
    min_score: 0-1 detector confidence. max_objects: the best N objects. text: the lines of text read, each
    outlined with its string beside it (read after the first paint)."""

    masks: bool = True
    boxes: bool = True
    labels: bool = True
    min_score: float = 0.0
    max_objects: int = 20
    text: bool = True
    answer: bool = True
