"""Chat latency of the offline profile: time to first token and tokens per second, once the image
is refined, with and without a region.

    python benchmarks/bench_chat.py [--repeats 3] [--tokens 64]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from lyrics_model import Lyrics  # noqa: E402

CASES = [
    ("no region", [{"role": "user", "content": "What is in this image?"}], None),
    ("one region", [{"role": "user", "content": "What is region1?"}], [[20, 20, 370, 510]]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=64, help="max_new_tokens per answer")
    parser.add_argument("--image", default=str(ROOT / "assets" / "astronaut.jpg"))
    args = parser.parse_args()
    lyr = Lyrics.from_profile("offline")
    start = time.perf_counter()
    tokenizer = lyr.language_model.tokenizer
    load_s = time.perf_counter() - start
    lyr.refine(args.image)
    lyr.chat(args.image, CASES[0][1], max_new_tokens=4)  # warm-up
    print(f"Machine: {os.cpu_count()} cores, torch {torch.__version__}, threads {torch.get_num_threads()}; "
          f"LLM {lyr.language_model.name} loaded in {load_s:.1f} s; date {time.strftime('%Y-%m-%d')}\n")
    print("| case | prompt tokens | time to first token ms | tokens/s | answer tokens |")
    print("|---|---|---|---|---|")
    for name, messages, regions in CASES:
        prompt_tokens = lyr.prepare_chat(args.image, messages, regions)[0].inputs["input_ids"].shape[1]
        ttfts, rates, lengths = [], [], []
        for _ in range(args.repeats):
            begin = time.perf_counter()
            first = None
            chunks = []
            for chunk in lyr.chat_stream(args.image, messages, regions, max_new_tokens=args.tokens):
                first = first or time.perf_counter()
                chunks.append(chunk)
            end = time.perf_counter()
            tokens = len(tokenizer("".join(chunks), add_special_tokens=False).input_ids)
            ttfts.append((first - begin) * 1000)
            rates.append((tokens - 1) / max(1e-6, end - first))
            lengths.append(tokens)
        print(f"| {name} | {prompt_tokens} | {statistics.median(ttfts):.0f} | {statistics.median(rates):.1f} | "
              f"{statistics.median(lengths):.0f} |")


if __name__ == "__main__":
    main()
