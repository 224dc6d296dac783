"""Errors become friendly pages (German first) or JSON for the API; never a traceback.

``QueryError`` → 400, ``NotFoundError`` → 404, ``IndexMissingError`` → 503, any
other exception → 500 (logged with its traceback, shown without it).
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from archive.errors import IndexMissingError, NotFoundError, QueryError
from webapp.i18n import t

_PAGES = {
    400: ("Ungültige Anfrage", "Die Suchanfrage enthält ungültige Angaben."),
    404: ("Nicht gefunden", "Diese Seite oder dieser Antrag ist nicht im Archiv."),
    405: ("Methode nicht erlaubt", "Das Archiv kann nur gelesen werden."),
    503: (
        "Archiv nicht verfügbar",
        "Der Suchindex ist gerade nicht verfügbar. Bitte versuchen Sie es später erneut.",
    ),
    500: ("Interner Fehler", "Etwas ist schiefgegangen. Der Fehler wurde protokolliert."),
}


def wants_json() -> bool:
    """API routes, the JSON export and the health check answer errors in JSON."""
    return request.path.startswith(("/api/", "/healthz", "/export.json"))


def error_response(status: int, detail: str = "") -> Response:
    title, message = _PAGES.get(status, (t("Fehler {status}", status=status), ""))
    if wants_json():
        response = jsonify(
            {"error": {"status": status, "message": t(title), "detail": detail or None}}
        )
    else:
        response = current_app.make_response(
            render_template(
                "error.html", status=status, title=t(title), message=t(message), detail=detail
            )
        )
    response.status_code = status
    return response


def _http_error(exc: HTTPException) -> Response:
    response = error_response(exc.code or 500)
    if exc.code == 405:
        response.headers["Allow"] = "GET, HEAD"
    return response


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    current_app.logger.exception("unhandled error on %s", request.path)
    return error_response(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(QueryError, lambda e: error_response(400, str(e)))
    app.register_error_handler(NotFoundError, lambda e: error_response(404))
    app.register_error_handler(IndexMissingError, lambda e: error_response(503))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
