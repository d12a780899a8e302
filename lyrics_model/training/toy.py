"""CPU-scale reproduction of the Lyrics ablation on synthetic scenes.

    python -m lyrics_model train-toy --minutes 28 --out runs/toy

Four variants mirror the paper's ablation: full (ViT + object queries), no object queries, no ViT
queries, and text only. Each trains stage 1 then stage 2 (SmolLM2-135M + LoRA) within its share of
the time, then answers held-out scenes through the same inference code as the demo. The scenes'
ground-truth boxes, labels and masks stand in for the visual refiner.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import supervision as sv
import torch

from ..data.synthetic import Scene, make_scene, questions
from ..dialogue.chat_inputs import bridge_inputs, region_objects, scene_objects
from ..dialogue.regions import best_match, make_regions
from ..modeling import (BridgeConfig, GenerationSettings, LanguageModel, LyricsBridge, MQFormerConfig,
                        ObjectEncoderConfig, PatchEncoderConfig, load_language_model, save_bridge,
                        stream_generate)
from ..modeling.bridge import LabelEmbeddings
from ..refiner.result import RefineResult
from ..refiner.tags import Tag
from .stage1 import Stage1Model, make_stage1_batch
from .stage2 import Stage2Example, Stage2Model
from .trainer import Trainer, TrainConfig

log = logging.getLogger(__name__)

IMAGE_SIZE = 64
#: name -> (ViT queries, object queries, soft tokens reach the LLM)
VARIANTS = {
    "full": (8, 8, True),
    "no object queries": (8, 0, True),
    "no ViT queries": (0, 8, True),
    "text only": (0, 0, False),
}
METRICS = ("caption_em", "vqa_acc", "rec_acc50", "region_acc")


def toy_bridge_config(vocab_size: int, llm_hidden: int, vit_queries: int, object_queries: int, soft: bool) -> BridgeConfig:
    return BridgeConfig(
        mq_former=MQFormerConfig(hidden_size=128, num_layers=4, num_heads=4, intermediate_size=256,
                                 num_vit_queries=vit_queries, num_object_queries=object_queries, vision_width=96,
                                 object_width=64, vocab_size=vocab_size + 2, max_text_len=128, dropout=0.0),
        objects=ObjectEncoderConfig(feature_width=96, label_width=llm_hidden, out_width=64, max_objects=4),
        vision=PatchEncoderConfig(image_size=IMAGE_SIZE, patch_size=8, width=96, layers=2, heads=4),
        llm_name="SmolLM2-135M-Instruct", llm_hidden=llm_hidden, soft_tokens=soft,
    )


@dataclass
class ToyExample:
    scene: Scene
    item: dict  # from `questions`: task, question, answer, regions, target_box


class ToyData:
    """Seeded train and held-out scenes, with one example per task per scene."""

    def __init__(self, seed: int = 0, train_scenes: int = 800, eval_scenes: int = 10):
        rng = np.random.default_rng(seed)
        self.train_scenes = [make_scene(rng, IMAGE_SIZE) for _ in range(train_scenes)]
        self.eval_scenes = [make_scene(rng, IMAGE_SIZE) for _ in range(eval_scenes)]
        self.train = [ToyExample(s, q) for s in self.train_scenes for q in questions(s, rng, IMAGE_SIZE)]
        self.held_out = [ToyExample(s, q) for s in self.eval_scenes for q in questions(s, rng, IMAGE_SIZE)]


def scene_result(scene: Scene) -> RefineResult:
    """The scene's ground truth as a refiner result (labels name the shape, not its colour)."""
    detections = sv.Detections(
        xyxy=np.array([s.box for s in scene.shapes], np.float32), mask=np.stack([s.mask for s in scene.shapes]),
        confidence=np.ones(len(scene.shapes), np.float32), class_id=np.arange(len(scene.shapes)),
        data={"class_name": np.array([s.kind for s in scene.shapes], dtype=object)})
    tags = [Tag(s.kind, 1.0, "detector") for s in scene.shapes]
    return RefineResult((IMAGE_SIZE, IMAGE_SIZE), tags, detections, {}, {}, "synthetic", "")


def stage2_example(example: ToyExample, labels: LabelEmbeddings, with_answer: bool = True) -> Stage2Example:
    scene, item = example.scene, example.item
    result = scene_result(scene)
    regions = make_regions(item["regions"], result.size)
    described = region_objects(regions, [best_match(r, result) for r in regions], result.size)
    objects = scene_objects(result)
    messages = [{"role": "user", "content": item["question"]}]
    if with_answer:
        messages.append({"role": "assistant", "content": item["answer"]})
    return Stage2Example(scene.image, objects, labels(objects.labels), described, labels(described.labels),
                         [r.id for r in regions], messages)


def normalise_answer(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower()).rstrip(". ")


def score(example: ToyExample, answer: str) -> tuple[str, bool]:
    """(metric name, correct) for one held-out answer."""
    item, got, want = example.item, normalise_answer(answer), normalise_answer(example.item["answer"])
    task = item["task"]
    if task == "caption":
        return "caption_em", got == want
    if task in ("count", "vqa"):
        return "vqa_acc", got == want
    if task == "rec":
        numbers = [float(v) for v in re.findall(r"\d*\.\d+|\d+", answer)[:4]]
        if len(numbers) != 4:
            return "rec_acc50", False
        target = np.array(item["target_box"]) / IMAGE_SIZE
        return "rec_acc50", float(sv.box_iou_batch(np.array([numbers]), target[None])[0, 0]) >= 0.5
    return "region_acc", got == want


@torch.no_grad()
def evaluate(llm: LanguageModel, bridge: LyricsBridge, data: ToyData) -> dict:
    """Greedy answers to every held-out question through the demo's bridge-mode inference path."""
    bridge.eval()
    llm.model.eval()
    settings = GenerationSettings(max_new_tokens=28, repetition_penalty=1.0)
    correct = {m: [] for m in METRICS}
    samples = []
    for example in data.held_out:
        result = scene_result(example.scene)
        regions = make_regions(example.item["regions"], result.size)
        matches = [best_match(r, result) for r in regions]
        messages = [{"role": "user", "content": example.item["question"]}]
        inputs = bridge_inputs(llm, bridge, example.scene.image, result, regions, matches, messages, 1024)
        answer = "".join(stream_generate(llm, inputs.inputs, settings))
        metric, ok = score(example, answer)
        correct[metric].append(ok)
        samples.append({"task": example.item["task"], "question": example.item["question"],
                        "expected": example.item["answer"], "answer": answer, "correct": bool(ok)})
    return {"metrics": {m: round(float(np.mean(v)), 3) if v else None for m, v in correct.items()},
            "samples": samples}


def run_variant(name: str, base: LanguageModel, data: ToyData, seconds: float, out: Path, seed: int,
                stage1_share: float = 0.2, max_steps: int | None = None) -> dict:
    vit, objects, soft = VARIANTS[name]
    llm = LanguageModel(copy.deepcopy(base.model), base.tokenizer, base.name, base.source)
    llm.add_lora()
    labels = LabelEmbeddings(base)
    torch.manual_seed(seed)
    bridge = LyricsBridge(toy_bridge_config(len(base.tokenizer), base.hidden_size, vit, objects, soft))
    folder = out / name.replace(" ", "_")
    timing = {}
    start = time.perf_counter()
    if soft:
        stage1 = Stage1Model(bridge)

        def stage1_batch(indices):
            scenes = [data.train_scenes[i] for i in indices]
            objs = [scene_objects(scene_result(s)) for s in scenes]
            return make_stage1_batch(base.tokenizer, [s.image for s in scenes], objs, [labels(o.labels) for o in objs],
                                     [s.caption() for s in scenes], max_len=64)

        config = TrainConfig(stage=1, out_dir=str(folder / "stage1"), batch_size=16, lr=5e-4, max_steps=max_steps or 10**9,
                             max_minutes=seconds * stage1_share / 60, save_every=0, log_every=20, seed=seed,
                             resume=False)
        history = Trainer(config, stage1, stage1_batch, len(data.train_scenes)).fit()
        timing["stage1_steps"] = history[-1]["step"] if history else 0
        timing["stage1_first"], timing["stage1_last"] = (history[0], history[-1]) if history else ({}, {})
    stage1_seconds = time.perf_counter() - start
    model = Stage2Model(bridge, llm, soft_tokens=soft)
    config = TrainConfig(stage=2, out_dir=str(folder / "stage2"), batch_size=8, lr=5e-4, max_steps=max_steps or 10**9,
                         max_minutes=max(0.1, (seconds - stage1_seconds) / 60), mixed_precision="bf16", save_every=0,
                         log_every=10, seed=seed, resume=False)
    history = Trainer(config, model, lambda idx: [stage2_example(data.train[i], labels) for i in idx],
                      len(data.train)).fit()
    timing["stage2_steps"] = history[-1]["step"] if history else 0
    timing["stage2_first_loss"] = history[0]["loss"] if history else None
    timing["stage2_last_loss"] = history[-1]["loss"] if history else None
    save_bridge(folder / "bridge", bridge, llm)
    timing["train_seconds"] = round(time.perf_counter() - start, 1)
    evaluation = evaluate(llm, bridge, data)
    return {"variant": name, **evaluation, "training": timing, "bridge": str(folder / "bridge")}


def train_toy(minutes: float, out: str | Path, seed: int = 0, variants=tuple(VARIANTS), eval_seconds: float = 60,
              train_scenes: int = 800, eval_scenes: int = 10, max_steps: int | None = None) -> dict:
    """Train and evaluate every variant within about `minutes` in total; write out/results.json."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    base = load_language_model("gguf", "SmolLM2-135M-Instruct.Q4_1.gguf")
    data = ToyData(seed, train_scenes, eval_scenes)
    remaining = minutes * 60 - (time.perf_counter() - start)
    per_variant = max(10.0, remaining / len(variants) - eval_seconds)
    rows = []
    for name in variants:
        log.info("variant %s: %.0f s of training", name, per_variant)
        rows.append(run_variant(name, base, data, per_variant, out, seed, max_steps=max_steps))
    summary = {"minutes_budget": minutes, "seconds_used": round(time.perf_counter() - start, 1), "seed": seed,
               "train_examples": len(data.train), "held_out_examples": len(data.held_out), "variants": rows}
    (out / "results.json").write_text(json.dumps(summary, indent=1))
    return summary


def results_table(summary: dict) -> str:
    lines = ["| variant | caption EM | VQA acc | REC acc@0.5 | region acc | stage-1 steps | stage-2 steps | stage-2 loss first -> last |",
             "|---|---|---|---|---|---|---|---|"]
    for row in summary["variants"]:
        m, t = row["metrics"], row["training"]
        cells = [f"{m[k]:.2f}" if m[k] is not None else "-" for k in METRICS]
        first, last = t.get("stage2_first_loss"), t.get("stage2_last_loss")
        loss = f"{first:.2f} -> {last:.2f}" if first is not None else "-"
        lines.append(f"| {row['variant']} | {' | '.join(cells)} | {t.get('stage1_steps', 0)} | {t['stage2_steps']} | {loss} |")
    return "\n".join(lines)
