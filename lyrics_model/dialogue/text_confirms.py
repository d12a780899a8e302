"""A detection that the text read on it names: a stop sign with "STOP" on it is a stop sign.

The detector and the text reader are two models that fail independently. Where the detector is unsure of a
thing but the reader, sure of its reading, finds a word of the thing's own name printed inside its box (a stop
sign reading "STOP", a bus reading "BUS", a parking meter reading "PARKING"), the two agree on what it is, and
the thing is as sure as the reading. A word of another name proves nothing: a truck may carry any word.
"""

from __future__ import annotations

import re

from .scene_facts import share_inside

#: The reader's score (0-1) from which a reading confirms a name.
MIN_READING_SCORE = 0.9
#: Share of a line's box that must lie inside the thing's box for the line to be printed on it.
INSIDE_SHARE = 0.8
#: Words of a name shorter than this confirm nothing: "tv" is read in too many codes and plates.
MIN_WORD_LENGTH = 3


def confirmed_by_text(objects, texts) -> set[str]:
    """The labels of `objects` that a line of `texts` read inside the object's box names (see the module docstring).

    objects: `ObjectFact`s (label, box [x1, y1, x2, y2] pixels). texts: read lines (text, score 0-1, box
    (x1, y1, x2, y2) in the same pixels)."""
    confirmed = set()
    for thing in objects:
        name_words = {w for w in thing.label.lower().split() if len(w) >= MIN_WORD_LENGTH}
        for line in texts:
            if line.score < MIN_READING_SCORE or share_inside(line.box, thing.box) < INSIDE_SHARE:
                continue
            if name_words & set(re.findall(r"[a-z]+", line.text.lower())):
                confirmed.add(thing.label)
    return confirmed

