"""The three outcomes of a benchmark answer: right, can't tell, or wrong.

A confident falsehood and an honest "I can't tell" are not the same failure: a visitor can trust
the second. So every answer is scored as one of

- **right**: an accepted answer matches its first sentence (see `matching.is_correct`), and it names
  nothing the photo lacks; in a can't-tell sentence only the guess it offers is matched ("I'm not sure
  what region1 is; it may be a wheel."), never the question it repeats ("I can't tell whether the dog's
  tongue is out") nor its "; I can see ..." clause;
- **can't tell**: not right, but its first sentence says plainly that it cannot tell
  (`CANT_TELL`), and it names nothing the photo lacks; so is a hedge that offers two or more different
  things ("I'm not sure what he is wearing; it may be a tie or a suit."; "I can't tell which line is the
  author; I can read "A" and "B"."), even where one of them is right;
- **wrong**: everything else, and any answer that names an object the question lists as absent
  (`"not": ["keyboard"]`), even one that also names the right thing.
"""

from __future__ import annotations

import re

from .matching import first_sentence, is_correct

RIGHT, CANT_TELL_OUTCOME, WRONG = "right", "cant_tell", "wrong"
OUTCOMES = (RIGHT, CANT_TELL_OUTCOME, WRONG)

CANT_TELL = re.compile(
    r"\bI\s*(?:can(?:'|\u2019)?t|cannot|can not|am unable to|'m unable to|am not able to|'m not able to)\s+"
    r"(?:really\s+|quite\s+|clearly\s+)?(?:tell|see|say|determine|know|read|identify|make out|be sure|judge)\b"
    r"|\bI(?:'m|\u2019m| am) not (?:sure|certain)\b"
    r"|\bI (?:don(?:'|\u2019)?t|do not) know\b"
    r"|\b(?:it is|it's|it\u2019s) (?:not possible|impossible|hard|difficult) to (?:tell|say|determine|know|see)\b"
    r"|\b(?:cannot|can't|can\u2019t|can not) be (?:told|determined|seen|read)\b"
    r"|\bnot (?:possible|able) to (?:tell|say|determine)\b",
    re.IGNORECASE)
"""An answer that says plainly it cannot tell: "I can't tell which sport this is", "I cannot see
the text", "I'm not sure", "I don't know", "It is not possible to tell", "The brand cannot be read".
Matched on the answer's first sentence; a hedge further down ("... but I'm not sure") does not
turn a guess into an honest answer."""

#: A negation shortly before a mention: "there is no dog", "not a keyboard", "without people".
_NEGATED = re.compile(r"\b(?:no|not|without|nor|never|isn't|aren't|neither)\b[\w\s-]{0,24}$", re.IGNORECASE)


def _mention(item: str) -> re.Pattern:
    """Whole words of `item`, singular or plural: keyboard(s), bus(es), puppy/puppies."""
    stem = re.escape(item)
    if item.endswith("y") and len(item) > 2:
        stem = rf"(?:{re.escape(item)}|{re.escape(item[:-1])}ies)"
    return re.compile(rf"\b{stem}(?:s|es)?\b", re.IGNORECASE)


def names_absent(answer: str, absent: list[str]) -> list[str]:
    """The items of `absent` (objects the photo lacks) that the answer asserts, anywhere in it.

    A mention negated within its own clause ("There is no dog.") asserts nothing and is skipped.
    Returns the items in the order given, each once."""
    named = []
    for item in absent:
        for match in _mention(item).finditer(answer):
            clause = re.split(r"[.;:!?,]", answer[:match.start()])[-1]
            if not _NEGATED.search(clause):
                named.append(item)
                break
    return named


#: The "; I can see ..." clause of a can't-tell answer: what is seen, not an answer to the question.
_SEEN_CLAUSE = re.compile(r";\s*I can see\b.*", re.IGNORECASE | re.DOTALL)


def _matched_part(answer: str) -> str:
    """What of the answer is matched against the accepted answers: a can't-tell first sentence without its
    can't-tell clause (which repeats the question: "I can't tell whether it is sunny") and without its
    "; I can see ..." clause (what is seen is no answer: "I can see 1 couch." is no count of one), so only a
    guess it offers is left ("it may be a wheel."); other answers as they are."""
    sentence = first_sentence(answer)
    if not says_cant_tell(sentence):
        return answer
    sentence = _SEEN_CLAUSE.sub(".", sentence)
    clauses = re.split(r"[;:,]", sentence)  # "No, I can't see anyone.": the "No" is an answer
    return " ".join(c for c in clauses if not CANT_TELL.search(c))


def says_cant_tell(answer: str) -> bool:
    """True if the answer's first sentence says plainly that it cannot tell (`CANT_TELL`)."""
    return bool(CANT_TELL.search(first_sentence(answer)))


#: A hedge that offers alternatives: "it may be a tie or a suit", "it may say "A" or "B"", "I can read "A" and "B""
#: (after "I can't tell which line is the author").
_ALTERNATIVES = re.compile(r"\b(?:may|might|could) (?:be|say|show)\b.*\bor\b|\bI can read \"[^\"]*\"(?:,| and) \"",
                           re.IGNORECASE)


def offers_alternatives(answer: str) -> bool:
    """True if the answer's first sentence is a can't-tell hedge offering two or more different things."""
    sentence = first_sentence(answer)
    return says_cant_tell(sentence) and bool(_ALTERNATIVES.search(sentence))


def outcome(answer: str, accepted: list[str], question: str = "", absent: list[str] | None = None) -> str:
    """Score one answer: "right", "cant_tell" or "wrong" (see the module docstring).

    accepted: the question's accepted answers (regular expressions on the first sentence);
    absent: objects the photo lacks; naming any of them makes the answer wrong."""
    if names_absent(answer, absent or []):
        return WRONG
    if offers_alternatives(answer):
        return CANT_TELL_OUTCOME
    if is_correct(_matched_part(answer), accepted, question):
        return RIGHT
    if says_cant_tell(answer):
        return CANT_TELL_OUTCOME
    return WRONG
