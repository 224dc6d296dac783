"""A council's meetings: ``/<council>/meetings/<id>`` and its JSON twin ``/api/…``.

The meeting page shows date, time, place, committee and status, the agenda as a table
(number, title linked to the paper where the archive holds it, result with the vote
bar), the minutes and files, the source, and the committee's previous and next meeting.
Everything comes from the index generation's meeting catalog (``index.meeting_catalog``),
which holds public agenda items only; a paper an item names is linked only when it is
public and in the archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, jsonify, render_template, url_for
from werkzeug.wrappers import Response

from archive.errors import NotFoundError
from archive.motion import slug_for
from webapp.backend import search_index
from webapp.councils import council_summary
from webapp.rendering import markdown_html, web_url
from webapp.views import alternate

bp = Blueprint("meetings", __name__)

MEETING_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")


def meeting_url(council: str, meeting_id: str, anchor: str = "", **kw: Any) -> str:
    """The path of a meeting's page, at an agenda item with ``anchor``."""
    url = url_for("meetings.page", council=council, meeting_id=meeting_id, **kw)
    return f"{url}#{anchor}" if anchor else url


def committee_url(council: str, committee: str, **kw: Any) -> str:
    return url_for("committees.page", council=council, slug=slug_for(committee), **kw)


def meeting_summary(meeting: dict[str, Any]) -> dict[str, Any]:
    """What a list of meetings shows of one (and its JSON)."""
    return {
        "id": meeting["id"],
        "date": meeting["date"],
        "start": meeting["start"] or None,
        "end": meeting["end"] or None,
        "committee": meeting["committee"],
        "name": meeting["name"] or None,
        "status": meeting["status"],
        "place": meeting["place"] or None,
        "items": len(meeting["items"]),
        "url": meeting_url(meeting["council"], meeting["id"]),
    }


@dataclass
class PaperLink:
    reference: str
    title: str = ""
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "title": self.title or None, "url": self.url}


@dataclass
class MeetingPage:
    meeting: dict[str, Any]
    council_name: str
    papers: dict[str, list[PaperLink]] = field(default_factory=dict)
    """Item anchor → the item's papers."""
    previous: dict[str, Any] | None = None
    next: dict[str, Any] | None = None

    @property
    def url(self) -> str:
        return meeting_url(self.meeting["council"], self.meeting["id"])

    @property
    def source_url(self) -> str | None:
        return web_url(self.meeting["source"].get("url", ""))

    @property
    def committee_url(self) -> str:
        return committee_url(self.meeting["council"], self.meeting["committee"])

    def file_url(self, record: dict[str, Any]) -> str | None:
        return web_url(record.get("url", ""))

    def html(self, name: str) -> Any:
        return markdown_html(self.meeting[name], min_heading=3)

    def resolution_html(self, item: dict[str, Any]) -> Any:
        return markdown_html(item["resolution"], min_heading=4)

    def to_dict(self) -> dict[str, Any]:
        meeting = self.meeting
        items = [
            {
                **{k: v for k, v in item.items() if k != "papers"},
                "papers": [link.to_dict() for link in self.papers.get(item["anchor"], [])],
                "url": meeting_url(meeting["council"], meeting["id"], item["anchor"]),
            }
            for item in meeting["items"]
        ]
        files = [
            {"name": f["name"], "url": self.file_url(f), "media_type": f.get("media_type") or None}
            for f in meeting["files"]
            if f.get("public", True)
        ]
        return {
            **{k: v for k, v in meeting.items() if k not in ("items", "files")},
            "council_name": self.council_name,
            "url": self.url,
            "committee_url": self.committee_url,
            "items": items,
            "files": files,
            "previous": meeting_summary(self.previous) if self.previous else None,
            "next": meeting_summary(self.next) if self.next else None,
        }


def meeting_context(council: str, meeting_id: str) -> MeetingPage:
    """The meeting page's context; unknown or malformed ids are ``NotFoundError``."""
    summary = council_summary(council)
    opened = search_index()
    catalog = opened.meetings()
    meeting = catalog.meeting(summary.key, meeting_id) if MEETING_ID.match(meeting_id) else None
    if meeting is None:
        raise NotFoundError(f"{council}/meetings/{meeting_id}")
    page = MeetingPage(meeting, summary.council.name)
    for item in meeting["items"]:
        links = []
        for reference in item["papers"]:
            paper = opened.motion(summary.key, slug_for(reference))
            link = PaperLink(reference)
            if paper is not None and paper.public:
                link = PaperLink(paper.reference, paper.title, _paper_url(paper))
            links.append(link)
        page.papers[item["anchor"]] = links
    page.previous, page.next = catalog.neighbours(summary.key, meeting_id)
    return page


def _paper_url(paper: Any) -> str:
    return url_for("motions.page", council=paper.council, slug=paper.slug)


@bp.get("/<council>/meetings/<meeting_id>")
def page(council: str, meeting_id: str) -> Response:
    context = meeting_context(council, meeting_id)
    twin = url_for("meetings.api", council=council, meeting_id=meeting_id)
    return alternate(render_template("meeting.html", page=context, json_url=twin), twin)


@bp.get("/api/<council>/meetings/<meeting_id>")
def api(council: str, meeting_id: str) -> Response:
    return jsonify(meeting_context(council, meeting_id).to_dict())
