"""Refiner latency per stage, and first vs second click, for every profile that runs on this machine.

    python benchmarks/bench_refiner.py [--repeats 5] [--skip-sam]

Profiles: `offline` with its real weights; `cpu` models with random weights (CLIP ViT-B-32,
YOLO-World-s, SAM vit_b), which cost the same time as trained ones. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("YOLO_OFFLINE", "1")
os.environ.setdefault("YOLO_CONFIG_DIR", tempfile.mkdtemp())

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from lyrics_model import Lyrics  # noqa: E402
from lyrics_model.profiles import PROFILES  # noqa: E402


def random_cpu_weights(folder: Path) -> dict:
    """Save random-weight models of the `cpu` profile's architectures into `folder`."""
    import open_clip
    from safetensors.torch import save_file
    from ultralytics import YOLOWorld

    from lyrics_model.refiner import build_sam

    clip = open_clip.create_model("ViT-B-32", force_quick_gelu=True)
    save_file(clip.state_dict(), folder / "clip.safetensors")
    world = YOLOWorld("yolov8s-worldv2.yaml")
    for name, param in world.model.model[-1].named_parameters():
        if name.startswith("cv4.") and name.endswith(".bias") and param.numel() == 1:
            param.data.zero_()  # let the untrained head emit boxes, so SAM has work to do
    world.save(folder / "yolov8s-worldv2.pt")
    torch.save(build_sam("vit_b").state_dict(), folder / "sam_vit_b.pth")
    return {"tagger": folder / "clip.safetensors", "detector": folder / "yolov8s-worldv2.pt",
            "segmenter": folder / "sam_vit_b.pth"}


def measure(lyr: Lyrics, image: np.ndarray, repeats: int) -> dict:
    lyr.refine(image)  # warm-up: lazy initialisation, text embeddings
    runs = []
    for _ in range(repeats):
        lyr.clear_caches()
        runs.append(lyr.refine(image))
    row = {stage: statistics.median(r.timings_ms[stage] for r in runs) for stage in runs[0].timings_ms}
    row["objects"] = len(runs[-1].detections)
    height, width = image.shape[:2]
    clicks = []
    for _ in range(repeats):
        lyr.clear_caches()
        start = time.perf_counter()
        lyr.segment_point(image, [(width * 0.4, height * 0.5)], [1])
        first = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        lyr.segment_point(image, [(width * 0.4, height * 0.5), (width * 0.8, height * 0.2)], [1, 0])
        clicks.append((first, (time.perf_counter() - start) * 1000))
    row["click1"] = statistics.median(c[0] for c in clicks)
    row["click2"] = statistics.median(c[1] for c in clicks)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--image", default=str(ROOT / "assets" / "astronaut.jpg"))
    parser.add_argument("--size", type=int, default=640, help="longer side the photo is resized to")
    parser.add_argument("--skip-sam", action="store_true", help="only the offline profile")
    args = parser.parse_args()
    photo = Image.open(args.image).convert("RGB")
    photo.thumbnail((args.size, args.size)) if max(photo.size) > args.size else None
    scale = args.size / max(photo.size)
    image = np.asarray(photo.resize((round(photo.width * scale), round(photo.height * scale))))

    rows = [("offline", measure(Lyrics.from_profile("offline"), image, args.repeats))]
    if not args.skip_sam:
        with tempfile.TemporaryDirectory() as folder:
            weights = random_cpu_weights(Path(folder))
            lyr = Lyrics.from_profile(PROFILES["cpu"], weights=weights)
            rows.append(("cpu (random weights)", measure(lyr, image, max(2, args.repeats // 2))))

    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}; image {image.shape[1]}x{image.shape[0]}; "
          f"date {time.strftime('%Y-%m-%d')}\n")
    print("| profile | tagger ms | detector ms | segmenter ms | refine total ms | objects | 1st click ms | 2nd click ms | 2nd/1st |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['tagger']:.0f} | {r['detector']:.0f} | {r['segmenter']:.0f} | {r['total']:.0f} | "
              f"{r['objects']} | {r['click1']:.0f} | {r['click2']:.0f} | {r['click2'] / r['click1']:.1%} |")


if __name__ == "__main__":
    main()
