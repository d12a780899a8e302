"""The training loop shared by both stages: accelerate for devices, mixed precision and gradient
accumulation; checkpoints of the trainable weights, optimizer and RNG for exact resume."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from accelerate import Accelerator
from accelerate.state import AcceleratorState
from accelerate.utils import set_seed
from safetensors.torch import load_file, save_file

log = logging.getLogger(__name__)


@dataclass
class TrainConfig:
    """Settings of one training run (a JSON file for `python -m lyrics_model train`).

    stage: 1 (alignment) or 2 (instruction tuning). data: a JSONL file (see lyrics_model.data.records).
    refiner_cache: folder written by `python -m lyrics_model cache-refiner`. init_bridge: stage 2
    starts from this stage-1 bridge. bridge: overrides of BridgeConfig ("mq_former", "objects",
    "vision" dicts). max_minutes: stop early when the time is up (the CPU recipe uses it).
    profile: a profile name (or, from Python, a `Profile`); weights: role -> explicit weights file.
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
    log_every: int = 10
    save_every: int = 200
    seed: int = 0
    resume: bool = True

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


class Trainer:
    """Runs `model(batch)` -> loss (or a dict with "loss") over batches made by `make_batch(indices)`."""

    def __init__(self, config: TrainConfig, model: torch.nn.Module, make_batch: Callable[[list[int]], object],
                 dataset_size: int):
        self.config = config
        # One process may run several trainings with different precisions (the CPU recipe runs eight);
        # accelerate keeps its state per process, so start each from a clean one.
        AcceleratorState._reset_state(reset_partial_state=True)
        self.accelerator = Accelerator(mixed_precision=config.mixed_precision,
                                       gradient_accumulation_steps=config.grad_accum, cpu=not torch.cuda.is_available())
        set_seed(config.seed)
        self.make_batch = make_batch
        self.dataset_size = dataset_size
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
        self.model, self.optimizer = self.accelerator.prepare(model, optimizer)
        self.out_dir = Path(config.out_dir)
        self.step = 0
        self.history: list[dict] = []

    # ---- checkpoints ----------------------------------------------------------------------------
    def _trainable_state(self) -> dict[str, torch.Tensor]:
        model = self.accelerator.unwrap_model(self.model)
        return {n: p.detach().contiguous().cpu() for n, p in model.named_parameters() if p.requires_grad}

    def save_checkpoint(self) -> Path:
        folder = self.out_dir / "checkpoints" / f"step-{self.step:07d}"
        if self.accelerator.is_main_process:
            folder.mkdir(parents=True, exist_ok=True)
            save_file(self._trainable_state(), folder / "trainable.safetensors")
            torch.save(self.optimizer.state_dict(), folder / "optimizer.pt")
            save_file({"torch": torch.get_rng_state()}, folder / "rng.safetensors")
            (folder / "trainer_state.json").write_text(json.dumps({"step": self.step, "config": asdict(self.config)}))
        self.accelerator.wait_for_everyone()
        return folder

    def latest_checkpoint(self) -> Path | None:
        folders = sorted((self.out_dir / "checkpoints").glob("step-*"))
        return folders[-1] if folders else None

    def load_checkpoint(self, folder: Path) -> None:
        model = self.accelerator.unwrap_model(self.model)
        state = load_file(folder / "trainable.safetensors")
        missing = {n for n, p in model.named_parameters() if p.requires_grad} - set(state)
        if missing:
            raise ValueError(f"{folder} lacks trainable weights: {sorted(missing)[:3]}...")
        model.load_state_dict(state, strict=False)
        self.optimizer.load_state_dict(torch.load(folder / "optimizer.pt", weights_only=True))
        torch.set_rng_state(load_file(folder / "rng.safetensors")["torch"])
        self.step = json.loads((folder / "trainer_state.json").read_text())["step"]
        log.info("resumed from %s at step %d", folder, self.step)

    # ---- the loop -------------------------------------------------------------------------------
    def train_step(self) -> dict[str, float]:
        acc = self.accelerator
        indices = batch_indices(self.step, self.dataset_size, self.config.batch_size, self.config.seed,
                                acc.process_index, acc.num_processes)
        batch = self.make_batch(indices)
        self.model.train()
        with acc.accumulate(self.model):
            with acc.autocast():
                output = self.model(batch)
            losses = output if isinstance(output, dict) else {"loss": output}
            acc.backward(losses["loss"])
            self.optimizer.step()
            self.optimizer.zero_grad()
        self.step += 1
        return {k: float(v.detach()) for k, v in losses.items()}

    def fit(self) -> list[dict]:
        """Train until max_steps or max_minutes; resume first if a checkpoint exists. Returns the log."""
        config = self.config
        if config.resume and (checkpoint := self.latest_checkpoint()) is not None:
            self.load_checkpoint(checkpoint)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        log_file = (self.out_dir / "log.jsonl").open("a")
        start = last = time.perf_counter()
        seen = 0
        while self.step < config.max_steps:
            if config.max_minutes is not None and time.perf_counter() - start > config.max_minutes * 60:
                break
            losses = self.train_step()
            seen += config.batch_size * self.accelerator.num_processes
            if self.step == 1 or self.step % config.log_every == 0:
                seen, last = self._log(losses, seen, last, log_file), time.perf_counter()
            if config.save_every and self.step % config.save_every == 0:
                self.save_checkpoint()
        if seen:  # the last steps since the previous log line
            self._log(losses, seen, last, log_file)
        log_file.close()
        return self.history

    def _log(self, losses: dict, seen: int, since: float, log_file) -> int:
        entry = {"step": self.step, **{k: round(v, 4) for k, v in losses.items()},
                 "examples_per_s": round(seen / max(1e-6, time.perf_counter() - since), 2)}
        self.history.append(entry)
        if self.accelerator.is_main_process:
            log_file.write(json.dumps(entry) + "\n")
            log_file.flush()
            log.info(" ".join(f"{k}={v}" for k, v in entry.items()))
        return 0
