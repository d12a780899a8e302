"""Phrase links: which refined objects and user regions each phrase of an answer names.

"Two dogs are carrying a stick past a bicycle." -> "Two dogs" -> obj1, obj2; "a bicycle" -> obj4 (where
the facts state one bicycle; "a stick", which no model reports, links to nothing). Noun phrases are read
with the question parser's phrase reader (`question.read_phrase`) and grounded with the one name
matcher (`grounding.ground`: WordNet is-a, colours and places), so an answer's "the dog on the left"
means what a visitor's "the dog on the left" means.

A wrong link is worse than none, so a phrase links only where it is unambiguous:
- a singular phrase ("the dog", "a dog on the left") to exactly one object; a plural one ("two dogs",
  "the dogs") to all it grounds, where a number said matches their count;
- "region2" and "obj3" to themselves; "it" / "they" to the one thing (or the one plural phrase) this
  answer has linked before it, else the previous answer;
- nothing in a negated phrase ("there is no cat", "not a dog") or in a hedged clause ("I can't tell
  whether there is a hat", "it may be a saluki"); the "I can see 2 dogs" clause after one links as usual.

Spans are [start, end) character offsets into the answer. Boxes here are the facts' (working pixels);
`Lyrics.answer_links` maps each link to the photo's pixels with its mask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..language.words import DETERMINERS, IMAGE_WORDS, NEGATIONS, NUMBER_WORDS, is_verb, normalise_spans
from .grounded_prompt import SceneFacts
from .grounding import SETTING_WORDS, ground
from .perception import Perception
from .question import MODALS, Thing, read_phrase

#: Words that end a clause for hedging: a clause is what lies between them.
_CLAUSE_END = re.compile(r"[.;:!?]+(?:\s|$)|\bbut\b|\bhowever\b", re.IGNORECASE)
#: A clause that says the models cannot tell, or only guess, links none of its things.
_HEDGE = re.compile(r"\b(?:can'?t|cannot|can not|could not|couldn'?t|not sure|unsure|may|might|maybe|perhaps|"
                    r"possibly|whether|if there|don'?t know|do not know|unclear|hard to)\b", re.IGNORECASE)
#: Words that negate the phrase after them within a few words ("there is no cat", "not a dog").
_NEGATING = NEGATIONS | {"without", "nor", "neither", "none"}
#: Words of a stated object's size that select nothing: "a large dog" is the dog.
SIZE_WORDS = {"large", "big", "small", "little", "tiny", "huge"}
#: Pronouns that stand for what was linked before: one thing, or several.
_ONE, _SEVERAL = {"it"}, {"they", "them"}
#: Subjects after which a verb follows ("I see", "we can see").
_SUBJECTS = {"i", "we", "you"}
#: Explicit ids an answer may spell out.
_ID = re.compile(r"(?:obj|region)[1-9]\d*")


@dataclass(frozen=True)
class PhraseLink:
    """A phrase of an answer and what it names.

    phrase: the text as it stands in the answer (``answer[span[0]:span[1]]``). span: [start, end)
    characters. ids: the refined objects ("obj2") and user regions ("region1") it names, in facts order.
    """

    phrase: str
    span: tuple[int, int]
    ids: tuple[str, ...]

    def to_json(self) -> dict:
        return {"phrase": self.phrase, "span": list(self.span), "ids": list(self.ids)}


def link_phrases(answer: str, facts: SceneFacts, perception: Perception,
                 previous: list[PhraseLink] | None = None, about: str | None = None) -> list[PhraseLink]:
    """The phrases of `answer` that name stated objects or regions unambiguously, in order (see the module
    docstring). previous: the links of the answer before this one, for "it" and "they". about: the one region
    the question asks what it is ("What is region1?"): a singular phrase that names its kind ("A boat." among
    several boats) is that region."""
    tokens = normalise_spans(answer)
    words = [w for w, _, _ in tokens]
    parts = _part_ends(answer, tokens)
    hedged = _hedged_spans(answer)
    ids_of = _fact_ids(facts)
    known = set(ids_of.values())
    links: list[PhraseLink] = []
    i = phrase_end = 0
    while i < len(words):
        word, start, _ = tokens[i]
        if _ID.fullmatch(word):
            if word in known:
                links.append(PhraseLink(answer[start:tokens[i][2]], (start, tokens[i][2]), (word,)))
            i += 1
            continue
        if word in _ONE | _SEVERAL:
            link = _pronoun(answer, tokens, i, links or list(previous or []), hedged)
            if link is not None:
                links.append(link)
            i += 1
            continue
        if word in IMAGE_WORDS or word in DETERMINERS and i + 1 < len(words) and words[i + 1] in IMAGE_WORDS:
            i += 1  # "The image shows 2 dogs": the photo itself is no phrase to link, nor part of the next
            continue
        after_subject = i > 0 and (words[i - 1] in _SUBJECTS or words[i - 1] in MODALS or words[i - 1] in IMAGE_WORDS
                                   or i == phrase_end and parts[i - 1] == parts[i])
        if after_subject and is_verb(word):
            i += 1  # "I can see 2 dogs", "the image shows 2 dogs": the verb after a subject starts no phrase
            continue
        thing, end = read_phrase(words[:parts[i]], i)  # a phrase ends at a comma: "5 cups, 2 bowls"
        if thing is None or end <= i:
            i += 1
            continue
        if not (_negated(answer, tokens, i) or _inside(start, hedged)):
            ids = _phrase_ids(thing, words[i:end], facts, perception, ids_of) or \
                _region_named(thing, words[i:end], about, facts, perception)
            if ids:
                stop = tokens[end - 1][2]
                links.append(PhraseLink(answer[start:stop], (start, stop), ids))
        i = phrase_end = end
    return links


def _part_ends(answer: str, tokens) -> list[int]:
    """For each token, the index of the first token after the next punctuation mark (a phrase stops there)."""
    ends, end = [0] * len(tokens), len(tokens)
    for k in range(len(tokens) - 1, -1, -1):
        ends[k] = end
        if k and re.search(r"[,;:.!?()]", answer[tokens[k - 1][2]:tokens[k][1]]):
            end = k
    return ends


def whole_sentences(text: str) -> str:
    """The part of a streaming answer whose sentences are complete (links appear once their sentence is)."""
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)", text)]
    return text[:ends[-1]] if ends else ""


def _phrase_ids(thing: Thing, words: list[str], facts: SceneFacts, perception: Perception,
                ids_of: dict[int, str]) -> tuple[str, ...]:
    """The ids a noun phrase names where it names them unambiguously, else ()."""
    if thing.is_pronoun or thing.is_region or thing.head in IMAGE_WORDS or thing.head in SETTING_WORDS:
        return ()
    if thing.owner is not None:  # "the dog's tail": a part, which no model outlines
        return ()
    thing = replace(thing, modifiers=tuple(m for m in thing.modifiers if m not in SIZE_WORDS))
    grounded = ground(thing, facts, perception)
    if grounded.unresolved or grounded.ambiguous or not grounded.objects:
        return ()
    objects = grounded.objects
    said = _number(words)
    if said is not None and said != len(objects):
        return ()
    if said is None and thing.plural != (len(objects) > 1):
        return ()
    ids = tuple(ids_of[id(o)] for o in objects if id(o) in ids_of)
    return ids if len(ids) == len(objects) else ()


def _region_named(thing: Thing, words: list[str], about: str | None, facts: SceneFacts,
                  perception: Perception) -> tuple[str, ...]:
    """(about,) where the question asks what region `about` is and `thing` (singular; worded `words`) names
    its kind, or a kind of it ("a spaniel" for a region the models call a dog)."""
    region = dict(facts.regions).get(about) if about else None
    if region is None or thing.plural or thing.is_pronoun or thing.owner is not None:
        return ()
    sense = facts.senses.get(region.label)
    said = " ".join(w for w in words if w not in DETERMINERS)
    named = region.label == said or perception.covers(region.label, thing.head, sense) or \
        perception.narrower(region.label, thing.head, sense)
    return (about,) if named else ()


def _number(words: list[str]) -> int | None:
    """The count a phrase says ("two dogs", "2 dogs", "one dog"), or None."""
    for word in words:
        if word.isdigit():
            return int(word)
        if word in NUMBER_WORDS:
            return NUMBER_WORDS[word]
    return None


def _fact_ids(facts: SceneFacts) -> dict[int, str]:
    """id(fact) -> "obj3" / "region1", for the stated objects and the user's regions."""
    ids = {id(o): o.id for o in facts.objects if o.id}
    ids.update({id(fact): rid for rid, fact in facts.regions})
    return ids


def _pronoun(answer: str, tokens, i: int, before: list[PhraseLink], hedged) -> PhraseLink | None:
    """"it": the one id linked before; "they": the one plural phrase linked before; neither in a hedged
    clause or one about the photo itself ("It is a dark photo")."""
    word, start, end = tokens[i]
    if _inside(start, hedged) or _about_photo(answer, start):
        return None
    if word in _ONE:
        ids = {rid for link in before for rid in link.ids}
        return PhraseLink(answer[start:end], (start, end), tuple(ids)) if len(ids) == 1 else None
    if len(before) == 1 and len(before[0].ids) > 1:
        return PhraseLink(answer[start:end], (start, end), before[0].ids)
    return None


def _about_photo(answer: str, start: int) -> bool:
    """True where the clause from `start` speaks of the photo or the setting ("It is a dark photo", "it is outdoors")."""
    match = _CLAUSE_END.search(answer, start)
    clause = {w for w, _, _ in normalise_spans(answer[start:match.start() if match else len(answer)])}
    return bool(clause & (IMAGE_WORDS | set(SETTING_WORDS) | {"dark", "night", "sunny", "day", "daytime"}))


def _negated(answer: str, tokens, i: int) -> bool:
    """True where a negation stands among the few words before the phrase at `i`, in the same clause part
    ("there is no cat", "not a dog"; not "No, there are 2 dogs")."""
    start = tokens[i][1]
    for word, at, _ in reversed(tokens[max(0, i - 3):i + 1]):
        if re.search(r"[,;:.!?]", answer[at:start]):
            return False
        if word in _NEGATING:
            return True
    return False


def _hedged_spans(answer: str) -> list[tuple[int, int]]:
    """[start, end) of the clauses that hedge: from the hedge word to the clause's end."""
    spans = []
    for match in _HEDGE.finditer(answer):
        end = _CLAUSE_END.search(answer, match.end())
        spans.append((match.start(), end.start() if end else len(answer)))
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)
