"""The grounded-text adapter's generated training data: every question type, the same data for the same seed."""

import re

from lyrics_model.dialogue.scene_facts import BLACK_AND_WHITE, DARK
from lyrics_model.training.grounded_text_data import CLOTHING_TAGS, QUESTION_TYPES, generate

IMAGENET = ["tabby cat", "missile", "drilling platform", "espresso", "suit", "military uniform"]


def test_every_question_type_is_generated_and_seeded():
    data = generate(600, IMAGENET, seed=3)
    assert {c.type for c in data} == set(QUESTION_TYPES)
    assert [(c.facts, c.question, c.answer) for c in generate(50, IMAGENET, seed=3)] == \
        [(c.facts, c.question, c.answer) for c in data[:50]]


def test_relation_answers_are_stated_in_the_facts():
    relations = [c for c in generate(400, IMAGENET, seed=4) if c.type == "relation"]
    subject_first = [c for c in relations if re.fullmatch(r"Region\d is [a-z ]+ region\d\.", c.answer)]
    assert len(subject_first) > 10
    for c in subject_first:  # "Region2 is right of region1." / "Region2 is above region1."
        a, _, rest = c.answer.rstrip(".").partition(" is ")
        word, b = rest.rsplit(" ", 1)
        assert c.question.startswith(f"Is {a.lower()} ") and c.question.rstrip("?").endswith(b)
        line = next(line for line in c.facts.splitlines()
                    if line.startswith(f"- {a.lower()} is ") and line.endswith(f" {b}."))
        assert word in line, (c.facts, c.question, c.answer)


def test_clothing_answers_name_a_clothing_tag_or_the_colours_of_that_person():
    clothing = [c for c in generate(800, IMAGENET, seed=6) if c.type == "clothing"]
    by_tag = [c for c in clothing if re.search(r"Tags: .*\b(suit|military uniform)\b", c.facts)]
    assert by_tag and len(by_tag) < len(clothing)
    for c in clothing:
        tags = next((line[6:].rstrip(".").split(", ") for line in c.facts.splitlines() if line.startswith("Tags: ")),
                    [])
        worn = c.answer.rstrip(".").split(" is wearing ")[1]
        clothes = [t for t in tags if t in CLOTHING_TAGS]
        if clothes:
            assert worn.split(" ", 1)[1] == clothes[0], (c.facts, c.answer)
        else:  # the colours of a person in the facts, and of the one on the side the question names
            side = re.search(r"on the (left|right) wearing", c.question)
            assert any(re.match(rf"- a (large |small )?person in {worn} ", line)
                       and (not side or line.endswith(side[1])) for line in c.facts.splitlines()), (c.facts, c.answer)


def test_people_are_asked_about_both_present_and_absent():
    answers = [(c.answer.startswith("Yes"), re.search(r"\b\d+ (person|people)\b", c.facts.splitlines()[0]) is not None)
               for c in generate(1500, IMAGENET, seed=7) if c.type == "existence" and "person" in c.question]
    assert all(said == stated for said, stated in answers)
    assert {said for said, _ in answers} == {True, False}


def test_photo_answers_follow_the_photo_facts_both_ways():
    photos = [c for c in generate(600, IMAGENET, seed=5) if c.type == "photo"]
    colour = [("black and white" in c.answer, BLACK_AND_WHITE in c.facts) for c in photos if "night" not in c.question]
    light = [("night" in c.answer, DARK in c.facts) for c in photos if "night" in c.question]
    for pairs in (colour, light):
        assert all(said == stated for said, stated in pairs)
        assert {said for said, _ in pairs} == {True, False}


def test_cant_tell_conversations_are_cant_tell_on_the_chat_path():
    """Every "I can't tell" answer of the data is one the chat path gives for that question and scene too:
    a topic no model here perceives, or a thing outside the detector's and tagger's names."""
    import numpy as np

    from lyrics_model.dialogue.answer_pipeline import understand
    from lyrics_model.dialogue.perception import Perception
    from lyrics_model.training.grounded_text_data import COCO_LABELS, make_question, random_scene

    perception = Perception(frozenset(COCO_LABELS + IMAGENET), frozenset(COCO_LABELS))
    rng = np.random.default_rng(8)
    for _ in range(120):
        facts = random_scene(rng, IMAGENET)
        question, answer = make_question(rng, facts, "cant_tell", IMAGENET)
        asked, policy = understand(question)
        assert answer.startswith("I can't tell ") and "; I can see " in answer
        assert policy.answer is not None, question
        said = policy.answer(asked, facts, perception)
        assert said.startswith("I can't tell ") or said.startswith("I'm not sure"), (question, said)


def test_chat_prompts_are_answered_by_the_language_model():
    from lyrics_model.dialogue.answer_pipeline import understand
    from lyrics_model.training.grounded_text_data import CHAT_PROMPTS

    assert all(understand(prompt)[1].answer is None for prompt in CHAT_PROMPTS), \
        [p for p in CHAT_PROMPTS if understand(p)[1].answer is not None]
