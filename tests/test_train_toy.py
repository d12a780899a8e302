"""A few steps of the CPU recipe, end to end, and its checkpoint answering through `Lyrics`."""

import json

import pytest

from lyrics_model import Lyrics
from lyrics_model.training.toy import VARIANTS, results_table, train_toy


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("toy")
    summary = train_toy(minutes=3, out=out, max_steps=2, train_scenes=6, eval_scenes=1, eval_seconds=5)
    return out, summary


def test_train_toy_writes_the_four_variant_table(toy_run):
    out, summary = toy_run
    data = json.loads((out / "results.json").read_text())
    assert [row["variant"] for row in data["variants"]] == list(VARIANTS)
    for row in data["variants"]:
        assert set(row["metrics"]) == {"caption_em", "vqa_acc", "rec_acc50", "region_acc"}
        assert row["training"]["stage2_steps"] == 2
        assert len(row["samples"]) == 5  # one held-out scene, five tasks
    table = results_table(summary)
    assert table.count("\n") == 1 + len(VARIANTS) and "text only" in table


def test_a_toy_bridge_answers_in_the_demo_model(toy_run, assets):
    out, summary = toy_run
    bridge = next(row["bridge"] for row in summary["variants"] if row["variant"] == "full")
    lyr = Lyrics.from_profile("offline", bridge=bridge)
    assert lyr.describe()["mode"] == "bridge"
    chunks = list(lyr.chat_stream(assets / "cat.jpg", [{"role": "user", "content": "What is region1?"}],
                                  regions=[[100, 50, 300, 250]], max_new_tokens=6))
    assert chunks
