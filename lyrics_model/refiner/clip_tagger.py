"""Zero-shot image tagging with an open_clip model over a fixed tag vocabulary."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np
import open_clip
import torch
from PIL import Image

from ..errors import WeightsUnavailable
from ..weights import cache_dir, explicit_path, resolve_hub_file
from .tags import Tag
from .vocabulary import default_vocabulary

log = logging.getLogger(__name__)

PROMPT = "a photo of a {}."


class ClipTagger:
    """Tags an image by cosine similarity between its CLIP embedding and one text embedding per tag.

    The same model also embeds images (global features for the vision side) and arbitrary text
    (class prompts for an open-vocabulary detector), so one CLIP serves every role.

    Args:
        model: an open_clip CLIP model in eval mode.
        preprocess: its image transform (PIL -> (3, S, S) float tensor).
        tokenizer: its tokenizer (list[str] -> (N, 77) int tensor).
        vocabulary: tag names.
        top_k: at most this many tags are returned.
        min_score: tags whose softmax probability over the vocabulary is below this are dropped.
        name: the model name shown to users, e.g. "ViT-B-32/openai".
        source: where the weights came from.
    """

    def __init__(self, model, preprocess, tokenizer, vocabulary, top_k=8, min_score=0.01, name="", source=None):
        self.model = model
        self.preprocess = preprocess
        self.tokenizer = tokenizer
        self.vocabulary = tuple(vocabulary)
        self.top_k = top_k
        self.min_score = min_score
        self.name = name
        self.source = source
        self.device = next(model.parameters()).device
        self._text_features: torch.Tensor | None = None

    @classmethod
    def from_pretrained(
        cls,
        model_name: str = "ViT-B-32",
        pretrained: str = "openai",
        weights: str | os.PathLike | None = None,
        vocabulary=None,
        device: str = "cpu",
        **kwargs,
    ) -> "ClipTagger":
        """Load `model_name` with weights from `weights` (a file), else the hub tag `pretrained`.

        Raises WeightsUnavailable if the weights are neither given, cached, nor downloadable.
        """
        cfg = open_clip.get_pretrained_cfg(model_name, pretrained) if weights is None else {}
        if weights is None:
            source = resolve_hub_file(*cls.hub_file(model_name, pretrained))
        else:
            source = explicit_path(weights)
        model, _, preprocess = open_clip.create_model_and_transforms(
            model_name, pretrained=str(source.path), force_quick_gelu=bool(cfg.get("quick_gelu")), device=device
        )
        model.eval()
        name = f"{model_name}/{pretrained}" if weights is None else f"{model_name} ({Path(weights).name})"
        vocabulary = default_vocabulary() if vocabulary is None else vocabulary
        return cls(model, preprocess, open_clip.get_tokenizer(model_name), vocabulary, name=name, source=source, **kwargs)

    @staticmethod
    def hub_file(model_name: str, pretrained: str) -> tuple[str, str]:
        """(hub repo id, file name) of open_clip's `model_name`/`pretrained` weights."""
        cfg = open_clip.get_pretrained_cfg(model_name, pretrained)
        if not cfg.get("hf_hub"):
            raise WeightsUnavailable(f"open_clip has no pretrained weights {model_name}/{pretrained}")
        return cfg["hf_hub"].rstrip("/"), "open_clip_model.safetensors"

    @torch.inference_mode()
    def encode_image(self, rgb: np.ndarray) -> torch.Tensor:
        """(H, W, 3) uint8 -> (D,) unit-norm image embedding."""
        pixels = self.preprocess(Image.fromarray(rgb)).unsqueeze(0).to(self.device)
        features = self.model.encode_image(pixels)[0].float()
        return features / features.norm()

    @torch.inference_mode()
    def encode_text(self, texts: list[str], batch_size: int = 256) -> torch.Tensor:
        """list of N strings -> (N, D) unit-norm text embeddings."""
        chunks = []
        for start in range(0, len(texts), batch_size):
            tokens = self.tokenizer(texts[start : start + batch_size]).to(self.device)
            chunks.append(self.model.encode_text(tokens).float())
        features = torch.cat(chunks)
        return features / features.norm(dim=-1, keepdim=True)

    def text_features(self) -> torch.Tensor:
        """(V, D) embeddings of the vocabulary prompts; computed once, cached on disk for real weights."""
        if self._text_features is None:
            self._text_features = self._load_or_compute_text_features()
        return self._text_features

    def _load_or_compute_text_features(self) -> torch.Tensor:
        cache_file = None
        if self.source is not None and self.source.origin != "explicit path":
            key = hashlib.sha1(("\n".join(self.vocabulary) + PROMPT + self.name).encode()).hexdigest()[:16]
            cache_file = cache_dir() / "clip_text" / f"{self.name.replace('/', '_')}-{key}.pt"
            if cache_file.is_file():
                return torch.load(cache_file, weights_only=True).to(self.device)
        log.info("embedding %d tag prompts with %s (once)", len(self.vocabulary), self.name)
        features = self.encode_text([PROMPT.format(name) for name in self.vocabulary])
        if cache_file is not None:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            torch.save(features.cpu(), cache_file)
        return features

    @torch.inference_mode()
    def tag(self, rgb: np.ndarray) -> list[Tag]:
        """Top tags for an (H, W, 3) uint8 image, highest score first."""
        image = self.encode_image(rgb)
        logit_scale = float(self.model.logit_scale.exp()) if hasattr(self.model, "logit_scale") else 100.0
        probs = (logit_scale * self.text_features() @ image).softmax(dim=0)
        scores, indices = probs.topk(min(self.top_k, len(self.vocabulary)))
        return [
            Tag(self.vocabulary[i], float(s)) for s, i in zip(scores.tolist(), indices.tolist()) if s >= self.min_score
        ]
