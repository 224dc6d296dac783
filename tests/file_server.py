"""A local HTTP server for tests: files under a folder, conditional answers, hostile behaviours.

``FileServer`` runs the standard library's ``ThreadingHTTPServer`` in a daemon thread.
Files under ``root`` are served with a content type by extension, an ``ETag`` (the
SHA-256 of the content) and ``Last-Modified``, and a 304 to a matching conditional
request. ``route(path, handler)`` answers one path specially; the behaviours below make
such handlers (a redirect, a drip, an endless body, a status, given bytes, a cut-off body).
Every request is counted in ``hits[path]`` and its headers kept in ``headers[path]``.

>>> with FileServer() as server:  # doctest: +SKIP
...     server.route("/gone", status(410))
...     server.route("/old", redirect(server.url("/gone")))
...     server.url("/old")
'http://127.0.0.1:40123/old'

Bind to another loopback address (``host="127.0.0.2"``; Linux routes all of 127/8 to
loopback) to have a "source" whose origin differs from the ``127.0.0.1`` a redirect
points at.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

Handler = Callable[[BaseHTTPRequestHandler], None]
"""Writes one whole answer to the request (status, headers, body)."""

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".jsonl": "application/jsonl",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}


class FileServer:
    """Serves ``root`` (optional) and routed paths on ``host`` at a free port."""

    def __init__(self, root: Path | None = None, host: str = "127.0.0.1") -> None:
        self.root = Path(root) if root else None
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.headers: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, 0), _handler_class(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def origin(self) -> str:
        """``http://host:port``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        """The full URL of ``path`` ("/a.pdf" or "a.pdf")."""
        return f"{self.origin}/{path.lstrip('/')}"

    def route(self, path: str, handler: Handler) -> None:
        """Answer requests to ``path`` (without query) with ``handler``."""
        self.routes["/" + path.lstrip("/")] = handler

    def __enter__(self) -> FileServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _record(self, request: BaseHTTPRequestHandler) -> str:
        path = unquote(urlsplit(request.path).path)
        with self._lock:
            self.hits[path] += 1
            self.headers[path] = dict(request.headers.items())
        return path

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        path = self._record(request)
        handler = self.routes.get(path)
        if handler is not None:
            handler(request)
            return
        file = self._file(path)
        if file is None:
            status(404)(request)
            return
        serve_file(file)(request)

    def _file(self, path: str) -> Path | None:
        if self.root is None:
            return None
        file = (self.root / path.lstrip("/")).resolve()
        if not file.is_relative_to(self.root.resolve()) or not file.is_file():
            return None
        return file


def _handler_class(server: FileServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            try:
                server._answer(self)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up: fine
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # quiet tests
            pass

    return _Handler


# ------------------------------------------------------------------ behaviours


def serve_file(file: Path, content_type: str = "") -> Handler:
    """``file`` with ETag and Last-Modified; 304 when the request's validators match."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        data = file.read_bytes()
        etag = f'"{hashlib.sha256(data).hexdigest()}"'
        mtime = int(file.stat().st_mtime)
        modified = formatdate(mtime, usegmt=True)
        kind = content_type or CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
        if _not_modified(request, etag, mtime):
            request.send_response(304)
            request.send_header("ETag", etag)
            request.send_header("Last-Modified", modified)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        _send(request, 200, data, kind, {"ETag": etag, "Last-Modified": modified})

    return handler


def _not_modified(request: BaseHTTPRequestHandler, etag: str, mtime: int) -> bool:
    tags = request.headers.get("If-None-Match")
    if tags is not None:
        return etag in [tag.strip() for tag in tags.split(",")] or tags.strip() == "*"
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            return mtime <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def serve_bytes(data: bytes, content_type: str = "application/octet-stream") -> Handler:
    """Always ``data`` with a 200 and ``content_type`` (e.g. an HTML page as application/pdf)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        _send(request, 200, data, content_type)

    return handler


def status(code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    """An answer with status ``code`` (404, 500, 429 with ``{"Retry-After": "1"}``, …)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        _send(request, code, body or f"HTTP {code}\n".encode(), "text/plain", headers)

    return handler


def redirect(to_url: str, code: int = 302) -> Handler:
    """A redirect to ``to_url`` (absolute or relative)."""
    return status(code, headers={"Location": to_url})


def drip(
    body: bytes, bytes_per_second: float = 1, content_type: str = "application/pdf"
) -> Handler:
    """``body`` with its Content-Length, sent one byte at a time at ``bytes_per_second``."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        _head(request, 200, content_type, {"Content-Length": str(len(body))})
        for index in range(len(body)):
            request.wfile.write(body[index : index + 1])
            request.wfile.flush()
            time.sleep(1 / bytes_per_second)

    return handler


def endless(
    content_type: str = "application/pdf", length: int | None = None, start: bytes = b"%PDF-1.7\n"
) -> Handler:
    """A body that never ends: ``start``, then zeros until the client hangs up.

    ``length`` declares a Content-Length (e.g. 2 GB); without it the body has none and
    the connection closes at its (never reached) end.
    """

    def handler(request: BaseHTTPRequestHandler) -> None:
        headers = {"Content-Length": str(length)} if length is not None else {"Connection": "close"}
        request.close_connection = length is None
        _head(request, 200, content_type, headers)
        request.wfile.write(start)
        block = bytes(1 << 16)
        while True:
            request.wfile.write(block)

    return handler


def cut(
    body: bytes, after: int, content_type: str = "application/pdf", pause: float = 0.0
) -> Handler:
    """``body``'s Content-Length but only its first ``after`` bytes (after ``pause`` s),
    then the connection is closed: a server (or a network) dying mid-download."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        _head(request, 200, content_type, {"Content-Length": str(len(body))})
        request.wfile.write(body[:after])
        request.wfile.flush()
        time.sleep(pause)
        request.close_connection = True

    return handler


def _head(
    request: BaseHTTPRequestHandler, code: int, content_type: str, headers: dict[str, str]
) -> None:
    request.send_response(code)
    request.send_header("Content-Type", content_type)
    for name, value in headers.items():
        request.send_header(name, value)
    request.end_headers()


def _send(
    request: BaseHTTPRequestHandler,
    code: int,
    data: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    _head(request, code, content_type, {**(headers or {}), "Content-Length": str(len(data))})
    request.wfile.write(data)
