"""Refine time and peak memory of a large photo against a small one (offline profile).

    python benchmarks/bench_photo_size.py [--sizes 1024x768,4032x3024] [--repeats 3]

The photo is a real one (assets/cat.jpg, cropped to 4:3) upscaled to each size and saved as a JPEG,
so every run decodes a file as a user's upload would be. Each size runs in its own process, so its
peak RSS (`resource.getrusage`) is its own. Reported per size: `Lyrics.refine(path)` wall time
(median, caches cleared, so it includes decoding and downscaling), `to_json()` time (RLE masks at
the photo's size), the bytes the returned result's masks hold (pickled), and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def child(size: tuple[int, int], repeats: int) -> dict:
    """Measure one size in this process; the photo file is written to a temp folder first."""
    from PIL import Image

    from lyrics_model import Lyrics

    cat = Image.open(ROOT / "assets" / "cat.jpg").convert("RGB")
    left = (cat.width - 400) // 2
    photo = cat.crop((left, 0, left + 400, 300)).resize(size, Image.Resampling.BICUBIC)
    folder = Path(tempfile.mkdtemp())
    path = folder / "photo.jpg"
    photo.save(path, quality=92)
    del photo, cat
    lyr = Lyrics.from_profile("offline")
    lyr.refine(path)  # warm-up: lazy initialisation
    refine_ms, json_ms = [], []
    for _ in range(repeats):
        lyr.clear_caches()
        start = time.perf_counter()
        result = lyr.refine(path)
        refine_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        result.to_json()
        json_ms.append((time.perf_counter() - start) * 1000)
    return {"size": list(size), "refine_ms": statistics.median(refine_ms), "to_json_ms": statistics.median(json_ms),
            "objects": len(result.detections), "result_size": list(result.size),
            "mask_bytes": len(pickle.dumps(result.detections.mask)),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1024x768,4032x3024", help="comma-separated WIDTHxHEIGHT")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        width, height = map(int, args.child.split("x"))
        print(json.dumps(child((width, height), args.repeats)))
        return
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"date {time.strftime('%Y-%m-%d')}; offline profile; median of {args.repeats}\n")
    print("| photo | result size | objects | refine ms | to_json ms | result masks (pickled) | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        out = subprocess.run([sys.executable, __file__, "--child", size, "--repeats", str(args.repeats)],
                             capture_output=True, text=True, check=True, env=os.environ)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {size} | {row['result_size'][0]}x{row['result_size'][1]} | {row['objects']} | "
              f"{row['refine_ms']:.0f} | {row['to_json_ms']:.0f} | {row['mask_bytes'] / 1e6:.2f} MB | "
              f"{row['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
