"""The meetings of an index generation: ``meetings.json``, written at every reindex.

Meeting pages, the calendar, a committee's meetings and a paper's link to its meeting
are served from this catalog, never by reading the corpus on a request: ``write_catalog``
reads every meeting file (``archive.meeting_files``) once per reindex, reusing what an
earlier catalog holds of a file whose stamp (modification time, size) is unchanged, and
writes the catalog atomically into the generation; a full rebuild writes it into the new
generation before the swap. Only what may be shown is kept: non-public agenda items are
left out, and non-public files are blanks that keep the positions of the others.

A paper's consultation finds its meeting by council, date and committee (``find``); where
a committee met twice on one day, the meeting whose items name the paper wins.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.councils import CouncilLayout
from archive.errors import CorpusErrors
from archive.meeting import Meeting
from archive.meeting_files import read_meeting, walk_meetings
from archive.motion import slug_for
from archive.publicity import public_files
from index.generation_files import file_stamp, read_entries, write_entries

CATALOG = "meetings.json"
CATALOG_VERSION = 1


def shown_meeting(meeting: Meeting) -> dict[str, Any]:
    """The meeting as the site may show it: public items only, non-public files blanked."""
    data = meeting.to_dict()
    data["items"] = [
        {**item.to_dict(), "anchor": item.anchor} for item in meeting.items if item.public
    ]
    data["files"] = [f.to_dict() for f in public_files(meeting.files)]
    return data


def catalog_entry(relpath: str, path: Path, meeting: Meeting) -> dict[str, Any]:
    """One meeting file's entry in the catalog."""
    return {"relpath": relpath, "stamp": file_stamp(path), "meeting": shown_meeting(meeting)}


def write_catalog(
    corpus: Path,
    gen: Path,
    layout: CouncilLayout,
    skipped: list[str],
    previous: Path | None = None,
    read: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> int:
    """Write ``gen/meetings.json`` for every readable meeting file; returns their number.
    A broken file is a ``skipped`` line (``path:line: reason``); with ``previous`` (the
    live generation) its last good version stays, as for papers. ``read``: entries just
    made (``catalog_entry``) by the build, used while their files' stamps are unchanged;
    a file ``read`` lacks was broken, and is reported by the build."""
    earlier = {e["relpath"]: e for e in _entries(previous)} if previous else {}
    fresh = {e["relpath"]: e for e in read}
    found, _ = walk_meetings(corpus, layout)
    entries = []
    for path, council in found:
        relpath = path.relative_to(corpus).as_posix()
        stamp = file_stamp(path)
        made = fresh.get(relpath)
        if made and made["stamp"] == stamp:
            entries.append(made)
            continue
        known = earlier.get(relpath)
        if known and known["stamp"] == stamp and known["meeting"]["council"] == council:
            entries.append(known)
            continue
        if read and made is None and known is None:
            continue  # broken: the build reported it already
        try:
            meeting = read_meeting(path, council)
        except CorpusErrors as exc:
            skipped.extend(str(e) for e in exc.errors)
            if known:
                entries.append(known)
            continue
        entries.append(catalog_entry(relpath, path, meeting))
    write_entries(gen / CATALOG, CATALOG_VERSION, "meetings", entries)
    return len(entries)


def _entries(gen: Path | None) -> list[dict[str, Any]]:
    return read_entries(gen / CATALOG if gen else None, CATALOG_VERSION, "meetings")


def catalog_stamp(gen: Path) -> str:
    """Changes whenever the generation's catalog is rewritten."""
    return file_stamp(gen / CATALOG)


@dataclass
class MeetingCatalog:
    """The public meetings of one generation, by council, date and committee."""

    meetings: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    by_council: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    """Council → (date, start, id) of its meetings, in time order."""
    by_day: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    """(council, date, committee slug) → meeting ids."""

    @classmethod
    def load(cls, gen: Path) -> MeetingCatalog:
        catalog = cls()
        for entry in _entries(gen):
            meeting = entry["meeting"]
            council, meeting_id = meeting["council"], meeting["id"]
            catalog.meetings[(council, meeting_id)] = meeting
            catalog.by_council.setdefault(council, []).append(
                (meeting["date"], meeting["start"], meeting_id)
            )
            day = (council, meeting["date"], slug_for(meeting["committee"]))
            catalog.by_day.setdefault(day, []).append(meeting_id)
        for listed in catalog.by_council.values():
            listed.sort()
        return catalog

    def __len__(self) -> int:
        return len(self.meetings)

    def meeting(self, council: str, meeting_id: str) -> dict[str, Any] | None:
        return self.meetings.get((council, meeting_id))

    def find(self, council: str, date: str, committee: str, reference: str = "") -> str | None:
        """The id of the meeting of ``committee`` on ``date`` (the one naming ``reference``
        among several), or ``None``."""
        ids = self.by_day.get((council, date, slug_for(committee))) or []
        for meeting_id in ids:
            items = self.meetings[(council, meeting_id)]["items"]
            if reference and any(reference in item["papers"] for item in items):
                return meeting_id
        return ids[0] if ids else None

    def of_council(self, council: str, committee: str = "") -> Iterator[dict[str, Any]]:
        """A council's meetings in time order (of one committee, by its slug or name)."""
        wanted = slug_for(committee) if committee else ""
        for _, _, meeting_id in self.by_council.get(council, []):
            meeting = self.meetings[(council, meeting_id)]
            if not wanted or slug_for(meeting["committee"]) == wanted:
                yield meeting

    def between(self, council: str, first: str, last: str) -> list[dict[str, Any]]:
        """A council's meetings from date ``first`` to ``last`` (inclusive), in time order."""
        listed = self.by_council.get(council, [])
        start = bisect_left(listed, (first, "", ""))
        found = []
        for date, _, meeting_id in listed[start:]:
            if date > last:
                break
            found.append(self.meetings[(council, meeting_id)])
        return found

    def neighbours(
        self, council: str, meeting_id: str
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The committee's meeting before and after this one."""
        meeting = self.meetings[(council, meeting_id)]
        same = list(self.of_council(council, meeting["committee"]))
        at = next(i for i, m in enumerate(same) if m["id"] == meeting_id)
        before = same[at - 1] if at > 0 else None
        after = same[at + 1] if at + 1 < len(same) else None
        return before, after

    def committees(self, council: str) -> dict[str, str]:
        """Committee slug → name, of the council's meetings (the latest name of each)."""
        names: dict[str, str] = {}
        for meeting in self.of_council(council):
            names[slug_for(meeting["committee"])] = meeting["committee"]
        return dict(sorted(names.items(), key=lambda kv: kv[1].lower()))
