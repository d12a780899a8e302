"""The training loop shared by both stages, on accelerate: devices, several processes, mixed
precision, gradient accumulation, warmup + cosine learning rate, gradient clipping, a validation
loss, and checkpoints through `save_state` / `load_state` (optimizer shards under DeepSpeed ZeRO,
every process's RNG) for an exact resume."""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from accelerate import Accelerator
from accelerate.utils import DistributedDataParallelKwargs, set_seed

from ..modeling.llm import inference_dtype

log = logging.getLogger(__name__)


def native_mixed_precision(device: str | torch.device | None = None) -> str:
    """accelerate's `mixed_precision` for `device` (default: the GPU if there is one, else the CPU):
    "bf16" where it computes bf16 natively (GPUs that support it, CPUs with AVX512-BF16 or AMX), else
    "no" (fp32): other CPUs emulate bf16, many times slower than fp32."""
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    return "bf16" if inference_dtype(device) == torch.bfloat16 else "no"


@dataclass
class TrainConfig:
    """Settings of one training run (a JSON file for `python -m lyrics_model train`).

    stage: 1 (alignment) or 2 (instruction tuning). data: a JSONL file (see lyrics_model.data.records).
    refiner_cache: folder written by `python -m lyrics_model cache-refiner`. init_bridge: stage 2
    starts from this stage-1 bridge. bridge: overrides of BridgeConfig ("mq_former", "objects",
    "vision" dicts). max_minutes: stop early when the time is up (the CPU recipe uses it).
    profile: a profile name (or, from Python, a `Profile`); weights: role -> explicit weights file.

    Steps: `max_steps`, `save_every`, `log_every`, `eval_every` and `warmup_steps` count optimizer
    updates; one update takes `grad_accum` micro-batches of `batch_size` per process.
    lr_schedule: "cosine" (linear warmup, then cosine decay to `min_lr_ratio` x lr at `max_steps`)
    or "constant". max_grad_norm: clip the gradient norm (None: no clipping). val_fraction: the share
    of examples held out for the validation loss, computed every `eval_every` updates and at the end.
    record_batches: each process writes the example indices of its micro-batches to
    out_dir/batches-rank{N}.jsonl (to check what each process trained on).
    """

    stage: int = 1
    data: str = ""
    out_dir: str = "runs/stage1"
    profile: str = "offline"
    weights: dict | None = None
    refiner_cache: str | None = None
    init_bridge: str | None = None
    bridge: dict = field(default_factory=dict)
    batch_size: int = 8
    grad_accum: int = 1
    lr: float = 1e-4
    weight_decay: float = 0.05
    max_steps: int = 1000
    max_minutes: float | None = None
    mixed_precision: str = "no"
    lr_schedule: str = "cosine"
    warmup_steps: int = 0
    min_lr_ratio: float = 0.1
    max_grad_norm: float | None = 1.0
    val_fraction: float = 0.0
    eval_every: int = 0
    log_every: int = 10
    save_every: int = 200
    seed: int = 0
    resume: bool = True
    record_batches: bool = False

    @classmethod
    def from_file(cls, path: str | Path) -> "TrainConfig":
        data = json.loads(Path(path).read_text())
        unknown = set(data) - set(asdict(cls()))
        if unknown:
            raise ValueError(f"{path}: unknown settings {', '.join(sorted(unknown))}")
        return cls(**data)


def batch_indices(step: int, dataset_size: int, batch_size: int, seed: int, rank: int = 0, world: int = 1) -> list[int]:
    """The dataset indices of global step `step`: a seeded permutation per epoch, split across processes.

    A pure function of its arguments, so a resumed run sees exactly the batches it would have seen.
    """
    global_batch = batch_size * world
    per_epoch = max(1, dataset_size // global_batch)
    epoch, offset = divmod(step, per_epoch)
    order = np.random.default_rng(seed + epoch).permutation(dataset_size)
    chunk = order[offset * global_batch : (offset + 1) * global_batch]
    return [int(i) for i in chunk[rank * batch_size : (rank + 1) * batch_size]]


def split_indices(size: int, val_fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """(train, validation) example indices: a seeded share `val_fraction` held out (at least one
    example when the share is above 0, never all of them)."""
    if not 0 <= val_fraction < 1:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction}")
    order = np.random.default_rng(seed + 10_000).permutation(size)
    held = min(size - 1, max(1, round(size * val_fraction))) if val_fraction > 0 else 0
    return sorted(int(i) for i in order[held:]), sorted(int(i) for i in order[:held])


def lr_factor(update: int, config: TrainConfig) -> float:
    """The learning-rate multiplier for optimizer update `update` (0-based)."""
    if config.lr_schedule == "constant":
        return 1.0
    if config.lr_schedule != "cosine":
        raise ValueError(f"lr_schedule must be cosine or constant, got {config.lr_schedule!r}")
    if update < config.warmup_steps:
        return (update + 1) / config.warmup_steps
    span = max(1, config.max_steps - config.warmup_steps)
    progress = min(1.0, (update - config.warmup_steps) / span)
    return config.min_lr_ratio + (1 - config.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))


@dataclass
class Progress:
    """Where training is: micro-batches seen and optimizer updates made (saved with each checkpoint)."""

    micro_step: int = 0
    step: int = 0

    def state_dict(self) -> dict:
        return asdict(self)

    def load_state_dict(self, state: dict) -> None:
        self.micro_step, self.step = int(state["micro_step"]), int(state["step"])


class Trainer:
    """Runs `model(batch)` -> loss (or a dict with "loss") over batches made by `make_batch(indices)`.

    The values logged (and averaged over processes in one collective) are a fixed set: the model's
    `loss_names` when it declares them (its output must then hold exactly those keys, on every
    batch), else "loss" alone. So no process can reduce a value another does not.

    One `Accelerator` per process; run one training per process (a second with another precision
    needs a fresh process, as `train-toy` and the tests do).
    """

    def __init__(self, config: TrainConfig, model: torch.nn.Module, make_batch: Callable[[list[int]], object],
                 dataset_size: int):
        self.config = config
        # Some parameters get no gradient on some batches (e.g. a scene without objects), which DDP must expect.
        ddp = DistributedDataParallelKwargs(find_unused_parameters=True)
        self.accelerator = acc = Accelerator(mixed_precision=config.mixed_precision,
                                             gradient_accumulation_steps=config.grad_accum,
                                             cpu=not torch.cuda.is_available(), kwargs_handlers=[ddp])
        set_seed(config.seed)
        self.make_batch = make_batch
        self.train_ids, self.val_ids = split_indices(dataset_size, config.val_fraction, config.seed)
        deepspeed = acc.state.deepspeed_plugin
        if deepspeed is not None:  # no dataloader goes through prepare(), so DeepSpeed needs the micro-batch size
            micro = deepspeed.deepspeed_config.get("train_micro_batch_size_per_gpu", "auto")
            if micro == "auto":
                deepspeed.deepspeed_config["train_micro_batch_size_per_gpu"] = config.batch_size
            elif int(micro) != config.batch_size:
                raise ValueError(f"the DeepSpeed config's train_micro_batch_size_per_gpu ({micro}) differs from "
                                 f"batch_size ({config.batch_size}); make them equal")
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
        # Stepped once per optimizer update by us (a prepared scheduler would step once per process).
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda update: lr_factor(update, config))
        self.model, self.optimizer = acc.prepare(model, optimizer)
        self.progress = Progress()
        self.last_lr = config.lr * lr_factor(0, config)
        acc.register_for_checkpointing(self.scheduler, self.progress)
        acc.register_save_state_pre_hook(self._only_trainable_weights)
        self.out_dir = Path(config.out_dir)
        self.history: list[dict] = []
        self.loss_names: tuple[str, ...] = tuple(getattr(model, "loss_names", ("loss",)))

    @property
    def step(self) -> int:
        """Optimizer updates made so far."""
        return self.progress.step

    # ---- checkpoints ----------------------------------------------------------------------------
    def _only_trainable_weights(self, models, weights, output_dir) -> None:
        """save_state pre-hook: checkpoints keep the trainable weights, not the frozen LLM."""
        for i, model in enumerate(models):
            trainable = {n for n, p in self.accelerator.unwrap_model(model).named_parameters() if p.requires_grad}
            if i < len(weights) and isinstance(weights[i], dict):
                weights[i] = {n: w for n, w in weights[i].items() if n.removeprefix("module.") in trainable}

    def save_checkpoint(self) -> Path:
        """out_dir/checkpoints/step-N: weights, optimizer, scheduler, counters, every process's RNG."""
        folder = self.out_dir / "checkpoints" / f"step-{self.step:07d}"
        self.accelerator.save_state(str(folder))
        if self.accelerator.is_main_process:
            (folder / "trainer_state.json").write_text(json.dumps({"step": self.step,
                                                                   "micro_step": self.progress.micro_step,
                                                                   "config": asdict(self.config)}, default=str))
        self.accelerator.wait_for_everyone()
        return folder

    def latest_checkpoint(self) -> Path | None:
        folders = sorted(f for f in (self.out_dir / "checkpoints").glob("step-*") if (f / "trainer_state.json").exists())
        return folders[-1] if folders else None

    def load_checkpoint(self, folder: Path) -> None:
        self.accelerator.load_state(str(folder), strict=False)
        # The saved learning rate followed the saved run's schedule; continue on this run's (max_steps may differ).
        for group, base in zip(self.optimizer.param_groups, self.scheduler.base_lrs):
            group["lr"] = base * lr_factor(self.step, self.config)
        log.info("resumed from %s at step %d", folder, self.step)

    # ---- the loop -------------------------------------------------------------------------------
    def train_micro_step(self) -> dict[str, torch.Tensor]:
        """One micro-batch forward and backward; the optimizer steps when the accumulation is complete."""
        acc, config = self.accelerator, self.config
        positions = batch_indices(self.progress.micro_step, len(self.train_ids), config.batch_size, config.seed,
                                  acc.process_index, acc.num_processes)
        indices = [self.train_ids[i] for i in positions]
        if config.record_batches:
            with (self.out_dir / f"batches-rank{acc.process_index}.jsonl").open("a") as record:
                record.write(json.dumps({"micro_step": self.progress.micro_step, "indices": indices}) + "\n")
        batch = self.make_batch(indices)
        self.model.train()
        with acc.accumulate(self.model):
            with acc.autocast():
                output = self.model(batch)
            losses = self._fixed_losses(output)
            acc.backward(losses["loss"])
            if acc.sync_gradients and config.max_grad_norm:
                acc.clip_grad_norm_(self.model.parameters(), config.max_grad_norm)
            self.optimizer.step()
            self.optimizer.zero_grad()
        self.progress.micro_step += 1
        if acc.sync_gradients:
            self.last_lr = self.optimizer.param_groups[0]["lr"]  # the rate this update used
            self.scheduler.step()
            self.progress.step += 1
        return {k: v.detach().float() for k, v in losses.items()}

    def _fixed_losses(self, output) -> dict[str, torch.Tensor]:
        """The model's output as {name: scalar} over exactly `loss_names` (ValueError otherwise)."""
        if not isinstance(output, dict):
            output = {"loss": output}
        if self.loss_names != ("loss",) and set(output) != set(self.loss_names):
            raise ValueError(f"the model returned the losses {sorted(output)}, not the declared {sorted(self.loss_names)}: "
                             "every batch must yield every term (zero when it has nothing to score)")
        return {name: output[name] for name in self.loss_names}

    @torch.no_grad()
    def validation_loss(self) -> float | None:
        """Mean loss over the held-out examples, shared out across processes (None without any)."""
        if not self.val_ids:
            return None
        acc, model = self.accelerator, self.accelerator.unwrap_model(self.model)  # no collectives per forward
        model.eval()
        mine = self.val_ids[acc.process_index :: acc.num_processes]
        total = torch.zeros(2, device=acc.device)
        for start in range(0, len(mine), self.config.batch_size):
            chunk = mine[start : start + self.config.batch_size]
            with acc.autocast():
                output = model(self.make_batch(chunk))
            loss = output["loss"] if isinstance(output, dict) else output
            total += torch.stack([loss.float() * len(chunk), torch.tensor(float(len(chunk)), device=acc.device)])
        total = acc.reduce(total, reduction="sum")
        return float(total[0] / total[1])

    def fit(self) -> list[dict]:
        """Train until max_steps updates or max_minutes; resume first if a checkpoint exists. Returns the log."""
        config, acc = self.config, self.accelerator
        if config.resume and (checkpoint := self.latest_checkpoint()) is not None:
            self.load_checkpoint(checkpoint)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        start = last = time.perf_counter()
        sums: dict[str, torch.Tensor] = {}
        micro, seen = 0, 0
        while self.step < config.max_steps:
            if config.max_minutes is not None and time.perf_counter() - start > config.max_minutes * 60:
                break
            updates = self.step
            for name, value in self.train_micro_step().items():
                sums[name] = sums.get(name, 0) + value
            micro += 1
            seen += config.batch_size * acc.num_processes
            if self.step == updates:
                continue  # still accumulating
            logged = self.step == 1 or self.step % config.log_every == 0 or self.step == config.max_steps
            evaluate = bool(config.eval_every) and self.step % config.eval_every == 0
            if logged or evaluate:
                self._log({k: v / micro for k, v in sums.items()}, seen, last, evaluate)
                sums, micro, seen, last = {}, 0, 0, time.perf_counter()
            if config.save_every and self.step % config.save_every == 0:
                self.save_checkpoint()
        if micro:  # the updates since the last log line (a time cap stopped the run)
            self._log({k: v / micro for k, v in sums.items()}, seen, last, False)
        if self.val_ids and not (config.eval_every and self.step % config.eval_every == 0):
            self._log({}, 0, time.perf_counter(), True)
        return self.history

    def _log(self, losses: dict, seen: int, since: float, evaluate: bool) -> None:
        """Average the losses over processes, add the validation loss when asked, append to log.jsonl."""
        acc = self.accelerator
        entry = {"step": self.step, "lr": round(self.last_lr, 8)}
        if losses:  # every process logs at the same steps, with the same names: one reduction of a fixed shape
            values = torch.stack([losses[name].reshape(()).to(acc.device) for name in self.loss_names])
            for name, value in zip(self.loss_names, acc.reduce(values, reduction="mean").tolist()):
                entry[name] = round(value, 4)
        if seen:
            entry["examples_per_s"] = round(seen / max(1e-6, time.perf_counter() - since), 2)
        if evaluate:
            entry["val_loss"] = round(self.validation_loss(), 4)
        self.history.append(entry)
        if acc.is_main_process:
            with (self.out_dir / "log.jsonl").open("a") as log_file:
                log_file.write(json.dumps(entry) + "\n")
            log.info(" ".join(f"{k}={v}" for k, v in entry.items()))
