"""The demo's programmatic API through `gradio_client`: the six endpoints, phrase links, streaming, bad input, isolation."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from gradio_client import Client, handle_file

from lyrics_model import mask_to_rle, rle_to_mask


@pytest.fixture(scope="module")
def client(demo_url):
    return Client(demo_url, verbose=False)


def test_only_the_six_endpoints_are_public(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/refine", "/segment_point", "/chat", "/chat_stream", "/chat_links", "/answer_links"}


def test_refine_endpoint_returns_the_refine_schema(client, assets):
    data = client.predict(handle_file(str(assets / "astronaut.jpg")), api_name="/refine")
    assert data["image"] == {"width": 512, "height": 512} and data["profile"] == "offline"
    person = next(o for o in data["objects"] if o["label"] == "person")
    assert rle_to_mask(person["mask"]).shape == (512, 512)


def test_segment_point_endpoint_returns_mask_and_box(client, assets):
    image = handle_file(str(assets / "astronaut.jpg"))
    one = client.predict(image, [[200, 300]], [1], api_name="/segment_point")
    mask = rle_to_mask(one["mask"])
    assert mask[300, 200] and one["area"] == mask.sum()
    x1, y1, x2, y2 = one["box"]
    assert x1 <= 200 < x2 and y1 <= 300 < y2
    two = client.predict(image, [[200, 300], [450, 450]], [1, 0], api_name="/segment_point")
    assert not rle_to_mask(two["mask"])[450, 450]


def test_chat_endpoint_answers_about_box_and_mask_regions(client, assets):
    image = handle_file(str(assets / "astronaut.jpg"))
    answer = client.predict(image, "What is region1?", [], [[20, 20, 370, 510]], api_name="/chat")
    assert isinstance(answer, str) and answer.strip()
    mask = np.zeros((512, 512), bool)
    mask[100:400, 50:300] = True
    history = [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi."}]
    answer = client.predict(image, "What is region1?", history, [mask_to_rle(mask)], api_name="/chat")
    assert answer.strip()


def test_chat_links_spans_match_the_answer_and_masks_are_the_objects(client, assets):
    image = handle_file(str(assets / "dogs.jpg"))
    data = client.predict(image, "How many dogs are there?", [], [], api_name="/chat_links")
    answer, links = data["answer"], data["links"]
    assert answer == client.predict(image, "How many dogs are there?", [], [], api_name="/chat")
    assert links, f"nothing linked in {answer!r}"
    objects = {o["id"]: o for o in client.predict(image, api_name="/refine")["objects"]}
    for link in links:
        start, end = link["span"]
        assert answer[start:end] == link["phrase"]
        for thing in link["things"]:
            assert thing["label"] == "dog" and thing["mask"] == objects[thing["id"]]["mask"]
            assert thing["box"] == objects[thing["id"]]["box"]
    assert sorted(i for link in links for i in link["ids"]) == sorted(i for i, o in objects.items()
                                                                      if o["label"] == "dog")[:2]


def test_answer_links_reads_regions_and_the_last_answer(client, assets):
    image = handle_file(str(assets / "dogs.jpg"))
    box = [263, 283, 454, 745]
    data = client.predict(image, "region1 is a dog.", [], [box], api_name="/answer_links")
    assert data["links"] == [{"phrase": "region1", "span": [0, 7], "ids": ["region1"],
                              "things": [{"id": "region1", "label": None, "box": box, "mask": None,
                                          "colour_index": None}]}]
    history = [{"role": "user", "content": "Where is the dog?"}, {"role": "assistant", "content": "region1 is a dog."}]
    data = client.predict(image, "It is brown.", history, [box], api_name="/answer_links")
    assert [(link["phrase"], link["ids"]) for link in data["links"]] == [("It", ["region1"])]


def test_chat_stream_yields_growing_partial_answers_that_end_in_the_chat_answer(client, assets):
    image = handle_file(str(assets / "cat.jpg"))
    question = "Describe the image."
    job = client.submit(image, question, [], [], api_name="/chat_stream")
    partials = list(job)
    assert len(partials) > 2
    assert all(later.startswith(earlier) for earlier, later in zip(partials, partials[1:]))
    assert partials[-1] == job.result() == client.predict(image, question, [], [], api_name="/chat")


@pytest.mark.parametrize(
    "endpoint, args, message",
    [
        ("/refine", ["corrupt"], "corrupt"),
        ("/segment_point", ["astronaut", [[900, 10]], [1]], "outside"),
        ("/segment_point", ["astronaut", [[10, 10]], [0]], "positive"),
        ("/segment_point", ["astronaut", "not a list", [1]], "list"),
        ("/chat", ["astronaut", "", [], []], "empty"),
        ("/chat", ["astronaut", "x" * 5000, [], []], "limit"),
        ("/chat", ["astronaut", "hi", [{"role": "robot", "content": "x"}], []], "role"),
        ("/chat", ["astronaut", "What is region1?", [], [[5, 5, 1, 1]]], "x2 > x1"),
        ("/chat_stream", ["astronaut", "", [], []], "empty"),
        ("/answer_links", ["astronaut", "x" * 5000, [], []], "at most 4000"),
        ("/answer_links", ["astronaut", "region1 is a man.", [], [[5, 5, 1, 1]]], "x2 > x1"),
    ],
)
def test_bad_input_gets_a_clear_message(client, assets, tmp_path, endpoint, args, message):
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 definitely not a jpeg")
    files = {"astronaut": assets / "astronaut.jpg", "corrupt": corrupt}
    args = [handle_file(str(files[args[0]]))] + args[1:]
    with pytest.raises(Exception, match=message):
        client.predict(*args, api_name=endpoint)


def test_concurrent_clients_get_their_own_results(demo_url, assets):
    jobs = [("astronaut.jpg", {"width": 512, "height": 512}), ("cat.jpg", {"width": 451, "height": 300})] * 2

    def refine(job):
        name, _ = job
        return Client(demo_url, verbose=False).predict(handle_file(str(assets / name)), api_name="/refine")

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(refine, jobs))
    for (_, size), data in zip(jobs, results):
        assert data["image"] == size
