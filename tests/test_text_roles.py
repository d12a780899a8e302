"""Which line of text fills a role: a line naming the role, or a line reading as a person's name."""

import numpy as np
import pytest

from lyrics_model.dialogue.text_roles import is_person_role, line_naming, name_line, reads_as_name
from lyrics_model.refiner.text_line import TextLine


def _line(text: str) -> TextLine:
    return TextLine(text, 0.95, (0.0, 0.0, 10.0, 10.0), np.zeros((4, 2), np.float32))


@pytest.mark.parametrize("text, name", [
    ("City Bank", "City Bank"),
    ("metroBank", "metro Bank"),  # run together by the reader: set apart at the capital
    ("Grand Hotel", None),  # another role
    ("Bank of England", "Bank of England"),  # the name after the role word
    ("Bank", None),  # the role word alone names nobody
    ("Bank: closed", None),
    ("embankment", None),
    ("Banker Smith", None),
])
def test_a_line_naming_the_role_names_the_one_filling_it(text, name):
    found = line_naming("bank", [_line(text)])
    assert (found[1] if found else None) == name


def test_a_role_named_by_several_lines_is_not_guessed():
    assert line_naming("bank", [_line("City Bank"), _line("Farm Bank")]) is None


@pytest.mark.parametrize("text, is_name", [
    ("Amélie Durand", True), ("Peter Okafor", True), ("J. Durand", True), ("Jane Austen", True),
    ("The Silent Sea", False), ("Silent Sea", False), ("Fresh Bread", False), ("Little Women", False),
    ("OPEN LATE", False), ("Keep clear", False), ("SALE", False), ("Okafor", False),
    ("Planted this orchard,", False), ("Peter Okafor Master Baker Since Then", False),
])
def test_a_name_is_a_few_title_case_words_not_all_common_english(text, is_name):
    assert reads_as_name(text) is is_name


def test_roles_people_fill_are_read_from_wordnet():
    assert all(is_person_role(r) for r in ("author", "artist", "photographer", "painter"))
    assert not any(is_person_role(r) for r in ("bank", "brand", "hotel", "title"))


def test_the_one_line_reading_as_a_name():
    cover = [_line("The Silent"), _line("of"), _line("Sea Stories"), _line("Amélie Durand"), _line("Vb")]
    assert name_line(cover).text == "Amélie Durand"
    assert name_line(cover + [_line("Peter Okafor")]) is None  # two names: which is the author is unknown
