"""MQ-Former shapes, masks, and that each query group attends only its own source."""

import pytest
import torch

from lyrics_model.modeling import MQFormer, MQFormerConfig

TINY = MQFormerConfig(hidden_size=32, num_layers=2, num_heads=2, intermediate_size=64, cross_attention_freq=2,
                      num_vit_queries=4, num_object_queries=6, vision_width=16, object_width=8, vocab_size=100,
                      max_text_len=16, dropout=0.0)


def _inputs(batch=2, patches=5, objects=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    vision = torch.randn(batch, patches, TINY.vision_width, generator=g)
    objs = torch.randn(batch, objects, TINY.object_width, generator=g)
    return vision, torch.ones(batch, patches, dtype=torch.bool), objs, torch.ones(batch, objects, dtype=torch.bool)


@pytest.fixture
def former():
    torch.manual_seed(0)
    return MQFormer(TINY).eval()


def test_output_shapes(former):
    vision, vmask, objs, omask = _inputs()
    ids = torch.randint(0, 100, (2, 7))
    queries, text = former(vision, vmask, objs, omask, input_ids=ids, text_mask=torch.ones(2, 7, dtype=torch.bool))
    assert queries.shape == (2, 10, 32) and text.shape == (2, 7, 32)
    queries, text = former(vision, vmask, objs, omask)
    assert queries.shape == (2, 10, 32) and text is None


def test_cross_attention_every_nth_layer(former):
    assert [layer.cross_attention is not None for layer in former.layers] == [True, False]


def test_each_query_group_attends_only_its_source():
    torch.manual_seed(0)
    one_layer = MQFormer(MQFormerConfig(**{**TINY.to_dict(), "num_layers": 1})).eval()
    vision, vmask, objs, omask = _inputs()
    base, _ = one_layer(vision, vmask, objs, omask)
    new_objects, _ = one_layer(vision, vmask, objs + 1.0, omask)
    assert torch.allclose(new_objects[:, :4], base[:, :4])  # ViT queries ignore objects
    assert not torch.allclose(new_objects[:, 4:], base[:, 4:])
    new_vision, _ = one_layer(vision + 1.0, vmask, objs, omask)
    assert torch.allclose(new_vision[:, 4:], base[:, 4:])  # object queries ignore the image
    assert not torch.allclose(new_vision[:, :4], base[:, :4])


def test_attention_maps_have_one_source_each(former):
    vision, vmask, objs, omask = _inputs(patches=5, objects=3)
    queries = former.queries.expand(2, -1, -1)
    _, (vit_weights, object_weights) = former.layers[0].cross_attention(queries, vision, vmask, objs, omask,
                                                                        return_weights=True)
    assert vit_weights.shape == (2, 4, 5) and object_weights.shape == (2, 6, 3)


def test_padded_objects_are_ignored(former):
    vision, vmask, objs, omask = _inputs(objects=4)
    omask[:, 2:] = False
    base, _ = former(vision, vmask, objs, omask)
    scrambled = objs.clone()
    scrambled[:, 2:] = torch.randn_like(scrambled[:, 2:]) * 10
    again, _ = former(vision, vmask, scrambled, omask)
    assert torch.allclose(base, again, atol=1e-5)


def test_padded_text_does_not_change_queries(former):
    vision, vmask, objs, omask = _inputs()
    ids = torch.randint(1, 100, (2, 6))
    mask = torch.tensor([[1, 1, 1, 0, 0, 0]] * 2, dtype=torch.bool)
    base, _ = former(vision, vmask, objs, omask, input_ids=ids, text_mask=mask)
    other = ids.clone()
    other[:, 3:] = 5
    again, _ = former(vision, vmask, objs, omask, input_ids=other, text_mask=mask)
    assert torch.allclose(base, again, atol=1e-5)


def test_no_valid_objects_gives_finite_output(former):
    vision, vmask, objs, omask = _inputs()
    omask[:] = False
    queries, _ = former(vision, vmask, objs, omask)
    assert torch.isfinite(queries).all()


def test_a_query_group_can_be_removed_for_ablations():
    former = MQFormer(MQFormerConfig(**{**TINY.to_dict(), "num_vit_queries": 0})).eval()
    vision, vmask, objs, omask = _inputs()
    queries, _ = former(vision, vmask, objs, omask)
    assert queries.shape == (2, 6, 32)
