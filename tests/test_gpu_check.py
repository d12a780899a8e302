"""`benchmarks/gpu_check.py --tiny`: the GPU check's every step (weights placed in the caches, the gpu
profile loaded from them with no fallback, refine, clicks, chat, both training stages, a bridged chat)
with tiny stand-ins, on the CPU."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_gpu_check_runs_end_to_end_with_tiny_stand_ins(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gpu_check.py"), "--tiny", "--steps", "2",
                           "--tokens", "4", "--workdir", str(tmp_path), "--out", str(tmp_path / "report.json")],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| gpu profile check on cpu (tiny stand-ins) |" in done.stdout
    for row in ("load the gpu profile from the caches", "chat: first token", "stage 2: 2 steps",
                "chat with the trained bridge"):
        assert row in done.stdout
    assert (tmp_path / "report.json").is_file()
