"""What a thing is used for, read from WordNet (lyrics_model/language/uses.py): the sport its definition names
or its name derives, and whether it is made to carry messages."""

import pytest

from lyrics_model.language.kinds import COCO_SENSES
from lyrics_model.language.uses import activities_of, asks_for_activity, carries_messages, use_of


def _sense(name):
    sense = COCO_SENSES[name]
    return sense[0] if isinstance(sense, tuple) else sense


@pytest.mark.parametrize("thing, sports", [
    ("baseball bat", {"baseball"}), ("baseball glove", {"baseball"}), ("tennis racket", {"tennis"}),
    ("skis", {"skiing"}), ("skateboard", {"skateboarding"}),
    ("surfboard", set()),  # "a board for riding surf": "riding" is a verb there, not the horse sport
    ("frisbee", set()),  # "propelled with a flip of the wrist": a flip is read in its commonest sense
    ("dog", set()), ("bowl", set()), ("sports ball", set()),  # a ball of no one game
])
def test_the_sport_a_thing_is_used_for_comes_from_its_definition(thing, sports):
    assert activities_of(_sense(thing), "sport") == frozenset(sports)


@pytest.mark.parametrize("word, activity", [("sport", True), ("game", True), ("drink", False), ("room", False),
                                            ("fruit", False), ("breed", False)])
def test_only_words_for_activities_ask_what_things_are_used_for(word, activity):
    assert asks_for_activity(word) is activity


@pytest.mark.parametrize("word, carries", [("sign", True), ("poster", True), ("book", True), ("notice", True),
                                           ("billboard", True), ("road", False), ("wall", False),
                                           ("truck", False), ("door", False), ("shirt", False)])
def test_things_made_to_carry_messages(word, carries):
    assert carries_messages(word) is carries


@pytest.mark.parametrize("thing, rooms", [("bed", {"bedroom"}), ("toilet", {"bathroom"}), ("oven", {"kitchen"}),
                                          ("microwave", {"kitchen"}), ("toaster", {"kitchen"}), ("laptop", set()),
                                          ("person", set()), ("dog", set()), ("chair", set()),
                                          ("boat", set()), ("bus", set())])  # a cabin is a room of a boat
def test_the_room_a_thing_is_kept_in_comes_from_the_definitions(thing, rooms):
    from lyrics_model.language.uses import rooms_of

    assert rooms_of(_sense(thing)) == frozenset(rooms)


def test_the_maker_of_a_thing_is_read_from_verbs_of_making():
    from lyrics_model.language.uses import maker_of
    assert [maker_of(v) for v in ("write", "paint", "compose", "design")] == ["writer", "painter", "composer", "designer"]
    assert maker_of("take") is None and maker_of("hold") is None  # taking a photo or holding a cup makes nothing


def test_living_things_have_names_nobody_wrote():
    from lyrics_model.language.uses import is_organism
    assert is_organism("dog") and is_organism("man")
    assert not any(is_organism(w) for w in ("restaurant", "street", "shop", "ship"))


def test_places_and_bodies_whose_names_are_on_signs():
    from lyrics_model.language.uses import named_on_signs
    assert all(named_on_signs(w) for w in ("cafe", "bank", "street", "hotel", "team"))
    assert not any(named_on_signs(w) for w in ("room", "sport", "animal", "dog", "flower"))


@pytest.mark.parametrize("name, sense, use", [
    ("paintbrush", None, "a brush used as an applicator (to apply paint)"),
    ("tripod", None, "a three-legged rack used for support"),
    ("spoon", None, "a piece of cutlery with a shallow bowl-shaped container and a handle; used to stir or serve or "
                    "take up food"),
    ("bus", None, "a vehicle carrying many passengers; used for public transport"),  # COCO's class: its own sense
    ("crane", "n03126707", "lifts and moves heavy objects; lifting tackle is suspended from a pivoted boom that "
                           "rotates around a vertical axis"),  # the ImageNet class given: the machine
    ("crane", "n02012849", None),  # the bird: living things are not made for a use
    ("dog", None, None), ("daisy", None, None),
    ("crane", None, None),  # a name alone leaves its sense open
])
def test_what_a_made_thing_is_for_is_its_definition(name, sense, use):
    assert use_of(name, sense) == use
