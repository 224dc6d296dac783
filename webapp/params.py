"""Search parameters: the URL carries the whole state of a search.

``parse_search`` turns query arguments into an ``index.results.SearchRequest``,
refusing what is out of bounds with ``QueryError`` (a 400 page, never a 500);
``search_args`` turns a request back into URL arguments, so every link on the
search page (facet toggles, pages, sorts) is a plain GET link that works without
JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from typing import Any
from urllib.parse import urlencode

from flask import current_app
from werkzeug.datastructures import MultiDict

from archive.errors import QueryError
from index.results import MAX_PAGE, SORTS, SearchRequest

MAX_VALUE_LENGTH = 200
MAX_VALUES = 20
_PAGE = re.compile(r"^[0-9]{1,6}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def facet_specs() -> tuple[Any, ...]:
    """The facets declared next to the index schema (``index.schema.FACETS``)."""
    from index.schema import FACETS

    return tuple(FACETS)


def facet_names() -> tuple[str, ...]:
    return tuple(spec.name for spec in facet_specs())


def parse_search(args: MultiDict[str, str], *, page_size: int | None = None) -> SearchRequest:
    """A ``SearchRequest`` from URL arguments (``q``, facets, ``sort``, ``page``)."""
    query = _text(args.get("q", ""), "q", current_app.config["MAX_QUERY_LENGTH"]).strip()
    filters: dict[str, tuple[str, ...]] = {}
    for name in facet_names():
        values = [_text(v, name, MAX_VALUE_LENGTH).strip() for v in args.getlist(name)]
        values = list(dict.fromkeys(v for v in values if v))
        if len(values) > MAX_VALUES:
            raise QueryError(f"{name}: at most {MAX_VALUES} values")
        if values:
            filters[name] = tuple(values)
    sort = args.get("sort", "")
    if sort not in ("", *SORTS):
        raise QueryError(f"sort must be one of {', '.join(SORTS)}")
    raw_page = args.get("page", "1") or "1"
    if not _PAGE.match(raw_page) or not 1 <= int(raw_page) <= MAX_PAGE:
        raise QueryError(f"page must be a number from 1 to {MAX_PAGE}")
    request = SearchRequest(query=query, filters=filters, sort=sort, page=int(raw_page))
    if page_size is not None:
        request = replace(request, page_size=page_size, page=1)
    return request


def _text(value: str, name: str, limit: int) -> str:
    if len(value) > limit:
        raise QueryError(f"{name} is too long (at most {limit} characters)")
    if _CONTROL.search(value):
        raise QueryError(f"{name} contains control characters")
    return value


def search_args(request: SearchRequest, **changes: Any) -> list[tuple[str, str]]:
    """URL arguments for ``request`` with ``changes`` (query, filters, sort, page) applied."""
    query = changes.get("query", request.query)
    filters: Mapping[str, Iterable[str]] = changes.get("filters", request.filters)
    sort = changes.get("sort", request.sort)
    page = changes.get("page", 1)
    pairs: list[tuple[str, str]] = [("q", query)] if query else []
    for name in facet_names():
        pairs.extend((name, value) for value in filters.get(name, ()))
    if sort:
        pairs.append(("sort", sort))
    if page and page != 1:
        pairs.append(("page", str(page)))
    return pairs


def toggled(request: SearchRequest, name: str, value: str) -> dict[str, tuple[str, ...]]:
    """The filters of ``request`` with ``value`` of facet ``name`` switched on or off."""
    filters = dict(request.filters)
    current = filters.get(name, ())
    chosen = tuple(v for v in current if v != value) if value in current else (*current, value)
    if chosen:
        filters[name] = chosen
    else:
        filters.pop(name, None)
    return filters


class FilterLinks:
    """Links that switch one facet value of ``request`` on or off, as ``with_args(path,
    search_args(request, filters=toggled(request, name, value)))`` makes them, but built
    from parts encoded once per page: a search page has a hundred such links."""

    def __init__(self, path: str, request: SearchRequest) -> None:
        self._path = path
        self._filters = request.filters
        self._head = urlencode([("q", request.query)]) if request.query else ""
        self._tail = urlencode([("sort", request.sort)]) if request.sort else ""
        self._encoded = {
            name: [urlencode([(name, value)]) for value in request.filters.get(name, ())]
            for name in facet_names()
        }

    def toggle(self, name: str, value: str) -> str:
        parts = [self._head] if self._head else []
        for facet, encoded in self._encoded.items():
            if facet != name:
                parts.extend(encoded)
            elif value in self._filters.get(name, ()):
                kept = zip(self._filters[name], encoded, strict=True)
                parts.extend(e for v, e in kept if v != value)
            else:
                parts.extend([*encoded, urlencode([(name, value)])])
        if self._tail:
            parts.append(self._tail)
        return f"{self._path}?{'&'.join(parts)}" if parts else self._path


def with_args(path: str, pairs: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path
