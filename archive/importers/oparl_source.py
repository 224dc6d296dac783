"""Reading OParl objects: from dump files (streaming) and from a live OParl API.

Dumps come in the shapes OParl tools write: a JSON array of objects, one JSON
object with the objects under ``data`` (an OParl list page), or JSON Lines (one
object per line); any of them optionally gzip-compressed. ``iter_dump`` yields
one object at a time and never holds the whole file, so the 260 MB Karlsruhe
papers dump reads in constant memory. A broken line of a JSON Lines file is
reported as that line's problem and the reading goes on.

``OParlClient`` talks to a live API with ``requests``: a descriptive User-Agent,
an optional delay between requests, retries with exponential backoff on 5xx,
429, timeouts and dropped connections, and ``iter_list`` follows ``links.next``
until the last page, stopping with a clear error when a ``next`` link points back
to a page it has already read.

>>> page = io.StringIO('{"data": [{"id": "a"}, {"id": "b"}], "links": {}}')
>>> [record.data for record in iter_json_values(page)]
[{'id': 'a'}, {'id': 'b'}]
"""

from __future__ import annotations

import gzip
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

import requests

from archive.errors import SourceError

CHUNK = 1 << 20
MAX_RECORD_CHARS = 64 << 20
"""A single object larger than this is not an OParl object but a broken file."""


@dataclass
class Record:
    """One object read from a source, or why it could not be read."""

    where: str
    data: dict[str, Any] | None = None
    error: str | None = None


# ---------------------------------------------------------------- dump files


def open_text(path: Path) -> IO[str]:
    """A dump file as text, gunzipped when it starts with the gzip magic bytes."""
    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
        if magic == b"\x1f\x8b":
            return gzip.open(path, "rt", encoding="utf-8")
        return path.open(encoding="utf-8")
    except OSError as exc:
        raise SourceError(str(path), f"cannot read file: {exc.strerror}") from None


def iter_dump(path: Path) -> Iterator[Record]:
    """Every object in a dump file (JSON array, ``{"data": [...]}`` or JSON Lines, .gz or not)."""
    with open_text(path) as handle:
        try:
            yield from _iter_text(handle, str(path))
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise SourceError(str(path), f"cannot read file: {exc}") from None


def load_dump(path: Path) -> list[dict[str, Any]]:
    """All objects of a (small) dump file: organizations, meetings; broken lines raise."""
    objects = []
    for record in iter_dump(path):
        if record.error is not None or record.data is None:
            raise SourceError(str(path), f"{record.where}: {record.error}")
        objects.append(record.data)
    return objects


def count_dump(path: Path) -> int | None:
    """How many objects a JSON Lines dump holds (cheap: counts lines), else ``None``.

    ``None`` too for a file that cannot be read to its end; reading it says why.
    """
    with open_text(path) as handle:
        try:
            first = handle.read(1)
            if first != "{":
                return None
            count, last = 0, first
            for chunk in iter(lambda: handle.read(CHUNK), ""):
                count += chunk.count("\n")
                last = chunk[-1]
        except (OSError, EOFError, UnicodeDecodeError):
            return None
        return count + (last != "\n")


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).split(";")[0]


def _iter_text(handle: IO[str], source: str) -> Iterator[Record]:
    start = handle.read(CHUNK)
    stripped = start.lstrip()
    if not stripped:
        return
    first_line = stripped.split("\n", 1)[0].strip()
    if stripped[0] == "{" and _is_record_line(first_line):
        yield from _iter_lines(start, handle)
    else:
        yield from iter_json_values(handle, start, source)


def _is_record_line(line: str) -> bool:
    """Whether a file's first line is a whole object on its own (JSON Lines)."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) and not isinstance(value.get("data"), list)


def _iter_lines(start: str, handle: IO[str]) -> Iterator[Record]:
    number = 0
    for line in _lines(start, handle):
        number += 1
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(where, error=f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except (ValueError, RecursionError) as exc:  # a 5000-digit number, nesting
            yield Record(where, error=f"not valid JSON: {_unreadable(exc)}")
            continue
        if isinstance(value, dict):
            yield Record(where, value)
        else:
            yield Record(where, error=f"expected an object, found {type(value).__name__}")


def _lines(start: str, handle: IO[str]) -> Iterator[str]:
    """The lines of ``start`` (already read) and then of the rest of ``handle``."""
    pending = ""
    for line in io.StringIO(start):
        if line.endswith("\n"):
            yield pending + line
            pending = ""
        else:
            pending = line
    if pending:
        yield pending + handle.readline()
    yield from handle


class _Stream:
    """A growing window over a text stream for ``json.JSONDecoder.raw_decode``."""

    def __init__(self, handle: IO[str], start: str, source: str) -> None:
        self.handle = handle
        self.buf = start
        self.pos = 0
        self.eof = False
        self.source = source
        self.decoder = json.JSONDecoder()
        self.consumed = 0

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(max(CHUNK, len(self.buf) - self.pos))
        if not chunk:
            self.eof = True
            return False
        self.consumed += self.pos
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def skip_space(self) -> str:
        """The next non-blank character (not consumed); ``""`` at the end."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, chars: str) -> str:
        char = self.skip_space()
        if not char or char not in chars:
            found = repr(char) if char else "the end of the file"
            self.fail(f"expected {' or '.join(repr(c) for c in chars)}, found {found}")
        self.pos += 1
        return char

    def value(self) -> Any:
        self.skip_space()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos > MAX_RECORD_CHARS or not self.more():
                    self.fail(f"not valid JSON: {exc.msg}")
                continue
            except (ValueError, RecursionError) as exc:  # a 5000-digit number, nesting
                self.fail(f"not valid JSON: {_unreadable(exc)}")
            if end == len(self.buf) and not self.eof and self.more():
                continue  # a number or literal may go on in the next chunk
            self.pos = end
            return value

    def fail(self, message: str) -> None:
        raise SourceError(self.source, f"{message} at character {self.consumed + self.pos}")


def iter_json_values(
    handle: IO[str], start: str = "", source: str = "<stream>"
) -> Iterator[Record]:
    """Objects of a JSON array, of a list page's ``data``, or of concatenated objects."""
    stream = _Stream(handle, start, source)
    count = 0
    while True:
        char = stream.skip_space()
        if not char:
            return
        if char == "[":
            stream.pos += 1
            for value in _array(stream):
                count += 1
                yield _record(f"item {count}", value)
        elif char == "{":
            stream.pos += 1
            wrapper: dict[str, Any] = {}
            streamed = False
            if stream.skip_space() == "}":
                stream.pos += 1
            else:
                while True:
                    key = stream.value()
                    stream.expect(":")
                    if key == "data" and stream.skip_space() == "[" and not streamed:
                        stream.pos += 1
                        streamed = True
                        for value in _array(stream):
                            count += 1
                            yield _record(f"item {count}", value)
                    else:
                        wrapper[key] = stream.value()
                    if stream.expect(",}") == "}":
                        break
            if not streamed:
                count += 1
                yield _record(f"item {count}", wrapper)
        else:
            stream.fail("expected a JSON array or object")


def _array(stream: _Stream) -> Iterator[Any]:
    if stream.skip_space() == "]":
        stream.pos += 1
        return
    while True:
        yield stream.value()
        if stream.expect(",]") == "]":
            return


def _record(where: str, value: Any) -> Record:
    if isinstance(value, dict):
        return Record(where, value)
    return Record(where, error=f"expected an object, found {type(value).__name__}")


# ---------------------------------------------------------------- the live API


def user_agent() -> str:
    """``Ratsarchiv/<version> (archive of council papers; OParl importer)``."""
    try:
        own = version("ratsarchiv")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout
        own = "dev"
    return f"Ratsarchiv/{own} (archive of council papers; OParl importer)"


class OParlClient:
    """A polite, retrying reader of one OParl API (sequential requests).

    >>> client = OParlClient(delay=1.0)
    >>> client.session.headers["User-Agent"].startswith("Ratsarchiv/")
    True
    """

    def __init__(
        self,
        *,
        delay: float = 0.0,
        retries: int = 4,
        backoff: float = 1.0,
        timeout: float = 60.0,
        session: requests.Session | None = None,
    ) -> None:
        self.delay = delay
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent()
        self.session.headers["Accept"] = "application/json"
        self.requests = 0
        self._last = 0.0
        self._cache: dict[str, dict[str, Any]] = {}

    def close(self) -> None:
        self.session.close()

    def _wait(self) -> None:
        if self.delay and self._last:
            pause = self._last + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last = time.monotonic()

    def get(
        self, url: str, params: dict[str, str] | None = None, *, missing_ok: bool = False
    ) -> dict[str, Any]:
        """One JSON object; retries transient failures, ``SourceError`` for the rest.

        With ``missing_ok``, a 404 or 410 (the object is gone) gives ``{}``.
        """
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            self._wait()
            self.requests += 1
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except requests.Timeout:
                problem = f"no answer within {self.timeout:g} s"
                continue
            except requests.ConnectionError as exc:
                problem = f"connection failed ({type(exc).__name__})"
                continue
            except requests.RequestException as exc:
                raise SourceError(url, f"request failed: {exc}") from None
            if response.status_code >= 500 or response.status_code == 429:
                problem = f"HTTP {response.status_code} {response.reason}"
                continue
            if missing_ok and response.status_code in (404, 410):
                return {}
            if response.status_code != 200:
                raise SourceError(
                    response.url, f"HTTP {response.status_code} {response.reason}; expected 200"
                )
            try:
                data = response.json()
            except ValueError:
                raise SourceError(response.url, "the answer is not JSON") from None
            if not isinstance(data, dict):
                raise SourceError(response.url, "expected a JSON object")
            return data
        tries = self.retries + 1
        raise SourceError(url, f"{problem} (gave up after {tries} attempt{'s' * (tries > 1)})")

    def get_object(self, url: str) -> dict[str, Any]:
        """An OParl object by its id URL, fetched once per run (``{}`` when it is gone)."""
        if url not in self._cache:
            self._cache[url] = self.get(url, missing_ok=True)
        return self._cache[url]

    def iter_list(
        self,
        url: str,
        params: dict[str, str] | None = None,
        first_page: dict[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every object of a paginated OParl list, following ``links.next``.

        ``first_page`` is the list's first page when the caller has fetched it already.
        """
        seen: set[str] = set()
        page_url: str | None = url
        while page_url:
            if page_url in seen:
                raise SourceError(
                    url,
                    f"pagination loop: links.next points back to {page_url}, a page already "
                    "read; the server's list is broken, nothing more fetched",
                )
            seen.add(page_url)
            if first_page is not None:
                page, first_page = first_page, None
            else:
                page = self.get(page_url, params if len(seen) == 1 else None)
            data = page.get("data")
            if not isinstance(data, list):
                raise SourceError(page_url, "expected an OParl list (an object with 'data')")
            yield from (item for item in data if isinstance(item, dict))
            links = page.get("links") or {}
            page_url = links.get("next") if isinstance(links, dict) else None

    def iter_papers(
        self, url: str, params: dict[str, str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every paper behind a System, Body or paper list URL (asked with ``params``)."""
        data = self.get(url, params)  # a System or Body ignores modified_since
        kind = str(data.get("type", "")).rsplit("/", 1)[-1]
        if kind == "System":
            bodies = data.get("body")
            if not isinstance(bodies, str):
                raise SourceError(url, "the OParl System names no body list")
            for body in list(self.iter_list(bodies)):
                yield from self.iter_list(self._paper_list(body, bodies), params)
        elif kind == "Body":
            yield from self.iter_list(self._paper_list(data, url), params)
        elif isinstance(data.get("data"), list):
            yield from self.iter_list(url, params, first_page=data)
        else:
            raise SourceError(
                url,
                f"expected an OParl System, Body or paper list, found {kind or 'something else'}",
            )

    @staticmethod
    def _paper_list(body: dict[str, Any], where: str) -> str:
        where = str(body.get("id") or where)
        papers = body.get("paper")
        if not isinstance(papers, str):
            raise SourceError(where, "the OParl Body names no paper list")
        return papers
