"""Phrase links measured against a person's judgement: precision, recall and the time linking adds.

    python benchmarks/bench_phrase_links.py draft benchmarks/phrase_links/photos.txt OUT.jsonl
    python benchmarks/bench_phrase_links.py score benchmarks/phrase_links/judged.jsonl

`draft` asks the offline profile a few kinds of question about each photo (a count, a place, a colour, a
follow-up with "it", what is in it, a description, a region) and writes each answer with its current links,
to be judged. A person then looks at each photo with the refiner's numbered objects and writes, for every
phrase of the answer that names a thing in view, the objects it means ("means": ids whose mask covers that
thing; [] for a phrase that must link to nothing: negated, hedged, or one the person cannot tell apart).

`score` links the judged answers again (`Lyrics.answer_links`) and reports:
- precision: linked phrases whose linked masks have IoU >= 0.5 with the union of the masks the person chose
  (an object the segmenter outlined nothing of counts as its box);
- recall: phrases the person would link that are linked so;
- time: `link_phrases` per answer (the facts already computed, as in chat) and `answer_links` per answer on
  an image already refined (as the API pays it), medians and maxima over the answers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from lyrics_model import Lyrics, rle_to_mask  # noqa: E402
from lyrics_model.dialogue.grounded_prompt import confident_objects  # noqa: E402
from lyrics_model.evaluation.qa import _image_path  # noqa: E402
from lyrics_model.dialogue.scene_facts import plural  # noqa: E402


def questions_for(lyr: Lyrics, image: str) -> list[dict]:
    """Questions of each kind about the photo's most frequent stated label (and its largest object as region1)."""
    result = lyr.refine(image)
    kept = confident_objects(result)
    labels = [result.labels[i] for i in kept]
    asks = [{"question": "What do you see?"}, {"question": "Describe the image."}]
    if not labels:
        return asks
    label = max(set(labels), key=lambda n: (labels.count(n), -labels.index(n)))
    many = plural(label, 2)
    where = {"question": f"Where is the {label}?"}
    asks += [{"question": f"How many {many} are there?"}, where,
             {"question": "What colour is it?", "after": where},
             {"question": f"What colour is the {label} on the left?"},
             {"question": f"Is there a {label} on the right?"}]
    largest = max(kept, key=lambda i: float(np.prod(result.detections.xyxy[i][2:] - result.detections.xyxy[i][:2])))
    asks.append({"question": "What is region1?", "regions": [result.objects_json()[largest]["mask"]]})  # as chosen
    return asks


def draft(photos: Path, out: Path) -> None:
    lyr = Lyrics.from_profile("offline")
    with out.open("w") as file:
        for spec in [line.strip() for line in photos.read_text().splitlines() if line.strip()]:
            image = str(_image_path(spec, photos.parent))
            for ask in questions_for(lyr, image):
                history = []
                if "after" in ask:
                    first = ask["after"]["question"]
                    history = [{"role": "user", "content": first},
                               {"role": "assistant", "content": lyr.chat(image, [{"role": "user", "content": first}])}]
                messages = history + [{"role": "user", "content": ask["question"]}]
                answer = lyr.chat(image, messages, regions=ask.get("regions"), max_new_tokens=64)
                links = lyr.answer_links(image, answer, ask.get("regions"), history + messages[-1:])
                row = {"image": spec, "question": ask["question"], "history": history, "regions": ask.get("regions"),
                       "answer": answer, "phrases": [{"phrase": link.phrase, "means": link.ids} for link in links]}
                file.write(json.dumps(row) + "\n")
                print(spec, "|", ask["question"], "|", answer, "|", [(link.phrase, link.ids) for link in links])


def _union(masks: list[np.ndarray], shape) -> np.ndarray:
    return np.logical_or.reduce(masks) if masks else np.zeros(shape, bool)


def score(judged: Path) -> None:
    lyr = Lyrics.from_profile("offline")
    rows = [json.loads(line) for line in judged.read_text().splitlines() if line.strip()]
    groups = {"answers the offline profile gave": [r for r in rows if not r.get("written")],
              "answers written in freer words": [r for r in rows if r.get("written")]}
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}; date {time.strftime('%Y-%m-%d')}; {len(rows)} answers over "
          f"{len({r['image'] for r in rows})} photos\n")
    print("| answers | n | phrases linked | precision | phrases a person links | recall | link_phrases ms median / max "
          "| answer_links ms median / max |")
    print("|---|---|---|---|---|---|---|---|")
    wrong, totals = [], [0, 0, 0, 0, [], []]
    for name, group in [*groups.items(), ("all", rows)]:
        counts = totals if name == "all" else _score_rows(lyr, group, judged.parent, wrong)
        if name != "all":
            totals = [a + b for a, b in zip(totals, counts)]
        linked, right, wanted, found, link_ms, api_ms = counts
        print(f"| {name} | {len(group)} | {linked} | {right / max(1, linked):.1%} ({right}/{linked}) | {wanted} | "
              f"{found / max(1, wanted):.1%} ({found}/{wanted}) | {statistics.median(link_ms):.1f} / {max(link_ms):.1f} "
              f"| {statistics.median(api_ms):.1f} / {max(api_ms):.1f} |")
    for item in wrong:
        print("wrong link:", item)


def _score_rows(lyr: Lyrics, rows: list[dict], folder: Path, wrong: list) -> list:
    """[phrases linked, linked right, phrases a person links, those linked right, link_phrases ms, answer_links ms]."""
    linked = right = wanted = found = 0
    link_ms, api_ms = [], []
    for row in rows:
        image = str(_image_path(row["image"], folder))
        result = lyr.refine(image)
        ids = result.object_ids()
        history = row["history"] + [{"role": "user", "content": row["question"]}]
        regions = row.get("regions")
        lyr.answer_links(image, row["answer"], regions, history)  # warm: refine and image facts cached, as in chat
        start = time.perf_counter()
        links = lyr.answer_links(image, row["answer"], regions, history)
        api_ms.append((time.perf_counter() - start) * 1000)
        loaded = lyr.load(image)
        facts = lyr._scene_facts(loaded, lyr.refiner.refine(loaded.rgb), regions, row["question"])
        start = time.perf_counter()
        lyr.phrase_links(row["answer"], facts, history)
        link_ms.append((time.perf_counter() - start) * 1000)
        shape = (result.size[1], result.size[0])
        region_masks = {f"region{i + 1}": _region_mask(region, shape) for i, region in enumerate(regions or [])}

        def mask_of(thing_id: str) -> np.ndarray:
            if thing_id in region_masks:
                return region_masks[thing_id]
            i = ids.index(thing_id)
            return _or_box(np.asarray(result.detections.mask[i], bool), result.detections.xyxy[i])

        meant = {p["phrase"]: p["means"] for p in row["phrases"]}
        got_by_phrase = {}
        for link in links:
            linked += 1
            means = meant.get(link.phrase, [])
            truth = _union([mask_of(i) for i in means], shape)
            got = _union([_or_box(rle_to_mask(t.mask), t.box) if t.mask is not None else region_masks[t.id]
                          for t in link.things], shape)
            iou = (truth & got).sum() / max(1, (truth | got).sum())
            got_by_phrase[link.phrase] = bool(means) and iou >= 0.5
            if got_by_phrase[link.phrase]:
                right += 1
            else:
                wrong.append((row["image"], row["answer"], link.phrase, link.ids, means))
        for phrase, means in meant.items():
            if means:
                wanted += 1
                found += got_by_phrase.get(phrase, False)
    return [linked, right, wanted, found, link_ms, api_ms]


def _or_box(mask: np.ndarray, box) -> np.ndarray:
    """An object's (H, W) mask, or its box where the segmenter outlined nothing."""
    return mask if mask.any() else _box_mask(box, mask.shape)


def _region_mask(region, shape) -> np.ndarray:
    """A region given as COCO RLE or a pixel box, as an (H, W) mask."""
    return rle_to_mask(region) if isinstance(region, dict) else _box_mask(region, shape)


def _box_mask(box, shape) -> np.ndarray:
    """A region given as a pixel box, as the (H, W) mask it covers."""
    mask = np.zeros(shape, bool)
    x1, y1, x2, y2 = [int(round(v)) for v in box]
    mask[max(0, y1):y2, max(0, x1):x2] = True
    return mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    drafting = sub.add_parser("draft")
    drafting.add_argument("photos", type=Path, help="a file of photo paths (relative to it) or package:NAME/PATH")
    drafting.add_argument("out", type=Path)
    scoring = sub.add_parser("score")
    scoring.add_argument("judged", type=Path)
    args = parser.parse_args()
    draft(args.photos, args.out) if args.command == "draft" else score(args.judged)


if __name__ == "__main__":
    main()
