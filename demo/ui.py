"""The Gradio Blocks app: layout, and the wiring of `handlers` to its components.

One screen: the image panel (upload, then the overlay to click on) beside the chat; tags, objects,
layers, generation settings, export and models in tabs below.
"""

from __future__ import annotations

import functools
import inspect

import gradio as gr

from lyrics_model import Lyrics

from . import handlers
from .answer_focus import answer_focus as answer_focus_component
from .api import Endpoints
from .layers import Layers
from .region_chips import region_chips
from .session import DemoSession
from .uploads import DELETE_CACHE, UploadOnlyBlocks
from .zerogpu import gpu_task

EXAMPLES = ["assets/astronaut.jpg", "assets/cat.jpg", "assets/coffee.jpg", "assets/cameraman.jpg", "assets/rocket.jpg"]
PANEL_HEIGHT = 420  # px: the image panel and the chat, side by side, fit a 1366x768 screen
CSS = """
#overlay img {cursor: crosshair}
#status, #models-banner {font-size: 0.8em}
"""


def models_markdown(lyrics: Lyrics) -> str:
    info = lyrics.describe()
    rows = [f"**Profile:** `{info['profile']}` (requested `{info['requested_profile']}`) · **Mode:** {info['mode']}", "",
            "| role | model | weights from | licence |", "|---|---|---|---|"]
    for role, item in info["roles"].items():
        origin = ("⚠️ " if item.get("unavailable") else "") + item["origin"]
        origin += f" (fallback: {item['fallback']})" if item["fallback"] else ""
        origin += f"; grounded-text adapter {item['adapter']}" if item.get("adapter") else ""
        origin += f" ({item['note']})" if item.get("note") else ""
        rows.append(f"| {role} | {item['model']} | {origin} | {item['licence']} |")
    return "\n".join(rows)


def models_banner(lyrics: Lyrics) -> str:
    """One visible line: the profile, the model of each role, the chat mode, and any fallback."""
    info = lyrics.describe()
    roles = info["roles"]
    models = " · ".join(f"{role.replace('_', ' ')}: {item['model']}"
                        + (" + grounded-text adapter" if item.get("adapter") else "")
                        + (f" on the server at {item['endpoint']}" if item.get("endpoint") else "")
                        for role, item in roles.items() if not item.get("unavailable"))
    line = f"Running the **{info['profile']}** profile ({info['mode']} mode) — {models}."
    fallbacks = [role for role, item in roles.items() if item["fallback"]]
    if fallbacks:
        line += f" ⚠️ {', '.join(fallbacks)} fell back to offline models (no weights could be had); see *Models*."
    missing = [role.replace("_", " ") for role, item in roles.items() if item.get("unavailable")]
    if missing:
        line += f" ⚠️ No {', '.join(missing)}: no text is read (see *Models*); everything else works."
    return line


def bind(handler, lyrics: Lyrics, components: dict[str, gr.components.Component]):
    """`handler` as Gradio calls it: `lyrics` filled in (when it takes one) and its {name: value}
    results keyed by component. Gradio reads the remaining signature (event data, progress)."""
    signature = inspect.signature(handler)
    takes_lyrics = next(iter(signature.parameters)) == "lyrics"
    args = (lyrics,) if takes_lyrics else ()

    def keyed(update: dict | None):
        if update is None:
            return None
        if not update:  # nothing to change: Gradio reads an empty dict as one missing value per output
            return gr.skip()
        return {components[name]: value for name, value in update.items()}

    if inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def call(*inputs):
            for update in handler(*args, *inputs):
                yield keyed(update)
    else:
        @functools.wraps(handler)
        def call(*inputs):
            return keyed(handler(*args, *inputs))
    parameters = list(signature.parameters.values())[len(args):]
    call.__signature__ = signature.replace(parameters=parameters)
    return call


def build_demo(lyrics: Lyrics) -> gr.Blocks:
    """The demo app over one shared `Lyrics` (models load once and are only read).

    The LLM loads on the first chat (with a note in the chat) unless the caller loaded it already,
    as app.py does before serving.
    """
    with UploadOnlyBlocks(title="Lyrics: grounded vision-language chat", delete_cache=DELETE_CACHE) as demo:
        session = gr.State(DemoSession())
        gr.Markdown("**Lyrics** · upload a photo: it is tagged, its objects detected and segmented. Click the "
                    "picture to select a region (green point = object, red = background), then ask about `region1`, "
                    "`obj2` or the whole image.")
        gr.Markdown(models_banner(lyrics), elem_id="models-banner")
        with gr.Row(equal_height=False):
            with gr.Column(scale=6, min_width=420):
                image_input = gr.Image(label="Image: upload, paste or take a photo", type="filepath",
                                       sources=["upload", "clipboard", "webcam"], height=PANEL_HEIGHT,
                                       elem_id="image-input")
                overlay = gr.Image(label="What the model sees: click to select a region", interactive=False,
                                   height=PANEL_HEIGHT, elem_id="overlay", format="jpeg", visible=False,
                                   buttons=["fullscreen"])
                with gr.Row(elem_id="region-tools"):
                    point_mode = gr.Radio(["positive point", "negative point"], value="positive point",
                                          show_label=False, container=False, elem_id="point-mode", scale=3,
                                          min_width=260)
                    new_region = gr.Button("New region", size="sm", scale=1, min_width=90)
                    clear_regions = gr.Button("Clear regions", size="sm", scale=1, min_width=90)
                    replace_image = gr.Button("Replace image", size="sm", scale=1, min_width=90, visible=False,
                                              elem_id="replace-image")
                    keep_image = gr.Button("Back to the image", size="sm", scale=1, min_width=90, visible=False,
                                           elem_id="keep-image")
                chips = region_chips()
                status = gr.Markdown("", elem_id="status")
                gr.Examples(EXAMPLES, inputs=image_input, label="Examples", elem_id="examples")
            with gr.Column(scale=5, min_width=380):
                chatbot = gr.Chatbot(label="Chat", height=PANEL_HEIGHT, elem_id="chatbot")
                answer_focus = answer_focus_component()
                with gr.Row():
                    message = gr.Textbox(placeholder="Ask about the image, e.g. What is region1?", show_label=False,
                                         elem_id="message", max_length=4000, scale=5, lines=1)
                    send = gr.Button("Send", variant="primary", elem_id="send", scale=1, min_width=70)
                with gr.Row():
                    stop = gr.Button("Stop", variant="stop", size="sm", elem_id="stop")
                    regenerate = gr.Button("Regenerate", size="sm", elem_id="regenerate")
                    clear_chat = gr.Button("Clear chat", size="sm", elem_id="clear-chat")
        with gr.Tabs():
            with gr.Tab("Tags and objects"):
                tags = gr.Radio([], label="Tags (choose one to show only its objects)", elem_id="tags")
                objects = gr.Dataframe(headers=["id", "label", "score", "box (px)", "box (0-1)"], interactive=False,
                                       label="Objects (choose a row to use it as a region)", elem_id="objects")
            with gr.Tab("Layers"):
                defaults = Layers()
                with gr.Row():
                    show_masks = gr.Checkbox(defaults.masks, label="Masks")
                    show_boxes = gr.Checkbox(defaults.boxes, label="Boxes")
                    show_labels = gr.Checkbox(defaults.labels, label="Labels")
                    show_text = gr.Checkbox(defaults.text, label="Text", elem_id="show-text")
                    show_answer = gr.Checkbox(defaults.answer, label="Answer (what the latest answer names)")
                min_score = gr.Slider(0, 1, value=defaults.min_score, step=0.05, label="Minimum confidence")
                max_objects = gr.Slider(1, 50, value=defaults.max_objects, step=1, label="Max objects")
            with gr.Tab("Generation"):
                max_new_tokens = gr.Slider(16, 512, value=96, step=16, label="Max new tokens")
                temperature = gr.Slider(0, 1.5, value=0.0, step=0.05, label="Temperature (0 = greedy)")
                top_p = gr.Slider(0.05, 1, value=0.9, step=0.05, label="Top-p")
                repetition_penalty = gr.Slider(1.0, 2.0, value=1.1, step=0.05, label="Repetition penalty")
            with gr.Tab("Export"):
                export = gr.Button("Export JSON + PNG", elem_id="export")
                with gr.Row():
                    export_json = gr.File(label="Refinement JSON", visible=False, elem_id="export-json")
                    export_png = gr.File(label="Overlay PNG", visible=False, elem_id="export-png")
            with gr.Tab("Models"):
                gr.Markdown(models_markdown(lyrics))

        components = dict(image_input=image_input, overlay=overlay, replace_image=replace_image, keep_image=keep_image,
                          status=status, tags=tags, objects=objects, chips=chips, message=message, chatbot=chatbot,
                          export_json=export_json, export_png=export_png, answer_focus=answer_focus)

        def on(triggers, handler, inputs, outputs: str, gpu=True, **options):
            """Wire `handler` (outputs: the component names it may return, space-separated)."""
            fn = bind(handler, lyrics, components)
            return gr.on(triggers, gpu_task(fn) if gpu else fn, inputs, [components[n] for n in outputs.split()],
                         api_visibility="private", **options)

        quiet = {"show_progress": "hidden"}  # fast updates that should not flash a loading state
        panel = "image_input overlay replace_image keep_image"
        # The raw upload goes to our own loader: a server path is refused, a corrupt file gets our message.
        loaded = on([image_input.change], handlers.load_image, [session, image_input],
                    f"{panel} status tags objects chips chatbot", preprocess=False, concurrency_limit=2)
        # The text is read after the first paint, so a photo shows as fast as before.
        loaded.then(gpu_task(bind(handlers.read_text, lyrics, components)), session,
                    [overlay, objects, status], api_visibility="private", concurrency_limit=2, show_progress="hidden")
        on([replace_image.click], handlers.show_uploader, [session], panel, gpu=False, queue=False)
        on([keep_image.click], handlers.keep_image, [session], panel, gpu=False, queue=False)
        layer_inputs = [show_masks, show_boxes, show_labels, min_score, max_objects, show_text, show_answer]
        on([c.change for c in layer_inputs], handlers.set_layers, [session, *layer_inputs], "overlay",
           concurrency_limit=4, **quiet)
        on([tags.input], handlers.highlight_tag, [session, tags], "overlay", **quiet)

        # Region edits answer with the chips at once; the overlay is redrawn right after.
        redraw = gpu_task(bind(handlers.redraw, lyrics, components))
        region_edits = [
            on([overlay.select], handlers.click_point, [session, point_mode], "chips", concurrency_limit=4, **quiet),
            on([chips.click], handlers.chip_action, [session], "chips", gpu=False, queue=False, **quiet),
            on([objects.select], handlers.object_as_region, [session], "chips", **quiet),
            on([clear_regions.click], handlers.clear_regions, [session], "chips", gpu=False, queue=False, **quiet),
            on([answer_focus.click], handlers.link_as_region, [session], "chips", **quiet),
        ]
        for edit in region_edits:
            edit.then(redraw, session, overlay, api_visibility="private", concurrency_limit=4, **quiet)
        on([new_region.click], handlers.new_region, [session], "chips", gpu=False, queue=False, **quiet)

        generation = [max_new_tokens, temperature, top_p, repetition_penalty]
        asked = on([send.click, message.submit], handlers.add_user_message, [message, chatbot], "message chatbot",
                   gpu=False, queue=False, **quiet)
        again = on([regenerate.click], handlers.drop_last_answer, [chatbot], "chatbot", gpu=False, queue=False, **quiet)
        answer = gpu_task(bind(handlers.answer, lyrics, components))
        for step in (asked, again):
            step.then(answer, [session, chatbot, *generation], [chatbot, overlay, answer_focus], api_visibility="private",
                      concurrency_limit=lyrics.max_batch, concurrency_id="chat")  # decoded together as one batch
        on([stop.click], handlers.stop_answer, [session], "", gpu=False, queue=False)
        on([clear_chat.click], handlers.clear_chat, [session], "chatbot overlay answer_focus", **quiet)
        on([export.click], handlers.export_session, [session, chatbot], "export_json export_png")

        _api(Endpoints(lyrics))
    return demo


def _api(endpoints: Endpoints) -> None:
    """The programmatic endpoints (/refine, /segment_point, /chat, /chat_stream, /chat_links, /answer_links) on
    hidden components."""
    with gr.Column(visible=False):
        image = gr.File(type="filepath", file_types=["image"])
        points, labels = gr.JSON(), gr.JSON()
        message, history, regions = gr.Textbox(), gr.JSON(), gr.JSON()
        refined, answer = gr.JSON(), gr.Textbox()
        trigger = gr.Button()
    trigger.click(gpu_task(endpoints.refine), image, refined, api_name="refine", concurrency_limit=2)
    trigger.click(gpu_task(endpoints.segment_point), [image, points, labels], refined, api_name="segment_point",
                  concurrency_limit=4)
    chats = {"concurrency_limit": endpoints.lyrics.max_batch, "concurrency_id": "chat"}  # one batch for both
    trigger.click(gpu_task(endpoints.chat), [image, message, history, regions], answer, api_name="chat", **chats)
    trigger.click(gpu_task(endpoints.chat_stream), [image, message, history, regions], answer, api_name="chat_stream",
                  **chats)
    trigger.click(gpu_task(endpoints.chat_links), [image, message, history, regions], refined, api_name="chat_links",
                  **chats)
    trigger.click(gpu_task(endpoints.answer_links), [image, message, history, regions], refined,
                  api_name="answer_links", concurrency_limit=4)
