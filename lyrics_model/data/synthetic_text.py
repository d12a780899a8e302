"""Seeded synthetic photos of text: signs, number plates and product labels drawn with Debian's DejaVu fonts
on cluttered backgrounds, every string and where it was drawn known exactly.

Each item is drawn flat, rotated by up to `max_rotation` degrees and pasted where it overlaps no other item.
Sizes are given as x-height: the height in pixels of a lower-case "x" in the drawn font (capitals and
digits are about 1.4 times taller), the usual measure of how legible printed text is.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
#: Debian's fonts-dejavu-core files: sans, serif, monospace and condensed, regular and bold.
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
         "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")
#: x-heights (pixels) the benchmark draws; lines of 8 px and up are expected to read exactly.
X_HEIGHTS = (6, 8, 10, 12, 16, 24)
KINDS = ("sign", "plate", "label")

_SIGN_WORDS = ("Open", "Exit", "Entrance", "Parking", "Pharmacy", "Bakery", "Platform", "Gate", "Station", "Hotel",
               "Library", "Museum", "Garden", "Market", "Bridge", "Harbour", "Office", "Closed", "Sale", "Toilets")
_STREETS = ("Main St.", "Oak Avenue", "King Road", "Mill Lane", "Park Street", "High St.", "Elm Way", "Church Road")
_PRODUCTS = ("Tomato Soup", "Green Tea", "Olive Oil", "Rice", "Oat Milk", "Coffee Beans", "Honey", "Pasta")
_PLATE_LETTERS = "".join(c for c in string.ascii_uppercase if c not in "IOQ")  # as on many number plates


@dataclass(frozen=True, eq=False)  # compared by identity: a generated == would compare numpy polygons
class DrawnLine:
    """One line of text drawn in a synthetic photo.

    text: the exact string. kind: "sign", "plate" or "label". x_height: pixels (see module docstring).
    polygon: (4, 2) float32 corners [x, y] in pixels of the line's ink, clockwise from its top left as written.
    rotation: degrees, counter-clockwise.
    """

    text: str
    kind: str
    x_height: int
    polygon: np.ndarray
    rotation: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        """[x1, y1, x2, y2] pixels: the polygon's bounds."""
        return (float(self.polygon[:, 0].min()), float(self.polygon[:, 1].min()), float(self.polygon[:, 0].max()),
                float(self.polygon[:, 1].max()))


@dataclass
class TextPhoto:
    """rgb: (H, W, 3) uint8. lines: every line of text drawn in it (nothing else in it is text)."""

    rgb: np.ndarray
    lines: list[DrawnLine]


def text_photo(seed: int, size: tuple[int, int] = (640, 480), x_heights=X_HEIGHTS, items: int = 3,
               max_rotation: float = 15.0) -> TextPhoto:
    """A (W, H) = `size` photo with up to `items` signs, plates and labels (1-3 lines each) on clutter.

    Each item's x-height is drawn from `x_heights` (pixels), its rotation from [-max_rotation, max_rotation]
    degrees, its font from `FONTS`; the same seed gives the same photo.
    """
    rng = np.random.default_rng(seed)
    canvas = Image.fromarray(_clutter(rng, size))
    taken: list[tuple[int, int, int, int]] = []
    lines: list[DrawnLine] = []
    for _ in range(items):
        kind = KINDS[int(rng.integers(len(KINDS)))]
        x_height = int(rng.choice(x_heights))
        item, corners, texts = _draw_item(rng, kind, x_height)
        angle = float(rng.uniform(-max_rotation, max_rotation))
        rotated = item.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        place = _free_place(rng, rotated.size, size, taken)
        if place is None:
            continue
        canvas.paste(rotated, place, rotated)
        taken.append((*place, place[0] + rotated.size[0], place[1] + rotated.size[1]))
        for text, quad in zip(texts, corners):
            polygon = _rotate_points(quad, item.size, rotated.size, angle) + np.array(place, np.float32)
            lines.append(DrawnLine(text, kind, x_height, polygon.astype(np.float32), angle))
    return TextPhoto(np.asarray(canvas), lines)


def _clutter(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """A (H, W, 3) uint8 background: a colour gradient, random shapes and strokes, and sensor-like noise."""
    width, height = size
    top, bottom = rng.integers(40, 215, 3), rng.integers(40, 215, 3)
    ramp = np.linspace(0, 1, height)[:, None, None]
    base = (top * (1 - ramp) + bottom * ramp) * np.ones((1, width, 1))
    picture = Image.fromarray(base.astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    for _ in range(int(rng.integers(6, 14))):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(20, width // 3)), int(rng.integers(20, height // 3))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        shape = int(rng.integers(3))
        if shape == 0:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
        elif shape == 1:
            draw.ellipse((x, y, x + w, y + h), fill=colour)
        else:
            draw.line((x, y, x + w, y + h), fill=colour, width=int(rng.integers(2, 8)))
    noisy = np.asarray(picture).astype(np.int16) + rng.normal(0, 6, (height, width, 3)).astype(np.int16)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _font(rng: np.random.Generator, x_height: int) -> ImageFont.FreeTypeFont:
    """A random DejaVu face whose lower-case x is `x_height` pixels tall."""
    path = FONT_DIR / FONTS[int(rng.integers(len(FONTS)))]
    probe = ImageFont.truetype(str(path), 100)
    _, top, _, bottom = probe.getbbox("x")
    return ImageFont.truetype(str(path), max(4, round(100 * x_height / (bottom - top))))


def _item_texts(rng: np.random.Generator, kind: str) -> list[str]:
    """1-3 lines of the kind of text `kind` carries: words with numbers, a plate number, a product label."""
    def digits(n: int) -> str:
        return "".join(str(int(d)) for d in rng.integers(0, 10, n))

    def letters(n: int) -> str:
        return "".join(_PLATE_LETTERS[int(i)] for i in rng.integers(0, len(_PLATE_LETTERS), n))

    def pick(options) -> str:
        return options[int(rng.integers(len(options)))]

    if kind == "plate":
        return [pick((f"{letters(2)}{digits(2)} {letters(3)}", f"{letters(3)} {digits(4)}", f"{digits(3)}-{letters(2)}"))]
    if kind == "sign":
        first = pick((f"{pick(_SIGN_WORDS)} {digits(int(rng.integers(1, 3)))}", pick(_SIGN_WORDS).upper(),
                      f"{pick(_SIGN_WORDS)} {pick(_SIGN_WORDS).lower()}"))
        more = [pick(_STREETS), f"Open {digits(1)} to {digits(1)}", f"{pick(_SIGN_WORDS)} {digits(3)} m"]
        return [first] + [pick(more) for _ in range(int(rng.integers(0, 3)))]
    return [pick(_PRODUCTS), pick((f"Net wt {digits(3)} g", f"Lot {digits(4)}", f"Price {digits(1)}.{digits(2)}")),
            f"Best before {digits(2)}/{digits(4)}"][: int(rng.integers(1, 4))]


def _draw_item(rng: np.random.Generator, kind: str, x_height: int):
    """An RGBA picture of one item and, per line, its (4, 2) ink corners in the picture and its string."""
    texts = _item_texts(rng, kind)
    font = _font(rng, x_height)
    plate = np.array(rng.integers(0, 256, 3))
    ink = np.where(plate.mean() > 128, rng.integers(0, 70, 3), rng.integers(190, 256, 3))  # contrasting
    pad = max(6, x_height)
    boxes = [font.getbbox(text) for text in texts]
    gap = round(x_height * 1.2)
    line_height = max(b[3] - b[1] for b in boxes)
    width = max(b[2] - b[0] for b in boxes) + 2 * pad
    height = len(texts) * line_height + (len(texts) - 1) * gap + 2 * pad
    item = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(item)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=pad // 2, fill=(*plate.tolist(), 255),
                           outline=(*ink.tolist(), 255) if kind == "plate" else None, width=max(1, x_height // 5))
    corners = []
    for i, (text, box) in enumerate(zip(texts, boxes)):
        x, y = pad - box[0], pad + i * (line_height + gap) - box[1]
        draw.text((x, y), text, font=font, fill=(*ink.tolist(), 255))
        x1, y1, x2, y2 = draw.textbbox((x, y), text, font=font)
        corners.append(np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], np.float32))
    return item, corners, texts


def _rotate_points(points: np.ndarray, size: tuple[int, int], rotated_size: tuple[int, int], angle: float) -> np.ndarray:
    """(K, 2) pixel points of a picture of `size` -> the same points after PIL's `rotate(angle, expand=True)`
    (counter-clockwise by `angle` degrees about the centre), which gave a picture of `rotated_size`."""
    a = math.radians(angle)
    centre = np.array(size, np.float64) / 2
    new_centre = np.array(rotated_size, np.float64) / 2
    d = points.astype(np.float64) - centre
    x = d[:, 0] * math.cos(a) + d[:, 1] * math.sin(a)
    y = -d[:, 0] * math.sin(a) + d[:, 1] * math.cos(a)
    return np.stack([x, y], axis=1) + new_centre


def _free_place(rng: np.random.Generator, item_size: tuple[int, int], size: tuple[int, int],
                taken: list[tuple[int, int, int, int]], tries: int = 40) -> tuple[int, int] | None:
    """A top-left corner where an item of `item_size` fits inside `size` and overlaps none of `taken`."""
    (w, h), (width, height) = item_size, size
    if w >= width or h >= height:
        return None
    for _ in range(tries):
        x, y = int(rng.integers(0, width - w)), int(rng.integers(0, height - h))
        if all(x + w <= a or c <= x or y + h <= b or d <= y for a, b, c, d in taken):
            return x, y
    return None
