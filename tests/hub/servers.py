"""Local stand-ins for the internet: a plain HTTP file server and a Hugging Face Hub-compatible one.

Both run on 127.0.0.1 in a daemon thread. The Hub server speaks what ``hf_hub_download``,
``HfApi.create_repo`` and ``HfApi.create_commit`` use: ``HEAD/GET /{repo}/resolve/{rev}/{file}``
(with ``X-Repo-Commit``, ``ETag``/``X-Linked-Etag``, ``X-Linked-Size``, Range support and
``X-Error-Code`` on 404), ``POST /api/repos/create``, ``/api/validate-yaml``,
``/api/models/{repo}/preupload/{rev}`` (every file "regular") and ``/api/models/{repo}/commit/{rev}``.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

LFS_SUFFIXES = (".safetensors", ".bin", ".pth", ".pyth")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # clients hanging up mid-response are expected
        pass


class _Server:
    def __init__(self, handler_cls):
        self.log: list[tuple[str, str, str | None]] = []  # (method, path, Range header)
        handler = type("Handler", (handler_cls,), {"server_state": self})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self, method: str | None = None) -> list[tuple[str, str, str | None]]:
        return [r for r in self.log if method is None or r[0] == method]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_state: _Server

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _record(self) -> None:
        self.server_state.log.append((self.command, urlsplit(self.path).path, self.headers.get("Range")))

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, *,
              head: bool = False, drop_after: int | None = None) -> None:  # fmt: skip
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:
            return
        if drop_after is not None:  # simulate a dropped connection mid-body
            self.wfile.write(body[:drop_after])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def _send_file(self, content: bytes, headers: dict[str, str], *, head: bool, drop_after: int | None = None,
                   ignore_range: bool = False) -> None:  # fmt: skip
        headers = {**headers, "Accept-Ranges": "bytes"}
        rng = self.headers.get("Range")
        m = re.fullmatch(r"bytes=(\d+)-", rng or "")
        if m and not ignore_range:
            start = int(m.group(1))
            if start >= len(content):
                return self._send(416, headers={"Content-Range": f"bytes */{len(content)}"}, head=head)
            headers["Content-Range"] = f"bytes {start}-{len(content) - 1}/{len(content)}"
            return self._send(206, content[start:], headers, head=head, drop_after=drop_after)
        return self._send(200, content, headers, head=head, drop_after=drop_after)


# ------------------------------------------------------------------------------------ plain HTTP
class FileServer(_Server):
    """Serves ``files[path] = bytes``. ``drop_after[path] = n`` cuts the next GET after n bytes
    (once); ``ignore_range`` makes it answer Range requests with the whole file (200)."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.drop_after: dict[str, int] = {}
        self.ignore_range = False
        super().__init__(_FileHandler)


class _FileHandler(_Handler):
    def do_GET(self, head: bool = False) -> None:
        self._record()
        state: FileServer = self.server_state  # type: ignore[assignment]
        path = urlsplit(self.path).path
        if path not in state.files:
            return self._send(404, b"not found", head=head)
        drop = None if head else state.drop_after.pop(path, None)
        self._send_file(state.files[path], {"Content-Type": "application/octet-stream"}, head=head,
                        drop_after=drop, ignore_range=state.ignore_range)  # fmt: skip

    def do_HEAD(self) -> None:
        self.do_GET(head=True)


# -------------------------------------------------------------------------------- Hub-compatible
def git_sha1(content: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


class HubServer(_Server):
    """An in-memory Hub: ``repos[repo_id][path] = bytes`` on one branch, ``main``.

    ``tampered[(repo_id, path)] = bytes`` serves other bytes than the ones the etag describes
    (what a compromised mirror or a corrupted transfer looks like)."""

    def __init__(self):
        self.repos: dict[str, dict[str, bytes]] = {}
        self.commits: dict[str, list[str]] = {}
        self.tampered: dict[tuple[str, str], bytes] = {}
        self.private: dict[str, bool] = {}
        super().__init__(_HubHandler)

    def add(self, repo_id: str, path: str, content: bytes) -> None:
        self.repos.setdefault(repo_id, {})[path] = content
        self._commit(repo_id)

    def _commit(self, repo_id: str) -> str:
        history = self.commits.setdefault(repo_id, [])
        sha = hashlib.sha1(f"{repo_id}:{len(history)}".encode()).hexdigest()
        history.append(sha)
        return sha

    def head(self, repo_id: str) -> str:
        return self.commits[repo_id][-1]


class _HubHandler(_Handler):
    def _json(self, status: int, obj, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), {"Content-Type": "application/json", **(headers or {})})

    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        self._record()
        hub: HubServer = self.server_state  # type: ignore[assignment]
        path = unquote(urlsplit(self.path).path)
        m = re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/([^/]+))?", path)
        if m:
            repo = m.group(1)
            if repo not in hub.repos:
                return self._json(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
            siblings = [{"rfilename": p} for p in hub.repos[repo]]
            return self._json(200, {"id": repo, "sha": hub.head(repo), "siblings": siblings, "private": False})
        m = re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if not m:
            return self._send(404, b"unknown endpoint", head=head)
        repo, rev, filename = m.groups()
        if repo not in hub.repos:
            return self._send(404, b"", {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"}, head=head)
        if rev != "main" and rev not in hub.commits[repo]:
            return self._send(404, b"", {"X-Error-Code": "RevisionNotFound"}, head=head)
        commit = hub.head(repo) if rev == "main" else rev
        if filename not in hub.repos[repo]:
            return self._send(404, b"", {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit}, head=head)
        content = hub.repos[repo][filename]
        headers = {"X-Repo-Commit": commit, "ETag": f'"{git_sha1(content)}"'}
        if filename.endswith(LFS_SUFFIXES):
            headers["X-Linked-Etag"] = f'"{hashlib.sha256(content).hexdigest()}"'
            headers["X-Linked-Size"] = str(len(content))
        served = hub.tampered.get((repo, filename), content)
        self._send_file(served, headers, head=head)

    def do_POST(self) -> None:
        self._record()
        hub: HubServer = self.server_state  # type: ignore[assignment]
        path = unquote(urlsplit(self.path).path)
        body = self._body()
        if path == "/api/repos/create":
            d = json.loads(body)
            repo = f"{d['organization']}/{d['name']}" if d.get("organization") else f"user/{d['name']}"
            if repo in hub.repos:
                return self._json(409, {"error": "You already created this model repo", "url": f"{hub.url}/{repo}"})
            hub.repos[repo] = {}
            hub.private[repo] = d.get("visibility") == "private" or bool(d.get("private"))
            hub._commit(repo)
            return self._json(200, {"url": f"{hub.url}/{repo}", "name": repo})
        if path == "/api/validate-yaml":
            return self._json(200, {"warnings": []})
        m = re.fullmatch(r"/api/models/([^/]+/[^/]+)/(preupload|commit)/([^/]+)", path)
        if not m or m.group(1) not in hub.repos:
            return self._json(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
        repo, action = m.group(1), m.group(2)
        if action == "preupload":
            files = json.loads(body)["files"]
            return self._json(200, {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False}
                                              for f in files]})  # fmt: skip
        for line in body.splitlines():
            item = json.loads(line)
            if item["key"] == "file":
                hub.repos[repo][item["value"]["path"]] = base64.b64decode(item["value"]["content"])
        sha = hub._commit(repo)
        return self._json(200, {"commitUrl": f"{hub.url}/{repo}/commit/{sha}", "commitOid": sha, "pullRequestUrl": None})
