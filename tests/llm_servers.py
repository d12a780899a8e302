"""Start and stop OpenAI-compatible servers as separate processes on 127.0.0.1, for the tests.

`transformers serve` (transformers' own server, extra `transformers[serving]`) serves a model folder
saved by `export_offline_llm`; `tests/fault_llm_server.py` serves the faults a real server cannot be
made to show on demand.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def transformers_serve_command() -> list[str] | None:
    """The `transformers serve` command, or None where its serving extra is not installed."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return None
    cli = Path(sys.executable).parent / "transformers"
    return [str(cli)] if cli.exists() else ([shutil.which("transformers")] if shutil.which("transformers") else None)


def wait_until_up(process: subprocess.Popen, health_url: str, timeout_s: float) -> None:
    """Return once `health_url` answers 200; raise RuntimeError if `process` exits or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            if httpx.get(health_url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {timeout_s:.0f} s")


class ServerProcess:
    """A server process started by the tests; `url` is its OpenAI base URL. `kill()` ends it at once."""

    def __init__(self, command: list[str], port: int, health: str, base_path: str = "/v1"):
        self.port, self.health = port, health
        self.url = f"http://127.0.0.1:{port}{base_path}"
        env = dict(os.environ, OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
        self.log = tempfile.NamedTemporaryFile(prefix="llm-server-", suffix=".log", delete=False)  # kept for a look
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def wait_up(self, timeout_s: float = 240) -> "ServerProcess":
        try:
            wait_until_up(self.process, f"http://127.0.0.1:{self.port}{self.health}", timeout_s)
        except RuntimeError as err:
            self.kill()
            raise RuntimeError(f"{err}; its log: {self.log.name}") from None
        return self

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)


def start_transformers_serve(model_dir: Path, port: int | None = None, wait: bool = True) -> ServerProcess:
    """`transformers serve MODEL_DIR` on 127.0.0.1 (a free port unless given), the model loaded at start."""
    port = port or free_port()
    command = transformers_serve_command() + ["serve", str(model_dir), "--host", "127.0.0.1", "--port", str(port),
                                              "--device", "cpu", "--log-level", "error"]
    server = ServerProcess(command, port, "/health")
    return server.wait_up() if wait else server


def start_fault_server() -> ServerProcess:
    port = free_port()
    server = ServerProcess([sys.executable, str(HERE / "fault_llm_server.py"), str(port)], port, "/key/v1/models",
                           base_path="")
    return server.wait_up(60)
