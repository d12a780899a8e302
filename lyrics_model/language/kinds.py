"""What kind of thing a word names, and whether a thing the models named is one: WordNet's is-a links.

"Is there an animal?" is answered yes for a detected dog because WordNet's dog is a kind of animal;
"a puppy" is a kind of dog, more specific than the detector can tell. Names are matched to WordNet
noun senses once: a detector's classes by the sense each class stands for (`COCO_SENSES`), an ImageNet
tag by its class index (the WordNet id in timm's `imagenet_synsets.txt`), never by its name alone,
which is ambiguous ("crane" is a bird and a machine, "cardigan" a dog and a sweater). Other names
(question words, open-vocabulary tags) take every noun sense WordNet gives the word.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from .wordnet import wordnet

#: The WordNet sense each COCO class stands for (the detector's class list, not a synonym list); a class
#: WordNet files under public transport also stands for the vehicle it is.
COCO_SENSES = {
    "person": "person.n.01", "bicycle": "bicycle.n.01", "car": "car.n.01", "motorcycle": "motorcycle.n.01",
    "airplane": "airplane.n.01", "bus": ("bus.n.01", "motor_vehicle.n.01"), "train": ("train.n.01", "vehicle.n.01"), "truck": "truck.n.01", "boat": "boat.n.01",
    "traffic light": "traffic_light.n.01", "fire hydrant": "fireplug.n.01", "stop sign": "street_sign.n.01",
    "parking meter": "parking_meter.n.01", "bench": "bench.n.01", "bird": "bird.n.01", "cat": "cat.n.01",
    "dog": "dog.n.01", "horse": "horse.n.01", "sheep": "sheep.n.01", "cow": "cattle.n.01",
    "elephant": "elephant.n.01", "bear": "bear.n.01", "zebra": "zebra.n.01", "giraffe": "giraffe.n.01",
    "backpack": "backpack.n.01", "umbrella": "umbrella.n.01", "handbag": "bag.n.04", "tie": "necktie.n.01",
    "suitcase": "bag.n.06", "frisbee": "frisbee.n.01", "skis": "ski.n.01", "snowboard": "snowboard.n.01",
    "sports ball": "ball.n.01", "kite": "kite.n.03", "baseball bat": "baseball_bat.n.01",
    "baseball glove": "baseball_glove.n.01", "skateboard": "skateboard.n.01", "surfboard": "surfboard.n.01",
    "tennis racket": "tennis_racket.n.01", "bottle": "bottle.n.01", "wine glass": "wineglass.n.01", "cup": "cup.n.01",
    "fork": "fork.n.01", "knife": "knife.n.01", "spoon": "spoon.n.01", "bowl": "bowl.n.03", "banana": "banana.n.02",
    "apple": "apple.n.01", "sandwich": "sandwich.n.01", "orange": "orange.n.01", "broccoli": "broccoli.n.02",
    "carrot": "carrot.n.03", "hot dog": "hotdog.n.02", "pizza": "pizza.n.01", "donut": "doughnut.n.02",
    "cake": "cake.n.03", "chair": "chair.n.01", "couch": "sofa.n.01", "potted plant": "pot_plant.n.01",
    "bed": "bed.n.01", "dining table": "dining_table.n.01", "toilet": "toilet.n.02", "tv": "television_receiver.n.01",
    "laptop": "laptop.n.01", "mouse": "mouse.n.04", "remote": "remote_control.n.01",
    "keyboard": "computer_keyboard.n.01", "cell phone": "cellular_telephone.n.01", "microwave": "microwave.n.02",
    "oven": "oven.n.01", "toaster": "toaster.n.02", "sink": "sink.n.01", "refrigerator": "refrigerator.n.01",
    "book": "book.n.02", "clock": "clock.n.01", "vase": "vase.n.01", "scissors": "scissors.n.01",
    "teddy bear": "teddy.n.01", "hair drier": "hand_blower.n.01", "toothbrush": "toothbrush.n.01",
}
#: Words whose noun is another word's plural or stands for it ("people" is WordNet's group noun).
WORD_FOR = {"people": "person", "persons": "person", "folks": "person", "humans": "person", "kids": "kid",
            "anyone": "person", "anybody": "person", "someone": "person", "somebody": "person", "everyone": "person",
            "everybody": "person", "guys": "guy", "men": "man", "women": "woman", "children": "child"}


def _timm_synsets() -> list[str]:
    """The 1,000 ImageNet-1k WordNet ids ("n01440764") in class-index order; empty without timm."""
    spec = importlib.util.find_spec("timm")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(spec.submodule_search_locations[0]) / "data" / "_info" / "imagenet_synsets.txt"
    return path.read_text().split() if path.exists() else []




def noun(word: str) -> str:
    """The word's base noun, lower case: "buses" -> "bus", "people" -> "person", "dining tables" ->
    "dining table"; the word itself where WordNet knows no noun form."""
    word = " ".join(word.lower().split())
    if word in WORD_FOR:
        return WORD_FOR[word]
    *head, last = word.split() or [""]
    base = wordnet().morphy(last, "n") if last else None
    return " ".join([*head, base or last])


@lru_cache(maxsize=8192)
def word_senses(word: str) -> tuple[str, ...]:
    """Every noun sense WordNet gives `word` (singular or plural, spaces as in "dining table")."""
    wn = wordnet()
    base = noun(word)
    names = {s.name() for s in wn.synsets(base.replace(" ", "_"), "n")}
    if not names and " " in base:  # "red car": the last word names the thing
        names = {s.name() for s in wn.synsets(base.split()[-1], "n")}
    return tuple(sorted(names))


def is_compound_noun(words: str) -> bool:
    """True if WordNet names `words` as one noun ("police car", "golden retrievers"), not a noun with words before it
    ("big dogs")."""
    return bool(wordnet().synsets(noun(words).replace(" ", "_"), "n"))


@lru_cache(maxsize=4096)
def sense_name(sense: str) -> str:
    """A WordNet id ("n02084071", as ImageNet writes it) as a sense name ("dog.n.01"); names pass through."""
    if len(sense) == 9 and sense[0] == "n" and sense[1:].isdigit():
        return wordnet().synset_from_pos_and_offset("n", int(sense[1:])).name()
    return sense


def imagenet_ids() -> list[str]:
    """The 1,000 ImageNet-1k WordNet ids in class-index order (timm's list; no WordNet needed)."""
    return _timm_synsets()


#: Times a sense must be seen in WordNet's tagged corpus (its `cntlist`) to be a word's commonest sense: a
#: word met once ("hood", whose first sense is a hoodlum) says too little to read it as that sense.
MIN_SENSE_COUNT = 2


@lru_cache(maxsize=8192)
def commonest_sense(word: str) -> str | None:
    """The word's commonest noun sense (WordNet lists a word's senses by frequency), or None where the word has
    several senses and WordNet's tagged corpus has seen the first fewer than `MIN_SENSE_COUNT` times."""
    base = noun(word).replace(" ", "_")
    synsets = wordnet().synsets(base, "n")
    if not synsets:
        return None
    if len(synsets) == 1:
        return synsets[0].name()  # one sense: nothing to choose between
    count = sum(lemma.count() for lemma in synsets[0].lemmas() if lemma.name().lower() == base)
    return synsets[0].name() if count >= MIN_SENSE_COUNT else None


def senses_of(name: str, sense: str | None = None) -> tuple[str, ...]:
    """The senses a model's name stands for: `sense` where the model gave one (an ImageNet index's WordNet
    id), a COCO class's own sense, else every noun sense of the name."""
    if sense:
        return (sense_name(sense),)
    if name in COCO_SENSES:
        sense = COCO_SENSES[name]
        return sense if isinstance(sense, tuple) else (sense,)
    return word_senses(name)


@lru_cache(maxsize=8192)
def kinds_of(sense: str) -> frozenset[str]:
    """The sense and every sense above it ("dog.n.01" -> canine, carnivore, mammal, animal, ... entity)."""
    synset = wordnet().synset(sense)
    return frozenset({sense} | {s.name() for s in synset.closure(lambda s: s.hypernyms() + s.instance_hypernyms())})


def is_a(senses: tuple[str, ...], word: str) -> bool:
    """True if a thing named with `senses` is a `word`: some sense of the word is one of the thing's
    senses or a kind above it ("dog.n.01" is an "animal", a "dog", a "canine"; not a "puppy")."""
    wanted = set(word_senses(word))
    return any(wanted & kinds_of(s) for s in senses) or any(_named_by(s, word) for s in senses)


def shared_kind(first: str, second: str) -> str | None:
    """The nearest kind two senses are both kinds of ("shop.n.01" for "bookshop.n.01" and "tobacco_shop.n.01"),
    or None."""
    common = wordnet().synset(first).lowest_common_hypernyms(wordnet().synset(second))
    return common[0].name() if common else None


#: Lexicographer files of natural kinds, whose taxonomy follows what things are: a guessed species' parent is
#: surer than the species. An artifact's parent is no surer than the guess (a boardwalk taken for a bannister is
#: no railing either), so artifacts get no everyday kind.
NATURAL_KINDS = ("noun.animal", "noun.plant", "noun.food")
#: Times WordNet's tagged corpus (its `cntlist`) must have met a sense's names for it to be an everyday word
#: ("flower" 31, "dog" 42, "fruit" 10), and how far up it may be.
EVERYDAY_COUNT, EVERYDAY_STEPS = 10, 4
#: Shallowest place (`min_depth`) of an everyday kind in WordNet: "organism" (5) and above name no kind of thing.
EVERYDAY_DEPTH = 6


@lru_cache(maxsize=4096)
def everyday_kind(sense: str) -> str | None:
    """The everyday word for the kind a natural kind belongs to: the nearest sense above it, at most
    `EVERYDAY_STEPS` up, whose names WordNet's tagged corpus meets `EVERYDAY_COUNT` times or more ("flower" for a
    daisy, "dog" for a saluki, "fruit" for a strawberry, "bird" for a junco); None for artifacts (`NATURAL_KINDS`)
    and where no such word is near (a goldfish). A tagger's guess of a species is often wrong where its kind is
    right: a dahlia taken for a daisy is still a flower."""
    synset = wordnet().synset(sense_name(sense))
    if synset.lexname() not in NATURAL_KINDS:
        return None
    level = {synset}
    for _ in range(EVERYDAY_STEPS):  # one level up at a time: a fruit is edible fruit and produce at once
        level = {parent for s in level for parent in s.hypernyms()}
        counted = sorted((sum(lemma.count() for lemma in s.lemmas()), s.name()) for s in level
                         if s.min_depth() >= EVERYDAY_DEPTH)
        if counted and counted[-1][0] >= EVERYDAY_COUNT:
            return wordnet().synset(counted[-1][1]).lemmas()[0].name().replace("_", " ")
    return None


def _named_by(sense: str, word: str) -> bool:
    """True if `word` is one of the sense's own names ("cows" for cattle.n.01, whose first name is "cattle")."""
    base = noun(word).replace(" ", "_")
    return any(lemma.name().lower() == base for lemma in wordnet().synset(sense).lemmas())


#: The body coverings that cover an animal all over: a coat of hair or fur (and its kinds: fleece, wool),
#: plumage, skin, hair itself. Kinds of hair that grow on one part (a mane, a beard, a forelock) are left out.
WHOLE_BODY_COVERINGS = ("coat.n.03", "feather.n.01", "skin.n.01")
WHOLE_BODY_HAIR = "hair.n.01"


def covers_whole_body(word: str) -> bool:
    """True if a sense of `word` is a covering of an animal's whole body ("fur", "feathers", "plumage", "coat",
    "skin", "hair"; not "mane", "ears" or "shirt"): a kind of `WHOLE_BODY_COVERINGS`, or hair itself."""
    return any(WHOLE_BODY_HAIR == sense or set(WHOLE_BODY_COVERINGS) & kinds_of(sense) for sense in word_senses(word))


def commonly_a(word: str, roots) -> bool:
    """True if `word`, in its commonest sense (or in any, where WordNet's tagged corpus names no commonest), is a
    kind of one of `roots` (WordNet sense names: {"person.n.01"})."""
    sense = commonest_sense(word)
    senses = (sense,) if sense is not None else word_senses(word)
    return any(set(roots) & kinds_of(s) for s in senses)


#: Where on a person a kind of clothing is worn, by the WordNet kinds that tell it. Clothing of no such kind (a
#: shirt, a jacket, a coat, a sweater) is worn on the upper body, where a coat shows most; clothing that covers
#: the whole body in one piece or one set (a suit, a uniform), a neck (a tie) or hands is none of these bands.
WORN_ON = (("head", ("headdress.n.01", "helmet.n.02")), ("feet", ("footwear.n.01", "footwear.n.02")),
           ("legs", ("trouser.n.01", "skirt.n.01", "skirt.n.02", "underpants.n.01")))
WHOLE_BODY_CLOTHES = ("suit.n.01", "dress.n.01", "uniform.n.01", "robe.n.01", "overall.n.01",
                      "gown.n.01", "neckwear.n.01", "handwear.n.01")
CLOTHING = "clothing.n.01"


def worn_on(word: str) -> str | None:
    """The band of a person a piece of clothing named `word` is worn on: "head" (a hat, a helmet), "feet" (shoes,
    boots), "legs" (trousers, jeans, a skirt), "upper body" (a shirt, a jacket, a vest); None for clothing of the
    whole body, neck or hands (`WHOLE_BODY_CLOTHES`) and for words that name no clothing. Read from the word's first
    sense that is clothing (a jersey is also an island)."""
    for sense in word_senses(word):
        kinds = kinds_of(sense)
        if CLOTHING not in kinds and not any(k in kinds for _, roots in WORN_ON for k in roots):
            continue
        if any(k in kinds for k in WHOLE_BODY_CLOTHES):
            return None
        return next((band for band, roots in WORN_ON if any(k in kinds for k in roots)), "upper body")
    return None
