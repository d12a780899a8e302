"""`python -m lyrics_model train stage1|stage2 --config FILE`: train the bridge on your data.

The refiner runs once per image (`cache-refiner`, run here automatically when no cache is given);
with a CLIP profile its patch features are cached too, so the frozen encoder never runs in training.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from accelerate import PartialState
from accelerate.utils import set_seed
from torch import nn

from ..data.records import read_records
from ..data.refiner_cache import cache_dataset, image_key, load_cached
from ..dialogue.chat_inputs import region_objects, scene_objects
from ..dialogue.regions import best_match, make_regions
from ..image_io import load_image
from ..modeling.bridge import LabelEmbeddings
from ..modeling import (BridgeConfig, LyricsBridge, MQFormerConfig, ObjectEncoderConfig, PatchEncoderConfig,
                        load_bridge, load_language_model, save_bridge)
from ..profiles import Profile, get_profile
from .stage1 import Stage1Model, make_stage1_batch
from .stage2 import Stage2Example, Stage2Model
from .trainer import Trainer, TrainConfig

log = logging.getLogger(__name__)


class CachedPatches(nn.Module):
    """Stands in for a frozen CLIP during training: the "image" is its cached (P, C) patch tokens."""

    def __init__(self, grid: int, width: int):
        super().__init__()
        self.grid, self.width = grid, width
        self.anchor = nn.Parameter(torch.zeros(0), requires_grad=False)  # gives the module a device

    def encode(self, patches: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.asarray(patches, np.float32), device=self.anchor.device)


def bridge_config(config: TrainConfig, vocab_size: int, llm_hidden: int, llm_name: str,
                  clip_width: int | None) -> BridgeConfig:
    """BridgeConfig from the run's overrides; the vision side follows the data (CLIP patches or pixels)."""
    overrides = config.bridge
    mq = MQFormerConfig(**{**overrides.get("mq_former", {}), "vocab_size": vocab_size + 2})
    objects = ObjectEncoderConfig(**{**overrides.get("objects", {}), "label_width": llm_hidden})
    vision = None if clip_width else PatchEncoderConfig(**overrides.get("vision", {}))
    width = clip_width or vision.width
    mq = replace(mq, vision_width=width, object_width=objects.out_width)
    objects = replace(objects, feature_width=width)
    return BridgeConfig(mq, objects, vision, "clip" if clip_width else "patch", llm_name, llm_hidden)


def train_from_config(config: TrainConfig) -> Path:
    """Train one stage as configured; returns the folder of the saved bridge."""
    profile = config.profile if isinstance(config.profile, Profile) else get_profile(config.profile)
    llm = load_language_model(profile.llm.kind, profile.llm.name, (config.weights or {}).get("llm"), profile.device)
    records = read_records(config.data, config.stage)
    cache = Path(config.refiner_cache or Path(config.out_dir) / "refiner_cache")
    with PartialState(cpu=not torch.cuda.is_available()).main_process_first():  # one fills the cache, the rest read it
        cache_dataset(config.data, cache, profile, config.weights)
    keys = [image_key(r.image) for r in records]

    def scene_of(index: int):  # read from the cache when a batch needs it (memory: one row group of a shard)
        return load_cached(cache, records[index].image, keys[index])

    first_patches = scene_of(0)[1]
    uses_clip = first_patches is not None
    clip_width = int(first_patches.shape[-1]) if uses_clip else None

    set_seed(config.seed)  # the new bridge's initial weights are part of the recipe
    vision = CachedPatches(int(round(first_patches.shape[0] ** 0.5)), clip_width) if uses_clip else None
    if config.init_bridge:
        bridge = load_bridge(config.init_bridge, llm, vision_encoder=vision)
    else:
        bridge = LyricsBridge(bridge_config(config, len(llm.tokenizer), llm.hidden_size, llm.name, clip_width), vision)
    labels = LabelEmbeddings(llm)

    def image_of(index: int, patches):
        return patches if uses_clip else load_image(records[index].image).rgb

    if config.stage == 1:
        pairs = [(i, c) for i, r in enumerate(records) for c in r.captions]
        model = Stage1Model(bridge)

        def make_batch(indices):
            chosen = [pairs[i] for i in indices]
            scenes = [scene_of(i) for i, _ in chosen]
            objects = [scene_objects(result) for result, _ in scenes]
            images = [image_of(i, patches) for (i, _), (_, patches) in zip(chosen, scenes)]
            return make_stage1_batch(llm.tokenizer, images, objects,
                                     [labels(o.labels) for o in objects], [c for _, c in chosen],
                                     max_len=bridge.config.mq_former.max_text_len // 2)
        size = len(pairs)
    else:
        llm.add_lora(bridge.config.lora)
        model = Stage2Model(bridge, llm, soft_tokens=bridge.config.soft_tokens)

        def make_batch(indices):
            examples = []
            for i in indices:
                (result, patches), record = scene_of(i), records[i]
                regions = make_regions(record.regions, result.size)
                described = region_objects(regions, [best_match(r, result) for r in regions], result.size)
                objects = scene_objects(result)
                examples.append(Stage2Example(image_of(i, patches), objects, labels(objects.labels), described,
                                              labels(described.labels), [r.id for r in regions], record.conversations))
            return examples
        size = len(records)

    trainer = Trainer(config, model, make_batch, size)
    trainer.fit()
    trainer.save_checkpoint()
    out = Path(config.out_dir) / "bridge"
    if trainer.accelerator.is_main_process:
        save_bridge(out, trainer.accelerator.unwrap_model(model).bridge, llm)
    log.info("bridge saved to %s", out)
    return out
