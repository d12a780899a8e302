"""The region chips: one per region, in its overlay colour, with its box, a name to choose it and × to remove it.

The chips are a `gr.HTML` whose script sends `click` events carrying {"region": id, "action":
"focus" | "remove"}; `handlers.chip_action` receives them.
"""

from __future__ import annotations

import html

import gradio as gr

from lyrics_model import normalise_box

from .overlay_view import region_color
from .session import DemoSession

NO_REGIONS = "<i>No regions yet: click on the image to select one.</i>"

CHIP_CSS = """
.region-chip {display:inline-flex; align-items:center; gap:4px; padding:1px 4px 1px 10px; margin:2px;
              border-radius:12px; color:#000; font-size:0.9em; border:2px solid transparent}
.region-chip.focused {border-color:#000}
.region-chip button {background:none; border:none; color:#000; cursor:pointer; padding:0 4px; font:inherit}
.region-chip .chip-remove {font-weight:bold; font-size:1.1em}
"""

# Delegated from the component's root, so it survives re-rendering of the chips.
CHIP_SCRIPT = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  const chip = button && button.closest('[data-region]');
  if (chip) trigger('click', {region: chip.dataset.region, action: button.dataset.action});
});
"""


def region_chips() -> gr.HTML:
    """The chips component (element id `region-chips`)."""
    return gr.HTML(NO_REGIONS, css_template=CHIP_CSS, js_on_load=CHIP_SCRIPT, elem_id="region-chips")


def chips_html(session: DemoSession) -> str:
    """The chips for the session's regions: "region1 ✎ [x1, y1, x2, y2] px ×" (✎: receives clicks)."""
    if not session.regions:
        return NO_REGIONS
    return "".join(_chip(session, region) for region in session.regions)


def _chip(session: DemoSession, region) -> str:
    name = region.id + (" ✎" if region.id == session.active else "")
    if region.mask is None:
        where, title = "waiting for a click", ""
    else:
        where = "[" + ", ".join(f"{v:.0f}" for v in region.box) + "] px"
        title = "normalised box [" + ", ".join(f"{v:.3f}" for v in normalise_box(region.box, session.size)) + "]"
    focused = " focused" if region.id == session.focus else ""
    rid = html.escape(region.id)
    return (f'<span class="region-chip{focused}" data-region="{rid}" title="{html.escape(title)}" '
            f'style="background:{region_color(region.color_index)}">'
            f'<button data-action="focus" title="Highlight {rid}; clicks refine it">{html.escape(name)}</button>'
            f'<span class="chip-box">{html.escape(where)}</span>'
            f'<button class="chip-remove" data-action="remove" aria-label="Remove {rid}" title="Remove {rid}">×</button>'
            "</span>")
