import numpy as np

from lyrics_model.rle import mask_to_rle, rle_to_mask


def test_rle_round_trip_is_exact():
    rng = np.random.default_rng(1)
    mask = rng.random((37, 53)) > 0.6
    rle = mask_to_rle(mask)
    assert rle["size"] == [37, 53] and isinstance(rle["counts"], str)
    assert np.array_equal(rle_to_mask(rle), mask)
