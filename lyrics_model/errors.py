"""Exceptions raised by the package. Every user-facing failure is one of these, with a one-line message."""


class LyricsError(Exception):
    """Base class of every error the package raises on purpose."""


class ImageError(LyricsError):
    """The input is not a usable image: unreadable, corrupt, truncated, empty or too large."""


class PromptError(LyricsError):
    """A point, box or region prompt is invalid (for example, outside the image)."""


class WeightsUnavailable(LyricsError):
    """Weights for a model could not be found locally nor downloaded."""


class LLMServerError(LyricsError):
    """The language model's server did not answer: unreachable, too slow, refused the request or the key,
    or sent something unreadable. Asking again once the server is back works."""


class TextReaderUnavailable(LyricsError):
    """No text reader is loaded (its package or weights are missing, or it failed to start), or reading
    this image failed; everything else works without it."""
