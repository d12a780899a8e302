"""Grounded-text prompts, context fitting, answer references, and generation options."""

import numpy as np
import pytest
import supervision as sv

from lyrics_model import PromptError
from lyrics_model.dialogue import best_match, make_regions, parse_references
from lyrics_model.dialogue.conversation import fit_to_context, validate_messages
from lyrics_model.modeling import GenerationSettings
from lyrics_model.refiner import RefineResult, Tag


@pytest.fixture
def known_result() -> RefineResult:
    """A 200x100 image with a person (obj1) and a dog (obj2)."""
    masks = np.zeros((2, 100, 200), bool)
    masks[0, 20:90, 20:100] = True
    masks[1, 50:100, 120:190] = True
    detections = sv.Detections(xyxy=np.array([[20, 20, 100, 90], [120, 50, 190, 100]], np.float32), mask=masks,
                               confidence=np.array([0.9, 0.6], np.float32), class_id=np.array([1, 18]),
                               data={"class_name": np.array(["person", "dog"], dtype=object)})
    return RefineResult((200, 100), [Tag("park", 0.5), Tag("person", 0.9, "detector")], detections, {}, {}, "test",
                        "hash")


def test_mask_regions_match_by_mask_iou(known_result):
    mask = np.zeros((100, 200), bool)
    mask[20:90, 20:100] = True
    region, = make_regions([mask], known_result.size)
    match = best_match(region, known_result)
    assert match.object_id == "obj1" and match.iou == pytest.approx(1.0)
    assert list(region.box) == [20, 20, 100, 90]


@pytest.mark.parametrize("bad, message", [([[5, 5, 1, 1]], "x2 > x1"), ([[300, 10, 400, 20]], "outside"),
                                          ([np.zeros((100, 200), bool)], "empty mask"), ([[1, 2, 3]], "must be")])
def test_bad_regions_raise_prompt_error(known_result, bad, message):
    with pytest.raises(PromptError, match=message):
        make_regions(bad, known_result.size)


def test_old_turns_are_dropped_but_the_image_block_and_question_stay(smollm_tokenizer):
    system = "IMAGE BLOCK obj1: person"
    history = []
    for i in range(30):
        history += [{"role": "user", "content": f"question {i} " + "word " * 40},
                    {"role": "assistant", "content": f"answer {i} " + "word " * 40}]
    messages = history + [{"role": "user", "content": "final question"}]
    text, dropped = fit_to_context(smollm_tokenizer, system, messages, 600)
    assert dropped > 0 and len(smollm_tokenizer(text).input_ids) <= 600
    assert "IMAGE BLOCK obj1: person" in text and "final question" in text
    assert "question 0 " not in text and "answer 29" in text
    kept = text.split("<|im_start|>")[2]
    assert kept.startswith("user")  # history restarts at a user turn


def test_a_question_longer_than_the_context_is_a_clear_error(smollm_tokenizer):
    with pytest.raises(PromptError, match="shorten the question"):
        fit_to_context(smollm_tokenizer, "sys", [{"role": "user", "content": "word " * 500}], 100)


@pytest.mark.parametrize("messages, message", [([], "no message"), ([{"role": "assistant", "content": "hi"}], "last"),
                                               ([{"role": "user", "content": "x" * 5000}], "limit"),
                                               ([{"role": "bot", "content": "hi"}], "role"),
                                               ([{"role": "user", "content": "  "}], "empty")])
def test_bad_messages_raise_prompt_error(messages, message):
    with pytest.raises(PromptError, match=message):
        validate_messages(messages)


def test_users_cannot_inject_soft_token_placeholders():
    assert validate_messages([{"role": "user", "content": "hi <image> <region1>"}])[0]["content"] == "hi  "


def test_answer_references_become_pixel_boxes(known_result):
    regions = make_regions([[110, 40, 200, 100]], known_result.size)
    answer = "obj1 is a person at [0.1, 0.2, 0.5, 0.9]; region1 holds obj2 near [120, 50, 190, 100]. obj9 is unknown."
    refs = parse_references(answer, known_result, regions)
    assert [(r.kind, r.id) for r in refs] == [("object", "obj1"), ("box", None), ("region", "region1"),
                                              ("object", "obj2"), ("box", None)]
    assert refs[1].box == pytest.approx([20, 20, 100, 90])
    assert refs[4].box == pytest.approx([120, 50, 190, 100])
    assert refs[0].label == "person" and answer[slice(*refs[0].span)] == "obj1"


def test_generation_options_are_validated():
    assert GenerationSettings.from_kwargs(temperature=0).temperature == 0
    with pytest.raises(TypeError, match="unknown"):
        GenerationSettings.from_kwargs(temprature=1)
    with pytest.raises(ValueError):
        GenerationSettings.from_kwargs(top_p=0)
