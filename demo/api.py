"""Stateless endpoints for programs (`gradio_client`): refine, segment_point, chat, chat_stream, and
chat_links / answer_links (an answer with each phrase linked to the objects or regions it names).

Each takes everything it needs in its arguments, so calls from different clients never share state.
Images are accepted only as uploads (`require_upload`). Every coordinate in or out is in the uploaded
photo's pixels, whatever its size. Refusals reach the client as `gr.Error` messages and the server log as
one line each (`refusals`).
"""

from __future__ import annotations

from typing import Iterator

import numpy as np
import gradio as gr

from lyrics_model import Lyrics, rle_to_mask

from .refusals import refusals_logged
from .uploads import require_upload

MAX_HISTORY = 40
#: The longest answer /answer_links reads (characters), as long as a message may be.
MAX_ANSWER = 4000


class Endpoints:
    """The API functions, bound to one shared, read-only `Lyrics`."""

    def __init__(self, lyrics: Lyrics):
        self.lyrics = lyrics

    @refusals_logged("/refine")
    def refine(self, image: str | None) -> dict:
        """Image -> tags, objects (boxes in the photo's pixels and normalised, COCO RLE masks at the photo's
        size), texts (the lines of text read: string, 0-1 score, box and 4-corner polygon in the photo's
        pixels; null with a notice where no reader could read), timings, the working scale."""
        return self.lyrics.refine(require_upload(image), read_text=True).to_json()

    @refusals_logged("/segment_point", ValueError)
    def segment_point(self, image: str | None, points, labels) -> dict:
        """Image + points [[x, y], ...] (pixels) + labels [1 object / 0 background] -> mask RLE and box."""
        image = require_upload(image)
        if not isinstance(points, list) or not isinstance(labels, list):
            raise gr.Error("points must be a list of [x, y] pairs and labels a list of 1/0")
        return self.lyrics.segment_point(image, np.asarray(points, np.float32).reshape(-1, 2), labels).to_json()

    @refusals_logged("/chat")
    def chat(self, image: str | None, message: str, history, regions) -> str:
        """Image + question + earlier messages [{"role", "content"}] + regions (pixel boxes
        [x1, y1, x2, y2] or COCO RLE masks, referred to as region1, region2, ...) -> the answer."""
        answer = ""
        for answer in self._answer(image, message, history, regions):
            pass
        return answer

    @refusals_logged("/chat_stream")
    def chat_stream(self, image: str | None, message: str, history, regions) -> Iterator[str]:
        """As `chat`, but yields the answer so far after each new piece (gradio_client: `submit()`)."""
        yield from self._answer(image, message, history, regions)

    @refusals_logged("/chat_links")
    def chat_links(self, image: str | None, message: str, history, regions) -> dict:
        """As `chat`, with the answer's phrase links: {"answer", "links": [{"phrase", "span": [start, end) in the
        answer, "ids", "things": [{"id", "label", "box" (photo pixels), "mask" (COCO RLE), "colour_index"}]}]}."""
        answer = ""
        for answer in self._answer(image, message, history, regions):
            pass
        return self._links(require_upload(image), answer,
                           self._history(history) + [{"role": "user", "content": message or ""}], regions)

    @refusals_logged("/answer_links")
    def answer_links(self, image: str | None, answer: str, history, regions) -> dict:
        """Image + an answer (from /chat_stream, say) + the messages before it + regions -> {"answer", "links"}
        as `chat_links` gives them; history settles what "it" stands for."""
        if not isinstance(answer, str) or len(answer) > MAX_ANSWER:
            raise gr.Error(f"answer must be a text of at most {MAX_ANSWER} characters")
        return self._links(require_upload(image), answer, self._history(history), regions)

    def _links(self, image: str, answer: str, history: list, regions) -> dict:
        try:
            masks = [rle_to_mask(r) if isinstance(r, dict) else r for r in regions or []]
            links = self.lyrics.answer_links(image, answer, regions=masks, history=history)
        except (ValueError, KeyError, TypeError) as err:  # malformed regions or messages
            raise gr.Error(str(err)) from None
        return {"answer": answer, "links": [link.to_json() for link in links]}

    @staticmethod
    def _history(history) -> list:
        history = history or []
        if not isinstance(history, list) or len(history) > MAX_HISTORY:
            raise gr.Error(f"history must be a list of at most {MAX_HISTORY} messages")
        return history

    def _answer(self, image: str | None, message: str, history, regions) -> Iterator[str]:
        """The answer so far after each new piece; raises gr.Error or LyricsError for what it refuses."""
        image = require_upload(image)
        history = self._history(history)
        try:
            masks = [rle_to_mask(r) if isinstance(r, dict) else r for r in regions or []]
            messages = list(history) + [{"role": "user", "content": message or ""}]
            answer = ""
            for chunk in self.lyrics.chat_stream(image, messages, regions=masks):
                answer += chunk
                yield answer
        except (ValueError, KeyError, TypeError) as err:  # malformed regions or messages
            raise gr.Error(str(err)) from None
