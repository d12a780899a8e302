"""Command line: `python -m lyrics_model refine IMAGE [--profile P] [--json OUT] [--overlay OUT.png]`."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from PIL import Image

from .errors import LyricsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lyrics_model", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    refine = sub.add_parser("refine", help="tags, boxes and masks for one image")
    refine.add_argument("image", help="image file (JPEG, PNG, WebP, ...)")
    refine.add_argument("--profile", default="auto", help="auto (default), offline, cpu or gpu")
    refine.add_argument("--json", metavar="OUT.json", help="write the refine JSON here (default: stdout)")
    refine.add_argument("--overlay", metavar="OUT.png", help="write the image with masks, boxes and labels")
    refine.add_argument("--max-side", type=int, default=None, help="downscale images whose longer side exceeds this")
    refine.add_argument("-v", "--verbose", action="store_true", help="log model loading")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return _refine(args)
    except LyricsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _refine(args) -> int:
    from .image_io import load_image
    from .lyrics import Lyrics

    limits = {"max_side": args.max_side} if args.max_side else {}
    load_image(args.image, **limits)  # fail on a bad file before loading any model
    lyr = Lyrics.from_profile(args.profile, **limits)
    result = lyr.refine(args.image)
    text = json.dumps(result.to_json(), indent=1)
    if args.json:
        with open(args.json, "w") as out:
            out.write(text + "\n")
    else:
        print(text)
    if args.overlay:
        Image.fromarray(lyr.overlay(args.image, result)).save(args.overlay)
    summary = ", ".join(f"{o['id']} {o['label']} {o['score']:.2f}" for o in result.objects_json())
    print(f"{len(result.tags)} tags, {len(result.detections)} objects ({summary}) in "
          f"{result.timings_ms['total']:.0f} ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
