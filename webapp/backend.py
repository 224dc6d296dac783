"""The one way views reach the search index: ``search_index()``.

The ``index.search.SearchIndex`` is opened lazily, once per process, and refreshed once
per request (cheap; it picks up a new index generation after ``ratsarchiv reindex``).
A missing index raises ``IndexMissingError`` (the error handlers make that a 503)
and is retried on the next request.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from flask import Flask, current_app, g

from archive.errors import IndexMissingError

if TYPE_CHECKING:
    from index.search import SearchIndex

_EXTENSION = "ratsarchiv.search_index"


class _Holder:
    """The process-wide search index handle of one app."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.search_index: SearchIndex | None = None


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = _Holder()


def adopt(app: Flask, opened: SearchIndex) -> None:
    """Serve ``opened`` (a search index the caller has already opened) instead of opening again."""
    app.extensions[_EXTENSION].search_index = opened


def search_index() -> SearchIndex:
    """The open search index, refreshed once for the current request."""
    holder: _Holder = current_app.extensions[_EXTENSION]
    if holder.search_index is None:
        index_dir = current_app.config["INDEX_DIR"]
        if index_dir is None:
            raise IndexMissingError("no index directory configured (INDEX_DIR)")
        from index.search import SearchIndex

        with holder.lock:
            if holder.search_index is None:
                holder.search_index = SearchIndex.open(index_dir)
                g.search_index_fresh = True
    if not g.get("search_index_fresh"):
        with holder.lock:
            holder.search_index.refresh()
        g.search_index_fresh = True
    return holder.search_index
