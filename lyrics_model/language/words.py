"""English question words: normalising a question and the closed classes of words it is built from.

Function words (articles, pronouns, auxiliaries, prepositions, question words) are a closed class: they
are listed here once. Content words (things, properties, actions) are looked up in WordNet
(`language.kinds`), never in hand lists.
"""

from __future__ import annotations

import re

from .wordnet import wordnet

#: Contractions a visitor types, expanded before parsing ("what's" -> "what is").
CONTRACTIONS = {"what's": "what is", "where's": "where is", "who's": "who is", "how's": "how is", "it's": "it is",
                "that's": "that is", "there's": "there is", "here's": "here is", "he's": "he is", "she's": "she is",
                "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not", "don't": "do not",
                "doesn't": "does not", "didn't": "did not", "can't": "can not", "cannot": "can not",
                "couldn't": "could not", "won't": "will not", "i'm": "i am", "you're": "you are",
                "they're": "they are", "we're": "we are", "what're": "what are", "where're": "where are",
                "who're": "who are", "let's": "let us", "whats": "what is", "wheres": "where is", "hows": "how is"}
ARTICLES = {"a", "an", "the"}
DETERMINERS = ARTICLES | {"this", "that", "these", "those", "any", "some", "each", "every", "all", "both", "no",
                          "its", "his", "her", "their", "my", "your", "our", "either", "another", "other", "only",
                          "single", "much", "many", "several", "few"}
#: Pronouns that stand for a thing already in view ("it", "she") or for anyone at all ("someone").
PRONOUNS = {"it", "they", "them", "he", "him", "she", "this", "that", "these", "those", "one", "ones", "itself",
            "someone", "anyone", "anybody", "somebody", "everyone", "everybody", "anything", "something",
            "everything", "you", "i", "we", "me", "us"}
PERSON_PRONOUNS = {"he", "him", "she", "her", "they", "them", "someone", "anyone", "anybody", "somebody",
                   "everyone", "everybody"}
AUXILIARIES = {"is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "can", "could", "will",
               "would", "should", "has", "have", "had", "may", "might", "must", "shall"}
WH_WORDS = {"what", "which", "who", "whom", "whose", "where", "when", "why", "how"}
PREPOSITIONS = {"in", "on", "at", "of", "to", "from", "with", "by", "for", "about", "into", "onto", "over", "under",
                "above", "below", "behind", "beside", "besides", "between", "near", "next", "inside", "outside",
                "around", "across", "along", "through", "against", "toward", "towards", "up", "down", "off", "out",
                "underneath", "beneath", "upon", "within", "without", "among", "like", "than", "as", "via"}
CONJUNCTIONS = {"and", "or", "but", "nor", "so", "then", "if", "because", "while"}
NEGATIONS = {"not", "no", "never", "nothing", "none", "nobody"}
#: Words for the photo itself ("in the picture").
IMAGE_WORDS = {"image", "picture", "photo", "photograph", "pic", "scene", "frame", "shot", "view", "snapshot",
               "screenshot"}
#: Words that add nothing a model must ground ("visible", "there", "exactly").
FILLERS = {"there", "here", "please", "visible", "shown", "pictured", "present", "seen", "exactly", "currently",
           "also", "just", "really", "actually", "exist", "exists", "displayed", "depicted", "total", "altogether",
           "overall", "now", "see", "show", "shows", "tell", "me", "us", "you", "can", "could", "would", "kindly",
           "do", "does", "appear", "appears", "located", "situated", "placed", "positioned", "found", "able"}
#: Where in the picture: place words a box's position answers.
PLACE_WORDS = {"left": "left", "right": "right", "top": "top", "upper": "top", "bottom": "bottom", "lower": "bottom",
               "middle": "center", "center": "center", "centre": "center", "central": "center"}
#: Words of place that no box answers (depth, nearness): kept as qualifiers the models cannot ground.
DEPTH_WORDS = {"front", "back", "foreground", "background", "distance", "far", "near", "closest", "nearest",
               "farthest", "furthest", "rear", "behind"}
#: Words that ask which kind of the thing named it is: "Which breed is that cat?" asks which kind of cat.
KIND_WORDS = {"breed", "breeds", "species", "kind", "type", "sort", "variety"}
NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
ORDINALS = {"first", "second", "third", "fourth", "fifth", "last"}
#: Colour words a question may ask by -> the basic colour names of the facts each agrees with.
COLOUR_WORDS = {"black": {"black"}, "white": {"white"}, "grey": {"grey"}, "gray": {"grey"}, "red": {"red"},
                "orange": {"orange"}, "yellow": {"yellow"}, "green": {"green"}, "blue": {"blue", "light blue"},
                "purple": {"purple"}, "pink": {"pink"}, "brown": {"brown"}, "beige": {"beige"},
                "silver": {"silver", "grey", "white"}, "gold": {"yellow", "orange"}, "golden": {"yellow", "orange", "beige"},
                "tan": {"beige", "brown"}, "cream": {"beige", "white"}, "navy": {"blue"}, "maroon": {"red", "brown"},
                "violet": {"purple"}, "turquoise": {"light blue", "green"}, "teal": {"green", "light blue"},
                "light blue": {"light blue", "blue"}, "dark blue": {"blue"}, "dark green": {"green"},
                "light green": {"green"}, "dark grey": {"grey", "black"}, "sky blue": {"light blue"}}
#: Greetings and thanks: no picture needed.
#: Sums a visitor may try ("What is 2 + 2?"): the language model answers them.
ARITHMETIC = re.compile(r"^\s*(what is|what's|how much is)\s+[\d\s.+*/x-]+\??\s*$")
SOCIAL = re.compile(r"^(?:(hi|hello|hey|good (morning|afternoon|evening)|thanks?( you)?( very much)?|thank you|bye|goodbye"
                    r"|how are you|who are you|what are you|what can you do|nice|great|cool|ok|okay)\b[\s!.?,]*"
                    r"(there|again|so much|a lot|lyrics|that helps|that helped)?[\s!.?]*"
                    r"|(can|could|would) you help( me)?( please)?|tell me a joke( please)?"
                    r"|what is \d+ ?(plus|minus|times|\+|-|\*|/) ?\d+)$")


def normalise(text: str) -> list[str]:
    """The question's words, lower case, contractions expanded, a possessive "'s" its own token.

    "What's the man's shirt?" -> ["what", "is", "the", "man", "'s", "shirt"]."""
    return [word for word, _, _ in normalise_spans(text)]


def normalise_spans(text: str) -> list[tuple[str, int, int]]:
    """`normalise`'s words, each with the [start, end) characters of `text` it was read from (the words a
    contraction expands to share its span): "It's a dog" -> [("it", 0, 4), ("is", 0, 4), ("a", 5, 6), ...]."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)  # one character for one: spans hold
    lowered = lowered.replace("\u2019", "'").replace("\u2018", "'")
    lowered = re.sub(r"\b(upside) (down)\b|\b(inside) (out)\b", lambda m: m[0].replace(" ", "-"), lowered)  # one
    # adverb each, as WordNet writes them ("the bird upside down" is no bird-upside); same length, so spans hold
    words: list[tuple[str, int, int]] = []
    for match in re.finditer(r"[a-z0-9]+(?:['-][a-z0-9]+)*'?", lowered):
        raw, start, end = match[0], match.start(), match.end()
        raw = re.sub(r"\bcolou?r(s)?\b", lambda m: "colour" + (m[1] or ""), raw)
        if raw.endswith("s'"):  # "the players' shirts": a plural's possessive
            words.extend([(raw[:-1], start, end - 1), ("'s", end - 1, end)])
            continue
        if raw.endswith("'"):
            raw, end = raw[:-1], end - 1
        if raw in CONTRACTIONS:
            words.extend((word, start, end) for word in CONTRACTIONS[raw].split())
        elif raw.endswith("'s"):
            words.extend([(raw[:-2], start, end - 2), ("'s", end - 2, end)])
        elif raw.endswith("n't"):
            words.extend([(raw[:-3], start, end - 3), ("not", end - 3, end)])
        else:
            words.append((raw, start, end))
    return words


def is_english(text: str) -> bool:
    """False for text whose words are mostly unknown to English (a question in another language): letters
    outside ASCII, or fewer than half of its words function words or WordNet words."""
    if re.search(r"[^\x00-\x7f\u2018\u2019\u201c\u201d\u2013\u2014]", text):
        return False
    words = [w for w in normalise(text) if not w.isdigit() and w != "'s"]
    if not words:
        return False
    closed = DETERMINERS | PRONOUNS | AUXILIARIES | WH_WORDS | PREPOSITIONS | CONJUNCTIONS | NEGATIONS | FILLERS
    if len(words) > 3 and not any(w in closed for w in words):
        return False  # an English sentence of four words or more has a function word
    known = sum(w in closed or w in IMAGE_WORDS or len(w) > 2 and _in_wordnet(w) or
                re.fullmatch(r"region\d+", w) is not None for w in words)
    return known * 5 >= len(words) * 3


def _in_wordnet(word: str) -> bool:
    wn = wordnet()
    return bool(wn.synsets(word)) or any(wn.morphy(word, pos) for pos in ("n", "v", "a"))


def is_noun(word: str) -> bool:
    """True if WordNet knows `word` (or its singular) as a noun."""
    return bool(wordnet().synsets(word, "n"))


#: Plurals WordNet's rules do not read as such, and plural pronouns.
IRREGULAR_PLURALS = {"people", "children", "men", "women", "they", "them", "these", "those", "ones", "mice", "feet",
                     "teeth", "geese"}


def is_plural(word: str) -> bool:
    """True for a plural noun (the last word of a name): one WordNet reads as another noun's plural ("buses";
    "shoes", though WordNet also lists "shoes" as a noun of its own, met less often than "shoe" in its tagged
    corpus; not "species" or "brass")."""
    word = word.split()[-1].lower() if word.split() else ""
    if word in IRREGULAR_PLURALS:
        return True
    if not word.endswith("s") or word.endswith("ss"):
        return False
    own = times_met(word, "n")  # "species" and "physics" are met far more as words of their own than as plurals
    return any(base != word and (times_met(base, "n") >= own or not own) for base in wordnet()._morphy(word, "n"))


def times_met(word: str, pos: str) -> int:
    """How often WordNet's sense-tagged corpus met `word` as a `pos` ("n", "v"), over all its senses."""
    return sum(lemma.count() for synset in wordnet().synsets(word, pos) for lemma in synset.lemmas()
               if lemma.name().lower() == word)


def is_verb_form(word: str) -> bool:
    """True for a verb's -ing or -ed form, or a verb WordNet knows that is not also a noun ("wearing",
    "parked", "sits"); "walk" (also a noun) is not."""
    wn = wordnet()
    if word in COLOUR_WORDS or word in PLACE_WORDS:
        return False
    base = wn.morphy(word, "v")
    if word.endswith(("ing", "ed")) and base and base != word:  # "doing", "parked"; not "wing", "bed"
        return True
    if base and base != word and not wn.synsets(word, "n"):  # "made", "says", "sits": an inflected verb
        return True
    return bool(wn.synsets(word, "v")) and not wn.synsets(word, "n") and not wn.synsets(word, "a")


#: WordNet's files of nouns for things one can see in a photo, as against acts, states and events.
THING_FILES = {"noun.artifact", "noun.animal", "noun.person", "noun.food", "noun.plant", "noun.object"}


def is_thing_noun(word: str) -> bool:
    """True if the commonest noun sense of `word` is a thing one can see (`THING_FILES`): "horse", "car"; not
    "view" or "side"."""
    senses = wordnet().synsets(word, "n")
    return bool(senses) and senses[0].lexname() in THING_FILES


def names_a_thing(word: str) -> bool:
    """True for an -ing word whose commonest noun sense is a thing one can see and which WordNet's tagged corpus
    meets as that noun at least a tenth as often as the verb: "building", "painting", "clothing", "ceiling"
    (the word after "a" or "kind of" is the thing); not "hanging" (a wall hanging, met almost only as the
    verb), "holding" or "running" (acts)."""
    if not is_thing_noun(word):
        return False
    base = wordnet().morphy(word, "v")
    return times_met(word, "n") * 10 >= (times_met(base, "v") if base else 0)


def is_verb(word: str) -> bool:
    """True if WordNet knows `word` as a verb in some form ("wear", "wears", "glasses" too)."""
    return bool(wordnet().morphy(word, "v"))


def is_adjective(word: str) -> bool:
    """True if WordNet knows `word` as an adjective ("clean", "dark", "sunny")."""
    return bool(wordnet().synsets(word, "a")) or bool(wordnet().synsets(word, "s"))


def verb_base(word: str) -> str:
    """"wearing" -> "wear", "says" -> "say"; the word itself where WordNet knows no verb form."""
    return wordnet().morphy(word, "v") or word
