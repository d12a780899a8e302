"""Where a photo was taken, in the few words the offline models can tell: sky, water, mountains,
grass, sand, snow on the ground, daylight, a clear sky, indoors or outdoors.

Two sources, each stated only when sure:
- the tagger's scene classes (ImageNet's lakeside, seashore, alp, valley...; the CLIP taggers have
  the same names in their vocabulary) and things that only occur in a setting (a canoe: water; a
  snowmobile: snow);
- pixels: sky is a smooth blue band touching the top of the photo; grass a textured green area
  filling much of the lower half; snow a smooth bright white area filling much of the lower half,
  believed only with other signs of the outdoors (a white floor or a studio backdrop look the same);
  daylight a bright, not orange or pink, top of the photo, also believed only with other signs of the
  outdoors (a lamp-lit white wall is as bright); a clear sky a sky of deep blue: cloud cover, haze and dusk
  wash a sky's blue out, so a sky that keeps it is a sunny one.

What cannot be told is never denied: no word means "unknown", not "absent".
"""

from __future__ import annotations

import cv2
import numpy as np

from .colour_names import exposure_gain, lab_pixels

#: Tag name -> the setting words it shows.
TAG_SETTING = {
    "lakeside": ["water"], "seashore": ["water", "sand"], "sandbar": ["water", "sand"], "promontory": ["water"],
    "breakwater": ["water"], "boathouse": ["water"], "dock": ["water"], "pier": ["water"], "geyser": ["water"],
    "coral reef": ["water"], "canoe": ["water"], "speedboat": ["water"], "gondola": ["water"], "lifeboat": ["water"],
    "paddle": ["water"], "yawl": ["water"], "catamaran": ["water"], "trimaran": ["water"], "schooner": ["water"],
    "fireboat": ["water"], "liner": ["water"], "container ship": ["water"], "wreck": ["water"],
    "scuba diver": ["water"], "snorkel": ["water"], "paddlewheel": ["water"],
    "alp": ["mountains"], "volcano": ["mountains"], "cliff": ["a cliff"],
    "ski": ["snow on the ground"], "snowmobile": ["snow on the ground"], "dogsled": ["snow on the ground"],
    "snowplow": ["snow on the ground"], "bobsled": ["snow on the ground"],
}
#: Tags of places out of doors that show no setting word of their own. A valley is one: what a photo shows of it is
#: its floor (fields, a stream), and the hills around may be low, so it says nothing of mountains. A sign is not
#: one: the tagger gives "street sign" to any sign board, and signs hang indoors as often (a wet floor, an exit).
OUTDOOR_TAGS = {"valley", "church", "bell cote", "palace", "castle", "mosque", "stupa", "dome", "monastery", "triumphal arch",
                "obelisk", "barn", "suspension bridge", "steel arch bridge", "viaduct", "totem pole", "megalith",
                "fountain", "park bench", "golfcart", "tractor", "harvester", "thresher", "maze", "worm fence",
                "picket fence", "traffic light", "mountain tent", "pole"}
#: Tags of places indoors.
INDOOR_TAGS = {"home theater", "library", "restaurant", "bookshop", "grocery store", "barbershop", "toyshop",
               "confectionery", "shoe shop", "tobacco shop", "butcher shop", "bakery", "cinema", "wardrobe",
               "four-poster", "studio couch", "entertainment center", "bookcase", "china cabinet", "desk", "quilt",
               "window shade", "shower curtain", "bathtub", "washbasin", "dishwasher", "microwave", "stove",
               "toilet seat", "medicine chest", "refrigerator", "dining table", "sliding door",
               "chiffonier", "cradle", "crib", "rocking chair", "folding chair", "pool table", "grand piano"}
#: A tag shows its setting at this score.
MIN_SETTING_SCORE = 0.03
#: The order setting words are written in.
WORD_ORDER = ["sky", "water", "mountains", "a cliff", "grass", "sand", "snow on the ground", "daylight", "clear sky"]
#: Setting words that say how the light is, not what is there: never listed as things seen.
LIGHT_WORDS = {"daylight", "clear sky"}
#: Share of the top band / lower half that must look like sky / grass / snow.
SKY_SHARE, GROUND_SHARE = 0.3, 0.35
#: Local standard deviation of lightness (0-100) below which a surface is smooth.
SMOOTH = 2.5
#: Mean lightness (CIELAB L*, 0-100, as the camera took it) of the top quarter of an outdoor photo from which it
#: shows daylight: measured on photos with a person's truths, daylit tops (overcast ones too) were 65-89, a dusk
#: sky 53, a night sky 16. A bright top whose mean a* or b* passes `WARM_SKY` is a sunset's or sunrise's.
DAYLIGHT_LIGHTNESS = 70
WARM_SKY = 15
#: Mean CIELAB b* (negative is blue) of a sky's pixels at or below which it is clear: measured on the skies of
#: photos with a person's truths, sunny ones were -32 to -46; an overcast one, hazy ones and a dusk sky -13 to -21.
CLEAR_SKY_BLUE = -26


def setting_words(rgb: np.ndarray, tags: list[tuple[str, float]]) -> list[str]:
    """What the setting shows, e.g. ["outdoors", "sky", "water"], or ["indoors"], or [] when unsure.

    rgb: (H, W, 3) uint8. tags: (name, score) of the tagger's tags (detector names left out)."""
    sure = [name for name, score in tags if score >= MIN_SETTING_SCORE]
    words = [word for name in sure for word in TAG_SETTING.get(name, [])]
    cues = pixel_cues(rgb)
    outdoor_sign = bool(words) or any(name in OUTDOOR_TAGS for name in sure) or "sky" in cues or "grass" in cues
    words += [cue for cue in cues if cue not in ("snow on the ground", "daylight", "clear sky") or outdoor_sign]
    words = sorted(set(words), key=WORD_ORDER.index)
    if words:
        return ["outdoors", *words]
    if outdoor_sign:
        return ["outdoors"]
    if any(name in INDOOR_TAGS for name in sure):
        return ["indoors"]
    return []


def setting_sentence(words: list[str]) -> str:
    """"Outdoors: sky, water, snow on the ground." / "Outdoors." / "Indoors." / "" for no words. The light
    (`LIGHT_WORDS`) is left out: it says when, not where, and the small language model copies it in as a thing seen."""
    if not words:
        return ""
    place, rest = words[0].capitalize(), seen_in_setting(words)
    return f"{place}: {', '.join(rest)}." if rest else f"{place}."


def seen_in_setting(words: list[str]) -> list[str]:
    """The things `setting_words` names that can be seen: ["sky", "grass"] of ["outdoors", "sky", "grass",
    "daylight"]; neither the place (indoors, outdoors) nor the light."""
    return [w for w in words if w not in ("indoors", "outdoors") and w not in LIGHT_WORDS]


def pixel_cues(rgb: np.ndarray) -> list[str]:
    """"sky", "grass", "snow on the ground", "daylight", "clear sky" as the pixels show them (see the module
    docstring)."""
    small = _downscale(rgb, 160)
    height, width = small.shape[:2]
    lab = lab_pixels(small).reshape(height, width, 3)
    lightness = np.clip(lab[..., 0] * exposure_gain(rgb), 0, 100)
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    hue = np.degrees(np.arctan2(lab[..., 2], lab[..., 1])) % 360
    mean = cv2.blur(lightness, (5, 5))
    texture = np.sqrt(np.maximum(cv2.blur(lightness ** 2, (5, 5)) - mean ** 2, 0))
    smooth = texture < SMOOTH
    cues = []
    top = slice(0, max(1, int(0.35 * height)))
    blue_sky = smooth & (hue >= 200) & (hue < 300) & (chroma >= 8) & (lightness >= 45)
    if blue_sky[top].mean() >= SKY_SHARE and blue_sky[: max(1, height // 20)].mean() >= 0.5:
        cues.append("sky")
        if lab[top][..., 2][blue_sky[top]].mean() <= CLEAR_SKY_BLUE:
            cues.append("clear sky")
    lower = slice(height // 2, height)
    grass = ~smooth & (hue >= 100) & (hue < 160) & (chroma >= 15) & (lightness >= 20) & (lightness <= 80)
    if grass[lower].mean() >= GROUND_SHARE:
        cues.append("grass")
    snow = smooth & (lightness >= 80) & (chroma < 12)
    if snow[lower].mean() >= GROUND_SHARE:
        cues.append("snow on the ground")
    band = lab[: max(1, height // 4)]  # as taken: no exposure gain, which would lift a dusk sky
    if band[..., 0].mean() >= DAYLIGHT_LIGHTNESS and max(band[..., 1].mean(), band[..., 2].mean()) < WARM_SKY:
        cues.append("daylight")
    return cues


def _downscale(rgb: np.ndarray, width: int) -> np.ndarray:
    if rgb.shape[1] <= width:
        return rgb
    height = max(1, round(rgb.shape[0] * width / rgb.shape[1]))
    return cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)
