"""Command line.

    python -m lyrics_model refine IMAGE [--profile P] [--json OUT.json] [--overlay OUT.png]
    python -m lyrics_model cache-refiner DATA.jsonl --out CACHE [--profile P] [--ray [ADDRESS] --workers N
        --gpus-per-worker G]
    python -m lyrics_model train stage1|stage2 --config FILE.json
    python -m lyrics_model train grounded-text --out DIR [--minutes N] [--max-steps 800] [--profile offline]
        [--init-adapter DIR] [--seed 0] [--lr 3e-4]
    python -m lyrics_model train-toy [--out runs/toy] [--stage1-steps 50] [--stage2-steps 120] [--minutes CAP]
    python -m lyrics_model eval QA.jsonl [--profile P] [--bridge DIR] [--out results.json]
    python -m lyrics_model annotate DIR_OR_GLOB --coco OUT.json [--profile P] [--workers N] [--no-text]
        [--ray [ADDRESS] --gpus-per-worker G]
    python -m lyrics_model data convert coco-captions|refcoco|vg-regions|llava --input FILE --images DIR
        --out OUT.jsonl [--instances instances.json] [--split train]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from PIL import Image

from .errors import LyricsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lyrics_model", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    refine = sub.add_parser("refine", help="tags, boxes and masks for one image")
    refine.add_argument("image", help="image file (JPEG, PNG, WebP, ...)")
    refine.add_argument("--profile", default="auto", help="auto (default), offline, cpu or gpu")
    refine.add_argument("--json", metavar="OUT.json", help="write the refine JSON here (default: stdout)")
    refine.add_argument("--overlay", metavar="OUT.png", help="write the image with masks, boxes and labels")
    refine.add_argument("--max-side", type=int, default=None, help="downscale images whose longer side exceeds this")
    refine.add_argument("--text", dest="read_text", action="store_true",
                        help="also read the lines of text (\"texts\" in the JSON, drawn on the overlay)")
    refine.add_argument("-v", "--verbose", action="store_true", help="log model loading")

    train = sub.add_parser("train", help="train the bridge: stage1 (alignment) or stage2 (instruction tuning); "
                                          "or the grounded-text adapter")
    train.add_argument("stage", choices=["stage1", "stage2", "grounded-text"])
    train.add_argument("--config", help="stage1/stage2: JSON file of TrainConfig settings (see configs/)")
    train.add_argument("--out", help="grounded-text: output folder (the adapter lands in OUT/adapter)")
    train.add_argument("--minutes", type=float, default=None, help="grounded-text: a time cap")
    train.add_argument("--max-steps", type=int, default=800, help="grounded-text: optimizer steps")
    train.add_argument("--profile", default="offline", help="grounded-text: whose LLM to adapt (offline or cpu)")
    train.add_argument("--init-adapter", metavar="DIR", help="grounded-text: train on from this adapter folder")
    train.add_argument("--seed", type=int, default=0, help="grounded-text: seed of the generated data and the run")
    train.add_argument("--lr", type=float, default=3e-4, help="grounded-text: peak learning rate")

    toy = sub.add_parser("train-toy", help="CPU-scale reproduction of the paper's ablation on synthetic scenes")
    toy.add_argument("--out", default="runs/toy", help="output folder (results.json, one bridge per variant)")
    toy.add_argument("--stage1-steps", type=int, default=None, help="optimizer steps of stage 1 (recipe: 30)")
    toy.add_argument("--stage2-steps", type=int, default=None, help="optimizer steps of stage 2 (recipe: 45)")
    toy.add_argument("--minutes", type=float, default=None,
                     help="a cap on the whole run; a run it cuts short says so and is not the recipe's table")
    toy.add_argument("--variant", action="append", dest="variants", metavar="NAME",
                     help="train only this variant (repeatable; default: all four)")
    toy.add_argument("--seed", type=int, default=0)
    toy.add_argument("--train-scenes", type=int, default=800)
    toy.add_argument("--eval-scenes", type=int, default=100, help="held-out scenes (five questions each)")

    cache = sub.add_parser("cache-refiner", help="run the refiner once over a dataset and cache its output")
    cache.add_argument("data", help="a stage-1 or stage-2 JSONL file")
    cache.add_argument("--out", required=True, help="cache folder (resumable: done images are skipped)")
    cache.add_argument("--profile", default="auto")
    evaluate = sub.add_parser("eval", help="answer-quality benchmark over a QA JSONL file")
    evaluate.add_argument("qa", help="QA JSONL file (see lyrics_model/evaluation/qa.py)")
    evaluate.add_argument("--profile", default="offline")
    evaluate.add_argument("--bridge", default=None, help="chat in bridge mode with this checkpoint folder")
    evaluate.add_argument("--adapter", default="default",
                          help="grounded-text adapter: default (the shipped one), none, or an adapter folder")
    evaluate.add_argument("--out", default=None,
                          help="write every answer (its outcome, objects it names that the photo lacks) "
                               "and the summary here (JSON)")
    evaluate.add_argument("--max-new-tokens", type=int, default=48)
    annotate = sub.add_parser("annotate", help="refine a folder of images into a COCO instances JSON")
    annotate.add_argument("source", help="a folder (searched recursively) or a glob pattern such as 'photos/*.jpg'")
    annotate.add_argument("--coco", required=True, metavar="OUT.json", help="COCO instances file (resumable)")
    annotate.add_argument("--profile", default="auto", help="auto (default), offline, cpu or gpu")
    annotate.add_argument("--no-text", dest="read_text", action="store_false",
                          help="do not read text (faster; no `text` annotations)")
    annotate.add_argument("--workers", type=int, default=1,
                          help="images refined at once (threads); with --ray, refining actors")
    data = sub.add_parser("data", help="dataset tools").add_subparsers(dest="data_command", required=True)
    convert = data.add_parser("convert", help="a standard dataset to training JSONL (stage 1 or stage 2)")
    convert.add_argument("format", choices=["coco-captions", "refcoco", "vg-regions", "llava"])
    convert.add_argument("--input", required=True, help="captions_*.json, refs JSON, region_descriptions.json "
                                                        "or LLaVA-Instruct JSON")
    convert.add_argument("--images", required=True, help="the folder holding the images")
    convert.add_argument("--out", required=True, help="the JSONL file to write")
    convert.add_argument("--instances", help="refcoco: the COCO instances_*.json the refs point into")
    convert.add_argument("--split", help="refcoco: keep only refs of this split (train, val, testA, ...)")
    for command in (train, toy, cache, evaluate, convert, annotate):
        command.add_argument("-v", "--verbose", action="store_true")
    for command in (cache, annotate):
        command.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                             help="run on Ray: a cluster's address (ray://host:10001 or host:6379), or none for "
                                  "the cluster RAY_ADDRESS names or a local one")
        command.add_argument("--gpus-per-worker", type=float, default=0,
                             help="with --ray: GPUs each refining actor holds (e.g. 1, or 0.5 to share one)")
        command.add_argument("--cpus-per-worker", type=float, default=1, help="with --ray: CPUs each actor holds")
    cache.add_argument("--workers", dest="ray_workers", type=int, default=1,
                       help="with --ray: refining actors (each loads the profile's models once)")
    cache.add_argument("--shard-size", type=int, default=256, help="images per Parquet shard of the cache")

    args = parser.parse_args(argv)
    level = logging.INFO if args.verbose or args.command in ("train", "train-toy") else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(message)s")
    commands = {"refine": _refine, "train": _train, "train-toy": _train_toy, "cache-refiner": _cache_refiner,
                "eval": _eval, "data": _data, "annotate": _annotate}
    try:
        return commands[args.command](args)
    except LyricsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _refine(args) -> int:
    from .image_io import load_image
    from .lyrics import Lyrics

    limits = {"max_side": args.max_side} if args.max_side else {}
    load_image(args.image, **limits)  # fail on a bad file before loading any model
    lyr = Lyrics.from_profile(args.profile, **limits)
    result = lyr.refine(args.image, read_text=args.read_text)
    text = json.dumps(result.to_json(), indent=1)
    if args.json:
        with open(args.json, "w") as out:
            out.write(text + "\n")
    else:
        print(text)
    if args.overlay:
        Image.fromarray(lyr.overlay(args.image, result)).save(args.overlay)
    summary = ", ".join(f"{o['id']} {o['label']} {o['score']:.2f}" for o in result.objects_json())
    texts = "" if result.texts is None else f", {len(result.texts)} text lines"
    print(f"{len(result.tags)} tags, {len(result.detections)} objects ({summary}){texts} in "
          f"{result.timings_ms['total']:.0f} ms", file=sys.stderr)
    return 0


def _annotate(args) -> int:
    from .coco_annotations import find_images

    find_images(args.source)  # a bad source fails before any model loads
    if args.ray is not None:
        from .data.ray_refine import annotate_ray

        args.ray_workers = args.workers
        report = annotate_ray(args.source, args.coco, args.profile, options=_ray_options(args), read_text=args.read_text)
    else:
        report = _annotate_here(args)
    for line in report.unreadable:
        print(f"skipped {line}", file=sys.stderr)
    print(f"{args.coco}: {report.added} images annotated, {report.already_done} already there, "
          f"{len(report.unreadable)} unreadable", file=sys.stderr)
    return 0


def _annotate_here(args):
    from .coco_annotations import annotate
    from .image_io import DEFAULT_MAX_PIXELS
    from .lyrics import Lyrics

    # Full resolution (up to the pixel limit), so boxes and masks are in the files' own pixels.
    lyr = Lyrics.from_profile(args.profile, max_side=DEFAULT_MAX_PIXELS)
    return annotate(args.source, lyr, args.coco, workers=args.workers, read_text=args.read_text)


def _data(args) -> int:
    from .data.convert import convert

    report = convert(args.format, args.input, args.images, args.out, instances=args.instances, split=args.split)
    for line in report.skipped:
        print(line, file=sys.stderr)
    print(report.summary(Path(args.out)), file=sys.stderr)
    return 0 if report.written else 1


def _train(args) -> int:
    from .training.run import train_from_config
    from .training.trainer import TrainConfig

    if args.stage == "grounded-text":
        return _train_grounded_text(args)
    if not args.config:
        raise SystemExit(f"error: train {args.stage} needs --config FILE.json")
    config = TrainConfig.from_file(args.config)
    expected = int(args.stage[-1])
    if config.stage != expected:
        raise SystemExit(f"error: {args.config} is a stage-{config.stage} config; asked for {args.stage}")
    bridge = train_from_config(config)
    print(f"bridge saved to {bridge}", file=sys.stderr)
    return 0


def _train_grounded_text(args) -> int:
    from .modeling import load_language_model
    from .profiles import get_profile
    from .training.grounded_text import train_grounded_text

    if not args.out:
        raise SystemExit("error: train grounded-text needs --out DIR")
    choice = get_profile(args.profile).llm
    llm = load_language_model(choice.kind, choice.name, device=get_profile(args.profile).device)
    adapter = train_grounded_text(llm, args.out, minutes=args.minutes, max_steps=args.max_steps, lr=args.lr,
                                  seed=args.seed, init_adapter=args.init_adapter)
    print(f"adapter saved to {adapter}", file=sys.stderr)
    return 0


def _train_toy(args) -> int:
    from .training.toy import STAGE1_STEPS, STAGE2_STEPS, VARIANTS, results_table, train_toy

    unknown = set(args.variants or []) - set(VARIANTS)
    if unknown:
        raise SystemExit(f"error: unknown variant {sorted(unknown)[0]!r}; one of {', '.join(VARIANTS)}")
    summary = train_toy(args.out, seed=args.seed, variants=tuple(args.variants or VARIANTS),
                        stage1_steps=args.stage1_steps or STAGE1_STEPS,
                        stage2_steps=args.stage2_steps or STAGE2_STEPS, minutes=args.minutes,
                        train_scenes=args.train_scenes, eval_scenes=args.eval_scenes)
    print(results_table(summary))
    print(f"\n{summary['held_out_examples']} held-out questions (95% Wilson intervals), "
          f"{summary['seconds_used'] / 60:.1f} min; details in {args.out}/results.json")
    return 1 if summary["cut_short"] else 0


def _cache_refiner(args) -> int:
    from .data.refiner_cache import cache_dataset

    if args.ray is not None:
        from .data.ray_refine import cache_dataset_ray

        options = _ray_options(args)
        options.shard_size = args.shard_size
        report = cache_dataset_ray(args.data, args.out, args.profile, options=options)
    else:
        report = cache_dataset(args.data, args.out, args.profile, shard_size=args.shard_size)
    for path, reason in report.unreadable.items():
        print(f"skipped {path}: {reason}", file=sys.stderr)
    print(f"cached {report.refined} images, {report.already} already cached, {len(report.unreadable)} unreadable, "
          f"in {args.out}", file=sys.stderr)
    return 0


def _ray_options(args):
    from .data.ray_refine import RayOptions

    return RayOptions(address=args.ray or None, workers=args.ray_workers, gpus_per_worker=args.gpus_per_worker,
                      cpus_per_worker=args.cpus_per_worker)


def _eval(args) -> int:
    from .evaluation import read_qa, results_table, run_qa
    from .lyrics import Lyrics

    items = read_qa(args.qa)
    lyrics = Lyrics.from_profile(args.profile, bridge=args.bridge, adapter=None if args.adapter == "none" else args.adapter)

    def progress(number, total, row):
        mark = {"right": "ok ", "cant_tell": "?? ", "wrong": "BAD"}[row["outcome"]]
        print(f"[{number}/{total}] {mark} {row['question']} -> {row['answer'][:90]!r}", file=sys.stderr, flush=True)

    results = run_qa(lyrics, items, args.max_new_tokens, progress)
    results["profile"], results["mode"], results["qa"] = lyrics.describe()["profile"], lyrics.mode, str(args.qa)
    print(results_table(results["summary"], f"{args.qa} · {lyrics.describe()['profile']} · {lyrics.mode}"))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
