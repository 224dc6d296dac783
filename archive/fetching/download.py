"""``Fetcher``: one file from a URL to a path, safely and politely.

Every hop (the first request and each redirect, followed by hand) passes the address
guard first; requests to one host start at least ``delay`` seconds apart; 429, 5xx and
timeouts are retried with backoff (urllib3's ``Retry``, honouring ``Retry-After``). The
body streams into a ``.part`` file beside ``dest``, counted, hashed and checked against
``FetchLimits`` as it comes, and is renamed onto ``dest`` only when complete.
A gap remains: DNS rebinding between the guard's lookup and the connection (not pinned).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from archive.errors import FetchError
from archive.fetching.address_guard import check_url
from archive.fetching.partfile import PartFile, WrongKind, remove_partial
from archive.fetching.session import USER_AGENT, failure, polite_session

__all__ = ["USER_AGENT", "FetchLimits", "FetchPolicy", "Fetched", "Fetcher", "remove_partial"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 1 << 16
"""At most this many bytes per read; a read returns what has arrived, so a slow server
is checked against the deadline between reads."""
MIB = 1024**2


@dataclass(frozen=True)
class FetchLimits:
    """How much and how long one file may take."""

    max_bytes: int = 200 * MIB
    """Per file; a larger Content-Length is refused before the body is read."""
    timeout: float = 30.0
    """Seconds to connect, and to wait for each read."""
    deadline: float = 600.0
    """Total seconds per file, checked while streaming (a server dripping bytes is cut off)."""
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchPolicy:
    """Which addresses may be fetched from besides public ones."""

    allow_private: bool = False
    """Private and loopback addresses too (never a cloud metadata address)."""
    allowed_origins: frozenset[str] = frozenset()
    """``scheme://host:port`` of the source itself, allowed even when private."""


@dataclass
class Fetched:
    """What a fetch got: a new file at ``dest`` or ``not_modified``, and its validators."""

    not_modified: bool
    url: str
    size: int | None = None
    sha256: str = ""
    media_type: str = ""
    etag: str = ""
    last_modified: str = ""


class Fetcher:
    """Fetches files with limits, the address guard and a per-host delay (thread-safe).

    >>> with Fetcher(delay=1.0) as fetcher:
    ...     fetcher.session.headers["User-Agent"].startswith("Ratsarchiv/")
    True
    """

    def __init__(
        self,
        limits: FetchLimits = FetchLimits(),
        policy: FetchPolicy = FetchPolicy(),
        *,
        delay: float = 0.0,
        user_agent: str = USER_AGENT,
        retries: int = 2,
        backoff: float = 1.0,
    ) -> None:
        self.limits = limits
        self.policy = policy
        self.delay = delay
        self.session = polite_session(user_agent, retries, backoff)
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def fetch(
        self, url: str, dest: Path, *, etag: str = "", last_modified: str = "", expect: str = "pdf"
    ) -> Fetched:
        """Fetch ``url`` into ``dest``; ``FetchError`` (URL and reason) when that fails.

        ``etag``/``last_modified`` make the request conditional: a 304 gives
        ``Fetched(not_modified=True)`` and leaves ``dest`` as it is. ``expect="pdf"``
        refuses a body whose first bytes are not a PDF; ``expect=""`` takes any file.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        response, waited = self._follow(url, headers)
        with response:
            if response.status_code == 304:
                return Fetched(
                    True,
                    response.url,
                    etag=response.headers.get("ETag", etag),
                    last_modified=response.headers.get("Last-Modified", last_modified),
                )
            if response.status_code != 200:
                reason = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
                raise FetchError(response.url, reason)
            return self._save(response, Path(dest), expect, started + waited)

    def _follow(self, url: str, headers: dict[str, str]) -> tuple[requests.Response, float]:
        """The first answer that is not a redirect, every hop guarded, and the seconds
        spent waiting for the per-host delay (which do not count against the deadline)."""
        first, seen, waited = url, [url], 0.0
        for _hop in range(self.limits.max_redirects + 1):
            response, wait = self._get(url, headers)
            waited += wait
            location = response.headers.get("Location")
            if response.status_code not in REDIRECTS or not location:
                return response, waited
            response.close()
            target = urljoin(url, location)
            if target in seen:
                raise FetchError(first, f"redirect loop: {url} redirects back to {target}")
            seen.append(target)
            url = target
        raise FetchError(first, f"more than {self.limits.max_redirects} redirects (last to {url})")

    def _save(
        self, response: requests.Response, dest: Path, expect: str, started: float
    ) -> Fetched:
        """Stream a 200's body into ``dest`` through a ``.part`` file, within the limits."""
        url = response.url
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        declared = _content_length(response)
        if declared is not None and declared > self.limits.max_bytes:
            raise FetchError(
                url,
                f"refused: Content-Length {declared} bytes is over the limit of "
                f"{_size(self.limits.max_bytes)}",
            )
        try:
            part = PartFile(dest, expect)
        except OSError as exc:
            raise FetchError(url, f"cannot write into {dest.parent}: {exc.strerror}") from None
        try:
            self._stream(response, part, started, declared)
            part.commit()
        except WrongKind as wrong:
            part.discard()
            served = media_type or "no content type"
            raise FetchError(url, f"served as {served} but is {wrong.describe()}") from None
        except OSError as exc:  # the disk, not the network (that is a FetchError by now)
            part.discard()
            raise FetchError(url, f"cannot write {dest}: {exc.strerror}") from None
        except BaseException:
            part.discard()
            raise
        return Fetched(
            False,
            url,
            size=part.size,
            sha256=part.sha256.hexdigest(),
            media_type=media_type,
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
        )

    def _get(self, url: str, headers: dict[str, str]) -> tuple[requests.Response, float]:
        """One guarded request, after the per-host delay; the seconds waited for it."""
        check_url(
            url,
            allow_private=self.policy.allow_private,
            allowed_origins=self.policy.allowed_origins,
        )
        waited = self._wait(urlsplit(url).hostname or "")
        read_timeout = min(self.limits.timeout, self.limits.deadline)
        try:
            response = self.session.get(
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(self.limits.timeout, read_timeout),
            )
        except requests.RequestException as exc:
            raise FetchError(url, failure(exc, read_timeout)) from None
        return response, waited

    def _wait(self, host: str) -> float:
        """Hold this request until ``delay`` after the last start of one to ``host``."""
        if not self.delay:
            return 0.0
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + self.delay
        if start > now:
            time.sleep(start - now)
        return start - now

    def _stream(
        self, response: requests.Response, part: PartFile, started: float, declared: int | None
    ) -> None:
        url, limits = response.url, self.limits
        while chunk := self._read(response, part.size):
            part.write(chunk)
            if part.size > limits.max_bytes:
                raise FetchError(url, f"refused: more than {_size(limits.max_bytes)}")
            if time.monotonic() - started > limits.deadline:
                raise FetchError(
                    url,
                    f"cut off: not complete after {limits.deadline:g} s ({part.size} bytes so far)",
                )
        encoded = response.headers.get("Content-Encoding", "identity") != "identity"
        if declared is not None and not encoded and part.size != declared:
            raise FetchError(url, f"the connection closed after {part.size} of {declared} bytes")

    def _read(self, response: requests.Response, so_far: int) -> bytes:
        """What has arrived of the body (up to ``CHUNK`` bytes); ``b""`` at its end."""
        try:
            return response.raw.read1(CHUNK, decode_content=True)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if isinstance(exc, urllib3.exceptions.ReadTimeoutError | TimeoutError):
                problem = f"no data for {min(self.limits.timeout, self.limits.deadline):g} s"
            else:
                problem = "the connection broke"
            raise FetchError(response.url, f"{problem} after {so_far} bytes") from None


def _content_length(response: requests.Response) -> int | None:
    try:
        length = int(response.headers.get("Content-Length", ""))
    except ValueError:
        return None
    return length if length >= 0 else None


def _size(count: int) -> str:
    return f"{count / MIB:g} MiB" if count >= MIB else f"{count} bytes"
