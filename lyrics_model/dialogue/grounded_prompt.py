"""Grounded-text mode: the refiner's semantic-aware objects written into the prompt as compact text.

Small models follow short, regular lines best, so the block is one line per object or region:

    Image tags: person, football helmet, space shuttle.
    Objects ([x1, y1, x2, y2] in 0-1 image coordinates):
    obj1: person 0.75 [0.022, 0.027, 0.727, 1.000]
    User regions:
    region1 [0.100, 0.200, 0.300, 0.400]: best overlap obj1 person 0.75 (IoU 0.82); crop tags: suit, jersey.
"""

from __future__ import annotations

from ..refiner.result import RefineResult
from .regions import Region, RegionMatch, region_box_norm

#: Objects listed at most (highest score first): a 135M model loses track beyond a handful.
MAX_LISTED_OBJECTS = 12


def format_box(box_norm) -> str:
    return "[" + ", ".join(f"{v:.3f}" for v in box_norm) + "]"


def object_lines(result: RefineResult, limit: int = MAX_LISTED_OBJECTS) -> list[str]:
    objects = result.objects_json()
    objects = sorted(objects, key=lambda o: -o["score"])[:limit]
    objects.sort(key=lambda o: int(o["id"][3:]))
    return [f"{o['id']}: {o['label']} {o['score']:.2f} {format_box(o['box_norm'])}" for o in objects]


def region_line(region: Region, size, match: RegionMatch | None, crop_tags: list[str], token: str = "") -> str:
    line = f"{region.id}{token} {format_box(region_box_norm(region, size))}:"
    if match is None:
        line += " overlaps no detected object"
    else:
        line += f" best overlap {match.object_id} {match.label} {match.score:.2f} (IoU {match.iou:.2f})"
    if crop_tags:
        line += "; crop tags: " + ", ".join(crop_tags)
    return line + "."


def grounded_context(result: RefineResult, regions: list[Region], matches: list[RegionMatch | None],
                     crop_tags: list[list[str]], region_tokens: list[str] | None = None) -> str:
    """The text block describing the image: tags, objects, and the user's regions."""
    tags = [t.name for t in result.tags]
    lines = [f"Image tags: {', '.join(tags) if tags else 'none'}."]
    objects = object_lines(result)
    if objects:
        lines.append("Objects ([x1, y1, x2, y2] in 0-1 image coordinates):")
        lines.extend(objects)
    else:
        lines.append("Objects: none detected.")
    if regions:
        lines.append("User regions:")
        tokens = region_tokens or [""] * len(regions)
        lines.extend(region_line(r, result.size, m, c, t) for r, m, c, t in zip(regions, matches, crop_tags, tokens))
    return "\n".join(lines)
