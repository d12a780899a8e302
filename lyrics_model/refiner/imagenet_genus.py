"""What kind of thing an ImageNet class is, read from its WordNet definition: a missile is "a rocket
carrying a warhead ...", a beacon "a tower with a light ...", an espresso "strong black coffee brewed ...".

A tagger that says "missile" has seen a rocket, so "Is there a rocket?" is answered yes. The definitions
are the ones timm ships for the ImageNet synsets (timm comes with open_clip_torch; its files are read,
the package is not imported). The kind is the head noun of the definition's first phrase, kept only
where it is a name the project's vocabulary knows (`vocabulary.default_vocabulary`), so a phrase
that starts with an adjective or a word such as "breed" names no kind.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from .vocabulary import clean_name, default_vocabulary

#: Words that end a definition's first phrase: its head noun is the word before.
_PHRASE_ENDS = frozenset({"of", "for", "with", "that", "which", "who", "whose", "where", "when", "used", "in", "on",
                          "at", "to", "from", "by", "having", "made", "or", "and", "as", "into", "resembling",
                          "usually", "especially", "typically", "designed", "worn", "consisting", "containing",
                          "carrying", "like", "than", "but", "is", "are", "often"})


def _timm_info() -> Path | None:
    spec = importlib.util.find_spec("timm")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(spec.submodule_search_locations[0]) / "data" / "_info"
    return folder if (folder / "imagenet_synset_to_definition.txt").exists() else None


def definition_genus(definition: str) -> str | None:
    """The head noun of a definition's first phrase ("a rocket carrying a warhead" -> "rocket"), or None."""
    words = re.findall(r"[a-z][a-z-]*", definition.split(";")[0].lower())
    phrase: list[str] = []
    for word in words:
        if word in _PHRASE_ENDS or (phrase and "-" not in word and word.endswith(("ing", "ed"))):
            break
        phrase.append(word)
    return phrase[-1] if phrase else None


@lru_cache(maxsize=1)
def imagenet_genera() -> dict[str, str]:
    """ImageNet-1k class name (as `clean_name` writes it) -> the kind of thing it is, where its definition
    names one the vocabulary knows and it is not the name itself; empty where timm's files are missing."""
    folder = _timm_info()
    if folder is None:
        return {}
    synsets = (folder / "imagenet_synsets.txt").read_text().split()
    lemmas = dict(line.split("\t", 1) for line in (folder / "imagenet_synset_to_lemma.txt").read_text().splitlines()
                  if "\t" in line)
    definitions = dict(line.split("\t", 1) for line in
                       (folder / "imagenet_synset_to_definition.txt").read_text().splitlines() if "\t" in line)
    known = set(default_vocabulary())
    genera = {}
    for synset in synsets:
        name, genus = clean_name(lemmas.get(synset, "")), definition_genus(definitions.get(synset, ""))
        if name and genus and genus in known and genus != name and genus not in name.split():
            genera.setdefault(name, genus)
    return genera
