"""One motion: ``/motions/<slug>`` and its JSON twin ``/api/motions/<slug>``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

from flask import Blueprint, jsonify, make_response, render_template, url_for
from werkzeug.wrappers import Response

from archive.errors import NotFoundError
from archive.motion import Consultation, Motion, slug_for
from archive.publicity import public_view
from archive.references import parent_reference
from index.results import Hit, SearchRequest
from webapp.backend import search_index

if TYPE_CHECKING:
    from index.search import SearchIndex
from webapp.rendering import markdown_html, web_url

bp = Blueprint("motions", __name__)

SLUG = re.compile(r"^[a-z0-9]{1,40}(?:-[a-z0-9]{1,40}){0,12}$")
SIMILAR = 5
MAX_AMENDMENTS = 200


@dataclass
class Link:
    """A paper this motion refers to; ``url`` is ``None`` when it is not in the archive."""

    reference: str
    title: str = ""
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "title": self.title or None, "url": self.url}


@dataclass
class MotionPage:
    """A public motion with its neighbours: parent, amendments, references, similar ones."""

    motion: Motion
    parent: Link | None = None
    amendments: list[Link] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    similar: list[Hit] = field(default_factory=list)

    @property
    def url(self) -> str:
        return url_for("motions.page", slug=self.motion.slug)

    @property
    def source_url(self) -> str | None:
        return web_url(self.motion.source.url)

    def timeline(self) -> list[Consultation]:
        ordered = sorted(enumerate(self.motion.consultations), key=lambda p: (p[1].date, p[0]))
        return [c for _, c in ordered]

    def html(self, name: str) -> Any:
        """A Markdown section (``resolution``, ``reasons``, ``body``) as safe HTML."""
        return markdown_html(getattr(self.motion, name), min_heading=3)

    def to_dict(self) -> dict[str, Any]:
        data = self.motion.to_dict()
        data["url"] = self.url
        data["links"] = {
            "parent": self.parent.to_dict() if self.parent else None,
            "amendments": [link.to_dict() for link in self.amendments],
            "related": [link.to_dict() for link in self.related],
        }
        data["similar"] = [
            {"reference": h.reference, "title": h.title, "url": _url(h.slug)} for h in self.similar
        ]
        return data


def _url(slug: str) -> str:
    return url_for("motions.page", slug=slug)


def amendments(opened: SearchIndex, reference: str) -> list[Link]:
    """The archive's amendments of a paper (``…-01``, ``…-02``), found by its number."""
    request = SearchRequest(query=f'nummer:"{reference}"', sort="oldest")
    found = [
        Link(hit.reference, hit.title, _url(hit.slug))
        for hit in islice(opened.iter_all(request), MAX_AMENDMENTS)
        if parent_reference(hit.reference) == reference
    ]
    return sorted(found, key=lambda link: link.reference)


def motion_context(slug: str) -> MotionPage:
    """The motion page's context; unknown, malformed or non-public slugs are ``NotFoundError``."""
    if not SLUG.match(slug):
        raise NotFoundError(slug)
    opened = search_index()
    motion = opened.motion(slug)
    if motion is None or not motion.public:
        raise NotFoundError(slug)

    def link(reference: str) -> Link:
        other = opened.motion(slug_for(reference))
        if other is None or not other.public:
            return Link(reference)
        return Link(other.reference, other.title, _url(other.slug))

    page = MotionPage(public_view(motion))
    parent = parent_reference(motion.reference)
    if parent and (parent in motion.related or opened.motion(slug_for(parent)) is not None):
        page.parent = link(parent)
    page.amendments = amendments(opened, motion.reference)
    listed = {motion.reference, parent, *(a.reference for a in page.amendments)}
    for reference in dict.fromkeys(motion.related):
        if reference in listed:
            continue
        target = link(reference)
        is_amendment = parent_reference(reference) == motion.reference
        (page.amendments if is_amendment and target.url else page.related).append(target)
    page.similar = [h for h in opened.similar(motion.slug, limit=SIMILAR) if h.slug != slug]
    return page


@bp.get("/motions/<slug>")
def page(slug: str) -> Response:
    context = motion_context(slug)
    twin = url_for("motions.api", slug=context.motion.slug)
    response = make_response(render_template("motion.html", page=context, json_url=twin))
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    return response


@bp.get("/api/motions/<slug>")
def api(slug: str) -> Response:
    return jsonify(motion_context(slug).to_dict())
