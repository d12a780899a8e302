"""`python -m lyrics_model train stage1|stage2 --config FILE` on a tiny JSONL dataset: the refiner is
cached once, stage 1 trains, stage 2 starts from it, and the bridge loads into `Lyrics`."""

import json

import numpy as np
import pytest
from PIL import Image

from lyrics_model import Lyrics
from lyrics_model.__main__ import main
from lyrics_model.data.refiner_shards import read_index
from lyrics_model.data.synthetic import make_scene



@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(0)
    stage1, stage2 = [], []
    for i in range(4):
        scene = make_scene(rng, 64)
        Image.fromarray(scene.image).save(folder / f"scene{i}.png")
        stage1.append({"image": f"scene{i}.png", "captions": [scene.caption()]})
        box = [float(v) for v in scene.shapes[0].box]
        stage2.append({"image": f"scene{i}.png", "task": "reg", "regions": [box],
                       "conversations": [{"role": "user", "content": "What is region1?"},
                                         {"role": "assistant", "content": f"a {scene.shapes[0].name}."}]})
    for name, rows in (("stage1.jsonl", stage1), ("stage2.jsonl", stage2)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder


@pytest.mark.slow
def test_both_stages_train_from_config_files(dataset, tmp_path, assets, tiny_bridge_settings):
    common = {"profile": "offline", "batch_size": 2, "max_steps": 2, "log_every": 1, "save_every": 1,
              "refiner_cache": str(tmp_path / "cache")}
    (tmp_path / "s1.json").write_text(json.dumps({**common, "stage": 1, "data": str(dataset / "stage1.jsonl"),
                                                  "out_dir": str(tmp_path / "s1"), "bridge": tiny_bridge_settings}))
    (tmp_path / "s2.json").write_text(json.dumps({**common, "stage": 2, "data": str(dataset / "stage2.jsonl"),
                                                  "out_dir": str(tmp_path / "s2"),
                                                  "init_bridge": str(tmp_path / "s1" / "bridge")}))
    assert main(["train", "stage1", "--config", str(tmp_path / "s1.json")]) == 0
    assert read_index(tmp_path / "cache")["images"] == 4  # one refiner pass per image
    assert (tmp_path / "s1" / "checkpoints" / "step-0000002").is_dir()
    assert main(["train", "stage2", "--config", str(tmp_path / "s2.json")]) == 0
    log = [json.loads(line) for line in (tmp_path / "s2" / "log.jsonl").read_text().splitlines()]
    assert [entry["step"] for entry in log] == [1, 2] and all("examples_per_s" in e for e in log)
    assert (tmp_path / "s2" / "bridge" / "lora").is_dir()

    lyr = Lyrics.from_profile("offline", bridge=tmp_path / "s2" / "bridge")
    assert lyr.mode == "bridge"
    assert list(lyr.chat_stream(assets / "cat.jpg", [{"role": "user", "content": "Hi"}], max_new_tokens=3))


def test_a_config_for_the_other_stage_is_refused(tmp_path):
    (tmp_path / "c.json").write_text(json.dumps({"stage": 2, "data": "x.jsonl"}))
    with pytest.raises(SystemExit, match="stage-2 config"):
        main(["train", "stage1", "--config", str(tmp_path / "c.json")])


@pytest.mark.slow
def test_a_clip_profile_caches_patches_trains_both_stages_and_chats_in_bridge_mode(dataset, tmp_path, assets,
                                                                                    tiny_weights, tiny_lyrics,
                                                                                    tiny_bridge_settings):
    """The tiny random CLIP / YOLO-World / SAM profile through the real loaders: the vision encoder
    shares the tagger's CLIP and must leave it as it was."""
    from conftest import TINY_PROFILE

    from lyrics_model.data.refiner_cache import load_cached
    from lyrics_model.training.run import train_from_config
    from lyrics_model.training.trainer import TrainConfig

    rgb = tiny_lyrics.load(assets / "cat.jpg").rgb
    expected_tags = [(t.name, round(t.score, 5)) for t in tiny_lyrics.refiner.tagger.tag(rgb)]
    common = dict(profile=TINY_PROFILE, weights={k: str(v) for k, v in tiny_weights.items()}, batch_size=2,
                  max_steps=2, log_every=1, save_every=2, refiner_cache=str(tmp_path / "cache"),
                  bridge=tiny_bridge_settings)
    stage1 = train_from_config(TrainConfig(stage=1, data=str(dataset / "stage1.jsonl"), out_dir=str(tmp_path / "s1"),
                                           **common))
    _, patches = load_cached(tmp_path / "cache", dataset / "scene0.png")
    assert patches is not None and patches.shape == (16, 64)  # (64/16)^2 patches of the tiny CLIP's width
    stage2 = train_from_config(TrainConfig(stage=2, data=str(dataset / "stage2.jsonl"), out_dir=str(tmp_path / "s2"),
                                           init_bridge=str(stage1), **common))

    lyr = Lyrics.from_profile(TINY_PROFILE, weights=tiny_weights, bridge=stage2)
    assert lyr.mode == "bridge" and lyr.bridge.config.vision_name == "clip"
    lyr.refiner.tagger.min_score = tiny_lyrics.refiner.tagger.min_score  # the fixture keeps every tag
    assert [(t.name, round(t.score, 5)) for t in lyr.refiner.tagger.tag(rgb)] == expected_tags
    lyr.refine(rgb)
    answer = lyr.chat(rgb, [{"role": "user", "content": "What is region1?"}], regions=[[10, 10, 200, 200]],
                      max_new_tokens=3)
    assert isinstance(answer, str)
    assert [(t.name, round(t.score, 5)) for t in lyr.refiner.tagger.tag(rgb)] == expected_tags
