"""Bad or unusual images get a clear `ImageError` or are converted; nothing crashes."""

import io

import numpy as np
import pytest
from PIL import Image

from lyrics_model import ImageError, load_image


def _png_bytes(image: Image.Image, **kw) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **kw)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"this is not an image", "not an image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "corrupt"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "corrupt"),
    ],
)
def test_unusable_files_raise_image_error(tmp_path, content, message):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(ImageError, match=message):
        load_image(path)


def test_truncated_jpeg_raises_image_error(tmp_path, assets):
    data = (assets / "cat.jpg").read_bytes()
    path = tmp_path / "truncated.jpg"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ImageError, match="corrupt or truncated"):
        load_image(path)


def test_missing_file_raises_image_error(tmp_path):
    with pytest.raises(ImageError, match="no such image file"):
        load_image(tmp_path / "nope.jpg")


def test_exif_rotation_is_applied(tmp_path):
    pil = Image.new("RGB", (40, 20), (255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    path = tmp_path / "rotated.jpg"
    pil.save(path, exif=exif)
    loaded = load_image(path)
    assert loaded.size == (20, 40)
    assert loaded.original_size == (20, 40)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "L", "P", "I;16", "CMYK", "1"])
def test_every_mode_becomes_rgb_uint8(mode):
    pil = Image.new("RGB", (16, 12), (10, 200, 30)).convert(mode)
    loaded = load_image(_png_bytes(pil) if mode != "CMYK" else pil)
    assert loaded.rgb.shape == (12, 16, 3) and loaded.rgb.dtype == np.uint8


def test_sixteen_bit_values_are_scaled_not_clipped():
    array = np.full((8, 8), 65535 // 2, np.uint16)
    loaded = load_image(Image.fromarray(array, mode="I;16"))
    assert 120 <= loaded.rgb[0, 0, 0] <= 135


def test_transparent_pixels_become_white():
    pil = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    loaded = load_image(pil)
    assert (loaded.rgb == 255).all()
    assert any("transparent" in n for n in loaded.notices)


@pytest.mark.parametrize(
    "array",
    [np.zeros((5, 7), np.uint8), np.zeros((5, 7, 4), np.uint8), np.ones((5, 7, 3), np.float32),
     np.zeros((5, 7, 3), np.uint16), np.zeros((5, 7, 1), np.uint8)],
)
def test_numpy_arrays_are_accepted(array):
    assert load_image(array).rgb.shape == (5, 7, 3)


def test_malformed_arrays_raise_image_error():
    with pytest.raises(ImageError):
        load_image(np.zeros((5, 7, 2), np.uint8))
    with pytest.raises(ImageError):
        load_image(np.zeros((0, 7, 3), np.uint8))


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    path = tmp_path / "big.png"
    Image.new("L", (3000, 3000)).save(path)
    with pytest.raises(ImageError, match="above the limit"):
        load_image(path, max_pixels=1_000_000)


def test_huge_image_is_downscaled_with_notice():
    loaded = load_image(np.zeros((300, 1000, 3), np.uint8), max_side=500)
    assert loaded.size == (500, 150)
    assert loaded.original_size == (1000, 300)
    assert "downscaled" in loaded.notices[0]


def test_one_pixel_image_refines(offline_lyrics):
    result = offline_lyrics.refine(np.full((1, 1, 3), 128, np.uint8))
    assert result.to_json()["image"] == {"width": 1, "height": 1}
