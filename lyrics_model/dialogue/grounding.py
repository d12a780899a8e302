"""Grounding a question in the facts: which objects, tags or regions each thing it names is, and which
of its words no model here can report.

A word is grounded where a model reports it: a detected object or a tag it covers (WordNet's is-a,
`Perception.covers`), a region, a colour or place the facts state, the setting, the photo's darkness.
Everything else a question says (actions, states, parts of things, materials, "smiling", "clean") is
unresolved, and a question with unresolved content is never answered as a simpler question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..language.kinds import is_compound_noun
from ..language.words import COLOUR_WORDS, IMAGE_WORDS, KIND_WORDS, NUMBER_WORDS, ORDINALS, PERSON_PRONOUNS
from .grounded_prompt import SceneFacts
from .perception import Perception
from .question import Question, Thing
from .scene_facts import ObjectFact
from .unanswerable import singular

#: Words said of the whole photo that its facts settle ("Is it dark?", "Is the photo black and white?").
PHOTO_WORDS = {"dark": "dark", "night": "dark", "nighttime": "dark", "black-and-white": "black and white",
               "day": "day", "daytime": "day", "daylight": "day", "sunny": "sunny", "sunshine": "sunny",
               "colour": "colour", "coloured": "colour", "colourful": "colour",
               "monochrome": "black and white", "greyscale": "black and white", "grayscale": "black and white"}
#: The setting words the facts can state (`setting.setting_words`).
SETTING_WORDS = {"indoors": "indoors", "inside": "indoors", "indoor": "indoors", "outdoors": "outdoors",
                 "outside": "outdoors", "outdoor": "outdoors", "sky": "sky", "water": "water", "mountains": "mountains",
                 "mountain": "mountains", "grass": "grass", "sand": "sand", "snow": "snow on the ground"}
#: Boxes whose centres lie this share of the photo's width (or height) apart are on different sides.
SIDE_GAP = 0.1


@dataclass
class Grounded:
    """What a question's `Thing` is in the facts.

    objects: the stated objects (or the region) it names, after its places and colours pick among
    them. tags: stated tags it names. setting: a setting word it names. narrower: it names a kind of
    those objects the models cannot tell apart ("man" for a person). unresolved: its words no model
    reports. ambiguous: it names one thing, the facts hold several and nothing said picks one.
    """

    objects: list[ObjectFact] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    setting: str | None = None
    narrower: bool = False
    unresolved: list[str] = field(default_factory=list)
    ambiguous: bool = False

    @property
    def found(self) -> bool:
        return bool(self.objects or self.tags or self.setting)

    @property
    def label(self) -> str | None:
        labels = list(dict.fromkeys(o.label for o in self.objects))
        return labels[0] if len(labels) == 1 else None


def ground(thing: Thing | None, facts: SceneFacts, perception: Perception, category: str | None = None) -> Grounded:
    """The objects, tags or setting `thing` names in `facts`, and its words no model reports."""
    if thing is None:
        return Grounded()
    regions = dict(facts.regions)
    if thing.is_region:
        return Grounded([regions[thing.head]]) if thing.head in regions else Grounded(unresolved=[thing.head])
    if thing.head in IMAGE_WORDS and not thing.owner:
        return Grounded()  # the photo itself: what is said of it is the question's predicate
    head = category if thing.head in ("one", "ones") and category else thing.head
    if thing.head in ("one", "ones") and not category:
        return Grounded(unresolved=[thing.words or thing.head])
    if head in PERSON_PRONOUNS or thing.is_pronoun:
        found = _pronoun(head, facts, perception)
    else:
        found = _named(head, facts, perception)
    unresolved = list(found.unresolved)
    modifiers = [m for m in thing.modifiers if m not in NUMBER_WORDS and not m.isdigit() and m not in ORDINALS
                 and m not in NUMBER_ADVERBS and (thing.plural or m not in BIG_WORDS and m not in SMALL_WORDS)
                 and m not in NEAR_WORDS and m not in FAR_WORDS]
    if modifiers:
        compound = " ".join([*modifiers, head])
        if found.objects and (is_compound_noun(compound) or singular(compound) in perception.names) and \
                all(perception.covers(o.label, compound, facts.senses.get(o.label)) for o in found.objects):
            modifiers = []  # "police car", "wine glass": one name (WordNet's or a model's); "big dogs" is not
        unresolved += [m for m in modifiers if m not in COLOUR_WORDS]
    if thing.owner is not None:
        owner = ground(thing.owner, facts, perception)
        unresolved += owner.unresolved
        if not found.objects:  # a part of the owner, or something it has: no model reports parts
            unresolved.append(thing.head)
    if unresolved:
        return Grounded(found.objects, found.tags, found.setting, found.narrower, unresolved)
    objects = by_colour(found.objects, thing.colours)
    if thing.colours and found.objects and not objects:
        return Grounded([], found.tags, None, found.narrower, [])
    objects, ambiguous = _by_place(objects, thing, facts)
    depth = [m for m in thing.modifiers if m in NEAR_WORDS or m in FAR_WORDS]
    if depth:
        objects, ambiguous = _by_depth(objects, depth[0] in NEAR_WORDS, facts), False
        if not objects:  # which one is nearest is not told apart
            return Grounded([], [], None, found.narrower, [depth[0]])
    size = [m for m in thing.modifiers if m in BIG_WORDS or m in SMALL_WORDS]
    if size and not thing.plural:
        objects, ambiguous = _by_size(objects, size[0] in BIG_WORDS), False
        if not objects:  # which one looks largest is not told apart
            return Grounded([], [], None, found.narrower, [size[0]])
    return Grounded(objects, found.tags if not thing.places else [], found.setting, found.narrower, [], ambiguous)


#: Words that say how a number is meant ("just one cup", "exactly two dogs"): the number is what is asked.
NUMBER_ADVERBS = {"just", "exactly", "only"}


#: Words for the thing nearest the camera, and for the farthest ("the horse in front", "the car in the distance").
NEAR_WORDS = {"front", "foreground", "nearest", "closest", "near"}
FAR_WORDS = {"background", "distance", "farthest", "furthest", "far", "back"}


def _by_depth(objects: list[ObjectFact], near: bool, facts: SceneFacts) -> list[ObjectFact]:
    """The one object nearest the camera ("the horse in front"), or farthest, told by two signs that must agree:
    on the ground, a nearer thing stands lower in the photo (its box's bottom edge) and looks larger (its box's
    area). The chosen one's bottom edge must stand apart from the others' by `SIDE_GAP` of the photo's height, or
    by half that where its area also stands apart (`DEPTH_AREA_RATIO` times the next one's, or that share of it
    for the farthest): two clear signs together tell as much as one strong one. All of them where there is only
    one; none where the signs disagree or are too close to tell."""
    if len(objects) <= 1:
        return objects
    height = facts.size[1] or max(float(o.box[3]) for o in facts.objects + [f for _, f in facts.regions])
    sign = 1 if near else -1
    by_bottom = sorted(objects, key=lambda o: -sign * float(o.box[3]))
    by_area = sorted(objects, key=lambda o: -sign * o.area)
    if by_bottom[0] is not by_area[0]:
        return []
    gap = abs(float(by_bottom[0].box[3] - by_bottom[1].box[3])) / height
    larger, smaller = sorted((by_area[0].area, by_area[1].area), reverse=True)
    area_apart = larger >= DEPTH_AREA_RATIO * max(smaller, 1e-6)
    if gap < SIDE_GAP and not (area_apart and gap >= SIDE_GAP / 2):
        return []
    return [by_bottom[0]]


#: Words for the one that looks largest or smallest of several ("the biggest dog", "the smaller cup").
BIG_WORDS = {"big", "bigger", "biggest", "large", "larger", "largest"}
SMALL_WORDS = {"small", "smaller", "smallest", "little", "littler", "littlest", "tiny"}


def _by_size(objects: list[ObjectFact], big: bool) -> list[ObjectFact]:
    """The one object whose box is the largest ("the biggest dog"), or the smallest, where it stands apart: at least
    `DEPTH_AREA_RATIO` times the next one's area (or that share of it). All of them where there is only one; none
    where two look alike in size. What a photo shows of size is how large a thing looks, nearness included."""
    if len(objects) <= 1:
        return objects
    ranked = sorted(objects, key=lambda o: -o.area if big else o.area)
    larger, smaller = (ranked[0].area, ranked[1].area) if big else (ranked[1].area, ranked[0].area)
    return ranked[:1] if larger >= DEPTH_AREA_RATIO * max(smaller, 1e-6) else []


#: How many times the next one's area the nearest thing's box must cover to count as a second sign of depth.
DEPTH_AREA_RATIO = 1.5


def _pronoun(word: str, facts: SceneFacts, perception: Perception) -> Grounded:
    """"it", "this": the one region, else the one stated object; "she", "they": the people."""
    if word in PERSON_PRONOUNS:
        people = [o for o in facts.objects if perception.covers(o.label, "person", facts.senses.get(o.label))]
        if facts.regions and all(perception.covers(f.label, "person") for _, f in facts.regions):
            people = [f for _, f in facts.regions]
        if people or word in ("anyone", "anybody", "someone", "somebody", "everyone", "everybody"):
            return Grounded(people)  # "Is anyone ...?" with nobody found: found none, not unknown
        return Grounded(unresolved=[word])
    if len(facts.regions) == 1:
        return Grounded([facts.regions[0][1]])
    sure = [o for o in facts.objects if o.label not in facts.unsure]
    kinds = {o.label for o in sure}
    if len(kinds) == 1:
        return Grounded(sure)
    return Grounded(unresolved=[word])


def _named(word: str, facts: SceneFacts, perception: Perception) -> Grounded:
    """The stated objects a noun covers, else those it names a kind of, else the tags or setting it names."""
    senses = facts.senses
    objects = [o for o in facts.objects if perception.covers(o.label, word, senses.get(o.label))]
    if objects:
        return Grounded(objects)
    narrower = [o for o in facts.objects if perception.narrower(o.label, word, senses.get(o.label))]
    tags = [t for t in facts.tags if perception.covers(t, word, senses.get(t))]
    setting = SETTING_WORDS.get(word) if SETTING_WORDS.get(word) in facts.setting else None
    if narrower:
        return Grounded(narrower, tags, setting, narrower=True)
    if tags or setting:
        return Grounded([], tags, setting)
    if not perception.can_name(word) and word not in SETTING_WORDS:
        return Grounded(unresolved=[word])
    return Grounded()


def by_colour(objects: list[ObjectFact], colours: tuple[str, ...]) -> list[ObjectFact]:
    """The objects whose stated colours include every colour word said ("the red car")."""
    if not colours:
        return objects
    return [o for o in objects if all(COLOUR_WORDS.get(c, {c}) & set(o.colours) for c in colours)]


def _centre(o: ObjectFact) -> tuple[float, float]:
    return float(o.box[0] + o.box[2]) / 2, float(o.box[1] + o.box[3]) / 2


def _by_place(objects: list[ObjectFact], thing: Thing, facts: SceneFacts) -> tuple[list[ObjectFact], bool]:
    """The objects at the places said ("the car on the left": the leftmost of several, where it stands
    apart; one car said to be on the left must not be on the right), and whether one thing was asked
    for among several the words cannot tell apart."""
    if not objects:
        return objects, False
    boxes = [o.box for o in facts.objects + [f for _, f in facts.regions]]
    width = facts.size[0] or max(float(b[2]) for b in boxes)  # facts built by hand may not know the size
    height = facts.size[1] or max(float(b[3]) for b in boxes)
    chosen = list(objects)
    for place in thing.places:
        if place == "center":
            chosen = [o for o in chosen if "center" in o.place or not any(s in o.place for s in ("left", "right"))]
            continue
        axis, sign = {"left": (0, 1), "right": (0, -1), "top": (1, 1), "bottom": (1, -1)}[place]
        if len(chosen) == 1:
            opposite = {"left": "right", "right": "left", "top": "bottom", "bottom": "top"}[place]
            chosen = [] if opposite in chosen[0].place else chosen
            continue
        ranked = sorted(chosen, key=lambda o: sign * _centre(o)[axis])
        size = width if axis == 0 else height
        if abs(_centre(ranked[1])[axis] - _centre(ranked[0])[axis]) >= SIDE_GAP * size:
            chosen = ranked[:1]
    ambiguous = not thing.plural and len(chosen) > 1 and len({tuple(o.colours) for o in chosen}) > 1
    return chosen, ambiguous


#: Words that take some things out of those asked of ("How many dogs besides the black one?", "Is there a man
#: without a hat?"): the parser keeps the things, not what is taken out, so they are never answered as if absent.
_EXCLUDING = re.compile(r"\b(?:besides|except|excluding|apart from|other than|not counting|without|aside from)\b")


def unresolved_words(question: Question, facts: SceneFacts, perception: Perception) -> list[str]:
    """The question's words no model here reports: its things' (see `ground`), its predicate's
    (actions, states, relations to other things; colours and places are reported), its category where
    no model names anything of it, and the words the parser could not place."""
    words: list[str] = []
    for thing in question.things:
        words += ground(thing, facts, perception, question.category).unresolved
    words += [w for w in question.predicate
              if not (w.startswith("place:") or w in COLOUR_WORDS or w in PHOTO_WORDS or w in SETTING_WORDS)]
    category = question.category
    if category in KIND_WORDS and question.subject is not None:  # "Which breed is that cat?": of a cat
        category = question.subject.head
    if category and not perception.can_name(category):
        words.append(category)
    words += [w for w in question.extra]
    words += [m[0] for m in _EXCLUDING.finditer(question.text.lower())]
    return list(dict.fromkeys(words))

