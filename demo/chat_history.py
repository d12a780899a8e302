"""Read `gr.Chatbot` messages: Gradio 6 hands text back as a list of content parts; a linked answer's
markup (`answer_phrases`) is read back as its words."""

from __future__ import annotations

from .answer_phrases import plain_text


def message_text(message: dict) -> str:
    """The text of a chat message whose content is a string or a list of {"type": "text", "text"} parts."""
    content = message.get("content")
    if isinstance(content, list):
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    if not isinstance(content, str):
        return ""
    return plain_text(content) if message.get("role") == "assistant" else content


def is_note(message: dict) -> bool:
    """True for the app's own notes (refiner checks, loading notices), which the model never sees."""
    return bool((message.get("metadata") or {}).get("title"))


def model_messages(history: list[dict]) -> list[dict]:
    """The conversation as `Lyrics.chat` takes it: user and assistant turns, text only, no notes."""
    return [{"role": m["role"], "content": message_text(m)} for m in history
            if m.get("role") in ("user", "assistant") and not is_note(m) and message_text(m)]
