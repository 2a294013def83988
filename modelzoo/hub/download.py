"""Fetching weight files: the cache, verified downloads, resume, offline mode.

Plain URLs are cached under ``$MODELZOO_HOME/url/<host>/<path>`` (default ``~/.cache/modelzoo``):
streamed to ``<file>.part`` (resumed with an HTTP Range request after an interruption), checked,
then atomically renamed into place. Hugging Face Hub files go through ``hf_hub_download`` and its
cache (``HF_HOME``/``HF_HUB_CACHE``, ``HF_ENDPOINT``). Every file is verified on every load:
against the spec's sha256 when known, otherwise against the digest recorded the first time it was
seen (trust on first use; records live in ``$MODELZOO_HOME``). A damaged cached file is fetched
again; a download that does not match is deleted and rejected.

``MODELZOO_OFFLINE=1`` or ``HF_HUB_OFFLINE=1`` keeps everything off the network.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from .specs import Source

log = logging.getLogger(__name__)

ENV_HOME = "MODELZOO_HOME"
ENV_OFFLINE = "MODELZOO_OFFLINE"
_TRUE = {"1", "true", "yes", "on"}
_CHUNK = 1 << 20
_RETRIES = 3


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
    return any(os.environ.get(v, "").strip().lower() in _TRUE for v in (ENV_OFFLINE, "HF_HUB_OFFLINE"))


def hf_cache_dir() -> str:
    """The Hub cache as the environment says now (``HF_HUB_CACHE``, else ``$HF_HOME/hub``)."""
    if os.environ.get("HF_HUB_CACHE"):
        return os.path.expanduser(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME") or "~/.cache", "huggingface")
    return os.path.join(os.path.expanduser(home), "hub")


def _user_agent() -> str:
    from .. import __version__

    return f"modelzoo/{__version__}"


def _progress_enabled() -> bool:
    return os.environ.get("HF_HUB_DISABLE_PROGRESS_BARS", "").strip().lower() not in _TRUE


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


# ---------------------------------------------------------------------------------- plain URLs
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


class _Incomplete(Exception):
    """The connection ended before the whole body arrived."""


def _restart_offset(response, offset: int) -> int:
    """Where the body of ``response`` starts: ``offset`` for a matching 206, else 0 (start over)."""
    if offset and response.status_code == 206:
        m = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
        if m and int(m.group(1)) == offset:
            return offset
    return 0


def _stream_to(response, part: Path, offset: int, name: str) -> None:
    from tqdm.auto import tqdm

    length = response.headers.get("Content-Length")
    total = offset + int(length) if length is not None else None
    if hasattr(response.raw, "enforce_content_length"):
        response.raw.enforce_content_length = False  # keep what did arrive; the size check below decides
    mode = "ab" if offset else "wb"
    with open(part, mode) as f, tqdm(total=total, initial=offset, unit="B", unit_scale=True, unit_divisor=1024,
                                       desc=name, disable=None if _progress_enabled() else True, leave=False) as bar:  # fmt: skip
        for chunk in response.iter_content(_CHUNK):
            f.write(chunk)
            bar.update(len(chunk))
    if total is not None and part.stat().st_size != total:
        raise _Incomplete(f"got {part.stat().st_size} of {total} bytes")


def download_url(url: str, dest: Path, *, check: Callable[[Path], object] | None = None) -> Path:
    """Download ``url`` to ``dest``: stream into ``dest.part`` (resuming what an earlier attempt left
    there), run ``check`` on the complete file, then rename it into place. A failed check deletes
    the partial file and re-raises; nothing half-written ever sits at ``dest``."""
    import requests

    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    last: Exception | None = None
    for attempt in range(_RETRIES):
        offset = part.stat().st_size if part.exists() else 0
        headers = {"Accept-Encoding": "identity", "User-Agent": _user_agent()}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            with requests.get(url, headers=headers, stream=True, timeout=(10, 60)) as r:
                if r.status_code in (404, 410):
                    raise WeightsNotFoundError(f"{url}: HTTP {r.status_code} (the file is not on the server)")
                if r.status_code == 416:  # our partial file is not a prefix of theirs: start over
                    part.unlink(missing_ok=True)
                    continue
                if r.status_code >= 500:
                    raise _Incomplete(f"HTTP {r.status_code}")
                if r.status_code >= 400:
                    raise DownloadError(f"{url}: HTTP {r.status_code} {r.reason}")
                offset = _restart_offset(r, offset)
                _stream_to(r, part, offset, dest.name)
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError, _Incomplete) as e:
            last = e
            log.warning("download of %s interrupted (%s); %s", url, e, "retrying" if attempt + 1 < _RETRIES else "giving up")
            time.sleep(0.2 * (attempt + 1))
            continue
        if check is not None:
            try:
                check(part)
            except Exception:
                part.unlink(missing_ok=True)
                raise
        os.replace(part, dest)
        return dest
    kept = f" The {part.stat().st_size} bytes received are kept in {part}; the next attempt resumes." if part.exists() else ""
    raise OfflineError(f"could not download {url}: {last}.{kept} Check the connection, or set {ENV_OFFLINE}=1 "
                       f"to use cached files only ({ENV_HOME} chooses the cache).")


def _lock(path: Path):
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(path.with_name(path.name + ".lock")))


def fetch_url(source: Source) -> Path:
    """A verified local copy of a URL source (downloaded on first use)."""
    dest = url_cache_path(str(source.url))
    record = dest.with_name(dest.name + ".sha256.json")
    with _lock(dest):
        if dest.exists():
            try:
                verify(dest, source, record)
                return dest
            except ChecksumError as e:
                log.warning("cached file is damaged (%s); fetching it again", e)
                dest.unlink()
        if is_offline():
            raise OfflineError(
                f"{source.url} is not in the cache ({dest}) and downloads are off ({ENV_OFFLINE}/HF_HUB_OFFLINE is set). "
                f"Unset it to download, or set {ENV_HOME} to a cache that has the file."
            )
        return download_url(str(source.url), dest, check=lambda p: verify(p, source, record))


# ------------------------------------------------------------------------------ Hugging Face Hub
def _hf_record(source: Source) -> Path:
    return cache_dir().joinpath("hf", *str(source.hf_repo).split("/"), source.revision, f"{source.filename}.sha256.json")


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

    from .. import __version__

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


def _hf_fetch_remote(source: Source) -> Path:
    """``hf_hub_download`` with its errors turned into ours (404 → not found; no network → offline)."""
    from huggingface_hub.utils import (
        EntryNotFoundError, HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError, RevisionNotFoundError,
    )  # fmt: skip

    try:
        return _hf_download(source)
    except LocalEntryNotFoundError as e:
        raise OfflineError(f"could not reach the Hub for {source.location} and it is not in the cache {hf_cache_dir()} "
                           f"({e}). Check the connection or HF_ENDPOINT, or set HF_HOME to a cache that has it.") from None  # fmt: skip
    except (RepositoryNotFoundError, RevisionNotFoundError, EntryNotFoundError) as e:
        raise WeightsNotFoundError(f"{source.location}: not found on the Hub ({type(e).__name__})") from None
    except HfHubHTTPError as e:
        status = getattr(getattr(e, "response", None), "status_code", None)
        if status is not None and (status >= 500 or status == 429):
            raise OfflineError(f"{source.location}: the Hub is unavailable (HTTP {status}); try again later") from None
        hint = " (private or gated repo: set HF_TOKEN)" if status in (401, 403) else ""
        raise DownloadError(f"{source.location}: {e}{hint}") from None
    except Exception as e:  # transport errors of the Hub client (httpx) mean: unreachable
        if type(e).__module__.split(".")[0] not in ("httpx", "httpx2", "requests", "urllib3"):
            raise
        raise OfflineError(f"{source.location}: download failed ({e}); check the connection or HF_ENDPOINT") from None


def fetch_hf(source: Source, *, pinned: bool = True) -> Path:
    """A verified local copy of a Hub file.

    ``pinned`` (registered weights): a cached copy is used without asking the Hub, and the file
    must keep the digest recorded on first download. Unpinned (an ``hf-hub:`` repo named by the
    user): the Hub is asked for the current revision, as ``hf_hub_download`` does.
    """
    record = _hf_record(source) if pinned else None
    if pinned or is_offline():
        cached = _hf_cached(source)
        if cached is not None:
            try:
                _check_hf(cached, source, record)
                return cached
            except ChecksumError as e:
                log.warning("cached file is damaged (%s); fetching it again", e)
                _drop_hf_file(cached)
    if is_offline():
        raise OfflineError(
            f"{source.location} is not in the Hugging Face cache ({hf_cache_dir()}) and downloads are off "
            f"(HF_HUB_OFFLINE/{ENV_OFFLINE} is set). Unset it to download, or set HF_HOME to a cache that has the file."
        )
    for attempt in range(2):  # a damaged cached blob is returned as is by hf_hub_download: drop it, fetch again
        path = _hf_fetch_remote(source)
        try:
            _check_hf(path, source, record)
            return path
        except ChecksumError:
            _drop_hf_file(path)
            if attempt or pinned:
                raise
    raise AssertionError("unreachable")


def fetch(source: Source, *, pinned: bool = True) -> Path:
    """A verified local copy of ``source``'s file (URL downloads are always pinned)."""
    return fetch_hf(source, pinned=pinned) if source.hf_repo is not None else fetch_url(source)


def fetch_first(sources: tuple[Source, ...], what: str, *, pinned: bool = True) -> tuple[Source, Path]:
    """The first source already cached, else the first that downloads. A checksum failure stops at
    once (a tampered file is never replaced by a mirror silently); 'not found' or 'unreachable'
    moves on to the next mirror. The error lists every attempt."""
    if pinned:
        for source in sources:  # a verified cached copy of any mirror wins without network
            path = _cached_copy(source)
            if path is not None:
                return source, path
    errors: list[DownloadError] = []
    for source in sources:
        try:
            return source, fetch(source, pinned=pinned)
        except (WeightsNotFoundError, OfflineError) as e:
            errors.append(e)
    if len(errors) == 1:
        raise errors[0]
    cls = WeightsNotFoundError if all(isinstance(e, WeightsNotFoundError) for e in errors) else OfflineError
    raise cls(f"could not get the weights for {what} from any source:\n" + "\n".join(f"  - {e}" for e in errors))


def _cached_copy(source: Source) -> Path | None:
    """The verified cached file of a pinned ``source`` without touching the network, or None."""
    if source.hf_repo is not None:
        path, record = _hf_cached(source), _hf_record(source)
    else:
        path = url_cache_path(str(source.url))
        path, record = (path if path.exists() else None), path.with_name(path.name + ".sha256.json")
    if path is None:
        return None
    try:
        (_check_hf if source.hf_repo is not None else verify)(path, source, record)
    except ChecksumError:
        return None  # fetch() repairs it
    return path
