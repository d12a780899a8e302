"""Images per second of `cache-refiner`: one process against 1 and 2 Ray workers (a local cluster).

    python benchmarks/bench_ray_refine.py [--images 120] [--small 8] [--profile offline] [--runs one,ray1,ray2]

The dataset is made of the real photos in assets/: each photo gives several distinct images (crops
of 90% of its width and height at its four corners and its centre, and their mirror images), scaled
to at most 640 px on the long side as in COCO, listed in a stage-1 JSONL. Each configuration runs the
real command (`python -m lyrics_model cache-refiner ...`) as a new process into an empty folder, once
over the first `--small` images and once over `--images`; the difference removes start-up and model
loading, so

    images/s = (images - small) / (wall(images) - wall(small)).

The table (markdown) is printed; paste it into benchmarks/RESULTS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ("astronaut", "boats", "brushes", "cameraman", "cat", "coffee", "cups", "dahlia", "dogs", "fig",
          "meadow", "mountain_path", "nuthatch", "pagoda", "rocket", "stream", "wine")
CONFIGS = {"one": ("one process", []), "ray1": ("Ray, 1 worker", ["--ray", "--workers", "1"]),
           "ray2": ("Ray, 2 workers", ["--ray", "--workers", "2"])}


def make_dataset(folder: Path, count: int) -> list[Path]:
    """`count` distinct JPEGs cut from the asset photos (<= 640 px long side); -> their paths."""
    from PIL import Image, ImageOps

    paths = []
    variant = 0
    while len(paths) < count:
        corner, mirror = divmod(variant, 2)
        for name in PHOTOS:
            if len(paths) == count:
                break
            photo = Image.open(ROOT / "assets" / f"{name}.jpg").convert("RGB")
            width, height = int(photo.width * 0.9), int(photo.height * 0.9)
            left = (0, photo.width - width, 0, photo.width - width, (photo.width - width) // 2)[corner % 5]
            top = (0, 0, photo.height - height, photo.height - height, (photo.height - height) // 2)[corner % 5]
            image = photo.crop((left, top, left + width, top + height))
            image.thumbnail((640, 640), Image.Resampling.BICUBIC)
            if mirror:
                image = ImageOps.mirror(image)
            path = folder / f"{name}_{variant:02d}.jpg"
            image.save(path, quality=90)
            paths.append(path)
        variant += 1
    return paths


def write_jsonl(path: Path, images: list[Path]) -> Path:
    path.write_text("".join(json.dumps({"image": str(p), "captions": ["a photo."]}) + "\n" for p in images))
    return path


def run(data: Path, out: Path, profile: str, extra: list[str]) -> float:
    """Wall seconds of one `cache-refiner` command (fails loudly if the command fails)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "YOLO_OFFLINE": "1", "RAY_USAGE_STATS_ENABLED": "0"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lyrics_model", "cache-refiner", str(data), "--out", str(out),
                    "--profile", profile, *extra], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=120)
    parser.add_argument("--small", type=int, default=8)
    parser.add_argument("--profile", default="offline")
    parser.add_argument("--runs", default="one,ray1,ray2", help="which of: one (process), ray1, ray2 (workers)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_ray_"))
    images = make_dataset(folder, args.images)
    small = write_jsonl(folder / "small.jsonl", images[:args.small])
    large = write_jsonl(folder / "large.jsonl", images)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, profile {args.profile}, {time.strftime('%Y-%m-%d')}, "
          f"{args.images} images (<= 640 px), start-up measured over {args.small}")
    print("\n| run | wall s, %d images | wall s, %d images | images/s (difference) |" % (args.small, args.images))
    print("|---|---|---|---|")
    for key in args.runs.split(","):
        name, extra = CONFIGS[key]
        label = key
        wall_small = run(small, folder / f"{label}_small", args.profile, extra)
        wall_large = run(large, folder / f"{label}_large", args.profile, extra)
        rate = (args.images - args.small) / max(1e-9, wall_large - wall_small)
        print(f"| {name} | {wall_small:.1f} | {wall_large:.1f} | {rate:.2f} |", flush=True)


if __name__ == "__main__":
    main()
