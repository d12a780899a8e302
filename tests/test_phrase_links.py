"""Every thing an answer names is linked to its mask, where the link is unambiguous: plural phrases to all the
things they count, "the dog on the left" to the left one, a region to itself, "it" in a follow-up to what the
last answer named; nothing negated, hedged or ambiguous. Real photos, the offline profile's real models."""

import time

import numpy as np
import pytest
from PIL import Image

from lyrics_model import Lyrics, rle_to_mask
from lyrics_model.dialogue.grounded_prompt import confident_objects
from lyrics_model.dialogue.phrase_links import link_phrases, whole_sentences


@pytest.fixture(scope="module")
def dogs(offline_lyrics, assets):
    """The two-dog photo, its refined objects (photo pixels) and the ids of the left and the right dog."""
    photo = str(assets / "dogs.jpg")
    result = offline_lyrics.refine(photo)
    ids = [oid for oid, label in zip(result.object_ids(), result.labels) if label == "dog"]
    assert len(ids) >= 2, "the photo shows two dogs"
    centre = {oid: float(result.detections.xyxy[i][0] + result.detections.xyxy[i][2]) / 2
              for i, oid in enumerate(result.object_ids()) if oid in ids}
    left, right = sorted(ids, key=centre.get)[0], sorted(ids, key=centre.get)[-1]
    return photo, result, left, right


def linked(links) -> list[tuple[str, list[str]]]:
    return [(link.phrase, link.ids) for link in links]


def test_plural_and_sided_phrases_link_to_the_right_dogs(offline_lyrics, dogs):
    photo, _, left, right = dogs
    assert linked(offline_lyrics.answer_links(photo, "There are 2 dogs.")) == [("2 dogs", sorted([left, right]))]
    answer = "The dog on the left is brown. Two dogs are carrying a stick past a bicycle."
    assert linked(offline_lyrics.answer_links(photo, answer)) == [("The dog on the left", [left]),
                                                                  ("Two dogs", sorted([left, right]))]
    assert linked(offline_lyrics.answer_links(photo, "Yes, there is a dog on the right.")) == \
        [("a dog on the right", [right])]


def test_a_phrase_that_could_mean_either_dog_links_to_none(offline_lyrics, dogs):
    photo = dogs[0]
    assert offline_lyrics.answer_links(photo, "There is a dog.") == []
    assert offline_lyrics.answer_links(photo, "There are 3 dogs.") == []  # a count that is not what was found


def test_negated_and_hedged_phrases_link_to_nothing(offline_lyrics, dogs):
    photo, _, left, right = dogs
    assert offline_lyrics.answer_links(photo, "No, there is no dog on the left.") == []
    answer = "I can't tell whether the dog on the left is smiling; I can see 2 dogs."
    links = offline_lyrics.answer_links(photo, answer)
    assert linked(links) == [("2 dogs", sorted([left, right]))]
    assert links[0].span == (answer.index("2 dogs"), answer.index("2 dogs") + len("2 dogs"))
    assert offline_lyrics.answer_links(photo, "It may be a dog on the right.") == []


def test_it_in_a_follow_up_is_what_the_last_answer_named(offline_lyrics, dogs):
    photo, _, left, right = dogs
    history = [{"role": "user", "content": "Where is the brown dog?"},
               {"role": "assistant", "content": "The dog on the right is brown."},
               {"role": "user", "content": "What is it doing?"}]
    assert linked(offline_lyrics.answer_links(photo, "It is lying down.", history=history)) == [("It", [right])]
    history[1]["content"] = "There are 2 dogs."  # "it" could be either: no link; "they" are both
    assert offline_lyrics.answer_links(photo, "It is lying down.", history=history) == []
    assert linked(offline_lyrics.answer_links(photo, "They are brown.", history=history)) == \
        [("They", sorted([left, right]))]
    assert offline_lyrics.answer_links(photo, "It is a dark photo.", history=history[:1] + [
        {"role": "assistant", "content": "The dog on the right is brown."}]) == []


def test_a_region_links_to_itself_with_its_mask_in_the_photos_pixels(offline_lyrics, dogs):
    photo, result, left, _ = dogs
    box = [float(v) for v in result.detections.xyxy[result.object_ids().index(left)]]
    links = offline_lyrics.answer_links(photo, "region1 is a dog.", regions=[box])
    assert linked(links) == [("region1", ["region1"])]
    assert links[0].things[0].box == pytest.approx(box, abs=1)


def test_linked_masks_are_the_objects_masks_at_the_photos_size(offline_lyrics, assets):
    """A photo larger than the working size: boxes and masks come back in the photo's own pixels."""
    small = Lyrics(offline_lyrics.profile, offline_lyrics.refiner, offline_lyrics.built, max_side=400)
    photo = np.asarray(Image.open(assets / "dogs.jpg").convert("RGB"))
    result = small.refine(photo)
    assert result.scale < 1
    links = small.answer_links(photo, "The dogs are brown.")
    assert len(links) == 1 and len(links[0].things) == 2
    for thing in links[0].things:
        mask = rle_to_mask(thing.mask)
        assert mask.shape == photo.shape[:2]
        i = result.object_ids().index(thing.id)
        assert np.array_equal(mask, result.detections.mask[i])
        assert thing.box == pytest.approx([float(v) for v in result.detections.xyxy[i]], abs=0.5)
        assert thing.colour_index == i


@pytest.mark.parametrize("answer", ["There are 5 cups, 2 bowls and 1 dining table.",
                                    "I can see 5 cups, 2 bowls and a dining table."])
def test_a_list_of_counts_links_each_kind(offline_lyrics, assets, answer):
    result = offline_lyrics.refine(str(assets / "cups.jpg"))
    links = offline_lyrics.answer_links(str(assets / "cups.jpg"), answer)
    stated = [result.labels[i] for i in confident_objects(result)]  # the objects the facts state
    counts = {label: stated.count(label) for label in ("cup", "bowl")}
    if counts != {"cup": 5, "bowl": 2}:
        pytest.skip(f"the detector found {counts} here")
    table = "a dining table" if "a dining" in answer else "1 dining table"
    assert [link.phrase for link in links] == ["5 cups", "2 bowls", table]
    for link in links:
        assert answer[link.span[0]:link.span[1]] == link.phrase
        assert {result.labels[result.object_ids().index(i)] for i in link.ids} == \
            {"5 cups": {"cup"}, "2 bowls": {"bowl"}, table: {"dining table"}}[link.phrase]


def test_links_appear_once_their_sentence_is_whole():
    assert whole_sentences("There are 2 dogs. The dog on the le") == "There are 2 dogs."
    assert whole_sentences("There are 2 do") == ""


def test_grounding_adds_well_under_50_ms_per_answer(offline_lyrics, assets):
    loaded = offline_lyrics.load(str(assets / "dogs.jpg"))
    facts = offline_lyrics._scene_facts(loaded, offline_lyrics.refiner.refine(loaded.rgb), None, "")
    answers = ["There are 2 dogs.", "The dog on the left is brown and grey.", "No, there is no cat.",
               "I can't tell whether the dog is smiling; I can see 2 dogs.", "Two dogs are carrying a stick past a "
               "bicycle, and a large brown dog on the right lies in a crate beside a teddy bear."] * 4
    link_phrases(answers[0], facts, offline_lyrics.perception)  # WordNet loads once per process
    start = time.perf_counter()
    for answer in answers:
        link_phrases(answer, facts, offline_lyrics.perception)
    assert (time.perf_counter() - start) / len(answers) < 0.05


def test_the_answer_to_what_a_region_is_names_that_region(offline_lyrics, dogs):
    photo, result, left, _ = dogs
    box = [float(v) for v in result.detections.xyxy[result.object_ids().index(left)]]
    asked = [{"role": "user", "content": "What is region1?"}]
    # "a dog" could be either dog, but the question asked what region1 is
    assert linked(offline_lyrics.answer_links(photo, "A dog.", [box], asked)) == [("A dog", ["region1"])]
    assert linked(offline_lyrics.answer_links(photo, "A cocker spaniel.", [box], asked)) == \
        [("A cocker spaniel", ["region1"])]
    assert offline_lyrics.answer_links(photo, "A bicycle.", [box], asked) == []  # not what the models call it
    assert offline_lyrics.answer_links(photo, "A dog.", [box]) == []  # asked nothing about region1
    described = [{"role": "user", "content": "Describe region1."}]  # what it is, then its looks
    assert linked(offline_lyrics.answer_links(photo, "A dog. It is brown.", [box], described))[0] == \
        ("A dog", ["region1"])


def test_the_photo_itself_is_no_phrase(offline_lyrics, dogs):
    photo, _, left, right = dogs
    answer = "The image shows 2 dogs."
    assert linked(offline_lyrics.answer_links(photo, answer)) == [("2 dogs", sorted([left, right]))]
