"""Where a search hit leads: a paper's page, or a meeting's page at the agenda item.

Agenda items and minutes are search documents whose slug names their meeting
(``index.meeting_documents``); every list of hits (result pages, the API, exports, feeds,
similar papers) links them through ``document_url``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for

from index.meeting_documents import meeting_target


def document_url(council: str, slug: str, **kw: Any) -> str:
    """The page of the document ``council``/``slug`` (``_external=True`` for the address)."""
    target = meeting_target(slug)
    if target is None:
        return url_for("motions.page", council=council, slug=slug, **kw)
    meeting_id, anchor = target
    url = url_for("meetings.page", council=council, meeting_id=meeting_id, **kw)
    return f"{url}#{anchor}" if anchor else url


def init_app(app: Flask) -> None:
    app.jinja_env.globals["document_url"] = document_url
