"""The Lyrics web demo (Gradio). It uses only the public API of `lyrics_model`."""

from .ui import build_demo

__all__ = ["build_demo"]
