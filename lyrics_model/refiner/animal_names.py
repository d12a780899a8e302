"""Animals a closed-set detector cannot name, named by the ImageNet tagger.

The offline detector (SSD, COCO) knows ten animals and puts every other animal into one of them: a
lion becomes a dog, a cheetah a bird. The ImageNet tagger knows 398 animals (classes 0-397). When
the tagger is sure of an animal that no detection's COCO class covers, the detected animals that
are not small take the tagger's top name. "Sure" counts the kind, not one class: ImageNet spreads
a quokka over wallaby, wombat and beaver, all animals no COCO class covers, so their scores add up.
A tag the detector found (a saluki, and a dog was detected) changes nothing.
This is the closed-set stand-in for prompting an open-vocabulary detector with the tags.
"""

from __future__ import annotations

import numpy as np
import supervision as sv

from .tags import Tag

#: ImageNet-1k class indices of each COCO animal class (inclusive ranges); giraffes have none.
COCO_ANIMAL_CLASSES = {
    "bird": ((7, 24), (80, 100), (127, 146)),
    "dog": ((151, 268),),
    "cat": ((281, 285),),
    "bear": ((294, 297),),
    "horse": ((339, 339),),
    "zebra": ((340, 340),),
    "cow": ((345, 347),),
    "sheep": ((348, 349),),
    "elephant": ((101, 101), (385, 386)),
    "giraffe": (),
}
#: ImageNet-1k classes 0-397 are animals.
IMAGENET_ANIMALS = range(0, 398)
#: What `imagenet_animal_kind` says of an animal that no COCO class covers (a lion).
OTHER_ANIMAL = "other animal"
#: The tagger's tags of the top tag's kind must score at least this together before its name replaces
#: the detector's.
MIN_TAG_SCORE = 0.5
#: Only detections covering at least this share of the image are renamed: a tag is about the whole image.
MIN_AREA_SHARE = 0.05


def imagenet_animal_kind(index: int) -> str | None:
    """The COCO class of ImageNet class `index` ("dog" for 151-268), `OTHER_ANIMAL` for an animal no
    COCO class covers, None for a thing that is not an animal."""
    if index not in IMAGENET_ANIMALS:
        return None
    for coco, ranges in COCO_ANIMAL_CLASSES.items():
        if any(first <= index <= last for first, last in ranges):
            return coco
    return OTHER_ANIMAL


def name_animals_by_tag(detections: sv.Detections, tags: list[Tag], animal_kind, size: tuple[int, int]) -> sv.Detections:
    """Rename the detected COCO animals when the tagger's surest tag is an animal none of them is (see
    the module docstring).

    detections: boxes in pixels with data["class_name"]; tags: the tagger's, highest score first;
    animal_kind: tag name -> COCO class, `OTHER_ANIMAL` or None; size: (width, height) in pixels.
    Returns the detections, renamed where the tag wins (class ids stay the detector's).
    """
    tagged = [t for t in tags if t.source == "tagger"]
    if not tagged or len(detections) == 0:
        return detections
    top = tagged[0]
    kind = animal_kind(top.name)
    names = np.array(detections.data.get("class_name", []), dtype=object)
    if kind is None or kind in names:  # not an animal, or the detector found it (a saluki is a dog)
        return detections
    if sum(t.score for t in tagged if animal_kind(t.name) == kind) < MIN_TAG_SCORE:
        return detections
    areas = (detections.xyxy[:, 2] - detections.xyxy[:, 0]) * (detections.xyxy[:, 3] - detections.xyxy[:, 1])
    contradicted = np.array([n in COCO_ANIMAL_CLASSES and n != kind for n in names], bool)
    renamed = contradicted & (areas >= MIN_AREA_SHARE * size[0] * size[1])
    if renamed.any():
        names[renamed] = top.name
        detections.data["class_name"] = names
    return detections
