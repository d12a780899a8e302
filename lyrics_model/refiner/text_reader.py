"""The text reader role: PaddleOCR PP-OCRv6 (small) through rapidocr on onnxruntime, weights shipped in
the rapidocr wheel, so it reads text offline with nothing downloaded.

PP-OCR finds text lines (a DB detector), turns upside-down lines right way up (a 0/180 degree
classifier) and recognises each line (an SVTR recogniser with CTC decoding); rapidocr chains the three.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import numpy as np

from ..errors import WeightsUnavailable
from ..weights import WeightsSource, explicit_path, package_file
from .text_line import TextLine

log = logging.getLogger(__name__)

#: The three ONNX files, by rapidocr stage, as the rapidocr 3.10 wheel ships them in `rapidocr/models/`.
MODEL_FILES = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
}


class RapidOcrReader:
    """Reads lines of text in an image.

    Build with `from_package()` (the weights inside the installed rapidocr wheel) or
    `from_package(weights=FOLDER)` (a folder holding the three `MODEL_FILES`).

    Args:
        folder: the folder holding `MODEL_FILES`.
        source: where the weights came from (reported by `describe()`).
        min_score: lines the recogniser is less sure of (0-1) are dropped.
        min_short_score: the score a line of one or two characters needs: a round or straight shape in
            clutter reads as "O", "C" or "1" with scores up to about 0.7, real short text scores higher.
        max_short_height: a line of one or two characters taller than this fraction of the image height is
            dropped: large shapes (an ellipse, a thick stroke) read as "O", "P" or "1-" with scores up to 0.99.
        max_lines: at most this many lines are returned (the tallest, i.e. the most prominent).
        max_chars: longer strings are cut to this many characters (ending in "…").
    """

    name = "PP-OCRv6 small (rapidocr)"

    def __init__(self, folder: Path, source: WeightsSource, min_score: float = 0.75, min_short_score: float = 0.8,
                 max_short_height: float = 0.25, max_lines: int = 32, max_chars: int = 80):
        missing = [name for name in MODEL_FILES.values() if not (folder / name).is_file()]
        if missing:
            raise WeightsUnavailable(f"{folder} lacks the text reader's {', '.join(missing)}")
        _require_character_table(folder / MODEL_FILES["Rec"])
        try:
            from rapidocr import RapidOCR
        except ImportError as err:
            raise WeightsUnavailable(f"the text reader needs rapidocr and onnxruntime ({err}): "
                                     "pip install -r requirements.txt") from err
        # Explicit model paths: rapidocr loads them as given and never reaches for its downloader.
        params = {f"{stage}.model_path": str(folder / name) for stage, name in MODEL_FILES.items()}
        params["Global.log_level"] = "error"  # not a warning per photo without text
        self._ocr = RapidOCR(params=params)
        for load in (self._ocr._load_det_model, self._ocr._load_cls_model, self._ocr._load_rec_model):
            load()  # at start-up, so a broken file fails here and the first read pays no load
        self._lock = threading.Lock()  # the pipeline keeps per-call state (its parameters)
        self.source = source
        self.min_score = min_score
        self.min_short_score = min_short_score
        self.max_short_height = max_short_height
        self.max_lines = max_lines
        self.max_chars = max_chars

    @classmethod
    def from_package(cls, weights: str | os.PathLike | None = None, **kwargs) -> "RapidOcrReader":
        """The reader over `weights` (a folder of `MODEL_FILES`), else the ONNX files inside the installed
        rapidocr package. Raises WeightsUnavailable."""
        if weights is not None:
            source = explicit_path(weights)
            if not source.path.is_dir():
                raise WeightsUnavailable(f"{source.path} is not a folder holding {', '.join(MODEL_FILES.values())}")
        else:
            source = package_file("rapidocr", "models", "rapidocr")
        return cls(source.path, source, **kwargs)

    def read(self, rgb: np.ndarray) -> list[TextLine]:
        """Lines of text in an (H, W, 3) uint8 RGB image, in reading order (top to bottom, then left to
        right); boxes and polygons in its pixels."""
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        with self._lock:
            output = self._ocr(bgr)
        if output.boxes is None or output.txts is None:
            return []
        lines = [TextLine.from_polygon(self._bounded(text), score, polygon)
                 for polygon, text, score in zip(output.boxes, output.txts, output.scores)
                 if self._believable(text.strip(), score, np.ptp(np.asarray(polygon)[:, 1]) / rgb.shape[0])]
        if len(lines) > self.max_lines:  # keep the most prominent lines: the tallest
            lines = sorted(lines, key=lambda line: line.box[1] - line.box[3])[: self.max_lines]
        row = _row_height(lines) if lines else 1.0
        return sorted(lines, key=lambda line: (round(line.box[1] / row), line.box[0]))

    def _believable(self, text: str, score: float, height: float) -> bool:
        """A line worth reporting: a letter or digit in it (a lone bullet or dash is a shape), sure enough, and
        not a huge glyph or two. height: the line's height as a fraction of the image's (0-1)."""
        if not any(c.isalnum() for c in text):
            return False
        if len(text) < 3:
            return score >= self.min_short_score and height <= self.max_short_height
        return score >= self.min_score

    def _bounded(self, text: str) -> str:
        text = text.strip()
        return text if len(text) <= self.max_chars else text[: self.max_chars - 1] + "…"


def _row_height(lines: list[TextLine]) -> float:
    """Half the median line height in pixels: lines whose tops differ by less share a row of reading order."""
    return max(1.0, float(np.median([line.box[3] - line.box[1] for line in lines])) / 2)


def _require_character_table(rec_file: Path) -> None:
    """The recogniser must carry its character table: without one rapidocr would download a dictionary."""
    try:
        from onnxruntime import InferenceSession
    except ImportError as err:
        raise WeightsUnavailable(f"the text reader needs onnxruntime ({err}): pip install -r requirements.txt") from err
    try:
        metadata = InferenceSession(str(rec_file), providers=["CPUExecutionProvider"]).get_modelmeta()
    except Exception as err:  # onnxruntime raises its own error types for unreadable files
        raise WeightsUnavailable(f"{rec_file} is not a loadable ONNX model: {err}") from err
    if "character" not in metadata.custom_metadata_map:
        raise WeightsUnavailable(f"{rec_file} carries no character table")
