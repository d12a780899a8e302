"""A detection the text read on it names is sure: the detector and the reader agree on what it is."""

import numpy as np

from lyrics_model.dialogue.scene_facts import ObjectFact
from lyrics_model.dialogue.text_confirms import confirmed_by_text
from lyrics_model.refiner.text_line import TextLine


def _thing(label, box):
    return ObjectFact(label, "on the left", "small", ["red"], np.array(box, np.float32))


def _line(text, score, box):
    x1, y1, x2, y2 = box
    return TextLine.from_polygon(text, score, [[x1, y1], [x2, y1], [x2, y2], [x1, y2]])


def test_a_word_of_the_name_read_inside_the_box_confirms_it():
    sign, truck = _thing("stop sign", [80, 170, 110, 205]), _thing("truck", [120, 40, 520, 450])
    lines = [_line("STOP", 0.99, (82, 178, 108, 198)), _line("TWO WAY", 0.95, (27, 72, 70, 88))]
    assert confirmed_by_text([sign, truck], lines) == {"stop sign"}


def test_an_unsure_reading_a_line_outside_or_another_word_confirms_nothing():
    sign = _thing("stop sign", [80, 170, 110, 205])
    assert confirmed_by_text([sign], [_line("STOP", 0.6, (82, 178, 108, 198))]) == set()  # the reader is unsure
    assert confirmed_by_text([sign], [_line("STOP", 0.99, (300, 178, 330, 198))]) == set()  # on another sign
    assert confirmed_by_text([sign], [_line("SLOW", 0.99, (82, 178, 108, 198))]) == set()
    bus = _thing("bus", [0, 0, 200, 100])
    assert confirmed_by_text([bus], [_line("BUSINESS PARK", 0.99, (20, 20, 120, 40))]) == set()  # whole words only
    assert confirmed_by_text([_thing("tv", [0, 0, 200, 100])], [_line("TV", 0.99, (20, 20, 60, 40))]) == set()
