"""The Gradio Blocks app: overlays, tags, objects, click-to-refer regions, streamed chat, export."""

from __future__ import annotations

import html
import threading

import gradio as gr

from lyrics_model import Lyrics, LyricsError
from lyrics_model.dialogue.answer_check import check_region_answer, regions_discussed
from lyrics_model.refiner.result import normalise_box

from .api import Endpoints
from .chat_history import message_text, model_messages
from .export import write_export
from .overlay_view import Layers, region_color, render_overlay
from .session import DemoSession
from .uploads import DELETE_CACHE, UploadOnlyBlocks, require_upload
from .zerogpu import gpu_task

EXAMPLES = ["assets/astronaut.jpg", "assets/cat.jpg", "assets/coffee.jpg", "assets/cameraman.jpg", "assets/rocket.jpg"]
NO_IMAGE = "Upload an image first (or pick an example), then ask about it or click on it to select a region."
CSS = """
.region-chip {display:inline-block; padding:2px 10px; margin:2px; border-radius:12px; color:#000; font-size:0.9em}
#overlay img {cursor: crosshair}
"""


def models_markdown(lyrics: Lyrics) -> str:
    info = lyrics.describe()
    rows = [f"**Profile:** `{info['profile']}` (requested `{info['requested_profile']}`) · **Mode:** {info['mode']}", "",
            "| role | model | weights from | licence |", "|---|---|---|---|"]
    for role, item in info["roles"].items():
        origin = item["origin"] + (f" (fallback: {item['fallback']})" if item["fallback"] else "")
        origin += f"; grounded-text adapter {item['adapter']}" if item.get("adapter") else ""
        rows.append(f"| {role} | {item['model']} | {origin} | {item['licence']} |")
    return "\n".join(rows)


def models_banner(lyrics: Lyrics) -> str:
    """One visible line: the profile, the model of each role, the chat mode, and any fallback."""
    info = lyrics.describe()
    models = " · ".join(f"{role}: {item['model']}" + (" + grounded-text adapter" if item.get("adapter") else "")
                        for role, item in info["roles"].items())
    line = f"Running the **{info['profile']}** profile ({info['mode']} mode) — {models}."
    fallbacks = [role for role, item in info["roles"].items() if item["fallback"]]
    if fallbacks:
        line += f" ⚠️ {', '.join(fallbacks)} fell back to offline models (no weights could be had); see *Models*."
    return line


def chips_html(session: DemoSession, size) -> str:
    if not session.regions:
        return "<i>No regions yet: click on the image to select one.</i>"
    chips = []
    for region in session.regions:
        if region.mask is None:
            text = f"{region.id}: waiting for a click"
        else:
            px = ", ".join(f"{v:.0f}" for v in region.box)
            norm = ", ".join(f"{v:.3f}" for v in normalise_box(region.box, size))
            active = " ✎" if region.id == session.active else ""
            text = f"{region.id}{active} [{px}] px · [{norm}]"
        chips.append(f'<span class="region-chip" style="background:{region_color(region.color_index)}">'
                     f"{html.escape(text)}</span>")
    return "".join(chips)


def objects_table(result) -> list[list]:
    return [[o["id"], o["label"], o["score"], str([round(v) for v in o["box"]]), str(o["box_norm"])]
            for o in result.objects_json()]


def uploaded_path(payload) -> str | None:
    """The uploaded file's path inside `gr.Image`'s raw (unprocessed) payload; None when cleared."""
    return require_upload(payload.get("path")) if isinstance(payload, dict) else None


def build_demo(lyrics: Lyrics) -> gr.Blocks:
    """The demo app over one shared `Lyrics` (models load once and are only read).

    The LLM loads on the first chat (with a note in the chat) unless the caller loaded it already,
    as app.py does before serving.
    """
    endpoints = Endpoints(lyrics)

    def layers_from(masks, boxes, labels, min_score, max_objects) -> Layers:
        return Layers(masks, boxes, labels, float(min_score), int(max_objects))

    def view(session: DemoSession, layers: Layers):
        if session.image is None:
            return None
        return render_overlay(lyrics.refine(session.image), session, layers)

    # ---- image -------------------------------------------------------------------------------
    def no_image(session: DemoSession, status: str):
        """Outputs of `on_image` when there is no usable image: everything emptied."""
        session.reset(None)
        return (session, None, gr.update(choices=[], value=None), [], chips_html(session, (1, 1)),
                gr.update(choices=[], value=None), [], status)

    @gpu_task
    def on_image(path, session: DemoSession, masks, boxes, labels, min_score, max_objects, progress=gr.Progress()):
        layer_values = (masks, boxes, labels, min_score, max_objects)
        if not path:
            return no_image(session, "")
        try:
            progress(0.05, desc="Reading the image")
            loaded = lyrics.load(path)
            progress(0.2, desc="Refining: tagging, detecting, segmenting")
            result = lyrics.refine(loaded.rgb)
        except LyricsError as err:  # keep the previous image, regions and chat: nothing is lost
            gr.Warning(str(err))
            kept = [gr.skip()] * 6
            return (session, *kept, f"⚠️ {err}" + (" (the previous image is still loaded)" if session.image is not None
                                                   else ""))
        session.reset(loaded.rgb)
        timings = ", ".join(f"{k} {v:.0f} ms" for k, v in result.timings_ms.items())
        notes = "".join(f"<br>ℹ️ {n}" for n in loaded.notices + result.notices)
        status = f"{len(result.tags)} tags, {len(result.detections)} objects · {timings}{notes}"
        tags = ["all"] + [t.name for t in result.tags]
        return (session, view(session, layers_from(*layer_values)), gr.update(choices=tags, value="all"),
                objects_table(result), chips_html(session, result.size), gr.update(choices=[], value=None), [], status)

    @gpu_task
    def on_layers(session: DemoSession, *layer_values):
        return view(session, layers_from(*layer_values))

    @gpu_task
    def on_tag(tag, session: DemoSession, *layer_values):
        session.highlight = None if tag in (None, "all") else tag
        return session, view(session, layers_from(*layer_values))

    # ---- regions -----------------------------------------------------------------------------
    def region_outputs(session: DemoSession, layers: Layers):
        size = (session.image.shape[1], session.image.shape[0]) if session.image is not None else (1, 1)
        ids = [r.id for r in session.regions]
        return session, view(session, layers), chips_html(session, size), gr.update(choices=ids, value=None)

    @gpu_task
    def on_click(point_mode, session: DemoSession, masks, boxes, labels, min_score, max_objects,
                 evt: gr.SelectData):
        layers = layers_from(masks, boxes, labels, min_score, max_objects)
        if session.image is None:
            gr.Info(NO_IMAGE)
            return region_outputs(session, layers)
        x, y = float(evt.index[0]), float(evt.index[1])
        height, width = session.image.shape[:2]
        if not (0 <= x < width and 0 <= y < height):
            gr.Warning(f"the click ({x:.0f}, {y:.0f}) is outside the {width}x{height} image")
            return region_outputs(session, layers)
        label = 1 if point_mode.startswith("positive") else 0
        region = session.region(session.active)
        if region is None or region.source != "clicks":
            if label == 0:
                gr.Warning("start a region with a positive point (the object), then add negative points")
                return region_outputs(session, layers)
            region = session.new_region()
        try:
            click = lyrics.segment_point(session.image, region.points + [(x, y)], region.labels + [label])
        except LyricsError as err:
            gr.Warning(str(err))
            return region_outputs(session, layers)
        region.points.append((x, y))
        region.labels.append(label)
        if click.box is not None:
            region.mask, region.box = click.mask, click.box
        return region_outputs(session, layers)

    @gpu_task
    def on_new_region(session: DemoSession, *layer_values):
        session.active = None
        gr.Info("Click on the image to start the next region")
        return region_outputs(session, layers_from(*layer_values))

    @gpu_task
    def on_remove(region_id, session: DemoSession, *layer_values):
        if region_id:
            session.remove(region_id)
        return region_outputs(session, layers_from(*layer_values))

    @gpu_task
    def on_clear_regions(session: DemoSession, *layer_values):
        session.regions, session.active = [], None
        return region_outputs(session, layers_from(*layer_values))

    @gpu_task
    def on_object(session: DemoSession, masks, boxes, labels, min_score, max_objects, evt: gr.SelectData):
        layers = layers_from(masks, boxes, labels, min_score, max_objects)
        if session.image is None:
            return region_outputs(session, layers)
        result = lyrics.refine(session.image)
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        object_id = result.object_ids()[row]
        region = session.new_region(source=object_id)
        region.mask = result.detections.mask[row].copy()
        region.box = [float(v) for v in result.detections.xyxy[row]]
        gr.Info(f"{object_id} ({result.labels[row]}) is now {region.id}")
        return region_outputs(session, layers)

    # ---- chat --------------------------------------------------------------------------------
    stop_events: dict[str, threading.Event] = {}  # session hash -> the running answer's stop switch

    @gpu_task
    def answer(history, session: DemoSession, max_new_tokens, temperature, top_p, repetition_penalty,
               masks, boxes, labels, min_score, max_objects, request: gr.Request):
        layers = layers_from(masks, boxes, labels, min_score, max_objects)
        if not history or history[-1]["role"] != "user":
            yield history, session, gr.skip()
            return
        question = message_text(history[-1])
        if session.image is None:
            history.append({"role": "assistant", "content": NO_IMAGE})
            yield history, session, None
            return
        if not lyrics.language_model_loaded:
            history.append({"role": "assistant", "content": "", "metadata": {"title": "Loading the language model…"}})
            yield history, session, gr.skip()
            lyrics.language_model
            history.pop()
        regions = session.finished_regions()
        history.append({"role": "assistant", "content": ""})
        stop_event = stop_events[request.session_hash] = threading.Event()
        try:
            stream = lyrics.chat_stream(session.image, model_messages(history[:-1]), regions=regions,
                                        stop_event=stop_event, max_new_tokens=int(max_new_tokens),
                                        temperature=float(temperature), top_p=float(top_p),
                                        repetition_penalty=float(repetition_penalty))
            for chunk in stream:
                history[-1]["content"] += chunk
                yield history, session, gr.skip()
        except LyricsError as err:
            history[-1]["content"] = f"⚠️ {err}"
            yield history, session, gr.skip()
            return
        finally:
            stop_events.pop(request.session_hash, None)
        reply = history[-1]["content"]
        refs = lyrics.references(session.image, reply, regions=regions)
        session.references = [r.to_json() for r in refs]
        matches = lyrics.match_regions(session.image, regions)
        checks = [check_region_answer(reply, rid, matches[rid]) for rid in regions_discussed(question, reply, list(regions))]
        if checks:
            flagged = any(c.disagrees for c in checks)
            history.append({"role": "assistant", "content": "\n".join(c.to_text() for c in checks),
                            "metadata": {"title": ("⚠️ Refiner disagrees" if flagged else "✔ Refiner check")}})
        yield history, session, view(session, layers)

    def on_stop(request: gr.Request):
        if (event := stop_events.get(request.session_hash)) is not None:
            event.set()  # generation ends after the current token

    def add_user_message(message, history):
        message = (message or "").strip()
        if not message:
            return gr.update(), history, gr.update()
        return "", history + [{"role": "user", "content": message}], message

    def regenerate_setup(history):
        while history and history[-1]["role"] == "assistant":  # drop the answer and its notes
            history = history[:-1]
        return history

    @gpu_task
    def on_clear_chat(session: DemoSession, *layer_values):
        session.references = []
        return [], session, view(session, layers_from(*layer_values))

    @gpu_task
    def on_export(history, session: DemoSession, *layer_values):
        if session.image is None:
            gr.Info(NO_IMAGE)
            return None, None
        result = lyrics.refine(session.image)
        paths = write_export(result, session, history, render_overlay(result, session, layers_from(*layer_values)))
        return tuple(gr.update(value=path, visible=True) for path in paths)

    # ---- layout ------------------------------------------------------------------------------
    with UploadOnlyBlocks(title="Lyrics: grounded vision-language chat", delete_cache=DELETE_CACHE) as demo:
        session = gr.State(DemoSession())
        gr.Markdown("# Lyrics\nUpload a photo: the visual refiner tags it, detects and segments its objects. "
                    "Click on the right-hand view to select a region (green = object, red = background), "
                    "then ask about `region1`, `obj2`, or the whole image.")
        gr.Markdown(models_banner(lyrics), elem_id="models-banner")
        with gr.Accordion("Models", open=False):
            gr.Markdown(models_markdown(lyrics))
        with gr.Row():
            with gr.Column(scale=1):
                image_input = gr.Image(label="Image", type="filepath", sources=["upload", "clipboard", "webcam"],
                                       height=360, elem_id="image-input")
                gr.Examples(EXAMPLES, inputs=image_input, label="Examples", elem_id="examples")
                status = gr.Markdown("", elem_id="status")
            with gr.Column(scale=1):
                overlay = gr.Image(label="What the model sees (click to select a region)", interactive=False,
                                   height=360, elem_id="overlay", format="png")
                with gr.Row():
                    point_mode = gr.Radio(["positive point", "negative point"], value="positive point",
                                          show_label=False, elem_id="point-mode")
                    new_region = gr.Button("New region", size="sm")
                    clear_regions = gr.Button("Clear regions", size="sm")
                chips = gr.HTML("<i>No regions yet: click on the image to select one.</i>", elem_id="region-chips")
                remove_region = gr.Dropdown([], label="Remove a region", value=None)
        with gr.Row():
            with gr.Column(scale=1):
                tags = gr.Radio([], label="Tags (choose one to highlight its objects)", elem_id="tags")
                objects = gr.Dataframe(headers=["id", "label", "score", "box (px)", "box (0-1)"], interactive=False,
                                       label="Objects (choose a row to use it as a region)", elem_id="objects")
                with gr.Accordion("Overlay layers", open=False):
                    show_masks = gr.Checkbox(True, label="Masks")
                    show_boxes = gr.Checkbox(True, label="Boxes")
                    show_labels = gr.Checkbox(True, label="Labels")
                    min_score = gr.Slider(0, 1, value=0.0, step=0.05, label="Minimum confidence")
                    max_objects = gr.Slider(1, 50, value=20, step=1, label="Max objects")
                with gr.Row():
                    export = gr.Button("Export JSON + PNG")
                with gr.Row():
                    export_json = gr.File(label="Refinement JSON", visible=False, elem_id="export-json")
                    export_png = gr.File(label="Overlay PNG", visible=False, elem_id="export-png")
            with gr.Column(scale=1):
                chatbot = gr.Chatbot(label="Chat", height=420, elem_id="chatbot")
                message = gr.Textbox(placeholder="Ask about the image, e.g. What is region1?", show_label=False,
                                     elem_id="message", max_length=4000)
                with gr.Row():
                    send = gr.Button("Send", variant="primary", elem_id="send")
                    stop = gr.Button("Stop", variant="stop")
                    regenerate = gr.Button("Regenerate")
                    clear_chat = gr.Button("Clear")
                with gr.Accordion("Generation settings", open=False):
                    max_new_tokens = gr.Slider(16, 512, value=96, step=16, label="Max new tokens")
                    temperature = gr.Slider(0, 1.5, value=0.0, step=0.05, label="Temperature (0 = greedy)")
                    top_p = gr.Slider(0.05, 1, value=0.9, step=0.05, label="Top-p")
                    repetition_penalty = gr.Slider(1.0, 2.0, value=1.1, step=0.05, label="Repetition penalty")
        last_question = gr.State("")

        layer_inputs = [show_masks, show_boxes, show_labels, min_score, max_objects]
        generation = [max_new_tokens, temperature, top_p, repetition_penalty]
        private = {"api_visibility": "private"}

        # The raw upload goes to our own loader, so a corrupt file gets our message, not a component error.
        upload_path = gr.State(None)
        image_input.change(uploaded_path, image_input, upload_path, preprocess=False, queue=False, **private).then(
            on_image, [upload_path, session, *layer_inputs],
            [session, overlay, tags, objects, chips, remove_region, chatbot, status], concurrency_limit=2, **private)
        for control in layer_inputs:
            control.change(on_layers, [session, *layer_inputs], overlay, concurrency_limit=4, **private)
        tags.input(on_tag, [tags, session, *layer_inputs], [session, overlay], **private)
        region_targets = [session, overlay, chips, remove_region]
        overlay.select(on_click, [point_mode, session, *layer_inputs], region_targets, concurrency_limit=4,
                       **private)
        new_region.click(on_new_region, [session, *layer_inputs], region_targets, **private)
        remove_region.input(on_remove, [remove_region, session, *layer_inputs], region_targets, **private)
        clear_regions.click(on_clear_regions, [session, *layer_inputs], region_targets, **private)
        objects.select(on_object, [session, *layer_inputs], region_targets, **private)

        chat_inputs = [chatbot, session, *generation, *layer_inputs]
        chat_outputs = [chatbot, session, overlay]
        submit_events = []
        for trigger in (send.click, message.submit):
            event = trigger(add_user_message, [message, chatbot], [message, chatbot, last_question], queue=False,
                            **private)
            submit_events.append(event.then(answer, chat_inputs, chat_outputs, concurrency_limit=2, **private))
        regen = regenerate.click(regenerate_setup, chatbot, chatbot, queue=False, **private)
        submit_events.append(regen.then(answer, chat_inputs, chat_outputs, concurrency_limit=2, **private))
        stop.click(on_stop, None, None, cancels=submit_events, queue=False, **private)
        clear_chat.click(on_clear_chat, [session, *layer_inputs], [chatbot, session, overlay], **private)
        export.click(on_export, [chatbot, session, *layer_inputs], [export_json, export_png], **private)

        with gr.Column(visible=False):  # inputs/outputs of the programmatic API only
            api_image = gr.File(type="filepath", file_types=["image"])
            api_points, api_labels = gr.JSON(), gr.JSON()
            api_message, api_history, api_regions = gr.Textbox(), gr.JSON(), gr.JSON()
            api_json, api_answer = gr.JSON(), gr.Textbox()
            api_trigger = gr.Button()
        api_trigger.click(gpu_task(endpoints.refine), api_image, api_json, api_name="refine", concurrency_limit=2)
        api_trigger.click(gpu_task(endpoints.segment_point), [api_image, api_points, api_labels], api_json,
                          api_name="segment_point", concurrency_limit=4)
        api_trigger.click(gpu_task(endpoints.chat), [api_image, api_message, api_history, api_regions], api_answer,
                          api_name="chat", concurrency_limit=2)
    return demo
