"""The colours of what a person wears, read off bands of the person's outline.

No model here outlines a shirt or a shoe. But a person standing or walking wears a hat on the top of their
outline, a shirt or a jacket below the head, trousers or a skirt from the hips down and shoes at the bottom,
so the pixels of the matching band of a detected person's mask show what is worn there (`language.kinds.worn_on`
says which band a word's clothing is on). A seated or bent person breaks this, so the colours are offered as a
guess, never as fact; a band the photo's edge cuts off is not read at all.
"""

from __future__ import annotations

import numpy as np

from ..language.kinds import worn_on
from .grounded_prompt import SceneFacts
from .question import Thing
from .scene_facts import dominant_colours

#: The band of a person's box each part of the body takes, as (top, bottom) shares of the box's height. The head is
#: not read: hair and face fill its band whether or not a hat is worn there.
BANDS = {"upper body": (0.18, 0.55), "legs": (0.5, 0.9), "feet": (0.88, 1.0)}
#: A box edge this close to the photo's edge (share of the photo's height) may cut the person off there.
EDGE = 0.02
#: People whose bands are read, at most (the largest first).
MAX_PEOPLE = 6
#: A mask filling less of its box than this, or of a band's rows, outlines too little of the person to read.
MIN_FILL = 0.2


def clothing_band(thing: Thing) -> str | None:
    """The body band (a key of `BANDS`) the clothing `thing` names is worn on ("running shoes" -> "feet"), or None."""
    band = worn_on(" ".join([*thing.modifiers, thing.head])) if thing.modifiers else None
    band = band or worn_on(thing.head)
    return band if band in BANDS else None


def band_colours(rgb: np.ndarray, box, mask: np.ndarray | None, band: str) -> list[str]:
    """Colour names of one band of a person (rgb: (H, W, 3) uint8; box: [x1, y1, x2, y2] pixels; mask: (H, W)
    bool or None); empty where the photo's bottom edge may cut off the legs or feet, or the mask fills under
    `MIN_FILL` of the box or of the band (a loose or failed outline)."""
    height = rgb.shape[0]
    x1, y1, x2, y2 = (float(v) for v in box)
    if band in ("legs", "feet") and y2 >= (1 - EDGE) * height:
        return []
    top, bottom = BANDS[band]
    rows = slice(int(y1 + top * (y2 - y1)), max(int(y1 + top * (y2 - y1)) + 1, int(y1 + bottom * (y2 - y1))))
    columns = slice(max(0, int(x1)), max(int(x1) + 1, int(x2)))
    region = np.zeros(rgb.shape[:2], bool)
    region[rows, columns] = True
    if mask is not None:
        inside = mask[int(y1):max(int(y1) + 1, int(y2)), columns]
        if inside.mean() < MIN_FILL or mask[rows, columns].mean() < MIN_FILL:
            return []  # the outline holds too little of the person, or of this band
        region &= mask
    if not region.any():
        return []
    ys, xs = np.nonzero(region)
    return dominant_colours(rgb, region, [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], label="person")


def add_worn_colours(rgb: np.ndarray, facts: SceneFacts, thing: Thing) -> None:
    """Add to `facts.worn_colours` the colours of the band of each person the models are sure of that `thing`'s
    clothing is worn on ("his sneakers": the feet), where `thing` names clothing; rgb: the image the facts'
    boxes and masks are in."""
    band = clothing_band(thing)
    if band is None:
        return
    people = [o for o in facts.objects if o.is_person and o.label not in facts.unsure and o.id]
    people.sort(key=lambda o: -o.area)
    for person in people[:MAX_PEOPLE]:
        colours = band_colours(rgb, person.box, person.mask, band)
        if colours:
            facts.worn_colours[(person.id, band)] = colours
