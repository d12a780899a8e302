"""Plain-language facts for the grounded-text prompt: colours, places, counts, relations, the refiner check."""

import numpy as np
import pytest
import supervision as sv

from lyrics_model.dialogue import best_match, make_regions
from lyrics_model.dialogue.answer_check import check_region_answer, named_classes
from lyrics_model.dialogue.grounded_prompt import scene_facts
from lyrics_model.dialogue.regions import RegionMatch
from lyrics_model.dialogue.scene_facts import (article, count_phrase, counts_sentence, describe_object,
                                               dominant_colours, place_words, relation,
                                               relation_words)
from lyrics_model.refiner import RefineResult, Tag


@pytest.mark.parametrize("rgb, name", [((220, 30, 30), "red"), ((30, 60, 210), "blue"), ((40, 160, 50), "green"),
                                       ((245, 245, 245), "white"), ((15, 15, 15), "black"),
                                       ((240, 220, 40), "yellow"), ((240, 130, 30), "orange")])
def test_dominant_colour_of_the_pixels_under_a_mask(rgb, name):
    image = np.full((60, 80, 3), 128, np.uint8)
    image[10:40, 20:60] = rgb
    mask = np.zeros((60, 80), bool)
    mask[10:40, 20:60] = True
    assert dominant_colours(image, mask)[0] == name


def test_a_second_colour_is_named_only_when_it_covers_enough():
    image = np.zeros((40, 40, 3), np.uint8)
    whole = np.ones((40, 40), bool)
    image[:, :24] = (30, 60, 210)
    image[:, 24:] = (240, 220, 40)
    assert dominant_colours(image, whole) == ["blue", "yellow"]
    image[:, 34:] = (30, 60, 210)  # yellow now covers 15%
    assert dominant_colours(image, whole) == ["blue"]


def test_without_a_mask_the_middle_of_the_box_is_read():
    image = np.full((40, 40, 3), (240, 220, 40), np.uint8)  # a yellow rim (background inside the box)
    image[8:32, 8:32] = (30, 60, 210)
    assert dominant_colours(image, None, [0, 0, 40, 40]) == ["blue"]


def test_shadows_weigh_less_than_a_hue():
    image = np.zeros((40, 40, 3), np.uint8)  # 55% black (shade), 45% blue
    image[:, 22:] = (30, 60, 210)
    assert dominant_colours(image, np.ones((40, 40), bool))[0] == "blue"


@pytest.mark.parametrize("box, words", [([0, 0, 20, 20], "at the top left"), ([80, 40, 100, 60], "on the right"),
                                        ([40, 40, 60, 60], "in the center"), ([40, 80, 60, 100], "at the bottom")])
def test_places_in_words(box, words):
    assert place_words(box, (100, 100)) == words


def test_photo_facts_say_black_and_white_and_dark():
    from lyrics_model.dialogue.scene_facts import photo_facts

    grey = np.repeat(np.linspace(0, 255, 100, dtype=np.uint8)[None, :, None], 3, axis=2).repeat(50, axis=0)
    assert photo_facts(grey) == ["It is a black-and-white photo."]
    muted = grey.copy()
    muted[:3, :40] = (180, 30, 30)  # a muted photo with one small red thing is a colour photo
    assert photo_facts(muted) == []
    night = np.full((50, 80, 3), (20, 20, 40), np.uint8)
    assert photo_facts(night) == ["It is a dark photo, taken at night or in low light."]
    assert photo_facts(np.full((50, 80, 3), (200, 120, 60), np.uint8)) == []


def test_counts_with_plurals():
    assert counts_sentence(["person", "bus", "person", "person"]) == "3 people, 1 bus"
    assert count_phrase("glass", 2) == "2 glasses" and count_phrase("cell phone", 3) == "3 cell phones"
    assert counts_sentence([]) == "nothing detected"


def _fact(box, mask=None, label="thing"):
    rgb = np.zeros((100, 100, 3), np.uint8)
    return describe_object(rgb, label, box, mask)


def test_relations_between_regions():
    left, right = _fact([0, 40, 20, 60]), _fact([70, 40, 90, 60])
    assert relation(left, right) == "left of" and relation(right, left) == "right of"
    assert relation(_fact([40, 0, 60, 20]), _fact([40, 70, 60, 90])) == "above"
    assert relation(_fact([45, 45, 55, 55]), _fact([30, 30, 70, 70])) == "inside"
    front = np.zeros((100, 100), bool)
    front[30:70, 30:70] = True  # fills the shared area
    behind = np.zeros((100, 100), bool)
    behind[10:50, 10:40] = True
    behind[10:30, 40:50] = True  # hidden where the front object is
    assert relation(_fact([30, 30, 70, 70], front), _fact([10, 10, 50, 50], behind)) == "right of, below and in front of"
    assert relation(_fact([10, 10, 50, 50], behind), _fact([30, 30, 70, 70], front)) == "left of, above and behind"
    # a rough mask says the upper thing hides the lower one, which reaches lower, so stands nearer: neither is said
    people = np.zeros((100, 100), bool)
    people[10:62, 30:70] = True
    table = np.zeros((100, 100), bool)
    table[75:95, 0:100] = True  # its outline misses the strip the people overlap
    assert relation_words(_fact([30, 10, 70, 62], people), _fact([0, 55, 100, 95], table)) == ["above", "overlapping"]
    # overlapping boxes still say which side: "left or right?" has its answer in the facts
    assert relation(_fact([10, 40, 60, 60]), _fact([40, 40, 90, 60])) == "left of and overlapping"
    assert relation_words(_fact([40, 10, 60, 90]), _fact([43, 10, 63, 90])) == ["overlapping"]  # centres too close


@pytest.fixture
def street() -> tuple[np.ndarray, RefineResult]:
    """A 200x100 image: a red person on the left, a blue bus on the right, a low-score 'kite'."""
    rgb = np.full((100, 200, 3), 128, np.uint8)
    rgb[20:90, 10:50] = (220, 30, 30)
    rgb[30:95, 110:195] = (30, 60, 210)
    masks = np.zeros((3, 100, 200), bool)
    masks[0, 20:90, 10:50] = True
    masks[1, 30:95, 110:195] = True
    masks[2, 0:5, 0:5] = True
    detections = sv.Detections(xyxy=np.array([[10, 20, 50, 90], [110, 30, 195, 95], [0, 0, 5, 5]], np.float32),
                               mask=masks, confidence=np.array([0.9, 0.8, 0.2], np.float32),
                               class_id=np.array([1, 6, 38]),
                               data={"class_name": np.array(["person", "bus", "kite"], dtype=object)})
    return rgb, RefineResult((200, 100), [Tag("minibus", 0.6), Tag("person", 0.9, "detector")], detections, {}, {},
                             "test", "hash")


def test_the_facts_block_speaks_plainly(street):
    rgb, result = street
    regions = make_regions([[10, 20, 50, 90], [110, 30, 195, 95]], result.size)
    text = scene_facts(rgb, result, regions, [best_match(r, result) for r in regions], [["jersey"], ["bus"]],
                       question="What is region1?").render()
    assert text.splitlines() == [
        "The image shows 1 person, 1 bus.",
        "Tags: minibus.",
        "Things in the image:",
        "- a person in red on the left",
        "- a blue bus on the right",
        "The user's regions:",
        "- region1 is a person in red on the left.",
        "- region2 is a blue bus on the right.",
        "- region1 is left of region2.",
        "- region2 is right of region1.",
    ]
    for machinery in ("IoU", "obj1", "0.9", "[0.", "crop tags", "kite"):
        assert machinery not in text


def test_the_background_is_stated_when_the_question_asks_for_it():
    rgb = np.full((100, 200, 3), (180, 35, 30), np.uint8)  # a red wall
    rgb[80:] = (95, 95, 98)  # a grey road
    rgb[40:90, 60:160] = (240, 240, 240)  # a white truck
    mask = np.zeros((1, 100, 200), bool)
    mask[0, 40:90, 60:160] = True
    detections = sv.Detections(xyxy=np.array([[60, 40, 160, 90]], np.float32), mask=mask,
                               confidence=np.array([0.9], np.float32), class_id=np.array([8]),
                               data={"class_name": np.array(["truck"], dtype=object)})
    result = RefineResult((200, 100), [], detections, {}, {}, "test", "h")
    asked = scene_facts(rgb, result, [], [], [], question="What colour is the wall behind the truck?")
    assert asked.objects[0].colours == ["white"] and asked.objects[0].background == ["red"]
    assert "The background behind the truck is red." in asked.render().splitlines()
    assert "background" not in scene_facts(rgb, result, [], [], [], question="What colour is the truck?").render()
    regions = make_regions([[60, 40, 160, 90]], result.size)
    about_region = scene_facts(rgb, result, regions, [best_match(r, result) for r in regions], [[]],
                               question="What is behind region1?").render()
    assert "The background behind region1 is red." in about_region.splitlines()


def test_an_image_with_nothing_confident_still_states_the_taggers_best_guess():
    from lyrics_model.dialogue.grounded_prompt import image_facts

    rgb = np.full((50, 80, 3), 200, np.uint8)
    result = RefineResult((80, 50), [Tag("daisy", 0.08), Tag("bee", 0.02)], sv.Detections.empty(), {}, {}, "test", "h")
    assert image_facts(rgb, result).tags == ["daisy"]
    result.tags.insert(0, Tag("minibus", 0.6))
    assert image_facts(rgb, result).tags == ["minibus"]  # confident tags alone when there are some


def test_a_tag_of_the_whole_photo_that_no_probe_window_gives_is_left_out(street):
    from lyrics_model.dialogue.grounded_prompt import image_facts

    rgb, result = street
    result.tags.insert(0, Tag("turnstile", 0.62))
    windows = [[Tag("minibus", 0.3), Tag("jersey", 0.2)], [Tag("minibus", 0.5)]] + [[]] * 7
    facts = image_facts(rgb, result, window_tags=windows)
    assert facts.tags == ["minibus"] and [o.label for o in facts.objects] == ["person", "bus"]  # detections stay
    assert image_facts(rgb, result).tags == ["turnstile", "minibus"]  # windows not probed: every tag counts


def test_the_facts_know_which_stated_things_the_models_are_unsure_of(street):
    from lyrics_model.dialogue.grounded_prompt import image_facts

    rgb, result = street
    result.detections.confidence[1] = 0.3  # the bus, as sure as the offline detector's couch in a room
    facts = scene_facts(rgb, result, [], [], [], question="What is in the picture?")
    assert facts.unsure == {"bus"}  # the person (0.9) and the minibus tag (0.6) are sure; the kite is not stated
    assert "unsure" not in facts.render() and "0.3" not in facts.render()  # never rendered in the prompt
    guess = RefineResult((80, 50), [Tag("daisy", 0.08)], sv.Detections.empty(), {}, {}, "test", "h")
    assert image_facts(np.full((50, 80, 3), 200, np.uint8), guess).unsure == {"daisy"}


def test_boxes_appear_only_when_coordinates_are_asked(street):
    rgb, result = street
    text = scene_facts(rgb, result, [], [], [], question="Give the bounding box of the bus.").render()
    assert "- bus: [0.550, 0.300, 0.975, 0.950]" in text


@pytest.mark.parametrize("answer, named", [("A person in a box.", ["person"]), ("The carrot is orange.", ["carrot"]),
                                           ("This object in the image is a region.", [])])
def test_named_classes_ignore_prompt_words_and_match_whole_words(answer, named):
    assert named_classes(answer) == named


@pytest.mark.parametrize("label, answer, disagrees", [
    ("person", "A man in beige clothing, inside the box.", False),
    ("person", "It is a woman.", False),
    ("cup", "A mug of espresso.", False),
    ("dining table", "A wooden table.", False),
    ("car", "A carrot.", True),
    ("person", "A black mouse.", True),
    ("person", "This region of the image.", False),
    ("dog", "A puppy on the grass.", False),  # a kind of the class, by WordNet
    ("truck", "A white van.", False),
    ("person", "A soldier in a helmet.", False),  # a kind of person, and what a person wears
    ("person", "A crane.", True),  # Crane the writer is a person, but no kind of one
    ("person", "A mouse.", True),  # a timid person is a mouse's rarer sense
    ("laptop", "A notebook.", False),  # a sibling kind WordNet does not tie (NOT_IN_WORDNET)
])
def test_the_refiner_check_flags_only_real_disagreement(label, answer, disagrees):
    check = check_region_answer(answer, "region1", RegionMatch("obj1", label, 0.9, 0.8))
    assert check.disagrees is disagrees


def test_clip_keeps_plausible_pixel_colours_and_replaces_implausible_ones_when_sure():
    from lyrics_model.dialogue.colour_check import reconcile
    from lyrics_model.dialogue.scene_facts import BASIC_COLOURS

    def probs(**given):
        rest = (1 - sum(given.values())) / (len(BASIC_COLOURS) - len(given))
        return {name: given.get(name.replace(" ", "_"), rest) for name in BASIC_COLOURS}

    assert reconcile(["black", "blue"], probs(blue=0.5, black=0.02)) == ["blue"]  # the windows' black goes
    assert reconcile(["black"], probs(blue=0.7, black=0.01)) == ["blue"]  # CLIP is sure of another colour
    assert reconcile(["black"], probs(blue=0.3, black=0.01)) == ["black"]  # CLIP unsure: the pixels stand
    assert reconcile(["red", "white"], probs(red=0.4, white=0.3)) == ["red", "white"]


def test_a_clip_profile_checks_the_colours_of_objects_and_regions(tiny_lyrics, street):
    from lyrics_model.dialogue.grounded_prompt import image_facts
    from lyrics_model.dialogue.scene_facts import BASIC_COLOURS

    check = tiny_lyrics.colour_check
    assert check is not None  # the tagger is a CLIP model
    rgb, result = street
    probabilities = check.probabilities(rgb, "bus", [110, 30, 195, 95])
    assert list(probabilities) == list(BASIC_COLOURS) and abs(sum(probabilities.values()) - 1) < 1e-4
    facts = image_facts(rgb, result, check)
    assert [o.label for o in facts.objects] == ["person", "bus"]
    assert all(o.colours and set(o.colours) <= set(BASIC_COLOURS) for o in facts.objects)
    assert set(check._text) == {"person", "bus"}  # one set of colour prompts per label, embedded once
    assert check._crops.misses == 2  # the bus crop checked above is embedded once, not again for the facts
    regions = make_regions([[110, 30, 195, 95]], result.size)
    text = scene_facts(rgb, result, regions, [best_match(r, result) for r in regions], [["bus"]],
                       question="What colour is region1?", colour_check=check).render()
    expected = check(rgb, "bus", regions[0].box, ["blue"])  # the pixels say blue; CLIP keeps or replaces it
    assert set(expected) <= set(BASIC_COLOURS)
    assert f"- region1 is {article(expected[0])} {' and '.join(expected)} bus on the right." in text
    assert check._crops.misses == 2  # the region's crop is the bus's: no new CLIP pass on later turns


def test_the_offline_profile_reads_colours_from_pixels_only(offline_lyrics):
    assert offline_lyrics.colour_check is None  # its tagger is no CLIP model


def test_an_unsure_box_inside_a_better_one_of_the_same_class_is_not_another_object():
    """The offline detector on two dogs: the first at 0.73, the second at 0.27, and part of the
    second again at 0.26."""
    import supervision as sv

    from lyrics_model.dialogue.grounded_prompt import confident_objects
    from lyrics_model.refiner.result import RefineResult

    boxes = np.array([[263, 283, 454, 745], [400, 572, 708, 868], [396, 572, 579, 841], [420, 300, 560, 560]],
                     np.float32)
    names = np.array(["dog", "dog", "dog", "cat"])
    detections = sv.Detections(boxes, confidence=np.array([0.73, 0.27, 0.26, 0.3], np.float32),
                               class_id=np.zeros(4, int), data={"class_name": names})
    result = RefineResult(tags=[], detections=detections, size=(800, 900), timings_ms={}, models={}, profile="offline",
                          image_hash="dogs")
    assert confident_objects(result) == [0, 1, 3]  # the part of the second dog goes; a cat inside stays
    detections.confidence[2] = 0.6  # a sure box is an object of its own, even inside another
    assert confident_objects(result) == [0, 1, 2, 3]


def test_a_crop_tag_that_is_no_kind_of_the_detection_it_outlines_is_a_guess():
    """A region outlining a detected spoon whose crop the tagger calls an espresso (the coffee beside it fills the
    crop): the two models disagree on that outline, so the tag is offered as a guess; a kind of the class is not."""
    from lyrics_model.dialogue.grounded_prompt import region_label, region_unsure
    spoon = RegionMatch("obj1", "spoon", 0.25, 0.8)
    espresso = [Tag("espresso", 0.72, sense="n07920052")]
    assert region_label(spoon, espresso) == "espresso" and region_unsure(spoon, espresso)
    dog = RegionMatch("obj1", "dog", 0.3, 0.8)
    beagle = [Tag("beagle", 0.8, sense="n02088364")]
    assert region_label(dog, beagle) == "beagle" and not region_unsure(dog, beagle)
    loose = RegionMatch("obj1", "spoon", 0.25, 0.35)  # overlapping loosely: the tagger's view stands
    assert not region_unsure(loose, espresso)
