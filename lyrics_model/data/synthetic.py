"""Seeded synthetic scenes for a CPU-scale reproduction: coloured shapes with exact language.

Each scene carries its ground-truth boxes, labels and masks, which play the visual refiner's part
for this data (the offline detector knows no "triangle"). Labels name the shape only; the colour
must come from the pixels, so the vision features matter.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SHAPES = ("circle", "square", "triangle")
COLORS = {"red": (220, 40, 40), "green": (40, 180, 60), "blue": (40, 70, 220), "yellow": (230, 210, 40)}
SIZES = {"small": (0.16, 0.24), "big": (0.30, 0.40)}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}


@dataclass
class Shape:
    kind: str
    color: str
    size: str
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 pixels
    mask: np.ndarray  # (H, W) bool

    @property
    def name(self) -> str:
        return f"{self.color} {self.kind}"


@dataclass
class Scene:
    image: np.ndarray  # (H, W, 3) uint8
    shapes: list[Shape]

    def caption(self) -> str:
        return " and ".join(f"a {s.size} {s.name}" for s in self.shapes) + "."


def make_scene(rng: np.random.Generator, size: int = 64, max_shapes: int = 3) -> Scene:
    """One scene of 1 to `max_shapes` non-overlapping shapes with distinct (colour, kind) pairs."""
    while True:
        image = np.clip(235 + rng.integers(-12, 12, (size, size, 3)), 0, 255).astype(np.uint8)
        shapes, taken = [], np.zeros((size, size), bool)
        for _ in range(int(rng.integers(1, max_shapes + 1))):
            shape = _place(rng, size, taken, {(s.color, s.kind) for s in shapes})
            if shape is None:
                break
            image[shape.mask] = COLORS[shape.color]
            taken |= shape.mask
            shapes.append(shape)
        if shapes:
            return Scene(image, shapes)


def _place(rng, size, taken, used) -> Shape | None:
    for _ in range(30):
        kind, color = SHAPES[rng.integers(len(SHAPES))], list(COLORS)[rng.integers(len(COLORS))]
        if (color, kind) in used:
            continue
        size_word = "small" if rng.random() < 0.5 else "big"
        side = int(size * rng.uniform(*SIZES[size_word]))
        x, y = int(rng.integers(0, size - side)), int(rng.integers(0, size - side))
        mask = np.zeros((size, size), np.uint8)
        if kind == "circle":
            cv2.circle(mask, (x + side // 2, y + side // 2), side // 2, 1, -1)
        elif kind == "square":
            mask[y : y + side, x : x + side] = 1
        else:
            points = np.array([[x + side // 2, y], [x, y + side - 1], [x + side - 1, y + side - 1]], np.int32)
            cv2.fillPoly(mask, [points], 1)
        mask = mask.astype(bool)
        grown = cv2.dilate(taken.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        if (mask & grown).any():
            continue
        ys, xs = np.nonzero(mask)
        box = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
        return Shape(kind, color, size_word, box, mask)
    return None


def box_text(box, size: int) -> str:
    return "[" + ", ".join(f"{v / size:.2f}" for v in box) + "]"


def questions(scene: Scene, rng: np.random.Generator, size: int) -> list[dict]:
    """One example per task: caption, vqa (count, colour), rec (a box), reg (a region question).

    Each is {"task", "question", "answer", "regions": [pixel boxes], "target_box" (rec only)}.
    """
    shapes = scene.shapes
    target = shapes[int(rng.integers(len(shapes)))]
    count = len(shapes)
    out = [
        {"task": "caption", "question": "Describe the image.", "answer": scene.caption(), "regions": []},
        {"task": "count", "question": "How many shapes are there?", "answer": f"{NUMBER_WORDS[count]}.",
         "regions": []},
        {"task": "vqa", "question": f"What color is the {target.kind}?", "answer": f"{target.color}.",
         "regions": []},
        {"task": "rec", "question": f"Where is the {target.name}?", "answer": box_text(target.box, size) + ".",
         "regions": [], "target_box": list(target.box)},
        {"task": "reg", "question": "What is region1?", "answer": f"a {target.name}.",
         "regions": [list(target.box)]},
    ]
    for item in out:
        if item["task"] == "vqa" and sum(s.kind == target.kind for s in shapes) > 1:
            item["question"] = f"What color is the {target.size} {target.kind}?"
    return out
