"""A photo keeps its own pixel coordinates at any size: a 4032x3024 photo is processed at 2048 px inside,
and every coordinate in or out (regions, clicks, boxes, masks, sizes, exports, the HTTP API, annotate's
COCO file) is in the photo's pixels. The offline profile's real models."""

import json

import numpy as np
import pytest
from PIL import Image
from pycocotools.coco import COCO
from supervision.detection.compact_mask import CompactMask

from lyrics_model import PromptError, mask_to_rle, rle_to_mask
from lyrics_model.coco_annotations import annotate

PHOTO = (4032, 3024)


def mask_box(mask: np.ndarray) -> list[float]:
    ys, xs = np.nonzero(mask)
    return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


def box_iou(a, b) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


@pytest.fixture(scope="module")
def corner_photo(assets) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A synthetic 4032x3024 photo: a plain wall with the cat photo, three times its size, in the far
    (bottom-right) corner; and where the cat picture lies [x1, y1, x2, y2]."""
    cat = Image.open(assets / "cat.jpg").convert("RGB")
    cat = cat.resize((cat.width * 3, cat.height * 3), Image.Resampling.BICUBIC)
    photo = Image.new("RGB", PHOTO, (205, 200, 190))
    x1, y1 = PHOTO[0] - cat.width - 8, PHOTO[1] - cat.height - 8
    photo.paste(cat, (x1, y1))
    return np.asarray(photo), (x1, y1, x1 + cat.width, y1 + cat.height)


@pytest.fixture(scope="module")
def upscaled_photo(assets) -> tuple[np.ndarray, np.ndarray]:
    """A real photo (the cat, cropped to 4:3) at 400x300 and upscaled to 4032x3024."""
    cat = Image.open(assets / "cat.jpg").convert("RGB")
    left = (cat.width - 400) // 2
    small = cat.crop((left, 0, left + 400, 300))
    return np.asarray(small), np.asarray(small.resize(PHOTO, Image.Resampling.BICUBIC))


def cat_of(result):
    assert "cat" in result.labels, result.labels
    return result.labels.index("cat")


def test_refine_reports_the_photos_size_boxes_and_masks(offline_lyrics, corner_photo):
    photo, picture = corner_photo
    result = offline_lyrics.refine(photo)
    assert result.size == PHOTO
    assert result.scale == pytest.approx(2048 / 4032)
    assert "coordinates stay in the photo's pixels" in result.notices[0]
    cat = cat_of(result)
    box = result.detections.xyxy[cat]
    assert box[2] > 2048 and box[3] > 1536  # past the working image's width and height
    assert box_iou(box, picture) > 0.6
    # The masks are held compactly; one decodes at the photo's size on demand.
    assert isinstance(result.detections.mask, CompactMask)
    assert result.detections.mask[cat].shape == (PHOTO[1], PHOTO[0])
    data = result.to_json()
    assert data["image"] == {"width": 4032, "height": 3024} and data["scale"] == pytest.approx(2048 / 4032)
    entry = data["objects"][cat]
    mask = rle_to_mask(entry["mask"])
    assert mask.shape == (3024, 4032) and entry["area"] == mask.sum()
    assert box_iou(mask_box(mask), entry["box"]) > 0.8  # the mask lies where its box says
    # The same mask, seen by the models at 2048 px, scaled to the photo: within a working pixel.
    working = offline_lyrics.refiner.refine(offline_lyrics.load(photo).rgb)
    expected = np.array(mask_box(working.detections.mask[cat])) * 4032 / 2048
    assert np.abs(np.array(mask_box(mask)) - expected).max() <= 2.0


def test_a_real_photo_upscaled_keeps_its_objects_where_they_are(offline_lyrics, upscaled_photo):
    small, large = upscaled_photo
    at_400 = offline_lyrics.refine(small)
    at_4032 = offline_lyrics.refine(large)
    assert at_4032.size == PHOTO and at_400.scale == 1.0
    factor = 4032 / 400
    assert box_iou(at_4032.detections.xyxy[cat_of(at_4032)], at_400.detections.xyxy[cat_of(at_400)] * factor) > 0.8


def test_a_click_near_the_far_corner_gives_a_mask_of_the_photos_size(offline_lyrics, corner_photo):
    photo, (x1, y1, x2, y2) = corner_photo
    point = ((x1 + x2) // 2, (y1 + y2) // 2 + 100)  # on the cat
    click = offline_lyrics.segment_point(photo, [point], [1])
    assert click.mask.shape == (3024, 4032) and click.mask[point[1], point[0]]
    assert click.box == mask_box(click.mask) and click.box[2] > 2048
    data = click.to_json()
    assert rle_to_mask(data["mask"]).sum() == data["area"] == click.mask.sum()
    with pytest.raises(PromptError, match=r"point \(4040, 10\) is outside the 4032x3024 image"):
        offline_lyrics.segment_point(photo, [(4040, 10)], [1])


def test_a_box_from_refine_round_trips_as_a_region(offline_lyrics, corner_photo):
    photo, _ = corner_photo
    result = offline_lyrics.refine(photo)
    cat = cat_of(result)
    box = [float(v) for v in result.detections.xyxy[cat]]
    mask = result.detections.mask[cat]
    for region, region_box in ((box, box), (mask, mask_box(mask)), (mask_to_rle(mask), mask_box(mask))):
        review = offline_lyrics.review_answer(photo, "What is region1?", "region1 is a cat.", regions=[region])
        check, = review.checks  # a box, a mask of the photo's size and its RLE all find the cat
        assert check.label == "cat" and check.iou > 0.8 and not check.disagrees
        reference = next(r for r in review.references if r.id == "region1")
        assert reference.box == pytest.approx(region_box)  # drawn back in the photo's pixels
    refs = offline_lyrics.references(photo, f"obj{cat + 1} is here", regions=[box])
    assert refs[0].box == pytest.approx(box)


@pytest.mark.slow  # loads the language model
def test_chat_accepts_a_region_near_the_far_corner(offline_lyrics, corner_photo):
    photo, picture = corner_photo
    messages = [{"role": "user", "content": "What is region1?"}]
    inputs, result, regions = offline_lyrics.prepare_chat(photo, messages, regions=[list(picture)])
    assert result.size == PHOTO and regions[0].box.tolist() == pytest.approx(list(picture))
    assert inputs.inputs["input_ids"].shape[1] > 0
    with pytest.raises(PromptError, match="outside the 4032x3024 image"):
        offline_lyrics.prepare_chat(photo, messages, regions=[[4040, 10, 4100, 50]])


def test_an_exif_rotated_photo_keeps_the_rule(offline_lyrics, corner_photo, tmp_path):
    photo, picture = corner_photo
    upright = Image.fromarray(photo).transpose(Image.Transpose.ROTATE_90)  # portrait, 3024x4032
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what a camera writes: sideways, + orientation 6
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "rotated.jpg"
    stored.save(path, quality=95, exif=exif)
    assert Image.open(path).size == (4032, 3024)

    x1, y1, x2, y2 = picture
    upright_picture = (y1, PHOTO[0] - x2, y2, PHOTO[0] - x1)  # where the cat lies in the upright photo
    result = offline_lyrics.refine(path)
    assert result.size == (3024, 4032)
    cat_box = max(result.detections.xyxy, key=lambda box: box_iou(box, upright_picture))
    assert box_iou(cat_box, upright_picture) > 0.6 and cat_box[2] > 2048
    center = ((cat_box[0] + cat_box[2]) / 2, (cat_box[1] + cat_box[3]) / 2)
    click = offline_lyrics.segment_point(path, [center], [1])
    assert click.mask.shape == (4032, 3024) and click.mask[int(center[1]), int(center[0])]


def test_annotate_writes_the_photos_pixels(offline_lyrics, corner_photo, tmp_path):
    photo, picture = corner_photo
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.fromarray(photo).save(folder / "corner.jpg", quality=95)
    out = tmp_path / "coco.json"
    report = annotate(str(folder), offline_lyrics, out, progress=False)
    assert report.added == 1
    coco = COCO(str(out))
    image, = coco.dataset["images"]
    assert (image["width"], image["height"]) == PHOTO
    annotations = coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]]))
    assert annotations
    for annotation in annotations:
        x, y, w, h = annotation["bbox"]
        assert 0 <= x and 0 <= y and x + w <= PHOTO[0] + 0.01 and y + h <= PHOTO[1] + 0.01
        mask = coco.annToMask(annotation)
        assert mask.shape == (PHOTO[1], PHOTO[0]) and annotation["area"] == mask.sum()
    cat = next(a for a in annotations if coco.loadCats(a["category_id"])[0]["name"] == "cat")
    x, y, w, h = cat["bbox"]
    assert x + w > 2048 and box_iou([x, y, x + w, y + h], picture) > 0.6


def test_the_demo_shows_and_exports_the_photos_pixels(offline_lyrics, corner_photo):
    import gradio as gr

    from demo import handlers
    from demo.session import DemoSession
    from demo.uploads import upload_folder

    photo, (x1, y1, x2, y2) = corner_photo
    upload = upload_folder() / "corner-photo.jpg"
    upload.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(photo).save(upload, quality=95)
    session = DemoSession()
    out = handlers.load_image(offline_lyrics, session, {"path": str(upload), "meta": {"_type": "gradio.FileData"}})
    assert session.size == PHOTO
    row = next(r for r in out["objects"] if r[1] == "cat")
    assert json.loads(row[3])[2] > 2048  # the objects table: the photo's pixel box
    scale = 4032 / 1024  # the overlay is sent at 1024 px
    point = ((x1 + x2) / 2, (y1 + y2) / 2 + 100)
    evt = gr.SelectData(None, {"index": [point[0] / scale, point[1] / scale], "value": None, "selected": True})
    handlers.click_point(offline_lyrics, session, "positive point", evt)
    region = session.regions[0]
    assert region.points[0] == pytest.approx(point) and region.mask.shape == (3024, 4032)
    assert region.box[2] > 2048 and f"{region.box[2]:.0f}" in handlers.chips_html(session)

    exported = handlers.export_session(offline_lyrics, session, [])
    data = json.loads(open(exported["export_json"]["value"]).read())
    assert data["image"] == {"width": 4032, "height": 3024}
    assert rle_to_mask(data["regions"][0]["mask"]).shape == (3024, 4032)
    assert data["regions"][0]["box"] == pytest.approx([round(v, 1) for v in region.box])
    assert Image.open(exported["export_png"]["value"]).size == PHOTO


@pytest.fixture(scope="module")
def client(demo_url):
    from gradio_client import Client

    return Client(demo_url, verbose=False)


@pytest.mark.slow  # answers through the language model
def test_the_http_api_speaks_the_photos_pixels(client, corner_photo, tmp_path):
    from gradio_client import handle_file

    photo, picture = corner_photo
    path = tmp_path / "corner.jpg"
    Image.fromarray(photo).save(path, quality=95)
    image = handle_file(str(path))
    data = client.predict(image, api_name="/refine")
    assert data["image"] == {"width": 4032, "height": 3024}
    cat = next(o for o in data["objects"] if o["label"] == "cat")
    assert cat["box"][2] > 2048 and cat["mask"]["size"] == [3024, 4032]
    assert box_iou(mask_box(rle_to_mask(cat["mask"])), cat["box"]) > 0.8

    point = [(picture[0] + picture[2]) // 2, (picture[1] + picture[3]) // 2 + 100]
    click = client.predict(image, [point], [1], api_name="/segment_point")
    mask = rle_to_mask(click["mask"])
    assert mask.shape == (3024, 4032) and mask[point[1], point[0]] and click["box"] == mask_box(mask)

    answer = client.predict(image, "What is region1?", [], [cat["box"]], api_name="/chat")
    assert isinstance(answer, str) and answer.strip()
    with pytest.raises(Exception, match="outside the 4032x3024 image"):
        client.predict(image, [[4040, 10]], [1], api_name="/segment_point")
