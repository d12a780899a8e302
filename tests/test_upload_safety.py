"""The demo reads only images that were uploaded to it, bounds upload size, and says so clearly.

A client that names a file on the server (absolute, relative with `..`, through a symlink, in the
app's own folder) gets "send the image as an upload", whether or not the file exists, and the server
log shows no traceback.
"""

import json
import os
import shutil
import uuid
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from demo.uploads import SEND_AS_UPLOAD, upload_folder

ENDPOINT_ARGS = {
    "refine": [],
    "segment_point": [[[200, 300]], [1]],
    "chat": ["What is in the image?", [], []],
    "chat_stream": ["What is in the image?", [], []],
}


def file_data(path) -> dict:
    return {"path": str(path), "meta": {"_type": "gradio.FileData"}}


@pytest.fixture(scope="module")
def server_paths(assets, tmp_path_factory) -> dict:
    """Paths a client might name: each a real image on the server that was never uploaded."""
    private = tmp_path_factory.mktemp("private") / "secret.jpg"
    shutil.copy(assets / "cat.jpg", private)
    link_dir = upload_folder() / f"planted-{uuid.uuid4().hex}"
    link_dir.mkdir(parents=True)
    (link_dir / "link.jpg").symlink_to(private)
    return {
        "outside": str(private),
        "working directory": str((assets / "astronaut.jpg").resolve()),
        "relative": "assets/astronaut.jpg",
        "dot-dot": os.path.relpath(private, Path.cwd()),
        "dot-dot from the cache": f"{upload_folder()}/../../{private.relative_to(private.anchor)}",
        "symlink in the cache": str(link_dir / "link.jpg"),
        "missing": "/nonexistent/secret.jpg",
    }


def call(url: str, endpoint: str, data: list) -> tuple[str, str]:
    """Raw HTTP call of a public endpoint, as any client can make: (event, data) of its last message."""
    event_id = httpx.post(f"{url}gradio_api/call/{endpoint}", json={"data": data}).json()["event_id"]
    lines = httpx.get(f"{url}gradio_api/call/{endpoint}/{event_id}", timeout=120).text.strip().splitlines()
    event = [line[7:] for line in lines if line.startswith("event: ")][-1]
    payload = [line[6:] for line in lines if line.startswith("data: ")][-1]
    return event, payload


@pytest.mark.parametrize("endpoint", list(ENDPOINT_ARGS))
@pytest.mark.parametrize("kind", ["outside", "working directory", "relative", "dot-dot", "dot-dot from the cache",
                                  "symlink in the cache", "missing"])
def test_public_endpoints_refuse_server_paths(demo_url, server_paths, endpoint, kind, capfd):
    event, payload = call(demo_url, endpoint, [file_data(server_paths[kind])] + ENDPOINT_ARGS[endpoint])
    assert event == "error"
    assert "send the image as an upload" in payload
    assert "Traceback" not in capfd.readouterr().err


def test_an_uploaded_file_is_accepted_by_every_endpoint(demo_url, assets):
    with open(assets / "astronaut.jpg", "rb") as f:
        uploaded = httpx.post(f"{demo_url}gradio_api/upload", files={"files": ("astronaut.jpg", f)}).json()[0]
    assert Path(uploaded).resolve().is_relative_to(upload_folder())
    for endpoint, args in ENDPOINT_ARGS.items():
        event, payload = call(demo_url, endpoint, [file_data(uploaded)] + args)
        assert event == "complete", payload
    refined = json.loads(call(demo_url, "refine", [file_data(uploaded)])[1])[0]
    assert refined["image"] == {"width": 512, "height": 512}


def test_handle_file_uploads_work(demo_url, assets):
    data = Client(demo_url, verbose=False).predict(handle_file(str(assets / "cat.jpg")), api_name="/refine")
    assert data["image"] == {"width": 451, "height": 300}


@pytest.fixture(scope="module")
def oversized(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "huge.jpg"
    path.write_bytes(b"\xff\xd8" + os.urandom(21 * 1024 * 1024))
    return path


def test_an_oversized_upload_is_refused_with_a_message(demo_url, oversized):
    with open(oversized, "rb") as f:
        response = httpx.post(f"{demo_url}gradio_api/upload", files={"files": ("huge.jpg", f)})
    assert response.status_code == 413
    assert "size" in response.text.lower()
    with pytest.raises(ValueError, match="maximum file size"):
        Client(demo_url, verbose=False).predict(handle_file(str(oversized)), api_name="/refine")


def ui_upload_event(url: str) -> tuple[int, int]:
    """(fn_index, component id) of the UI's upload event: the `change` of the #image-input component,
    whose inputs are (the session state, the image)."""
    config = httpx.get(f"{url}config").json()
    component = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "image-input")
    fn_index = next(i for i, d in enumerate(config["dependencies"])
                    if [component, "change"] in [list(t) for t in d["targets"]])
    return fn_index, component


def queue_call(url: str, fn_index: int, trigger: int, data: list) -> dict:
    """Send one event through the queue as the browser does; return its process_completed message."""
    session = uuid.uuid4().hex
    httpx.post(f"{url}gradio_api/queue/join", json={"data": data, "fn_index": fn_index, "trigger_id": trigger,
                                                    "session_hash": session, "event_data": None})
    with httpx.stream("GET", f"{url}gradio_api/queue/data", params={"session_hash": session}, timeout=120) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                message = json.loads(line[6:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError("the event never completed")


@pytest.mark.parametrize("kind", ["outside", "working directory", "dot-dot", "symlink in the cache", "missing"])
def test_the_ui_upload_event_refuses_server_paths(demo_url, server_paths, kind, capfd):
    fn_index, trigger = ui_upload_event(demo_url)
    message = queue_call(demo_url, fn_index, trigger, [None, file_data(server_paths[kind])])
    assert message["success"] is False
    assert SEND_AS_UPLOAD in message["output"]["error"]
    assert "Traceback" not in capfd.readouterr().err


def test_the_ui_upload_event_takes_an_upload(demo_url, assets):
    with open(assets / "cat.jpg", "rb") as f:
        uploaded = httpx.post(f"{demo_url}gradio_api/upload", files={"files": ("cat.jpg", f)}).json()[0]
    fn_index, trigger = ui_upload_event(demo_url)
    message = queue_call(demo_url, fn_index, trigger, [None, file_data(uploaded)])
    assert message["success"] is True


def test_require_upload_follows_symlinks_out_of_the_cache(server_paths, tmp_path):
    import gradio as gr

    from demo.uploads import require_upload

    inside = upload_folder() / f"real-{uuid.uuid4().hex}.jpg"
    inside.write_bytes(b"x")
    assert require_upload(str(inside)) == str(inside.resolve())
    for kind in ("symlink in the cache", "dot-dot from the cache", "outside", "missing"):
        with pytest.raises(gr.Error, match="send the image as an upload"):
            require_upload(server_paths[kind])


def test_exports_are_written_into_the_upload_cache_that_delete_cache_cleans(offline_lyrics, assets):
    from demo import build_demo
    from demo.export import write_export
    from demo.overlay_view import Layers, render_overlay
    from demo.session import DemoSession
    from demo.uploads import DELETE_CACHE

    session = DemoSession()
    session.reset(offline_lyrics.load(assets / "cat.jpg").rgb)
    result = offline_lyrics.refine(session.image)
    paths = write_export(result, session, [], render_overlay(result, session, Layers()))
    assert all(Path(p).resolve().is_relative_to(upload_folder()) for p in paths)
    assert build_demo(offline_lyrics).delete_cache == DELETE_CACHE
