"""The answer-quality benchmark: file format, first-sentence scoring, prompt-leak detection, the table."""

import json

import pytest

from lyrics_model.evaluation import first_sentence, is_correct, leaks_prompt, read_qa, results_table
from lyrics_model.data.records import DataError
from lyrics_model.evaluation.qa import summarise


def test_scoring_reads_only_the_first_sentence():
    assert first_sentence("There are 3 people. One bus is blue.") == "There are 3 people."
    assert is_correct("There are 3 people. Maybe 4.", ["3", "three"])
    assert not is_correct("I see a bus. There are 3 people.", ["3", "three"])
    assert is_correct("Region1 is left of region2.", ["region ?1"])
    assert not is_correct("A carrot.", ["car"])  # whole words only


@pytest.mark.parametrize("answer, question, correct", [
    ("It looks like a cub or adult.", "Is it a cub or an adult?", False),  # both options: no choice made
    ("The cheetah is facing left or right.", "Is the cheetah facing left or right?", False),
    ("It is a cub.", "Is it a cub or an adult?", True),
    ("It looks like day or good light.", "Is it day or night?", True),  # one option, in other words
    ("Region2 is right of region1.", "Is region2 to the left or to the right of region1?", True),
    ("It is a cub or adult.", "How old is it?", True),  # not an either-or question
])
def test_an_answer_that_echoes_both_options_chose_neither(answer, question, correct):
    assert is_correct(answer, ["cub", "right", "day"], question) is correct


@pytest.mark.parametrize("answer, question, leak", [
    ("Region1 is the best overlap obj1 person (IoU 0.82).", "What is region1?", True),
    ("A person [0.100, 0.200, 0.300, 0.400].", "What is region1?", True),
    ("Its crop tags are suit, jersey.", "What is region1?", True),
    ("A man in a beige coat.", "What is region1?", False),
    ("[0.100, 0.200, 0.300, 0.400]", "Give the bounding box of the bus.", False),
])
def test_prompt_leaks_are_detected_unless_coordinates_were_asked(answer, question, leak):
    assert leaks_prompt(answer, question) is leak


def test_qa_files_resolve_images_and_report_bad_lines(tmp_path):
    good = {"image": "a.jpg", "question": "How many?", "answers": ["1"], "type": "count", "regions": [[0, 0, 5, 5]]}
    packaged = {"image": "package:ultralytics/assets/bus.jpg", "question": "Q", "answers": ["x"], "type": "open"}
    path = tmp_path / "qa.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(packaged) + "\n")
    first, second = read_qa(path)
    assert first.image == tmp_path / "a.jpg" and first.regions == [[0, 0, 5, 5]] and first.line == 1
    assert second.image.is_file() and second.line == 3
    path.write_text(json.dumps({**good, "type": "colour"}) + "\n")
    with pytest.raises(DataError, match=r"qa.jsonl:1: type must be one of"):
        read_qa(path)


def test_the_shipped_dev_set_is_valid_and_covers_every_type(assets):
    items = read_qa(assets.parent / "benchmarks" / "qa" / "dev.jsonl")
    assert len(items) >= 60 and all(item.image.is_file() for item in items)
    assert {i.type for i in items} >= {"count", "category", "region", "attribute", "location", "relation",
                                       "existence", "caption"}
    phrasings = read_qa(assets.parent / "benchmarks" / "qa" / "phrasings.jsonl")
    assert all(item.image.is_file() for item in phrasings)
    asked = {(item.image, item.question) for item in items}
    assert not any((item.image, item.question) in asked for item in phrasings)  # other words, never the same question
    heldout = read_qa(assets.parent / "benchmarks" / "qa" / "heldout.jsonl")
    assert all(item.image.is_file() for item in heldout)
    assert not {item.image for item in heldout} & {item.image for item in items}  # photos the dev set never shows


def test_the_table_reports_accuracy_per_type_leaks_and_latency():
    rows = [{"type": "count", "correct": True, "leak": False, "seconds": 1.0, "ttft": 0.2, "error": None},
            {"type": "count", "correct": False, "leak": True, "seconds": 3.0, "ttft": 0.4, "error": None}]
    table = results_table(summarise(rows))
    assert "| count | 2 | 50% |" in table and "prompt-leak rate 50%" in table and "median answer 2.00 s" in table
