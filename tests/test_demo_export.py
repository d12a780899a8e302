"""The demo's export: refine JSON plus regions and chat, and the overlay PNG."""

import json

import numpy as np
from PIL import Image

from demo.export import write_export
from demo.overlay_view import render_overlay
from demo.session import DemoSession
from lyrics_model import rle_to_mask


def test_export_writes_the_refinement_regions_chat_and_overlay(offline_lyrics, assets):
    rgb = offline_lyrics.load(assets / "astronaut.jpg").rgb
    session = DemoSession()
    session.reset(rgb)
    region = session.new_region()
    click = offline_lyrics.segment_point(rgb, [(200, 300)], [1])
    region.points, region.labels, region.mask, region.box = [(200.0, 300.0)], [1], click.mask, click.box
    history = [{"role": "user", "content": [{"type": "text", "text": "What is region1?"}]},
               {"role": "assistant", "content": "A person."},
               {"role": "assistant", "content": "region1: refiner says person", "metadata": {"title": "✔ Refiner check"}}]
    result = offline_lyrics.refine(rgb)
    overlay = render_overlay(result, session, display=False)
    json_path, png_path = write_export(result, session, history, overlay)

    data = json.loads(open(json_path).read())
    assert {"image", "profile", "models", "tags", "objects", "timings_ms", "regions", "chat"} <= set(data)
    exported, = data["regions"]
    assert exported["id"] == "region1" and exported["points"] == [[200.0, 300.0]] and exported["labels"] == [1]
    assert np.array_equal(rle_to_mask(exported["mask"]), click.mask)
    assert all(0 <= v <= 1 for v in exported["box_norm"])
    assert data["chat"] == [{"role": "user", "content": "What is region1?"}, {"role": "assistant", "content": "A person."}]
    assert Image.open(png_path).size == (512, 512)
    assert not np.array_equal(np.asarray(Image.open(png_path).convert("RGB")), rgb)  # layers were drawn


def test_each_export_gets_its_own_files(offline_lyrics, assets):
    rgb = offline_lyrics.load(assets / "cat.jpg").rgb
    session = DemoSession()
    session.reset(rgb)
    result = offline_lyrics.refine(rgb)
    first = write_export(result, session, [], rgb)
    second = write_export(result, session, [], rgb)
    assert set(first).isdisjoint(second)
