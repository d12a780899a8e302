"""What a thing is for, read from WordNet: the activity it is used in, the room it is kept in, whether it
carries messages, and who makes such things (the writer of a book).

A baseball bat is "an implement used in baseball by the batter" and skis are what one skis on: WordNet's
definition of a piece of equipment names the sport or game it belongs to, or its name is the root of the
activity's name (ski -> skiing). So a photo with a baseball bat and a baseball glove shows baseball, without a
hand-made table of sports equipment. Likewise an oven is a "kitchen appliance" and a bed, which "provides a
place to sleep", belongs in a bedroom, "a room used primarily for sleeping". Only activities (kinds of
WordNet's `act`) and common rooms are read this way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .kinds import COCO_SENSES, commonest_sense, commonly_a, kinds_of, senses_of, word_senses
from .wordnet import wordnet

#: The root every activity a thing can be used for is a kind of.
ACTIVITY = "act.n.02"
#: A name shorter than this is too likely a common word ("go", "or") to be read inside a definition.
MIN_NAME_LENGTH = 4
#: Letters an activity's name shares with the thing's name when one is derived from the other
#: ("ski" -> "skiing", "skateboard" -> "skateboarding").
SHARED_ROOT = 3


def asks_for_activity(word: str) -> bool:
    """True if `word`, in its commonest sense, names a kind of activity ("sport", "game"; not "drink", whose
    commonest sense is a serving of a beverage), so that things used for one can answer it."""
    sense = commonest_sense(word)
    return sense is not None and ACTIVITY in kinds_of(sense)


@lru_cache(maxsize=1024)
def activities_of(sense: str, word: str) -> frozenset[str]:
    """The names of the kinds of `word` (an activity: "sport") that a thing with WordNet sense `sense` is used
    for: those its definition names ("baseball" in a baseball bat's), and those whose name derives from the
    thing's own ("skiing" from ski). Empty where the definition names none."""
    wn = wordnet()
    synset = wn.synset(sense)
    commonest = commonest_sense(word)  # "sport" the activity, not the athlete or the mutation
    wanted = {commonest} if commonest is not None else set(word_senses(word))
    definition = synset.definition().lower()
    found = set()
    for lemma in synset.lemmas():  # ski (noun) -> ski (verb) -> skiing (noun)
        root = lemma.name().lower()[:SHARED_ROOT]
        for verb in lemma.derivationally_related_forms():
            for derived in verb.derivationally_related_forms():
                name = derived.name().lower()
                if name.startswith(root) and wanted & kinds_of(derived.synset().name()):
                    found.add(name.replace("_", " "))
    for name in re.findall(r"[a-z][a-z-]+", definition):
        if len(name) < MIN_NAME_LENGTH or name.endswith("ing"):  # "a board for riding surf": a verb here
            continue
        senses = wn.synsets(name, "n")  # read in its commonest sense: "a flip of the wrist" is no dive
        if senses and senses[0].lemmas()[0].name().lower() == name and wanted & kinds_of(senses[0].name()):
            found.add(name)
    return frozenset(found)


#: The kinds of WordNet's things made to carry a message: signs, notices, posters, books, screens.
MESSAGE_KINDS = {"communication.n.02", "publication.n.01", "signboard.n.01", "display_panel.n.01"}


@lru_cache(maxsize=1024)
def carries_messages(word: str) -> bool:
    """True if `word` names a thing made to carry a message ("sign", "poster", "book", "notice"), in its
    commonest sense, or in any where WordNet's tagged corpus names no commonest. Text read where such a thing
    is asked about is likely on it; a road, a wall or a truck carries text only sometimes."""
    return commonly_a(word, MESSAGE_KINDS)


#: The root of the rooms a thing is kept in.
ROOM = "room.n.01"
#: Times WordNet's tagged corpus must have met a room's name for it to be said (a bedroom, not a couchette).
MIN_ROOM_COUNT = 5
#: What a room is for, in its definition: "a room used primarily for sleeping".
_ROOM_PURPOSE = re.compile(r"\bfor (\w+ing)\b")


def asks_for_room(word: str) -> bool:
    """True if `word`, in its commonest sense, is "room" or a kind of room."""
    sense = commonest_sense(word)
    return sense is not None and ROOM in kinds_of(sense)


@lru_cache(maxsize=1)
def _common_rooms() -> tuple:
    """The kinds of room whose first name is a word WordNet's tagged corpus has met `MIN_ROOM_COUNT` times."""
    wn = wordnet()
    rooms = wn.synset(ROOM).closure(lambda s: s.hyponyms())
    return tuple(r for r in rooms if sum(lemma.count() for lemma in r.lemmas()) >= MIN_ROOM_COUNT)


#: Things that have rooms (buildings, ships, vehicles): a cabin is a room of a boat, not where boats are kept.
HOLDS_ROOMS = frozenset({"structure.n.01", "conveyance.n.03"})


@lru_cache(maxsize=1024)
def rooms_of(sense: str) -> frozenset[str]:
    """The names of the rooms a thing with WordNet sense `sense` is kept in: a room its definition names (an oven
    is a "kitchen appliance"), a room whose definition names it (a bathroom contains "a washbasin and toilet"),
    or a room for what it is for (a bed "provides a place to sleep", a bedroom is "used primarily for
    sleeping"); common rooms only (`MIN_ROOM_COUNT`). Empty where WordNet ties it to none, and for things that
    have rooms themselves (`HOLDS_ROOMS`)."""
    wn = wordnet()
    if kinds_of(sense) & HOLDS_ROOMS:  # a room is part of a building or a ship, not a place to keep one
        return frozenset()
    synset = wn.synset(sense)
    definition = synset.definition().lower()
    own = synset.lemmas()[0].name().lower().replace("_", " ")
    found = set()
    for room in _common_rooms():
        name = room.lemmas()[0].name().lower().replace("_", " ")
        described = room.definition().lower()
        purpose = _ROOM_PURPOSE.search(described)
        verb = wn.morphy(purpose[1], "v") if purpose else None
        if re.search(rf"\b{re.escape(name)}\b", definition) or \
                len(own) >= MIN_NAME_LENGTH and re.search(rf"\b{re.escape(own)}\b", described) or \
                verb and re.search(rf"\b{re.escape(verb)}\b", definition):
            found.add(name)
    return frozenset(found)


#: The root every kind of person is under.
PERSON = "person.n.01"


@lru_cache(maxsize=256)
def maker_of(verb: str) -> str | None:
    """The person WordNet derives from a verb of making ("write" -> "writer", "paint" -> "painter", "compose" ->
    "composer"): the one whose name a book, a painting or a poster carries. None for other verbs ("hold",
    "take"). verb: its base form."""
    wn = wordnet()
    for synset in wn.synsets(verb, "v"):
        if synset.lexname() != "verb.creation":
            continue
        for lemma in synset.lemmas():
            if lemma.name() != verb:
                continue
            for derived in lemma.derivationally_related_forms():
                if derived.synset().pos() == "n" and derived.name().startswith(verb[:3]) \
                        and PERSON in kinds_of(derived.synset().name()):
                    return derived.name().replace("_", " ")
    return None


def is_organism(word: str) -> bool:
    """True if `word`, in its commonest sense (or any where WordNet's tagged corpus names none), is a living
    thing: a person, an animal or a plant has a name nobody wrote on it; a shop, a street or a ship does not."""
    return commonly_a(word, {"organism.n.01"})


#: The kinds of thing whose name is written on them or beside them: buildings and shops (structures), banks and
#: teams (organizations), streets and roads (ways).
NAMED_ON_SIGNS = ("structure.n.01", "organization.n.01", "way.n.06")


def named_on_signs(word: str) -> bool:
    """True if some sense of `word` is a kind of thing whose name is written on it or on a sign beside it ("cafe",
    "bank", "street", "hotel", "team"), other than a room or an activity, whose kind the things in it tell."""
    if asks_for_room(word) or asks_for_activity(word):
        return False
    return any(set(NAMED_ON_SIGNS) & kinds_of(s) for s in word_senses(word))


#: The root of things made by people: only these are made for a use (a dog or a flower is not "used for").
ARTIFACT = "artifact.n.01"


def use_of(name: str, sense: str | None = None) -> str | None:
    """What a thing a model named `name` is for, as WordNet defines it: the definition of its one sense ("a
    brush used as an applicator (to apply paint)"), where that sense is a made thing (`ARTIFACT`). `sense`: the
    WordNet id the model gave (an ImageNet class's); without one a COCO class's own sense, else the name's one
    sense. None for living things and for names whose sense is left open. Quoted examples and attributions
    WordNet adds after a semicolon are left out; further parts of the definition are kept ("...; used to stir or
    serve or take up food")."""
    senses = senses_of(name, sense)[:1] if name in COCO_SENSES else senses_of(name, sense)  # a class's own first
    if len(senses) != 1 or ARTIFACT not in kinds_of(senses[0]):
        return None
    parts = [p.strip() for p in wordnet().synset(senses[0]).definition().split(";")]
    kept = [p for p in parts if p and not p.startswith(("-", '"', "'"))]
    return "; ".join(kept) or None
