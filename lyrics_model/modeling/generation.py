"""Generation settings: answer length, greedy or sampled decoding, repetition penalty."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class GenerationSettings:
    """max_new_tokens: answer length limit. temperature: 0 means greedy and deterministic.
    top_p: nucleus sampling mass (sampling only). repetition_penalty: >1 discourages loops."""

    max_new_tokens: int = 200
    temperature: float = 0.0
    top_p: float = 0.9
    repetition_penalty: float = 1.1

    @classmethod
    def from_kwargs(cls, **kwargs) -> "GenerationSettings":
        unknown = set(kwargs) - set(asdict(cls()))
        if unknown:
            raise TypeError(f"unknown generation options: {', '.join(sorted(unknown))}")
        settings = cls(**kwargs)
        if settings.max_new_tokens < 1 or settings.temperature < 0 or not 0 < settings.top_p <= 1:
            raise ValueError("need max_new_tokens >= 1, temperature >= 0 and 0 < top_p <= 1")
        return settings
