"""The mapping of OParl ``Meeting`` objects to meeting files, and saving them.

A meeting's committee is its first organisation's name, resolved the same way as a
consultation's (``OParlContext.organization``), so a paper's consultation and the meeting
file meet on council, date and committee (``archive.meeting.meeting_id_for``). Its agenda
items come in their ``order``; a non-public item is never written (it is counted in the
run's summary). An item's paper is found through the consultation it names: the papers
of the same run give ``consultation id → reference`` (``PaperLinks``), and an item keeps
the papers its file already lists when the run does not bring them (``--since``).

A meeting is matched with its file by its ``source.id`` (the OParl id), so a re-import
updates the same file even after the committee was renamed; a new meeting gets the first
free id of its date and committee.

>>> times("2025-06-04T18:00:00+02:00", "2025-06-04T00:00:00+02:00")
('18:00', '')
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from archive.errors import CorpusErrors
from archive.files import carry_over
from archive.importers import pdftext
from archive.importers.corpus_writer import CorpusWriter, ImportReport, Outcome
from archive.importers.normalise import clean_line
from archive.importers.oparl import SYSTEM, OParlContext, file_records_of
from archive.importers.oparl_source import Record
from archive.meeting import CANCELLED, HELD, PLANNED, AgendaItem, Meeting
from archive.meeting_files import (
    iter_meeting_files,
    meeting_path,
    next_meeting_id,
    read_meeting,
    render_meeting,
)
from archive.motion import Source

_CLOCK = re.compile(r"T(\d{2}:\d{2})")
_SOURCE_ID = re.compile(r"^  id: *(\S+) *$", re.MULTILINE)
PROTOCOLS = ("resultsProtocol", "verbatimProtocol")
"""Meeting files that are its minutes (Ergebnis- and Wortprotokoll)."""


class MeetingSkipped(Exception):
    """A meeting that is not written, with the reason for the report."""


@dataclass
class PaperLinks:
    """Consultation and agenda item ids → the reference of the paper they belong to."""

    by_id: dict[str, str] = field(default_factory=dict)
    resolve: Callable[[str], str] | None = None
    """For an item whose consultation this run did not bring: its consultation id → the
    reference of an imported paper, or ``""`` (a live API's Consultation names its paper)."""

    def add_paper(self, paper: dict[str, Any], reference: str) -> None:
        for consultation in paper.get("consultation") or []:
            if isinstance(consultation, dict):
                for key in ("id", "agendaItem"):
                    if isinstance(consultation.get(key), str):
                        self.by_id[consultation[key]] = reference

    def of_item(self, item: dict[str, Any]) -> list[str]:
        found = [self.by_id.get(str(item.get(key) or "")) for key in ("consultation", "id")]
        consultation = item.get("consultation")
        if not any(found) and self.resolve and isinstance(consultation, str):
            found.append(self.resolve(consultation))
        return list(dict.fromkeys(ref for ref in found if ref))


@dataclass
class MeetingRun:
    """What the meetings of a run came to."""

    report: ImportReport = field(default_factory=ImportReport)
    closed_items: int = 0
    """Non-public agenda items left out."""
    deleted: int = 0
    """Meetings deleted in the source (nothing to write; an existing file is kept)."""


def times(start: Any, end: Any) -> tuple[str, str]:
    """``HH:MM`` of an OParl start and end as written (local time); an end at midnight or
    before the start is unknown."""
    first = _CLOCK.search(str(start or ""))
    last = _CLOCK.search(str(end or ""))
    begin = first.group(1) if first else ""
    finish = last.group(1) if last else ""
    if finish == "00:00" or (begin and finish and finish <= begin):
        finish = ""
    return begin, finish


def status_of(meeting: dict[str, Any], date: str, today: str) -> str:
    if meeting.get("cancelled") is True:
        return CANCELLED
    state = str(meeting.get("meetingState") or "").lower()
    if "abgesagt" in state or "ausgefallen" in state:
        return CANCELLED
    return PLANNED if date > today else HELD


def place_of(location: Any) -> str:
    if not isinstance(location, dict):
        return ""
    if location.get("description"):
        return clean_line(str(location["description"]))
    parts = [location.get(k) for k in ("room", "streetAddress", "postalCode", "locality")]
    return clean_line(", ".join(str(p) for p in parts if p))


def map_meeting(
    data: dict[str, Any], ctx: OParlContext, links: PaperLinks, today: str
) -> tuple[Meeting, int]:
    """One OParl meeting → a meeting (without its id) and its count of non-public items."""
    if data.get("deleted"):
        raise MeetingSkipped("deleted in the source")
    date = str(data.get("start") or "")[:10]
    if not re.match(r"\d{4}-\d{2}-\d{2}$", date):
        raise MeetingSkipped("the meeting has no start date")
    committees = [ctx.organization(o) for o in data.get("organization") or [] if isinstance(o, str)]
    name = clean_line(str(data.get("name") or ""))
    committee = next((c for c in committees if c), "") or name
    if not committee:
        raise MeetingSkipped("the meeting names no organisation")
    start, end = times(data.get("start"), data.get("end"))
    raw_items = [i for i in data.get("agendaItem") or [] if isinstance(i, dict)]
    raw_items.sort(key=lambda i: i.get("order") if isinstance(i.get("order"), int) else 0)
    items = [_item(i, links) for i in raw_items if i.get("public") is not False]
    files, minutes = _files(data)
    meeting = Meeting(
        committee=committee,
        date=date,
        name=name,
        start=start,
        end=end,
        place=place_of(data.get("location")),
        status=status_of(data, date, today),
        items=items,
        files=files,
        minutes=minutes,
        source=Source(
            system=SYSTEM,
            url=str(data.get("web") or data.get("id") or ""),
            id=str(data.get("id") or ""),
        ),
    )
    return meeting, len(raw_items) - len(items)


def _item(data: dict[str, Any], links: PaperLinks) -> AgendaItem:
    return AgendaItem(
        number=clean_line(str(data.get("number") or "")),
        title=clean_line(str(data.get("name") or "")),
        papers=links.of_item(data),
        result=clean_line(str(data.get("result") or "")),
        resolution=pdftext.clean(str(data.get("resolutionText") or "")),
    )


def _files(data: dict[str, Any]) -> tuple[list, str]:
    """The meeting's public files (invitation, minutes, attachments) and the minutes' text
    where the source extracted it."""
    found = [data.get(key) for key in ("invitation", *PROTOCOLS)]
    found += list(data.get("auxiliaryFile") or [])
    files = [f for f in found if isinstance(f, dict) and not f.get("deleted")]
    minutes = "\n\n".join(
        pdftext.clean(str(data[key].get("text") or ""))
        for key in PROTOCOLS
        if isinstance(data.get(key), dict)
        and data[key].get("public") is not False
        and not data[key].get("deleted")
    ).strip()
    return file_records_of(files), minutes


def _merged(existing: Meeting, fresh: Meeting) -> Meeting:
    """The fresh meeting, keeping what was read of unchanged files and the papers of items
    this run could not link (their papers came in an earlier run)."""
    known: dict[tuple[str, str], list[list[str]]] = {}
    for earlier in existing.items:  # several items of one number and title (a paper and
        known.setdefault((earlier.number, earlier.title), []).append(earlier.papers)  # its
    items = []  # amendment): matched in their order
    for item in fresh.items:
        queue = known.get((item.number, item.title)) or [[]]
        papers = queue.pop(0) if len(queue) > 1 else queue[0]
        items.append(item if item.papers else replace(item, papers=list(papers)))
    return replace(fresh, items=items, files=carry_over(existing.files, fresh.files))


def existing_meetings(
    writer: CorpusWriter, council: str
) -> tuple[dict[str, Meeting | Path], set[str]]:
    """The council's meetings by source id (the path of a file that does not validate, its
    source id found in its text), and every id taken."""
    by_source: dict[str, Meeting | Path] = {}
    taken: set[str] = set()
    for path, owner in iter_meeting_files(writer.corpus, writer.layout):
        if owner != council:
            continue
        taken.add(path.name.removesuffix(".md"))
        try:
            meeting = read_meeting(path, council)
        except CorpusErrors:
            source_id = _source_id_in(path)
            if source_id:
                by_source.setdefault(source_id, path)
            continue
        if meeting.source.id:
            by_source.setdefault(meeting.source.id, meeting)
    return by_source, taken


def _source_id_in(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    match = _SOURCE_ID.search(text)
    return match.group(1).strip("'\"") if match else ""


def import_meetings(
    records: Iterable[Record],
    council: str,
    writer: CorpusWriter,
    ctx: OParlContext,
    links: PaperLinks,
    *,
    today: str | None = None,
    run: MeetingRun | None = None,
) -> MeetingRun:
    """Write the meetings of ``records`` into ``council``; every problem is a report line
    (added to ``run`` when given: the meetings of several bodies)."""
    run = run or MeetingRun()
    today = today or datetime.date.today().isoformat()
    by_source, taken = existing_meetings(writer, council)
    for record in records:
        if record.error is not None or record.data is None:
            run.report.add(Outcome.SKIPPED, f"{record.where}: {record.error}", council)
            continue
        label = str(record.data.get("id") or record.where)
        if record.data.get("deleted"):
            run.deleted += 1
            continue
        try:
            fresh, closed = map_meeting(record.data, ctx, links, today)
        except MeetingSkipped as exc:
            run.report.add(Outcome.SKIPPED, f"{label}: {exc}", council)
            continue
        run.closed_items += closed
        existing = by_source.get(fresh.source.id) if fresh.source.id else None
        if isinstance(existing, Path):
            reason = f"{existing} does not validate (ratsarchiv check); left alone"
            run.report.add(Outcome.SKIPPED, f"{label}: {reason}", council)
            continue
        if existing is not None:
            meeting = replace(_merged(existing, fresh), id=existing.id, council=council)
        else:
            meeting = replace(
                fresh, id=next_meeting_id(taken, fresh.date, fresh.committee), council=council
            )
            taken.add(meeting.id)
            if meeting.source.id:
                by_source[meeting.source.id] = meeting
        target: Path = meeting_path(writer.layout, council, meeting.id)
        outcome = writer.save_document(target, render_meeting(meeting))
        reason = writer.last_reason
        run.report.add(outcome, f"{label}: {reason}" if reason else None, council)
    return run
