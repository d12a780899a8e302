"""Which line of text fills the role a question asks for: "Which bank is on the sign?", "Who is the author?".

The text reader returns strings, not what they are, but two things about a line can be told from its words:

- **A line that names the role names the one filling it.** A bank's name is printed with "Bank", a hotel's with
  "Hotel", a street's with "Street", before or after it ("City Bank", "Hotel Ritz"): for "Which bank?" the line
  holding the word "bank" beside other words names the bank. The
  reader sometimes runs two words together ("metroBank"); the role word then starts at a change from a small to
  a capital letter, and the name is what the line holds with the two words apart ("metro Bank").
- **A role people fill is filled by a person's name.** An author, an artist or a photographer (WordNet kinds of
  person) is named by a line that reads as a name: two to four words in title case, one or more of which is no
  common English word in WordNet ("Amélie Durand", "Peter Okafor"; not "The Silent Sea", not "Fresh
  Bread"). Names set in capitals are not told from other capitals ("OPEN LATE").

Each is offered only where exactly one line qualifies, and always as a guess ("It may be ..."): where the line
is, what it is printed on and how big it is are not taken into account.
"""

from __future__ import annotations

import re

from ..language.kinds import commonly_a
from ..language.uses import PERSON
from ..language.wordnet import wordnet
from ..language.words import AUXILIARIES, CONJUNCTIONS, DETERMINERS, NEGATIONS, PREPOSITIONS, PRONOUNS, WH_WORDS

#: English words WordNet leaves out (it holds nouns, verbs, adjectives and adverbs only): "The", "Of".
FUNCTION_WORDS = DETERMINERS | PRONOUNS | AUXILIARIES | WH_WORDS | PREPOSITIONS | CONJUNCTIONS | NEGATIONS

#: A name is this many words, each capitalised.
NAME_WORDS = (2, 4)
#: A word of a name: a capital, then letters (accented ones too), apostrophes or hyphens; or an initial ("J.").
_NAME_WORD = re.compile(r"^(?:[^\W\d_][.]|[^\W\d_][^\W\d_'’-]+)$")


def line_naming(role: str, lines) -> tuple[object, str] | None:
    """The one line holding the word `role` ("bank") beside other words, and the name it spells with any
    run-together words set apart: ("metroBank", "metro Bank") for "bank". None where no line or several do.

    lines: `TextLine`s (anything with `text`)."""
    found = []
    for line in lines:
        name = _name_with_role(role, line.text)
        if name is not None:
            found.append((line, name))
    return found[0] if len(found) == 1 else None


def _name_with_role(role: str, text: str) -> str | None:
    """`text` with the word `role` in it beside other words, the words set apart where the reader ran them
    together at a change of case: "metroBank" -> "metro Bank", "City Bank" -> "City Bank", "Hotel Ritz" ->
    "Hotel Ritz"; None where `role` is not a word of it ("embankment", "Hotels") or stands alone ("Bank")."""
    for match in re.finditer(re.escape(role), text, re.IGNORECASE):
        start, end = match.span()
        if end < len(text) and text[end].isalpha() and not text[end].isupper():
            continue  # "Banker", "banks" are other words
        before = text[:start]
        if not any(c.isalpha() for c in before):
            if text[end:end + 1] == " " and any(c.isalpha() for c in text[end:]):
                return text  # "CAFE LUNA", "Hotel Ritz": the name after the role word
            continue  # the role word alone names nobody
        if not before[-1].isalpha():
            return text
        if before[-1].islower() and text[start].isupper():  # "metroBank": run together at a capital
            return f"{before} {text[start:]}"
    return None


def is_person_role(role: str) -> bool:
    """True if `role` ("author", "artist", "photographer") is, in its commonest sense (or any where WordNet's
    tagged corpus names none), a kind of person: someone whose name a line of text can be."""
    return commonly_a(role, {PERSON})


def name_line(lines) -> object | None:
    """The one line that reads as a person's name (`reads_as_name`), or None where none or several do."""
    names = [line for line in lines if reads_as_name(line.text)]
    return names[0] if len(names) == 1 else None


def reads_as_name(text: str) -> bool:
    """True if `text` reads as a person's name: 2-4 words in title case (initials allowed), one or more of
    three letters or more that WordNet knows only as the name of one person or place, or not at all
    ("Amélie Durand", "Peter Okafor", "J. Durand"; not "Silent Sea", not "SALE", not "OPEN LATE")."""
    words = text.split()
    if not NAME_WORDS[0] <= len(words) <= NAME_WORDS[1]:
        return False
    if not all(_NAME_WORD.match(w) and w[0].isupper() and not (len(w) > 2 and w.isupper()) for w in words):
        return False
    return any(len(w) >= 3 and not w.endswith(".") and not _english_word(w) for w in words)


#: Unicode ranges of the scripts a language is told by: Chinese characters, Japanese kana, Korean hangul.
SCRIPTS = {"chinese": r"[\u4e00-\u9fff]", "japanese": r"[\u3040-\u30ff]", "korean": r"[\uac00-\ud7af]"}


def written_in(text: str, language: str) -> bool | None:
    """Whether a line read is in `language` ("english", "chinese"...): English where most of its words are English
    words (`_english_word`); Chinese, Japanese and Korean by their own scripts. None for any other language: lines
    in Latin letters are not told apart by language here."""
    if language in SCRIPTS:
        return re.search(SCRIPTS[language], text) is not None
    if language != "english":
        return None
    words = re.findall(r"[A-Za-z]+", text)
    return bool(words) and sum(map(_english_word, words)) > len(words) / 2


def _english_word(word: str) -> bool:
    """True if `word` is a function word ("The", "of") or WordNet knows it as a common word: in a sense that is
    not an instance (a person, a city)."""
    word = word.lower().strip("'’-")
    return word in FUNCTION_WORDS or any(not synset.instance_hypernyms() for synset in wordnet().synsets(word))
