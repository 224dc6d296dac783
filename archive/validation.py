"""Validation of front-matter data against the motion model.

Every problem becomes a ``CorpusError`` with the file line of the offending key,
so ``ratsarchiv check`` can print ``path:line: message`` for each.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from archive.errors import CorpusError
from archive.frontmatter import Path_
from archive.motion import MOTION_TYPES, Votes, slug_for
from archive.outcomes import contradiction, is_known_result

REQUIRED = ("reference", "title")
STRING_FIELDS = ("reference", "title", "type", "lead", "clerk", "date")
LIST_FIELDS = ("sponsors", "involved", "related")
KNOWN_KEYS = (*STRING_FIELDS, *LIST_FIELDS, "public", "consultations", "source")
CONSULTATION_STRINGS = ("committee", "meeting", "date", "agenda_item", "result", "note")
CONSULTATION_KEYS = (*CONSULTATION_STRINGS, "public", "votes")
SOURCE_KEYS = ("system", "url", "id", "retrieved")
VOTE_KEYS = ("yes", "no", "abstain")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REFERENCE = re.compile(r"^[\w./\- ]+$")


class _Checker:
    """Collects the problems of one file."""

    def __init__(self, path: Path, lines: dict[Path_, int]) -> None:
        self.path = path
        self.lines = lines
        self.errors: list[CorpusError] = []

    def error(self, where: Path_, message: str) -> None:
        line = None
        for i in range(len(where), -1, -1):
            line = self.lines.get(where[:i])
            if line is not None:
                break
        self.errors.append(CorpusError(self.path, message, line))

    def string(self, value: Any, where: Path_) -> str:
        name = ".".join(str(p) for p in where)
        if value is None:
            return ""
        if isinstance(value, bool | int | float):
            self.error(
                where,
                f"{name}: {value!r} is read as a {type(value).__name__}; quote it to keep it text",
            )
            return str(value)
        if not isinstance(value, str):
            self.error(where, f"{name}: expected text, found a {_kind(value)}")
            return ""
        return value

    def string_list(self, value: Any, where: Path_) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(where, f"{where[-1]}: expected a list, found a {_kind(value)}")
            return []
        return [self.string(v, (*where, i)) for i, v in enumerate(value)]

    def boolean(self, value: Any, where: Path_) -> bool:
        if value is None:
            return True
        if not isinstance(value, bool):
            self.error(where, f"{where[-1]}: expected true or false, found {value!r}")
            return True
        return value

    def date(self, value: str, where: Path_) -> None:
        if value and not _DATE.match(value):
            self.error(where, f"{where[-1]}: {value!r} is not a date like 2024-05-07")
        elif value:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                self.error(where, f"{where[-1]}: {value!r} is not a valid date")

    def mapping(self, value: Any, where: Path_, known: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(
                where,
                f"{where[-1] if where else 'front matter'}: expected a mapping "
                f"(key: value), found a {_kind(value)}",
            )
            return {}
        for key in value:
            if str(key) not in known:
                self.error(
                    (*where, str(key)), f"unknown key {str(key)!r} (known: {', '.join(known)})"
                )
        return {str(k): v for k, v in value.items()}


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text"}.get(type(value), type(value).__name__)


def validate(
    raw: Any, lines: dict[Path_, int], path: Path
) -> tuple[dict[str, Any], list[CorpusError]]:
    """Check raw front matter; returns clean data for ``Motion.from_dict`` and the problems."""
    check = _Checker(path, lines)
    data = check.mapping(raw, (), KNOWN_KEYS)
    clean: dict[str, Any] = {}
    for key in REQUIRED:
        if not data.get(key):
            check.error((), f"missing required key {key!r}")
    for key in STRING_FIELDS:
        clean[key] = check.string(data.get(key), (key,))
    for key in LIST_FIELDS:
        clean[key] = check.string_list(data.get(key), (key,))
    clean["public"] = check.boolean(data.get("public"), ("public",))
    if clean["reference"] and not _REFERENCE.match(clean["reference"]):
        check.error(
            ("reference",),
            f"reference {clean['reference']!r} has characters "
            "other than letters, digits, '/', '.', '-' and spaces",
        )
    elif clean["reference"] and not slug_for(clean["reference"]):
        check.error(
            ("reference",),
            f"reference {clean['reference']!r} has no letter a-z or digit to name its file",
        )
    check.date(clean["date"], ("date",))
    if clean["type"] and clean["type"] not in MOTION_TYPES:
        check.error(("type",), f"unknown type {clean['type']!r} (known: {', '.join(MOTION_TYPES)})")
    clean["consultations"] = _consultations(check, data.get("consultations"))
    source = check.mapping(data.get("source"), ("source",), SOURCE_KEYS)
    clean["source"] = {k: check.string(source.get(k), ("source", k)) for k in SOURCE_KEYS}
    return clean, check.errors


def _consultations(check: _Checker, value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        check.error(("consultations",), "consultations: expected a list")
        return []
    result = []
    for i, item in enumerate(value):
        where: Path_ = ("consultations", i)
        raw = check.mapping(item, where, CONSULTATION_KEYS)
        c: dict[str, Any] = {k: check.string(raw.get(k), (*where, k)) for k in CONSULTATION_STRINGS}
        if not c["committee"]:
            check.error(where, f"consultation {i + 1}: missing committee")
        check.date(c["date"], (*where, "date"))
        c["public"] = check.boolean(raw.get("public"), (*where, "public"))
        if c["result"] and not is_known_result(c["result"]):
            check.error((*where, "result"), f"unknown result {c['result']!r}")
        c["votes"] = _votes(check, raw.get("votes"), (*where, "votes"))
        reason = contradiction(Votes(**c["votes"]), c["result"])
        if reason:
            check.error((*where, "votes"), f"vote counts contradict the result: {reason}")
        result.append(c)
    return result


def _votes(check: _Checker, value: Any, where: Path_) -> dict[str, int | None]:
    raw = check.mapping(value, where, VOTE_KEYS)
    votes: dict[str, int | None] = {}
    for key in VOTE_KEYS:
        count = raw.get(key)
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int) or count < 0
        ):
            check.error(
                (*where, key),
                f"votes.{key}: {count!r} is not a count (a whole number "
                "≥ 0, or null when not recorded)",
            )
            count = None
        votes[key] = count
    return votes
