"""Two training processes on the CPU (torchrun, gloo), as several GPUs would run: disjoint batches,
one log and one checkpoint, and a rerun with more steps resumes to the loss an uninterrupted run has."""

import json
import socket
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from lyrics_model.data.synthetic import make_scene

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def stage1_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(1)
    lines = []
    for i in range(12):
        scene = make_scene(rng, 64)
        Image.fromarray(scene.image).save(folder / f"scene{i}.png")
        lines.append(json.dumps({"image": f"scene{i}.png", "captions": [scene.caption()]}))
    (folder / "stage1.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def torchrun(config_path):
    """`torchrun --nproc_per_node 2 -m lyrics_model train stage1 --config C`; the completed process."""
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_addr", "127.0.0.1",
               "--master_port", str(free_port()), "-m", "lyrics_model", "train", "stage1", "--config", str(config_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    return result


def write_config(folder, data, out, max_steps, bridge):
    config = {"stage": 1, "data": str(data / "stage1.jsonl"), "out_dir": str(out), "profile": "offline",
              "refiner_cache": str(data / "cache"), "bridge": bridge, "batch_size": 2, "grad_accum": 2,
              "lr": 1e-3, "warmup_steps": 1, "max_steps": max_steps, "log_every": 1, "save_every": 2, "seed": 3,
              "val_fraction": 0.2, "eval_every": 2, "record_batches": True}
    path = folder / f"{out.name}-{max_steps}.json"
    path.write_text(json.dumps(config))
    return path


def log_of(out) -> list[dict]:
    return [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]


def test_two_processes_train_disjoint_batches_log_once_and_resume_exactly(stage1_data, tmp_path,
                                                                          tiny_bridge_settings):
    interrupted, whole = tmp_path / "interrupted", tmp_path / "whole"
    torchrun(write_config(tmp_path, stage1_data, interrupted, max_steps=2, bridge=tiny_bridge_settings))

    # Each optimizer step took grad_accum micro-batches per process; the two processes never shared an example.
    ranks = [[json.loads(line) for line in (interrupted / f"batches-rank{r}.jsonl").read_text().splitlines()]
             for r in (0, 1)]
    assert [len(r) for r in ranks] == [4, 4]
    for first, second in zip(*ranks):
        assert first["micro_step"] == second["micro_step"] and not set(first["indices"]) & set(second["indices"])
    log = log_of(interrupted)
    assert [e["step"] for e in log] == [1, 2] and "val_loss" in log[1]  # written once, by one process
    checkpoint = interrupted / "checkpoints" / "step-0000002"
    files = sorted(p.name for p in checkpoint.iterdir())
    assert "trainer_state.json" in files and "random_states_0.pkl" in files and "random_states_1.pkl" in files
    assert json.loads((checkpoint / "trainer_state.json").read_text())["micro_step"] == 4

    # The same command with more steps resumes; an uninterrupted run of four steps is the reference.
    torchrun(write_config(tmp_path, stage1_data, interrupted, max_steps=4, bridge=tiny_bridge_settings))
    torchrun(write_config(tmp_path, stage1_data, whole, max_steps=4, bridge=tiny_bridge_settings))
    resumed, uninterrupted = log_of(interrupted), log_of(whole)
    assert [e["step"] for e in resumed] == [1, 2, 3, 4] == [e["step"] for e in uninterrupted]
    for mine, theirs in zip(resumed[2:], uninterrupted[2:]):
        assert mine["loss"] == pytest.approx(theirs["loss"], abs=1e-4)
        assert mine["lr"] == pytest.approx(theirs["lr"])
    assert resumed[3]["val_loss"] == pytest.approx(uninterrupted[3]["val_loss"], abs=1e-4)
