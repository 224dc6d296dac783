"""A committee: ``/<council>/committees/<slug>`` and its JSON twin ``/api/…``.

A committee is known by its meetings (the meeting catalog, ``index.meeting_catalog``), its
organisation file (``index.organization_catalog``: its members, each linking the page of
their faction) or the papers it consulted (the ``committee`` facet); its slug is its
name's (``archive.motion.slug_for``). The page lists its upcoming and past meetings, the papers
it consulted with their results (the newest first, linking the whole search), and its
iCalendar feed, and ``/<council>/committees/<slug>/feed.atom`` is the Atom feed of its
meetings with their agendas.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from werkzeug.wrappers import Response

from archive.errors import NotFoundError
from archive.motion import slug_for
from archive.organization import COMMITTEE as COMMITTEE_KIND
from archive.organization import FACTION
from index.facets import COUNCIL
from index.results import SearchRequest, SearchResult
from webapp.backend import search_index
from webapp.councils import council_summary
from webapp.feeds import meetings_feed
from webapp.links import document_url
from webapp.params import search_args, with_args
from webapp.views import alternate
from webapp.views.factions import faction_url, factions_of
from webapp.views.meetings import meeting_summary, meeting_url

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
    members: list[dict[str, Any]] = field(default_factory=list)
    """From the committee's organisation file: each member with ``faction_url`` (the
    faction's page, where the archive knows the faction)."""

    @property
    def slug(self) -> str:
        return slug_for(self.name)

    @property
    def search_url(self) -> str:
        assert self.papers_request is not None
        return with_args(url_for("search.page"), search_args(self.papers_request))

    @property
    def feed_url(self) -> str:
        return url_for("committees.feed", council=self.council.key, slug=self.slug)

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
                        "url": document_url(h.council, h.slug),
                    }
                    for h in hits
                ],
            },
            "ical_url": self.ical_url,
            "feed_url": self.feed_url,
            "members": self.members,
        }


def _name(council: str, slug: str) -> str | None:
    """The committee's name: of its meetings, else of the papers' committee facet."""
    opened = search_index()
    name = opened.meetings().committees(council).get(slug)
    if name:
        return name
    org = opened.organizations().get(council, slug)
    if org is not None and org["kind"] == COMMITTEE_KIND:
        return str(org["name"])
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
    page.members = _members(summary.key, name)
    return page


def _members(council: str, name: str) -> list[dict[str, Any]]:
    organizations = search_index().organizations()
    committee = organizations.find(council, name, COMMITTEE_KIND)
    if committee is None:
        return []
    factions = factions_of(council)
    members = []
    for member in committee["members"]:
        faction = (
            organizations.find(council, member["faction"], FACTION) if member["faction"] else None
        )
        slug = faction["id"] if faction else slug_for(member["faction"])
        url = faction_url(council, slug) if member["faction"] and slug in factions else None
        members.append({**member, "faction_url": url})
    return members


@bp.get("/<council>/committees/<slug>")
def page(council: str, slug: str) -> Response:
    context = committee_context(council, slug)
    twin = url_for("committees.api", council=council, slug=slug)
    return alternate(render_template("committee.html", page=context, json_url=twin), twin)


@bp.get("/<council>/committees/<slug>/feed.atom")
def feed(council: str, slug: str) -> Response:
    """The committee's meetings and their agendas, the latest (and the planned) first."""
    context = committee_context(council, slug)
    meetings = search_index().meetings().of_council(context.council.key, context.name)
    newest = sorted(meetings, key=lambda m: (m["date"], m["start"]), reverse=True)
    root = request.host_url.rstrip("/")
    body = meetings_feed(
        newest[: current_app.config["FEED_SIZE"]],
        title=f"{context.name} ({context.council.name})",
        feed_url=root + url_for("committees.feed", council=council, slug=slug),
        html_url=root + url_for("committees.page", council=council, slug=slug),
        meeting_url=lambda m: meeting_url(m["council"], m["id"], _external=True),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/api/<council>/committees/<slug>")
def api(council: str, slug: str) -> Response:
    return jsonify(committee_context(council, slug).to_dict())
