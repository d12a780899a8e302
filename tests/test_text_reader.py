"""Reading text: the packaged PP-OCR reader on drawn signs, plates and labels; its loading; a missing or
failing reader; text lines in the photo's pixels and in the refine JSON."""

import importlib.util
import shutil

import numpy as np
import pytest

from lyrics_model import Lyrics, TextReaderUnavailable, WeightsUnavailable
from lyrics_model.data.synthetic_text import text_photo
from lyrics_model.evaluation.text_reading import score_reading
from lyrics_model.refiner.text_reader import MODEL_FILES, RapidOcrReader


@pytest.fixture(scope="module")
def reader() -> RapidOcrReader:
    return RapidOcrReader.from_package()


def test_reads_drawn_signs_plates_and_labels_exactly(reader):
    outcomes, invented = [], []
    for seed in range(4):
        photo = text_photo(seed, x_heights=(10, 12, 16, 24))
        scored, extra = score_reading(photo.lines, reader.read(photo.rgb))
        outcomes += scored
        invented += extra
    assert len(outcomes) >= 10 and {o.kind for o in outcomes} == {"sign", "plate", "label"}
    misread = [(o.truth, o.read) for o in outcomes if not o.exact]
    assert len(misread) <= len(outcomes) // 10, misread  # the benchmark's target: 90% exact at these sizes
    assert invented == []


def test_reads_nothing_where_nothing_is_written(reader):
    for seed in range(3):
        assert reader.read(text_photo(seed, items=0).rgb) == []


def test_lines_are_bounded_in_number_and_length(reader):
    photo = text_photo(1, x_heights=(16,))
    short = RapidOcrReader(reader.source.path, reader.source, max_lines=1, max_chars=4)
    lines = short.read(photo.rgb)
    assert len(lines) == 1 and len(lines[0].text) <= 4
    if len(reader.read(photo.rgb)[0].text) > 4:
        assert lines[0].text.endswith("…")


def test_reader_loads_from_an_explicit_folder_through_the_profile(tmp_path):
    package = importlib.util.find_spec("rapidocr").submodule_search_locations[0]
    for name in MODEL_FILES.values():
        shutil.copy(f"{package}/models/{name}", tmp_path / name)
    lyr = Lyrics.from_profile("offline", weights={"text_reader": tmp_path})
    info = lyr.describe()["roles"]["text_reader"]
    assert info["origin"] == "explicit path" and info["weights"] == str(tmp_path) and info["licence"] == "Apache-2.0"
    photo = text_photo(2, x_heights=(16,))
    assert sorted(line.text for line in lyr.read_text(photo.rgb)) == sorted(line.text for line in photo.lines)


def test_explicit_folder_with_a_broken_model_is_refused(tmp_path):
    package = importlib.util.find_spec("rapidocr").submodule_search_locations[0]
    for name in MODEL_FILES.values():
        shutil.copy(f"{package}/models/{name}", tmp_path / name)
    (tmp_path / MODEL_FILES["Rec"]).write_bytes(b"not an onnx model")
    with pytest.raises(WeightsUnavailable, match="not a loadable ONNX model"):
        RapidOcrReader.from_package(tmp_path)
    (tmp_path / MODEL_FILES["Det"]).unlink()
    with pytest.raises(WeightsUnavailable, match=MODEL_FILES["Det"]):
        RapidOcrReader.from_package(tmp_path)


def test_missing_reader_leaves_a_clear_note_and_the_rest_working(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "rapidocr" else real_find_spec(name, *a))
    lyr = Lyrics.from_profile("offline")
    monkeypatch.undo()
    info = lyr.describe()["roles"]["text_reader"]
    assert "rapidocr is not installed" in info["unavailable"] and info["origin"].startswith("unavailable")
    photo = text_photo(0)
    plain = lyr.refine(photo.rgb)
    assert plain.texts is None and "text_reader" not in plain.models
    asked = lyr.refine(photo.rgb, read_text=True)
    assert asked.texts is None and any("no text reader" in n for n in asked.notices)
    assert asked.to_json()["texts"] is None and len(asked.detections) == len(plain.detections)
    with pytest.raises(TextReaderUnavailable, match="no text reader"):
        lyr.read_text(photo.rgb)


def test_failing_reader_is_reported_not_raised_by_refine(offline_lyrics):
    class BrokenReader:
        name = "broken"

        def read(self, rgb):
            raise RuntimeError("onnxruntime failed")

    lyr = Lyrics(offline_lyrics.profile, offline_lyrics.refiner, offline_lyrics.built)
    refiner = lyr.refiner
    working, refiner.text_reader = refiner.text_reader, BrokenReader()
    try:
        photo = text_photo(5)
        result = lyr.refine(photo.rgb, read_text=True)
        assert result.texts is None and any("reading text failed: onnxruntime failed" in n for n in result.notices)
        with pytest.raises(TextReaderUnavailable):
            lyr.read_text(photo.rgb)
    finally:
        refiner.text_reader = working


def test_text_lines_come_back_in_the_photos_pixels(offline_lyrics):
    photo = text_photo(3, size=(1280, 960), x_heights=(24,))
    small = Lyrics(offline_lyrics.profile, offline_lyrics.refiner, offline_lyrics.built, max_side=800)
    result = small.refine(photo.rgb, read_text=True)
    assert result.size == (1280, 960) and result.scale < 1
    lines = small.read_text(photo.rgb)
    assert [line.text for line in result.texts] == [line.text for line in lines]
    scored, invented = score_reading(photo.lines, lines)  # matched by place: the polygons are the photo's
    assert all(o.read for o in scored) and invented == []
    data = result.to_json()
    assert data["texts"][0].keys() == {"id", "text", "score", "box", "box_norm", "polygon"}
    assert data["texts"][0]["id"] == "text1" and len(data["texts"][0]["polygon"]) == 4
    assert "text_reader" in data["timings_ms"]
    assert abs(data["texts"][0]["box_norm"][2] - min(1.0, result.texts[0].box[2] / 1280)) <= 0.0006


def test_overlay_draws_the_text_lines(offline_lyrics):
    photo = text_photo(2, x_heights=(16,))
    result = offline_lyrics.refine(photo.rgb, read_text=True)
    with_text = offline_lyrics.overlay(photo.rgb, result)
    without = offline_lyrics.overlay(photo.rgb, offline_lyrics.refine(photo.rgb))
    x1, y1, x2, y2 = (int(v) for v in result.texts[0].box)
    assert np.any(with_text[y1:y2 + 1, x1:x2 + 1] != without[y1:y2 + 1, x1:x2 + 1])


def test_annotate_writes_text_lines_that_pycocotools_loads(tmp_path, offline_lyrics):
    from PIL import Image
    from pycocotools.coco import COCO

    from lyrics_model.coco_annotations import annotate

    photos = tmp_path / "photos"
    photos.mkdir()
    for seed in (2, 3):
        Image.fromarray(text_photo(seed, x_heights=(16,)).rgb).save(photos / f"photo{seed}.png")
    out = tmp_path / "coco.json"
    report = annotate(str(photos), offline_lyrics, out, progress=False)
    assert report.added == 2
    coco = COCO(str(out))
    text_category = coco.getCatIds(catNms=["text"])
    assert len(text_category) == 1 and coco.loadCats(text_category)[0]["supercategory"] == "text"
    for image in coco.dataset["images"]:
        expected = offline_lyrics.read_text(photos / image["file_name"])
        annotations = coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]], catIds=text_category))
        assert [a["text"] for a in annotations] == [line.text for line in expected] and expected
        for annotation, line in zip(annotations, expected):
            x1, y1, x2, y2 = line.box
            assert np.allclose(annotation["bbox"], [x1, y1, x2 - x1, y2 - y1], atol=0.01)
            mask = coco.annToMask(annotation)  # the polygon, rasterised by pycocotools
            assert mask.shape == (image["height"], image["width"]) and mask.sum() > 0.5 * annotation["area"]
    no_text = annotate(str(photos), offline_lyrics, tmp_path / "objects-only.json", progress=False, read_text=False)
    assert no_text.added == 2 and not COCO(str(tmp_path / "objects-only.json")).getCatIds(catNms=["text"])


def test_refine_command_reads_text_when_asked(tmp_path):
    import json
    import subprocess
    import sys

    from PIL import Image

    photo = text_photo(2, x_heights=(16,))
    Image.fromarray(photo.rgb).save(tmp_path / "signs.png")
    run = subprocess.run([sys.executable, "-m", "lyrics_model", "refine", str(tmp_path / "signs.png"), "--profile",
                          "offline", "--text", "--json", str(tmp_path / "out.json")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    data = json.loads((tmp_path / "out.json").read_text())
    assert sorted(t["text"] for t in data["texts"]) == sorted(line.text for line in photo.lines)
    assert f"{len(photo.lines)} text lines" in run.stderr
