"""Build the LLM's inputs for one chat turn, in either inference mode.

- grounded-text: the refiner's objects and the user's regions are written into the system prompt.
- bridge: the MQ-Former's soft tokens stand for the image, and each region gets one soft token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os.path import commonprefix

import numpy as np
import torch

from ..modeling.bridge import LyricsBridge, SceneObjects, label_embeddings
from ..refiner.result import RefineResult, normalise_box
from .conversation import SYSTEM_PROMPT, fit_messages, fit_to_context
from .grounded_prompt import ImageFacts, SceneFacts, format_box, scene_facts
from .regions import Region, RegionMatch
from .soft_prompt import embed_with_soft_tokens, mention_regions

#: Bridge mode learns the task from training, so its instruction stays short (fewer tokens to train on).
BRIDGE_SYSTEM_PROMPT = "Answer questions about the image briefly."


@dataclass
class ChatInputs:
    """What one turn sends to the LLM.

    inputs: keyword arguments for `generate` (input_ids or inputs_embeds, attention_mask).
    prompt: the rendered prompt text (placeholders visible in bridge mode).
    dropped_messages: old messages left out to fit the context.
    positions: bridge mode only: placeholder -> token spans of its soft tokens.
    reusable_tokens: grounded-text mode only: how many leading token ids depend on the image alone
        (the system prompt and the image's facts), so that the next question about the image can
        reuse their encoding.
    """

    inputs: dict
    prompt: str
    dropped_messages: int
    positions: dict = field(default_factory=dict)
    reusable_tokens: int = 0


def grounded_inputs(llm, rgb: np.ndarray, result: RefineResult, regions: list[Region],
                    matches: list[RegionMatch | None], crop_tags: list[list], messages: list[dict],
                    max_prompt_tokens: int, image: ImageFacts | None = None, colour_check=None,
                    facts: SceneFacts | None = None) -> ChatInputs:
    """Grounded-text mode: the facts (`image`: the image's region-independent facts when cached;
    colour_check: see `describe_object`; `facts`: the whole facts when the caller has them already) in the
    system prompt, then the conversation, as token ids."""
    facts = facts or scene_facts(rgb, result, regions, matches, crop_tags, question=messages[-1]["content"],
                                 image=image, colour_check=colour_check)
    system = grounded_system(facts.render())
    text, dropped = fit_to_context(llm.tokenizer, system, messages, max_prompt_tokens)
    encoded = llm.tokenizer(text, add_special_tokens=False, return_tensors="pt").to(llm.device)
    return ChatInputs({"input_ids": encoded.input_ids, "attention_mask": encoded.attention_mask}, text, dropped,
                      reusable_tokens=_image_head_tokens(llm.tokenizer, text, encoded.input_ids[0].tolist(),
                                                         system, grounded_system(facts.render_image())))


def grounded_system(facts: str) -> str:
    """The grounded-text system message: the instruction, then the facts block."""
    return SYSTEM_PROMPT + "\n\n" + facts


#: Characters per token assumed when the server's tokenizer is not at hand (English text runs 4-5).
CHARS_PER_TOKEN = 3


def grounded_messages(rgb: np.ndarray, result: RefineResult, regions: list[Region],
                      matches: list[RegionMatch | None], crop_tags: list[list], messages: list[dict],
                      max_prompt_tokens: int, image: ImageFacts | None = None, colour_check=None,
                      facts: SceneFacts | None = None) -> ChatInputs:
    """Grounded-text mode for a language model on a server: the same system prompt and facts as
    `grounded_inputs`, as chat messages (`inputs={"messages": [...]}`) that the server renders with its own
    model's chat template. Old turns are dropped to fit about `max_prompt_tokens` (counted as
    `CHARS_PER_TOKEN` characters each)."""
    facts = facts or scene_facts(rgb, result, regions, matches, crop_tags, question=messages[-1]["content"],
                                 image=image, colour_check=colour_check)
    chat, dropped = fit_messages(grounded_system(facts.render()), messages, max_prompt_tokens * CHARS_PER_TOKEN)
    prompt = "\n\n".join(f"{m['role']}: {m['content']}" for m in chat)
    return ChatInputs({"messages": chat}, prompt, dropped)


def _image_head_tokens(tokenizer, text: str, ids: list[int], system: str, image_system: str) -> int:
    """How many of the prompt's token `ids` come from the chat template's opening and `image_system`
    (the system prompt and the image's facts, the start of `system`); 0 when the template does not
    hold `system` as it is. A head's last token can merge with what follows, so the count is the
    common prefix of both tokenizations."""
    start = text.find(system)
    if start < 0:
        return 0
    head_ids = tokenizer(text[: start + len(image_system)], add_special_tokens=False).input_ids
    return len(commonprefix([head_ids, ids]))


def scene_objects(result: RefineResult) -> SceneObjects:
    detections = result.detections
    boxes = np.array([normalise_box(b, result.size) for b in detections.xyxy], np.float32).reshape(-1, 4)
    return SceneObjects(boxes, detections.mask, result.labels, np.asarray(detections.confidence, np.float32))


def text_objects(texts, size) -> SceneObjects:
    """The lines of text read (`TextLine`s, pixels of the image of `size` (W, H)) as objects for the bridge's
    object queries: each line's box, no mask (its box is pooled), the label `text "STRING"` and the reader's
    score."""
    boxes = np.array([normalise_box(t.box, size) for t in texts], np.float32).reshape(-1, 4)
    labels = [f'text "{t.text[:MAX_TEXT_LABEL]}"' for t in texts]
    return SceneObjects(boxes, None, labels, np.array([t.score for t in texts], np.float32))


#: Characters of a line of text kept in its object label.
MAX_TEXT_LABEL = 40


def region_objects(regions: list[Region], matches: list[RegionMatch | None], size) -> SceneObjects:
    boxes = np.array([normalise_box(r.box, size) for r in regions], np.float32).reshape(-1, 4)
    masks = None
    if regions and all(r.mask is not None for r in regions):
        masks = np.stack([r.mask for r in regions])
    labels = [m.label if m else "region" for m in matches]
    scores = np.array([m.score if m else 1.0 for m in matches], np.float32)
    return SceneObjects(boxes, masks, labels, scores)


def bridge_conversation(messages: list[dict], region_boxes: dict[str, list[float]],
                        soft_tokens: bool = True) -> tuple[str, list[dict]]:
    """The system text and turns of bridge mode (training and inference share it).

    region_boxes: {region id: [x1, y1, x2, y2] in 0-1}. With soft_tokens False (the text-only
    ablation) no placeholders are written, only the region boxes as text.
    """
    image = " <image>" if soft_tokens else " (not shown)"
    lines = [f"{rid}{f' <{rid}>' if soft_tokens else ''} {format_box(box)}" for rid, box in region_boxes.items()]
    system = BRIDGE_SYSTEM_PROMPT + "\nImage:" + image
    if lines:
        system += "\nUser regions: " + "; ".join(lines) + "."
    turns = mention_regions(messages, list(region_boxes)) if soft_tokens else messages
    return system, turns


@torch.no_grad()
def bridge_inputs(llm, bridge: LyricsBridge, rgb: np.ndarray, result: RefineResult, regions: list[Region],
                  matches: list[RegionMatch | None], messages: list[dict], max_prompt_tokens: int,
                  texts=()) -> ChatInputs:
    """The bridge-mode prompt: soft tokens from the image, its objects and the lines of text read (`texts`,
    `TextLine`s in the image's pixels; they join the object queries like any other object), and the regions."""
    boxes = {r.id: normalise_box(r.box, result.size) for r in regions}
    if not bridge.config.soft_tokens:  # the text-only ablation
        system, turns = bridge_conversation(messages, boxes, soft_tokens=False)
        text, dropped = fit_to_context(llm.tokenizer, system, turns, max_prompt_tokens)
        encoded = llm.tokenizer(text, add_special_tokens=False, return_tensors="pt").to(llm.device)
        return ChatInputs({"input_ids": encoded.input_ids, "attention_mask": encoded.attention_mask}, text, dropped)
    patches = bridge.encode_image(rgb)  # (P, C)
    objects = scene_objects(result)
    vectors = bridge.encode_objects(patches, objects, label_embeddings(llm, objects.labels))
    if len(texts):  # a quarter of the object queries at most, kept for text so many objects cannot crowd it out
        room = bridge.config.objects.max_objects
        kept = min(len(texts), max(1, room // 4))
        lines = text_objects(list(texts)[:kept], result.size)
        read = bridge.encode_objects(patches, lines, label_embeddings(llm, lines.labels))
        vectors = torch.cat([vectors[: room - kept], read])
    vectors, valid = bridge.pad(vectors)
    question = llm.tokenizer(messages[-1]["content"], truncation=True, return_tensors="pt",
                             max_length=bridge.config.mq_former.max_text_len).to(patches.device)
    patch_mask = torch.ones(1, len(patches), dtype=torch.bool, device=patches.device)
    soft = {"<image>": bridge.soft_tokens(patches[None], patch_mask, vectors[None], valid[None],
                                          question.input_ids, question.attention_mask.bool())[0]}
    if regions:
        described = region_objects(regions, matches, result.size)
        region_vectors = bridge.encode_objects(patches, described, label_embeddings(llm, described.labels))
        for region, token in zip(regions, bridge.region_tokens(region_vectors)):
            soft[f"<{region.id}>"] = token[None]
    system, turns = bridge_conversation(messages, boxes)
    budget = max_prompt_tokens - sum(len(v) for v in soft.values())
    text, dropped = fit_to_context(llm.tokenizer, system, turns, budget)
    prompt = embed_with_soft_tokens(llm, text, soft)
    return ChatInputs({"inputs_embeds": prompt.inputs_embeds, "attention_mask": prompt.attention_mask}, text,
                      dropped, prompt.positions)
