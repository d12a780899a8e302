"""The demo's event handlers: plain functions over (`Lyrics`, `DemoSession`, widget values, event data).

Each returns (or, for the chat, yields) a dict {component name: new value}; names missing from it keep
their value. `ui.py` binds the shared `Lyrics`, maps names to components and wires the events, so
every handler can be called and tested without a browser. Component names: image_input, overlay,
replace_image, keep_image, status, tags, objects, chips, message, chatbot, export_json, export_png,
answer_focus.
"""

from __future__ import annotations

from typing import Any, Iterator

import gradio as gr
import numpy as np
import supervision as sv

from lyrics_model import LLMServerError, Lyrics, LyricsError, RefineResult
from lyrics_model.dialogue.phrase_links import whole_sentences

from .answer_focus import focus_html, focus_image
from .answer_phrases import link_colour, linked_html
from .chat_history import message_text, model_messages
from .export import write_export
from .layers import Layers
from .overlay_view import display_scale, link_masks, picture_size, render_overlay
from .refusals import note, warn
from .region_chips import chips_html
from .session import DemoSession
from .uploads import require_upload

Update = dict[str, Any]


def polygon_mask(polygon: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(H, W) bool mask of a (4, 2) pixel polygon on an image of size (W, H)."""
    return sv.polygon_to_mask(np.round(polygon).astype(int), size).astype(bool)

NO_IMAGE = "Upload an image first (or pick an example), then ask about it or click on it to select a region."
LOADING_LLM = "Loading the language model…"


def objects_table(result: RefineResult) -> list[list]:
    """Rows of the objects table: id, label, score, box in the photo's pixels, 0-1 box; then the lines of
    text read (id textN, label `text "..."` quoting the string as read)."""
    rows = [[o["id"], o["label"], o["score"], str([round(v) for v in o["box"]]), str(o["box_norm"])]
            for o in result.objects_json()]
    return rows + [[t["id"], f'text "{t["text"]}"', t["score"], str([round(v) for v in t["box"]]), str(t["box_norm"])]
                   for t in result.texts_json() or []]


def status_line(result: RefineResult) -> str:
    """Tags, objects, text lines (once read) and the time of each stage; then the notices."""
    timings = ", ".join(f"{k} {v:.0f} ms" for k, v in result.timings_ms.items())
    texts = "" if result.texts is None else f", {len(result.texts)} text lines"
    notes = "".join(f"<br>ℹ️ {n}" for n in result.notices)  # the load's notices included
    return f"{len(result.tags)} tags, {len(result.detections)} objects{texts} · {timings}{notes}"


def overlay_picture(lyrics: Lyrics, session: DemoSession):
    """The overlay at display size, or None before an upload (refining again only if the cache lost it; with
    the Text layer on, reading the text first if it was not read yet)."""
    if session.image is None:
        return None
    return render_overlay(lyrics.refine(session.image, read_text=session.layers.text), session)


# ---- the image --------------------------------------------------------------------------------------

def load_image(lyrics: Lyrics, session: DemoSession, upload: dict | None, progress=gr.Progress()) -> Update:
    """A new upload (the raw `gr.Image` payload): refine it and show it; on a bad file keep everything.

    A cleared input (None) changes nothing: the image stays until another one loads.
    """
    if not isinstance(upload, dict) or not upload.get("path"):
        return {}
    path = require_upload(upload["path"])
    try:
        progress(0.05, desc="Reading the image")
        loaded = lyrics.load(path)
        progress(0.2, desc="Refining: tagging, detecting, segmenting")
        result = lyrics.refine(loaded)
    except LyricsError as err:  # the previous image, regions and chat stay
        warn("image upload", str(err))
        kept = " (the previous image is still loaded)" if session.image is not None else ""
        return {"status": f"⚠️ {err}{kept}", **_image_shown(session.image is not None)}
    session.reset(loaded)
    return {**_image_shown(True, render_overlay(result, session)),
            "tags": gr.update(choices=["all"] + [t.name for t in result.tags], value="all"),
            "objects": objects_table(result), "chips": chips_html(session), "chatbot": [],
            "status": status_line(result)}


def read_text(lyrics: Lyrics, session: DemoSession) -> Update:
    """After the first paint: read the image's text (once; cached), then show it in the objects table, the
    status and, with the Text layer on, the overlay. Without a reader the status says why. Once shown for an
    image, nothing changes: after an upload that failed, the status keeps the upload's message."""
    if session.image is None or session.text_shown:
        return {}
    result = lyrics.refine(session.image, read_text=True)
    session.text_shown = True
    update = {"objects": objects_table(result), "status": status_line(result)}
    if session.layers.text:
        update["overlay"] = render_overlay(result, session)
    return update


def show_uploader(session: DemoSession) -> Update:
    """"Replace image": the upload panel takes the overlay's place until an image loads (or the visitor goes back)."""
    return {"image_input": gr.update(value=None, visible=True), "overlay": gr.update(visible=False),
            "replace_image": gr.update(visible=False), "keep_image": gr.update(visible=session.image is not None)}


def keep_image(session: DemoSession) -> Update:
    """Back from the upload panel to the current image's overlay."""
    return _image_shown(session.image is not None)


def _image_shown(shown: bool, picture=None) -> Update:
    """The overlay (a new `picture` if given) in the image panel, the upload input staying in the page
    hidden; or the upload panel."""
    overlay = gr.update(visible=shown) if picture is None else gr.update(value=picture, visible=True)
    return {"image_input": gr.update(visible="hidden" if shown else True), "overlay": overlay,
            "replace_image": gr.update(visible=shown), "keep_image": gr.update(visible=False)}


def set_layers(lyrics: Lyrics, session: DemoSession, masks: bool, boxes: bool, labels: bool, min_score: float,
               max_objects: int, text: bool = True, answer: bool = True) -> Update:
    session.layers = Layers(bool(masks), bool(boxes), bool(labels), float(min_score), int(max_objects), bool(text),
                            bool(answer))
    return {"overlay": overlay_picture(lyrics, session)}


def highlight_tag(lyrics: Lyrics, session: DemoSession, tag: str | None) -> Update:
    """Show only the objects labelled `tag` ("all" or None: every object)."""
    session.highlight = None if tag in (None, "all") else tag
    return {"overlay": overlay_picture(lyrics, session)}


def redraw(lyrics: Lyrics, session: DemoSession) -> Update:
    """The overlay after regions changed (chained after the fast handlers that update the chips)."""
    return {"overlay": overlay_picture(lyrics, session)}


# ---- regions ----------------------------------------------------------------------------------------

def click_point(lyrics: Lyrics, session: DemoSession, point_mode: str, evt: gr.SelectData) -> Update:
    """A click on the overlay (evt.index: overlay pixels, mapped to the photo's): a positive point starts
    or grows the active region, a negative one trims it. Updates the chips; `redraw` follows."""
    if session.image is None:
        gr.Info(NO_IMAGE)
        return {}
    scale = display_scale(session.size)
    x, y = float(evt.index[0]) * scale, float(evt.index[1]) * scale
    width, height = session.size
    if not (0 <= x < width and 0 <= y < height):
        warn("image click", f"the click ({x:.0f}, {y:.0f}) is outside the {width}x{height} image")
        return {}
    label = 1 if point_mode.startswith("positive") else 0
    region = session.region(session.active)
    if region is None or region.source != "clicks":
        if label == 0:
            warn("image click", "start a region with a positive point (the object), then add negative points")
            return {}
        region = session.new_region()
    try:
        click = lyrics.segment_point(session.image, region.points + [(x, y)], region.labels + [label])
    except LyricsError as err:
        warn("image click", str(err))
        return {"chips": chips_html(session)}
    region.points.append((x, y))
    region.labels.append(label)
    if click.box is not None:
        region.mask, region.box = click.mask, click.box
    return {"chips": chips_html(session)}


def chip_action(session: DemoSession, evt: gr.EventData) -> Update:
    """A chip's event ({"region", "action"}): "remove" deletes the region; "focus" highlights it (and lets
    clicks refine it), or un-highlights it when chosen again."""
    data = getattr(evt, "_data", None) or {}
    region = session.region(data.get("region"))
    if region is not None and data.get("action") == "remove":
        session.remove(region.id)
    elif region is not None and data.get("action") == "focus":
        session.focus = None if session.focus == region.id else region.id
        if region.source == "clicks":
            session.active = region.id
    return {"chips": chips_html(session)}


def new_region(session: DemoSession) -> Update:
    """The next positive click starts a new region."""
    session.active = None
    gr.Info("Click on the image to start the next region")
    return {"chips": chips_html(session)}


def clear_regions(session: DemoSession) -> Update:
    session.clear_regions()
    return {"chips": chips_html(session)}


def object_as_region(lyrics: Lyrics, session: DemoSession, evt: gr.SelectData) -> Update:
    """A row chosen in the objects table becomes a region with the object's mask and box (photo pixels); a
    text line's row, a region of its polygon."""
    if session.image is None:
        return {}
    row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
    result = lyrics.refine(session.image)
    if row >= len(result.detections):  # a text line's row: the table shows them once read (cached)
        result = lyrics.refine(session.image, read_text=True)
    texts = result.texts or []
    if len(result.detections) <= row < len(result.detections) + len(texts):
        index = row - len(result.detections)
        line = texts[index]
        region = session.new_region(source=result.text_ids()[index])
        region.mask = polygon_mask(line.polygon, result.size)
        region.box = [float(v) for v in line.box]
        gr.Info(f'{region.source} (text "{line.text}") is now {region.id}')
        return {"chips": chips_html(session)}
    if not 0 <= row < len(result.detections):
        return {}
    region = session.new_region(source=result.object_ids()[row])
    region.mask = result.detections.mask[row].copy()
    region.box = [float(v) for v in result.detections.xyxy[row]]
    gr.Info(f"{region.source} ({result.labels[row]}) is now {region.id}")
    return {"chips": chips_html(session)}


# ---- chat -------------------------------------------------------------------------------------------

def add_user_message(message: str | None, history: list[dict]) -> Update:
    """Move the typed message into the chat (an empty one changes nothing)."""
    message = (message or "").strip()
    if not message:
        return {}
    return {"message": "", "chatbot": history + [{"role": "user", "content": message}]}


def drop_last_answer(history: list[dict]) -> Update:
    """Before "Regenerate": remove the last answer and its notes, so the question is answered again."""
    while history and history[-1]["role"] == "assistant":
        history = history[:-1]
    return {"chatbot": history}


def answer(lyrics: Lyrics, session: DemoSession, history: list[dict], max_new_tokens: int, temperature: float,
           top_p: float, repetition_penalty: float) -> Iterator[Update]:
    """Stream the answer to the last user message into the chat, then add the refiner's check of the
    regions it discusses and draw what it pointed at. The session's stop switch ends it early."""
    if not history or history[-1]["role"] != "user":
        return
    if session.image is None:
        yield {"chatbot": history + [{"role": "assistant", "content": NO_IMAGE}]}
        return
    question = message_text(history[-1])
    stop_event = session.start_answer()
    if not lyrics.language_model_loaded:
        yield {"chatbot": history + [{"role": "assistant", "content": "", "metadata": {"title": LOADING_LLM}}]}
        lyrics.language_model
        if stop_event.is_set():  # stopped while the model loaded
            yield {"chatbot": history}
            return
    regions = session.finished_regions()
    reply = {"role": "assistant", "content": ""}
    history = history + [reply]
    earlier = model_messages(history[:-1])
    session.answer_turn += 1
    session.answer_links = []
    text, linked_upto = "", ""
    try:
        for chunk in lyrics.chat_stream(session.image, earlier, regions=regions,
                                        stop_event=stop_event, max_new_tokens=int(max_new_tokens),
                                        temperature=float(temperature), top_p=float(top_p),
                                        repetition_penalty=float(repetition_penalty)):
            text += chunk
            update: Update = {}
            whole = whole_sentences(text)
            if whole != linked_upto:  # a sentence is whole: its phrases link now
                linked_upto = whole
                update["answer_focus"] = _link_answer(lyrics, session, whole, regions, earlier)
            reply["content"] = _linked_reply(session, text)
            yield {"chatbot": history, **update}
    except LyricsError as err:  # the question stays, so Regenerate asks it again; what was said so far stays too
        note("chat", str(err))
        hint = " Press Regenerate to ask again once it answers." if isinstance(err, LLMServerError) else ""
        title = "⚠️ The answer broke off" if text else "⚠️ No answer"
        history = (history if text else history[:-1]) + [
            {"role": "assistant", "content": f"{err}.{hint}", "metadata": {"title": title}}]
        yield {"chatbot": history}
        return
    focus = _link_answer(lyrics, session, text, regions, earlier) if text != linked_upto else None
    reply["content"] = _linked_reply(session, text)
    review = lyrics.review_answer(session.image, question, text, regions=regions)
    session.references = [r.to_json() for r in review.references]
    if review.checks:
        title = "⚠️ Refiner disagrees" if review.disagrees else "✔ Refiner check"
        history = history + [{"role": "assistant", "content": review.checks_text(), "metadata": {"title": title}}]
    update = {"chatbot": history, "overlay": overlay_picture(lyrics, session)}
    yield update if focus is None else {**update, "answer_focus": focus}


def _link_answer(lyrics: Lyrics, session: DemoSession, text: str, regions, earlier: list[dict]) -> str:
    """Link the phrases of `text` (the answer so far, whole sentences) into the session; the focus images."""
    session.answer_links = lyrics.answer_links(session.image, text, regions=regions, history=earlier)
    return answer_focus_html(lyrics, session)


def _linked_reply(session: DemoSession, text: str) -> str:
    colours = {r.id: r.color_index for r in session.regions}
    return linked_html(text, session.answer_links, session.answer_turn, colours)


def answer_focus_html(lyrics: Lyrics, session: DemoSession) -> str:
    """The answer focus's images for the session's latest links, at the overlay's display size."""
    if not session.answer_links or session.image is None:
        return focus_html([])
    result, size = lyrics.refine(session.image), picture_size(session)
    colours = {r.id: r.color_index for r in session.regions}
    images = []
    for k, link in enumerate(session.answer_links):
        masks = link_masks(result, session, link, size)
        if masks:
            images.append((f"{session.answer_turn}-{k}", focus_image(masks, link_colour(link, colours))))
    return focus_html(images)


def link_as_region(lyrics: Lyrics, session: DemoSession, evt: gr.EventData) -> Update:
    """A chosen phrase ({"link": "3-0"}) of the latest answer: each object it names becomes a region (one it
    already is stays); a region it names is highlighted."""
    data = getattr(evt, "_data", None) or {}
    turn, _, index = str(data.get("link", "")).partition("-")
    if session.image is None or turn != str(session.answer_turn) or not index.isdigit() or \
            int(index) >= len(session.answer_links):
        return {}
    link = session.answer_links[int(index)]
    result = lyrics.refine(session.image)
    ids = result.object_ids()
    made = []
    for thing in link.things:
        if thing.id in ids and not any(r.source == thing.id for r in session.regions):
            i = ids.index(thing.id)
            region = session.new_region(source=thing.id)
            region.mask = result.detections.mask[i].copy()
            region.box = [float(v) for v in result.detections.xyxy[i]]
            made.append(f"{thing.id} is now {region.id}")
        elif session.region(thing.id) is not None:
            session.focus = thing.id
    if made:
        gr.Info(f"“{link.phrase}”: " + ", ".join(made))
    return {"chips": chips_html(session)}


def stop_answer(session: DemoSession) -> None:
    """"Stop": the running answer ends after its current token; what it said so far stays."""
    session.stop_answer()


def clear_chat(lyrics: Lyrics, session: DemoSession) -> Update:
    session.references, session.answer_links = [], []
    return {"chatbot": [], "overlay": overlay_picture(lyrics, session), "answer_focus": focus_html([])}


def export_session(lyrics: Lyrics, session: DemoSession, history: list[dict]) -> Update:
    """Write the refinement JSON (with regions and chat) and the overlay PNG; show both files."""
    if session.image is None:
        gr.Info(NO_IMAGE)
        return {}
    result = lyrics.refine(session.image, read_text=True)  # an export carries the text read
    json_path, png_path = write_export(result, session, history,
                                       render_overlay(result, session, display=False))
    return {"export_json": gr.update(value=json_path, visible=True),
            "export_png": gr.update(value=png_path, visible=True)}
