"""A council's start page ``/<council>/``, its JSON twin ``/api/<council>/`` and its feed.

The page describes the council (name, kind, state, website, source and terms), searches
within it (the box and every facet link keep the council filter; ``/<council>/?q=Schule``
redirects to the search ``/?council=<council>&q=Schule``), and shows its newest papers and
its committees with their counts. ``/<council>/feed.atom`` is the Atom feed
of its papers (the same as ``/feed.atom?council=<council>``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from index.results import CouncilSummary, SearchRequest
from webapp.backend import search_index
from webapp.councils import council_dict, council_summary
from webapp.i18n import t
from webapp.params import parse_search, search_args, with_args
from webapp.rendering import web_url
from webapp.views import alternate
from webapp.views.exports import search_feed
from webapp.views.meetings import meeting_summary
from webapp.views.search import SearchPage

bp = Blueprint("councils", __name__)

UPCOMING = 5


@dataclass
class CouncilPage:
    """One council: its description and the newest of its papers with the facets of all."""

    summary: CouncilSummary
    search: SearchPage

    @property
    def council(self) -> Any:
        return self.summary.council

    @property
    def website(self) -> str | None:
        return web_url(self.council.website)

    def facets(self) -> list[dict[str, Any]]:
        """The facets of the council's papers (each link searches within the council)."""
        return [group for group in self.search.facets() if group["name"] != "council"]

    def committees(self) -> list[dict[str, Any]]:
        """The council's committees, most papers first, each linking its search."""
        groups = [g for g in self.facets() if g["name"] == "committee"]
        return [v for g in groups for v in (*g["shown"], *g["more"])]

    def upcoming(self) -> list[dict[str, Any]]:
        """The council's next meetings (from today on), at most ``UPCOMING``."""
        today = datetime.date.today().isoformat()
        found = search_index().meetings().between(self.summary.key, today, "9999-12-31")
        return [meeting_summary(m) for m in found[:UPCOMING]]

    def meeting_committees(self) -> list[dict[str, str]]:
        """The committees with meetings in the archive, each linking its page."""
        names = search_index().meetings().committees(self.summary.key)
        return [
            {"name": name, "url": url_for("committees.page", council=self.summary.key, slug=slug)}
            for slug, name in names.items()
        ]

    def to_dict(self) -> dict[str, Any]:
        data = self.search.to_dict()
        return {
            "council": council_dict(self.summary),
            "calendar_url": url_for("calendar.page", council=self.summary.key),
            "statistics_url": url_for("statistics.council_page", council=self.summary.key),
            "upcoming_meetings": self.upcoming(),
            "meeting_committees": self.meeting_committees(),
            "latest": data["hits"],
            "committees": [
                {"value": v["value"], "label": v["label"], "count": v["count"], "url": v["url"]}
                for v in self.committees()
            ],
            "facets": data["facets"],
            "search_url": self.search.url("search.api"),
        }


def council_context(key: str) -> CouncilPage:
    """The council page's context; an unknown council is ``NotFoundError``."""
    summary = council_summary(key)
    request = SearchRequest(filters={"council": (summary.key,)})
    return CouncilPage(summary, SearchPage(request, search_index().search(request)))


@bp.get("/<council>")
def bare(council: str) -> Response:
    """``/hamburg-altona`` → ``/hamburg-altona/`` (only for a council the archive has)."""
    return redirect(url_for("councils.page", council=council_summary(council).key), code=308)


@bp.get("/<council>/")
def page(council: str) -> Response:
    asked = parse_search(request.args)
    if asked.query or asked.filters or asked.sort or asked.page != 1:  # a search within it
        within = replace(
            asked, filters={**asked.filters, "council": (council_summary(council).key,)}
        )
        return redirect(with_args(url_for("search.page"), search_args(within, page=asked.page)))
    context = council_context(council)
    twin = url_for("councils.api", council=context.summary.key)
    return alternate(render_template("council.html", page=context, json_url=twin), twin)


@bp.get("/api/<council>/")
def api(council: str) -> Response:
    return jsonify(council_context(council).to_dict())


@bp.get("/<council>/feed.atom")
def feed(council: str) -> Response:
    summary = council_summary(council)
    title = f"{t('Ratsarchiv')}: {summary.council.name}"
    own = url_for("councils.feed", council=summary.key)
    return search_feed({"council": (summary.key,)}, title, own)
