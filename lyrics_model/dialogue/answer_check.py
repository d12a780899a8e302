"""Compare what an answer says a region is with what the refiner detected there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..refiner.vocabulary import default_vocabulary
from .regions import RegionMatch

#: Words that all mean the detector's "person" class.
PERSON_WORDS = {"person", "people", "man", "men", "woman", "women", "boy", "girl", "child", "children", "kid",
                "lady", "guy", "astronaut", "player", "human", "persons"}


@dataclass
class RegionCheck:
    """The refiner's view of a region next to the answer's.

    label / score / iou: the region's best-overlapping detected object (None if it overlaps none).
    named: object classes the answer names. disagrees: the answer names classes, none of them the
    refiner's label.
    """

    region_id: str
    label: str | None
    score: float | None
    iou: float | None
    named: list[str]
    disagrees: bool

    def to_text(self) -> str:
        if self.label is None:
            return f"{self.region_id}: the refiner detected no object here"
        text = f"{self.region_id}: refiner says {self.label} ({self.score:.2f}, IoU {self.iou:.2f})"
        if self.disagrees:
            text += f"; the answer says {', '.join(self.named)}: they disagree"
        return text


@lru_cache(maxsize=1)
def _class_pattern() -> re.Pattern:
    names = sorted(set(default_vocabulary()) | PERSON_WORDS, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")(?:s|es)?\b", re.IGNORECASE)


def named_classes(answer: str) -> list[str]:
    """Object class names (from the tag vocabulary) that appear in `answer`, in order, without repeats."""
    found = [m.group(1).lower() for m in _class_pattern().finditer(answer)]
    return list(dict.fromkeys(found))


def _same_class(label: str, name: str) -> bool:
    if label == name or label in name or name in label:
        return True
    return label == "person" and name in PERSON_WORDS


def check_region_answer(answer: str, region_id: str, match: RegionMatch | None) -> RegionCheck:
    named = named_classes(answer)
    if match is None:
        return RegionCheck(region_id, None, None, None, named, False)
    disagrees = bool(named) and not any(_same_class(match.label, n) for n in named)
    return RegionCheck(region_id, match.label, match.score, match.iou, named, disagrees)


def regions_discussed(question: str, answer: str, region_ids: list[str]) -> list[str]:
    """Regions named in the question or answer; the only region if there is exactly one."""
    mentioned = [r for r in region_ids if re.search(rf"\b{r}\b", question + " " + answer)]
    return mentioned or (region_ids if len(region_ids) == 1 else [])
