"""Compare what an answer says a region is with what the refiner detected there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..language.kinds import commonest_sense, is_a, kinds_of, senses_of, word_senses
from ..language.wordnet import wordnet
from ..refiner.vocabulary import default_vocabulary
from .references import Reference
from .regions import RegionMatch
from .scene_facts import BASIC_COLOURS

#: Words of the prompt's and the demo's own vocabulary: naming them says nothing about a class.
PROMPT_WORDS = {"box", "object", "image", "picture", "photo", "region", "tag", "area", "part", "item", "thing",
                "overlap", "crop", "label", "score", "segment", "mask", "background", "foreground", "scene"}
#: Names a visitor gives a detector class's things that WordNet 3.0 does not tie to the class by kind (see
#: `same_class`): the drink for the cup it is in, the screen for a tv, words newer than WordNet ("smartphone"),
#: a young one WordNet files under young mammals ("kitten"), a sibling kind ("notebook" for a laptop), and a desk,
#: which the COCO class "dining table" takes in.
NOT_IN_WORDNET = {
    "person": {"people", "persons", "human", "guy", "kid"},
    "cup": {"mug", "coffee", "espresso", "tea", "cappuccino"},
    "dining table": {"desk"},
    "tv": {"monitor", "screen"},
    "motorcycle": {"scooter"},
    "cell phone": {"smartphone", "mobile"},
    "cat": {"kitten", "kitty"},
    "laptop": {"notebook"},
}
#: What a person is seen as besides a kind of person: what they wear and parts of their body ("a man in a red
#: coat", "a face"), as WordNet files them.
ON_A_PERSON = frozenset({"clothing.n.01", "headdress.n.01", "helmet.n.02", "body_part.n.01", "body_covering.n.01"})
#: Person words looked for in answers: kinds of person an answer names a region by.
PERSON_WORDS = {"man", "men", "woman", "women", "boy", "girl", "child", "children", "lady", "astronaut", "player",
                "pedestrian", "officer", "soldier", "photographer", "cameraman"}


@dataclass
class RegionCheck:
    """The refiner's view of a region next to the answer's.

    label / score / iou: the region's best-overlapping detected object (None if it overlaps none).
    named: object classes the answer names. disagrees: the answer names classes, none of them the
    refiner's label.
    """

    region_id: str
    label: str | None
    score: float | None
    iou: float | None
    named: list[str]
    disagrees: bool

    def to_text(self) -> str:
        if self.label is None:
            return f"{self.region_id}: the refiner detected no object here"
        text = f"{self.region_id}: refiner says {self.label} ({self.score:.2f}, IoU {self.iou:.2f})"
        if self.disagrees:
            text += f"; the answer says {', '.join(self.named)}: they disagree"
        return text


@lru_cache(maxsize=1)
def _class_pattern() -> re.Pattern:
    synonyms = set().union(*NOT_IN_WORDNET.values()) | PERSON_WORDS
    names = sorted((set(default_vocabulary()) | synonyms) - PROMPT_WORDS - set(BASIC_COLOURS), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")(?:s|es)?\b", re.IGNORECASE)


def named_classes(answer: str) -> list[str]:
    """Object class names (tag vocabulary and synonyms, whole words) in `answer`, in order, without repeats.

    Words of the prompt's own vocabulary (box, object, image, region...) and colour names ("orange")
    are not class names.
    """
    found = [m.group(1).lower() for m in _class_pattern().finditer(answer)]
    return list(dict.fromkeys(found))


def same_class(label: str, name: str) -> bool:
    """True if `name` (from an answer) agrees with the detector's `label`: equal, one's words within the
    other's ("table" and "dining table"), one a kind of the other in WordNet (a dog is an animal, a puppy a dog,
    a woman a person, by the class's own sense and the name's commonest), something a person wears or a part of
    one for a person, or a name WordNet does not tie to the class (`NOT_IN_WORDNET`)."""
    label, name = label.lower(), name.lower()
    if label == name or set(name.split()) <= set(label.split()) or set(label.split()) <= set(name.split()):
        return True
    if name in NOT_IN_WORDNET.get(label, set()):
        return True
    own = senses_of(label)
    commonest = commonest_sense(name)  # "mouse" is the rodent, not a timid person
    named = (commonest,) if commonest is not None else word_senses(name)
    named = tuple(n for n in named if not wordnet().synset(n).instance_hypernyms())  # Crane the writer is no kind
    if is_a(own, name) or any(is_a((sense,), label) and set(own) & kinds_of(sense) for sense in named):
        return True
    return label == "person" and any(ON_A_PERSON & kinds_of(sense) for sense in named)


def check_region_answer(answer: str, region_id: str, match: RegionMatch | None) -> RegionCheck:
    named = named_classes(answer)
    if match is None:
        return RegionCheck(region_id, None, None, None, named, False)
    disagrees = bool(named) and not any(same_class(match.label, n) for n in named)
    return RegionCheck(region_id, match.label, match.score, match.iou, named, disagrees)


def regions_discussed(question: str, answer: str, region_ids: list[str]) -> list[str]:
    """Regions named in the question or answer; the only region if there is exactly one."""
    mentioned = [r for r in region_ids if re.search(rf"\b{r}\b", question + " " + answer)]
    return mentioned or (region_ids if len(region_ids) == 1 else [])


@dataclass
class AnswerReview:
    """What an answer points at and what the refiner says about the regions it discusses.

    references: boxes and objN/regionN mentions of the answer (pixel boxes, for drawing).
    checks: one `RegionCheck` per region the question or answer discusses.
    """

    references: list[Reference]
    checks: list[RegionCheck]

    @property
    def disagrees(self) -> bool:
        """True when the answer names a class the refiner did not detect in some region it discusses."""
        return any(c.disagrees for c in self.checks)

    def checks_text(self) -> str:
        """One line per check, e.g. "region1: refiner says person (0.93, IoU 0.81)"."""
        return "\n".join(c.to_text() for c in self.checks)

    def to_json(self) -> dict:
        return {"references": [r.to_json() for r in self.references],
                "checks": [{"region": c.region_id, "label": c.label, "score": c.score, "iou": c.iou,
                            "named": c.named, "disagrees": c.disagrees} for c in self.checks]}
