"""Lyrics web demo: `python app.py [--profile P] [--host H] [--port N] [--bridge DIR] [--adapter DIR | --no-adapter]
[--llm-url URL [--llm-model NAME]]`.

This is also the Hugging Face Space entry point. Environment variables give the defaults:
LYRICS_PROFILE (auto), LYRICS_BRIDGE (none), LYRICS_LLM_URL and LYRICS_LLM_MODEL (none: the LLM runs in
this process), GRADIO_SERVER_NAME (127.0.0.1), GRADIO_SERVER_PORT (7860). The language model server's key
comes from LYRICS_LLM_API_KEY or OPENAI_API_KEY (never from the command line, where `ps` shows it).
"""

from __future__ import annotations

import argparse
import logging
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr  # noqa: E402

from demo import build_demo  # noqa: E402
from demo.ui import CSS  # noqa: E402
from demo.uploads import MAX_UPLOAD_SIZE  # noqa: E402
from lyrics_model import Lyrics  # noqa: E402
from lyrics_model.lyrics import BRIDGE_NEEDS_LOCAL_LLM  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default=os.environ.get("LYRICS_PROFILE", "auto"),
                        help="auto, offline, cpu or gpu (default: $LYRICS_PROFILE or auto)")
    parser.add_argument("--bridge", default=os.environ.get("LYRICS_BRIDGE") or None,
                        help="a trained bridge checkpoint folder: chat in bridge mode")
    parser.add_argument("--adapter", default="default",
                        help="a grounded-text LoRA adapter folder (default: the one shipped for the profile's LLM)")
    parser.add_argument("--no-adapter", action="store_true",
                        help="chat with the base LLM, without the grounded-text adapter shipped for it")
    parser.add_argument("--llm-url", default=os.environ.get("LYRICS_LLM_URL") or None,
                        help="an OpenAI-compatible server's base URL (e.g. http://127.0.0.1:8000/v1): the language "
                             "model answers there (grounded-text mode); default $LYRICS_LLM_URL")
    parser.add_argument("--llm-model", default=os.environ.get("LYRICS_LLM_MODEL") or None,
                        help="the model name on that server (default $LYRICS_LLM_MODEL, else the first it lists)")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.llm_url and args.bridge:
        parser.error(BRIDGE_NEEDS_LOCAL_LLM)
    print(f"Loading the {args.profile} profile...", flush=True)
    lyrics = Lyrics.from_profile(args.profile, bridge=args.bridge, adapter=None if args.no_adapter else args.adapter,
                                 llm_url=args.llm_url or "", llm_model=args.llm_model)
    if lyrics.remote_llm is not None:
        problem = lyrics.remote_llm.check()  # a server that is down now only delays the answers
        llm = lyrics.describe()["roles"]["llm"]
        print(f"Language model: {llm['model']} on the server at {llm['endpoint']}"
              + (f" (not answering yet: {problem})" if problem else ""), flush=True)
    else:
        print(f"Loading the language model ({lyrics.describe()['roles']['llm']['model']})...", flush=True)
        lyrics.language_model  # before serving, so the first question is answered at once
    demo = build_demo(lyrics)
    demo.queue(max_size=32, default_concurrency_limit=2)
    demo.launch(server_name=args.host, server_port=args.port, ssr_mode=False, css=CSS, theme=gr.themes.Soft(),
                max_file_size=MAX_UPLOAD_SIZE)


if __name__ == "__main__":
    main()
