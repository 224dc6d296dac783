"""The fetcher's HTTP session: a descriptive User-Agent and retries with backoff.

urllib3's ``Retry`` asks again on 429, 5xx, timeouts and dropped connections, waiting
as a ``Retry-After`` asks (at most ``MAX_RETRY_AFTER``); redirects are left to the
fetcher, which guards every hop.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, TimeoutError
from urllib3.util import Retry

try:
    _VERSION = version("ratsarchiv")
except PackageNotFoundError:  # pragma: no cover - running from a checkout
    _VERSION = "dev"
USER_AGENT = f"Ratsarchiv/{_VERSION} (archive of council papers; file fetcher)"
"""Consistent with the OParl importer's ``Ratsarchiv/<version> (…; OParl importer)``."""
RETRY_STATUSES = frozenset({429, *range(500, 600)})
"""Answers worth asking again: too many requests, and every server error."""
MAX_RETRY_AFTER = 120.0
"""Seconds at most that a ``Retry-After`` holds a fetch before it is asked again."""


class _Retry(Retry):
    """urllib3's ``Retry``, waiting no longer than ``MAX_RETRY_AFTER`` whatever a server asks."""

    def get_retry_after(self, response: urllib3.BaseHTTPResponse) -> float | None:
        wait = super().get_retry_after(response)
        return None if wait is None else min(wait, MAX_RETRY_AFTER)


def polite_session(user_agent: str, retries: int, backoff: float) -> requests.Session:
    """A session for many threads: ``user_agent``, ``retries`` with ``backoff``, no redirects."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    session.headers["Accept-Encoding"] = "identity"  # the file's own bytes, hashed
    retry = _Retry(
        total=retries,
        redirect=False,
        backoff_factor=backoff,  # waits 0, 2, 4 … × backoff; Retry-After wins
        status_forcelist=RETRY_STATUSES,
        allowed_methods={"GET"},
        raise_on_status=False,  # the last answer is reported with its status
        raise_on_redirect=False,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def failure(exc: requests.RequestException, read_timeout: float) -> str:
    """What went wrong, in one line: no answer in time, no connection, or else."""
    cause = exc.args[0] if exc.args else None
    reason = cause.reason if isinstance(cause, MaxRetryError) else None
    if isinstance(exc, requests.Timeout) or isinstance(reason, TimeoutError):
        return f"no answer within {read_timeout:g} s"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return f"request failed ({type(exc).__name__})"
