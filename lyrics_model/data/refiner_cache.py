"""Run the visual refiner over a dataset once and keep its output on disk, so training never
re-runs it. The cache is a folder of Parquet shards keyed by each file's content hash (format in
`refiner_shards`); an interrupted run resumes by refining only the images no shard holds. Caches of
the earlier layout (one `<hash>.npz` per image) still load, and a run over one adds shards beside it.

`cache_dataset` runs in this process; `ray_refine.cache_dataset_ray` spreads the same work over a
Ray cluster and writes the same shards.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import supervision as sv

from ..errors import LyricsError
from ..refiner.result import RefineResult
from ..refiner.tags import Tag
from .records import DataError
from .refiner_shards import ShardedCache, read_index, result_row, write_index, write_shard

log = logging.getLogger(__name__)

SHARD_SIZE = 256  # images per shard written by cache_dataset


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


@dataclass
class CacheReport:
    """refined: images refined now. already: images the cache held. unreadable: path -> reason
    (missing, unreadable or undecodable files, skipped)."""

    refined: int = 0
    already: int = 0
    unreadable: dict[str, str] = field(default_factory=dict)


def dataset_images(data: str | Path) -> list[Path]:
    """The distinct image paths of a stage-1 or stage-2 JSONL file, in file order (not checked to exist)."""
    from .records import read_records

    records = read_records(data, dataset_stage(data), check_images=False)
    return list(dict.fromkeys(r.image for r in records))


def keys_of(paths: list[Path]) -> tuple[dict[str, Path], dict[str, str]]:
    """(content key -> first path with that content, path -> reason for files that cannot be read)."""
    keys, unreadable = {}, {}
    for path in paths:
        try:
            keys.setdefault(image_key(path), path)
        except OSError as err:
            unreadable[str(path)] = f"cannot read the file ({err.strerror or err})"
    return keys, unreadable


def cached_keys(out: str | Path) -> set[str]:
    """Keys the cache folder holds, in shards or in files of the earlier per-image layout."""
    out = Path(out)
    return set(ShardedCache(out).where) | {p.stem for p in out.glob("*.npz") if not p.name.endswith(".part.npz")}


def cache_dataset(data: str | Path, out: str | Path, profile="auto", weights: dict | None = None,
                  shard_size: int = SHARD_SIZE) -> CacheReport:
    """Refine every distinct image of `data` that `out` does not hold yet into new shards of `out`.

    profile: a profile name or `Profile`; weights: optional role -> explicit weights file. Unreadable
    images are skipped and listed (report and index.json); a shard is written every `shard_size` images.
    """
    from ..lyrics import Lyrics

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    keys, unreadable = keys_of(dataset_images(data))
    done = cached_keys(out)
    missing = {k: p for k, p in keys.items() if k not in done}
    report = CacheReport(already=len(keys) - len(missing), unreadable=unreadable)
    if missing:
        lyrics = Lyrics.from_profile(profile, weights=weights)
        encoder = patch_encoder(lyrics)
        rows: list[dict] = []
        for number, (key, path) in enumerate(missing.items(), start=1):
            try:
                rows.append(refine_row(lyrics, encoder, key, lyrics.load(path).rgb))
            except LyricsError as err:
                report.unreadable[str(path)] = str(err)
            if len(rows) == shard_size or (number == len(missing) and rows):
                write_shard(out, rows)
                report.refined += len(rows)
                rows = []
            if number % 50 == 0 or number == len(missing):
                log.info("refined %d/%d images", number, len(missing))
    write_index(out, report.unreadable)
    _open_cache.cache_clear()
    return report


def patch_encoder(lyrics):
    """The frozen CLIP patch encoder of a profile whose tagger is a CLIP, else None."""
    from ..modeling.vision_encoder import ClipVisionEncoder

    clip = getattr(lyrics.refiner.tagger, "model", None)
    return ClipVisionEncoder(clip) if clip is not None and hasattr(clip, "visual") else None


def refine_row(lyrics, encoder, key: str, rgb: np.ndarray) -> dict:
    """The shard row of one decoded (H, W, 3) uint8 image."""
    result = lyrics.refiner.refine(rgb)
    patches = encoder.encode(rgb).cpu().numpy().astype(np.float16) if encoder is not None else None
    return result_row(key, result, patches)


def result_arrays(result: RefineResult) -> dict[str, np.ndarray]:
    """The earlier per-image layout's arrays (kept to write and read caches of that layout)."""
    detections = result.detections
    masks = detections.mask if detections.mask is not None else np.zeros((0, result.size[1], result.size[0]), bool)
    return {
        "size": np.array(result.size), "boxes": detections.xyxy.astype(np.float32),
        "scores": detections.confidence.astype(np.float32), "labels": np.array(result.labels, dtype=str),
        "masks": np.packbits(masks.reshape(len(masks), result.size[0] * result.size[1]), axis=1),
        "tags": np.array([t.name for t in result.tags], dtype=str),
        "tag_scores": np.array([t.score for t in result.tags], np.float32),
    }


@lru_cache(maxsize=4)
def _open_cache(folder: str) -> ShardedCache:
    return ShardedCache(folder)


def load_cached(cache: str | Path, image_path: str | Path, key: str | None = None
                ) -> tuple[RefineResult, np.ndarray | None]:
    """The cached refiner result of an image and its frozen encoder patches (or None).
    key: the image's `image_key` when known (saves reading the file)."""
    key = key or image_key(image_path)
    shards = _open_cache(str(Path(cache).resolve()))
    if key in shards:
        return shards.get(key)
    file = Path(cache) / f"{key}.npz"
    if file.is_file():
        return load_npz(file)
    reason = read_index(cache).get("unreadable", {}).get(str(image_path))
    raise DataError(f"{image_path} is not in the refiner cache {cache}: "
                    + (f"it could not be refined ({reason})" if reason else "run cache-refiner first"))


def load_npz(file: Path) -> tuple[RefineResult, np.ndarray | None]:
    """A result of the earlier per-image layout (`<hash>.npz`, see `result_arrays`)."""
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
