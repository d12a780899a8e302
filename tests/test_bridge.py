"""Bridge mode with a tiny random Llama and a tiny MQ-Former: trainable parts, soft-token positions,
checkpoint round trip, and streaming chat through `Lyrics`."""

from dataclasses import replace

import pytest
import torch
from conftest import tiny_bridge_config

from lyrics_model import Lyrics, WeightsUnavailable
from lyrics_model.dialogue import bridge_inputs, make_regions
from lyrics_model.modeling import LyricsBridge, load_bridge, load_language_model, save_bridge
from lyrics_model.profiles import PROFILES, ModelChoice


@pytest.fixture
def llm(tiny_llm_dir):
    return load_language_model("hf", "tiny-llama", weights=tiny_llm_dir)


@pytest.fixture
def bridge(llm):
    torch.manual_seed(0)
    return LyricsBridge(tiny_bridge_config(len(llm.tokenizer))).eval()


def _trained_like(llm, bridge):
    """LoRA with non-zero B so the adapter changes outputs, as after training."""
    llm.add_lora(bridge.config.lora)
    for name, param in llm.model.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(param, std=0.02)
    llm.model.eval()


def test_loader_reads_a_saved_model(llm):
    assert llm.hidden_size == 64 and llm.source.origin == "explicit path"
    assert llm.tokenizer.chat_template


def test_only_lora_and_bridge_parameters_train(llm, bridge):
    llm.add_lora()
    trainable = [n for n, p in llm.model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in n for n in trainable)
    assert {m.split(".")[-4] for m in trainable} <= {"q_proj", "k_proj", "v_proj"}
    assert all(p.requires_grad for p in bridge.parameters())
    lora = llm.model.peft_config["default"]
    assert (lora.r, lora.lora_alpha, lora.lora_dropout) == (8, 32, 0.05)


def test_soft_tokens_sit_at_their_placeholders(llm, bridge, tiny_lyrics, scene):
    result = tiny_lyrics.refine(scene)
    regions = make_regions([[30, 60, 130, 160]], result.size)
    messages = [{"role": "user", "content": "What is region1 made of?"}]
    inputs = bridge_inputs(llm, bridge, scene, result, regions, [None], messages, 1024)
    (image_start, image_end), = inputs.positions["<image>"]
    assert image_end - image_start == 10  # 4 ViT queries + 6 object queries
    region_spans = inputs.positions["<region1>"]
    assert len(region_spans) == 2 and all(end - start == 1 for start, end in region_spans)  # system list + mention
    assert image_start < region_spans[0][0] < region_spans[1][0]
    embeds = inputs.inputs["inputs_embeds"][0]
    mention = inputs.prompt.index("region1 <region1>", inputs.prompt.index("What is"))
    assert mention > 0
    with torch.no_grad():
        soft = bridge.region_tokens(bridge.encode_objects(bridge.encode_image(scene), _region_objects(regions, result),
                                                          _labels(llm, ["region"])))
    assert torch.allclose(embeds[region_spans[1][0]], soft[0], atol=1e-5)
    text_after = llm.tokenizer.decode(llm.tokenizer(inputs.prompt.split("<region1>")[-1], add_special_tokens=False)
                                      .input_ids)
    assert "made of" in text_after


def _region_objects(regions, result):
    from lyrics_model.dialogue.chat_inputs import region_objects

    return region_objects(regions, [None], result.size)


def _labels(llm, names):
    from lyrics_model.modeling import label_embeddings

    return label_embeddings(llm, names)


def test_checkpoint_round_trip_gives_identical_logits(tmp_path, tiny_llm_dir, llm, bridge, tiny_lyrics, scene):
    _trained_like(llm, bridge)
    result = tiny_lyrics.refine(scene)
    messages = [{"role": "user", "content": "Describe the image."}]
    inputs = bridge_inputs(llm, bridge, scene, result, [], [], messages, 1024)
    with torch.no_grad():
        before = llm.model(**inputs.inputs).logits
    save_bridge(tmp_path / "ckpt", bridge, llm)
    assert {p.name for p in (tmp_path / "ckpt").iterdir()} >= {"bridge_config.json", "bridge.safetensors", "lora"}

    fresh = load_language_model("hf", "tiny-llama", weights=tiny_llm_dir)
    loaded = load_bridge(tmp_path / "ckpt", fresh)
    again = bridge_inputs(fresh, loaded, scene, result, [], [], messages, 1024)
    with torch.no_grad():
        after = fresh.model(**again.inputs).logits
    assert torch.equal(inputs.inputs["inputs_embeds"], again.inputs["inputs_embeds"])
    assert torch.allclose(before, after, atol=1e-6)


def test_a_folder_that_is_not_a_checkpoint_is_refused(tmp_path, llm):
    with pytest.raises(WeightsUnavailable, match="not a bridge checkpoint"):
        load_bridge(tmp_path, llm)


def test_lyrics_streams_in_bridge_mode(tmp_path, tiny_llm_dir, llm, bridge, scene):
    _trained_like(llm, bridge)
    save_bridge(tmp_path / "ckpt", bridge, llm)
    profile = replace(PROFILES["offline"], name="offline-tiny-llm", llm=ModelChoice("hf", "tiny-llama", "Apache-2.0"))
    lyr = Lyrics.from_profile(profile, weights={"llm": tiny_llm_dir}, bridge=tmp_path / "ckpt")
    assert lyr.mode == "bridge" and lyr.describe()["mode"] == "bridge"
    messages = [{"role": "user", "content": "What is region1?"}]
    chunks = list(lyr.chat_stream(scene, messages, regions=[[30, 60, 130, 160]], max_new_tokens=8))
    assert chunks and "".join(chunks) == lyr.chat(scene, messages, regions=[[30, 60, 130, 160]], max_new_tokens=8)


def test_a_boxes_only_bridge_pools_inside_boxes_and_keeps_the_setting(tmp_path, llm, bridge, tiny_lyrics, scene):
    result = tiny_lyrics.refine(scene)
    from lyrics_model.dialogue.chat_inputs import scene_objects

    objects = scene_objects(result)
    assert objects.masks is not None and len(objects.labels)
    without = replace(objects, masks=None)
    patches = bridge.encode_image(scene)
    labels = _labels(llm, objects.labels)
    with torch.no_grad():
        masked, boxed = bridge.encode_objects(patches, objects, labels), bridge.encode_objects(patches, without, labels)
        assert not torch.allclose(masked, boxed)  # the masks matter to the full bridge
        boxes_only = LyricsBridge(replace(bridge.config, use_masks=False))
        boxes_only.load_state_dict(bridge.state_dict())
        assert torch.equal(boxes_only.encode_objects(patches, objects, labels), boxed)
    save_bridge(tmp_path / "boxes", boxes_only, llm)
    assert load_bridge(tmp_path / "boxes", llm).config.use_masks is False


def test_lines_of_text_read_join_the_object_queries(llm, bridge, tiny_lyrics, scene):
    """A line of text is an object like any other for the bridge: its box, its string as the label."""
    import numpy as np

    from lyrics_model.dialogue.chat_inputs import text_objects
    from lyrics_model.refiner import TextLine

    result = tiny_lyrics.refine(scene)
    line = TextLine("OPEN 24 HOURS", 0.97, (10.0, 10.0, 90.0, 30.0), np.array([[10, 10], [90, 10], [90, 30], [10, 30]],
                                                                                 np.float32))
    objects = text_objects([line], result.size)
    assert objects.labels == ['text "OPEN 24 HOURS"'] and objects.masks is None and objects.scores.tolist() == pytest.approx([0.97])
    messages = [{"role": "user", "content": "What does the sign say?"}]
    without = bridge_inputs(llm, bridge, scene, result, [], [], messages, 1024)
    with_text = bridge_inputs(llm, bridge, scene, result, [], [], messages, 1024, texts=[line])
    assert not torch.equal(without.inputs["inputs_embeds"], with_text.inputs["inputs_embeds"])
