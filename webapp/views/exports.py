"""Any search as an Atom feed (newest first) or as a complete CSV/JSON export (streamed).

Every row and entry names its council (``council``: the key, ``council_name``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from itertools import chain

from flask import Blueprint, current_app, request, stream_with_context, url_for
from werkzeug.wrappers import Response

from index.results import Hit
from webapp.backend import search_index
from webapp.feeds import atom_feed
from webapp.i18n import t
from webapp.links import document_url
from webapp.params import parse_search, search_args, with_args

bp = Blueprint("exports", __name__)

CSV_COLUMNS = (
    "council", "council_name", "reference", "title", "type", "date", "sponsors", "committees",
    "result", "result_class", "yes", "no", "abstain", "vote_class", "url",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (leading ``'``)."""
    text = "" if cell is None else str(cell)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def export_row(hit: Hit) -> dict[str, object]:
    """One hit as a plain record (the JSON export; the CSV joins lists with ``; ``)."""
    return {
        "council": hit.council,
        "council_name": hit.council_name,
        "reference": hit.reference,
        "slug": hit.slug,
        "title": hit.title,
        "type": hit.type,
        "date": hit.date,
        "sponsors": hit.sponsors,
        "committees": hit.committees,
        "result": hit.result,
        "result_class": hit.result_class,
        "votes": hit.votes,
        "vote_class": hit.vote_class,
        "url": document_url(hit.council, hit.slug, _external=True),
    }


def _all_hits() -> Iterator[Hit]:
    """Every hit of the search in the URL; errors surface before the response starts."""
    hits = iter(search_index().iter_all(parse_search(request.args)))
    first = next(hits, None)
    return iter(()) if first is None else chain([first], hits)


def _csv_lines(hits: Iterator[Hit]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    for hit in hits:
        row = export_row(hit)
        votes = row.pop("votes")
        row.update(votes)  # type: ignore[arg-type]
        row["sponsors"] = "; ".join(hit.sponsors)
        row["committees"] = "; ".join(hit.committees)
        writer.writerow([neutralise(row[c]) for c in CSV_COLUMNS])
        yield flush()


def _json_lines(hits: Iterator[Hit]) -> Iterator[str]:
    yield "["
    for i, hit in enumerate(hits):
        yield ("\n" if i == 0 else ",\n") + json.dumps(export_row(hit), ensure_ascii=False)
    yield "\n]\n"


def _download(lines: Iterator[str], mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(lines), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/export.csv")
def export_csv() -> Response:
    return _download(_csv_lines(_all_hits()), "text/csv", "ratsarchiv.csv")


@bp.get("/export.json")
def export_json() -> Response:
    return _download(_json_lines(_all_hits()), "application/json", "ratsarchiv.json")


def search_feed(filters: dict[str, tuple[str, ...]], title: str, feed_path: str) -> Response:
    """The Atom feed of the search in the URL, narrowed by ``filters`` (a council's feed,
    whose own address ``feed_path`` implies them)."""
    size = current_app.config["FEED_SIZE"]
    asked = parse_search(request.args, page_size=size)
    search_request = replace(asked, filters={**asked.filters, **filters}, sort="newest")
    result = search_index().search(search_request)
    root = request.host_url.rstrip("/")
    if search_request.query:
        title = f"{title}: {search_request.query}"
    body = atom_feed(
        result.hits,
        title=title,
        feed_url=root + with_args(feed_path, search_args(asked)),
        html_url=root + with_args(url_for("search.page"), search_args(search_request)),
        motion_url=lambda hit: document_url(hit.council, hit.slug, _external=True),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/feed.atom")
def feed() -> Response:
    return search_feed({}, t("Ratsarchiv"), url_for("exports.feed"))
