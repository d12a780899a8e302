"""The real offline weights on the example photos: meaningful tags, people found, masks inside boxes."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

EXAMPLES = ["astronaut.jpg", "cameraman.jpg", "cat.jpg", "coffee.jpg", "rocket.jpg"]


def test_a_person_is_found_in_a_photo_of_a_person(offline_lyrics, assets):
    result = offline_lyrics.refine(assets / "astronaut.jpg")
    people = [i for i, label in enumerate(result.labels) if label == "person"]
    assert people, result.labels
    x1, y1, x2, y2 = result.detections.xyxy[people[0]]
    assert x1 < 256 < x2 and y1 < 256 < y2  # she fills the middle of the frame
    assert any(t.name == "person" for t in result.tags)


def test_the_cat_is_tagged_and_detected(offline_lyrics, assets):
    result = offline_lyrics.refine(assets / "cat.jpg")
    assert "cat" in result.labels
    assert any("cat" in t.name for t in result.tags if t.source == "tagger")


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_mask_lies_mostly_inside_its_box(offline_lyrics, assets, name):
    result = offline_lyrics.refine(assets / name)
    for (x1, y1, x2, y2), mask in zip(result.detections.xyxy, result.detections.mask):
        total = mask.sum()
        assert total > 0
        inside = mask[int(y1) : int(np.ceil(y2)), int(x1) : int(np.ceil(x2))].sum()
        assert inside / total >= 0.95


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "lyrics_model", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_cli_writes_json_and_overlay(tmp_path, assets):
    run = _cli("refine", assets / "astronaut.jpg", "--profile", "offline", "--json", tmp_path / "o.json",
               "--overlay", tmp_path / "o.png", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = json.loads((tmp_path / "o.json").read_text())
    assert data["profile"] == "offline" and data["image"] == {"width": 512, "height": 512}
    assert data["tags"] and {"tagger", "detector", "segmenter", "total"} <= set(data["timings_ms"])
    person = next(o for o in data["objects"] if o["label"] == "person")
    assert set(person) >= {"id", "label", "score", "box", "box_norm", "mask", "area"}
    assert person["mask"]["size"] == [512, 512] and person["area"] > 0
    assert Image.open(tmp_path / "o.png").size == (512, 512)


@pytest.mark.parametrize("content", [b"", b"not an image at all", b"\xff\xd8\xff\xe0" + b"\x00" * 64])
def test_cli_bad_file_exits_2_with_one_line(tmp_path, content):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(content)
    run = _cli("refine", bad, "--profile", "offline", cwd=tmp_path)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and run.stderr.startswith("error:")


def test_review_answer_points_at_objects_and_checks_the_regions_discussed(offline_lyrics, assets):
    image = assets / "astronaut.jpg"
    region = [20, 200, 370, 510]  # her suit, as a pixel box
    agrees = offline_lyrics.review_answer(image, "What is region1?", "A woman in a spacesuit.", regions=[region])
    assert [c.region_id for c in agrees.checks] == ["region1"] and agrees.checks[0].label == "person"
    assert not agrees.disagrees and "refiner says person" in agrees.checks_text()
    wrong = offline_lyrics.review_answer(image, "What is region1?", "A red bus.", regions=[region])
    assert wrong.disagrees and "they disagree" in wrong.checks_text()
    pointed = offline_lyrics.review_answer(image, "Where is she?", "obj1 is at [0.1, 0.1, 0.5, 0.5].")
    assert pointed.checks == [] and [r.kind for r in pointed.references] == ["object", "box"]
    assert pointed.to_json()["references"][1]["box"] == [51.2, 51.2, 256.0, 256.0]
