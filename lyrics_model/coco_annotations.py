"""Annotate a folder of images as COCO instances JSON: boxes, RLE masks, scores and image tags.

    python -m lyrics_model annotate DIR_OR_GLOB --profile P --coco OUT.json [--workers N]

The output loads with `pycocotools.coco.COCO(OUT)`: `images` (with an extra `tags` field, the
image-level tags and their scores), `categories` (the labels met, in order of first appearance),
and `annotations` with `bbox` [x, y, width, height] pixels, compressed-RLE `segmentation`, `area`
(mask pixels), `score` and `iscrowd` 0. Lines of text read in an image are annotations of the category
`text` (supercategory "text"), each with its string in `text`, its `bbox`, its 4-corner polygon as
`segmentation` and the polygon's `area`; `--no-text` leaves text unread. Every image's `width`, `height`, boxes and masks are in the pixels
of the file itself (after EXIF orientation), at whatever scale the models processed it. Rerunning with the same OUT skips the images it holds.
"""

from __future__ import annotations

import glob
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cv2

from .errors import LyricsError
from .refiner import RefineResult
from .refiner.result import mask_rle_and_area

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}
SAVE_EVERY = 20  # images between saves of OUT (so an interrupted run loses little)
TEXT_CATEGORY = "text"


def find_images(source: str) -> tuple[Path, list[Path]]:
    """(root, image files, sorted) for a folder (searched recursively) or a glob pattern; file names in
    the output are relative to root."""
    path = Path(source)
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES]
        return path, sorted(files)
    files = sorted(Path(p) for p in glob.glob(source, recursive=True) if Path(p).is_file())
    if not files:
        raise LyricsError(f"{source}: no such folder, and no file matches it as a pattern")
    return Path(os.path.commonpath([p.parent.resolve() for p in files])), [p.resolve() for p in files]


@dataclass
class CocoInstances:
    """A COCO instances file being built (or resumed from `data`)."""

    data: dict = field(default_factory=lambda: {"info": {"description": "Lyrics visual refiner annotations"},
                                                "images": [], "annotations": [], "categories": []})

    def __post_init__(self) -> None:
        # Ids and categories as the (possibly resumed) file holds them, kept up to date by `add`.
        self._next_image = max((image["id"] for image in self.data["images"]), default=0) + 1
        self._next_annotation = max((a["id"] for a in self.data["annotations"]), default=0) + 1
        self._categories = {c["name"]: c["id"] for c in self.data["categories"]}

    @property
    def file_names(self) -> set[str]:
        return {image["file_name"] for image in self.data["images"]}

    def add(self, file_name: str, result: RefineResult) -> None:
        """One image and its objects (`result` from `Lyrics.refine`: the photo's pixels); boxes become
        [x, y, width, height]."""
        image_id, self._next_image = self._next_image, self._next_image + 1
        width, height = result.size
        self.data["images"].append({"id": image_id, "file_name": file_name, "width": width, "height": height,
                                    "tags": [{"name": t.name, "score": round(t.score, 4)} for t in result.tags],
                                    "profile": result.profile})
        detections = result.detections
        for i, label in enumerate(result.labels):
            if label not in self._categories:
                self._categories[label] = len(self._categories) + 1
                self.data["categories"].append({"id": self._categories[label], "name": label,
                                                "supercategory": "object"})
            x1, y1, x2, y2 = (float(v) for v in detections.xyxy[i])
            annotation = {"id": self._next_annotation, "image_id": image_id, "category_id": self._categories[label],
                          "bbox": [round(x1, 2), round(y1, 2), round(x2 - x1, 2), round(y2 - y1, 2)],
                          "score": round(float(detections.confidence[i]), 4), "iscrowd": 0}
            self._next_annotation += 1
            if detections.mask is not None:  # at the photo's size; a compact mask is encoded from its crop
                annotation["segmentation"], annotation["area"] = mask_rle_and_area(detections.mask, i, result.size)
            else:
                annotation["area"] = round((x2 - x1) * (y2 - y1), 2)
            self.data["annotations"].append(annotation)
        for line in result.texts or []:
            self._add_text(image_id, line)

    def _add_text(self, image_id: int, line) -> None:
        """One `TextLine` (photo pixels) as an annotation of category `text`, its string in "text"."""
        if TEXT_CATEGORY not in self._categories:
            self._categories[TEXT_CATEGORY] = len(self._categories) + 1
            self.data["categories"].append({"id": self._categories[TEXT_CATEGORY], "name": TEXT_CATEGORY,
                                            "supercategory": "text"})
        x1, y1, x2, y2 = line.box
        polygon = [round(float(v), 2) for v in line.polygon.reshape(-1)]
        self.data["annotations"].append({
            "id": self._next_annotation, "image_id": image_id, "category_id": self._categories[TEXT_CATEGORY],
            "bbox": [round(x1, 2), round(y1, 2), round(x2 - x1, 2), round(y2 - y1, 2)],
            "segmentation": [polygon], "area": round(float(cv2.contourArea(line.polygon)), 2), "text": line.text,
            "score": round(line.score, 4), "iscrowd": 0})
        self._next_annotation += 1

    def save(self, path: Path) -> None:
        """Write atomically (a reader never sees half a file)."""
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(self.data))
        os.replace(partial, path)


@dataclass
class AnnotateReport:
    """added: images annotated now. already_done: images OUT held before. unreadable: "FILE: reason"."""

    added: int = 0
    already_done: int = 0
    unreadable: list[str] = field(default_factory=list)


def pending_images(source: str, out: Path) -> tuple[CocoInstances, list[tuple[Path, str]], AnnotateReport]:
    """What `out` already holds, the images of `source` it lacks as (path, file name relative to the
    folder), and a report counting the images already there. A rerun annotates only the new images."""
    root, files = find_images(source)
    instances = CocoInstances(json.loads(out.read_text())) if out.exists() else CocoInstances()
    done = instances.file_names
    todo = [(f, str(f.resolve().relative_to(root.resolve()))) for f in files]
    report = AnnotateReport(already_done=sum(name in done for _, name in todo))
    return instances, [(f, name) for f, name in todo if name not in done], report


def annotate(source: str, lyrics, out: str | Path, workers: int = 1, progress: bool = True,
             read_text: bool = True) -> AnnotateReport:
    """Refine every image of `source` (a folder or a glob) with `lyrics` and write COCO instances to `out`
    (with `read_text`, the lines of text read too)."""
    from tqdm import tqdm

    out = Path(out)
    instances, todo, report = pending_images(source, out)

    def refine(path: Path):
        try:
            return lyrics.refine(path, read_text=read_text), None
        except LyricsError as err:
            return None, str(err)

    out.parent.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max(1, workers)) as pool:
        results = pool.map(refine, [f for f, _ in todo])  # in order, `workers` at a time
        for count, ((path, name), (result, error)) in enumerate(
                tqdm(zip(todo, results), total=len(todo), desc="annotating", unit="image", disable=not progress),
                start=1):
            if error is not None:
                report.unreadable.append(f"{path}: {error}")
            else:
                instances.add(name, result)
                report.added += 1
            if count % SAVE_EVERY == 0:
                instances.save(out)
    instances.save(out)
    return report
