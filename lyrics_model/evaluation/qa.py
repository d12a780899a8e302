"""The answer-quality benchmark: `python -m lyrics_model eval QA.jsonl --profile offline`.

One JSON line per question:

    {"image": "photos/bus.jpg", "regions": [[53, 394, 228, 898]], "question": "What is region1?",
     "answers": ["person", "man"], "type": "region"}
    {"image": "photos/cub.jpg", "question": "Describe the image.", "answers": ["cheetahs?"],
     "type": "caption", "not": ["keyboard", "person"]}

`image` is relative to the file (or `package:NAME/PATH`, a file an installed package ships);
`regions` are pixel boxes or COCO RLE masks; `answers` are accepted answers, each a
case-insensitive regular expression matched on whole words of the answer's **first sentence**.
An answer that repeats both options of an either-or question ("a cub or an adult?" -> "It looks
like a cub or adult.") chose neither. The optional `not` lists objects the photo lacks, plain words.

Every answer is scored right, can't tell or wrong (`outcomes.outcome`); the table's headline is
the wrong rate, and it reports the share of answers to questions with a `not` list that name one
of its objects (as CHAIR does for captions: hallucinated objects).
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
from .matching import first_sentence, is_correct  # noqa: F401  (the scorer's public names live here too)
from .outcomes import CANT_TELL_OUTCOME, OUTCOMES, RIGHT, WRONG, names_absent, outcome

TYPES = ("count", "category", "region", "attribute", "location", "relation", "existence", "caption", "open")
#: The prompt's machinery, which an answer to a person should never show.
LEAK = re.compile(r"\b(IoU|overlap score|best overlap|crop tags?|obj\d+|refiner|confidence score|bounding box)\b"
                  r"|\[\s*[01]\.\d+\s*,", re.IGNORECASE)


@dataclass
class QAItem:
    """One benchmark question. image: resolved path; regions: pixel boxes or (H, W) masks."""

    image: Path
    question: str
    answers: list[str]
    type: str
    regions: list = field(default_factory=list)
    line: int = 0
    absent: list[str] = field(default_factory=list)  # the line's "not": objects the photo lacks


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
        absent = row.get("not", [])
        if not isinstance(absent, list) or not all(isinstance(item, str) and item.strip() for item in absent):
            raise DataError(f"{where}: not must be a list of object names")
        regions = [rle_to_mask(r) if isinstance(r, dict) else r for r in row.get("regions", [])]
        items.append(QAItem(_image_path(row["image"], path.parent), row["question"], list(row["answers"]),
                            row["type"], regions, int(where.rsplit(":", 1)[1]), list(absent)))
    return items


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
        scored = WRONG if error is not None else outcome(answer, item.answers, item.question, item.absent)
        rows.append({"line": item.line, "type": item.type, "question": item.question, "answer": answer,
                     "outcome": scored, "correct": scored == RIGHT, "not": item.absent,
                     "names_absent": names_absent(answer, item.absent),
                     "leak": leaks_prompt(answer, item.question), "seconds": round(seconds, 3),
                     "ttft": round(first_token or seconds, 3), "error": error})
        if progress:
            progress(number, len(items), rows[-1])
    return {"items": rows, "summary": summarise(rows)}


def _shares(rows: list[dict]) -> dict:
    """n and the share of each outcome (right, cant_tell, wrong) among `rows`."""
    n = len(rows)
    shares = {kind: sum(r["outcome"] == kind for r in rows) / max(1, n) for kind in OUTCOMES}
    return {"n": n, **shares, "coverage": shares[RIGHT] + shares[WRONG]}


def summarise(rows: list[dict]) -> dict:
    """Outcome shares per type and overall, the CHAIR-style share, leak rate and latency.

    rows: run_qa's rows (each with "outcome", "type", "not", "names_absent", "leak", "seconds",
    "ttft", "error"). "accuracy" is the right share, kept for older readers of results files."""
    by_type = {}
    for kind in TYPES:
        chosen = [r for r in rows if r["type"] == kind]
        if chosen:
            by_type[kind] = _shares(chosen)
            by_type[kind]["accuracy"] = by_type[kind][RIGHT]
    overall = _shares(rows)
    with_absent = [r for r in rows if r.get("not")]
    hallucinated = sum(bool(r.get("names_absent")) for r in with_absent)
    return {
        **overall,
        "accuracy": overall[RIGHT],
        "wrong_rate": overall[WRONG],
        "by_type": by_type,
        "absent_named": {"n": len(with_absent), "named": hallucinated,
                         "rate": hallucinated / len(with_absent) if with_absent else 0.0},
        "leak_rate": sum(r["leak"] for r in rows) / max(1, len(rows)),
        "median_seconds": statistics.median(r["seconds"] for r in rows) if rows else 0.0,
        "median_ttft": statistics.median(r["ttft"] for r in rows) if rows else 0.0,
        "errors": sum(r["error"] is not None for r in rows),
    }


def results_table(summary: dict, title: str = "") -> str:
    """The summary as Markdown: the wrong rate as headline, then right / can't tell / wrong per type
    and overall, the share of answers naming an absent object (CHAIR-style), leak rate, latency."""
    absent = summary["absent_named"]
    lines = [f"**{title}**", ""] if title else []
    lines += [f"**wrong {summary[WRONG]:.0%}** · right {summary[RIGHT]:.0%} · "
              f"can't tell {summary[CANT_TELL_OUTCOME]:.0%} · coverage {summary['coverage']:.0%} "
              f"({summary['n']} questions)", ""]
    lines += ["| type | n | right | can't tell | wrong | coverage |", "|---|---|---|---|---|---|"]
    lines += [f"| {kind} | {v['n']} | {v[RIGHT]:.0%} | {v[CANT_TELL_OUTCOME]:.0%} | {v[WRONG]:.0%} | {v['coverage']:.0%} |"
              for kind, v in summary["by_type"].items()]
    lines += [f"| **overall** | {summary['n']} | {summary[RIGHT]:.0%} | {summary[CANT_TELL_OUTCOME]:.0%} | "
              f"**{summary[WRONG]:.0%}** | {summary['coverage']:.0%} |", ""]
    named = (f"{absent['named']}/{absent['n']} = {absent['rate']:.0%}" if absent["n"] else "no question lists any")
    lines += [f"answers naming an object the photo lacks (CHAIR-style, over questions with a `not` list): {named} · "
              f"prompt-leak rate {summary['leak_rate']:.0%} · median answer {summary['median_seconds']:.2f} s · "
              f"median first token {summary['median_ttft']:.2f} s · errors {summary['errors']}"]
    return "\n".join(lines)
