"""The answer pipeline: understand -> facts -> policy -> generate -> check -> stream.

Every question passes each stage once. `parse_question` types it; the policy of its kind
(`answer_policy.POLICIES`) says which facts to compute, whether the facts or the language model answer,
and which check a model's sentences pass; the answer streams as text chunks.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Callable, Iterator

from .answer_policy import POLICIES, Policy
from .fact_answers import missing_region
from .grounded_prompt import SceneFacts
from .perception import Perception
from .question import Question, parse_question

log = logging.getLogger(__name__)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def word_chunks(text: str) -> Iterator[str]:
    """`text` in chunks of one word each with the spaces before the next ("".join gives `text` back)."""
    yield from (piece for piece in re.split(r"(?<=\s)(?=\S)", text) if piece)


def understand(text: str) -> tuple[Question, Policy]:
    """The typed question and the policy of its kind."""
    question = parse_question(text)
    return question, POLICIES[question.kind]


def answer_stream(question: Question, policy: Policy, facts: SceneFacts | None, perception: Perception,
                  generate: Callable[[], Iterator[str]], stop_event: threading.Event | None = None) -> Iterator[str]:
    """Stream the answer to `question` under `policy`: read off `facts`, or generated (`generate()` starts
    the language model) and checked sentence by sentence. Nothing more is sent once `stop_event` is set."""
    if facts is not None and any(r not in dict(facts.regions) for r in question.regions):
        yield from _words(missing_region(question, facts), stop_event)
        return
    if policy.answer is not None:
        text = policy.answer(question, facts, perception)
        log.info("question %r (%s): answered from the facts: %r", question.text, question.kind, text)
        yield from _words(text, stop_event)
        return
    answer = generate()
    if policy.check is None:
        yield from answer
        return
    yield from _checked_sentences(question, policy, answer, facts, perception, stop_event)


def _words(text: str, stop_event: threading.Event | None) -> Iterator[str]:
    for word in word_chunks(text):
        if stop_event is not None and stop_event.is_set():
            return
        yield word


def _checked_sentences(question: Question, policy: Policy, answer: Iterator[str], facts: SceneFacts,
                       perception: Perception, stop_event: threading.Event | None) -> Iterator[str]:
    """Send each whole sentence of `answer` once `policy.check` passes it; end at the first that fails (a
    failing first sentence is replaced by `policy.fallback`). The generator sets `stop_event` itself when
    it ends, so the visitor's Stop is the event seen set while the generator still runs."""
    pending, first, stopped = "", True, False
    try:
        for chunk in answer:
            if stop_event is not None and stop_event.is_set():
                stopped = True
                break
            pending += chunk
            while (m := _SENTENCE_END.search(pending)) is not None:
                sentence, pending = pending[:m.start()], pending[m.end():]
                if not _send(sentence, first, question, policy, facts, perception):
                    yield from _words(_fallback(sentence, first, question, policy, facts, perception), stop_event)
                    return
                for word in word_chunks(sentence + " "):
                    if stop_event is not None and stop_event.is_set():
                        return
                    yield word
                first = False
        if stopped:
            return
        if not pending.strip():
            if first:  # the model said nothing: what the facts say instead
                yield from _words(_fallback("", first, question, policy, facts, perception), None)
            return
        if stop_event is not None:
            stop_event.clear()  # the generator marked its own end with it: from here on it is the visitor's Stop
        if _send(pending, first, question, policy, facts, perception):
            yield from _words(pending, stop_event)
        else:
            yield from _words(_fallback(pending, first, question, policy, facts, perception), stop_event)
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()


def _send(sentence, first, question, policy, facts, perception) -> bool:
    passed = policy.check(sentence, facts, perception)
    if not passed:
        log.info("question %r: sentence %r names what the facts do not state", question.text, sentence)
    return passed


def _fallback(sentence, first, question, policy, facts, perception) -> str:
    return policy.fallback(question, facts, perception) if first and policy.fallback else ""
