"""Stage 1, representation alignment: the MQ-Former learns to read the image and the refiner's
objects, with four losses summed unweighted (as in Lyrics):

- ITC: image-text contrast, max similarity over query features vs the text [CLS], learnable temperature.
- ITM: image-text matching on positives and hard negatives drawn from the ITC similarities.
- ITG: captioning; the text is the box/tag string then the caption, under a UniLM mask (queries see
  queries; text sees all queries and earlier text); the loss falls on the caption only.
- MSP: masked prediction over the box/tag string, each element masked whole with p = 0.15.

Every batch yields all four terms, even one with nothing to score (a single image gives no ITM pair;
images without objects give no box/tag string to mask): such a term is zero, computed through the same
layers, so every process of a multi-process run reports the same terms (`LOSS_NAMES`).

The vision encoder is trained here only when it is the small `PatchEncoder`; a CLIP stays frozen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..modeling.bridge import LyricsBridge, SceneObjects
from .box_tag_text import box_tag_elements, mask_whole_elements, tokenize_elements


@dataclass
class Stage1Batch:
    """images: B (H, W, 3) uint8. objects / label_embeddings: per image. captions: (B, T) ids with
    [CLS] first and mask (B, T). box_tag: (B, S) element token ids, owner (B, S) element index (-1 pad)."""

    images: list[np.ndarray]
    objects: list[SceneObjects]
    label_embeddings: list[torch.Tensor]
    caption_ids: torch.Tensor
    caption_mask: torch.Tensor
    box_tag_ids: torch.Tensor
    box_tag_owner: torch.Tensor


def special_ids(tokenizer_size: int) -> tuple[int, int]:
    """([CLS] id, [MASK] id): two ids past the tokenizer's vocabulary (the MQ-Former's table has them)."""
    return tokenizer_size, tokenizer_size + 1


def make_stage1_batch(tokenizer, images, objects, label_embeddings, captions, max_len: int) -> Stage1Batch:
    cls_id, _ = special_ids(len(tokenizer))
    caption_rows = [[cls_id] + tokenizer(" " + c, add_special_tokens=False).input_ids[: max_len - 1] for c in captions]
    box_rows = [tokenize_elements(tokenizer, box_tag_elements(o.labels, o.boxes_norm)) for o in objects]
    box_rows = [(ids[:max_len], owner[:max_len]) for ids, owner in box_rows]
    caption_ids, caption_mask = pad_rows([r for r in caption_rows], 0)
    box_ids, _ = pad_rows([ids for ids, _ in box_rows], 0)
    owner, _ = pad_rows([own for _, own in box_rows], -1)
    return Stage1Batch(images, objects, label_embeddings, caption_ids, caption_mask, box_ids, owner)


def pad_rows(rows: list[list[int]], value: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Token id rows -> ((B, T) ids right-padded with `value`, (B, T) bool mask, True = real token)."""
    width = max(1, max(len(r) for r in rows))
    ids = torch.full((len(rows), width), value, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.bool)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        mask[i, : len(row)] = True
    return ids, mask


def unilm_mask(num_queries: int, text_mask: torch.Tensor) -> torch.Tensor:
    """(B, Q+T, Q+T) bool, True = may attend: queries see only queries; text token t sees every
    query and the valid text tokens up to t (BLIP-2's image-grounded generation mask)."""
    batch, length = text_mask.shape
    total = num_queries + length
    allowed = torch.zeros(batch, total, total, dtype=torch.bool, device=text_mask.device)
    allowed[:, :num_queries, :num_queries] = True
    allowed[:, num_queries:, :num_queries] = True
    causal = torch.tril(torch.ones(length, length, dtype=torch.bool, device=text_mask.device))
    allowed[:, num_queries:, num_queries:] = causal[None] & text_mask[:, None, :].bool()
    return allowed


def caption_targets(text: torch.Tensor, is_caption: torch.Tensor) -> torch.Tensor:
    """Next-token targets (B, T-1) for `text` (B, T): the token itself where it is caption, else -100."""
    targets = text[:, 1:].clone()
    targets[~is_caption[:, 1:].bool()] = -100
    return targets


class Stage1Model(nn.Module):
    """The bridge plus the stage-1 heads. `forward(batch)` returns each loss and their sum, always
    under the keys of `loss_names`."""

    loss_names = ("itc", "itm", "itg", "msp", "loss")

    def __init__(self, bridge: LyricsBridge, embed_dim: int = 128, mask_probability: float = 0.15):
        super().__init__()
        self.bridge = bridge
        width = bridge.config.mq_former.hidden_size
        self.vision_proj = nn.Linear(width, embed_dim)
        self.text_proj = nn.Linear(width, embed_dim)
        self.temperature = nn.Parameter(torch.tensor(0.07))
        self.itm_head = nn.Linear(width, 2)
        self.lm_bias = nn.Parameter(torch.zeros(bridge.config.mq_former.vocab_size))
        self.mask_probability = mask_probability

    @property
    def former(self):
        return self.bridge.mq_former

    def scene_inputs(self, batch: Stage1Batch):
        """(B, P, C) patches with mask, (B, O, D) object vectors with mask."""
        patches = self.bridge.encode_images(batch.images)
        vectors = [self.bridge.pad(self.bridge.encode_objects(p, o, e))
                   for p, o, e in zip(patches, batch.objects, batch.label_embeddings)]
        objects = torch.stack([v for v, _ in vectors])
        object_mask = torch.stack([m for _, m in vectors])
        patch_mask = torch.ones(patches.shape[:2], dtype=torch.bool, device=patches.device)
        return patches, patch_mask, objects, object_mask

    def lm_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        return hidden @ self.former.word_embeddings.weight.T + self.lm_bias

    def forward(self, batch: Stage1Batch) -> dict[str, torch.Tensor]:
        scene = self.scene_inputs(batch)
        device = scene[0].device
        captions, caption_mask = batch.caption_ids.to(device), batch.caption_mask.to(device)
        losses = {}
        sim_i2t = self._itc(scene, captions, caption_mask, losses)
        self._itm(scene, captions, caption_mask, sim_i2t, losses)
        self._itg(scene, batch, captions, caption_mask, losses)
        self._msp(scene, batch, losses)
        losses["loss"] = sum(losses.values())
        return losses

    def _itc(self, scene, captions, caption_mask, losses):
        queries, _ = self.former(*scene)
        image_features = F.normalize(self.vision_proj(queries), dim=-1)  # (B, Q, E)
        _, text = self.former(None, None, None, None, input_ids=captions, text_mask=caption_mask, use_queries=False)
        text_features = F.normalize(self.text_proj(text[:, 0]), dim=-1)  # (B, E) from [CLS]
        temperature = self.temperature.clamp(0.001, 0.5)
        sim_i2t = torch.einsum("bqe,te->bqt", image_features, text_features).max(dim=1).values / temperature
        targets = torch.arange(len(captions), device=captions.device)
        losses["itc"] = (F.cross_entropy(sim_i2t, targets) + F.cross_entropy(sim_i2t.T, targets)) / 2
        return sim_i2t

    def _itm(self, scene, captions, caption_mask, sim_i2t, losses):
        batch = len(captions)
        if batch < 2:  # no negative to draw: a zero that still reaches the ITM head's parameters
            losses["itm"] = sum(p.sum() for p in self.itm_head.parameters()) * 0
            return
        with torch.no_grad():
            weights_i2t = F.softmax(sim_i2t.float(), dim=1) + 1e-5
            weights_i2t.fill_diagonal_(0)
            weights_t2i = F.softmax(sim_i2t.T.float(), dim=1) + 1e-5
            weights_t2i.fill_diagonal_(0)
            negative_text = torch.multinomial(weights_i2t, 1)[:, 0]  # a hard negative caption per image
            negative_image = torch.multinomial(weights_t2i, 1)[:, 0]  # a hard negative image per caption
        patches, patch_mask, objects, object_mask = scene
        image_index = torch.cat([torch.arange(batch, device=captions.device), torch.arange(batch, device=captions.device),
                                 negative_image])
        text_index = torch.cat([torch.arange(batch, device=captions.device), negative_text,
                                torch.arange(batch, device=captions.device)])
        queries, _ = self.former(patches[image_index], patch_mask[image_index], objects[image_index],
                                 object_mask[image_index], input_ids=captions[text_index],
                                 text_mask=caption_mask[text_index])
        logits = self.itm_head(queries.mean(dim=1))
        labels = torch.cat([torch.ones(batch), torch.zeros(2 * batch)]).long().to(captions.device)
        losses["itm"] = F.cross_entropy(logits, labels)

    def _itg(self, scene, batch: Stage1Batch, captions, caption_mask, losses):
        device = captions.device
        box_ids, box_mask = batch.box_tag_ids.to(device), batch.box_tag_owner.to(device) >= 0
        text = torch.cat([box_ids, captions[:, 1:]], dim=1)  # box/tag string, then the caption (no [CLS])
        text_mask = torch.cat([box_mask, caption_mask[:, 1:]], dim=1)
        is_caption = torch.zeros_like(text_mask)
        is_caption[:, box_ids.shape[1]:] = caption_mask[:, 1:]
        limit = self.former.config.max_text_len  # position embeddings end here
        text, text_mask, is_caption = text[:, :limit], text_mask[:, :limit], is_caption[:, :limit]
        allowed = unilm_mask(self.former.config.num_queries, text_mask)
        _, hidden = self.former(*scene, input_ids=text, text_mask=text_mask, attention_mask=allowed)
        logits = self.lm_logits(hidden[:, :-1])
        targets = caption_targets(text, is_caption)
        losses["itg"] = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100)

    def _msp(self, scene, batch: Stage1Batch, losses):
        device = scene[0].device
        _, mask_id = special_ids(self.former.config.vocab_size - 2)
        rows, labels = [], []
        for ids, owner in zip(batch.box_tag_ids, batch.box_tag_owner):
            valid = owner >= 0
            masked, label = mask_whole_elements(ids[valid], owner[valid], mask_id, self.mask_probability)
            pad = len(ids) - int(valid.sum())
            rows.append(torch.cat([masked, torch.zeros(pad, dtype=torch.long)]))
            labels.append(torch.cat([label, torch.full((pad,), -100, dtype=torch.long)]))
        masked_ids, targets = torch.stack(rows).to(device), torch.stack(labels).to(device)
        _, hidden = self.former(*scene, input_ids=masked_ids, text_mask=batch.box_tag_owner.to(device) >= 0)
        logits = self.lm_logits(hidden)
        # The mean over masked tokens; zero (same graph) when the batch has no box/tag string at all.
        total = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100,
                                reduction="sum")
        losses["msp"] = total / (targets != -100).sum().clamp(min=1)
