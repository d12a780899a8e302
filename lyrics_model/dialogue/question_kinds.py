"""What a question asks, by its wording: the kinds whose answers can be read off the facts, and the
kinds no model of this project can perceive.

Identify questions ("What is in the picture?", "What drink is shown?", "What is the man wearing?")
and descriptions ("Describe the image.", "Give a short caption.") are left to the language model, but
an answer that names things the models are not sure of is checked (see `fact_check.check_answer`).

Checked kinds (their answers are compared with the facts before they are shown, see `fact_check`):
count ("How many buses are there?"), existence ("Is there a dog?"), colour ("What colour is the
bus?"), location ("Where is the cat?"), region ("What is region1?"), relation between regions ("Is
region1 left of region2?") and what one object does to another ("What is the man riding?", "What
vehicle is behind the man?").

Can't-tell kinds (answered "I can't tell ...", see `unanswerable`): sports, activities, text and
reading, names and identity, places and landmarks, brands, emotions, jobs, materials, the time of day
("day or night" is left to the model, which is told when a photo is dark),
age, which way something faces, states (whole or cut, open or closed), purposes, focus, and breeds or
species (the offline tagger's breed names are too unreliable to state). Everything else (greetings,
open questions) is left to the language model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Kinds whose answers `fact_check` compares with the facts.
CHECKED_KINDS = ("count", "existence", "colour", "location", "region", "relation", "object relation")
#: Can't-tell topic -> (question pattern, what cannot be told as it ends "I can't tell ...").
CANT_TELL_TOPICS = {
    "sport": (r"\b(what|which) (kind of |type of )?(sport|game)s?\b|\bwhat (sport|game) (is|are)\b"
              r"|\bwhat (is|are) (being |they |he |she |the \w+ )?play(ed|ing)\b",
              "which sport this is"),
    "activity": (r"\bwhat (is|are) [\w' ]{0,40}?\bdoing\b|\bwhat activity\b", "what is being done"),
    "text": (r"\b(what does|what do) [\w' ]{0,40}?\b(say|read)\b|\bwhat is written\b|\b(read|text|written|"
             r"writing|words?|letters|inscription|caption on|licen[cs]e plate|number plate|sign say)\b",
             "what any text says"),
    "name": (r"\bwho (is|are|was)\b(?! you\b)|\b(what|what's) (is )?(his|her|their|its|the \w+'s) name\b|\bname of (the|this)\b"
             r"|\bwhat is (he|she) called\b|\bidentify (him|her|them)\b|\bfamous\b",
             "who anyone is"),
    "place": (r"\bwhere (was|is) (this|it|that) (photo |picture |image )?(taken|shot)\b"
              r"|\bwhere (is|was) this\s*(photo|picture|image|place)?\s*\??$"
              r"|\b(which|what) (city|town|country|place|landmark|location|street|park|beach|mountain|lake)\b"
              r"|\blandmark\b",
              "which place this is"),
    "brand": (r"\b(brand|make|manufacturer|logo|company|model of)\b", "which brand this is"),
    "emotion": (r"\b(feel|feeling|feels|mood|emotions?|happy|sad|angry|afraid|scared|excited|bored|upset)\b",
                "how anyone feels"),
    "job": (r"\b(job|profession|occupation)\b|\bdo(es)? for a living\b", "what anyone's job is"),
    "material": (r"\bmade (of|from|out of)\b|\bwhat (material|fabric)\b", "what anything is made of"),
    "time": (r"\bwhat time\b|\btime of (the )?day\b|\bis it (morning|evening|sunset|sunrise|dawn|dusk)\b",
             "the time of day"),  # "Is it day or night?" is left to the model: the facts say when a photo is dark
    "age": (r"\bhow old\b|\bwhat age\b|\b(cub|baby|puppy|kitten|calf|foal|chick|young|juvenile|adult|old|new)"
            r" or (an? )?(cub|baby|puppy|kitten|calf|foal|chick|young|juvenile|adult|grown[- ]up|old|new)\b",
            "how old anything is"),
    "facing": (r"\bfacing\b|\bwhich (way|direction)\b", "which way anything faces"),
    "state": (r"\b(whole|cut|sliced|halved|open|closed|empty|full|ripe|unripe|raw|cooked|wet|dry|broken)"
              r" or (in )?(whole|cut|sliced|halved|half|open|closed|empty|full|ripe|unripe|raw|cooked|wet|dry|broken|"
              r"intact)\b",
              "what state anything is in"),
    "purpose": (r"\bused for\b|\b(purpose|use) of\b|\bwhat (is|are) (it|they|these|those|this|that)( \w+)? for\b",
                "what anything is used for"),
    "focus": (r"\b(sharp|blurry|blurred|in focus|out of focus)\b", "how sharp the photo is"),
    "species": (r"\b(what|which) (breed|species)\b|\b(what|which) (kind|type|sort) of (bird|dog|cat|flower|tree|plant"
                r"|fish|insect|snake|mushroom|butterfly)s?\b",
                "which breed or species this is"),
}
#: Category words a question can ask by ("What vehicle ...", "Which animal ...").
CATEGORY_WORDS = ("vehicle", "animal", "object", "thing", "food", "furniture")
#: "What is the man riding?": what the subject does to the unknown object -> where that object is.
SUBJECT_VERBS = {"riding": "under", "sitting on": "under", "standing on": "under", "lying on": "under",
                 "resting on": "under", "perched on": "under", "on": "under",
                 "holding": "held", "carrying": "held", "eating": "held"}
#: "What is behind the man?": the unknown object's place relative to the subject.
OBJECT_PLACES = {"on top of": "on", "on": "on", "behind": "behind", "in front of": "in front of", "next to": "beside",
                 "beside": "beside", "near": "beside", "in the back of": "inside", "inside": "inside", "in": "inside",
                 "under": "under", "below": "under", "above": "on"}
#: Words after "What is in/on ..." that name the image or a part of it, not an object.
NOT_OBJECTS = {"image", "picture", "photo", "photograph", "scene", "frame", "left", "right", "top", "bottom", "center",
               "centre", "middle", "background", "foreground", "it", "this", "that", "there", "here"}
#: "What is in the picture?", "What fruit is this?", "What drink is shown?": short questions whose
#: answer names what the image shows; the words before "is" ("fruit") are the category asked for.
IDENTIFY = re.compile(r"^what (can|do) you see\b"
                      r"|^(what|which) ((?:[\w-]+ ){0,3})(is|are) (this|these|that|those|it|shown|pictured|visible"
                      r"|in (the |this )?(image|picture|photo|photograph|scene))\s*\??$")
#: Words of an identify question that ask for anything at all ("What objects are shown?"), not a category.
ANY_THING = {"", "object", "objects", "thing", "things", "item", "items", "main object", "main thing"}
#: "Describe the image.", "Give a short caption for this photo.", "What does this image show?".
DESCRIBE = re.compile(r"^describe(?: (?:the |this )?(?:image|picture|photo|photograph|scene|it)\b|\s*[.!?]?$)"
                      r"|\bcaption\b|^what does (the|this) (image|picture|photo|photograph|scene) show\b"
                      r"|^summari[sz]e\b|^what is (happening|going on) in\b")
_ARTICLES = r"(?:the |a |an |any |some |this |these |those )?"
_IMAGE_WORDS = r"(?:\s+(?:in|on|at) (?:the |this )?(?:image|picture|photo|photograph|scene|frame))?"


@dataclass(frozen=True)
class Question:
    """A question's kind and the words it asks about.

    kind: one of `CHECKED_KINDS`, "can't tell", "identify", "describe" or "other". subject: the thing
    asked about ("bus", "region1", "water"), lower case, as worded. other: the second region of a
    relation question, the category word of an object relation ("vehicle") or of an identify question
    ("drink" in "What drink is shown?"), or None. relation: the asked relation ("right of",
    "left or right", "further left", "behind"...). topic: the can't-tell topic (see `CANT_TELL_TOPICS`).
    """

    kind: str
    subject: str | None = None
    other: str | None = None
    relation: str | None = None
    topic: str | None = None
    subject_first: bool = False

    @property
    def place(self) -> str | None:
        """Object relations: where the unknown object is relative to the subject ("under" when the
        subject rides it, "held", "behind", "inside", "on", "in front of", "beside")."""
        if self.kind != "object relation":
            return None
        return (SUBJECT_VERBS if self.subject_first else OBJECT_PLACES)[self.relation]

    @property
    def checked(self) -> bool:
        return self.kind in CHECKED_KINDS


def _clean_subject(words: str) -> str:
    words = re.sub(r"^" + _ARTICLES, "", words.strip().lower())
    words = re.sub(_IMAGE_WORDS + r"\s*$", "", words)
    words = re.sub(r"\s+(standing|sitting|lying|located|placed|positioned|parked|situated)$", "", words)
    return re.sub(r"\s+(there|here|visible|shown|present)$", "", words).strip(" ?.!,")


def classify_question(question: str) -> Question:
    """The `Question` asked by `question` (an English sentence)."""
    text = " ".join(question.strip().lower().split())
    regions = re.findall(r"\bregion\d+\b", text)
    relation = _region_relation(text, regions)
    if relation is not None:
        return relation
    for topic, (pattern, _) in CANT_TELL_TOPICS.items():
        if re.search(pattern, text) and not regions:
            return Question("can't tell", topic=topic)
    if m := re.match(r"^how many (.+?)(?: are| is| can| do| does| in| on| at| were| did|\?|$)", text):
        return Question("count", _clean_subject(m[1]))
    if m := re.match(r"^(?:count the |what(?:'s| is) the number of )(.+?)(?: in| on| at|[.?!])*$", text):
        return Question("count", _clean_subject(m[1]))
    if m := re.match(r"^(?:is there|are there|can you see|do you see)\s+(.+?)\s*\??$", text):
        subject = re.split(r"\s+(?:in|on|at|near|under|behind)\s+(?:the |this )?(?:image|picture|photo|"
                           r"photograph|scene|frame|ground|sky|water|background|foreground)\b", m[1])[0]
        if re.search(r"\b(on|in|under|behind|near|next to|inside|above|below|wearing|holding|carrying|eating|"
                     r"sitting|standing|riding|playing|lying|looking|walking|running|doing|using)\b", subject):
            return Question("other")  # "Is there a bee on the flower?": a relation the facts do not state
        return Question("existence", _clean_subject(subject))
    if m := re.match(r"^(?:what|which) colou?rs? (?:is|are|does) (.+?)(?: have| wearing| wear)?\s*\??$", text):
        return Question("colour", _clean_subject(m[1]))
    if m := re.match(r"^where(?:'s| is| are) (.+?)\s*\??$", text):
        subject = _clean_subject(m[1])
        if subject not in ("this", "it", "that", "we", "they", "i"):
            return Question("location", subject)
    if m := re.match(r"^(?:what|who) (?:is|are|does) (?:in )?(region\d+)(?: show)?\s*\??$|^identify (region\d+)"
                     r"|^tell me what (region\d+) (?:is|shows)", text):
        return Question("region", next(g for g in m.groups() if g))
    asked = _object_relation(text)
    if asked.kind == "other" and (m := re.match(r"^what (?:is|are) (.+?) wearing\s*\??$", text)):
        return Question("identify", _clean_subject(m[1]), relation="wearing")
    if asked.kind == "other" and (m := IDENTIFY.search(text)):
        category = (m[3] or "").strip()
        return Question("identify", other=None if category in ANY_THING else category)
    if asked.kind == "other" and DESCRIBE.search(text):
        return Question("describe")
    return asked


def _region_relation(text: str, regions: list[str]) -> Question | None:
    """"Is region1 right of region2?", "Is region1 to the left or to the right of region2?", "Which is
    further left, region1 or region2?", "Is region1 above or below region2?"."""
    if len(set(regions)) < 2:
        return None
    a, b = regions[0], next(r for r in regions if r != regions[0])
    if m := re.search(r"\b(?:which|who) (?:one |region )?is (further|more to the|on the|higher|lower|on top)\s*(left|right)?\b",
                      text):
        word = m[2] or {"higher": "above", "on top": "above", "lower": "below"}.get(m[1])
        return Question("relation", a, b, f"further {word}") if word else None
    if re.search(r"\bleft or (?:to )?(?:the )?right\b|\bright or (?:to )?(?:the )?left\b", text):
        return Question("relation", a, b, "left or right")
    if re.search(r"\babove or below\b|\bbelow or above\b", text):
        return Question("relation", a, b, "above or below")
    for word, relation in (("left", "left of"), ("right", "right of"), ("above", "above"), ("below", "below"),
                           ("under", "below"), ("over", "above"), ("in front", "in front of"), ("behind", "behind")):
        if re.search(rf"^(?:is|are) {a}\b.*\b{word}\b", text):
            return Question("relation", a, b, relation)
    return None


def _object_relation(text: str) -> Question:
    """"What is the man riding?", "What vehicle is behind the man?", "What is on the table?"."""
    category = "|".join(CATEGORY_WORDS)
    verbs = "|".join(re.escape(v) for v in sorted(SUBJECT_VERBS, key=len, reverse=True))
    if m := re.match(rf"^(?:what|which) (?:({category})s? )?(?:is|are) (.+?) ({verbs})(?: in (?:his|her|its|their) "
                     rf"(?:mouths?|hands?))?\s*\??$", text):
        if _clean_subject(m[2]) not in NOT_OBJECTS:
            return Question("object relation", _clean_subject(m[2]), m[1], m[3], subject_first=True)
    places = "|".join(re.escape(v) for v in sorted(OBJECT_PLACES, key=len, reverse=True))
    if m := re.match(rf"^(?:what|which) (?:({category})s? )?(?:is|are) (?:sitting |standing |lying |parked )?"
                     rf"({places}) (.+?)\s*\??$", text):
        subject = _clean_subject(re.sub(r"'s? (head|back|mouth|hands?|side)$", "", m[3]))
        if subject not in NOT_OBJECTS:
            return Question("object relation", subject, m[1], m[2])
    return Question("other")


def cant_tell_what(question: Question) -> str:
    """What cannot be told, as the end of "I can't tell ...": "which sport this is"."""
    return CANT_TELL_TOPICS[question.topic][1]
