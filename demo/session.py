"""Per-browser-session state: the image, the user's regions and their clicks.

One `DemoSession` lives in each visitor's `gr.State`; nothing user-specific is stored anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class RegionDraft:
    """A region being built from clicks (or taken from a detected object).

    points: [(x, y)] pixels; labels: 1 = object, 0 = background. mask: (H, W) bool.
    source: "clicks" or the object id it was taken from.
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
    image: np.ndarray | None = None  # (H, W, 3) uint8 as the models see it
    regions: list[RegionDraft] = field(default_factory=list)
    active: str | None = None  # id of the region that receives clicks
    highlight: str | None = None  # tag whose objects are highlighted
    references: list[dict] = field(default_factory=list)  # what the last answer pointed at
    next_number: int = 1

    def reset(self, image: np.ndarray | None) -> None:
        self.image, self.regions, self.active, self.highlight, self.references = image, [], None, None, []
        self.next_number = 1

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
        if self.active == region_id:
            self.active = None

    def finished_regions(self) -> dict[str, np.ndarray]:
        """{region id: mask} for every region that has a mask, in the form `Lyrics.chat` takes."""
        return {r.id: r.mask for r in self.regions if r.mask is not None}
