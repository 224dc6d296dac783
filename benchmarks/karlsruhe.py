"""A small streaming reader of the Karlsruhe OParl dump (``../shared/data/oparl-karlsruhe``).

Plain gzip + json, one paper at a time, so the 260 MB of text never sit in memory at once::

    for paper in papers(limit=3000):
        print(paper["reference"], paper["name"], len(main_text(paper)))

The dump's papers carry no ``mainFile``: the paper's own document is the first
``auxiliaryFile`` (later ones are opinions, attachments). ``main_text`` returns the
``mainFile`` text where there is one, else the text of the first file that has text.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "oparl-karlsruhe"
PAPERS = DATA / "papers.jsonl.gz"
MEETINGS = DATA / "meetings.jsonl.gz"


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The JSON objects of a gzipped JSON-lines file, streamed, at most ``limit`` of them."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in islice(lines, limit):
            if line.strip():
                yield json.loads(line)


def papers(limit: int | None = None, path: Path = PAPERS) -> Iterator[dict[str, Any]]:
    """OParl ``Paper`` objects (deleted ones skipped), in file order."""
    for paper in read_jsonl(path, limit):
        if not paper.get("deleted"):
            yield paper


def meetings(limit: int | None = None, path: Path = MEETINGS) -> Iterator[dict[str, Any]]:
    """OParl ``Meeting`` objects with their embedded agenda items."""
    yield from read_jsonl(path, limit)


def main_text(paper: dict[str, Any]) -> str:
    """The extracted text of the paper's own document ("" if none was extracted)."""
    files = [paper.get("mainFile") or {}, *(paper.get("auxiliaryFile") or [])]
    for file in files:
        text = file.get("text")
        if text:
            return text
    return ""


def all_text(paper: dict[str, Any]) -> str:
    """The text of every file of the paper, joined by blank lines."""
    files = [paper.get("mainFile") or {}, *(paper.get("auxiliaryFile") or [])]
    return "\n\n".join(f["text"] for f in files if f.get("text"))
