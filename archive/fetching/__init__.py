"""Safe, polite downloads of council files: public addresses only, limits, atomic writes.

>>> with Fetcher(delay=1.0) as fetcher:  # doctest: +SKIP
...     fetched = fetcher.fetch("https://example.org/a.pdf", Path("files/a.pdf"))
"""

from archive.errors import FetchError
from archive.fetching.download import (
    USER_AGENT,
    Fetched,
    Fetcher,
    FetchLimits,
    FetchPolicy,
    remove_partial,
)

__all__ = [
    "USER_AGENT",
    "FetchError",
    "FetchLimits",
    "FetchPolicy",
    "Fetched",
    "Fetcher",
    "remove_partial",
]
