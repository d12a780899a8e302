"""Questions about text through the real offline chat path: answered with the lines the reader returned,
quoted exactly, never with text that is not in the photo."""

import re

import numpy as np

from lyrics_model.data.synthetic_text import text_photo


def _ask(lyrics, rgb, question, regions=None):
    return lyrics.chat(rgb, [{"role": "user", "content": question}], regions=regions)


def test_a_text_question_quotes_only_what_was_read(offline_lyrics):
    photo = text_photo(3, x_heights=(16, 24), items=2, max_rotation=5)
    read = {line.text for line in offline_lyrics.refiner.read_text(photo.rgb)}
    answer = _ask(offline_lyrics, photo.rgb, "What does the text say?")
    quoted = re.findall(r'"([^"]+)"', answer)
    assert read and quoted and set(quoted) <= read, (answer, read)
    assert answer.startswith("It says ") or answer.startswith("I'm not sure; it may say ")
    assert set(quoted) & {line.text for line in photo.lines}  # what was drawn, read back


def test_text_inside_the_region_asked_about_comes_first(offline_lyrics):
    photo = text_photo(11, x_heights=(16, 24), items=3, max_rotation=0)
    drawn = photo.lines[0]
    x1, y1, x2, y2 = drawn.box
    answer = _ask(offline_lyrics, photo.rgb, "What is written on region1?",
                  regions=[[max(0, x1 - 4), max(0, y1 - 4), x2 + 4, y2 + 4]])
    quoted = re.findall(r'"([^"]+)"', answer)
    assert quoted and all(q in drawn.text or drawn.text in q for q in quoted), (answer, drawn.text)


def test_no_text_is_said_so_and_none_invented(offline_lyrics):
    plain = np.full((240, 320, 3), 180, np.uint8)
    assert _ask(offline_lyrics, plain, "What does the sign say?") == "I can't see any text I can read."
    assert _ask(offline_lyrics, plain, "Is there any text?") == "I can't see any text I can read."
