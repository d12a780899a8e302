"""The demo's handlers called as plain functions, without a browser: the real offline models, real
uploads in Gradio's upload folder, and event data as Gradio builds it."""

import json
import shutil
import uuid

import gradio as gr
import numpy as np
import pytest
from PIL import Image

from demo import handlers
from demo.chat_history import message_text
from demo.overlay_view import DISPLAY_SIDE
from demo.session import DemoSession
from demo.ui import bind
from demo.uploads import upload_folder


def uploaded(source) -> dict:
    """The raw `gr.Image` payload of `source` (a path or a PIL image) uploaded to the demo."""
    target = upload_folder() / f"{uuid.uuid4().hex}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(source, Image.Image):
        source.save(target)
    else:
        shutil.copy(source, target)
    return {"path": str(target), "meta": {"_type": "gradio.FileData"}}


def click(x, y) -> gr.SelectData:
    return gr.SelectData(None, {"index": [x, y], "value": None, "selected": True})


@pytest.fixture
def loaded(offline_lyrics, assets) -> DemoSession:
    session = DemoSession()
    handlers.load_image(offline_lyrics, session, uploaded(assets / "astronaut.jpg"))
    return session


def test_an_upload_is_refined_and_shown_in_the_image_panel(offline_lyrics, assets):
    session = DemoSession()
    out = handlers.load_image(offline_lyrics, session, uploaded(assets / "astronaut.jpg"))
    assert session.image.rgb.shape == (512, 512, 3)
    assert out["overlay"]["value"].shape == (512, 512, 3) and out["overlay"]["visible"] is True
    assert out["image_input"]["visible"] == "hidden"  # the file input stays in the page for the next upload
    assert "person" in out["tags"]["choices"] and any(row[1] == "person" for row in out["objects"])
    assert out["chatbot"] == [] and "objects" in out["status"]


def test_a_corrupt_upload_keeps_the_image_and_regions(offline_lyrics, loaded, tmp_path):
    handlers.click_point(offline_lyrics, loaded, "positive point", click(180, 300))
    before = loaded.image
    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 not a jpeg")
    with pytest.warns(UserWarning, match="corrupt"):
        out = handlers.load_image(offline_lyrics, loaded, uploaded(corrupt))
    assert "corrupt" in out["status"] and "previous image is still loaded" in out["status"]
    assert loaded.image is before and [r.id for r in loaded.regions] == ["region1"]
    assert out["overlay"]["visible"] is True and "value" not in out["overlay"]
    assert handlers.load_image(offline_lyrics, loaded, None) == {}  # a cleared input changes nothing
    assert loaded.image is before


def test_a_server_path_is_refused(offline_lyrics, assets):
    with pytest.raises(gr.Error, match="send the image as an upload"):
        handlers.load_image(offline_lyrics, DemoSession(), {"path": str(assets / "cat.jpg")})


def test_replace_image_shows_the_uploader_and_back_returns(loaded):
    out = handlers.show_uploader(loaded)
    assert out["image_input"]["visible"] is True and out["overlay"]["visible"] is False
    assert out["keep_image"]["visible"] is True
    back = handlers.keep_image(loaded)
    assert back["overlay"]["visible"] is True and back["image_input"]["visible"] == "hidden"


def test_clicks_build_a_region_and_refine_it(offline_lyrics, loaded):
    out = handlers.click_point(offline_lyrics, loaded, "positive point", click(180, 300))
    region = loaded.region("region1")
    assert region.mask[300, 180] and "region1" in out["chips"] and "px" in out["chips"]
    handlers.click_point(offline_lyrics, loaded, "negative point", click(470, 470))
    assert region.labels == [1, 0] and not region.mask[470, 470]
    assert [r.id for r in loaded.regions] == ["region1"]
    assert handlers.redraw(offline_lyrics, loaded)["overlay"].shape == (512, 512, 3)


def test_clicks_outside_the_image_and_a_negative_first_click_add_nothing(offline_lyrics, loaded):
    with pytest.warns(UserWarning, match=r"the click \(600, 20\) is outside the 512x512 image"):
        assert handlers.click_point(offline_lyrics, loaded, "positive point", click(600, 20)) == {}
    with pytest.warns(UserWarning, match="outside"):
        assert handlers.click_point(offline_lyrics, loaded, "positive point", click(-3, 20)) == {}
    with pytest.warns(UserWarning, match="start a region with a positive point"):
        assert handlers.click_point(offline_lyrics, loaded, "negative point", click(100, 100)) == {}
    assert loaded.regions == []


def test_a_click_before_an_upload_adds_nothing(offline_lyrics):
    session = DemoSession()
    assert handlers.click_point(offline_lyrics, session, "positive point", click(10, 10)) == {}
    assert session.regions == []


def test_clicks_on_a_large_image_map_from_display_to_the_photos_pixels(offline_lyrics):
    picture = Image.new("RGB", (3000, 1500), (40, 40, 40))
    picture.paste((230, 30, 30), (1000, 500, 2000, 1000))
    session = DemoSession()
    out = handlers.load_image(offline_lyrics, session, uploaded(picture))
    assert session.size == (3000, 1500)  # the photo's pixels, though the models see it at 2048x1024
    assert session.image.rgb.shape == (1024, 2048, 3)
    assert out["overlay"]["value"].shape == (DISPLAY_SIDE // 2, DISPLAY_SIDE, 3)
    handlers.click_point(offline_lyrics, session, "positive point", click(512, 256))  # display pixels
    region = session.regions[0]
    assert region.points == [(1500.0, 750.0)]
    assert region.mask.shape == (1500, 3000) and region.mask[750, 1500]
    x1, y1, x2, y2 = region.box  # around the click, inside the red square (1000-2000 x 500-1000 in the photo)
    assert 1000 <= x1 < 1500 < x2 <= 2000 and 500 <= y1 < 750 < y2 <= 1000


def test_chips_remove_and_focus_regions(offline_lyrics, loaded):
    handlers.click_point(offline_lyrics, loaded, "positive point", click(180, 300))
    handlers.new_region(loaded)
    handlers.click_point(offline_lyrics, loaded, "positive point", click(450, 450))
    assert [r.id for r in loaded.regions] == ["region1", "region2"] and loaded.active == "region2"
    out = handlers.chip_action(loaded, gr.EventData(None, {"region": "region1", "action": "focus"}))
    assert loaded.focus == "region1" and loaded.active == "region1" and "focused" in out["chips"]
    handlers.chip_action(loaded, gr.EventData(None, {"region": "region1", "action": "focus"}))
    assert loaded.focus is None  # chosen again: no longer highlighted
    out = handlers.chip_action(loaded, gr.EventData(None, {"region": "region1", "action": "remove"}))
    assert [r.id for r in loaded.regions] == ["region2"] and 'data-region="region1"' not in out["chips"]
    handlers.chip_action(loaded, gr.EventData(None, {"region": "region9", "action": "remove"}))  # unknown: ignored
    handlers.chip_action(loaded, gr.EventData(None, {}))
    assert [r.id for r in loaded.regions] == ["region2"]
    handlers.clear_regions(loaded)
    assert loaded.regions == [] and "No regions yet" in handlers.chip_action(loaded, gr.EventData(None, {}))["chips"]


def test_an_objects_row_becomes_a_region(offline_lyrics, loaded):
    result = offline_lyrics.refine(loaded.image)
    row = result.labels.index("person")
    out = handlers.object_as_region(offline_lyrics, loaded, gr.SelectData(None, {"index": [row, 1], "value": "person"}))
    region = loaded.regions[0]
    assert region.source == result.object_ids()[row] and np.array_equal(region.mask, result.detections.mask[row])
    assert "region1" in out["chips"]
    assert handlers.object_as_region(offline_lyrics, loaded, gr.SelectData(None, {"index": [99, 0], "value": ""})) == {}


def test_layers_and_tags_change_the_overlay_and_unchanged_objects_are_not_redrawn(offline_lyrics, loaded):
    first = handlers.redraw(offline_lyrics, loaded)["overlay"]
    cached = loaded.objects_layer[1]
    handlers.click_point(offline_lyrics, loaded, "positive point", click(180, 300))
    assert loaded.objects_layer[1] is cached  # a click redraws only the regions
    plain = handlers.set_layers(offline_lyrics, loaded, False, False, False, 0.0, 20)["overlay"]
    assert loaded.objects_layer[1] is not cached and not np.array_equal(plain, first)
    handlers.set_layers(offline_lyrics, loaded, True, True, True, 0.0, 20)
    every = handlers.highlight_tag(offline_lyrics, loaded, "all")["overlay"]
    people = handlers.highlight_tag(offline_lyrics, loaded, "person")["overlay"]
    assert loaded.highlight == "person" and not np.array_equal(people, every)


def test_chat_before_an_upload_says_to_upload_first(offline_lyrics):
    history = handlers.add_user_message("What is in the picture?", [])["chatbot"]
    replies = list(handlers.answer(offline_lyrics, DemoSession(), history, 32, 0.0, 0.9, 1.1))
    assert replies[-1]["chatbot"][-1]["content"] == handlers.NO_IMAGE


def test_an_empty_message_changes_nothing(offline_lyrics, loaded):
    assert handlers.add_user_message("   ", []) == {}
    assert list(handlers.answer(offline_lyrics, loaded, [], 32, 0.0, 0.9, 1.1)) == []


def test_an_answer_streams_then_gets_the_refiner_check_and_regenerates_the_same(offline_lyrics, loaded):
    handlers.click_point(offline_lyrics, loaded, "positive point", click(180, 300))
    history = handlers.add_user_message("What is region1?", [])["chatbot"]
    # a kept prompt head changes the arithmetic (so, in bf16, maybe a token): both answers encode it afresh
    offline_lyrics.generator.clear_prefixes()
    steps = list(handlers.answer(offline_lyrics, loaded, history, 48, 0.0, 0.9, 1.1))
    texts = [message_text(s["chatbot"][1]) for s in steps]  # the words, a linked phrase's markup aside
    assert len(steps) > 2 and all(b.startswith(a) for a, b in zip(texts, texts[1:]))
    final = steps[-1]["chatbot"]
    assert "person" in final[1]["content"].lower()
    assert final[2]["metadata"]["title"] in ("✔ Refiner check", "⚠️ Refiner disagrees")
    assert steps[-1]["overlay"].shape == (512, 512, 3)
    again = handlers.drop_last_answer(final)["chatbot"]
    assert again == history
    offline_lyrics.generator.clear_prefixes()
    regenerated = list(handlers.answer(offline_lyrics, loaded, again, 48, 0.0, 0.9, 1.1))[-1]["chatbot"]
    assert [message_text(m) for m in regenerated] == [message_text(m) for m in final]  # links: a new answer's keys


def test_stop_ends_the_running_answer_and_keeps_what_it_said(offline_lyrics, loaded):
    history = handlers.add_user_message("Describe everything in this image in great detail.", [])["chatbot"]
    steps = handlers.answer(offline_lyrics, loaded, history, 256, 0.0, 0.9, 1.1)
    for _ in range(3):
        said = next(steps)["chatbot"][-1]["content"]
    handlers.stop_answer(loaded)
    rest = list(steps)
    assert len(rest) <= 3  # at most the token in flight and the closing review
    assert rest[-1]["chatbot"][1]["content"].startswith(said)
    handlers.stop_answer(DemoSession())  # no answer running: nothing to do


def test_clear_chat_and_export(offline_lyrics, loaded):
    handlers.click_point(offline_lyrics, loaded, "positive point", click(180, 300))
    history = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
    out = handlers.export_session(offline_lyrics, loaded, history)
    data = json.loads(open(out["export_json"]["value"]).read())
    assert data["regions"][0]["id"] == "region1" and data["chat"] == history
    assert Image.open(out["export_png"]["value"]).size == (512, 512)
    loaded.references = [{"id": "obj1", "box": [1, 1, 50, 50]}]
    cleared = handlers.clear_chat(offline_lyrics, loaded)
    assert cleared["chatbot"] == [] and loaded.references == []
    assert handlers.export_session(offline_lyrics, DemoSession(), []) == {}


def test_bind_keeps_the_signature_gradio_reads_and_keys_results_by_component(offline_lyrics):
    import inspect
    import typing

    components = {"chips": gr.HTML(render=False)}
    bound = bind(handlers.click_point, offline_lyrics, components)
    assert list(inspect.signature(bound).parameters) == ["session", "point_mode", "evt"]
    assert typing.get_type_hints(bound)["evt"] is gr.SelectData
    assert bind(handlers.new_region, offline_lyrics, components)(DemoSession()) == {
        components["chips"]: handlers.chips_html(DemoSession())}
    # Nothing to change (no image yet): every output is skipped; an empty dict would be read as missing values.
    assert bind(handlers.read_text, offline_lyrics, components)(DemoSession()) == gr.skip()
