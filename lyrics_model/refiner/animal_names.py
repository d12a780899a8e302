"""ImageNet-1k's animal classes by index, and the COCO animal class each falls under (training data
uses them to ask about animals the offline tagger can name)."""

from __future__ import annotations

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
