"""ALLRIS classic pages of committees and factions: au020, fr020 and fr010.

- ``read_committee``: an au020 page (Ausschuss) → a committee with its current members,
  each with their role (the column *Art der Mitarbeit*: ``Vorsitzendes Mitglied``,
  ``Ständige Vertretung``) and faction (the column *Funktion*: ``SPD-Fraktion``, or the body
  that named a member, such as ``Seniorenbeirat``). Words the column adds to a faction's
  name (``Sprecherin CDU-Fraktion``, ``GRÜNE-Fraktion (Sprecher-Alsterdorf)``) go to the
  role: ``Ausschussmitglied – Sprecherin``.
- ``read_faction``: an fr020 page (Fraktion) → a faction with its members and their roles
  (``Fraktionsvorsitz``, ``zubenannte/r Bürger/in``). The *Funktion* column repeats the
  faction's usual name (``GRÜNE-Fraktion`` for „Fraktion Bündnis 90/DIE GRÜNEN“), which
  becomes its ``short_name`` when it differs: the name committee pages use for it.
- ``read_faction_list``: an fr010 page (Fraktionen/Gruppen) → every faction and group it
  lists, with the end of its period where the page gives one (``(bis 28.05.2019)``); a
  current faction's member count is not kept (its fr020 page lists the members).

A vacant seat (``N. N.``) and a row without a name (a person the site does not name) are
no members: they are left out with a note. ALLRIS shows current
members only and no dates of membership. A page refreshes what it shows of an
organisation (``archive.importers.organization_store``): an fr010 page the period, an
au020 or fr020 page the members, so either may come first.

>>> split_function("GRÜNE-Fraktion (Sprecherin-Langenhorn)")
('GRÜNE-Fraktion', 'Sprecherin-Langenhorn')
>>> split_function("Sprecherin GRÜNE-Fraktion (Ohlsdorf, Fuhlsbüttel)")
('GRÜNE-Fraktion', 'Sprecherin (Ohlsdorf, Fuhlsbüttel)')
>>> split_function("Seniorenbeirat")
('Seniorenbeirat', '')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from bs4 import Tag

from archive.errors import SourceError
from archive.importers.corpus_writer import CorpusWriter, ImportReport
from archive.importers.normalise import SYSTEM, clean_line, parse_date
from archive.importers.organization_store import OrganizationStore
from archive.motion import Source
from archive.organization import COMMITTEE, FACTION, Member, Organization

if TYPE_CHECKING:
    from archive.importers.allris_html import Page

ORGANIZATION_PAGES = ("au020", "fr020", "fr010")
"""The ALLRIS pages of organisations (``archive.importers.allris_html.parse_page`` kinds)."""

_VACANT = re.compile(r"^n\.?\s*n\.?$", re.I)
_PARENTHESIS = re.compile(r"^(.+?)\s*\(([^()]+)\)$")
_SPEAKER = re.compile(r"^(Sprecher\S*)\s+(.+)$")
_UNTIL = re.compile(r"bis\s+(\d{1,2}\.\d{1,2}\.\d{4})")
_FACTION_ID = re.compile(r"FRLFDNR=(\d+)")
_COLUMNS = (
    ("name", ("name",)),
    ("role", ("art der mitarbeit", "mitarbeit", "rolle")),
    ("faction", ("funktion", "fraktion")),
    ("start", ("von", "seit", "mitglied seit", "beginn")),
    ("end", ("bis", "mitglied bis", "ende")),
)


@dataclass
class Reading:
    """What one page says of one organisation: the fields it ``shows`` (an import refreshes
    those), and notes for the report."""

    organization: Organization
    shows: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


def split_function(text: str) -> tuple[str, str]:
    """A *Funktion* cell → the faction's name and what the cell adds to it (``""``)."""
    text = clean_line(text)
    if "fraktion" not in text.casefold():
        return text, ""
    extra = ""
    bracketed = _PARENTHESIS.match(text)
    if bracketed:
        text, extra = bracketed.group(1), bracketed.group(2)
    speaker = _SPEAKER.match(text)
    if speaker:
        text = speaker.group(2)
        extra = f"{speaker.group(1)} ({extra})" if extra else speaker.group(1)
    return text, extra


def _source(page: Page) -> Source:
    return Source(system=SYSTEM, url=page.url, id=page.id)


def _name(page: Page) -> str:
    name = clean_line(page.heading())
    if not name:
        raise SourceError(page.source, "the page names no committee or faction; nothing imported")
    return name


def _members_table(page: Page) -> Tag | None:
    heading = next(
        (h for h in page.header.find_all("h3") if clean_line(h.get_text(" ")) == "Mitglieder"),
        None,
    )
    table = heading.find_next("table") if heading is not None else None
    return table if isinstance(table, Tag) else None


def _columns(table: Tag) -> dict[int, str]:
    """Column index → member field, from the table's header cells."""
    header = table.find("tr")
    cells = header.find_all(["th", "td"], recursive=False) if isinstance(header, Tag) else []
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        label = clean_line(cell.get_text(" ")).casefold()
        for key, labels in _COLUMNS:
            if label in labels and key not in found.values():
                found[index] = key
    return found


def read_members(page: Page) -> tuple[list[dict[str, str]] | None, list[str]]:
    """The rows of the page's *Mitglieder* table as raw fields (``None`` without a table),
    and notes on the rows left out."""
    table = _members_table(page)
    if table is None:
        return None, []
    columns = _columns(table)
    if "name" not in columns.values():
        raise SourceError(page.source, "the Mitglieder table has no Name column")
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    for tr in table.find_all("tr")[1:]:
        cells = tr.find_all("td", recursive=False)
        if len(cells) < len(columns) or any(c.get("colspan") for c in cells):
            continue  # a rule or a spacer row
        row = {key: clean_line(cells[i].get_text(" ")) for i, key in columns.items()}
        if not any(row.values()):
            continue
        role = row.get("role") or "no role"
        if not row["name"]:
            notes.append(f"a member without a name ({role}) left out")
            continue
        if _VACANT.match(row["name"]):
            notes.append(f"a vacant seat ({row['name']}, {role}) left out")
            continue
        for key in ("start", "end"):
            row[key] = parse_date(row[key], page.source) if row.get(key) else ""
        rows.append(row)
    return rows, notes


def read_committee(page: Page) -> Reading:
    """An au020 page → the committee and its members."""
    rows, notes = read_members(page)
    members = []
    for row in rows or []:
        faction, extra = split_function(row.get("faction", ""))
        role = row.get("role", "")
        role = f"{role} – {extra}" if role and extra else role or extra
        members.append(Member(row["name"], role, faction, row["start"], row["end"]))
    committee = Organization(_name(page), COMMITTEE, members=members, source=_source(page))
    shows = ("name", "kind", "source", *(("members",) if rows is not None else ()))
    return Reading(committee, shows, notes)


def read_faction(page: Page) -> Reading:
    """An fr020 page → the faction, its members, and its usual name as ``short_name``."""
    name = _name(page)
    table, notes = read_members(page)
    rows = table or []
    named = Counter(r["faction"] for r in rows if r.get("faction"))
    usual, count = named.most_common(1)[0] if named else ("", 0)
    if count * 2 < len(rows) or not re.search(r"fraktion|gruppe", usual, re.I):
        usual = ""  # the column does not name the faction itself
    members = [
        Member(
            row["name"],
            row.get("role", ""),
            "" if row.get("faction") in (usual, name) else row.get("faction", ""),
            row["start"],
            row["end"],
        )
        for row in rows
    ]
    short = usual if usual != name else ""
    faction = Organization(name, FACTION, short, members=members, source=_source(page))
    shows = ("name", "kind", "source", *(("members",) if table is not None else ()))
    shows += ("short_name",) if short else ()
    return Reading(faction, shows, notes)


def read_faction_list(page: Page) -> list[Reading]:
    """An fr010 page → a reading per faction or group, with the end of its period."""
    readings = []
    for link in page.header.find_all("a", href=re.compile(r"^fr020\.asp", re.I)):
        name = clean_line(link.get_text(" "))
        number = _FACTION_ID.search(str(link.get("href")))
        row = link.find_parent("tr")
        if not name or number is None or row is None:
            continue
        count = row.find("td", class_="text5")
        counted = clean_line(count.get_text(" ")) if count is not None else ""
        until = _UNTIL.search(counted)
        end = parse_date(until.group(1), page.source) if until else ""
        key = f"FRLFDNR={number.group(1)}"
        url = urljoin(page.url, f"fr020.asp?{key}") if page.url else ""
        faction = Organization(name, FACTION, end=end, source=Source(SYSTEM, url, key))
        readings.append(Reading(faction, ("name", "kind", "end", "source")))
    if not readings:
        raise SourceError(page.source, "the page lists no factions (fr020 links); nothing imported")
    return readings


def read_organization_page(page: Page) -> list[Reading]:
    """The organisations of an au020, fr020 or fr010 page."""
    if page.kind == "au020":
        return [read_committee(page)]
    if page.kind == "fr020":
        return [read_faction(page)]
    return read_faction_list(page)


def import_organization_page(
    page: Page, council: str, writer: CorpusWriter, report: ImportReport
) -> None:
    """Save the organisations of ``page`` into ``council``: one report entry each, and a
    ``source: reason`` line for whatever was left out or not written."""
    store = OrganizationStore(writer, council)
    for reading in read_organization_page(page):
        name = reading.organization.name
        outcome, reason = store.save(reading.organization, reading.shows)
        report.add(outcome, f"{page.source}: {name}: {reason}" if reason else None, council)
        report.problems.extend(f"{page.source}: {name}: {note}" for note in reading.notes)
