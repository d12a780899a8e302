"""The answer-quality benchmark: `python -m lyrics_model eval QA.jsonl --profile offline`.

One JSON line per question:

    {"image": "photos/bus.jpg", "regions": [[53, 394, 228, 898]], "question": "What is region1?",
     "answers": ["person", "man"], "type": "region"}

`image` is relative to the file (or `package:NAME/PATH`, a file an installed package ships);
`regions` are pixel boxes or COCO RLE masks; `answers` are accepted answers, each a
case-insensitive regular expression matched on whole words of the answer's **first sentence**.
An answer that repeats both options of an either-or question ("a cub or an adult?" -> "It looks
like a cub or adult.") chose neither and is wrong.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..dialogue.grounded_prompt import asks_for_coordinates
from ..data.records import DataError, json_lines
from ..errors import LyricsError
from ..rle import rle_to_mask
from ..weights import package_file

TYPES = ("count", "category", "region", "attribute", "location", "relation", "existence", "caption", "open")
#: The prompt's machinery, which an answer to a person should never show.
LEAK = re.compile(r"\b(IoU|overlap score|best overlap|crop tags?|obj\d+|refiner|confidence score|bounding box)\b"
                  r"|\[\s*[01]\.\d+\s*,", re.IGNORECASE)
#: The two options of an either-or question: "day or night", "left or to the right", "a cub or an adult".
CHOICE = re.compile(r"\b(\w+) or (?:to )?(?:the |an? )?(\w+)", re.IGNORECASE)


@dataclass
class QAItem:
    """One benchmark question. image: resolved path; regions: pixel boxes or (H, W) masks."""

    image: Path
    question: str
    answers: list[str]
    type: str
    regions: list = field(default_factory=list)
    line: int = 0


def _image_path(value: str, folder: Path) -> Path:
    if value.startswith("package:"):
        package, _, relative = value[len("package:"):].partition("/")
        return package_file(package, relative, package).path
    return folder / value


def read_qa(path: str | Path) -> list[QAItem]:
    """Parse a QA JSONL file; a bad line raises DataError naming FILE:LINE."""
    path = Path(path)
    items = []
    for where, row in json_lines(path):
        missing = {"image", "question", "answers", "type"} - set(row)
        if missing:
            raise DataError(f"{where}: missing {', '.join(sorted(missing))}")
        if row["type"] not in TYPES:
            raise DataError(f"{where}: type must be one of {', '.join(TYPES)}, got {row['type']!r}")
        regions = [rle_to_mask(r) if isinstance(r, dict) else r for r in row.get("regions", [])]
        items.append(QAItem(_image_path(row["image"], path.parent), row["question"], list(row["answers"]),
                            row["type"], regions, int(where.rsplit(":", 1)[1])))
    return items


def first_sentence(answer: str) -> str:
    """The answer up to its first sentence end (". ", "! ", "? ", a newline, or the end)."""
    return re.split(r"(?<=[.!?])\s|\n", answer.strip(), maxsplit=1)[0]


def echoes_choice(answer: str, question: str) -> bool:
    """True if the answer's first sentence gives both options of an either-or question, joined by "or"."""
    choice = CHOICE.search(question)
    if choice is None:
        return False
    first, second = (re.escape(option) for option in choice.groups())
    return bool(re.search(rf"\b{first}\b[\w ]{{0,20}}?\bor\b[\w ]{{0,20}}?\b{second}\b", first_sentence(answer),
                          re.IGNORECASE))


def is_correct(answer: str, accepted: list[str], question: str = "") -> bool:
    """True if any accepted pattern matches whole words of the answer's first sentence (and the
    answer does not echo both options of the question, see `echoes_choice`)."""
    sentence = first_sentence(answer)
    if echoes_choice(sentence, question):
        return False
    return any(re.search(rf"\b(?:{pattern})\b", sentence, re.IGNORECASE) for pattern in accepted)


def leaks_prompt(answer: str, question: str) -> bool:
    """True if the answer shows the prompt's machinery (IoU, crop tags, raw 0-1 boxes, objN...) unasked."""
    return not asks_for_coordinates(question) and bool(LEAK.search(answer))


def run_qa(lyrics, items: list[QAItem], max_new_tokens: int = 48, progress=None) -> dict:
    """Ask every question (greedy) and score it. Returns {"items": [...], "summary": {...}}."""
    rows = []
    for number, item in enumerate(items, start=1):
        start = time.perf_counter()
        first_token = None
        chunks = []
        try:
            for chunk in lyrics.chat_stream(item.image, [{"role": "user", "content": item.question}],
                                            regions=item.regions, max_new_tokens=max_new_tokens):
                first_token = first_token or time.perf_counter() - start
                chunks.append(chunk)
            error = None
        except LyricsError as err:
            error = str(err)
        seconds = time.perf_counter() - start
        answer = "".join(chunks)
        rows.append({"line": item.line, "type": item.type, "question": item.question, "answer": answer,
                     "correct": error is None and is_correct(answer, item.answers, item.question),
                     "leak": leaks_prompt(answer, item.question), "seconds": round(seconds, 3),
                     "ttft": round(first_token or seconds, 3), "error": error})
        if progress:
            progress(number, len(items), rows[-1])
    return {"items": rows, "summary": summarise(rows)}


def summarise(rows: list[dict]) -> dict:
    by_type = {}
    for kind in TYPES:
        chosen = [r for r in rows if r["type"] == kind]
        if chosen:
            by_type[kind] = {"n": len(chosen), "accuracy": sum(r["correct"] for r in chosen) / len(chosen)}
    return {
        "n": len(rows),
        "accuracy": sum(r["correct"] for r in rows) / max(1, len(rows)),
        "by_type": by_type,
        "leak_rate": sum(r["leak"] for r in rows) / max(1, len(rows)),
        "median_seconds": statistics.median(r["seconds"] for r in rows) if rows else 0.0,
        "median_ttft": statistics.median(r["ttft"] for r in rows) if rows else 0.0,
        "errors": sum(r["error"] is not None for r in rows),
    }


def results_table(summary: dict, title: str = "") -> str:
    """The summary as a Markdown table: accuracy per type and overall, leak rate, latency."""
    lines = [f"**{title}**", ""] if title else []
    lines += ["| type | n | accuracy |", "|---|---|---|"]
    lines += [f"| {kind} | {v['n']} | {v['accuracy']:.0%} |" for kind, v in summary["by_type"].items()]
    lines += [f"| **overall** | {summary['n']} | **{summary['accuracy']:.0%}** |", "",
              f"prompt-leak rate {summary['leak_rate']:.0%} · median answer {summary['median_seconds']:.2f} s · "
              f"median first token {summary['median_ttft']:.2f} s · errors {summary['errors']}"]
    return "\n".join(lines)
