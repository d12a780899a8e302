"""The sharded refiner cache: a shard row holds the refiner's result exactly, shards are named by their
images and written whole, a cache of the earlier per-image .npz layout still loads, and training reads
a row group at a time."""

import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from lyrics_model.data.refiner_cache import cache_dataset, image_key, load_cached, result_arrays
from lyrics_model.data.refiner_shards import (ROW_GROUP, ShardedCache, read_index, result_row, row_result,
                                              shard_files, write_index, write_shard)
from lyrics_model.rle import mask_to_rle


@pytest.fixture(scope="module")
def photo_result(offline_lyrics, assets):
    """The offline refiner's result on the real photo where it finds the most objects."""
    results = [offline_lyrics.refine(assets / name) for name in ("cat.jpg", "coffee.jpg", "rocket.jpg")]
    return max(results, key=lambda r: len(r.detections))


def test_a_row_holds_the_result_exactly(photo_result):
    result = photo_result
    assert len(result.detections) > 1 and result.detections.mask is not None
    patches = np.random.default_rng(0).normal(size=(16, 8)).astype(np.float16)
    back, back_patches = row_result(result_row("k1", result, patches))
    assert back.size == result.size and back.labels == result.labels
    assert [t.name for t in back.tags] == [t.name for t in result.tags]
    np.testing.assert_array_equal(back.detections.xyxy, result.detections.xyxy.astype(np.float32))
    np.testing.assert_array_equal(back.detections.mask, result.detections.mask)
    np.testing.assert_array_equal(back_patches, patches)
    assert [mask_to_rle(m) for m in back.detections.mask] == [mask_to_rle(m) for m in result.detections.mask]


def test_shards_are_named_by_their_images_and_read_a_row_group_at_a_time(photo_result, tmp_path):
    result = photo_result
    rows = [result_row(f"key{i:03d}", result) for i in range(ROW_GROUP + 3)]
    first = write_shard(tmp_path, rows)
    assert write_shard(tmp_path, list(reversed(rows))) == first  # the same images: the same shard, replaced
    assert shard_files(tmp_path) == [first] and not list(tmp_path.glob(".*partial"))
    assert pq.ParquetFile(first).metadata.num_row_groups == 2
    cache = ShardedCache(tmp_path)
    assert len(cache) == ROW_GROUP + 3 and "key017" in cache and "nothing" not in cache
    assert cache.get("key017")[0].labels == result.labels
    assert cache._loaded[0] == (first.name, 1) and len(cache._loaded[1]) == 3  # only the second row group
    index = write_index(tmp_path, {"gone.jpg": "cannot read the file"})
    assert index == read_index(tmp_path) and index["images"] == ROW_GROUP + 3
    assert index["shards"] == {first.name: ROW_GROUP + 3} and index["unreadable"] == {"gone.jpg": "cannot read the file"}


def test_cache_lists_unreadable_images_and_an_old_npz_cache_still_loads(offline_lyrics, assets, tmp_path):
    (tmp_path / "broken.jpg").write_bytes((assets / "cat.jpg").read_bytes()[:2000])
    lines = [{"image": str(assets / "cat.jpg"), "captions": ["a cat."]},
             {"image": str(tmp_path / "broken.jpg"), "captions": ["broken."]},
             {"image": str(tmp_path / "missing.jpg"), "captions": ["missing."]}]
    data = tmp_path / "data.jsonl"
    data.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    # The earlier layout: one <hash>.npz per image, here for the cat.
    old = tmp_path / "cache"
    old.mkdir()
    cat = offline_lyrics.refine(assets / "cat.jpg")
    np.savez_compressed(old / f"{image_key(assets / 'cat.jpg')}.npz", **result_arrays(cat))

    report = cache_dataset(data, old, "offline")
    assert report.refined == 0 and report.already == 1  # the npz counts as cached: nothing refined twice
    assert set(report.unreadable) == {str(tmp_path / "broken.jpg"), str(tmp_path / "missing.jpg")}
    assert "truncated" in report.unreadable[str(tmp_path / "broken.jpg")]
    assert read_index(old)["unreadable"] == report.unreadable
    result, patches = load_cached(old, assets / "cat.jpg")
    assert result.labels == cat.labels and patches is None
    np.testing.assert_array_equal(result.detections.mask, cat.detections.mask)
