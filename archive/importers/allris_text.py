"""Reader for ALLRIS "Auszug" pages saved as text (copied from the browser).

The text has a fixed shape (see ``../shared/data/seed/`` and docs/corpus-format.md)::

    Auszug - <paper title>
    <meeting name>
    TOP: Ö 7.2
    Gremium: <committee> Beschlussart: <decision>
    Datum: Di, 07.05.2024 Status: öffentlich/nichtöffentlich
    Zeit / Anlass / Raum / Ort / Zusatz: …
    <reference> <sponsors>: <type abbreviation> <title>
    Status: öffentlich  [Drucksache-Art: …]
    Federführend: <office> [Beteiligt: <office>] Bearbeiter/-in: <person>
    Wortprotokoll / Beschluss / Abstimmungsergebnis      (the page's section links)
    <minutes>
    Beschluss:
    <resolution>
    Abstimmungsergebnis
    <grid: label, then its value on the next line if any>
    <outcome sentence>

The site's navigation may come before the ``Auszug - …`` line (a whole page copied); it is
skipped. ``read_auszug_text`` turns the text into an ``AuszugRecord``; a „Importierte
Niederschrift“ (``archive.importers.allris_text_meetings``) keeps all of its text after the
header as its minutes. ``import_files`` runs the whole import (read, normalise, save) for
the ``ratsarchiv import allris`` command: the paper's consultation, and the agenda item (or
the minutes) in its meeting's file (``archive.importers.allris_meetings``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from archive.errors import RatsarchivError, SourceError
from archive.importers.allris_meetings import import_auszug
from archive.importers.allris_text_meetings import is_imported_minutes
from archive.importers.corpus_writer import CorpusWriter, ImportReport, Outcome
from archive.importers.meeting_store import MeetingImport, MeetingStore
from archive.importers.normalise import GRID_LABELS, AuszugRecord, clean_line
from archive.importers.targets import describe, target_key

MAX_BYTES = 5 * 1024 * 1024

_HEADER_LABELS = ("TOP", "Gremium", "Beschlussart", "Datum", "Status", "Zeit", "Anlass", "Raum")
_HEADER_LABELS += ("Ort", "Zusatz")
_ITEM_LABELS = ("Status", "Drucksache-Art", "Federführend", "Beteiligt", "Bearbeiter/-in")
_ITEM_LABELS += ("Bearbeiter", "Bearbeiterin")
_SECTION_LINKS = {"Wortprotokoll", "Protokoll", "Beschluss", "Abstimmungsergebnis", "Sachverhalt"}
_SECTION_LINKS |= {"Anlagen", "Begründung"}
_GRID = {label.lower(): label for label in GRID_LABELS}
_TITLE = re.compile(r"^Auszug\b\s*(?:[-–]\s*)?(.*)$")
_GRID_VALUE = re.compile(r"\d{1,4}|[xX✓✔☒]")
_VOTE_LINE = re.compile(
    r"^(?:abstimmungsergebnis\s*:?\s*)?(?:(?:ja|nein)(?:-?stimmen)?|enthaltung(?:en)?)\s*:\s*\d+"
    r"(?:\s*[/,;]\s*(?:(?:ja|nein)(?:-?stimmen)?|enthaltung(?:en)?)\s*:\s*\d+)*\s*\.?$",
    re.IGNORECASE,
)


def _labelled(line: str, labels: tuple[str, ...]) -> dict[str, str]:
    """``"Gremium: A Beschlussart: b"`` → ``{"Gremium": "A", "Beschlussart": "b"}``."""
    names = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    parts = re.split(rf"(?:^|(?<=\s))({names})\s*:", line)
    if parts[0].strip():
        return {}
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def _is_section_heading(line: str, name: str) -> bool:
    return re.fullmatch(rf"{name}\s*:?", line, re.IGNORECASE) is not None


def read_auszug_text(text: str, source: str) -> AuszugRecord:
    """Parse an Auszug text export; ``SourceError`` when the text is not one."""
    lines = [clean_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    nonblank = [i for i, line in enumerate(lines) if line]
    top = next((i for i in nonblank if _labelled(lines[i], _HEADER_LABELS).get("TOP")), None)
    # the title line: the last 'Auszug - …' before the TOP (the site's navigation may come first)
    titles = [i for i in nonblank if top is not None and i < top and _TITLE.match(lines[i])]
    titled = [i for i in titles if _TITLE.match(lines[i]).group(1)]  # type: ignore[union-attr]
    if top is None or not titles:
        raise SourceError(
            source,
            "not an ALLRIS Auszug: expected a first line 'Auszug - <title>' "
            "followed by the meeting and a 'TOP: Ö …' line",
        )
    first = (titled or titles)[-1]
    record = AuszugRecord(source=source)
    record.title_line = re.sub(r"^Auszug\s*(?:[-–]\s*)?", "", lines[first])
    before_top = [lines[i] for i in nonblank if first < i < top]
    record.meeting = before_top[-1] if before_top else ""

    # Header: label lines up to the paper line.
    header: dict[str, str] = {}
    i = top
    while i < len(lines):
        pairs = _labelled(lines[i], _HEADER_LABELS) if lines[i] else {"": ""}
        if not pairs:
            break
        header.update({k: v for k, v in pairs.items() if k})
        i += 1
    record.agenda_item = header.get("TOP", "")
    record.committee = header.get("Gremium", "")
    record.decision = header.get("Beschlussart", "")
    record.date = header.get("Datum", "")
    record.meeting_status = header.get("Status", "")
    record.time, record.room = header.get("Zeit", ""), header.get("Raum", "")
    record.location = header.get("Ort", "")
    if is_imported_minutes(record.title_line):  # the whole minutes: no paper, no sections
        while i < len(lines) and (
            not lines[i] or lines[i] in _SECTION_LINKS or _labelled(lines[i], _ITEM_LABELS)
        ):
            i += 1
        record.minutes = "\n".join(lines[i:])
        return record

    # Paper line(s), then the agenda item's own labels, then the section links.
    paper: list[str] = []
    item: dict[str, str] = {}
    last = ""
    while i < len(lines):
        line = lines[i]
        pairs = _labelled(line, _ITEM_LABELS) if line else {}
        if line in _SECTION_LINKS and not paper and not item:
            break
        if pairs:
            item.update(pairs)
            last = list(pairs)[-1]
        elif line in _SECTION_LINKS:
            break
        elif line and last == "Beteiligt":
            item["Beteiligt"] += f"\n{line}"
        elif line and not item:
            paper.append(line)
        elif line:
            break  # the content starts (a page without section links)
        i += 1
    record.paper_line = "\n".join(paper)
    record.item_status = item.get("Status", "")
    record.paper_kind = item.get("Drucksache-Art", "")
    record.lead = item.get("Federführend", "")
    record.involved = item.get("Beteiligt", "")
    record.clerk = (
        item.get("Bearbeiter/-in") or item.get("Bearbeiter") or item.get("Bearbeiterin", "")
    )

    links: set[str] = set()
    while i < len(lines) and (lines[i] in _SECTION_LINKS or not lines[i]):
        links.add(lines[i])
        i += 1
    _read_sections(lines[i:], links, record)
    return record


def _read_sections(lines: list[str], links: set[str], record: AuszugRecord) -> None:
    """Minutes, Beschluss and Abstimmungsergebnis from the lines after the section links."""
    has_minutes = bool(links & {"Wortprotokoll", "Protokoll"})
    sections: dict[str, list[str]] = {"minutes": [], "resolution": [], "votes": []}
    current = "minutes" if has_minutes or "Beschluss" not in links else "resolution"
    for line in lines:
        if (
            _is_section_heading(line, "Beschluss")
            and current != "votes"
            and not any(sections["resolution"])
        ):
            current = "resolution"
        elif _is_section_heading(line, "Abstimmungsergebnis") and current != "votes":
            current = "votes"
        elif current == "resolution" and _VOTE_LINE.match(line):
            record.vote_text = " / ".join(filter(None, [record.vote_text, line]))
        else:
            sections[current].append(line)
    record.minutes = "\n".join(sections["minutes"])
    record.resolution = "\n".join(sections["resolution"])
    _read_votes(sections["votes"], record)


def _read_votes(lines: list[str], record: AuszugRecord) -> None:
    """The grid (label line, value line when filled), free-text counts, outcome sentence."""
    outcome: list[str] = []
    label = None
    for line in lines:
        if not line:
            continue
        if line.lower() in _GRID:
            label = _GRID[line.lower()]
            record.vote_grid[label] = ""
        elif _VOTE_LINE.match(line):
            record.vote_text = " / ".join(filter(None, [record.vote_text, line]))
            label = None
        elif label and not record.vote_grid[label] and _GRID_VALUE.fullmatch(line):
            record.vote_grid[label] = line
            label = None
        else:
            outcome.append(line)
            label = None
    record.outcome = " ".join(outcome)


def read_auszug_file(path: Path) -> AuszugRecord:
    """Read a text export from disk (UTF-8, or Windows-1252 as saved by older browsers)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SourceError(str(path), f"file is larger than {MAX_BYTES // 2**20} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read file: {exc.strerror}") from None
    if b"\0" in raw:
        raise SourceError(str(path), "not an ALLRIS Auszug: expected text, found a binary file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return read_auszug_text(text, str(path))


def import_files(
    files: Iterable[Path],
    corpus: Path,
    *,
    council: str | None = None,
    council_name: str | None = None,
    force: bool = False,
    progress: Callable[[Path, Outcome, Path | None], None] | None = None,
    meetings: MeetingImport | None = None,
    today: str | None = None,
) -> ImportReport:
    """Import Auszug text files into council ``council`` (else the default council) of
    ``corpus``; one bad file never stops the others. The text names no council, so a
    council this creates is named ``council_name`` (else its key). Each Auszug's item (or
    a Niederschrift's minutes) also goes into its meeting's file, reported into
    ``meetings`` (else with the papers); ``today`` is the import day (planned or held)."""
    key = target_key(corpus, council)
    report = ImportReport()
    run = meetings if meetings is not None else MeetingImport(report=report)
    with CorpusWriter(corpus, force=force) as writer:
        store = MeetingStore(writer, key, run, today)
        for file in files:
            try:
                record = read_auszug_file(file)
                saved = import_auszug(record, store, report, describe(key, council_name))
            except SourceError as exc:
                report.add(Outcome.SKIPPED, f"{file}: {exc.message}")
                continue
            except RatsarchivError as exc:
                report.add(Outcome.SKIPPED, f"{file}: {exc}")
                continue
            for outcome, path in filter(None, saved):
                if progress:
                    progress(file, outcome, path)
    return report
