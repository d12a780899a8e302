"""One policy per kind of question, in one table: which facts it needs, who answers, how the answer
streams and what checks it.

Most kinds are answered from the facts alone (`fact_answers`): a count, a colour or a place the
refiner measured needs no language model to be said, and cannot be said wrongly by one. The language
model answers where wording is the point: descriptions (each sentence checked before it is shown:
`model_checks.check_description`) and greetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import fact_answers as answers
from .model_checks import check_description


@dataclass(frozen=True)
class Policy:
    """How one kind of question is answered.

    facts: "none", "scene" (objects, tags, regions, setting) or "scene+text" (also the lines of text
    read). answer: a function (question, facts, perception) -> the whole answer read off the facts, or
    None where the language model answers. check: for model answers, (sentence, facts, perception) ->
    True if the sentence may be shown; None shows the answer as it is generated. stream: "whole" (known at
    once, sent word by word), "checked sentences" (each sentence sent once checked; the answer ends at the
    first that fails, and a failing first sentence is replaced by `fallback`), "as generated".
    fallback: (question, facts, perception) -> the answer shown when the model's first sentence fails.
    """

    facts: str
    answer: Callable | None = None
    check: Callable | None = None
    stream: str = "whole"
    fallback: Callable | None = None


def _description_from_facts(question, facts, perception) -> str:
    """What the models are sure the image shows, as one sentence."""
    from .unanswerable import what_is_seen

    seen = what_is_seen(facts, perception)
    if seen.startswith("what may be"):
        return f"I'm not sure what the image shows; it may show {seen.removeprefix('what may be ')}."
    return f"The image shows {seen}."


POLICIES: dict[str, Policy] = {
    "social": Policy("none", stream="as generated"),
    "describe": Policy("scene", check=check_description, stream="checked sentences", fallback=_description_from_facts),
    "describe thing": Policy("scene", answers.answer_thing),
    "identify": Policy("scene", answers.answer_identify),
    "count": Policy("scene", answers.answer_count),
    "existence": Policy("scene", answers.answer_existence),
    "colour": Policy("scene", answers.answer_colour),
    "location": Policy("scene", answers.answer_location),
    "region": Policy("scene", answers.answer_region),
    "relation": Policy("scene", answers.answer_relation),
    "object relation": Policy("scene", answers.answer_object_relation),
    "text": Policy("scene+text", answers.answer_text),
    "yes/no": Policy("scene", answers.answer_yes_no),
    "open": Policy("scene", answers.answer_unresolved),
    "unreadable": Policy("scene", answers.answer_unreadable),
    "request": Policy("scene", answers.answer_request),
}
