"""Seeded training conversations for the grounded-text adapter, generated from refiner-like facts.

Each example is a random scene in the exact form the grounded-text prompt states it (`SceneFacts`):
objects over the offline detector's COCO labels and the tagger's ImageNet names, with places,
sizes and colours, 0-3 user regions, and a question of one benchmark type whose answer is derived
from the facts. Plain chat prompts answered by the base model itself keep its manners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dialogue.grounded_prompt import SceneFacts
from ..dialogue.scene_facts import (BASIC_COLOURS, ObjectFact, article, count_phrase, counts_sentence, place_words,
                                    plural, size_word)
from ..refiner.ssd_detector import COCO_90

#: Greetings and off-topic prompts whose answers come from the base model (see `chat_examples`).
CHAT_PROMPTS = ["Hello!", "Hi there", "Thank you!", "Thanks, that helps.", "Who are you?", "What can you do?",
                "Good morning", "Can you help me?", "Tell me a joke.", "What is 2 + 2?", "Bye!", "How are you?"]
COCO_LABELS = sorted({name for name in COCO_90 if name})
QUESTION_TYPES = ("count", "category", "region", "attribute", "location", "relation", "existence", "caption",
                  "coordinates")


@dataclass
class Conversation:
    """One example: the facts block, the user's question, and the answer to learn."""

    facts: str
    question: str
    answer: str
    type: str


def _random_box(rng) -> np.ndarray:
    w, h = rng.uniform(0.05, 0.7, 2)
    x1, y1 = rng.uniform(0, 1 - w), rng.uniform(0, 1 - h)
    return np.array([x1, y1, x1 + w, y1 + h], np.float32)


def _random_object(rng, label: str) -> ObjectFact:
    box = _random_box(rng)
    names = list(BASIC_COLOURS)
    colours = [names[i] for i in rng.choice(len(names), int(rng.integers(1, 3)), replace=False)]
    return ObjectFact(label, place_words(box, (1, 1)), size_word(box, (1, 1)), colours, box)


def random_scene(rng, imagenet: list[str]) -> SceneFacts:
    """1-3 labels (mostly COCO, sometimes ImageNet), 1-4 of each, 0-2 tags, 0-3 user regions."""
    labels = [COCO_LABELS[i] if rng.random() < 0.8 else imagenet[i % len(imagenet)]
              for i in rng.choice(len(COCO_LABELS), int(rng.integers(0, 4)), replace=False)]
    objects = [_random_object(rng, label) for label in labels for _ in range(int(rng.integers(1, 5)))]
    rng.shuffle(objects)
    objects = objects[:8]
    tags = [imagenet[i] for i in rng.choice(len(imagenet), int(rng.integers(0 if objects else 1, 3)), replace=False)]
    regions = []
    for number in range(1, int(rng.integers(0, 4)) + 1):
        fact = objects[int(rng.integers(len(objects)))] if objects and rng.random() < 0.8 else \
            _random_object(rng, imagenet[int(rng.integers(len(imagenet)))])
        regions.append((f"region{number}", fact))
    return SceneFacts(objects, tags, regions)


def _colours(fact: ObjectFact) -> str:
    return " and ".join(fact.colours)


def _unique(facts: SceneFacts) -> list[ObjectFact]:
    labels = [o.label for o in facts.objects]
    return [o for o in facts.objects if labels.count(o.label) == 1]


def _main_subject(facts: SceneFacts) -> str:
    if facts.objects:
        largest = max(facts.objects, key=lambda o: (o.box[2] - o.box[0]) * (o.box[3] - o.box[1]))
        return largest.label
    return facts.tags[0]


def make_question(rng, facts: SceneFacts, kind: str, imagenet: list[str]) -> tuple[str, str] | None:
    """(question, answer) of type `kind` for `facts`, or None if the scene cannot support it."""
    pick = lambda options: options[int(rng.integers(len(options)))]  # noqa: E731
    labels = [o.label for o in facts.objects]
    if kind == "count":
        present = rng.random() < 0.8 and labels
        label = pick(labels) if present else pick(COCO_LABELS)
        n = labels.count(label)
        question = pick(["How many {} are there?", "How many {} are in the picture?", "How many {} can you see?",
                         "How many {} are in the image?", "Count the {}."]).format(plural(label, 2))
        answer = f"There {'is' if n == 1 else 'are'} {count_phrase(label, n)}." if n else \
            f"There are no {plural(label, 2)}."
        return question, answer
    if kind == "category":
        question = pick(["What is in the picture?", "What does the image show?", "What is the main subject?",
                         "What is this?", "What can you see in this image?", "What object is shown?"])
        subject = _main_subject(facts)
        return question, f"{article(subject).capitalize()} {subject}."
    if kind == "region" and facts.regions:
        rid, fact = pick(facts.regions)
        question = pick(["What is {}?", "What is in {}?", "What does {} show?", "Tell me what {} is.",
                         "Identify {}."]).format(rid)
        return question, f"{article(fact.label).capitalize()} {fact.label}."
    if kind == "attribute":
        if facts.regions and rng.random() < 0.5:
            rid, fact = pick(facts.regions)
            question = pick(["What colour is {}?", "What color is {}?", "Which colour does {} have?"]).format(rid)
            return question, f"{_colours(fact).capitalize()}."
        unique = _unique(facts)
        if unique:
            fact = pick(unique)
            question = pick(["What colour is the {}?", "What color is the {}?", "Which colour is the {}?"]).format(
                fact.label)
            return question, f"The {fact.label} is {'wearing ' if fact.is_person else ''}{_colours(fact)}."
        return None
    if kind == "location":
        unique = _unique(facts)
        if facts.regions and rng.random() < 0.3:
            rid, fact = pick(facts.regions)
            return pick(["Where is {}?", "Where is {} in the image?"]).format(rid), f"{rid.capitalize()} is {fact.place}."
        if unique:
            fact = pick(unique)
            question = pick(["Where is the {}?", "Where is the {} in the image?", "Where can I find the {}?"])
            return question.format(fact.label), f"The {fact.label} is {fact.place}."
        return None
    if kind == "relation" and len(facts.regions) >= 2:
        (a, fa), (b, fb) = [facts.regions[i] for i in rng.choice(len(facts.regions), 2, replace=False)]
        acx, bcx = (fa.box[0] + fa.box[2]) / 2, (fb.box[0] + fb.box[2]) / 2
        acy, bcy = (fa.box[1] + fa.box[3]) / 2, (fb.box[1] + fb.box[3]) / 2
        form = int(rng.integers(3))
        if form == 0:
            side = "left" if acx < bcx else "right"
            return f"Is {a} to the left or to the right of {b}?", f"To the {side}: {a} is {side} of {b}."
        if form == 1:
            first = a if acx < bcx else b
            return f"Which is further left, {a} or {b}?", f"{first.capitalize()} is further left."
        above = acy < bcy
        return f"Is {a} above {b}?", ("Yes" if above else "No") + f", {a} is {'above' if above else 'below'} {b}."
    if kind == "existence":
        if labels and rng.random() < 0.5:
            fact = pick(facts.objects)
            question = pick(["Is there {} {} in the image?", "Is there {} {}?", "Can you see {} {}?"]).format(
                article(fact.label), fact.label)
            return question, f"Yes, there is {article(fact.label)} {fact.label} {fact.place}."
        absent = pick([name for name in COCO_LABELS if name not in labels])
        question = pick(["Is there {} {} in the image?", "Is there {} {}?", "Can you see {} {}?"]).format(
            article(absent), absent)
        return question, f"No, there is no {absent}."
    if kind == "caption":
        question = pick(["Describe the image.", "Describe this picture in one sentence.", "What does this image show?",
                         "Give a short caption for the image.", "What is happening in this picture?"])
        if labels:
            return question, f"The image shows {counts_sentence(labels).replace(', ', ' and ')}."
        return question, f"The image shows {article(facts.tags[0])} {facts.tags[0]}."
    if kind == "coordinates":
        unique = _unique(facts)
        if unique:
            fact = pick(unique)
            box = [round(float(v), 3) for v in fact.box]
            facts.boxes = [(o.label, [round(float(v), 3) for v in o.box]) for o in facts.objects]
            question = pick(["Give the bounding box of the {}.", "What are the coordinates of the {}?"])
            return question.format(fact.label), "[" + ", ".join(f"{v:.3f}" for v in box) + "]"
    return None


def generate(count: int, imagenet: list[str], seed: int = 0) -> list[Conversation]:
    """`count` seeded conversations, the question types mixed evenly."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        facts = random_scene(rng, imagenet)
        kind = QUESTION_TYPES[int(rng.integers(len(QUESTION_TYPES)))]
        pair = make_question(rng, facts, kind, imagenet)
        if pair is not None:
            out.append(Conversation(facts.render(), pair[0], pair[1], kind))
    return out
