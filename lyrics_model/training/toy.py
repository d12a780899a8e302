"""CPU-scale reproduction of the Lyrics ablation on synthetic scenes.

    python -m lyrics_model train-toy --out runs/toy [--stage1-steps 30] [--stage2-steps 45] [--minutes CAP]

Five variants mirror the paper's ablation: full (ViT + object queries), boxes only (object queries
from boxes, no masks: the paper's detection-versus-segmentation rows), no object queries, no ViT
queries, and text only. Each trains stage 1 then stage 2 (SmolLM2-135M + LoRA) for the same fixed
number of optimizer steps (the recipe), then answers held-out scenes through the same inference code
as the demo. Everything is seeded, so two runs on one machine give the same table; `--minutes` is
only a cap, and a run it cuts short says so. The scenes' ground-truth boxes, labels and masks stand
in for the visual refiner.
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
from ..evaluation.intervals import wilson_interval
from ..dialogue.chat_inputs import bridge_inputs, region_objects, scene_objects
from ..dialogue.regions import best_match, make_regions
from ..modeling import (BatchedGenerator, BridgeConfig, GenerationSettings, LanguageModel, LyricsBridge,
                        MQFormerConfig, ObjectEncoderConfig, PatchEncoderConfig, load_language_model, save_bridge)
from ..modeling.bridge import LabelEmbeddings
from ..refiner.result import RefineResult
from ..refiner.tags import Tag
from .stage1 import Stage1Model, make_stage1_batch
from .stage2 import Stage2Example, Stage2Model
from .trainer import Trainer, TrainConfig, native_mixed_precision

log = logging.getLogger(__name__)

IMAGE_SIZE = 64
#: name -> (ViT queries, object queries, soft tokens reach the LLM, object features pooled in masks)
VARIANTS = {
    "full": (8, 8, True, True),
    "boxes only": (8, 8, True, False),
    "no object queries": (8, 0, True, True),
    "no ViT queries": (0, 8, True, True),
    "text only": (0, 0, False, True),
}
METRICS = ("caption_em", "vqa_acc", "rec_acc50", "region_acc")
#: The recipe: optimizer steps per stage, the same for every variant (text only has no stage 1).
STAGE1_STEPS, STAGE2_STEPS = 30, 45


#: Training settings shared by both stages: one precision per process (accelerate keeps one), bf16
#: where the machine computes it natively and fp32 elsewhere (`native_mixed_precision`: emulated bf16
#: made stage 2 about twenty times slower on a CPU without it); a constant learning rate and no clipping
#: over these few hundred steps.
RECIPE = {"mixed_precision": native_mixed_precision(), "lr_schedule": "constant", "max_grad_norm": None}

def toy_bridge_config(vocab_size: int, llm_hidden: int, vit_queries: int, object_queries: int, soft: bool,
                      masks: bool = True) -> BridgeConfig:
    return BridgeConfig(
        mq_former=MQFormerConfig(hidden_size=128, num_layers=4, num_heads=4, intermediate_size=256,
                                 num_vit_queries=vit_queries, num_object_queries=object_queries, vision_width=96,
                                 object_width=64, vocab_size=vocab_size + 2, max_text_len=128, dropout=0.0),
        objects=ObjectEncoderConfig(feature_width=96, label_width=llm_hidden, out_width=64, max_objects=4),
        vision=PatchEncoderConfig(image_size=IMAGE_SIZE, patch_size=8, width=96, layers=2, heads=4),
        llm_name="SmolLM2-135M-Instruct", llm_hidden=llm_hidden, soft_tokens=soft, use_masks=masks,
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


#: The metric each held-out task counts towards.
METRIC_OF_TASK = {"caption": "caption_em", "count": "vqa_acc", "vqa": "vqa_acc", "rec": "rec_acc50",
                  "reg": "region_acc"}


def score(example: ToyExample, answer: str) -> tuple[str, bool]:
    """(metric name, correct) for one held-out answer."""
    item, got, want = example.item, normalise_answer(answer), normalise_answer(example.item["answer"])
    metric = METRIC_OF_TASK[item["task"]]
    if item["task"] == "rec":
        numbers = [float(v) for v in re.findall(r"\d*\.\d+|\d+", answer)[:4]]
        if len(numbers) != 4:
            return metric, False
        target = np.array(item["target_box"]) / IMAGE_SIZE
        return metric, float(sv.box_iou_batch(np.array([numbers]), target[None])[0, 0]) >= 0.5
    return metric, got == want


@torch.no_grad()
def evaluate(llm: LanguageModel, bridge: LyricsBridge, data: ToyData, max_batch: int = 32,
             dtype: torch.dtype | None = None) -> dict:
    """Greedy answers to every held-out question through the demo's bridge-mode inference path,
    `max_batch` questions of one task decoded together, each group queued at once so that every run
    batches them the same way (in bf16 the batching can change a long answer's later tokens).
    A LoRA-wrapped `llm.model` is merged first, as `load_bridge` does for the demo; `dtype`: the
    precision the LLM answers in (the one it trained in)."""
    bridge.eval()
    if hasattr(llm.model, "merge_and_unload"):
        llm.model = llm.model.merge_and_unload()
    llm.model.eval()
    if dtype is not None:
        llm.model.to(dtype)
    settings = GenerationSettings(max_new_tokens=28, repetition_penalty=1.0)
    generator = BatchedGenerator(llm, max_batch=max_batch)
    examples = sorted(data.held_out, key=lambda e: e.item["task"])  # similar answer lengths decode together
    answers = []
    for start in range(0, len(examples), max_batch):
        chunk = [_toy_inputs(llm, bridge, example).inputs for example in examples[start : start + max_batch]]
        streams = [generator.stream(inputs, settings) for inputs in chunk]  # queued at once: one batch, every run
        answers += ["".join(stream) for stream in streams]
    correct = {m: [] for m in METRICS}
    samples = []
    for example, answer in zip(examples, answers):
        metric, ok = score(example, answer)
        correct[metric].append(ok)
        samples.append({"task": example.item["task"], "question": example.item["question"],
                        "expected": example.item["answer"], "answer": answer, "correct": bool(ok)})
    return {"metrics": {m: round(float(np.mean(v)), 3) if v else None for m, v in correct.items()},
            "samples": samples}


def _toy_inputs(llm: LanguageModel, bridge: LyricsBridge, example: ToyExample):
    """The LLM inputs for one held-out question, as the demo builds them in bridge mode."""
    result = scene_result(example.scene)
    regions = make_regions(example.item["regions"], result.size)
    messages = [{"role": "user", "content": example.item["question"]}]
    return bridge_inputs(llm, bridge, example.scene.image, result, regions, [best_match(r, result) for r in regions],
                         messages, 1024)


def _train_stage(config: TrainConfig, model, make_batch, size: int) -> dict:
    """Run one stage; its steps, seconds per step and first/last loss."""
    start = time.perf_counter()
    history = Trainer(config, model, make_batch, size).fit()
    steps = history[-1]["step"] if history else 0
    return {"steps": steps, "planned_steps": config.max_steps,
            "seconds_per_step": round((time.perf_counter() - start) / max(1, steps), 2),
            "first_loss": history[0]["loss"] if history else None, "last_loss": history[-1]["loss"] if history else None}


def _minutes_left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, (deadline - time.perf_counter()) / 60)


def run_variant(name: str, base: LanguageModel, data: ToyData, out: Path, seed: int, stage1_steps: int = STAGE1_STEPS,
                stage2_steps: int = STAGE2_STEPS, deadline: float | None = None) -> dict:
    """Train one variant for the recipe's steps (or until `deadline`, a perf_counter time) and evaluate it."""
    vit, objects, soft, masks = VARIANTS[name]
    torch.manual_seed(seed)  # LoRA and bridge initialisation
    llm = LanguageModel(copy.deepcopy(base.model), base.tokenizer, base.name, base.source)
    llm.add_lora()
    labels = LabelEmbeddings(base)
    bridge = LyricsBridge(toy_bridge_config(len(base.tokenizer), base.hidden_size, vit, objects, soft, masks))
    folder = out / name.replace(" ", "_")
    training = {}
    start = time.perf_counter()
    if soft:
        def stage1_batch(indices):
            scenes = [data.train_scenes[i] for i in indices]
            objs = [scene_objects(scene_result(s)) for s in scenes]
            return make_stage1_batch(base.tokenizer, [s.image for s in scenes], objs, [labels(o.labels) for o in objs],
                                     [s.caption() for s in scenes], max_len=64)

        config = TrainConfig(stage=1, out_dir=str(folder / "stage1"), batch_size=16, lr=5e-4, max_steps=stage1_steps,
                             max_minutes=_minutes_left(deadline), save_every=0, log_every=20, seed=seed, resume=False,
                             **RECIPE)
        training["stage1"] = _train_stage(config, Stage1Model(bridge), stage1_batch, len(data.train_scenes))
    config = TrainConfig(stage=2, out_dir=str(folder / "stage2"), batch_size=8, lr=5e-4, max_steps=stage2_steps,
                         max_minutes=_minutes_left(deadline), save_every=0, log_every=10, seed=seed, resume=False,
                         **RECIPE)
    training["stage2"] = _train_stage(config, Stage2Model(bridge, llm, soft_tokens=soft),
                                      lambda idx: [stage2_example(data.train[i], labels) for i in idx], len(data.train))
    training["cut_short"] = any(t["steps"] < t["planned_steps"] for t in training.values())
    if training["cut_short"]:
        log.warning("THE --minutes CAP CUT VARIANT %r SHORT (%s): its row is not the recipe's",
                    name, ", ".join(f"{k} {v['steps']}/{v['planned_steps']} steps" for k, v in training.items()
                                    if isinstance(v, dict)))
    save_bridge(folder / "bridge", bridge, llm)
    training["train_seconds"] = round(time.perf_counter() - start, 1)
    evaluation = evaluate(llm, bridge, data, dtype=torch.bfloat16 if RECIPE["mixed_precision"] == "bf16" else None)
    return {"variant": name, **evaluation, "training": training, "bridge": str(folder / "bridge")}


def train_toy(out: str | Path, seed: int = 0, variants=tuple(VARIANTS), stage1_steps: int = STAGE1_STEPS,
              stage2_steps: int = STAGE2_STEPS, minutes: float | None = None, train_scenes: int = 800,
              eval_scenes: int = 100) -> dict:
    """Train and evaluate every variant for the recipe's steps (`minutes`: an optional cap on the
    whole run); write out/results.json and return it."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    deadline = None if minutes is None else start + minutes * 60
    base = load_language_model("gguf", "SmolLM2-135M-Instruct.Q4_1.gguf")
    data = ToyData(seed, train_scenes, eval_scenes)
    rows = [run_variant(name, base, data, out, seed, stage1_steps, stage2_steps, deadline) for name in variants]
    summary = {"recipe": {"stage1_steps": stage1_steps, "stage2_steps": stage2_steps, "seed": seed,
                          "train_scenes": train_scenes, "eval_scenes": eval_scenes,
                          "mixed_precision": RECIPE["mixed_precision"]},
               "minutes_cap": minutes, "cut_short": any(r["training"]["cut_short"] for r in rows),
               "seconds_used": round(time.perf_counter() - start, 1), "train_examples": len(data.train),
               "held_out_examples": len(data.held_out), "variants": rows}
    (out / "results.json").write_text(json.dumps(summary, indent=1))
    return summary


def results_table(summary: dict, timings: bool = True) -> str:
    """Markdown: each metric with its 95% Wilson interval, steps done and (with `timings`) seconds per
    step per stage."""
    lines = ["| variant | caption EM | VQA acc | REC acc@0.5 | region acc | stage-1 steps (s/step) | "
             "stage-2 steps (s/step) | stage-2 loss first -> last |", "|---|---|---|---|---|---|---|---|"]
    for row in summary["variants"]:
        cells = []
        for metric in METRICS:
            outcomes = [s["correct"] for s in row["samples"] if METRIC_OF_TASK[s["task"]] == metric]
            low, high = wilson_interval(sum(outcomes), len(outcomes))
            cells.append(f"{sum(outcomes) / max(1, len(outcomes)):.2f} [{low:.2f}, {high:.2f}]")
        steps = []
        for stage in ("stage1", "stage2"):
            t = row["training"].get(stage)
            steps.append((f"{t['steps']} ({t['seconds_per_step']:.1f})" if timings else str(t["steps"])) if t else "-")
        t = row["training"]["stage2"]
        loss = f"{t['first_loss']:.2f} -> {t['last_loss']:.2f}" if t["first_loss"] is not None else "-"
        lines.append(f"| {row['variant']} | {' | '.join(cells)} | {' | '.join(steps)} | {loss} |")
    if summary.get("cut_short"):
        lines.append("\n**The --minutes cap cut this run short: it is not the recipe's table.**")
    return "\n".join(lines)
