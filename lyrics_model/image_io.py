"""Turn whatever the user gives (path, bytes, PIL image, numpy array) into one RGB uint8 array.

Every public entry point calls `load_image`, so EXIF orientation, exotic modes and size limits are
handled in exactly one place. The returned array may be downscaled (the working image); coordinates in
and out of the public API stay in the photo's pixels (`LoadedImage.frame` maps between the two).
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageError
from .photo_pixels import PhotoFrame


# PIL's own opener, kept before ultralytics replaces `Image.open` with one that tries to pip-install
# a HEIF plugin whenever a file is not an image (this module is imported before ultralytics).
_PIL_OPEN = Image.open

#: Refuse images with more pixels than this (decompression-bomb guard). 50 MP covers any camera photo.
DEFAULT_MAX_PIXELS = 50_000_000
#: Images whose longer side exceeds this are processed downscaled (with a notice); coordinates stay the photo's.
DEFAULT_MAX_SIDE = 2048


@dataclass
class LoadedImage:
    """An RGB image ready for the models.

    Attributes:
        rgb: (h, w, 3) uint8 array, EXIF orientation applied, possibly downscaled: the working image.
        original_size: (width, height) in pixels of the photo as uploaded (after EXIF orientation): the
            space of every coordinate in or out of the public API.
        notices: human-readable notes about conversions (downscaling, alpha dropped, ...).
    """

    rgb: np.ndarray
    original_size: tuple[int, int]
    notices: list[str] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels of `rgb`."""
        return self.rgb.shape[1], self.rgb.shape[0]

    @property
    def scale(self) -> float:
        """Factor from original pixels to `rgb` pixels (1.0 unless downscaled)."""
        return self.size[0] / self.original_size[0]

    @property
    def frame(self) -> PhotoFrame:
        """Maps coordinates between the photo (`original_size`) and the working image (`rgb`)."""
        return PhotoFrame(self.original_size, self.size)


#: A path, encoded bytes, a PIL image, an array, or an image `load_image` already decoded.
ImageInput = Union[str, os.PathLike, bytes, Image.Image, np.ndarray, LoadedImage]


def load_image(
    source: ImageInput,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int = DEFAULT_MAX_SIDE,
) -> LoadedImage:
    """Decode `source` into an RGB uint8 array (a `LoadedImage` is returned as it is, not decoded again).

    Raises:
        ImageError: the file is missing, empty, corrupt, truncated, not an image, or has more than
            `max_pixels` pixels.
    """
    if isinstance(source, LoadedImage):
        return source
    notices: list[str] = []
    if isinstance(source, np.ndarray):
        pil = _array_to_pil(source)
    elif isinstance(source, Image.Image):
        pil = source
    else:
        pil = _open(source, max_pixels)
    _check_pixels(pil.size, max_pixels)
    try:
        pil = ImageOps.exif_transpose(pil)
        rgb_pil = _to_rgb(pil, notices)
    except (OSError, ValueError, SyntaxError) as err:
        raise ImageError(f"could not decode image: {_one_line(err)}") from None
    original_size = rgb_pil.size
    if max(original_size) > max_side:
        factor = max_side / max(original_size)
        new_size = (max(1, round(original_size[0] * factor)), max(1, round(original_size[1] * factor)))
        rgb_pil = rgb_pil.resize(new_size, Image.Resampling.LANCZOS)
        notices.append(
            f"image downscaled from {original_size[0]}x{original_size[1]} to {new_size[0]}x{new_size[1]}"
            f" for the models (longer side limit {max_side} px); coordinates stay in the photo's pixels"
        )
    return LoadedImage(np.ascontiguousarray(np.asarray(rgb_pil, dtype=np.uint8)), original_size, notices)


def _open(source, max_pixels: int) -> Image.Image:
    if isinstance(source, (bytes, bytearray)):
        if not source:
            raise ImageError("the image data is empty")
        stream = io.BytesIO(source)
        name = "image data"
    else:
        path = Path(source)
        if not path.is_file():
            raise ImageError(f"no such image file: {path}")
        if path.stat().st_size == 0:
            raise ImageError(f"the image file is empty: {path}")
        stream = path.open("rb")
        name = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            pil = _PIL_OPEN(stream)
            _check_pixels(pil.size, max_pixels)
            pil.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"{name} is too large to decode safely") from None
    except UnidentifiedImageError:
        raise ImageError(f"{name} is not an image in a known format, or is corrupt") from None
    except Exception as err:  # decoders raise many types (OSError, ValueError, plugin import errors...)
        raise ImageError(f"{name} is corrupt or truncated: {_one_line(err)}") from None
    return pil


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise ImageError(f"the image has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise ImageError(
            f"the image is {width}x{height} = {width * height / 1e6:.1f} MP, above the limit of "
            f"{max_pixels / 1e6:.1f} MP (raise max_pixels to allow it)"
        )


def _to_rgb(pil: Image.Image, notices: list[str]) -> Image.Image:
    """Convert any PIL mode to RGB: 16-bit scaled to 8, alpha composited on white, palette expanded."""
    if pil.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(pil, dtype=np.float64)
        top = 65535.0 if pil.mode.startswith("I;16") or arr.max() > 255 else 255.0
        arr = np.clip(arr / top * 255.0, 0, 255).astype(np.uint8)
        return Image.fromarray(arr, mode="L").convert("RGB")
    if pil.mode == "P":
        pil = pil.convert("RGBA")
    if pil.mode in ("RGBA", "LA", "PA"):
        background = Image.new("RGBA", pil.size, (255, 255, 255, 255))
        background.alpha_composite(pil.convert("RGBA"))
        notices.append("transparent pixels were composited on white")
        return background.convert("RGB")
    return pil.convert("RGB")


def _array_to_pil(arr: np.ndarray) -> Image.Image:
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise ImageError(f"an image array must be (H, W), (H, W, 3) or (H, W, 4), got {arr.shape}")
    if arr.size == 0:
        raise ImageError(f"the image array is empty {arr.shape}")
    if arr.dtype == np.uint16:
        arr = (arr / 257.0).round().astype(np.uint8)
    elif np.issubdtype(arr.dtype, np.floating):
        arr = (np.clip(np.nan_to_num(arr), 0.0, 1.0) * 255.0).round().astype(np.uint8)
    elif arr.dtype == np.bool_:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(arr))


def _one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def image_hash(rgb: np.ndarray) -> str:
    """Content hash of an (H, W, 3) uint8 array: the cache key of per-image work."""
    digest = hashlib.blake2b(rgb.tobytes(), digest_size=16)
    digest.update(str(rgb.shape).encode())
    return digest.hexdigest()
