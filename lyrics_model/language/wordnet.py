"""WordNet 3.0, read with nltk's `WordNetCorpusReader`, without nltk's downloader where a copy is installed.

Where the database comes from, in order: `$LYRICS_WORDNET` (a folder holding `data.noun`, `index.noun`,
...), Debian's `wordnet-base` (`/usr/share/wordnet`), nltk's own data folders (`nltk.download("wordnet")`),
and, online, nltk's downloader. Debian's copy lacks the `lexnames` file that names the 45 lexicographer
files (`noun.animal`, `noun.body`...), and nltk reads only folders inside its data path, so the files are
copied once into `$LYRICS_CACHE/wordnet` with `lexnames` written from WordNet's documented list (lexnames(5WN)).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import warnings
from pathlib import Path

from ..errors import WeightsUnavailable

log = logging.getLogger(__name__)

DEBIAN_FOLDER = Path("/usr/share/wordnet")
#: WordNet 3.0's lexicographer files in number order, with their part of speech (lexnames(5WN)).
LEXNAMES = ("adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
            "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
            "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
            "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
            "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
            "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather "
            "adj.ppl").split()
_POS_NUMBER = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
_REQUIRED = ("data.noun", "index.noun", "data.verb", "index.verb", "data.adj", "index.adj", "noun.exc", "verb.exc")
_lock = threading.Lock()
_reader = None


def _cache_folder() -> Path:
    return Path(os.environ.get("LYRICS_CACHE") or Path.home() / ".cache" / "lyrics") / "wordnet"


def _is_database(folder: Path) -> bool:
    return all((folder / name).is_file() for name in _REQUIRED)


def _nltk_folder() -> Path | None:
    import nltk

    try:
        return Path(str(nltk.data.find("corpora/wordnet")))
    except LookupError:
        return None


def locate_wordnet(download: bool = True) -> Path:
    """The folder of a WordNet 3.0 database, found or fetched in the order the module docstring gives.

    Raises WeightsUnavailable, naming what to install, where none is found."""
    explicit = os.environ.get("LYRICS_WORDNET")
    if explicit:
        if not _is_database(Path(explicit)):
            raise WeightsUnavailable(f"LYRICS_WORDNET={explicit} holds no WordNet database (data.noun, index.noun...)")
        return Path(explicit)
    for folder in (DEBIAN_FOLDER, _nltk_folder()):
        if folder is not None and _is_database(folder):
            return folder
    if download and os.environ.get("HF_HUB_OFFLINE") != "1":
        import nltk

        log.info("wordnet: not installed; fetching it with nltk's downloader")
        try:
            nltk.download("wordnet", quiet=True, raise_on_error=True)
        except Exception as err:  # noqa: BLE001 - any failure means no database
            log.warning("wordnet: download failed (%s)", err)
        folder = _nltk_folder()
        if folder is not None and _is_database(folder):
            return folder
    raise WeightsUnavailable("WordNet 3.0 is not installed: `apt-get install wordnet-base` (Debian/Ubuntu), "
                             "or `python -m nltk.downloader wordnet`, or set LYRICS_WORDNET to its folder")


def _readable_copy(folder: Path) -> Path:
    """`folder` itself where nltk can read it as it is, else a copy in the cache with `lexnames` added."""
    if (folder / "lexnames").is_file():
        return folder
    target = _cache_folder()
    if not (target / "lexnames").is_file() or not _is_database(target):
        target.mkdir(parents=True, exist_ok=True)
        for path in folder.iterdir():
            if path.is_file():
                shutil.copyfile(path, target / path.name)
        lines = "".join(f"{i:02d}\t{name}\t{_POS_NUMBER[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES))
        (target / "lexnames.part").write_text(lines)
        (target / "lexnames.part").replace(target / "lexnames")
    return target


def wordnet():
    """The shared WordNet reader (nltk `WordNetCorpusReader`), loaded once (about 1.5 s)."""
    global _reader
    with _lock:
        if _reader is None:
            import nltk
            from nltk.corpus.reader.wordnet import WordNetCorpusReader

            class _Reader(WordNetCorpusReader):
                def map_wn(self, version="wordnet"):
                    return None  # the database is WordNet 3.0: no mapping to another version is needed

            folder = _readable_copy(locate_wordnet())
            if str(folder) not in nltk.data.path:
                nltk.data.path.append(str(folder))  # nltk reads only inside its data path
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "multilingual functions are not available": not used
                _reader = _Reader(str(folder), None)
            log.info("wordnet: loaded from %s", folder)
        return _reader
