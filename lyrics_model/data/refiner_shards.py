"""The refiner cache on disk: Parquet shards of one row per image, and a small index.

A cache folder holds `part-<hash>.parquet` files and `index.json`. Each row is one image:

    key          string         SHA-1 of the image file's bytes (the cache key)
    width        int32          pixels of the image the models saw
    height       int32
    profile      string         the profile that refined it
    tags         list<string>   image-level tags, highest score first
    tag_scores   list<float32>
    labels       list<string>   one per object
    boxes        list<list<float32>>   (N, 4) xyxy pixels
    scores       list<float32>  (N,) detection confidence
    masks        list<string>   (N,) COCO compressed RLE `counts` of each (height, width) mask
    patches      binary         (CLIP profiles) the frozen encoder's (P, C) patch tokens, float16
                                little-endian, or null
    patch_shape  list<int32>    [P, C], or empty

A shard is written to a temporary name and renamed, and named by the hash of the keys it holds, so a
reader never sees half a shard and writing the same images again replaces rather than duplicates.
Shards are split into row groups of `ROW_GROUP` images: a reader loads one row group at a time, so
its memory is bounded by a row group, not the dataset.

`index.json`: {"format": "lyrics-refiner-shards", "version": 1, "shards": {file: images},
"images": count, "unreadable": {path: reason}}. It is a summary rebuilt from the shards themselves
(their `key` column) whenever it is missing or does not list every shard.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import supervision as sv

from ..refiner.result import RefineResult
from ..refiner.tags import Tag
from ..rle import mask_to_rle, rle_to_mask

FORMAT = "lyrics-refiner-shards"
VERSION = 1
ROW_GROUP = 16
INDEX = "index.json"

SCHEMA = pa.schema([
    ("key", pa.string()), ("width", pa.int32()), ("height", pa.int32()), ("profile", pa.string()),
    ("tags", pa.list_(pa.string())), ("tag_scores", pa.list_(pa.float32())), ("labels", pa.list_(pa.string())),
    ("boxes", pa.list_(pa.list_(pa.float32()))), ("scores", pa.list_(pa.float32())), ("masks", pa.list_(pa.string())),
    ("patches", pa.binary()), ("patch_shape", pa.list_(pa.int32())),
])


def result_row(key: str, result: RefineResult, patches: np.ndarray | None = None) -> dict:
    """One shard row (plain Python values) for an image's refiner result and optional (P, C) patches."""
    detections = result.detections
    width, height = result.size
    masks = detections.mask if detections.mask is not None else np.zeros((0, height, width), bool)
    return {
        "key": key, "width": int(width), "height": int(height), "profile": str(result.profile),
        "tags": [t.name for t in result.tags], "tag_scores": [float(np.float32(t.score)) for t in result.tags],
        "labels": list(result.labels), "boxes": np.asarray(detections.xyxy, np.float32).reshape(-1, 4).tolist(),
        "scores": np.asarray(detections.confidence, np.float32).tolist(),
        "masks": [mask_to_rle(m)["counts"] for m in masks],
        "patches": None if patches is None else np.ascontiguousarray(patches, dtype="<f2").tobytes(),
        "patch_shape": [] if patches is None else [int(v) for v in patches.shape],
    }


def row_result(row: dict) -> tuple[RefineResult, np.ndarray | None]:
    """The RefineResult of a shard row, and its (P, C) float16 patches (or None)."""
    width, height = int(row["width"]), int(row["height"])
    count = len(row["labels"])
    masks = np.stack([rle_to_mask({"size": [height, width], "counts": c}) for c in row["masks"]]) if count else \
        np.zeros((0, height, width), bool)
    boxes = np.asarray(row["boxes"], np.float32).reshape(count, 4)
    detections = sv.Detections(xyxy=boxes, mask=masks, confidence=np.asarray(row["scores"], np.float32),
                               class_id=np.arange(count),
                               data={"class_name": np.array([str(v) for v in row["labels"]], dtype=object)})
    tags = [Tag(str(n), float(s)) for n, s in zip(row["tags"], row["tag_scores"])]
    result = RefineResult((width, height), tags, detections, {}, {}, str(row["profile"]), str(row["key"]))
    patches = None
    if row["patches"] is not None:
        patches = np.frombuffer(row["patches"], dtype="<f2").reshape([int(v) for v in row["patch_shape"]])
    return result, patches


def shard_name(keys: Iterable[str]) -> str:
    """`part-<hash of the sorted keys>.parquet`: the same images always make the same name."""
    digest = hashlib.sha1("\n".join(sorted(keys)).encode()).hexdigest()[:20]
    return f"part-{digest}.parquet"


def write_shard(folder: str | Path, rows: list[dict]) -> Path:
    """Write `rows` (sorted by key) as one shard, atomically; returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = sorted(rows, key=lambda r: r["key"])
    path = folder / shard_name(r["key"] for r in rows)
    partial = folder / f".{path.name}.{os.getpid()}.partial"
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), partial, row_group_size=ROW_GROUP)
    os.replace(partial, path)
    return path


def shard_files(folder: str | Path) -> list[Path]:
    return sorted(Path(folder).glob("part-*.parquet"))


class ShardedCache:
    """Reads a shard folder: which keys it holds, and one image's row at a time.

    Only the row group of the last image read stays in memory.
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.where: dict[str, tuple[str, int, int]] = {}  # key -> (shard file, row group, row)
        for shard in shard_files(self.folder):
            metadata = pq.ParquetFile(shard).metadata
            keys = pq.read_table(shard, columns=["key"]).column("key").to_pylist()
            start = 0
            for group in range(metadata.num_row_groups):
                count = metadata.row_group(group).num_rows
                for row, key in enumerate(keys[start : start + count]):
                    self.where.setdefault(key, (shard.name, group, row))  # first shard wins
                start += count
        self._loaded: tuple[tuple[str, int], list[dict]] | None = None

    def __contains__(self, key: str) -> bool:
        return key in self.where

    def __len__(self) -> int:
        return len(self.where)

    def row(self, key: str) -> dict:
        shard, group, row = self.where[key]
        if self._loaded is None or self._loaded[0] != (shard, group):
            table = pq.ParquetFile(self.folder / shard).read_row_group(group)
            self._loaded = ((shard, group), table.to_pylist())
        return self._loaded[1][row]

    def get(self, key: str) -> tuple[RefineResult, np.ndarray | None]:
        return row_result(self.row(key))

    def shard_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for shard, _, _ in self.where.values():
            counts[shard] = counts.get(shard, 0) + 1
        return counts


def read_index(folder: str | Path) -> dict:
    path = Path(folder) / INDEX
    return json.loads(path.read_text()) if path.is_file() else {}


def write_index(folder: str | Path, unreadable: dict[str, str] | None = None) -> dict:
    """Rebuild index.json from the shards (atomically); `unreadable` (path -> reason) replaces the
    listed failures (None keeps those already listed). Returns the index."""
    folder = Path(folder)
    cache = ShardedCache(folder)
    previous = read_index(folder).get("unreadable", {})
    index = {"format": FORMAT, "version": VERSION, "images": len(cache), "shards": cache.shard_counts(),
             "unreadable": previous if unreadable is None else unreadable}
    partial = folder / f".{INDEX}.{os.getpid()}.partial"
    partial.write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    os.replace(partial, folder / INDEX)
    return index
