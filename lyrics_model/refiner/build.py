"""Builders of each refiner role, keyed by `ModelChoice.kind`, and the profile -> refiner assembly.

The profile table belongs to `lyrics_model.profiles`; this module only reads it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..cached_weights import PACKAGED_KINDS, profile_cached, weights_cached  # noqa: F401 (importable from here)
from ..errors import WeightsUnavailable
from ..profiles import PROFILES, ModelChoice, Profile
from .clip_tagger import ClipTagger
from .efficientnet_tagger import EfficientNetTagger
from .grabcut_segmenter import GrabCutSegmenter
from .grounding_dino_detector import GroundingDinoDetector
from .sam_segmenter import SamSegmenter
from .ssd_detector import SsdDetector
from .text_reader import RapidOcrReader
from .visual_refiner import VisualRefiner
from .yolo_detector import YoloDetector

log = logging.getLogger(__name__)

@dataclass
class BuiltModel:
    """A loaded model and what `describe()` reports about it."""

    model: object
    choice: ModelChoice
    fallback_reason: str | None = None
    #: Why an optional role (the text reader) has no model (`model` is None then); the others still run.
    unavailable_reason: str | None = None

    def info(self) -> dict:
        source = getattr(self.model, "source", None)
        if self.model is None:
            origin = f"unavailable: {self.unavailable_reason}"
        else:
            origin = source.origin if source is not None else "no weights (classical algorithm)"
        return {
            "model": getattr(self.model, "name", self.choice.name),
            "weights": str(source.path) if source is not None and source.path is not None else None,
            "origin": origin,
            "licence": self.choice.licence,
            "fallback": self.fallback_reason,
            "unavailable": self.unavailable_reason,
        }


def _clip(name: str, weights, device, **kw) -> ClipTagger:
    model_name, _, pretrained = name.partition("/")
    return ClipTagger.from_pretrained(model_name, pretrained or "openai", weights=weights, device=device, **kw)


TAGGER_BUILDERS = {
    "clip": lambda choice, weights, device, **kw: _clip(choice.name, weights, device, **kw),
    "efficientnet": lambda choice, weights, device, **kw: EfficientNetTagger.from_package(**kw),
}
DETECTOR_BUILDERS = {
    "yolo": lambda choice, weights, device, text_encoder=None, **kw: YoloDetector.from_pretrained(
        choice.name, weights=weights, text_encoder=text_encoder, device=device, **kw),
    "ssd": lambda choice, weights, device, **kw: SsdDetector.from_package(**kw),
    "grounding-dino": lambda choice, weights, device, **kw: GroundingDinoDetector.from_pretrained(
        choice.name, weights=weights, device=device, **kw),
}
SEGMENTER_BUILDERS = {
    "sam": lambda choice, weights, device, **kw: SamSegmenter.from_pretrained(
        choice.name, weights=weights, device=device, **kw),
    "grabcut": lambda choice, weights, device, **kw: GrabCutSegmenter(**kw),
}
TEXT_READER_BUILDERS = {
    "rapidocr": lambda choice, weights, device, **kw: RapidOcrReader.from_package(weights, **kw),
}
BUILDERS = {"tagger": TAGGER_BUILDERS, "detector": DETECTOR_BUILDERS, "segmenter": SEGMENTER_BUILDERS,
            "text_reader": TEXT_READER_BUILDERS}


def build_role(role: str, profile: Profile, weights=None, **kwargs) -> BuiltModel:
    """Load `profile`'s model for `role`; on missing weights fall back to the offline profile's model."""
    choice = profile.choice(role)
    try:
        return BuiltModel(BUILDERS[role][choice.kind](choice, weights, profile.device, **kwargs), choice)
    except WeightsUnavailable as err:
        if profile.name == "offline" or weights is not None:
            raise  # nothing to fall back to, or the user asked for these exact weights
        return _offline_fallback(role, choice, str(err))


def build_refiner(profile: Profile, weights: dict | None = None, max_objects: int = 20) -> tuple[VisualRefiner, dict]:
    """The profile's refiner and, per role, its `BuiltModel`.

    weights: optional explicit files per role: "tagger", "detector", "segmenter", "detector_text" (the
    CLIP that embeds YOLO-World's prompts) and "text_reader" (a folder of the reader's ONNX files).
    A text reader that cannot load leaves the refiner without one (`BuiltModel.unavailable_reason`).
    """
    weights = weights or {}
    built = {"tagger": build_role("tagger", profile, weights.get("tagger"))}
    extra, missing = {}, None
    if profile.detector.kind == "yolo" and profile.detector_text is not None:
        try:
            extra["text_encoder"] = _detector_text_encoder(profile, built["tagger"], weights)
        except WeightsUnavailable as err:
            log.warning("the detector's prompt encoder %s is unavailable: %s", profile.detector_text.name, err)
            missing = f"no CLIP text encoder for its prompts: {err}"
    if missing:
        built["detector"] = _offline_fallback("detector", profile.detector, missing)
    else:
        built["detector"] = build_role("detector", profile, weights.get("detector"), **extra)
    built["segmenter"] = build_role("segmenter", profile, weights.get("segmenter"))
    built["text_reader"] = build_text_reader(profile, weights.get("text_reader"))
    refiner = VisualRefiner(built["tagger"].model, built["detector"].model, built["segmenter"].model,
                            profile=profile.name, max_objects=max_objects, text_reader=built["text_reader"].model)
    return refiner, built


def build_text_reader(profile: Profile, weights=None) -> BuiltModel:
    """The profile's text reader; when it cannot load, a `BuiltModel` without a model that says why (logged):
    reading text is optional, so the rest of the refiner runs. Explicit `weights` that fail raise."""
    try:
        return build_role("text_reader", profile, weights)
    except Exception as err:  # a missing package, missing weights, or a runtime that fails to start
        if weights is not None:
            raise
        log.warning("text reader: %s is unavailable (%s); no text will be read", profile.text_reader.name, err)
        return BuiltModel(None, profile.text_reader, unavailable_reason=str(err))


def _detector_text_encoder(profile: Profile, tagger: BuiltModel, weights: dict) -> ClipTagger:
    """The CLIP for YOLO-World's prompts: the tagger itself when it is that CLIP, else loaded apart.

    Raises WeightsUnavailable."""
    if tagger.choice == profile.detector_text and tagger.fallback_reason is None and "detector_text" not in weights:
        return tagger.model  # one CLIP serves both roles
    return _clip(profile.detector_text.name, weights.get("detector_text"), profile.device)


def _offline_fallback(role: str, choice: ModelChoice, reason: str) -> BuiltModel:
    fallback = PROFILES["offline"].choice(role)
    log.warning("%s: %s is unavailable (%s); falling back to the offline model %s", role, choice.name, reason, fallback.name)
    return BuiltModel(BUILDERS[role][fallback.kind](fallback, None, "cpu"), fallback, reason)
