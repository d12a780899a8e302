"""The setting: what the tagger's scene classes and the pixels tell (sky, water, grass, snow...), never a denial."""

import numpy as np
import supervision as sv
from PIL import Image

from lyrics_model.dialogue.grounded_prompt import image_facts
from lyrics_model.dialogue.setting import setting_sentence, setting_words
from lyrics_model.refiner import RefineResult, Tag


def _landscape(ground=(60, 130, 50), textured=True) -> np.ndarray:
    """A 120x160 photo: smooth pale blue sky over the top 40% (hazy: no clear sky), `ground` below (textured like
    grass or smooth)."""
    rng = np.random.default_rng(0)
    image = np.zeros((120, 160, 3), np.float32)
    image[:48] = np.linspace((120, 150, 195), (140, 165, 200), 48)[:, None, :]  # sky lightens to the horizon
    image[48:] = ground
    if textured:
        image[48:] += rng.normal(0, 25, (72, 160, 1))
    return np.clip(image, 0, 255).astype(np.uint8)


def test_sky_and_grass_from_pixels():
    assert setting_words(_landscape(), []) == ["outdoors", "sky", "grass"]


def test_scene_tags_name_water_and_mountains():
    words = setting_words(np.full((60, 80, 3), 120, np.uint8), [("lakeside", 0.3), ("alp", 0.08), ("brown bear", 0.5)])
    assert words == ["outdoors", "water", "mountains"]
    assert setting_words(np.full((60, 80, 3), 120, np.uint8), [("lakeside", 0.01)]) == []  # too unsure


def test_snow_needs_a_sign_of_the_outdoors():
    snowy = _landscape(ground=(245, 247, 250), textured=False)
    assert setting_words(snowy, []) == ["outdoors", "sky", "snow on the ground"]
    studio = np.full((120, 160, 3), 245, np.uint8)  # a white backdrop or floor looks the same
    studio[30:90, 50:110] = (200, 120, 40)
    assert setting_words(studio, []) == []
    assert setting_words(studio, [("ski", 0.4)]) == ["outdoors", "snow on the ground", "daylight"]


def test_daylight_is_a_bright_top_not_orange_with_a_sign_of_the_outdoors():
    bright = _landscape()
    bright[:30] = (200, 225, 250)  # a pale blue, bright sky over the top quarter
    assert setting_words(bright, [])[-1] == "daylight"
    dusk = _landscape()
    dusk[:30] = (70, 90, 140)  # a darker evening blue
    assert "daylight" not in setting_words(dusk, [])
    sunset = _landscape()
    sunset[:30] = (250, 190, 120)  # bright, but orange: the sun is low
    assert "daylight" not in setting_words(sunset, [])
    room = np.full((120, 160, 3), 235, np.uint8)  # a lamp-lit white wall is as bright; nothing says outdoors
    assert setting_words(room, []) == []
    assert setting_sentence(["outdoors", "sky", "daylight"]) == "Outdoors: sky."  # when, not a thing seen


def test_a_clear_sky_is_a_deep_blue_one():
    clear = _landscape()
    clear[:48] = np.linspace((60, 130, 230), (120, 170, 235), 48)[:, None, :]  # a deep, saturated blue
    assert setting_words(clear, [])[-1] == "clear sky"
    assert setting_sentence(["outdoors", "sky", "grass", "clear sky"]) == "Outdoors: sky, grass."  # the light, no thing
    assert "clear sky" not in setting_words(_landscape(), [])  # a paler blue: haze, thin cloud or dusk
    overcast = _landscape()
    overcast[:48] = (215, 220, 228)  # a white-grey sky is no sky the pixels can tell from a wall
    assert not {"sky", "clear sky"} & set(setting_words(overcast, []))


def test_a_sign_board_is_no_sign_of_the_outdoors():
    tiled_wall = np.full((120, 160, 3), 235, np.uint8)  # a bright wall with a sign the tagger calls a street sign
    tiled_wall[40:80, 50:110] = (200, 30, 30)
    assert setting_words(tiled_wall, [("street sign", 0.6)]) == []
    assert setting_words(tiled_wall, [("street sign", 0.6), ("traffic light", 0.2)])[0] == "outdoors"


def test_indoors_from_indoor_scene_tags_only():
    assert setting_words(np.full((60, 80, 3), 120, np.uint8), [("home theater", 0.4)]) == ["indoors"]


def test_the_setting_sentence_states_what_is_seen_and_denies_nothing():
    assert setting_sentence(["outdoors", "sky", "water", "snow on the ground"]) == \
        "Outdoors: sky, water, snow on the ground."
    assert setting_sentence(["indoors"]) == "Indoors."
    assert setting_sentence([]) == ""


def test_the_setting_reaches_the_facts_block_and_is_left_out_when_unknown():
    result = RefineResult((160, 120), [Tag("lakeside", 0.4)], sv.Detections.empty(), {}, {}, "test", "h")
    facts = image_facts(_landscape(), result)
    assert facts.setting == ["outdoors", "sky", "water", "grass"]
    grey = np.full((120, 160, 3), 128, np.uint8)
    unknown = image_facts(grey, RefineResult((160, 120), [Tag("vase", 0.4)], sv.Detections.empty(), {}, {}, "t", "g"))
    assert unknown.setting == []


def test_a_real_sky(assets):
    pagoda = np.asarray(Image.open(assets / "pagoda.jpg").convert("RGB"))
    assert {"sky", "daylight"} <= set(setting_words(pagoda, []))
    coffee = np.asarray(Image.open(assets / "coffee.jpg").convert("RGB"))
    assert setting_words(coffee, []) == []  # an indoor table: no sky, no snow, no grass


def test_the_imagenet_tagger_reports_scene_classes_below_its_top_tags(assets):
    from lyrics_model.refiner.efficientnet_tagger import EfficientNetTagger

    pagoda = np.asarray(Image.open(assets / "pagoda.jpg").convert("RGB"))
    tags = EfficientNetTagger.from_package().tag(pagoda)
    scenes = [t for t in tags if t.source == "scene"]
    assert scenes and all(t.score >= 0.03 for t in scenes)
    assert "lakeside" in [t.name for t in scenes]
    assert [t.source for t in tags] == sorted((t.source for t in tags), key=["tagger", "scene"].index)
    result = RefineResult(pagoda.shape[1::-1], tags, sv.Detections.empty(), {}, {}, "offline", "p")
    facts = image_facts(pagoda, result)
    assert "water" in facts.setting and "lakeside" not in facts.tags  # the setting, not a thing in the photo
