"""A local OParl API whose papers' Files carry no ``text``, only links to PDFs.

It serves a real scanned Köln Anfrage (``SCAN``), a text PDF written from ``PAGES`` and an
HTML error page served as application/pdf, as the Files of two papers, under
``/oparl/system`` (``tests.file_server``). Used by the import, web and browser tests.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.file_server import FileServer, serve_bytes
from tests.generated_pdfs import write_pdf

SCAN = "koeln_anfrage-bv-porz_129244.pdf"
PAGES = [
    "Beschlussvorlage: Abstellanlagen für Fahrräder am Marktplatz",
    "Die Verwaltung wird beauftragt, überdachte Fahrradbügel aufzustellen.",
]


def _file(base: str, name: str, path: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"{base}/oparl/files/{name}",
        "type": "https://schema.oparl.org/1.1/File",
        "name": name,
        "fileName": name,
        "mimeType": "application/pdf",
        "downloadUrl": f"{base}{path}",
        "accessUrl": f"{base}{path}",
        "fileModified": "2024-05-02T10:00:00+02:00",
        **extra,
    }


def _papers(base: str) -> list[dict[str, Any]]:
    paper = {"type": "https://schema.oparl.org/1.1/Paper", "modified": "2024-05-02T10:00:00+02:00"}
    return [
        {
            **paper,
            "id": f"{base}/oparl/papers/1",
            "reference": "AN/0412/2010",
            "name": "Anfrage zur Verkehrsführung in Porz",
            "paperType": "Anfrage",
            "date": "2010-05-20",
            "mainFile": _file(base, "Anfrage.pdf", "/files/anfrage.pdf"),
        },
        {
            **paper,
            "id": f"{base}/oparl/papers/2",
            "reference": "VO/2024/77",
            "name": "Radabstellanlagen",
            "paperType": "Beschlussvorlage",
            "date": "2024-05-02",
            "mainFile": _file(base, "Vorlage.pdf", "/files/vorlage.pdf"),
            "auxiliaryFile": [
                _file(base, "Anlage 1 Lageplan.pdf", "/files/fehler.pdf"),
                _file(
                    base,
                    "Anlage 2 Stellungnahme.pdf",
                    "/files/x.pdf",
                    text="Stellungnahme des Seniorenbeirats",
                ),
            ],
        },
    ]


@contextmanager
def file_api(data: Path, root: Path) -> Iterator[FileServer]:
    """The API, serving from ``root`` (a new folder), with the PDFs of ``data`` (shared data)."""
    (root / "files").mkdir(parents=True)
    shutil.copy(data / "pdf" / SCAN, root / "files" / "anfrage.pdf")
    write_pdf(PAGES, root / "files" / "vorlage.pdf")
    with FileServer(root) as server:
        base = server.origin
        body = {
            "id": f"{base}/oparl/bodies/0001",
            "type": "https://schema.oparl.org/1.1/Body",
            "name": "Stadt Beispielstadt",
            "shortName": "Beispielstadt",
            "paper": f"{base}/oparl/bodies/0001/papers",
        }
        answers = {
            "/oparl/system": {
                "id": f"{base}/oparl/system",
                "type": "https://schema.oparl.org/1.1/System",
                "body": f"{base}/oparl/bodies",
            },
            "/oparl/bodies": {"data": [body], "links": {}},
            "/oparl/bodies/0001": body,
            "/oparl/bodies/0001/papers": {"data": _papers(base), "links": {}},
        }
        for path, payload in answers.items():
            server.route(path, serve_bytes(json.dumps(payload).encode(), "application/json"))
        server.route(
            "/files/fehler.pdf", serve_bytes(b"<!DOCTYPE html><h1>Wartung</h1>", "application/pdf")
        )
        yield server
