"""Two-stage training on tiny models: each loss's masking and gradients, overfitting, exact resume,
data validation, and a few steps of the CPU recipe."""

import json

import numpy as np
import pytest
import torch
from conftest import tiny_bridge_config

from lyrics_model.data.records import DataError, read_records
from lyrics_model.modeling import LyricsBridge, load_language_model
from lyrics_model.training.box_tag_text import box_tag_elements, mask_whole_elements, tokenize_elements
from lyrics_model.training.stage1 import Stage1Model, caption_targets, make_stage1_batch, unilm_mask
from lyrics_model.training.stage2 import Stage2Model, segments_for
from lyrics_model.modeling.bridge import LabelEmbeddings, SceneObjects
from lyrics_model.dialogue.chat_inputs import scene_objects
from lyrics_model.training.toy import ToyData, scene_result, stage2_example
from lyrics_model.training.trainer import Trainer, TrainConfig


@pytest.fixture(scope="module")
def llm(tiny_llm_dir):
    return load_language_model("hf", "tiny-llama", weights=tiny_llm_dir)


@pytest.fixture(scope="module")
def data():
    return ToyData(seed=1, train_scenes=12, eval_scenes=1)


def make_bridge(llm, seed=0):
    torch.manual_seed(seed)
    return LyricsBridge(tiny_bridge_config(len(llm.tokenizer) + 2))


def stage1_batch(llm, data, indices):
    labels = LabelEmbeddings(llm)
    scenes = [data.train_scenes[i] for i in indices]
    objects = [scene_objects(scene_result(s)) for s in scenes]
    return make_stage1_batch(llm.tokenizer, [s.image for s in scenes], objects, [labels(o.labels) for o in objects],
                             [s.caption() for s in scenes], max_len=14)


# ---- stage 1 ---------------------------------------------------------------------------------------

def test_unilm_mask_queries_never_see_text_and_text_is_causal():
    text_mask = torch.tensor([[True, True, True, False]])
    allowed = unilm_mask(2, text_mask)[0]
    assert allowed[:2, :2].all() and not allowed[:2, 2:].any()
    assert allowed[2:, :2].all()
    assert allowed[3, 2] and not allowed[2, 3]  # token 1 sees token 0, not the reverse
    assert not allowed[:, 5].any()  # padding is never attended


def test_itg_loss_falls_on_caption_tokens_only():
    text = torch.tensor([[11, 12, 13, 21, 22, 23]])
    is_caption = torch.tensor([[False, False, False, True, True, True]])
    assert caption_targets(text, is_caption).tolist() == [[-100, -100, 21, 22, 23]]


def test_masked_prediction_hides_whole_elements(llm):
    elements = box_tag_elements(["red circle"], [[0.1, 0.2, 0.3, 0.4]], tags=["shape"])
    assert elements == ["shape", ",", "red circle", "[", "0.10", "0.20", "0.30", "0.40", "]", ";"]
    ids, owner = tokenize_elements(llm.tokenizer, elements)
    ids, owner = torch.tensor(ids), torch.tensor(owner)
    generator = torch.Generator().manual_seed(3)
    masked, labels = mask_whole_elements(ids, owner, mask_id=-7, probability=0.5, generator=generator)
    hidden = masked == -7
    assert hidden.any() and torch.equal(labels[hidden], ids[hidden]) and (labels[~hidden] == -100).all()
    for element in owner.unique():
        assert hidden[owner == element].all() or not hidden[owner == element].any()  # all or nothing
    assert mask_whole_elements(ids, owner, -7, probability=0.0)[0].eq(-7).any()  # at least one


def test_every_stage1_loss_reaches_the_trainable_parts(llm, data):
    model = Stage1Model(make_bridge(llm))
    losses = model(stage1_batch(llm, data, [0, 1, 2]))
    assert set(losses) == {"itc", "itm", "itg", "msp", "loss"}
    assert all(torch.isfinite(v) for v in losses.values())
    losses["loss"].backward()
    for name in ("bridge.mq_former.queries", "bridge.vision.patchify.weight", "bridge.object_encoder.fuse.0.weight",
                 "temperature", "itm_head.weight", "vision_proj.weight", "text_proj.weight", "lm_bias"):
        grad = dict(model.named_parameters())[name].grad
        assert grad is not None and grad.abs().sum() > 0, name


@pytest.mark.parametrize("loss", ["itc", "itm", "itg", "msp"])
def test_each_stage1_loss_alone_trains_the_mq_former(llm, data, loss):
    model = Stage1Model(make_bridge(llm))
    model(stage1_batch(llm, data, [0, 1]))[loss].backward()
    assert model.bridge.mq_former.queries.grad.abs().sum() > 0


def test_a_batch_with_nothing_to_score_still_yields_every_loss_term(llm, data):
    """Images without objects (no box/tag string to mask) and a single image (no ITM pair) give zero
    terms with a gradient path, so every process of a multi-process run reports the same terms."""
    model = Stage1Model(make_bridge(llm))
    labels = LabelEmbeddings(llm)
    empty = SceneObjects(np.zeros((0, 4), np.float32), None, [], np.zeros(0, np.float32))
    images = [data.train_scenes[i].image for i in (0, 1)]
    for count in (2, 1):
        batch = make_stage1_batch(llm.tokenizer, images[:count], [empty] * count, [labels([])] * count,
                                  ["a red circle."] * count, max_len=14)
        losses = model(batch)
        assert tuple(losses) == Stage1Model.loss_names
        assert losses["msp"].item() == 0 and losses["msp"].requires_grad
        assert torch.isfinite(losses["loss"])
        if count == 1:
            assert losses["itm"].item() == 0 and losses["itm"].requires_grad
        losses["loss"].backward()


# ---- stage 2 ---------------------------------------------------------------------------------------

def test_stage2_loss_falls_on_the_answer_only(llm, data):
    example = stage2_example(data.train[4], LabelEmbeddings(llm))  # the region question
    segments, question = segments_for(llm.tokenizer, example)
    assert [s.placeholder for s in segments if s.placeholder] == ["<image>", "<region1>", "<region1>"]
    answer = segments[-1]
    assert answer.is_answer and not any(s.is_answer for s in segments[:-1])
    assert llm.tokenizer.decode(answer.ids).startswith(example.messages[-1]["content"])
    assert llm.tokenizer.decode(question) == example.messages[-2]["content"]


def test_stage2_trains_lora_and_bridge_not_the_llm(tiny_llm_dir, data):
    llm = load_language_model("hf", "tiny-llama", weights=tiny_llm_dir)
    llm.add_lora()
    model = Stage2Model(make_bridge(llm), llm)
    labels = LabelEmbeddings(llm)
    model([stage2_example(data.train[i], labels) for i in range(5)]).backward()
    grads = {n: p.grad for n, p in model.named_parameters()}
    assert all(g is None for n, g in grads.items() if n.startswith("llm.") and "lora_" not in n)
    assert any(g is not None and g.abs().sum() > 0 for n, g in grads.items() if "lora_A" in n or "lora_B" in n)
    assert grads["bridge.mq_former.queries"].abs().sum() > 0  # through the soft tokens
    assert grads["bridge.region_projector.weight"].abs().sum() > 0  # through the region tokens
    assert grads["bridge.mq_former.word_embeddings.weight"].abs().sum() > 0  # the question reaches the MQ-Former


@pytest.mark.slow
def test_a_handful_of_examples_is_overfit(llm, data, tmp_path):
    model = Stage1Model(make_bridge(llm))
    config = TrainConfig(out_dir=str(tmp_path), batch_size=4, lr=3e-3, max_steps=150, save_every=0, log_every=10,
                         lr_schedule="constant", max_grad_norm=None,
                         resume=False)
    history = Trainer(config, model, lambda idx: stage1_batch(llm, data, [0, 1, 2, 3]), 4).fit()
    first, last = history[0], history[-1]
    assert last["itg"] <= 0.1 * first["itg"], (first, last)
    assert last["loss"] <= 0.1 * first["loss"], (first, last)


def test_resume_gives_the_same_next_step_loss(llm, data, tmp_path):
    def trainer(steps, resume):
        model = Stage1Model(make_bridge(llm, seed=5))
        config = TrainConfig(out_dir=str(tmp_path), batch_size=2, lr=1e-3, max_steps=steps, save_every=3,
                             log_every=1, seed=7, resume=resume)
        return Trainer(config, model, lambda idx: stage1_batch(llm, data, idx), len(data.train_scenes))

    uninterrupted = trainer(4, resume=False).fit()
    resumed = trainer(4, resume=True)
    history = resumed.fit()  # loads step 3, runs step 4
    assert resumed.step == 4 and [h["step"] for h in history] == [4]
    assert history[0]["loss"] == pytest.approx(uninterrupted[-1]["loss"], abs=1e-6)
    assert history[0]["msp"] == pytest.approx(uninterrupted[-1]["msp"], abs=1e-6)  # same random masks


# ---- data ------------------------------------------------------------------------------------------

def test_bad_data_lines_name_the_file_and_line(tmp_path, assets):
    image = assets / "cat.jpg"
    good = {"image": str(image), "task": "vqa", "conversations": [{"role": "user", "content": "Q?"},
                                                                  {"role": "assistant", "content": "A."}]}
    cases = [
        ("{not json", "not valid JSON"),
        (json.dumps({**good, "task": "poetry"}), "unknown task"),
        (json.dumps({**good, "image": "missing.jpg"}), "image not found"),
        (json.dumps({**good, "conversations": [{"role": "assistant", "content": "A."}]}), "at least a user turn"),
        (json.dumps({**good, "regions": [[5, 5, 1, 1]]}), "x2 > x1"),
        (json.dumps({**good, "task": "reg"}), "needs at least one region"),
    ]
    for line, message in cases:
        path = tmp_path / "data.jsonl"
        path.write_text(json.dumps(good) + "\n\n" + line + "\n")
        with pytest.raises(DataError, match=rf"data.jsonl:3: .*{message}"):
            read_records(path, stage=2)
    path.write_text(json.dumps({"image": str(image), "captions": []}) + "\n")
    with pytest.raises(DataError, match="data.jsonl:1: 'captions'"):
        read_records(path, stage=1)
