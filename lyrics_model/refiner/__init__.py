"""The visual refiner: image -> tags -> boxes (detector prompted by the tags) -> masks; text lines read on demand."""

from .clip_tagger import ClipTagger
from .efficientnet_tagger import EfficientNetTagger
from .grabcut_segmenter import GrabCutSegmenter
from .result import RefineResult, normalise_box
from .sam_segmenter import SAM_VARIANTS, SamSegmenter, build_sam
from .ssd_detector import SsdDetector
from .tags import Tag
from .text_line import TextLine
from .text_reader import RapidOcrReader
from .visual_refiner import VisualRefiner
from .yolo_detector import YoloDetector

__all__ = [
    "build_refiner", "ClipTagger", "EfficientNetTagger", "GrabCutSegmenter", "RefineResult", "normalise_box",
    "SAM_VARIANTS", "SamSegmenter", "build_sam", "SsdDetector", "Tag", "TextLine", "RapidOcrReader", "VisualRefiner", "YoloDetector",
]


def __getattr__(name: str):
    # loaded on first use: it reads the profile table, whose cache check reads the loaders above
    if name == "build_refiner":
        from .build import build_refiner

        return build_refiner
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
