"""Stage 2, instruction tuning: the LLM is frozen with LoRA adapters; the MQ-Former, the projectors
(and a small vision encoder, if any) train. The question is also fed to the MQ-Former
(InstructBLIP-style) and the loss falls on the answer tokens only. Tasks are mixed in each batch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..dialogue.chat_inputs import bridge_conversation
from ..dialogue.conversation import render
from ..dialogue.soft_prompt import SPLIT
from ..modeling.bridge import LyricsBridge, SceneObjects
from .stage1 import pad_rows


@dataclass
class Stage2Example:
    """One training conversation.

    objects: the refiner's objects; regions: the user's regions as objects (boxes, masks, labels).
    messages: the turns, the last being the answer to learn. region_ids: names of `regions`.
    """

    image: np.ndarray
    objects: SceneObjects
    object_label_embeddings: torch.Tensor
    regions: SceneObjects
    region_label_embeddings: torch.Tensor
    region_ids: list[str]
    messages: list[dict]


@dataclass
class Segment:
    """A piece of the LLM input: text token ids, or a placeholder ("<image>", "<region1>")."""

    ids: list[int] | None = None
    placeholder: str | None = None
    is_answer: bool = False


def segments_for(tokenizer, example: Stage2Example, soft_tokens: bool = True) -> tuple[list[Segment], list[int]]:
    """Split the rendered conversation into text and placeholder segments, and the question's ids."""
    boxes = {rid: [float(v) for v in box] for rid, box in zip(example.region_ids, example.regions.boxes_norm)}
    system, turns = bridge_conversation(example.messages, boxes, soft_tokens)
    prompt = render(tokenizer, system, turns[:-1])
    full = tokenizer.apply_chat_template([{"role": "system", "content": system}] + turns, tokenize=False)
    if not full.startswith(prompt):
        raise ValueError("the chat template does not extend the prompt with the answer")
    segments = []
    for piece in SPLIT.split(prompt):
        if SPLIT.fullmatch(piece or ""):
            segments.append(Segment(placeholder=piece))
        elif piece:
            segments.append(Segment(ids=tokenizer(piece, add_special_tokens=False).input_ids))
    segments.append(Segment(ids=tokenizer(full[len(prompt):], add_special_tokens=False).input_ids, is_answer=True))
    question = tokenizer(example.messages[-2]["content"], add_special_tokens=False).input_ids
    return segments, question


class Stage2Model(nn.Module):
    """Bridge + LoRA-adapted LLM; `forward(examples)` returns the answer-token loss."""

    def __init__(self, bridge: LyricsBridge, llm, soft_tokens: bool = True):
        super().__init__()
        self.bridge = bridge
        self.llm = llm.model
        self.tokenizer = llm.tokenizer
        self.soft_tokens = soft_tokens

    def embed(self, ids: list[int], device) -> torch.Tensor:
        return self.llm.get_input_embeddings()(torch.tensor(ids, dtype=torch.long, device=device))

    def soft_prompts(self, examples: list[Stage2Example], questions: list[list[int]]):
        """Per example: (Q, hidden) image soft tokens and {region id: (1, hidden)} region tokens."""
        bridge = self.bridge
        patches = bridge.encode_images([e.image for e in examples])
        device = patches.device
        padded = [bridge.pad(bridge.encode_objects(p, e.objects, e.object_label_embeddings))
                  for p, e in zip(patches, examples)]
        objects, object_mask = torch.stack([v for v, _ in padded]), torch.stack([m for _, m in padded])
        limit = bridge.config.mq_former.max_text_len
        ids, mask = (t.to(device) for t in pad_rows([q[:limit] for q in questions], 0))
        patch_mask = torch.ones(patches.shape[:2], dtype=torch.bool, device=device)
        soft = bridge.soft_tokens(patches, patch_mask, objects, object_mask, ids, mask)
        regions = []
        for p, e in zip(patches, examples):
            tokens = bridge.region_tokens(bridge.encode_objects(p, e.regions, e.region_label_embeddings))
            regions.append({f"<{rid}>": tokens[i : i + 1] for i, rid in enumerate(e.region_ids)})
        return soft, regions

    def forward(self, examples: list[Stage2Example]) -> torch.Tensor:
        parts = [segments_for(self.tokenizer, e, self.soft_tokens) for e in examples]
        device = next(self.bridge.parameters()).device
        soft, regions = self.soft_prompts(examples, [q for _, q in parts]) if self.soft_tokens else (None, None)
        rows, labels = [], []
        for b, (segments, _) in enumerate(parts):
            pieces, targets = [], []
            for seg in segments:
                if seg.placeholder == "<image>":
                    tokens = soft[b]
                elif seg.placeholder is not None:
                    tokens = regions[b][seg.placeholder]
                else:
                    tokens = self.embed(seg.ids, device)
                pieces.append(tokens)
                targets += seg.ids if seg.is_answer else [-100] * len(tokens)
            rows.append(torch.cat(pieces))
            labels.append(torch.tensor(targets, dtype=torch.long, device=device))
        length = max(len(r) for r in rows)
        hidden = rows[0].shape[-1]
        embeds = torch.zeros(len(rows), length, hidden, device=device, dtype=rows[0].dtype)
        attention = torch.zeros(len(rows), length, dtype=torch.long, device=device)
        target = torch.full((len(rows), length), -100, dtype=torch.long, device=device)
        for i, (row, label) in enumerate(zip(rows, labels)):
            embeds[i, : len(row)], attention[i, : len(row)], target[i, : len(row)] = row, 1, label
        return self.llm(inputs_embeds=embeds, attention_mask=attention, labels=target).loss
