"""Ratsarchiv's web site: the only package that imports flask; it never imports whoosh.

``create_app(config)`` builds the site. The index and corpus locations come from
``config`` (``INDEX_DIR``, ``CORPUS_DIR``), never from the working directory; the
search index is opened lazily, once per process (see ``webapp.backend``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

MAX_QUERY_LENGTH = 500


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The Flask application; ``config`` overrides the defaults below."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=None,
        CORPUS_DIR=None,
        MAX_QUERY_LENGTH=MAX_QUERY_LENGTH,
        FEED_SIZE=50,
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=16 * 1024,
    )
    if config:
        app.config.update(config)
    for key in ("INDEX_DIR", "CORPUS_DIR"):
        if app.config[key] is not None:
            app.config[key] = Path(app.config[key]).resolve()
    app.json.sort_keys = False
    app.json.ensure_ascii = False

    from webapp import backend, errors, i18n, links, security
    from webapp.views import (
        calendar,
        committees,
        councils,
        exports,
        factions,
        files,
        meetings,
        misc,
        motions,
        search,
        statistics,
    )

    backend.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    links.init_app(app)
    for module in (
        *(search, motions, meetings, calendar, committees, factions, statistics),
        *(files, exports, misc, councils),
    ):
        app.register_blueprint(module.bp)
    return app
