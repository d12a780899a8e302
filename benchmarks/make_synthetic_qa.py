"""Write the seeded synthetic split of the answer-quality benchmark: coloured shapes on a light
background (lyrics_model.data.synthetic), and questions about the user's regions whose truths come
from the generator (colour, place, left/right, above/below).

    python benchmarks/make_synthetic_qa.py [--seed 0] [--scenes 12] [--out benchmarks/qa/synthetic]

The offline detector knows no shapes, so the questions name regions (boxes) rather than classes:
they test colour from pixels, place words and relations, end to end.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image

from lyrics_model.data.synthetic import make_scene
from lyrics_model.dialogue.scene_facts import place_words

SIZE = 256


def scene_questions(scene, rng) -> list[dict]:
    boxes = [[round(v, 1) for v in s.box] for s in scene.shapes]
    rows = []
    target = int(rng.integers(len(boxes)))
    shape = scene.shapes[target]
    rows.append({"regions": [boxes[target]], "question": "What colour is region1?", "answers": [shape.color],
                 "type": "attribute"})
    place = place_words(shape.box, (SIZE, SIZE))
    words = [w for w in place.replace("the ", "").replace("in ", "").replace("at ", "").replace("on ", "").split()]
    rows.append({"regions": [boxes[target]], "question": "Where is region1 in the image?",
                 "answers": [" ".join(words)], "type": "location"})
    if len(boxes) >= 2:
        a, b = scene.shapes[0], scene.shapes[1]
        acx, bcx = (a.box[0] + a.box[2]) / 2, (b.box[0] + b.box[2]) / 2
        acy, bcy = (a.box[1] + a.box[3]) / 2, (b.box[1] + b.box[3]) / 2
        if abs(acx - bcx) >= abs(acy - bcy):
            rows.append({"regions": boxes[:2], "question": "Is region1 to the left or to the right of region2?",
                         "answers": ["left" if acx < bcx else "right"], "type": "relation"})
        else:
            rows.append({"regions": boxes[:2], "question": "Is region1 above or below region2?",
                         "answers": ["above" if acy < bcy else "below"], "type": "relation"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenes", type=int, default=12)
    parser.add_argument("--out", default="benchmarks/qa/synthetic")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    lines = []
    for number in range(args.scenes):
        scene = make_scene(rng, SIZE)
        name = f"scene{number:02d}.png"
        Image.fromarray(scene.image).save(out / name)
        lines += [json.dumps({"image": name, **row}) for row in scene_questions(scene, rng)]
    (out / "qa.jsonl").write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} questions over {args.scenes} scenes in {out}")


if __name__ == "__main__":
    main()
