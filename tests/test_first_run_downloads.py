"""First run of the `cpu` profile against a model hub on localhost: every online role is served as a
tiny random stand-in under the exact repo ids, file names and URLs the profile uses (HF_ENDPOINT for
hub files, LYRICS_WEIGHTS_URL for the SAM and YOLO-World files). The architectures are shrunk for
speed (open_clip's ViT-B-32 config, SAM vit_b's sizes); the download and cache code is the real one."""

import io
import json
import socket

import open_clip
import pytest
import torch
from fake_hub import FakeHub

from lyrics_model import Lyrics
from lyrics_model.profiles import get_profile
from lyrics_model.refiner import sam_segmenter
from lyrics_model.refiner.clip_tagger import ClipTagger
from lyrics_model.refiner.sam_segmenter import SAM_VARIANTS, SamVariant

ROLES = ("tagger", "detector", "segmenter")
QWEN = "Qwen/Qwen2.5-0.5B-Instruct"
SAM_FILE = "sam_vit_b_01ec64.pth"


@pytest.fixture(scope="module")
def tiny_architectures():
    """Shrink the ViT-B-32 and SAM vit_b architectures while this module runs (names stay the same)."""
    from conftest import TINY_CLIP

    configs = open_clip.factory._MODEL_CONFIGS
    saved_clip, saved_sam = configs["ViT-B-32"], SAM_VARIANTS["vit_b"]
    configs["ViT-B-32"] = TINY_CLIP
    SAM_VARIANTS["vit_b"] = SamVariant(64, 2, 2, (1,), SAM_FILE)
    yield
    configs["ViT-B-32"], SAM_VARIANTS["vit_b"] = saved_clip, saved_sam


def _bytes_of(save) -> bytes:
    buffer = io.BytesIO()
    save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hub_files(tiny_architectures, tiny_weights, smollm_tokenizer, tmp_path_factory) -> dict[str, bytes]:
    from safetensors.torch import save as save_safetensors
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    clip_repo, clip_file = ClipTagger.hub_file("ViT-B-32", "openai")
    clip = open_clip.create_model("ViT-B-32")
    files = {f"{clip_repo}/{clip_file}": save_safetensors(clip.state_dict()),
             "weights/yolov8s-worldv2.pt": tiny_weights["detector"].read_bytes(),
             f"weights/{SAM_FILE}": _bytes_of(lambda f: torch.save(sam_segmenter.build_sam("vit_b").state_dict(), f))}
    folder = tmp_path_factory.mktemp("tiny-qwen")
    config = Qwen2Config(vocab_size=len(smollm_tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                         tie_word_embeddings=True, eos_token_id=smollm_tokenizer.eos_token_id)
    Qwen2ForCausalLM(config).save_pretrained(folder)
    smollm_tokenizer.save_pretrained(folder)
    files.update({f"{QWEN}/{p.name}": p.read_bytes() for p in folder.iterdir() if p.is_file()})
    return files


@pytest.fixture
def online(monkeypatch, tmp_path):
    """Point every download at `url` with empty caches; returns a function that does it for a hub url."""
    import huggingface_hub.constants as hub

    def use(url: str, cache=tmp_path):
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.setenv("HF_ENDPOINT", url)
        monkeypatch.setenv("LYRICS_WEIGHTS_URL", f"{url}/weights")
        monkeypatch.setenv("LYRICS_CACHE", str(cache / "lyrics"))
        monkeypatch.setattr(hub, "HF_HUB_OFFLINE", False)
        monkeypatch.setattr(hub, "ENDPOINT", url)
        monkeypatch.setattr(hub, "HUGGINGFACE_CO_URL_TEMPLATE", url + "/{repo_id}/resolve/{revision}/{filename}")
        monkeypatch.setattr(hub, "HF_HUB_CACHE", str(cache / "hf"))
    return use


def origins(lyr: Lyrics) -> dict[str, str]:
    lyr.language_model
    roles = lyr.describe()["roles"]
    return {role: roles[role]["origin"] for role in (*ROLES, "llm")}


@pytest.mark.slow
def test_first_run_downloads_with_progress_and_the_second_run_asks_nothing(hub_files, online, capfd, assets):
    with FakeHub(hub_files) as hub:
        online(hub.url)
        first = Lyrics.from_profile("cpu")
        assert origins(first) == {role: "downloaded" for role in (*ROLES, "llm")}
        assert first.describe()["profile"] == "cpu" and not any(
            r["fallback"] for r in first.describe()["roles"].values())
        assert "%|" in capfd.readouterr().err  # progress bars
        first.refine(assets / "cat.jpg")
        first.chat(assets / "cat.jpg", [{"role": "user", "content": "Hi"}], max_new_tokens=2)
        asked = len(hub.requests)
        second = Lyrics.from_profile("cpu")
        assert origins(second) == {role: "local cache" for role in (*ROLES, "llm")}
        second.refine(assets / "cat.jpg")
        assert hub.requests[asked:] == []  # nothing asked of the hub the second time


def test_a_download_cut_half_way_leaves_nothing_a_later_run_trusts(hub_files, online, tmp_path):
    from huggingface_hub import try_to_load_from_cache

    clip_repo, clip_file = ClipTagger.hub_file("ViT-B-32", "openai")
    with FakeHub(hub_files) as hub:
        online(hub.url)
        hub.cut = {f"weights/{SAM_FILE}", f"{clip_repo}/{clip_file}"}
        cut = Lyrics.from_profile("cpu").describe()["roles"]
        assert "failed" in cut["segmenter"]["fallback"] and "failed" in cut["tagger"]["fallback"]
        assert not list((tmp_path / "lyrics").glob("sam_*"))  # neither the file nor a .part
        assert not isinstance(try_to_load_from_cache(clip_repo, clip_file), str)
        hub.cut = set()
        healed = Lyrics.from_profile("cpu").describe()["roles"]
        assert healed["segmenter"]["origin"] == "downloaded" and healed["tagger"]["origin"] == "downloaded"


@pytest.mark.slow
def test_a_hub_that_is_down_gives_the_offline_models_with_the_reason(online):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    online(url)
    lyr = Lyrics.from_profile("cpu")
    info = lyr.describe()["roles"]
    assert all("unreachable" in (info[role]["fallback"] or "") for role in ROLES)
    assert lyr.refiner.profile == "cpu" and lyr.refiner.segmenter.name == "GrabCut (OpenCV)"
    lyr.language_model
    assert "unreachable" in lyr.describe()["roles"]["llm"]["fallback"]


@pytest.mark.slow
def test_auto_picks_a_fully_cached_profile_when_the_hub_is_unreachable(hub_files, online, monkeypatch):
    with FakeHub(hub_files) as hub:
        online(hub.url)
        assert get_profile("auto").name == "cpu"  # reachable
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        assert get_profile("auto").name == "offline"  # unreachable, nothing cached yet
        monkeypatch.delenv("HF_HUB_OFFLINE")
        origins(Lyrics.from_profile("cpu"))  # fills the caches
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert get_profile("auto").name == "cpu"
    assert json.dumps(Lyrics.from_profile("auto").describe()["profile"]) == '"cpu"'
