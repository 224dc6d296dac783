"""The archive's councils as the site shows them: descriptions, paper counts, addresses.

They come from the search index (``SearchIndex.councils()``: each council's description
as of the last reindex, with its number of public papers), read once per request.
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for

from archive.councils import key_problem
from archive.errors import NotFoundError
from index.results import CouncilSummary
from webapp.backend import search_index


def councils() -> list[CouncilSummary]:
    """Every council with public papers, by name (read once per request)."""
    if "councils" not in g:
        g.councils = search_index().councils()
    return g.councils


def council_summary(key: str) -> CouncilSummary:
    """The council ``key`` (perhaps without papers yet); ``NotFoundError`` for an unknown key."""
    for summary in councils():
        if summary.key == key:
            return summary
    council = None if key_problem(key) else search_index().council(key)
    if council is None:
        raise NotFoundError(key)
    return CouncilSummary(council, 0)


def council_dict(summary: CouncilSummary) -> dict[str, Any]:
    """A council's JSON: its description, its number of papers and its addresses."""
    key = summary.key
    return {
        **summary.to_dict(),
        "url": url_for("councils.page", council=key),
        "api_url": url_for("councils.api", council=key),
        "feed_url": url_for("councils.feed", council=key),
    }


def council_name(key: str) -> str:
    """The full name of council ``key``; the key for an unknown one."""
    council = search_index().council(key)
    return council.name if council else key


def council_label(key: str) -> str:
    """The short name (else the name) of council ``key``; the key for an unknown one."""
    council = search_index().council(key)
    return council.label if council else key
