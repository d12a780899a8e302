"""Many visitors at once: start the demo, then drive 1, 2, 4 and 8 gradio_client users who each ask
a region question about their own photo at the same moment, through the streaming `/chat_stream` API.

    python benchmarks/bench_load.py [--users 1 2 4 8] [--rounds 4] [--profile offline] [--out table.md]
                                    [--llm-url URL [--llm-model NAME]]

With --llm-url the demo's language model is that OpenAI-compatible server (started by you), and the
refiner still runs in the demo.

Every photo is refined once before timing, so the numbers are the chat's. Reports, per number of
users: median and 95th-percentile answer latency, median time to first text, aggregate answer
tokens per second (all users' tokens over the round's wall time), the slowest of the clicks
(`/segment_point`) another visitor makes meanwhile, errors, and the server's peak RSS; and the refiner's
share of a first question about a new photo (its refine time, measured while warming up, against one
user's median answer).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import httpx  # noqa: E402
from gradio_client import Client, handle_file  # noqa: E402
from PIL import Image  # noqa: E402

from lyrics_model.weights import package_file  # noqa: E402

PHOTOS = [ROOT / "assets" / name for name in ("astronaut.jpg", "cat.jpg", "coffee.jpg", "cameraman.jpg", "rocket.jpg")]
PACKAGE_PHOTOS = [("ultralytics", "assets/bus.jpg"), ("ultralytics", "assets/zidane.jpg"),
                  ("matplotlib", "mpl-data/sample_data/grace_hopper.jpg")]
QUESTION = "What is region1?"


def client(url: str) -> Client:
    """A simulated visitor. The demo is plain HTTP on this machine, so no certificates are loaded:
    gradio_client opens a new HTTP connection per upload, request and stream, and loading the CA
    bundle for each costs about 25 ms of CPU, taken from the server that shares these cores."""
    return Client(url, verbose=False, ssl_verify=False)


def photos() -> list[Path]:
    """Eight real photos: the five assets and three that PyPI packages ship."""
    import importlib.util

    found = list(PHOTOS)
    for package, relative in PACKAGE_PHOTOS:
        spec = importlib.util.find_spec(package)
        if spec and spec.origin and (Path(spec.origin).parent / relative).exists():
            found.append(Path(spec.origin).parent / relative)
    return found


def centre_box(path: Path) -> list[float]:
    """The middle half of the photo, as a pixel box: the region each user asks about."""
    width, height = Image.open(path).size
    return [width * 0.25, height * 0.25, width * 0.75, height * 0.75]


def start_server(profile: str, port: int, llm: list[str] = ()) -> subprocess.Popen:
    """The demo (app.py) on `port`; `llm`: extra arguments (--llm-url URL --llm-model NAME)."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", YOLO_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    server = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--profile", profile, "--port", str(port), *llm],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/config", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(1)
        if server.poll() is not None:
            raise SystemExit(f"the demo exited with code {server.returncode}")
    server.kill()
    raise SystemExit("the demo did not start within 5 minutes")


class PeakRss:
    """Samples a process's resident memory every 0.1 s; `peak_mb` is the largest seen."""

    def __init__(self, pid: int):
        self.pid, self.peak_mb, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.1):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb


def ask(visitor: Client, image, region, barrier: threading.Barrier, out: dict) -> None:
    """One user's question; fills out with latency_s, ttft_s, answer or error."""
    barrier.wait()
    start = time.perf_counter()
    try:
        job = visitor.submit(image, QUESTION, [], [region], api_name="/chat_stream")
        while not job.done():  # every 5 ms: iterating the job polls every 1 ms, and 8 pollers steal the server's CPU
            if "ttft_s" not in out and job.outputs():
                out["ttft_s"] = time.perf_counter() - start
            time.sleep(0.005)
        answer = job.result()
        out.update(latency_s=time.perf_counter() - start, answer=answer)
    except Exception as err:  # reported as an error of this user
        out.update(error=f"{type(err).__name__}: {err}")


def click_while_busy(url: str, image: Path, started: threading.Event, done: threading.Event, out: list) -> None:
    """A visitor clicking while the others' answers run: /segment_point latencies, one click a second."""
    visitor = client(url)
    upload = handle_file(str(image))
    width, height = Image.open(image).size
    started.wait()
    while not done.is_set():
        start = time.perf_counter()
        visitor.predict(upload, [[width / 2, height / 2]], [1], api_name="/segment_point")
        out.append(time.perf_counter() - start)
        done.wait(1.0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--rounds", type=int, default=4, help="rounds per number of users")
    parser.add_argument("--profile", default="offline")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--out", help="also write the Markdown table here")
    parser.add_argument("--llm-url", help="the language model on this OpenAI-compatible server")
    parser.add_argument("--llm-model", help="its model name (default: the first it lists)")
    args = parser.parse_args()
    from transformers import AutoTokenizer

    from lyrics_model.modeling.llm import SMOLLM2_GGUF

    gguf = package_file(*SMOLLM2_GGUF).path
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    port = args.port or _free_port()
    llm = ["--llm-url", args.llm_url] if args.llm_url else []
    llm += ["--llm-model", args.llm_model] if args.llm_model else []
    server = start_server(args.profile, port, llm)
    url = f"http://127.0.0.1:{port}/"
    try:
        images = photos()
        warm, refine_s = client(url), []
        for path in images:
            start = time.perf_counter()
            warm.predict(handle_file(str(path)), api_name="/refine")
            refine_s.append(time.perf_counter() - start)
        rows = []
        for users in args.users:
            clients = [client(url) for _ in range(users)]
            latencies, ttfts, errors, tokens, wall, clicks = [], [], 0, 0, 0.0, []
            rss = PeakRss(server.pid)
            for _ in range(args.rounds):
                barrier, results = threading.Barrier(users), [dict() for _ in range(users)]
                started, done = threading.Event(), threading.Event()
                clicker = threading.Thread(target=click_while_busy, args=(url, images[0], started, done, clicks))
                clicker.start()
                threads = [threading.Thread(target=ask, args=(clients[i], handle_file(str(images[i % len(images)])),
                                                              centre_box(images[i % len(images)]), barrier, results[i]))
                           for i in range(users)]
                start = time.perf_counter()
                for thread in threads:
                    thread.start()
                time.sleep(0.3)  # the answers are under way
                started.set()
                for thread in threads:
                    thread.join()
                wall += time.perf_counter() - start
                done.set()
                clicker.join()
                for result in results:
                    if "error" in result:
                        errors += 1
                        print(f"  error: {result['error']}", file=sys.stderr)
                        continue
                    latencies.append(result["latency_s"])
                    ttfts.append(result.get("ttft_s", result["latency_s"]))
                    tokens += len(tokenizer(result["answer"], add_special_tokens=False)["input_ids"])
            rows.append({"users": users, "answers": len(latencies), "p50": statistics.median(latencies) if latencies else 0,
                         "p95": percentile(latencies, 0.95) if latencies else 0,
                         "ttft": statistics.median(ttfts) if ttfts else 0, "tokens_s": tokens / wall,
                         "errors": errors, "rss_mb": rss.stop(), "click": max(clicks) if clicks else 0})
            print(f"{users} users done", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(30)
    single = rows[0]
    lines = ["| users | answers | p50 s | p95 s | p95 / single p50 | first text p50 s | tokens/s (all users) "
             "| throughput vs 1 user | slowest click s | errors | peak RSS MB |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['users']} | {row['answers']} | {row['p50']:.2f} | {row['p95']:.2f} | "
                     f"{row['p95'] / single['p50']:.1f}x | {row['ttft']:.2f} | {row['tokens_s']:.1f} | "
                     f"{row['tokens_s'] / single['tokens_s']:.2f}x | {row['click']:.2f} | {row['errors']} | "
                     f"{row['rss_mb']:.0f} |")
    refine = statistics.median(refine_s)
    lines.append(f"\nRefining a new photo (through /refine, upload included): median {refine:.2f} s, so on a first "
                 f"question about a new photo the refiner takes {refine / (refine + single['p50']):.0%} of "
                 f"{refine + single['p50']:.2f} s (one user).")
    table = "\n".join(lines)
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
