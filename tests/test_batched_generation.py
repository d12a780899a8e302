"""Continuous batching: answers that run at the same time decode together, and each is exactly the
answer `model.generate` gives for it alone (greedy), with its own settings, stream and stop switch."""

import threading
import time

import numpy as np
import pytest
import torch

from lyrics_model.modeling import BatchedGenerator, GenerationSettings, load_language_model

PROMPTS = ["Hello!", "What is the capital of France? Answer in one word.", "Count from one to ten.",
           "Describe a cat sitting on a red bed in a sunny room, with as much detail as you can.",
           "Hi", "Tell me a story about a rocket.", "Why is the sky blue?", "Name three fruits."]


@pytest.fixture(scope="module")
def tiny_llm(tiny_llm_dir):
    return load_language_model("hf", "tiny-llama", weights=tiny_llm_dir)


def encode(llm, text: str) -> dict:
    ids = llm.tokenizer.apply_chat_template([{"role": "user", "content": text}], add_generation_prompt=True,
                                           return_tensors="pt", return_dict=True)
    return {"input_ids": ids["input_ids"], "attention_mask": ids["attention_mask"]}


def generate_alone(llm, inputs: dict, settings: GenerationSettings) -> str:
    """The reference: transformers' own `generate`, one request, greedy."""
    with torch.inference_mode():
        out = llm.model.generate(**inputs, max_new_tokens=settings.max_new_tokens, do_sample=False,
                                 repetition_penalty=settings.repetition_penalty, temperature=None, top_p=None,
                                 top_k=None, pad_token_id=llm.tokenizer.pad_token_id)
    return llm.tokenizer.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)


def run_together(generator, requests) -> list[str]:
    """Start every (inputs, settings) request at once from its own thread; their whole answers."""
    answers = [None] * len(requests)

    def run(i):
        answers[i] = "".join(generator.stream(*requests[i]))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def test_greedy_answers_decoded_together_equal_generate_alone(tiny_llm):
    # Different prompt lengths, answer lengths and repetition penalties in one batch.
    requests = [(encode(tiny_llm, p), GenerationSettings(max_new_tokens=12 + 5 * i, repetition_penalty=1.0 + 0.05 * (i % 3)))
                for i, p in enumerate(PROMPTS)]
    expected = [generate_alone(tiny_llm, *r) for r in requests]
    assert len(set(expected)) > 4 and all(expected)
    assert run_together(BatchedGenerator(tiny_llm, max_batch=8), requests) == expected
    # More requests than rows: the rest join as rows free up.
    assert run_together(BatchedGenerator(tiny_llm, max_batch=3), requests) == expected


def test_prompts_given_as_embeddings_decode_like_generate(tiny_llm):
    inputs = [encode(tiny_llm, p) for p in PROMPTS[:3]]
    embedded = [{"inputs_embeds": tiny_llm.embed_tokens(x["input_ids"]).detach(), "attention_mask": x["attention_mask"]}
                for x in inputs]
    settings = GenerationSettings(max_new_tokens=15)
    with torch.inference_mode():
        expected = [tiny_llm.tokenizer.decode(tiny_llm.model.generate(**e, max_new_tokens=15, do_sample=False,
                                                                      repetition_penalty=1.1, temperature=None,
                                                                      top_p=None, top_k=None)[0],
                                              skip_special_tokens=True) for e in embedded]
    assert run_together(BatchedGenerator(tiny_llm), [(e, settings) for e in embedded]) == expected


def test_prompts_sharing_the_system_prompt_encode_it_once_and_answer_like_generate(tiny_llm):
    system = "You answer questions about one image in one short sentence. Trust the facts below."

    def with_system(text):
        ids = tiny_llm.tokenizer.apply_chat_template([{"role": "system", "content": system}, {"role": "user", "content": text}],
                                                     add_generation_prompt=True, return_tensors="pt", return_dict=True)
        return {"input_ids": ids["input_ids"], "attention_mask": ids["attention_mask"]}

    shared = with_system(PROMPTS[0])["input_ids"][0]
    common = int((shared[:20] == with_system(PROMPTS[1])["input_ids"][0, :20]).cumprod(0).sum()) - 1
    generator = BatchedGenerator(tiny_llm, shared_prefix=shared[:common])
    settings = GenerationSettings(max_new_tokens=15)
    # Rows that start with the prefix, one that does not (no system prompt) and one given as embeddings.
    requests = [(with_system(p), settings) for p in PROMPTS[:5]] + [(encode(tiny_llm, PROMPTS[5]), settings)]
    plain = encode(tiny_llm, PROMPTS[6])
    embedded = {"inputs_embeds": tiny_llm.embed_tokens(plain["input_ids"]).detach(), "attention_mask": plain["attention_mask"]}
    expected = [generate_alone(tiny_llm, *r) for r in requests] + [generate_alone(tiny_llm, plain, settings)]
    assert run_together(generator, requests + [(embedded, settings)]) == expected
    assert generator._prefix_cache is not None  # the prefix was encoded (once) and used
    assert "".join(generator.stream(*requests[2])) == expected[2]  # a prefix row alone, on the cached prefix


def test_a_kept_prompt_head_is_encoded_once_and_later_prompts_answer_like_generate(tiny_llm):
    system = "You answer questions about one image. The image shows 2 dogs and a red ball on the grass."

    def about_the_image(question):
        ids = tiny_llm.tokenizer.apply_chat_template([{"role": "system", "content": system},
                                                      {"role": "user", "content": question}],
                                                     add_generation_prompt=True, return_tensors="pt", return_dict=True)
        return {"input_ids": ids["input_ids"], "attention_mask": ids["attention_mask"]}

    first, second = about_the_image(PROMPTS[1]), about_the_image(PROMPTS[2])
    head = int((first["input_ids"][0, :40] == second["input_ids"][0, :40]).cumprod(0).sum()) - 1
    shared = head // 2  # the template's opening and part of the system prompt, shared by every prompt
    generator = BatchedGenerator(tiny_llm, shared_prefix=first["input_ids"][0, :shared])
    encoded = []  # prompt tokens each encoding pass computes, per row
    hook = tiny_llm.model.register_forward_pre_hook(
        lambda module, args, kwargs: encoded.append(kwargs["inputs_embeds"].shape[1]) if "inputs_embeds" in kwargs else None,
        with_kwargs=True)
    settings = GenerationSettings(max_new_tokens=15)
    try:
        assert "".join(generator.stream(first, settings, reusable=head)) == generate_alone(tiny_llm, first, settings)
        assert encoded == [first["input_ids"].shape[1] - shared]  # only the shared prefix was known
        encoded.clear()
        # The next question about the same image is encoded from the end of the kept head, alone or
        # batched with a prompt on the shared prefix only and one with nothing known.
        assert "".join(generator.stream(second, settings, reusable=head)) == generate_alone(tiny_llm, second, settings)
        assert encoded == [second["input_ids"].shape[1] - head]
        third, plain = about_the_image(PROMPTS[6]), encode(tiny_llm, PROMPTS[7])
        other = {key: value.clone() for key, value in third.items()}
        other["input_ids"][0, head - 2] += 1  # another image: the same length, one token differs
        requests = [(third, settings), (other, settings), (plain, settings)]
        answers = run_together(generator, [(i, s, None, head if i is not plain else 0) for i, s in requests])
        assert answers == [generate_alone(tiny_llm, *r) for r in requests]
        assert len(generator._heads) == 2  # the other image's head is kept too
        generator.clear_prefixes()
        assert len(generator._heads) == 0
    finally:
        hook.remove()


def test_every_grounded_prompt_starts_with_the_shared_prefix(tiny_llm):
    from lyrics_model.dialogue import shared_prefix_ids
    from lyrics_model.dialogue.conversation import SYSTEM_PROMPT, render

    prefix = shared_prefix_ids(tiny_llm.tokenizer)
    assert len(prefix) > 20
    for facts in ("The image shows 3 people, 1 bus.\nTags: minibus.", "The image shows nothing I can name."):
        text = render(tiny_llm.tokenizer, SYSTEM_PROMPT + "\n\n" + facts, [{"role": "user", "content": "What is region1?"}])
        assert tiny_llm.tokenizer(text, add_special_tokens=False).input_ids[: len(prefix)] == prefix


def test_prompts_still_being_built_are_encoded_with_the_queued_ones(tiny_llm):
    generator = BatchedGenerator(tiny_llm)
    generator.max_gather_s = 60.0  # only the announcement ends the wait here
    encoded = []  # rows of each pass that encodes prompts (decoding steps pass token ids)
    hook = tiny_llm.model.register_forward_pre_hook(
        lambda module, args, kwargs: encoded.append(len(kwargs["inputs_embeds"])) if "inputs_embeds" in kwargs else None,
        with_kwargs=True)
    settings = GenerationSettings(max_new_tokens=6)
    try:
        with generator.expecting():  # another visitor's prompt is still being built
            first = generator.stream(encode(tiny_llm, PROMPTS[0]), settings)
            time.sleep(10 * generator.gather_s)  # without the announcement `first` would be encoded alone by now
            second = generator.stream(encode(tiny_llm, PROMPTS[1]), settings)
        answers = ["".join(first), "".join(second)]
        assert answers == [generate_alone(tiny_llm, encode(tiny_llm, p), settings) for p in PROMPTS[:2]]
        assert encoded == [2]
        # A batch is decoding: a new request waits for the announced one, and both join it in one pass.
        running = generator.stream(encode(tiny_llm, PROMPTS[3]), GenerationSettings(max_new_tokens=300))
        next(running)
        with generator.expecting():
            third = generator.stream(encode(tiny_llm, PROMPTS[2]), settings)
            time.sleep(10 * generator.gather_s)
            fourth = generator.stream(encode(tiny_llm, PROMPTS[4]), settings)
        assert "".join(third) and "".join(fourth)
        running.close()
        assert encoded == [2, 1, 2]
        # An announcement that never turns into a request delays the queued ones by max_gather_s at most.
        generator.max_gather_s = 0.2
        with generator.expecting():
            assert "".join(generator.stream(encode(tiny_llm, PROMPTS[0]), settings)) == answers[0]
    finally:
        hook.remove()


def test_a_stopped_answer_ends_while_the_others_go_on(tiny_llm):
    generator = BatchedGenerator(tiny_llm)
    long = GenerationSettings(max_new_tokens=200, repetition_penalty=1.0)
    stop = threading.Event()
    stream = generator.stream(encode(tiny_llm, PROMPTS[3]), long, stop)
    next(stream)
    other = [None]
    thread = threading.Thread(target=lambda: other.__setitem__(0, "".join(generator.stream(encode(tiny_llm, PROMPTS[1]),
                                                                                          long))))
    thread.start()
    stop.set()
    rest = list(stream)
    assert len(rest) <= 2  # the token in flight at most
    thread.join(120)
    assert other[0] == generate_alone(tiny_llm, encode(tiny_llm, PROMPTS[1]), long)


def test_sampled_answers_keep_their_own_settings_and_a_bad_request_fails_alone(tiny_llm):
    generator = BatchedGenerator(tiny_llm)
    sampled = GenerationSettings(max_new_tokens=20, temperature=1.2, top_p=0.95)
    greedy = GenerationSettings(max_new_tokens=20)
    prompt = encode(tiny_llm, PROMPTS[0])
    answers = run_together(generator, [(prompt, sampled)] * 4 + [(prompt, greedy)])
    assert len(set(answers[:4])) > 1  # sampling varies
    assert answers[4] == generate_alone(tiny_llm, prompt, greedy)
    bad = {"input_ids": torch.tensor([[10**9]]), "attention_mask": torch.ones((1, 1), dtype=torch.long)}
    with pytest.raises(IndexError):
        list(generator.stream(bad, greedy))
    assert "".join(generator.stream(prompt, greedy)) == answers[4]  # the worker goes on


def test_closing_the_stream_frees_its_row(tiny_llm):
    generator = BatchedGenerator(tiny_llm, max_batch=1)
    stream = generator.stream(encode(tiny_llm, PROMPTS[3]), GenerationSettings(max_new_tokens=500))
    next(stream)
    stream.close()  # a visitor who left: the only row must free up for the next request
    assert "".join(generator.stream(encode(tiny_llm, PROMPTS[0]), GenerationSettings(max_new_tokens=5)))


def test_the_answer_dtype_is_chosen_per_device_and_can_be_set(tiny_llm_dir):
    from dataclasses import replace

    from lyrics_model import PROFILES, Lyrics
    from lyrics_model.modeling import inference_dtype
    from lyrics_model.modeling.llm import _cpu_has_native_bf16
    from lyrics_model.profiles import ModelChoice

    assert inference_dtype("cpu") == (torch.bfloat16 if _cpu_has_native_bf16() else torch.float32)
    assert inference_dtype("cpu", "float16") == torch.float16
    with pytest.raises(ValueError, match="llm dtype must be auto or one of"):
        inference_dtype("cpu", "int4")
    profile = replace(PROFILES["offline"], name="offline-tiny-llm", llm=ModelChoice("hf", "tiny-llama", "Apache-2.0"))
    messages = [{"role": "user", "content": "Describe the image."}]  # the language model answers it
    image = np.full((64, 64, 3), 200, np.uint8)
    for name in ("float32", "bfloat16"):
        lyr = Lyrics.from_profile(profile, weights={"llm": tiny_llm_dir}, llm_dtype=name)
        assert lyr.chat(image, messages, max_new_tokens=6)
        assert lyr.describe()["roles"]["llm"]["dtype"] == name


def test_close_stops_the_worker_and_a_later_answer_starts_a_new_one(tiny_llm):
    generator = BatchedGenerator(tiny_llm)
    request = (encode(tiny_llm, "Hi"), GenerationSettings(max_new_tokens=8))
    first = "".join(generator.stream(*request))
    worker = generator._worker
    generator.close()
    assert worker is not None and not worker.is_alive() and generator._worker is None
    assert "".join(generator.stream(*request)) == first


EXIT_WHILE_ANSWERING = """
import sys
from lyrics_model.modeling import BatchedGenerator, GenerationSettings, load_language_model
llm = load_language_model("hf", "tiny-llama", weights=sys.argv[1])
ids = llm.tokenizer.apply_chat_template([{"role": "user", "content": "Hi"}], add_generation_prompt=True,
                                        return_tensors="pt", return_dict=True)
stream = BatchedGenerator(llm).stream(dict(ids), GenerationSettings(max_new_tokens=64))
next(stream)  # leave while the worker is still decoding
"""


@pytest.mark.slow
def test_the_process_exits_cleanly_while_an_answer_is_decoding(tiny_llm_dir, tmp_path):
    import subprocess
    import sys

    script = tmp_path / "leave.py"
    script.write_text(EXIT_WHILE_ANSWERING)
    for _ in range(2):  # the abort it guards against comes at most runs, not all
        done = subprocess.run([sys.executable, str(script), str(tiny_llm_dir)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
