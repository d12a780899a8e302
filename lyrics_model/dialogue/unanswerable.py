"""The one sentence that says what cannot be told, and what can: "I can't tell who is smiling; I can see
2 people."

What is seen is said once per thing: a tag that names a kind of a detected object ("whippet" beside a
detected dog, "pickup" beside a truck) is that object, not another thing, and counts agree with their
nouns ("a pair of skis", "2 people").
"""

from __future__ import annotations

import re

from ..language.kinds import everyday_kind, noun
from ..language.words import (ARTICLES, AUXILIARIES, COLOUR_WORDS, DETERMINERS, PLACE_WORDS, is_plural, normalise,
                               normalise_spans)
from .grounded_prompt import SceneFacts
from .scene_facts import IRREGULAR_PLURALS, article, counts_sentence

#: Nouns that take no article ("I can see water").
MASS_NOUNS = {"water", "snow", "grass", "sand", "sky", "fog", "smoke", "fire", "food", "ice", "rain", "mud", "sunlight",
              "light", "traffic", "furniture", "clothing", "hair", "fur", "snow on the ground"}
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


def name_things(labels: list[str], tags: list[str], max_tags: int = 2, max_parts: int = 3) -> str:
    """"1 train, 1 person and 2 bicycles", "1 cheetah and a lakeside": object `labels` counted (one per
    object), then up to `max_tags` of `tags` that are no object's label, at most `max_parts` parts in
    all for the tags to fill; "" for none."""
    parts = counts_sentence(labels).split(", ") if labels else []
    parts += [with_article(t) for t in tags[:max_tags] if t not in labels][: max(0, max_parts - len(parts))]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def distinct_tags(facts: SceneFacts, tags: list[str], labels: list[str], perception=None) -> list[str]:
    """The `tags` that name no kind of a stated object (a "whippet" beside a detected dog is the dog)."""
    if perception is None:
        return [t for t in tags if t not in labels]
    return [t for t in tags if t not in labels and not any(
        perception.covers(t, label, facts.senses.get(t)) for label in set(labels))]


def what_is_seen(facts: SceneFacts, perception=None) -> str:
    """"1 train, 1 person and 2 bicycles", or the tags ("a lakeside"), the things the models are sure of
    (`SceneFacts.unsure` left out), each once; where none is sure, "what may be a flower, perhaps a daisy" (one
    guess led by its kind, `with_kind`); else "nothing I can name"."""
    sure = [o.label for o in facts.objects if o.label not in facts.unsure]
    tags = [t for t in facts.tags if t not in facts.unsure]
    hedge = ""
    if not sure and not tags:
        if not facts.objects and len(facts.tags) == 1:
            return f"what may be {with_kind(facts.tags[0], facts)}"
        sure, tags, hedge = [o.label for o in facts.objects], facts.tags, "what may be "
    named = with_guesses(name_things(sure, distinct_tags(facts, tags, sure, perception)), facts)
    return hedge + named if named else "nothing I can name"


def with_guesses(named: str, facts: SceneFacts) -> str:
    """Things named as `name_things` does, each broad kind two models agree on followed by the tagger's guess
    of what it is (`SceneFacts.maybe`): "1 animal" -> "1 animal that may be a giant panda"."""
    for kind, guess in facts.maybe.items():
        named = re.sub(rf"\b(\d+ {kind}s?)\b", rf"\1 that may be {with_article(guess)}", named, count=1)
    return named


def with_kind(name: str, facts: SceneFacts, category: str | None = None) -> str:
    """An unsure name offered as a guess, led by the everyday kind it belongs to where it is a natural kind
    (`everyday_kind`): "a flower, perhaps a daisy", since a guessed species is more often wrong than its kind. The
    name alone where the kind is the one asked of ("Which flower is this?") or where it has none ("a bannister")."""
    sense = facts.senses.get(name)
    kind = everyday_kind(sense) if sense else None
    if kind is None or noun(kind) == noun(name) or category is not None and noun(kind) == noun(category):
        return with_article(name)
    return f"{with_article(kind)}, perhaps {with_article(name)}"


def cant_tell(what: str, facts: SceneFacts, perception=None, seen: str | None = None) -> str:
    """One sentence: "I can't tell {what}; I can see {seen or what_is_seen}."."""
    return f"I can't tell {what}; I can see {seen or what_is_seen(facts, perception)}."


def with_article(word: str) -> str:
    """"a dog", "an apple", "mountains", "water", "a pair of skis": a noun as it follows "I can see"."""
    if word in ("skis", "scissors", "glasses", "sunglasses", "jeans", "trousers", "shorts"):
        return f"a pair of {word}"
    return word if is_plural(word) or word in MASS_NOUNS else f"{article(word)} {word}"


def embedded(question: str) -> str:
    """A question as it follows "I can't tell": "What is the boy doing?" -> "what the boy is doing"; "Is there a
    cup on the desk?" -> "whether there is a cup on the desk"; "Who is holding the umbrella?" ->
    "who is holding the umbrella"; "What does it say?" -> "what it says". Names the visitor capitalised keep
    their capitals ("Is this in Asia?" -> "whether this is in Asia")."""
    choice = re.match(r"^(\S+\s.+?),\s*(?!(?:is|are|was|were|do|does|did|can|could|what|which|who|where|how)\b)"
                      r"((?:the |a |an )?[\w' -]+ or (?:the |a |an )?[\w' -]+?)\s*\?*$", question, re.IGNORECASE)
    if choice:  # "Which is bigger, the bus or the car?": the choice keeps its comma, after the question it ends
        return f"{embedded(choice[1] + '?')}, {choice[2].lower()}"
    whole = re.search(r"\s+(in total|altogether|in all)(?=\W*$)", question, re.IGNORECASE)
    if whole:  # "how many cups there are in total": said last
        question = question[:whole.start()] + question[whole.end():]
    said = _embedded(question) + (f" {whole[1].lower()}" if whole else "")
    # "How many mugs can you spot?": what the answer can tell is what it sees, so "how many mugs I can spot"
    said = re.sub(r"\byou (can|could) (see|spot|find|count|make out|tell)\b", r"I \1 \2", said)
    if question.isupper():
        return said  # a question in capitals: none of its words is set apart as a name
    for word, start, end in normalise_spans(question)[1:]:
        original = question[start:end]
        if original[:1].isupper() and original.lower() == word and word != "i":
            said = re.sub(rf"\b{re.escape(word)}\b", original, said)
    return said


def _embedded(question: str) -> str:
    """`embedded`, in lower case."""
    from .question import _take_phrase, do_subject_end  # the noun-phrase reader the parser uses

    words = [w for w in normalise(question)]
    text = lambda ws: re.sub(r"(\w+) 's\b", _possessive, " ".join(ws))  # noqa: E731 - a local join
    if not words:
        return "that"
    if words[0] in AUXILIARIES:
        rest = words[1:]
        if rest[:1] == ["there"]:
            return f"whether there {words[0]} {text(rest[1:])}".strip()
        if rest[:2] in (["you", "see"], ["i", "see"], ["we", "see"]):  # "Can you see a mirror?"
            return f"whether I can see {text(rest[2:])}"
        if words[0] == "does" and (end := do_subject_end(rest)) < len(rest):  # "whether the bus has windows"
            return f"whether {text(rest[:end])} {text([_third_person(rest[end]), *rest[end + 1:]])}"
        if words[0] in ("can", "could", "will", "would", "did") and 0 < (end := do_subject_end(rest)) < len(rest):
            return f"whether {text(rest[:end])} {words[0]} {text(rest[end:])}"  # "whether the dog can swim"
        if words[0] in ("do", "does", "did") or words[0] in ("can", "could", "will", "would"):
            return f"whether {text(rest)}"
        from ..language.words import PREPOSITIONS, is_adjective, is_noun

        _, end = _take_phrase(rest, 0)
        end = max(end, 1)
        while rest[end:end + 1] == ["and"] and (joined := _take_phrase(rest, end + 1)[1]) > end + 1:
            end = joined  # "are the cup and the bowl the same colour": both are the subject
        if end == len(rest) == 2 and rest[0] in ("it", "this", "that", "these", "those") and \
                (is_adjective(rest[1]) or not is_noun(rest[1])):
            end = 1  # "is this healthy": the pronoun is the subject, the adjective what is said of it
        if end == len(rest) >= 2 and rest[0] in ("this", "that", "these", "those") and is_noun(rest[-1]) and \
                rest[-1] not in COLOUR_WORDS and not is_adjective(rest[-1]):
            end = 1  # "are these dogs": the pronoun is the subject, the noun what is asked of it ("is this dog
            # brown" asks of the dog)
        at = next((i for i in range(1, end) if rest[i] in PREPOSITIONS), None)
        if end == len(rest) and at is not None and rest[end - 1] in PLACE_WORDS:  # "is the dog on the left"
            end = at
        depth = next((n for n in (3, 2) if end == len(rest) and end - n >= 2 and " ".join(rest[end - n:end]) in (
            "in front", "in the front", "in the foreground", "in the background", "at the back", "in the distance")), 0)
        if depth:
            end -= depth  # "whether the biggest boat is in front": where it is, said of the phrase
        elif end == len(rest) and end >= 3 and is_adjective(rest[end - 1]) and rest[end - 2] not in PREPOSITIONS:
            end -= 1  # "is the train clean" (not "is the boat in front", whose "front" ends its own "in")
        elif end == len(rest) and end >= 2 and rest[end - 1] in ("indoors", "outdoors", "inside", "outside"):
            end -= 1  # "whether this is outdoors": where, said of the phrase
        while end >= 3 and (rest[end - 1] in COLOUR_WORDS or is_adjective(rest[end - 1]) and not is_noun(rest[end - 1])):
            end -= 1  # "is the bus bigger than ...", "is the bus yellow and blue": the predicate's adjective
        plural_at = next((i for i in range(1, end - 1) if is_plural(rest[i]) and is_noun(rest[i + 1])), None)
        if end == len(rest) and plural_at is not None:  # "are the dogs puppies": a noun said of a plural
            end = plural_at + 1
        if end >= 2 and rest[end:end + 1] == ["or"]:  # "is this coffee or tea": the phrase took the first choice
            end -= 1
        article = next((i for i in range(1, end) if rest[i] in ARTICLES and rest[i - 1] not in PREPOSITIONS
                        and rest[i - 1] not in ("all", "both", "half", "and")), None)  # "all the people": one phrase
        if article is not None:  # "is this a forest": a second phrase starts at its article
            end = article
        return f"whether {text(rest[:end])} {words[0]} {text(rest[end:])}".strip()
    aux = next((i for i, w in enumerate(words) if w in AUXILIARIES), None)
    if aux is None or aux == len(words) - 1:
        if aux == len(words) - 1 and aux > 0:  # "what colour the car is" already: "which one is"
            return text(words)
        return text(words)
    head, verb, rest = words[:aux], words[aux], words[aux + 1:]
    subject, end = _take_phrase(rest, 0)
    if subject is None or end == 0:  # "who is holding the umbrella": the question word is the subject
        return text(words)
    from ..language.words import PREPOSITIONS, is_adjective, is_noun, is_verb_form

    predicate_only = all(w in ARTICLES or w in COLOUR_WORDS or is_adjective(w) and not is_noun(w) for w in rest)
    if head[0] in ("which", "who") and rest[0] not in DETERMINERS or len(head) > 1 and predicate_only:
        return text(words)  # "which cup is the biggest", "which one is red", "which person is closest to the camera":
        # the question's phrase is the subject
    if verb in ("have", "has", "had") and not any(is_verb_form(w) for w in rest[end:]):
        return text(words)  # "how many boats have sails": "have" is the verb, not a helper of one
    if verb in ("do", "does", "did"):
        end = do_subject_end(rest)
        tail = rest[end:]
        if tail and verb == "does":
            tail = [_third_person(tail[0]), *tail[1:]]
        return f"{text(head)} {text(rest[:end])} {text(tail)}".strip()
    if len(head) == 2 and head[1] in ("colour", "color", "size", "shape") and rest[end + 1:] and \
            is_verb_form(rest[end]) and rest[end].endswith("ing"):  # "is" is the copula of a property:
        return f"{text(head)} {text(rest)} {verb}"  # "what colour the man crossing the road is" ("which way", not)
    if end >= 3 and is_adjective(rest[end - 1]) and rest[end - 2] not in DETERMINERS and rest[end - 2] not in PREPOSITIONS \
            and rest[end - 1] not in ("one", "ones") and not {rest[end - 2], rest[end - 1]} <= PLACE_WORDS.keys():
        end -= 1  # "why the street is wet", "what the brushes are good for": the adjective is said of the phrase (not
        # "the horse in front", where it ends the phrase's own preposition, nor "the car at the bottom left")
    trailing = len(rest) - next(i for i in range(len(rest), -1, -1)
                                if i == 0 or rest[i - 1] not in PREPOSITIONS and rest[i - 1] != "top")
    if 0 < trailing < len(rest) and end >= len(rest) - trailing:
        # "what the lamp is on", "what the cat is on top of": a preposition stranded right after the phrase (not
        # "resting on" or "good for", which are said of it)
        return f"{text(head)} {text(rest[:-trailing])} {verb} {text(rest[-trailing:])}"
    tail = rest[end:]
    verb_at = next((i for i, w in enumerate(tail) if is_verb_form(w)), None)
    if tail and tail[0] in PREPOSITIONS and verb_at:  # "what the man in the red shirt is doing"
        return f"{text(head)} {text(rest[:end] + tail[:verb_at])} {verb} {text(tail[verb_at:])}"
    if tail and not any(is_verb_form(w) for w in tail) and tail[0] in (
            "on", "in", "at", "of", "near", "by", "under", "behind", "with", "inside", "above", "below", "next", "beside",
            "between", "over", "opposite", "outside"):
        return f"{text(head)} {text(rest)} {verb}"  # "what colour the flowers on the table are"
    return f"{text(head)} {text(rest[:end])} {verb} {text(tail)}".strip()


def _possessive(match: re.Match) -> str:
    """"dog 's" -> "dog's"; a plural's is written after its s: "dogs 's" -> "dogs'" ("bus 's" stays "bus's")."""
    owner = match[1]
    return f"{owner}'" if owner.endswith("s") and is_plural(owner) else f"{owner}'s"


def _third_person(verb: str) -> str:
    """"say" -> "says", "watch" -> "watches", "carry" -> "carries", "have" -> "has"."""
    if verb == "have":
        return "has"
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"
