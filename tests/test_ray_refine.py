"""`cache-refiner --ray` and `annotate --ray` on a real local Ray cluster (2 CPUs on 127.0.0.1): the
same shards and COCO file as the single-process commands (offline profile, and the tiny random-weight
CLIP / YOLO-World / SAM profile through the real loaders), a corrupt and a missing image listed and
skipped, reruns that refine only what is missing, a refining worker killed mid-run, and the driver
killed and started again."""

import functools
import json
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import psutil
import pytest

from conftest import TINY_PROFILE

ray = pytest.importorskip("ray")

from lyrics_model.coco_annotations import annotate  # noqa: E402
from lyrics_model.data.ray_refine import RayOptions, annotate_ray, cache_dataset_ray  # noqa: E402
from lyrics_model.data.refiner_cache import cache_dataset  # noqa: E402
from lyrics_model.data.refiner_shards import read_index, shard_files  # noqa: E402

pytestmark = pytest.mark.slow

PHOTOS = ("cat.jpg", "coffee.jpg", "rocket.jpg")
TWO_WORKERS = {"workers": 2}  # two 1-CPU actors hold both CPUs: the light tasks must still run


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", logging_level="WARNING",
             log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def photos(tmp_path_factory, assets):
    """A folder of real photos with a truncated JPEG among them, and a JSONL over it plus a missing file."""
    folder = tmp_path_factory.mktemp("photos")
    for name in PHOTOS:
        (folder / name).write_bytes((assets / name).read_bytes())
    (folder / "d_broken.jpg").write_bytes((assets / "cat.jpg").read_bytes()[:3000])  # sorts in the middle
    names = ["cat.jpg", "d_broken.jpg", "coffee.jpg", "missing.jpg", "rocket.jpg", "cat.jpg"]
    (folder / "data.jsonl").write_text("".join(json.dumps({"image": n, "captions": [f"photo {n}."]}) + "\n"
                                               for n in names))
    return folder


@pytest.fixture(scope="module")
def single_offline(photos, tmp_path_factory):
    out = tmp_path_factory.mktemp("single") / "cache"
    report = cache_dataset(photos / "data.jsonl", out, "offline", shard_size=2)
    return out, report


def rows_of(folder) -> list[dict]:
    """Every row of every shard, sorted by key (the cache's content, whatever the shard boundaries)."""
    import pyarrow.parquet as pq

    rows = [row for shard in shard_files(folder) for row in pq.read_table(shard).to_pylist()]
    return sorted(rows, key=lambda r: r["key"])


def test_ray_cache_equals_the_single_process_cache_and_resumes(cluster, photos, single_offline, tmp_path):
    single, single_report = single_offline
    assert single_report.refined == 3 and len(single_report.unreadable) == 2
    out = tmp_path / "cache"
    report = cache_dataset_ray(photos / "data.jsonl", out, "offline", options=RayOptions(**TWO_WORKERS, shard_size=2))
    assert report.refined == 3 and report.already == 0
    assert report.unreadable == single_report.unreadable
    assert "truncated" in report.unreadable[str(photos / "d_broken.jpg")]
    assert "No such file" in report.unreadable[str(photos / "missing.jpg")]
    assert rows_of(out) == rows_of(single) and len(rows_of(out)) == 3
    assert read_index(out)["images"] == 3 and read_index(out)["unreadable"] == report.unreadable

    again = cache_dataset_ray(photos / "data.jsonl", out, "offline", options=RayOptions(**TWO_WORKERS, shard_size=2))
    assert again.refined == 0 and again.already == 3
    lost = shard_files(out)[0]
    lost_count = read_index(out)["shards"][lost.name]
    lost.unlink()  # as if that shard had never been written
    third = cache_dataset_ray(photos / "data.jsonl", out, "offline", options=RayOptions(workers=1, shard_size=2))
    assert third.refined == lost_count and third.already == 3 - lost_count
    assert rows_of(out) == rows_of(single)


def test_ray_cache_with_the_tiny_clip_profile_holds_the_same_patches(cluster, photos, tiny_weights, tmp_path):
    import open_clip

    single = tmp_path / "single"
    cache_dataset(photos / "data.jsonl", single, TINY_PROFILE, tiny_weights)
    setup = functools.partial(open_clip.add_model_config, tiny_weights["tagger"].parent / "lyrics-tiny-clip.json")
    out = tmp_path / "ray"
    cache_dataset_ray(photos / "data.jsonl", out, TINY_PROFILE, tiny_weights,
                      options=RayOptions(**TWO_WORKERS, worker_setup=setup))
    rows = rows_of(out)
    assert len(rows) == 3 and all(r["patches"] is not None and len(r["patch_shape"]) == 2 for r in rows)
    assert rows == rows_of(single)


def test_annotate_ray_writes_the_single_process_coco_file(cluster, photos, offline_lyrics, tmp_path):
    from pycocotools.coco import COCO

    from lyrics_model.image_io import DEFAULT_MAX_PIXELS
    from lyrics_model.lyrics import Lyrics

    full = Lyrics.from_profile("offline", max_side=DEFAULT_MAX_PIXELS)
    here = annotate(str(photos), full, tmp_path / "here.json", progress=False)
    there = annotate_ray(str(photos), tmp_path / "ray.json", "offline", options=RayOptions(**TWO_WORKERS))
    assert there.added == here.added == 3 and len(there.unreadable) == 1 and "d_broken.jpg" in there.unreadable[0]
    assert json.loads((tmp_path / "ray.json").read_text()) == json.loads((tmp_path / "here.json").read_text())
    coco = COCO(str(tmp_path / "ray.json"))
    assert len(coco.getImgIds()) == 3 and coco.getAnnIds()
    for annotation in coco.loadAnns(coco.getAnnIds()):
        assert coco.annToMask(annotation).sum() == annotation["area"]
    again = annotate_ray(str(photos), tmp_path / "ray.json", "offline", options=RayOptions(**TWO_WORKERS))
    assert again.added == 0 and again.already_done == 3


def refine_worker_processes() -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if any("RefineWorker" in part for part in process.info["cmdline"] or []):
            found.append(process)
    return found


def test_a_refining_worker_killed_mid_run_is_replaced_and_nothing_is_lost(cluster, photos, single_offline, tmp_path):
    single, _ = single_offline
    out = tmp_path / "cache"
    outcome = {}
    run = threading.Thread(target=lambda: outcome.setdefault("report", cache_dataset_ray(
        photos / "data.jsonl", out, "offline", options=RayOptions(workers=1, batch_size=1, shard_size=1))))
    run.start()
    killed = False
    while run.is_alive() and not killed:
        if shard_files(out) and (workers := refine_worker_processes()):  # mid-run: one image written
            workers[0].send_signal(signal.SIGKILL)
            killed = True
        time.sleep(0.2)
    run.join(timeout=600)
    assert killed, "the run ended before a worker could be killed"
    assert outcome["report"].refined + outcome["report"].already == 3
    assert rows_of(out) == rows_of(single)


def test_a_killed_driver_loses_nothing_and_the_rerun_writes_nothing_twice(photos, tmp_path):
    from PIL import Image

    from lyrics_model.data.synthetic import make_scene

    # The photos and eight small synthetic scenes, so the run is still going when its first shard lands.
    rng = np.random.default_rng(2)
    images = [photos / name for name in ("cat.jpg", "d_broken.jpg", "coffee.jpg", "missing.jpg", "rocket.jpg")]
    for i in range(8):
        images.append(tmp_path / f"scene{i}.png")
        Image.fromarray(make_scene(rng, 96).image).save(images[-1])
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps({"image": str(path), "captions": ["a photo."]}) + "\n" for path in images))
    single = tmp_path / "single"
    cache_dataset(data, single, "offline")
    total = len(rows_of(single))
    out = tmp_path / "cache"
    command = [sys.executable, "-m", "lyrics_model", "cache-refiner", str(data), "--out", str(out),
               "--profile", "offline", "--ray", "--workers", "1", "--shard-size", "1"]
    driver = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 400
    while not shard_files(out) and driver.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    assert driver.poll() is None, "the driver ended before it could be killed"
    os.killpg(driver.pid, signal.SIGKILL)  # the driver and the local cluster it started
    driver.wait()
    before = len(shard_files(out))
    assert 1 <= before < total and not (out / "index.json").exists()

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"cached {total - before} images, {before} already cached, 2 unreadable" in rerun.stderr
    rows = rows_of(out)
    assert rows == rows_of(single) and len({r["key"] for r in rows}) == len(rows) == total


def test_annotate_ray_reads_text_as_the_single_process_command_does(cluster, tmp_path):
    from PIL import Image

    from lyrics_model.data.synthetic_text import text_photo
    from lyrics_model.image_io import DEFAULT_MAX_PIXELS
    from lyrics_model.lyrics import Lyrics

    folder = tmp_path / "signs"
    folder.mkdir()
    Image.fromarray(text_photo(3).rgb).save(folder / "sign.png")
    full = Lyrics.from_profile("offline", max_side=DEFAULT_MAX_PIXELS)
    annotate(str(folder), full, tmp_path / "here.json", progress=False)
    annotate_ray(str(folder), tmp_path / "ray.json", "offline", options=RayOptions(**TWO_WORKERS))
    here, there = (json.loads((tmp_path / name).read_text()) for name in ("here.json", "ray.json"))
    assert there == here
    texts = [a["text"] for a in there["annotations"] if "text" in a]
    assert texts, "the drawn sign's lines are annotations of the text category"
    annotate_ray(str(folder), tmp_path / "none.json", "offline", options=RayOptions(**TWO_WORKERS), read_text=False)
    assert not [a for a in json.loads((tmp_path / "none.json").read_text())["annotations"] if "text" in a]
