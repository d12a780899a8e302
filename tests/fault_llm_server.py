"""A chat completions endpoint that fails on purpose, for the faults a real server cannot be made to show on
demand: `python tests/fault_llm_server.py PORT`, then base URL http://127.0.0.1:PORT/FAULT/v1 with FAULT
one of:

- key: checks the bearer key as vLLM's `--api-key` does (the right one is `right-key`), then answers "ok";
- failing: HTTP 500 with an OpenAI-style error body;
- strict: refuses (HTTP 422) a request with a field outside the OpenAI API (`repetition_penalty`) or with
  `stream_options`, naming them as `transformers serve` names unexpected fields, else answers "ok";
- garbled: HTTP 200, an event stream whose data is not JSON;
- slow: sends the response head, then nothing for a minute;
- cut: streams the first words of an answer (`CUT_WORDS`), then ends the response cleanly with no
  `finish_reason` and no `[DONE]`, as a server or proxy that drops an answer without a reset does;
- short: streams the same words, then ends with `finish_reason` "length" and a usage report of
  `len(CUT_WORDS)` completion tokens, whatever `max_tokens` asked for (a server's own length limit).

Only these faults come from here; answers come from a real server (`transformers serve`) in the tests.
"""

from __future__ import annotations

import asyncio
import json
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

RIGHT_KEY = "right-key"
CUT_WORDS = ("A", " cat", " sat")


def _chunk(text: str | None = None, finish_reason: str | None = None, completion_tokens: int | None = None) -> str:
    """One server-sent event: a chat completion chunk with `text`, or the last one (`finish_reason`, usage)."""
    choice = {"index": 0, "delta": {"content": text} if text is not None else {}, "finish_reason": finish_reason}
    chunk = {"id": "1", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": [choice]}
    if completion_tokens is not None:
        chunk["usage"] = {"prompt_tokens": 10, "completion_tokens": completion_tokens,
                          "total_tokens": 10 + completion_tokens}
    return f"data: {json.dumps(chunk)}\n\n"


async def chat(request: Request):
    fault = request.path_params["fault"]
    if fault == "key" and request.headers.get("authorization") != f"Bearer {RIGHT_KEY}":
        return JSONResponse({"error": {"message": "Unauthorized", "type": "invalid_api_key"}}, status_code=401)
    if fault == "failing":
        return JSONResponse({"error": {"message": "CUDA out of memory", "type": "server_error"}}, status_code=500)
    if fault == "strict" and (unexpected := {"repetition_penalty", "stream_options"} & set(await request.json())):
        return JSONResponse({"detail": f"Unexpected fields in the request: {unexpected}"}, status_code=422)

    async def events():
        if fault == "garbled":
            yield "data: this is not json\n\n"
        elif fault == "slow":
            await asyncio.sleep(60)
        elif fault in ("cut", "short"):
            for word in CUT_WORDS:
                yield _chunk(word)
            if fault == "short":
                yield _chunk(finish_reason="length", completion_tokens=len(CUT_WORDS))
                yield "data: [DONE]\n\n"
        else:
            yield _chunk("ok")
            yield _chunk(finish_reason="stop", completion_tokens=1)
            yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


async def models(request: Request):
    return JSONResponse({"object": "list", "data": [{"id": "m", "object": "model", "owned_by": "test"}]})


app = Starlette(routes=[Route("/{fault}/v1/chat/completions", chat, methods=["POST"]),
                        Route("/{fault}/v1/models", models)])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
