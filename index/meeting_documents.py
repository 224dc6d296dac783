"""Agenda items and minutes as search documents, beside the papers.

A meeting file (``archive.meeting_files``) gives one document per public agenda item
without a paper (an item with a paper is found through its paper) and one for its minutes
(``## Niederschrift``). Each is a motion-shaped document of the kind (the ``type`` facet)
``Tagesordnungspunkt`` or ``Niederschrift``: its committee, date, result and votes are a
consultation, so the committee, year, result and vote facets work as for papers. Its slug
is ``meetings/<meeting id>/<anchor>`` (never a paper's: a paper's slug has no ``/``), so
a hit links to the meeting page at that item (``meeting_target``). All documents of one
meeting file share its ``path``: an update replaces them together.

A search without words shows papers only (``PAPER_ONLY``): the newest items of every
meeting would otherwise push the papers off the start page; choosing a kind, or searching
for words, finds items and minutes too.

>>> meeting_target("meetings/2025-06-04-ortschaftsrat-durlach/top-2")
('2025-06-04-ortschaftsrat-durlach', 'top-2')
>>> meeting_target("2025-0386") is None
True
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from archive.errors import CorpusError, CorpusErrors
from archive.language import format_date
from archive.meeting import MEETINGS_FOLDER, Meeting
from archive.meeting_files import parse_meeting
from archive.motion import Consultation, Motion, Source
from archive.vocabulary import Vocabulary
from index.documents import File, stamp, to_document

AGENDA_ITEM = "Tagesordnungspunkt"
MINUTES = "Niederschrift"
MEETING_KINDS = (AGENDA_ITEM, MINUTES)
MINUTES_ANCHOR = "niederschrift"
_PREFIX = f"{MEETINGS_FOLDER}/"


def is_meeting_file(relpath: str) -> bool:
    """Whether a corpus path is a meeting file (``<council>/meetings/<id>.md``)."""
    parts = relpath.split("/")
    return len(parts) in (2, 3) and parts[-2] == MEETINGS_FOLDER


def meeting_slug(meeting_id: str, anchor: str) -> str:
    return f"{_PREFIX}{meeting_id}/{anchor}"


def meeting_target(slug: str) -> tuple[str, str] | None:
    """(meeting id, anchor) of a document's slug, ``None`` for a paper's."""
    if not slug.startswith(_PREFIX):
        return None
    meeting_id, _, anchor = slug[len(_PREFIX) :].partition("/")
    return meeting_id, anchor


def meeting_uid(council: str, meeting_id: str) -> str:
    """The key of a meeting file in the manifest (its documents have their own uids)."""
    return f"{council}/{_PREFIX}{meeting_id}"


def parse_file(file: File, skipped: list[str]) -> Meeting | None:
    """The meeting of a file read by ``index.documents.read``; ``None`` if broken (reported)."""
    try:
        return parse_meeting(file.text, file.path, file.council)
    except CorpusErrors as exc:
        skipped.extend(str(e) for e in exc.errors)
    except CorpusError as exc:
        skipped.append(str(exc))
    return None


def meeting_motions(meeting: Meeting) -> list[tuple[str, Motion]]:
    """(slug, motion-shaped document) for each searchable part of a meeting."""
    source = Source(system=meeting.source.system, url=meeting.source.url, id=meeting.source.id)
    found = []
    for item in meeting.public_items:
        if item.papers or not item.title.strip():
            continue
        consultation = Consultation(
            committee=meeting.committee,
            meeting=meeting.name,
            date=meeting.date,
            agenda_item=item.number,
            result=item.result,
            votes=item.votes,
        )
        motion = Motion(
            reference="",
            title=item.title,
            type=AGENDA_ITEM,
            date=meeting.date,
            public=True,
            consultations=[consultation],
            resolution=item.resolution,
            body=item.note,
            source=source,
            council=meeting.council,
        )
        found.append((meeting_slug(meeting.id, item.anchor), motion))
    if meeting.minutes.strip():
        day = format_date(meeting.date, "de")
        motion = Motion(
            reference="",
            title=f"{MINUTES} {meeting.committee}, {day}",
            type=MINUTES,
            date=meeting.date,
            public=True,
            consultations=[Consultation(committee=meeting.committee, date=meeting.date)],
            body=meeting.minutes,
            source=source,
            council=meeting.council,
        )
        found.append((meeting_slug(meeting.id, MINUTES_ANCHOR), motion))
    return found


def meeting_documents(meeting: Meeting, file: File, vocabulary: Vocabulary) -> list[dict[str, Any]]:
    """The index documents of a meeting file (all with its ``path``)."""
    file_stamp = stamp(file.path).encode("ascii")
    docs = []
    for slug, motion in meeting_motions(meeting):
        doc = to_document(replace(motion), file.relpath, file.digest, vocabulary, slug=slug)
        doc["stamp"] = file_stamp
        docs.append(doc)
    return docs
