"""Where in a photo a thing only the tagger names is: the tagger run over windows of the photo.

An image tagger says what a photo shows, not where; a thing no detector class covers (a lighthouse, a kayak, a
temple) has no box. Run over overlapping windows of the photo (3 x 3, each half its width and height), the
tagger's score for one name rises in the windows that hold the thing and falls in those that do not (the
occlusion and sliding-window probes of classifier localisation): a thing in a photo's corner scores several
times more in the window over that corner than in the others. The thing's place is the centre of the windows
scoring at least half the best score, each weighted by how far its score rises above the lowest window's: a
thing the tagger knows from any part of it (brushes, a tripod's legs) scores in most windows, and only the
rise above that floor tells where it is. Larger windows were tried: they all hold part of a thing in a corner
and pulled every place to the centre.

This is coarse: it tells a side or a corner ("at the bottom right", "in the center"), not an outline, and
nothing where the name scores low in every window.

The windows' tags also tell what a small thing is: a window holds it four times larger than the photo does, so
a bowl of figs the whole photo's tags miss is a fig in most windows (`window_tags`).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

#: Windows per side (3 x 3 windows), evenly spread, each this share of the photo's width and height.
WINDOWS_PER_SIDE = 3
WINDOW_SHARE = 0.5
#: The name must score at least this in its best window for a place to be said.
MIN_WINDOW_SCORE = 0.1
#: Windows scoring at least this share of the best window's score place the thing.
STRONG_SHARE = 0.5


def windows(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """The probe windows [x1, y1, x2, y2] (pixels) of an image `width` x `height`, row by row."""
    w, h = max(1, int(width * WINDOW_SHARE)), max(1, int(height * WINDOW_SHARE))
    steps = WINDOWS_PER_SIDE - 1
    return [(round(c * (width - w) / steps), round(r * (height - h) / steps),
             round(c * (width - w) / steps) + w, round(r * (height - h) / steps) + h)
            for r in range(WINDOWS_PER_SIDE) for c in range(WINDOWS_PER_SIDE)]


def window_tags(tag: Callable[[np.ndarray], list], rgb: np.ndarray) -> list[list]:
    """The tagger's tags of each probe window of `rgb` ((H, W, 3) uint8), row by row as `windows` lists them.

    tag: the tagger's `tag(rgb) -> [Tag(name, score), ...]`. Costs a tagger run per window (9)."""
    height, width = rgb.shape[:2]
    return [list(tag(np.ascontiguousarray(rgb[y1:y2, x1:x2]))) for x1, y1, x2, y2 in windows(width, height)]


def tag_box(tags_by_window: list[list], size: tuple[int, int], name: str) -> tuple[float, float, float, float] | None:
    """A window-sized box [x1, y1, x2, y2] (pixels) centred where the tagger finds `name` most, or None where it
    scores under `MIN_WINDOW_SCORE` in every window.

    tags_by_window: `window_tags` of the photo (a name a window's tags lack scores 0 there); size: the photo's
    (width, height) in pixels."""
    width, height = size
    probes = windows(width, height)
    scores = [next((float(t.score) for t in tags if t.name == name), 0.0) for tags in tags_by_window]
    best, floor = max(scores), min(scores)
    if best < MIN_WINDOW_SCORE:
        return None
    strong = [(box, s - floor) for box, s in zip(probes, scores) if s >= STRONG_SHARE * best and s > floor]
    if not strong:  # the same score everywhere: the thing fills the photo
        strong = [(box, 1.0) for box in probes]
    total = sum(w for _, w in strong)
    cx = sum((b[0] + b[2]) / 2 * w for b, w in strong) / total
    cy = sum((b[1] + b[3]) / 2 * w for b, w in strong) / total
    half_w, half_h = width * WINDOW_SHARE / 2, height * WINDOW_SHARE / 2
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h
