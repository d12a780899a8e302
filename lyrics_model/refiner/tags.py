"""Image tags: what the tagger says is in the picture."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tag:
    """One tag with its confidence in [0, 1] and the stage that produced it ("tagger" or "detector")."""

    name: str
    score: float
    source: str = "tagger"

    def to_json(self) -> dict:
        return {"name": self.name, "score": round(float(self.score), 4), "source": self.source}
