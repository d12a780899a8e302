"""Bridge mode: splice soft tokens into the prompt's embeddings at their placeholders.

`<image>` becomes the bridge's 96 query tokens; `<regionN>` becomes region N's single token, placed
right after each text mention of regionN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

SPLIT = re.compile(r"(<image>|<region\d+>)")


@dataclass
class SoftPrompt:
    """inputs_embeds: (1, L, hidden). attention_mask: (1, L). positions: placeholder -> list of
    (start, end) token spans where its soft tokens sit."""

    inputs_embeds: torch.Tensor
    attention_mask: torch.Tensor
    positions: dict[str, list[tuple[int, int]]]


def mention_regions(messages: list[dict], region_ids: list[str]) -> list[dict]:
    """Put `<regionN>` after every mention of regionN in the user's messages."""
    known = set(region_ids)

    def tag(match: re.Match) -> str:
        return f"{match.group(0)} <{match.group(0)}>" if match.group(0) in known else match.group(0)

    return [
        {"role": m["role"], "content": re.sub(r"\bregion\d+\b", tag, m["content"]) if m["role"] == "user" else m["content"]}
        for m in messages
    ]


def embed_with_soft_tokens(llm, text: str, soft: dict[str, torch.Tensor]) -> SoftPrompt:
    """Embed `text`, replacing each placeholder by its (n, hidden) soft tokens from `soft`."""
    pieces, positions, cursor = [], {}, 0
    for piece in SPLIT.split(text):
        if not piece:
            continue
        if SPLIT.fullmatch(piece):
            tokens = soft[piece].to(llm.device)
        else:
            ids = llm.tokenizer(piece, add_special_tokens=False, return_tensors="pt").input_ids.to(llm.device)
            tokens = llm.embed_tokens(ids)[0]
        if SPLIT.fullmatch(piece):
            positions.setdefault(piece, []).append((cursor, cursor + len(tokens)))
        pieces.append(tokens.to(llm.model.dtype))
        cursor += len(tokens)
    embeds = torch.cat(pieces)[None]
    return SoftPrompt(embeds, torch.ones(embeds.shape[:2], dtype=torch.long, device=embeds.device), positions)
