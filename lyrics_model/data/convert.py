"""Standard datasets to our JSONL records (see `records.py`).

    python -m lyrics_model data convert FORMAT --input FILE --images DIR --out OUT.jsonl

- `coco-captions`: COCO `captions_*.json` -> stage-1 records (every caption of an image together).
- `refcoco`: RefCOCO/+/g refs (JSON; `--instances` the COCO `instances_*.json` they point into) ->
  stage-2 `rec` records ("Where is {expression}?" -> the 0-1 box) and `reg` records (the pixel box
  as region1, "What is region1?" -> the expression); COCO boxes are [x, y, width, height].
- `vg-regions`: Visual Genome `region_descriptions.json` -> `reg` records; images are `DIR/{id}.jpg`.
- `llava`: LLaVA-Instruct conversations -> `vqa` (one question) or `dialogue` records, `<image>` removed.

Image paths are written relative to OUT's folder. An entry that is malformed or points at a missing
image is reported as "FILE: entry N: reason" and skipped; the report counts both.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..dialogue.grounded_prompt import format_box
from ..refiner.result import normalise_box
from .records import DataError

FORMATS = ("coco-captions", "refcoco", "vg-regions", "llava")


class BadEntry(Exception):
    """An entry to skip; the message says why."""


@dataclass
class ConvertReport:
    """written: records written. skipped: "FILE: entry N: reason" for each entry left out."""

    written: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self, out: Path) -> str:
        return f"wrote {self.written} records to {out}; skipped {len(self.skipped)} entries"


def convert(fmt: str, input_file: str | Path, images: str | Path, out: str | Path,
            instances: str | Path | None = None, split: str | None = None) -> ConvertReport:
    """Convert `input_file` (in format `fmt`) with images under `images` into the JSONL file `out`."""
    if fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    input_file, images, out = Path(input_file), Path(images), Path(out)
    if not images.is_dir():
        raise DataError(f"{images}: no such image folder")
    data = _read_json(input_file)
    entries = {"coco-captions": lambda: _coco_captions(data, images),
               "refcoco": lambda: _refcoco(data, _read_json(_required(instances, "refcoco needs --instances "
                                                                                 "instances_*.json")), images, split),
               "vg-regions": lambda: _vg_regions(data, images),
               "llava": lambda: _llava(data, images)}[fmt]()
    report = ConvertReport()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as lines:
        for number, make in entries:
            try:
                records = make()
            except BadEntry as err:
                report.skipped.append(f"{input_file}: entry {number}: {err}")
                continue
            for record in records:
                record["image"] = os.path.relpath(record["image"], out.parent.resolve())
                lines.write(json.dumps(record) + "\n")
                report.written += 1
    return report


Entries = Iterator[tuple[int, Callable[[], list[dict]]]]


def _coco_captions(data, images: Path) -> Entries:
    """One entry per image of `data["images"]` (numbered from 1): its captions."""
    by_image: dict[int, list[str]] = {}
    for annotation in _list(data, "annotations"):
        if isinstance(annotation, dict) and isinstance(annotation.get("caption"), str) and annotation["caption"].strip():
            by_image.setdefault(annotation.get("image_id"), []).append(annotation["caption"].strip())
    for number, image in enumerate(_list(data, "images"), start=1):
        def make(image=image) -> list[dict]:
            path = _image(images, _field(image, "file_name", str))
            captions = by_image.get(image.get("id"))
            if not captions:
                raise BadEntry(f"image {image.get('id')} has no captions")
            return [{"image": str(path), "captions": captions}]
        yield number, make


def _refcoco(refs, instances, images: Path, split: str | None) -> Entries:
    """One entry per referring expression set (a ref): a `rec` and a `reg` record per sentence."""
    if not isinstance(refs, list):
        raise DataError("refcoco refs must be a JSON list of refs (convert refs(unc).p with "
                        "json.dump(pickle.load(...)) once; pickles are never loaded here)")
    annotations = {a.get("id"): a for a in _list(instances, "annotations") if isinstance(a, dict)}
    image_info = {i.get("id"): i for i in _list(instances, "images") if isinstance(i, dict)}
    for number, ref in enumerate(refs, start=1):
        if split is not None and isinstance(ref, dict) and ref.get("split") != split:
            continue

        def make(ref=ref) -> list[dict]:
            annotation = annotations.get(_field(ref, "ann_id", int))
            if annotation is None:
                raise BadEntry(f"ann_id {ref['ann_id']} is not in the instances file")
            info = image_info.get(annotation.get("image_id"))
            if info is None:
                raise BadEntry(f"image {annotation.get('image_id')} is not in the instances file")
            path = _image(images, _field(info, "file_name", str))
            box = _xywh_to_xyxy(annotation.get("bbox"))
            size = (_field(info, "width", int), _field(info, "height", int))
            sentences = [s.get("sent", "").strip() for s in _field(ref, "sentences", list) if isinstance(s, dict)]
            sentences = [s for s in sentences if s]
            if not sentences:
                raise BadEntry("no sentences")
            records = []
            for sentence in sentences:
                records.append({"image": str(path), "task": "rec", "conversations": [
                    {"role": "user", "content": f"Where is {sentence}? Answer with a box."},
                    {"role": "assistant", "content": format_box(normalise_box(box, size)) + "."}]})
                records.append({"image": str(path), "task": "reg", "regions": [box], "conversations": [
                    {"role": "user", "content": "What is region1?"},
                    {"role": "assistant", "content": sentence[:1].upper() + sentence[1:] + "."}]})
            return records
        yield number, make


def _vg_regions(data, images: Path) -> Entries:
    """One entry per region description (numbered across the file): a `reg` record."""
    if not isinstance(data, list):
        raise DataError("region_descriptions.json must be a JSON list of {id, regions}")
    number = 0
    for image in data:
        for region in (image.get("regions") if isinstance(image, dict) else None) or [None]:
            number += 1

            def make(image=image, region=region) -> list[dict]:
                if not isinstance(image, dict) or region is None:
                    raise BadEntry("an image without regions")
                image_id = _field(region, "image_id", int) if "image_id" in region else _field(image, "id", int)
                path = _image(images, f"{image_id}.jpg")
                phrase = _field(region, "phrase", str).strip()
                if not phrase:
                    raise BadEntry("empty phrase")
                box = _xywh_to_xyxy([region.get(k) for k in ("x", "y", "width", "height")])
                return [{"image": str(path), "task": "reg", "regions": [box], "conversations": [
                    {"role": "user", "content": "What is region1?"},
                    {"role": "assistant", "content": phrase[:1].upper() + phrase[1:] + "."}]}]
            yield number, make


ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant"}


def _llava(data, images: Path) -> Entries:
    """One entry per conversation: a `vqa` (one exchange) or `dialogue` record."""
    if not isinstance(data, list):
        raise DataError("LLaVA-Instruct data must be a JSON list of conversations")
    for number, entry in enumerate(data, start=1):
        def make(entry=entry) -> list[dict]:
            path = _image(images, _field(entry, "image", str))
            turns = []
            for i, turn in enumerate(_field(entry, "conversations", list)):
                role = ROLES.get(turn.get("from") if isinstance(turn, dict) else None)
                if role != ("user" if i % 2 == 0 else "assistant"):
                    raise BadEntry(f"turn {i + 1} should be the {'human' if i % 2 == 0 else 'gpt'} turn")
                text = str(turn.get("value", "")).replace("<image>", "").strip()
                if not text:
                    raise BadEntry(f"turn {i + 1} is empty")
                turns.append({"role": role, "content": text})
            if len(turns) < 2 or turns[-1]["role"] != "assistant":
                raise BadEntry("a conversation needs a question and ends with the answer")
            return [{"image": str(path), "task": "vqa" if len(turns) == 2 else "dialogue", "conversations": turns}]
        yield number, make


# ---- small readers ------------------------------------------------------------------------------

def _read_json(path: Path):
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    with path.open("rb") as head:
        pickled = head.read(1) == b"\x80"  # the pickle protocol marker
    if path.suffix == ".p" or pickled:
        raise DataError(f"{path} is a pickle; pickles are never loaded here. Convert it once with "
                        "python -c \"import json, pickle, sys; json.dump(pickle.load(open(sys.argv[1], 'rb')), "
                        "open(sys.argv[2], 'w'))\" IN.p OUT.json (only for files you trust)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: not valid JSON ({err})") from None


def _required(value, message: str):
    if value is None:
        raise DataError(message)
    return Path(value)


def _list(data, key: str) -> list:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        raise DataError(f"expected a JSON object with a list {key!r}")
    return value


def _field(entry, key: str, kind: type):
    value = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadEntry(f"{key!r} is missing or not a {kind.__name__}")
    return value


def _image(images: Path, name: str) -> Path:
    path = (images / name).resolve()
    if not path.is_relative_to(images.resolve()):
        raise BadEntry(f"image {name!r} lies outside the image folder")
    if not path.is_file():
        raise BadEntry(f"image not found: {images / name}")
    return path


def _xywh_to_xyxy(box) -> list[float]:
    """COCO [x, y, width, height] -> [x1, y1, x2, y2] pixels."""
    if not isinstance(box, list) or len(box) != 4 or not all(isinstance(v, (int, float)) for v in box):
        raise BadEntry("the box must be [x, y, width, height] numbers")
    x, y, width, height = (float(v) for v in box)
    if width <= 0 or height <= 0:
        raise BadEntry(f"the box {box} has no area")
    return [round(x, 2), round(y, 2), round(x + width, 2), round(y + height, 2)]
