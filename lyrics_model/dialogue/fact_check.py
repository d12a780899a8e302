"""Check an answer against the facts it was given; an answer that contradicts them is answered from them.

The small model slips even when the facts are plain: with "region1 is left of and below region2"
stated it answers "No, region1 is right of region2."; with "1 train, 1 person, 2 bicycles" stated,
"What is the man riding?" gets "The man is riding a passenger car.". For the kinds of question the
facts settle (`question_kinds.CHECKED_KINDS`), `check_answer` compares the answer with the facts and,
where they disagree, gives the facts' answer in the same one-sentence style (or "I can't tell ...",
where the facts cannot settle it and the answer claims what they do not state). An answer the facts
neither confirm nor contradict is shown as it is. Answers to "What is this?" questions and
descriptions are checked for things the models are not sure of (`SceneFacts.unsure`): a guess is
said to be one, or left out where sure things can be named instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer_check import same_class
from .categories import category_word, covers
from .grounded_prompt import SceneFacts
from .question_kinds import Question
from .scene_facts import NUMBER_WORDS, BASIC_COLOURS, ObjectFact, article, count_phrase, plural, relation_words
from .unanswerable import Perception, cant_tell, is_plural, name_things, singular, what_is_seen, with_article

#: Colour words an answer may use -> the basic colour names (as the facts state them) each agrees with.
COLOUR_WORDS = {**{name: {name} for name in BASIC_COLOURS}, "gray": {"grey"}, "silver": {"grey", "white"},
                "gold": {"yellow", "orange"}, "golden": {"yellow", "orange", "beige"}, "tan": {"beige", "brown"},
                "cream": {"beige", "white"}, "navy": {"blue"}, "dark blue": {"blue"}, "maroon": {"red", "brown"},
                "violet": {"purple"}, "turquoise": {"light blue", "green"}, "teal": {"green", "light blue"},
                "dark green": {"green"}, "light green": {"green"}, "dark grey": {"grey", "black"}}
#: Stated colours a person names alike: a light blue bus is blue.
_NEAR_COLOURS = {"light blue": {"blue"}, "blue": {"light blue"}}
_COLOUR_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, COLOUR_WORDS), key=len, reverse=True)) + r")\b")
_OPPOSITE = {"left": "right", "right": "left", "top": "bottom", "bottom": "top", "above": "below", "below": "above",
             "in front": "behind", "behind": "in front"}
#: From this many detections of one kind a count is a lower bound (crowded, small and overlapping things
#: are missed): "There are several boats; I can see at least 8."; from `MANY` on, "many".
SEVERAL, MANY = 5, 10
_PLACE_WORDS = {"left": "left", "right": "right", "top": "top", "upper": "top", "bottom": "bottom", "lower": "bottom",
                "center": "center", "centre": "center", "middle": "center"}


@dataclass
class CheckedAnswer:
    """The answer to show. changed: it differs from the model's. reason: why (empty when unchanged)."""

    text: str
    changed: bool = False
    reason: str = ""


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def check_answer(question: Question, answer: str, facts: SceneFacts, perception: Perception) -> CheckedAnswer:
    """`answer` if the facts do not contradict it, else the facts' own answer to `question`."""
    check = {"count": _check_count, "existence": _check_existence, "colour": _check_colour,
             "location": _check_location, "region": _check_region, "relation": _check_relation,
             "object relation": _check_object_relation, "describe": _check_description}.get(question.kind)
    fixed = check(question, answer, facts, perception) if check else None
    if question.kind == "identify" and question.relation is None:
        fixed = _check_category(question, answer, facts, perception)
    if question.kind == "identify" and question.relation == "wearing":
        fixed = _check_worn(question, answer, facts, perception)
    if fixed is None and question.kind in ("identify", "object relation"):
        fixed = _hedge_unsure(question, answer, facts, perception)
    if fixed is None or fixed[0].strip() == answer.strip():
        return CheckedAnswer(answer)
    return CheckedAnswer(fixed[0], True, fixed[1])


def _stated_names(question: Question, answer: str, facts: SceneFacts, perception: Perception) -> list[str]:
    """The stated labels and tags the answer's first sentence names, in order, without the question's
    subject ("The man is wearing a tie.": the man is who is asked about, not the answer)."""
    stated = [o.label for o in facts.objects] + facts.tags
    matched = (next((s for s in stated if same_class(s, n) or perception.covers(s, n)), None)
               for n in perception.named(first_sentence(answer)))
    named = [s for s in matched if s is not None]
    if question.subject:
        named = [n for n in named if not any(perception.covers(n, w) for w in question.subject.split())]
    return list(dict.fromkeys(named))


def names_a_sure_thing(question: Question, answer: str, facts: SceneFacts, perception: Perception) -> bool:
    """True once the answer names a stated thing the models are sure of: it will not be hedged."""
    return any(n not in facts.unsure for n in _stated_names(question, answer, facts, perception))


def _sure_things(facts: SceneFacts) -> bool:
    return any(o.label not in facts.unsure for o in facts.objects) or any(t not in facts.unsure for t in facts.tags)


def _hedge_unsure(question: Question, answer: str, facts: SceneFacts, perception: Perception):
    """An answer whose stated things are all ones the models are not sure of (`SceneFacts.unsure`)
    says so: "A bell cote." -> "I'm not sure what this is; it may be a bell cote."; "What is the man
    wearing?" -> "I'm not sure what the man is wearing; it may be a tie.". Asked what the image shows
    ("What is in the picture?", no category), it names what the models are sure of instead, where
    there is any: "A keyboard." -> "I can see 1 cheetah."."""
    named = _stated_names(question, answer, facts, perception)
    if not named or not all(n in facts.unsure for n in named):
        return None
    if question.kind == "identify" and question.relation is None and question.other is None and _sure_things(facts):
        return f"I can see {what_is_seen(facts)}.", "unsure names; sure things stated"
    what, be = "this is", "are" if is_plural(question.subject or "") else "is"
    if question.kind == "identify" and question.relation == "wearing":
        what = f"the {question.subject} {be} wearing"
    elif question.kind == "object relation":
        what = f"the {question.subject} {be} {question.relation}" if question.subject_first else \
            f"{'are' if question.other and is_plural(question.other) else 'is'} {question.relation} the {question.subject}"
    return f"I'm not sure what {what}; it may be {' or '.join(with_article(n) for n in named)}.", "unsure names"


def _check_category(question: Question, answer: str, facts: SceneFacts, perception: Perception):
    """"What fruit is this?": an answer that names no stated thing of the category asked for ("A stop
    sign.") is answered with the stated one ("An espresso." for "What drink is shown?"), hedged where
    the models are not sure of it, or "I can't tell which fruit this is; ..." where none is stated.
    Categories `categories.covers` does not know are not checked."""
    category = category_word(question.other)
    if category is None:
        return None
    named = _stated_names(question, answer, facts, perception)
    if any(covers(category, n, perception) for n in named):
        return None
    stated = list(dict.fromkeys([o.label for o in facts.objects] + facts.tags))
    fits = [s for s in stated if covers(category, s, perception)]
    sure = [s for s in fits if s not in facts.unsure]
    if sure:
        return f"{_sentence_case(with_article(sure[0]))}.", f"stated {category}: {sure[0]}"
    if fits:
        return f"I'm not sure which {category} this is; it may be {with_article(fits[0])}.", f"unsure {category}"
    return cant_tell(f"which {category} this is", facts), f"no {category} stated"


def _check_worn(question: Question, answer: str, facts: SceneFacts, perception: Perception):
    """"What is the man wearing?": an answer naming a stated thing worn that the models are sure of
    stands; else every stated thing worn is named, hedged where all are guesses ("A tie." with a tie
    and a suit guessed -> "I'm not sure what the man is wearing; it may be a tie or a suit."). An
    answer is left to the other checks where nothing worn is stated."""
    worn = [n for n in _stated_names(question, answer, facts, perception) if covers("clothing", n, perception)]
    if worn and any(n not in facts.unsure for n in worn):
        return None
    stated = list(dict.fromkeys([o.label for o in facts.objects] + facts.tags))
    fits = [s for s in stated if covers("clothing", s, perception)]
    if not fits:
        return None
    who = f"the {question.subject} {'are' if is_plural(question.subject or '') else 'is'} wearing"
    sure = [s for s in fits if s not in facts.unsure]
    if sure:
        return f"{_sentence_case(who)} {name_things([], sure, max_tags=3)}.", f"stated clothing: {', '.join(sure)}"
    return f"I'm not sure what {who}; it may be {' or '.join(with_article(n) for n in fits)}.", "unsure clothing"


def _check_description(question: Question, answer: str, facts: SceneFacts, perception: Perception):
    """A description's first sentence names only what the models are sure of: "The image shows 1
    cheetah and 1 keyboard." (the keyboard a guess) -> "The image shows 1 cheetah."; one naming only
    guesses names the sure things instead, or, where there are none, says it is not sure: "I'm not sure
    what the image shows; it may be a bell cote."."""
    named = _stated_names(question, answer, facts, perception)
    sure = [n for n in named if n not in facts.unsure]
    if len(sure) == len(named):
        return None
    if sure:
        labels = [o.label for o in facts.objects if o.label in sure]
        return f"The image shows {name_things(labels, [n for n in sure if n not in labels], len(sure))}.", \
            "unsure names left out"
    if _sure_things(facts):
        return f"The image shows {what_is_seen(facts)}.", "unsure names; sure things stated"
    return f"I'm not sure what the image shows; it may be {' or '.join(with_article(n) for n in named)}.", \
        "unsure names"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _matching(facts: SceneFacts, word: str, perception: Perception) -> list[ObjectFact]:
    return [o for o in facts.objects if perception.covers(o.label, word)]


def _tagged(facts: SceneFacts, word: str, perception: Perception) -> bool:
    """True if a tag, a setting word or a whole-image line of the facts names `word`."""
    if any(perception.covers(tag, word) for tag in facts.tags):
        return True
    words = {word, singular(word), plural(singular(word), 2)}
    lines = [line for line in facts.render_image().splitlines() if not line.startswith("- ")]
    return any(re.search(rf"\b{re.escape(w)}\b", line, re.IGNORECASE) for w in words for line in lines[1:])


def _stated_number(sentence: str) -> int | None:
    """The first number an answer states: digits, number words, "no"/"none" (0), "a"/"an" at the start (1)."""
    sentence = sentence.lower()
    words = "|".join(NUMBER_WORDS[1:])
    if m := re.search(rf"\b(\d+|{words}|none|no|zero|single)\b", sentence):
        word = m[1]
        if word.isdigit():
            return int(word)
        return {"none": 0, "no": 0, "zero": 0, "single": 1}.get(word, NUMBER_WORDS.index(word) if word in NUMBER_WORDS
                                                              else None)
    if re.match(r"^(there (is|'s) )?(a|an|one|only one) ", sentence):
        return 1
    return None


def _check_count(question, answer, facts, perception):
    word = question.subject
    found = _matching(facts, word, perception)
    stated = _stated_number(first_sentence(answer))
    if not found:
        if _tagged(facts, word, perception):  # named by a tag or the setting, not counted: there is some
            if stated == 0:
                return cant_tell(f"how many {plural(singular(word), 2)} there are", facts), "tagged, not counted"
            return None
        if not perception.can_deny(word):
            return cant_tell(f"how many {plural(singular(word), 2)} there are", facts), "not perceivable"
        if stated in (0, None):
            return None  # the answer counts none, or states no number: nothing to correct
        return f"There are no {plural(singular(word), 2)}.", "counted none"
    n = len(found)
    labels = {o.label for o in found}
    label = labels.pop() if len(labels) == 1 else singular(word)
    if n >= SEVERAL:
        return f"There are {'many' if n >= MANY else 'several'} {plural(label, 2)}; I can see at least {n}.", \
            f"{n} detected: a lower bound"
    right = f"There is {count_phrase(label, 1)}." if n == 1 else f"There are {count_phrase(label, n)}."
    grammar = re.search(r"\bare 1\b|\bis (?:[2-9]|\d\d)\b", first_sentence(answer))
    if stated is None and not grammar:
        return None
    if stated != n or grammar:
        return right, f"stated {n}, answer says {stated}"
    return None


def _says_yes_or_no(sentence: str) -> bool | None:
    sentence = sentence.lower()
    if re.match(r"^(no|nope)\b", sentence) or re.search(r"\bthere (is|are) no\b|\b(isn't|aren't|not|cannot|can't see)\b",
                                                        sentence):
        return False
    if re.match(r"^(yes|yeah|yep)\b", sentence) or re.search(r"\bthere (is|are|'s)\b|\bi can see\b", sentence):
        return True
    return None


def _check_existence(question, answer, facts, perception):
    word = question.subject
    found = _matching(facts, word, perception)
    present = bool(found) or _tagged(facts, word, perception)
    says = _says_yes_or_no(first_sentence(answer))
    if present:
        if says is not False:
            return None
        if found:
            labels = [o.label for o in found]
            if len(found) == 1:
                return f"Yes, there is {article(labels[0])} {labels[0]} {found[0].place}.", "stated present"
            label = labels[0] if len(set(labels)) == 1 else singular(word)
            return f"Yes, there are {count_phrase(label, len(found))}.", "stated present"
        return f"Yes, I can see {with_article(word)}.", "stated present"
    if not perception.can_deny(word):
        return cant_tell(f"whether there {'are' if is_plural(word) else 'is'} {with_article(word)}", facts), \
            "not perceivable"
    if says is True:
        return (f"No, there are no {word}." if is_plural(word) else f"No, there is no {word}."), "not stated"
    return None


def _subject_fact(facts: SceneFacts, word: str, perception: Perception) -> ObjectFact | None:
    """The region named `word`, or the one object (or several alike) the word covers."""
    regions = dict(facts.regions)
    if word in regions:
        return regions[word]
    found = _matching(facts, word, perception)
    if not found:
        return None
    first = found[0]
    alike = all(o.colours == first.colours and o.place == first.place for o in found)
    return first if len(found) == 1 or alike else None


def _check_colour(question, answer, facts, perception):
    """A colour answer must name a colour ("The roofs are sky and water." does not) among the stated
    colours of what is asked about; one that names none is answered from the facts, or "I can't tell"
    where the facts state no colour for it."""
    fact = _subject_fact(facts, question.subject, perception)
    colours = list(getattr(fact, "colours", None) or [])
    said = [m.group(1) for m in _COLOUR_PATTERN.finditer(first_sentence(answer).lower())]
    if not colours:
        if said or _says_photo_colour(answer):
            return None
        return cant_tell(f"the colour of the {question.subject}", facts), "no colour named"
    allowed = set(colours).union(*(_NEAR_COLOURS.get(c, set()) for c in colours))
    if said and all(COLOUR_WORDS[w] & allowed for w in said):
        return None
    stated = " and ".join(colours)
    if question.subject.startswith("region"):
        return f"{_sentence_case(stated)}.", f"stated {stated}"
    who = question.subject
    verb = "are" if is_plural(who) else "is"
    worn = "wearing " if fact.is_person else ""
    return f"The {who} {verb} {worn}{stated}.", f"stated {stated}"


def _says_photo_colour(answer: str) -> bool:
    """"The photo is in black and white.", "It is too dark to see.": answers about the whole photo."""
    return bool(re.search(r"\b(black[- ]and[- ]white|monochrome|too dark|greyscale|grayscale)\b", answer.lower()))


def _place_sides(text: str) -> set[str]:
    return {_PLACE_WORDS[w] for w in re.findall(r"\b(" + "|".join(_PLACE_WORDS) + r")\b", text.lower())}


def _check_location(question, answer, facts, perception):
    """A place opposite to the stated one is answered from the facts; where the facts do not place the
    thing asked about, an answer that names no place in the image ("The flower is in the daisy.") is
    "I can't tell"."""
    fact = _subject_fact(facts, question.subject, perception)
    said = _place_sides(first_sentence(answer))
    if fact is None:
        if not said and not _matching(facts, question.subject.split()[-1], perception):
            return cant_tell(f"where the {question.subject} {'are' if is_plural(question.subject) else 'is'}",
                             facts), "no place named"
        return _check_ambiguous_location(question, answer, facts, perception)
    stated = _place_sides(fact.place)
    if not said:
        return None  # "On the bed.": a place the facts neither confirm nor contradict
    sides = stated - {"center"}
    wrong = any(_OPPOSITE.get(s) in stated for s in said) or bool((said - {"center"}) - stated)
    wrong = wrong or ("center" in said and len(sides) == 2)
    if not wrong:
        return None
    if question.subject.startswith("region"):
        return f"{_sentence_case(question.subject)} is {fact.place}.", f"stated {fact.place}"
    verb = "are" if is_plural(question.subject) else "is"
    return f"The {question.subject} {verb} {fact.place}.", f"stated {fact.place}"


def _check_ambiguous_location(question, answer, facts, perception):
    """"Where is the bald man?" with two people in different places: the facts cannot say which one
    is meant, so an answer that picks a side is "I can't tell"; "Where is the man?" lists them all."""
    head = question.subject.split()[-1]
    found = _matching(facts, head, perception)
    places = list(dict.fromkeys(o.place for o in found))
    if len(found) < 2 or len(places) < 2 or not _place_sides(first_sentence(answer)):
        return None
    if question.subject != head:
        return cant_tell(f"which {singular(head)} is the {question.subject}", facts), "ambiguous subject"
    labels = {o.label for o in found}
    label = labels.pop() if len(labels) == 1 else singular(head)
    return f"There are {count_phrase(label, len(found))}: {', '.join(places[:-1])} and {places[-1]}.", \
        "several in different places"


def _check_region(question, answer, facts, perception):
    """A region named as another class is answered with its stated label; where that label is a guess
    (`SceneFacts.unsure`), the answer says so."""
    fact = dict(facts.regions).get(question.subject)
    if fact is None:
        return None
    if fact.label in facts.unsure:
        return f"I'm not sure what {question.subject} is; it may be {with_article(fact.label)}.", "unsure label"
    named = perception.named(first_sentence(answer))
    if not named or any(same_class(fact.label, n) or perception.covers(fact.label, n) for n in named):
        return None
    return f"{_sentence_case(article(fact.label))} {fact.label}.", f"stated {fact.label}"


def _axis_word(words: list[str], axis: tuple[str, str]) -> str | None:
    return next((w for w in words if w.split()[0] in axis), None)


def _check_relation(question, answer, facts, perception):
    regions = dict(facts.regions)
    a, b = question.subject, question.other
    if a not in regions or b not in regions:
        return None
    words = relation_words(regions[a], regions[b])
    side, level = _axis_word(words, ("left", "right")), _axis_word(words, ("above", "below"))
    depth = _axis_word(words, ("in", "behind"))
    depth = depth if depth in ("in front of", "behind") else None
    sentence = first_sentence(answer).lower()
    asked = question.relation
    if asked == "left or right":
        right = side and (f"{_sentence_case(a)} is {side.split()[0]} of {b}.", side)
    elif asked == "above or below":
        right = level and (f"{_sentence_case(a)} is {level} {b}.", level)
    elif asked.startswith("further"):
        wanted = asked.split()[1]
        stated = side if wanted in ("left", "right") else level
        if not stated:
            return None
        first = a if stated.split()[0] == wanted else b
        said = re.findall(r"\bregion\d+\b", sentence)
        if said and said[0] == first:
            return None
        word = {"above": "higher", "below": "lower"}.get(wanted, f"further {wanted}")
        return f"{_sentence_case(first)} is {word}.", f"stated {a} {stated} {b}"
    else:  # "Is a right of b?": yes or no, and the stated word on that axis
        axis = {"left of": side, "right of": side, "above": level, "below": level,
                "in front of": depth, "behind": depth}[asked]
        if not axis:
            return None
        yes = axis == asked
        right = (f"{'Yes' if yes else 'No'}, {a} is {axis} {b}.", axis)
        if _says_yes_or_no(sentence) not in (None, yes) or _contradicts(sentence, a, b, words, regions):
            return right[0], f"stated {a} {' and '.join(words)} {b}"
        return None
    if not right:
        return None
    stated_word = right[1].split()[0] if right[1] not in ("in front of",) else right[1]
    said = {w for w in ("left", "right", "above", "below") if re.search(rf"\b{w}\b", sentence)}
    if _contradicts(sentence, a, b, words, regions) or (said and stated_word not in said) or \
            (_OPPOSITE.get(stated_word) in said and not re.search(rf"\b{b}\b", sentence)):
        return right[0], f"stated {a} {' and '.join(words)} {b}"
    return None


def _contradicts(sentence: str, a: str, b: str, words: list[str], regions: dict) -> bool:
    """True if a clause "regionX is ... regionY" of the sentence says a direction opposite to the facts'."""
    for x, said, y in re.findall(r"\b(region\d+) is ([a-z ,]+?) (region\d+)\b", sentence):
        if x not in regions or y not in regions or x == y:
            continue
        stated = " ".join(relation_words(regions[x], regions[y]))
        for word, opposite in _OPPOSITE.items():
            if re.search(rf"\b{word}\b", said) and re.search(rf"\b{opposite}\b", stated):
                return True
    return False


def _boxes_overlap(a: ObjectFact, b: ObjectFact) -> bool:
    return min(a.box[2], b.box[2]) > max(a.box[0], b.box[0]) and min(a.box[3], b.box[3]) > max(a.box[1], b.box[1])


def _area(o: ObjectFact) -> float:
    return float((o.box[2] - o.box[0]) * (o.box[3] - o.box[1]))


def _has_relation(candidate: ObjectFact, subject: ObjectFact, relation: str) -> bool:
    """True if `candidate` stands in `relation` (see `question_kinds.OBJECT_RELATIONS`) to `subject`, by
    their boxes (and masks, for occlusion)."""
    words = relation_words(candidate, subject)
    cy, sy = (candidate.box[1] + candidate.box[3]) / 2, (subject.box[1] + subject.box[3]) / 2
    if relation == "under":
        return _boxes_overlap(candidate, subject) and cy > sy
    if relation == "on":
        return _boxes_overlap(candidate, subject) and cy < sy and _area(candidate) < _area(subject)
    if relation == "behind":
        return "behind" in words or ("overlapping" in words and _area(candidate) > 2 * _area(subject))
    if relation == "in front of":
        return "in front of" in words
    if relation == "held":
        return _boxes_overlap(candidate, subject) and _area(candidate) < _area(subject)
    if relation == "inside":
        return "inside" in words
    return not _boxes_overlap(candidate, subject)  # "beside"


def _check_object_relation(question, answer, facts, perception):
    subject_word, category, verb = question.subject, question.other, question.relation
    acts = question.subject_first
    be = "are" if is_plural(subject_word) else "is"
    thing = f"which {category}" if category and category not in ("object", "thing") else "what"
    unknown = f"{thing} the {subject_word} {be} {verb}" if acts else f"{thing} is {verb} the {subject_word}"
    sentence = first_sentence(answer)
    named = perception.named(sentence)
    names_subject = any(subject_word in n or singular(subject_word) in n for n in named)
    named = [n for n in named if n not in subject_word and singular(subject_word) not in n]
    stated = {o.label for o in facts.objects} | set(facts.tags)
    invented = [n for n in named if not any(same_class(s, n) or perception.covers(s, n) for s in stated)]
    subjects = _matching(facts, subject_word, perception)
    if not subjects:  # the facts do not place the subject: only an answer naming the subject or the unseen fails
        return (cant_tell(unknown, facts), "not stated") if invented or (names_subject and not named) else None
    candidates = [o for o in facts.objects if not perception.covers(o.label, subject_word)
                  and (category is None or category in ("object", "thing") or perception.covers(o.label, category))
                  and any(_has_relation(o, s, question.place) for s in subjects)]
    kinds = list(dict.fromkeys(o.label for o in candidates))
    names_kind = [k for k in kinds if any(same_class(k, n) or perception.covers(k, n) for n in named)]
    inverted = not acts and bool(re.match(rf"^(the |a |an )?{re.escape(subject_word)}\b", sentence.lower()))
    if len(kinds) == 1 and (not names_kind or inverted):
        kind = kinds[0]
        if acts:
            return f"The {subject_word} {be} {verb} {article(kind)} {kind}.", f"stated {kind} {verb}"
        return f"{_sentence_case(article(kind))} {kind} is {verb} the {subject_word}.", f"stated {kind} {verb}"
    if names_kind and not inverted:
        return None
    if inverted or kinds or invented or not named:
        return cant_tell(unknown, facts), "not stated"
    return None
