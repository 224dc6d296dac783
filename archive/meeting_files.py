"""Meeting files: ``<corpus>/<council>/meetings/<id>.md``, YAML front matter and minutes.

The front matter holds the meeting and its agenda (``docs/corpus-format.md``); the body
holds the minutes under ``## Niederschrift`` and anything else verbatim. As for papers,
reading a file the project wrote and rendering it again gives the same bytes, writing is
atomic, and every problem is a ``CorpusError`` with its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from archive import frontmatter
from archive.corpus import escape_headings, read_text, unescape_headings, write_atomic
from archive.corpus_walk import MEETINGS_FOLDER
from archive.councils import CouncilLayout, walk_council_folders
from archive.errors import CorpusError, CorpusErrors, CorpusWarning
from archive.meeting import Meeting, meeting_id_for
from archive.meeting_validation import validate_meeting

MINUTES_HEADING = "Niederschrift"
_HEADING = re.compile(r"^## +(.+?)\s*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")


def is_meeting_id(text: str) -> bool:
    """Whether ``text`` can name a meeting file (lower-case letters, digits, hyphens)."""
    return bool(_ID.match(text))


def parse_meeting(text: str, path: Path, council: str = "") -> Meeting:
    """Parse a meeting file's text; raises ``CorpusErrors`` listing every problem."""
    front, body, _ = frontmatter.split(text, path)
    raw, lines = frontmatter.load(front, path, first_line=2)
    data, errors = validate_meeting(raw, lines, path)
    if errors:
        raise CorpusErrors(errors)
    data["body"], data["minutes"], data["closing"] = _split_minutes(body)
    data["council"], data["id"] = council, path.name.removesuffix(".md")
    return Meeting.from_dict(data)


def read_meeting(path: Path, council: str = "") -> Meeting:
    """Read and validate one meeting file (of ``council``)."""
    try:
        return parse_meeting(read_text(path), path, council)
    except CorpusError as exc:
        raise CorpusErrors([exc]) from None


def render_meeting(meeting: Meeting) -> str:
    """The canonical text of a meeting's file: the body, the minutes, what follows them."""
    parts = ["---\n", frontmatter.dump(meeting.metadata(), blocks=True), "---\n"]
    if meeting.body.strip():
        parts.append(f"\n{meeting.body.strip()}\n")
    if meeting.minutes.strip():
        parts.append(f"\n## {MINUTES_HEADING}\n\n{escape_headings(meeting.minutes.strip())}\n")
    if meeting.closing.strip():
        parts.append(f"\n{meeting.closing.strip()}\n")
    return "".join(parts)


def _split_minutes(body: str) -> tuple[str, str, str]:
    """The text before the ``## Niederschrift`` section, its text, and the sections after
    it, each verbatim (all of it is "before" when there is no such section)."""
    before: list[str] = []
    minutes: list[str] | None = None
    after: list[str] = []
    current = before
    for line in body.split("\n"):
        match = _HEADING.match(line)
        if match:
            if match.group(1) == MINUTES_HEADING and minutes is None:
                minutes = current = []
                continue
            if minutes is not None:
                current = after
        current.append(line)
    text = "\n".join(minutes or []).strip("\n")
    return "\n".join(before).strip("\n"), unescape_headings(text), "\n".join(after).strip("\n")


def meetings_folder(layout: CouncilLayout, council: str) -> Path:
    """The folder of a council's meeting files."""
    return layout.folder(council) / MEETINGS_FOLDER


def meeting_path(layout: CouncilLayout, council: str, meeting_id: str) -> Path:
    return meetings_folder(layout, council) / f"{meeting_id}.md"


def write_meeting(meeting: Meeting, layout: CouncilLayout) -> Path:
    """Write a meeting's canonical file atomically (its ``id`` and ``council`` say where)."""
    target = meeting_path(layout, meeting.council, meeting.id)
    write_atomic(target, render_meeting(meeting))
    return target


def iter_meeting_files(
    corpus: Path, layout: CouncilLayout | None = None
) -> Iterator[tuple[Path, str]]:
    """Every meeting file with its council's key, council by council, by file name."""
    yield from walk_meetings(corpus, layout)[0]


def walk_meetings(
    corpus: Path, layout: CouncilLayout | None = None
) -> tuple[list[tuple[Path, str]], list[CorpusWarning]]:
    """Every file in the councils' ``meetings/`` folders with its council, and
    what the walk refused (``archive.councils.walk_council_folders``)."""
    return walk_council_folders(corpus, MEETINGS_FOLDER, layout)


def next_meeting_id(taken: set[str], date: str, committee: str) -> str:
    """The first free id for a meeting of ``committee`` on ``date``."""
    number = 1
    while meeting_id_for(date, committee, number) in taken:
        number += 1
    return meeting_id_for(date, committee, number)
