"""A paper's files: one record per document the council published with it (a PDF, …).

A record says what the file is (``name``, ``url``, ``media_type``, ``size``, ``sha256``,
``pages``), whether its words could be read (``text``: one of ``TEXT_STATUSES``, with a
``reason`` when it ``failed``) and when it was ``fetched``. Records live in the motion's
front matter under ``files:``; the text itself is stored beside the Markdown
(``archive.file_text``), in ``<slug>.files/``, named after the record's position and name.

>>> record = FileRecord(name="Anlage 2 – Lageplan.pdf", text="ocr")
>>> record.has_text, stored_name(2, record.name)
(True, '2-anlage-2-lageplan.pdf')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

PENDING = "pending"
LAYER = "layer"
OCR = "ocr"
NONE = "none"
FAILED = "failed"
TEXT_STATUSES = (PENDING, LAYER, OCR, NONE, FAILED)
"""``pending``: not read yet; ``layer``: the file's own text layer; ``ocr``: some or all
pages read by OCR (``ocr_pages``); ``none``: no text found; ``failed``: reading failed
(``reason`` says why)."""
WITH_TEXT = (LAYER, OCR)
"""The statuses whose file has a stored text."""

FILES_SUFFIX = ".files"
"""``<slug>.files/``: the folder beside ``<slug>.md`` holding its files' texts (and copies)."""
TEXT_SUFFIX = ".txt"
MAX_STORED_NAME = 80

_UNSAFE = re.compile(r"[^a-z0-9.]+")
_DOTS = re.compile(r"\.{2,}")


@dataclass
class FileRecord:
    """One file of a paper, as its front matter lists it."""

    name: str
    url: str = ""
    media_type: str = ""
    size: int | None = None
    sha256: str = ""
    pages: int | None = None
    text: str = PENDING
    ocr_pages: list[int] = field(default_factory=list)
    reason: str = ""
    fetched: str = ""
    public: bool = True
    """``False``: the council marks it not public; it is never fetched, indexed or shown."""
    modified: str = ""
    """When the source says the file last changed (OParl ``fileModified``)."""
    etag: str = ""
    last_modified: str = ""
    """The HTTP validators of the last fetch (``ETag``, ``Last-Modified``), for conditional
    requests: an unchanged file is not downloaded again."""

    @property
    def has_text(self) -> bool:
        """Whether a text of this file is stored beside the motion."""
        return self.text in WITH_TEXT

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "url": self.url,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
            "pages": self.pages,
            "text": self.text,
            "ocr_pages": list(self.ocr_pages),
            "reason": self.reason,
            "fetched": self.fetched,
        }
        # the keys below are written only when set, so the common record stays short
        if not self.public:
            data["public"] = False
        optional = {
            "modified": self.modified,
            "etag": self.etag,
            "last_modified": self.last_modified,
        }
        data.update({key: value for key, value in optional.items() if value})
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileRecord:
        """A record from already validated plain data (``archive.validation``)."""
        return cls(
            name=data.get("name") or "",
            url=data.get("url") or "",
            media_type=data.get("media_type") or "",
            size=data.get("size"),
            sha256=data.get("sha256") or "",
            pages=data.get("pages"),
            text=data.get("text") or PENDING,
            ocr_pages=list(data.get("ocr_pages") or []),
            reason=data.get("reason") or "",
            fetched=data.get("fetched") or "",
            public=data.get("public", True) is not False,
            modified=data.get("modified") or "",
            etag=data.get("etag") or "",
            last_modified=data.get("last_modified") or "",
        )


def safe_name(name: str) -> str:
    """A file name that is the same on every file system: ``Anlage 2 – Lageplan.pdf`` →
    ``anlage-2-lageplan.pdf`` (lower case a-z, digits, ``-`` and ``.``; at most
    ``MAX_STORED_NAME`` characters, keeping the extension; ``file`` when nothing is left)."""
    text = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = _DOTS.sub(".", _UNSAFE.sub("-", text)).strip("-.")
    text = re.sub(r"-?\.-?", ".", text)
    if len(text) > MAX_STORED_NAME:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 8:
            text = f"{stem[: MAX_STORED_NAME - len(extension) - 1].rstrip('-.')}.{extension}"
        else:
            text = text[:MAX_STORED_NAME].rstrip("-.")
    return text or "file"


def stored_name(position: int, name: str) -> str:
    """The name of the ``position``-th (from 1) file's copy in ``<slug>.files/``:
    ``2-lageplan.pdf``; its text is that name plus ``.txt``."""
    return f"{position}-{safe_name(name)}"


def carry_over(known: list[FileRecord], fresh: list[FileRecord]) -> list[FileRecord]:
    """``fresh`` records (from a re-import) with what was fetched and read of the same file
    before: same place in the list, same URL, the source's ``modified`` unchanged. So an
    unchanged file is neither downloaded nor read again; its texts and copy are named by
    position and name, so the name it was stored under is kept as well."""
    kept = []
    for position, record in enumerate(fresh):
        old = known[position] if position < len(known) else None
        same = old is not None and bool(record.url) and old.url == record.url
        if not same or (record.modified and record.modified != old.modified):  # type: ignore[union-attr]
            kept.append(record)
        else:
            kept.append(replace(old, media_type=record.media_type or old.media_type))  # type: ignore[arg-type]
    return kept
