"""The motion model: one council paper with its consultations.

Field names are English and are the same in corpus files, the index and JSON.
A vote count is an ``int`` or ``None`` when it was not recorded — ``None`` is never 0.

A motion's identity is (council, reference): its ``council`` is the key of the council
folder its file lives in (``archive.councils``), never written in the file itself.

>>> m = Motion(reference="VO/2024/12903-01", title="Quartiere stärken", council="luebeck")
>>> m.slug, m.uid
('vo-2024-12903-01', 'luebeck/vo-2024-12903-01')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from archive.files import FileRecord

MOTION_TYPES = (
    "Antrag",
    "Änderungsantrag",
    "Ergänzungsantrag",
    "Austauschantrag",
    "Dringlichkeitsantrag",
    "Beschlussvorlage",
    "Informationsvorlage",
    "Anfrage",
    "Mitteilung",
    "Bericht",
    "Vorlage",
    "Sonstiges",
)

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def slug_for(reference: str) -> str:
    """URL and file name for a reference: ``VO/2024/12903-01`` → ``vo-2024-12903-01``."""
    text = reference.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = text.replace("ß", "ss")
    return _SLUG_UNSAFE.sub("-", text).strip("-")


def uid_for(council: str, slug: str) -> str:
    """A paper's identity from its council and slug: ``luebeck/vo-2024-12903-01``."""
    return f"{council}/{slug}"


@dataclass
class Votes:
    """Counts of one vote; ``None`` where the source did not record a count."""

    yes: int | None = None
    no: int | None = None
    abstain: int | None = None

    @property
    def recorded(self) -> bool:
        return any(v is not None for v in (self.yes, self.no, self.abstain))

    def to_dict(self) -> dict[str, int | None]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}


@dataclass
class Consultation:
    """One committee's handling of the paper at one meeting (an agenda item)."""

    committee: str
    meeting: str = ""
    date: str = ""
    agenda_item: str = ""
    public: bool = True
    result: str = ""
    votes: Votes = field(default_factory=Votes)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "committee": self.committee,
            "meeting": self.meeting,
            "date": self.date,
            "agenda_item": self.agenda_item,
            "public": self.public,
            "result": self.result,
            "votes": self.votes.to_dict(),
            "note": self.note,
        }


@dataclass
class Source:
    """Where the motion came from."""

    system: str = ""
    url: str = ""
    id: str = ""
    retrieved: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"system": self.system, "url": self.url, "id": self.id, "retrieved": self.retrieved}


@dataclass
class Motion:
    """One council paper: metadata, consultations and texts."""

    reference: str
    title: str
    type: str = ""
    sponsors: list[str] = field(default_factory=list)
    lead: str = ""
    involved: list[str] = field(default_factory=list)
    clerk: str = ""
    date: str = ""
    public: bool = True
    consultations: list[Consultation] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    files: list[FileRecord] = field(default_factory=list)
    """The paper's documents (``archive.files``); their texts are stored beside the file."""
    resolution: str = ""
    questions: list[str] = field(default_factory=list)
    reasons: str = ""
    body: str = ""
    """Further Markdown sections (Wortprotokoll, attachments, ...), verbatim."""
    council: str = ""
    """The key of the council the paper belongs to (from its file's folder)."""

    @property
    def slug(self) -> str:
        return slug_for(self.reference)

    @property
    def uid(self) -> str:
        """The paper's identity in the archive: ``<council>/<slug>``."""
        return uid_for(self.council, self.slug)

    @property
    def latest(self) -> Consultation | None:
        """The latest consultation (by date, then by order in the file)."""
        if not self.consultations:
            return None
        ordered = sorted(enumerate(self.consultations), key=lambda p: (p[1].date or "", p[0]))
        return ordered[-1][1]

    @property
    def result(self) -> str:
        """The motion's result is its latest consultation's result, as written."""
        latest = self.latest
        return latest.result if latest else ""

    @property
    def committees(self) -> list[str]:
        """Every committee the paper went through, in order, without repeats."""
        return list(dict.fromkeys(c.committee for c in self.consultations if c.committee))

    @property
    def year(self) -> str:
        return self.date[:4] if self.date else ""

    def metadata(self) -> dict[str, Any]:
        """The front-matter fields, in their fixed order (``files`` only when there are
        any, so a paper without files reads as before files existed)."""
        data = {
            "reference": self.reference,
            "title": self.title,
            "type": self.type,
            "sponsors": list(self.sponsors),
            "lead": self.lead,
            "involved": list(self.involved),
            "clerk": self.clerk,
            "date": self.date,
            "public": self.public,
            "consultations": [c.to_dict() for c in self.consultations],
            "related": list(self.related),
            "source": self.source.to_dict(),
        }
        if self.files:
            data["files"] = [f.to_dict() for f in self.files]
        return data

    def to_dict(self) -> dict[str, Any]:
        """All fields of the model (the JSON shape of the API)."""
        data = {"council": self.council, **self.metadata()}
        data.update(
            slug=self.slug,
            result=self.result,
            resolution=self.resolution,
            questions=list(self.questions),
            reasons=self.reasons,
            body=self.body,
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Motion:
        """Build a motion from already validated plain data (see ``archive.validation``)."""
        consultations = [
            Consultation(
                committee=c.get("committee") or "",
                meeting=c.get("meeting") or "",
                date=c.get("date") or "",
                agenda_item=c.get("agenda_item") or "",
                public=c.get("public", True),
                result=c.get("result") or "",
                votes=Votes(**(c.get("votes") or {})),
                note=c.get("note") or "",
            )
            for c in data.get("consultations") or []
        ]
        return cls(
            reference=data["reference"],
            title=data["title"],
            type=data.get("type") or "",
            sponsors=list(data.get("sponsors") or []),
            lead=data.get("lead") or "",
            involved=list(data.get("involved") or []),
            clerk=data.get("clerk") or "",
            date=data.get("date") or "",
            public=data.get("public", True),
            consultations=consultations,
            related=list(data.get("related") or []),
            source=Source(**(data.get("source") or {})),
            files=[FileRecord.from_dict(f) for f in data.get("files") or []],
            resolution=data.get("resolution") or "",
            questions=list(data.get("questions") or []),
            reasons=data.get("reasons") or "",
            body=data.get("body") or "",
            council=data.get("council") or "",
        )
