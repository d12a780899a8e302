"""`cache-refiner --ray` and `annotate --ray`: the refiner over many machines, on Ray Data.

    python -m lyrics_model cache-refiner DATA.jsonl --out CACHE --ray [ADDRESS] --workers N --gpus-per-worker G
    python -m lyrics_model annotate DIR --coco OUT.json --ray [ADDRESS] --workers N --gpus-per-worker G

The pipeline: files are read (and hashed, for the cache) and decoded in parallel Ray tasks; refining
runs in a pool of `workers` actors, each loading the profile's models once and holding
`gpus_per_worker` GPUs, fed `batch_size` images per call (the refiner's models take one image at a
time, so an actor loops over its batch); the cache's shards are written by tasks, each atomically
and named by its images' keys, so a retried task replaces its own shard rather than adding one.

Exactness: the driver first lists the keys every shard holds and hashes every file (in tasks), and
sends to the refiner only the distinct contents no shard holds. A run killed at any point leaves
whole shards only; the next run refines only what they lack. A file that cannot be read or decoded
is listed with its reason and skipped. Ray retries the work of a worker that dies (task retries and
actor restarts).

The decoding and the refiner calls are the single-process command's own (`load_image` with the same
limits, `refiner.refine`), so the cache and the COCO file hold the same content with or without Ray.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import LyricsError
from .refiner_cache import (SHARD_SIZE, CacheReport, cached_keys, dataset_images, image_key, patch_encoder,
                            refine_row)
from ..refiner.text_line import TextLine
from .refiner_shards import row_result, write_index, write_shard

log = logging.getLogger(__name__)

#: CPUs a hashing, decoding or shard-writing task reserves: none, so that these light tasks run beside
#: actors that hold every CPU of a node (two 1-CPU actors on a 2-CPU node left no room for a task
#: reserving any, and the pipeline waited forever); `light_tasks` bounds how many run at once.
TASK_CPUS = 0
#: Light tasks running at once per refining actor.
TASKS_PER_WORKER = 2


@dataclass
class RayOptions:
    """address: a running cluster (`ray://head:10001`, `head:6379`, "auto"); None: the cluster named by
    RAY_ADDRESS, else a new local one. workers: refining actors. gpus_per_worker: GPUs per actor (a
    fraction shares one). cpus_per_worker: CPUs each actor reserves. batch_size: images per actor call.
    shard_size: images per shard. The reading, decoding and writing tasks reserve `TASK_CPUS` (none),
    so they run beside actors that hold every CPU of a node, `TASKS_PER_WORKER` per actor at once.
    worker_setup: a picklable callable each actor runs once before loading the models (e.g. registering
    a model config). init: extra `ray.init` arguments when this call starts or joins the cluster."""

    address: str | None = None
    workers: int = 1
    gpus_per_worker: float = 0
    cpus_per_worker: float = 1
    batch_size: int = 4
    shard_size: int = SHARD_SIZE
    worker_setup: Callable[[], object] | None = None
    init: dict = field(default_factory=dict)


def light_tasks(options: RayOptions):
    """The compute strategy of the hashing, decoding and writing tasks: at most `TASKS_PER_WORKER` per actor."""
    import ray

    return ray.data.TaskPoolStrategy(size=max(1, TASKS_PER_WORKER * options.workers))


def connect(options: RayOptions) -> None:
    """Join the cluster of `options` (or start a local one) unless this process already has."""
    import ray

    if ray.is_initialized():
        return
    address = options.address or os.environ.get("RAY_ADDRESS") or None
    settings = {"include_dashboard": False, "log_to_driver": False} if address is None else {}
    ray.init(address=address, **{**settings, **options.init})


# ---- the stages (each runs inside Ray workers) -----------------------------------------------------

def hash_files(batch: dict) -> dict:
    """Tasks: {"path"} -> {"path", "key", "error"} (key "" when the file cannot be read)."""
    keys, errors = [], []
    for path in batch["path"]:
        try:
            keys.append(image_key(path))
            errors.append("")
        except OSError as err:
            keys.append("")
            errors.append(f"cannot read the file ({err.strerror or err})")
    return {"path": list(batch["path"]), "key": keys, "error": errors}


def decode_files(batch: dict, max_pixels: int, max_side: int) -> dict:
    """Tasks: {"path", "key"} -> plus "rgb" (raw bytes), "shape" [H, W, 3] and "error"."""
    from ..image_io import load_image

    out = {"path": [], "key": [], "rgb": [], "shape": [], "error": []}
    for path, key in zip(batch["path"], batch["key"]):
        try:
            rgb = load_image(path, max_pixels=max_pixels, max_side=max_side).rgb
            pixels, shape, error = rgb.tobytes(), list(rgb.shape), ""
        except LyricsError as err:
            pixels, shape, error = b"", [0, 0, 3], str(err)
        for name, value in (("path", path), ("key", key), ("rgb", pixels), ("shape", shape), ("error", error)):
            out[name].append(value)
    return out


class RefineWorker:
    """An actor of the pool: loads the profile once, then refines batches of decoded images into shard
    rows (a failed image keeps its "error" and an empty row). With `read_text` a row also holds the lines
    of text read ("texts": {"text", "score", "polygon" [[x, y] x 4] in the decoded image's pixels} each, at
    full precision), where a reader is loaded."""

    def __init__(self, profile, weights: dict | None, with_patches: bool, max_pixels: int, max_side: int,
                 setup: Callable[[], object] | None, read_text: bool = False):
        from ..lyrics import Lyrics

        if setup is not None:
            setup()
        self.lyrics = Lyrics.from_profile(profile, weights=weights, max_pixels=max_pixels, max_side=max_side)
        self.encoder = patch_encoder(self.lyrics) if with_patches else None
        self.read_text = read_text and self.lyrics.refiner.can_read_text

    def __call__(self, batch: dict) -> dict:
        rows, errors, paths = [], [], []
        for path, key, pixels, shape, error in zip(batch["path"], batch["key"], batch["rgb"], batch["shape"],
                                                   batch["error"]):
            row = None
            if not error:
                rgb = np.frombuffer(pixels, np.uint8).reshape([int(v) for v in shape])
                try:
                    row = refine_row(self.lyrics, self.encoder, key, rgb)
                    if self.read_text:
                        row["texts"] = [{"text": line.text, "score": line.score, "polygon": line.polygon.tolist()}
                                        for line in self.lyrics.refiner.read_text(rgb)]
                except LyricsError as err:
                    error = str(err)
            rows.append(json.dumps(_jsonable(row)) if row is not None else "")
            errors.append(error)
            paths.append(path)
        return {"path": paths, "row": rows, "error": errors}


def _jsonable(row: dict) -> dict:
    """A shard row with its patch bytes as hex (rows cross stages as JSON text: any shape, no schema drift)."""
    return {**row, "patches": None if row["patches"] is None else row["patches"].hex()}


def _from_json(text: str) -> dict:
    row = json.loads(text)
    row["patches"] = None if row["patches"] is None else bytes.fromhex(row["patches"])
    return row


def write_shards(batch: dict, folder: str) -> dict:
    """Tasks: a batch of refined rows -> one shard of `folder`; -> {"shard", "images", "path", "error"}
    (one output row per failed image, one for the shard)."""
    rows = [_from_json(text) for text, error in zip(batch["row"], batch["error"]) if not error]
    out = {"shard": [], "images": [], "path": [], "error": []}
    for path, error in zip(batch["path"], batch["error"]):
        if error:
            for name, value in (("shard", ""), ("images", 0), ("path", path), ("error", error)):
                out[name].append(value)
    if rows:
        shard = write_shard(folder, rows)
        for name, value in (("shard", shard.name), ("images", len(rows)), ("path", ""), ("error", "")):
            out[name].append(value)
    return out


# ---- the commands ----------------------------------------------------------------------------------

def _refined(items: list[dict], profile, weights, with_patches: bool, max_pixels: int, max_side: int,
             options: RayOptions, preserve_order: bool = False, read_text: bool = False):
    """A Ray Dataset of {"path", "row", "error"} for `items` ({"path", "key"}): decode tasks, then the actor pool
    (see `RefineWorker` for `read_text`)."""
    import ray

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = preserve_order
    context.enable_progress_bars = False
    decoded = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), 4 * options.workers))) \
        .map_batches(decode_files, fn_kwargs={"max_pixels": max_pixels, "max_side": max_side},
                     batch_size=options.batch_size, num_cpus=TASK_CPUS, compute=light_tasks(options))
    return decoded.map_batches(
        RefineWorker, fn_constructor_args=(profile, weights, with_patches, max_pixels, max_side,
                                           options.worker_setup, read_text),
        batch_size=options.batch_size, compute=ray.data.ActorPoolStrategy(size=options.workers),
        num_gpus=options.gpus_per_worker or None, num_cpus=options.cpus_per_worker,
        max_restarts=-1, max_task_retries=-1)


def cache_dataset_ray(data: str | Path, out: str | Path, profile="auto", weights: dict | None = None,
                      options: RayOptions | None = None) -> CacheReport:
    """`cache_dataset` on a Ray cluster: the same shards and index, refined by `options.workers` actors."""
    import ray

    from ..image_io import DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE
    from .refiner_cache import _open_cache

    options = options or RayOptions()
    connect(options)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [str(p) for p in dataset_images(data)]
    hashed = ray.data.from_items([{"path": p} for p in paths]).map_batches(
        hash_files, batch_size=64, num_cpus=TASK_CPUS, compute=light_tasks(options)).take_all()
    keys, report, order = {}, CacheReport(), {p: i for i, p in enumerate(paths)}
    for row in sorted(hashed, key=lambda r: order[r["path"]]):  # the single-process order
        if row["error"]:
            report.unreadable[row["path"]] = row["error"]
        else:
            keys.setdefault(row["key"], row["path"])
    done = cached_keys(out)
    missing = [{"path": p, "key": k} for k, p in keys.items() if k not in done]
    report.already = len(keys) - len(missing)
    if missing:
        refined = _refined(missing, profile, weights, True, DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, options)
        written = refined.map_batches(write_shards, fn_kwargs={"folder": str(out.resolve())},
                                      batch_size=options.shard_size, num_cpus=TASK_CPUS,
                                      compute=light_tasks(options), max_retries=-1)
        for row in written.iter_rows():
            if row["error"]:
                report.unreadable[row["path"]] = row["error"]
            report.refined += int(row["images"])
    write_index(out, report.unreadable)
    _open_cache.cache_clear()
    return report


def annotate_ray(source: str, out: str | Path, profile="auto", weights: dict | None = None,
                 options: RayOptions | None = None, read_text: bool = True):
    """`coco_annotations.annotate` on a Ray cluster: the same COCO file (same order, ids and content; with
    `read_text`, the lines of text read too)."""
    from ..coco_annotations import SAVE_EVERY, pending_images
    from ..image_io import DEFAULT_MAX_PIXELS

    options = options or RayOptions()
    out = Path(out)
    instances, todo, report = pending_images(source, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if todo:
        connect(options)
        names = {str(f): name for f, name in todo}
        # Full resolution (up to the pixel limit), as the single-process command.
        refined = _refined([{"path": str(f), "key": ""} for f, _ in todo], profile, weights, False,
                           DEFAULT_MAX_PIXELS, DEFAULT_MAX_PIXELS, options, preserve_order=True, read_text=read_text)
        for count, row in enumerate(refined.iter_rows(), start=1):
            if row["error"]:
                report.unreadable.append(f"{row['path']}: {row['error']}")
            else:
                refined_row = _from_json(row["row"])
                result = row_result(refined_row)[0]
                if refined_row.get("texts") is not None:
                    result = replace(result, texts=[TextLine.from_polygon(t["text"], t["score"], t["polygon"])
                                                    for t in refined_row["texts"]])
                instances.add(names[row["path"]], result)
                report.added += 1
            if count % SAVE_EVERY == 0:
                instances.save(out)
    instances.save(out)
    return report

