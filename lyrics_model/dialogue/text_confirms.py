"""What the text read says of the detections: a stop sign reading "STOP" is a stop sign; a big one reading
nothing may be none.

The detector and the text reader are two models that fail independently.

- **Confirmed**: where the detector is unsure of a thing but the reader, sure of its reading, finds a word of the
  thing's own name printed inside its box (a stop sign reading "STOP", a bus reading "BUS", a parking meter
  reading "PARKING"), the two agree on what it is, and the thing is as sure as the reading. A word of another
  name proves nothing: a truck may carry any word.
- **Disputed**: a sign (WordNet's "public display of a message") is made to be read; one large enough for its
  letters to be read (`LEGIBLE_SIGN_HEIGHT`) on which the reader finds nothing is as likely something red and
  round the detector took for one (a bowl of fruit, a lamp). It is kept, but as a guess.
"""

from __future__ import annotations

import re

from ..language.kinds import kinds_of
from .scene_facts import share_inside

#: The reader's score (0-1) from which a reading confirms a name.
MIN_READING_SCORE = 0.9
#: Share of a line's box that must lie inside the thing's box for the line to be printed on it.
INSIDE_SHARE = 0.8
#: Words of a name shorter than this confirm nothing: "tv" is read in too many codes and plates.
MIN_WORD_LENGTH = 3
#: Height (pixels of the image read) from which a sign's letters would be read: a sign's word is about a quarter
#: of its height, and the reader reads letters from about 8 pixels up (benchmarks/RESULTS.md, text reading).
LEGIBLE_SIGN_HEIGHT = 64
#: WordNet's sense of a sign: "a public display of a message".
SIGN_SENSE = "sign.n.02"


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


def disputed_by_text(objects, texts, senses_of) -> set[str]:
    """The labels of `objects` all of whose things are signs (`SIGN_SENSE`) at least `LEGIBLE_SIGN_HEIGHT` tall
    inside whose box no line of `texts` was read (see the module docstring). Call only where the reader ran.

    objects: `ObjectFact`s. texts: read lines. senses_of: label -> its WordNet senses (`Perception.senses_of`)."""
    def unread_sign(thing) -> bool:
        is_sign = any(SIGN_SENSE in kinds_of(sense) for sense in senses_of(thing.label))
        tall = thing.box[3] - thing.box[1] >= LEGIBLE_SIGN_HEIGHT
        return is_sign and tall and not any(share_inside(line.box, thing.box) >= INSIDE_SHARE for line in texts)

    labels = {thing.label for thing in objects}
    return {label for label in labels if all(unread_sign(t) for t in objects if t.label == label)}
