"""Small pages: the search help ``/hilfe`` and the health check ``/healthz``."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from archive.errors import IndexMissingError
from webapp.backend import search_index

bp = Blueprint("misc", __name__)


@bp.get("/hilfe")
def help_page() -> str:
    return render_template("help.html")


@bp.get("/healthz")
def healthz() -> Response:
    try:
        response = jsonify({"status": "ok", "motions": search_index().count()})
    except IndexMissingError as exc:
        response = jsonify({"status": "unavailable", "error": str(exc)})
        response.status_code = 503
    response.headers["Cache-Control"] = "no-store"
    return response
