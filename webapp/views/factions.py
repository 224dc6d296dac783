"""A council's factions: ``/<council>/factions`` and ``/<council>/factions/<slug>``, with
their JSON twins under ``/api/…``.

A faction is known by its organisation file (``index.organization_catalog``: members,
period) or, in a council without faction files, by the papers it submitted (the ``sponsor``
facet: there every sponsor counts as a faction, as Karlsruhe's are); a sponsor's name finds
its file as ``ratsarchiv facets`` groups spellings (``GRÜNE`` is the file „Fraktion Bündnis
90/DIE GRÜNEN“ whose short name it is). The page shows its members, the committees its
members sit on, and the outcomes of its papers per year as a chart with the same numbers
in a table, all from the figures written at reindex time (``index.statistics``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, jsonify, render_template, url_for
from werkzeug.wrappers import Response

from archive.councils import qualify, unqualify
from archive.errors import NotFoundError
from archive.motion import slug_for
from archive.organization import FACTION
from index.results import SearchRequest, SearchResult
from index.statistics import OUTCOMES
from webapp.backend import search_index
from webapp.charts import Chart, Row, Series
from webapp.councils import council_summary
from webapp.i18n import t, value_label
from webapp.params import search_args, with_args
from webapp.views import alternate

bp = Blueprint("factions", __name__)

SPONSOR = "sponsor"
PAPERS_SHOWN = 10


def faction_url(council: str, slug: str) -> str:
    return url_for("factions.page", council=council, slug=slug)


@dataclass
class Faction:
    """A faction: its file (if any) and the sponsor values that name it."""

    council: str
    slug: str
    name: str
    organization: dict[str, Any] | None = None
    sponsors: list[dict[str, Any]] = field(default_factory=list)
    """The statistics' entries of the sponsor values that stand for this faction."""

    @property
    def papers(self) -> int:
        return sum(entry["papers"] for entry in self.sponsors)

    @property
    def url(self) -> str:
        return faction_url(self.council, self.slug)

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "slug": self.slug, "papers": self.papers, "url": self.url}


def factions_of(council: str) -> dict[str, Faction]:
    """Every faction of ``council`` by slug: its files, then the sponsors no file has."""
    opened = search_index()
    organizations = opened.organizations()
    found: dict[str, Faction] = {}
    for org in organizations.of_council(council, FACTION):
        found[org["id"]] = Faction(council, org["id"], org["name"], org)
    with_files = bool(found)
    sponsors = opened.statistics().of(council)["outcomes"]["sponsors"]
    for entry in sponsors:
        key, name = unqualify(entry["value"])
        if key and key != council:
            continue
        org = organizations.find(council, name, FACTION)
        if org is None and with_files:
            continue  # a council with faction files: another sponsor is a person, an office
        slug = org["id"] if org is not None else slug_for(name)
        if not slug:
            continue
        faction = found.setdefault(slug, Faction(council, slug, name, org))
        faction.sponsors.append(entry)
    return found


@dataclass
class FactionPage:
    council: Any
    faction: Faction
    committees: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    papers: SearchResult | None = None
    papers_request: SearchRequest | None = None

    @property
    def members(self) -> list[dict[str, Any]]:
        org = self.faction.organization
        return list(org["members"]) if org else []

    @property
    def search_url(self) -> str:
        assert self.papers_request is not None
        return with_args(url_for("search.page"), search_args(self.papers_request))

    def years(self) -> list[dict[str, Any]]:
        """Outcome counts per year of the faction's papers (every sponsor value of it)."""
        merged: dict[str, dict[str, int]] = {}
        for entry in self.faction.sponsors:
            for year, counts in entry.get("years", {}).items():
                into = merged.setdefault(year, {"papers": 0, **{o.key: 0 for o in OUTCOMES}})
                for key, value in counts.items():
                    into[key] += value
        return [{"year": year or "", **merged[year]} for year in sorted(merged)]

    def outcome_chart(self) -> Chart:
        series = [Series(o.key, value_label(o.label), f"outcome-{o.key}") for o in OUTCOMES]
        rows = [
            Row(item["year"] or t("ohne Datum"), tuple(item[o.key] for o in OUTCOMES))
            for item in self.years()
        ]
        title = t("Ergebnisse der Vorlagen von {name} je Jahr", name=self.faction.name)
        return Chart("faction-outcomes", title, series, rows, columns=True)

    def to_dict(self) -> dict[str, Any]:
        hits = self.papers.hits if self.papers else []
        return {
            "council": self.council.key,
            "council_name": self.council.name,
            **self.faction.summary(),
            "short_name": (self.faction.organization or {}).get("short_name") or None,
            "members": self.members,
            "committees": [
                {
                    "name": committee["name"],
                    "url": url_for(
                        "committees.page",
                        council=self.council.key,
                        slug=slug_for(committee["name"]),
                    ),
                    "members": [m["name"] for m in members],
                }
                for committee, members in self.committees
            ],
            "sponsor_values": [entry["value"] for entry in self.faction.sponsors],
            "outcomes_by_year": self.years(),
            "papers_search_url": self.search_url,
            "latest": [
                {
                    "reference": h.reference,
                    "title": h.title,
                    "result": h.result or None,
                    "url": url_for("motions.page", council=h.council, slug=h.slug),
                }
                for h in hits
            ],
        }


def faction_context(council: str, slug: str) -> FactionPage:
    summary = council_summary(council)
    faction = factions_of(summary.key).get(slug)
    if faction is None:
        raise NotFoundError(f"{council}/factions/{slug}")
    page = FactionPage(summary.council, faction)
    if faction.organization is not None:
        page.committees = (
            search_index()
            .organizations()
            .committees_of_faction(summary.key, faction.organization["id"])
        )
    values = tuple(entry["value"] for entry in faction.sponsors) or (
        qualify(summary.key, faction.name),
    )
    page.papers_request = SearchRequest(
        filters={"council": (summary.key,), SPONSOR: values},
        sort="newest",
        page_size=PAPERS_SHOWN,
    )
    page.papers = search_index().search(page.papers_request)
    return page


@bp.get("/<council>/factions/<slug>")
def page(council: str, slug: str) -> Response:
    context = faction_context(council, slug)
    twin = url_for("factions.api", council=council, slug=slug)
    return alternate(render_template("faction.html", page=context, json_url=twin), twin)


@bp.get("/api/<council>/factions/<slug>")
def api(council: str, slug: str) -> Response:
    return jsonify(faction_context(council, slug).to_dict())


def _listing(council: str) -> tuple[Any, list[dict[str, Any]]]:
    summary = council_summary(council)
    factions = sorted(factions_of(summary.key).values(), key=lambda f: (-f.papers, f.name))
    return summary.council, [f.summary() for f in factions]


@bp.get("/<council>/factions")
def listing(council: str) -> Response:
    described, factions = _listing(council)
    twin = url_for("factions.listing_api", council=council)
    body = render_template("factions.html", council=described, factions=factions, json_url=twin)
    return alternate(body, twin)


@bp.get("/api/<council>/factions")
def listing_api(council: str) -> Response:
    described, factions = _listing(council)
    return jsonify({"council": described.key, "factions": factions})
