"""A committee: ``/<council>/committees/<slug>`` and its JSON twin ``/api/…``.

A committee is known by its meetings (the meeting catalog, ``index.meeting_catalog``) or
by the papers it consulted (the ``committee`` facet); its slug is its name's
(``archive.motion.slug_for``). The page lists its upcoming and past meetings, the papers
it consulted with their results (the newest first, linking the whole search), and its
iCalendar feed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, jsonify, render_template, url_for
from werkzeug.wrappers import Response

from archive.errors import NotFoundError
from archive.motion import slug_for
from index.facets import COUNCIL
from index.results import SearchRequest, SearchResult
from webapp.backend import search_index
from webapp.councils import council_summary
from webapp.params import search_args, with_args
from webapp.views import alternate
from webapp.views.meetings import meeting_summary

bp = Blueprint("committees", __name__)

COMMITTEE = "committee"
PAST_SHOWN = 20
PAPERS_SHOWN = 10


@dataclass
class CommitteePage:
    council: Any
    name: str
    upcoming: list[dict[str, Any]] = field(default_factory=list)
    past: list[dict[str, Any]] = field(default_factory=list)
    meetings: int = 0
    papers: SearchResult | None = None
    papers_request: SearchRequest | None = None

    @property
    def slug(self) -> str:
        return slug_for(self.name)

    @property
    def search_url(self) -> str:
        assert self.papers_request is not None
        return with_args(url_for("search.page"), search_args(self.papers_request))

    @property
    def ical_url(self) -> str:
        return url_for("calendar.committee_feed", council=self.council.key, slug=self.slug)

    def to_dict(self) -> dict[str, Any]:
        hits = self.papers.hits if self.papers else []
        return {
            "council": self.council.key,
            "council_name": self.council.name,
            "name": self.name,
            "slug": self.slug,
            "meetings": self.meetings,
            "upcoming": self.upcoming,
            "past": self.past,
            "papers": {
                "total": self.papers.total if self.papers else 0,
                "search_url": self.search_url,
                "latest": [
                    {
                        "reference": h.reference,
                        "title": h.title,
                        "result": h.result or None,
                        "url": url_for("motions.page", council=h.council, slug=h.slug),
                    }
                    for h in hits
                ],
            },
            "ical_url": self.ical_url,
            "members": [],
        }


def _name(council: str, slug: str) -> str | None:
    """The committee's name: of its meetings, else of the papers' committee facet."""
    opened = search_index()
    name = opened.meetings().committees(council).get(slug)
    if name:
        return name
    result = opened.search(SearchRequest(filters={COUNCIL: (council,)}, page_size=1))
    for value in result.facets.get(COMMITTEE, []):
        if slug_for(value.name) == slug:
            return value.name
    return None


def committee_context(council: str, slug: str) -> CommitteePage:
    summary = council_summary(council)
    name = _name(summary.key, slug)
    if name is None or slug_for(name) != slug:
        raise NotFoundError(f"{council}/committees/{slug}")
    page = CommitteePage(summary.council, name)
    today = datetime.date.today().isoformat()
    meetings = list(search_index().meetings().of_council(summary.key, name))
    page.meetings = len(meetings)
    page.upcoming = [meeting_summary(m) for m in meetings if m["date"] >= today]
    page.past = [meeting_summary(m) for m in reversed(meetings) if m["date"] < today][:PAST_SHOWN]
    page.papers_request = SearchRequest(
        filters={COUNCIL: (summary.key,), COMMITTEE: (name,)},
        sort="newest",
        page_size=PAPERS_SHOWN,
    )
    page.papers = search_index().search(page.papers_request)
    return page


@bp.get("/<council>/committees/<slug>")
def page(council: str, slug: str) -> Response:
    context = committee_context(council, slug)
    twin = url_for("committees.api", council=council, slug=slug)
    return alternate(render_template("committee.html", page=context, json_url=twin), twin)


@bp.get("/api/<council>/committees/<slug>")
def api(council: str, slug: str) -> Response:
    return jsonify(committee_context(council, slug).to_dict())
