"""`python -m lyrics_model data convert`: COCO captions, RefCOCO, Visual Genome regions and
LLaVA-Instruct, from small files written in each dataset's real schema, into records that
`read_records` accepts."""

import json
import pickle
import subprocess
import sys

import pytest
from PIL import Image

from lyrics_model.data.convert import convert
from lyrics_model.data.records import DataError, read_records


@pytest.fixture
def images(tmp_path):
    folder = tmp_path / "images"
    folder.mkdir()
    for name, size in [("000000000001.jpg", (640, 480)), ("000000000002.jpg", (320, 240)), ("10.jpg", (800, 600))]:
        Image.new("RGB", size, (120, 80, 40)).save(folder / name)
    return folder


def write(path, data):
    path.write_text(json.dumps(data))
    return path


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "lyrics_model", "data", "convert", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_coco_captions_become_stage1_records_and_bad_entries_are_reported(tmp_path, images):
    captions = write(tmp_path / "captions_train2017.json", {
        "info": {}, "licenses": [],
        "images": [{"id": 1, "file_name": "000000000001.jpg", "width": 640, "height": 480},
                   {"id": 2, "file_name": "000000000002.jpg", "width": 320, "height": 240},
                   {"id": 3, "file_name": "000000000003.jpg", "width": 640, "height": 480},
                   {"id": 4, "file_name": "000000000001.jpg", "width": 640, "height": 480}],
        "annotations": [{"image_id": 1, "id": 11, "caption": "A man riding a horse."},
                        {"image_id": 1, "id": 12, "caption": "Someone on horseback. "},
                        {"image_id": 2, "id": 13, "caption": "A bowl of fruit."},
                        {"image_id": 3, "id": 14, "caption": "A missing picture."}]})
    out = tmp_path / "out" / "stage1.jsonl"
    result = run_cli("coco-captions", "--input", captions, "--images", images, "--out", out)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert f"{captions}: entry 3: image not found" in result.stderr
    assert f"{captions}: entry 4: image 4 has no captions" in result.stderr
    assert "wrote 2 records" in result.stderr and "skipped 2 entries" in result.stderr
    records = read_records(out, stage=1)
    assert records[0].captions == ["A man riding a horse.", "Someone on horseback."]
    assert records[0].image.resolve() == (images / "000000000001.jpg").resolve()


def test_refcoco_refs_become_rec_and_reg_records_with_boxes_from_xywh(tmp_path, images):
    instances = write(tmp_path / "instances.json", {
        "images": [{"id": 1, "file_name": "000000000001.jpg", "width": 640, "height": 480}],
        "annotations": [{"id": 101, "image_id": 1, "bbox": [64.0, 48.0, 128.0, 96.0], "category_id": 1, "area": 12288,
                         "iscrowd": 0, "segmentation": [[64, 48, 192, 48, 192, 144]]},
                        {"id": 102, "image_id": 1, "bbox": [10, 10, 0, 5], "category_id": 1}],
        "categories": [{"id": 1, "name": "person"}]})
    refs = write(tmp_path / "refs.json", [
        {"ref_id": 0, "ann_id": 101, "image_id": 1, "split": "train", "category_id": 1, "file_name": "x.jpg",
         "sentences": [{"tokens": ["man", "on", "left"], "raw": "Man on left", "sent_id": 0, "sent": "man on left"},
                       {"raw": "guy in red", "sent_id": 1, "sent": "guy in red"}], "sent_ids": [0, 1]},
        {"ref_id": 1, "ann_id": 999, "image_id": 1, "split": "train", "sentences": [{"sent": "ghost"}]},
        {"ref_id": 2, "ann_id": 102, "image_id": 1, "split": "train", "sentences": [{"sent": "flat"}]},
        {"ref_id": 3, "ann_id": 101, "image_id": 1, "split": "val", "sentences": [{"sent": "held out"}]}])
    out = tmp_path / "refcoco.jsonl"
    report = convert("refcoco", refs, images, out, instances=instances, split="train")
    assert report.written == 4 and report.skipped == [f"{refs}: entry 2: ann_id 999 is not in the instances file",
                                                      f"{refs}: entry 3: the box [10, 10, 0, 5] has no area"]
    records = read_records(out, stage=2)
    rec, reg = records[0], records[1]
    assert rec.task == "rec" and rec.conversations[0]["content"] == "Where is man on left? Answer with a box."
    assert rec.conversations[1]["content"] == "[0.100, 0.100, 0.300, 0.300]."
    assert reg.task == "reg" and reg.regions == [[64.0, 48.0, 192.0, 144.0]]
    assert reg.conversations[1]["content"] == "Man on left."
    assert "held out" not in out.read_text()


def test_refcoco_pickles_are_never_loaded(tmp_path, images):
    refs = tmp_path / "refs(unc).p"
    refs.write_bytes(pickle.dumps([{"ann_id": 1}]))
    with pytest.raises(DataError, match="pickles are never loaded"):
        convert("refcoco", refs, images, tmp_path / "o.jsonl", instances=refs)


def test_visual_genome_regions_become_reg_records(tmp_path, images):
    regions = write(tmp_path / "region_descriptions.json", [
        {"id": 10, "regions": [
            {"region_id": 1, "width": 100, "height": 50, "image_id": 10, "phrase": "a red bus", "y": 20, "x": 30},
            {"region_id": 2, "width": 40, "height": 40, "image_id": 10, "phrase": "", "y": 0, "x": 0},
            {"region_id": 3, "width": 40, "height": 40, "image_id": 10, "phrase": "sky", "y": 0, "x": 0}]},
        {"id": 11, "regions": [{"region_id": 4, "width": 5, "height": 5, "image_id": 11, "phrase": "tree", "y": 1,
                                "x": 1}]}])
    out = tmp_path / "vg.jsonl"
    report = convert("vg-regions", regions, images, out)
    assert report.written == 2
    assert report.skipped == [f"{regions}: entry 2: empty phrase", f"{regions}: entry 4: image not found: "
                                                                    f"{images / '11.jpg'}"]
    first = read_records(out, stage=2)[0]
    assert first.regions == [[30.0, 20.0, 130.0, 70.0]] and first.conversations[1]["content"] == "A red bus."


@pytest.mark.slow
def test_llava_conversations_become_vqa_and_dialogue_records(tmp_path, images):
    llava = write(tmp_path / "llava_instruct_150k.json", [
        {"id": "000000000001", "image": "000000000001.jpg", "conversations": [
            {"from": "human", "value": "<image>\nWhat is the man doing?"}, {"from": "gpt", "value": "Riding a horse."}]},
        {"id": "000000000002", "image": "000000000002.jpg", "conversations": [
            {"from": "human", "value": "What is in the bowl?\n<image>"}, {"from": "gpt", "value": "Fruit."},
            {"from": "human", "value": "Which colours?"}, {"from": "gpt", "value": "Red and yellow."}]},
        {"id": "text-only", "conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]},
        {"id": "x", "image": "000000000001.jpg", "conversations": [{"from": "gpt", "value": "Wrong order"}]},
        {"id": "y", "image": "../secret.jpg", "conversations": []}])
    out = tmp_path / "llava.jsonl"
    result = run_cli("llava", "--input", llava, "--images", images, "--out", out)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "entry 3: 'image' is missing" in result.stderr and "entry 4: turn 1 should be the human turn" in result.stderr
    assert "entry 5: image '../secret.jpg' lies outside the image folder" in result.stderr
    vqa, dialogue = read_records(out, stage=2)
    assert vqa.task == "vqa" and vqa.conversations[0]["content"] == "What is the man doing?"
    assert dialogue.task == "dialogue" and len(dialogue.conversations) == 4
    assert "<image>" not in out.read_text()


@pytest.mark.slow
def test_unreadable_inputs_are_one_line_errors(tmp_path, images):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = run_cli("coco-captions", "--input", broken, "--images", images, "--out", tmp_path / "o.jsonl")
    assert result.returncode == 2 and result.stderr.startswith("error:") and "not valid JSON" in result.stderr
    result = run_cli("refcoco", "--input", write(tmp_path / "r.json", []), "--images", images,
                     "--out", tmp_path / "o.jsonl")
    assert result.returncode == 2 and "refcoco needs --instances" in result.stderr
