"""Streaming generation with a stop switch, shared by both inference modes."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Iterator

import torch
from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer


@dataclass
class GenerationSettings:
    """max_new_tokens: answer length limit. temperature: 0 means greedy and deterministic.
    top_p: nucleus sampling mass (sampling only). repetition_penalty: >1 discourages loops."""

    max_new_tokens: int = 200
    temperature: float = 0.0
    top_p: float = 0.9
    repetition_penalty: float = 1.1

    @classmethod
    def from_kwargs(cls, **kwargs) -> "GenerationSettings":
        unknown = set(kwargs) - set(asdict(cls()))
        if unknown:
            raise TypeError(f"unknown generation options: {', '.join(sorted(unknown))}")
        settings = cls(**kwargs)
        if settings.max_new_tokens < 1 or settings.temperature < 0 or not 0 < settings.top_p <= 1:
            raise ValueError("need max_new_tokens >= 1, temperature >= 0 and 0 < top_p <= 1")
        return settings

    def to_generate_kwargs(self) -> dict:
        kwargs = {"max_new_tokens": self.max_new_tokens, "repetition_penalty": self.repetition_penalty}
        if self.temperature > 0:
            kwargs.update(do_sample=True, temperature=self.temperature, top_p=self.top_p)
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        return kwargs


class _StopWhenSet(StoppingCriteria):
    def __init__(self, event: threading.Event):
        self.event = event

    def __call__(self, input_ids, scores, **kwargs) -> bool:
        return self.event.is_set()


def stream_generate(llm, inputs: dict, settings: GenerationSettings,
                    stop_event: threading.Event | None = None) -> Iterator[str]:
    """Yield the answer's text chunks as the model produces them.

    inputs: `input_ids` + `attention_mask`, or `inputs_embeds` + `attention_mask`, batch 1.
    Setting `stop_event`, or closing the iterator, ends generation after the current token.
    """
    stop_event = stop_event or threading.Event()
    streamer = TextIteratorStreamer(llm.tokenizer, skip_prompt="input_ids" in inputs, skip_special_tokens=True)
    kwargs = dict(inputs, streamer=streamer, stopping_criteria=StoppingCriteriaList([_StopWhenSet(stop_event)]),
                  pad_token_id=llm.tokenizer.pad_token_id, **settings.to_generate_kwargs())
    errors: list[BaseException] = []

    def run():
        try:
            with torch.inference_mode():
                llm.model.generate(**kwargs)
        except BaseException as err:  # re-raised in the consumer's thread
            errors.append(err)
            streamer.end()

    thread = threading.Thread(target=run, daemon=True, name="lyrics-generate")
    thread.start()
    try:
        for chunk in streamer:
            if chunk:
                yield chunk
    finally:
        stop_event.set()
        thread.join()
    if errors:
        raise errors[0]
