"""The text read says what a detection is: a stop sign reading "STOP" is sure; a big one reading nothing is a
guess."""

import numpy as np

from lyrics_model.dialogue.scene_facts import ObjectFact
from lyrics_model.language.kinds import COCO_SENSES, senses_of
from lyrics_model.dialogue.text_confirms import confirmed_by_text, disputed_by_text
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


def _senses(label):
    return senses_of(label, COCO_SENSES.get(label))


def test_a_sign_big_enough_to_read_on_which_nothing_is_read_is_disputed():
    big = _thing("stop sign", [100, 20, 900, 800])  # a bowl of red fruit filling the photo, taken for a stop sign
    assert disputed_by_text([big], [], _senses) == {"stop sign"}
    assert disputed_by_text([big], [_line("ALTO", 0.95, (300, 300, 700, 450))], _senses) == set()  # any word read
    small = _thing("stop sign", [80, 170, 110, 205])  # too small for its letters to be read: no dispute
    assert disputed_by_text([small], [], _senses) == set()
    assert disputed_by_text([big, small], [], _senses) == set()  # one of them may be a real, far sign
    light = _thing("traffic light", [100, 20, 200, 400])  # a signal, no display of a message
    assert disputed_by_text([light], [], _senses) == set()
