"""The archive's councils as the site shows them: descriptions and paper counts.

They come from the search index (``SearchIndex.councils()``: every council's description
from its ``_council.yml`` with its number of public papers), read once per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, url_for

from archive.councils import Council, key_problem
from archive.errors import NotFoundError
from webapp.backend import search_index


@dataclass(frozen=True)
class CouncilEntry:
    """One council of the archive with the number of its public papers."""

    council: Council
    papers: int

    @property
    def key(self) -> str:
        return self.council.key

    @property
    def url(self) -> str:
        return url_for("councils.page", council=self.key)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.council.to_dict(),
            "papers": self.papers,
            "url": self.url,
            "api_url": url_for("councils.api", council=self.key),
            "feed_url": url_for("councils.feed", council=self.key),
        }


def councils() -> list[CouncilEntry]:
    """Every council of the archive (the index's order), read once per request."""
    if "councils" not in g:
        g.councils = [CouncilEntry(c, n) for c, n in search_index().councils()]
    return g.councils


def council_entry(key: str) -> CouncilEntry:
    """The council ``key``; ``NotFoundError`` (a 404) when the archive has none of that key."""
    if not key_problem(key):
        for entry in councils():
            if entry.key == key:
                return entry
    raise NotFoundError(key)


def council_names() -> dict[str, str]:
    """Council key → full name."""
    return {entry.key: entry.council.name for entry in councils()}


def council_label(key: str) -> str:
    """The short name (else the name) of council ``key``; the key for an unknown one."""
    for entry in councils():
        if entry.key == key:
            return entry.council.label
    return key


def several_councils() -> bool:
    """Whether the archive holds more than one council (hits then name theirs)."""
    return len(councils()) > 1
