"""MQ-Former: a BLIP-2 Q-Former with two query groups, as in Lyrics.

96 learnable queries = 32 ViT queries + 64 object queries. Every layer runs self-attention over
all queries plus optional text (the instruction, InstructBLIP-style); every `cross_attention_freq`-th
layer adds cross-attention in which the ViT queries attend the image patch features and the object
queries attend the object vectors, each group with its own key/value projections. Text tokens skip
cross-attention, as in BLIP-2.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass
class MQFormerConfig:
    """Sizes of the MQ-Former. Defaults are BERT-base-like (the paper's); tests use tiny ones.

    vision_width: channels of the image patch features. object_width: width of the object vectors.
    vocab_size / max_text_len: the text embedding table (the LLM tokenizer's vocabulary).
    """

    hidden_size: int = 768
    num_layers: int = 12
    num_heads: int = 12
    intermediate_size: int = 3072
    cross_attention_freq: int = 2
    num_vit_queries: int = 32
    num_object_queries: int = 64
    vision_width: int = 1280
    object_width: int = 256
    vocab_size: int = 49152
    max_text_len: int = 128
    dropout: float = 0.1
    layer_norm_eps: float = 1e-12

    @property
    def num_queries(self) -> int:
        return self.num_vit_queries + self.num_object_queries

    def to_dict(self) -> dict:
        return asdict(self)


class FeedForward(nn.Module):
    def __init__(self, config: MQFormerConfig):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                 nn.Linear(config.intermediate_size, config.hidden_size), nn.Dropout(config.dropout))
        self.norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x + self.net(x))


class Attention(nn.Module):
    """Multi-head attention with a residual and post-LayerNorm (BERT style).

    `source_width` sets the key/value input width (the hidden size for self-attention).
    """

    def __init__(self, config: MQFormerConfig, source_width: int | None = None):
        super().__init__()
        source_width = source_width or config.hidden_size
        self.attention = nn.MultiheadAttention(config.hidden_size, config.num_heads, dropout=config.dropout,
                                               kdim=source_width, vdim=source_width, batch_first=True)
        self.norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x, source, attn_mask=None, key_padding_mask=None, return_weights=False):
        """x (B, Lq, D); source (B, Lk, Ds); attn_mask (B*heads or B, Lq, Lk) bool, True = blocked;
        key_padding_mask (B, Lk) bool, True = padding. Returns (B, Lq, D) [and (B, Lq, Lk) weights]."""
        out, weights = self.attention(x, source, source, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                                      need_weights=return_weights, average_attn_weights=True)
        out = self.norm(x + self.dropout(out))
        return (out, weights) if return_weights else out


class MQCrossAttention(nn.Module):
    """Cross-attention split by query group: ViT queries -> patch features, object queries -> objects."""

    def __init__(self, config: MQFormerConfig):
        super().__init__()
        self.num_vit_queries = config.num_vit_queries
        self.vit = Attention(config, config.vision_width)
        self.objects = Attention(config, config.object_width)

    def forward(self, queries, vision, vision_mask, objects, object_mask, return_weights=False):
        """queries (B, Q, D); vision (B, P, Dv) with vision_mask (B, P) True = valid; objects (B, O, Do)
        with object_mask (B, O) True = valid. Returns (B, Q, D) [and the two attention maps]."""
        vit_q, obj_q = queries[:, : self.num_vit_queries], queries[:, self.num_vit_queries :]
        outputs, weights = [], []
        for group, group_queries, source, valid in ((self.vit, vit_q, vision, vision_mask),
                                                    (self.objects, obj_q, objects, object_mask)):
            if group_queries.shape[1] == 0:  # an ablation without this query group
                weights.append(None)
                continue
            out, attn = group(group_queries, source, key_padding_mask=_padding(valid), return_weights=True)
            outputs.append(out)
            weights.append(attn)
        out = torch.cat(outputs, dim=1)
        return (out, tuple(weights)) if return_weights else out


def _padding(valid: torch.Tensor) -> torch.Tensor:
    """(B, L) True = valid -> key padding mask; a row with nothing valid attends its first slot
    (whose value is then ignored by the caller) instead of producing NaNs."""
    padding = ~valid.bool()
    empty = padding.all(dim=1)
    if empty.any():
        padding = padding.clone()
        padding[empty, 0] = False
    return padding


class MQFormerLayer(nn.Module):
    def __init__(self, config: MQFormerConfig, has_cross_attention: bool):
        super().__init__()
        self.self_attention = Attention(config)
        self.cross_attention = MQCrossAttention(config) if has_cross_attention else None
        self.query_ffn = FeedForward(config)
        self.text_ffn = FeedForward(config)

    def forward(self, hidden, num_queries, attn_mask, vision, vision_mask, objects, object_mask):
        hidden = self.self_attention(hidden, hidden, attn_mask=attn_mask)
        queries, text = hidden[:, :num_queries], hidden[:, num_queries:]
        if self.cross_attention is not None and num_queries:
            queries = self.cross_attention(queries, vision, vision_mask, objects, object_mask)
        return torch.cat([self.query_ffn(queries), self.text_ffn(text)], dim=1)


class MQFormer(nn.Module):
    """Queries + optional text -> (B, Q, D) query outputs and (B, T, D) text outputs."""

    def __init__(self, config: MQFormerConfig):
        super().__init__()
        self.config = config
        self.queries = nn.Parameter(torch.randn(1, config.num_queries, config.hidden_size) * 0.02)
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.position_embeddings = nn.Embedding(config.max_text_len, config.hidden_size)
        self.embed_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.layers = nn.ModuleList(
            MQFormerLayer(config, has_cross_attention=(i % config.cross_attention_freq == 0))
            for i in range(config.num_layers)
        )
        for table in (self.word_embeddings, self.position_embeddings):
            nn.init.normal_(table.weight, std=0.02)  # BERT's initialisation; N(0, 1) makes tied logits explode

    def embed_text(self, input_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        return self.embed_norm(self.word_embeddings(input_ids) + self.position_embeddings(positions))

    def forward(self, vision, vision_mask, objects, object_mask, input_ids=None, text_mask=None,
                attention_mask=None, use_queries=True):
        """Run the MQ-Former.

        Args:
            vision: (B, P, vision_width) image patch features; vision_mask (B, P) bool, True = valid.
            objects: (B, O, object_width) object vectors; object_mask (B, O) bool, True = valid.
            input_ids: optional (B, T) text token ids (instruction or caption); text_mask (B, T), True = valid.
            attention_mask: optional (B, Q+T, Q+T) bool, True = may attend; overrides the default
                (everything attends everything valid). Used for the causal/UniLM masks of training.
            use_queries: False runs text alone (the text encoder of ITC).
        Returns:
            (query_out (B, Q, D) or None, text_out (B, T, D) or None).
        """
        batch = vision.shape[0] if vision is not None else input_ids.shape[0]
        parts = [self.queries.expand(batch, -1, -1)] if use_queries else []
        num_queries = self.config.num_queries if use_queries else 0
        if input_ids is not None:
            parts.append(self.embed_text(input_ids))
        hidden = torch.cat(parts, dim=1)
        total = hidden.shape[1]
        if attention_mask is None:
            valid = torch.ones(batch, total, dtype=torch.bool, device=hidden.device)
            if text_mask is not None:
                valid[:, num_queries:] = text_mask.bool()
            attention_mask = valid[:, None, :].expand(batch, total, total)
        blocked = ~attention_mask.bool()
        blocked = blocked & ~torch.eye(total, dtype=torch.bool, device=hidden.device)  # a token may always see itself
        blocked = blocked.repeat_interleave(self.config.num_heads, dim=0)
        for layer in self.layers:
            hidden = layer(hidden, num_queries, blocked, vision, vision_mask, objects, object_mask)
        query_out = hidden[:, :num_queries] if use_queries else None
        text_out = hidden[:, num_queries:] if input_ids is not None else None
        return query_out, text_out
