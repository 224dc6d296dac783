"""Validation of a meeting file's front matter against the meeting model.

The same rules and messages as for papers (``archive.validation``): every problem is a
``CorpusError`` with the line of the offending key, so ``check`` prints ``path:line``.
An item's result is kept as written: a wording ``archive.outcomes`` does not know is shown
as it is and counted as open, never a reason to refuse the meeting.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from archive.errors import CorpusError
from archive.frontmatter import Path_
from archive.meeting import STATUSES
from archive.validation import SOURCE_KEYS, FieldChecker, file_records, vote_counts

REQUIRED = ("committee", "date")
STRING_FIELDS = ("committee", "date", "name", "start", "end", "place", "status")
KNOWN_KEYS = (*STRING_FIELDS, "items", "source", "files")
ITEM_STRINGS = ("number", "title", "result", "resolution", "note")
ITEM_KEYS = (*ITEM_STRINGS, "public", "papers", "votes")

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate_meeting(
    raw: Any, lines: dict[Path_, int], path: Path
) -> tuple[dict[str, Any], list[CorpusError]]:
    """Check a meeting's raw front matter; clean data for ``Meeting.from_dict`` and the problems."""
    check = FieldChecker(path, lines)
    data = check.mapping(raw, (), KNOWN_KEYS)
    clean: dict[str, Any] = {}
    for key in REQUIRED:
        if not data.get(key):
            check.error((), f"missing required key {key!r}")
    for key in STRING_FIELDS:
        clean[key] = check.string(data.get(key), (key,))
    check.date(clean["date"], ("date",))
    for key in ("start", "end"):
        if clean[key] and not _TIME.match(clean[key]):
            check.error((key,), f"{key}: {clean[key]!r} is not a time like 17:00")
    if clean["status"] and clean["status"] not in STATUSES:
        check.error(
            ("status",), f"unknown status {clean['status']!r} (known: {', '.join(STATUSES)})"
        )
    items = check.items(data.get("items"), "items")
    clean["items"] = [_item(check, item, ("items", i)) for i, item in enumerate(items)]
    source = check.mapping(data.get("source"), ("source",), SOURCE_KEYS)
    clean["source"] = {k: check.string(source.get(k), ("source", k)) for k in SOURCE_KEYS}
    clean["files"] = file_records(check, data.get("files"))
    return clean, check.errors


def _item(check: FieldChecker, item: Any, where: Path_) -> dict[str, Any]:
    raw = check.mapping(item, where, ITEM_KEYS)
    clean: dict[str, Any] = {k: check.string(raw.get(k), (*where, k)) for k in ITEM_STRINGS}
    if not clean["title"].strip() and not clean["number"].strip():
        check.error(where, f"item {int(where[-1]) + 1}: missing title and number (one is needed)")
    clean["public"] = check.boolean(raw.get("public"), (*where, "public"))
    clean["papers"] = check.string_list(raw.get("papers"), (*where, "papers"))
    clean["votes"] = vote_counts(check, raw.get("votes"), (*where, "votes"))
    return clean
