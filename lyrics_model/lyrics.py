"""`Lyrics`: the public entry point. Load a profile, refine images, segment clicks."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image

from .dialogue import (AnswerReview, ChatInputs, ClipColourCheck, ImageFacts, Reference, best_match, bridge_inputs,
                       check_region_answer, grounded_inputs, grounded_messages, image_facts, in_working_pixels,
                       make_regions, parse_references, regions_discussed, shared_prefix_ids, validate_messages)
from .dialogue.answer_links import AnswerLink
from .dialogue.answer_links import in_photo_pixels as links_in_photo_pixels
from .dialogue.answer_pipeline import answer_stream, understand
from .dialogue.fact_answers import kind_asked
from .dialogue.grounding import ground
from .dialogue.phrase_links import PhraseLink, link_phrases
from .dialogue.question import Thing, parse_question
from .dialogue.scene_facts import dominant_colours, place_words
from .dialogue.worn_colours import add_worn_colours
from .dialogue.text_confirms import confirmed_by_text, disputed_by_text
from .dialogue.grounded_prompt import SceneFacts, scene_facts
from .dialogue.perception import Perception
from .errors import LyricsError, PromptError, TextReaderUnavailable, WeightsUnavailable
from .image_cache import ImageCache
from .image_io import DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE, ImageInput, LoadedImage, load_image
from .modeling import (BatchedGenerator, ClipVisionEncoder, GenerationSettings, LanguageModel, LLMEndpoint,
                       RemoteLanguageModel, inference_dtype, load_bridge, load_language_model)
from .overlay import draw_detections, draw_text_lines, object_labels
from .profiles import PROFILES, Profile, get_profile
from .refiner import RefineResult, VisualRefiner
from .refiner.build import BuiltModel, build_refiner
from .refiner.tag_places import tag_box, window_tags
from .refiner.tags import Tag
from .refiner.text_line import TextLine
from .rle import mask_to_rle

log = logging.getLogger(__name__)

BRIDGE_NEEDS_LOCAL_LLM = ("bridge mode feeds soft tokens into the language model, which an OpenAI-compatible "
                          "server cannot take: use a bridge or a language model URL, not both")


@dataclass
class PointMask:
    """The mask for a set of clicks.

    mask: (H, W) bool at the photo's size. box: its [x1, y1, x2, y2] bounds in the photo's pixels (None if
    empty). score: the segmenter's confidence.
    """

    mask: np.ndarray
    box: list[float] | None
    score: float

    def to_json(self) -> dict:
        return {"mask": mask_to_rle(self.mask), "box": self.box, "score": round(self.score, 4),
                "area": int(self.mask.sum())}


class Lyrics:
    """Lyrics: a visual refiner (tags, boxes, masks) in front of a language model.

    Build one with `Lyrics.from_profile(name)`; it is safe to share between threads (each model
    guards its own state) and keeps per-image work in bounded caches keyed by image content.

    Every coordinate in or out (region boxes and masks, click points, result boxes, masks and sizes,
    answer references) is in pixels of the photo as uploaded (after EXIF orientation). A photo whose
    longer side exceeds `max_side` is processed downscaled (`RefineResult.scale`) and mapped back.

    Args:
        profile: the resolved `Profile`.
        refiner: the `VisualRefiner`.
        built: role -> `BuiltModel` (what `describe()` reports).
        max_pixels, max_side: image size limits passed to `load_image`.
        remote_llm: the language model on an OpenAI-compatible server (grounded-text mode only), or None
            for the profile's LLM in this process.
    """

    def __init__(self, profile: Profile, refiner: VisualRefiner, built: dict[str, BuiltModel],
                 max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int = DEFAULT_MAX_SIDE, requested: str | None = None,
                 llm_weights: str | None = None, bridge_path: str | None = None, max_context_tokens: int = 2048,
                 adapter: str | os.PathLike | None = "default", llm_dtype: str = "auto",
                 remote_llm: RemoteLanguageModel | None = None):
        if remote_llm is not None and bridge_path:
            raise ValueError(BRIDGE_NEEDS_LOCAL_LLM)
        self.remote_llm = remote_llm
        self.profile = profile
        self.refiner = refiner
        self.built = built
        self.max_pixels = max_pixels
        self.max_side = max_side
        self.requested = requested or profile.name
        self.max_context_tokens = max_context_tokens
        self._llm_weights = llm_weights
        self._adapter_request = adapter
        self._llm_dtype = llm_dtype
        self.adapter_path: str | None = None  # the grounded-text adapter merged into the LLM, once loaded
        self._llm: LanguageModel | None = None
        self._llm_fallback: str | None = None
        self._llm_lock = threading.Lock()
        self._generator: BatchedGenerator | None = None
        self._crop_tags: ImageCache[list[Tag]] = ImageCache(256)
        self._window_tags: ImageCache[list] = ImageCache(64)  # image hash -> `window_tags`
        self._image_facts: ImageCache[ImageFacts] = ImageCache(64)
        #: Refine results mapped to the photo's pixels (boxes and compact masks), per image and photo size.
        self._photo_results: ImageCache[RefineResult] = ImageCache(16)
        #: The facts an answer's phrases are linked in, per image and regions (`answer_links` after a chat turn).
        self._link_facts: ImageCache[SceneFacts] = ImageCache(32)
        #: CLIP checks the colours read from pixels where the tagger is a CLIP model (`cpu`, `gpu`).
        self.colour_check = ClipColourCheck(refiner.tagger) if hasattr(refiner.tagger, "encode_text") else None
        #: What the detector and tagger can see: "No, there is no X" only for these (see `unanswerable`).
        self.perception = Perception.of_refiner(refiner)
        self.bridge = None
        self.bridge_path = bridge_path
        if bridge_path:
            vision = None
            if getattr(self.refiner.tagger, "model", None) is not None and hasattr(self.refiner.tagger.model, "visual"):
                vision = ClipVisionEncoder(self.refiner.tagger.model)  # bridges trained on CLIP features
            self.bridge = load_bridge(bridge_path, self.language_model, vision_encoder=vision)

    @classmethod
    def from_profile(cls, name: str | Profile = "auto", weights: dict | None = None, max_objects: int = 20,
                     max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int = DEFAULT_MAX_SIDE,
                     bridge: str | os.PathLike | None = None, max_context_tokens: int = 2048,
                     adapter: str | os.PathLike | None = "default", llm_dtype: str | None = None,
                     llm_url: str | None = None, llm_model: str | None = None,
                     llm_api_key: str | None = None) -> "Lyrics":
        """Load the models of profile `name` ("auto", "offline", "cpu", "gpu" or a `Profile`).

        weights: optional role -> explicit weights file ("tagger", "detector", "segmenter",
            "detector_text", "llm", and "text_reader": a folder of the reader's three ONNX files); these are
            used as given, with no fallback.
        bridge: a trained bridge checkpoint folder (default: `$LYRICS_BRIDGE`); with one, chat runs
            in bridge mode, otherwise in grounded-text mode. The LLM loads on first chat, or at once
            when a bridge is given.
        adapter: the grounded-text LoRA adapter merged into the LLM in grounded-text mode: "default"
            (the one shipped for the profile's LLM, if any), None (the base model), or a folder.
        llm_dtype: the dtype the LLM answers in, grounded-text mode (default: `$LYRICS_LLM_DTYPE`, else
            "auto": bf16 on CPUs with native bf16 and on GPUs, fp32 elsewhere; see `inference_dtype`).
        llm_url: an OpenAI-compatible server's base URL (default: `$LYRICS_LLM_URL`): the language model
            answers there, grounded-text mode only, as the server has it (the adapter is not applied);
            the refiner still runs here. llm_model: the server's model name (default: `$LYRICS_LLM_MODEL`,
            else the first it lists). llm_api_key: default `$LYRICS_LLM_API_KEY`, else `$OPENAI_API_KEY`.
        """
        bridge = bridge if bridge is not None else os.environ.get("LYRICS_BRIDGE") or None
        llm_url = llm_url if llm_url is not None else os.environ.get("LYRICS_LLM_URL") or None
        remote = None
        if llm_url:
            if bridge:
                raise ValueError(BRIDGE_NEEDS_LOCAL_LLM)
            remote = RemoteLanguageModel(LLMEndpoint(llm_url, llm_model or os.environ.get("LYRICS_LLM_MODEL") or None,
                                                     llm_api_key))
        profile = name if isinstance(name, Profile) else get_profile(name)
        name = profile.name if isinstance(name, Profile) else name
        log.info("loading profile %s (requested %s)", profile.name, name)
        refiner, built = build_refiner(profile, weights, max_objects=max_objects)
        return cls(profile, refiner, built, max_pixels=max_pixels, max_side=max_side, requested=name,
                   llm_weights=(weights or {}).get("llm"), bridge_path=bridge, max_context_tokens=max_context_tokens,
                   adapter=adapter, llm_dtype=llm_dtype or os.environ.get("LYRICS_LLM_DTYPE", "auto"),
                   remote_llm=remote)

    @property
    def mode(self) -> str:
        """"bridge" when a trained bridge checkpoint is loaded, else "grounded-text"."""
        return "bridge" if self.bridge is not None else "grounded-text"

    @property
    def language_model_loaded(self) -> bool:
        """True once chat can answer without loading a model first (at once with a server)."""
        return self._llm is not None or self.remote_llm is not None

    @property
    def language_model(self) -> LanguageModel:
        """The profile's LLM, loaded on first use (falls back to the offline LLM without weights)."""
        if self.remote_llm is not None:
            raise LyricsError(f"the language model runs on the server at {self.remote_llm.host}, not in this process")
        with self._llm_lock:
            if self._llm is None:
                choice = self.profile.llm
                try:
                    self._llm = load_language_model(choice.kind, choice.name, self._llm_weights, self.profile.device)
                except WeightsUnavailable as err:
                    if self._llm_weights is not None or self.profile.name == "offline":
                        raise
                    fallback = PROFILES["offline"].llm
                    log.warning("llm: %s is unavailable (%s); falling back to the offline model %s",
                                choice.name, err, fallback.name)
                    self._llm = load_language_model(fallback.kind, fallback.name)
                    self._llm_fallback = str(err)
                self._merge_adapter()
                if not self.bridge_path:  # a bridge answers in the dtype it was trained with
                    self._llm.model.to(inference_dtype(self.profile.device, self._llm_dtype))
            return self._llm

    #: The most answers decoded together (answers beyond it wait for a free row).
    max_batch = 8

    @property
    def generator(self) -> BatchedGenerator | RemoteLanguageModel:
        """Decodes the answers of concurrent `chat_stream` calls together (continuous batching), or asks
        the language model's server for them."""
        if self.remote_llm is not None:
            return self.remote_llm
        llm = self.language_model
        with self._llm_lock:
            if self._generator is None:
                prefix = None if self.bridge_path else shared_prefix_ids(llm.tokenizer)
                self._generator = BatchedGenerator(llm, max_batch=self.max_batch, shared_prefix=prefix)
            return self._generator

    def _merge_adapter(self) -> None:
        """Merge the grounded-text adapter into the freshly loaded LLM (grounded-text mode only)."""
        request = self._adapter_request
        if request is None or self.bridge_path:
            return
        if request == "default":  # the adapter shipped for the LLM that loaded; none for your own weights
            if self._llm_weights is not None:
                return
            request = (PROFILES["offline"] if self._llm_fallback else self.profile).adapter_path()
            if request is None:
                return
        if not (Path(request) / "adapter_config.json").is_file():
            raise WeightsUnavailable(f"{request} is not a LoRA adapter folder (no adapter_config.json)")
        self._llm.merge_adapter(request)
        self.adapter_path = str(request)
        log.info("llm: merged the grounded-text adapter %s", request)

    def describe(self) -> dict:
        """Profile, and per role: model, weights file, where they came from, licence, fallback reason."""
        return {
            "profile": self.profile.name,
            "requested_profile": self.requested,
            "description": self.profile.description,
            "roles": {**{role: built.info() for role, built in self.built.items()}, "llm": self._llm_info()},
            "mode": self.mode,
            "bridge": str(self.bridge_path) if self.bridge is not None else None,
        }

    def _llm_info(self) -> dict:
        if self.remote_llm is not None:
            return {"model": self.remote_llm.model_name or "the server's default model", "weights": None,
                    "origin": f"OpenAI-compatible server at {self.remote_llm.host}", "licence": "set by the server",
                    "fallback": None, "adapter": None, "endpoint": self.remote_llm.host,
                    "note": "the server's model answers as it is: the grounded-text adapter shipped for the "
                            "in-process SmolLM2 is not applied"}
        choice = self.profile.llm if self._llm_fallback is None else PROFILES["offline"].llm
        info = {"model": choice.name, "weights": None, "origin": "not loaded yet (loads on first chat)",
                "licence": choice.licence, "fallback": self._llm_fallback, "adapter": self.adapter_path}
        if self._llm is not None:
            source = self._llm.source
            info.update(model=self._llm.name, weights=str(source.path) if source else None,
                        origin=source.origin if source else "unknown",
                        dtype=str(self._llm.model.get_input_embeddings().weight.dtype).removeprefix("torch."))
        return info

    def load(self, image: ImageInput) -> LoadedImage:
        """Decode `image` (path, bytes, PIL image or array) with this instance's size limits. Pass the
        `LoadedImage` to later calls to skip decoding the photo again."""
        return load_image(image, max_pixels=self.max_pixels, max_side=self.max_side)

    def refine(self, image: ImageInput, read_text: bool = False) -> RefineResult:
        """Tags, boxes and masks for `image`, in the photo's pixels. Raises ImageError for unusable input.

        read_text: also the lines of text (`RefineResult.texts`, read once per image, about a second on
        2 cores); where no reader can read them, `texts` stays None and `notices` says why.
        """
        loaded = self.load(image)
        return self._in_photo_pixels(loaded, self.refiner.refine(loaded.rgb, read_text=read_text))

    def read_text(self, image: ImageInput) -> list[TextLine]:
        """The lines of text in `image` (string, 0-1 score, box [x1, y1, x2, y2] and (4, 2) polygon in the
        photo's pixels), in reading order; read once per image and cached, at most 32 lines of at most 80
        characters. An empty list: no text could be read. Raises TextReaderUnavailable when no reader is
        loaded or reading failed, ImageError for unusable input."""
        loaded = self.load(image)
        return loaded.frame.lines_out(self.refiner.read_text(loaded.rgb))

    def _in_photo_pixels(self, loaded: LoadedImage, working: RefineResult) -> RefineResult:
        """The refiner's working-image result as callers see it: the photo's pixels, the load notices."""
        frame = loaded.frame
        key = f"{working.image_hash}:{frame.photo_size[0]}x{frame.photo_size[1]}"
        result = working
        if not frame.identity:  # the masks' mapping is cached; text lines and notices are cheap to map
            result = self._photo_results.get_or_compute(
                key, lambda: replace(working, texts=None, notices=[]).in_photo_pixels(frame))
            if working.texts is not None or working.notices:
                result = replace(result, texts=None if working.texts is None else frame.lines_out(working.texts),
                                 timings_ms=working.timings_ms, notices=list(working.notices))
        return _with_notices(result, loaded.notices) if loaded.notices else result

    def segment_point(self, image: ImageInput, points, labels) -> PointMask:
        """Mask from clicks: points [(x, y), ...] in the photo's pixels, labels [1 = object, 0 = background].

        Reuses the image's cached embedding (and refined boxes when present): a second click on the
        same image costs only the mask decoder. Raises PromptError for points outside the image.
        """
        loaded = self.load(image)
        frame = loaded.frame
        mask, score = self.refiner.segment_point(loaded.rgb, frame.points_in(points), labels)
        mask = frame.mask_out(mask)
        return PointMask(mask, _mask_box(mask), score)

    def prepare_chat(self, image: ImageInput, messages: list[dict], regions=None) -> tuple[ChatInputs, RefineResult, list]:
        """Refine (cached) and build the LLM inputs for the next answer.

        Returns (ChatInputs, RefineResult, regions as `Region`s), the last two in the photo's pixels.
        Raises PromptError for bad messages or regions, ImageError for a bad image.
        """
        loaded, result, messages = self._refine_for_chat(image, messages)
        inputs, photo_regions = self._chat_inputs(loaded, result, messages, regions)
        return inputs, self._in_photo_pixels(loaded, result), photo_regions

    def _refine_for_chat(self, image: ImageInput, messages: list[dict]) -> tuple[LoadedImage, RefineResult, list[dict]]:
        """The loaded image, its working-image refine result (cached) and the validated messages."""
        loaded = self.load(image)
        messages = validate_messages(messages)  # before refining: a bad message fails at once
        return loaded, self.refiner.refine(loaded.rgb), messages

    def _chat_inputs(self, loaded: LoadedImage, result: RefineResult, messages: list[dict],
                     regions, scene: SceneFacts | None = None) -> tuple[ChatInputs, list]:
        """`prepare_chat` once the image is refined (`result` in working pixels): the prompt for validated
        `messages`, and the regions validated in the photo's pixels. `scene`: the facts for these regions and
        the last question when already computed (`_scene_facts`), so grounded-text mode does not compute them again."""
        photo_regions = make_regions(regions, loaded.original_size)
        user_regions = in_working_pixels(photo_regions, loaded.frame)
        rgb = loaded.rgb
        matches = [best_match(r, result) for r in user_regions]
        budget = self.max_context_tokens - self._generation_budget
        if self.bridge is not None:
            inputs = bridge_inputs(self.language_model, self.bridge, rgb, result, user_regions, matches, messages, budget,
                                   texts=scene.texts if scene is not None else ())
        else:
            crop_tags = [self._region_tags(rgb, result.image_hash, r.box) for r in user_regions]
            facts = self._facts_of_image(loaded, result)
            if self.remote_llm is not None:  # the same facts, as chat messages for the server
                inputs = grounded_messages(rgb, result, user_regions, matches, crop_tags, messages, budget,
                                           image=facts, colour_check=self.colour_check, facts=scene)
            else:
                inputs = grounded_inputs(self.language_model, rgb, result, user_regions, matches, crop_tags, messages,
                                         budget, image=facts, colour_check=self.colour_check, facts=scene)
        return inputs, photo_regions

    _generation_budget = 256  # tokens kept free for the answer when fitting the prompt

    def chat_stream(self, image: ImageInput, messages: list[dict], regions=None,
                    stop_event: threading.Event | None = None, **generation) -> Iterator[str]:
        """Stream the answer to the last user message as text chunks.

        messages: [{"role": "user"|"assistant", "content": str}, ...] ending with the user's question.
        regions: masks ((H, W) bool at the photo's size, or their COCO RLE) or boxes ([x1, y1, x2, y2] in the
            photo's pixels), referred to as region1, region2...
        generation: max_new_tokens, temperature (0 = greedy, deterministic), top_p, repetition_penalty.
        Set `stop_event` (or close the iterator) to stop early.

        Answers, in both chat modes, pass one pipeline (`dialogue.answer_pipeline`): the question is
        typed with a role for every word (`dialogue.question`), its kind's policy (`dialogue.answer_policy`)
        says which facts to compute and who answers. Counts, colours, places, regions, relations, what a
        photo shows and its text are read off the facts; what no model here perceives (an action, a
        state, a part of a thing) is "I can't tell ...; I can see ..."; descriptions are generated and
        each sentence is shown once it names only what the models are sure of; greetings stream as
        generated.
        """
        settings = GenerationSettings.from_kwargs(**generation)
        loaded, result, messages = self._refine_for_chat(image, messages)  # seconds for a new image: not announced
        question, policy = understand(messages[-1]["content"])
        facts = None
        if policy.facts != "none":
            facts = self._scene_facts(loaded, result, regions, messages[-1]["content"],
                                      read_text=policy.facts == "scene+text")
            if (thing := kind_asked(question)) is not None:
                self._add_crop_kinds(loaded, result, facts, thing)
            if question.kind == "identify" and question.category:
                self._add_window_tags(loaded, result, facts)
            if question.kind == "location" and question.subject is not None:
                self._add_tag_places(loaded, result, facts, question.subject)
            if question.kind == "colour" and question.subject is not None:
                self._add_tag_colours(loaded, result, facts, question.subject)
                add_worn_colours(loaded.rgb, facts, question.subject)
            key = _facts_key(result, regions)  # the same objects and regions the answer's phrases link to
            self._link_facts.get_or_compute(key, lambda: facts)

        def generate() -> Iterator[str]:
            generator = self.generator
            with generator.expecting():  # answers queued meanwhile wait for this prompt: one encoding pass
                inputs, _ = self._chat_inputs(loaded, result, messages, regions, scene=facts)
                return generator.stream(inputs.inputs, settings, stop_event, reusable=inputs.reusable_tokens)

        yield from answer_stream(question, policy, facts, self.perception, generate, stop_event)

    def _facts_of_image(self, loaded: LoadedImage, result: RefineResult) -> ImageFacts:
        """The image's region-independent facts (`image_facts`, with the tags its probe windows confirm), computed
        once per image; `result` in working pixels."""
        return self._image_facts.get_or_compute(
            result.image_hash, lambda: image_facts(loaded.rgb, result, self.colour_check,
                                                   window_tags=self._tags_by_window(loaded, result)))

    def _scene_facts(self, loaded: LoadedImage, result: RefineResult, regions, question: str,
                     read_text: bool = False) -> SceneFacts:
        """The facts grounded-text mode states for this image, regions (in the photo's pixels) and question
        (image facts cached), computed in either chat mode to answer from; `result` in working pixels.
        read_text: also read the image's text (once per image, cached by the refiner) where a reader is loaded."""
        rgb = loaded.rgb
        user_regions = in_working_pixels(make_regions(regions, loaded.original_size), loaded.frame)
        matches = [best_match(r, result) for r in user_regions]
        crop_tags = [self._region_tags(rgb, result.image_hash, r.box) for r in user_regions]
        image = self._facts_of_image(loaded, result)
        facts = scene_facts(rgb, result, user_regions, matches, crop_tags, question=question, image=image,
                            colour_check=self.colour_check)
        if read_text and self.refiner.can_read_text:
            try:
                facts.texts, facts.can_read = list(self.refiner.read_text(rgb, result.image_hash)), True
            except TextReaderUnavailable as err:  # reading this photo failed: its text is unknown, not absent
                log.warning("text reader: %s", err)
        elif self.refiner.can_read_text and (read := self.refiner.text_cache.get(result.image_hash)) is not None:
            facts.texts, facts.can_read = list(read[0]), True  # already read (the demo reads after the first paint)
        if facts.can_read:  # a stop sign reading "STOP" is one; a big one reading nothing may be none
            facts.unsure = (facts.unsure - confirmed_by_text(facts.objects, facts.texts)) | \
                disputed_by_text(facts.objects, facts.texts, self.perception.senses_of)
        return facts

    def chat(self, image: ImageInput, messages: list[dict], regions=None, **generation) -> str:
        """The whole answer to the last user message (see `chat_stream`)."""
        return "".join(self.chat_stream(image, messages, regions, **generation))

    def references(self, image: ImageInput, answer: str, regions=None) -> list[Reference]:
        """Boxes and objN/regionN mentions in `answer`, as boxes in the photo's pixels (for drawing)."""
        result = self.refine(image)
        return parse_references(answer, result, make_regions(regions, result.size))

    def answer_links(self, image: ImageInput, answer: str, regions=None,
                     history: list[dict] | None = None) -> list[AnswerLink]:
        """The phrases of `answer` that name refined objects or the user's regions, each with its [start, end)
        character span in `answer` and, per thing it names, its id, box ([x1, y1, x2, y2]) and COCO RLE mask,
        both in the photo's pixels (see `dialogue.phrase_links` for what links and what never does).

        regions: as for `chat_stream`. history: the messages before `answer` ([{"role", "content"}]); its
        last assistant answers settle what "it" and "they" stand for. Cached refining: costs the phrase
        grounding only (a few milliseconds) once the image has been chatted about.
        """
        if not isinstance(answer, str):
            raise PromptError("answer must be a string")
        loaded = self.load(image)
        working = self.refiner.refine(loaded.rgb)
        facts = self._link_facts.get_or_compute(_facts_key(working, regions),
                                                lambda: self._scene_facts(loaded, working, regions, ""))
        links = self.phrase_links(answer, facts, history)
        return links_in_photo_pixels(links, self._in_photo_pixels(loaded, working),
                                     make_regions(regions, loaded.original_size))

    #: Earlier answers read for what "it" and "they" stand for.
    _LINKED_HISTORY = 3

    def phrase_links(self, answer: str, facts: SceneFacts, history: list[dict] | None = None) -> list[PhraseLink]:
        """`answer`'s phrase links in `facts` (ids only, see `dialogue.phrase_links.link_phrases`), the last
        assistant answers of `history` linked first for its pronouns; its last question settles which region a
        "What is region1?" answer names."""
        previous = None
        messages = [m for m in history or [] if isinstance(m, dict) and isinstance(m.get("content"), str)]
        earlier = [m["content"] for m in messages if m.get("role") == "assistant"]
        for text in earlier[-self._LINKED_HISTORY:]:
            previous = link_phrases(text, facts, self.perception, previous)
        asked = [m["content"] for m in messages if m.get("role") == "user"]
        question = parse_question(asked[-1]) if asked else None  # "What is region1?": the answer names region1
        about = question.regions[0] if question is not None and question.kind in ("region", "describe thing") \
            and question.regions else None
        return link_phrases(answer, facts, self.perception, previous, about)

    def review_answer(self, image: ImageInput, question: str, answer: str, regions=None) -> AnswerReview:
        """What `answer` points at (references) and, for each region the question or answer discusses,
        the refiner's best-overlapping object next to the classes the answer names (checks).

        regions: as for `chat_stream` (masks or pixel boxes; a dict keeps its region ids).
        """
        loaded = self.load(image)
        working = self.refiner.refine(loaded.rgb)
        result = self._in_photo_pixels(loaded, working)
        user_regions = make_regions(regions, result.size)
        # Overlaps are measured on the working image: no full-size masks are decoded for them.
        matches = {r.id: best_match(r, working) for r in in_working_pixels(user_regions, loaded.frame)}
        discussed = regions_discussed(question, answer, list(matches))
        return AnswerReview(parse_references(answer, result, user_regions),
                            [check_region_answer(answer, rid, matches[rid]) for rid in discussed])

    def _add_crop_kinds(self, loaded: LoadedImage, result: RefineResult, facts: SceneFacts, thing: str) -> None:
        """Add to `facts.tag_scores` (and `senses`) the tagger's tags of the crop of each stated object that is a
        `thing` ("dog"): which kind of dog each is shows in its own crop far better than in the whole photo,
        where other things share the tagger's score. A name keeps its best score over the crops."""
        for fact in facts.objects:
            if not self.perception.covers(fact.label, thing, facts.senses.get(fact.label)):
                continue
            for tag in self._region_tags(loaded.rgb, result.image_hash, fact.box):
                facts.tag_scores[tag.name] = max(facts.tag_scores.get(tag.name, 0.0), float(tag.score))
                if getattr(tag, "sense", None):
                    facts.senses.setdefault(tag.name, tag.sense)

    def _add_tag_places(self, loaded: LoadedImage, result: RefineResult, facts: SceneFacts, thing: Thing) -> None:
        """Add to `facts.tag_places` where the tagger finds each tag `thing` grounds to ("the lighthouse" ->
        "beacon"), where no box outlines it (`refiner.tag_places`: 9 tagger runs per tag, cached per image)."""
        height, width = loaded.rgb.shape[:2]
        for name, box in self._unoutlined_tag_boxes(loaded, result, facts, thing):
            facts.tag_places[name] = place_words(box, (width, height))

    def _add_tag_colours(self, loaded: LoadedImage, result: RefineResult, facts: SceneFacts, thing: Thing) -> None:
        """Add to `facts.tag_colours` the colours of each tag `thing` grounds to where no box outlines it ("the
        sign" -> "street sign"): the segmenter outlines the main thing in the window where the tagger finds the
        tag most (`refiner.tag_places`), and that outline's pixels give its colours (the window's own where the
        segmenter finds nothing in it). Costs one segmentation per tag (milliseconds with GrabCut)."""
        height, width = loaded.rgb.shape[:2]
        for name, box in self._unoutlined_tag_boxes(loaded, result, facts, thing):
            window = np.array([max(0.0, box[0]), max(0.0, box[1]), min(width, box[2]), min(height, box[3])],
                              dtype=np.float32)
            masks, _ = self.refiner.segmenter.segment_boxes(loaded.rgb, result.image_hash, window[None])
            mask = masks[0] if len(masks) and masks[0].any() else None
            facts.tag_colours[name] = dominant_colours(loaded.rgb, mask, window, label=name)

    def _unoutlined_tag_boxes(self, loaded: LoadedImage, result: RefineResult, facts: SceneFacts,
                              thing: Thing) -> list[tuple[str, tuple[float, float, float, float]]]:
        """(tag, window box in working pixels) for each tag `thing` grounds to where no stated object does,
        and the tagger finds it somewhere (`refiner.tag_places.tag_box`)."""
        grounded = ground(thing, facts, self.perception)
        if grounded.objects or not grounded.tags:
            return []
        height, width = loaded.rgb.shape[:2]
        tags_by_window = self._tags_by_window(loaded, result)
        boxes = [(name, tag_box(tags_by_window, (width, height), name)) for name in grounded.tags]
        return [(name, box) for name, box in boxes if box is not None]

    def _add_window_tags(self, loaded: LoadedImage, result: RefineResult, facts: SceneFacts) -> None:
        """Add to `facts.window_tags` every name the tagger gives a window of the photo (`refiner.tag_places`),
        with its score in each window that gives it, and its sense to `facts.senses` where no stated thing has that
        name (a detected cup stays a vessel, whatever sense the tagger's "cup" class has)."""
        stated = {o.label for o in facts.objects} | {f.label for _, f in facts.regions} | set(facts.tags)
        for tags in self._tags_by_window(loaded, result):
            for tag in tags:
                facts.window_tags.setdefault(tag.name, []).append(float(tag.score))
                if getattr(tag, "sense", None) and tag.name not in stated:
                    facts.senses.setdefault(tag.name, tag.sense)

    def _tags_by_window(self, loaded: LoadedImage, result: RefineResult) -> list[list[Tag]]:
        """The tagger's tags of each of the photo's 9 probe windows (`refiner.tag_places.window_tags`), computed
        once per image (9 tagger runs, about 0.1-0.2 s offline)."""
        return self._window_tags.get_or_compute(result.image_hash,
                                                lambda: window_tags(self.refiner.tagger.tag, loaded.rgb))

    def _region_tags(self, rgb: np.ndarray, image_key: str, box) -> list[Tag]:
        """Top 3 tagger tags (name and score) of a region's crop (cached per image and box)."""
        x1, y1, x2, y2 = [int(round(v)) for v in box]
        key = f"{image_key}:{x1},{y1},{x2},{y2}"

        def compute() -> list[Tag]:
            crop = rgb[max(0, y1) : max(y1 + 1, y2), max(0, x1) : max(x1 + 1, x2)]
            return list(self.refiner.tagger.tag(np.ascontiguousarray(crop))[:3])

        return self._crop_tags.get_or_compute(key, compute)

    def clear_caches(self) -> None:
        """Forget all per-image work (refine results and their photo-pixel views, segmenter embeddings,
        region tags, image facts and their encoding by the LLM)."""
        self.refiner.cache.clear()
        self.refiner.text_cache.clear()
        self._photo_results.clear()
        if self._generator is not None:
            self._generator.clear_prefixes()
        self._crop_tags.clear()
        self._window_tags.clear()
        self._image_facts.clear()
        self._link_facts.clear()
        self.refiner.segmenter.clear_cache()

    def overlay(self, image: ImageInput, result: RefineResult | None = None, **layers) -> np.ndarray:
        """(H, W, 3) uint8 picture of `image` at the photo's size with the refiner's masks, boxes and labels
        drawn (`result`: from `refine`, in the photo's pixels), and its text lines when it holds them
        (`refine(..., read_text=True)`). A photo processed downscaled is drawn on its working image scaled
        back up."""
        loaded = self.load(image)
        result = result or self.refine(loaded)
        picture = loaded.rgb
        if not loaded.frame.identity:
            picture = np.asarray(Image.fromarray(picture).resize(loaded.original_size, Image.Resampling.BILINEAR))
        labels = object_labels(result.object_ids(), result.labels, result.detections.confidence)
        picture = draw_detections(picture, result.detections, labels=labels, **layers)
        return draw_text_lines(picture, result.texts or [], result.text_ids())


def _facts_key(result: RefineResult, regions) -> str:
    """A cache key for an image's facts with these regions (masks, RLEs or boxes in the photo's pixels)."""
    digest = hashlib.sha1()
    items = regions.items() if isinstance(regions, dict) else enumerate(regions or [])
    for name, region in items:
        digest.update(str(name).encode())
        if isinstance(region, dict):
            digest.update(json.dumps(region, sort_keys=True, default=str).encode())
        else:
            array = np.asarray(region)
            digest.update(f"{array.shape}{array.dtype}".encode())
            digest.update(np.packbits(array).tobytes() if array.dtype == bool else array.tobytes())
    return f"{result.image_hash}:{digest.hexdigest()}"


def _mask_box(mask: np.ndarray) -> list[float] | None:
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


def _with_notices(result: RefineResult, notices: list[str]) -> RefineResult:
    """`result` with the load's `notices` first, then the refiner's own (a text reader that could not read)."""
    return replace(result, notices=[*notices, *result.notices])
