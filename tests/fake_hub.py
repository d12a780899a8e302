"""A model hub on localhost for first-run download tests: Hugging Face Hub file URLs
(`/{repo_id}/resolve/{revision}/{filename}`, via HF_ENDPOINT) and single weights files
(`/weights/{filename}`, via LYRICS_WEIGHTS_URL). It records every request and can cut a file half-way."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    """Serve `files` ({"repo/id/filename" or "weights/filename": bytes}) on 127.0.0.1.

    requests: "METHOD path" of every request. cut: paths whose body stops half-way (the connection
    closes with Content-Length unmet).
    """

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.requests: list[str] = []
        self.cut: set[str] = set()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_HEAD(self):
                self.respond(body=False)

            def do_GET(self):
                self.respond(body=True)

            def respond(self, body: bool):
                hub.requests.append(f"{self.command} {self.path}")
                key = hub.key(self.path.split("?")[0])
                data = hub.files.get(key)
                if data is None:
                    self.send_response(404)
                    self.send_header("X-Error-Code", "EntryNotFound")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
                self.send_header("X-Repo-Commit", COMMIT)
                self.send_header("Content-Type", "application/octet-stream")
                self.end_headers()
                if body:
                    self.wfile.write(data[: len(data) // 2] if key in hub.cut else data)
                    self.wfile.flush()
                    if key in hub.cut:
                        self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def key(path: str) -> str:
        """"/Qwen/x/resolve/main/config.json" -> "Qwen/x/config.json"; "/weights/a.pt" -> "weights/a.pt"."""
        path = path.lstrip("/")
        if "/resolve/" in path:
            repo, _, rest = path.partition("/resolve/")
            return f"{repo}/{rest.partition('/')[2]}"
        return path

    def __enter__(self) -> "FakeHub":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
