"""Requests the demo refuses (a corrupt upload, a click outside the image, a language model server that
does not answer): the visitor gets the message, the server log gets one line, never a traceback.

A traceback in the log then always means a bug: Gradio prints one for every exception except a
`gr.Error` raised with `print_exception=False`, which is what `refused` returns.

    refused: "/refine" | the image is corrupt or truncated: ...
"""

from __future__ import annotations

import functools
import inspect
import logging

import gradio as gr

from lyrics_model import LyricsError

log = logging.getLogger("demo.refused")



def note(where: str, message: str) -> None:
    """Log one refusal: where (the endpoint or UI event) and the message the visitor got."""
    log.info('"%s" | %s', where, message)


def refused(where: str, error: BaseException | str) -> gr.Error:
    """The `gr.Error` to raise for a refusal at `where`, logged in one line and printed without traceback."""
    message = error.message if isinstance(error, gr.Error) else str(error)
    note(where, message)
    return gr.Error(message, print_exception=False)


def warn(where: str, message: str) -> None:
    """A refusal in the UI that leaves the page as it is: a warning toast and one log line."""
    note(where, message)
    gr.Warning(message)


def refusals_logged(where: str, *errors: type[BaseException]):
    """Decorate an endpoint (a function or a generator): every `gr.Error`, `LyricsError` and error of the
    types `errors` (e.g. ValueError for malformed arguments) it raises reaches the client as a `gr.Error`
    with its message, logged once under `where`. Anything else is a bug, and keeps its traceback."""
    refusable = (gr.Error, LyricsError, *errors)

    def decorate(function):
        if inspect.isgeneratorfunction(function):
            @functools.wraps(function)
            def wrapper(*args, **kwargs):
                try:
                    yield from function(*args, **kwargs)
                except refusable as err:
                    raise refused(where, err) from None
        else:
            @functools.wraps(function)
            def wrapper(*args, **kwargs):
                try:
                    return function(*args, **kwargs)
                except refusable as err:
                    raise refused(where, err) from None
        return wrapper

    return decorate
