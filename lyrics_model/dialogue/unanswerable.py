"""What the profile's models can perceive, and the one sentence that says what they cannot.

"No, there is no X" is true only where the models looked for X: the offline detector looks for the
80 COCO classes in every image (its ImageNet tagger knows 1,000 names but gives only the few a photo
is mostly of); the `cpu` and `gpu` taggers score their CLIP vocabulary (see `refiner.vocabulary`).
A question about anything else, or
about what no model here perceives (sports, activities, text, names, places, brands, emotions), is
answered with one sentence: "I can't tell which sport this is; I can see 7 people and a ballplayer."
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..refiner.animal_names import COCO_ANIMAL_CLASSES
from ..refiner.imagenet_genus import imagenet_genera
from ..refiner.ssd_detector import COCO_90
from .answer_check import PROMPT_WORDS, SYNONYMS, named_classes
from .grounded_prompt import SceneFacts
from .scene_facts import IRREGULAR_PLURALS, PERSON_LABELS, article, counts_sentence

#: COCO's vehicles: what "What vehicle ..." and "Is there a vehicle?" ask about.
VEHICLES = frozenset({"bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat"})
#: Words that ask about a kind of thing rather than a class: word -> the classes it covers
#: (animals are found by `Perception.is_animal`).
KIND_WORDS = {"animal": frozenset(COCO_ANIMAL_CLASSES), "vehicle": VEHICLES,
              "person": frozenset(PERSON_LABELS), "people": frozenset(PERSON_LABELS),
              "anyone": frozenset(PERSON_LABELS), "someone": frozenset(PERSON_LABELS),
              "anybody": frozenset(PERSON_LABELS), "human": frozenset(PERSON_LABELS)}
#: Words for people ("Where is the man?"); the region check's person synonyms also hold clothes
#: ("helmet", "coat"), which name something a person wears, not the person.
PEOPLE_WORDS = frozenset({"people", "man", "men", "woman", "women", "boy", "girl", "child", "children", "kid", "kids",
                          "lady", "guy", "astronaut", "player", "human", "persons", "pedestrian", "officer",
                          "soldier", "photographer", "cameraman", "someone", "anyone", "anybody"})
#: Nouns that take no article ("I can see water").
MASS_NOUNS = {"water", "snow", "grass", "sand", "sky", "fog", "smoke", "fire", "food", "ice", "rain", "mud", "sunlight",
              "light", "traffic", "furniture", "clothing", "hair", "fur"}
_SINGULARS = {v: k for k, v in IRREGULAR_PLURALS.items() if k != v}


def singular(word: str) -> str:
    """"buses" -> "bus", "people" -> "person", "mountains" -> "mountain" (last word only)."""
    *head, last = word.split() or [""]
    if last in _SINGULARS:
        last = _SINGULARS[last]
    elif last.endswith(("ches", "shes", "xes", "sses", "uses")):
        last = last[:-2]
    elif last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
        last = last[:-1]
    return " ".join([*head, last])


def is_plural(word: str) -> bool:
    return singular(word) != word


@dataclass(frozen=True)
class Perception:
    """The names a profile's detector and tagger can see.

    names: class and tag names, lower case. animal_kinds: tagger name -> the COCO animal it is ("dog"
    for "saluki"), or "other animal"; empty where the tagger cannot say. detectable: the names a
    closed-set detector looks for in every image, lower case; None with an open-vocabulary detector
    (the CLIP tagger's names decide). An image tagger names the few things a photo is mostly of, so a
    name only the tagger knows (a loudspeaker, a wine bottle) that it did not give is not shown absent.
    genera: name -> the kind of thing it is, for names that are no animal ("rocket" for a missile,
    "coffee" for an espresso: `refiner.imagenet_genus`).
    """

    names: frozenset[str]
    animal_kinds: dict
    detectable: frozenset[str] | None = None
    genera: dict = field(default_factory=dict)

    @classmethod
    def of_refiner(cls, refiner) -> "Perception":
        """What `refiner`'s tagger (`labels` or `vocabulary`) and detector (COCO for a closed-set SSD,
        `model.names` for a closed-set YOLO; an open-vocabulary detector sees the tagger's names) know."""
        tagger, detector = refiner.tagger, refiner.detector
        names = set(getattr(tagger, "labels", None) or getattr(tagger, "vocabulary", None) or ())
        detectable = None
        if not getattr(detector, "open_vocabulary", False):
            model_names = getattr(getattr(detector, "model", None), "names", None)
            classes = model_names.values() if isinstance(model_names, dict) else model_names or [n for n in COCO_90 if n]
            detectable = frozenset(n.lower() for n in classes)
            names.update(classes)
        kinds = {}
        if hasattr(tagger, "animal_kind"):
            kinds = {name: kind for name in names if (kind := tagger.animal_kind(name)) is not None}
        names = frozenset(n.lower() for n in names)
        genera = {name: genus for name, genus in imagenet_genera().items() if name in names and name not in kinds}
        return cls(names, kinds, detectable, genera)

    def is_animal(self, label: str) -> bool:
        return label in COCO_ANIMAL_CLASSES or label in self.animal_kinds

    def covers(self, label: str, word: str) -> bool:
        """True if a thing the refiner calls `label` is what the question's `word` asks about: the same
        class or its plural, a listed synonym, its animal kind ("dog" for a saluki), the kind of thing
        it is ("rocket" for a missile), or a kind word ("animal", "vehicle", "people")."""
        label, word = label.lower(), word.lower()
        one = singular(word)
        if label in (word, one) or set(label.split()) >= {one} and len(one) > 2:
            return True
        synonyms = PEOPLE_WORDS if label == "person" else SYNONYMS.get(label, ())
        if one in synonyms or word in synonyms:
            return True
        if self.animal_kinds.get(label) == one or self.genera.get(label) == one:
            return True
        if one == "animal" or word == "animals":
            return self.is_animal(label)
        return label in KIND_WORDS.get(one, KIND_WORDS.get(word, ()))

    @cached_property
    def _name_pattern(self) -> re.Pattern:
        names = sorted(self.names - PROMPT_WORDS, key=len, reverse=True)
        return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")(?:s|es)?\b", re.IGNORECASE)

    def named(self, text: str) -> list[str]:
        """Class and tag names in `text` (see `answer_check.named_classes`), with this profile's own names
        ("bullfrog"), in order, without repeats."""
        found = named_classes(text) + [m.group(1).lower() for m in self._name_pattern.finditer(text)]
        return list(dict.fromkeys(found))

    def can_deny(self, word: str) -> bool:
        """True if the absence of `word` from the facts means it is not there: `can_see`, and, with a
        closed-set detector, one of its classes (a plural, a synonym, or a kind word), since the
        tagger names only what a photo is mostly of."""
        return self.can_see(word) and (self.detectable is None or _names_cover(self.detectable, word))

    def can_see(self, word: str) -> bool:
        """True if the detector or tagger could have found `word` (a class, its plural, a synonym of a
        class, or a kind word); whether its absence from the facts means it is not there is `can_deny`."""
        return _names_cover(self.names, word)


def _names_cover(names: frozenset[str], word: str) -> bool:
    """True if `word` is one of `names` (lower case), its plural, a synonym of one, or a kind word."""
    word = word.lower()
    one = singular(word)
    if word in names or one in names or one in KIND_WORDS or word in KIND_WORDS:
        return True
    return any(one in synonyms and label in names for label, synonyms in SYNONYMS.items())


def name_things(labels: list[str], tags: list[str], max_tags: int = 2, max_parts: int = 3) -> str:
    """"1 train, 1 person and 2 bicycles", "1 cheetah and a lakeside": object `labels` counted (one per
    object), then up to `max_tags` of `tags` that are no object's label, at most `max_parts` parts in
    all for the tags to fill; "" for none."""
    parts = counts_sentence(labels).split(", ") if labels else []
    parts += [with_article(t) for t in tags[:max_tags] if t not in labels][: max(0, max_parts - len(parts))]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def what_is_seen(facts: SceneFacts) -> str:
    """"1 train, 1 person and 2 bicycles", or the tags ("a lakeside"), the things the models are sure of
    (`SceneFacts.unsure` left out); where none is sure, "what may be a daisy"; else "nothing I can name"."""
    sure = [o.label for o in facts.objects if o.label not in facts.unsure]
    tags = [t for t in facts.tags if t not in facts.unsure]
    hedge = ""
    if not sure and not tags:
        sure, tags, hedge = [o.label for o in facts.objects], facts.tags, "what may be "
    named = name_things(sure, tags)
    return hedge + named if named else "nothing I can name"


def cant_tell(what: str, facts: SceneFacts) -> str:
    """One sentence: "I can't tell {what}; I can see {what_is_seen}."."""
    return f"I can't tell {what}; I can see {what_is_seen(facts)}."


def with_article(word: str) -> str:
    """"a dog", "an apple", "mountains", "water": a noun as it follows "I can see"."""
    return word if is_plural(word) or word in MASS_NOUNS else f"{article(word)} {word}"
