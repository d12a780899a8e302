"""On a ZeroGPU Space every model call must run inside `spaces.GPU`. A stub `spaces` module marks the
calls it wraps; the demo, built with it, is driven through its API and in a real browser, and every
model entry point of `Lyrics` records whether it ran inside the wrapper."""

import functools
import importlib
import inspect
import sys
import threading
import types

import pytest
from gradio_client import Client, handle_file

MODEL_ENTRY_POINTS = ("refine", "segment_point", "chat_stream", "chat", "prepare_chat", "references",
                      "review_answer", "overlay")


class StubSpaces:
    """A stand-in for the `spaces` package: GPU(fn) marks the thread while fn (or each step of a generator) runs."""

    def __init__(self):
        self.state = threading.local()
        self.module = types.ModuleType("spaces")
        self.module.GPU = self.gpu

    @property
    def inside(self) -> bool:
        return getattr(self.state, "depth", 0) > 0

    def _enter(self):
        self.state.depth = getattr(self.state, "depth", 0) + 1

    def _exit(self):
        self.state.depth -= 1

    def gpu(self, fn):
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def generator(*args, **kwargs):
                steps = fn(*args, **kwargs)
                while True:
                    self._enter()
                    try:
                        value = next(steps)
                    except StopIteration:
                        return
                    finally:
                        self._exit()
                    yield value
            return generator

        @functools.wraps(fn)
        def call(*args, **kwargs):
            self._enter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._exit()
        return call


@pytest.fixture(scope="module")
def zerogpu_demo(offline_lyrics):
    """The demo built with the stub `spaces` installed; yields (url, calls: [(entry point, inside GPU)])."""
    import demo.ui
    import demo.zerogpu

    stub, calls = StubSpaces(), []
    sys.modules["spaces"] = stub.module
    importlib.reload(demo.zerogpu)
    importlib.reload(demo.ui)
    for name in MODEL_ENTRY_POINTS:
        original = getattr(offline_lyrics, name)

        def recorded(*args, _name=name, _original=original, **kwargs):
            calls.append((_name, stub.inside))
            return _original(*args, **kwargs)
        setattr(offline_lyrics, name, recorded)
    app = demo.ui.build_demo(offline_lyrics)
    app.queue(max_size=16, default_concurrency_limit=2)
    _, url, _ = app.launch(prevent_thread_lock=True, server_name="127.0.0.1", ssr_mode=False, quiet=True)
    yield url, calls
    app.close()
    for name in MODEL_ENTRY_POINTS:
        delattr(offline_lyrics, name)
    del sys.modules["spaces"]
    importlib.reload(demo.zerogpu)
    importlib.reload(demo.ui)


def test_api_model_calls_run_inside_the_gpu_wrapper(zerogpu_demo, assets):
    url, calls = zerogpu_demo
    client, image = Client(url, verbose=False), handle_file(str(assets / "astronaut.jpg"))
    client.predict(image, api_name="/refine")
    client.predict(image, [[200, 300]], [1], api_name="/segment_point")
    client.predict(image, "What is region1?", [], [[20, 20, 370, 510]], api_name="/chat")
    list(client.submit(image, "What is region1?", [], [[20, 20, 370, 510]], api_name="/chat_stream"))
    assert {name for name, _ in calls} >= {"refine", "segment_point", "chat_stream"}
    assert [name for name, inside in calls if not inside] == []


@pytest.mark.browser
def test_every_ui_model_call_runs_inside_the_gpu_wrapper(zerogpu_demo, assets):
    from test_browser import ARGS, CHROMIUM, VIEWPORT, click_image, expect, upload

    from pathlib import Path
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")
    playwright = pytest.importorskip("playwright.sync_api")
    url, calls = zerogpu_demo
    calls.clear()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.set_default_timeout(90_000)
        page.goto(url)
        upload(page, assets / "astronaut.jpg")
        expect(page.locator("#objects")).to_contain_text("person")
        click_image(page, 0.35, 0.6)  # a click on the overlay
        page.locator("#region-chips").get_by_text("region1").wait_for()
        page.locator("#objects").get_by_text("mouse").first.click()  # an object becomes a region
        page.locator("#region-chips").get_by_text("region2").wait_for()
        page.locator("#tags").get_by_text("person", exact=True).click()  # highlight a tag
        page.get_by_role("tab", name="Layers").click()
        page.get_by_label("Masks").uncheck()  # a layer toggle redraws the overlay
        page.locator("#message textarea").fill("What is region1?")
        page.locator("#send").click()
        page.get_by_text("Refiner check").or_(page.get_by_text("Refiner disagrees")).first.wait_for()
        page.get_by_role("tab", name="Export").click()
        page.get_by_role("button", name="Export JSON + PNG").click()
        expect(page.locator("#export-json")).to_contain_text("lyrics-refinement")
        browser.close()
    assert {name for name, _ in calls} >= {"refine", "segment_point", "chat_stream", "review_answer"}
    assert [name for name, inside in calls if not inside] == []
