"""Saving parts of meetings into a council's meeting files, one page at a time.

``MeetingStore`` reads a council's meeting files once (on first use), finds the file of each
part a page gives (``find``: the same ``source.id``, else the same date and committee),
merges the part into it (``archive.importers.meeting_merge``) or creates the file with the
first free id (``archive.meeting_files.next_meeting_id``), and saves it with
``CorpusWriter.save_document``: unchanged is left alone, a file an archivist edited is a
conflict (unless ``--force``), every write atomic. Every outcome goes into the run's
report, with a ``label: reason`` line for what was skipped or conflicted. A file that does
not validate is never merged into or written beside: a part that would belong to it is
skipped, with the reason. What it would write is checked with the meeting rules first, so
``ratsarchiv check`` never refuses a file an import wrote.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from archive.errors import CorpusErrors
from archive.importers.corpus_writer import CorpusWriter, ImportReport, Outcome
from archive.importers.meeting_merge import merge_meeting
from archive.meeting import Meeting, meeting_id_for
from archive.meeting_files import (
    iter_meeting_files,
    meeting_path,
    next_meeting_id,
    parse_meeting,
    read_meeting,
    render_meeting,
)
from archive.motion import slug_for

_SOURCE_ID = re.compile(r"^  id: *['\"]?(\S+?)['\"]? *$", re.MULTILINE)

WRITTEN = (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED)


@dataclass
class MeetingImport:
    """What the meetings of one import run came to.

    >>> MeetingImport(closed_items=2, closed_meetings=1).summary().partition(' (')[2]
    '2 non-public agenda items, 1 non-public meeting left out)'
    """

    report: ImportReport = field(default_factory=ImportReport)
    closed_items: int = 0
    """Non-public agenda items (and parts of minutes) left out."""
    closed_meetings: int = 0
    """Non-public meetings (of a calendar) left out."""

    def summary(self) -> str:
        """``meetings: 2 created, … (1 non-public agenda item left out)``."""
        notes = [
            f"{count} non-public {what}{'' if count == 1 else 's'}"
            for count, what in (
                (self.closed_items, "agenda item"),
                (self.closed_meetings, "meeting"),
            )
            if count
        ]
        left_out = f" ({', '.join(notes)} left out)" if notes else ""
        return f"meetings: {self.report.summary()}{left_out}"

    @property
    def seen(self) -> bool:
        """Whether the run met any meeting at all."""
        return bool(self.report.counts or self.closed_items or self.closed_meetings)


class MeetingStore:
    """The meetings of one council during one import run.

    >>> store = MeetingStore(writer, "hamburg-altona", MeetingImport())  # doctest: +SKIP
    >>> store.save(meeting, AGENDA, "to010.html")  # doctest: +SKIP
    (<Outcome.CREATED: 'created'>, PosixPath('corpus/hamburg-altona/meetings/….md'))
    """

    def __init__(
        self, writer: CorpusWriter, council: str, run: MeetingImport, today: str | None = None
    ) -> None:
        self.writer, self.council, self.run = writer, council, run
        self.today = today or datetime.date.today().isoformat()
        """The import day: a meeting after it is ``planned``, one on or before it ``held``."""
        self._meetings: dict[str, Meeting] | None = None
        self._broken: dict[str, str] = {}
        """Ids of the files that do not validate → the source id their text names."""

    @property
    def meetings(self) -> dict[str, Meeting]:
        """Id → meeting, of every readable file of the council (read on first use)."""
        if self._meetings is None:
            self._meetings = {}
            for path, owner in iter_meeting_files(self.writer.corpus, self.writer.layout):
                if owner != self.council:
                    continue
                meeting_id = path.name.removesuffix(".md")
                try:
                    self._meetings[meeting_id] = read_meeting(path, owner)
                except CorpusErrors:
                    found = _SOURCE_ID.search(path.read_text(encoding="utf-8", errors="replace"))
                    self._broken[meeting_id] = found.group(1) if found else ""
        return self._meetings

    def known_committees(self) -> dict[str, str]:
        """Meeting name → committee, as the council's meeting files name them."""
        return {m.name: m.committee for _, m in sorted(self.meetings.items()) if m.name}

    def find(self, fresh: Meeting) -> str | None:
        """The id of the file ``fresh`` belongs to: the one of the same ``source.id``, else
        one of the same date and committee (unless both have ids: then it is another
        meeting of that committee that day)."""
        meetings = sorted(self.meetings.items())
        if fresh.source.id:
            for meeting_id, meeting in meetings:
                if meeting.source.id == fresh.source.id:
                    return meeting_id
        slug = slug_for(fresh.committee)
        for meeting_id, meeting in meetings:
            same_day = meeting.date == fresh.date and slug_for(meeting.committee) == slug
            if same_day and not (meeting.source.id and fresh.source.id):
                return meeting_id
        return None

    def save(self, fresh: Meeting, kind: str, label: str) -> tuple[Outcome, Path | None]:
        """Merge ``fresh``, the part one page of ``kind`` gives, into its meeting's file (or
        create the file); the outcome and the path written or found unchanged."""
        found = self.find(fresh)
        if found is None and self._in_broken_file(fresh):
            reason = "its meeting file does not validate (ratsarchiv check); left alone"
            return self.skip(label, reason)
        if found is not None:
            meeting = merge_meeting(self.meetings[found], fresh, kind)
        else:
            taken = set(self.meetings) | set(self._broken)
            meeting = replace(fresh, id=next_meeting_id(taken, fresh.date, fresh.committee))
        meeting = replace(meeting, council=self.council)
        target = meeting_path(self.writer.layout, self.council, meeting.id)
        text = render_meeting(meeting)
        try:
            parse_meeting(text, target, self.council)
        except CorpusErrors as exc:
            problems = "; ".join(e.message for e in exc.errors)
            return self.skip(label, f"not written, the file would be invalid: {problems}")
        outcome = self.writer.save_document(target, text)
        reason = self.writer.last_reason
        self.run.report.add(outcome, f"{label}: {reason}" if reason else None, self.council)
        if outcome not in WRITTEN:
            return outcome, None
        self.meetings[meeting.id] = meeting
        return outcome, target

    def skip(self, label: str, reason: str) -> tuple[Outcome, None]:
        """Report a part (or a whole page) left out, as ``label: reason``."""
        self.run.report.add(Outcome.SKIPPED, f"{label}: {reason}", self.council)
        return Outcome.SKIPPED, None

    def _in_broken_file(self, fresh: Meeting) -> bool:
        if fresh.source.id and fresh.source.id in self._broken.values():
            return True
        return meeting_id_for(fresh.date, fresh.committee) in self._broken
