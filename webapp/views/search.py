"""The search page ``/`` and its JSON twin ``/api/search``, built by one function.

Without a query or filter, ``/`` is the archive's start page: its councils with their
paper counts, the search box and the newest papers (JSON twin: ``/api/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask import Blueprint, jsonify, render_template, request, url_for
from werkzeug.wrappers import Response

from archive.councils import unqualify
from index.results import SORTS, FacetValue, SearchRequest, SearchResult
from webapp.backend import search_index
from webapp.councils import council_dict, council_label, councils
from webapp.i18n import lang, t, value_label
from webapp.links import document_url
from webapp.params import FilterLinks, facet_specs, parse_search, search_args, with_args
from webapp.views import alternate

bp = Blueprint("search", __name__)

SORT_LABELS = {"relevance": "Relevanz", "newest": "Neueste zuerst", "oldest": "Älteste zuerst"}
FACET_VISIBLE = 8


@dataclass
class SearchPage:
    """One search: the request as parsed, its result, and every link the page offers."""

    request: SearchRequest
    result: SearchResult

    def url(self, endpoint: str = "search.page", **changes: Any) -> str:
        return with_args(url_for(endpoint), search_args(self.request, **changes))

    @cached_property
    def filter_links(self) -> FilterLinks:
        return FilterLinks(url_for("search.page"), self.request)

    def to_dict(self) -> dict[str, Any]:
        data = self.result.to_dict(lang())
        for hit in data["hits"]:
            hit["url"] = document_url(hit["council"], hit["slug"])
        return data

    @property
    def browsing(self) -> bool:
        """No query and no filter: the page shows the newest motions."""
        return not self.request.query and not self.request.filters

    @property
    def start(self) -> bool:
        """The archive's start page: browsing, first page (it lists the councils)."""
        return self.browsing and self.request.page == 1

    @property
    def sort(self) -> str:
        return self.request.order

    def sorts(self) -> list[dict[str, Any]]:
        names = SORTS if self.request.query else tuple(s for s in SORTS if s != "relevance")
        return [
            {"label": t(SORT_LABELS[s]), "url": self.url(sort=s), "current": s == self.sort}
            for s in names
        ]

    def facets(self) -> list[dict[str, Any]]:
        groups = []
        for spec in facet_specs():
            counted = self.result.facets.get(spec.name, [])
            chosen = self.request.filters.get(spec.name, ())
            # a bare name asked for (``committee=Hauptausschuss``, a link from before
            # councils) selects every council's value of it: their links remove it
            listed = {v.value for v in counted} | {v.name for v in counted if v.selected}
            values = [
                {
                    "value": v.value,
                    "label": facet_label(spec.name, v),
                    "count": v.count,
                    "selected": v.selected,
                    "url": self.filter_links.toggle(
                        spec.name, v.value if v.value in chosen or not v.selected else v.name
                    ),
                }
                for v in [
                    *counted,
                    *(FacetValue(value, 0, True) for value in chosen if value not in listed),
                ]
            ]
            if not values:
                continue
            shown = [v for i, v in enumerate(values) if i < FACET_VISIBLE or v["selected"]]
            more = [v for v in values if v not in shown]
            groups.append({"name": spec.name, "label": _label(spec), "shown": shown, "more": more})
        return groups

    def active_filters(self) -> list[dict[str, str]]:
        labels = {spec.name: _label(spec) for spec in facet_specs()}
        counted = {
            (name, v.value): v for name, values in self.result.facets.items() for v in values
        }
        return [
            {
                "facet": labels.get(name, name),
                "value": facet_label(name, counted.get((name, value), FacetValue(value, 0, True))),
                "url": self.filter_links.toggle(name, value),
            }
            for name, values in self.request.filters.items()
            for value in values
        ]

    def pagination(self) -> list[dict[str, Any]]:
        """Page links around the current page, with ``None`` marking a gap."""
        current, last = self.result.page, self.result.pages
        numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        items: list[dict[str, Any]] = []
        for n in numbers:
            if items and n - items[-1]["number"] > 1:
                items.append({"number": n - 1, "gap": True})
            items.append({"number": n, "url": self.url(page=n), "current": n == current})
        return items


def _label(spec: Any) -> str:
    return spec.label_en if lang() == "en" else spec.label_de


def facet_label(facet: str, value: FacetValue) -> str:
    """What the site shows for a facet value: the index's ``label`` (a committee with its
    council's short name when the result spans several councils, a council's name), else
    the value worded for the reader (a value asked for that the result does not count)."""
    if value.label:
        return value_label(value.label)
    if facet == "council":
        return council_label(value.value)
    council, name = unqualify(value.value)
    return f"{name} ({council_label(council)})" if council else value_label(value.value)


def search_context() -> SearchPage:
    """The search page's context from the URL: the one builder for HTML, JSON and feed links."""
    search_request = parse_search(request.args)
    return SearchPage(search_request, search_index().search(search_request))


@bp.get("/")
def page() -> Response:
    context = search_context()
    if context.start:
        twin = url_for("search.start_api")
    else:
        twin = context.url("search.api", page=context.request.page)
    listed = councils() if context.start else []
    return alternate(
        render_template("search.html", page=context, councils=listed, json_url=twin), twin
    )


@bp.get("/api/search")
def api() -> Response:
    return jsonify(search_context().to_dict())


@bp.get("/api/")
def start_api() -> Response:
    """The start page's twin: the archive's councils with their paper counts."""
    listed = councils()
    return jsonify(
        {
            "papers": sum(summary.papers for summary in listed),
            "councils": [council_dict(summary) for summary in listed],
            "search_url": url_for("search.api"),
            "feed_url": url_for("exports.feed"),
        }
    )
