"""The answer-quality benchmark: file format, first-sentence scoring, the three outcomes (right, can't tell,
wrong), objects named that the photo lacks, prompt-leak detection, the table."""

import json

import pytest

from lyrics_model.evaluation import (first_sentence, is_correct, leaks_prompt, names_absent, outcome, read_qa,
                                     results_table, says_cant_tell)
from lyrics_model.data.records import DataError
from lyrics_model.evaluation.qa import summarise

QA = "benchmarks/qa"


def test_scoring_reads_only_the_first_sentence():
    assert first_sentence("There are 3 people. One bus is blue.") == "There are 3 people."
    assert is_correct("There are 3 people. Maybe 4.", ["3", "three"])
    assert not is_correct("I see a bus. There are 3 people.", ["3", "three"])
    assert is_correct("Region1 is left of region2.", ["region ?1"])
    assert not is_correct("A carrot.", ["car"])  # whole words only


@pytest.mark.parametrize("answer, question, correct", [
    ("It looks like a cub or adult.", "Is this a cub or an adult?", False),  # both options: no choice made
    ("The leopard is facing left or right.", "Is the leopard facing left or right?", False),
    ("It is a cub.", "Is this a cub or an adult?", True),
    ("It looks like day or good light.", "Is it night or day?", True),  # one option, in other words
    ("Region3 is right of region1.", "Is region3 to the left or to the right of region1?", True),
    ("It is a cub or adult.", "How old is it?", True),  # not an either-or question
])
def test_an_answer_that_echoes_both_options_chose_neither(answer, question, correct):
    assert is_correct(answer, ["cub", "right", "day"], question) is correct


@pytest.mark.parametrize("answer, accepted, question, absent, expected", [
    # the offline profile's answers on the cheetah cub and on the photos
    ("The image shows 1 cheetah and 1 keyboard.", ["cheetahs?"], "Describe the image.", ["keyboard"], "wrong"),
    ("The image shows 1 cheetah.", ["cheetahs?"], "Describe the image.", ["keyboard"], "right"),
    ("The image shows 2 cheetahs. There are 2 keyboards.", ["cheetahs?"], "Describe the image.", ["keyboard"],
     "wrong"),  # named anywhere in the answer, plural too
    ("A cheetah cub; there is no keyboard.", ["cheetahs?", "cub"], "Describe the image.", ["keyboard"], "right"),
    ("A baseball bat.", ["cricket"], "What sport is being played?", [], "wrong"),
    ("I can't tell which sport this is; I can see seven people on a grass field.", ["cricket"],
     "What sport is being played?", [], "cant_tell"),
    ("I cannot tell what the sign says.", ["carry 4"], "What does the sign say?", [], "cant_tell"),
    ("I'm not sure. It might be a bullfrog.", ["snail"], "What is sitting on the frog's head?", [], "cant_tell"),
    ("It is not possible to tell the breed from this photo.", ["spaniels?"], "Which breed are the dogs?", [],
     "cant_tell"),
    ("I can't tell the sport, but I see a keyboard.", ["cricket"], "What sport is it?", ["keyboard"], "wrong"),
    ("A bullfrog. I'm not sure.", ["snail"], "What is sitting on the frog's head?", [], "wrong"),  # hedge too late
    ("I can't be sure, but it looks like cricket.", ["cricket"], "What sport is being played?", [], "right"),
    ("No, there is no water.", ["yes"], "Is there water in this photo?", [], "wrong"),
    ("The man is riding a passenger car.", ["bicycle", "bike"], "What is the man riding?", [], "wrong"),
    ("I can't tell how many wine bottles there are; I can see 2 bottles and 1 couch.", ["1|one"],
     "How many wine bottles can you see?", [], "cant_tell"),  # what is seen is no answer
    ("I'm not sure what this is; it may be a palace.", ["palace", "pagoda"], "What is in the picture?", [],
     "right"),  # a hedged guess that is right
    ("I'm not sure what the man is wearing; it may be a tie or a suit.", ["tie"], "What is the man wearing?", [],
     "cant_tell"),  # a hedge offering two things chose neither
    ("I'm not sure; it may say \"OPEN\" or \"OPEN 24\".", ["open"], "What does the sign say?", [], "cant_tell"),    ("I can't tell whether the cat's tongue is out; I can see 1 cat.", ["yes", "is out"],
     "Is the cat's tongue out?", [], "cant_tell"),  # the question repeated is no answer
    ("I can't tell whether it is sunny; I can see 3 horses.", ["it is sunny"], "Is it sunny?", [], "cant_tell"),
    ("I can't tell which line is the author; I can read \"Deep Learning\" and \"Ann Lee\".", ["ann lee"],
     "Who is the author?", [], "cant_tell"),  # two offered: neither chosen
    ("I can't tell which text is on the tub; I can read \"Fresh Milk\".", ["fresh milk"], "What does the tub say?",
     [], "right"),
    ("There are 2 people; I can't tell which of them are children.", ["2"], "How many children can you see?", [],
     "right"),  # what is told beside what is not
])
def test_every_answer_is_right_cant_tell_or_wrong(answer, accepted, question, absent, expected):
    assert outcome(answer, accepted, question, absent) == expected


def test_absent_objects_are_matched_on_whole_words_plural_aware_and_not_when_negated():
    assert names_absent("Two persons and a puppies' bowl.", ["person", "puppy"]) == ["person", "puppy"]
    assert names_absent("Three buses.", ["bus"]) == ["bus"]
    assert names_absent("A carrot and a catalogue.", ["car", "cat"]) == []  # whole words only
    assert names_absent("There are no people, only a dog.", ["people", "dog"]) == ["dog"]
    assert names_absent("A cat without any dogs nearby.", ["dog"]) == []
    assert says_cant_tell("I can’t see any text.") and not says_cant_tell("Yes. I can't tell more.")


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
    path.write_text(json.dumps({**good, "not": ["keyboard", "dog"]}) + "\n")
    assert read_qa(path)[0].absent == ["keyboard", "dog"]
    path.write_text(json.dumps({**good, "not": "keyboard"}) + "\n")
    with pytest.raises(DataError, match=r"qa.jsonl:1: not must be a list"):
        read_qa(path)


def test_the_shipped_dev_set_is_valid_and_covers_every_type(assets):
    items = read_qa(assets.parent / QA / "dev.jsonl")
    assert len(items) >= 60 and all(item.image.is_file() for item in items)
    assert {i.type for i in items} >= {"count", "category", "region", "attribute", "location", "relation",
                                       "existence", "caption"}
    phrasings = read_qa(assets.parent / QA / "phrasings.jsonl")
    assert all(item.image.is_file() for item in phrasings)
    asked = {(item.image, item.question) for item in items}
    assert not any((item.image, item.question) in asked for item in phrasings)  # other words, never the same question
    heldout = read_qa(assets.parent / QA / "heldout.jsonl")
    assert all(item.image.is_file() for item in heldout)
    assert not {item.image for item in heldout} & {item.image for item in items}  # photos the dev set never shows
    scenes = read_qa(assets.parent / QA / "scenes.jsonl")
    assert len(scenes) >= 40 and len({item.image for item in scenes}) >= 8
    assert all(item.image.is_file() and item.image.stat().st_size < 500_000 for item in scenes)
    seen = {item.image.resolve() for item in items + phrasings + heldout}
    assert not {item.image.resolve() for item in scenes} & seen  # photos no other set shows
    credits = (assets / "README.md").read_text()
    assert all(f"`{item.image.name}`" in credits for item in scenes)  # every new photo credited


def test_the_table_reports_outcomes_per_type_absent_objects_leaks_and_latency():
    row = {"type": "count", "leak": False, "seconds": 1.0, "ttft": 0.2, "error": None, "not": [], "names_absent": []}
    rows = [{**row, "outcome": "right"},
            {**row, "outcome": "wrong", "leak": True, "seconds": 3.0, "ttft": 0.4},
            {**row, "type": "caption", "outcome": "cant_tell", "not": ["dog"]},
            {**row, "type": "caption", "outcome": "wrong", "not": ["dog"], "names_absent": ["dog"]}]
    summary = summarise(rows)
    table = results_table(summary)
    assert summary["wrong_rate"] == 0.5 and summary["by_type"]["caption"]["cant_tell"] == 0.5
    assert table.startswith("**wrong 50%** · right 25% · can't tell 25% · coverage 75% (4 questions)")
    assert "| count | 2 | 50% | 0% | 50% | 100% |" in table and "| caption | 2 | 0% | 50% | 50% | 50% |" in table
    assert "| **overall** | 4 | 25% | 25% | **50%** | 75% |" in table
    assert "lacks (CHAIR-style, over questions with a `not` list): 1/2 = 50%" in table
    assert "prompt-leak rate 25%" in table and "median answer 1.00 s" in table


def test_run_qa_writes_each_answer_with_its_outcome_and_the_absent_objects_it_names(tmp_path, assets):
    from lyrics_model.evaluation import run_qa

    rows = [{"image": str(assets / "cat.jpg"), "question": q, "answers": a, "type": t, "not": n}
            for q, a, t, n in [("Describe the image.", ["cat"], "caption", ["dog"]),
                               ("What breed is it?", ["tabby"], "open", []),
                               ("How many cats?", ["1|one"], "count", [])]]
    path = tmp_path / "qa.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))

    class Answers:
        """Stands in for `Lyrics.chat_stream` with fixed answers: tests the scoring loop, not a model."""

        def __init__(self, answers):
            self.answers = iter(answers)

        def chat_stream(self, image, messages, regions=(), max_new_tokens=48):
            yield from next(self.answers)  # streamed one character at a time

    results = run_qa(Answers(["A cat and a dog.", "I can't tell the breed; I see a cat.", "There are 2 cats."]),
                     read_qa(path))
    assert [r["outcome"] for r in results["items"]] == ["wrong", "cant_tell", "wrong"]
    assert results["items"][0]["names_absent"] == ["dog"] and results["items"][1]["answer"].startswith("I can't")
    assert results["summary"]["absent_named"] == {"n": 1, "named": 1, "rate": 1.0}
