"""The weight-file cache and its checks: where files live, how they are verified, and the one
function (:func:`cached_copy`) that decides whether a cached file can be used.

Plain URLs are cached under ``$MODELZOO_HOME/url/<host>/<path>`` (default ``~/.cache/modelzoo``);
Hugging Face Hub files in the Hub's own cache (``HF_HOME``/``HF_HUB_CACHE``). Every file is
verified on every load: against the spec's sha256 when known, otherwise against the digest
recorded the first time it was seen (trust on first use; records live in ``$MODELZOO_HOME``). A
cached copy that fails is deleted, so that it is fetched again.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from ..version import __version__
from .weight_spec import Source

log = logging.getLogger(__name__)

ENV_HOME = "MODELZOO_HOME"
ENV_OFFLINE = "MODELZOO_OFFLINE"
OFFLINE_VARS = f"{ENV_OFFLINE}/HF_HUB_OFFLINE"
TRUE_VALUES = {"1", "true", "yes", "on"}
_CHUNK = 1 << 20


class DownloadError(OSError):
    """A weight file could not be fetched or verified."""


class WeightsNotFoundError(DownloadError, FileNotFoundError):
    """The server has no such file or repository (HTTP 404)."""


class OfflineError(DownloadError, ConnectionError):
    """The file is not cached and the network is off (or unreachable)."""


class ChecksumError(DownloadError, ValueError):
    """A file's sha256 (or size) does not match what was expected."""


# ------------------------------------------------------------------------------------ environment
def cache_dir() -> Path:
    """``$MODELZOO_HOME`` or ``~/.cache/modelzoo``, read at call time."""
    return Path(os.environ.get(ENV_HOME) or "~/.cache/modelzoo").expanduser()


def is_offline() -> bool:
    """True when ``MODELZOO_OFFLINE`` or ``HF_HUB_OFFLINE`` is set to 1/true/yes/on."""
    return any(os.environ.get(v, "").strip().lower() in TRUE_VALUES for v in (ENV_OFFLINE, "HF_HUB_OFFLINE"))


def hf_cache_dir() -> str:
    """The Hub cache as the environment says now (``HF_HUB_CACHE``, else ``$HF_HOME/hub``)."""
    if os.environ.get("HF_HUB_CACHE"):
        return os.path.expanduser(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME") or "~/.cache", "huggingface")
    return os.path.join(os.path.expanduser(home), "hub")


# -------------------------------------------------------------------------------------- digests
def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _git_blob_sha1(path: Path) -> str:
    h = hashlib.sha1()
    h.update(f"blob {path.stat().st_size}\0".encode())
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_record(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise ChecksumError(f"unreadable digest record {path}: {e}; delete it to record the digest again") from None


def _write_record(path: Path, digest: str, size: int, location: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    record = {"sha256": digest, "size": size, "source": location,
              "recorded": datetime.now(timezone.utc).isoformat(timespec="seconds")}  # fmt: skip
    tmp.write_text(json.dumps(record, indent=1) + "\n")
    os.replace(tmp, path)


def verify(path: Path, source: Source, record: Path | None, digest: str | None = None) -> str:
    """Check ``path`` against the source's size/sha256 and the trust-on-first-use ``record`` (which
    is written when the spec has no full digest and no record exists yet; None: no record kept).
    ``digest`` skips hashing the file again. Returns the sha256."""
    size = path.stat().st_size
    if source.size is not None and size != source.size:
        raise ChecksumError(f"{source.location}: {path} has {size} bytes, expected {source.size}")
    digest = digest or file_sha256(path)
    if source.sha256 is not None and not digest.startswith(source.sha256):
        raise ChecksumError(f"{source.location}: sha256 of {path} is {digest}, expected {source.sha256}")
    if record is None or (source.sha256 is not None and len(source.sha256) == 64):
        return digest
    known = _read_record(record)
    if known is None:
        _write_record(record, digest, size, source.location)
        log.info("recorded sha256 %s of %s in %s (trust on first use)", digest, source.location, record)
    elif known.get("sha256") != digest:
        raise ChecksumError(
            f"{source.location}: sha256 of {path} is {digest}, but {known.get('sha256')} was recorded when it was "
            f"first downloaded (record: {record}). If the publisher really changed the file, delete the record."
        )
    return digest


def url_cache_path(url: str) -> Path:
    """Where a URL's file is cached: ``$MODELZOO_HOME/url/<host>/<path>``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    segments = [s for s in parts.path.split("/") if s]
    if not segments or any(s in (".", "..") for s in segments):
        raise ValueError(f"URL has no usable file path: {url!r}")
    safe = [re.sub(r"[^A-Za-z0-9._+-]", "_", s) for s in [parts.netloc, *segments]]
    if parts.query:
        safe[-1] += "-" + hashlib.sha256(parts.query.encode()).hexdigest()[:12]
    return cache_dir().joinpath("url", *safe)


# ---------------------------------------------------------------------------------- the cache
def _hf_record(source: Source) -> Path:
    return cache_dir().joinpath("hf", *str(source.hf_repo).split("/"), source.revision, f"{source.filename}.sha256.json")


def _url_record(path: Path) -> Path:
    return path.with_name(path.name + ".sha256.json")


def _check_hf(path: Path, source: Source, record: Path | None) -> None:
    """The Hub names cached blobs by their etag (sha256 for LFS files, git blob sha1 otherwise):
    check that first, then the spec's digest and the trust-on-first-use record."""
    blob = Path(os.path.realpath(path))
    digest = file_sha256(path)
    if re.fullmatch(r"[0-9a-f]{64}", blob.name) and digest != blob.name:
        raise ChecksumError(f"{source.location}: cached blob {blob} does not match its sha256 {blob.name}")
    if re.fullmatch(r"[0-9a-f]{40}", blob.name) and _git_blob_sha1(path) != blob.name:
        raise ChecksumError(f"{source.location}: cached blob {blob} does not match its git sha1 {blob.name}")
    verify(path, source, record, digest)


def _drop_hf_file(path: Path) -> None:
    blob = Path(os.path.realpath(path))
    blob.unlink(missing_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink(missing_ok=True)


def _hf_download(source: Source, **kwargs) -> Path:
    from huggingface_hub import hf_hub_download

    path = hf_hub_download(
        repo_id=str(source.hf_repo), filename=str(source.filename), revision=source.revision,
        cache_dir=hf_cache_dir(), endpoint=os.environ.get("HF_ENDPOINT") or None,
        library_name="modelzoo", library_version=__version__, **kwargs,
    )  # fmt: skip
    return Path(path)


def _hf_cached(source: Source) -> Path | None:
    from huggingface_hub.utils import LocalEntryNotFoundError

    try:
        return _hf_download(source, local_files_only=True)
    except LocalEntryNotFoundError:
        return None


def cached_copy(source: Source, *, pinned: bool = True) -> Path | None:
    """The verified local copy of ``source``'s file without touching the network, or None.

    A cached copy that fails verification is deleted (it will be fetched again) and None is
    returned. ``pinned``: the file must keep the digest recorded on its first download. A local
    path is checked against the source's digest when it has one."""
    if source.path is not None:
        path = Path(source.path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"weight file not found: {path}")
        verify(path, source, None)
        return path
    if source.hf_repo is not None:
        path, record, check, drop = _hf_cached(source), _hf_record(source) if pinned else None, _check_hf, _drop_hf_file
    else:
        found = url_cache_path(str(source.url))
        path, record, check, drop = (found if found.exists() else None), _url_record(found), verify, Path.unlink
    if path is None:
        return None
    try:
        check(path, source, record)
    except ChecksumError as e:
        log.warning("cached file is damaged (%s); deleting it to fetch it again", e)
        drop(path)
        return None
    return path
