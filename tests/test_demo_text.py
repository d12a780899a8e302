"""The demo shows the text it reads: after the first paint, in the overlay's Text layer, the objects table,
the status, exports and the /refine endpoint; a text line's row becomes a region; without a reader the
demo says so and works."""

import json

import gradio as gr
import numpy as np
import pytest
from PIL import Image

from demo import handlers
from demo.api import Endpoints
from demo.session import DemoSession
from demo.ui import models_banner, models_markdown
from lyrics_model import Lyrics
from lyrics_model.data.synthetic_text import text_photo
from lyrics_model.refiner import VisualRefiner
from lyrics_model.refiner.build import BuiltModel

from test_demo_handlers import uploaded


@pytest.fixture(scope="module")
def photo():
    return text_photo(3, x_heights=(16, 24))


@pytest.fixture
def session(offline_lyrics, photo) -> tuple[DemoSession, dict]:
    offline_lyrics.clear_caches()
    session = DemoSession()
    first = handlers.load_image(offline_lyrics, session, uploaded(Image.fromarray(photo.rgb)))
    return session, first


def test_text_is_read_after_the_first_paint_and_shown_everywhere(offline_lyrics, session, photo):
    session, first = session
    assert "text lines" not in first["status"] and not any(row[0].startswith("text") for row in first["objects"])
    assert len(offline_lyrics.refiner.text_cache) == 0  # the first paint did not wait for reading
    later = handlers.read_text(offline_lyrics, session)
    rows = {row[1] for row in later["objects"] if row[0].startswith("text")}
    assert rows == {f'text "{line.text}"' for line in photo.lines}
    assert f"{len(photo.lines)} text lines" in later["status"] and "text_reader" in later["status"]
    assert not np.array_equal(later["overlay"], first["overlay"]["value"])
    plain = handlers.set_layers(offline_lyrics, session, True, True, True, 0.0, 20, False)["overlay"]
    assert np.array_equal(plain, first["overlay"]["value"])  # the Text layer off: as before reading
    assert "overlay" not in handlers.read_text(offline_lyrics, session)


def test_a_text_row_becomes_a_region_of_its_polygon(offline_lyrics, session, photo):
    session, _ = session
    table = handlers.read_text(offline_lyrics, session)["objects"]
    row = next(i for i, r in enumerate(table) if r[0] == "text1")
    out = handlers.object_as_region(offline_lyrics, session, gr.SelectData(None, {"index": [row, 1], "value": ""}))
    region = session.regions[0]
    line = offline_lyrics.read_text(session.image)[0]
    assert region.source == "text1" and region.box == [float(v) for v in line.box] and "region1" in out["chips"]
    x1, y1, x2, y2 = (int(v) for v in line.box)
    assert region.mask[(y1 + y2) // 2, (x1 + x2) // 2] and region.mask.sum() < (x2 - x1 + 1) * (y2 - y1 + 1)


def test_export_and_the_refine_endpoint_carry_the_text(offline_lyrics, session, photo):
    session, _ = session
    out = handlers.export_session(offline_lyrics, session, [])
    data = json.loads(open(out["export_json"]["value"]).read())
    assert sorted(t["text"] for t in data["texts"]) == sorted(line.text for line in photo.lines)
    api = Endpoints(offline_lyrics).refine(uploaded(Image.fromarray(photo.rgb))["path"])
    assert sorted(t["text"] for t in api["texts"]) == sorted(line.text for line in photo.lines)
    assert set(api["texts"][0]) == {"id", "text", "score", "box", "box_norm", "polygon"}


def test_without_a_reader_the_demo_says_so_and_works(offline_lyrics, photo):
    refiner = offline_lyrics.refiner
    unread = VisualRefiner(refiner.tagger, refiner.detector, refiner.segmenter, profile="offline")
    built = {**offline_lyrics.built, "text_reader": BuiltModel(
        None, offline_lyrics.profile.text_reader, unavailable_reason="package rapidocr is not installed")}
    lyr = Lyrics(offline_lyrics.profile, unread, built)
    assert "No text reader" in models_banner(lyr) and "⚠️ unavailable: package rapidocr" in models_markdown(lyr)
    assert "PP-OCRv6 small (rapidocr)" in models_markdown(offline_lyrics)
    session = DemoSession()
    first = handlers.load_image(lyr, session, uploaded(Image.fromarray(photo.rgb)))
    later = handlers.read_text(lyr, session)
    assert "no text reader is loaded" in later["status"] and later["objects"] == first["objects"]
    assert handlers.redraw(lyr, session)["overlay"].shape == photo.rgb.shape


def test_an_upload_that_fails_keeps_its_message_over_the_text_of_the_image_kept(offline_lyrics, session, tmp_path):
    session, _ = session
    assert "status" in handlers.read_text(offline_lyrics, session)  # the image's text, shown once
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a JPEG")
    failed = handlers.load_image(offline_lyrics, session, uploaded(bad))
    assert "previous image is still loaded" in failed["status"]
    assert handlers.read_text(offline_lyrics, session) == {}  # runs after every upload: changes nothing now
