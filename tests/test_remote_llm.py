"""The language model on an OpenAI-compatible server: a real `transformers serve` process serving the offline
profile's SmolLM2 (exported with `export_offline_llm`), driven through `Lyrics`, the demo's handlers and the
launched demo; faults a real server cannot show on demand (a key check, HTTP 500, a garbled stream, a hang,
a stream that ends cleanly before the answer does) come from `fault_llm_server.py`."""

import shutil
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from gradio_client import Client, handle_file
from PIL import Image

from demo import handlers
from demo.session import DemoSession
from demo.ui import models_banner, models_markdown
from demo.uploads import upload_folder
from fault_llm_server import CUT_WORDS
from llm_servers import free_port, start_fault_server, start_transformers_serve, transformers_serve_command
from lyrics_model import LLMServerError, Lyrics
from lyrics_model.modeling import LLMEndpoint, RemoteLanguageModel

ROOT = Path(__file__).resolve().parent.parent
QUESTION = [{"role": "user", "content": "Describe the image."}]  # the language model answers it
needs_serve = pytest.mark.skipif(transformers_serve_command() is None,
                                 reason="transformers serve needs transformers[serving] (fastapi, uvicorn)")


def remote(offline_lyrics, url: str, **endpoint) -> Lyrics:
    """A `Lyrics` over the offline refiner whose language model is the server at `url`."""
    return Lyrics(offline_lyrics.profile, offline_lyrics.refiner, offline_lyrics.built,
                  remote_llm=RemoteLanguageModel(LLMEndpoint(url, **endpoint)))


def chat_session(lyrics: Lyrics, assets) -> tuple[DemoSession, list[dict]]:
    """A visitor with the cat photo loaded and one question asked."""
    session = DemoSession()
    upload = upload_folder() / f"{uuid.uuid4().hex}.jpg"
    upload.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(assets / "cat.jpg", upload)
    handlers.load_image(lyrics, session, {"path": str(upload)}, progress=lambda *a, **k: None)
    return session, handlers.add_user_message(QUESTION[0]["content"], [])["chatbot"]


def run_answer(lyrics, session, history, on_first_chunk=None, max_new_tokens=64) -> list[dict]:
    """The chat after `handlers.answer` (greedy); `on_first_chunk()` runs once the answer has begun."""
    final, started = history, False
    for update in handlers.answer(lyrics, session, history, max_new_tokens, 0.0, 0.9, 1.1):
        final = update["chatbot"]
        if on_first_chunk and not started and final[-1]["role"] == "assistant" and final[-1]["content"]:
            started = True
            on_first_chunk()
    return final


# ---- without a model server --------------------------------------------------------------------------

def test_bridge_mode_with_a_server_is_refused_in_one_line(tmp_path):
    with pytest.raises(ValueError, match="soft tokens") as err:
        Lyrics.from_profile("offline", llm_url="http://127.0.0.1:9/v1", bridge=str(tmp_path))
    assert "\n" not in str(err.value)
    run = subprocess.run([sys.executable, "app.py", "--llm-url", "http://127.0.0.1:9/v1", "--bridge", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "soft tokens" in run.stderr and "Traceback" not in run.stderr


def test_the_models_line_and_tab_name_the_host_and_model_never_the_key(offline_lyrics):
    lyrics = remote(offline_lyrics, "https://alice:hunter2@llm.example.org:8443/v1", model="Qwen/Qwen2.5-7B-Instruct",
                    api_key="sk-secret-key")
    llm = lyrics.describe()["roles"]["llm"]
    assert llm["endpoint"] == "llm.example.org:8443" and llm["model"] == "Qwen/Qwen2.5-7B-Instruct"
    assert "adapter" in llm["note"] and lyrics.mode == "grounded-text"
    shown = " ".join([str(lyrics.describe()), models_banner(lyrics), models_markdown(lyrics),
                      repr(lyrics.remote_llm.endpoint)])
    assert "llm.example.org:8443" in models_banner(lyrics) and "Qwen2.5-7B" in models_banner(lyrics)
    assert "sk-secret-key" not in shown and "hunter2" not in shown and "alice" not in shown


def test_a_server_that_is_down_gets_a_message_and_the_question_stays(offline_lyrics, assets):
    lyrics = remote(offline_lyrics, f"http://127.0.0.1:{free_port()}/v1", retries=1)
    session, history = chat_session(lyrics, assets)
    final = run_answer(lyrics, session, history)
    assert final[0] == history[0]  # the question
    assert final[-1]["metadata"]["title"] == "⚠️ No answer"
    assert "cannot be reached" in final[-1]["content"] and "Regenerate" in final[-1]["content"]
    assert handlers.drop_last_answer(final)["chatbot"] == history  # Regenerate asks the same question again


@pytest.fixture(scope="module")
def fault_server():
    server = start_fault_server()
    yield server
    server.kill()


@pytest.mark.parametrize("fault, key, message", [
    ("key", "wrong-key", "refused the API key (HTTP 401)"),
    ("failing", None, "failed (HTTP 500: CUDA out of memory)"),
    ("garbled", None, "not a chat completion stream"),
    ("slow", None, "sent nothing for 2 s"),
])
def test_each_server_fault_is_one_clear_message(offline_lyrics, assets, fault_server, fault, key, message):
    lyrics = remote(offline_lyrics, f"{fault_server.url}/{fault}/v1", api_key=key, read_timeout_s=2)
    with pytest.raises(LLMServerError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        lyrics.chat(assets / "cat.jpg", QUESTION)
    assert "wrong-key" not in str(err.value)


def test_the_right_key_is_sent(offline_lyrics, assets, fault_server, monkeypatch):
    monkeypatch.setenv("LYRICS_LLM_API_KEY", "right-key")
    assert remote(offline_lyrics, f"{fault_server.url}/key/v1").chat(assets / "cat.jpg", QUESTION) == "ok"


def test_fields_a_server_refuses_are_left_out_from_then_on(offline_lyrics, assets, fault_server, caplog):
    lyrics = remote(offline_lyrics, f"{fault_server.url}/strict/v1")
    with caplog.at_level("WARNING", logger="lyrics_model.modeling.remote_llm"):
        assert lyrics.chat(assets / "cat.jpg", QUESTION, repetition_penalty=1.1) == "ok"
        assert lyrics.chat(assets / "cat.jpg", QUESTION, repetition_penalty=1.1) == "ok"
    refused = [r.getMessage() for r in caplog.records if "does not take" in r.getMessage()]
    assert len(refused) == 2  # one line each, the first time only
    assert any("repetition_penalty" in line for line in refused) and any("stream_options" in line for line in refused)


CUT = "".join(CUT_WORDS)
STORY = "Tell me a joke."  # an answer streamed as it is generated, not held for a check


def test_a_stream_that_ends_before_the_answer_is_an_error_not_an_answer(offline_lyrics, assets, fault_server):
    lyrics = remote(offline_lyrics, f"{fault_server.url}/cut/v1", read_timeout_s=60)
    said, first = [], None
    with pytest.raises(LLMServerError, match=r"ended the stream before the answer was finished \(no finish_reason\)"):
        for chunk in lyrics.chat_stream(assets / "cat.jpg", [{"role": "user", "content": STORY}]):
            first = first or time.monotonic()
            said.append(chunk)
    assert time.monotonic() - first < 60  # told at the cut, not after the read timeout (60 s)
    assert "".join(said) == CUT  # what came before the cut was streamed as it came


def test_a_server_that_cuts_the_answer_at_its_own_limit_is_an_error(offline_lyrics, assets, fault_server):
    lyrics = remote(offline_lyrics, f"{fault_server.url}/short/v1", read_timeout_s=5)
    story = [{"role": "user", "content": STORY}]
    with pytest.raises(LLMServerError, match=f"cut the answer at {len(CUT_WORDS)} of the 64 tokens asked for"):
        lyrics.chat(assets / "cat.jpg", story, max_new_tokens=64)
    # "length" at the max_tokens asked for is the visitor's own limit: a whole answer, as in process
    assert lyrics.chat(assets / "cat.jpg", story, max_new_tokens=len(CUT_WORDS)) == CUT


def test_a_cut_answer_in_the_demo_stays_marked_as_broken_off_and_regenerate_asks_again(offline_lyrics, assets,
                                                                                         fault_server):
    lyrics = remote(offline_lyrics, f"{fault_server.url}/cut/v1", read_timeout_s=5)
    session, _ = chat_session(lyrics, assets)
    history = handlers.add_user_message(STORY, [])["chatbot"]
    final = run_answer(lyrics, session, history)
    assert final[:2] == [history[0], {"role": "assistant", "content": CUT}]  # the question and what was said
    assert len(final) == 3 and final[2]["metadata"]["title"] == "⚠️ The answer broke off"  # no refiner check
    assert "before the answer was finished" in final[2]["content"] and "Regenerate" in final[2]["content"]
    again = handlers.drop_last_answer(final)["chatbot"]
    assert again == history
    assert run_answer(lyrics, session, again)[2]["metadata"]["title"] == "⚠️ The answer broke off"  # cut again
    mended = remote(offline_lyrics, f"{fault_server.url}/key/v1", api_key="right-key")  # the server answers again
    assert run_answer(mended, session, again) == history + [{"role": "assistant", "content": "ok"}]


# ---- a real server: transformers serve ---------------------------------------------------------------

@pytest.fixture(scope="session")
def served_llm_dir(tmp_path_factory) -> Path:
    """The offline SmolLM2 with its grounded-text adapter merged, saved for a server (once per session)."""
    from lyrics_model.modeling.llm_export import export_offline_llm

    return export_offline_llm(tmp_path_factory.mktemp("served-smollm2") / "smollm2-lyrics")


@pytest.fixture(scope="module")
def llm_server(served_llm_dir):
    server = start_transformers_serve(served_llm_dir)
    yield server
    server.kill()


@pytest.mark.slow
@needs_serve
def test_a_streamed_answer_from_the_server(offline_lyrics, assets, llm_server):
    lyrics = remote(offline_lyrics, llm_server.url)
    chunks = list(lyrics.chat_stream(assets / "cat.jpg", QUESTION, regions=[[20, 20, 200, 200]], max_new_tokens=48))
    assert len(chunks) > 2 and "".join(chunks).strip()
    assert lyrics.describe()["roles"]["llm"]["model"] == str(llm_server_model(llm_server))


def llm_server_model(server) -> str:
    import httpx

    return httpx.get(f"{server.url}/models").json()["data"][0]["id"]


@pytest.mark.slow
@needs_serve
def test_stop_ends_the_answer_and_closes_the_stream(offline_lyrics, assets, llm_server):
    lyrics = remote(offline_lyrics, llm_server.url)
    stop = threading.Event()
    chunks = lyrics.chat_stream(assets / "cat.jpg", [{"role": "user", "content": "Describe the image in detail."}],
                                stop_event=stop, max_new_tokens=200)
    first = next(chunks)
    stop.set()
    rest = list(chunks)
    assert first and len(rest) <= 1
    # the server is free for the next visitor
    assert lyrics.chat(assets / "cat.jpg", QUESTION, max_new_tokens=16).strip()


@pytest.mark.slow
@needs_serve
def test_a_server_killed_mid_answer_and_one_started_after_the_demo(offline_lyrics, assets, served_llm_dir):
    port = free_port()
    lyrics = remote(offline_lyrics, f"http://127.0.0.1:{port}/v1", retries=1)
    session, _ = chat_session(lyrics, assets)
    history = handlers.add_user_message(STORY, [])["chatbot"]  # streamed as generated: the kill cuts it
    assert "cannot be reached" in run_answer(lyrics, session, history)[-1]["content"]  # not started yet
    server = start_transformers_serve(served_llm_dir, port)
    try:
        answered = run_answer(lyrics, session, handlers.drop_last_answer(history)["chatbot"])  # Regenerate
        assert answered[1]["role"] == "assistant" and answered[1]["content"].strip()
        assert not answered[1].get("metadata", {}).get("title", "").startswith("⚠️")
        broken = run_answer(lyrics, session, history, on_first_chunk=server.kill, max_new_tokens=300)
    finally:
        server.kill()
    assert broken[0] == history[0] and broken[1]["content"]  # the question and what was said stay
    assert broken[-1]["metadata"]["title"] == "⚠️ The answer broke off"
    assert "stopped mid-answer" in broken[-1]["content"]


@pytest.mark.slow
@needs_serve
def test_eight_visitors_at_once_through_the_demo(offline_lyrics, assets, llm_server, capfd):
    from demo import build_demo

    lyrics = remote(offline_lyrics, llm_server.url)
    app = build_demo(lyrics)
    app.queue(max_size=32, default_concurrency_limit=2)
    _, url, _ = app.launch(prevent_thread_lock=True, server_name="127.0.0.1", ssr_mode=False, quiet=True)
    try:
        photos = [assets / name for name in ("astronaut.jpg", "cat.jpg", "coffee.jpg", "cameraman.jpg", "rocket.jpg")]

        def visitor(i: int) -> str:
            photo = photos[i % len(photos)]
            width, height = Image.open(photo).size
            box = [width * 0.25, height * 0.25, width * 0.75, height * 0.75]
            return Client(url, verbose=False).predict(handle_file(str(photo)), "What is region1?", [], [box],
                                                      api_name="/chat")

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(visitor, range(8)))
    finally:
        app.close()
    assert all(isinstance(a, str) and a.strip() for a in answers)
    assert "Traceback" not in capfd.readouterr().err


def test_messages_carry_the_same_system_prompt_and_facts(offline_lyrics, smollm_tokenizer, assets):
    """The server gets the in-process prompt's system block and turns, as chat messages."""
    from lyrics_model.dialogue import grounded_inputs, grounded_messages

    rgb = np.asarray(Image.open(assets / "cat.jpg").convert("RGB"))
    result = offline_lyrics.refiner.refine(rgb)
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}] + QUESTION
    sent = grounded_messages(rgb, result, [], [], [], messages, 1800).inputs["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]

    class Tokens:  # what grounded_inputs reads of an LLM
        tokenizer, device = smollm_tokenizer, "cpu"

    local = grounded_inputs(Tokens(), rgb, result, [], [], [], messages, 1800)
    assert local.prompt == smollm_tokenizer.apply_chat_template(sent, tokenize=False, add_generation_prompt=True)
