"""The refiner chain, its cache, and click segmentation."""

import numpy as np
import pytest

from lyrics_model import PromptError


def test_tags_reach_the_detector_prompt(tiny_lyrics, scene):
    result = tiny_lyrics.refine(scene)
    tagger_tags = [t.name for t in result.tags if t.source == "tagger"]
    assert tagger_tags and tiny_lyrics.refiner.detector.prompts == tagger_tags
    assert set(result.labels) <= set(tagger_tags)


def test_refine_output_schema(tiny_lyrics, scene):
    data = tiny_lyrics.refine(scene).to_json()
    assert data["image"] == {"width": 320, "height": 240}
    assert set(data["timings_ms"]) == {"tagger", "detector", "segmenter", "total"}
    assert set(data["models"]) == {"tagger", "detector", "segmenter", "text_reader"}
    assert data["texts"] is None  # text is read only when asked for
    for i, obj in enumerate(data["objects"]):
        assert obj["id"] == f"obj{i + 1}"
        assert obj["mask"]["size"] == [240, 320]
        assert all(0 <= v <= 1 and round(v, 3) == v for v in obj["box_norm"])
        x1, y1, x2, y2 = obj["box"]
        assert obj["box_norm"][0] == round(x1 / 320, 3) and obj["box_norm"][3] == round(y2 / 240, 3)


def test_refine_is_cached_by_image_content(tiny_lyrics, scene):
    first = tiny_lyrics.refine(scene)
    again = tiny_lyrics.refine(scene.copy())
    assert again is first
    other = scene.copy()
    other[0, 0] = 0
    assert tiny_lyrics.refine(other) is not first


def test_cache_is_bounded(offline_lyrics):
    cache = offline_lyrics.refiner.cache
    for value in range(cache._entries.maxsize + 3):
        offline_lyrics.refine(np.full((8, 8, 3), value, np.uint8))
    assert len(cache) == cache._entries.maxsize


def test_sam_embedding_is_computed_once_per_image(tiny_lyrics, scene):
    segmenter = tiny_lyrics.refiner.segmenter
    scene = scene.copy()
    scene[5, 5] = 7  # a fresh image for this test
    before = segmenter.embeddings_computed
    tiny_lyrics.refine(scene)
    first = tiny_lyrics.segment_point(scene, points=[(80, 100)], labels=[1])
    second = tiny_lyrics.segment_point(scene, points=[(80, 100), (240, 120)], labels=[1, 0])
    assert segmenter.embeddings_computed == before + 1
    assert first.mask.shape == second.mask.shape == (240, 320)


def test_click_before_refine_embeds_once(tiny_lyrics, scene):
    segmenter = tiny_lyrics.refiner.segmenter
    scene = scene.copy()
    scene[6, 6] = 9
    before = segmenter.embeddings_computed
    tiny_lyrics.segment_point(scene, points=[(80, 100)], labels=[1])
    tiny_lyrics.segment_point(scene, points=[(90, 100)], labels=[1])
    assert segmenter.embeddings_computed == before + 1


def test_positive_click_selects_the_object_under_it(offline_lyrics, scene):
    red = offline_lyrics.segment_point(scene, points=[(80, 110)], labels=[1])
    inside_square = red.mask[60:160, 30:130].mean()
    assert inside_square > 0.8
    assert red.mask[70:170, 190:290].mean() < 0.05  # not the blue disc
    x1, y1, x2, y2 = red.box
    assert 20 <= x1 <= 40 and 50 <= y1 <= 70 and 120 <= x2 <= 140 and 150 <= y2 <= 170


def test_negative_click_removes_what_it_touches(offline_lyrics, scene):
    # A box hint spanning both shapes: a negative click on the disc keeps it out of the mask.
    points, labels = [(80, 110), (240, 120)], [1, 0]
    mask = offline_lyrics.segment_point(scene, points=points, labels=labels).mask
    assert not mask[120, 240]
    assert mask[110, 80]


@pytest.mark.parametrize(
    "points, labels, message",
    [
        ([(400, 10)], [1], "outside"),
        ([(-1, 10)], [1], "outside"),
        ([(10, 10)], [0], "positive"),
        ([(10, 10)], [2], "must be 1"),
        ([], [], "at least one point"),
        ([(10, 10)], [1, 1], "exactly one label"),
    ],
)
def test_bad_clicks_raise_prompt_error(offline_lyrics, scene, points, labels, message):
    with pytest.raises(PromptError, match=message):
        offline_lyrics.segment_point(scene, points=points, labels=labels)


def test_overlay_is_the_size_of_the_input(offline_lyrics, assets):
    overlay = offline_lyrics.overlay(assets / "astronaut.jpg")
    assert overlay.shape == (512, 512, 3)


def test_the_detector_names_what_it_detects_with_its_own_score(offline_lyrics):
    """A closed-set detector's class is never renamed by the tagger's guess: the offline refiner's labels
    and scores are the SSD's own (a lion it calls a dog stays a dog, scored by the detector), however
    sure the tagger is of "lion"."""
    import importlib.util
    from pathlib import Path

    from lyrics_model.image_io import load_image

    lion = Path(importlib.util.find_spec("gradio").origin).parent / "media_assets" / "images" / "lion.jpg"
    result = offline_lyrics.refine(lion)
    rgb = load_image(lion).rgb
    own = offline_lyrics.refiner.detector.detect(rgb, None)
    assert "lion" in {t.name for t in result.tags if t.source == "tagger"}
    assert "lion" not in result.labels
    detected = dict(zip((str(n) for n in own.data["class_name"]), own.confidence.tolist()))
    assert result.labels and set(result.labels) <= set(detected)
    assert all(abs(float(score) - detected[label]) < 1e-4 or score <= detected[label]
               for label, score in zip(result.labels, result.detections.confidence))


def test_imagenet_tags_carry_their_class_wordnet_id(offline_lyrics, assets):
    """ImageNet names are ambiguous ("crane", "cardigan" name two classes each): a tag carries its class's
    WordNet id, so what it is does not depend on its spelling."""
    tags = [t for t in offline_lyrics.refine(assets / "rocket.jpg").tags if t.source != "detector"]
    assert tags and all(t.sense and t.sense.startswith("n") and len(t.sense) == 9 for t in tags)
    tagger = offline_lyrics.refiner.tagger
    assert "crane" not in tagger.senses and "cardigan" not in tagger.senses  # two classes each: by index only
    assert tagger.senses["tabby"] == "n02123045"
