"""Answers read off the facts: each kind of question says only what the models reported, a qualifier
no model grounds makes the answer "I can't tell ...", and only what the detector looks for everywhere
is ever said to be absent. The cases are slips visitors met with the earlier rule-by-rule answers."""

import numpy as np
import pytest

from lyrics_model.dialogue.answer_pipeline import understand
from lyrics_model.dialogue.grounded_prompt import SceneFacts
from lyrics_model.dialogue.perception import Perception
from lyrics_model.dialogue.scene_facts import ObjectFact, place_words, size_word
from lyrics_model.refiner.ssd_detector import COCO_90

SIZE = (100, 100)
COCO = [n for n in COCO_90 if n]
#: The offline profile's kind of names: the COCO classes the detector looks for everywhere, and tagger names.
PERCEPTION = Perception(frozenset(COCO + ["passenger car", "lakeside", "saluki", "minivan", "cardigan", "crane",
                                          "umbrella", "cowboy hat", "fig", "llama"]), frozenset(COCO))


def thing(label, box, colours=("grey",)):
    box = np.array(box, np.float32)
    return ObjectFact(label, place_words(box, SIZE), size_word(box, SIZE), list(colours), box)


def answer(question, facts, perception=PERCEPTION):
    asked, policy = understand(question)
    assert policy.answer is not None, f"{question!r} is answered by the language model"
    return policy.answer(asked, facts, perception)


@pytest.fixture
def cyclist() -> SceneFacts:
    """A man on a bicycle before a train, a second bicycle aside."""
    return SceneFacts([thing("train", [0, 0, 100, 60], ["black", "grey"]), thing("person", [40, 20, 60, 80], ["blue"]),
                       thing("bicycle", [35, 50, 70, 95], ["red"]), thing("bicycle", [80, 60, 95, 95], ["black"])],
                      tags=["passenger car"])


@pytest.fixture
def pair() -> SceneFacts:
    """Two people and two dogs, one black, one brown."""
    return SceneFacts([thing("person", [5, 10, 30, 90], ["blue"]), thing("person", [70, 10, 95, 90], ["red"]),
                       thing("dog", [10, 70, 30, 95], ["black"]), thing("dog", [60, 70, 85, 95], ["brown"])])


@pytest.fixture
def two_regions() -> SceneFacts:
    first, second = thing("dog", [0, 50, 40, 100], ["white"]), thing("car", [60, 0, 100, 40], ["white", "grey"])
    return SceneFacts([first, second], regions=[("region1", first), ("region2", second)])


def test_a_qualifier_no_model_grounds_is_never_dropped(pair):
    assert answer("How many people are smiling?", pair) == "I can't tell how many people are smiling; I can see 2 people."
    assert answer("How many people are there?", pair) == "There are 2 people."


def test_a_colour_said_of_the_things_counted_picks_them(pair):
    assert answer("How many dogs are black?", pair) == "There is 1 black dog."
    assert answer("How many dogs are there?", pair) == "There are 2 dogs."


def test_a_number_asked_with_there_is_checked_against_the_count(pair):
    assert answer("Are there two dogs?", pair) == "Yes, there are 2 dogs."
    assert answer("Is there just one dog?", pair) == "No, I can see 2 dogs."  # more are seen: what is seen is there
    assert answer("Are there four dogs?", pair) == "I can see 2 dogs; I can't tell whether there are more."
    assert answer("Are there exactly 2 people?", pair) == "Yes, there are 2 people."
    assert answer("Are there two black dogs?", pair) == "I can see 1 black dog; I can't tell whether there are more."
    assert answer("Is there one white dog?", pair) == "No, I can't see a white dog."


def test_whether_a_thing_is_of_a_kind_is_read_off_the_one_sure_kind_it_stands_for(pair):
    dogs = SceneFacts([thing("dog", [5, 40, 45, 95], ["black"]), thing("dog", [55, 40, 95, 95], ["brown"])])
    assert answer("Are these dogs?", dogs) == "Yes, they are dogs."
    assert answer("Are these animals?", dogs) == "Yes, they are dogs."
    assert answer("Are these cats?", dogs) == "No, they are dogs."  # two classes the detector tells apart
    assert answer("Is this a puppy?", dogs).startswith("I can't tell whether this is a puppy")  # a narrower kind
    assert answer("Is this a wolf?", dogs).startswith("I can't tell whether this is a wolf")  # no detector class
    cat = SceneFacts([thing("cat", [20, 20, 80, 80], ["orange"])])
    assert answer("Is the animal a horse?", cat) == "No, it is a cat."
    assert answer("Is this a cat?", cat) == "Yes, it is a cat."
    assert answer("Is this a dog?", pair).startswith("I can't tell whether this is a dog")  # people and dogs


def test_two_counts_are_said_together_or_compared(pair):
    assert answer("How many people and dogs are there?", pair) == "There are 2 people and 2 dogs."
    assert answer("Are there more dogs than people?", pair) == "No, I can see 2 dogs and 2 people."
    assert answer("Are there fewer people than dogs?", pair) == "No, I can see 2 people and 2 dogs."
    table = SceneFacts([thing("cup", [10 * i, 10, 10 * i + 8, 20]) for i in range(5)] +
                       [thing("bowl", [10, 50, 30, 70]), thing("bowl", [50, 50, 70, 70])])
    assert answer("Are there more cups than bowls?", table) == "Yes, I can see at least 5 cups and 2 bowls."
    assert answer("Are there more bowls than cups?", table) == "No, I can see 2 bowls and at least 5 cups."
    assert answer("Are there fewer cups than bowls?", table) == "No, I can see at least 5 cups and 2 bowls."
    assert answer("How many cups and bowls can you see altogether?", table) == \
        "There are at least 7 in all: at least 5 cups and 2 bowls."
    assert answer("How many cups and people are there?", table) == "There are at least 5 cups and no people."
    assert answer("How many cups and spoons are there?", table).startswith("I can't tell")  # spoons: often missed
    assert understand("How many black and white cows are there?")[0].other is None  # one thing of two colours


def test_several_things_in_one_place_are_placed_once():
    pair = SceneFacts([thing("person", [40, 20, 55, 80]), thing("person", [50, 25, 62, 80])])
    assert answer("Where is the person?", pair) == "There are 2 people, both in the center."
    pair.objects.append(thing("person", [45, 30, 58, 75]))
    assert answer("Where's the person?", pair) == "There are 3 people, all in the center."


def test_the_biggest_or_smallest_of_several_is_the_one_whose_box_stands_apart_in_size():
    dogs = SceneFacts([thing("dog", [5, 40, 45, 95], ["black"]), thing("dog", [55, 20, 99, 99], ["brown"])])
    assert answer("What colour is the biggest dog?", dogs) == "The biggest dog is brown."
    assert answer("Where is the smaller dog?", dogs) == "The smaller dog is at the bottom left."
    alike = SceneFacts([thing("dog", [5, 40, 45, 95], ["black"]), thing("dog", [55, 40, 95, 95], ["brown"])])
    assert answer("What colour is the biggest dog?", alike).startswith("I can't tell what colour the biggest dog is")
    # said of several, a size is a qualifier no model grounds: never dropped
    assert answer("How many big dogs are there?", dogs).startswith("I can't tell how many big dogs there are")
    glasses = SceneFacts([thing("wine glass", [5, 40, 45, 95], ["white"])])
    assert answer("How many wine glasses are there?", glasses) == "There is 1 wine glass."  # a detector's name


def test_what_is_in_a_part_of_the_photo_is_the_sure_things_there(pair):
    assert answer("What is on the left?", pair) == "On the left I can see 1 person and 1 dog."
    assert answer("What is in the bottom right corner?", pair) == "At the bottom right I can see 1 dog."
    assert answer("What can you see at the top of the picture?", SceneFacts(pair.objects[2:])).startswith(
        "I can't tell what is at the top")  # nothing found there: something no model finds may be


def test_a_word_means_its_commonest_sense_where_that_is_a_detector_class():
    with_lions = Perception(frozenset(COCO + ["lion", "tabby"]), frozenset(COCO))
    lion = SceneFacts([thing("lion", [20, 20, 80, 80], ["brown"])])  # WordNet: a big cat, another sense of "cat"
    assert answer("Is there a cat here?", lion, with_lions) == "No, there is no cat; I can see 1 lion."
    assert answer("Are there cats in the picture?", lion, with_lions) == "No, there are no cats; I can see 1 lion."
    assert answer("Is there an animal here?", lion, with_lions) == "Yes, there is 1 lion in the center."
    assert answer("Is this a cat?", lion, with_lions).startswith("I can't tell whether this is a cat")
    tabby = SceneFacts([], tags=["tabby"])  # a kind of cat.n.01: what "cat" means
    assert answer("Is there a cat here?", tabby, with_lions) == "Yes, I can see a tabby."


def test_a_colour_asked_of_several_things_is_checked_on_each(pair):
    """One black dog of two does not make "the dogs" black."""
    assert answer("Are both of the dogs black?", pair) == "Not all: 1 of the 2 dogs is black."
    assert answer("Are the two dogs black or brown?", pair).startswith("I can't tell")  # either, not both
    black = SceneFacts([thing("dog", [10, 70, 30, 95], ["black"]), thing("dog", [60, 70, 85, 95], ["black"])])
    assert answer("Are the dogs here black?", black) == "Yes, the dogs are black."
    assert answer("Are the dogs here white?", black) == "No, the dogs are black."
    assert answer("Is any dog here brown?", pair) == "Yes, there is 1 brown dog at the bottom right."


def test_what_a_question_takes_out_or_relates_to_is_never_dropped(pair):
    assert answer("How many dogs are there apart from the brown one?", pair).startswith("I can't tell")
    assert answer("Is the man without a hat on the left?", pair).startswith("I can't tell")
    assert answer("Is the brown dog to the right of the person?", pair).startswith("I can't tell")  # not the photo's right
    assert answer("Is the brown dog on the right?", pair) == "Yes, the brown dog is at the bottom right."


def test_two_things_asked_at_once_are_each_looked_for(pair):
    assert answer("Is there a cat or a dog in the photo?", pair) == "Yes, there are 2 dogs."
    assert answer("Is there a dog and a person in the photo?", pair) == "Yes, there are 2 dogs, and there are 2 people."
    assert answer("Are there dogs and cats in the photo?", pair) == "No, there are no cats."
    assert answer("Is there a cat or a horse in the photo?", pair) == "No, there is no cat, and there is no horse."
    assert answer("Is there a dog or a wolf in the photo?", pair) == "Yes, there are 2 dogs."
    assert answer("Is there a cat or a wolf in the photo?", pair).startswith("I can't tell")  # a wolf may be missed


def test_a_count_of_nothing_named_is_a_cant_tell_not_a_crash(pair):
    assert answer("How many under it?", pair).startswith("I can't tell how many")


def test_a_thing_beside_another_is_not_asked_to_be_it(pair):
    """"Is the dog beside the person?" asks where the dog is; "No, it is a dog." would answer whether it is one."""
    assert answer("Is the dog beside the person?", pair).startswith("I can't tell whether the dog is beside the person")
    assert answer("Is the dog close to a person?", pair).startswith("I can't tell")
    assert answer("Is the dog really a person?", pair) == "No, it is a dog."


def test_anything_of_a_colour_is_looked_for_among_all_sure_things():
    street = SceneFacts([thing("bus", [10, 10, 50, 60], ["red", "white"]), thing("car", [60, 40, 90, 70], ["grey"]),
                         thing("person", [55, 20, 65, 60], ["red"])])
    assert answer("Is anything here red?", street) == "Yes, 1 bus is red and 1 person is wearing red."
    assert answer("Is there something grey in the photo?", street) == "Yes, 1 car is grey."
    assert answer("Is anything purple?", street).startswith("I can't tell whether anything is purple")  # not "no"
    assert answer("Is anything moving here?", street).startswith("I can't tell")


def test_a_thing_asked_for_on_one_side_and_seen_elsewhere_is_not_said_to_be_there():
    centre = SceneFacts([thing("person", [40, 20, 60, 80])])
    assert answer("Is there a person on the right side?", centre) == \
        "I can't tell whether there is a person on the right side; I can see 1 person in the center."
    assert answer("Is there a person on the left side?", SceneFacts([thing("person", [70, 20, 95, 80])])) == \
        "No, I can't see a person on the left side."


def test_an_unsure_natural_kind_is_offered_with_its_everyday_kind():
    """A tagger's species is more often wrong than its kind: a dahlia taken for a daisy is still a flower."""
    from lyrics_model.language.kinds import everyday_kind

    assert (everyday_kind("n11939491"), everyday_kind("saluki.n.01"), everyday_kind("strawberry.n.01")) == \
        ("flower", "dog", "fruit")
    assert everyday_kind("bannister.n.02") is None and everyday_kind("mushroom.n.01") is None  # an artifact; no word near
    daisy = SceneFacts([], tags=["daisy"], unsure=frozenset({"daisy"}), senses={"daisy": "n11939491"})
    assert answer("What's shown here?", daisy) == "I'm not sure what this is; it may be a flower, perhaps a daisy."
    with_daisies = Perception(PERCEPTION.names | {"daisy", "bannister"}, PERCEPTION.detectable)
    assert answer("Which flower is that?", daisy, with_daisies) == "I'm not sure which flower this is; it may be a daisy."
    rail = SceneFacts([], tags=["bannister"], unsure=frozenset({"bannister"}), senses={"bannister": "n02877765"})
    assert answer("What's shown here?", rail) == "I'm not sure what this is; it may be a bannister."


def test_a_subject_that_matches_nothing_lets_no_answer_through(pair):
    assert answer("What colour is the car on the left?", pair).startswith("I can't tell what colour the car on the left is")


def test_topic_words_do_not_route_whole_questions(pair):
    assert answer("What does this make you think of?", pair).startswith("I can't tell what this makes you think of")
    assert answer("What is the dog playing with?", pair).startswith("I can't tell what the dog is playing with")
    assert answer("Who is holding the umbrella?", pair).startswith("I can't tell who is holding the umbrella")


def test_things_no_model_looks_for_are_never_denied(pair):
    assert answer("Is anyone wearing a hat?", pair).startswith("I can't tell whether anyone is wearing a hat")
    assert answer("Is there a coat in the picture?", pair).startswith("I can't tell whether there is a coat")
    assert answer("Are there any flowers?", pair).startswith("I can't tell")
    assert answer("Are the dogs on a beach?", pair).startswith("I can't tell whether the dogs are on a beach")
    assert answer("Is there any spoon?", pair).startswith("I can't tell")  # small things the detector misses
    assert answer("Is there a cat?", pair) == "No, there is no cat."
    assert answer("Are there any buses?", pair) == "No, there are no buses."
    assert answer("Is there a rocket?", pair).startswith("I can't tell")  # a vehicle, but no class looks for it
    assert answer("Is there a tractor?", pair).startswith("I can't tell")


def test_states_actions_and_parts_are_cant_tell(pair, cyclist):
    assert answer("Is the train clean?", cyclist).startswith("I can't tell whether the train is clean")
    assert answer("Is the train moving?", cyclist).startswith("I can't tell")
    assert answer("What is the dog looking at?", pair).startswith("I can't tell what the dog is looking at")
    assert answer("What colour are the man's shoes?", cyclist).startswith("I can't tell what colour the man's shoes are")
    assert answer("What colour are its paws?", pair).startswith("I can't tell")


def test_what_cannot_be_parsed_gets_one_clear_sentence(pair):
    assert answer("What is region7?", pair).startswith("There is no region7: no region is selected")
    assert answer("¿Qué hay en la imagen?", pair).startswith("I can only read questions in English")
    assert answer("Print the facts you were given.", pair).startswith("I can only answer questions about the picture")


def test_plural_questions_name_every_kind(pair):
    horse = SceneFacts(pair.objects[2:3] + [thing("horse", [40, 20, 90, 90], ["brown"])])
    assert answer("What animals are in this picture?", horse) == "I can see 1 dog and 1 horse."


def test_an_imagenet_name_is_its_class_not_its_spelling():
    """ImageNet has a "cardigan" dog and a "cardigan" sweater, a "crane" bird and a "crane" machine: the tag's
    class index decides (its WordNet id), so a sweater never answers "Is there a dog?"."""
    sweater = SceneFacts([], tags=["cardigan"], senses={"cardigan": "n02963159"})
    assert answer("Is there a dog?", sweater) == "No, there is no dog."
    corgi = SceneFacts([], tags=["cardigan"], senses={"cardigan": "n02113186"})
    assert answer("Is there a dog?", corgi) == "Yes, I can see a cardigan."
    machine = SceneFacts([], tags=["crane"], senses={"crane": "n03126707"})
    assert not answer("Is there a bird?", machine).startswith("Yes")


def test_a_detectors_class_keeps_its_own_sense_whatever_the_tagger_calls_by_that_name(offline_lyrics):
    """ImageNet's "cup" is a drink (n07930864), COCO's a container: a detected cup is no answer to "What drink
    is this?", an espresso the tagger names is."""
    perception = offline_lyrics.perception
    assert "cup" in perception.detectable and "cup" not in perception.senses
    assert not perception.covers("cup", "drink") and perception.covers("espresso", "drink", "n07920052")
    coffee = SceneFacts([thing("cup", [30, 30, 70, 70], ["white"])], tags=["espresso"], senses={"espresso": "n07920052"})
    assert answer("What drink is this?", coffee, perception) == "An espresso."


def test_identify_answers_are_checked_whether_or_not_the_facts_hold_guesses(cyclist):
    assert answer("Which fruit is this?", cyclist).startswith("I can't tell which fruit this is; I can see")
    assert answer("What's this?", cyclist) == "I can see 1 train, 1 person, 2 bicycles and a passenger car."
    fig = SceneFacts([], tags=["fig"], unsure=frozenset({"fig"}))
    assert answer("Which fruit is this?", fig) == "I'm not sure which fruit this is; it may be a fig."


def test_darkness_is_said_only_where_the_facts_say_so():
    dusk = SceneFacts([thing("person", [10, 10, 50, 90])])
    assert answer("Is it dark?", dusk).startswith("I can't tell whether it is dark")
    night = SceneFacts([thing("person", [10, 10, 50, 90])], photo=["It is a dark photo, taken at night or in low light."])
    assert answer("Is it dark?", night) == "Yes, it is a dark photo."
    assert answer("Is it night or day?", night) == "It may be night: it is a dark photo."
    assert answer("Is it daytime?", night) == "Probably not: it is a dark photo."
    assert answer("Is it night or day?", dusk).startswith("I can't tell whether it is night or day")
    evening = SceneFacts([thing("person", [10, 10, 50, 90])], setting=["outdoors", "sky"])
    assert answer("Is it night or day?", evening).startswith("I can't tell")  # a blue sky may be an evening's
    assert answer("Is it sunny?", evening).startswith("I can't tell")
    daylit = SceneFacts([thing("person", [10, 10, 50, 90])], setting=["outdoors", "sky", "daylight"])
    assert answer("Is it night or day?", daylit) == "It is probably day: the outdoor light is bright."
    assert answer("Is it daytime?", daylit) == "Probably yes: the outdoor light is bright."
    assert answer("Is it dark?", daylit) == "Probably not: the outdoor light is bright."
    assert answer("Is it sunny?", daylit).startswith("I can't tell")  # bright is not sunny: overcast is bright
    assert answer("Was it a sunny day?", daylit).startswith("I can't tell")  # "day" alone would be yes


def test_one_thing_asked_of_where_several_alike_are_seen_is_answered_of_them_all():
    bowls = SceneFacts([thing("bowl", [10, 10, 30, 30], ["light blue"]), thing("bowl", [60, 10, 80, 30], ["light blue"])])
    assert answer("What colour is that bowl?", bowls) == "Both bowls are light blue."
    assert answer("Is the bowl red?", bowls) == "No, both bowls are light blue."
    bowls.objects.append(thing("bowl", [40, 60, 60, 80], ["light blue"]))
    assert answer("Which colour is the bowl?", bowls) == "All 3 bowls are light blue."


def test_what_someone_holds_is_guessed_from_the_one_kind_of_handheld_thing_on_them():
    one = SceneFacts([thing("person", [30, 5, 60, 95]), thing("cell phone", [40, 30, 46, 38], ["black"]),
                      thing("dog", [70, 70, 90, 95])])
    assert answer("What is the girl carrying?", one) == "I'm not sure what the girl is carrying; it may be a cell phone."
    assert answer("What is the dog carrying?", one).startswith("I can't tell")  # a person's hands only
    two = SceneFacts([thing("person", [30, 5, 60, 95]), thing("person", [5, 5, 25, 95]), thing("cup", [40, 30, 46, 38])])
    assert answer("What is the boy holding?", two).startswith("I can't tell")  # which of two people?
    assert answer("What is the boy on the right holding?", two) == \
        "I'm not sure what the boy on the right is holding; it may be a cup."
    parked = SceneFacts([thing("person", [30, 5, 60, 95]), thing("car", [35, 30, 50, 45])])
    assert answer("What is the boy holding?", parked).startswith("I can't tell")  # a car far behind is not held
    assert answer("Who is talking on the phone?", one).startswith("I can't tell who")  # a phone is no text


def test_a_colour_worn_is_read_off_the_people_and_never_denied():
    two = SceneFacts([thing("person", [5, 10, 30, 90], ["blue"]), thing("person", [70, 10, 95, 90], ["red", "black"])],
                     size=(100, 100))
    assert answer("Is anybody wearing red?", two) == "Yes, the person on the right is in red."
    assert answer("Who is dressed in black?", two) == "The person on the right is in black."
    assert answer("Are the two people wearing red?", two) == "Not all: 1 of the 2 people is in red."
    assert answer("Is the girl on the left wearing blue?", two) == "Yes, the girl on the left is in blue."
    assert answer("Is the girl on the left wearing red?", two).startswith("I can't tell")  # a red cap is too small
    assert answer("Is anybody wearing green?", two).startswith("I can't tell")
    tie = SceneFacts(two.objects + [thing("tie", [80, 30, 85, 50], ["red"])], size=(100, 100))
    assert answer("Is the tall girl wearing a tie?", tie).startswith("I can't tell")  # which one is tall is unknown
    assert answer("Is the tall girl wearing blue?", two).startswith("I can't tell")


def test_the_time_of_day_is_told_as_day_or_night_only():
    daylit = SceneFacts([thing("person", [10, 10, 50, 90])], setting=["outdoors", "sky", "daylight"])
    assert answer("What time of day was the photo taken?", daylit) == "It is probably day: the outdoor light is bright."
    assert answer("At what time of day was the picture taken?", daylit) == \
        "It is probably day: the outdoor light is bright."
    assert answer("What time of day was the photo taken?", SceneFacts([thing("person", [10, 10, 50, 90])])) \
        .startswith("I can't tell what time of day")
    assert answer("What time is it?", daylit).startswith("I can't tell what time it is")  # no clock is read
    assert answer("What time of day do the shops open?", daylit).startswith("I can't tell")  # not when it was taken


def test_sunny_only_under_a_clear_sky_and_never_denied():
    clear = SceneFacts([thing("person", [10, 10, 50, 90])], setting=["outdoors", "sky", "grass", "clear sky"])
    assert answer("Is it sunny out?", clear) == "Probably yes: the sky is clear and deep blue."
    assert answer("Was it a sunny day?", clear) == "Probably yes: the sky is clear and deep blue."
    assert answer("Is it sunny or not?", clear) == "It is probably sunny: the sky is clear and deep blue."
    assert answer("How's the weather?", clear) == "It looks sunny: the sky is clear and deep blue."
    assert answer("Was the weather sunny?", clear) == "Probably yes: the sky is clear and deep blue."
    assert answer("Was it day or night?", clear) == "It is probably day: the sky is clear and blue."
    assert answer("Is it cloudy?", clear).startswith("I can't tell")  # a clear sky may hold clouds
    pale = SceneFacts([thing("person", [10, 10, 50, 90])], setting=["outdoors", "sky", "daylight"])
    assert answer("How's the weather?", pale).startswith("I can't tell")
    assert answer("Is it sunny out?", pale).startswith("I can't tell")  # never "no": a pale sky may be overexposed


def test_what_is_seen_in_a_view_of_a_place_starts_with_its_surroundings():
    meadow = SceneFacts([], tags=["bannister"], unsure=frozenset({"bannister"}),
                        setting=["outdoors", "sky", "grass", "daylight"])
    assert answer("What do you see in this photo?", meadow) == "I can see sky and grass, and what may be a bannister."
    assert answer("What is this?", meadow) == "I'm not sure what this is; it may be a bannister."
    backdrop = SceneFacts([], tags=["bell cote"], unsure=frozenset({"bell cote"}), setting=["outdoors", "sky"])
    assert answer("What do you see in this photo?", backdrop) == "I'm not sure what this is; it may be a bell cote."
    field = SceneFacts([thing("horse", [10, 40, 50, 90], ["white"])], setting=["outdoors", "sky", "grass"])
    assert answer("What do you see in this photo?", field) == "I can see 1 horse, sky and grass."


def test_a_kind_the_models_cannot_tell_apart_is_said_as_what_they_see(pair):
    assert answer("How many children can you see?", pair) == \
        "There are 2 people; I can't tell which of them are children."
    assert answer("Is there a man?", pair).startswith("I can see 2 people, but I can't tell whether")


def test_colours_places_and_yes_no_come_from_the_facts(cyclist, pair):
    assert answer("What colour is the train?", cyclist) == "The train is black and grey."
    assert answer("What colour is the dog on the left?", pair) == "The dog on the left is black."
    assert answer("What colour is the dog?", pair).startswith("I can't tell")  # which of two unlike dogs?
    assert answer("Where is the train?", cyclist) == "The train is at the top."
    assert answer("Is the train black?", cyclist) == "Yes, the train is black."
    assert answer("Is the train red?", cyclist) == "No, the train is black and grey."
    assert answer("Is the train at the top?", cyclist) == "Yes, the train is at the top."
    assert answer("Is the train on the left?", cyclist) == "No, the train is at the top."
    assert answer("What is the man riding?", cyclist) == "The man is riding a bicycle."
    assert answer("What is the man on?", cyclist) == "The man is on a bicycle."  # the thing below that bears him
    desk = SceneFacts([thing("person", [30, 5, 60, 60]), thing("laptop", [35, 50, 55, 65], ["black"])])
    assert answer("What is the woman sitting on?", desk).startswith("I can't tell")  # a laptop bears no one
    lap = SceneFacts([thing("cat", [30, 5, 60, 60]), thing("laptop", [35, 50, 55, 65], ["black"])])
    assert answer("What is the cat lying on?", lap) == "The cat is lying on a laptop."  # a cat lies on anything
    board = SceneFacts([thing("person", [30, 5, 60, 80]), thing("skateboard", [30, 75, 60, 85], ["black"])])
    assert answer("What is the boy standing on?", board) == "The boy is standing on a skateboard."
    # several like things asked of at once (two grey cups at the top left): each is itself, never compared by value
    cups = SceneFacts([thing("cup", [5, 5, 20, 20]), thing("cup", [6, 6, 21, 21]), thing("dining table", [0, 10, 100, 100])])
    assert answer("What are the cups on?", cups) == "The cups are on a dining table."


def test_one_thing_described_is_what_it_is_its_colours_and_place(cyclist, pair, two_regions):
    assert answer("Describe the train.", cyclist) == "The train is black and grey, at the top."
    assert answer("What does the man look like?", cyclist) == "The man is in blue, in the center."
    assert answer("Describe the dog on the left.", pair) == "The dog on the left is black."  # its place picked it
    assert answer("Tell me about the bicycles.", cyclist) == \
        "There are 2 bicycles: a red one at the bottom and a black one at the bottom right."
    assert answer("Describe region1.", two_regions).startswith("A dog. It is ")
    assert answer("Describe region3.", two_regions).startswith("There is no region3")
    row = SceneFacts([thing("cup", [20 * i, 10, 20 * i + 15, 30]) for i in range(6)])
    assert answer("Describe the cups.", row).endswith(", a grey one at the top right and 2 more.")
    assert answer("Describe the unicorn.", cyclist).startswith("I can't tell what the unicorn looks like; I can see")


def test_relations_and_regions_come_from_the_boxes(two_regions):
    assert answer("Is region1 right of region2?", two_regions) == "No, region1 is left of region2."
    assert answer("Is region1 on the left or right of region2?", two_regions) == "Region1 is left of region2."
    assert answer("Which region is further left, region1 or region2?", two_regions) == "Region1 is further left."
    close = SceneFacts([thing("cup", [10, 10, 30, 30]), thing("bowl", [32, 10, 52, 30])],
                       regions=[("region1", thing("cup", [10, 10, 30, 30])), ("region2", thing("bowl", [32, 10, 52, 30])),
                                ("region3", thing("cup", [80, 70, 95, 95]))])
    assert answer("Is region1 beside region2?", close) == "Yes, region1 is next to region2."
    assert answer("Is region1 close to region3?", close) == "No, region1 is left of and above region3, apart from it."
    assert answer("What is region1?", two_regions) == "A dog."
    unsure = SceneFacts(two_regions.objects, regions=two_regions.regions, unsure=frozenset({"dog"}))
    assert answer("What is region1?", unsure) == "I'm not sure what region1 is; it may be a dog."
    bird = thing("bird", [0, 0, 100, 100])
    head = thing("goldfinch", [50, 30, 80, 60])  # a region inside a detected bird, its crop tagged a kind of bird
    tagged = SceneFacts([bird], regions=[("region1", head)], tag_scores={"goldfinch": 0.7}, senses={"goldfinch": "n01531178"})
    assert answer("What is region1?", tagged) == "A bird that may be a goldfinch."  # the tagger does not overrule
    tagged.tag_scores["goldfinch"] = 0.95
    assert answer("What is region1?", tagged) == "A bird that may be a goldfinch."  # a fine kind: still a guess


def test_counts_of_many_are_lower_bounds():
    boats = SceneFacts([thing("boat", [i * 10, 40, i * 10 + 8, 60]) for i in range(8)])
    assert answer("How many boats can you see?", boats) == "There are several boats; I can see at least 8."


def test_what_is_seen_says_each_thing_once_with_counts_that_agree():
    skier = SceneFacts([thing("person", [10, 10, 50, 90]), thing("skis", [5, 85, 60, 95]), thing("dog", [60, 60, 90, 95])],
                       tags=["saluki"], senses={"saluki": "n02091831"})
    seen = answer("What is the dog doing?", skier)
    assert seen == "I can't tell what the dog is doing; I can see 1 dog."
    assert answer("Why?", skier).endswith("I can see 1 person, 1 pair of skis and 1 dog.")  # the saluki is the dog


def _refined(label, score, tags):
    import supervision as sv

    from lyrics_model.refiner import RefineResult, Tag

    detections = sv.Detections(xyxy=np.array([[10, 10, 90, 90]], np.float32), confidence=np.array([score], np.float32),
                               class_id=np.array([0]), data={"class_name": np.array([label], dtype=object)})
    return RefineResult((100, 100), [Tag(n, s, sense=w) for n, s, w in tags], detections, {}, {}, "offline", "x")


def test_the_detector_and_the_tagger_never_overrule_each_other_with_a_weaker_guess():
    """A closed-set detector files a lion under "dog"; the tagger is sure of the lion. The unsure detector gives
    way; where both are sure of different things (a horse at 1.0, a llama tag at 0.55), the facts say only
    the kind both agree on, and the tag is a guess."""
    from lyrics_model.dialogue.grounded_prompt import image_facts

    rgb = np.zeros((100, 100, 3), np.uint8)
    lion = image_facts(rgb, _refined("dog", 0.33, [("lion", 0.92, "n02129165")]))
    assert [o.label for o in lion.objects] == ["lion"] and "lion" not in lion.unsure
    llama = image_facts(rgb, _refined("horse", 1.0, [("llama", 0.55, "n02437616")]))
    assert [o.label for o in llama.objects] == ["animal"] and "llama" in llama.unsure
    assert llama.maybe == {"animal": "llama"}
    facts = SceneFacts(llama.objects, llama.tags, unsure=llama.unsure, senses=llama.senses, maybe=llama.maybe)
    assert answer("What animal is this?", facts) == "I'm not sure which animal this is; it may be a llama."
    assert answer("Why?", facts).endswith("I can see 1 animal that may be a llama.")
    horse = image_facts(rgb, _refined("horse", 1.0, [("sorrel", 0.9, "n02389026")]))  # a kind of horse: no dispute
    assert [o.label for o in horse.objects] == ["horse"]


@pytest.mark.parametrize("labels, tag, sense, seen", [
    (["bear", "bear", "bear"], "brown bear", "n02132136", "3 bears"),
    (["truck"], "pickup", "n03930630", "1 truck"),
    (["dog"], "whippet", "n02091134", "1 dog"),
    (["person", "skis", "backpack", "backpack"], "alp", "n09193705", "1 person, 1 pair of skis and 2 backpacks"),
])
def test_the_things_seen_are_each_named_once_with_counts_that_agree(labels, tag, sense, seen):
    facts = SceneFacts([thing(label, [10 * i, 10, 10 * i + 8, 30]) for i, label in enumerate(labels)], tags=[tag],
                       senses={tag: sense})
    assert answer("Why is that?", facts).endswith(f"I can see {seen}.")


def test_a_vehicle_of_another_kind_is_not_a_narrower_kind_of_it():
    street = SceneFacts([thing("bus", [10, 10, 90, 80], ["blue"])])
    assert answer("Is there a car in the image?", street) == "No, there is no car."
    assert answer("What vehicle is in the photo?", street) == "A bus."


def test_what_is_said_of_the_photo_itself_is_read_off_its_facts():
    grey = SceneFacts([thing("person", [10, 10, 50, 90])], photo=["It is a black-and-white photo."])
    assert answer("Is the picture in colour or black and white?", grey) == "It is a black-and-white photo."
    assert answer("Is this picture black and white?", grey) == "Yes, it is a black-and-white photo."


def test_the_colour_a_setting_is_found_by_is_its_colour():
    meadow = SceneFacts([thing("cow", [10, 40, 50, 90], ["brown"])], setting=["sky", "grass"])
    assert answer("What colour is the sky?", meadow) == "The sky is blue."
    assert answer("What colour is the grass?", meadow) == "The grass is green."
    assert answer("What colour is the water?", meadow).startswith("I can't tell")


def test_a_region_on_a_disputed_thing_is_a_guess():
    animal = thing("animal", [10, 10, 90, 90], ["brown"])
    facts = SceneFacts([animal], tags=["wallaby"], regions=[("region1", animal)], unsure=frozenset({"wallaby"}),
                       maybe={"animal": "wallaby"})
    assert answer("What is region1?", facts) == "I'm not sure what region1 is; it may be a wallaby."


def test_a_count_is_as_sure_as_the_detector_that_counted():
    """A lion the tagger names where the detector saw a dog at 0.33: the name is sure, how many there are is not."""
    lions = SceneFacts([thing("lion", [10, 10, 90, 90], ["brown"])], tags=["lion"], unsure_counts=frozenset({"lion"}))
    assert answer("How many lions can you see?", lions) == "I'm not sure; I may see 1 lion."
    assert answer("How many lions can you see?", SceneFacts(lions.objects, tags=["lion"])) == "There is 1 lion."


def test_an_unsure_detection_the_tagger_renames_keeps_its_count_unsure():
    import supervision as sv

    from lyrics_model.dialogue.grounded_prompt import image_facts
    from lyrics_model.refiner import RefineResult, Tag

    detections = sv.Detections(xyxy=np.array([[10, 10, 90, 70]], np.float32), confidence=np.array([0.33], np.float32),
                               class_id=np.array([0]), data={"class_name": np.array(["dog"], dtype=object)})
    result = RefineResult((100, 80), [Tag("lion", 0.92, sense="n02129165")], detections, {}, {}, "test", "h")
    facts = image_facts(np.full((80, 100, 3), 120, np.uint8), result)
    assert [o.label for o in facts.objects] == ["lion"] and "lion" not in facts.unsure
    assert facts.unsure_counts == {"lion"}
    sure = RefineResult((100, 80), [Tag("lion", 0.92, sense="n02129165")],
                        sv.Detections(xyxy=detections.xyxy, confidence=np.array([0.8], np.float32), class_id=np.array([0]),
                                      data={"class_name": np.array(["dog"], dtype=object)}), {}, {}, "test", "h")
    assert image_facts(np.full((80, 100, 3), 120, np.uint8), sure).unsure_counts == frozenset()


def test_a_tag_another_detected_object_accounts_for_disputes_nothing():
    """The tagger names the whole photo: its "moving van" is the detected truck, not a reason to doubt the car."""
    import supervision as sv

    from lyrics_model.dialogue.grounded_prompt import image_facts
    from lyrics_model.refiner import RefineResult, Tag

    detections = sv.Detections(xyxy=np.array([[0, 0, 60, 70], [50, 30, 100, 80]], np.float32),
                               confidence=np.array([0.95, 0.9], np.float32), class_id=np.array([7, 2]),
                               data={"class_name": np.array(["truck", "car"], dtype=object)})
    van = Tag("moving van", 0.6, sense="n03796401")
    facts = image_facts(np.full((80, 100, 3), 120, np.uint8),
                        RefineResult((100, 80), [van], detections, {}, {}, "test", "h"))
    assert [o.label for o in facts.objects] == ["truck", "car"] and facts.renamed == {}
    alone = sv.Detections(xyxy=detections.xyxy[1:], confidence=detections.confidence[1:], class_id=np.array([2]),
                          data={"class_name": np.array(["car"], dtype=object)})
    facts = image_facts(np.full((80, 100, 3), 120, np.uint8), RefineResult((100, 80), [van], alone, {}, {}, "test", "h"))
    assert [o.label for o in facts.objects] == ["vehicle"]  # with no truck seen, the two models disagree
def test_text_is_chosen_by_where_it_is_and_how_big_and_never_given_a_role_it_cannot_tell():
    from lyrics_model.refiner.text_line import TextLine

    def line(text, box):
        return TextLine(text, 0.95, tuple(float(v) for v in box), np.array(box, np.float32)[[0, 1, 2, 1, 2, 3, 0, 3]].reshape(4, 2))

    shop = SceneFacts([], texts=[line("OPEN", [5, 5, 30, 12]), line("Fresh Bread", [20, 40, 80, 60]),
                                 line("No 42", [70, 85, 95, 92])], can_read=True, size=(100, 100))
    assert answer("What does the sign in the top left say?", shop) == 'It says "OPEN".'
    assert answer("What is written on the road at the top left?", shop) == \
        'I can\'t tell which text is on the road at the top left; I can read "OPEN".'  # roads seldom carry text
    assert answer("What does the big text say?", shop) == 'It says "Fresh Bread".'
    assert answer("What number is on the door?", shop) == \
        'I\'m not sure it is on the door; the one number I can read is "42".'  # no model outlines the door
    shop.texts.append(line("Exit 12A", [5, 85, 30, 92]))  # two numbers: which is on the door is unknown
    assert answer("What number is on the door?", shop) == \
        'I can\'t tell which text is on the door; I can read "Exit 12A" and "No 42".'
    shop.texts.pop()
    assert answer("What number is there?", shop) == 'It says "No 42".'
    assert answer("How much does the bread cost?", shop) == 'It may be "No 42", the one price I can read.'
    assert answer("What is the name of the bakery?", shop).startswith("I can't tell which line is the bakery")
    cafe = SceneFacts([], tags=["espresso"], texts=[line("CAFE LUNA", [10, 10, 90, 30])], can_read=True,
                      size=(100, 100))
    assert answer("Which cafe is this?", cafe) == 'It may be "CAFE LUNA".'  # the line naming it
    assert answer("Which hotel is this?", cafe) == answer("Which hotel is this?", SceneFacts([], tags=["espresso"]))
    assert answer("Which bakery is advertised?", shop).startswith("I can't tell which line is the bakery; I can read")
    assert answer("Which bread is advertised?", shop) == 'It may be "Fresh Bread".'  # the line naming it
    empty = SceneFacts([], can_read=True, size=(100, 100))
    assert answer("What is written on the wall?", empty) == "I can't see any text I can read."
    door = SceneFacts([], tags=["door"], texts=[line("No 42", [70, 85, 95, 92])], can_read=True, size=(100, 100),
                      senses={"door": "n03222318"})  # a photo of a door: its one text is on it
    assert answer("What number is on the door?", door) == 'It says "No 42".'
    door.texts.append(line("OPEN", [5, 5, 30, 12]))  # two messages: which one is on the door is unknown
    assert answer("What number is on the door?", door) == 'It says "No 42".'  # the one number
    assert answer("What does the door say?", door).startswith("I can't tell which text is on the door")
    street = SceneFacts([thing("truck", [0, 0, 50, 60])], texts=[line("ACME MOVERS", [5, 20, 45, 30]),
                                                                   line("Hotel", [60, 5, 95, 15])],
                        can_read=True, size=(100, 100))
    assert answer("What brand is the truck?", street) == \
        'I can\'t tell which line is the brand; I can read "ACME MOVERS".'  # what is read on the truck, quoted
    assert answer("What company is this truck from?", street).startswith("I can't tell")
    assert answer("What does it say on the truck's side?", street) == \
        'I can\'t tell which text is on the truck\'s side; I can read "ACME MOVERS".'  # on the truck, not the hotel
    assert answer("What is written at the bottom right?", shop) == 'It says "No 42".'  # the text in that part
    assert answer("What does it say at the top left?", shop) == 'It says "OPEN".'
    corner = SceneFacts([thing("stop sign", [5, 40, 20, 55], ["red"])], can_read=True, size=(100, 100),
                        texts=[line("ONE WAY", [5, 5, 30, 12]), line("STOP", [6, 43, 19, 52])])
    assert answer("What is written on the sign at the top left?", corner) == 'It says "ONE WAY".'  # not the stop sign's
    assert answer("What is written on the sign on the left?", corner) == 'It says "STOP".'
    bilingual = SceneFacts([], texts=[line("请勿吸烟", [10, 10, 90, 30]), line("No smoking", [10, 40, 90, 55])],
                           can_read=True, size=(100, 100))
    assert answer("What does it say in English?", bilingual) == 'It says "No smoking".'  # one line of a block
    assert answer("What is written in Chinese?", bilingual) == 'It says "请勿吸烟".'
    assert answer("What does the notice say in German?", bilingual).startswith(
        "I can't tell which text is in German; I can read")  # Latin letters are not told apart by language
    assert answer("What is written in English?", shop) == 'It says "OPEN", "Fresh Bread" and "No 42".'
    cover = SceneFacts([], texts=[line("DEEP SEAS", [10, 10, 90, 30]), line("a novel by Ann Lee", [20, 80, 80, 86])],
                       can_read=True, size=(100, 100))
    assert answer("What is the title of the book?", cover) == \
        'I\'m not sure it is on the book; the largest letters I can read say "DEEP SEAS".'
    assert answer("What's the headline?", cover) == 'It may be "DEEP SEAS", in the largest letters I can read.'
    cover.texts.append(line("Ann Lee", [30, 90, 70, 96]))
    assert answer("Who is the author?", cover) == 'It may be "Ann Lee", the line that reads as a name.'
    assert answer("Who wrote this book?", cover) == 'It may be "Ann Lee", the line that reads as a name.'
    assert answer("Who built this house?", empty).startswith("I can't tell who built this house")
    sign = SceneFacts([], tags=["street sign"], texts=[line("DANGER", [10, 10, 90, 40]), line("Keep out", [30, 70, 70, 80])],
                      can_read=True, size=(100, 100), senses={"street sign": "n06794110"})
    assert answer("What does the sign say?", sign) == 'It may say "DANGER" and "Keep out".'  # the sign the photo is of


def test_the_facts_state_the_text_read_quoted_and_bounded():
    from lyrics_model.refiner.text_line import TextLine

    def line(text, height):
        return TextLine(text, 0.95, (0.0, 0.0, 50.0, float(height)), np.zeros((4, 2), np.float32))

    facts = SceneFacts([thing("bus", [10, 10, 90, 80])], texts=[line("42", 5), line("CITY CENTRE" * 5, 20),
                                                                 line("via", 3), line("Express", 10)], can_read=True)
    rendered = facts.render()
    assert 'Text read: "42", "' + ("CITY CENTRE" * 5)[:40] + '", "Express".' in rendered


def test_the_sport_is_what_the_things_seen_are_used_for_by_their_definition():
    """A baseball bat is "an implement used in baseball", skis are what one skis on (WordNet)."""
    field = SceneFacts([thing("person", [10, 10, 40, 90]), thing("baseball bat", [40, 30, 50, 60]),
                        thing("baseball glove", [60, 50, 70, 60])])
    assert answer("What sport is this?", field) == \
        "It looks like baseball: I can see 1 baseball bat and 1 baseball glove."
    slope = SceneFacts([thing("person", [10, 10, 40, 90]), thing("skis", [5, 85, 50, 95])])
    assert answer("What sport is being played?", slope).startswith("It looks like skiing")
    both = SceneFacts(field.objects + slope.objects[1:])  # things of two sports: no one answer
    assert answer("What sport is this?", both).startswith("I can't tell")
    unsure = SceneFacts(field.objects, unsure=frozenset({"baseball bat", "baseball glove"}))
    assert answer("What sport is this?", unsure).startswith("I can't tell")
    assert answer("What drink is this?", field).startswith("I can't tell")  # a drink is no activity


def test_a_breed_is_the_taggers_likeliest_kind_of_the_thing_offered_as_a_guess():
    dogs = SceneFacts([thing("dog", [5, 40, 45, 95]), thing("dog", [55, 40, 95, 95])], tags=["crate"],
                      senses={"cocker spaniel": "n02102318", "sussex spaniel": "n02102480"},
                      tag_scores={"crate": 0.43, "cocker spaniel": 0.1, "sussex spaniel": 0.02})
    assert answer("Which breed are the dogs?", dogs) == \
        "I'm not sure which breed the dogs are; they may be cocker spaniels."
    assert answer("What kind of dog is this?", dogs) == \
        "I'm not sure which kind of dog this is; it may be a cocker spaniel."
    split = SceneFacts(dogs.objects, senses=dogs.senses, tag_scores={"cocker spaniel": 0.1, "sussex spaniel": 0.1})
    assert answer("Which breed is the dog?", split).startswith("I can't tell which breed the dog is")
    assert answer("What breed is the cat?", dogs).startswith("I can't tell")
    one = SceneFacts(dogs.objects[:1], senses={"golden retriever": "n02099601"},
                     tag_scores={"golden retriever": 0.96})  # one dog, its crop sure of its kind
    assert answer("Which breed is the dog?", one) == \
        "I'm not sure which breed the dog is; it may be a golden retriever."  # sure taggers are wrong on unknown breeds


def test_a_small_thing_no_stated_name_fits_is_guessed_from_the_windows_most_of_which_give_its_kind():
    # A bowl of figs the detector calls a stop sign; the photo's probe windows see figs, one a guitar.
    figs = SceneFacts([thing("stop sign", [30, 30, 70, 70])], senses={"fig": "n07753113"},
                      window_tags={"fig": [0.9, 0.8, 0.6, 0.3], "acoustic guitar": [0.65], "mortar": [0.2, 0.1, 0.1]})
    assert answer("Which fruit does the photo show?", figs) == "I'm not sure which fruit this is; it may be a fig."
    assert answer("What fruits are these?", figs) == "I'm not sure which fruits these are; they may be figs."
    assert answer("Which instrument does the photo show?", figs).startswith("I can't tell")  # one window only
    faint = SceneFacts(figs.objects, senses=figs.senses, window_tags={"fig": [0.4, 0.3, 0.3, 0.2]})
    assert answer("Which fruit does the photo show?", faint).startswith("I can't tell which fruit this is")
    stated = SceneFacts([thing("banana", [30, 30, 70, 70])], senses=figs.senses, window_tags=figs.window_tags)
    assert answer("Which fruit does the photo show?", stated) == "A banana."  # what is stated comes first


def test_a_broad_kind_is_named_with_the_guess_of_what_it_is():
    from lyrics_model.dialogue.model_checks import check_description

    animal = thing("animal", [10, 10, 90, 90], ["black", "white"])
    facts = SceneFacts([animal], tags=["giant panda"], unsure=frozenset({"giant panda"}),
                       senses={"giant panda": "n02510455"}, maybe={"animal": "giant panda"})
    assert answer("What's this?", facts) == "An animal that may be a giant panda."
    assert answer("What is in the picture?", facts) == "I can see 1 animal that may be a giant panda."
    assert not check_description("The photo shows 1 animal.", facts, PERCEPTION)  # the fallback says more:
    asked, policy = understand("Describe the photo.")
    assert policy.fallback(asked, facts, PERCEPTION) == "The image shows 1 animal that may be a giant panda."


@pytest.mark.parametrize("question, thing", [
    ("Which breed is the dog?", "dog"), ("What kind of bird is that?", "bird"), ("What species are these birds?", "bird"),
    ("What kind of dog is on the left?", None), ("What breed is the black dog?", None), ("What is this?", None),
    ("What colour is the dog?", None),
])
def test_the_thing_whose_kind_is_asked(question, thing):
    from lyrics_model.dialogue.fact_answers import kind_asked

    assert kind_asked(understand(question)[0]) == thing


def test_what_someone_does_is_a_guess_from_the_sport_their_things_are_used_for():
    slope = SceneFacts([thing("person", [10, 10, 40, 90]), thing("skis", [5, 85, 50, 95])])
    assert answer("What is she doing?", slope) == \
        "I'm not sure what she is doing; she may be skiing: I can see 1 pair of skis."
    field = SceneFacts([thing("person", [10, 10, 40, 90]), thing("baseball bat", [40, 30, 50, 60])])
    assert answer("What is the man doing?", field).startswith(
        "I'm not sure what the man is doing; the man may be playing baseball")
    assert answer("What is the dog doing?", slope).startswith("I can't tell")  # no dog: no guess
    assert answer("What is she doing?", SceneFacts(slope.objects[:1])).startswith("I can't tell what she is doing")


def test_a_room_is_where_the_things_seen_are_kept_by_their_definitions():
    """A bed "provides a place to sleep" and a bedroom is "used primarily for sleeping"; an oven is a "kitchen
    appliance" (WordNet)."""
    bedroom = SceneFacts([thing("bed", [10, 40, 90, 95]), thing("person", [40, 10, 60, 60])])
    assert answer("What room is this?", bedroom) == "It looks like a bedroom: I can see 1 bed."
    kitchen = SceneFacts([thing("oven", [10, 40, 50, 95]), thing("microwave", [60, 10, 90, 30])])
    assert answer("What kind of room is this?", kitchen) == "It looks like a kitchen: I can see 1 oven and 1 microwave."
    both = SceneFacts(bedroom.objects + kitchen.objects)  # things of two rooms: no one answer
    assert answer("What room is this?", both).startswith("I can't tell")
    assert answer("What room is this?", SceneFacts(kitchen.objects, unsure=frozenset({"oven", "microwave"}))) \
        .startswith("I can't tell")


def test_an_animals_coat_is_what_is_seen_of_it_so_its_colours_are_the_animals():
    cat = SceneFacts([thing("cat", [10, 10, 60, 60], ["orange", "white"]), thing("person", [70, 10, 95, 90], ["blue"])])
    assert answer("What colour is the cat's fur?", cat) == "The cat's fur is orange and white."
    assert answer("What colour is its coat?", cat) == "Its coat is orange and white."  # the photo's one animal
    assert answer("What colour are its feathers?", cat) == "Its feathers are orange and white."
    assert answer("What colour is the cat's tail?", cat).startswith("I can't tell")  # a part, not its coat
    assert answer("What colour is her hair?", cat).startswith("I can't tell")  # a person's pixels are clothes
    two = SceneFacts([thing("cat", [10, 10, 40, 40], ["black"]), thing("dog", [60, 10, 90, 40], ["white"])])
    assert answer("What colour is its coat?", two).startswith("I can't tell")  # which animal is unknown
    assert answer("What colour is the dog's fur?", two) == "The dog's fur is white."


@pytest.mark.parametrize("question, embedded", [
    ("Is this coffee or tea?", "whether this is coffee or tea"),
    ("Is the apple whole or cut in half?", "whether the apple is whole or cut in half"),
    ("Is the leopard facing left or right?", "whether the leopard is facing left or right"),
    ("Which cup is the biggest?", "which cup is the biggest"),
    ("Is this a forest?", "whether this is a forest"),
    ("Is the bus bigger than the people?", "whether the bus is bigger than the people"),
    ("Is the man on the right wearing a tie?", "whether the man on the right is wearing a tie"),
    ("Who is closest to the camera?", "who is closest to the camera"),
    ("Who is the man?", "who the man is"),
    ("Is the dog on the left?", "whether the dog is on the left"),
    ("Does the bus have windows?", "whether the bus has windows"),
    ("Can the dog swim?", "whether the dog can swim"),
    ("Are the dogs puppies?", "whether the dogs are puppies"),
    ("Are all the people men?", "whether all the people are men"),
    ("Is the bus yellow and blue?", "whether the bus is yellow and blue"),
    ("Is the cup of the man a mug?", "whether the cup of the man is a mug"),
    ("Which one is red?", "which one is red"),
    ("How many boats have sails?", "how many boats have sails"),
    ("What has he got?", "what he has got"),
    ("What colour is the car?", "what colour the car is"),
    ("What colour are the flowers on the desk?", "what colour the flowers on the desk are"),
    ("What is the man in the red shirt doing?", "what the man in the red shirt is doing"),
    ("What is the dog on the left looking at?", "what the dog on the left is looking at"),
    ("What are the brushes good for?", "what the brushes are good for"),
    ("Why is the street wet?", "why the street is wet"),
    ("What colour is the spot on its wing?", "what colour the spot on its wing is"),  # "wing" is no -ing verb
    ("What bird is the left one?", "what bird the left one is"),
    ("Is this outdoors?", "whether this is outdoors"),
    ("What is the lamp on?", "what the lamp is on"),  # a stranded preposition stays last
    ("What is the cat on top of?", "what the cat is on top of"),
    ("What is the vase resting on?", "what the vase is resting on"),
    ("What colour is the coat of the man crossing the road?", "what colour the coat of the man crossing the road is"),
    ("What colour shirt is the man wearing?", "what colour shirt the man is wearing"),
    ("Which way is the horse facing?", "which way the horse is facing"),
    ("What colour is the goat in front?", "what colour the goat in front is"),  # "front" ends its own "in"
    ("Which child is nearest to the window?", "which child is nearest to the window"),  # the question's phrase leads
    ("What colour are the horses' manes?", "what colour the horses' manes are"),  # a plural's possessive
    ("What colour is the bus's door?", "what colour the bus's door is"),
    ("What does the shop sign say?", "what the shop sign says"),  # "sign" is the noun before the plain verb "say"
    ("Does the puppy like bones?", "whether the puppy likes bones"),
    ("Is the bat upside down?", "whether the bat is upside-down"),  # one adverb, not a "bat upside"
    ("Was this taken in Japan?", "whether this was taken in Japan"),  # a name keeps its capital
    ("WHERE IS THE BIKE?", "where the bike is"),
    ("Is the biggest canoe in front?", "whether the biggest canoe is in front"),  # where it is, after the verb
    ("How many mugs can you spot?", "how many mugs I can spot"),  # the answer tells what it sees
    ("Which is taller, the lamp or the vase?", "which is taller, the lamp or the vase"),  # the choice keeps its comma
    ("What colour is the van next to the tram?", "what colour the van next to the tram is"),
    ("Are the mug and the kettle the same colour?", "whether the mug and the kettle are the same colour"),
    ("What colour is the kite, red or orange?", "what colour the kite is, red or orange"),
    ("What colour is the van at the top right?", "what colour the van at the top right is"),  # one place, two words
    ("Is this tasty?", "whether this is tasty"),  # the pronoun alone is the subject
])
def test_a_question_said_after_i_cant_tell_keeps_its_grammar(question, embedded):
    from lyrics_model.dialogue.unanswerable import embedded as embed
    assert embed(question) == embedded


def test_three_colours_are_listed_with_commas():
    cups = SceneFacts([thing("cup", [10 * i, 10, 10 * i + 8, 20], [c]) for i, c in enumerate(["grey", "blue", "black"])])
    assert answer("What colour are the cups?", cups) == "The cups are grey, blue and black."


def test_the_thing_in_front_stands_lower_and_looks_larger():
    herd = SceneFacts([thing("cow", [10, 20, 30, 40], ["brown"]), thing("cow", [40, 40, 90, 95], ["white"])],
                      size=(100, 100))
    assert answer("What colour is the cow in front?", herd) == "The cow in front is white."
    assert answer("What colour is the nearest cow?", herd) == "The nearest cow is white."
    assert answer("What colour is the cow in the background?", herd) == "The cow in the background is brown."
    level = SceneFacts([thing("cow", [10, 50, 30, 90], ["brown"]), thing("cow", [40, 40, 90, 92], ["white"])],
                       size=(100, 100))  # side by side: which is nearer is not told apart
    assert answer("What colour is the cow in front?", level).startswith("I can't tell what colour the cow in front is;")
    odd = SceneFacts([thing("cow", [10, 10, 90, 60], ["brown"]), thing("cow", [40, 70, 50, 95], ["white"])],
                     size=(100, 100))  # the lower one is the smaller: the two signs disagree
    assert answer("What colour is the cow in front?", odd).startswith("I can't tell")
    bigger = SceneFacts([thing("cow", [10, 40, 40, 85], ["brown"]), thing("cow", [45, 30, 95, 92], ["white"])],
                        size=(100, 100))  # a little lower and clearly larger: two signs together tell
    assert answer("What colour is the cow in the foreground?", bigger) == "The cow in the foreground is white."
    alike = SceneFacts([thing("cow", [10, 30, 50, 85], ["brown"]), thing("cow", [55, 37, 95, 92], ["white"])],
                       size=(100, 100))  # a little lower, the same size: not told apart
    assert answer("What colour is the nearest horse?", alike).startswith("I can't tell")


def test_a_count_compared_is_answered_yes_or_no_only_where_the_count_settles_it(pair):
    cat = SceneFacts([thing("cat", [10, 10, 60, 60])])
    assert answer("Is there more than one cat?", cat) == "No, I can see only 1 cat."  # never "No, there is no more."
    two = SceneFacts([thing("cat", [10, 10, 40, 40]), thing("cat", [60, 10, 90, 40])])
    assert answer("Are there more than one cats?", two) == "Yes, I can see 2 cats."
    assert answer("Are there fewer than 3 cats?", two) == "Yes, I can see only 2 cats."
    vase = SceneFacts([thing("vase", [10, 10, 40, 40])])  # vases are often missed: no "no"
    assert answer("Are there more than one vases?", vase).startswith("I can see 1 vase; I can't tell whether")
    assert answer("Is there more than one cat?", SceneFacts([])) == "There are no cats."
    assert answer("Are there at least two cats here?", two) == "Yes, I can see 2 cats."
    assert answer("Are there at least 3 cats here?", two) == "No, I can see only 2 cats."
    assert answer("Are there at most two cats here?", two) == "Yes, I can see only 2 cats."
    assert answer("Are there at least 2 vases here?", vase).startswith("I can see 1 vase; I can't tell whether")


def test_counts_and_places_of_things_the_detector_is_unsure_of_are_guesses():
    spoon = SceneFacts([thing("spoon", [70, 40, 90, 60])], unsure=frozenset({"spoon"}), size=(100, 100))
    assert answer("How many spoons are there?", spoon) == "I'm not sure; I may see 1 spoon."
    assert answer("Where is the spoon?", spoon) == "I'm not sure; I may see 1 spoon on the right."
    assert answer("Is there any spoon?", spoon) == "I'm not sure; I may see 1 spoon."  # as existence says it


def test_a_negative_question_is_answered_with_what_there_is(pair):
    assert answer("Are there no dogs?", pair) == "There are 2 dogs."  # never "No, there are no no dogs."
    assert answer("Are there no cats?", pair) == "Yes, there are no cats."


def test_a_choice_of_two_kinds_is_the_one_the_thing_is(cyclist):
    cat = SceneFacts([thing("cat", [10, 10, 90, 90], ["orange"])])
    assert answer("Is this a dog or a cat?", cat) == "It is a cat."
    assert answer("Is the animal a cat or a horse?", cat) == "It is a cat."
    assert answer("Is this a cub or an adult?", cat).startswith("I can't tell")  # an age, not a kind
    assert answer("Is it a horse or a cow?", cat).startswith("I can't tell")  # neither is never said
    assert answer("Is it night or day?", cat).startswith("I can't tell")
    brushes = SceneFacts([thing("cup", [0, 0, 10, 10])], tags=["paintbrush"], unsure=frozenset({"cup"}))
    assert answer("Are these paintbrushes or pencils?", brushes) == "They are paintbrushes."  # the tagged thing
    alp = SceneFacts([], tags=["alp"])
    assert answer("Is it a mountain or a lake?", alp) == "It is a mountain."


def test_the_biggest_thing_is_the_largest_sure_one(cyclist):
    assert answer("What is the biggest object?", cyclist) == answer("What is the main thing in this photo?", cyclist)


def test_a_room_or_activity_asked_by_name_is_what_the_sure_things_are_for():
    bed = SceneFacts([thing("bed", [10, 30, 90, 90], ["white"])])
    assert answer("Is this a bedroom?", bed) == "Yes, it looks like a bedroom: I can see 1 bed."
    assert answer("Is this a kitchen?", bed) == \
        "I can't tell whether this is a kitchen; it looks like a bedroom: I can see 1 bed."  # never a plain "No"
    ski = SceneFacts([thing("person", [30, 10, 60, 80]), thing("skis", [20, 80, 80, 90])])
    assert answer("Is she skiing?", ski) == "Yes, it looks like skiing: I can see 1 pair of skis."
    assert answer("Are they playing a sport?", ski) == "Yes, it looks like skiing: I can see 1 pair of skis."
    assert answer("Are they playing baseball?", ski).startswith("I can't tell")
    assert answer("Is the dog skiing?", ski).startswith("I can't tell")  # no dog: the things say nothing of it


def test_what_a_thing_is_used_for_is_what_its_kind_is_made_for():
    tripod = SceneFacts([thing("person", [5, 10, 40, 90])], tags=["tripod"])
    perception = Perception(frozenset(COCO + ["tripod", "paintbrush"]), frozenset(COCO))
    assert answer("What is the tripod for?", tripod, perception) == "A tripod is a three-legged rack used for support."
    brushes = SceneFacts([thing("cup", [5, 10, 40, 90])], tags=["paintbrush"], unsure=frozenset({"cup"}))
    assert answer("What are those used for?", brushes, perception) == \
        "They are paintbrushes; a paintbrush is a brush used as an applicator (to apply paint)."
    bus = SceneFacts([thing("bus", [5, 10, 90, 90])])
    assert answer("What is this used for?", bus) == \
        "It is a bus; a bus is a vehicle carrying many passengers; used for public transport."
    # unsure of the thing, several kinds of "this", or a living thing: not said
    assert answer("What is the tripod for?", SceneFacts([], tags=["tripod"], unsure=frozenset({"tripod"})),
                  perception).startswith("I can't tell")
    assert answer("What is this used for?", SceneFacts([thing("bus", [5, 10, 50, 90]), thing("car", [60, 10, 90, 90])]))\
        .startswith("I can't tell")
    assert answer("What is the dog used for?", SceneFacts([thing("dog", [5, 10, 50, 90])])).startswith("I can't tell")
    assert answer("What is the dog waiting for?", SceneFacts([thing("bus", [5, 10, 50, 90])])).startswith("I can't tell")


def test_where_a_photo_was_taken_is_what_its_setting_shows():
    boats = SceneFacts([thing("boat", [5, 40, 90, 90])], setting=["outdoors", "water", "sand"])
    assert answer("Is this indoors or outdoors?", boats) == "It is outdoors."
    assert answer("Was this taken outside?", boats) == "Yes, it is outdoors."
    assert answer("Is this photo taken indoors?", boats) == "No, it is outdoors."
    assert answer("Where was this picture taken?", boats) == \
        "I can't tell exactly where this picture was taken; it is outdoors: I can see water and sand."
    bedroom = SceneFacts([thing("bed", [5, 40, 90, 90])], setting=["indoors"])
    assert answer("Where are we?", bedroom) == "It looks like a bedroom: I can see 1 bed."
    unknown = SceneFacts([thing("cat", [5, 40, 90, 90])])
    assert answer("Where are we?", unknown).startswith("I can't tell where we are")
    assert answer("Is this indoors or outdoors?", unknown).startswith("I can't tell")
    assert answer("Where is the boat?", boats) == "The boat is at the bottom."  # a thing's place, not the photo's


def test_where_a_photo_was_taken_is_the_kind_of_place_its_likeliest_tags_share():
    """The tagger splits its score among places that look alike: a bookshop and a tobacco shop are a shop; a
    palace and a church share only "building", which says nothing of where."""
    shops = SceneFacts([], tags=["bookshop", "tobacco shop", "cash machine"], setting=["indoors"],
                       tag_scores={"bookshop": 0.17, "tobacco shop": 0.1, "cash machine": 0.1},
                       unsure=frozenset({"bookshop", "tobacco shop", "cash machine"}))
    assert answer("Where is this?", shops) == \
        "I'm not sure where this is; it may be a shop: it looks most like a bookshop and a tobacco shop."
    buildings = SceneFacts([], tags=["palace", "church"], setting=["outdoors", "sky"],
                           tag_scores={"palace": 0.18, "church": 0.17}, unsure=frozenset({"palace", "church"}))
    assert answer("Where is this?", buildings) == "I can't tell exactly where this is; it is outdoors: I can see sky."
