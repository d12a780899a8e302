"""What the demo accepts from visitors and how long it keeps it.

- Images are accepted only as files uploaded to this server (Gradio's upload folder), with symlinks
  followed: a client cannot make the demo read another file on the machine by naming its path.
- Uploads are at most `MAX_UPLOAD_SIZE`; uploads and exports are deleted `CACHE_LIFETIME_S` after
  they were written (`DELETE_CACHE`, Gradio's `delete_cache`), and all of them when the server stops.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import gradio as gr
from gradio.exceptions import InvalidPathError
from gradio.utils import get_upload_folder

from .refusals import refused

MAX_UPLOAD_SIZE = "20mb"
CACHE_LIFETIME_S = 3600
DELETE_CACHE = (600, CACHE_LIFETIME_S)  # every 10 minutes, delete what is older than an hour
SEND_AS_UPLOAD = ("send the image as an upload (gradio_client: handle_file(path)); "
                  "paths of files on the server are not accepted")
NO_IMAGE = "no image: send an image file"


def upload_folder() -> Path:
    """Where Gradio stores this server's uploads ($GRADIO_TEMP_DIR, default <tmp>/gradio), resolved."""
    return Path(get_upload_folder()).resolve()


def require_upload(path) -> str:
    """`path` resolved (symlinks followed) if it lies in this server's upload folder.

    Raises gr.Error without telling whether a refused path exists.
    """
    if not path:
        raise gr.Error(NO_IMAGE, print_exception=False)
    if not isinstance(path, (str, os.PathLike)):
        raise gr.Error(SEND_AS_UPLOAD, print_exception=False)
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(upload_folder()):
        raise gr.Error(SEND_AS_UPLOAD, print_exception=False)
    return str(resolved)


def export_folder() -> Path:
    """A new folder for one export, inside the upload folder so that `delete_cache` removes it."""
    parent = upload_folder() / "lyrics-exports"
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=parent))


class UploadOnlyBlocks(gr.Blocks):
    """`gr.Blocks` whose refusal of a file path that was not uploaded reaches the client as a clear
    message (Gradio's own check raises an `InvalidPathError` that clients see as a bare error and
    that prints a traceback in the server log)."""

    async def preprocess_data(self, block_fn, *args, **kwargs):
        try:
            return await super().preprocess_data(block_fn, *args, **kwargs)
        except InvalidPathError:
            where = f"/{block_fn.api_name}" if getattr(block_fn, "api_name", None) else "upload"
            raise refused(where, SEND_AS_UPLOAD) from None
