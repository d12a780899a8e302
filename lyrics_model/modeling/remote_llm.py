"""The language model on a server: streamed chat completions from any OpenAI-compatible endpoint (vLLM,
Hugging Face TGI and Inference Endpoints, llama.cpp's server, Ollama, LM Studio, `transformers serve`, a
hosted API), through the official `openai` client.

`RemoteLanguageModel` takes `BatchedGenerator`'s place in grounded-text mode: `stream(inputs, settings,
stop_event)` returns an iterator over the answer's text chunks, so the facts, the answer checks and the
streaming to the demo above it are the same. `inputs` carries `{"messages": [...]}` (system prompt with
the facts, then the conversation): the server applies its own model's chat template.

Each answer is read on its own thread, so one visitor's slow or broken answer never holds another's, and
Stop (or closing the iterator) ends the answer at once and closes its HTTP stream. Faults become one
`LLMServerError` each, with a message a visitor can act on (never the API key):
- the server cannot be reached: retried `retries` times (backoff 0.5 s, 1 s, ...) while nothing of the
  answer has arrived, then refused;
- nothing arrives for `read_timeout_s` (the server hangs or is overloaded): refused at once, not retried;
- the connection drops mid-answer, the server answers 4xx/5xx (401/403: the key), or sends a stream that
  is not chat completion chunks;
- the stream ends cleanly but cut: with no `finish_reason` (the `openai` client then just stops iterating),
  or with `finish_reason` "length" after fewer tokens than `max_tokens` asked for (the server's own limit,
  such as its context length, read from the usage it reports). The text sent before the cut has already
  been streamed; the error marks it as not whole.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import httpx2
import openai

from ..errors import LLMServerError
from .generation import GenerationSettings

log = logging.getLogger(__name__)

#: Environment variables the API key is read from, first found wins.
API_KEY_VARIABLES = ("LYRICS_LLM_API_KEY", "OPENAI_API_KEY")
#: Sent when no key is set: local servers ignore it; servers that check keys refuse it (401).
NO_KEY = "no-key"
#: Request fields a server may refuse, each then left out of this and later requests: the repetition
#: penalty (vLLM, TGI and llama.cpp take it) and the usage report that tells its own cut from max_tokens.
OPTIONAL_FIELDS = ("repetition_penalty", "stream_options")


@dataclass(frozen=True)
class LLMEndpoint:
    """Where the language model is served.

    url: the server's OpenAI-compatible base URL (e.g. http://127.0.0.1:8000/v1); a URL without a path
        gets `/v1`. model: the model name the server knows (None: the first one `/v1/models` lists).
    api_key: the bearer key (None: $LYRICS_LLM_API_KEY, else $OPENAI_API_KEY, else none); never shown.
    connect_timeout_s: seconds to open a connection. read_timeout_s: the longest wait for the next piece
        of an answer (the first one included). retries: extra tries when the server cannot be reached.
    """

    url: str
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    retries: int = 2

    @property
    def base_url(self) -> str:
        parts = urlsplit(self.url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"the language model URL must be http(s)://host[:port][/path], got {self.host!r}")
        path = parts.path.rstrip("/") or "/v1"
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))

    @property
    def host(self) -> str:
        """host[:port] of the URL, without any user name or password in it: what may be shown."""
        parts = urlsplit(self.url.strip())
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else "(no host)"

    def __repr__(self) -> str:  # the URL may hold a user name and password: only the host is shown
        return f"LLMEndpoint(host={self.host!r}, model={self.model!r})"

    def key(self) -> str | None:
        return self.api_key or next((os.environ[v] for v in API_KEY_VARIABLES if os.environ.get(v)), None)


_END = object()


class RemoteLanguageModel:
    """Answers through an OpenAI-compatible chat completions server (see the module docstring).

    Args:
        endpoint: the `LLMEndpoint`.
    """

    def __init__(self, endpoint: LLMEndpoint):
        self.endpoint = endpoint
        self.client = openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.key() or NO_KEY, max_retries=0,
                                    timeout=openai.Timeout(endpoint.read_timeout_s,
                                                           connect=endpoint.connect_timeout_s))
        self._model = endpoint.model
        self._refused: set[str] = set()  # the OPTIONAL_FIELDS this server refused

    @property
    def host(self) -> str:
        return self.endpoint.host

    @property
    def model_name(self) -> str | None:
        """The model answering: the one asked for, else the server's first once known, else None."""
        return self._model

    def stream(self, inputs: dict, settings: GenerationSettings, stop_event: threading.Event | None = None,
               reusable: int = 0) -> Iterator[str]:
        """Start one answer now and return an iterator over its text chunks as they arrive.

        inputs: {"messages": [{"role": "system"|"user"|"assistant", "content": str}, ...]}.
        Setting `stop_event`, or closing the iterator, ends the answer and closes its stream.
        reusable: ignored (a server keeps its own prefix cache). Raises LLMServerError while iterating.
        """
        stop_event = stop_event or threading.Event()
        chunks: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(list(inputs["messages"]), settings, stop_event, chunks),
                         daemon=True, name="lyrics-remote-llm").start()
        return self._chunks(chunks, stop_event)

    @contextmanager
    def expecting(self) -> Iterator[None]:
        """As `BatchedGenerator.expecting`: a server batches requests on its own, so nothing to wait for."""
        yield

    def clear_prefixes(self) -> None:
        """Nothing is kept here (the server keeps its own caches)."""

    def close(self, timeout: float = 5.0) -> None:
        self.client.close()

    def check(self) -> str | None:
        """None when the server lists its models, else why not (one line). Learns the model name."""
        try:
            self._resolve_model()
        except LLMServerError as err:
            return str(err)
        except openai.APIConnectionError as err:
            return f"the language model server at {self.host} cannot be reached ({_reason(err)})"
        return None

    # ---- one answer, on its own thread ----------------------------------------------------------

    @staticmethod
    def _chunks(chunks: queue.Queue, stop_event: threading.Event) -> Iterator[str]:
        try:
            while True:
                try:
                    item = chunks.get(timeout=0.05)
                except queue.Empty:
                    if stop_event.is_set():
                        return
                    continue
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop_event.set()  # the reader closes the stream

    def _read(self, messages: list[dict], settings: GenerationSettings, stop_event: threading.Event,
              chunks: queue.Queue) -> None:
        """Request the answer and put its text chunks on `chunks`, then `_END` or one LLMServerError."""
        answered, attempt, omit = False, 0, set(self._refused)
        while True:
            try:
                options = self._options(settings, omit)
                stream = self.client.chat.completions.create(model=self._resolve_model(), messages=messages,
                                                             stream=True, **options)
                finish, used = None, None
                with stream:  # closed on leaving: Stop, the end, or an error
                    for chunk in stream:
                        if stop_event.is_set():
                            return
                        if chunk.usage is not None:  # with the last choice, or in a chunk of its own after it
                            used = chunk.usage.completion_tokens
                        if not chunk.choices:
                            continue
                        finish = chunk.choices[0].finish_reason or finish
                        text = chunk.choices[0].delta.content if chunk.choices[0].delta else None
                        if text:
                            answered = True
                            chunks.put(text)
                if stop_event.is_set():
                    return
                if (cut := self._cut(finish, used, settings.max_new_tokens)) is not None:
                    chunks.put(cut)
                    return
                chunks.put(_END)
                return
            except openai.APIStatusError as err:
                if (field := self._refused_field(err, _optional_fields_in(options))) is not None:
                    omit.add(field)
                    continue
                chunks.put(self._status_error(err))
                return
            except (openai.APITimeoutError, httpx2.TimeoutException):
                chunks.put(LLMServerError(f"the language model server at {self.host} sent nothing for "
                                          f"{self.endpoint.read_timeout_s:.0f} s; it may be overloaded"))
                return
            except (openai.APIConnectionError, httpx2.TransportError) as err:
                if answered:
                    chunks.put(LLMServerError(f"the language model server at {self.host} stopped mid-answer "
                                              f"({_reason(err)})"))
                    return
                if attempt >= self.endpoint.retries:
                    chunks.put(LLMServerError(f"the language model server at {self.host} cannot be reached "
                                              f"({_reason(err)}; tried {attempt + 1} times)"))
                    return
                if stop_event.wait(0.5 * 2 ** attempt):
                    return
                attempt += 1
            except LLMServerError as err:
                chunks.put(err)
                return
            except (openai.APIError, ValueError, AttributeError, TypeError, IndexError, KeyError) as err:
                log.warning("llm server %s: unreadable stream: %s: %s", self.host, type(err).__name__, err)
                chunks.put(LLMServerError(f"the language model server at {self.host} sent an answer that is not "
                                          f"a chat completion stream ({type(err).__name__})"))
                return

    def _cut(self, finish: str | None, used: int | None, asked: int) -> LLMServerError | None:
        """The error for a stream that ended cleanly but not whole, else None.

        finish: the last `finish_reason` sent (None: none was). used: the completion tokens the server
        reported (None: it reported none). asked: the `max_tokens` asked for.
        """
        where = f"the language model server at {self.host}"
        if finish is None:
            return LLMServerError(f"{where} ended the stream before the answer was finished (no finish_reason)")
        if finish == "length" and used is not None and used < asked:
            return LLMServerError(f"{where} cut the answer at {used} of the {asked} tokens asked for "
                                  f"(its own length limit, such as its context size)")
        return None  # without a usage report, "length" is taken as the max_tokens asked for

    @staticmethod
    def _options(settings: GenerationSettings, omit: set[str]) -> dict:
        """`settings` mapped onto the chat completions API's fields, leaving out the `OPTIONAL_FIELDS` in
        `omit`."""
        options = {"max_tokens": settings.max_new_tokens, "temperature": settings.temperature}
        if settings.temperature > 0:
            options["top_p"] = settings.top_p
        if settings.repetition_penalty != 1.0 and "repetition_penalty" not in omit:
            options["extra_body"] = {"repetition_penalty": settings.repetition_penalty}
        if "stream_options" not in omit:  # the usage report, for telling a server's own cut from max_tokens
            options["stream_options"] = {"include_usage": True}
        return options

    def _resolve_model(self) -> str:
        """The model to ask for: the endpoint's, else the first the server lists (asked once)."""
        if self._model is None:
            try:
                listed = [m.id for m in self.client.models.list()]
            except openai.APIStatusError as err:
                raise self._status_error(err) from None
            if not listed:
                raise LLMServerError(f"the language model server at {self.host} lists no model; name one "
                                     f"(--llm-model or LYRICS_LLM_MODEL)")
            self._model = listed[0]
            log.info("llm server %s: answering with its model %s", self.host, self._model)
        return self._model

    def _refused_field(self, err: openai.APIStatusError, sent: list[str]) -> str | None:
        """The optional field (of the `OPTIONAL_FIELDS` `sent` with the request) the server refused, else
        None: this and later requests leave it out (answers sent before the first refusal came back are
        each asked again without it)."""
        if err.status_code not in (400, 422):
            return None
        field = next((f for f in sent if f in _detail(err)), None)
        if field is not None and field not in self._refused:
            log.warning("llm server %s does not take %s; answering without it", self.host, field)
            self._refused.add(field)
        return field

    def _status_error(self, err: openai.APIStatusError) -> LLMServerError:
        code, where = err.status_code, f"the language model server at {self.host}"
        if code in (401, 403):
            return LLMServerError(f"{where} refused the API key (HTTP {code}); set LYRICS_LLM_API_KEY")
        detail = _detail(err).replace(self.endpoint.key() or NO_KEY, "***")[:200]
        if code == 404:
            return LLMServerError(f"{where} has no model {self._model!r} or no chat completions API at "
                                  f"{self.endpoint.base_url} (HTTP 404: {detail})")
        if code == 429:
            return LLMServerError(f"{where} is busy (HTTP 429: {detail})")
        if code >= 500:
            return LLMServerError(f"{where} failed (HTTP {code}: {detail})")
        return LLMServerError(f"{where} refused the request (HTTP {code}: {detail})")


def _optional_fields_in(options: dict) -> list[str]:
    """Which of the `OPTIONAL_FIELDS` the request `options` carry."""
    return [f for f in OPTIONAL_FIELDS if f in options or f in options.get("extra_body", {})]


def _detail(err: openai.APIStatusError) -> str:
    """The server's own words about a refused request, on one line."""
    body = err.body
    if isinstance(body, dict):
        body = body.get("detail") or body.get("message") or body.get("error") or body
    return " ".join(str(body if body is not None else err.message).split())


def _reason(err: BaseException) -> str:
    """Why a connection failed, in a few words (the innermost cause's message)."""
    while err.__cause__ is not None or err.__context__ is not None:
        err = err.__cause__ or err.__context__
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:120]
