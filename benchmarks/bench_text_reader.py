"""Reading text: exact-string accuracy per x-height on the seeded synthetic set, text invented where none is
drawn, reading time per photo, and refine time at 640 px with and without a text reader loaded.

    python benchmarks/bench_text_reader.py [--photos 60] [--blank 30] [--repeats 5]

The synthetic set (`lyrics_model.data.synthetic_text`): 640x480 photos with up to 3 signs, number plates
and labels (1-3 lines each) in DejaVu fonts, rotated up to 15 degrees on clutter; `--blank` photos of
clutter alone. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from lyrics_model import Lyrics  # noqa: E402
from lyrics_model.data.synthetic_text import X_HEIGHTS, text_photo  # noqa: E402
from lyrics_model.evaluation.text_reading import score_reading  # noqa: E402
from lyrics_model.refiner import VisualRefiner  # noqa: E402


def accuracy(reader, photos: int, blank: int, verbose: bool) -> tuple[list[str], list[float]]:
    """Markdown rows per x-height, and the reading time (ms) of every photo."""
    per_size, times, invented_on_text, invented_on_blank = defaultdict(list), [], [], []
    for seed in range(photos):
        photo = text_photo(seed)
        start = time.perf_counter()
        read = reader.read(photo.rgb)
        times.append((time.perf_counter() - start) * 1000)
        outcomes, invented = score_reading(photo.lines, read)
        invented_on_text += invented
        for outcome in outcomes:
            per_size[outcome.x_height].append(outcome)
            if verbose and not outcome.exact:
                print(f"  seed {seed} x-height {outcome.x_height} {outcome.kind}: {outcome.truth!r} read {outcome.read!r}")
    for seed in range(blank):
        start = time.perf_counter()
        invented_on_blank += reader.read(text_photo(10_000 + seed, items=0).rgb)
        times.append((time.perf_counter() - start) * 1000)
    if verbose:
        for line in invented_on_text + invented_on_blank:
            print(f"  invented {line.text!r} score {line.score:.3f}")
    rows = ["| x-height (px) | lines | exact | exact but spaces | read nothing |", "|---|---|---|---|---|"]
    for size in sorted(per_size):
        outcomes = per_size[size]
        n = len(outcomes)
        rows.append(f"| {size} | {n} | {100 * sum(o.exact for o in outcomes) / n:.0f}% | "
                    f"{100 * sum(o.exact_but_spaces for o in outcomes) / n:.0f}% | "
                    f"{100 * sum(not o.read for o in outcomes) / n:.0f}% |")
    big = [o for size, outcomes in per_size.items() if size >= 8 for o in outcomes]
    rows.append(f"| **8 and up** | {len(big)} | **{100 * sum(o.exact for o in big) / len(big):.1f}%** | "
                f"{100 * sum(o.exact_but_spaces for o in big) / len(big):.1f}% | "
                f"{100 * sum(not o.read for o in big) / len(big):.0f}% |")
    rows.append("")
    rows.append(f"Invented lines (read where nothing was drawn): {len(invented_on_text)} on the {photos} text photos, "
                f"{len(invented_on_blank)} on {blank} photos of clutter alone.")
    return rows, times


def refine_times(lyr: Lyrics, repeats: int) -> list[str]:
    """Median refine time at 640x480 with the reader loaded (not asked to read), without a reader, and
    refine plus reading; each on fresh caches."""
    without = VisualRefiner(lyr.refiner.tagger, lyr.refiner.detector, lyr.refiner.segmenter, profile="offline")
    photos = [text_photo(500 + i).rgb for i in range(repeats)]

    def median_ms(refine) -> float:
        refine(photos[0])  # warm-up
        runs = []
        for rgb in photos[1:] + photos[:1]:
            lyr.refiner.cache.clear(), lyr.refiner.text_cache.clear(), without.cache.clear()
            start = time.perf_counter()
            refine(rgb)
            runs.append((time.perf_counter() - start) * 1000)
        return statistics.median(runs)

    rows = ["| refine at 640x480 (offline profile) | median ms |", "|---|---|"]
    for name, refine in (("no text reader (as before)", without.refine),
                         ("text reader loaded, no text asked for", lyr.refiner.refine),
                         ("no text reader (again)", without.refine),
                         ("refine + read text", lambda rgb: lyr.refiner.refine(rgb, read_text=True))):
        rows.append(f"| {name} | {median_ms(refine):.0f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--blank", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--verbose", action="store_true", help="print every misread and invented line")
    args = parser.parse_args()
    start = time.perf_counter()
    lyr = Lyrics.from_profile("offline")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"reader {lyr.refiner.text_reader.name}, x-heights {X_HEIGHTS} px; loaded in "
          f"{time.perf_counter() - start:.1f} s\n")
    rows, times = accuracy(lyr.refiner.text_reader, args.photos, args.blank, args.verbose)
    print("\n".join(rows))
    times.sort()
    print(f"\nReading time per 640x480 photo: median {statistics.median(times):.0f} ms, "
          f"90th percentile {times[int(0.9 * (len(times) - 1))]:.0f} ms ({len(times)} photos)\n")
    print("\n".join(refine_times(lyr, args.repeats)))


if __name__ == "__main__":
    main()
