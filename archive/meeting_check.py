"""``ratsarchiv check`` for meeting files (``archive.meeting_files``).

Each meeting file is read with the meeting reader (YAML, required keys, dates, times,
status, items, votes, file records), every problem a ``CorpusError`` with its line. A
paper an item names that is not in the council's archive is a warning (kind
``paper not in archive``): the item keeps its reference, and the link appears once the
paper is imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.corpus import iter_council_files, reference_of
from archive.councils import CouncilLayout
from archive.errors import CorpusError, CorpusErrors, CorpusWarning
from archive.meeting import MEETINGS_FOLDER, Meeting
from archive.meeting_files import read_meeting, walk_meetings

MISSING_PAPER = "paper not in archive"


def is_meeting_path(path: Path) -> bool:
    """Whether ``path`` is a meeting file or a meetings folder (by its place in a council)."""
    return path.name == MEETINGS_FOLDER or path.parent.name == MEETINGS_FOLDER


@dataclass
class MeetingCheck:
    files: list[tuple[Path, str]] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)
    warnings: list[CorpusError] = field(default_factory=list)


def _chosen(path: Path, paths: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == p or resolved.is_relative_to(p) for p in paths)


def check_meetings(paths: Iterable[Path], layout: CouncilLayout | None) -> MeetingCheck:
    """Check the meeting files under ``paths`` (files, folders, the whole corpus)."""
    paths = [Path(p) for p in paths]
    result = MeetingCheck()
    if layout is not None:
        found, refused = walk_meetings(layout.corpus, layout)
        chosen = [p.resolve() for p in paths]
        result.files = [(path, council) for path, council in found if _chosen(path, chosen)]
        result.warnings.extend(w for w in refused if _chosen(Path(w.path), chosen))
    listed = {path.resolve() for path, _ in result.files}
    for path in paths:  # a meeting file named on the command line, outside any council
        if path.is_file() and is_meeting_path(path) and path.resolve() not in listed:
            council = layout.council_at(path) if layout else ""
            result.files.append((path, council))
    meetings: list[tuple[Path, Meeting]] = []
    for path, council in result.files:
        try:
            meetings.append((path, read_meeting(path, council)))
        except CorpusErrors as exc:
            result.errors.extend(sorted(exc.errors, key=lambda e: e.line or 1))
    if layout is not None:
        result.warnings.extend(_missing_papers(meetings, layout))
    return result


def _missing_papers(
    meetings: list[tuple[Path, Meeting]], layout: CouncilLayout
) -> list[CorpusWarning]:
    councils = {m.council for _, m in meetings if any(i.papers for i in m.items)}
    if not councils:
        return []
    known = {
        (council, reference_of(path))
        for path, council in iter_council_files(layout.corpus, layout)
        if council in councils
    }
    warnings = []
    for path, meeting in meetings:
        missing = [
            (item, reference)
            for item in meeting.items
            for reference in item.papers
            if (meeting.council, reference) not in known
        ]
        lines = _list_entry_lines(path) if missing else {}
        for item, reference in missing:
            warnings.append(
                CorpusWarning(
                    path,
                    f"item {item.number or item.title!r}: paper {reference!r} "
                    "is not in the archive",
                    lines.get(reference),
                    kind=MISSING_PAPER,
                )
            )
    return warnings


def _list_entry_lines(path: Path) -> dict[str, int]:
    """The line of the first YAML list entry (``- 2024/0815``) of each value in the file."""
    found: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return found
    for number, line in enumerate(text.split("\n"), 1):
        entry = line.strip()
        if entry.startswith("- "):
            found.setdefault(entry[2:].strip().strip("'\""), number)
    return found
