"""The grounded-text adapter's generated training data: every question type, the same data for the same seed."""

from lyrics_model.training.grounded_text_data import QUESTION_TYPES, generate

IMAGENET = ["tabby cat", "missile", "drilling platform", "espresso"]


def test_every_question_type_is_generated_and_seeded():
    data = generate(600, IMAGENET, seed=3)
    assert {c.type for c in data} == set(QUESTION_TYPES)
    assert [(c.facts, c.question, c.answer) for c in generate(50, IMAGENET, seed=3)] == \
        [(c.facts, c.question, c.answer) for c in data[:50]]
