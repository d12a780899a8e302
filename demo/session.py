"""Per-visitor state: the image, the regions and their clicks, the overlay settings, the running answer.

One `DemoSession` lives in each visitor's `gr.State`; nothing user-specific is stored anywhere else.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from lyrics_model import LoadedImage

from .layers import Layers


@dataclass
class RegionDraft:
    """A region being built from clicks (or taken from a detected object).

    points: [(x, y)] photo pixels; labels: 1 = object, 0 = background. mask: (H, W) bool at the photo's
    size. box: [x1, y1, x2, y2] photo pixels. source: "clicks" or the object id it was taken from.
    """

    id: str
    color_index: int
    points: list[tuple[float, float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    mask: np.ndarray | None = None
    box: list[float] | None = None
    source: str = "clicks"


@dataclass
class DemoSession:
    """Everything one visitor has: kept across events, never shared.

    image: the decoded photo (`LoadedImage`: the working image the models see, and the photo's size, the
    space of every coordinate the visitor sees). active: the region that receives clicks.
    focus: the region chosen from its chip (drawn highlighted). highlight: the tag whose objects are shown.
    references: what the last answer pointed at ({"id", "box", ...}). answer_links: the latest answer's
    phrase links (`AnswerLink`, photo pixels); answer_turn: its number, the first part of its links' keys
    ("3-0"), so a phrase of an older answer is not taken for one of the latest. stop_event: the running answer's
    stop switch. objects_layer: (key, (h, w, 3) picture) of the drawn objects, reused while the image,
    layers, highlight and picture size stay the same. text_shown: the image's text has been read and shown
    (an upload that fails keeps the image, and its text is not shown again over the upload's message).
    """

    image: LoadedImage | None = None
    regions: list[RegionDraft] = field(default_factory=list)
    active: str | None = None
    focus: str | None = None
    highlight: str | None = None
    references: list[dict] = field(default_factory=list)
    answer_links: list = field(default_factory=list)
    answer_turn: int = 0
    layers: Layers = field(default_factory=Layers)
    next_number: int = 1
    stop_event: threading.Event | None = None
    objects_layer: tuple[tuple, np.ndarray] | None = None
    text_shown: bool = False

    @property
    def size(self) -> tuple[int, int]:
        """(W, H) of the photo in pixels; (1, 1) before an upload."""
        return self.image.original_size if self.image is not None else (1, 1)

    def reset(self, image: LoadedImage | np.ndarray | None) -> None:
        """A new image (a `LoadedImage`, or an (H, W, 3) uint8 array taken as the photo itself): forget
        regions, highlight and references (the layer settings stay)."""
        if isinstance(image, np.ndarray):
            image = LoadedImage(image, (image.shape[1], image.shape[0]))
        self.image, self.regions, self.active, self.focus, self.highlight = image, [], None, None, None
        self.references, self.next_number, self.objects_layer = [], 1, None
        self.answer_links, self.text_shown = [], False

    def region(self, region_id: str | None) -> RegionDraft | None:
        return next((r for r in self.regions if r.id == region_id), None)

    def new_region(self, source: str = "clicks") -> RegionDraft:
        draft = RegionDraft(f"region{self.next_number}", self.next_number - 1, source=source)
        self.next_number += 1
        self.regions.append(draft)
        self.active = draft.id if source == "clicks" else self.active
        return draft

    def remove(self, region_id: str) -> None:
        self.regions = [r for r in self.regions if r.id != region_id]
        self.active = None if self.active == region_id else self.active
        self.focus = None if self.focus == region_id else self.focus

    def clear_regions(self) -> None:
        self.regions, self.active, self.focus = [], None, None

    def finished_regions(self) -> dict[str, np.ndarray]:
        """{region id: mask} for every region that has a mask, in the form `Lyrics.chat` takes."""
        return {r.id: r.mask for r in self.regions if r.mask is not None}

    def start_answer(self) -> threading.Event:
        """A fresh stop switch for the answer about to run (an earlier answer's switch is dropped)."""
        self.stop_event = threading.Event()
        return self.stop_event

    def stop_answer(self) -> None:
        """Ask the running answer, if any, to end after its current token."""
        if self.stop_event is not None:
            self.stop_event.set()
