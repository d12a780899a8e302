"""The lines of text read, grouped into blocks: the lines of one sign, label or title, read as one message.

The text reader returns one line per printed line, but a person reads a road sign with "KEEP" printed
above "RIGHT" as "KEEP RIGHT": the lines of a sign, a label, a plaque or a book title are one message.
Two lines are one block when they sit as the lines of one paragraph do: letters of about the same height,
stacked with a gap smaller than a line's height and overlapping or lined up sideways; or side by side on
one row with a gap of less than a line's height. Lines far apart, or of very different sizes (a title and
the small print under it), are different messages.

Everything is measured on the lines' boxes, [x1, y1, x2, y2] in pixels; a line's height stands for the
size of its letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

#: Lines considered at most (the reader's first ones); later lines are left out of every block.
MAX_LINES = 50
#: Lines whose heights differ by more than this ratio (taller / shorter) are different messages.
MAX_HEIGHT_RATIO = 1.5
#: Stacked lines join when the vertical gap between them is at most this many times the smaller height.
MAX_LINE_GAP = 0.8
#: Stacked lines join when they overlap sideways by this share of the narrower line's width, or when their
#: centres or left edges are within one (smaller) line height of each other.
MIN_SIDEWAYS_OVERLAP = 0.5
#: Lines on one row (vertical overlap of at least half the smaller height) join when the horizontal gap
#: between them is under this many times the smaller height.
MAX_WORD_GAP = 1.0


@dataclass(frozen=True, eq=False)  # compared by identity, as the lines are
class TextBlock:
    """The lines of one message, in reading order (`TextLine`s, or anything with `text`, `score` and `box`)."""

    lines: tuple

    @property
    def text(self) -> str:
        """The lines' strings exactly as read, joined by a single space."""
        return " ".join(line.text for line in self.lines)

    @property
    def score(self) -> float:
        """The reader's confidence in the block, 0-1: that of its least sure line."""
        return min(line.score for line in self.lines)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """[x1, y1, x2, y2] in pixels: the union of the lines' boxes."""
        boxes = [line.box for line in self.lines]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    @property
    def letter_height(self) -> float:
        """The height in pixels of its tallest line: how big its letters are."""
        return max(line.box[3] - line.box[1] for line in self.lines)


def text_blocks(lines) -> list[TextBlock]:
    """The first `MAX_LINES` lines grouped into blocks (`same_message`, joined transitively), in reading order."""
    lines = list(lines)[:MAX_LINES]
    group = list(range(len(lines)))  # union-find: each line points towards the line that stands for its group

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = i = group[group[i]]
        return i

    for i, j in combinations(range(len(lines)), 2):
        if same_message(lines[i].box, lines[j].box):
            group[root(j)] = root(i)
    members: dict[int, list] = {}
    for i, line in enumerate(lines):
        members.setdefault(root(i), []).append(line)
    return reading_order([TextBlock(tuple(reading_order(block))) for block in members.values()])


def same_message(a, b) -> bool:
    """True when two line boxes ([x1, y1, x2, y2], pixels) are lines of one message: letters of about the
    same height, side by side on one row or stacked as the lines of one paragraph."""
    height_a, height_b = a[3] - a[1], b[3] - b[1]
    height = min(height_a, height_b)
    if height <= 0 or max(height_a, height_b) > MAX_HEIGHT_RATIO * height:
        return False
    sideways_overlap = min(a[2], b[2]) - max(a[0], b[0])
    if _on_row(a, b):  # words on one row: joined when they are close
        return -sideways_overlap < MAX_WORD_GAP * height
    if max(a[1], b[1]) - min(a[3], b[3]) > MAX_LINE_GAP * height:  # the gap between stacked lines
        return False
    narrower = min(a[2] - a[0], b[2] - b[0])
    centres = abs((a[0] + a[2]) - (b[0] + b[2])) / 2
    return sideways_overlap >= MIN_SIDEWAYS_OVERLAP * narrower or centres <= height or abs(a[0] - b[0]) <= height


def reading_order(items) -> list:
    """Items with a `box` ([x1, y1, x2, y2], pixels) top to bottom, then left to right: an item side by side
    with the first item of the row above (`_on_row`) is on that row."""
    rows: list[list] = []
    for item in sorted(items, key=lambda t: t.box[1]):
        if rows and _on_row(item.box, rows[-1][0].box):
            rows[-1].append(item)
        else:
            rows.append([item])
    return [item for row in rows for item in sorted(row, key=lambda t: t.box[0])]


def _on_row(a, b) -> bool:
    """True when boxes a and b ([x1, y1, x2, y2], pixels) are side by side on one row: they overlap vertically
    by half the smaller height or more, and sideways by less than half the narrower width (boxes that overlap
    both ways are lines stacked closer than the reader's boxes are tall)."""
    vertical = min(a[3], b[3]) - max(a[1], b[1]) >= 0.5 * min(a[3] - a[1], b[3] - b[1])
    return vertical and min(a[2], b[2]) - max(a[0], b[0]) < 0.5 * min(a[2] - a[0], b[2] - b[0])
