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
from archive.files import FAILED, OCR, PENDING, TEXT_STATUSES
from archive.frontmatter import Path_
from archive.motion import MOTION_TYPES, Votes, slug_for
from archive.outcomes import contradiction, is_known_result

REQUIRED = ("reference", "title")
STRING_FIELDS = ("reference", "title", "type", "lead", "clerk", "date")
LIST_FIELDS = ("sponsors", "involved", "related")
KNOWN_KEYS = (*STRING_FIELDS, *LIST_FIELDS, "public", "consultations", "source", "files")
CONSULTATION_STRINGS = ("committee", "meeting", "date", "agenda_item", "result", "note")
CONSULTATION_KEYS = (*CONSULTATION_STRINGS, "public", "votes")
SOURCE_KEYS = ("system", "url", "id", "retrieved")
VOTE_KEYS = ("yes", "no", "abstain")
FILE_STRINGS = ("name", "url", "media_type", "sha256", "text", "reason", "fetched")
FILE_STRINGS = (*FILE_STRINGS, "modified", "etag", "last_modified")
FILE_KEYS = ("name", "url", "media_type", "size", "sha256", "pages", "text", "ocr_pages")
FILE_KEYS = (*FILE_KEYS, "reason", "fetched", "public", *FILE_STRINGS[7:])

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REFERENCE = re.compile(r"^[\w./\- ]+$")
_MEDIA_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class FieldChecker:
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

    def items(self, value: Any, key: str) -> list[Any]:
        """The entries of the top-level list ``key`` (none, and an error, if it is not one)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((key,), f"{key}: expected a list")
            return []
        return value

    def count(self, value: Any, where: Path_, name: str) -> int | None:
        """A whole number ≥ 0, or ``None`` (null: not recorded)."""
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            self.error(
                where,
                f"{name}: {value!r} is not a count (a whole number ≥ 0, or null when not recorded)",
            )
            return None
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
    check = FieldChecker(path, lines)
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
    clean["files"] = file_records(check, data.get("files"))
    return clean, check.errors


def _consultations(check: FieldChecker, value: Any) -> list[dict[str, Any]]:
    result = []
    for i, item in enumerate(check.items(value, "consultations")):
        where: Path_ = ("consultations", i)
        raw = check.mapping(item, where, CONSULTATION_KEYS)
        c: dict[str, Any] = {k: check.string(raw.get(k), (*where, k)) for k in CONSULTATION_STRINGS}
        if not c["committee"]:
            check.error(where, f"consultation {i + 1}: missing committee")
        check.date(c["date"], (*where, "date"))
        c["public"] = check.boolean(raw.get("public"), (*where, "public"))
        if c["result"] and not is_known_result(c["result"]):
            check.error((*where, "result"), f"unknown result {c['result']!r}")
        c["votes"] = vote_counts(check, raw.get("votes"), (*where, "votes"))
        reason = contradiction(Votes(**c["votes"]), c["result"])
        if reason:
            check.error((*where, "votes"), f"vote counts contradict the result: {reason}")
        result.append(c)
    return result


def vote_counts(check: FieldChecker, value: Any, where: Path_) -> dict[str, int | None]:
    raw = check.mapping(value, where, VOTE_KEYS)
    return {key: check.count(raw.get(key), (*where, key), f"votes.{key}") for key in VOTE_KEYS}


def file_records(check: FieldChecker, value: Any) -> list[dict[str, Any]]:
    """The ``files:`` records (``archive.files``)."""
    return [_file(check, item, ("files", i)) for i, item in enumerate(check.items(value, "files"))]


def _file(check: FieldChecker, item: Any, where: Path_) -> dict[str, Any]:
    number = f"file {int(where[-1]) + 1}"
    raw = check.mapping(item, where, FILE_KEYS)
    f: dict[str, Any] = {k: check.string(raw.get(k), (*where, k)) for k in FILE_STRINGS}
    if not f["name"].strip():
        check.error(where, f"{number}: missing name")
    elif _CONTROL.search(f["name"]):
        check.error((*where, "name"), f"{number}: name contains a line break or control character")
    if f["media_type"] and not _MEDIA_TYPE.match(f["media_type"]):
        check.error(
            (*where, "media_type"),
            f"{number}: media_type {f['media_type']!r} is not a type like application/pdf",
        )
    if f["sha256"] and not _SHA256.match(f["sha256"]):
        check.error((*where, "sha256"), f"{number}: sha256 must be 64 hex digits 0-9a-f (or empty)")
    f["size"] = check.count(raw.get("size"), (*where, "size"), f"{number}: size")
    f["pages"] = check.count(raw.get("pages"), (*where, "pages"), f"{number}: pages")
    f["text"] = f["text"] or PENDING
    f["public"] = check.boolean(raw.get("public", True), (*where, "public"))
    if f["text"] not in TEXT_STATUSES:
        check.error(
            (*where, "text"),
            f"{number}: unknown text status {f['text']!r} (known: {', '.join(TEXT_STATUSES)})",
        )
    if f["text"] == FAILED and not f["reason"].strip():
        check.error((*where, "text"), f"{number}: text is failed but no reason says why")
    f["ocr_pages"] = _ocr_pages(check, raw.get("ocr_pages"), (*where, "ocr_pages"), f, number)
    _timestamp(check, f["fetched"], (*where, "fetched"), number)
    _timestamp(check, f["modified"], (*where, "modified"), number)
    return f


def _ocr_pages(
    check: FieldChecker, value: Any, where: Path_, record: dict[str, Any], number: str
) -> list[int]:
    if value is None or value == []:
        return []
    if not isinstance(value, list):
        check.error(where, f"{number}: ocr_pages: expected a list of page numbers")
        return []
    if record["text"] != OCR:
        check.error(where, f"{number}: ocr_pages is given, but text is not ocr")
    pages = record["pages"]
    kept = []
    for i, page in enumerate(value):
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            check.error(
                (*where, i), f"{number}: ocr_pages: {page!r} is not a page number (1, 2, …)"
            )
        elif pages is not None and page > pages:
            check.error((*where, i), f"{number}: ocr_pages: page {page} > pages ({pages})")
        else:
            kept.append(page)
    return kept


def _timestamp(check: FieldChecker, value: str, where: Path_, number: str) -> None:
    """``fetched``: a date, or a date and time with its zone (``2024-05-07T09:30:00Z``)."""
    if not value:
        return
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or (len(value) > 10 and moment.tzinfo is None):
        check.error(
            where,
            f"{number}: fetched {value!r} is not a time like 2024-05-07T09:30:00Z "
            "(or a date like 2024-05-07)",
        )
