"""Questions about text through the real offline chat path: answered with the lines the reader returned,
quoted exactly (the lines of one sign joined by spaces), never with text that is not in the photo."""

import re

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lyrics_model.data.synthetic_text import FONT_DIR, text_photo


def _ask(lyrics, rgb, question, regions=None):
    return lyrics.chat(rgb, [{"role": "user", "content": question}], regions=regions)


def _made_of(quoted: str, read: set) -> bool:
    """True when `quoted` is lines that were read, exactly as read, joined by single spaces."""
    return quoted in read or any(quoted.startswith(line + " ") and _made_of(quoted[len(line) + 1:], read)
                                 for line in read)


def _sign(lines, letters: int = 48) -> np.ndarray:
    """A 480 x 360 photo of a white sign with `lines` centred one above the other, `letters` pixels high."""
    photo = Image.new("RGB", (480, 360), (90, 120, 90))
    draw = ImageDraw.Draw(photo)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), letters)
    draw.rectangle((140, 80, 340, 120 + len(lines) * letters * 1.3), fill=(245, 245, 245))
    for i, text in enumerate(lines):
        draw.text((240 - draw.textlength(text, font=font) / 2, 100 + i * letters * 1.3), text, font=font,
                  fill=(20, 20, 20))
    return np.asarray(photo)


def test_a_text_question_quotes_only_what_was_read(offline_lyrics):
    photo = text_photo(3, x_heights=(16, 24), items=2, max_rotation=5)
    read = {line.text for line in offline_lyrics.refiner.read_text(photo.rgb)}
    answer = _ask(offline_lyrics, photo.rgb, "What does the text say?")
    quoted = re.findall(r'"([^"]+)"', answer)
    assert read and quoted and all(_made_of(q, read) for q in quoted), (answer, read)
    assert answer.startswith("It says ") or answer.startswith("I'm not sure; it may say ")
    assert set(quoted) & {line.text for line in photo.lines}  # what was drawn, read back


def test_the_lines_of_one_sign_are_quoted_as_one_message(offline_lyrics):
    rgb = _sign(["KEEP", "RIGHT"])
    assert [line.text for line in offline_lyrics.refiner.read_text(rgb)] == ["KEEP", "RIGHT"]  # read line by line
    assert _ask(offline_lyrics, rgb, "What does the text say?") == 'It says "KEEP RIGHT".'
    assert re.findall(r'"([^"]+)"', _ask(offline_lyrics, rgb, "What does the sign say?")) == ["KEEP RIGHT"]


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


def test_the_one_number_read_is_offered_for_a_thing_no_model_names(offline_lyrics):
    photo = Image.new("RGB", (480, 360), (200, 190, 170))  # a wall, and a brown door with a number plate on it
    draw = ImageDraw.Draw(photo)
    draw.rectangle((170, 60, 310, 360), fill=(110, 70, 40))
    draw.rectangle((205, 110, 275, 160), fill=(240, 240, 235))
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), 36)
    draw.text((240 - draw.textlength("27", font=font) / 2, 115), "27", font=font, fill=(20, 20, 20))
    rgb = np.asarray(photo)
    assert [line.text for line in offline_lyrics.refiner.read_text(rgb)] == ["27"]
    assert _ask(offline_lyrics, rgb, "Which number is on the door?") == \
        'I\'m not sure it is on the door; the one number I can read is "27".'
