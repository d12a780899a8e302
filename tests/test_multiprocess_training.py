"""Two training processes on the CPU (torchrun, gloo), as several GPUs would run: disjoint batches,
one log and one checkpoint, and a rerun with more steps resumes to the loss an uninterrupted run has.

The same holds on uneven data: images without objects (nothing for masked prediction to score) in one
process's batch while the other's has some, and a dataset with no objects at all."""

import json
import socket
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from lyrics_model.data.synthetic import make_scene
from lyrics_model.training.trainer import batch_indices, split_indices

pytestmark = pytest.mark.slow



SCENES, SEED, BATCH = 12, 3, 2  # the configs below: seed 3, batch_size 2, val_fraction 0.2


def blank_in_one_process() -> set[int]:
    """Scenes to leave empty so that process 1's first micro-batch and process 0's third have no
    object while the other process's batch has some (the runs' batches are a pure function of the seed)."""
    train, _ = split_indices(SCENES, 0.2, SEED)
    first = {train[i] for i in batch_indices(0, len(train), BATCH, SEED, rank=1, world=2)}
    third = {train[i] for i in batch_indices(2, len(train), BATCH, SEED, rank=0, world=2)}
    return first | third


def write_scenes(folder, blank: set[int]):
    """SCENES synthetic scenes of 64 px, one caption each; those in `blank` are a plain grey image
    (the offline refiner finds nothing there) captioned "an empty grey picture."."""
    rng = np.random.default_rng(1)
    lines = []
    for i in range(SCENES):
        scene = make_scene(rng, 64)
        image, caption = (np.full_like(scene.image, 128), "an empty grey picture.") if i in blank else \
            (scene.image, scene.caption())
        Image.fromarray(image).save(folder / f"scene{i}.png")
        lines.append(json.dumps({"image": f"scene{i}.png", "captions": [caption]}))
    (folder / "stage1.jsonl").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module", params=["scenes", "uneven"])
def stage1_data(request, tmp_path_factory):
    blank = blank_in_one_process() if request.param == "uneven" else set()
    return write_scenes(tmp_path_factory.mktemp(request.param), blank)


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
              "refiner_cache": str(data / "cache"), "bridge": bridge, "batch_size": BATCH, "grad_accum": 2,
              "lr": 1e-3, "warmup_steps": 1, "max_steps": max_steps, "log_every": 1, "save_every": 2, "seed": SEED,
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


def test_two_processes_train_on_images_without_any_object(tmp_path, tiny_bridge_settings):
    (tmp_path / "data").mkdir()
    data = write_scenes(tmp_path / "data", blank=set(range(SCENES)))
    out = tmp_path / "run"
    torchrun(write_config(tmp_path, data, out, max_steps=2, bridge=tiny_bridge_settings))
    log = log_of(out)
    assert [e["step"] for e in log] == [1, 2]
    assert all(e["msp"] == 0 for e in log) and all(np.isfinite(e["loss"]) for e in log)
