"""The statistics pages ``/<council>/statistics`` and ``/statistics`` (the whole archive),
and their JSON twins ``/api/<council>/statistics`` and ``/api/statistics``.

Four figures of the papers (never agenda items or minutes): papers per year by type,
outcomes by sponsor, the median days from a paper's first consultation to its decision,
and the busiest committees. They are read from the index (``SearchIndex.statistics()``,
computed at every reindex, see ``index.statistics``), so a request only labels them. Each
is an SVG chart (``_charts.html``) beside a table of the same numbers; each row links the
search of its papers. docs/statistics.md defines every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, jsonify, render_template, url_for
from werkzeug.wrappers import Response

from archive.councils import unqualify
from index.results import CouncilSummary, SearchRequest
from index.statistics import OUTCOMES
from webapp.backend import search_index
from webapp.charts import Chart, Row, Series
from webapp.councils import council_dict, council_label, council_summary, councils
from webapp.i18n import t, value_label
from webapp.params import search_args, with_args
from webapp.views import alternate

bp = Blueprint("statistics", __name__)

TOP_SPONSORS = 12
TOP_COMMITTEES = 10
TYPE_SERIES = 7
"""Paper types drawn in colours of their own; rarer ones are one series, "Weitere Arten"."""
OTHER_TYPES = "\x00other"


@dataclass
class StatisticsPage:
    """The figures of one council (``summary``) or of the whole archive (``None``)."""

    summary: CouncilSummary | None
    figures: dict[str, Any]

    @property
    def council(self) -> Any:
        return self.summary.council if self.summary else None

    @property
    def title(self) -> str:
        if self.summary is None:
            return t("Statistik des Archivs")
        return t("Statistik: {name}", name=self.summary.council.name)

    def search_url(self, **filters: str) -> str:
        """The search of the papers a figure's row counts (within the council)."""
        chosen = {name: (value,) for name, value in filters.items()}
        if self.summary is not None:
            chosen["council"] = (self.summary.key,)
        return with_args(url_for("search.page"), search_args(SearchRequest(filters=chosen)))

    # -- the figures, labelled ------------------------------------------------------------

    def type_label(self, kind: str) -> str:
        return kind or t("ohne Angabe")

    def type_url(self, kind: str) -> str | None:
        """The search of the papers of a type (none for papers without one: no filter
        finds exactly those)."""
        return self.search_url(type=kind) if kind else None

    def types(self) -> list[dict[str, Any]]:
        """The paper types, most papers first."""
        return [
            {**item, "label": self.type_label(item["type"]), "url": self.type_url(item["type"])}
            for item in self.figures["types"]
        ]

    def years(self) -> list[dict[str, Any]]:
        return [
            {**item, "url": self.search_url(year=item["year"])} for item in self.figures["years"]
        ]

    def _named(self, items: list[dict[str, Any]], facet: str) -> list[dict[str, Any]]:
        """Per-council values with their council, name and label (the name, with the
        council's short name when the values span several councils) and search link."""
        parts = [unqualify(item["value"]) for item in items]
        several = len({key for key, _ in parts}) > 1
        named = []
        for item, (key, name) in zip(items, parts, strict=True):
            label = f"{name} ({council_label(key)})" if several and key else name
            url = self.search_url(**{facet: item["value"]})
            named.append({**item, "council": key, "name": name, "label": label, "url": url})
        return named

    def outcomes(self) -> dict[str, Any]:
        figure = self.figures["outcomes"]
        return {
            "classes": [
                {"key": o.key, "label": value_label(o.label), "results": list(o.results)}
                for o in OUTCOMES
            ],
            "all": figure["all"],
            "sponsors": self._named(figure["sponsors"], "sponsor"),
            "without_sponsor": figure["without_sponsor"],
        }

    def days_to_decision(self) -> dict[str, Any]:
        figure = self.figures["days_to_decision"]
        return {
            **figure,
            "years": [
                {**item, "url": self.search_url(year=item["year"])} for item in figure["years"]
            ],
            "types": [
                {**item, "label": self.type_label(item["type"]), "url": self.type_url(item["type"])}
                for item in figure["types"]
            ],
        }

    def committees(self) -> list[dict[str, Any]]:
        """Every committee of the papers, most consultations first."""
        return self._named(self.figures["committees"], "committee")

    def council_links(self) -> list[dict[str, Any]]:
        """On the archive's page: each council with papers and its statistics."""
        if self.summary is not None:
            return []
        return [
            {
                "key": c.key,
                "name": c.council.name,
                "papers": c.papers,
                "url": url_for("statistics.council_page", council=c.key),
                "api_url": url_for("statistics.council_api", council=c.key),
            }
            for c in councils()
        ]

    # -- the charts -----------------------------------------------------------------------

    def year_chart(self) -> Chart:
        """Papers per year, stacked by type (the rarest types as one series)."""
        kinds = [item["type"] for item in self.figures["types"]]
        own = kinds if len(kinds) <= TYPE_SERIES else kinds[: TYPE_SERIES - 1]
        series = [Series(k, self.type_label(k), f"series-{i}") for i, k in enumerate(own)]
        if len(own) < len(kinds):
            series.append(Series(OTHER_TYPES, t("Weitere Arten"), "series-other"))
        rows = []
        for item in self.years():
            counts = item["types"]
            values = [counts.get(k, 0) for k in own]
            if len(own) < len(kinds):
                values.append(sum(n for k, n in counts.items() if k not in own))
            rows.append(Row(item["year"], tuple(values), item["url"]))
        title = t("Vorlagen je Jahr nach Art")
        return Chart("papers-by-year", title, series, rows, columns=True)

    def outcome_chart(self) -> Chart:
        """Outcomes of all papers, then of each of the sponsors with the most papers."""
        series = [Series(o.key, value_label(o.label), f"outcome-{o.key}") for o in OUTCOMES]
        figure = self.outcomes()
        everything = Row(
            t("Alle Vorlagen"), tuple(figure["all"][o.key] for o in OUTCOMES), self.search_url()
        )
        rows = [everything] + [
            Row(item["label"], tuple(item[o.key] for o in OUTCOMES), item["url"])
            for item in figure["sponsors"][:TOP_SPONSORS]
        ]
        return Chart(
            "outcomes-by-sponsor", t("Ergebnisse nach Antragsteller"), series, rows, share=True
        )

    def days_charts(self) -> tuple[Chart, Chart]:
        """Median days to a decision by the papers' year, and by their type."""
        series = [Series("median_days", t("Median (Tage)"), "series-single")]
        figure = self.days_to_decision()
        by_year = Chart(
            "days-by-year",
            t("Tage bis zur Entscheidung (Median) je Jahr"),
            series,
            [Row(i["year"], (i["median_days"],), i["url"]) for i in figure["years"]],
            columns=True,
        )
        by_type = Chart(
            "days-by-type",
            t("Tage bis zur Entscheidung (Median) je Art"),
            series,
            [Row(i["label"], (i["median_days"],), i["url"]) for i in figure["types"]],
        )
        return by_year, by_type

    def committee_chart(self) -> Chart:
        series = [Series("consultations", t("Beratungen"), "series-single")]
        rows = [
            Row(item["label"], (item["consultations"],), item["url"])
            for item in self.committees()[:TOP_COMMITTEES]
        ]
        return Chart("busiest-committees", t("Gremien mit den meisten Beratungen"), series, rows)

    def to_dict(self) -> dict[str, Any]:
        key = self.summary.key if self.summary else None
        own = {"council": key} if key else {}
        return {
            "council": council_dict(self.summary) if self.summary else None,
            "papers": self.figures["papers"],
            "types": self.types(),
            "papers_by_year": {"years": self.years(), "undated": self.figures["undated"]},
            "outcomes": self.outcomes(),
            "days_to_decision": self.days_to_decision(),
            "committees": self.committees(),
            "councils": self.council_links(),
            "url": url_for("statistics.council_page" if key else "statistics.page", **own),
            "archive_url": url_for("statistics.api"),
        }


def statistics_context(council: str | None) -> StatisticsPage:
    """The page of ``council`` (unknown: ``NotFoundError``), or of the archive (``None``)."""
    summary = council_summary(council) if council is not None else None
    figures = search_index().statistics().of(summary.key if summary else None)
    return StatisticsPage(summary, figures)


def _page(context: StatisticsPage, twin: str) -> Response:
    return alternate(render_template("statistics.html", page=context, json_url=twin), twin)


@bp.get("/statistics")
def page() -> Response:
    return _page(statistics_context(None), url_for("statistics.api"))


@bp.get("/api/statistics")
def api() -> Response:
    return jsonify(statistics_context(None).to_dict())


@bp.get("/<council>/statistics")
def council_page(council: str) -> Response:
    context = statistics_context(council)
    return _page(context, url_for("statistics.council_api", council=context.summary.key))


@bp.get("/api/<council>/statistics")
def council_api(council: str) -> Response:
    return jsonify(statistics_context(council).to_dict())
