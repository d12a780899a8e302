"""Where a thing only the tagger names is: the tagger run over windows of the photo."""

from pathlib import Path

import numpy as np
import pytest

from lyrics_model.dialogue.grounded_prompt import SceneFacts
from lyrics_model.dialogue.perception import Perception
from lyrics_model.dialogue.answer_pipeline import understand
from lyrics_model.refiner.tag_places import tag_box, window_tags, windows
from lyrics_model.refiner.tags import Tag

PERCEPTION = Perception(frozenset({"beacon", "person"}), frozenset({"person"}))
ASSETS = Path(__file__).resolve().parents[1] / "assets"


def _red_share_tagger(crop: np.ndarray) -> list[Tag]:
    """A tagger that sees a "ladybug" as much as the crop is red: enough to tell where red is."""
    red = (crop[..., 0] > 200) & (crop[..., 1] < 60)
    return [Tag("ladybug", float(red.mean()))]


@pytest.mark.parametrize("corner, place", [((0, 0), (0.25, 0.25)), ((300, 180), (0.75, 0.75)), ((150, 90), (0.5, 0.5))])
def test_the_box_is_centred_where_the_tagger_finds_the_name_most(corner, place):
    rgb = np.full((240, 400, 3), 128, np.uint8)
    x, y = corner
    rgb[y:y + 60, x:x + 100] = (230, 20, 20)
    box = tag_box(window_tags(_red_share_tagger, rgb), (400, 240), "ladybug")
    cx, cy = (box[0] + box[2]) / 2 / 400, (box[1] + box[3]) / 2 / 240
    assert abs(cx - place[0]) < 0.1 and abs(cy - place[1]) < 0.1


def test_a_name_found_nowhere_has_no_place():
    rgb = np.full((240, 400, 3), 128, np.uint8)
    assert tag_box(window_tags(_red_share_tagger, rgb), (400, 240), "ladybug") is None
    assert tag_box(window_tags(_red_share_tagger, rgb), (400, 240), "tripod") is None  # a name the tagger never returns scores 0


def test_the_windows_are_three_by_three_of_half_the_photo():
    boxes = windows(400, 240)
    assert len(boxes) == 9 and boxes[0] == (0, 0, 200, 120) and boxes[8] == (200, 120, 400, 240)


def test_a_thing_only_the_tagger_names_is_placed_where_it_finds_it_most():
    from lyrics_model.dialogue.fact_answers import answer_location
    question, _ = understand("Where is the lighthouse?")
    facts = SceneFacts([], tags=["beacon"], tag_places={"beacon": "on the right"}, senses={"beacon": "n02814860"},
                       size=(100, 100))
    assert answer_location(question, facts, PERCEPTION) == \
        "The lighthouse seems to be on the right: that part of the photo looks most like a beacon."
    unsure = SceneFacts([], tags=["beacon"], tag_places={"beacon": "on the right"}, senses={"beacon": "n02814860"},
                        unsure=frozenset({"beacon"}), size=(100, 100))
    assert answer_location(question, unsure, PERCEPTION) == "I'm not sure where the lighthouse is; it may be on the " \
        "right: that part of the photo looks most like a beacon."
    facts.tag_places.clear()  # not probed: no place is said
    assert answer_location(question, facts, PERCEPTION).startswith("I can't tell where the lighthouse is")


def _in_corner(asset: str, corner: tuple[int, int]) -> np.ndarray:
    """An 800 x 600 grey photo with `asset` shrunk into one corner ((0, 0) top left, (1, 1) bottom right)."""
    from PIL import Image

    canvas = Image.new("RGB", (800, 600), (128, 128, 128))
    small = Image.open(ASSETS / asset).convert("RGB")
    small.thumbnail((360, 270))
    canvas.paste(small, (20 if corner[0] == 0 else 780 - small.width, 20 if corner[1] == 0 else 580 - small.height))
    return np.asarray(canvas)


@pytest.mark.slow
@pytest.mark.parametrize("asset, name, corner, place", [
    ("cameraman.jpg", "tripod", (1, 1), "at the bottom right"),
    ("brushes.jpg", "paintbrush", (0, 0), "at the top left"),  # known from any part: not pulled to the centre
])
def test_the_real_tagger_places_a_thing_in_a_corner(offline_lyrics, asset, name, corner, place):
    from lyrics_model.dialogue.scene_facts import place_words

    rgb = _in_corner(asset, corner)
    box = tag_box(window_tags(offline_lyrics.refiner.tagger.tag, rgb), (800, 600), name)
    assert box is not None and place_words(box, (800, 600)) == place


def test_the_colour_of_a_thing_only_the_tagger_names_is_offered_as_a_guess():
    from lyrics_model.dialogue.fact_answers import answer_colour
    question, _ = understand("What colour is the lighthouse?")
    facts = SceneFacts([], tags=["beacon"], tag_colours={"beacon": ["red", "white"]}, senses={"beacon": "n02814860"},
                       size=(100, 100))
    assert answer_colour(question, facts, PERCEPTION) == \
        "I'm not sure what colour the lighthouse is; it may be red and white."
    plural, _ = understand("What colour are the lighthouses?")
    assert answer_colour(plural, facts, PERCEPTION) == \
        "I'm not sure what colour the lighthouses are; they may be red and white."
    part, _ = understand("What colour is the lighthouse's door?")  # a part of it: no outline holds it
    assert answer_colour(part, facts, PERCEPTION).startswith("I can't tell")
    facts.tag_colours.clear()  # not segmented: no colour is said
    assert answer_colour(question, facts, PERCEPTION).startswith("I can't tell what colour the lighthouse is")


@pytest.mark.slow
def test_the_real_models_give_the_colour_of_a_thing_only_the_tagger_names(offline_lyrics):
    """A flower no detector class covers: the segmenter outlines it where the tagger finds it, and its petals'
    colour is offered as a guess."""
    answer = offline_lyrics.chat(ASSETS / "dahlia.jpg", [{"role": "user", "content": "What colour is this flower?"}])
    assert answer.startswith("I'm not sure what colour the flower is; it may be") and "orange" in answer
