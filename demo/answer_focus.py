"""The answer focus: hovering a linked phrase in the chat highlights what it names on the picture and dims
the rest, in the browser, with no round trip; choosing a phrase sends {"link": key} to make it a region.

For each link of the latest answer the server renders one RGBA image at the overlay's display size: the
phrase's masks tinted in its colour, everything else dimmed. The images wait, hidden, in this component;
its script lays the one for the hovered phrase over the overlay picture (`#overlay img`) while the mouse is
on the phrase.
"""

from __future__ import annotations

import base64
import html
import io

import gradio as gr
import numpy as np
from PIL import Image

#: Opacity (0-255) of the black laid over the rest of the picture, and of the colour over the masks.
DIM, TINT = 150, 70

FOCUS_CSS = """
#answer-focus {position:fixed; pointer-events:none; z-index:50; display:none}
#answer-focus img {width:100%; height:100%; display:none}
#answer-focus img.shown {display:block}
"""

# Delegated from the document, so phrases of any re-rendered chat message find their image; a phrase's key
# is its class "link-3-0" (`answer_phrases`).
FOCUS_SCRIPT = """
const key = (phrase) => { const c = [...phrase.classList].find((n) => n.startsWith('link-')); return c && c.slice(5); };
const layer = () => element.querySelector('#answer-focus');
const hide = () => { const l = layer(); if (l) { l.style.display = 'none';
  l.querySelectorAll('img.shown').forEach((i) => i.classList.remove('shown')); } };
document.addEventListener('mouseover', (event) => {
  const phrase = event.target.closest && event.target.closest('.answer-link');
  if (!phrase) return;
  const l = layer(), picture = document.querySelector('#overlay img');
  const image = l && l.querySelector(`img[data-link="${key(phrase)}"]`);
  if (!image || !picture) return;
  const r = picture.getBoundingClientRect();
  Object.assign(l.style, {left: r.left + 'px', top: r.top + 'px', width: r.width + 'px', height: r.height + 'px',
                          display: 'block'});
  l.querySelectorAll('img.shown').forEach((i) => i.classList.remove('shown'));
  image.classList.add('shown');
  window.__answerFocusShown = performance.now();
});
document.addEventListener('mouseout', (event) => {
  const phrase = event.target.closest && event.target.closest('.answer-link');
  if (phrase && !phrase.contains(event.relatedTarget)) hide();
});
document.addEventListener('click', (event) => {
  const phrase = event.target.closest && event.target.closest('.answer-link');
  if (phrase && key(phrase)) trigger('click', {link: key(phrase)});
});
"""


def answer_focus() -> gr.HTML:
    """The focus component (element id `answer-focus-images`), empty until an answer links something."""
    return gr.HTML(focus_html([]), css_template=FOCUS_CSS, js_on_load=FOCUS_SCRIPT, elem_id="answer-focus-images",
                   padding=False, container=False)


def focus_html(images: list[tuple[str, str]]) -> str:
    """The hidden layer with one image per link: images = [(key "3-0", PNG data URL)]."""
    tags = "".join(f'<img data-link="{html.escape(key)}" src="{url}" alt="">' for key, url in images)
    return f'<div id="answer-focus">{tags}</div>'


def focus_image(masks: list[np.ndarray], colour: str) -> str:
    """A PNG data URL: (h, w) RGBA at the masks' size, the union of `masks` ((h, w) bool, display pixels)
    tinted in `colour` ("#rrggbb"), the rest dimmed."""
    inside = np.logical_or.reduce(masks) if masks else None
    height, width = masks[0].shape
    rgba = np.zeros((height, width, 4), np.uint8)
    rgba[..., 3] = DIM
    if inside is not None:
        rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
        rgba[inside] = [*rgb, TINT]
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG", optimize=False, compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
