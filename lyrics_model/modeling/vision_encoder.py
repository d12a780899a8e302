"""Global image features for the ViT queries: (B, P, C) patch tokens plus a (C, h, w) map for pooling.

Two encoders:
- `ClipVisionEncoder`: the profile's frozen open_clip ViT (cpu and gpu profiles).
- `PatchEncoder`: a small ViT trained with the bridge. The offline profile ships no CLIP weights,
  and OpenCV 5's DNN engine fuses the SSD-MobileNet graph so that its intermediate feature maps are
  not exposed in a usable shape; a small encoder that learns in stage 1 is the honest option there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from PIL import Image
from torch import nn

MEAN = (0.48145466, 0.4578275, 0.40821073)  # CLIP normalisation, used by both encoders
STD = (0.26862954, 0.26130258, 0.27577711)


@dataclass
class PatchEncoderConfig:
    image_size: int = 224
    patch_size: int = 16
    width: int = 192
    layers: int = 4
    heads: int = 4

    def to_dict(self) -> dict:
        return asdict(self)


def to_pixels(rgb: np.ndarray, size: int) -> torch.Tensor:
    """(H, W, 3) uint8 -> (3, size, size) float, resized (aspect not kept) and CLIP-normalised."""
    resized = np.asarray(Image.fromarray(rgb).resize((size, size), Image.Resampling.BICUBIC), np.float32) / 255.0
    pixels = torch.from_numpy(resized).permute(2, 0, 1)
    return (pixels - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]


class PatchEncoder(nn.Module):
    """A small ViT: (B, 3, S, S) pixels -> (B, (S/p)^2, width) patch tokens."""

    def __init__(self, config: PatchEncoderConfig):
        super().__init__()
        self.config = config
        grid = config.image_size // config.patch_size
        self.patchify = nn.Conv2d(3, config.width, config.patch_size, stride=config.patch_size)
        self.positions = nn.Parameter(torch.randn(1, grid * grid, config.width) * 0.02)
        layer = nn.TransformerEncoderLayer(config.width, config.heads, 4 * config.width, dropout=0.0,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(config.width)

    @property
    def width(self) -> int:
        return self.config.width

    @property
    def grid(self) -> int:
        return self.config.image_size // self.config.patch_size

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        tokens = self.patchify(pixels).flatten(2).transpose(1, 2) + self.positions
        return self.norm(self.encoder(tokens))

    def encode(self, rgb: np.ndarray) -> torch.Tensor:
        """(H, W, 3) uint8 -> (P, width) patch tokens."""
        device = self.positions.device
        return self(to_pixels(rgb, self.config.image_size)[None].to(device))[0]


class ClipVisionEncoder(nn.Module):
    """Patch tokens of an open_clip VisionTransformer (frozen): (P, width) per image.

    Args:
        clip_model: an open_clip CLIP whose `visual` is a VisionTransformer.
    """

    def __init__(self, clip_model):
        super().__init__()
        # Shared with the tagger: read its patch tokens per call, never reconfigure it (no output_tokens).
        self.visual = clip_model.visual
        for param in self.visual.parameters():
            param.requires_grad_(False)
        size = self.visual.image_size
        self.image_size = size[0] if isinstance(size, (tuple, list)) else size
        patch = self.visual.patch_size
        self.grid = self.image_size // (patch[0] if isinstance(patch, (tuple, list)) else patch)
        self.width = self.visual.transformer.width

    @torch.no_grad()
    def encode(self, rgb: np.ndarray) -> torch.Tensor:
        """(H, W, 3) uint8 -> (P, width) patch tokens of the last block after the final LayerNorm."""
        device = next(self.visual.parameters()).device
        out = self.visual.forward_intermediates(to_pixels(rgb, self.image_size)[None].to(device), indices=1,
                                                normalize_intermediates=True, intermediates_only=True,
                                                output_fmt="NLC")
        return out["image_intermediates"][-1][0].float()


def feature_map(tokens: torch.Tensor, grid: int) -> torch.Tensor:
    """(P, C) patch tokens on a grid x grid layout -> (C, grid, grid) map."""
    return tokens.transpose(0, 1).reshape(tokens.shape[1], grid, grid)
