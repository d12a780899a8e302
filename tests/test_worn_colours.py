"""The colours of what a person wears, read off bands of the person's outline (lyrics_model/dialogue/worn_colours.py)."""

import numpy as np
import pytest

from lyrics_model.dialogue.answer_pipeline import understand
from lyrics_model.dialogue.fact_answers import answer_colour
from lyrics_model.dialogue.grounded_prompt import SceneFacts
from lyrics_model.dialogue.perception import Perception
from lyrics_model.dialogue.scene_facts import ObjectFact
from lyrics_model.dialogue.worn_colours import add_worn_colours, band_colours
from lyrics_model.language.kinds import worn_on

PERCEPTION = Perception(frozenset({"person", "dog"}), frozenset({"person", "dog"}))


@pytest.mark.parametrize("word, band", [
    ("shirt", "upper body"), ("jacket", "upper body"), ("sweater", "upper body"), ("vest", "upper body"),
    ("trousers", "legs"), ("jeans", "legs"), ("skirt", "legs"), ("pants", "legs"), ("shorts", "legs"),
    ("shoes", "feet"), ("running shoes", "feet"), ("sneakers", "feet"), ("socks", "feet"), ("hat", "head"),
    ("helmet", "head"), ("suit", None), ("uniform", None), ("tie", None), ("gloves", None),  # no one band
    ("dog", None), ("wing", None), ("hair", None),  # no clothing
])
def test_where_clothing_is_worn_comes_from_wordnet(word, band):
    assert worn_on(word) == band


def _person(rgb_size=(200, 100), box=(20, 20, 80, 180)):
    """A 100 x 200 grey photo with a person: blue top, black legs, red feet; its box and mask."""
    width, height = rgb_size[1], rgb_size[0]
    rgb = np.full((height, width, 3), 128, np.uint8)
    x1, y1, x2, y2 = box
    span = y2 - y1
    rgb[y1:y1 + int(0.18 * span), x1:x2] = (230, 190, 160)  # a face
    rgb[y1 + int(0.18 * span):y1 + int(0.52 * span), x1:x2] = (30, 70, 200)
    rgb[y1 + int(0.52 * span):y1 + int(0.88 * span), x1:x2] = (15, 15, 15)
    rgb[y1 + int(0.88 * span):y2, x1:x2] = (200, 25, 25)
    mask = np.zeros((height, width), bool)
    mask[y1:y2, x1:x2] = True
    return rgb, np.array(box, np.float32), mask


def test_each_band_of_a_person_shows_what_is_worn_there():
    rgb, box, mask = _person()
    assert band_colours(rgb, box, mask, "upper body")[0] == "blue"
    assert band_colours(rgb, box, mask, "legs")[0] == "black"
    assert band_colours(rgb, box, mask, "feet")[0] == "red"


def test_legs_and_feet_cut_off_by_the_photo_are_not_read():
    rgb, box, mask = _person(box=(20, 60, 80, 200))  # the box runs to the photo's bottom edge
    assert band_colours(rgb, box, mask, "feet") == [] and band_colours(rgb, box, mask, "legs") == []
    assert band_colours(rgb, box, mask, "upper body")[0] == "blue"


def _facts(*people) -> SceneFacts:
    return SceneFacts([ObjectFact("person", place, "", ["blue"], np.array(box, np.float32), mask, id=f"obj{i + 1}")
                       for i, (place, box, mask) in enumerate(people)], size=(100, 200))


def test_the_colour_of_clothing_is_a_guess_from_its_band():
    rgb, box, mask = _person()
    facts = _facts(("in the center", box, mask))
    for question, expected in [
        ("What colour is his shirt?", "I'm not sure what colour his shirt is; it may be blue."),
        ("What colour are her shoes?", "I'm not sure what colour her shoes are; they may be red."),
        ("What colour are the man's trousers?", "I'm not sure what colour the man's trousers are; they may be black."),
    ]:
        asked, _ = understand(question)
        add_worn_colours(rgb, facts, asked.subject)
        assert answer_colour(asked, facts, PERCEPTION) == expected


def test_clothing_of_one_person_among_several_or_of_no_band_is_not_guessed():
    rgb, box, mask = _person()
    two = _facts(("on the left", box, mask), ("on the right", box + np.float32([5, 0, 5, 0]), mask))
    for question in ["What colour is his shirt?", "What colour is the man's hat?", "What colour is his tie?",
                     "What colour is the dog's collar?"]:
        asked, _ = understand(question)
        add_worn_colours(rgb, two, asked.subject)
        assert answer_colour(asked, two, PERCEPTION).startswith("I can't tell"), question


def test_an_outline_that_holds_little_of_the_person_is_not_read():
    rgb, box, mask = _person()
    thin = np.zeros_like(mask)
    thin[20:180, 45:52] = True  # a sliver down the middle: 12% of the box
    assert band_colours(rgb, box, thin, "upper body") == []
    assert band_colours(rgb, box, np.zeros_like(mask), "upper body") == []
