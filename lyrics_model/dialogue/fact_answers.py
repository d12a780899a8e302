"""Answers read off the facts, one function per kind of question (see `answer_policy.POLICIES`).

Each answer says only what the models reported. A question whose words are not all grounded
(`grounding.unresolved_words`) is answered "I can't tell ...; I can see ..." with what can be told about
the things it names; a thing the detector looks for and seldom misses that no model found is "No, there
is no X."; anything else the facts lack is "I can't tell". Names the models are unsure of (score under
0.5) are offered as guesses ("I'm not sure what region1 is; it may be a saluki.").
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..language.kinds import covers_whole_body, is_a, noun, shared_kind
from ..language.wordnet import wordnet
from ..language.uses import activities_of, asks_for_activity, asks_for_room, carries_messages, rooms_of, use_of
from ..language.words import (COLOUR_WORDS, IMAGE_WORDS, KIND_WORDS, NUMBER_WORDS, PLACE_WORDS, is_plural, is_thing_noun,
                              normalise, verb_base)
from .grounded_prompt import SceneFacts
from .grounding import (BIG_WORDS, NUMBER_ADVERBS, PHOTO_WORDS, SETTING_WORDS, Grounded, by_colour, ground,
                        unresolved_words)
from .perception import Perception
from .question import TEXT_NOUNS, Question, parse_question
from .scene_facts import BLACK_AND_WHITE, DARK, ObjectFact, count_phrase, place_words, plural, relation_words, share_inside
from .setting import seen_in_setting
from .text_blocks import text_blocks
from .text_roles import is_person_role, line_naming, name_line, written_in
from .worn_colours import clothing_band
from .unanswerable import cant_tell, distinct_tags, embedded, name_things, singular, what_is_seen, with_article, with_kind, \
    with_guesses

#: From this many detections of one kind a count is a lower bound (crowded, small and overlapping things
#: are missed): "There are several boats; I can see at least 8."; from `MANY` on, "many".
SEVERAL, MANY = 5, 10
#: Text read with a confidence below this is offered as uncertain ("It may say ..."); the reader itself
#: drops lines under 0.75 (`refiner.text_reader`).
SURE_TEXT = 0.9
#: The colour a setting word is found by (`setting.pixel_cues`: sky is a smooth blue band at the top, grass a
#: textured green area, snow a smooth bright white one).
SETTING_COLOURS = {"sky": "blue", "grass": "green", "snow on the ground": "white"}
#: Blocks of text (the lines of one sign or title, `text_blocks`) quoted at most in one answer.
MAX_QUOTED = 3


def _be(word: str, plural_: bool) -> str:
    return "are" if plural_ else "is"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _the(question: Question, thing=None) -> str:
    """How an answer names the question's thing: "region1", "the car on the left", "the dogs"."""
    thing = thing or question.subject
    if thing is None:
        return "it"
    if thing.is_region or thing.is_pronoun:
        return thing.head
    if thing.owner is not None and thing.owner.is_pronoun:  # "its coat", not "the its coat"
        return thing.name
    return f"the {thing.name}"


def _the_several(question: Question, objects: list[ObjectFact]) -> str:
    """How an answer names several things a question asked of as one ("the bowl", where two bowls alike are seen):
    "both bowls", "all 3 bowls"; else as `_the` does ("the bowls")."""
    subject = question.subject
    if subject is None or subject.plural or subject.is_region or len(objects) < 2:
        return _the(question)
    labels = {o.label for o in objects}
    name = plural(labels.pop() if len(labels) == 1 else subject.head, 2)
    return f"both {name}" if len(objects) == 2 else f"all {len(objects)} {name}"


def _seen(grounded: Grounded, facts: SceneFacts, perception: Perception) -> str | None:
    """What the models report about the thing asked of ("2 people"), or None."""
    if grounded.objects:
        return counts_or_guess([o.label for o in grounded.objects], facts)
    if grounded.tags:
        return with_article(grounded.tags[0])
    return None


def counts_or_guess(labels: list[str], facts: SceneFacts) -> str:
    sure = [label for label in labels if label not in facts.unsure]
    return name_things(sure, []) if sure else "what may be " + name_things(labels, [])


def cant_tell_question(question: Question, facts: SceneFacts, perception: Perception, grounded: Grounded | None = None):
    """"I can't tell {the question}; I can see {what is told of its thing, else the photo}."."""
    seen = _seen(grounded, facts, perception) if grounded is not None else None
    return cant_tell(embedded(question.text), facts, perception, seen)


# ---- the kinds -------------------------------------------------------------------------------------------


def answer_count(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"How many buses are in view?": the detections of that kind (a lower bound from `SEVERAL`), "There are
    no X." where none is found of a thing the detector seldom misses, else "I can't tell"."""
    if question.other is not None and question.relation in ("and", "more than", "fewer than"):
        return _two_counts(question, facts, perception)
    grounded = ground(question.subject, facts, perception)
    if question.subject is None or unresolved_words(question, facts, perception) or grounded.ambiguous:
        return cant_tell_question(question, facts, perception, grounded)  # "How many below it?": of what is unknown
    word = question.subject.head
    if not grounded.objects:
        if grounded.found or not perception.can_deny(word):
            return cant_tell_question(question, facts, perception, grounded)
        return f"There are no {plural(singular(question.subject.name), 2)}."
    n = len(grounded.objects)
    label = grounded.label or singular(word)
    if grounded.narrower:
        if n == 1:
            return f"There is {count_phrase(label, 1)}; I can't tell whether it is {with_article(singular(question.subject.name))}."
        said = plural(singular(question.subject.name), 2)
        return f"There are {count_phrase(label, n)}; I can't tell which of them are {said}."
    label = _counted_label(grounded, question.subject)  # "How many dogs are black?": "There is 1 black dog."
    if all(o.label in facts.unsure | facts.unsure_counts for o in grounded.objects):  # the detector is unsure of each
        return f"I'm not sure; I may see {count_phrase(label, n)}."
    if question.relation:  # "Is there more than one cat?": the count against the number said
        return _compared(question.relation, n, label, perception.can_deny(word))
    if n >= SEVERAL:
        return f"There are {'many' if n >= MANY else 'several'} {plural(label, 2)}; I can see at least {n}."
    return f"There is {count_phrase(label, 1)}." if n == 1 else f"There are {count_phrase(label, n)}."


def _counted_label(grounded: Grounded, thing) -> str:
    """What a count of `thing` calls it: the name of the things it grounds to, with the colours asked ("black dog";
    "How many dogs are black?": "There is 1 black dog.")."""
    label = grounded.label or singular(thing.head)
    return f"{' and '.join(thing.colours)} {label}" if thing.colours else label


def _two_counts(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"How many cups and bowls are there?" -> "There are 5 cups and 2 bowls."; "Are there more dogs than people?"
    -> yes or no with both counts. Each count is what `answer_count` would say of its thing alone: none of a thing
    the detector seldom misses is 0, none of another, a thing some words of which no model grounds, one the detector
    is unsure of leaves the answer "I can't tell ...". Of several (`SEVERAL`) the count is a lower bound, said
    "at least"; compared, it settles the answer only where it is the larger count."""
    counts = []
    for thing in (question.subject, question.other):
        grounded = ground(thing, facts, perception)
        if grounded.unresolved or grounded.narrower or (grounded.ambiguous and not thing.plural):
            return cant_tell_question(question, facts, perception, grounded)
        objects = grounded.objects
        if not objects and (grounded.found or not perception.can_deny(thing.head)):
            return cant_tell_question(question, facts, perception, grounded)
        if objects and all(o.label in facts.unsure | facts.unsure_counts for o in objects):
            return cant_tell_question(question, facts, perception, grounded)
        counts.append((len(objects), _counted_label(grounded, thing), len(objects) >= SEVERAL))
    (first, _, first_more), (second, _, second_more) = counts
    said = " and ".join(f"no {plural(label, 2)}" if n == 0 else f"{'at least ' if more else ''}{count_phrase(label, n)}"
                        for n, label, more in counts)
    if question.relation == "and":
        if re.search(r"\b(total|altogether|in all)\b", question.text.lower()):
            total = f"{'at least ' if first_more or second_more else ''}{first + second}"
            return f"There are {total} in all: {said}."
        return f"There {'is' if first == 1 and not first_more else 'are'} {said}."
    if question.relation == "fewer than":  # fewer A than B: more B than A
        (first, first_more), (second, second_more) = (second, second_more), (first, first_more)
    if first > second and not second_more:  # a count said "at least" may only grow
        return f"Yes, I can see {said}."
    if first <= second and not first_more:
        return f"No, I can see {said}."
    return f"I can see {said}; I can't tell whether there are more."


def _compared(relation: str, n: int, label: str, deniable: bool) -> str:
    """"more than 2" / "fewer than 3" / "at least 2" / "at most 2" against `n` things counted: yes or no where the
    count settles it; a count is a lower bound (small or hidden ones are missed), so "no more than" is said only of
    things the detector seldom misses (`deniable`), and "fewer than" is never affirmed of others."""
    more, number = relation.rsplit(" ", 1)
    said = NUMBER_WORDS.get(number, int(number) if number.isdigit() else None)
    seen = count_phrase(label, n)
    if said is None:
        return f"I can see {seen}."
    if more in ("at least", "at most"):  # "at least 2" is "more than 1"; "at most 2" is "fewer than 3"
        more, said = ("more than", said - 1) if more == "at least" else ("fewer than", said + 1)
    more = more.removesuffix(" than")
    if more == "more":
        if n > said:
            return f"Yes, I can see {seen}."
        return f"No, I can see only {seen}." if deniable else f"I can see {seen}; I can't tell whether there are more."
    if n >= said:
        return f"No, I can see {seen}."
    return f"Yes, I can see only {seen}." if deniable else f"I can see {seen}; I can't tell whether there are more."


def _number_said(subject) -> int | None:
    """The number a phrase says of its thing ("four people", "only one dog", "2 cups" -> 4, 1, 2), or None."""
    if subject is None:
        return None
    numbers = [NUMBER_WORDS[m] if m in NUMBER_WORDS else int(m) for m in subject.modifiers
               if m in NUMBER_WORDS or m.isdigit()]
    return numbers[0] if len(numbers) == 1 else None


def _counted_against(said: int, n: int, label: str) -> str:
    """"Are there four people?" against `n` things counted: yes where the count is the number said; no where more
    are seen (a count is a lower bound: what is seen is there); where fewer are seen, what is seen and that there
    may be more: a person cut off by the photo's edge or half hidden behind another is missed even by a detector
    that seldom misses a whole one."""
    seen = count_phrase(label, n)
    if n == said:
        return f"Yes, there {'is' if n == 1 else 'are'} {seen}."
    if n > said:
        return f"No, I can see {seen}."
    return f"I can see {seen}; I can't tell whether there are more."


def answer_existence(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"Is there a dog?": yes where a model reports one, "No, there is no dog." where the detector looks for
    dogs in every image and found none, else "I can't tell"; what is said of it beyond its name (on the
    table, wearing a hat) is "I can't tell" unless there is none at all."""
    subject = question.subject
    if subject is not None and subject.head in ANY_THING and question.predicate:  # "Is there anything red?"
        return _anything_coloured(question, facts, perception)
    both = _two_things_asked(question, facts, perception)
    if both is not None:
        return both
    if subject is not None and question.predicate and all(w in COLOUR_WORDS for w in question.predicate):
        coloured = replace(subject, colours=tuple(dict.fromkeys(subject.colours + question.predicate)))
        # "Is any dog black?": a black dog's existence
        return answer_existence(replace(question, subject=coloured, predicate=()), facts, perception)
    if subject is not None and subject.words.startswith("no "):  # "Are there no dogs?": what there is, plainly
        plain = answer_existence(replace(question, negated=False, subject=replace(subject, words=subject.words[3:])),
                                 facts, perception)
        found = re.match(r"^Yes, (?:there (?:is|are) |I can see )(.*)$", plain)
        if found:
            return f"There {'are' if subject.plural else 'is'} {found[1]}" if plain.startswith("Yes, there") \
                else f"I can see {found[1]}"
        return re.sub(r"^No, ", "Yes, ", plain) if plain.startswith("No, there") else plain
    grounded = ground(subject, facts, perception)
    word = subject.head if subject is not None else ""
    unresolved = unresolved_words(question, facts, perception)
    name = subject.name if subject is not None else word
    plural_ = subject is not None and subject.plural
    if subject is not None and not subject.is_pronoun and (grounded.objects or grounded.tags) and not grounded.narrower:
        meant = [o for o in grounded.objects if perception.means(o.label, word, facts.senses.get(o.label))]
        meant_tags = [t for t in grounded.tags if perception.means(t, word, facts.senses.get(t))]
        if not meant and not meant_tags:  # "Is there a cat?" over a lion: a big cat, not what "cat" means
            seen = name_things([o.label for o in grounded.objects], grounded.tags[:1] if not grounded.objects else [])
            if perception.can_deny(word) and not unresolved:
                return f"No, there {'are' if plural_ else 'is'} no {name}; I can see {seen}."
            return cant_tell(embedded(question.text), facts, perception, seen)
        grounded = replace(grounded, objects=meant, tags=meant_tags)
    if not grounded.found and not grounded.unresolved and perception.can_deny(word) and \
            not (subject is not None and (subject.places or subject.colours)):
        if subject is not None and subject.is_pronoun:
            return "No, I can't see anyone."
        return f"No, there are no {plural(singular(name), 2)}." if plural_ else f"No, there is no {name}."
    if unresolved:
        return _wears(question, grounded, facts, perception) or cant_tell_question(question, facts, perception, grounded)
    if grounded.objects:
        labels = [o.label for o in grounded.objects]
        if grounded.narrower:
            return f"I can see {counts_or_guess(labels, facts)}, but I can't tell whether " \
                   f"{'they are' if len(labels) > 1 else 'it is'} {with_article(name) if not plural_ else name}."
        if all(label in facts.unsure for label in labels):
            return f"I'm not sure; I may see {name_things(labels, [])}."
        if subject.places and not any(all(p in o.place for p in subject.places) for o in grounded.objects):
            # "Is there a person on the right?" over one in the center: where one side ends is the asker's call
            places = _listed(list(dict.fromkeys(o.place for o in grounded.objects)))
            return cant_tell(embedded(question.text), facts, perception, f"{name_things(labels, [])} {places}")
        said = _number_said(subject)
        if said is not None:  # "Are there four people?", "Is there only one dog?": the count against it
            return _counted_against(said, len(labels), _counted_label(grounded, subject))
        where = f" {grounded.objects[0].place}" if len(labels) == 1 else ""
        named = count_phrase(_counted_label(grounded, subject), len(labels)) if subject.colours and \
            len(set(labels)) == 1 else name_things(labels, [])  # "Is any dog black?": "1 black dog"
        return f"Yes, there {'is' if len(labels) == 1 else 'are'} {named}{where}."
    if grounded.tags:
        tag = grounded.tags[0]
        if tag in facts.unsure:
            return f"I'm not sure; it may be {with_article(tag)}."
        return f"Yes, I can see {with_article(tag)}."
    if grounded.setting:
        return f"Yes, I can see {grounded.setting}."
    if subject is not None and (subject.places or subject.colours) and perception.can_deny(word):
        one = " ".join(w for w in name.split() if w not in NUMBER_WORDS and not w.isdigit() and w not in NUMBER_ADVERBS)
        return f"No, I can't see {with_article(singular(one))}."  # "Are there two black dogs?": not one black dog
    return cant_tell_question(question, facts, perception, grounded)


def answer_colour(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"What colour is the car on the left?": the stated colours of the one object (or several alike) it
    names; "I can't tell" for parts, for things no model found and for one thing among several unlike. A thing
    only the tagger names has no outline of its own: the colours of the one the segmenter guesses where the
    tagger finds it (`SceneFacts.tag_colours`) are offered as a guess, since that outline may hold something else."""
    setting = SETTING_WORDS.get(question.subject.head) if question.subject is not None else None
    if setting in SETTING_COLOURS and setting in facts.setting and not question.subject.modifiers:
        return f"The {question.subject.head} {'are' if question.subject.plural else 'is'} {SETTING_COLOURS[setting]}."
    if question.subject is not None and question.subject.head in ("background", "backdrop") and facts.backgrounds \
            and not question.subject.modifiers and not question.subject.owner:
        what, colours = facts.backgrounds[0]
        return f"The background{' behind ' + what if what else ''} is {' and '.join(colours)}."
    covering = _coat_colour(question, facts, perception) or _worn_colour(question, facts, perception)
    if covering is not None:
        return covering
    grounded = ground(question.subject, facts, perception)
    unresolved = unresolved_words(question, facts, perception)
    objects = grounded.objects
    if not unresolved and not objects and question.subject is not None:
        tag = next((t for t in grounded.tags if facts.tag_colours.get(t)), None)
        if tag is not None:  # a thing only the tagger names: the colours of an outline guessed for it
            return _colour_guess(question, facts.tag_colours[tag])
    if unresolved or not objects or grounded.ambiguous or question.subject is None:
        return cant_tell_question(question, facts, perception, grounded)
    sure = [o for o in objects if o.label not in facts.unsure and o.colours]
    if not sure:
        return cant_tell_question(question, facts, perception, grounded)
    colours = list(dict.fromkeys(c for o in sure for c in o.colours[:1 if len(sure) > 1 else 2]))[:3]
    stated = _listed(colours)
    who = _the_several(question, sure)
    if question.subject.is_region:
        return f"{_sentence(who)} is {stated}."
    worn = "wearing " if all(o.is_person for o in sure) and not grounded.narrower else ""
    return f"{_sentence(who)} {_be(who, question.subject.plural or len(sure) > 1)} {worn}{stated}."


def _coat_colour(question: Question, facts: SceneFacts, perception: Perception) -> str | None:
    """"What colour is the dog's coat?", "What colour are its feathers?": an animal's coat, plumage or skin
    covers it (`covers_whole_body`), so what is seen of the animal is its coat, and the animal's colours are the
    coat's. The owner is the one animal the question names ("the cat's fur"), or the photo's one animal ("its
    fur", "the fur"); a person's pixels are their clothes, so never a person ("her hair"). None where this does not apply."""
    subject = question.subject
    if subject is None or subject.modifiers or subject.places or not covers_whole_body(subject.head):
        return None
    owner = subject.owner
    if owner is not None and owner.is_pronoun and owner.head != "it":
        return None  # "her hair", "their coats": people, or several
    if owner is not None and not owner.is_pronoun:
        candidates = ground(owner, facts, perception).objects
    else:
        candidates = [o for o in facts.objects if perception.covers(o.label, "animal", facts.senses.get(o.label))]
    animals = [o for o in candidates if not o.is_person and perception.covers(o.label, "animal", facts.senses.get(o.label))]
    if len(animals) != 1 or animals[0].label in facts.unsure or not animals[0].colours:
        return None
    return f"{_sentence(_the(question))} {_be('', subject.plural)} {' and '.join(animals[0].colours[:2])}."


def _worn_colour(question: Question, facts: SceneFacts, perception: Perception) -> str | None:
    """"What colour is his shirt?", "What colour are her sneakers?", "the jacket of the man on the left": the
    colours of the band of the one person's outline where such clothing is worn (`worn_colours`), offered as a
    guess. The person is the one the owner names ("the player on the left"), or the photo's one sure person for
    "his" and "her". None where the thing is no clothing of a band, the owner is not one person, or its band was
    not read (cut off by the photo's edge)."""
    subject = question.subject
    if subject is None or subject.owner is None or subject.places or subject.colours:
        return None
    band = clothing_band(subject)
    if band is None:
        return None
    owner = subject.owner
    grounded = ground(owner, facts, perception)
    if grounded.unresolved or grounded.ambiguous:
        return None
    people = [o for o in grounded.objects if o.is_person and o.label not in facts.unsure]
    if len(people) != 1 or len(grounded.objects) != 1:
        return None
    colours = facts.worn_colours.get((people[0].id, band))
    return _colour_guess(question, colours) if colours else None


def _colour_guess(question: Question, colours: list[str]) -> str:
    """The first two of `colours` offered as a guess at the colour of the question's thing."""
    plural_ = question.subject.plural
    return f"I'm not sure what colour {_the(question)} {_be('', plural_)}; " \
           f"{'they' if plural_ else 'it'} may be {_listed(colours[:2])}."


def answer_location(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"Where is the bicycle?": the place of each object it names ("on the left", "at the top right"); asked
    "on the left or the right?", the side its box is on. A thing only the tagger names has no box: its place is
    where the tagger finds it most (`SceneFacts.tag_places`), said as that, and as a guess where the tagger is
    unsure of the thing itself."""
    grounded = ground(question.subject, facts, perception)
    unresolved = unresolved_words(question, facts, perception)
    if not unresolved and not grounded.objects and not question.relation:
        tag = next((t for t in grounded.tags if t in facts.tag_places), None)
        if tag is not None:  # a thing only the tagger names: where it finds it most, said as such
            why = f"that part of the photo looks most like {with_article(tag)}"
            if tag in facts.unsure:  # the tagger is unsure of the thing itself: a guess
                return f"I'm not sure where {_the(question)} {'are' if question.subject.plural else 'is'}; " \
                       f"{'they' if question.subject.plural else 'it'} may be {facts.tag_places[tag]}: {why}."
            return f"{_sentence(_the(question))} {'seem' if question.subject.plural else 'seems'} to be " \
                   f"{facts.tag_places[tag]}: {why}."
    if unresolved or not grounded.objects:
        return cant_tell_question(question, facts, perception, grounded)
    who = _the(question)
    objects = grounded.objects
    if all(o.label in facts.unsure for o in objects):  # the detector is unsure of each: a guess, with its places
        places = list(dict.fromkeys(o.place for o in objects))
        return f"I'm not sure; I may see {count_phrase(objects[0].label, len(objects))} {_listed(places)}."
    if question.relation and " or " in question.relation:
        if len(objects) != 1:
            return cant_tell_question(question, facts, perception, grounded)
        first, second = question.relation.split(" or ")
        side = next((s for s in (first, second) if s in objects[0].place), None)
        if side is None:
            return f"{_sentence(who)} is {objects[0].place}."
        return f"{_sentence(who)} is on the {side}." if side in ("left", "right") else f"{_sentence(who)} is at the {side}."
    places = list(dict.fromkeys(o.place for o in objects))
    if len(objects) == 1:
        return f"{_sentence(who)} {'is' if not question.subject.plural else 'are'} {places[0]}."
    if grounded.ambiguous or not question.subject.plural:  # one asked of, several seen
        label = grounded.label or singular(question.subject.head)
        if len(places) == 1:  # "There are 2 people, both in the center.", not a list of one place
            return f"There are {count_phrase(label, len(objects))}, {'both' if len(objects) == 2 else 'all'} {places[0]}."
        return f"There are {count_phrase(label, len(objects))}: {_listed(places)}."
    return f"{_sentence(who)} are {_listed(places)}."


def answer_region(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"What is region1?": the region's label (the detector's where it overlaps a confident object, else
    its crop's top tag), offered as a guess where the models are unsure of it."""
    region = question.subject.head
    fact = dict(facts.regions).get(region)
    if fact is None:
        return missing_region(question, facts)
    if question.category and not perception.covers(fact.label, question.category, facts.senses.get(fact.label)):
        if fact.label in facts.unsure:
            return f"I'm not sure what {region} is; it may be {with_article(fact.label)}."
        return f"I can't tell which {question.category} {region} is; it looks like {with_article(fact.label)}."
    if fact.label in facts.unsure:
        return f"I'm not sure what {region} is; it may be {with_kind(fact.label, facts)}."
    if fact.label in facts.maybe:  # only the kind two models agree on
        return f"I'm not sure what {region} is; it may be {with_article(facts.maybe[fact.label])}."
    broad = _detected_kind_around(fact, facts, perception)
    if broad is not None:
        return f"{_sentence(with_article(broad))} that may be {with_article(fact.label)}."
    return f"{_sentence(with_article(fact.label))}."


def answer_thing(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"Describe region1.", "Tell me about the dog on the left.", "What does the bus look like?": what the one
    thing is (a region as "What is region1?" says it), then its colours and its place, as the facts state them;
    several things, or one the models are unsure of, are said as "Where are the dogs?" says them; what no model
    found, or words no model grounds ("the smiling man"), are "I can't tell what ... looks like"."""
    subject = question.subject
    who = _the(question)
    if subject.is_region:
        fact = dict(facts.regions).get(subject.head)
        if fact is None:
            return missing_region(question, facts)
        what = answer_region(replace(question, kind="region"), facts, perception)
        seen = f"{_listed(fact.colours[:2])}, {fact.place}" if fact.colours else fact.place
        return f"{what} It is {seen}."
    grounded = ground(subject, facts, perception)
    if unresolved_words(question, facts, perception) or not grounded.objects:
        return cant_tell(f"what {who} {'look' if subject.plural else 'looks'} like", facts, perception)
    objects = grounded.objects
    labels = set(o.label for o in objects)
    if len(labels) > 1 or labels & facts.unsure or not all(o.colours for o in objects):
        return answer_location(replace(question, kind="location", asks="place"), facts, perception)
    dressed = objects[0].is_person  # a person's colours are their clothes: "in red"

    def looks(o: ObjectFact) -> str:
        return f"in {_listed(o.colours[:2])}" if dressed else _listed(o.colours[:2])

    if len(objects) > 1:  # "There are 2 dogs: a brown one in the center and a black one on the right."
        each = [f"{'one ' + looks(o) if dressed else with_article(looks(o) + ' one')} {o.place}"
                for o in objects[:MAX_DESCRIBED]]
        if len(objects) > MAX_DESCRIBED:
            each.append(f"{len(objects) - MAX_DESCRIBED} more")
        return f"There are {count_phrase(objects[0].label, len(objects))}: {_listed(each)}."
    place = "" if subject.places else f", {objects[0].place}"  # "the dog on the left" was picked by its place
    return f"{_sentence(who)} is {looks(objects[0])}{place}."


#: At most this many things of one kind are described one by one.
MAX_DESCRIBED = 4


def _detected_kind_around(region: ObjectFact, facts: SceneFacts, perception: Perception) -> str | None:
    """The detector's class of a stated object the region lies inside whose kind the region's crop tag is: a region
    on a detected dog tagged "beagle" is "A dog that may be a beagle.", as a kind question's answer would be
    (a guess however sure the tagger is, see `answer_identify`); the tagger is the weaker model and does not overrule
    the detector's class."""
    sense = facts.senses.get(region.label)
    around = [o for o in facts.objects if o.label != region.label and share_inside(region.box, o.box) >= 0.8
              and perception.covers(region.label, o.label, sense)]
    return around[0].label if around else None


def missing_region(question: Question, facts: SceneFacts) -> str:
    """One sentence for a region the visitor has not selected."""
    missing = [r for r in question.regions if r not in dict(facts.regions)]
    have = len(facts.regions)
    selected = "no region is selected" if not have else \
        f"only {', '.join(r for r, _ in facts.regions)} {'is' if have == 1 else 'are'} selected"
    return f"There is no {missing[0] if missing else 'such region'}: {selected}. Click the picture to select one."


def answer_relation(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"Is region1 left of region2?", "Which one is higher, region2 or region1?": from their boxes."""
    regions = dict(facts.regions)
    a, b = question.subject.head, question.other.head
    if a not in regions or b not in regions:
        return missing_region(question, facts)
    words = relation_words(regions[a], regions[b])
    side = next((w for w in words if w.split()[0] in ("left", "right")), None)
    level = next((w for w in words if w in ("above", "below")), None)
    depth = next((w for w in words if w in ("in front of", "behind")), None)
    asked = question.relation
    if asked == "left or right":
        return f"{_sentence(a)} is {side.split()[0]} of {b}." if side else \
            f"{_sentence(a)} and {b} are at about the same place from left to right."
    if asked == "above or below":
        return f"{_sentence(a)} is {level} {b}." if level else \
            f"{_sentence(a)} and {b} are at about the same height."
    if asked.startswith("further"):
        wanted = asked.split()[1]
        stated = side if wanted in ("left", "right") else level
        if not stated:
            return f"Neither: {a} and {b} are at about the same place."
        first = a if stated.split()[0] == wanted else b
        word = {"above": "higher", "below": "lower"}.get(wanted, f"further {wanted}")
        return f"{_sentence(first)} is {word}."
    if asked == "next to":
        return _next_to(a, b, regions[a], regions[b], words)
    axis = {"left of": side, "right of": side, "above": level, "below": level, "in front of": depth,
            "behind": depth}.get(asked)
    if asked not in ("left of", "right of", "above", "below", "in front of", "behind"):
        return cant_tell_question(question, facts, perception)
    if not axis:
        if asked in ("in front of", "behind"):
            return f"I can't tell whether {a} is {asked} {b}; they do not overlap."
        return f"No, {a} and {b} are at about the same place {'from left to right' if 'of' in asked else 'in height'}."
    return f"{'Yes' if axis == asked else 'No'}, {a} is {axis} {b}."


#: The gap between two boxes, as a share of the smaller one's larger side, up to which they are next to each other,
#: and from which they are apart; between the two, "next to" is the asker's call.
NEXT_TO_GAP, APART_GAP = 0.25, 1.0


def _next_to(a: str, b: str, first: ObjectFact, second: ObjectFact, words: list[str]) -> str:
    """"Is region1 next to region2?": yes where their boxes touch or nearly do, no where the gap between them is as
    wide as the smaller thing, saying where it is instead; "I can't tell" between."""
    gap_x = max(0.0, float(max(first.box[0], second.box[0]) - min(first.box[2], second.box[2])))
    gap_y = max(0.0, float(max(first.box[1], second.box[1]) - min(first.box[3], second.box[3])))
    size = min(max(o.box[2] - o.box[0], o.box[3] - o.box[1]) for o in (first, second))
    gap = max(gap_x, gap_y) / max(float(size), 1.0)
    if gap <= NEXT_TO_GAP:
        return f"Yes, {a} is next to {b}."
    if gap >= APART_GAP:
        return f"No, {a} is {_listed(words)} {b}, apart from it."
    return f"I can't tell whether {a} is next to {b}; {a} is {_listed(words)} {b}, a little apart."


def _overlap(a: ObjectFact, b: ObjectFact) -> bool:
    return min(a.box[2], b.box[2]) > max(a.box[0], b.box[0]) and min(a.box[3], b.box[3]) > max(a.box[1], b.box[1])


def _relative(candidate: ObjectFact, subject: ObjectFact, place: str) -> bool:
    """True if `candidate` is at `place` relative to `subject` by their boxes: "under" (what it rides or
    sits on: overlapping, lower), "on" (overlapping, higher, smaller), "behind" / "in front of" (occlusion),
    "inside", "left of", "right of", "beside" (apart)."""
    words = relation_words(candidate, subject)
    cy, sy = (candidate.box[1] + candidate.box[3]) / 2, (subject.box[1] + subject.box[3]) / 2
    if place == "under":
        return _overlap(candidate, subject) and cy > sy
    if place == "on":
        return _overlap(candidate, subject) and cy < sy and candidate.area < subject.area
    if place in ("behind", "in front of", "inside", "left of", "right of"):
        return place in words
    return not _overlap(candidate, subject)


#: Kinds of thing (WordNet) a person can sit, stand, lie or ride on: furniture (a chair, a bed, a table), a
#: conveyance (a bicycle, a horse-drawn cart), an animal (a horse), a board (a skateboard) or a runner (skis).
BEARS_A_PERSON = ("furniture", "conveyance", "animal", "board", "runner")


def _can_bear_a_person(thing: ObjectFact, facts: SceneFacts, perception: Perception) -> bool:
    """True if a person can sit, stand, lie or ride on `thing` (`BEARS_A_PERSON`). A laptop lower than a seated
    person, its box overlapping theirs, is on the table before them: boxes alone cannot tell the two apart."""
    return any(perception.covers(thing.label, kind, facts.senses.get(thing.label)) for kind in BEARS_A_PERSON)


def answer_object_relation(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"What is the man riding?", "What is on the desk?": the one kind of stated object whose box stands
    so to the subject's; "I can't tell" where none does, or several kinds do for one thing."""
    from .question import RELATIVE_PLACES, SUPPORT_VERBS

    grounded = ground(question.subject, facts, perception)
    if unresolved_words(question, facts, perception) or not grounded.objects:
        return cant_tell_question(question, facts, perception, grounded)
    if question.relation == "wearing":
        return _worn(question, grounded, facts, perception)
    acts = question.asks == "support" or question.relation in SUPPORT_VERBS and question.relation not in RELATIVE_PLACES
    place = "under" if question.asks == "support" else \
        SUPPORT_VERBS[question.relation] if acts else RELATIVE_PLACES[question.relation]
    subjects = grounded.objects
    candidates = [o for o in facts.objects if o not in subjects and o.label not in facts.unsure
                  and (question.category is None or perception.covers(o.label, question.category))
                  and any(_relative(o, s, place) for s in subjects)]
    if acts and all(perception.covers(s.label, "person") for s in subjects):
        candidates = [o for o in candidates if _can_bear_a_person(o, facts, perception)]
    kinds = list(dict.fromkeys(o.label for o in candidates))
    who = _the(question)
    if len(kinds) != 1 or (grounded.ambiguous and not acts):
        return cant_tell_question(question, facts, perception, grounded)
    kind = kinds[0]
    if kind in facts.maybe:  # only the broad kind two models agree on: the tagger's name is a guess
        doing = f"{who} {_be(who, question.subject.plural)} {question.relation}" if acts else \
            f"is {question.relation} {who}"
        return f"I'm not sure what {doing}; it may be {with_article(facts.maybe[kind])}."
    if acts:
        return f"{_sentence(who)} {_be(who, question.subject.plural)} {question.relation} {with_article(kind)}."
    n = sum(o.label == kind for o in candidates)
    thing = with_article(kind) if n == 1 else count_phrase(kind, n)
    return f"{_sentence(thing)} {'is' if n == 1 else 'are'} {question.relation} {who}."


def worn_things(wearers: list[ObjectFact], facts: SceneFacts, perception: Perception) -> list[str]:
    """The stated clothing (WordNet's clothing) the models are sure of on `wearers`: detected things whose box
    lies on theirs, and, where the wearer is the only one of its kind in the photo, the tagger's clothing
    tags (a tag is about the whole photo)."""
    worn = [o.label for o in facts.objects if o not in wearers and o.label not in facts.unsure
            and perception.covers(o.label, "clothing", facts.senses.get(o.label))
            and any(_overlap(o, w) and o.area < w.area for w in wearers)]
    alike = [o for o in facts.objects if wearers and o.label == wearers[0].label]
    if len(wearers) == 1 and len(alike) == 1:
        worn += [t for t in facts.tags if t not in facts.unsure
                 and perception.covers(t, "clothing", facts.senses.get(t))]
    return list(dict.fromkeys(worn))


def _wears(question: Question, grounded: Grounded, facts: SceneFacts, perception: Perception) -> str | None:
    """"Is somebody wearing a scarf?", "Is the man wearing a hat?": yes where stated clothing of that kind is on
    them (`worn_things`); None (can't tell) otherwise: clothing is small and the tags name few things."""
    predicate = [w for w in question.predicate]
    if not predicate or verb_base(predicate[0]) not in ("wear", "dress") or len(predicate) < 2 or not grounded.objects \
            or grounded.unresolved:  # "the tall man": which one the words mean is not known
        return None
    wanted = predicate[-1]
    if len(predicate) == 2 and wanted in COLOUR_WORDS:  # "Is anyone wearing red?", "Is someone dressed in black?"
        return _wears_colour(question, grounded, wanted, facts)
    worn = [n for n in worn_things(grounded.objects, facts, perception)
            if perception.covers(n, wanted, facts.senses.get(n))]
    if not worn:
        return None
    who = _the(question) if not question.subject.is_pronoun else "someone"
    return f"Yes, {who} {'is' if who == 'someone' else _be(who, question.subject.plural)} wearing {with_article(worn[0])}."


def _wears_colour(question: Question, grounded: Grounded, colour: str, facts: SceneFacts) -> str | None:
    """"Is anyone wearing red?", "Is the woman wearing blue?", "Are they dressed in black?": yes where the sure
    people asked of are in that colour (a person's outline is mostly clothes, so its colours are what they wear:
    `answer_colour`), saying who among several; "Not all" where some of those asked of together are; None (can't
    tell) otherwise, never "no": a red cap or scarf is too small a share of a person to name."""
    subject = question.subject
    people = [o for o in grounded.objects if o.is_person and o.label not in facts.unsure]
    wearing = by_colour(people, (colour,))
    if not wearing:
        return None
    if subject.head in ("anyone", "anybody", "someone", "somebody"):
        return f"Yes, {_in_colour(wearing, people, colour)}."
    if grounded.ambiguous:
        return None
    who = subject.head if subject.is_pronoun else _the(question)
    if len(wearing) == len(people):
        return f"Yes, {who} {_be(who, subject.plural or len(people) > 1)} in {colour}."
    return f"Not all: {len(wearing)} of the {count_phrase('person', len(people))} {_be('', len(wearing) > 1)} in {colour}."


def _who_wears(question: Question, colour: str, facts: SceneFacts, perception: Perception) -> str:
    """"Who is wearing red?": where the sure people in that colour are (see `_wears_colour`); "I can't tell" where
    none is."""
    people = [o for o in facts.objects if o.is_person and o.label not in facts.unsure]
    wearing = by_colour(people, (colour,))
    if not wearing:
        return cant_tell_question(question, facts, perception)
    return f"{_sentence(_in_colour(wearing, people, colour))}."


def _in_colour(wearing: list[ObjectFact], people: list[ObjectFact], colour: str) -> str:
    """Who of `people` is in `colour`: "the person on the right is in red", "the person is in red" (the one person
    seen), "2 people are in red: on the left and in the center"."""
    if len(wearing) == 1:
        return f"the person {wearing[0].place} is in {colour}" if len(people) > 1 else f"the person is in {colour}"
    return f"{len(wearing)} people are in {colour}: {_listed([o.place for o in wearing])}"


def _worn(question: Question, grounded: Grounded, facts: SceneFacts, perception: Perception) -> str:
    """"What is the man wearing?": the stated clothing (WordNet's clothing) the models are sure of on the one it
    is asked of: detected things whose box lies on theirs, and, where that is the only one of its kind in the
    photo, the tagger's clothing tags (a tag is about the whole photo)."""
    worn = worn_things(grounded.objects, facts, perception)
    if not worn:
        return cant_tell_question(question, facts, perception, grounded)
    who = _the(question)
    listed = " and ".join(with_article(n) for n in worn[:3])
    return f"{_sentence(who)} {_be(who, question.subject.plural)} wearing {listed}."


def kind_asked(question: Question) -> str | None:
    """The thing whose kind the question asks ("cat" for "Which breed is that cat?" and "What kind of cat is
    it?"), or None; the tagger's kinds of it answer it (`SceneFacts.tag_scores`, from the crops of the things
    where the chat adds them)."""
    subject, category = question.subject, question.category
    if question.kind != "identify" or subject is None or subject.is_pronoun or subject.head in KIND_WORDS \
            or subject.places or subject.colours or subject.modifiers:
        return None
    if category in KIND_WORDS or question.asks == "which kind" and noun(subject.head) == noun(category or ""):
        return noun(subject.head)
    return None


def answer_identify(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"What is this?", "Which fruit is that?", "Which animals can be seen here?", "What bird is the upper
    one?": the stated things of the kind asked for that the models are sure of (all of them for a
    plural), offered as a guess where they are unsure, else "I can't tell". A fine kind ("Which breed is the
    dog?") is always a guess, however sure the tagger is of it."""
    category, subject = question.category, question.subject
    if (weather := _weather_seen(question, facts)) is not None:  # "What is the weather?"
        return weather
    if subject is not None and subject.head in ("object", "thing", "subject", "item") and \
            set(subject.modifiers) <= {"main", "biggest", "largest"} and not subject.places and not subject.colours:
        return _main_thing(question, facts, perception)  # "What is the main thing in this photo?", "the biggest"
    if subject is not None and subject.head in ("things", "objects") and subject.places and not subject.modifiers:
        return _things_at(subject.places, facts, perception)  # "What is on the left?"
    asks_kind = kind_asked(question) is not None
    if category and (subject is None or subject.is_pronoun or noun(subject.head) == noun(category)):
        purpose = _purpose_seen(category, facts, perception)  # "Which sport is this?": what the things are for
        if purpose is not None:
            return purpose
    if asks_kind:  # "Which breed is that cat?", "What kind of cat is it?": which kind of cat, the tagger's guess
        category = noun(subject.head)
    elif subject is not None and not subject.is_pronoun and (subject.head != category or subject.places or
                                                             subject.colours or subject.modifiers):
        grounded = ground(subject, facts, perception, category)
        if unresolved_words(question, facts, perception) or not grounded.objects or grounded.ambiguous:
            return cant_tell_question(question, facts, perception, grounded)
        labels = list(dict.fromkeys(o.label for o in grounded.objects))
        if category and not all(perception.covers(label, category, facts.senses.get(label)) for label in labels):
            return cant_tell_question(question, facts, perception, grounded)  # "What material is the person?"
        if len(labels) == 1 and labels[0] not in facts.unsure:
            return f"{_sentence(with_article(labels[0]))}."
        return cant_tell_question(question, facts, perception, grounded)
    if category and unresolved_words(question, facts, perception):
        return cant_tell_question(question, facts, perception)
    stated = [o.label for o in facts.objects] + [t for t in facts.tags]
    fits = [name for name in dict.fromkeys(stated)
            if category is None or perception.covers(name, category, facts.senses.get(name))
            and noun(name) != noun(category)]  # "Which animal is that?" asks which animal, not "an animal"
    sure = [name for name in fits if name not in facts.unsure]
    plural_ = subject is not None and subject.plural or category is None and question.asks != "which kind" \
        and re.search(r"\b(these|those|they|things|objects)\b", question.text.lower()) is not None
    asks_seen = category is None and (plural_ or re.search(r"\b(see|in the|in this|picture of|photo of)\b",
                                                            question.text.lower()) is not None)
    if sure:
        labels = [o.label for o in facts.objects if o.label in sure]
        tags = distinct_tags(facts, [n for n in sure if n not in labels], labels, perception)
        if category is None and not asks_seen and len(set(labels)) <= 1:
            return _one_thing((labels or tags)[0], facts)
        if category is None:
            tags = tags[:2] + seen_in_setting(facts.setting)  # "grass and sky": surroundings are seen too
            return f"I can see {with_guesses(name_things(labels, tags, max_tags=4, max_parts=4), facts)}."
        if len(set(labels)) + len(tags) == 1 and not plural_:
            return _one_thing((labels or tags)[0], facts)
        return f"I can see {name_things(labels, tags, max_tags=3, max_parts=4)}."
    if asks_seen and fits and len(setting := seen_in_setting(facts.setting)) >= LANDSCAPE_WORDS:
        return f"I can see {_listed(setting)}, and what may be {with_kind(fits[0], facts)}."  # a view of a place
    what = f"which {category} {'these are' if singular(category) != category else 'this is'}" if category \
        else "what this is"
    if asks_kind:  # "which breed the dogs are", "which kind of dog this is"
        which = f"{question.category} {_the(question)}" if question.category in KIND_WORDS else \
            f"kind of {category} {'these' if subject.plural else 'this'}"
        what = f"which {which} {'are' if subject.plural else 'is'}"
        kind = _likeliest_kind(category, facts, perception)
        if kind is not None:  # "I'm not sure which breed the dogs are; they may be pugs.", however sure the tagger is
            # of it: a closed-set tagger maps a species outside its classes onto the nearest one it knows with no
            # less confidence (a bird no ImageNet class names comes out as some other bird at 0.9 and more)
            guess = f"they may be {plural(kind, 2)}" if subject.plural else f"it may be {with_article(kind)}"
            return f"I'm not sure {what}; {guess}."
    if fits:  # the models' best guess (detections first, then tags by score), offered as one
        return f"I'm not sure {what}; it may be {with_kind(fits[0], facts, category)}."
    if category and (kind := _kind_in_windows(category, facts, perception)) is not None:
        guess = f"they may be {plural(kind, 2)}" if subject is not None and subject.plural else \
            f"it may be {with_article(kind)}"
        return f"I'm not sure {what}; {guess}."
    return cant_tell(what, facts, perception)


#: A kind the photo's probe windows show is offered where at least this many of the 9 windows give it, one of them
#: at `MIN_WINDOW_KIND_SCORE` or more: a lone window's tag is often a texture mistaken for a thing (a guitar in a
#: wooden spoon's grain), while a small thing the whole photo's tags miss is given by most windows that hold it.
MIN_KIND_WINDOWS = 3
MIN_WINDOW_KIND_SCORE = 0.5


def _kind_in_windows(category: str, facts: SceneFacts, perception: Perception) -> str | None:
    """"Which fruit is that?" where nothing stated is a fruit: the kind of `category` the tagger gives most of the
    photo's probe windows (`SceneFacts.window_tags`), where it gives it in enough of them; None where none does.
    Offered as a guess only: windows of a photo of horses are a hartebeest as readily."""
    kinds = [(len(scores), max(scores), name) for name, scores in facts.window_tags.items()
             if len(scores) >= MIN_KIND_WINDOWS and max(scores) >= MIN_WINDOW_KIND_SCORE
             and noun(name) != noun(category) and perception.covers(name, category, facts.senses.get(name))]
    return max(kinds)[2] if kinds else None


#: Setting words (`setting.seen_in_setting`: sky, grass, water...) from which a photo nothing sure is found in is a
#: view of a place, and what it shows is first those surroundings: sky and grass, or water and mountains, fill most
#: of a landscape, while a sky alone is the backdrop of a thing the models cannot name (a tower, a kite).
LANDSCAPE_WORDS = 2
#: Share of the tagger's score over the kinds of a thing that its likeliest kind must exceed to be offered.
KIND_SHARE = 0.5


def _things_at(places: tuple[str, ...], facts: SceneFacts, perception: Perception) -> str:
    """"What is on the left?": the sure things whose place is there ("On the left I can see 1 person."); where none
    is, "I can't tell": a thing no model finds may be there."""
    where = f"at the {' '.join(places)}" if len(places) > 1 else {"left": "on the left", "right": "on the right",
                                                                   "top": "at the top", "bottom": "at the bottom",
                                                                   "center": "in the center"}[places[0]]
    seen = [o.label for o in facts.objects if o.label not in facts.unsure and all(p in o.place for p in places)]
    if not seen:
        return cant_tell(f"what is {where}", facts, perception)
    return f"{_sentence(where)} I can see {name_things(seen, [])}."


def _one_thing(name: str, facts: SceneFacts) -> str:
    """"A bird.", or for a broad kind two models agree on, with the tagger's guess: "An animal that may be a
    giant panda." (`SceneFacts.maybe`)."""
    guess = facts.maybe.get(name)
    return f"{_sentence(with_article(name))}{f' that may be {with_article(guess)}' if guess else ''}."


def _likeliest_kind(category: str, facts: SceneFacts, perception: Perception) -> str | None:
    """The tagger's likeliest kind of `category` ("cocker spaniel" for "dog"), to offer as a guess: a tag that
    is a `category` other than the word itself, holding more than `KIND_SHARE` of the score of all such tags (the tagger
    splits one thing's score among kinds that look alike, so their share says more than the score itself);
    None where no tag is one."""
    kinds = {name: score for name, score in facts.tag_scores.items()
             if perception.covers(name, category, facts.senses.get(name)) and noun(name) != noun(category)}
    if not kinds:
        return None
    best = max(kinds, key=kinds.get)
    return best if kinds[best] > KIND_SHARE * sum(kinds.values()) else None


def _purpose_seen(category: str, facts: SceneFacts, perception: Perception) -> str | None:
    """"Which sport is this?", "Which room is that?" where the things the models are sure of are all for one
    kind of `category` (`language.uses`: a baseball bat and a baseball glove are used in baseball, a bed is
    kept in a bedroom): "It looks like baseball: I can see 1 baseball bat and 1 baseball glove."; None where
    they name none, or several, or `category` is neither an activity nor a room."""
    used = _one_purpose(category, facts, perception)
    if used is None:
        return None
    purpose, seen = used
    return f"It looks like {with_article(purpose) if asks_for_room(category) else purpose}: I can see {seen}."


def _one_purpose(category: str, facts: SceneFacts, perception: Perception) -> tuple[str, str] | None:
    """(the one kind of `category` the sure things are for, those things named: "1 pair of skis"), or None."""
    if asks_for_room(category):
        named_by = rooms_of
    elif asks_for_activity(category):
        def named_by(sense):
            return activities_of(sense, category)
    else:
        return None
    used: dict[str, list[str]] = {}
    names = [o.label for o in facts.objects] + list(facts.tags)
    for name in dict.fromkeys(names):
        if name in facts.unsure:
            continue
        for sense in perception.senses_of(name, facts.senses.get(name))[:1]:
            for purpose in named_by(sense):
                used.setdefault(purpose, []).append(name)
    if len(used) != 1:
        return None
    purpose, things = next(iter(used.items()))
    labels = [o.label for o in facts.objects if o.label in things]
    return purpose, name_things(labels, distinct_tags(facts, [t for t in things if t not in labels], labels, perception))


def _main_thing(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """The largest object the models are sure of, else their surest tag."""
    sure = [o for o in facts.objects if o.label not in facts.unsure]
    if sure:
        return f"{_sentence(with_article(max(sure, key=lambda o: o.area).label))}."
    tags = [t for t in facts.tags if t not in facts.unsure]
    if tags:
        return f"{_sentence(with_article(tags[0]))}."
    return cant_tell_question(question, facts, perception)


#: What a line of text is, that the reader can tell: numbers by their digits; a title or headline by its size.
NUMERIC_TEXT = {"number", "numbers", "year", "years", "date", "price", "digits", "digit"}
PROMINENT_TEXT = {"title", "headline", "text", "word", "words", "writing", "letters", "message", "caption", "label"}
#: What is set in a thing's largest letters: a book's title, a page's headline.
TITLE_WORDS = {"title", "headline", "heading"}
#: Words for big letters ("the big text on the wall", "the main text"): the words for a large thing, and "main".
BIG_TEXT_WORDS = BIG_WORDS | {"main"}


#: Share of a line's box inside a thing's box from which the line is printed on the thing.
TEXT_ON_THING = 0.6


def answer_text(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"What is written on the banner?": the lines the text reader read, quoted exactly: those inside the thing
    asked about (on its owner, for a part no model outlines: "the van's side"), or in the part of the photo it
    names where it is a thing made to carry messages (the sign at
    the top left, not the road on the left: `carries_messages`), or the biggest ("the big text"),
    grouped into blocks (the lines of one sign, space-joined: "KEEP RIGHT"), largest letters first; uncertain
    ones offered as such. A thing no model outlines that the tagger names (a "street sign": what the photo is
    mostly of) carries the text where all of it is one message, or, where it is made to carry messages, where
    all of it is a few messages (a sign in two languages; offered as a guess); a thing made to carry messages
    that no model names carries the text where all of it is one message (a guess too); a title asked of such a thing is
    the largest letters, said to be so. A number is a line with digits; asked of a thing no model outlines, the
    one word with digits read anywhere is offered as a guess (a door's number, where no model names a door). A role
    ("Which bank?", "Who is the author?") is guessed only where the words of one line tell it (`text_roles`),
    else the answer says it cannot tell and quotes what it read. Nothing read is "I can't see any text I can read"."""
    if question.asks == "who":  # "Who wrote this book?": a line reading as a name, else the models cannot tell
        line = name_line(facts.texts) if facts.can_read else None
        if line is None:
            return cant_tell_question(question, facts, perception)
        return f'It may be "{line.text}", the line that reads as a name.'
    if question.asks == "which":  # "Which cafe is this?": the line naming it, else what the models see
        naming = line_naming(question.category, facts.texts) if facts.can_read else None
        if naming is None:
            return answer_identify(replace(question, kind="identify", asks="what"), facts, perception)
        return _text_in_role(question.category, facts.texts, [])
    if not facts.can_read:
        return cant_tell("what any text says", facts, perception)
    lines = list(facts.texts)
    subject = question.subject
    if question.asks == "price":  # "How much do the apples cost?": the price tag, wherever it is
        numbers = [t for t in lines if re.search(r"\d", t.text)]
        priced = [t for t in numbers if re.search(r"[$€£¥₹]|\d[.,]\d\d\b", t.text)]  # money is written so
        prices = text_blocks(priced or numbers)
        if len(prices) == 1:
            return f'It may be "{prices[0].text}", the one price I can read.'
        if not prices:
            return "I can't see any price I can read."
        return f"I can't tell which price is for {_the(question)}; I can read {_quoted(prices[:MAX_QUOTED])}."
    unplaced = None  # a thing the question names that no model outlines: which line is on it is unknown
    if subject is not None:
        grounded = ground(subject, facts, perception)
        if subject.places and grounded.objects and not any(all(p in o.place for p in subject.places)
                                                           for o in grounded.objects):
            # "the sign at the top left" where the one sign outlined is on the left, lower down: text read at the
            # top left is on a sign no model outlines more likely than on that one
            grounded = replace(grounded, objects=[])
        owners = ground(subject.owner, facts, perception).objects if subject.owner is not None else []
        if grounded.objects:
            inside = [t for t in lines if any(share_inside(t.box, o.box) >= TEXT_ON_THING for o in grounded.objects)]
            lines = inside or lines
        elif owners:  # "the van's side": no model outlines a side, but the text on it is on the van
            lines = [t for t in lines if any(share_inside(t.box, o.box) >= TEXT_ON_THING for o in owners)]
        elif subject.places and facts.size[0]:
            lines = [t for t in lines if all(p in place_words(t.box, facts.size) for p in subject.places)]
        if not grounded.objects and not subject.is_pronoun and subject.head not in IMAGE_WORDS | PLACE_WORDS.keys() \
                and subject.head not in TEXT_NOUNS and not (subject.places and carries_messages(subject.head)):
            unplaced = subject  # "the road on the left": text on the left may be on something else
        if set(subject.modifiers) & BIG_TEXT_WORDS and lines:
            tallest = max(t.box[3] - t.box[1] for t in lines)
            lines = [t for t in lines if t.box[3] - t.box[1] >= 0.6 * tallest]
    if question.category in NUMERIC_TEXT:
        lines = [t for t in lines if re.search(r"\d", t.text)]
    if not lines:
        what = f"any {question.category}" if question.category else "any text"
        return f"I can't see {what} I can read."
    language = next((w.split(":", 1)[1] for w in question.predicate if w.startswith("language:")), None)
    if language is not None:  # "What is the poster saying in English?": the lines written in it, where it is told
        written = [t for t in lines if written_in(t.text, language)]
        if not written:
            largest = sorted(text_blocks(lines), key=lambda b: -b.letter_height)[:MAX_QUOTED]
            return f"I can't tell which text is in {language.capitalize()}; I can read {_quoted(largest)}."
        lines = written
    blocks = every = text_blocks(lines)  # the lines of one sign or title are one message: "KEEP RIGHT"
    if question.asks == "yes/no":
        return f"Yes, I can read {_quoted(blocks)}."
    prominent = sorted(blocks, key=lambda b: -b.letter_height)[:MAX_QUOTED]  # the largest letters first
    blocks = [b for b in blocks if b in prominent]  # quoted in reading order
    role = question.category
    if role in TITLE_WORDS and unplaced is not None:  # "What is the title of that novel?": the largest letters
        largest = max(blocks, key=lambda b: b.letter_height)
        return f'I\'m not sure it is on the {unplaced.name}; the largest letters I can read say "{largest.text}".'
    if role in TITLE_WORDS and len(blocks) > 1:  # "What is the title?": a title is set in the largest letters
        largest = max(blocks, key=lambda b: b.letter_height)
        return f'It may be "{largest.text}", in the largest letters I can read.'
    if role and role not in NUMERIC_TEXT and role not in PROMINENT_TEXT:
        return _text_in_role(singular(role), lines, blocks)
    if unplaced is not None and not grounded.tags and role in NUMERIC_TEXT and len(numbers := _numbers(every)) == 1:
        # "What number is on the door?" where no model names a door: the one number read anywhere is likely it
        return f'I\'m not sure it is on the {unplaced.name}; the one number I can read is "{numbers[0]}".'
    if unplaced is not None:
        carrier = carries_messages(unplaced.head)
        if not (grounded.tags and (len(blocks) == 1 or len(every) <= MAX_QUOTED and carrier)
                or carrier and len(every) == 1):
            return f"I can't tell which text is on the {unplaced.name}; I can read {_quoted(blocks)}."
        if len(blocks) > 1 or not grounded.tags:  # a sign the photo is of, and all the text there is
            return f"It may say {_quoted(blocks)}."
    sure = [b for b in blocks if b.score >= SURE_TEXT]
    if sure:
        return f"It says {_quoted(sure)}."
    return f"I'm not sure; it may say {_quoted(blocks)}."


def _numbers(blocks) -> list[str]:
    """The words with a digit in the text read, each once, as read ("No 42" -> ["42"], "Exit 12A" -> ["12A"])."""
    return list(dict.fromkeys(word for block in blocks for word in block.text.split() if re.search(r"\d", word)))


def _text_in_role(role: str, lines, blocks) -> str:
    """The line filling `role` ("bank", "author") where its words tell (`text_roles`): the one line naming the
    role ("metroBank" for a bank), or for a role people fill the one line reading as a name; offered as a
    guess, quoted as read. Otherwise "I can't tell which line is the bank" with what is read."""
    naming = line_naming(role, lines)
    if naming is not None:
        line, name = naming
        if name == line.text:
            return f'It may be "{name}".'
        return f'It may be {name}: I can read "{line.text}".'  # "metroBank": the words set apart
    if is_person_role(role) and (line := name_line(lines)) is not None:
        return f'It may be "{line.text}", the line that reads as a name.'
    return f"I can't tell which line is the {role}; I can read {_quoted(blocks)}."


def _quoted(texts) -> str:
    """Each text's string in double quotes, listed: '"A"', '"A" and "B"', '"A", "B" and "C"'."""
    return _listed([f'"{t.text}"' for t in texts])


def _listed(words: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


#: Words that say a photo was taken: "Was this taken outside?" asks where the photo is.
TAKEN = {"taken", "shot", "photographed"}


def answer_yes_no(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"Is the car red?", "Is the dog on the left?", "Is it dark?", "Is the photo black and white?": the
    colours, places and photo facts the models state; anything else ("Is the truck clean?") "I can't tell"."""
    subject, predicate = question.subject, question.predicate
    about_photo = subject is None or subject.head in ("it", "this", "photo", "picture", "image", "weather") and \
        all(w in PHOTO_WORDS or w in SETTING_WORDS or w in ("black", "white", "and") or w in TAKEN for w in predicate)
    choice = _which_of_two_kinds(question, facts, perception) or _one_kind_asked(question, facts, perception) or \
        _purpose_asked(question, facts, perception)
    if choice is not None:
        return choice
    if subject is not None and subject.head in ANY_THING:
        return _anything_coloured(question, facts, perception)
    if unresolved_words(question, facts, perception) and not (about_photo and predicate):  # "it" is the photo
        grounded = ground(question.subject, facts, perception)
        return _wears(question, grounded, facts, perception) or cant_tell_question(question, facts, perception,
                                                                                   grounded)
    if about_photo and predicate:
        words = set(predicate)
        either = " or " in question.text.lower()  # "Is it in colour or black and white?": no yes or no
        if {"black", "white"} <= words or any(PHOTO_WORDS.get(w) == "black and white" for w in words):
            if BLACK_AND_WHITE in facts.photo:
                return "It is a black-and-white photo." if either else "Yes, it is a black-and-white photo."
            return "It is a colour photo." if either else "No, it is a colour photo."
        if any(PHOTO_WORDS.get(w) == "colour" for w in words):
            if BLACK_AND_WHITE in facts.photo:
                return "It is a black-and-white photo." if either else "No, it is a black-and-white photo."
            return "It is a colour photo." if either else "Yes, it is a colour photo."
        if any(PHOTO_WORDS.get(w) == "sunny" for w in words):
            return _sunny(question, either, facts, perception)
        daylight = _daylight(words, either, facts)
        if daylight is not None:
            return daylight
        settings = [SETTING_WORDS[w] for w in predicate if w in SETTING_WORDS]
        seen = [s for s in settings if s in facts.setting]
        if seen:  # "Is this indoors or outdoors?" names the one seen; "Is there water?" is answered yes
            said = f"it is {seen[0]}" if seen[0] in ("indoors", "outdoors") else f"I can see {seen[0]}"
            return f"{_sentence(said)}." if either else f"Yes, {said}."
        opposite = {"indoors": "outdoors", "outdoors": "indoors"}
        if len(settings) == 1 and opposite.get(settings[0]) in facts.setting:  # one or the other, never both
            return f"No, it is {opposite[settings[0]]}."
        return cant_tell_question(question, facts, perception)
    grounded = ground(subject, facts, perception)
    if not grounded.objects or grounded.ambiguous:
        return cant_tell_question(question, facts, perception, grounded)
    who = _the(question)
    be = _be(who, subject.plural)
    colours = [w for w in predicate if w in COLOUR_WORDS]
    places = [w.split(":", 1)[1] for w in predicate if w.startswith("place:")]
    objects = [o for o in grounded.objects if o.label not in facts.unsure]
    if not objects or not (colours or places):
        return cant_tell_question(question, facts, perception, grounded)
    if places and re.search(r"\b(?:left|right) of\b", question.text.lower()):
        return cant_tell_question(question, facts, perception, grounded)  # of another thing, not of the photo
    if colours and len(objects) > 1:
        return _several_coloured(question, objects, colours, facts, perception, grounded)
    if colours:
        stated = set(c for o in objects for c in o.colours)
        if not stated:
            return cant_tell_question(question, facts, perception, grounded)
        if all(COLOUR_WORDS[c] & stated for c in colours):
            return _yes_or_no(question, True, f"{who} {be} {' and '.join(colours)}")
        return _yes_or_no(question, False, f"{who} {be} {' and '.join(list(dict.fromkeys(c for o in objects for c in o.colours))[:2])}")
    where = objects[0].place
    return _yes_or_no(question, all(p in where for p in places), f"{who} {be} {where}")


def _two_things_asked(question: Question, facts: SceneFacts, perception: Perception) -> str | None:
    """"Is there a cat or a dog?", "Are there cups and bowls?": each thing asked on its own, the answers joined as
    "or" and "and" join them (yes to "or" where either is seen, no to "and" where either is denied, else "I can't
    tell"). None where the question does not join two things."""
    subject = question.subject
    joined = re.search(r"\b(or|and)\b", question.text.lower())
    if subject is None or not joined or len(question.predicate) != 1:
        return None
    second = question.predicate[0]
    if not (is_thing_noun(singular(second)) or perception.can_name(singular(second))):
        return None  # "Is there a dog or not?", "Is there a cup and is it full?"
    answers = [answer_existence(parse_question(f"{'Are' if plural_ else 'Is'} there {words}?"), facts, perception)
               for words, plural_ in ((subject.words or subject.head, subject.plural),
                                      (second if is_plural(second) else with_article(second), is_plural(second)))]
    yes = [a for a in answers if a.startswith("Yes")]
    no = [a for a in answers if a.startswith("No")]
    if joined[1] == "or" and yes:
        return yes[0] if len(yes) == 1 else f"Yes, {answers[0][5:-1]}, and {answers[1][5:]}"
    if joined[1] == "or" and len(no) == 2 or joined[1] == "and" and no:
        return f"No, {no[0][4:-1]}{f', and {no[1][4:]}' if len(no) == 2 else '.'}"
    if joined[1] == "and" and len(yes) == 2:
        return f"Yes, {answers[0][5:-1]}, and {answers[1][5:]}"
    return cant_tell_question(question, facts, perception)


#: Subjects that stand for any thing at all, not for one in view: "Is anything red?" asks of every thing in the photo.
ANY_THING = {"anything", "something"}


def _anything_coloured(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """"Is anything red?": yes, naming the sure things of that colour ("Yes, 1 bus is red."); otherwise "I can't
    tell", never "no": a thing no model finds may be that colour. Other predicates ("Is anything moving?") are not
    perceived."""
    colours = [w for w in question.predicate if w in COLOUR_WORDS]
    if not colours or question.negated or len(colours) != len(question.predicate):
        return cant_tell_question(question, facts, perception)
    coloured = by_colour([o for o in facts.objects if o.label not in facts.unsure], tuple(colours))
    if not coloured:
        return cant_tell_question(question, facts, perception)
    said = []
    for dressed in (False, True):  # a person's colours are their clothes: "1 person is wearing red"
        labels = [o.label for o in coloured if o.is_person == dressed]
        if labels:
            said.append(f"{name_things(labels, [])} {'is' if len(labels) == 1 else 'are'} "
                        f"{'wearing ' if dressed else ''}{' and '.join(colours)}")
    return f"Yes, {' and '.join(said)}."


def _several_coloured(question: Question, objects: list[ObjectFact], colours: list[str], facts: SceneFacts,
                      perception: Perception, grounded: Grounded) -> str:
    """"Are the dogs black?" of several things: yes where each is, no where none is, else how many are ("Not all: 1
    of the 2 dogs is black."); a colour is never said of them all because one of them has it."""
    if not all(o.colours for o in objects):
        return cant_tell_question(question, facts, perception, grounded)
    having = by_colour(objects, tuple(colours))
    who, colour = _the_several(question, objects), " and ".join(colours)
    if len(having) == len(objects):
        return _yes_or_no(question, True, f"{who} are {colour}")
    if not having:
        seen = list(dict.fromkeys(c for o in objects for c in o.colours))[:2]
        return _yes_or_no(question, False, f"{who} are {_listed(seen)}")
    counted = count_phrase(objects[0].label, len(objects)) if len({o.label for o in objects}) == 1 else \
        f"{len(objects)} of them"
    be = "is" if len(having) == 1 else "are"
    return f"Not all: {len(having)} of the {counted.removesuffix(' of them')} {be} {colour}."


def _yes_or_no(question: Question, yes: bool, fact: str) -> str:
    """"Yes, the bus is blue." / "No, the bus is blue and black."; a negated question ("Is the bus not blue?",
    "Isn't it blue?") gets the fact alone: its yes and no are read both ways."""
    if question.negated:
        return f"{_sentence(fact)}."
    return f"{'Yes' if yes else 'No'}, {fact}."


def _which_of_two_kinds(question: Question, facts: SceneFacts, perception: Perception) -> str | None:
    """"Is this a dog or a cat?", "Is the animal a horse or a cow?": the one of the two kinds the thing asked of
    is, where the models are sure what it is and it is a kind of one of them only ("It is a cat."). None where
    the question is not such a choice, the thing is not one sure kind, or it is a kind of neither (a cat is
    neither "a cub or an adult" by kind, and may be either by age)."""
    options = [w for w in question.predicate if not w.startswith("place:")]
    if " or " not in question.text.lower() or len(options) != 2 or question.subject is None:
        return None
    if not _names_a_kind(question, options[0]):
        return None
    if any(w in COLOUR_WORDS or w in PHOTO_WORDS for w in options):
        return None  # "Is it night or day?", "Is it red or blue?": other questions
    label = _one_sure_kind(question.subject, facts, perception)
    if label is None:
        return None
    sense = facts.senses.get(label)
    covered = [w for w in options if perception.covers(label, w, sense)]
    if len(covered) == 1:
        if question.subject.plural or question.subject.head in ("these", "those", "they"):
            return f"They are {plural(singular(covered[0]), 2)}."
        return f"It is {with_article(singular(covered[0]))}."
    return None  # neither is not said: "a cub or an adult" cuts across kinds, and a cat may be a cub


#: What may stand between a yes/no question's subject and the kind it asks of: "Is the animal a dog?", "Are these
#: really cats?", "Is it maybe a horse or a cow?".
_BEFORE_KIND = r"(?:\s+(?:a|an|the|really|actually|maybe|perhaps|just|either|both|some|kind of|sort of|type of))*"


def _names_a_kind(question: Question, kind: str) -> bool:
    """True where the yes/no question's `kind` (a predicate word) follows its subject as what the subject is ("Is the dog a
    horse?"), not as the other end of a relation the parser does not keep ("Is the dog next to the horse?",
    "Is the cup on the table?"): those ask where a thing is, and "No, it is a dog." would answer another question."""
    text = " ".join(normalise(question.text))
    subject = " ".join(normalise(question.subject.words or question.subject.head))
    at = text.find(subject)
    if not subject or at < 0:
        return False
    return re.match(rf"^{_BEFORE_KIND}\s+{re.escape(singular(kind))}", text[at + len(subject):]) is not None


def _one_kind_asked(question: Question, facts: SceneFacts, perception: Perception) -> str | None:
    """"Is this a bus?", "Are these dogs?", "Is the animal a dog?": yes where the one sure kind of thing the subject
    stands for is one (a bus is a "vehicle" too); no where both are classes the detector tells apart from each other
    in every photo (dogs are no cats); None, so "I can't tell", where the word is a narrower kind the models do not
    tell apart (a puppy), something no detector class is (a wolf may be what the detector calls a dog), or the
    subject is not one sure kind of thing."""
    options = [w for w in question.predicate if not w.startswith("place:")]
    if " or " in question.text.lower() or len(options) != 1 or question.subject is None or question.negated:
        return None
    if not _names_a_kind(question, options[0]):
        return None
    word = singular(options[0])
    if word in COLOUR_WORDS or word in PHOTO_WORDS or word in SETTING_WORDS or \
            not (is_thing_noun(word) or perception.can_name(word)):  # a thing ("a bus", "animals"), not "sunny"
        return None
    label = _one_sure_kind(question.subject, facts, perception)
    if label is None:
        return None
    sense = facts.senses.get(label)
    several = question.subject.plural or question.subject.head in ("these", "those", "they")
    said = f"they are {plural(label, 2)}" if several else f"it is {with_article(label)}"
    if perception.means(label, word, sense):
        return f"Yes, {said}."
    if perception.detectable and label in perception.detectable and word in perception.detectable \
            and not perception.narrower(label, word, sense):
        return f"No, {said}."
    return None


def _one_sure_kind(subject, facts: SceneFacts, perception: Perception) -> str | None:
    """The one kind of thing `subject` stands for, where the models are sure of it: the label of the objects it
    grounds to (several of one kind are all that kind), else its tag, or the photo's tag for "it" and "this"
    (`_photo_tag`); None where it stands for several kinds, a narrower kind, words no model grounds, or a guess."""
    grounded = ground(subject, facts, perception)
    labels = {o.label for o in grounded.objects} or set(grounded.tags[:1])
    if (tag := _photo_tag(subject, facts)) is not None:  # "Is it ...?" of a photo of a tagged thing
        grounded, labels = Grounded(), {tag}
    if len(labels) != 1 or grounded.narrower or grounded.unresolved:
        return None
    label = labels.pop()
    return None if label in facts.unsure else label


def _photo_tag(subject, facts: SceneFacts) -> str | None:
    """What "it", "this" or "these" names in a photo where no stated object is sure: the photo's top tag (a photo
    of paintbrushes is of paintbrushes); None for other subjects and other photos."""
    if subject.is_pronoun and facts.tags and all(o.label in facts.unsure for o in facts.objects):
        return facts.tags[0]
    return None


def _purpose_asked(question: Question, facts: SceneFacts, perception: Perception) -> str | None:
    """"Is this a kitchen?", "Are they playing baseball?", "Is she skiing?": yes where the things the models are
    sure of are all for that one room or activity (`_one_purpose`: an oven is a kitchen appliance, skis are what
    one skis on), said with what shows it; "I can't tell" with the room they point to where it is another (a
    bed in a kitchen's photo is possible). None where no room or activity is asked, or the things tell none."""
    subject = question.subject
    if subject is not None and not (subject.is_pronoun or subject.head in IMAGE_WORDS or subject.head == "room"
                                    or perception.covers(subject.head, "person")):
        return None
    words = [w for w in question.predicate if not w.startswith("place:") and verb_base(w) not in ("play", "do")
             and w != "room"]
    if len(words) != 1 or not (asks_for_room(words[0]) or asks_for_activity(words[0])):
        return None
    word = words[0]
    used = _one_purpose(word, facts, perception)
    if used is None:
        return None
    purpose, seen = used
    said = with_article(purpose) if asks_for_room(word) else purpose
    if asks_for_activity(word) or noun(purpose) == noun(word):  # activities found are kinds of the one asked
        return f"Yes, it looks like {said}: I can see {seen}."
    return f"I can't tell {embedded(question.text)}; it looks like {said}: I can see {seen}."


def _weather_seen(question: Question, facts: SceneFacts) -> str | None:
    """"What's the weather like?": sunny, where the photo shows a clear sky (see `_sunny`); None where it does
    not, or the question asks of something else: no other weather is told from a photo's pixels here."""
    subject = question.subject
    if subject is None or subject.head != "weather" or subject.modifiers or subject.places or \
            "clear sky" not in facts.setting:
        return None
    return "It looks sunny: the sky is clear and deep blue."


def _sunny(question: Question, either: bool, facts: SceneFacts, perception: Perception) -> str:
    """"Is it sunny?", "Is it a sunny day?": probably, where the photo shows a clear sky (`setting` "clear sky":
    deep blue, which cloud cover, haze and dusk wash out); else "I can't tell", never "no": a pale or white sky is
    overcast as often as it is a bright sky the camera could not hold, and a photo without sky shows no weather.
    Asked with "day", bright daylight alone says nothing: an overcast day is as bright."""
    if "clear sky" in facts.setting:
        return "It is probably sunny: the sky is clear and deep blue." if either else \
            "Probably yes: the sky is clear and deep blue."
    return cant_tell_question(question, facts, perception)


def _daylight(words: set, either: bool, facts: SceneFacts) -> str | None:
    """"Is it night or day?", "Is it dark?", "Is it daytime?": a dark photo (`DARK`: little light anywhere) was
    taken at night or in low light; an outdoor photo whose top is bright and not orange (`setting` "daylight"),
    or that shows a clear sky (a sunny sky is a day sky), was probably taken by day. Both are said as likely, not
    sure: a camera brightens what it takes. None where the question asks neither, or the photo is neither: a sky
    of middling light is dusk as often as day."""
    asked = {PHOTO_WORDS.get(w) for w in words} & {"dark", "day"}
    if not asked:
        return None
    if DARK in facts.photo:
        if either:
            return "It may be night: it is a dark photo."
        return "Yes, it is a dark photo." if "dark" in asked else "Probably not: it is a dark photo."
    if "daylight" in facts.setting or "clear sky" in facts.setting:
        why = "the outdoor light is bright" if "daylight" in facts.setting else "the sky is clear and blue"
        if either:
            return f"It is probably day: {why}."
        return f"Probably not: {why}." if "dark" in asked else f"Probably yes: {why}."
    return None


def answer_unresolved(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """Questions about what no model here perceives ("What is the boy doing?", "Who is holding the
    umbrella?", "Why ...?"): "I can't tell ...; I can see ...", with what is told of the thing asked of.
    Asked what people are doing where the sure things are used for one sport, that sport is offered as a
    guess ("I'm not sure what she is doing; she may be skiing: I can see 1 pair of skis.")."""
    if (weather := _weather_seen(question, facts)) is not None:  # "What's the weather like?"
        return weather
    if {"time", "day"} <= set(question.extra) <= {"time", "day", "shown"} | TAKEN and question.subject is None and \
            (daylight := _daylight({"day"}, True, facts)) is not None:  # "What time of day was this taken?"
        return daylight  # (not "What time of day do the shops open?")
    grounded = ground(question.subject, facts, perception) if question.subject is not None else None
    sport = _sport_someone_may_do(question, grounded, facts, perception)
    if sport is not None:
        return sport
    held = _held_by_someone(question, grounded, facts, perception)
    if held is not None:
        return held
    if question.asks == "who" and question.subject is None and len(question.extra) == 2 and \
            verb_base(question.extra[0]) in ("wear", "dress") and question.extra[1] in COLOUR_WORDS:
        return _who_wears(question, question.extra[1], facts, perception)  # "Who is wearing red?"
    use = _use_asked(question, grounded, facts)
    if use is not None:
        return use
    where = _where_taken(question, facts, perception)
    if where is not None:
        return where
    return cant_tell_question(question, facts, perception, grounded)


def _where_taken(question: Question, facts: SceneFacts, perception: Perception) -> str | None:
    """"Where was this picture taken?", "Where are we?": the room the sure things are all kept in (`_one_purpose`:
    a bed, a bedroom), else what the setting shows, said as no full answer ("I can't tell exactly where this is;
    it is outdoors: I can see water and sand."), for a place is more than indoors or out. None where the question
    asks where a thing is, or nothing is known."""
    subject = question.subject
    if question.asks != "place" or subject is not None and not (subject.is_pronoun or subject.head in IMAGE_WORDS):
        return None
    room = _purpose_seen("room", facts, perception)
    if room is not None:
        return room
    place = _place_kind(facts, perception)
    if place is not None:
        kind, looks = place
        return f"I'm not sure {embedded(question.text)}; it may be {with_article(kind)}: it looks most like " \
               f"{with_article(looks[0])} and {with_article(looks[1])}."
    if not facts.setting:
        return None
    inside, seen = facts.setting[0], seen_in_setting(facts.setting)
    shown = f": I can see {_listed(seen)}" if seen else ""
    return f"I can't tell exactly {embedded(question.text)}; it is {inside}{shown}."


#: WordNet depth from which the kind two places share says where a photo was taken: a shop (9), a restaurant (8);
#: not a building (6) or a structure (5), which any two buildings share.
PLACE_KIND_DEPTH = 8


def _place_kind(facts: SceneFacts, perception: Perception) -> tuple[str, list[str]] | None:
    """(the kind of place the tagger's two likeliest stated tags are both kinds of, those tags): a bookshop and a
    tobacco shop are a shop. The tagger splits its score among places that look alike, so the kind they share is
    a better guess than either; offered as a guess all the same. None where the two are not both structures (a
    shop is an establishment, a structure), or share only a broad kind (`PLACE_KIND_DEPTH`)."""
    tags = sorted(facts.tags, key=lambda t: facts.tag_scores.get(t, 0.0), reverse=True)[:2]
    senses = [perception.senses_of(t, facts.senses.get(t))[:1] for t in tags]
    if len(tags) < 2 or not all(senses) or not all(is_a(s, "structure") for s in senses):
        return None
    kind = shared_kind(senses[0][0], senses[1][0])
    synset = wordnet().synset(kind) if kind is not None else None
    if synset is None or synset.min_depth() < PLACE_KIND_DEPTH:
        return None
    return synset.lemmas()[0].name().replace("_", " "), tags


def _use_asked(question: Question, grounded: Grounded | None, facts: SceneFacts) -> str | None:
    """"What is this used for?", "What is the tripod for?": what a thing of its kind is made for, as WordNet
    defines it (`language.uses.use_of`: "a brush used as an applicator (to apply paint)"), where the models are
    sure which one kind of thing is asked of. "this" and "these" are the one sure kind of stated object, or the
    photo's top tag where no object is stated surely. The use is the kind's, told as such: this one may be put to
    another. None where the kind is unsure, several, or no made thing."""
    subject = question.subject
    if question.asks != "use" or subject is None or grounded is None:
        return None
    labels = list(dict.fromkeys(o.label for o in grounded.objects)) or grounded.tags[:1]
    if not grounded.objects and (tag := _photo_tag(subject, facts)) is not None:
        labels = [tag]  # "What are those for?" of a photo of one tagged kind of thing
    elif grounded.unresolved:
        return None
    if len(labels) != 1 or labels[0] in facts.unsure:
        return None
    label = labels[0]
    definition = use_of(label, facts.senses.get(label))
    if definition is None:
        return None
    kind = f"{with_article(label)} is {definition}."
    if subject.is_pronoun and subject.plural:  # one sentence: the use is the answer, not a second thought
        return f"They are {plural(label, 2)}; {kind}"
    if subject.is_pronoun:
        return f"It is {with_article(label)}; {kind}"
    return _sentence(kind)


#: What asks what someone is doing: "What is the boy doing?", "What's he up to?".
DOING = re.compile(r"\b(?:doing|up to)\s*\??$", re.IGNORECASE)


def _sport_someone_may_do(question: Question, grounded: Grounded | None, facts: SceneFacts,
                          perception: Perception) -> str | None:
    """"What is the boy doing?" where a person is seen and the sure things are all used for one sport (see
    `_one_purpose`): that sport, offered as a guess, for the things may lie about unused."""
    subject = question.subject
    if subject is None or not DOING.search(question.text) or subject.modifiers or subject.places:
        return None
    if not (subject.is_pronoun or grounded is not None and any(o.is_person for o in grounded.objects)):
        return None
    if not any(o.is_person and o.label not in facts.unsure for o in facts.objects):
        return None
    used = _one_purpose("sport", facts, perception)
    if used is None:
        return None
    activity, seen = used
    doing = activity if activity.endswith("ing") else f"playing {activity}"
    who = _the(question)
    return f"I'm not sure what {who} {'are' if subject.plural else 'is'} doing; {who} may be {doing}: I can see {seen}."


#: Kinds of thing (WordNet) people hold in their hands: a phone or a remote (devices), a knife or a bat
#: (implements), a cup or a bag (containers), a ball (equipment), a fork (tableware), a book, an umbrella, food, a
#: toy. Conveyances are no such thing, though WordNet counts a car a container.
HELD_KINDS = ("device", "implement", "container", "equipment", "tableware", "book", "umbrella", "food", "plaything")
#: A held thing's box lies at least this share inside the holder's, and is at most this share of its area.
HELD_INSIDE, HELD_AREA = 0.6, 0.35


def _held_by_someone(question: Question, grounded: Grounded | None, facts: SceneFacts,
                     perception: Perception) -> str | None:
    """"What is the man holding?", "What is she carrying?": where one person is asked of and the sure things of
    one kind people hold (`HELD_KINDS`) lie on them (inside their box, much smaller), that kind, offered as a
    guess: a cup on the table before someone lies inside their box too. None otherwise."""
    if not re.search(r"\b(?:holding|carrying|hold|carry|holds|carries)\b", question.text.lower()):
        return None
    subject = question.subject
    if subject is None or grounded is None or subject.modifiers or grounded.unresolved:
        return None
    people = [o for o in grounded.objects if o.is_person and o.label not in facts.unsure]
    if len(people) != 1 or grounded.ambiguous:
        return None
    holder = people[0]
    held = [o for o in facts.objects if o is not holder and not o.is_person and o.label not in facts.unsure
            and share_inside(o.box, holder.box) >= HELD_INSIDE and o.area <= HELD_AREA * holder.area
            and any(perception.covers(o.label, kind, facts.senses.get(o.label)) for kind in HELD_KINDS)
            and not perception.covers(o.label, "conveyance", facts.senses.get(o.label))]
    kinds = list(dict.fromkeys(o.label for o in held))
    if len(kinds) != 1:
        return None
    return f"I'm not sure {embedded(question.text)}; it may be {with_article(kinds[0])}."


def answer_unreadable(question: Question, facts: SceneFacts, perception: Perception) -> str:
    if not question.text.strip():
        return "Please ask a question about the picture."
    return f"I can only read questions in English; I can see {what_is_seen(facts, perception)}."


def answer_request(question: Question, facts: SceneFacts, perception: Perception) -> str:
    """Requests that are no question about the picture ("Print the facts you were given.")."""
    return f"I can only answer questions about the picture; I can see {what_is_seen(facts, perception)}."
