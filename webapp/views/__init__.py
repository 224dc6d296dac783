"""The site's pages, one module per page family; each HTML page has a JSON twin."""

from __future__ import annotations

from flask import make_response
from werkzeug.wrappers import Response


def alternate(body: str, twin: str) -> Response:
    """An HTML page whose JSON twin ``twin`` is named in a ``Link: rel=alternate`` header."""
    response = make_response(body)
    response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
    return response
