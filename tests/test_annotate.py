"""`python -m lyrics_model annotate`: a folder of images to a COCO instances file that pycocotools
loads, resumable, with unreadable images listed and skipped."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from pycocotools import mask as coco_mask
from pycocotools.coco import COCO


def run_annotate(*args):
    return subprocess.run([sys.executable, "-m", "lyrics_model", "annotate", *map(str, args), "--profile", "offline"],
                          capture_output=True, text=True, timeout=300)


def test_a_folder_becomes_coco_instances_and_a_rerun_adds_only_new_images(tmp_path, assets, offline_lyrics):
    photos = tmp_path / "photos"
    (photos / "more").mkdir(parents=True)
    shutil.copy(assets / "astronaut.jpg", photos / "astronaut.jpg")
    shutil.copy(assets / "cat.jpg", photos / "more" / "cat.jpg")
    (photos / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a jpeg")
    (photos / "notes.txt").write_text("not an image")
    out = tmp_path / "coco.json"
    first = run_annotate(photos, "--coco", out, "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert "annotating" in first.stderr  # the progress bar
    assert f"skipped {photos / 'broken.jpg'}" in first.stderr and "corrupt" in first.stderr
    assert "2 images annotated, 0 already there, 1 unreadable" in first.stderr

    coco = COCO(str(out))
    names = {image["file_name"]: image for image in coco.dataset["images"]}
    assert set(names) == {"astronaut.jpg", "more/cat.jpg"}
    astronaut = names["astronaut.jpg"]
    assert (astronaut["width"], astronaut["height"]) == (512, 512)
    assert "person" in [t["name"] for t in astronaut["tags"]]
    expected = offline_lyrics.refine(assets / "astronaut.jpg")
    text_ids = coco.getCatIds(catNms=["text"])  # lines of text read, if any, are annotations apart
    annotations = [a for a in coco.loadAnns(coco.getAnnIds(imgIds=[astronaut["id"]])) if a["category_id"] not in text_ids]
    assert len(annotations) == len(expected.detections)
    person = next(a for a in annotations if coco.loadCats(a["category_id"])[0]["name"] == "person")
    row = expected.labels.index("person")
    x1, y1, x2, y2 = expected.detections.xyxy[row]
    assert np.allclose(person["bbox"], [x1, y1, x2 - x1, y2 - y1], atol=0.01)
    mask = coco.annToMask(person).astype(bool)
    assert mask.shape == (512, 512) and np.array_equal(mask, expected.detections.mask[row])
    assert person["area"] == int(mask.sum()) == int(coco_mask.area(person["segmentation"]))
    assert 0 < person["score"] <= 1 and person["iscrowd"] == 0
    assert {c["name"] for c in coco.dataset["categories"]} - {"text"} == set(expected.labels) | set(
        offline_lyrics.refine(assets / "cat.jpg").labels)

    shutil.copy(assets / "coffee.jpg", photos / "coffee.jpg")
    second = run_annotate(photos, "--coco", out)
    assert "1 images annotated, 2 already there" in second.stderr
    data = json.loads(out.read_text())
    assert [i["file_name"] for i in data["images"]] == ["astronaut.jpg", "more/cat.jpg", "coffee.jpg"]
    assert len({a["id"] for a in data["annotations"]}) == len(data["annotations"])  # ids stay unique
    COCO(str(out))


@pytest.mark.slow
def test_a_glob_selects_images_and_a_bad_source_is_one_line(tmp_path, assets):
    shutil.copy(assets / "cat.jpg", tmp_path / "cat.jpg")
    shutil.copy(assets / "rocket.jpg", tmp_path / "rocket.jpg")
    out = tmp_path / "out" / "cats.json"
    result = run_annotate(tmp_path / "c*.jpg", "--coco", out)
    assert result.returncode == 0, result.stderr
    assert [i["file_name"] for i in json.loads(out.read_text())["images"]] == ["cat.jpg"]
    missing = run_annotate(tmp_path / "nothing-here", "--coco", out)
    assert missing.returncode == 2 and missing.stderr.startswith("error:") and "Traceback" not in missing.stderr
