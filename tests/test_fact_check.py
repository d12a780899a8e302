"""Answers checked against the facts: the small model's real slips are answered from the facts, answers
the facts agree with (or cannot settle) are shown as they are, and what no model here can see gets
"I can't tell"."""

import numpy as np
import pytest

from lyrics_model.dialogue.fact_check import check_answer
from lyrics_model.dialogue.grounded_prompt import SceneFacts
from lyrics_model.dialogue.question_kinds import classify_question
from lyrics_model.dialogue.scene_facts import ObjectFact, place_words, size_word
from lyrics_model.dialogue.unanswerable import Perception, cant_tell, singular
from lyrics_model.refiner.ssd_detector import COCO_90

SIZE = (100, 100)
#: The offline profile's names: COCO classes and a few ImageNet names (the tagger's are 1,000).
PERCEPTION = Perception(frozenset([n for n in COCO_90 if n] + ["passenger car", "lakeside", "saluki", "minivan",
                                                              "bullfrog", "alp"]), {"saluki": "dog"})


def thing(label, box, colours=("grey",)):
    box = np.array(box, np.float32)
    return ObjectFact(label, place_words(box, SIZE), size_word(box, SIZE), list(colours), box)


@pytest.fixture
def cyclist() -> SceneFacts:
    """"1 train, 1 person, 2 bicycles": a man on a bicycle before a train, a second bicycle aside."""
    return SceneFacts([thing("train", [0, 0, 100, 60], ["black", "grey"]), thing("person", [40, 20, 60, 80], ["blue"]),
                       thing("bicycle", [35, 50, 70, 95], ["red"]), thing("bicycle", [80, 60, 95, 95], ["black"])],
                      tags=["passenger car"])


@pytest.fixture
def two_regions() -> SceneFacts:
    """region1 is left of and below region2."""
    first, second = thing("dog", [0, 50, 40, 100], ["white"]), thing("car", [60, 0, 100, 40], ["white", "grey"])
    return SceneFacts([first, second], regions=[("region1", first), ("region2", second)])


def check(question, answer, facts):
    return check_answer(classify_question(question), answer, facts, PERCEPTION)


def test_a_relation_that_contradicts_the_stated_one_is_answered_from_the_facts(two_regions):
    assert "region1 is left of and below region2." in two_regions.render()
    fixed = check("Is region1 right of region2?", "No, region1 is right of region2.", two_regions)
    assert fixed.changed and fixed.text == "No, region1 is left of region2."
    assert check("Is region1 to the left or to the right of region2?", "Region1 is right of region2.",
                 two_regions).text == "Region1 is left of region2."
    assert check("Which is further left, region1 or region2?", "Region2 is further left.",
                 two_regions).text == "Region1 is further left."
    assert check("Is region1 above region2?", "Yes, region1 is above region2.",
                 two_regions).text == "No, region1 is below region2."
    for question, answer in [("Is region1 right of region2?", "No, region1 is left of region2."),
                             ("Is region1 above or below region2?", "Region1 is below region2."),
                             ("Which is further left, region1 or region2?", "Region1 is further left.")]:
        assert not check(question, answer, two_regions).changed, question


def test_what_the_man_rides_and_what_is_behind_him_come_from_the_boxes(cyclist):
    assert cyclist.render_image().startswith("The image shows 1 train, 1 person, 2 bicycles.")
    riding = check("What is the man riding?", "The man is riding a passenger car.", cyclist)
    assert riding.changed and riding.text == "The man is riding a bicycle."
    behind = check("What vehicle is behind the man?", "The man is behind the bicycle.", cyclist)
    assert behind.changed and behind.text == "A train is behind the man."
    assert not check("What is the man riding?", "The man is riding a bicycle.", cyclist).changed
    assert not check("What vehicle is behind the man?", "A train is behind the man.", cyclist).changed


def test_counts_follow_the_stated_count(cyclist):
    assert check("How many bicycles are there?", "There are 3 bicycles.", cyclist).text == "There are 2 bicycles."
    assert check("How many people are in the photo?", "There are two people.", cyclist).text == "There is 1 person."
    assert check("How many buses are there?", "There are 1 buses.",
                 SceneFacts([thing("bus", [0, 0, 90, 60])])).text == "There is 1 bus."
    assert check("How many buses are there?", "There are 2 buses.", cyclist).text == "There are no buses."
    assert not check("How many bicycles are there?", "There are 2 bicycles.", cyclist).changed
    assert not check("How many trains can you see?", "One train.", cyclist).changed


def test_colours_must_be_among_the_stated_colours_of_the_object_asked_about(cyclist, two_regions):
    train = check("What colour is the train?", "The train is red and white.", cyclist)
    assert train.changed and train.text == "The train is black and grey."
    assert check("What colour is the man?", "The man is wearing beige.", cyclist).text == "The man is wearing blue."
    assert check("What colour is region2?", "Blue.", two_regions).text == "White and grey."
    assert not check("What colour is the train?", "It is black.", cyclist).changed
    assert not check("What color is region2?", "Silver.", two_regions).changed  # silver is a grey a person names
    assert not check("What colour is the sky?", "Blue.", cyclist).changed  # not stated: nothing to check


def test_a_colour_answer_that_names_no_colour_is_answered_from_the_facts_or_cant_tell(cyclist):
    """The small model's real slips: "The roofs are sky and water.", "Grass is grass."."""
    assert check("What colour is the train?", "The train is a passenger car.", cyclist).text == \
        "The train is black and grey."
    roofs = check("What colour are the roofs?", "The roofs are sky and water.", cyclist)
    assert roofs.changed and roofs.text.startswith("I can't tell the colour of the roofs; I can see 1 train")
    assert check("What colour is the grass?", "Grass is grass.", cyclist).text.startswith(
        "I can't tell the colour of the grass;")
    assert not check("What colour is the grass?", "The photo is black and white.", cyclist).changed


def test_a_stated_thing_is_never_denied_and_an_unseen_one_is_never_affirmed(cyclist):
    assert check("Is there a train in the image?", "No, there is no train.", cyclist).text == \
        "Yes, there is a train at the top."
    assert check("Are there bicycles?", "No.", cyclist).text == "Yes, there are 2 bicycles."
    assert check("Is there a dog?", "Yes, there is a dog on the left.", cyclist).text == "No, there is no dog."
    assert not check("Is there a dog?", "No, there is no dog.", cyclist).changed  # COCO: the detector could see one
    assert not check("Is there a person?", "Yes, there is a person.", cyclist).changed


def test_no_is_said_only_of_what_the_detector_or_tagger_could_see(cyclist):
    water = check("Is there water in this picture?", "No, there is no water.", cyclist)
    assert water.changed and water.text.startswith("I can't tell whether there is water; I can see 1 train")
    mountains = check("Are there mountains?", "No.", cyclist)
    assert mountains.text.startswith("I can't tell whether there are mountains;")
    lake = SceneFacts([thing("bear", [10, 10, 60, 80], ["brown"])], tags=["lakeside"])
    assert not check("Is there a lakeside?", "Yes, there is a lakeside.", lake).changed
    assert check("Is there a lakeside?", "No, there is no lakeside.", lake).text == "Yes, I can see a lakeside."


def test_locations_and_regions_follow_the_facts(cyclist, two_regions):
    assert check("Where is the train?", "The train is at the bottom.", cyclist).text == "The train is at the top."
    assert not check("Where is the train in the image?", "At the top.", cyclist).changed
    assert check("Where is region1?", "Region1 is on the right.", two_regions).text == "Region1 is at the bottom left."
    assert check("What is region1?", "A car.", two_regions).text == "A dog."
    assert not check("What is region1?", "A dog.", two_regions).changed
    assert not check("What is region1?", "A puppy.", two_regions).changed  # a synonym of the class


def test_guesses_about_unseen_things_become_i_cant_tell(cyclist):
    dogs = SceneFacts([thing("dog", [0, 20, 45, 80], ["black"]), thing("dog", [50, 20, 95, 80], ["brown"])],
                      tags=["seashore"])
    carrying = check("What are the dogs carrying in their mouths?", "The dogs are carrying food.", dogs)
    assert carrying.text == "I can't tell what the dogs are carrying; I can see 2 dogs and a seashore."
    frog = SceneFacts([], tags=["bullfrog"])
    assert check("What is sitting on the frog's head?", "A bullfrog.", frog).text.startswith(
        "I can't tell what is on the frog; I can see a bullfrog")


@pytest.mark.parametrize("question, what", [
    ("What sport is being played?", "which sport this is"), ("What is the man doing?", "what is being done"),
    ("What does the sign say?", "what any text says"), ("Who is this?", "who anyone is"),
    ("Where was this taken?", "which place this is"), ("What brand is the car?", "which brand this is"),
    ("Is the man happy?", "how anyone feels"), ("What is the man on the left doing?", "what is being done"),
    ("What does the sign on the front boat say?", "what any text says"),
    ("What is the person's job?", "what anyone's job is"), ("What is the table made of?", "what anything is made of"),
    ("What time of day is it?", "the time of day"), ("Is it a cub or an adult?", "how old anything is"),
    ("How old is the bus?", "how old anything is"), ("Is the cheetah facing left or right?", "which way anything faces"),
    ("Is the fruit whole or cut in half?", "what state anything is in"),
    ("Is the door open or closed?", "what state anything is in"),
    ("What are these used for?", "what anything is used for"),
    ("Is the background sharp or blurry?", "how sharp the photo is"),
    ("What breed are the dogs?", "which breed or species this is"),
    ("What kind of bird is it?", "which breed or species this is")])
def test_questions_no_model_here_can_perceive_are_classified_cant_tell(question, what):
    from lyrics_model.dialogue.question_kinds import cant_tell_what

    kind = classify_question(question)
    assert kind.kind == "can't tell" and cant_tell_what(kind) == what


@pytest.mark.parametrize("question", ["Hello!", "Thank you!", "Who are you?", "What can you do?", "Describe the image.",
                                      "What is happening in this picture?", "What is in the picture?",
                                      "Is it day or night?", "What animal is this?", "What is the man wearing?",
                                      "What kind of animal is this?", "What fruit is this?", "Is the bus on the left?"])
def test_chat_and_open_questions_are_left_to_the_model(question):
    assert not classify_question(question).checked and classify_question(question).kind != "can't tell"


def test_the_cant_tell_sentence_says_what_can_be_seen():
    people = SceneFacts([thing("person", [10 * i, 40, 10 * i + 9, 90]) for i in range(7)], tags=["ballplayer"])
    assert cant_tell("which sport this is", people) == \
        "I can't tell which sport this is; I can see 7 people and a ballplayer."
    assert singular("buses") == "bus" and singular("people") == "person" and singular("glass") == "glass"


def test_clothes_are_not_the_person_who_wears_them():
    people = SceneFacts([thing("person", [30, 10, 70, 90], ["white"]), thing("crash helmet", [75, 75, 95, 95])])
    assert not check("Where is the helmet?", "The helmet is at the bottom right.", people).changed
    assert check("Where is the man?", "The man is on the left.", people).text == "The man is in the center."


@pytest.mark.parametrize("question, kind, subject", [
    ("Where is the man standing?", "location", "man"), ("Where's the bus?", "location", "bus"),
    ("What's the number of people in this photo?", "count", "people"), ("Count the cats.", "count", "cats"),
    ("Who is on the left, region1 or region2?", "relation", "region1"),
    ("Tell me what region1 shows.", "region", "region1"), ("Which color is the bus?", "colour", "bus"),
    ("Is there a bee on the flower?", "other", None), ("What is on the table?", "object relation", "table"),
    ("Is anyone wearing a tie?", "other", None), ("Is there anyone wearing a hat?", "other", None),
    ("Is there anyone in the image?", "existence", "anyone")])
def test_phrasings_of_checked_questions_are_recognised(question, kind, subject):
    asked = classify_question(question)
    assert (asked.kind, asked.subject) == (kind, subject)


def test_the_stated_setting_is_never_denied_and_an_unstated_one_is_not_denied_either():
    lake = SceneFacts([thing("bear", [10, 40, 60, 90], ["brown"])], setting=["outdoors", "sky", "water", "mountains"])
    assert "water" in lake.render_image()
    assert check("Is there water in this picture?", "No, there is no water.", lake).text == "Yes, I can see water."
    assert check("Are there mountains?", "No.", lake).text == "Yes, I can see mountains."
    unknown = SceneFacts([thing("bear", [10, 40, 60, 90], ["brown"])])
    snow = check("Is there snow on the ground?", "No, there is no snow.", unknown).text
    assert snow.startswith("I can't tell") and "no snow" not in snow


def test_a_count_of_none_for_a_seeable_thing_nobody_detected_is_shown_as_it_is(cyclist):
    for answer in ("There are no buses.", "I see a street."):
        checked = check("How many buses are there?", answer, cyclist)
        assert not checked.changed and checked.text == answer


@pytest.mark.parametrize("question", ["What is in the picture?", "What drink is shown?", "What can you see?",
                                      "What musical instrument is in the picture?", "What fruit is this?"])
def test_questions_that_ask_what_the_image_shows_are_identify_questions(question):
    assert classify_question(question).kind == "identify"


def test_identify_questions_know_the_category_they_ask_for_and_descriptions_are_their_own_kind():
    assert classify_question("What drink is shown?").other == "drink"
    assert classify_question("What musical instrument is in the picture?").other == "musical instrument"
    for anything in ("What is in the picture?", "What objects are shown?", "What can you see?", "What is this?"):
        assert classify_question(anything).other is None, anything
    for question in ("Describe the image.", "Give a short caption for this photo.", "What does this image show?",
                     "Describe this picture in one sentence."):
        assert classify_question(question).kind == "describe", question
    assert classify_question("What is the man doing?").kind == "can't tell"
    assert classify_question("Describe the man on the left.").kind == "other"  # about one thing, not the image


def test_an_answer_naming_only_things_the_models_are_unsure_of_says_so():
    """The offline detector's "couch" at 0.29 for a room with a drum, the tagger's "passenger car" at 0.3."""
    room = SceneFacts([thing("couch", [10, 40, 90, 90], ["brown"])], tags=["passenger car"],
                      unsure=frozenset({"couch", "passenger car"}))
    hedged = check("What big thing is in the picture?", "A couch.", room)
    assert hedged.changed and hedged.text == "I'm not sure what this is; it may be a couch."
    assert check("What musical instrument is in the picture?", "A couch.", room).text == \
        "I can't tell which musical instrument this is; I can see what may be 1 couch and a passenger car."
    assert check("What is in the picture?", "The image shows a couch and a passenger car.", room).text == \
        "I'm not sure what this is; it may be a couch or a passenger car."
    assert not check("What is in the picture?", "A drum.", room).changed  # names nothing stated: left as it is


def test_an_answer_naming_a_thing_the_models_are_sure_of_is_left_as_it_is(cyclist):
    sure = SceneFacts(cyclist.objects, cyclist.tags, unsure=frozenset({"passenger car"}))
    assert not check("What is in the picture?", "A train and a passenger car.", sure).changed
    assert check("What big thing is this?", "A passenger car.", sure).text.startswith("I'm not sure what this is")
    assert check("What vehicle is this?", "A passenger car.", sure).text == "A train."  # the sure vehicle
    assert not check("What is in the picture?", "A passenger car.", cyclist).changed  # nothing unsure


def test_asked_what_the_image_shows_a_guess_gives_way_to_what_the_models_are_sure_of():
    """The offline models on a jar of paintbrushes: a "cup" detected at 0.3, a "paintbrush" tagged at 0.7."""
    brushes = SceneFacts([thing("cup", [30, 40, 70, 95], ["white"])], tags=["paintbrush"], unsure=frozenset({"cup"}))
    seen = check("What objects are in the picture?", "A cup.", brushes)
    assert seen.changed and seen.text == "I can see a paintbrush."
    assert check("What tall thing is in the picture?", "A cup.", brushes).text == \
        "I'm not sure what this is; it may be a cup."  # something asked for: the paintbrush is no answer


def test_a_description_states_only_what_the_models_are_sure_of():
    """The offline models on a cheetah cub: a "keyboard" detected at 0.3 at its feet."""
    cub = SceneFacts([thing("cheetah", [10, 10, 90, 90], ["orange"]), thing("keyboard", [0, 80, 20, 100])],
                     tags=["lakeside"], unsure=frozenset({"keyboard"}))
    fixed = check("Describe the image.", "The image shows 1 cheetah and 1 keyboard.", cub)
    assert fixed.changed and fixed.text == "The image shows 1 cheetah."
    assert check("Give a short caption for the image.", "A keyboard on the grass.", cub).text == \
        "The image shows 1 cheetah and a lakeside."
    assert not check("Describe the image.", "The image shows a cheetah on a lakeside.", cub).changed
    assert not check("Describe the image.", "A big cat runs.", cub).changed  # names nothing stated
    tower = SceneFacts([], tags=["bell cote", "church"], unsure=frozenset({"bell cote", "church"}))
    assert check("Describe the image.", "The image shows a bell cote. It is tall.", tower).text == \
        "I'm not sure what the image shows; it may be a bell cote."


def test_a_region_whose_label_is_a_guess_says_so_and_a_sure_one_is_stated(two_regions):
    """The offline tagger's crop tags: "espresso" for a spoon, "saluki" for a lion."""
    guessed = SceneFacts(two_regions.objects, regions=two_regions.regions, unsure=frozenset({"dog"}))
    assert check("What is region1?", "A dog.", guessed).text == "I'm not sure what region1 is; it may be a dog."
    assert check("What is region1?", "A cat.", two_regions).text == "A dog."
    assert not check("What is region1?", "A dog.", two_regions).changed


def test_clothes_named_only_by_unsure_tags_are_hedged_naming_every_stated_thing_worn(cyclist):
    """zidane.jpg: a tie detected at 0.28 and "suit" tagged at 0.11; the model names only the tie."""
    worn = SceneFacts(cyclist.objects + [thing("tie", [45, 30, 50, 50], ["red"])], tags=["suit"],
                      unsure=frozenset({"tie", "suit"}))
    assert check("What is the man on the right wearing?", "The man is wearing a red and pink tie.", worn).text == \
        "I'm not sure what the man on the right is wearing; it may be a tie or a suit."
    assert check("What is the man wearing?", "A hat.", worn).text == \
        "I'm not sure what the man is wearing; it may be a tie or a suit."


def test_clothes_the_models_are_sure_of_are_stated_and_an_answer_naming_one_stands(cyclist):
    """grace_hopper.jpg: "military uniform" tagged at 0.71, "suit" at 0.12."""
    uniform = SceneFacts(cyclist.objects, tags=["military uniform", "suit"], unsure=frozenset({"suit"}))
    assert not check("What is the person wearing?", "A military uniform.", uniform).changed
    assert check("What is the person wearing?", "A suit.", uniform).text == "The person is wearing a military uniform."
    assert not check("What is the man wearing?", "A red shirt.", cyclist).changed  # nothing worn stated: not settled


def test_a_place_for_one_of_several_people_the_facts_cannot_tell_apart_is_cant_tell():
    two = SceneFacts([thing("person", [5, 10, 45, 95], ["black"]), thing("person", [55, 10, 95, 95], ["black"])])
    bald = check("Where is the bald man?", "The bald man is on the right.", two)
    assert bald.text.startswith("I can't tell which man is the bald man; I can see 2 people")
    assert check("Where is the man?", "The man is on the right.", two).text == \
        "There are 2 people: on the left and on the right."
    assert not check("Where is the bald man?", "I don't know.", two).changed


def test_what_something_rests_on_comes_from_the_boxes_or_is_cant_tell():
    bird = SceneFacts([thing("bird", [40, 30, 60, 50], ["grey"])])
    assert classify_question("What is the bird on?").place == "under"
    assert check("What is the bird on?", "The bird is on the left.", bird).text == \
        "I can't tell what the bird is on; I can see 1 bird."
    room = SceneFacts([thing("couch", [10, 40, 90, 90], ["brown"])], unsure=frozenset({"couch"}))
    assert check("What is the drum resting on?", "A couch.", room).text == \
        "I'm not sure what the drum is resting on; it may be a couch."


def test_a_location_answer_that_names_no_place_for_an_unplaced_thing_is_cant_tell(cyclist):
    assert not check("Where is the train?", "The train is in the station.", cyclist).changed  # not contradicted
    flower = check("Where is the flower in the image?", "The flower is in the daisy.", cyclist)
    assert flower.text.startswith("I can't tell where the flower is; I can see 1 train")


def test_what_can_be_seen_names_only_what_the_models_are_sure_of():
    cub = SceneFacts([thing("cheetah", [10, 10, 90, 90]), thing("keyboard", [0, 80, 20, 100])],
                     unsure=frozenset({"keyboard"}))
    assert cant_tell("how old anything is", cub) == "I can't tell how old anything is; I can see 1 cheetah."
    guess = SceneFacts([], tags=["daisy"], unsure=frozenset({"daisy"}))
    assert cant_tell("how sharp the photo is", guess) == "I can't tell how sharp the photo is; I can see what may be a daisy."


def test_an_answer_that_names_a_sure_thing_is_never_hedged_so_it_can_stream_at_once(cyclist):
    from lyrics_model.dialogue.fact_check import names_a_sure_thing

    sure = SceneFacts(cyclist.objects, cyclist.tags, unsure=frozenset({"passenger car"}))
    asked = classify_question("What is in the picture?")
    assert names_a_sure_thing(asked, "A train", sure, PERCEPTION)
    assert not names_a_sure_thing(asked, "A passenger car", sure, PERCEPTION)
    assert not names_a_sure_thing(classify_question("What is the man wearing?"), "The man is", sure, PERCEPTION)


def test_a_count_of_five_or_more_is_a_lower_bound():
    """The offline detector finds 8 of a dozen rowing boats on a beach and 5 of some twenty cups."""
    boats = SceneFacts([thing("boat", [10 * i, 60, 10 * i + 9, 80]) for i in range(8)])
    counted = check("How many boats are there?", "There are 8 boats.", boats)
    assert counted.changed and counted.text == "There are several boats; I can see at least 8."
    cups = SceneFacts([thing("cup", [10 * i, 60, 10 * i + 9, 80]) for i in range(12)])
    assert check("How many cups are there?", "There are 3 cups.", cups).text == \
        "There are many cups; I can see at least 12."
    four = SceneFacts([thing("person", [20 * i, 20, 20 * i + 15, 90]) for i in range(4)])
    assert not check("How many people are there?", "There are 4 people.", four).changed


def test_an_answer_naming_nothing_of_the_category_asked_for_is_answered_from_the_facts():
    """The offline models on figs in a bowl: a "stop sign" at 0.82; on an espresso: the tag at 0.84."""
    figs = SceneFacts([thing("stop sign", [10, 10, 90, 90], ["red"])])
    assert check("What fruit is this?", "A stop sign.", figs).text == \
        "I can't tell which fruit this is; I can see 1 stop sign."
    coffee = SceneFacts([thing("cup", [20, 10, 60, 40], ["orange"]), thing("spoon", [60, 20, 75, 60])],
                        tags=["espresso"], unsure=frozenset({"spoon"}))
    assert check("What drink is shown?", "A spoon.", coffee).text == "An espresso."
    assert not check("What drink is shown?", "An espresso.", coffee).changed
    wine = SceneFacts([thing("bottle", [40, 10, 50, 40]), thing("red wine", [20, 20, 30, 40])],
                      unsure=frozenset({"bottle", "red wine"}))
    assert check("What drink is this?", "A bottle.", wine).text == \
        "I'm not sure which drink this is; it may be a red wine."
    assert check("What kind of animal is this?", "A bottle.", wine).text.startswith("I can't tell which animal this is")
    assert check("What musical instrument is in the picture?", "A drum.", wine).text.startswith(
        "I can't tell which musical instrument this is")  # a drum nobody saw is a guess
    assert check("What tall thing is this?", "A bottle.", wine).text == \
        "I'm not sure what this is; it may be a bottle."  # not a category it knows: only the guess is hedged


def test_only_what_the_detector_looks_for_everywhere_is_said_to_be_absent():
    """The offline tagger names the few things a photo is mostly of: a loudspeaker beside a wine
    bottle is never among them, so its absence from the tags says nothing."""
    closed = Perception(PERCEPTION.names | {"loudspeaker", "wine bottle"}, PERCEPTION.animal_kinds,
                        frozenset(n for n in COCO_90 if n))
    room = SceneFacts([thing("bottle", [40, 10, 50, 40]), thing("couch", [10, 50, 90, 95], ["brown"])])
    speaker = check_answer(classify_question("Is there a loudspeaker in the picture?"), "No, there is no loudspeaker.",
                           room, closed)
    assert speaker.text.startswith("I can't tell whether there is a loudspeaker; I can see 1 bottle and 1 couch")
    bottles = check_answer(classify_question("How many wine bottles are there?"), "There are no wine bottles.",
                           room, closed)
    assert bottles.text.startswith("I can't tell how many wine bottles there are")
    dog = check_answer(classify_question("Is there a dog in the image?"), "No, there is no dog.", room, closed)
    assert not dog.changed  # the detector looks for dogs in every image
    assert closed.can_deny("puppies") and closed.can_deny("animals") and not closed.can_deny("loudspeaker")


def test_the_offline_profile_denies_only_the_detector_classes(offline_lyrics):
    perception = offline_lyrics.perception
    assert perception.detectable is not None and "dog" in perception.detectable
    assert perception.can_see("loudspeaker") and not perception.can_deny("loudspeaker")


def test_a_tag_that_is_a_kind_of_the_thing_asked_about_answers_for_it(offline_lyrics):
    """rocket.jpg is tagged "missile", "a rocket carrying a warhead ..." in WordNet: asked "Is there a
    rocket?", the answer is yes, never "I can't tell"."""
    from lyrics_model.refiner.imagenet_genus import definition_genus, imagenet_genera

    assert definition_genus("a rocket carrying a warhead of conventional or nuclear explosives; may be ballistic") == \
        "rocket"
    assert definition_genus("a three-legged rack used for support") == "rack"
    assert definition_genus("strong black coffee brewed by forcing hot water under pressure") == "coffee"
    genera = imagenet_genera()
    assert genera["missile"] == "rocket" and genera["minivan"] == "van" and genera["espresso"] == "coffee"
    perception = offline_lyrics.perception
    assert perception.covers("missile", "rockets") and perception.covers("espresso", "coffee")
    assert "tabby" not in perception.genera  # animals have their own kinds ("cat"), checked as such
    pad = SceneFacts([], tags=["missile"])
    rocket = check_answer(classify_question("Is there a rocket in the image?"), "No, there is no rocket.", pad,
                          perception)
    assert rocket.text == "Yes, I can see a rocket."
    assert not check_answer(classify_question("Is there a rocket in the image?"), "Yes, there is a rocket.", pad,
                            perception).changed
    counted = check_answer(classify_question("How many rockets are there?"), "There are no rockets.", pad, perception)
    assert counted.text == "I can't tell how many rockets there are; I can see a missile."
    assert not check_answer(classify_question("How many rockets are there?"), "There is 1 rocket.", pad,
                            perception).changed
