"""Grounded answers in the demo, without a browser: the answer's phrases coloured in the chat (and read back as
plain words for the model), the Answer layer on the picture, the hover images, a phrase chosen as a region, and
the links in the export. The real offline models on a real photo of two dogs."""

import json
from pathlib import Path

import gradio as gr
import numpy as np
import pytest
from PIL import Image

from demo import handlers
from demo.answer_phrases import linked_html, plain_text
from demo.chat_history import model_messages
from demo.export import session_json
from demo.layers import Layers
from demo.overlay_view import render_overlay
from demo.session import DemoSession
from lyrics_model import AnswerLink, LinkedThing

from test_demo_handlers import uploaded

QUESTION = "How many dogs are there?"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def answered(offline_lyrics, assets):
    """The dogs photo loaded and the question answered: (session, the chat after the answer, the last update)."""
    session = DemoSession()
    handlers.load_image(offline_lyrics, session, uploaded(assets / "dogs.jpg"))
    history = [{"role": "user", "content": QUESTION}]
    updates = list(handlers.answer(offline_lyrics, session, history, 64, 0.0, 0.9, 1.1))
    return session, updates[-1]["chatbot"], updates


def test_the_answers_phrases_are_coloured_and_the_model_reads_plain_words(offline_lyrics, answered):
    session, chat, _ = answered
    words = offline_lyrics.chat(session.image, [{"role": "user", "content": QUESTION}])
    assert session.answer_links, f"nothing linked in {words!r}"
    content = chat[-1]["content"]
    assert content.count('class="answer-link link-') == len(session.answer_links)
    assert f'link-{session.answer_turn}-0"' in content
    assert model_messages(chat)[-1] == {"role": "assistant", "content": words}
    dogs = [i for i, label in enumerate(offline_lyrics.refine(session.image).labels) if label == "dog"]
    assert sorted(t.colour_index for link in session.answer_links for t in link.things) == dogs[:2]


def test_links_reach_the_chat_with_their_sentence_and_the_hover_images(offline_lyrics, answered):
    session, _, updates = answered
    focus = [u["answer_focus"] for u in updates if "answer_focus" in u]
    assert focus and all(f'data-link="{session.answer_turn}-{k}"' in focus[-1]
                         for k in range(len(session.answer_links)))
    assert focus[-1].count("data:image/png;base64,") == len(session.answer_links)


def test_the_answer_layer_draws_only_what_the_answer_names(offline_lyrics, answered):
    session, _, _ = answered
    result = offline_lyrics.refine(session.image)
    with_answer = render_overlay(result, session)
    session.layers = Layers(answer=False)
    without = render_overlay(result, session)
    changed = np.abs(with_answer.astype(int) - without.astype(int)).sum(axis=2) > 30
    named = np.zeros(changed.shape, bool)
    factor = changed.shape[1] / session.size[0]  # display pixels per photo pixel
    if ARTIFACTS.is_dir():  # for a person to look at
        Image.fromarray(with_answer).save(ARTIFACTS / "answer-layer.jpg")
    for link in session.answer_links:
        for thing in link.things:
            x1, y1, x2, y2 = [int(v * factor) for v in thing.box]
            named[max(0, y1 - 40):y2 + 4, max(0, x1 - 4):x2 + 4] = True  # the box, its label above it
    assert changed.any() and not (changed & ~named).any()


def test_choosing_a_phrase_makes_its_objects_regions(offline_lyrics, answered):
    session, _, _ = answered
    link = session.answer_links[0]
    out = handlers.link_as_region(offline_lyrics, session, gr.EventData(None, {"link": f"{session.answer_turn}-0"}))
    assert [r.source for r in session.regions] == link.ids and "region1" in out["chips"]
    result = offline_lyrics.refine(session.image)
    for region in session.regions:
        assert np.array_equal(region.mask, result.detections.mask[result.object_ids().index(region.source)])
    handlers.link_as_region(offline_lyrics, session, gr.EventData(None, {"link": f"{session.answer_turn}-0"}))
    assert len(session.regions) == len(link.ids)  # an object already a region stays one region
    stale = handlers.link_as_region(offline_lyrics, session, gr.EventData(None, {"link": f"{session.answer_turn - 1}-0"}))
    assert stale == {} and len(session.regions) == len(link.ids)


def test_the_export_carries_the_latest_answers_links(offline_lyrics, answered):
    session, chat, _ = answered
    data = json.loads(json.dumps(session_json(offline_lyrics.refine(session.image), session, chat)))
    assert [link["ids"] for link in data["answer_links"]] == [link.ids for link in session.answer_links]
    answer = data["chat"][-1]["content"]
    for link in data["answer_links"]:
        assert answer[link["span"][0]:link["span"][1]] == link["phrase"]
        assert all(thing["mask"]["size"] == [session.size[1], session.size[0]] for thing in link["things"])


def test_clear_chat_forgets_the_links(offline_lyrics, answered):
    session, _, _ = answered
    out = handlers.clear_chat(offline_lyrics, session)
    assert session.answer_links == [] and "data:image" not in out["answer_focus"]


def test_marked_up_answers_read_back_exactly():
    answer = "There are 2 dogs <& 1 cat> & a \"crate\"."
    thing = LinkedThing("obj1", "dog", [0, 0, 1, 1], None, 0)
    html = linked_html(answer, [AnswerLink("2 dogs", (10, 16), (thing,))], 4, {})
    assert "<&" not in html and 'link-4-0"' in html
    assert plain_text(html) == answer
    assert plain_text("Plain <b>text</b> &amp; all") == "Plain <b>text</b> &amp; all"  # no links: as it is
