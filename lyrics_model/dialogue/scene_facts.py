"""Plain-language facts about a refined image: what a small language model can read.

The refiner's boxes and scores become short sentences a person would write: counts per label
("3 people, 1 bus"), each object's place ("on the left, at the bottom"), its size, its dominant
colour (from the pixels under its mask, nearest basic colour in CIELAB), and, for the user's regions,
what each one is and how they relate (left of, above, overlapping, in front of, inside).
Colours are the names a person would give (see `colour_names`): white, black, grey and silver
things are named so, and the colour of what lies behind each object is kept too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .colour_names import exposure_gain, object_colours, surface_colours

#: The colour names the facts use and a typical sRGB value of each ("silver" only for metal things).
BASIC_COLOURS = {
    "black": (20, 20, 20), "white": (245, 245, 245), "grey": (128, 128, 128), "red": (200, 30, 30),
    "orange": (240, 130, 30), "yellow": (240, 220, 40), "green": (40, 150, 50), "blue": (40, 80, 200),
    "light blue": (130, 180, 230), "purple": (120, 50, 160), "pink": (240, 150, 180), "brown": (120, 70, 30),
    "beige": (215, 195, 160), "silver": (192, 192, 192),
}
#: Objects the refiner is less sure of than this are left out of the facts.
MIN_FACT_SCORE = 0.25
IRREGULAR_PLURALS = {"person": "people", "man": "men", "woman": "women", "child": "children", "mouse": "mice",
                     "sheep": "sheep", "skis": "skis", "scissors": "scissors", "knife": "knives"}
#: Labels of people (COCO's "person", tagger names of people): their colours are their clothes'.
PERSON_LABELS = {"person", "man", "woman", "boy", "girl", "child", "baby", "people", "groom", "ballplayer",
                 "scuba diver"}
#: The whole-image facts `photo_facts` can state.
BLACK_AND_WHITE, DARK = "It is a black-and-white photo.", "It is a dark photo, taken at night or in low light."
NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _lab(rgb: np.ndarray) -> np.ndarray:
    """(N, 3) uint8 sRGB -> (N, 3) float CIELAB (L in 0-100)."""
    return cv2.cvtColor(rgb.reshape(-1, 1, 3).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB).reshape(-1, 3)


def dominant_colours(rgb: np.ndarray, mask: np.ndarray | None, box=None, max_names: int = 2, label: str = "",
                     others: np.ndarray | None = None, gain: float | None = None) -> list[str]:
    """Colour names a person would give the pixels under `mask` (or inside `box`), largest first.

    rgb: (H, W, 3) uint8. mask: (H, W) bool or None. box: [x1, y1, x2, y2] pixels. label, others,
    gain: see `colour_names.object_colours`. A second colour is named only when its weighted share
    is at least a quarter of the first's plus 10 points.
    """
    return object_colours(rgb, mask, box, label, gain, others, max_names)


def place_words(box, size: tuple[int, int]) -> str:
    """Where a pixel box sits in an image of size (W, H): "on the left", "at the top right", "in the center"."""
    width, height = size
    cx, cy = (box[0] + box[2]) / 2 / width, (box[1] + box[3]) / 2 / height
    column = "left" if cx < 0.36 else "right" if cx > 0.64 else ""
    row = "top" if cy < 0.36 else "bottom" if cy > 0.64 else ""
    if row and column:
        return f"at the {row} {column}"
    if row:
        return f"at the {row}"
    if column:
        return f"on the {column}"
    return "in the center"


def share_inside(box, other) -> float:
    """The share of `box`'s area ([x1, y1, x2, y2] pixels) that lies inside `other`; 0 for an empty box."""
    width = max(0.0, float(min(box[2], other[2]) - max(box[0], other[0])))
    height = max(0.0, float(min(box[3], other[3]) - max(box[1], other[1])))
    area = float((box[2] - box[0]) * (box[3] - box[1]))
    return width * height / area if area > 0 else 0.0


def size_word(box, size: tuple[int, int]) -> str:
    """"large", "small" or "" (medium) from the box's share of the image area."""
    share = (box[2] - box[0]) * (box[3] - box[1]) / (size[0] * size[1])
    return "large" if share > 0.3 else "small" if share < 0.03 else ""


def plural(label: str, count: int) -> str:
    if count == 1:
        return label
    words = label.split()
    last = words[-1]
    if last in IRREGULAR_PLURALS:
        last = IRREGULAR_PLURALS[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join(words[:-1] + [last])


#: Names of things that come in pairs, plural in form: counted as pairs ("1 pair of skis").
PAIRS = {"skis", "scissors", "glasses", "sunglasses", "jeans", "trousers", "shorts", "binoculars"}


def count_phrase(label: str, count: int) -> str:
    """"3 people", "1 bus", "1 pair of skis"."""
    if label in PAIRS:
        return f"{count} {'pair' if count == 1 else 'pairs'} of {label}"
    return f"{count} {plural(label, count)}"


@dataclass(eq=False)  # one thing is itself: two like things (two grey cups) are not one, and a box is an array
class ObjectFact:
    """One thing in the image, in words.

    label: what it is. place / size: words (see `place_words`, `size_word`). colours: colour names
    (keys of `BASIC_COLOURS`), largest share first. box: [x1, y1, x2, y2] pixels. mask: (H, W) bool
    or None. background: colour names of what lies behind it (the band above and beside its box,
    other objects left out); empty when unknown. id: the refined object it describes ("obj3"), so
    what an answer says of it leads back to its mask; None for a user's region (its id is the region's).
    """

    label: str
    place: str
    size: str
    colours: list[str]
    box: np.ndarray
    mask: np.ndarray | None = None
    background: list[str] = field(default_factory=list)
    id: str | None = None

    def phrase(self) -> str:
        """"a large blue and white bus on the left"; people wear their colours: "a person in black on
        the left" (a person's pixels are their clothes)."""
        colours = " and ".join(self.colours)
        if self.is_person and colours:
            words = [w for w in (self.size, self.label) if w]
            return f"{article(words[0])} {' '.join(words)} in {colours} {self.place}"
        words = [w for w in (self.size, colours, self.label) if w]
        return f"{article(words[0])} {' '.join(words)} {self.place}"

    @property
    def is_person(self) -> bool:
        return self.label in PERSON_LABELS

    @property
    def area(self) -> float:
        """The box's area, square pixels."""
        return float((self.box[2] - self.box[0]) * (self.box[3] - self.box[1]))


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def describe_object(rgb: np.ndarray, label: str, box, mask: np.ndarray | None, colour_check=None,
                    others: np.ndarray | None = None, gain: float | None = None,
                    object_id: str | None = None) -> ObjectFact:
    """The object's place, size, colours and background colours in words. colour_check: (rgb, label,
    box, pixel colour names) -> colour names, e.g. `ClipColourCheck`, where a CLIP model is loaded.
    others: (H, W) bool, the pixels of every object (left out of its background). gain: the photo's
    `exposure_gain` when already known. object_id: the refined object's id ("obj3"), if it is one."""
    size = (rgb.shape[1], rgb.shape[0])
    gain = exposure_gain(rgb) if gain is None else gain
    colours = dominant_colours(rgb, mask, box, label=label, others=others, gain=gain)
    if colour_check is not None:
        colours = colour_check(rgb, label, box, colours)
    background = surface_colours(rgb, box, _without(others, mask), gain)
    return ObjectFact(label, place_words(box, size), size_word(box, size), colours, np.asarray(box, np.float32), mask,
                      background, object_id)


def _without(others: np.ndarray | None, mask: np.ndarray | None) -> np.ndarray | None:
    """Every object's pixels, plus this object's own mask (its pixels are no part of its background)."""
    if mask is None:
        return others
    return mask if others is None else others | mask


def relation_words(a: ObjectFact, b: ObjectFact) -> list[str]:
    """How `a` relates to `b`: its side ("left of" / "right of", "above" / "below", each where the box
    centres are apart by at least a quarter of the boxes' mean size on that axis), then, where the boxes
    overlap, "inside", "in front of" / "behind" (occlusion order) or "overlapping". Never empty: boxes
    whose centres are that close overlap."""
    ax1, ay1, ax2, ay2 = a.box
    bx1, by1, bx2, by2 = b.box
    words = []
    dx, dy = (ax1 + ax2 - bx1 - bx2) / 2, (ay1 + ay2 - by1 - by2) / 2
    if abs(dx) >= 0.125 * (ax2 - ax1 + bx2 - bx1):
        words.append("left of" if dx < 0 else "right of")
    if abs(dy) >= 0.125 * (ay2 - ay1 + by2 - by1):
        words.append("above" if dy < 0 else "below")
    iw, ih = min(ax2, bx2) - max(ax1, bx1), min(ay2, by2) - max(ay1, by1)
    if iw > 0 and ih > 0:
        front = _in_front(a, b)
        if iw * ih >= 0.9 * (ax2 - ax1) * (ay2 - ay1):
            words.append("inside")
        elif front is not None:
            words.append("in front of" if front else "behind")
        else:
            words.append("overlapping")
    return words


def relation(a: ObjectFact, b: ObjectFact) -> str:
    """`relation_words` as a phrase to put before b: "left of", "right of, above and in front of"."""
    words = relation_words(a, b)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


#: Share of the farther thing's height by which the nearer one's box may end above the farther one's bottom edge
#: (feet cut by the photo's edge, a box that stops at a hidden part).
GROUND_SLACK = 0.1


def _in_front(a: ObjectFact, b: ObjectFact) -> bool | None:
    """Occlusion order: inside both boxes, the object whose mask covers more of the shared area is in front; said
    only where the ground agrees, i.e. the one in front does not end higher in the photo (things stand on the
    ground, and the nearer one reaches lower). A rough mask alone would put a table behind the people it hides."""
    if a.mask is None or b.mask is None:
        return None
    x1, y1 = int(max(a.box[0], b.box[0])), int(max(a.box[1], b.box[1]))
    x2, y2 = int(min(a.box[2], b.box[2])), int(min(a.box[3], b.box[3]))
    if x2 <= x1 or y2 <= y1:  # the boxes do not overlap by a whole pixel
        return None
    covered_a, covered_b = a.mask[y1:y2, x1:x2].mean(), b.mask[y1:y2, x1:x2].mean()
    if abs(covered_a - covered_b) < 0.15:
        return None
    front, back = (a, b) if covered_a > covered_b else (b, a)
    if front.box[3] < back.box[3] - GROUND_SLACK * (back.box[3] - back.box[1]):
        return None  # the mask says in front, the ground says behind
    return bool(covered_a > covered_b)


def photo_facts(rgb: np.ndarray) -> list[str]:
    """Whole-image facts in words: black and white, and dark (night or low light).

    Black and white means almost no pixel has colour: 99% of them under a chroma of 10 (CIE Lab). A photo's
    average colour is no test: haze, dusk or a grey city make a colour photo muted on average, while its
    red car or green tree still has colour, and a mean under the bar would call it black and white."""
    facts = []
    lab = _lab(rgb[:: max(1, rgb.shape[0] // 100), :: max(1, rgb.shape[1] // 100)].reshape(-1, 3))
    if np.percentile(np.hypot(lab[:, 1], lab[:, 2]), 99) < 10:
        facts.append(BLACK_AND_WHITE)
    if np.median(lab[:, 0]) < 30 and np.percentile(lab[:, 0], 90) < 60:  # dark overall, few bright parts
        facts.append(DARK)
    return facts


def counts_sentence(labels: list[str]) -> str:
    """"3 people, 1 bus" in order of first appearance; "nothing detected" for none."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(count_phrase(label, n) for label, n in counts.items()) or "nothing detected"
