"""Links to a paper's files (``webapp.views.files`` serves them), for pages and JSON twins."""

from __future__ import annotations

from typing import Any

from flask import url_for

from archive.files import FileRecord


def file_url(council: str, slug: str, position: int, page: int | None = None) -> str:
    """The link to a paper's ``position``-th file (from 1), at ``page`` if given."""
    url = url_for("files.original", council=council, slug=slug, position=position)
    return f"{url}#page={page}" if page else url


def shown_files(records: list[FileRecord]) -> list[tuple[int, FileRecord]]:
    """(position, record) of the files a page lists: public ones only."""
    return [(n, r) for n, r in enumerate(records, 1) if r.public and r.name]


def files_json(council: str, slug: str, records: list[FileRecord]) -> list[dict[str, Any]]:
    """The files of a paper's JSON twin: each public record, its position and its link."""
    return [
        {"position": n, **r.to_dict(), "original": file_url(council, slug, n)}
        for n, r in shown_files(records)
    ]
