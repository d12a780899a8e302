"""Image tags: what the tagger says is in the picture."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tag:
    """One tag with its confidence in [0, 1], the stage that produced it ("tagger" or "detector"), and,
    where the tagger's class fixes it, its WordNet id (`sense`, "n02084071"): names alone are ambiguous
    ("crane" is a bird and a machine)."""

    name: str
    score: float
    source: str = "tagger"
    sense: str | None = None

    def to_json(self) -> dict:
        return {"name": self.name, "score": round(float(self.score), 4), "source": self.source}
