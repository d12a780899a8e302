"""What a profile's models can perceive: which words name something they could report, and which
absences mean something is not there.

Names are matched by WordNet senses (`language.kinds`): a detected dog is an "animal" and a "dog"; a
"puppy" is a kind of dog that the detector cannot tell from other dogs. "No, there is no X" is said only
where the closed-set detector looks for X in every image and X is not a thing it often misses for being
small (`OFTEN_MISSED`); the tagger names only the few things a photo is mostly of, so a name only the
tagger knows is never denied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..language.kinds import COCO_SENSES, commonest_sense, is_a, kinds_of, noun, senses_of, word_senses
from ..language.wordnet import wordnet
from ..refiner.ssd_detector import COCO_90

#: COCO classes a detector of the offline profile's size finds only when they fill a fair part of the
#: photo: things held in a hand, worn, or on a table (SSD-MobileNet's COCO AP on small objects is a
#: few per cent against about half on large ones). Their absence from the facts is never a "no".
OFTEN_MISSED = frozenset({"fork", "knife", "spoon", "cell phone", "remote", "mouse", "toothbrush", "hair drier",
                          "scissors", "sports ball", "tie", "book", "bottle", "cup", "wine glass", "clock", "vase",
                          "handbag", "backpack", "frisbee", "baseball bat", "baseball glove", "kite", "traffic light",
                          "parking meter", "tennis racket", "skis", "bird", "apple", "orange", "banana", "carrot",
                          "donut", "hot dog", "sandwich", "broccoli", "umbrella", "bowl", "keyboard"})


#: The senses the COCO detector's classes stand for ("cat.n.01" for its "cat").
DETECTOR_SENSES = frozenset(s for v in COCO_SENSES.values() for s in (v if isinstance(v, tuple) else (v,)))


@dataclass(frozen=True)
class Perception:
    """The names a profile's detector and tagger can give, with their WordNet senses.

    names: class and tag names, lower case. detectable: the names a closed-set detector looks for in
    every image; None with an open-vocabulary detector (its prompts are the tagger's names, so nothing
    is looked for in every image). senses: name -> WordNet sense, where a model fixes it (an ImageNet class
    index); never for a closed-set detector's class, whose sense its own name gives (`language.kinds.senses_of`:
    ImageNet's "cup" is a drink served from a pitcher, COCO's a container).
    """

    names: frozenset[str]
    detectable: frozenset[str] | None = None
    senses: dict = field(default_factory=dict)

    @classmethod
    def of_refiner(cls, refiner) -> "Perception":
        """What `refiner`'s tagger (`labels` or `vocabulary`) and detector (COCO for a closed-set SSD,
        `model.names` for a closed-set YOLO; an open-vocabulary detector sees the tagger's names) know."""
        tagger, detector = refiner.tagger, refiner.detector
        names = {n.lower() for n in (getattr(tagger, "labels", None) or getattr(tagger, "vocabulary", None) or ())}
        detectable = None
        if not getattr(detector, "open_vocabulary", False):
            model_names = getattr(getattr(detector, "model", None), "names", None)
            classes = model_names.values() if isinstance(model_names, dict) else model_names or [n for n in COCO_90 if n]
            detectable = frozenset(str(n).lower() for n in classes)
            names |= detectable
        senses = dict(getattr(tagger, "senses", None) or {})
        for name in detectable or ():  # a detector's class keeps its own sense: COCO's "cup" is no drink
            senses.pop(name, None)
        return cls(frozenset(names), detectable, senses)

    def senses_of(self, name: str, sense: str | None = None) -> tuple[str, ...]:
        return senses_of(name, sense or self.senses.get(name))

    def covers(self, label: str, word: str, sense: str | None = None) -> bool:
        """True if a thing the models call `label` is what `word` asks about: the same thing or a kind
        above it ("animal" for a dog, "people" for a person, "vehicle" for a bus)."""
        return is_a(self.senses_of(label, sense), word)

    def means(self, label: str, word: str, sense: str | None = None) -> bool:
        """True if a thing the models call `label` is what a visitor means by `word`: `covers`, and where the word's
        commonest sense is a detector class's own sense, a kind of that sense ("cat" means cat.n.01, the class COCO's
        cat stands for; a lion is a big cat, another sense of the word). A name the same as the word means it."""
        if not self.covers(label, word, sense):
            return False
        commonest = commonest_sense(word)
        if commonest is None or commonest not in DETECTOR_SENSES or noun(label) == noun(word):
            return True
        return any(commonest in kinds_of(s) for s in self.senses_of(label, sense))

    def narrower(self, label: str, word: str, sense: str | None = None) -> bool:
        """True if `word` names a kind of what the models call `label` that they cannot tell apart: a "man",
        a "child" or a "player" for a person, a "puppy" for a dog."""
        own, commonest = set(self.senses_of(label, sense)[:1]), commonest_sense(word)  # its own sense, not a kind
        return commonest is not None and not self.covers(label, word, sense) and bool(own & kinds_of(commonest))

    def _known_senses(self) -> set[str]:
        known = self.__dict__.get("_known")
        if known is None:
            known = {s for name in self.names for s in self.senses_of(name)}
            object.__setattr__(self, "_known", known)
        return known

    def _nameable(self) -> set[str]:
        """Every sense some name is, or is a kind of ("animal" for "dog")."""
        nameable = self.__dict__.get("_nameable_senses")
        if nameable is None:
            nameable = set().union(*(kinds_of(s) for s in self._known_senses()))
            object.__setattr__(self, "_nameable_senses", nameable)
        return nameable

    def can_name(self, word: str) -> bool:
        """True if some model here could report a `word`: one of its names is one ("animal" for a dog), or
        a `word` is a kind of one of its names (a "man" is a person)."""
        known = self._known_senses()
        senses = word_senses(word)
        if any(s in self._nameable() for s in senses):
            return True
        if any(kinds_of(s) & known for s in senses[:1] or ()):  # the word's commonest sense
            return True
        return any(self.covers(name, word) for name in self.names if " " in word and word.endswith(name))

    def can_deny(self, word: str) -> bool:
        """True if the absence of `word` from the facts means it is not there: its commonest sense is a kind
        of a class the closed-set detector looks for in every image and seldom misses (`OFTEN_MISSED`), by the
        class's own sense (COCO's "train" also counts as a vehicle when asked for one, but a detector finding no
        train has not looked for rockets or tractors)."""
        if self.detectable is None:
            return False
        commonest = commonest_sense(word)
        if commonest is None or wordnet().synset(commonest).instance_hypernyms():
            return False  # one named person or place ("More", the statesman, for the word "more")
        return any(name not in OFTEN_MISSED and self.senses_of(name) and self.senses_of(name)[0] in kinds_of(commonest)
                   for name in self.detectable if name in COCO_SENSES or self.senses_of(name))
