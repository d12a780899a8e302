"""Linked phrases in the chat: an answer's phrases coloured like what they name, and the text back again.

A linked answer is stored in the chat as HTML: each linked phrase a `<span class="answer-link link-3-0">` in
the overlay colour of its first object (or region), its second class the link's key ("3-0": answer 3, link 0;
the chat's sanitiser keeps classes, not data attributes), which the answer focus (`answer_focus`) uses to
highlight its masks; the rest of the text is escaped. `plain_text`
gives the words back, so the model never reads the markup.
"""

from __future__ import annotations

import html
import re

from lyrics_model import AnswerLink
from lyrics_model.overlay import PALETTE

from .overlay_view import region_color

_MARKER = '<span class="answer-link'
_TAG = re.compile(r'<span class="answer-link[^>]*>|</span>')


def link_colour(link: AnswerLink, region_colours: dict[str, int]) -> str:
    """The overlay colour of the first thing `link` names: its object's palette colour, or its region's."""
    thing = link.things[0]
    if thing.colour_index is not None:
        return PALETTE.by_idx(thing.colour_index).as_hex()
    return region_color(region_colours.get(thing.id, 0))


def linked_html(answer: str, links: list[AnswerLink], turn: int, region_colours: dict[str, int]) -> str:
    """`answer` with each linked phrase wrapped in a coloured span keyed "{turn}-{k}" (k: the link's index);
    `answer` itself when nothing is linked. region_colours: region id -> its colour index."""
    if not links:
        return answer
    pieces, at = [], 0
    for k, link in enumerate(links):
        start, end = link.span
        colour = link_colour(link, region_colours)
        names = ", ".join(link.ids)
        pieces.append(html.escape(answer[at:start], quote=False))
        pieces.append(f'{_MARKER} link-{turn}-{k}" title="{html.escape(names)}: hover to see, click to use as a '
                      f'region" style="color:{colour}; border-bottom:2px solid {colour}; font-weight:600; '
                      f'cursor:pointer">{html.escape(answer[start:end], quote=False)}</span>')
        at = end
    pieces.append(html.escape(answer[at:], quote=False))
    return "".join(pieces)


def plain_text(content: str) -> str:
    """The words of a message: a linked answer's markup removed and its text unescaped; other text as it is."""
    if _MARKER not in content:
        return content
    return html.unescape(_TAG.sub("", content))
