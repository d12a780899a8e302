"""Checks on what the language model writes: a sentence may name only what the models are sure of.

Things are found in a sentence by WordNet: each noun whose commonest sense is a physical thing (an
artifact, an animal, a person, food, a plant, a natural object) is a thing the sentence says is in the
picture, unless it is negated ("there is no cat"); so is each name the detector gives ("tv", "people", "book",
whose commonest WordNet senses are no physical thing). It passes where a stated thing the models are sure of
is one (a detected dog for "dog" or "animal") or is the kind it names a kind of (a person for "man").
"""

from __future__ import annotations

import re

from ..language.kinds import noun
from ..language.words import IMAGE_WORDS, is_thing_noun, normalise
from ..language.wordnet import wordnet
from .grounded_prompt import SceneFacts
from .grounding import SETTING_WORDS
from .perception import Perception

_NEGATION = re.compile(r"\b(?:no|not|without|nor|never|neither)\b[\w\s-]{0,24}$")


def things_named(sentence: str, detectable: frozenset[str] | None = None) -> list[str]:
    """The nouns of `sentence` that name visible things ("The image shows a man on a horse." -> man, horse),
    and the names in `detectable` (a closed-set detector's classes, one or two words: "tv", "people",
    "traffic light"), negated mentions left out, in order."""
    words = normalise(re.sub(r'"[^"]*"', " ", sentence))  # quoted text read from the photo names no thing
    found, after_pair = [], False
    for i, word in enumerate(words):
        if after_pair or word in IMAGE_WORDS or word in SETTING_WORDS or word.isdigit():
            after_pair = False
            continue
        pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
        if detectable and noun(pair) in detectable:
            word, after_pair = pair, True  # "potted plant": one name, its "plant" not another
        elif detectable and noun(word) in detectable:
            pass
        elif len(word) < 3:
            continue
        elif not is_thing_noun(noun(word)) or wordnet().synsets(word, "v") and not wordnet().synsets(word, "n"):
            continue
        if _NEGATION.search(" ".join(words[max(0, i - 5):i])):
            continue
        found.append(word)
    return list(dict.fromkeys(found))


def stated_sure(facts: SceneFacts) -> list[str]:
    """The names of stated objects and tags the models are sure of."""
    return [n for n in dict.fromkeys([o.label for o in facts.objects] + facts.tags) if n not in facts.unsure]


def check_description(sentence: str, facts: SceneFacts, perception: Perception) -> bool:
    """True if every thing the sentence names is a stated thing the models are sure of (or a kind of one), and a
    thing the facts name only by the broad kind two models agree on ("animal", see `SceneFacts.maybe`) is not
    named without the guess of what it is: "1 animal" alone says less than the facts ("1 animal that may be
    a giant panda"), which the fallback states."""
    sure = stated_sure(facts)
    named = things_named(sentence, perception.detectable)
    for word in named:
        if not any(perception.covers(name, word, facts.senses.get(name)) or
                   perception.narrower(name, word, facts.senses.get(name)) for name in sure):
            return False
    if facts.maybe:
        words, lowered = {noun(word) for word in normalise(sentence)}, sentence.lower()
        if any(noun(kind) in words and guess.lower() not in lowered for kind, guess in facts.maybe.items()):
            return False
    return True
