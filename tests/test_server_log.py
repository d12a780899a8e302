"""The server log a hoster reads: one line per refused request (where, and the visitor's message), and no
traceback for any handled error; a traceback only for a real bug."""

import logging

import pytest
from gradio_client import Client, handle_file


@pytest.fixture(scope="module")
def client(demo_url):
    return Client(demo_url, verbose=False)


@pytest.fixture
def corrupt(tmp_path):
    path = tmp_path / "bad.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 definitely not a jpeg")
    return path


def refusals(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "demo.refused"]


@pytest.mark.parametrize(
    "endpoint, args, message",
    [
        ("/refine", ["corrupt"], "corrupt"),
        ("/chat", ["corrupt", "What is this?", [], []], "corrupt"),
        ("/chat_stream", ["corrupt", "What is this?", [], []], "corrupt"),
        ("/segment_point", ["astronaut", [[900, 10]], [1]], "outside"),
        ("/segment_point", ["astronaut", "not a list", [1]], "list"),
        ("/chat", ["astronaut", "", [], []], "empty"),
    ],
)
def test_a_refused_request_logs_one_line_and_no_traceback(client, assets, corrupt, caplog, capfd, endpoint, args,
                                                           message):
    files = {"astronaut": assets / "astronaut.jpg", "corrupt": corrupt}
    args = [handle_file(str(files[args[0]]))] + args[1:]
    capfd.readouterr()
    with caplog.at_level(logging.INFO, logger="demo.refused"), pytest.raises(Exception, match=message):
        client.predict(*args, api_name=endpoint)
    lines = refusals(caplog)
    assert len(lines) == 1 and lines[0].startswith(f'"{endpoint}" | ') and message in lines[0]
    output = capfd.readouterr()
    assert "Traceback" not in output.err + output.out


def test_a_bug_still_prints_its_traceback(demo_url, assets, capfd, monkeypatch, offline_lyrics):
    def broken(image, **options):
        raise RuntimeError("a bug in refine")

    monkeypatch.setattr(offline_lyrics, "refine", broken)
    capfd.readouterr()
    with pytest.raises(Exception):
        Client(demo_url, verbose=False).predict(handle_file(str(assets / "cat.jpg")), api_name="/refine")
    err = capfd.readouterr().err
    assert "Traceback" in err and "a bug in refine" in err


@pytest.mark.slow
def test_the_app_log_has_one_line_per_refusal_and_no_traceback(assets, corrupt, tmp_path):
    """`python app.py` as a hoster runs it, its language model server down: bad uploads, a click outside the
    image and a question the server cannot answer each leave one line in the log, and no traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from llm_servers import free_port, wait_until_up

    root = Path(__file__).resolve().parent.parent
    port = free_port()
    log = tmp_path / "app.log"
    with open(log, "w") as sink:
        app = subprocess.Popen([sys.executable, "app.py", "--profile", "offline", "--port", str(port),
                                "--llm-url", f"http://127.0.0.1:{free_port()}/v1"], cwd=root, stdout=sink,
                               stderr=subprocess.STDOUT, env=dict(os.environ, GRADIO_TEMP_DIR=str(tmp_path / "gradio")))
        try:
            wait_until_up(app, f"http://127.0.0.1:{port}/config", 300)
            client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            calls = [("/refine", [handle_file(str(corrupt))]),
                     ("/chat", [handle_file(str(corrupt)), "What is this?", [], []]),
                     ("/segment_point", [handle_file(str(assets / "astronaut.jpg")), [[900, 10]], [1]]),
                     ("/chat", [handle_file(str(assets / "cat.jpg")), "Describe the image.", [], []])]  # the model
            for endpoint, args in calls:
                with pytest.raises(Exception):
                    client.predict(*args, api_name=endpoint)
        finally:
            app.terminate()
            app.wait(30)
    text = log.read_text()
    assert "Traceback" not in text
    refusals = [line for line in text.splitlines() if "demo.refused" in line]
    assert len(refusals) == 4, text[-3000:]
    assert all(f'"{endpoint}" | ' in line for (endpoint, _), line in zip(calls, refusals))
    assert "corrupt" in refusals[0] and "outside" in refusals[2] and "cannot be reached" in refusals[3]
    assert "not answering yet" in text  # said at start-up
