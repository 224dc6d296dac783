"""A paper's files: ``/files/<council>/<slug>/<n>``, the original of its n-th file.

The site serves the copy kept in the corpus (``<slug>.files/``, fetched by ``ratsarchiv
files fetch``) with its own media type, and sends the reader to the source's URL when it
keeps none. Links add ``#page=N`` (a browser's PDF viewer opens that page; the fragment
survives the redirect). A file marked not public, of a paper not public, or not in the
list is a 404; the path is built from the index's record, never from the request, so
nothing outside the paper's folder can be reached.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, redirect, send_file
from werkzeug.wrappers import Response

from archive.corpus_walk import within_corpus
from archive.errors import NotFoundError
from archive.file_text import copy_path
from archive.files import FileRecord
from webapp.backend import search_index
from webapp.file_links import file_url, shown_files
from webapp.rendering import web_url
from webapp.views.motions import public_motion

bp = Blueprint("files", __name__)

SHOWN_TYPES = frozenset({"application/pdf", "text/plain", "image/png", "image/jpeg", "image/tiff"})
"""Media types a browser may show inline; anything else is sent as a download, so a file
that claims to be HTML can never run in the site's origin."""


bp.add_app_template_global(file_url)
bp.add_app_template_global(shown_files)


def _local_copy(council: str, slug: str, position: int, record: FileRecord) -> Path | None:
    corpus = current_app.config["CORPUS_DIR"]
    relpath = search_index().corpus_path(council, slug)
    if corpus is None or relpath is None:
        return None
    copy = copy_path(Path(corpus) / relpath, position, record)
    return copy if within_corpus(copy, corpus) and copy.is_file() else None


@bp.get("/files/<council>/<slug>/<int:position>")
def original(council: str, slug: str, position: int) -> Response:
    motion = public_motion(search_index(), council, slug)
    shown = dict(shown_files(motion.files)) if motion else {}
    record = shown.get(position)
    if record is None:
        raise NotFoundError(f"{council}/{slug}, file {position}")
    copy = _local_copy(council, slug, position, record)
    if copy is None:
        source = web_url(record.url)
        if source is None:
            raise NotFoundError(f"{council}/{slug}, file {position}")
        return redirect(source, 302)
    media_type = record.media_type.split(";")[0].strip().lower() or "application/pdf"
    inline = media_type in SHOWN_TYPES
    response = send_file(
        copy,
        mimetype=media_type if inline else "application/octet-stream",
        as_attachment=not inline,
        download_name=record.name,
        conditional=True,
        max_age=3600,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
