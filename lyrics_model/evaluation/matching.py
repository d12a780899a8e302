"""Matching an answer against a question's accepted answers: first sentence, whole words, no echoed choice."""

from __future__ import annotations

import re

#: The two options of an either-or question: "day or night", "left or to the right", "a cub or an adult".
CHOICE = re.compile(r"\b(\w+) or (?:to )?(?:the |an? )?(\w+)", re.IGNORECASE)


def first_sentence(answer: str) -> str:
    """The answer up to its first sentence end (". ", "! ", "? ", a newline, or the end)."""
    return re.split(r"(?<=[.!?])\s|\n", answer.strip(), maxsplit=1)[0]


def echoes_choice(answer: str, question: str) -> bool:
    """True if the answer's first sentence gives both options of an either-or question, joined by "or"."""
    choice = CHOICE.search(question)
    if choice is None:
        return False
    first, second = (re.escape(option) for option in choice.groups())
    return bool(re.search(rf"\b{first}\b[\w ]{{0,20}}?\bor\b[\w ]{{0,20}}?\b{second}\b", first_sentence(answer),
                          re.IGNORECASE))


def is_correct(answer: str, accepted: list[str], question: str = "") -> bool:
    """True if any accepted pattern matches whole words of the answer's first sentence (and the
    answer does not echo both options of the question, see `echoes_choice`)."""
    sentence = first_sentence(answer)
    if echoes_choice(sentence, question):
        return False
    return any(re.search(rf"\b(?:{pattern})\b", sentence, re.IGNORECASE) for pattern in accepted)
