"""The mapping of an OParl ``Paper`` to a ``Motion``.

An OParl paper carries its reference, title, type, date, the offices in charge
(``underDirectionOf``), its originators, links to other papers, its consultations
and its files. What happened to it in a meeting lives on the meeting's agenda item,
so consultations are joined with the agenda items of the meetings
(``AgendaIndex``), which give the meeting, date, agenda item number, public flag
and result. Organization names come from an organization list or from the API.

``map_paper`` is pure: it gets everything it needs from an ``OParlContext`` and
raises ``PaperSkipped`` for a paper that must not be imported (deleted, nothing
public, no reference).

>>> motion_type("Änderungs-/Ergänzungsantrag"), motion_type("Haushalt THH 4100")
('Änderungsantrag', 'Antrag')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archive.corpus import SECTION_FIELDS
from archive.files import FileRecord
from archive.importers import pdftext
from archive.importers.normalise import clean_line, type_from_kind
from archive.motion import MOTION_TYPES, Consultation, Motion, Source
from archive.outcomes import is_known_result

SYSTEM = "OParl"
MAX_BODY_BYTES = 9 * 1024 * 1024
"""Above this a file would break the corpus's 10 MB limit per motion."""

PAPER_TYPES = {
    "antrag": "Antrag",
    "änderungs-/ergänzungsantrag": "Änderungsantrag",
    "änderungsantrag": "Änderungsantrag",
    "ergänzungsantrag": "Ergänzungsantrag",
    "beschlussvorlage": "Beschlussvorlage",
    "informationsvorlage": "Informationsvorlage",
    "mitteilungsvorlage": "Mitteilung",
    "anfrage": "Anfrage",
    "große anfrage": "Anfrage",
    "kleine anfrage": "Anfrage",
    "offenlage": "Vorlage",
}
"""OParl ``paperType`` (lower case) → motion type, where the words alone mislead."""

_PREFIX_TYPES = (("haushalt", "Antrag"),)  # Karlsruhe's budget motions: "Haushalt THH 4100"


def motion_type(paper_type: str) -> str:
    """A ``MOTION_TYPES`` value for an OParl ``paperType`` (``Sonstiges`` when unknown)."""
    text = clean_line(paper_type)
    if not text:
        return ""
    lowered = text.lower()
    if lowered in PAPER_TYPES:
        return PAPER_TYPES[lowered]
    for prefix, kind in _PREFIX_TYPES:
        if lowered.startswith(prefix):
            return kind
    if text in MOTION_TYPES:
        return text
    return type_from_kind(text) or "Sonstiges"


class PaperSkipped(Exception):
    """A paper that is not imported, with the reason for the report."""


@dataclass
class AgendaEntry:
    """What a consultation needs from its meeting and agenda item."""

    meeting: str
    date: str
    committees: list[str]
    number: str = ""
    public: bool = True
    result: str = ""


@dataclass
class AgendaIndex:
    """Consultation id (and agenda item id) → meeting and agenda item, from Meeting objects."""

    by_consultation: dict[str, AgendaEntry] = field(default_factory=dict)
    by_item: dict[str, AgendaEntry] = field(default_factory=dict)
    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_meeting(self, meeting: dict[str, Any], organizations: dict[str, str]) -> None:
        meeting_id = str(meeting.get("id", ""))
        orgs = meeting.get("organization") or []
        summary = {
            "name": clean_line(str(meeting.get("name") or "")),
            "date": _day(meeting.get("start")),
            "committees": [organizations[o] for o in orgs if o in organizations],
        }
        self.meetings[meeting_id] = summary
        for item in meeting.get("agendaItem") or []:
            if isinstance(item, dict):
                self.add_item(item, summary)

    def add_item(self, item: dict[str, Any], meeting: dict[str, Any]) -> AgendaEntry:
        entry = AgendaEntry(
            meeting=meeting["name"],
            date=meeting["date"],
            committees=meeting["committees"],
            number=clean_line(str(item.get("number") or "")),
            public=item.get("public") is not False,
            result=clean_line(str(item.get("result") or "")),
        )
        if item.get("id"):
            self.by_item[str(item["id"])] = entry
        if isinstance(item.get("consultation"), str):
            self.by_consultation[item["consultation"]] = entry
        return entry

    def find(self, consultation: dict[str, Any]) -> AgendaEntry | None:
        """The consultation's agenda item: by the item it names (unique per meeting), else
        by the consultation id (some servers give one consultation to several items)."""
        return self.by_item.get(str(consultation.get("agendaItem", ""))) or (
            self.by_consultation.get(str(consultation.get("id", "")))
        )


Lookup = Callable[[str], "dict[str, Any] | None"]


@dataclass
class OParlContext:
    """Everything ``map_paper`` resolves ids with."""

    organizations: dict[str, str] = field(default_factory=dict)
    agenda: AgendaIndex = field(default_factory=AgendaIndex)
    submitters: dict[str, list[str]] = field(default_factory=dict)
    lookup: Lookup | None = None
    """Fetches an object by id (the live API); ``None`` for dumps."""

    def organization(self, org_id: str) -> str:
        if org_id not in self.organizations and self.lookup:
            data = self.lookup(org_id) or {}
            self.organizations[org_id] = clean_line(str(data.get("name") or ""))
        return self.organizations.get(org_id, "")

    def person(self, person_id: str) -> str:
        data = self.lookup(person_id) if self.lookup else None
        return clean_line(str((data or {}).get("name") or ""))

    def entry(self, consultation: dict[str, Any]) -> AgendaEntry | None:
        found = self.agenda.find(consultation)
        if found or not self.lookup:
            return found
        meeting_id = consultation.get("meeting")
        if isinstance(meeting_id, str) and meeting_id not in self.agenda.meetings:
            meeting = self.lookup(meeting_id)
            if meeting:
                self.agenda.add_meeting(meeting, self._names(meeting))
            found = self.agenda.find(consultation)
        item_id = consultation.get("agendaItem")
        if not found and isinstance(item_id, str) and isinstance(meeting_id, str):
            item = self.lookup(item_id)
            meeting_summary = self.agenda.meetings.get(meeting_id)
            if item and meeting_summary:
                found = self.agenda.add_item(item, meeting_summary)
        return found

    def _names(self, meeting: dict[str, Any]) -> dict[str, str]:
        for org in meeting.get("organization") or []:
            self.organization(org)
        return self.organizations


def load_submitters(data: dict[str, Any]) -> dict[str, list[str]]:
    """``paper-submitters.json`` → numeric paper id → faction names."""
    factions = data.get("factions") or {}
    papers = data.get("papers") or {}
    if not isinstance(factions, dict) or not isinstance(papers, dict):
        raise ValueError("expected 'factions' and 'papers' mappings")
    return {
        str(paper): [str(factions.get(key, key)) for key in keys]
        for paper, keys in papers.items()
        if isinstance(keys, list)
    }


@dataclass
class MappedPaper:
    """A motion and the ids of the papers it links to (resolved to references later)."""

    motion: Motion
    related_ids: list[str]


def numeric_id(paper_id: str) -> str:
    """The last path segment of an OParl id: ``…/papers/vo/16057`` → ``16057``."""
    return paper_id.rstrip("/").rsplit("/", 1)[-1]


def map_paper(paper: dict[str, Any], ctx: OParlContext) -> MappedPaper:
    """One OParl paper → a motion; ``PaperSkipped`` when it must not be imported."""
    if paper.get("deleted"):
        raise PaperSkipped("deleted in the source")
    reference = clean_line(str(paper.get("reference") or ""))
    if not reference:
        raise PaperSkipped("the paper has no reference")
    if paper.get("public") is False:
        raise PaperSkipped("the paper is not public")
    consultations = list(_consultations(paper, ctx))
    public = [c for c in consultations if c.public]
    if consultations and not public:
        raise PaperSkipped("discussed only on non-public agenda items; nothing public")
    paper_id = str(paper.get("id") or "")
    leads = _names(paper.get("underDirectionOf"), ctx.organization)
    sponsors = _names(paper.get("originatorPerson"), ctx.person)
    sponsors += _names(paper.get("originatorOrganization"), ctx.organization)
    sponsors += ctx.submitters.get(numeric_id(paper_id), [])
    body = _body(paper)
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise PaperSkipped(
            f"its files' texts are {len(body.encode()) / 1e6:.1f} MB; "
            f"a corpus file holds at most 10 MB"
        )
    date = _day(paper.get("date")) or min((c.date for c in public if c.date), default="")
    related_ids = [
        str(other)
        for key in ("superordinatedPaper", "subordinatedPaper", "relatedPaper")
        for other in paper.get(key) or []
        if isinstance(other, str) and other != paper_id
    ]
    motion = Motion(
        reference=reference,
        title=clean_line(str(paper.get("name") or "")) or reference,
        type=motion_type(str(paper.get("paperType") or "")),
        sponsors=list(dict.fromkeys(s for s in sponsors if s)),
        lead=leads[0] if leads else "",
        involved=leads[1:],
        date=date,
        public=True,
        consultations=public,
        source=Source(system=SYSTEM, url=str(paper.get("web") or paper_id), id=paper_id),
        body=body,
        files=_file_records(paper),
    )
    return MappedPaper(motion, list(dict.fromkeys(related_ids)))


def _day(value: Any) -> str:
    """``2025-01-15T17:00:00+01:00`` → ``2025-01-15`` (the local day as written)."""
    text = str(value or "")
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else ""


def _names(ids: Any, resolve: Callable[[str], str]) -> list[str]:
    if not isinstance(ids, list):
        return []
    names = [resolve(i) for i in ids if isinstance(i, str)]
    return list(dict.fromkeys(n for n in names if n))


def _consultations(paper: dict[str, Any], ctx: OParlContext) -> list[Consultation]:
    found = []
    for raw in paper.get("consultation") or []:
        if not isinstance(raw, dict):
            continue
        entry = ctx.entry(raw)
        committees = _names(raw.get("organization"), ctx.organization)
        if not committees and entry:
            committees = entry.committees or [entry.meeting]
        if not committees:
            continue  # nobody to name as the committee: not a consultation we can show
        result, notes = "", []
        role = clean_line(str(raw.get("role") or ""))
        if role and role.lower() != "unbekannt":
            notes.append(f"Rolle: {role}")
        if entry and entry.result:
            if is_known_result(entry.result):
                result = entry.result
            else:
                notes.append(f"Ergebnis: {entry.result}")
        found.append(
            Consultation(
                committee=committees[0],
                meeting=entry.meeting if entry else "",
                date=entry.date if entry else "",
                agenda_item=entry.number if entry else "",
                public=entry.public if entry else True,
                result=result,
                note="; ".join(notes),
            )
        )
    return found


def _paper_files(paper: dict[str, Any]) -> list[dict[str, Any]]:
    """The paper's public OParl Files: the main file first, then the attachments."""
    main = paper.get("mainFile")
    files = [main] if isinstance(main, dict) else []
    files += [f for f in paper.get("auxiliaryFile") or [] if isinstance(f, dict)]
    return [f for f in files if not f.get("deleted")]


def _body(paper: dict[str, Any]) -> str:
    """The texts the source extracted: the main file first, attachments as ``## <file name>``
    sections. Files without a ``text`` are file records instead (``_file_records``)."""
    main = paper.get("mainFile")
    sections: list[str] = []
    seen: set[str] = set()
    for file in _paper_files(paper):
        text = pdftext.clean(str(file.get("text") or ""))
        if not text or text in seen:
            continue  # no text: read from the file itself; or the same document twice
        seen.add(text)
        if file is main and not sections:
            sections.append(text)
            continue
        name = clean_line(str(file.get("name") or file.get("fileName") or "Datei"))
        if name in SECTION_FIELDS:
            name = f"{name} (Datei)"  # a file called "Begründung" is not the reasons field
        sections.append(f"## {name}\n\n{text}")
    return "\n\n".join(sections)


def _file_records(paper: dict[str, Any]) -> list[FileRecord]:
    """A record for each public File without a ``text``: its words are read from the file
    itself (``ratsarchiv files fetch`` and ``files extract``, or ``import oparl URL``)."""
    return file_records_of(_paper_files(paper))


def file_records_of(files: list[dict[str, Any]]) -> list[FileRecord]:
    """``_file_records`` for any list of OParl File objects (a meeting's too)."""
    records = []
    for file in files:
        if str(file.get("text") or "").strip() or file.get("public") is False:
            continue
        url = str(file.get("accessUrl") or file.get("downloadUrl") or "")
        name = clean_line(str(file.get("name") or file.get("fileName") or "")) or (
            url.rstrip("/").rsplit("/", 1)[-1] or "Datei"
        )
        size = file.get("size")
        records.append(
            FileRecord(
                name=name,
                url=url,
                media_type=str(file.get("mimeType") or ""),
                size=size if isinstance(size, int) and size >= 0 else None,
                modified=str(file.get("fileModified") or file.get("modified") or ""),
            )
        )
    return records
