"""Run the visual refiner over a dataset once and keep its output on disk, so training never
re-runs it. One .npz per image, named by the file's content hash; an interrupted run resumes by
skipping images already cached (each file is written to a temp name, then renamed)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import numpy as np
import supervision as sv

from ..refiner.result import RefineResult
from ..refiner.tags import Tag
from .records import DataError

log = logging.getLogger(__name__)


def image_key(path: str | Path) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


def dataset_stage(path: str | Path) -> int:
    """1 if the JSONL's first record has captions, else 2."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                try:
                    return 1 if "captions" in json.loads(line) else 2
                except json.JSONDecodeError as err:
                    raise DataError(f"{path}: first record is not valid JSON ({err.msg})") from None
    raise DataError(f"{path}: no records")


def cache_dataset(data: str | Path, out: str | Path, profile="auto", weights: dict | None = None) -> tuple[int, int]:
    """Refine every distinct image of `data` into `out`. Returns (images refined, images skipped).

    profile: a profile name or `Profile`; weights: optional role -> explicit weights file.
    """
    from ..lyrics import Lyrics
    from ..modeling.vision_encoder import ClipVisionEncoder
    from .records import read_records

    records = read_records(data, dataset_stage(data))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    todo = {}
    for record in records:
        todo.setdefault(image_key(record.image), record.image)
    missing = {k: p for k, p in todo.items() if not (out / f"{k}.npz").is_file()}
    if not missing:
        return 0, len(todo)
    lyrics = Lyrics.from_profile(profile, weights=weights)
    clip = getattr(lyrics.refiner.tagger, "model", None)
    encoder = ClipVisionEncoder(clip) if clip is not None and hasattr(clip, "visual") else None
    for number, (key, path) in enumerate(missing.items(), start=1):
        loaded = lyrics.load(path)
        result = lyrics.refiner.refine(loaded.rgb)
        arrays = result_arrays(result)
        if encoder is not None:
            arrays["patches"] = encoder.encode(loaded.rgb).cpu().numpy().astype(np.float16)
        partial = out / f"{key}.part.npz"
        np.savez_compressed(partial, **arrays)
        os.replace(partial, out / f"{key}.npz")
        if number % 50 == 0 or number == len(missing):
            log.info("refined %d/%d images", number, len(missing))
    return len(missing), len(todo) - len(missing)


def result_arrays(result: RefineResult) -> dict[str, np.ndarray]:
    detections = result.detections
    masks = detections.mask if detections.mask is not None else np.zeros((0, result.size[1], result.size[0]), bool)
    return {
        "size": np.array(result.size), "boxes": detections.xyxy.astype(np.float32),
        "scores": detections.confidence.astype(np.float32), "labels": np.array(result.labels, dtype=str),
        "masks": np.packbits(masks.reshape(len(masks), result.size[0] * result.size[1]), axis=1),
        "tags": np.array([t.name for t in result.tags], dtype=str),
        "tag_scores": np.array([t.score for t in result.tags], np.float32),
    }


def load_cached(cache: str | Path, image_path: str | Path) -> tuple[RefineResult, np.ndarray | None]:
    """The cached refiner result of an image and its frozen encoder patches (or None)."""
    file = Path(cache) / f"{image_key(image_path)}.npz"
    if not file.is_file():
        raise DataError(f"{image_path} is not in the refiner cache {cache}: run cache-refiner first")
    data = np.load(file)
    width, height = (int(v) for v in data["size"])
    count = len(data["boxes"])
    masks = np.unpackbits(data["masks"], axis=1, count=width * height).reshape(count, height, width).astype(bool)
    labels = [str(v) for v in data["labels"]]
    detections = sv.Detections(xyxy=data["boxes"], mask=masks, confidence=data["scores"], class_id=np.arange(count),
                               data={"class_name": np.array(labels, dtype=object)})
    tags = [Tag(str(n), float(s)) for n, s in zip(data["tags"], data["tag_scores"])]
    result = RefineResult((width, height), tags, detections, {}, {}, "cached", file.stem)
    return result, (data["patches"] if "patches" in data else None)
