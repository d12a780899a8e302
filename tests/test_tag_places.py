"""Where a thing only the tagger names is: the tagger run over windows of the photo."""

from pathlib import Path

import numpy as np
import pytest

from lyrics_model.dialogue.grounded_prompt import SceneFacts
from lyrics_model.dialogue.perception import Perception
from lyrics_model.dialogue.answer_pipeline import understand
from lyrics_model.refiner.tag_places import tag_box, windows
from lyrics_model.refiner.tags import Tag

PERCEPTION = Perception(frozenset({"football helmet", "person"}), frozenset({"person"}))
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
    box = tag_box(_red_share_tagger, rgb, "ladybug")
    cx, cy = (box[0] + box[2]) / 2 / 400, (box[1] + box[3]) / 2 / 240
    assert abs(cx - place[0]) < 0.1 and abs(cy - place[1]) < 0.1


def test_a_name_found_nowhere_has_no_place():
    rgb = np.full((240, 400, 3), 128, np.uint8)
    assert tag_box(_red_share_tagger, rgb, "ladybug") is None
    assert tag_box(_red_share_tagger, rgb, "tripod") is None  # a name the tagger never returns scores 0


def test_the_windows_cover_the_photo_in_two_sizes():
    boxes = windows(400, 240)
    assert len(boxes) == 18 and boxes[0][:2] == (0, 0) and boxes[8][2:] == (400, 240)
    assert {b[2] - b[0] for b in boxes} == {200, 266}


def test_a_thing_only_the_tagger_names_is_placed_where_it_finds_it_most():
    question, _ = understand("Where is the helmet?")
    facts = SceneFacts([], tags=["football helmet"], tag_places={"football helmet": "at the bottom right"},
                       size=(100, 100))
    from lyrics_model.dialogue.fact_answers import answer_location
    assert answer_location(question, facts, PERCEPTION) == \
        "The helmet seems to be at the bottom right: that part of the photo looks most like a football helmet."
    unsure = SceneFacts([], tags=["football helmet"], tag_places={"football helmet": "at the bottom right"},
                        unsure=frozenset({"football helmet"}), size=(100, 100))
    assert answer_location(question, unsure, PERCEPTION) == "I'm not sure where the helmet is; it may be at the " \
        "bottom right: that part of the photo looks most like a football helmet."
    facts.tag_places.clear()  # not probed: no place is said
    assert answer_location(question, facts, PERCEPTION).startswith("I can't tell where the helmet is")


@pytest.mark.slow
def test_the_real_tagger_places_a_thing_no_detector_class_covers(offline_lyrics):
    answer = offline_lyrics.chat(str(ASSETS / "astronaut.jpg"), [{"role": "user", "content": "Where is the helmet?"}])
    assert "may be at the bottom right" in answer  # the tagger is unsure of the helmet (0.2)
