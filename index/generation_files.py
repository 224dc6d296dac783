"""The JSON files a reindex writes into a generation beside the Whoosh index: the meeting
and organisation catalogs and the statistics (``index.meeting_catalog``,
``index.organization_catalog``, ``index.statistics``).

Each is rewritten only when its text changed, so its stamp (modification time and size)
tells a running site whether to load it again; a file of another version reads as none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archive.corpus import write_atomic


def file_stamp(path: Path) -> str:
    """Modification time and size of ``path`` (``""`` when it is missing)."""
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_mtime_ns}:{info.st_size}"


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` atomically unless the file holds it already; whether it wrote."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    write_atomic(path, text)
    return True


def read_entries(path: Path | None, version: int, key: str) -> list[dict[str, Any]]:
    """The list ``key`` of a catalog of ``version``; none for a missing, broken or other
    version's file."""
    if path is None:
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("version") != version:
        return []
    return list(data.get(key) or [])


def write_entries(path: Path, version: int, key: str, entries: list[dict[str, Any]]) -> None:
    """Write a catalog (``{"version": …, key: entries}``) if it changed."""
    text = json.dumps({"version": version, key: entries}, ensure_ascii=False, separators=(",", ":"))
    write_if_changed(path, text)
