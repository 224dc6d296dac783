"""Reading OParl objects: from dump files (streaming) and from a live OParl API.

Dumps come in the shapes OParl tools write: a JSON array of objects, one JSON
object with the objects under ``data`` (an OParl list page), or JSON Lines (one
object per line); any of them optionally gzip-compressed. ``iter_dump`` yields
one object at a time and never holds the whole file, so the 260 MB Karlsruhe
papers dump reads in constant memory. A JSON document is streamed by ``ijson``
(its C backend, yajl2_c, which ``import ijson`` picks when its wheel has it); a
broken one stops with the byte where the parser gave up. JSON Lines are read line
by line with the standard ``json`` module (a line is a whole small document, which
it parses about twice as fast as ijson); a broken line is that line's problem
and the reading goes on.

``OParlClient`` talks to a live API with ``requests``: a descriptive User-Agent,
an optional delay between requests, and urllib3's ``Retry`` on its session:
retries with exponential backoff on 5xx, 429, timeouts and dropped connections,
waiting as long as a 429 or 503 answer's ``Retry-After`` asks. ``iter_list``
follows ``links.next`` until the last page, stopping with a clear error when a
``next`` link points back to a page it has already read.

>>> import pathlib, tempfile
>>> page = pathlib.Path(tempfile.mkdtemp()) / "page.json"
>>> _ = page.write_text('{"data": [{"id": "a"}, {"id": "b"}], "links": {}}')
>>> [record.data for record in iter_dump(page)]
[{'id': 'a'}, {'id': 'b'}]
"""

from __future__ import annotations

import gzip
import io
import json
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

import ijson
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
from urllib3.util import Retry

from archive.errors import SourceError

CHUNK = 1 << 16
"""Bytes handed to the JSON parser at a time."""
SNIFF = 1 << 20
"""Bytes read from a file's start to tell JSON Lines from a JSON document."""
MAX_DEPTH = 256
"""Nesting deeper than this is not OParl (a paper nests about ten levels) but a hostile file."""
MAX_VALUE_BYTES = 64 << 20
"""A single string or number longer than this is not OParl but a broken file."""
RETRY_STATUSES = frozenset({429, *range(500, 600)})
"""Answers worth asking again: too many requests, and every server error."""

_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
_UNREADABLE = (OSError, EOFError, UnicodeDecodeError, zlib.error)


@dataclass
class Record:
    """One object read from a source, or why it could not be read."""

    where: str
    data: dict[str, Any] | None = None
    error: str | None = None


# ---------------------------------------------------------------- dump files


def _open(path: Path) -> IO[bytes]:
    """A dump file's bytes, gunzipped when it starts with the gzip magic bytes."""
    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
        return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")
    except OSError as exc:
        raise SourceError(str(path), f"cannot read file: {exc.strerror}") from None


def iter_dump(path: Path) -> Iterator[Record]:
    """Every object in a dump file (JSON array, ``{"data": [...]}`` or JSON Lines, .gz or not)."""
    with _open(path) as handle:
        try:
            shape = _shape(handle)
            if shape == "lines":
                with io.TextIOWrapper(handle, encoding="utf-8") as text:
                    yield from _iter_lines(text)
            elif shape == "document":
                yield from _records(_event_batches(handle, str(path)), str(path))
        except _UNREADABLE as exc:
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
    with _open(path) as handle:
        try:
            if _shape(handle) != "lines":
                return None
            count, last = 0, b"\n"
            for chunk in iter(lambda: handle.read(SNIFF), b""):
                count += chunk.count(b"\n")
                last = chunk[-1:]
        except _UNREADABLE:
            return None
        return count + (last != b"\n")


def _shape(handle: IO[bytes]) -> str:
    """``"lines"`` (JSON Lines), ``"document"`` or ``"empty"``, told from the start; rewinds."""
    head = handle.read(SNIFF)
    handle.seek(0)
    stripped = head.lstrip()
    if not stripped:
        return "empty" if len(head) < SNIFF else "document"
    first_line = stripped.split(b"\n", 1)[0].decode("utf-8", "replace")
    try:  # a whole object on the first line, and not a list page: JSON Lines
        value = json.loads(first_line)
    except (ValueError, RecursionError):
        return "document"
    is_record = isinstance(value, dict) and not isinstance(value.get("data"), list)
    return "lines" if is_record else "document"


def _iter_lines(text: IO[str]) -> Iterator[Record]:
    for number, line in enumerate(text, 1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(where, error=f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except (ValueError, RecursionError) as exc:  # a 5000-digit number, nesting
            yield Record(where, error=f"not valid JSON: {_first_line(exc)}")
            continue
        yield _record(where, value)


def _event_batches(handle: IO[bytes], source: str) -> Iterator[list[tuple[str, Any]]]:
    """ijson's parser events for ``handle``, one batch per chunk read.

    Events that came before a fault are passed on first; then a ``SourceError`` names
    the byte where the parser gave up and what it found wrong. A value that goes on for
    ``MAX_VALUE_BYTES`` (an unclosed string) is stopped before it fills the memory.
    """
    events = ijson.sendable_list()
    parser = ijson.basic_parse_coro(events, use_float=True, multiple_values=True)
    offset = quiet = 0  # bytes read; bytes read since the last event
    while True:
        chunk = handle.read(CHUNK)
        try:
            parser.send(chunk)  # b"" ends the input
        except StopIteration:
            yield events
            return
        except (ijson.JSONError, ValueError) as exc:
            yield events
            at, at_end = _fault_offset(handle, offset) if chunk else (offset, True)
            problem = "the file ends inside a value (cut short?)" if at_end else _first_line(exc)
            raise SourceError(source, f"not valid JSON at byte {at}: {problem}") from None
        quiet = 0 if events else quiet + len(chunk)
        yield events
        events.clear()
        offset += len(chunk)
        if quiet > MAX_VALUE_BYTES:
            raise SourceError(
                source,
                f"a single value runs on past byte {offset} (more than {MAX_VALUE_BYTES} "
                "bytes without an end): not an OParl dump",
            )


def _fault_offset(handle: IO[bytes], start: int) -> tuple[int, bool]:
    """Where a fresh parser gives up, and whether that is the end of the file.

    It is fed up to ``start`` (where the chunk the first parser gave up in begins) in
    chunks, then that chunk byte by byte.
    """
    handle.seek(0)
    sink = ijson.sendable_list()
    parser = ijson.basic_parse_coro(sink, use_float=True, multiple_values=True)
    offset = 0
    try:
        while offset < start:
            chunk = handle.read(min(CHUNK, start - offset))
            parser.send(chunk)
            sink.clear()
            offset += len(chunk)
        tail = handle.read(CHUNK)
        for index in range(len(tail)):
            parser.send(tail[index : index + 1])
            sink.clear()
            offset += 1
    except (ijson.JSONError, ValueError):
        return offset, False
    return offset, True  # every byte was fine: only the end of the input was not


def _first_line(exc: Exception) -> str:
    """The gist of a parser's message (yajl adds the text around the fault)."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    message = exc.args[0] if exc.args else type(exc).__name__
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return str(message).strip().split("\n")[0].split(";")[0].rstrip(".")


def _records(batches: Iterable[list[tuple[str, Any]]], source: str) -> Iterator[Record]:
    """Records from parser events: the items of a top-level array and of a list page's
    ``data``, and any other top-level value whole (several values may follow each other).
    """
    depth = 0  # after the current event
    items_at = 0  # the depth of the open array whose values are records; 0: none
    item: ijson.ObjectBuilder | None = None  # the record being built
    page: ijson.ObjectBuilder | None = None  # a top-level object: a list page, or one record
    key, paged, count = None, False, 0
    for events in batches:
        for event, value in events:
            level = depth  # before the event
            if event in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:
                    raise SourceError(
                        source, f"item {count + 1} nests more than {MAX_DEPTH} levels deep"
                    )
            elif event in _CLOSE:
                depth -= 1
            if item is not None:
                item.event(event, value)
                if depth == items_at:
                    count += 1
                    yield _record(f"item {count}", item.value)
                    item = None
            elif items_at and level == items_at:
                if event in _OPEN:
                    item = ijson.ObjectBuilder()
                    item.event(event, value)
                elif event == "end_array":
                    items_at = 0
                else:
                    count += 1
                    yield _record(f"item {count}", value)
            elif page is not None:
                if level == 1 and event == "start_array" and key == "data" and not paged:
                    items_at, paged = 2, True
                    continue
                if level == 1 and event == "map_key":
                    key = value
                page.event(event, value)
                if depth == 0:
                    if not paged:
                        count += 1
                        yield _record(f"item {count}", page.value)
                    page = None
            elif event == "start_array":
                items_at = 1
            elif event == "start_map":
                page, key, paged = ijson.ObjectBuilder(), None, False
                page.event(event, value)
            else:
                count += 1
                yield _record(f"item {count}", value)


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
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent()
        self.session.headers["Accept"] = "application/json"
        retry = Retry(
            total=retries,
            backoff_factor=backoff,  # waits 0, 2, 4, 8 … × backoff; Retry-After wins
            status_forcelist=RETRY_STATUSES,
            allowed_methods={"GET"},
            raise_on_status=False,  # the last answer is reported with its status
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
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
        """One JSON object; transient failures are retried, ``SourceError`` for the rest.

        With ``missing_ok``, a 404 or 410 (the object is gone) gives ``{}``.
        """
        self._wait()
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            gave_up = bool(exc.args) and isinstance(exc.args[0], MaxRetryError)
            self.requests += self.retries + 1 if gave_up else 1
            raise SourceError(url, self._failure(exc, gave_up)) from None
        retried = getattr(response.raw, "retries", None)
        attempts = 1 + len(retried.history) if retried is not None else 1
        self.requests += attempts
        status = f"HTTP {response.status_code} {response.reason}"
        if response.status_code in RETRY_STATUSES:
            raise SourceError(url, f"{status} (gave up after {_attempts(attempts)})")
        if missing_ok and response.status_code in (404, 410):
            return {}
        if response.status_code != 200:
            raise SourceError(response.url, f"{status}; expected 200")
        try:
            data = response.json()
        except ValueError:
            raise SourceError(response.url, "the answer is not JSON") from None
        if not isinstance(data, dict):
            raise SourceError(response.url, "expected a JSON object")
        return data

    def _failure(self, exc: requests.RequestException, gave_up: bool) -> str:
        """What went wrong, in words: no answer in time, no connection, or else."""
        reason = exc.args[0].reason if gave_up else None
        if isinstance(exc, requests.Timeout) or isinstance(reason, ReadTimeoutError):
            problem = f"no answer within {self.timeout:g} s"
        elif isinstance(exc, requests.ConnectionError):
            problem = f"connection failed ({type(exc).__name__})"
        else:
            return f"request failed: {exc}"
        return f"{problem} (gave up after {_attempts(self.retries + 1)})" if gave_up else problem

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


def _attempts(count: int) -> str:
    return f"{count} attempt{'s' * (count > 1)}"
