"""Chat messages -> one prompt: validation, the system block, and dropping old turns to fit."""

from __future__ import annotations

import re
from os.path import commonprefix

from ..errors import PromptError

SYSTEM_PROMPT = (
    "You are Lyrics, an assistant that answers questions about one image. The facts below describe "
    "the image; trust them. Answer in one short sentence that starts with the answer. "
    "Never mention how the image was analysed."
)

#: Soft-token placeholders of bridge mode; never accepted from users.
PLACEHOLDER = re.compile(r"<image>|<region\d+>")
MAX_MESSAGE_CHARS = 4000


def validate_messages(messages) -> list[dict]:
    """Check `messages` ({"role": "user"|"assistant", "content": str}, ending with a user turn)."""
    if not messages:
        raise PromptError("no message: ask a question about the image")
    clean = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            raise PromptError(f"message {i + 1} must be a dict with role 'user' or 'assistant'")
        content = message.get("content")
        if not isinstance(content, str):
            raise PromptError(f"message {i + 1} content must be text")
        if len(content) > MAX_MESSAGE_CHARS:
            raise PromptError(f"message {i + 1} is {len(content)} characters long; the limit is {MAX_MESSAGE_CHARS}")
        clean.append({"role": message["role"], "content": PLACEHOLDER.sub("", content)})
    if clean[-1]["role"] != "user":
        raise PromptError("the last message must be the user's question")
    if not clean[-1]["content"].strip():
        raise PromptError("the question is empty")
    return clean


def render(tokenizer, system: str, messages: list[dict]) -> str:
    """The chat-template text of system + messages, ending with the assistant's turn opening."""
    return tokenizer.apply_chat_template([{"role": "system", "content": system}] + messages, tokenize=False,
                                         add_generation_prompt=True)


def shared_prefix_ids(tokenizer) -> list[int]:
    """The token ids every grounded-text prompt starts with: the chat template's opening and the
    system prompt, up to the token before the facts (whose first token may merge with what follows)."""
    prompts = [tokenizer(render(tokenizer, SYSTEM_PROMPT + "\n\n" + facts, [{"role": "user", "content": question}]),
                         add_special_tokens=False).input_ids
               for facts, question in (("The image shows 1 cat.", "Hi"), ("Tags: x.", "What is it?"))]
    common = len(commonprefix(prompts))
    return prompts[0][: max(common - 1, 0)]


def _drop_oldest_turns(messages: list[dict], length_of, budget: int, unit: str) -> int:
    """How many of the oldest `messages` to drop (restarting at a user turn) for `length_of(kept)` to be
    at most `budget`; the last question is always kept. Raises PromptError if even that is too long."""
    dropped = 0
    while (length := length_of(messages[dropped:])) > budget:
        if dropped >= len(messages) - 1:
            raise PromptError(f"the question and image description take {length} {unit}; the model's "
                              f"budget is {budget}: shorten the question")
        dropped += 1
        while dropped < len(messages) - 1 and messages[dropped]["role"] != "user":
            dropped += 1  # restart at a user turn
    return dropped


def fit_to_context(tokenizer, system: str, messages: list[dict], max_prompt_tokens: int) -> tuple[str, int]:
    """Render the prompt, dropping the oldest turns until it fits in `max_prompt_tokens`.

    The system block (image description and regions) and the last question are never dropped.
    Returns (prompt text, number of messages dropped). Raises PromptError if even that is too long.
    """
    def tokens(kept: list[dict]) -> int:
        return len(tokenizer(render(tokenizer, system, kept), add_special_tokens=False).input_ids)

    dropped = _drop_oldest_turns(messages, tokens, max_prompt_tokens, "tokens")
    return render(tokenizer, system, messages[dropped:]), dropped


def fit_messages(system: str, messages: list[dict], max_prompt_chars: int) -> tuple[list[dict], int]:
    """`fit_to_context` for a model whose tokenizer is not at hand (one on a server): the system message
    and `messages`, dropping the oldest turns while their text exceeds `max_prompt_chars`.

    Returns (chat messages, number of messages dropped). Raises PromptError if even the system block and
    the last question are too long.
    """
    def characters(kept: list[dict]) -> int:
        return len(system) + sum(len(m["content"]) for m in kept)

    dropped = _drop_oldest_turns(messages, characters, max_prompt_chars, "characters")
    return [{"role": "system", "content": system}] + messages[dropped:], dropped
