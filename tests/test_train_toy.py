"""A few steps of the CPU recipe, end to end through `python -m lyrics_model train-toy` (its own
process: the recipe trains in bf16 where the machine computes it natively): a fixed step budget, a
seeded and repeatable table, a loud note when the time cap cuts a run short, and a checkpoint
answering through `Lyrics`."""

import json
import subprocess
import sys

import pytest

from lyrics_model import Lyrics
from lyrics_model.evaluation.intervals import wilson_interval
from lyrics_model.training.toy import VARIANTS, results_table
from lyrics_model.training.trainer import native_mixed_precision

TINY = ["--stage1-steps", "2", "--stage2-steps", "2", "--train-scenes", "6", "--eval-scenes", "1"]


def train_toy(out, *args, expect_code=0) -> dict:
    """Run the CLI; its results.json."""
    result = subprocess.run([sys.executable, "-m", "lyrics_model", "train-toy", "--out", str(out), *TINY, *args],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == expect_code, result.stderr[-3000:]
    return json.loads((out / "results.json").read_text())


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("toy")
    return out, train_toy(out)


def test_train_toy_writes_the_five_variant_table(toy_run):
    out, summary = toy_run
    data = json.loads((out / "results.json").read_text())
    assert [row["variant"] for row in data["variants"]] == list(VARIANTS)
    assert data["recipe"]["mixed_precision"] == native_mixed_precision()  # fp32 where bf16 would be emulated
    for row in data["variants"]:
        assert set(row["metrics"]) == {"caption_em", "vqa_acc", "rec_acc50", "region_acc"}
        assert row["training"]["stage2"]["steps"] == 2 and row["training"]["stage2"]["seconds_per_step"] > 0
        assert len(row["samples"]) == 5  # one held-out scene, five tasks
    assert "stage1" not in data["variants"][-1]["training"]  # text only has no stage 1
    assert not summary["cut_short"]
    table = results_table(summary)
    assert table.count("\n") == 1 + len(VARIANTS) and "text only" in table and "boxes only" in table and "[0.00, " in table


@pytest.mark.slow
def test_the_same_recipe_gives_the_same_table_twice(toy_run, tmp_path):
    _, first = toy_run
    again = train_toy(tmp_path, "--variant", "no object queries")  # both stages, one variant
    row = next(r for r in first["variants"] if r["variant"] == "no object queries")
    assert again["variants"][0]["metrics"] == row["metrics"] and again["variants"][0]["samples"] == row["samples"]
    for key in ("first_loss", "last_loss"):
        assert again["variants"][0]["training"]["stage2"][key] == row["training"]["stage2"][key]


def test_a_time_cap_that_cuts_the_run_short_says_so(tmp_path):
    summary = train_toy(tmp_path, "--variant", "text only", "--stage2-steps", str(10**6), "--minutes", "0.01",
                        expect_code=1)
    assert summary["cut_short"] and summary["variants"][0]["training"]["stage2"]["steps"] < 10**6
    assert "cut this run short" in results_table(summary)


def test_wilson_intervals():
    low, high = wilson_interval(7, 10)
    assert 0.39 < low < 0.40 and 0.89 < high < 0.90
    assert wilson_interval(0, 0) == (0.0, 1.0) and wilson_interval(0, 20)[0] == 0.0


def test_a_toy_bridge_answers_in_the_demo_model(toy_run, assets):
    out, summary = toy_run
    bridge = next(row["bridge"] for row in summary["variants"] if row["variant"] == "full")
    lyr = Lyrics.from_profile("offline", bridge=bridge)
    assert lyr.describe()["mode"] == "bridge"
    chunks = list(lyr.chat_stream(assets / "cat.jpg", [{"role": "user", "content": "What is region1?"}],
                                  regions=[[100, 50, 300, 250]], max_new_tokens=6))
    assert chunks
