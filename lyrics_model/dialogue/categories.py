"""Which detector and tagger names a category word covers: "What fruit is this?" asks for a fig or a
banana, never a stop sign.

The names are the COCO classes and the ImageNet names (as `refiner.vocabulary.clean_name` writes
them: "granny smith", "red wine") of each category; the CLIP taggers' vocabularies hold the same
names. Animals, vehicles and people are the `Perception`'s kind words. A category not listed here
is unknown: no answer is checked against it.
"""

from __future__ import annotations

import re

from .unanswerable import KIND_WORDS, Perception, singular

FRUIT = frozenset({"apple", "banana", "orange", "granny smith", "strawberry", "lemon", "fig", "pineapple", "jackfruit",
                   "custard apple", "pomegranate"})
VEGETABLE = frozenset({"broccoli", "carrot", "head cabbage", "cauliflower", "zucchini", "spaghetti squash",
                       "acorn squash", "butternut squash", "cucumber", "artichoke", "bell pepper", "cardoon",
                       "mushroom", "corn"})
DRINK = frozenset({"red wine", "espresso", "eggnog", "wine", "coffee", "beer", "tea"})
FOOD = FRUIT | VEGETABLE | frozenset({"sandwich", "hot dog", "hotdog", "pizza", "donut", "cake", "guacamole",
                                      "consomme", "hot pot", "trifle", "ice cream", "ice lolly", "french loaf",
                                      "bagel", "pretzel", "cheeseburger", "mashed potato", "carbonara",
                                      "chocolate sauce", "dough", "meat loaf", "potpie", "burrito"})
MUSICAL_INSTRUMENT = frozenset({"accordion", "acoustic guitar", "banjo", "bassoon", "cello", "chime", "cornet", "drum",
                                "electric guitar", "flute", "french horn", "gong", "grand piano", "harmonica", "harp",
                                "maraca", "marimba", "oboe", "ocarina", "organ", "panpipe", "sax", "steel drum",
                                "trombone", "upright", "violin", "guitar", "piano"})
#: What a person wears: COCO's tie and the ImageNet clothes, hats and shoes.
CLOTHING = frozenset({"tie", "suit", "bow tie", "military uniform", "jersey", "sweatshirt", "cardigan", "jean",
                      "miniskirt", "kimono", "abaya", "lab coat", "trench coat", "fur coat", "poncho", "pajama",
                      "apron", "bulletproof vest", "cloak", "gown", "academic gown", "hoopskirt", "overskirt", "sarong",
                      "swimming trunks", "bikini", "maillot", "brassiere", "stole", "vestment", "feather boa",
                      "cowboy hat", "sombrero", "mortarboard", "bonnet", "shower cap", "bathing cap", "football helmet",
                      "crash helmet", "pickelhaube", "sunglasses", "sock", "running shoe", "clog", "cowboy boot",
                      "loafer", "sandal", "mitten", "bib", "diaper", "chain mail", "cuirass", "breastplate", "scarf",
                      "hat", "helmet", "jacket", "coat", "shirt", "t-shirt", "dress", "uniform", "glasses", "shoe",
                      "boot", "cap", "hoodie", "sweater", "skirt", "trousers", "jeans", "shorts"})
#: Category word -> the names it covers.
CATEGORY_NAMES = {"fruit": FRUIT, "vegetable": VEGETABLE, "veggie": VEGETABLE, "drink": DRINK, "beverage": DRINK,
                  "food": FOOD, "dish": FOOD, "meal": FOOD, "snack": FOOD, "musical instrument": MUSICAL_INSTRUMENT,
                  "instrument": MUSICAL_INSTRUMENT,
                  "clothing": CLOTHING, "clothes": CLOTHING, "garment": CLOTHING, "outfit": CLOTHING}


def category_word(words: str | None) -> str | None:
    """The category an identify question asks for, singular ("kind of fruits" -> "fruit"), if it is one
    `covers` knows; else None."""
    if not words:
        return None
    word = singular(re.sub(r"^(kind|type|sort) of ", "", words.strip()))
    return word if word in CATEGORY_NAMES or word in KIND_WORDS else None


def covers(category: str, label: str, perception: Perception) -> bool:
    """True if a thing the refiner calls `label` is a `category` (a word `category_word` returns)."""
    if category in CATEGORY_NAMES:
        return label.lower() in CATEGORY_NAMES[category]
    return perception.covers(label, category)
