"""Colour names a person would give an object, read from the pixels that belong to it.

A nearest-palette colour per pixel fails on photos: shade turns a white truck grey, dark windows
and tyres make it black, the floor around a loose mask makes a black dog beige. So the pixels are
chosen first and named second:

- which pixels: the mask eroded by a few per cent of the object's size (its rim is background), or
  the middle of the box without a mask; the darkest and brightest tails of lightness (shadow, dark
  glass, glare) are dropped;
- each pixel is chromatic or not by its CIELAB chroma: a hue is named from the hue angle and the
  lightness (red, orange, brown, beige, yellow, green, blue, light blue, purple, pink), a low-chroma
  pixel from its lightness alone (black, grey, white), after the photo's exposure is evened out;
- chromatic pixels weigh by their chroma (a faint tint counts for little), low-chroma ones less;
- a grey object that is clearly the brightest low-chroma surface around it is white in shade, and a
  grey vehicle or metal thing is silver.

`surface_colours` reads the colour of what lies behind an object: the band above and beside its
box, minus every object's mask.
"""

from __future__ import annotations

import cv2
import numpy as np

#: Things people call "silver" rather than grey or white when their paint or metal is light grey.
METAL_LABELS = {"car", "truck", "bus", "train", "airplane", "motorcycle", "bicycle", "boat", "pickup", "minivan",
                "van", "sports car", "convertible", "limousine", "cab", "jeep", "fork", "knife", "spoon", "scissors",
                "laptop", "cell phone", "remote", "refrigerator", "oven", "microwave", "toaster", "sink", "parking meter",
                "fire hydrant", "airliner", "passenger car", "moving van", "trailer truck", "tow truck",
                "police van", "racer", "beach wagon", "car wheel", "streetcar"}
#: Below this CIELAB chroma (for light pixels; `achromatic_limit` allows darker ones more) a pixel has no
#: hue a person names.
ACHROMATIC_CHROMA = 13.0
#: Low-chroma pixels weigh this much against a fully saturated one (shade and glare are everywhere).
ACHROMATIC_WEIGHT = 0.6
#: Chroma at which a pixel's hue counts in full.
FULL_CHROMA = 25.0
#: Share of darkest / brightest pixels dropped (shadow and dark glass / specular highlights).
DARK_TAIL, BRIGHT_TAIL = 0.08, 0.03
#: A hue with this share of the largest black/grey/white share is named first.
HUE_PREFERENCE = 0.6
ACHROMATIC_NAMES = {"black", "grey", "white", "silver"}
#: At most this many pixels are read per object.
MAX_PIXELS = 6000


def lab_pixels(rgb: np.ndarray) -> np.ndarray:
    """(N, 3) uint8 sRGB -> (N, 3) float32 CIELAB (L 0-100, a and b about -128-127)."""
    return cv2.cvtColor(rgb.reshape(-1, 1, 3).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB).reshape(-1, 3)


def exposure_gain(rgb: np.ndarray) -> float:
    """How much to scale lightness so the photo's bright end sits where a white sheet would (1-1.35).

    rgb: (H, W, 3) uint8. A dim photo's white objects are read as white, not grey."""
    sample = rgb[:: max(1, rgb.shape[0] // 120), :: max(1, rgb.shape[1] // 120)].reshape(-1, 3)
    bright = float(np.percentile(lab_pixels(sample)[:, 0], 99))
    return float(np.clip(92.0 / max(bright, 1.0), 1.0, 1.35))


def achromatic_limit(lightness: np.ndarray) -> np.ndarray:
    """The chroma below which a pixel of CIELAB `lightness` (0-100) has no nameable hue: 13 for light
    pixels, rising to 20 for black ones (dark pixels need more chroma to show a hue)."""
    return np.maximum(ACHROMATIC_CHROMA, 20.0 - 0.1 * lightness)


#: CIELAB hue angle (degrees) below which a strong colour on the red side is pink (fuchsia, magenta: 345-10), not
#: red, whose focal colours (crimson, scarlet, a stop sign's red) lie at 25-40.
MAGENTA_END = 10


def hue_name(lightness: np.ndarray, chroma: np.ndarray, hue: np.ndarray) -> np.ndarray:
    """Colour names of chromatic pixels from CIELAB lightness (0-100), chroma and hue angle (degrees).

    Returns an (N,) array of names among red, orange, brown, beige, yellow, green, blue, light blue,
    purple, pink."""
    names = np.full(hue.shape, "red", dtype=object)
    dark, light, soft = lightness < 50, lightness > 66, chroma < 32
    pale = (lightness >= 70) & (chroma < 30)
    red = (hue >= 345) | (hue < 47)
    names[red & light & soft] = "pink"
    names[((hue >= 345) | (hue < MAGENTA_END)) & ~soft] = "pink"  # fuchsia and magenta, not red
    names[red & dark & (hue >= 35) & soft] = "brown"
    orange = (hue >= 47) & (hue < 78)
    names[orange] = "orange"
    names[orange & dark] = "brown"
    names[orange & ~pale & (chroma < 22)] = "brown"
    names[orange & pale] = "beige"
    yellow = (hue >= 78) & (hue < 108)
    names[yellow] = "yellow"
    names[yellow & soft & ~dark & (lightness < 70)] = "brown"
    names[yellow & pale] = "beige"
    names[yellow & dark] = np.where(hue[yellow & dark] < 95, "brown", "green")
    names[(hue >= 108) & (hue < 195)] = "green"
    blue = (hue >= 195) & (hue < 305)
    names[blue] = np.where(lightness[blue] > 66, "light blue", "blue")
    purple = (hue >= 305) & (hue < 345)
    names[purple] = np.where(lightness[purple] > 62, "pink", "purple")
    return names


def lightness_name(lightness: np.ndarray) -> np.ndarray:
    """black (L < 30), grey, white (L >= 78) for low-chroma pixels (L after `exposure_gain`)."""
    return np.where(lightness < 30, "black", np.where(lightness >= 78, "white", "grey")).astype(object)


def object_pixels(rgb: np.ndarray, mask: np.ndarray | None, box=None) -> np.ndarray:
    """The (N, 3) uint8 pixels that belong to an object: its mask eroded by 4% of the object's size
    (kept whole where erosion leaves under a third), else the middle 70% of its box."""
    if mask is not None and mask.any():
        area = int(mask.sum())
        radius = int(round(0.04 * np.sqrt(area)))
        if radius >= 1:
            eroded = cv2.erode(mask.astype(np.uint8), np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)) > 0
            if eroded.sum() >= area / 3:
                mask = eroded
        return rgb[mask]
    x1, y1, x2, y2 = [float(v) for v in box]
    dx, dy = 0.15 * (x2 - x1), 0.15 * (y2 - y1)
    x1, y1, x2, y2 = int(round(x1 + dx)), int(round(y1 + dy)), int(round(x2 - dx)), int(round(y2 - dy))
    return rgb[max(0, y1) : max(y1 + 1, y2), max(0, x1) : max(x1 + 1, x2)].reshape(-1, 3)


def name_shares(pixels: np.ndarray, gain: float = 1.0, trim: bool = True) -> dict[str, float]:
    """Weighted share of each colour name over (N, 3) uint8 pixels, largest first (shares sum to 1).

    gain: `exposure_gain` of the photo. trim: drop the darkest and brightest tails first."""
    if len(pixels) == 0:
        return {}
    pixels = pixels[:: max(1, len(pixels) // MAX_PIXELS)]
    lab = lab_pixels(pixels)
    lightness = np.clip(lab[:, 0] * gain, 0, 100)
    if trim and len(lab) >= 20:
        low, high = np.quantile(lightness, [DARK_TAIL, 1 - BRIGHT_TAIL])
        keep = (lightness >= low) & (lightness <= high)
        lab, lightness = lab[keep], lightness[keep]
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    hue = np.degrees(np.arctan2(lab[:, 2], lab[:, 1])) % 360
    chromatic = chroma >= achromatic_limit(lightness)
    names = lightness_name(lightness)
    names[chromatic] = hue_name(lightness[chromatic], chroma[chromatic], hue[chromatic])
    weights = np.where(chromatic, np.minimum(1.0, chroma / FULL_CHROMA), ACHROMATIC_WEIGHT)
    shares: dict[str, float] = {}
    for name, weight in zip(names, weights):
        shares[name] = shares.get(name, 0.0) + float(weight)
    total = sum(shares.values()) or 1.0
    return {name: share / total for name, share in sorted(shares.items(), key=lambda kv: -kv[1])}


def pick_names(shares: dict[str, float], max_names: int = 2) -> list[str]:
    """The first name, and each next one whose share is at least a quarter of the first's plus 10 points.

    A hue whose share reaches `HUE_PREFERENCE` of a larger black, grey or white one comes first: a
    blue bus with dark windows is blue (and black), not black (and blue)."""
    if not shares:
        return []
    ranked = list(shares.items())
    hues = [(name, share) for name, share in ranked if name not in ACHROMATIC_NAMES]
    if ranked[0][0] in ACHROMATIC_NAMES and hues and hues[0][1] >= HUE_PREFERENCE * ranked[0][1]:
        ranked.remove(hues[0])
        ranked.insert(0, hues[0])
    first = ranked[0][1]
    return [ranked[0][0]] + [name for name, share in ranked[1:max_names] if share >= 0.25 * first + 0.1]


def surroundings_mask(shape: tuple[int, int], box, others: np.ndarray | None = None,
                      margin: float = 0.25, below: bool = False) -> np.ndarray:
    """(H, W) bool: the band around `box` ([x1, y1, x2, y2] px) out to `margin` of its size on each side,
    without the box itself, without the rows below it unless `below`, and without `others` ((H, W)
    bool: the pixels of every object)."""
    height, width = shape
    x1, y1, x2, y2 = [float(v) for v in box]
    mx, my = max(4.0, margin * (x2 - x1)), max(4.0, margin * (y2 - y1))
    band = np.zeros(shape, bool)
    bottom = y2 + my if below else y2
    band[int(max(0, y1 - my)) : int(min(height, bottom)), int(max(0, x1 - mx)) : int(min(width, x2 + mx))] = True
    band[int(max(0, y1)) : int(min(height, y2)), int(max(0, x1)) : int(min(width, x2))] = False
    if others is not None:
        band &= ~others
    return band


def object_colours(rgb: np.ndarray, mask: np.ndarray | None, box=None, label: str = "", gain: float | None = None,
                   others: np.ndarray | None = None, max_names: int = 2) -> list[str]:
    """Colour names a person would give the object under `mask` (or inside `box`), largest first.

    rgb: (H, W, 3) uint8. mask: (H, W) bool or None. box: [x1, y1, x2, y2] px (needed without a mask,
    and for the white-in-shade check). label: what it is (grey metal things are "silver").
    gain: `exposure_gain(rgb)` when already known. others: (H, W) bool pixels of other objects,
    left out of the surroundings."""
    gain = exposure_gain(rgb) if gain is None else gain
    pixels = object_pixels(rgb, mask, box)
    names = pick_names(name_shares(pixels, gain), max_names)
    if names and names[0] == "grey" and box is not None and _brightest_low_chroma(rgb, pixels, box, gain, others):
        names[0] = "white"
    if names and names[0] in ("white", "black"):
        names = [n for n in names if n != "grey"]  # the shaded side of a white thing, the lit side of a black one
    if label in METAL_LABELS:
        names = ["silver" if n == "grey" and _median_lightness(pixels, gain) >= 45 else n for n in names]
    return list(dict.fromkeys(names))


def surface_colours(rgb: np.ndarray, box, others: np.ndarray | None = None, gain: float | None = None,
                    max_names: int = 2) -> list[str]:
    """The colour of what lies behind the object in `box`: the band above and beside it minus `others`
    ((H, W) bool, every object's pixels). Empty when too little of the band is left."""
    band = surroundings_mask(rgb.shape[:2], box, others)
    if band.sum() < 50:
        return []
    gain = exposure_gain(rgb) if gain is None else gain
    return pick_names(name_shares(rgb[band], gain, trim=False), max_names)


def _low_chroma_lightness(pixels: np.ndarray, gain: float) -> np.ndarray:
    lab = lab_pixels(pixels[:: max(1, len(pixels) // MAX_PIXELS)])
    lightness = np.clip(lab[:, 0] * gain, 0, 100)
    return lightness[np.hypot(lab[:, 1], lab[:, 2]) < achromatic_limit(lightness)]


def _median_lightness(pixels: np.ndarray, gain: float) -> float:
    lightness = _low_chroma_lightness(pixels, gain)
    return float(np.median(lightness)) if len(lightness) else 0.0


def _brightest_low_chroma(rgb: np.ndarray, pixels: np.ndarray, box, gain: float, others) -> bool:
    """A light-grey object (median L >= 60) of even lightness (interquartile range <= 8: shade, not
    the reflections of metal) well brighter than the low-chroma surfaces around it (their 90th
    percentile + 10; there must be some): a white thing in shade."""
    own = _low_chroma_lightness(pixels, gain)
    if len(own) < 20:
        return False
    low, median, high = np.percentile(own, [25, 50, 75])
    if median < 60 or high - low > 8:
        return False
    band = surroundings_mask(rgb.shape[:2], box, others, below=True)
    around = _low_chroma_lightness(rgb[band], gain) if band.any() else np.zeros(0)
    return len(around) >= 20 and median >= np.percentile(around, 90) + 10
