"""One motion: ``/<council>/motions/<slug>`` and its JSON twin ``/api/<council>/motions/<slug>``.

The route before councils, ``/motions/<slug>`` (and ``/api/motions/<slug>``), keeps
working for links already out there: a ``301`` to the paper when one council has that
slug, a short choice page (``300 Multiple Choices``, with a JSON twin) when several do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from archive.councils import council_reference, key_problem
from archive.errors import NotFoundError
from archive.motion import Consultation, Motion
from archive.publicity import public_view
from archive.references import parent_reference
from index.results import Hit
from webapp.backend import search_index
from webapp.councils import council_name
from webapp.file_links import files_json
from webapp.links import document_url
from webapp.rendering import markdown_html, web_url
from webapp.views import alternate
from webapp.views.meetings import meeting_url

if TYPE_CHECKING:
    from index.search import SearchIndex

bp = Blueprint("motions", __name__)

SLUG = re.compile(r"^[a-z0-9]{1,40}(?:-[a-z0-9]{1,40}){0,12}$")
SIMILAR = 5


def motion_url(council: str, slug: str, **kw: Any) -> str:
    """The path of a paper's page (``_external=True`` for the absolute address)."""
    return url_for("motions.page", council=council, slug=slug, **kw)


@dataclass
class Link:
    """A paper this motion refers to; ``url`` is ``None`` when it is not in the archive.
    ``council`` is set only for a paper of another council."""

    reference: str
    title: str = ""
    url: str | None = None
    council: str = ""
    council_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"reference": self.reference, "title": self.title or None}
        if self.council:
            data.update(council=self.council, council_name=self.council_name or None)
        data["url"] = self.url
        return data


@dataclass
class MotionPage:
    """A public motion with its neighbours: parent, amendments, references, similar ones."""

    motion: Motion
    council_name: str = ""
    parent: Link | None = None
    amendments: list[Link] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    similar: list[Hit] = field(default_factory=list)

    @property
    def url(self) -> str:
        return motion_url(self.motion.council, self.motion.slug)

    @property
    def source_url(self) -> str | None:
        return web_url(self.motion.source.url)

    def timeline(self) -> list[Consultation]:
        ordered = sorted(enumerate(self.motion.consultations), key=lambda p: (p[1].date, p[0]))
        return [c for _, c in ordered]

    def meeting_url(self, consultation: Consultation) -> str | None:
        """The page of the meeting a consultation was held in, at its agenda item (the
        meeting of that committee on that day in the council's meetings), or ``None``."""
        if not consultation.date:
            return None
        council, reference = self.motion.council, self.motion.reference
        catalog = search_index().meetings()
        found = catalog.find(council, consultation.date, consultation.committee, reference)
        if found is None:
            return None
        items = catalog.meeting(council, found)["items"]  # type: ignore[index]
        item = next((i for i in items if reference in i["papers"]), None) or next(
            (
                i
                for i in items
                if consultation.agenda_item and i["number"] == consultation.agenda_item
            ),
            None,
        )
        return meeting_url(council, found, item["anchor"] if item else "")

    def html(self, name: str) -> Any:
        """A Markdown section (``resolution``, ``reasons``, ``body``) as safe HTML."""
        return markdown_html(getattr(self.motion, name), min_heading=3)

    def to_dict(self) -> dict[str, Any]:
        data = self.motion.to_dict()
        data["files"] = files_json(self.motion.council, self.motion.slug, self.motion.files)
        for consultation, shown in zip(
            self.motion.consultations, data["consultations"], strict=True
        ):
            shown["meeting_url"] = self.meeting_url(consultation)
        data["council_name"] = self.council_name
        data["url"] = self.url
        data["council_url"] = url_for("councils.page", council=self.motion.council)
        data["links"] = {
            "parent": self.parent.to_dict() if self.parent else None,
            "amendments": [link.to_dict() for link in self.amendments],
            "related": [link.to_dict() for link in self.related],
        }
        data["similar"] = [
            {
                "council": h.council,
                "council_name": h.council_name,
                "reference": h.reference,
                "title": h.title,
                "url": document_url(h.council, h.slug),
            }
            for h in self.similar
        ]
        return data


def public_motion(opened: SearchIndex, council: str, slug: str) -> Motion | None:
    """The public motion ``council``/``slug``, or ``None`` (unknown, malformed, non-public)."""
    if key_problem(council) or not SLUG.match(slug):
        return None
    motion = opened.motion(council, slug)
    return motion if motion is not None and motion.public else None


def motion_context(council: str, slug: str) -> MotionPage:
    """The motion page's context; unknown, malformed or non-public papers are ``NotFoundError``."""
    opened = search_index()
    motion = public_motion(opened, council, slug)
    if motion is None:
        raise NotFoundError(f"{council}/{slug}")

    def link(entry: str) -> Link:
        other_council, reference = council_reference(entry, council)
        foreign = other_council != council
        shown = Link(reference)
        if foreign:
            shown.council, shown.council_name = other_council, council_name(other_council)
        other = opened.resolve(council, entry)
        if other is not None and other.public:
            shown.reference, shown.title = other.reference, other.title
            shown.url = motion_url(other_council, other.slug)
        return shown

    page = MotionPage(public_view(motion), council_name=council_name(council))
    parent = parent_reference(motion.reference)
    if parent and (parent in motion.related or opened.resolve(council, parent)):
        page.parent = link(parent)
    page.amendments = [
        Link(hit.reference, hit.title, motion_url(hit.council, hit.slug))
        for hit in opened.amendments(council, motion.reference)
    ]
    listed = {motion.reference, parent, *(a.reference for a in page.amendments)}
    for entry in dict.fromkeys(motion.related):
        if entry in listed:
            continue
        target = link(entry)
        is_amendment = not target.council and parent_reference(entry) == motion.reference
        (page.amendments if is_amendment and target.url else page.related).append(target)
    page.similar = opened.similar(council, motion.slug, limit=SIMILAR)
    return page


@bp.get("/<council>/motions/<slug>")
def page(council: str, slug: str) -> Response:
    context = motion_context(council, slug)
    twin = url_for("motions.api", council=council, slug=context.motion.slug)
    return alternate(render_template("motion.html", page=context, json_url=twin), twin)


@bp.get("/api/<council>/motions/<slug>")
def api(council: str, slug: str) -> Response:
    return jsonify(motion_context(council, slug).to_dict())


# -- the route before councils: /motions/<slug> --------------------------------------------


@dataclass
class Choice:
    """One council's paper of a slug that several councils have."""

    council: str
    council_name: str
    slug: str
    reference: str
    title: str
    date: str

    @property
    def url(self) -> str:
        return motion_url(self.council, self.slug)

    def to_dict(self) -> dict[str, Any]:
        return {
            "council": self.council,
            "council_name": self.council_name,
            "reference": self.reference,
            "title": self.title,
            "date": self.date or None,
            "url": self.url,
            "api_url": url_for("motions.api", council=self.council, slug=self.slug),
        }


def choices(slug: str) -> list[Choice]:
    """The public papers of every council that has ``slug``; ``NotFoundError`` for none."""
    if not SLUG.match(slug):
        raise NotFoundError(slug)
    opened = search_index()
    found = []
    for council in opened.councils_with_slug(slug):
        motion = public_motion(opened, council, slug)
        if motion is not None:
            name = council_name(council)
            found.append(Choice(council, name, slug, motion.reference, motion.title, motion.date))
    if not found:
        raise NotFoundError(slug)
    return found


def _with_query(url: str) -> str:
    query = request.query_string.decode("latin-1")
    return f"{url}?{query}" if query else url


@bp.get("/motions/<slug>")
def legacy_page(slug: str) -> Response:
    found = choices(slug)
    if len(found) == 1:
        return redirect(_with_query(motion_url(found[0].council, slug)), code=301)
    twin = url_for("motions.legacy_api", slug=slug)
    html = render_template("choice.html", slug=slug, choices=found, json_url=twin)
    response = alternate(html, twin)
    response.status_code = 300
    return response


@bp.get("/api/motions/<slug>")
def legacy_api(slug: str) -> Response:
    found = choices(slug)
    if len(found) == 1:
        target = url_for("motions.api", council=found[0].council, slug=slug)
        return redirect(_with_query(target), code=301)
    response = jsonify({"slug": slug, "choices": [c.to_dict() for c in found]})
    response.status_code = 300
    return response
