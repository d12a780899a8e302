"""The tag vocabulary: class names shipped with ultralytics' dataset YAMLs, merged and cleaned."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

#: Dataset YAMLs (in ultralytics/cfg/datasets) whose class names form the default vocabulary.
VOCABULARY_SOURCES = ("coco.yaml", "lvis.yaml", "Objects365.yaml", "open-images-v7.yaml", "ImageNet.yaml")


def clean_name(name: str) -> str:
    """'Tabby cat/tabby' -> 'tabby cat'; 'traffic_light' -> 'traffic light'; drops '(...)' notes."""
    name = name.split("/")[0].split(",")[0]
    name = re.sub(r"\(.*?\)", "", name).replace("_", " ")
    return re.sub(r"\s+", " ", name).strip().lower()


@lru_cache(maxsize=None)
def default_vocabulary(sources: tuple[str, ...] = VOCABULARY_SOURCES) -> tuple[str, ...]:
    """Sorted, de-duplicated tag names from the given ultralytics dataset YAMLs (about 2,500 names)."""
    import ultralytics

    folder = Path(ultralytics.__file__).parent / "cfg" / "datasets"
    names: set[str] = set()
    for source in sources:
        data = yaml.safe_load((folder / source).read_text())
        raw = data["names"].values() if isinstance(data["names"], dict) else data["names"]
        names.update(clean_name(str(n)) for n in raw)
    names.discard("")
    return tuple(sorted(names))
