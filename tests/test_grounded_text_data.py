"""The grounded-text adapter's generated training data: every question type, the same data for the same seed."""

from lyrics_model.dialogue.scene_facts import BLACK_AND_WHITE, DARK
from lyrics_model.training.grounded_text_data import QUESTION_TYPES, generate

IMAGENET = ["tabby cat", "missile", "drilling platform", "espresso"]


def test_every_question_type_is_generated_and_seeded():
    data = generate(600, IMAGENET, seed=3)
    assert {c.type for c in data} == set(QUESTION_TYPES)
    assert [(c.facts, c.question, c.answer) for c in generate(50, IMAGENET, seed=3)] == \
        [(c.facts, c.question, c.answer) for c in data[:50]]


def test_relation_answers_are_stated_in_the_facts():
    relations = [c for c in generate(400, IMAGENET, seed=4) if c.type == "relation" and ": " in c.answer]
    assert len(relations) > 10
    for c in relations:  # "To the right: region2 is right of region1." / "Above: region2 is above region1."
        a, _, rest = c.answer.split(": ", 1)[1].rstrip(".").partition(" is ")
        word, b = rest.rsplit(" ", 1)
        line = next(line for line in c.facts.splitlines() if line.startswith(f"- {a} is ") and line.endswith(f" {b}."))
        assert word in line, (c.facts, c.question, c.answer)


def test_photo_answers_follow_the_photo_facts_both_ways():
    photos = [c for c in generate(600, IMAGENET, seed=5) if c.type == "photo"]
    colour = [("black and white" in c.answer, BLACK_AND_WHITE in c.facts) for c in photos if "night" not in c.question]
    light = [("night" in c.answer, DARK in c.facts) for c in photos if "night" in c.question]
    for pairs in (colour, light):
        assert all(said == stated for said, stated in pairs)
        assert {said for said, _ in pairs} == {True, False}
