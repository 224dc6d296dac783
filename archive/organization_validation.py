"""Validation of an organisation file's front matter against the organisation model.

The same rules and messages as for papers and meetings (``archive.validation``): every
problem is a ``CorpusError`` with the line of the offending key, so ``check`` prints
``path:line``. Roles and faction names are kept as written; only the shape, the kind and
the dates are judged.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from archive.errors import CorpusError
from archive.frontmatter import Path_
from archive.organization import KINDS, MEMBER_FIELDS
from archive.validation import SOURCE_KEYS, FieldChecker

REQUIRED = ("name", "kind")
STRING_FIELDS = ("name", "kind", "short_name", "start", "end")
KNOWN_KEYS = (*STRING_FIELDS, "members", "source")


def validate_organization(
    raw: Any, lines: dict[Path_, int], path: Path
) -> tuple[dict[str, Any], list[CorpusError]]:
    """Check an organisation's raw front matter; clean data for ``Organization.from_dict``
    and the problems."""
    check = FieldChecker(path, lines)
    data = check.mapping(raw, (), KNOWN_KEYS)
    for key in REQUIRED:
        if not data.get(key):
            check.error((), f"missing required key {key!r}")
    clean: dict[str, Any] = {key: check.string(data.get(key), (key,)) for key in STRING_FIELDS}
    if clean["kind"] and clean["kind"] not in KINDS:
        check.error(("kind",), f"unknown kind {clean['kind']!r} (known: {', '.join(KINDS)})")
    _period(check, clean, ())
    members = check.items(data.get("members"), "members")
    clean["members"] = [_member(check, m, ("members", i)) for i, m in enumerate(members)]
    source = check.mapping(data.get("source"), ("source",), SOURCE_KEYS)
    clean["source"] = {k: check.string(source.get(k), ("source", k)) for k in SOURCE_KEYS}
    return clean, check.errors


def _period(check: FieldChecker, clean: dict[str, Any], where: Path_) -> None:
    for key in ("start", "end"):
        check.date(clean[key], (*where, key))
    start, end = _day(clean["start"]), _day(clean["end"])
    if start and end and end < start:
        check.error((*where, "end"), f"end {clean['end']!r} is before start {clean['start']!r}")


def _day(text: str) -> datetime.date | None:
    """A valid date, else ``None`` (``check.date`` has said what is wrong with it)."""
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _member(check: FieldChecker, item: Any, where: Path_) -> dict[str, Any]:
    number = f"member {int(where[-1]) + 1}"
    if not isinstance(item, dict):
        check.error(where, f"{number}: expected keys like 'name: …', found {item!r}")
        item = {"name": "?"}
    raw = check.mapping(item, where, MEMBER_FIELDS)
    clean = {key: check.string(raw.get(key), (*where, key)) for key in MEMBER_FIELDS}
    if not clean["name"].strip():
        check.error(where, f"{number}: missing name")
    _period(check, clean, where)
    return clean
