"""Grounded-text mode: the refiner's semantic-aware objects written into the prompt as plain facts.

A 135M model reads short sentences best and echoes whatever machinery it is shown, so the block
speaks as a person would (see `scene_facts`):

    The image shows 3 people, 1 bus.
    Outdoors: sky.
    Tags: minibus.
    Things in the image:
    - a large blue and white bus at the top
    - a person in beige and black on the left
    The user's regions:
    - region1 is a person in beige and black on the left.
    - region2 is a large blue and white bus at the top.
    - region1 is left of, below and overlapping region2.
    - region2 is right of, above and overlapping region1.

The setting line ("Outdoors: sky, water.", see `setting`) appears only where the models can tell it.
The colour of what lies behind objects ("The background behind the bus is grey.") and numeric boxes
appear only when the question asks for them. `SceneFacts` is the facts before
they are written out, so that training data can be generated in exactly the form the model reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from ..language.kinds import is_a, kinds_of, senses_of
from ..refiner.result import RefineResult, normalise_box
from .regions import Region, RegionMatch
from .colour_names import exposure_gain, name_shares, pick_names
from .scene_facts import MIN_FACT_SCORE, ObjectFact, counts_sentence, describe_object, photo_facts, relation, share_inside
from .setting import setting_sentence, setting_words
from .text_blocks import text_blocks

#: Objects listed at most (highest score first): a 135M model loses track beyond a handful.
MAX_LISTED_OBJECTS = 8
#: Tagger tags below this score are left out.
MIN_TAG_SCORE = 0.1
#: A stated object or tag whose best score (detector or tagger) is below this is one the models are
#: not sure of: an answer that names only such things says so ("I'm not sure what this is; ...").
UNSURE_SCORE = 0.5
#: Share of an unsure object's box inside a better one of the same class that makes it a duplicate.
DUPLICATE_INSIDE = 0.8
#: A region is called by the detector's label when their IoU reaches this and its score `SURE_SCORE`.
MIN_MATCH_IOU = 0.3
#: A region overlapping a detection this well outlines the same thing.
OUTLINE_IOU = 0.5
SURE_SCORE = 0.5
COORDINATE_QUESTION = re.compile(r"\b(coordinates?|bounding box|bbox|box|x1|pixel)", re.IGNORECASE)
BACKGROUND_QUESTION = re.compile(r"\b(background|behind|backdrop|wall|setting|surroundings?)\b", re.IGNORECASE)
#: Blocks of text read (`text_blocks`) stated at most (the tallest), and the characters kept of each.
MAX_TEXT_LINES, MAX_TEXT_CHARS = 3, 40
#: Backgrounds stated at most (the largest objects first) when the question asks about one.
MAX_BACKGROUNDS = 2


def format_box(box_norm) -> str:
    return "[" + ", ".join(f"{v:.3f}" for v in box_norm) + "]"


def asks_for_coordinates(question: str) -> bool:
    """True when the question asks for a location as numbers (REC), the only case boxes are shown."""
    return bool(COORDINATE_QUESTION.search(question))


def asks_about_background(question: str) -> bool:
    """True when the question asks about what lies behind ("the wall behind the truck", "the background")."""
    return bool(BACKGROUND_QUESTION.search(question))


@dataclass
class SceneFacts:
    """What the prompt states about one image.

    objects: the confident detections. tags: the tagger's scene words. regions: (id, fact) per user
    region. boxes: (name, [x1, y1, x2, y2] in 0-1) when the question asks for coordinates, else empty.
    photo: whole-image sentences (`photo_facts`). setting: `setting_words` ("outdoors", "sky", ...).
    backgrounds: (what, colour names) to state when the question asks about a background, `what`
    being "the bus", "the person on the left", "region1" or "" for the whole image. unsure: the
    stated object labels and tags whose best score is below `UNSURE_SCORE`, and the labels of regions
    that are guesses (`region_unsure`); never rendered. senses: name -> the WordNet id a model gave it
    (an ImageNet tag's class), for names whose sense a name alone leaves open; never rendered.
    texts: the text lines read (`TextFact`), where a text reader ran; can_read: a reader is loaded.
    maybe: a stated name that is only the broad kind two models agree on -> the tagger's guess of what it is
    ("animal" -> "giant panda"; see `disputes`); never rendered. size: (width, height) of the image the
    boxes are in, pixels. tag_scores: every tag of the tagger, stated or not (those under `MIN_TAG_SCORE`
    too), and of the crops of the user's regions -> its best score, for guessing which kind of a stated thing it is ("cocker spaniel" for a dog); never
    rendered. tag_places: a tag no box outlines -> where the tagger finds it most ("at the bottom right",
    `refiner.tag_places`), added for the questions that ask where it is; never rendered. tag_colours: a tag no
    box outlines -> the colour names of what the segmenter outlines where the tagger finds it most, added for
    the questions that ask its colour; never rendered. worn_colours: (a person's object id, a band of the body:
    "upper body", "legs", "feet") -> the colour names of that band of the person's outline, added for the
    questions that ask the colour of clothing (`language.kinds.worn_on`); never rendered. unsure_counts: stated
    names the models are sure of whose things the detector counted unsure of each (a lion the tagger names where
    the detector saw a dog at 0.33): how many there are is a guess; never rendered. window_tags: every name the
    tagger gives one of the photo's 9 probe windows (`refiner.tag_places`) -> its score (0-1) in each window that
    gives it, added for the questions that ask which thing of a kind the photo shows; never rendered.
    """

    objects: list[ObjectFact]
    tags: list[str] = field(default_factory=list)
    regions: list[tuple[str, ObjectFact]] = field(default_factory=list)
    boxes: list[tuple[str, list[float]]] = field(default_factory=list)
    photo: list[str] = field(default_factory=list)
    setting: list[str] = field(default_factory=list)
    backgrounds: list[tuple[str, list[str]]] = field(default_factory=list)
    unsure: frozenset[str] = frozenset()
    senses: dict = field(default_factory=dict)
    texts: list = field(default_factory=list)
    can_read: bool = False
    maybe: dict = field(default_factory=dict)
    size: tuple[int, int] = (0, 0)
    tag_scores: dict = field(default_factory=dict)
    tag_places: dict = field(default_factory=dict)
    tag_colours: dict = field(default_factory=dict)
    worn_colours: dict = field(default_factory=dict)
    unsure_counts: frozenset[str] = frozenset()
    window_tags: dict = field(default_factory=dict)

    def render(self) -> str:
        """The whole facts block: `render_image()`, then the user's regions and any boxes."""
        return "\n".join([self.render_image(), *self._region_lines()])

    def render_image(self) -> str:
        """The lines that depend on the image only (the same for every question about it)."""
        lines = [f"The image shows {counts_sentence([o.label for o in self.objects])}.", *self.photo]
        if self.setting:
            lines.append(setting_sentence(self.setting))
        if self.tags:
            lines.append(f"Tags: {', '.join(self.tags)}.")
        if self.objects:
            lines.append("Things in the image:")
            lines.extend(f"- {o.phrase()}" for o in self.objects)
        return "\n".join(lines)

    def _region_lines(self) -> list[str]:
        lines = []
        if self.regions:
            lines.append("The user's regions:")
            lines.extend(f"- {rid} is {fact.phrase()}." for rid, fact in self.regions)
            for a, fa in self.regions:  # both ways round: a small model reads a relation more easily than it inverts one
                lines.extend(f"- {a} is {relation(fa, fb)} {b}." for b, fb in self.regions if b != a)
        if self.texts:  # the reader's lines as blocks (one sign's lines are one message), quoted and bounded
            blocks = text_blocks(self.texts)
            tallest = sorted(blocks, key=lambda b: -b.letter_height)[:MAX_TEXT_LINES]  # the largest letters first
            lines.append("Text read: " + ", ".join(f'"{b.text[:MAX_TEXT_CHARS]}"' for b in blocks if b in tallest) + ".")
        for what, colours in self.backgrounds:
            behind = f" behind {what}" if what else ""
            lines.append(f"The background{behind} is {' and '.join(colours)}.")
        if self.boxes:
            lines.append("Boxes as [x1, y1, x2, y2] from 0 to 1:")
            lines.extend(f"- {name}: {format_box(box)}" for name, box in self.boxes)
        return lines


def confident_objects(result: RefineResult, limit: int = MAX_LISTED_OBJECTS) -> list[int]:
    """Indices of the objects worth stating (score >= MIN_FACT_SCORE), best `limit`, in object order.

    An object the models are not sure of (score < `UNSURE_SCORE`) that lies mostly inside a better
    one of the same class (`DUPLICATE_INSIDE` of its box) is that object again, not another: the
    offline detector boxes a dog, then part of it at 0.26."""
    scores = np.asarray(result.detections.confidence, np.float32)
    boxes = np.asarray(result.detections.xyxy, np.float32)
    kept: list[int] = []
    for i in (int(i) for i in np.argsort(-scores, kind="stable")):
        if scores[i] < MIN_FACT_SCORE or len(kept) == limit:
            break
        if scores[i] < UNSURE_SCORE and any(result.labels[j] == result.labels[i] and
                                            share_inside(boxes[i], boxes[j]) >= DUPLICATE_INSIDE for j in kept):
            continue
        kept.append(i)
    return sorted(kept)


def region_label(match: RegionMatch | None, crop_tags: list) -> str:
    """What a region is: the detector's label where it overlaps a confident object well, else the top
    tag of the region's crop (the tagger's second opinion; `Tag`s or names), else the detector's label."""
    if _called_by_detector(match, crop_tags):
        return match.label
    if crop_tags:
        return _tag_name(crop_tags[0])
    return match.label if match is not None else "part of the image"


def _tag_name(tag) -> str:
    return getattr(tag, "name", tag)


def _called_by_detector(match: RegionMatch | None, crop_tags: list) -> bool:
    """True where `region_label` is the detector's label of a well-overlapping object: a confident one,
    or any where the crop has no tag of its own."""
    if match is None or match.iou < MIN_MATCH_IOU:
        return False
    return match.score >= SURE_SCORE or not crop_tags


def region_unsure(match: RegionMatch | None, crop_tags: list) -> bool:
    """True when `region_label` is a guess: the crop's top tag scored under `UNSURE_SCORE`, or a
    detector label without a confident overlap (a crop tag given as a bare name counts as sure), or a crop tag
    that is no kind of the class of a detection the region outlines well: the detector, however unsure, saw that
    outline as something else, and a crop also holds what lies around and under a thing (a spoon's crop is
    mostly the coffee beside it)."""
    if _called_by_detector(match, crop_tags):
        return match.score < UNSURE_SCORE
    if crop_tags:
        tag = crop_tags[0]
        if match is not None and match.iou >= OUTLINE_IOU and hasattr(tag, "score") and \
                not is_a(senses_of(tag.name, getattr(tag, "sense", None)), match.label):
            return True
        return float(getattr(tag, "score", 1.0)) < UNSURE_SCORE
    return True


@dataclass
class ImageFacts:
    """The facts about an image that do not depend on the user's regions or question (computed once
    per image: the object colours read the pixels under each mask).

    objects: the confident objects (each with `colours` and `background`). tags: the tagger's words.
    photo: whole-image sentences. setting: `setting_words`. background: colour names of the photo's
    border (objects left out). taken: (H, W) bool, the pixels of every confident object, or None.
    gain: the photo's `exposure_gain`. unsure, senses, maybe, tag_scores: see `SceneFacts`.
    """

    objects: list[ObjectFact]
    tags: list[str]
    photo: list[str]
    setting: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    taken: np.ndarray | None = None
    gain: float = 1.0
    unsure: frozenset[str] = frozenset()
    senses: dict = field(default_factory=dict)
    maybe: dict = field(default_factory=dict)
    #: detector label -> what the facts call it where the tagger disputes it (see `disputes`).
    renamed: dict = field(default_factory=dict)
    tag_scores: dict = field(default_factory=dict)
    unsure_counts: frozenset[str] = frozenset()


def unsure_names(result: RefineResult, names: set[str]) -> frozenset[str]:
    """The names among `names` whose best score, over the detections and tags that carry them, is
    below `UNSURE_SCORE`: "bell cote" tagged at 0.32, a "couch" detected at 0.29."""
    best: dict[str, float] = {}
    for label, score in zip(result.labels, np.asarray(result.detections.confidence, np.float32).tolist()):
        best[label] = max(best.get(label, 0.0), score)
    for tag in result.tags:
        best[tag.name] = max(best.get(tag.name, 0.0), float(tag.score))
    return frozenset(name for name in names if best.get(name, 0.0) < UNSURE_SCORE)


#: Broad kinds within which a closed-set detector files what it cannot name under its nearest class (a lion
#: as a dog, a tractor as a truck).
BROAD_KINDS = {"animal.n.01": "animal", "conveyance.n.03": "vehicle", "food.n.01": "food", "food.n.02": "food",
               "furniture.n.01": "piece of furniture"}
#: Share of the photo a detected object must fill for the tagger's photo-wide tags to be about it.
MAIN_SUBJECT_SHARE = 0.1


@dataclass
class Dispute:
    """The tagger and a closed-set detector name one large object differently (see `disputes`).

    label: the detector's class. score: its best detection score. tag: the tagger's top name of the
    other things. mass: the tagger's summed probability of those things. kind: the broad kind both
    agree on ("animal").
    """

    label: str
    score: float
    tag: str
    mass: float
    kind: str

    @property
    def stated_as(self) -> str:
        """What the facts call the object: the tag where the detector is unsure of its class (the weaker
        guess gives way), else the broad kind, since two models sure of different things leave it open."""
        return self.tag if self.score < UNSURE_SCORE else self.kind


def disputes(result: RefineResult, kept: list[int]) -> dict[str, Dispute]:
    """Detector classes the tagger disputes: for a large detected object (`MAIN_SUBJECT_SHARE` of the photo),
    the tagger's tags of the same broad kind (`BROAD_KINDS`) that are neither a kind of its class nor above
    it sum to at least `UNSURE_SCORE` (a lion at 0.92 where the detector says "dog"; a quokka's wallaby,
    wombat and beaver together). Neither model overrules the other with a weaker guess (`Dispute.tagger_wins`).

    A tag that is a kind of another detected object's class disputes nothing: the tagger names the whole photo,
    and its "moving van" is the detected truck, not the car parked in front of it."""
    tagged = [t for t in result.tags if t.source == "tagger"]
    width, height = result.size
    scores = np.asarray(result.detections.confidence, np.float32)
    found: dict[str, Dispute] = {}
    kept_senses = {result.labels[i]: set(senses_of(result.labels[i])) for i in kept}
    for i in kept:
        x1, y1, x2, y2 = (float(v) for v in result.detections.xyxy[i])
        label = result.labels[i]
        if (x2 - x1) * (y2 - y1) < MAIN_SUBJECT_SHARE * width * height or label in found:
            continue
        own_senses = set(senses_of(label))
        own = set().union(*(kinds_of(s) for s in own_senses))
        others = []
        for tag in tagged:
            theirs_senses = set(senses_of(tag.name, tag.sense))
            theirs = set().union(*(kinds_of(s) for s in theirs_senses))
            shared = [name for k, name in BROAD_KINDS.items() if k in own and k in theirs]
            explained = any(senses & theirs for other, senses in kept_senses.items() if other != label)
            if not (own_senses & theirs or theirs_senses & own or explained) and shared:
                others.append((tag, shared[0]))
        mass = float(sum(t.score for t, _ in others))
        if others and mass >= UNSURE_SCORE:
            best = max(float(scores[j]) for j in kept if result.labels[j] == label)
            top, kind = max(others, key=lambda pair: pair[0].score)
            found[label] = Dispute(label, best, top.name, mass, kind)
    return found


def image_facts(rgb: np.ndarray, result: RefineResult, colour_check=None, window_tags: list[list] | None = None) -> ImageFacts:
    """The confident objects described, the tagger's scene words and the photo's own facts
    (rgb: (H, W, 3) uint8; colour_check: see `describe_object`). When no object and no tag is
    confident, the tagger's best guess is stated all the same: a block with nothing in it leaves the
    model to invent the whole image.

    window_tags: the tagger's tags of the photo's 9 probe windows (`refiner.tag_places.window_tags`), where
    computed: a tag of the whole photo that no window gives is left out (`seen_in_windows`)."""
    if window_tags is not None:
        result = replace(result, tags=seen_in_windows(result.tags, window_tags))
    detections = result.detections
    masks = detections.mask
    kept = confident_objects(result)
    taken = _object_pixels(rgb.shape[:2], [detections.xyxy[i] for i in kept],
                           [masks[i] for i in kept] if masks is not None else None)
    gain = exposure_gain(rgb)
    disputed = disputes(result, kept)
    named = {label: d.stated_as for label, d in disputed.items()}
    objects = [describe_object(rgb, named.get(result.labels[i], result.labels[i]), detections.xyxy[i],
                               masks[i] if masks is not None else None, colour_check, others=taken, gain=gain,
                               object_id=f"obj{i + 1}")
               for i in kept]
    tagged = [t for t in result.tags if t.source != "detector"]
    tags = [t.name for t in tagged if t.score >= MIN_TAG_SCORE and t.source == "tagger"]
    if not objects and not tags and tagged:
        tags = [max(tagged, key=lambda t: t.score).name]
    setting = setting_words(rgb, [(t.name, t.score) for t in tagged])
    unsure = unsure_names(result, {o.label for o in objects} | set(tags))
    unsure |= {d.tag for d in disputed.values() if d.stated_as != d.tag}  # both sure of different things: a guess
    unsure -= {d.stated_as for d in disputed.values()}  # the tag that names it, or the kind both agree on
    stated_labels = {o.label for o in objects}  # a detector's "cup" is a cup, whatever the tagger's "cup" means
    senses = {t.name: t.sense for t in result.tags if getattr(t, "sense", None) and t.name not in stated_labels}
    maybe = {d.kind: d.tag for d in disputed.values() if d.stated_as == d.kind}
    tag_scores = {t.name: float(t.score) for t in tagged if t.source == "tagger"}
    unsure_counts = frozenset(d.stated_as for d in disputed.values() if d.score < UNSURE_SCORE)
    return ImageFacts(objects, tags, photo_facts(rgb), setting, border_colours(rgb, taken, gain), taken, gain, unsure,
                      senses, maybe, named, tag_scores, unsure_counts)


def seen_in_windows(tags: list, window_tags: list[list]) -> list:
    """The whole photo's tags that some probe window's tags also give (the detector's own names kept as they are).

    Each window holds a quarter of the photo, and the windows overlap: a thing in the photo fills much of one of
    them, and a scene or a thing filling the photo is in all of them, so the tagger names it there too. A name the
    whole photo's tags give but no window does is the tagger's reading of the whole composition rather than of
    anything in it: measured over the 48 photos of the project's and a visitor's question sets, 18 tags (at
    scores up to 0.62) had no window, and none of them was in its photo (a bowl of figs read as red wine and a
    cup, barres read as a turnstile), while every tag that was had a window."""
    named = {tag.name for tags in window_tags for tag in tags}
    return [tag for tag in tags if tag.source == "detector" or tag.name in named]


def _object_pixels(shape: tuple[int, int], boxes, masks) -> np.ndarray | None:
    """(H, W) bool: the pixels of the given objects (their masks, else their boxes); None for none."""
    if not boxes:
        return None
    taken = np.zeros(shape, bool)
    for i, box in enumerate(boxes):
        if masks is not None and masks[i].any():
            taken |= masks[i]
        else:
            x1, y1, x2, y2 = [int(round(float(v))) for v in box]
            taken[max(0, y1) : max(0, y2), max(0, x1) : max(0, x2)] = True
    return taken


def border_colours(rgb: np.ndarray, taken: np.ndarray | None, gain: float, border: float = 0.15) -> list[str]:
    """Colour names of the photo's background: its outer `border` share on each side, objects left out."""
    height, width = rgb.shape[:2]
    ring = np.ones((height, width), bool)
    dy, dx = int(border * height), int(border * width)
    ring[dy : height - dy, dx : width - dx] = False
    if taken is not None:
        ring &= ~taken
    return pick_names(name_shares(rgb[ring], gain, trim=False)) if ring.sum() >= 50 else []


def background_facts(objects: list[ObjectFact], regions: list[tuple[str, ObjectFact]],
                     image_background: list[str]) -> list[tuple[str, list[str]]]:
    """What to state when the question asks about a background: each region's, else the largest
    objects' (called "the bus", or "the person on the left" where the label repeats), else the
    photo's own."""
    if regions:
        return [(rid, fact.background) for rid, fact in regions if fact.background]
    labels = [o.label for o in objects]
    largest = sorted(objects, key=lambda o: -float((o.box[2] - o.box[0]) * (o.box[3] - o.box[1])))
    stated = []
    for fact in largest[:MAX_BACKGROUNDS]:
        if fact.background:
            what = f"the {fact.label}" if labels.count(fact.label) == 1 else f"the {fact.label} {fact.place}"
            stated.append((what, fact.background))
    if not stated and image_background:
        stated.append(("", image_background))
    return stated


def scene_facts(rgb: np.ndarray, result: RefineResult, regions: list[Region], matches: list[RegionMatch | None],
                crop_tags: list[list], question: str = "", image: ImageFacts | None = None,
                colour_check=None) -> SceneFacts:
    """The facts about one image (rgb: (H, W, 3) uint8) and the user's regions; `image`: the image's
    region-independent facts when already known; colour_check: see `describe_object`."""
    image = image or image_facts(rgb, result, colour_check)
    region_facts = [(r.id, describe_object(rgb, image.renamed.get(region_label(m, c), region_label(m, c)), r.box,
                                           r.mask, colour_check, others=image.taken, gain=image.gain))
                    for r, m, c in zip(regions, matches, crop_tags)]
    backgrounds = background_facts(image.objects, region_facts, image.background) \
        if asks_about_background(question) else []
    boxes = []
    if asks_for_coordinates(question):
        boxes = [(result.labels[i], normalise_box(result.detections.xyxy[i], result.size)) for i in confident_objects(result)]
        boxes += [(r.id, normalise_box(r.box, result.size)) for r in regions]
    guessed = {fact.label for (_, fact), m, c in zip(region_facts, matches, crop_tags) if region_unsure(m, c)}
    crop_senses = {t.name: t.sense for tags in crop_tags for t in tags if getattr(t, "sense", None)}
    tag_scores = dict(image.tag_scores)
    for tag in (t for tags in crop_tags for t in tags if hasattr(t, "score")):  # a region's crop: its own tags
        tag_scores[tag.name] = max(tag_scores.get(tag.name, 0.0), float(tag.score))
    return SceneFacts(image.objects, image.tags, region_facts, boxes, image.photo, image.setting, backgrounds,
                      image.unsure | guessed, {**crop_senses, **image.senses}, maybe=dict(image.maybe),
                      size=(rgb.shape[1], rgb.shape[0]), tag_scores=tag_scores, unsure_counts=image.unsure_counts)
