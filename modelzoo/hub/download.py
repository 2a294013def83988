"""Fetching weight files: verified downloads with resume, mirrors in order, offline mode.

Plain URLs are streamed to ``<file>.part`` (resumed with an HTTP Range request after an
interruption), checked, then atomically renamed into the cache; Hugging Face Hub files go through
``hf_hub_download`` (``HF_ENDPOINT`` honoured). A download that does not match its digest is
deleted and rejected; the cache and its checks are :mod:`modelzoo.hub.cache`.

``MODELZOO_OFFLINE=1`` or ``HF_HUB_OFFLINE=1`` keeps everything off the network. A host that cannot
be reached (no name resolution, connection refused or timed out) is given up at once, without the
retries meant for interrupted transfers.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import socket
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..version import __version__
from .cache import (ENV_HOME, ENV_OFFLINE, OFFLINE_VARS, TRUE_VALUES, ChecksumError, DownloadError, OfflineError,
                    WeightsNotFoundError, _check_hf, _drop_hf_file, _hf_download, _hf_record, _url_record, cache_dir,
                    cached_copy, file_sha256, hf_cache_dir, is_offline, url_cache_path, verify)  # fmt: skip
from .weight_spec import Source

__all__ = ["DownloadError", "WeightsNotFoundError", "OfflineError", "ChecksumError", "cache_dir", "hf_cache_dir",
           "is_offline", "url_cache_path", "file_sha256", "verify", "cached_copy", "download_url", "fetch",
           "fetch_first"]  # fmt: skip

log = logging.getLogger(__name__)
_CHUNK = 1 << 20
_RETRIES = 3


def _user_agent() -> str:
    return f"modelzoo/{__version__}"


def _progress_enabled() -> bool:
    return os.environ.get("HF_HUB_DISABLE_PROGRESS_BARS", "").strip().lower() not in TRUE_VALUES


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


# ------------------------------------------------------------------------------- reachability
@functools.lru_cache(maxsize=None)
def _unreachable(scheme: str, host: str, port: int | None) -> str | None:
    """Why ``host`` cannot be reached (name resolution, refused, timed out), or None if it can.

    Asked once per host and process, so an offline machine fails in seconds instead of spending
    the retries meant for interrupted transfers. Skipped behind a proxy (the proxy decides)."""
    import requests

    if requests.utils.get_environ_proxies(f"{scheme}://{host}"):
        return None
    try:
        socket.create_connection((host, port or (443 if scheme == "https" else 80)), timeout=5).close()
    except socket.gaierror:
        return f"cannot resolve {host}"
    except OSError as e:
        return f"cannot connect to {host}:{port or (443 if scheme == 'https' else 80)} ({e.strerror or e})"
    return None


def _check_reachable(url: str, location: str) -> None:
    parts = urlsplit(url)
    why = _unreachable(parts.scheme, parts.hostname or "", parts.port)
    if why is not None:
        raise OfflineError(f"{location}: {why} (check the connection; {ENV_OFFLINE}=1 uses cached files only)")


def _hf_endpoint() -> str:
    return os.environ.get("HF_ENDPOINT") or "https://huggingface.co"


# ---------------------------------------------------------------------------------- downloads
def _fetch_url(source: Source) -> Path:
    dest = url_cache_path(str(source.url))
    record = _url_record(dest)
    with _lock(dest):
        found = cached_copy(source)  # another process may have finished it meanwhile
        if found is not None:
            return found
        _check_reachable(str(source.url), str(source.url))
        return download_url(str(source.url), dest, check=lambda p: verify(p, source, record))


def _fetch_hf(source: Source, *, pinned: bool) -> Path:
    """``hf_hub_download`` verified, with its errors turned into ours (404 → not found; no network
    → offline). A damaged blob that the Hub client returns as is gets dropped and fetched again."""
    _check_reachable(_hf_endpoint(), source.location)
    record = _hf_record(source) if pinned else None
    for attempt in range(2):
        path = _hf_fetch_remote(source)
        try:
            _check_hf(path, source, record)
            return path
        except ChecksumError:
            _drop_hf_file(path)
            if attempt or pinned:
                raise
    raise AssertionError("unreachable")


def _hf_fetch_remote(source: Source) -> Path:
    from huggingface_hub.utils import (
        EntryNotFoundError, HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError, RevisionNotFoundError,
    )  # fmt: skip

    try:
        return _hf_download(source)
    except LocalEntryNotFoundError as e:
        raise OfflineError(f"{source.location}: the Hub could not be reached ({e})") from None
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


def fetch(source: Source, *, pinned: bool = True) -> Path:
    """A verified local copy of ``source``'s file: the cache when it holds a good copy (always for
    registered weights; for an ``hf-hub:`` repo named by the user, ``pinned=False``, the Hub is
    asked for the current revision first, as ``hf_hub_download`` does), else a download."""
    if pinned or is_offline() or source.hf_repo is None:  # URL downloads are always pinned
        found = cached_copy(source, pinned=pinned)
        if found is not None:
            return found
    if is_offline():
        cache, env = ("the Hugging Face cache", "HF_HOME") if source.hf_repo is not None else ("the cache", ENV_HOME)
        where = hf_cache_dir() if source.hf_repo is not None else url_cache_path(str(source.url))
        raise OfflineError(f"{source.location}: not in {cache} ({where}), and downloads are off ({OFFLINE_VARS} is "
                           f"set: unset it to download, or set {env} to a cache that has the file)")  # fmt: skip
    return _fetch_hf(source, pinned=pinned) if source.hf_repo is not None else _fetch_url(source)


def fetch_first(sources: tuple[Source, ...], what: str, *, pinned: bool = True) -> tuple[Source, Path]:
    """The first source with a good cached copy, else the first that downloads. A checksum failure
    of a download stops at once (a tampered file is never replaced by a mirror silently); 'not
    found' or 'unreachable' moves on to the next mirror. The error lists every attempt."""
    if pinned:
        for source in sources:  # a verified cached copy of any mirror wins without network
            path = cached_copy(source)
            if path is not None:
                return source, path
    errors: list[DownloadError] = []
    for source in sources:
        try:
            return source, fetch(source, pinned=pinned)
        except (WeightsNotFoundError, OfflineError) as e:
            errors.append(e)
    if all(isinstance(e, OfflineError) for e in errors):
        raise OfflineError(offline_message(what, sources, errors))
    if len(errors) == 1:
        raise errors[0]
    cls = WeightsNotFoundError if all(isinstance(e, WeightsNotFoundError) for e in errors) else OfflineError
    raise cls(f"could not get the weights for {what} from any source:\n" + "\n".join(f"  - {e}" for e in errors))


def offline_message(what: str, sources: tuple[Source, ...], errors: list[DownloadError]) -> str:
    """One short message: which weights, where they were looked for, how to get them."""
    if is_offline():
        why, fix = f"downloads are off ({OFFLINE_VARS} is set)", f"unset {OFFLINE_VARS} on a connected machine"
    else:
        why = "; ".join(dict.fromkeys(str(e).removeprefix(f"{s.location}: ").split(" (check")[0]
                                      for s, e in zip(sources, errors)))  # fmt: skip
        fix = "connect to the internet (or check HF_ENDPOINT and proxy settings)"
    return (f"could not get the weights {what}: {why}, and they are not in the cache (HF_HOME cache "
            f"{hf_cache_dir()}, MODELZOO_HOME {cache_dir()}). Tried: {', '.join(s.location for s in sources)}. To fix: {fix}, or use "
            f"a local copy of the file: modelzoo.create(name, pretrained='/path/to/file').")
