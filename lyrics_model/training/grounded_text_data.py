"""Seeded training conversations for the grounded-text adapter, generated from refiner-like facts.

Each example is a random scene in the exact form the grounded-text prompt states it (`SceneFacts`):
objects over the offline detector's COCO labels and the tagger's ImageNet names, with places,
sizes and colours, 0-3 user regions, and a question of one benchmark type (or about what a person
wears, or which animal is shown) whose answer is derived from the facts. Questions about what no
model here perceives (sports, activities, text, names, places, brands, emotions, things outside every
vocabulary) are answered "I can't tell ...; I can see ..." exactly as the chat path answers them
(`dialogue.unanswerable`). Plain chat prompts answered by the base model itself keep its manners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dialogue.grounded_prompt import SceneFacts
from ..dialogue.scene_facts import (BASIC_COLOURS, BLACK_AND_WHITE, DARK, ObjectFact, article, count_phrase,
                                    counts_sentence, place_words, plural, relation_words, size_word)
from ..dialogue.unanswerable import MASS_NOUNS, cant_tell, with_article
from ..language.words import is_plural
from ..refiner.animal_names import COCO_ANIMAL_CLASSES, IMAGENET_ANIMALS
from ..refiner.ssd_detector import COCO_90

#: Greetings and off-topic prompts whose answers come from the base model (see `chat_examples`).
CHAT_PROMPTS = ["Hello!", "Hi there", "Thank you!", "Thanks, that helps.", "Who are you?", "What can you do?",
                "Good morning", "Can you help me?", "Tell me a joke.", "What is 2 + 2?", "Bye!", "How are you?"]
COCO_LABELS = sorted({name for name in COCO_90 if name})
#: Question types and how often each is asked, relative to the others.
QUESTION_WEIGHTS = {"count": 1.0, "category": 1.0, "region": 1.0, "attribute": 1.0, "location": 1.0, "relation": 1.0,
                    "existence": 1.0, "caption": 0.7, "coordinates": 0.4, "photo": 0.5, "clothing": 0.5,
                    "animal": 0.4, "cant_tell": 0.8}
QUESTION_TYPES = tuple(QUESTION_WEIGHTS)
#: Share of generated scenes with people in them (photos have people far more often than any one COCO label).
PEOPLE_SHARE = 0.3
#: How often a generated scene has each whole-image fact (`photo_facts`: black and white, dark).
PHOTO_FACT_SHARE = 0.15
#: Share of "Is there a person?" among existence questions, both present and absent (people are asked about most).
PERSON_QUESTION_SHARE = 0.3
#: ImageNet names of things people wear: a tag among these answers "What is the man wearing?".
CLOTHING_TAGS = ("abaya", "academic gown", "apron", "bikini", "bow tie", "bulletproof vest", "cardigan", "cloak",
                 "cowboy hat", "crash helmet", "football helmet", "fur coat", "gown", "jean", "jersey", "kimono",
                 "lab coat", "military uniform", "miniskirt", "pajama", "poncho", "sarong", "sombrero", "stole",
                 "suit", "sunglasses", "sweatshirt", "swimming trunks", "trench coat", "vestment", "windsor tie")
#: Questions about what no model here perceives, per topic, with what cannot be told (the chat path answers
#: each "I can't tell ...; I can see ..." from the facts: `dialogue.fact_answers`).
CANT_TELL_QUESTIONS = {
    "which sport this is": ["What sport is being played?", "Which sport is this?", "Which game are they playing?"],
    "what is being done": ["What is the {who} doing?", "What are they doing?", "What activity is this?"],
    "what any text says": ["What does the sign on it say?", "What is written on it?", "Can you read the text?"],
    "who anyone is": ["Who is this?", "Who is the {who}?", "What is the {who}'s name?"],
    "which place this is": ["Where was this taken?", "Which city is this?", "What landmark is this?"],
    "which brand this is": ["What brand is it?", "What make is the {thing}?", "Which company made the {thing}?"],
    "how anyone feels": ["Is the {who} happy?", "How does the {who} feel?", "What mood is the {who} in?"],
    "what anyone's job is": ["What is the {who}'s job?", "What is the {who}'s profession?"],
    "what anything is made of": ["What is the {thing} made of?", "What material is the {thing}?"],
    "the time of day": ["What time of the day is it?", "What time is it?"],
    "how old anything is": ["How old is the {thing}?", "Is the {thing} young or old?"],
    "which way anything faces": ["Which way is the {thing} facing?", "Is the {thing} facing left or right?"],
    "what state anything is in": ["Is the {thing} open or closed?", "Is the {thing} whole or cut?"],
    "what anything is used for": ["What is the {thing} used for?", "What are these things used for?"],
    "how sharp the photo is": ["Is the photo sharp or blurry?", "Is the background blurred?"],
    "which breed or species this is": ["What breed is it?", "What species is the {thing}?"],
}
#: Things outside the offline detector's and tagger's names: never denied, never counted.
UNSEEN_THINGS = ("water", "mountains", "snow", "trees", "grass", "sky", "clouds", "road", "building", "stick", "flag",
                 "window", "river", "fence", "rope", "shadows", "wall", "sand", "flowers", "smoke")


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
    """1-3 labels (mostly COCO, sometimes ImageNet; people in `PEOPLE_SHARE` of scenes), 1-4 of each,
    0-2 tags, 0-3 user regions, now and then a black-and-white or dark photo."""
    labels = [COCO_LABELS[i] if rng.random() < 0.8 else imagenet[i % len(imagenet)]
              for i in rng.choice(len(COCO_LABELS), int(rng.integers(0, 4)), replace=False)]
    if rng.random() < PEOPLE_SHARE and "person" not in labels:
        labels = ["person", *labels[:2]]
    objects = [_random_object(rng, label) for label in labels for _ in range(int(rng.integers(1, 5)))]
    rng.shuffle(objects)
    objects = objects[:8]
    tags = [imagenet[i] for i in rng.choice(len(imagenet), int(rng.integers(0 if objects else 1, 3)), replace=False)]
    if "person" in labels and rng.random() < 0.5:  # what the tagger sees on people: their clothes
        tags.insert(int(rng.integers(len(tags) + 1)), CLOTHING_TAGS[int(rng.integers(len(CLOTHING_TAGS)))])
    regions = []
    for number in range(1, int(rng.integers(0, 4)) + 1):
        fact = objects[int(rng.integers(len(objects)))] if objects and rng.random() < 0.8 else \
            _random_object(rng, imagenet[int(rng.integers(len(imagenet)))])
        regions.append((f"region{number}", fact))
    photo = [fact for fact in (BLACK_AND_WHITE, DARK) if rng.random() < PHOTO_FACT_SHARE]  # as `photo_facts` orders them
    return SceneFacts(objects, tags, regions, photo=photo)


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
                         "How many {} are in the image?", "Count the {}.", "How many {} are in this picture?",
                         "How many {} do you see?", "What is the number of {}?"]).format(plural(label, 2))
        answer = f"There {'is' if n == 1 else 'are'} {count_phrase(label, n)}." if n else \
            f"There are no {plural(label, 2)}."
        return question, answer
    if kind == "category":
        question = pick(["What is there in the picture?", "What does the image show?", "What is the main subject?",
                         "What is this?", "What can you see in this image?", "What object is shown?",
                         "What is in this image?", "What is shown here?", "What is this a photo of?"])
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
        words = relation_words(fa, fb)  # the facts state exactly these, so every answer can be read off them
        side = next((w for w in words if w in ("left of", "right of")), None)
        level = next((w for w in words if w in ("above", "below")), None)
        forms = [form for form, stated in (("side", side), ("further left", side), ("level", level), ("above", level))
                 if stated]
        if not forms:
            return None
        form = pick(forms)
        if form == "side":
            side = side.split()[0]
            return f"Is {a} to the left or to the right of {b}?", f"{a.capitalize()} is {side} of {b}."
        if form == "further left":
            first = a if side == "left of" else b
            return f"Which is further left, {a} or {b}?", f"{first.capitalize()} is further left."
        if form == "level":
            return f"Is {a} above or below {b}?", f"{a.capitalize()} is {level} {b}."
        above = level == "above"
        return f"Is {a} above {b}?", ("Yes" if above else "No") + f", {a} is {level} {b}."
    if kind == "existence":
        if labels and rng.random() < 0.5:
            people = [o for o in facts.objects if o.is_person]
            fact = people[0] if people and rng.random() < PERSON_QUESTION_SHARE else pick(facts.objects)
            n = labels.count(fact.label)
            if n > 1 and rng.random() < 0.5:
                question = pick(["Are there any {}?", "Are there {} in the image?"]).format(plural(fact.label, 2))
                return question, f"Yes, there are {count_phrase(fact.label, n)}."
            question = pick(["Is there {} {} in the image?", "Is there {} {}?", "Can you see {} {}?",
                             "Is there {} {} in this picture?"]).format(article(fact.label), fact.label)
            return question, f"Yes, there is {article(fact.label)} {fact.label} {fact.place}."
        absent = "person" if "person" not in labels and rng.random() < PERSON_QUESTION_SHARE else \
            pick([name for name in COCO_LABELS if name not in labels])
        question = pick(["Is there {} {} in the image?", "Is there {} {}?", "Can you see {} {}?"]).format(
            article(absent), absent)
        return question, f"No, there is no {absent}."
    if kind == "caption":
        question = pick(["Describe the image.", "Describe what the picture shows in a single sentence.", "What does this image depict?",
                         "Give a short caption for this image.", "What is happening in this picture?"])
        if labels:
            return question, f"The image shows {counts_sentence(labels).replace(', ', ' and ')}."
        return question, f"The image shows {article(facts.tags[0])} {facts.tags[0]}."
    if kind == "photo":
        fact = pick([BLACK_AND_WHITE, DARK])
        if rng.random() < 0.5 and fact not in facts.photo:  # half the answers need the fact, half its absence
            facts.photo = [f for f in (BLACK_AND_WHITE, DARK) if f in facts.photo or f == fact]
        if fact == BLACK_AND_WHITE:
            question = pick(["Is this photo in colour or in black and white?", "Is this a black and white photo?",
                             "Is the picture in color?"])
            grey = BLACK_AND_WHITE in facts.photo
            yes = grey if "black and white photo" in question else not grey
            what = "black and white" if grey else "in colour"
            return question, (f"It is {what}." if " or " in question else f"{'Yes' if yes else 'No'}, it is {what}.")
        question = pick(["Is it day or night?", "Is it day or night in the photo?", "Was this taken at night?"])
        dark = DARK in facts.photo
        when = "night or low light" if dark else "day or good light"
        if "taken at night" in question:
            return question, f"{'Yes' if dark else 'No'}, it looks like {when}."
        return question, f"It looks like {when}."
    if kind == "clothing":
        people = [o for o in facts.objects if o.is_person]
        if not people:
            return None
        person = pick(people)
        who = pick(["person", "man", "woman"])
        side = next((s for s in ("left", "right") if person.place.endswith(s)), None)
        clothes = next((tag for tag in facts.tags if tag in CLOTHING_TAGS), None)
        if len(people) > 1 and side and [p.place.endswith(side) for p in people].count(True) == 1:
            question = f"What is the {who} on the {side} wearing?"
        elif len(people) == 1 or clothes:  # else the colours of which person?
            question = pick(["What is the {} wearing?", "What does the {} wear?",
                             "What is the {} dressed in?"]).format(who)
        else:
            return None
        worn = f"{article(clothes)} {clothes}" if clothes else _colours(person)
        return question, f"The {who} is wearing {worn}."
    if kind == "animal":
        names = set(COCO_ANIMAL_CLASSES) | {imagenet[i] for i in IMAGENET_ANIMALS if i < len(imagenet)}
        animal = next((name for name in [o.label for o in facts.objects] + facts.tags if name in names), None)
        if animal is None:
            return None
        question = pick(["What animal is this?", "What animal is in this picture?", "What kind of animal is shown?",
                         "Which animal can you see?"])
        return question, f"{article(animal).capitalize()} {animal}."
    if kind == "cant_tell":
        if rng.random() < 0.6:
            what = pick(list(CANT_TELL_QUESTIONS))
            who = next((o.label for o in facts.objects if o.is_person and rng.random() < 0.7), None) or \
                pick(["man", "woman", "person"] + [o.label for o in facts.objects if o.label in COCO_ANIMAL_CLASSES])
            question = pick(CANT_TELL_QUESTIONS[what]).format(who=who, thing=_main_subject(facts))
            return question, cant_tell(what, facts)
        unseen = pick([t for t in UNSEEN_THINGS if t not in imagenet and t not in labels and t not in facts.tags])
        if rng.random() < 0.3 and unseen not in MASS_NOUNS:
            many = unseen if is_plural(unseen) else plural(unseen, 2)
            return f"How many {many} are there?", cant_tell(f"how many {many} there are", facts)
        be = "are" if is_plural(unseen) else "is"
        question = pick([f"Is there {with_article(unseen)} in the image?", f"Can you see {with_article(unseen)}?"])
        if be == "are":
            question = pick([f"Are there {unseen}?", f"Are there any {unseen} in the picture?"])
        return question, cant_tell(f"whether there {be} {with_article(unseen)}", facts)
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
    """`count` seeded conversations, the question types mixed as `QUESTION_WEIGHTS` says (a type the
    scene cannot support, such as a relation with one region, is asked of a new scene)."""
    rng = np.random.default_rng(seed)
    weights = np.array(list(QUESTION_WEIGHTS.values()))
    out = []
    while len(out) < count:
        kind = QUESTION_TYPES[int(rng.choice(len(weights), p=weights / weights.sum()))]
        pair = None
        while pair is None:
            facts = random_scene(rng, imagenet)
            pair = make_question(rng, facts, kind, imagenet)
        out.append(Conversation(facts.render(), pair[0], pair[1], kind))
    return out
