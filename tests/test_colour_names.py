"""Colours a person would name: synthetic objects of known colour under shade, glare and loose masks, and
real photos segmented by the offline segmenter."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lyrics_model.dialogue.colour_names import object_colours, surface_colours
from lyrics_model.refiner.grabcut_segmenter import GrabCutSegmenter

RED_WALL, GREY_ROAD, BEIGE_FLOOR, GREEN_FIELD = (180, 35, 30), (95, 95, 98), (205, 185, 150), (60, 130, 50)


def _scene(background, size=(120, 160)) -> np.ndarray:
    """(H, W, 3) uint8 filled with `background`, with a little pixel noise."""
    rng = np.random.default_rng(0)
    image = np.full((*size, 3), background, np.float32)
    return np.clip(image + rng.normal(0, 3, image.shape), 0, 255).astype(np.uint8)


def _shaded_object(image, box, rgb, shade=0.55, windows=None):
    """Paint `rgb` into `box` with a lit-to-shaded gradient (top to bottom down to `shade`), a shadow
    strip at its base, a specular highlight, and dark `windows` (a sub-box) if given. Returns the
    object's mask and a loose mask (one that also takes in a rim of background, as a segmenter does)."""
    x1, y1, x2, y2 = box
    light = np.linspace(1.0, shade, y2 - y1)[:, None, None]
    image[y1:y2, x1:x2] = np.clip(np.array(rgb, np.float32) * light, 0, 255).astype(np.uint8)
    image[y2 - 4 : y2, x1:x2] = (25, 25, 28)  # shadow under it
    image[y1 + 2 : y1 + 4, x1 + 4 : x1 + 10] = 255  # glare
    if windows is not None:
        wx1, wy1, wx2, wy2 = windows
        image[wy1:wy2, wx1:wx2] = (20, 24, 30)
    mask = np.zeros(image.shape[:2], bool)
    mask[y1:y2, x1:x2] = True
    loose = np.zeros_like(mask)
    loose[max(0, y1 - 6) : y2 + 6, max(0, x1 - 6) : x2 + 6] = True
    return mask, loose


@pytest.mark.parametrize("rgb, background, name", [
    ((245, 245, 242), RED_WALL, "white"), ((250, 248, 240), GREEN_FIELD, "white"),
    ((240, 235, 212), GREEN_FIELD, "white"),  # cream cricket whites
    ((205, 180, 140), GREY_ROAD, "beige"),
    ((22, 22, 24), BEIGE_FLOOR, "black"), ((30, 28, 26), GREEN_FIELD, "black"),
    ((130, 130, 132), BEIGE_FLOOR, "grey"),
    ((40, 70, 190), BEIGE_FLOOR, "blue"), ((200, 30, 30), GREY_ROAD, "red"), ((40, 150, 50), BEIGE_FLOOR, "green"),
    ((240, 200, 30), GREY_ROAD, "yellow"), ((240, 120, 20), GREY_ROAD, "orange"), ((110, 40, 150), GREY_ROAD, "purple"),
    ((110, 65, 30), GREY_ROAD, "brown"), ((245, 160, 190), GREY_ROAD, "pink"),
    ((200, 20, 120), GREY_ROAD, "pink"), ((130, 5, 70), GREY_ROAD, "pink"),  # fuchsia and a dark magenta
    ((220, 20, 60), GREY_ROAD, "red"), ((150, 10, 10), GREY_ROAD, "red"),  # crimson and a dark red
])
def test_an_object_is_named_by_its_own_pixels_not_its_shade_or_surroundings(rgb, background, name):
    image = _scene(background)
    mask, loose = _shaded_object(image, (40, 30, 120, 100), rgb, shade=0.75)
    assert object_colours(image, mask, (40, 30, 120, 100))[0] == name
    assert object_colours(image, loose, (34, 24, 126, 106))[0] == name  # a mask that takes in the floor
    assert object_colours(image, None, (34, 24, 126, 106))[0] == name  # no mask: the middle of the box


def test_a_white_pickup_with_dark_windows_and_tyres_is_white():
    image = _scene(RED_WALL)
    image[90:] = GREY_ROAD
    box = (20, 40, 140, 100)
    mask, _ = _shaded_object(image, box, (240, 240, 236), shade=0.7, windows=(90, 44, 130, 62))
    image[92:100, 30:50] = image[92:100, 110:130] = (15, 15, 15)  # tyres
    assert object_colours(image, mask, box, "truck") == ["white"]


def test_a_white_object_in_shade_is_white_when_it_is_the_brightest_low_chroma_surface():
    image = _scene(RED_WALL)
    image[:12] = (250, 250, 250)  # a bright sky far above: the photo is well exposed
    image[90:] = GREY_ROAD
    box = (40, 40, 120, 95)
    image[40:95, 40:120] = (168, 176, 192)  # white paint in shade: light blue-grey
    assert object_colours(image, None, box, "truck") == ["white"]
    image[90:] = (185, 185, 185)  # beside a lighter grey pavement it is only grey
    assert object_colours(image, None, box, "thing") == ["grey"]


def test_grey_metal_is_silver_and_a_grey_thing_grey():
    image = _scene(GREY_ROAD)
    image[:12] = 250
    box = (30, 40, 130, 95)
    mask, _ = _shaded_object(image, box, (185, 187, 190), shade=0.7, windows=(80, 44, 120, 60))
    assert object_colours(image, mask, box, "car") == ["silver"]
    assert object_colours(image, mask, box, "chair") == ["grey"]


def test_a_blue_bus_with_dark_windows_is_blue_first():
    image = _scene(GREY_ROAD)
    box = (10, 20, 150, 100)
    mask, _ = _shaded_object(image, box, (40, 80, 200), windows=(14, 26, 146, 55))  # windows are a third of it
    assert object_colours(image, mask, box, "bus")[0] == "blue"


def test_the_background_behind_an_object_leaves_out_the_floor_and_other_objects():
    image = _scene(RED_WALL)
    image[100:] = GREY_ROAD
    truck = np.zeros(image.shape[:2], bool)
    truck[40:100, 30:130] = True
    image[truck] = (240, 240, 240)
    person = np.zeros_like(truck)
    person[20:100, 130:150] = True
    image[person] = (20, 40, 160)
    assert surface_colours(image, (30, 40, 130, 100), truck | person) == ["red"]


def _package_photo(package: str, relative: str) -> np.ndarray:
    folder = Path(importlib.util.find_spec(package).submodule_search_locations[0])
    return np.asarray(Image.open(folder / relative).convert("RGB"))


def _segmented(rgb: np.ndarray, box) -> np.ndarray:
    masks, _ = GrabCutSegmenter().segment_boxes(rgb, "photo", np.array([box], np.float32))
    return masks[0]


def test_real_photos_the_blue_bus_and_the_ginger_cat(assets):
    bus = _package_photo("ultralytics", "assets/bus.jpg")
    box = [5, 213, 810, 758]
    assert object_colours(bus, _segmented(bus, box), box, "bus")[0] == "blue"
    cat = np.asarray(Image.open(assets / "cat.jpg").convert("RGB"))
    box = [8, 0, 406, 298]
    assert object_colours(cat, _segmented(cat, box), box, "cat")[0] in {"orange", "brown"}
