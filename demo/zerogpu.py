"""Run GPU work under `spaces.GPU` on Hugging Face ZeroGPU Spaces; elsewhere change nothing.

Every demo handler and API function that can reach a model is wrapped: refining, clicks, objects
as regions, chat, and every handler that redraws the overlay (a redraw refines again when the
image has left the cache).
"""

from __future__ import annotations

try:
    import spaces
except ImportError:  # not on a Space
    spaces = None


def gpu_task(fn):
    """Decorate `fn` with `spaces.GPU` when the `spaces` package is importable."""
    return spaces.GPU(fn) if spaces is not None else fn
