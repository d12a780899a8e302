"""Training data as JSON lines, validated line by line.

Stage 1 (representation alignment), one image and its captions per line:

    {"image": "images/0001.jpg", "captions": ["a red circle above a blue square."]}

Stage 2 (instruction tuning), one image and a conversation per line; the last turn is the answer
the model learns. `regions` are pixel boxes the questions call region1, region2, ...:

    {"image": "images/0001.jpg", "task": "reg", "regions": [[10, 12, 40, 44]],
     "conversations": [{"role": "user", "content": "What is region1?"},
                       {"role": "assistant", "content": "a red circle."}]}

Tasks: caption, vqa, rec (the answer holds a [x1, y1, x2, y2] box in 0-1 coordinates), reg (a
region is the input) and dialogue (several turns, with or without regions). Image paths are
relative to the JSONL file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import LyricsError

TASKS = ("caption", "vqa", "rec", "reg", "dialogue")


class DataError(LyricsError):
    """A bad line in a data file; the message names the file and line."""


@dataclass
class Record:
    """One validated line. `conversations` is empty for stage 1; `captions` for stage 2."""

    image: Path
    captions: list[str] = field(default_factory=list)
    conversations: list[dict] = field(default_factory=list)
    regions: list[list[float]] = field(default_factory=list)
    task: str = "caption"
    source: str = ""  # "file:line", for error messages


def json_lines(path: str | Path) -> Iterator[tuple[str, object]]:
    """("FILE:LINE", parsed JSON) for each non-empty line; DataError for a missing file or bad JSON."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such data file")
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                where = f"{path}:{number}"
                try:
                    yield where, json.loads(line)
                except json.JSONDecodeError as err:
                    raise DataError(f"{where}: not valid JSON ({err.msg})") from None


def read_records(path: str | Path, stage: int, check_images: bool = True) -> list[Record]:
    """Read and validate every line of a stage-1 or stage-2 JSONL file.

    Raises DataError("FILE:LINE: what is wrong") at the first bad line.
    """
    path = Path(path)
    records = [_validate(data, stage, path.parent, where, check_images) for where, data in json_lines(path)]
    if not records:
        raise DataError(f"{path}: no records")
    return records


def _validate(data, stage: int, root: Path, where: str, check_images: bool) -> Record:
    if not isinstance(data, dict):
        raise DataError(f"{where}: each line must be a JSON object")
    image = data.get("image")
    if not isinstance(image, str) or not image:
        raise DataError(f"{where}: 'image' must be a path")
    image_path = (root / image) if not Path(image).is_absolute() else Path(image)
    if check_images and not image_path.is_file():
        raise DataError(f"{where}: image not found: {image_path}")
    if stage == 1:
        captions = data.get("captions")
        if not isinstance(captions, list) or not captions or not all(isinstance(c, str) and c.strip() for c in captions):
            raise DataError(f"{where}: 'captions' must be a non-empty list of non-empty strings")
        return Record(image_path, captions=captions, source=where)
    task = data.get("task", "dialogue")
    if task not in TASKS:
        raise DataError(f"{where}: unknown task {task!r}; one of {', '.join(TASKS)}")
    turns = data.get("conversations")
    if not isinstance(turns, list) or len(turns) < 2:
        raise DataError(f"{where}: 'conversations' must list at least a user turn and the answer")
    for i, turn in enumerate(turns):
        expected = "user" if i % 2 == 0 else "assistant"
        if not isinstance(turn, dict) or turn.get("role") != expected or not isinstance(turn.get("content"), str):
            raise DataError(f"{where}: turn {i + 1} must be {{'role': '{expected}', 'content': str}}")
    if turns[-1]["role"] != "assistant":
        raise DataError(f"{where}: the last turn must be the assistant's answer")
    regions = data.get("regions", [])
    if not isinstance(regions, list):
        raise DataError(f"{where}: 'regions' must be a list of [x1, y1, x2, y2] pixel boxes")
    for i, box in enumerate(regions):
        if (not isinstance(box, list) or len(box) != 4 or not all(isinstance(v, (int, float)) for v in box)
                or box[2] <= box[0] or box[3] <= box[1]):
            raise DataError(f"{where}: region {i + 1} must be [x1, y1, x2, y2] with x2 > x1 and y2 > y1")
    if task == "reg" and not regions:
        raise DataError(f"{where}: a 'reg' record needs at least one region")
    return Record(image_path, conversations=turns, regions=[[float(v) for v in b] for b in regions], task=task,
                  source=where)
