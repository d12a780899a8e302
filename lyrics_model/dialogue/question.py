"""Question understanding: what a visitor asks, with a role for every word.

`parse_question("How many children are laughing?")` gives a count `Question` whose subject is "children"
and whose predicate is ("laughing",): the qualifier is kept, never dropped, so the answer policy can
see that no model here tells who laughs and say so ("I can't tell how many children are laughing; I can
see 2 people.") instead of answering a simpler question. Every word ends up in one of the question's
fields: its kind, its subject and second thing (`Thing`: head noun, colour, place, owner, modifiers),
the category asked for, the relation, the predicate (what is said of the subject beyond its name) or
`extra` (words the parser could not place, which make the question unresolved).

Function words are closed classes (`language.words`); content words are looked up in WordNet. Which
content words the profile's models can ground is decided later, against what they can report
(`grounding.unresolved_words`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..language.words import (ARITHMETIC, ARTICLES, AUXILIARIES, COLOUR_WORDS, CONJUNCTIONS, DEPTH_WORDS, KIND_WORDS,
                              DETERMINERS, FILLERS, IMAGE_WORDS, NEGATIONS, NUMBER_WORDS, PLACE_WORDS, PREPOSITIONS,
                              PRONOUNS, SOCIAL, WH_WORDS, is_adjective, is_english, is_noun, is_plural, is_verb,
                              is_thing_noun, is_verb_form, names_a_thing, normalise, times_met, verb_base)
from ..language.kinds import WORD_FOR, is_a, word_senses
from ..language.uses import is_organism, maker_of, named_on_signs

#: The kinds of question, each with one answer policy (`answer_policy.POLICIES`).
KINDS = ("social", "unreadable", "describe", "describe thing", "identify", "count", "existence", "colour", "location",
         "region", "relation", "object relation", "text", "yes/no", "open", "request")
#: Words that ask about text ("What does the poster say?", "What number is on the bus?").
TEXT_NOUNS = {"text", "word", "words", "letter", "letters", "number", "numbers", "writing", "inscription", "title",
              "name", "names", "caption", "label", "slogan", "digits", "digit", "year", "years", "date", "author",
              "headline", "message", "logo", "brand", "price", "address"}
TEXT_VERBS = {"say", "says", "said", "read", "reads", "written", "write", "printed", "print", "painted", "spell",
              "spells", "mention", "mentions", "mentioned", "advertised", "advertise", "advertises", "labelled",
              "labeled", "titled", "called", "named"}
#: What one thing does to another that its box's place below, around or in a hand can show.
SUPPORT_VERBS = {"riding": "under", "ride": "under", "driving": "under", "drive": "under", "sitting on": "under",
                 "standing on": "under", "lying on": "under", "perched on": "under", "resting on": "under",
                 "sitting in": "under"}
#: Places of one thing relative to another, by their boxes ("What is behind the man?").
RELATIVE_PLACES = {"on top of": "on", "on": "on", "behind": "behind", "in front of": "in front of",
                   "next to": "beside", "beside": "beside", "near": "beside", "by": "beside", "inside": "inside",
                   "in": "inside", "under": "under", "underneath": "under", "below": "under", "beneath": "under",
                   "above": "on", "over": "on", "left of": "left of", "to the left of": "left of",
                   "right of": "right of", "to the right of": "right of"}
#: Auxiliaries after which a bare verb follows the subject ("does the sign say", "can the dog swim").
MODALS = {"do", "does", "did", "can", "could", "will", "would", "should", "may", "might", "must", "shall"}
#: Possessive determiners and the pronoun of the one who owns: "its ears" -> "it".
POSSESSIVES = {"its": "it", "his": "he", "her": "she", "their": "they"}
_PLACE_PHRASE = re.compile(r"^(?:on|at|in|to|towards|toward) (?:the |its |his |her |their )?(?:(?:far|very) )?"
                           r"((?:top|bottom|upper|lower|left|right|middle|center|centre)"
                           r"(?:[- ](?:top|bottom|upper|lower|left|right|middle|center|centre))?)"
                           r"(?: (?:hand )?(?:side|corner|edge|half|part|end))?"
                           r"(?: (?:of|in) (?:the |this )?(?:image|picture|photo|photograph|frame|scene|field))?\b")
_IMAGE_PHRASE = re.compile(r"^(?:in|on|of|from|within|at) (?:the |this |that |your )?(?:image|picture|photo|photograph|"
                           r"pic|scene|frame|shot|view|snapshot)\b")


@dataclass(frozen=True)
class Thing:
    """A thing a question names.

    head: the noun as worded ("cars"), a pronoun ("it", "she") or a region id ("region1"). plural: it
    names more than one. colours / places: colour words and place words ("left", "top") said of it.
    owner: the thing it belongs to ("the man's shoes", "the shirt of the player": the man, the player).
    modifiers: other words said of it (adjectives, nouns before it, relative clauses: "bearded",
    "walking away"), which a model must ground for the question to be answered. words: the phrase as
    worded ("the car on the left").
    """

    head: str
    plural: bool = False
    colours: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    owner: "Thing | None" = None
    modifiers: tuple[str, ...] = ()
    words: str = ""

    @property
    def is_region(self) -> bool:
        return re.fullmatch(r"region\d+", self.head) is not None

    @property
    def is_pronoun(self) -> bool:
        return self.head in PRONOUNS

    @property
    def name(self) -> str:
        """The noun phrase without its article, as answers repeat it: "car on the left", "man's shoes"."""
        words = re.sub(r"\s+(?:in|on|of|from|within|at) (?:the |this |that |your )?(?:image|picture|photo|photograph|pic|"
                       r"scene|frame|shot|view|snapshot)$", "", self.words)
        return re.sub(r"^(?:the|a|an|any|some|this|these|those|that|all the|all|both)\s+", "", words) or self.head


@dataclass(frozen=True)
class Question:
    """A question and the role of each of its words (see the module docstring).

    kind: one of `KINDS`. subject: what is asked about. other: the second thing (a relation's second
    region, the thing an object relation is relative to). category: the kind of thing asked for ("fruit"
    in "Which fruit is that?", "animal"), or None. relation: "left of", "under" (what the subject rides),
    "left or right"... predicate: what is said of the subject beyond its name ("smiling", "wearing",
    "helmets"). extra: words the parser could not place. negated: the question holds a negation.
    asks: what is asked, for the answer's wording ("colour", "number", "place", "text", "yes/no", "what"...;
        "support": the thing the subject is on, as in "What is the cup on?").
    regions: the region ids it names, in order.
    """

    text: str
    kind: str
    subject: Thing | None = None
    other: Thing | None = None
    category: str | None = None
    relation: str | None = None
    predicate: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    negated: bool = False
    asks: str = "what"
    regions: tuple[str, ...] = field(default=())

    @property
    def things(self) -> list[Thing]:
        return [t for t in (self.subject, self.other) if t is not None]


def parse_question(text: str) -> Question:
    """The `Question` a visitor's sentence asks (see the module docstring)."""
    stripped = " ".join(text.strip().split())
    words = normalise(stripped)
    regions = tuple(dict.fromkeys(w for w in words if re.fullmatch(r"region\d+", w)))
    if not words:
        return Question(stripped, "unreadable")
    sentence = " ".join(words)
    if SOCIAL.match(sentence) or ARITHMETIC.match(stripped.lower()):
        return Question(stripped, "social")
    if not is_english(stripped):
        return Question(stripped, "unreadable", regions=regions)
    negated = any(w in NEGATIONS for w in words)
    sentence = re.sub(r"^(is|are|was|were|can|could|do|does|did) not\b", r"\1", sentence)  # "isn't the car red"
    sentence = _preposition_stranded(sentence)
    words = sentence.split()
    for recognise in (_relation, _describe, _count, _text, _colour, _location, _region, _existence,
                      _object_relation, _use, _identify, _yes_no, _open):
        question = recognise(words, sentence)
        if question is not None:
            return replace(_number_from_verb(question, words), text=stripped, regions=regions,
                           negated=question.negated or negated)
    return Question(stripped, "request", extra=tuple(w for w in words if _content(w)), regions=regions)


def _preposition_stranded(sentence: str) -> str:
    """A question led by a preposition, said as one that strands it at the end, the form the parser reads: "at
    what time of day was it taken" -> "what time of day was it taken at", "on what is the cat sitting" -> "what is
    the cat sitting on". Other sentences as they are."""
    m = re.match(r"^(at|on|in|from|to|with|for|by|under|behind|near) ((?:what|which|whom|who)\b.*)$", sentence)
    return f"{m[2]} {m[1]}" if m else sentence


def _number_from_verb(question: Question, words: list[str]) -> Question:
    """A noun spelt the same in both numbers ("sheep", "fish", "deer") takes its number from its verb: "What
    colour are the sheep?" asks of several, "How many sheep" too; a singular-looking subject with "are" or
    "were" as the question's first verb is plural."""
    subject = question.subject
    if subject is None or subject.plural or subject.is_pronoun or subject.is_region or subject.head.endswith("s"):
        return question
    verb = next((w for w in words if w in AUXILIARIES), None)
    if verb in ("are", "were") or question.kind == "count":
        return replace(question, subject=replace(subject, plural=True))
    return question


# ---- noun phrases -------------------------------------------------------------------------------------


def _content(word: str) -> bool:
    """True for a word that carries meaning a model must ground (not a function word or filler)."""
    closed = DETERMINERS | PRONOUNS | AUXILIARIES | WH_WORDS | PREPOSITIONS | CONJUNCTIONS | FILLERS | IMAGE_WORDS
    return word not in closed and word != "'s" and word not in NEGATIONS


def _stop(word: str) -> bool:
    """True where a noun phrase ends: a verb, an auxiliary, a question word, a conjunction or a preposition."""
    return word in AUXILIARIES or word in WH_WORDS or word in CONJUNCTIONS or word in PREPOSITIONS \
        or word in NEGATIONS or (is_verb_form(word) and word not in COLOUR_WORDS and word not in PLACE_WORDS)


def _phrase(words: list[str]) -> Thing | None:
    """A whole noun phrase ("the red car on the left", "the bearded man's vest", "its ears") as a `Thing`;
    words it cannot place become modifiers. None for no words."""
    thing, rest = _take_phrase(words, 0)
    if thing is None:
        return None
    if rest < len(words):
        thing = replace(thing, modifiers=thing.modifiers + tuple(w for w in words[rest:] if _content(w)))
    return replace(thing, words=" ".join(words).replace(" 's", "'s"))


def read_phrase(words: list[str], start: int) -> tuple[Thing | None, int]:
    """The noun phrase of normalised `words` (`language.words.normalise`) starting at `start` as a `Thing`
    (its trailing place and "of" phrases included), and the index after it; (None, start) where none starts."""
    return _take_phrase(words, start)


def _take_phrase(words: list[str], start: int) -> tuple[Thing | None, int]:
    """The noun phrase starting at `start` and the index after it (its trailing place and "of" phrases included)."""
    i = start
    if start < len(words) and words[start] in PRONOUNS - DETERMINERS - {"one"}:  # "it", "she": a whole phrase
        return Thing(words[start], words[start] in ("they", "them")), start + 1
    owner = None
    while i < len(words) and (words[i] in DETERMINERS and words[i] not in ("one",) or words[i] in ("of",) and i > start):
        if words[i] in POSSESSIVES:  # "its ears", "her shoes": a part of someone in view
            owner = Thing(POSSESSIVES[words[i]], words[i] == "their", words=POSSESSIVES[words[i]])
        i += 1
    body: list[str] = []
    while i < len(words) and words[i] != "'s":
        word, after = words[i], words[i + 1] if i + 1 < len(words) else ""
        if body and word in ("that", "which", "who", "whose"):
            break  # "the dog that is running": a relative clause, said of the dog
        if body and word in FILLERS:
            break  # "any dogs here", "a cat visible"
        if body and word in ARTICLES:
            break  # "this person a soldier": a second noun phrase begins
        if body and word in COLOUR_WORDS and body[-1] not in COLOUR_WORDS and is_noun(body[-1]) and "and" in words[i:] \
                and all(w in COLOUR_WORDS or w == "and" for w in words[i:]):
            break  # "is the cow black and white": the colours that end the question are said of the cow
        if word == "and" and body and body[-1] in COLOUR_WORDS and after in COLOUR_WORDS and i + 2 < len(words) \
                and words[i + 2] not in COLOUR_WORDS and is_noun(words[i + 2]):
            body.append(word)  # "black and white cows": one thing of two colours
            i += 1
            continue
        if _stop(word) and not (word.endswith("ing") and (i == start or words[i - 1] in DETERMINERS | {"of"})
                                and names_a_thing(word)):  # "the building", "what kind of painting"
            # "the bearded man", "the running dog", "1 dining table": a verb form before a noun describes it
            if not (is_verb_form(word) and after and not _stop(after) and is_noun(after)
                    and (i > start and (words[i - 1] in DETERMINERS or words[i - 1] in NUMBER_WORDS
                                        or words[i - 1].isdigit()) or word.endswith("ed"))):
                break
        elif body and _agrees_as_verb(body[-1], word, after):
            break  # "the players wear glasses": the verb that agrees with the noun before it
        body.append(word)
        i += 1
    if not body:
        if start < len(words) and words[start] in PRONOUNS:
            return Thing(words[start], words[start] in ("they", "them", "these", "those", "ones")), start + 1
        if i > start and words[i - 1] in PRONOUNS:  # "this" read as a determiner with nothing after it
            return Thing(words[i - 1], words[i - 1] in ("these", "those")), i
        return None, start
    thing = _noun_group(body, start_word=words[start] if start < len(words) else "")
    if owner is not None:
        thing = replace(thing, owner=owner)
    if i < len(words) and words[i] == "'s":  # "the man's shoes": the owner, then the thing owned
        owned, after = _take_phrase(words, i + 1)
        if owned is not None:
            return replace(owned, owner=thing), after
        return thing, i + 1
    while i < len(words):  # trailing phrases: "on the left", "of the player", "in the picture"
        rest = " ".join(words[i:])
        if m := _IMAGE_PHRASE.match(rest):
            i += len(m[0].split())
            continue
        if m := _PLACE_PHRASE.match(rest):
            places = tuple(PLACE_WORDS[w] for w in re.findall(r"top|bottom|upper|lower|left|right|middle|center|centre",
                                                              m[1]))
            thing = replace(thing, places=thing.places + places)
            i += len(m[0].split())
            continue
        if words[i] == "of" and i + 1 < len(words) and words[i + 1] not in IMAGE_WORDS:
            owner, after = _take_phrase(words, i + 1)
            if owner is not None and not thing.owner:
                if thing.head in ("one", "ones", "kind", "type", "sort", "pair", "group", "number"):
                    return replace(owner, places=owner.places + thing.places, colours=owner.colours + thing.colours,
                                   modifiers=owner.modifiers + thing.modifiers), after
                return replace(thing, owner=owner), after
        if words[i] in ("in", "at") and i + 1 < len(words) and words[i + 1] in ("front", "back", "the") and \
                " ".join(words[i:i + 3]) in ("in front", "at the back", "in the front", "in the back",
                                               "in the foreground", "in the background", "in the distance"):
            span = 2 if words[i + 1] == "front" else 3
            thing = replace(thing, modifiers=thing.modifiers + (words[i + span - 1],))
            i += span
            continue
        break
    return thing, i


def _agrees_as_verb(previous: str, word: str, after: str) -> bool:
    """True if `word` after the noun `previous` is the clause's verb ("players wear", "man wears")."""
    if not is_verb(word) or word in COLOUR_WORDS or word in PLACE_WORDS or word in NUMBER_WORDS:
        return False
    plural_noun = is_plural(previous)
    if plural_noun and not word.endswith("s") and (not after or not is_noun(word) or is_noun(after)):
        return not is_noun(word) or bool(after) and after not in AUXILIARIES
    return not plural_noun and word.endswith("s") and not is_noun(word) and is_noun(previous)


def _noun_group(body: list[str], start_word: str = "") -> Thing:
    """Words of a noun phrase without its determiners: colours, places, modifiers and the head (last noun)."""
    colours, places, modifiers = [], [], []
    head_index = len(body) - 1
    while head_index > 0 and (body[head_index] in PLACE_WORDS or body[head_index] in DEPTH_WORDS) \
            and body[head_index] not in ("left", "right"):
        head_index -= 1
    head = body[head_index]
    j = 0
    before = body[:head_index]
    while j < len(before):
        word = before[j]
        two = " ".join(before[j:j + 2])
        if two in COLOUR_WORDS:
            colours.append(two)
            j += 2
            continue
        if word in COLOUR_WORDS:
            colours.append(word)
        elif word in PLACE_WORDS:
            places.append(PLACE_WORDS[word])
        elif word not in ("and", "-") and word not in ARTICLES:
            modifiers.append(word)  # other adjectives, nouns before the head, numbers and ordinals
        j += 1
    modifiers += body[head_index + 1:]
    # "the red" with no noun: a colour named as the thing ("the red one")
    plural = is_plural(head) or start_word in ("these", "those", "both", "all")
    if head in COLOUR_WORDS and not colours:
        colours, head = [head], "one"
    return Thing(head, plural, tuple(colours), tuple(places), None, tuple(modifiers), " ".join(body))


def do_subject_end(words: list[str]) -> int:
    """Where the subject of a question with "do", "can", "will"... ends ("does [the sign] say", "can [the dog]
    swim", "does [this] make you think"): after a lone pronoun, else before the first verb after its first noun."""
    if words and words[0] in PRONOUNS and (len(words) == 1 or is_verb(words[1])):
        return 1
    i = 0
    while i < len(words) and words[i] in DETERMINERS:
        i += 1
    i += 1  # the first word after the determiners belongs to the subject
    while i < len(words) and (not is_verb(words[i]) or _noun_before_verb(words, i)) and words[i] not in PREPOSITIONS:
        i += 1
    return min(i, len(words))


def _noun_before_verb(words: list[str], i: int) -> bool:
    """True if `words[i]`, a noun and a verb, is the subject's last noun because the word after it is plainly the
    verb: "does the shop sign say" (WordNet's tagged corpus meets "sign" as a noun 36 times, "say" as a verb 2167
    times and never as a noun); "does the dog like bones" keeps "like" as its verb (never met as a noun)."""
    if i + 1 >= len(words) or times_met(words[i], "n") < 5:
        return False
    after = words[i + 1]
    return times_met(after, "v") >= 50 and times_met(after, "v") >= 10 * times_met(after, "n")


def _split_at_verb(words: list[str]) -> tuple[list[str], list[str]]:
    """A clause's subject words and the rest from its first verb on: "the man on the left doing" ->
    (["the", "man", "on", "the", "left"], ["doing"])."""
    _, end = _take_phrase(words, 0)
    return words[:end], words[end:]


def _predicate(words: list[str]) -> tuple[str, ...]:
    """The content words said of a subject ("are smiling" -> ("smiling",); "in the picture" -> ())."""
    rest = " ".join(words)
    rest = re.sub(r"\b(?:in|on|of|within|at) (?:the |this |that )?(?:image|picture|photo|photograph|pic|scene|frame|"
                  r"shot|view)\b", "", rest)
    rest = re.sub(r"\b(?:can|could|do) (?:you|i|we) (?:see|find|spot|count|make out|notice)\b", "", rest)
    kept = rest.split()
    last = kept[-1] if kept else ""
    return tuple(w for i, w in enumerate(kept) if _content(w) or i == len(kept) - 1 and last in ADVERB_PLACES)


#: Prepositions that, ending a clause, say where a photo was taken: "Was this taken outside?".
ADVERB_PLACES = {"outside", "inside"}


def _place_only(words: list[str]) -> tuple[str, ...] | None:
    """Place words when `words` only say where ("on the left", "at the top right"), else None."""
    rest = " ".join(w for w in words if w not in AUXILIARIES)
    if m := _PLACE_PHRASE.match(rest):
        if not _predicate(rest[len(m[0]):].split()):
            return tuple(PLACE_WORDS[w] for w in re.findall(r"top|bottom|upper|lower|left|right|middle|center|centre",
                                                            m[1]))
    return None


# ---- recognisers, most specific first ----------------------------------------------------------------


def _relation(words: list[str], sentence: str) -> Question | None:
    """Two regions and a direction: "Is region1 left of region2?", "Which is further right, region2 or region1?"."""
    regions = list(dict.fromkeys(w for w in words if re.fullmatch(r"region\d+", w)))
    if len(regions) < 2:
        return None
    a, b = Thing(regions[0], words=regions[0]), Thing(regions[1], words=regions[1])
    if m := re.search(r"\b(?:which|who) (?:one |region |object )?is (further|more to the|more|on the|higher|lower|"
                      r"on top|closer to the|nearer the)\s*(left|right|top|bottom)?\b", sentence):
        word = m[2] or {"higher": "above", "on top": "above", "lower": "below"}.get(m[1])
        word = {"top": "above", "bottom": "below"}.get(word, word)
        return Question("", "relation", a, b, relation=f"further {word}", asks="which") if word else None
    if re.search(r"\bleft or (?:to )?(?:the )?right\b|\bright or (?:to )?(?:the )?left\b", sentence):
        return Question("", "relation", a, b, relation="left or right", asks="which")
    if re.search(r"\babove or below\b|\bbelow or above\b", sentence):
        return Question("", "relation", a, b, relation="above or below", asks="which")
    if re.search(r"\b(?:next to|beside|near|close to|touching)\b", sentence):
        return Question("", "relation", a, b, relation="next to", asks="yes/no")
    for word, relation in (("left", "left of"), ("right", "right of"), ("above", "above"), ("below", "below"),
                           ("under", "below"), ("over", "above"), ("in front", "in front of"), ("behind", "behind")):
        if re.search(rf"^(?:is|are) {a.head}\b.*\b{word}\b", sentence):
            return Question("", "relation", a, b, relation=relation, asks="yes/no")
    return Question("", "open", a, b, extra=tuple(w for w in words if _content(w) and w not in regions))


def _describe(words: list[str], sentence: str) -> Question | None:
    """"Describe this scene.", "Give a short caption.", "Tell me about this image.", "What is happening here?"."""
    image = r"(?:the |this |that |your )?(?:image|picture|photo|photograph|pic|scene|view|shot|landscape|it)"
    sentence = re.sub(r"^(?:can|could|would|will) you (?:please )?(?=describe|summari[sz]e|caption|tell me about)", "",
                      sentence)
    if re.match(rf"^(?:please )?(?:describe|summari[sz]e|caption) {image}\b|^(?:please )?describe\s*$", sentence) or \
            re.search(r"\bcaption\b", sentence) or \
            re.match(rf"^(?:please |can you |could you )?(?:tell me|say something|talk) about {image}\b", sentence) or \
            re.match(rf"^what (?:does|do) {image} (?:show|depict|contain)\b", sentence) or \
            re.match(r"^what is (?:happening|going on)\b", sentence) or \
            re.match(r"^(?:give|write|provide) (?:me )?(?:a |an |one )?(?:short |brief |one sentence |quick )?"
                     r"(?:description|summary|caption|overview)\b", sentence) or \
            re.match(rf"^describe {image} in\b", sentence) or \
            re.match(rf"^(?:please )?describe (?:everything|all|what (?:you|i) (?:can )?see|(?:everything|all) (?:you|i) "
                     rf"(?:can )?see|what is (?:in|on) {image})(?: (?:in|on) {image})?(?: in (?:great |full |more |much )?"
                     rf"detail| briefly| in (?:a few|one|\w+) (?:words|sentences?))?$", sentence) or \
            re.match(r"^(?:what is|what s) (?:this|the) (?:image|picture|photo|photograph|scene) about\b", sentence):
        rest = re.sub(r"^.*?\b(?:image|picture|photo|photograph|pic|scene|view|shot|landscape|it|describe|caption|"
                      r"happening|going on|description|summary|overview|about)\b", "", sentence)
        extra = tuple(w for w in rest.split() if _content(w) and w not in ("sentence", "short", "brief", "detail",
                                                                           "detailed", "words", "few", "briefly",
                                                                           "shortly", "one", "single", "here", "great",
                                                                           "full", "more", "much", "everything",
                                                                           "all", "sentences"))
        return Question("", "describe", extra=extra, asks="description")
    if m := re.match(r"^(?:please )?(?:describe|tell me (?:more )?about) (.+)$", sentence) or \
            re.match(r"^what (?:does|do) (.+) look like$", sentence):  # "Describe region1.", "Tell me about the dog."
        thing = _phrase(m[1].split())
        if thing is not None and not thing.is_pronoun and thing.head not in IMAGE_WORDS:
            return Question("", "describe thing", thing, asks="description")
    return None


def _text(words: list[str], sentence: str) -> Question | None:
    """A text question (`_text_asked`), with the language its text is asked in ("What is the label saying in
    English?") kept as the predicate "language:english"."""
    m = re.match(r"^(.+?) in (\w+)$", sentence)
    if m is None or not names_a_language(m[2]):
        return _text_asked(words, sentence)
    question = _text_asked(m[1].split(), m[1])
    if question is None:
        return None
    return replace(question, predicate=question.predicate + (f"language:{m[2]}",))


def names_a_language(word: str) -> bool:
    """True if WordNet knows `word` as a natural language ("english", "chinese"), and not also as a typeface: "in
    italics" asks how text is set, not what language it is in."""
    senses = word_senses(word)
    return is_a(senses, "natural language") and not is_a(senses, "font")


def _text_asked(words: list[str], sentence: str) -> Question | None:
    """"What does the poster say?", "What number is on the bus?", "What is written on region1?", "Is there any text?";
    and what text tells: "Who wrote this book?" (the writer: `uses.maker_of`), "How much do the apples cost?" (a
    price), "What is the name of the shop?" (a name written on it, unlike a dog's: `uses.is_organism`), "Which
    cafe is this?" (`uses.named_on_signs`; answered as an identify question where no line names it)."""
    if (who := re.match(r"^who (\w+) (.+)$", sentence)) and (maker_noun := maker_of(verb_base(who[1]))):
        return Question("", "text", _phrase(who[2].replace("'s", " 's").split()), asks="who", category=maker_noun)
    if re.match(r"^(?:what|which) colou?rs? ", sentence):
        return None  # "What colour is the text?": a colour question about the text
    if (which := re.match(r"^(?:what|which) (\w+) (?:is|are) (?:this|that|it|these|those|here)$", sentence)) \
            and named_on_signs(which[1]) and (identify := _identify(words, sentence)) is not None:
        return replace(identify, kind="text", asks="which")  # "Which cafe is this?": its name is on its sign
    if price := (re.match(r"^(?:how much|what) (?:does|do|did) (.+?) cost$", sentence)
                 or re.match(r"^how much (?:is|are) (.+)$", sentence)):  # a price tag's number
        return Question("", "text", _phrase(price[1].replace("'s", " 's").split()), asks="price", category="price")
    if (named := re.match(r"^what (?:is|are|was) (?:the )?(?:name of (?:the |this |that )?(\w+)|(\w+)(?: ?'s)? name)$", sentence)) \
            and (named[1] or named[2]) not in DETERMINERS | PRONOUNS and is_noun(named[1] or named[2]) \
            and not is_organism(named[1] or named[2]):
        return Question("", "text", None, asks="text", category=named[1] or named[2])  # a shop's name is on its sign
    text_verb = next((w for w in words if w in TEXT_VERBS), None)
    text_noun = next((w for w in words if w in TEXT_NOUNS), None)
    if maker := re.match(r"^(?:what|which) (brand|make|manufacturer|company|logo)s? (?:is|are|was|of)\b", sentence):
        text_noun = maker[1]  # "What make is the car?": a product's maker is what its maker's name says
    if not (text_verb or text_noun) or words[0] not in WH_WORDS | AUXILIARIES | {"read", "tell"}:
        return None
    if text_noun in ("name", "names") and not text_verb and not re.search(r"\b(?:written|on|say|read)\b", sentence):
        return None  # "What is the dog's name?": a name nobody wrote
    if text_noun in ("number", "numbers") and re.match(r"^what is the number of\b", sentence):
        return None  # "What is the number of cars?": a count
    if text_noun in ("brand", "logo") and not (text_verb or maker):
        return None  # "Do you like the brand?"
    if words[0] in AUXILIARIES and not re.search(r"\b(?:text|writing|words?|letters|numbers?|inscription|label|"
                                                  r"caption|sign with|read)\b", sentence):
        return None
    subject, predicate = None, ()
    if maker and (m := re.match(r"^\w+ \w+ of ([\w' -]+?) (?:is|are|was|does|do)\b", sentence)
                  or re.search(r" (?:is|are|was) ((?:the |this |that |a |its )?[\w' -]+?)\s*$", sentence)):
        subject = _phrase(m[1].replace("'s", " 's").split())  # "What brand is the laptop?", "brand of shoes is"
    placed_text = None
    on = r"\b(?:on|of|in|at) ((?:the |this |that |a |its |his |her |their )?[\w' -]+?)\s*$"
    if subject is None and (m := re.search(on, sentence)):
        written_on = re.sub(r"\s+(?:say|says|read|reads|show|shows|mention|mentions|spell|spells)$", "", m[1])
        if (places := _place_only(["on", *written_on.split()])) is not None:
            placed_text = replace(_phrase(["text"]), places=places)  # "What is written on the left?"; but "the sign
            # on the left" where a later form reads the sign
        elif not re.fullmatch(r"(?:the |this |that )?(?:image|picture|photo|photograph)", written_on):
            subject = _phrase(written_on.replace("'s", " 's").split())  # "on the pillar", not "on the pillar say"
    if subject is None and (m := re.match(r"^what (?:does|do|did) ((?:the |this |that |a |its )?[\w' -]+?) "
                                          r"(?:say|read|spell|mention|advertise)\b", sentence)):
        subject = _phrase(m[1].replace("'s", " 's").split())
    if subject is None and (m := re.search(r"\bis (?:the |this |that )?([\w ]+?) (?:advertised|labelled|labeled|named|"
                                           r"called)\b", sentence)):
        subject = _phrase(m[1].split())
    if subject is None and (m := re.search(r"\b(?:is|are) ((?:the |this |that |a )[\w' ]+?) (?:wearing|holding|showing|"
                                           r"carrying)$", sentence)):
        subject = _phrase(m[1].replace("'s", " 's").split())  # "What number is the player wearing?"
        predicate = (sentence.split()[-1],)
    if subject is None and (m := re.search(r"\bwhat ((?:the |this |that |a |its )[\w' ]+?) (?:says|reads|said|shows)$",
                                           sentence)):
        subject = _phrase(m[1].replace("'s", " 's").split())  # "Tell me what the sign says."
    if subject is None and (m := re.search(r"\bread ((?:the |this |that |a |its |any )[\w' ]+?)$", sentence)):
        subject = _phrase(m[1].replace("'s", " 's").split())  # "Can you read the sign?"
    if placed_text is not None and (subject is None or subject.is_pronoun):
        subject = placed_text  # "What does it say on the right?"
    if subject is not None and subject.head in TEXT_NOUNS | {"there"} and not (subject.modifiers or subject.places):
        subject = None  # "the text" itself: no thing it is written on
    reading = re.match(r"^(?:can|could) you read\b", sentence) is not None
    if text_noun is None and (m := re.match(r"^(?:which|what|whose) (\w+) (?:is|are|does|do|was)\b", sentence)):
        text_noun = m[1]  # "Which shop is advertised?": what the text is asked to name
    return Question("", "text", subject, predicate=predicate, asks="yes/no" if words[0] in AUXILIARIES and not reading else "text",
                    category=text_noun if text_noun not in (None, "text", "word", "words", "writing", "letters",
                                                            "letter", "inscription", "message") else None)


def _count(words: list[str], sentence: str) -> Question | None:
    """"How many children are laughing?", "Count the cars.", "What is the number of dogs?", "Is there more than one
    cat?", "Are there at least two dogs?" (a count compared: `relation` "more than one", "at least two")."""
    compared = None
    both = _two_counts(sentence)
    if both is not None:
        return both
    if m := re.match(r"^how many (.+)$", sentence):
        rest = m[1].split()
    elif m := re.match(r"^(?:is|are) there (more|fewer|less) than (\w+) (.+)$", sentence):
        compared, rest = f"{'more' if m[1] == 'more' else 'fewer'} than {m[2]}", m[3].split()  # a count, compared
    elif m := re.match(r"^(?:is|are) there at (least|most) (\w+) (.+)$", sentence):
        compared, rest = f"at {m[1]} {m[2]}", m[3].split()  # "Are there at least two dogs?"
    elif m := re.match(r"^(?:count|please count) (?:all |the |all the )?(.+)$", sentence):
        rest = m[1].split()
    elif m := re.match(r"^(?:what is |tell me )?the (?:total )?(?:number|count|amount) of (.+)$", sentence):
        rest = m[1].split()
    else:
        return None
    if rest and rest[0] == "of":  # "How many of the three girls wear hats?"
        rest = rest[1:]
    np_words, tail = _split_at_verb(rest)
    subject = _phrase(np_words)
    if subject is None:
        return Question("", "count", extra=_predicate(rest), asks="number")
    predicate = _predicate(tail)
    places = _place_only(tail)
    if places:
        subject, predicate = replace(subject, places=subject.places + places), ()
    numbers = tuple(m for m in subject.modifiers if m in NUMBER_WORDS or m.isdigit())
    if numbers:  # "How many of the two players ...": the number said is no qualifier to ground
        subject = replace(subject, modifiers=tuple(m for m in subject.modifiers if m not in numbers))
    colours = tuple(w for w in predicate if w in COLOUR_WORDS)
    if colours and len(colours) == len(predicate):  # "How many dogs are black?": a colour to count by
        subject, predicate = replace(subject, colours=subject.colours + colours), ()
    return Question("", "count", subject, predicate=predicate, relation=compared,
                    asks="yes/no" if compared else "number")


#: The end of a question that asks how many two things there are: "... are there (in total)?", "... can you see?".
_THERE = (r"(?: (?:are|is) there| can you see| do you see| are (?:shown|visible)| are in (?:the|this) "
          r"(?:image|picture|photo|scene))?(?: in total| altogether| in all)?")


def _two_counts(sentence: str) -> Question | None:
    """"How many cups and bowls are there?" (both counted: `other` the second thing, `relation` "and"); "Are there
    more dogs than people?", "Are there fewer bowls than cups?" (the two counts compared: `relation` "more than" or
    "fewer than")."""
    if m := re.match(rf"^how many ((?:\w+ )?\w+) and ((?:\w+ )?\w+?){_THERE}$", sentence):
        first, second, relation, asks = m[1], m[2], "and", "number"
    elif m := re.match(rf"^(?:is|are) there (more|fewer|less) ((?:\w+ )?\w+) than ((?:\w+ )?\w+?)"
                       rf"(?: in (?:the|this) (?:image|picture|photo|scene))?$", sentence):
        first, second, asks = m[2], m[3], "yes/no"
        relation = "more than" if m[1] == "more" else "fewer than"
    else:
        return None
    if first.split()[-1] in NUMBER_WORDS or second.split()[0] in NUMBER_WORDS or second.split()[0].isdigit():
        return None  # "Are there more than two cups?": one count against a number
    if first.split()[-1] in COLOUR_WORDS:
        return None  # "How many black and white cows are there?": one thing of two colours
    subject, other = _phrase(first.split()), _phrase(second.split())
    if subject is None or other is None or not (is_noun(subject.head) and is_noun(other.head)):
        return None
    return Question("", "count", subject, other=other, relation=relation, asks=asks)


def _colour(words: list[str], sentence: str) -> Question | None:
    """"What colour is the tram?", "What is the colour of the car on the left?", "Which colours does it have?"."""
    if m := re.match(r"^(?:what|which) colours? (\w+) (?:does|do|did|is|are) (.+?) (?:have|has|got)$", sentence):
        owner = _phrase(m[2].split())  # "What colour hair does the girl have?"
        if owner is not None:
            return Question("", "colour", Thing(m[1], is_plural(m[1]), owner=owner, words=f"{owner.words}'s {m[1]}"),
                            asks="colour")
    if m := re.match(r"^(?:what|which) colours? (?:clothes |clothing )?(?:is|are) (.+?) (?:wearing|dressed in)$", sentence):
        owner = _phrase(m[1].split())  # "What colour is the man on the left wearing?": the colour of his clothes
        if owner is not None:
            whose = {v: k for k, v in POSSESSIVES.items()}.get(owner.words, f"{owner.words}'s")  # "her", "the man's"
            return Question("", "colour", Thing("clothes", True, owner=owner, words=f"{whose} clothes"), asks="colour")
    patterns = (r"^(?:what|which) colours? (?:is|are|was|were|does|do) (.+?)(?: have| has| painted| in)?$",
                r"^what is the colour of (.+)$", r"^what colours? (?:can you see |do you see )?(?:on|in) (.+)$",
                r"^what colours? (?:are|is) (?:there )?(?:on|in) (.+)$",
                r"^(?:what|which) colours? (.+?) (?:is|are)$", r"^tell me the colour of (.+)$",
                r"^what are the colours of (.+)$", r"^colour of (.+)$")
    for pattern in patterns:
        if m := re.match(pattern, sentence):
            np_words, tail = _split_at_verb(m[1].split())
            subject = _phrase(np_words)
            if subject is None:
                continue
            if subject.head in IMAGE_WORDS:
                return Question("", "colour", None, predicate=_predicate(tail), asks="colour")
            return Question("", "colour", subject, predicate=_predicate(tail), asks="colour")
    return None


def _location(words: list[str], sentence: str) -> Question | None:
    """"Where is the bicycle?", "Which side of the photo is the cat on?", "Is the dog on the left or the right?"."""
    if m := re.match(r"^where (?:is|are|was|were) (.+)$", sentence):
        np_words, tail = _split_at_verb(m[1].split())
        subject = _phrase(np_words)
        if subject is None or subject.head in ("this", "it", "that", "here", "we") and not tail:
            return Question("", "open", subject, extra=("where",), asks="place")
        predicate = tuple(w for w in _predicate(tail) if w not in ("standing", "sitting", "lying", "located", "placed",
                                                                   "positioned", "parked", "situated", "kept"))
        if {"taken", "shot", "photographed"} & set(tail):
            return Question("", "open", subject, extra=("where", "taken"), asks="place")
        return Question("", "location", subject, predicate=predicate, asks="place")
    if m := re.match(r"^(?:on )?which (?:side|part|half|corner) (?:of (?:the )?(?:image|picture|photo|photograph|frame) )?"
                     r"(?:is|are) (.+?)(?: on| in| at)?$", sentence):
        np_words, tail = _split_at_verb(m[1].split())
        subject = _phrase(np_words)
        return Question("", "location", subject, predicate=_predicate(tail), asks="place") if subject else None
    if m := re.match(r"^(?:is|are) (.+?) (?:on|at|in) (?:the )?(left|right|top|bottom)(?: side)? or (?:on |at |in )?"
                     r"(?:the )?(left|right|top|bottom)\b", sentence):
        subject = _phrase(m[1].split())
        return Question("", "location", subject, relation=f"{m[2]} or {m[3]}", asks="which") if subject else None
    return None


def _region(words: list[str], sentence: str) -> Question | None:
    """"What is region1?", "What's in region2?", "Identify region1.", "What object is region1?"."""
    if m := re.match(r"^(?:what|which) (\w+) is (region\d+)$"
                     r"|^(?:what|who|which \w+) (?:is|are) (?:shown in |shown |in |inside |at )?(?:the )?(region\d+)"
                     r"(?: show| showing| shows)?$|^identify (region\d+)$"
                     r"|^tell me what (region\d+) (?:is|shows)$|^what does (region\d+) (?:show|contain)$"
                     r"|^(?:name|label) (region\d+)$", sentence):
        groups = [g for g in m.groups() if g]
        region = next(g for g in groups if g.startswith("region"))
        category = next((g for g in groups if not g.startswith("region")), None)
        category = None if category in ("object", "thing", "item") else category
        return Question("", "region", Thing(region, words=region), category=category, asks="what")
    return None


def _existence(words: list[str], sentence: str) -> Question | None:
    """"Is there a dog?", "Are there any bikes on the path?", "Can you see a window?", "Is anyone wearing a hat?",
    "Any dogs?"."""
    m = re.match(r"^(?:is there|are there|was there|were there|is there any|are there any|can you see|do you see|"
                 r"could you see|can i see|do i see|do we see|can we see|does (?:the |this )?(?:image|picture|photo) "
                 r"(?:show|have|contain|include)|(?:the )?(?:image|picture|photo) (?:has|shows|contains)) (.+)$",
                 sentence)
    short = None if m else re.match(r"^any (\w+(?: \w+)?)$", sentence)  # "Any dogs?", "Any people?": said short
    if short and (is_thing_noun(last := short[1].split()[-1]) or is_organism(last) or last in WORD_FOR):
        m = short  # a thing or a living thing; not "Any ideas?"
    anyone = re.match(r"^(?:is|are|was) (anyone|anybody|someone|somebody|everyone|any people|any persons?|"
                      r"people|any animals?|any \w+) (.+)$", sentence)
    if not m and not anyone:
        return None
    if anyone:
        subject = _phrase(anyone[1].split())
        tail = anyone[2].split()
    else:
        np_words, tail = _split_at_verb(m[1].split())
        subject = _phrase(np_words)
        if subject is None:
            return None
    predicate = _predicate(tail)
    places = _place_only(tail)
    if places:
        subject, predicate = replace(subject, places=subject.places + places), ()
    return Question("", "existence", subject, predicate=predicate, asks="yes/no")


def _object_relation(words: list[str], sentence: str) -> Question | None:
    """"What is the man riding?", "What animal is the girl sitting on?", "What is on the desk?",
    "What is behind the bus?"."""
    verbs = "|".join(re.escape(v) for v in sorted(SUPPORT_VERBS, key=len, reverse=True))
    if m := re.match(rf"^(?:what|which) (?:(\w+) )?(?:is|are) (.+?) ({verbs})$", sentence):
        subject = _phrase(m[2].split())
        if subject is not None and subject.head not in IMAGE_WORDS:
            return Question("", "object relation", subject, category=_category_word(m[1]), relation=m[3], asks="what")
    if m := re.match(r"^(?:what|which) (?:(\w+) )?(?:is|are) (.+?) (?:on|upon|on top of)$", sentence):
        subject = _phrase(m[2].split())  # "What is the cup on?": the thing that bears it, below it
        if subject is not None and subject.head not in IMAGE_WORDS:
            return Question("", "object relation", subject, category=_category_word(m[1]), relation="on",
                            asks="support")
    if m := re.match(r"^what (?:(\w+) )?(?:is|are|does|do) (.+?) (?:wearing|wear|have on|got on)(?: (on|over|around) (.+))?$",
                     sentence):  # "What is the man wearing?": clothes are things the models name
        subject = _phrase(m[2].split())
        if subject is not None and subject.head not in IMAGE_WORDS:
            predicate = tuple(w for w in (m[4] or "").split() if _content(w))
            return Question("", "object relation", subject, category=_category_word(m[1]), relation="wearing",
                            predicate=predicate, asks="what")
    places = "|".join(re.escape(v) for v in sorted(RELATIVE_PLACES, key=len, reverse=True))
    if m := re.match(rf"^(?:what|which) (?:(\w+) )?(?:is|are|can you see|do you see) (?:there |sitting |standing |"
                     rf"lying |parked |placed |hanging |located )?({places}) (.+)$", sentence):
        subject = _phrase(m[3].split())
        if subject is not None and subject.head not in IMAGE_WORDS and _place_only([m[2], *m[3].split()]) is None:
            return Question("", "object relation", subject, category=_category_word(m[1]), relation=m[2], asks="what")
    return None


def _category_word(word: str | None) -> str | None:
    return None if word in (None, "object", "objects", "thing", "things", "item", "items") else word


def _identify(words: list[str], sentence: str) -> Question | None:
    """"What is this?", "What is in this photo?", "What can be seen?", "Which fruit is that?", "What animals
    are in this picture?", "Which vehicle is shown?", "Which bird does the photo show?", "What is this a photo
    of?", "What are the orange things?", "What bird is the upper one?"."""
    if m := re.match(r"^what (?:is|are|can you see|do you see|is there|are there) (?:on|at|in) (?:the )?(?:very |far )?"
                     r"((?:(?:top|bottom|upper|lower)[ -])?(?:left|right)|top|bottom|middle|center|centre)"
                     r"(?: (?:hand )?(?:side|corner|part|half|edge))?"
                     r"(?: (?:of|in) (?:the |this )?(?:image|picture|photo|photograph|frame|scene))?$", sentence):
        places = tuple(PLACE_WORDS[w] for w in re.findall(r"top|bottom|upper|lower|left|right|middle|center|centre", m[1]))
        return Question("", "identify", Thing("things", True, places=places, words=f"things {m[1]}"),
                        asks="what")  # "What is on the left?", "What is in the bottom right corner?": what is seen there
    what = r"(?:what|which)"
    here = (r"(?:this|these|that|those|it|(?:shown|pictured|visible|present|depicted) here|shown|pictured|visible|here"
            r"|there|present|in (?:the |this )?"
            r"(?:image|picture|photo|photograph|scene|frame|shot)|in it|this (?:image|picture|photo|photograph) of"
            r"|this a (?:picture|photo|photograph|image) of|(?:a |the )?(?:picture|photo|photograph|image) of)")
    if re.match(r"^(?:what|what all) (?:can|do|could) (?:you|i|we) (?:see|spot|find|notice|identify)"
                r"(?: (?:in|on) (?:the |this )?(?:image|picture|photo|photograph|scene))?$", sentence) or \
            re.match(rf"^(?:what|who or what|what or who) (?:is|are) (?:(?:shown|pictured|visible|depicted) )?{here}$",
                     sentence) or \
            re.match(r"^what is (?:this|that|it)$", sentence) or \
            re.match(r"^(?:list|name|identify) (?:all )?(?:the )?(?:objects|things|items)\b", sentence) or \
            re.match(r"^what (?:objects|things|items) (?:are|can you see|do you see)\b", sentence):
        return Question("", "identify", asks="what")
    if m := re.match(rf"^{what} (?:kind of |type of |sort of )?([\w ]+?) (?:is|are|can you see|do you see|"
                     rf"is shown|are shown|are there|is there|is visible|are visible|can be seen|is in|are in|"
                     rf"(?:does|do) (?:the |this )?(?:image|picture|photo|photograph|scene|shot) "
                     rf"(?:show|contain|depict|feature))(?: {here})?$", sentence):
        phrase = _phrase(m[1].split())
        if phrase is not None and phrase.head not in IMAGE_WORDS and not phrase.is_pronoun:
            kind_of = bool(re.match(rf"^{what} (?:kind|type|sort) of\b", sentence))
            if not phrase.modifiers and not phrase.owner:
                return Question("", "identify", phrase, category=phrase.head, asks="which kind" if kind_of else "what")
    if m := re.match(rf"^{what} (\w+) (?:is|are) (?:being (?:played|practi[sc]ed)|(?:they|he|she|we|you|people|"
                     rf"the (?:\w+ )?\w+) (?:playing|practi[sc]ing))(?: {here})?$", sentence):
        category = _category_word(m[1])  # "Which sport is being played?", "Which game are the children playing?"
        if category is not None and category not in KIND_WORDS:
            return Question("", "identify", Thing(category, False, words=m[1]), category=category, asks="what")
    if m := re.match(rf"^{what} (\w+) (?:is|are) (.+)$", sentence):  # "What bird is the upper one?"
        category, subject = m[1], _phrase(m[2].split())
        if subject is not None and category not in WH_WORDS and category not in AUXILIARIES and \
                subject.head not in IMAGE_WORDS and not is_verb_form(m[2].split()[-1]):
            return Question("", "identify", subject, category=_category_word(category), asks="what")
    if m := re.match(r"^what (?:is|are) (.+)$", sentence):  # "What are the green things on the shelf?"
        np_words, tail = _split_at_verb(m[1].split())
        subject = _phrase(np_words)
        if subject is not None and not tail and not subject.is_region and subject.head not in IMAGE_WORDS:
            if subject.owner is not None and not subject.is_pronoun:  # "the dog's name", "the purpose of the rope"
                return Question("", "open", subject, extra=(subject.head,), asks="what")
            return Question("", "identify", subject, asks="what")
    return None


#: "What is X (used) for?", "What do you use X for?", "What is the purpose of X?", "How is X used?": what a
#: thing is for. The group holds X's words.
USE_QUESTIONS = (
    re.compile(r"^what (?:is|are) (.+?) (?:used |good |meant |needed )?for$"),
    re.compile(r"^what (?:do|does|can|could|would|might) (?:you|people|one|someone|they|we) use (.+?) for$"),
    re.compile(r"^what (?:is|are) the (?:purpose|use|function|point) of (.+)$"),
    re.compile(r"^how (?:is|are) (.+?) used$"),
)


def _use(words: list[str], sentence: str) -> Question | None:
    """"What are those used for?", "What's the function of this device?": what a thing is for, asked of the
    thing (`asks="use"`). Words between the thing and "for" that are a verb ask what someone does ("What is the
    dog waiting for?"): not this question."""
    for pattern in USE_QUESTIONS:
        if (m := pattern.match(sentence)) is None:
            continue
        np_words, tail = _split_at_verb(m[1].split())
        subject = _phrase(np_words)
        if subject is None or tail:
            return None
        thing_words = set(np_words)
        extra = tuple(w for w in words if _content(w) and w not in thing_words)
        return Question("", "open", subject, extra=extra, asks="use")
    return None


def _yes_no(words: list[str], sentence: str) -> Question | None:
    """"Is the truck clean?", "Is it sunny?", "Is the car red?", "Are the dogs on a beach?", "Is the dog on the left?"."""
    if words[0] not in AUXILIARIES:
        return None
    rest = words[1:]
    if words[0] in MODALS:  # "Can the dog swim?": the bare verb after the subject
        end = do_subject_end(rest)
        np_words, tail = rest[:end], rest[end:]
    else:
        np_words, tail = _split_at_verb(rest)
    subject = _phrase(np_words)
    if subject is None:
        return Question("", "yes/no", extra=tuple(w for w in rest if _content(w)), asks="yes/no")
    if np_words and np_words[0] in PRONOUNS and len(np_words) > 1:  # "Is it dark?", "Is it a warm day?"
        subject, tail = Thing(np_words[0], words=np_words[0]), np_words[1:] + tail
    elif not tail and len(np_words) >= 2 and np_words[-1] not in PLACE_WORDS and (
            np_words[-1] in COLOUR_WORDS or is_adjective(np_words[-1]) and np_words[-2] not in DETERMINERS):
        subject, tail = _phrase(np_words[:-1]), [np_words[-1]]  # "Is the car red?", "Is the truck clean?"
    at = next((i for i, w in enumerate(np_words) if i and w in PREPOSITIONS), None)
    if not tail and subject.places and at is not None and (thing := _phrase(np_words[:at])) is not None \
            and not thing.places:  # "Is the dog on the left?": where it is, asked
        return Question("", "yes/no", thing, predicate=tuple(f"place:{p}" for p in subject.places), asks="yes/no")
    if not _predicate(tail) and tail:  # "Is the cat's mouth open?": a particle is the whole predicate
        return Question("", "yes/no", subject, predicate=tuple(w for w in tail if w not in AUXILIARIES), asks="yes/no")
    places = _place_only(tail)
    if places:
        return Question("", "yes/no", subject, predicate=tuple(f"place:{p}" for p in places), asks="yes/no")
    return Question("", "yes/no", subject, predicate=_predicate(tail), asks="yes/no")


def _open(words: list[str], sentence: str) -> Question | None:
    """Other questions that start with a question word: "What is the boy doing?", "Who is holding the umbrella?",
    "Why is the man smiling?", "Which room is that?"; their content words are kept as `extra`."""
    if words[0] not in WH_WORDS and not re.match(r"^(?:in )?(?:what|which)\b", sentence):
        return None
    subject = None
    if m := re.match(r"^(?:what|which|who|where|why|how|when)(?: \w+)? (is|are|was|were|does|do|did|can|could|will) (.+)$",
                     sentence):
        rest = m[2].split()
        if m[1] in MODALS:
            np_words = rest[:do_subject_end(rest)]
        else:
            np_words, _ = _split_at_verb(rest)
            if len(np_words) >= 3 and is_adjective(np_words[-1]) and np_words[-2] not in DETERMINERS:
                np_words = np_words[:-1]  # "Why is the street wet?"
        subject = _phrase(np_words)
    extra = tuple(w for w in words if _content(w))
    return Question("", "open", subject, extra=extra, asks=words[0])
