"""The lines of text read are grouped as a person reads them: the lines of one sign are one message, and
lines far apart or of very different sizes are different ones. Boxes are in pixels."""

from lyrics_model.dialogue.text_blocks import MAX_LINES, text_blocks
from lyrics_model.refiner.text_line import TextLine


def line(text, box, score=0.95):
    x1, y1, x2, y2 = box
    return TextLine.from_polygon(text, score, [[x1, y1], [x2, y1], [x2, y2], [x1, y2]])


def texts(lines):
    return [block.text for block in text_blocks(lines)]


def test_the_stacked_lines_of_one_sign_are_one_message():
    keep, right = line("KEEP", [100, 50, 160, 70]), line("RIGHT", [95, 80, 168, 100])  # gap 10 px, letters 20 px
    blocks = text_blocks([right, keep])
    assert [b.text for b in blocks] == ["KEEP RIGHT"]
    assert blocks[0].lines == (keep, right)
    assert blocks[0].box == (95, 50, 168, 100)


def test_lines_with_centres_or_left_edges_lined_up_join_though_they_barely_overlap():
    centred = [line("CITY", [200, 10, 240, 30]), line("MUSEUM OF MODERN ART", [120, 36, 320, 56])]
    assert texts(centred) == ["CITY MUSEUM OF MODERN ART"]
    flush_left = [line("Dr. A. Smith", [10, 10, 130, 28]), line("Dentist", [10, 34, 80, 52])]
    assert texts(flush_left) == ["Dr. A. Smith Dentist"]


def test_two_signs_far_apart_stay_apart():
    left, right = line("EXIT", [10, 10, 60, 30]), line("OPEN", [400, 12, 450, 32])
    assert texts([left, right]) == ["EXIT", "OPEN"]
    above, below = line("EXIT", [10, 10, 60, 30]), line("OPEN", [10, 80, 60, 100])  # gap 2.5 line heights
    assert texts([above, below]) == ["EXIT", "OPEN"]
    beside_below = [line("EXIT", [10, 10, 60, 30]), line("OPEN", [120, 40, 170, 60])]  # stacked but not lined up
    assert texts(beside_below) == ["EXIT", "OPEN"]


def test_a_big_title_and_the_small_print_under_it_are_different_messages():
    title, credit = line("THE HOBBIT", [20, 20, 300, 80]), line("J. R. R. Tolkien", [20, 90, 200, 110])
    assert texts([title, credit]) == ["THE HOBBIT", "J. R. R. Tolkien"]


def test_words_on_one_row_join_left_to_right():
    words = [line("STREET", [130, 20, 200, 40]), line("HIGH", [70, 21, 120, 41])]  # gap 10 px, letters 20 px
    assert texts(words) == ["HIGH STREET"]
    assert texts([line("STREET", [200, 20, 270, 40]), line("HIGH", [70, 21, 120, 41])]) == ["HIGH", "STREET"]


def test_blocks_and_their_lines_are_in_reading_order():
    lines = [line("bottom", [10, 200, 80, 220]), line("right", [300, 12, 360, 32]), line("left", [10, 10, 60, 30]),
             line("two", [10, 36, 50, 56])]
    assert texts(lines) == ["left two", "right", "bottom"]
    overlapping = [line("second line", [5, 22, 200, 52]), line("first line", [10, 10, 190, 42])]  # boxes overlap
    assert texts(overlapping) == ["first line second line"]


def test_a_block_is_as_sure_as_its_least_sure_line():
    block, = text_blocks([line("KEEP", [100, 50, 160, 70], 0.99), line("RIGHT", [95, 80, 168, 100], 0.8)])
    assert block.score == 0.8


def test_at_most_the_first_lines_are_considered():
    many = [line(f"L{i}", [10, 10 + 100 * i, 40, 30 + 100 * i]) for i in range(MAX_LINES + 5)]
    assert len(text_blocks(many)) == MAX_LINES
