"""Every question gets an answer, never an exception: seeded word salads in the shapes visitors type ("Is region1
next to ...", "How many below it?") over facts with objects, regions, text, unsure things and nothing at all."""

import random
from dataclasses import replace

import numpy as np

from lyrics_model.dialogue.answer_pipeline import understand
from lyrics_model.dialogue.grounded_prompt import SceneFacts
from lyrics_model.dialogue.perception import Perception
from lyrics_model.dialogue.scene_facts import ObjectFact, place_words, size_word
from lyrics_model.refiner.ssd_detector import COCO_90
from lyrics_model.refiner.text_line import TextLine

SIZE = (100, 100)
STARTS = ["Is", "Are", "What", "Which", "Where", "How many", "Is there", "Are there", "Does", "Can you see", "Who",
          "Why", "What colour is", "Is region1", "Is region2", "Which is", "How"]
WORDS = ["the", "a", "dog", "dogs", "car", "region1", "region2", "region3", "next", "to", "beside", "left", "of", "right",
         "above", "below", "behind", "in", "front", "or", "and", "black", "white", "red", "bigger", "than", "more",
         "fewer", "at", "least", "most", "two", "one", "3", "on", "person", "people", "cat", "any", "anything", "same",
         "colour", "as", "not", "it", "this", "they", "is", "are", "say", "text", "sign", "written", "number", "title",
         "further", "higher", "closer", "between", "under", "near", "besides", "without", "'s", ","]


def _thing(label, box, colours):
    box = np.array(box, np.float32)
    return ObjectFact(label, place_words(box, SIZE), size_word(box, SIZE), list(colours), box)


def _line(text, box, score):
    x1, y1, x2, y2 = box
    return TextLine.from_polygon(text, score, [[x1, y1], [x2, y1], [x2, y2], [x1, y2]])


def _facts() -> list[SceneFacts]:
    things = [_thing("person", [5, 10, 30, 90], ["blue"]), _thing("person", [70, 10, 95, 90], ["red"]),
              _thing("dog", [10, 70, 30, 95], ["black"]), _thing("dog", [60, 70, 85, 95], ["brown"]),
              _thing("car", [35, 30, 65, 60], ["white"])]
    scene = SceneFacts(things, size=SIZE, regions=[("region1", things[2]), ("region2", things[4])])
    text = [_line("STOP", [10, 10, 30, 20], 0.95), _line("No 42", [60, 60, 90, 70], 0.6)]
    return [scene, SceneFacts([], size=SIZE), replace(scene, texts=text, can_read=True),
            replace(scene, unsure=frozenset({"dog", "car"}))]


def test_generated_questions_are_all_answered_without_an_error():
    perception = Perception(frozenset(n for n in COCO_90 if n), frozenset(n for n in COCO_90 if n))
    rng = random.Random(7)
    facts = _facts()
    for _ in range(800):
        question = f"{rng.choice(STARTS)} {' '.join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))}?"
        asked, policy = understand(question)
        if policy.answer is None:
            continue  # answered by the language model, whose checks the chat tests cover
        for scene in facts:
            answer = policy.answer(asked, scene, perception)
            assert isinstance(answer, str) and answer.strip(), question
