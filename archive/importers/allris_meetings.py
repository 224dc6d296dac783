"""ALLRIS meetings: agendas (``to010``), the meeting calendar (``si010``) and Auszug items.

Each kind of page tells part of a meeting; ``import_meeting_page`` and ``import_auszug``
hand that part to ``archive.importers.meeting_store.MeetingStore``, which merges it into
the meeting's file (``archive.importers.meeting_merge``: which page leads which field).

- ``read_agenda``: a Tagesordnung (to010) → the meeting (Bezeichnung, Gremium, Datum, Zeit,
  Raum and Ort, the documents of its menu as file records) with its public items: the TOP
  number (``Ö 7.2``), the title, the Drucksachen the row links (``papers``), the result its
  button shows and a grey Zusatzinfo as ``note``. Rows ``N …`` (and rows whose TOP says
  neither Ö nor N) are counted, never written.
- ``read_calendar``: a Sitzungskalender (si010) → its meetings without items: day, time,
  Raum, ``cancelled`` for ``ENTFÄLLT!``; the committee is the one an earlier page gave the
  same meeting name, else taken from the name (``committee_from_name``). A meeting marked
  ``(nichtöffentlich)`` is counted, never written.
- ``meeting_part``: an Auszug (to020, or its text export) → its meeting's header and its one
  item: result and votes, and for an item without a paper the Beschluss as ``resolution``
  and the Protokoll as the item's part of the minutes (``### Ö 1 Begrüßung``); an item with
  a paper keeps those in the paper's file, as before. A „Importierte Niederschrift“
  (``archive.importers.allris_text_meetings``) gives the meeting's whole minutes instead.

A meeting's ALLRIS id (``SILFDNR=…``) is its ``source.id`` on every kind of page, so each
part finds the same file; the committee is the Gremium as the page writes it, the name the
paper pages (Beratungsfolge, Auszug) use, so a paper's consultation finds its meeting.

>>> times("18:00 - 19:45")
('18:00', '19:45')
>>> committee_from_name("Sitzung des Regionalausschusses Eppendorf-Winterhude")
'Regionalausschuss Eppendorf-Winterhude'
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urljoin

from bs4 import Tag

from archive.councils import Council
from archive.errors import SourceError
from archive.files import FileRecord
from archive.importers.allris_text_meetings import is_imported_minutes, public_minutes
from archive.importers.corpus_writer import ImportReport, Outcome
from archive.importers.meeting_merge import (
    AGENDA,
    AUSZUG,
    CALENDAR,
    MINUTES,
    escape_section_text,
    render_sections,
)
from archive.importers.meeting_store import MeetingImport, MeetingStore
from archive.importers.normalise import (
    AuszugRecord,
    check_public,
    clean_line,
    clean_text,
    merge_auszug,
    normalise_auszug,
    normalise_reference,
    paragraphs,
    parse_date,
    parse_paper_line,
    parse_result,
    parse_votes,
)
from archive.meeting import CANCELLED, HELD, PLANNED, AgendaItem, Meeting
from archive.motion import Source
from archive.publicity import non_public_item, public_item

if TYPE_CHECKING:  # allris_html imports this module for its import of pages
    from archive.importers.allris_html import Page

__all__ = ["MEETING_PAGES", "MeetingImport", "MeetingStore", "import_auszug", "import_meeting_page"]

SYSTEM = "ALLRIS"
MEETING_PAGES = ("to010", "si010")
"""Page kinds that are meetings only (an Auszug, to020, may also be a paper's)."""

_CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
_CANCELLED = re.compile(r"^(?:entf[äa]llt|abgesagt|ausgefallen|f[äa]llt aus)\b[\s!:.-]*", re.I)
_CLOSED = re.compile(r"\(\s*nicht\s*öffentlich\s*\)", re.I)
_MEETING_OF = re.compile(r"^(?:\d+\.\s*)?(?:\w+\s+)?Sitzung\s+(des|der)\s+(.+)$", re.I)
_MEETING_ID = re.compile(r"SILFDNR=(\d+)", re.I)
_BASE = re.compile(r"^(https?://[^?#]*/)[^/?#]*(?:[?#].*)?$", re.I)
_OPEN = {"", "(offen)", "offen", "-"}
_MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september")
_MONTHS += ("oktober", "november", "dezember")


def times(text: str) -> tuple[str, str]:
    """``HH:MM`` of the start and end in a Zeit like ``18:00 - 19:45`` (an end not after the
    start is unknown)."""
    found = [f"{int(h):02d}:{m}" for h, m in _CLOCK.findall(clean_line(text))]
    start = found[0] if found else ""
    end = found[1] if len(found) > 1 and found[1] > start else ""
    return start, end


def status_for(date: str, today: str, cancelled: bool = False) -> str:
    """``cancelled``, else ``planned`` for a date after ``today``, else ``held``."""
    return CANCELLED if cancelled else PLANNED if date > today else HELD


def meeting_name(text: str) -> tuple[str, bool]:
    """A meeting's name without a cancellation mark (``ENTFÄLLT! Sitzung …``), and whether
    it had one."""
    name = clean_line(text)
    bare = _CANCELLED.sub("", name)
    return bare, bare != name


def committee_from_name(name: str, known: dict[str, str] | None = None) -> str:
    """The committee of a meeting name: the one ``known`` names for it (meeting name →
    committee, from earlier pages), else the name's genitive made nominative
    (``Sitzung des Haushaltsausschusses`` → ``Haushaltsausschuss``)."""
    name = clean_line(name)
    if known and name in known:
        return known[name]
    match = _MEETING_OF.match(name)
    if not match:
        return name
    article, rest = match.group(1).lower(), match.group(2)
    if article == "der":  # feminine (die Bezirksversammlung, die Fraktion): unchanged
        return rest
    words = rest.split(" ")
    for at, word in enumerate(words):
        if word.startswith("("):  # (FOLAG) Unterausschuss
            continue
        if word.endswith("en") and at + 1 < len(words) and word[:1].isupper():
            words[at] = word[:-2] + "er"  # des Gemeinsamen Ausschusses
            continue
        if word.endswith("es") and len(word) > 4:
            words[at] = word[:-2]  # Ausschusses, Vorstandes, Rates
        elif word.endswith("s") and len(word) > 3:
            words[at] = word[:-1]  # Beirats, Präsidiums
        break
    return " ".join(words)


def meeting_source(page_url: str, number: str) -> Source:
    """The source of meeting ``SILFDNR=number``: its agenda's address on the page's site."""
    base = _BASE.match(page_url or "")
    url = urljoin(base.group(1), f"to010.asp?SILFDNR={number}") if base and number else ""
    return Source(system=SYSTEM, url=url, id=f"SILFDNR={number}" if number else "")


def place_of(room: str, location: str) -> str:
    return ", ".join(p for p in (clean_line(room), clean_line(location)) if p)


# ---------------------------------------------------------------- to010


def read_agenda(page: Page, today: str) -> tuple[Meeting, int]:
    """An agenda page → its meeting with the public items, and the count left out."""
    name, cancelled = meeting_name(page.field("Bezeichnung") or page.heading())
    name = re.sub(r"^Tagesordnung\s*-\s*", "", name)
    if _CLOSED.search(name):
        raise SourceError(page.source, f"not public: the meeting {name!r}; nothing imported")
    committee = clean_line(page.field("Gremium")) or committee_from_name(name)
    if not committee:
        raise SourceError(page.source, "the agenda names no committee (Gremium); nothing imported")
    date = parse_date(page.field("Datum"), page.source)
    start, end = times(page.field("Zeit"))
    number = _MEETING_ID.search(page.id or page.url)
    items, closed = _agenda_items(page)
    meeting = Meeting(
        committee=committee,
        date=date,
        name=name,
        start=start,
        end=end,
        place=place_of(page.field("Raum"), page.field("Ort")),
        status=status_for(date, today, cancelled),
        items=items,
        files=_documents(page),
        source=meeting_source(page.url, number.group(1) if number else ""),
    )
    return meeting, closed


def _documents(page: Page) -> list[FileRecord]:
    """The meeting's documents in the agenda's menu (Einladung, Niederschrift, …): the
    ``do027.asp`` forms, as for a paper (``allris_html.attachment_records``)."""
    menu = page.header.select_one("td.me1")
    records = []
    for form in menu.select('form[action*="do027"]') if menu else []:
        number = form.find("input", attrs={"name": "DOLFDNR"})
        button = form.find("input", attrs={"type": "submit"})
        if number is None or not number.get("value"):
            continue
        name = clean_line(str(button.get("value") or "")) if button else ""
        target = f"{form.get('action')}?DOLFDNR={number['value']}&options=64"
        url = urljoin(page.url, target) if page.url else ""
        records.append(FileRecord(f"{name or 'Dokument'}.pdf", url, "application/pdf"))
    return records


def _agenda_items(page: Page) -> tuple[list[AgendaItem], int]:
    table = page.header.select_one("table.tl1")
    items: list[AgendaItem] = []
    closed = 0
    for row in table.find_all("tr") if table else []:
        cells = row.find_all("td", recursive=False)
        number = clean_line(cells[0].get_text(" ")) if len(cells) >= 4 else ""
        if not number:
            continue  # a rule, a row of documents, the closing empty row
        if non_public_item(number) or not public_item(number):
            closed += 1
            continue
        items.append(_agenda_item(row, cells, number))
    return items, closed


def _agenda_item(row: Tag, cells: list[Tag], number: str) -> AgendaItem:
    linked = row.find("a", href=re.compile(r"^to020\.asp", re.I))
    cell = linked.find_parent("td") if linked else cells[3]
    extra = [span.extract() for span in cell.select('span[title="Zusatzinfo"]')]
    note = " ".join(clean_line(s.get_text(" ")) for s in extra).strip()
    if note.startswith("(") and note.endswith(")"):
        note = note[1:-1].strip()
    button = row.find("input", class_="il1_naz")
    result = clean_line(str(button.get("title") or "")) if button else ""
    papers = [
        normalise_reference(clean_line(link.get_text(" ")))
        for link in row.find_all("a", href=re.compile(r"^vo020\.asp", re.I))
    ]
    return AgendaItem(
        number=number,
        title=clean_line(cell.get_text(" ")),
        papers=list(dict.fromkeys(p for p in papers if p)),
        result="" if result.lower() in _OPEN else result,
        note=note,
    )


# ---------------------------------------------------------------- si010


def read_calendar(
    page: Page, today: str, known: dict[str, str] | None = None
) -> tuple[list[Meeting], int]:
    """A calendar page → its public meetings (no items), and the count of non-public ones
    (``(nichtöffentlich)``) left out. Rows without a meeting (holidays) are none."""
    month = _calendar_month(page)
    table = page.header.select_one("table.tl1")
    meetings: list[Meeting] = []
    closed = 0
    day = 0
    for row in table.find_all("tr") if table else []:
        cells = row.find_all("td", recursive=False)
        shown = clean_line(cells[1].get_text(" ")) if len(cells) > 1 else ""
        if shown.isdigit():
            if int(shown) < day:  # a range over several months: the next one begins
                month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            day = int(shown)
        number = row.find("input", attrs={"name": "SILFDNR"})
        if number is None or not day or len(cells) < 6:
            continue
        name, cancelled = meeting_name(cells[5].get_text(" "))
        source = meeting_source(page.url, str(number.get("value") or ""))
        if _CLOSED.search(name):
            closed += 1
            continue
        try:
            date = month.replace(day=day).isoformat()
        except ValueError:
            raise SourceError(page.source, f"day {day} is no day of {month:%m.%Y}") from None
        start, end = times(cells[2].get_text(" "))
        meetings.append(
            Meeting(
                committee=committee_from_name(name, known),
                date=date,
                name=name,
                start=start,
                end=end,
                place=clean_line(cells[-1].get_text(" ")),
                status=status_for(date, today, cancelled),
                source=source,
            )
        )
    return meetings, closed


def _calendar_month(page: Page) -> datetime.date:
    field = page.header.find("input", attrs={"name": "kaldatvon"})
    found = re.search(
        r"(\d{1,2})\.(\d{1,2})\.(\d{4})", str(field.get("value") or "") if field else ""
    )
    if found:
        return datetime.date(int(found.group(3)), int(found.group(2)), 1)
    heading = page.header.find("h2")
    words = clean_line(heading.get_text(" ")).lower().split() if heading else []
    if len(words) == 2 and words[0] in _MONTHS and words[1].isdigit():
        return datetime.date(int(words[1]), _MONTHS.index(words[0]) + 1, 1)
    raise SourceError(page.source, "the calendar names no month (like 'Oktober 2023')")


# ---------------------------------------------------------------- Auszug (to020 or text)


def has_paper(record: AuszugRecord) -> bool:
    """Whether the Auszug's agenda item handles a paper (its paper line has a reference)."""
    return bool(parse_paper_line(record.paper_line)[0])


def auszug_meeting(record: AuszugRecord, today: str, source: Source | None = None) -> Meeting:
    """The meeting an Auszug belongs to, from its header (without items)."""
    name, cancelled = meeting_name(record.meeting)
    committee = clean_line(record.committee) or committee_from_name(name)
    if not committee:
        raise SourceError(
            record.source, "the Auszug names no committee (Gremium); nothing imported"
        )
    date = parse_date(record.date, record.source)
    start, end = times(record.time)
    return Meeting(
        committee=committee,
        date=date,
        name=name,
        start=start,
        end=end,
        place=place_of(record.room, record.location),
        status=status_for(date, today, cancelled),
        source=source or Source(system=SYSTEM),
    )


def auszug_item(record: AuszugRecord) -> tuple[AgendaItem, str]:
    """The Auszug's agenda item and, for an item without a paper, its Protokoll (minutes);
    ``SourceError`` for a non-public item."""
    check_public(record)
    reference = parse_paper_line(record.paper_line)[0]
    number = clean_line(record.agenda_item)
    item = AgendaItem(
        number=number,
        title=clean_line(re.sub(r"^Auszug\s*[-–]\s*", "", record.title_line)) or number,
        papers=[reference] if reference else [],
        result=parse_result(record),
        votes=parse_votes(record),
        resolution="" if reference else "\n\n".join(paragraphs(record.resolution)),
    )
    return item, "" if reference else clean_text(record.minutes)


def page_meeting_source(page: Page) -> Source:
    """The source of the meeting a to020 page belongs to (its link to the agenda)."""
    link = page.header.find("a", href=_MEETING_ID)
    found = _MEETING_ID.search(str(link.get("href"))) if link else None
    return meeting_source(page.url, found.group(1) if found else "")


def meeting_part(
    record: AuszugRecord, today: str, source: Source | None = None
) -> tuple[str, Meeting, int]:
    """What an Auszug gives its meeting: the kind of part (``AUSZUG``: its item, and for an
    item without a paper its Protokoll as the item's part of the minutes; ``MINUTES``: the
    whole minutes of a „Importierte Niederschrift“), the meeting with that part, and the
    count of non-public parts left out. ``SourceError`` for a non-public item."""
    meeting = auszug_meeting(record, today, source)
    if is_imported_minutes(record.title_line):
        check_public(record)
        minutes, closed = public_minutes(record.minutes)
        return MINUTES, replace(meeting, minutes=minutes), closed
    item, protocol = auszug_item(record)
    minutes = ""
    if protocol:
        heading = f"{item.number} {item.title}".strip()
        minutes = render_sections({item.number: (heading, escape_section_text(protocol))})
    return AUSZUG, replace(meeting, items=[item], minutes=minutes), 0


# ---------------------------------------------------------------- the import of a page


def import_meeting_page(page: Page, store: MeetingStore) -> None:
    """An agenda (to010) or calendar (si010) page into the council's meetings."""
    try:
        if page.kind == "to010":
            meeting, closed = read_agenda(page, store.today)
            store.run.closed_items += closed
            store.save(meeting, AGENDA, page.source)
            return
        meetings, closed = read_calendar(page, store.today, store.known_committees())
    except SourceError as exc:
        store.skip(page.source, exc.message)
        return
    for meeting in meetings:
        store.save(meeting, CALENDAR, f"{page.source} ({meeting.source.id})")
    store.run.closed_meetings += closed


class Saved(NamedTuple):
    """What saving an Auszug did to its paper's file and to its meeting's (``None``: not
    saved), each as the outcome and the path written or found unchanged."""

    paper: tuple[Outcome, Path | None] | None
    meeting: tuple[Outcome, Path | None] | None


def import_auszug(
    record: AuszugRecord,
    store: MeetingStore,
    report: ImportReport,
    council: Council,
    source: Source | None = None,
) -> Saved:
    """An Auszug into the corpus: its consultation into its paper's file (as before), and
    its part into its meeting's file. What goes wrong is reported into ``report`` for an
    Auszug with a paper (whose item is then not written either), into the meetings'
    report otherwise; ``council`` is used (made on first use) only when there is something
    to write."""
    paper = has_paper(record) and not is_imported_minutes(record.title_line)
    try:
        motion = replace(normalise_auszug(record), council=store.council) if paper else None
        kind, meeting, closed = meeting_part(record, store.today, source)
    except SourceError as exc:
        (report if paper else store.run.report).add(
            Outcome.SKIPPED, f"{record.source}: {exc.message}"
        )
        return Saved(None, None)
    writer = store.writer
    writer.use_council(council)
    saved = None
    if motion is not None:
        outcome, path = writer.save(motion, merge=merge_auszug)
        reason = writer.last_reason
        report.add(outcome, f"{record.source}: {reason}" if reason else None, store.council)
        saved = (outcome, path)
        if outcome is Outcome.SKIPPED:  # refused (invalid, say): its item is not written either
            return Saved(saved, None)
    store.run.closed_items += closed
    return Saved(saved, store.save(meeting, kind, record.source))
