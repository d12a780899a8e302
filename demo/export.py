"""Download the session: refine JSON (+ regions and chat) and the overlay PNG, in a fresh folder of
the upload cache (deleted with it, see `uploads.DELETE_CACHE`)."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from lyrics_model import RefineResult, mask_to_rle, normalise_box

from .chat_history import model_messages
from .session import DemoSession
from .uploads import export_folder


def session_json(result: RefineResult, session: DemoSession, history: list[dict]) -> dict:
    """The refine schema plus "regions" (box, box_norm, mask RLE, clicks), "chat" (the messages) and
    "answer_links" (the latest answer's phrase links: phrase, span, ids, boxes and mask RLEs in the photo's pixels)."""
    data = result.to_json()
    data["regions"] = [
        {"id": r.id, "source": r.source, "box": [round(v, 1) for v in r.box],
         "box_norm": normalise_box(r.box, result.size), "mask": mask_to_rle(r.mask), "area": int(r.mask.sum()),
         "points": [[round(x, 1), round(y, 1)] for x, y in r.points], "labels": list(r.labels)}
        for r in session.regions if r.mask is not None
    ]
    data["chat"] = model_messages(history)
    data["answer_links"] = [link.to_json() for link in session.answer_links]
    return data


def write_export(result: RefineResult, session: DemoSession, history: list[dict], overlay: np.ndarray) -> tuple[str, str]:
    """Write lyrics-refinement.json and lyrics-overlay.png into a new export folder; return both paths."""
    folder = export_folder()
    json_path, png_path = folder / "lyrics-refinement.json", folder / "lyrics-overlay.png"
    json_path.write_text(json.dumps(session_json(result, session, history), indent=1))
    Image.fromarray(overlay).save(png_path)
    return str(json_path), str(png_path)
