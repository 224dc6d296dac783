"""The one way views reach the search index: ``archive()``.

The ``index.search.Archive`` is opened lazily, once per process, and refreshed once
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
    from index.search import Archive

_EXTENSION = "ratsarchiv.archive"


class _Holder:
    """The process-wide archive handle of one app."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.archive: Archive | None = None


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = _Holder()


def adopt(app: Flask, opened: Archive) -> None:
    """Serve ``opened`` (an archive the caller has already opened) instead of opening again."""
    app.extensions[_EXTENSION].archive = opened


def archive() -> Archive:
    """The open search archive, refreshed once for the current request."""
    holder: _Holder = current_app.extensions[_EXTENSION]
    if holder.archive is None:
        index_dir = current_app.config["INDEX_DIR"]
        if index_dir is None:
            raise IndexMissingError("no index directory configured (INDEX_DIR)")
        from index.search import Archive

        with holder.lock:
            if holder.archive is None:
                holder.archive = Archive.open(index_dir)
                g.archive_fresh = True
    if not g.get("archive_fresh"):
        with holder.lock:
            holder.archive.refresh()
        g.archive_fresh = True
    return holder.archive
