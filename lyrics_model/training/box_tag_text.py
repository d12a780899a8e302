"""The refiner's objects as a token sequence made of whole elements, for stage 1.

The box/tag string ("person [0.10, 0.20, 0.50, 0.90] ; dog [...]") is tokenized element by element
(name, bracket, coordinate, separator), so masked prediction can hide whole elements.
"""

from __future__ import annotations

import torch


def box_tag_elements(labels: list[str], boxes_norm, tags: list[str] | None = None) -> list[str]:
    """Elements of the box/tag string: tags, then per object its name, '[', 4 coordinates, ']'."""
    elements = []
    for tag in tags or []:
        elements += [tag, ","]
    for label, box in zip(labels, boxes_norm):
        elements += [label, "["] + [f"{float(v):.2f}" for v in box] + ["]", ";"]
    return elements


def tokenize_elements(tokenizer, elements: list[str]) -> tuple[list[int], list[int]]:
    """Token ids of the elements (each with a leading space) and, per token, its element index."""
    ids, owner = [], []
    for index, element in enumerate(elements):
        piece = tokenizer(" " + element, add_special_tokens=False).input_ids
        ids += piece
        owner += [index] * len(piece)
    return ids, owner


def mask_whole_elements(ids: torch.Tensor, owner: torch.Tensor, mask_id: int, probability: float = 0.15,
                        generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Mask each element (all its tokens) with `probability`; at least one element is masked.

    ids, owner: (T,) token ids and element index per token. Returns (masked ids, labels) where
    labels are -100 except at masked positions.
    """
    count = int(owner.max()) + 1 if len(owner) else 0
    chosen = torch.rand(count, generator=generator) < probability
    if count and not chosen.any():
        chosen[torch.randint(count, (1,), generator=generator)] = True
    hidden = chosen[owner] if count else torch.zeros(0, dtype=torch.bool)
    masked = ids.clone()
    masked[hidden] = mask_id
    labels = torch.full_like(ids, -100)
    labels[hidden] = ids[hidden]
    return masked, labels
