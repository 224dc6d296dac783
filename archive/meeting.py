"""The meeting model: one sitting of a committee, its agenda items and its minutes.

A meeting is a file of its own, ``<corpus>/<council>/meetings/<id>.md`` (``archive.meeting_files``).
Its ``id`` is the file's name, ``<date>-<committee slug>`` (``-2``, ``-3`` … for a second
meeting of one committee on one day), and like a paper's council it is written nowhere
else. An agenda item has a paper where the council's system names one (``papers``: its
references); many items have none (Berichte, Wahlen, Mitteilungen), and then the item's own
``resolution`` holds its decision. Votes follow the paper rules: ``None`` is never 0.

A paper's consultation and a meeting's item find each other by council, date and committee
(``meeting_id_for``), so importing either side first gives the same links.

>>> meeting_id_for("2025-01-15", "Ortschaftsrat Durlach")
'2025-01-15-ortschaftsrat-durlach'
>>> item = AgendaItem(number="Ö 7.2", title="Radweg", papers=["2024/0815"])
>>> item.anchor
'top-oe-7-2'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive.corpus_walk import MEETINGS_FOLDER
from archive.files import FileRecord
from archive.motion import Source, Votes, slug_for

__all__ = ["MEETINGS_FOLDER", "AgendaItem", "Meeting", "meeting_id_for"]

PLANNED, HELD, CANCELLED = "planned", "held", "cancelled"
STATUSES = (PLANNED, HELD, CANCELLED)
"""A meeting's status: planned (in the future), held, or cancelled (abgesagt)."""


def meeting_id_for(date: str, committee: str, number: int = 1) -> str:
    """A meeting's id from its date and committee; ``number`` > 1 for a later one that day."""
    base = "-".join(part for part in (date, slug_for(committee) or "sitzung") if part)
    return base if number <= 1 else f"{base}-{number}"


@dataclass
class AgendaItem:
    """One item (Tagesordnungspunkt) of a meeting."""

    number: str
    title: str
    public: bool = True
    papers: list[str] = field(default_factory=list)
    """References of the item's papers, as the papers' own ``reference``."""
    result: str = ""
    """The result as the source wrote it (``archive.outcomes`` normalises it)."""
    votes: Votes = field(default_factory=Votes)
    resolution: str = ""
    """The decision text (Beschluss) of an item, above all of one without a paper."""
    note: str = ""

    @property
    def anchor(self) -> str:
        """The item's anchor on its meeting page: ``top-oe-7-2`` for ``Ö 7.2``."""
        return f"top-{slug_for(self.number or self.title) or 'x'}"

    def metadata(self) -> dict[str, Any]:
        """The item as its meeting file writes it: empty fields and unrecorded votes left out,
        ``public`` only when the item is not."""
        data: dict[str, Any] = {"number": self.number, "title": self.title}
        if not self.public:
            data["public"] = False
        if self.papers:
            data["papers"] = list(self.papers)
        if self.result:
            data["result"] = self.result
        if self.votes.recorded:
            data["votes"] = self.votes.to_dict()
        for key in ("resolution", "note"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "public": self.public,
            "papers": list(self.papers),
            "result": self.result,
            "votes": self.votes.to_dict(),
            "resolution": self.resolution,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AgendaItem:
        return cls(
            number=data.get("number") or "",
            title=data.get("title") or "",
            public=data.get("public", True),
            papers=list(data.get("papers") or []),
            result=data.get("result") or "",
            votes=Votes(**(data.get("votes") or {})),
            resolution=data.get("resolution") or "",
            note=data.get("note") or "",
        )


@dataclass
class Meeting:
    """One meeting of a committee: when, where, its agenda, its minutes."""

    committee: str
    date: str
    name: str = ""
    """The meeting's name as the source writes it (``6. Sitzung des Bauausschusses``)."""
    start: str = ""
    """Start time ``HH:MM`` (local time of the council), or empty."""
    end: str = ""
    place: str = ""
    status: str = HELD
    items: list[AgendaItem] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    """Invitation, minutes and other documents of the meeting (``archive.files``)."""
    source: Source = field(default_factory=Source)
    minutes: str = ""
    """The minutes (Niederschrift) as Markdown, where the source has them as text."""
    body: str = ""
    """Markdown before the minutes (notes, further sections), verbatim."""
    closing: str = ""
    """Markdown sections after the minutes, verbatim."""
    council: str = ""
    id: str = ""
    """The file's name without ``.md`` (``meeting_id_for``)."""

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def public_items(self) -> list[AgendaItem]:
        return [item for item in self.items if item.public]

    def metadata(self) -> dict[str, Any]:
        """The front-matter fields in their fixed order (``files`` only when there are any)."""
        data: dict[str, Any] = {
            "committee": self.committee,
            "date": self.date,
            "name": self.name,
            "start": self.start,
            "end": self.end,
            "place": self.place,
            "status": self.status,
            "items": [item.metadata() for item in self.items],
            "source": self.source.to_dict(),
        }
        if self.files:
            data["files"] = [f.to_dict() for f in self.files]
        return data

    def to_dict(self) -> dict[str, Any]:
        """All fields (the JSON shape of the API, before non-public items are dropped)."""
        return {
            "council": self.council,
            "id": self.id,
            **self.metadata(),
            "minutes": self.minutes,
            "body": self.body,
            "closing": self.closing,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Meeting:
        """A meeting from already validated plain data (``archive.meeting_validation``)."""
        return cls(
            committee=data["committee"],
            date=data["date"],
            name=data.get("name") or "",
            start=data.get("start") or "",
            end=data.get("end") or "",
            place=data.get("place") or "",
            status=data.get("status") or HELD,
            items=[AgendaItem.from_dict(i) for i in data.get("items") or []],
            files=[FileRecord.from_dict(f) for f in data.get("files") or []],
            source=Source(**(data.get("source") or {})),
            minutes=data.get("minutes") or "",
            body=data.get("body") or "",
            closing=data.get("closing") or "",
            council=data.get("council") or "",
            id=data.get("id") or "",
        )
