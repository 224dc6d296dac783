"""``import oparl --meetings``: a meeting file per OParl meeting, its items linked to papers.

The small dumps are written here; the whole Karlsruhe dump (12,546 papers, 2,609 meetings)
is imported once per module, which takes a minute or two, so those tests are ``slow``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from oparl_data import MEETINGS, ORGANIZATIONS, PAPERS, write_jsonl

from archive.cli import main
from archive.corpus import iter_motion_files, read_motion
from archive.meeting import AgendaItem, Meeting
from archive.meeting_files import read_meeting
from archive.motion import slug_for

BASE = "https://oparl.example.org/bodies/1"
BAU, RAT, HAUPT = f"{BASE}/organizations/1", f"{BASE}/organizations/2", f"{BASE}/organizations/3"
CLOSED = "Grundstücksangelegenheit Quellenweg 12"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", "oparl", *map(str, args)])


def imported(
    papers: Path, meetings: Path, organizations: Path, corpus: Path, *extra: str
) -> Result:
    return run(
        papers,
        "--meetings",
        meetings,
        "--organizations",
        organizations,
        "--corpus",
        corpus,
        "--council",
        "karlsruhe",
        *extra,
    )


def line_starting(output: str, prefix: str) -> str:
    found = [line for line in output.splitlines() if line.startswith(prefix)]
    assert len(found) == 1, output
    return found[0]


def every_file_text(corpus: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(corpus.rglob("*")) if p.is_file())


# -- a small dump written here ---------------------------------------------------------------


def item(meeting: int, order: int, number: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"{BASE}/agendaitems/{meeting}-{order}", "number": number, "name": name,
            "order": order, "public": True, **fields}  # fmt: skip


def small_meetings() -> list[dict[str, Any]]:
    """A cancelled, a planned, a held meeting (end at midnight, an address, a closed item)."""
    return [
        {
            "id": f"{BASE}/meetings/1",
            "name": "Bauausschuss (öffentlich)",
            "organization": [BAU],
            "start": "2024-03-05T17:00:00+01:00",
            "end": "2024-03-05T19:00:00+01:00",
            "cancelled": True,
            "location": {"description": "Rathaus, Bürgersaal"},
            "agendaItem": [
                item(1, 1, "1", "Radweg Kaiserstraße", consultation=f"{BASE}/consultations/11")
            ],
        },
        {
            "id": f"{BASE}/meetings/2",
            "name": "Gemeinderat",
            "organization": [RAT],
            "start": "2099-01-15T16:00:00+01:00",
            "end": "2099-01-15T18:00:00+01:00",
            "agendaItem": [item(2, 1, "1", "Haushalt 2100")],
        },
        {
            "id": f"{BASE}/meetings/3",
            "name": "Hauptausschuss",
            "organization": [HAUPT],
            "start": "2024-04-10T18:00:00+02:00",
            "end": "2024-04-10T00:00:00+02:00",
            "location": {
                "room": "Sitzungssaal 2",
                "streetAddress": "Marktplatz 1",
                "postalCode": "76133",
                "locality": "Karlsruhe",
            },
            "agendaItem": [
                item(3, 3, "3", "Mitteilungen"),
                item(3, 1, "N 1", CLOSED, public=False),
                item(3, 2, "2", "Haushaltsplan 2025", consultation=f"{BASE}/consultations/12"),
            ],
        },
    ]


def small_papers() -> list[dict[str, Any]]:
    def paper(
        number: str, name: str, meeting: int, committee: str, consultation: int
    ) -> dict[str, Any]:
        return {
            "id": f"{BASE}/papers/{number}",
            "type": "https://schema.oparl.org/1.1/Paper",
            "reference": f"2024/0{number}",
            "name": name,
            "paperType": "Antrag",
            "date": "2024-02-01",
            "consultation": [
                {
                    "id": f"{BASE}/consultations/{consultation}",
                    "meeting": f"{BASE}/meetings/{meeting}",
                    "organization": [committee],
                }
            ],
        }

    return [
        paper("111", "Radweg Kaiserstraße", 1, BAU, consultation=11),
        paper("112", "Haushaltsplan 2025", 3, HAUPT, consultation=12),
    ]


def test_meetings_of_a_small_dump_become_files(tmp_path: Path) -> None:
    organizations = tmp_path / "organizations.json"
    names = [(BAU, "Bauausschuss"), (RAT, "Gemeinderat"), (HAUPT, "Hauptausschuss")]
    organizations.write_text(json.dumps([{"id": i, "name": n} for i, n in names]), "utf-8")
    corpus = tmp_path / "corpus"
    result = imported(
        write_jsonl(tmp_path / "papers.jsonl", small_papers()),
        write_jsonl(tmp_path / "meetings.jsonl", small_meetings()),
        organizations,
        corpus,
    )
    assert result.exit_code == 0, result.output
    summary = line_starting(result.stdout, "meetings: ")
    assert summary == (
        "meetings: 3 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped in council "
        "karlsruhe (1 non-public agenda item left out)"
    )
    folder = corpus / "karlsruhe" / "meetings"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2024-03-05-bauausschuss.md",
        "2024-04-10-hauptausschuss.md",
        "2099-01-15-gemeinderat.md",
    ]
    cancelled = read_meeting(folder / "2024-03-05-bauausschuss.md")
    assert (cancelled.status, cancelled.start, cancelled.end) == ("cancelled", "17:00", "19:00")
    assert cancelled.place == "Rathaus, Bürgersaal"
    assert cancelled.items == [
        AgendaItem(number="1", title="Radweg Kaiserstraße", papers=["2024/0111"])
    ]
    planned = read_meeting(folder / "2099-01-15-gemeinderat.md")
    assert (planned.status, planned.start, planned.end) == ("planned", "16:00", "18:00")
    held = read_meeting(folder / "2024-04-10-hauptausschuss.md")
    assert (held.status, held.start, held.end) == ("held", "18:00", "")  # midnight: unknown
    assert held.place.startswith("Sitzungssaal 2, Marktplatz 1, 76133")
    assert held.place.endswith("Karlsruhe")
    assert [(i.number, i.title, i.papers) for i in held.items] == [
        ("2", "Haushaltsplan 2025", ["2024/0112"]),
        ("3", "Mitteilungen", []),
    ]
    assert "Quellenweg" not in every_file_text(corpus)
    # the paper's consultation meets the meeting on committee and date
    (consultation,) = read_motion(corpus / "karlsruhe" / "2024" / "2024-0112.md").consultations
    assert (consultation.committee, consultation.date) == ("Hauptausschuss", "2024-04-10")
    check = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert check.exit_code == 0, check.output
    assert "checked 8 files: 0 problems" in check.output  # and 3 organisation files


# -- the real dump -----------------------------------------------------------------------------

DURLACH = "https://web1.karlsruhe.de/oparl/bodies/0001/meetings/10027"
"""Ortschaftsrat Durlach, 2025-06-04: seven items, three of them with a paper."""
B3 = "Vorstellung der Umbaumaßnahmen im Bereich B3 / Zündhütle"
B3_CONSULTATION = "https://web1.karlsruhe.de/oparl/bodies/0001/consultations/34110"


def dump_meeting(meeting_id: str) -> dict[str, Any]:
    with gzip.open(MEETINGS, "rt", encoding="utf-8") as handle:
        for line in handle:
            if f'"{meeting_id}"' in line:
                meeting = json.loads(line)
                if meeting["id"] == meeting_id:
                    return meeting
    raise AssertionError(f"{meeting_id} is not in {MEETINGS}")


def papers_naming(ids: set[str]) -> list[dict[str, Any]]:
    """The papers of the dump (not deleted) with a consultation whose id or agenda item is
    one of ``ids``."""
    found = []
    with gzip.open(PAPERS, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not any(f'"{i}"' in line for i in ids):
                continue
            paper = json.loads(line)
            consultations = [c for c in paper.get("consultation") or [] if isinstance(c, dict)]
            named = {c.get(key) for c in consultations for key in ("id", "agendaItem")}
            if named & ids and not paper.get("deleted"):
                found.append(paper)
    return found


def expected_papers(meeting: dict[str, Any]) -> dict[str, list[str]]:
    """Item id → the references of the papers whose consultation the item is."""
    items = meeting["agendaItem"]
    wanted = {i["id"] for i in items} | {i["consultation"] for i in items if "consultation" in i}
    by_item: dict[str, list[str]] = {i["id"]: [] for i in items}
    for paper in papers_naming(wanted):
        for consultation in paper["consultation"]:
            for i in items:
                if consultation.get("id") == i.get("consultation") or (
                    consultation.get("agendaItem") == i["id"]
                ):
                    by_item[i["id"]].append(paper["reference"])
    return by_item


def committee_name(organization_id: str) -> str:
    organizations = json.loads(ORGANIZATIONS.read_text(encoding="utf-8"))
    (name,) = [o["name"].strip() for o in organizations if o["id"] == organization_id]
    return name


@pytest.mark.karlsruhe
def test_a_real_meeting_with_a_closed_item_leaves_it_out(tmp_path: Path) -> None:
    """Durlach's meeting of 2025-06-04 with its item 4 marked non-public, beside the paper
    of its item 2: item 4 is nowhere in the corpus, the others are."""
    meeting = dump_meeting(DURLACH)
    (closed,) = [i for i in meeting["agendaItem"] if i["name"] == "Entwässerung im Lenzenhubweg"]
    closed["public"] = False
    corpus = tmp_path / "corpus"
    result = imported(
        write_jsonl(tmp_path / "papers.jsonl", papers_naming({closed["id"], B3_CONSULTATION})),
        write_jsonl(tmp_path / "meetings.jsonl", [meeting]),
        ORGANIZATIONS,
        corpus,
    )
    assert result.exit_code == 0, result.output
    assert line_starting(result.stdout, "meetings: ").endswith(
        "(1 non-public agenda item left out)"
    )
    written = read_meeting(
        corpus / "karlsruhe" / "meetings" / "2025-06-04-ortschaftsrat-durlach.md"
    )
    assert [i.number for i in written.items] == ["1", "2", "3", "5", "6", "7"]
    assert "Lenzenhubweg" not in every_file_text(corpus)


# -- the whole Karlsruhe dump, imported once ---------------------------------------------------


def whole_dump(test: Callable[..., None]) -> Callable[..., None]:
    """The tests of the whole dump: ``karlsruhe`` and ``slow``, with time for two imports."""
    for mark in (pytest.mark.karlsruhe, pytest.mark.slow, pytest.mark.timeout(1200)):
        test = mark(test)
    return test


def digests(corpus: Path) -> dict[str, str]:
    return {
        p.relative_to(corpus).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in corpus.rglob("*")
        if p.is_file()
    }


@dataclass
class WholeImport:
    corpus: Path
    first: Result
    second: Result
    after_first: dict[str, str]
    after_second: dict[str, str]

    @property
    def meetings(self) -> Path:
        return self.corpus / "karlsruhe" / "meetings"

    def again(self, *extra: str) -> Result:
        return imported(PAPERS, MEETINGS, ORGANIZATIONS, self.corpus, *extra)


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> WholeImport:
    """All of Karlsruhe imported with its meetings, then imported a second time."""
    corpus = tmp_path_factory.mktemp("karlsruhe-meetings") / "corpus"
    first = imported(PAPERS, MEETINGS, ORGANIZATIONS, corpus)
    after_first = digests(corpus)
    second = imported(PAPERS, MEETINGS, ORGANIZATIONS, corpus)
    return WholeImport(corpus, first, second, after_first, digests(corpus))


@whole_dump
def test_every_meeting_of_the_dump_becomes_a_file(whole: WholeImport) -> None:
    assert whole.first.exit_code == 0, whole.first.output[-3000:]
    assert len(list(whole.meetings.glob("*.md"))) == 2609
    assert line_starting(whole.first.stdout, "meetings: ") == (
        "meetings: 2609 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped "
        "in council karlsruhe"
    )


@whole_dump
def test_the_dump_has_no_closed_items_and_the_summary_names_none(whole: WholeImport) -> None:
    """Karlsruhe's dump lists no non-public agenda item (see the real meeting test above
    for one), so no meeting file and no summary line speaks of one."""
    with gzip.open(MEETINGS, "rt", encoding="utf-8") as handle:
        meetings = [json.loads(line) for line in handle]
    closed = [i for m in meetings for i in m.get("agendaItem") or [] if i.get("public") is False]
    assert closed == []
    assert "non-public" not in whole.first.stdout
    assert "public: false" not in "".join(p.read_text("utf-8") for p in whole.meetings.iterdir())


@whole_dump
def test_a_known_meeting_has_its_items_in_order_linked_to_their_papers(
    whole: WholeImport,
) -> None:
    source = dump_meeting(DURLACH)
    committee = committee_name(source["organization"][0])
    assert committee == "Ortschaftsrat Durlach"
    meeting: Meeting = read_meeting(whole.meetings / "2025-06-04-ortschaftsrat-durlach.md")
    assert (meeting.committee, meeting.date, meeting.status) == (committee, "2025-06-04", "held")
    assert (meeting.start, meeting.end) == ("17:00", "")  # the dump's end is midnight
    assert meeting.place == source["location"]["description"]
    assert meeting.source.id == DURLACH
    assert [f.name for f in meeting.files] == [
        source["invitation"]["name"],
        *[f["name"] for f in source["auxiliaryFile"]],
    ]
    papers = expected_papers(source)
    items = sorted(source["agendaItem"], key=lambda i: i["order"])
    assert [(i.number, i.title, i.result, i.papers) for i in meeting.items] == [
        (i["number"], i["name"], i.get("result", ""), papers[i["id"]]) for i in items
    ]
    (b3,) = [i for i in meeting.items if i.title == B3]
    (reference,) = papers[next(i["id"] for i in items if i["name"] == B3)]
    assert b3.papers == [reference] == ["2025/0386"]
    (paper_file,) = (whole.corpus / "karlsruhe").glob(f"*/{slug_for(reference)}.md")
    motion = read_motion(paper_file)
    assert (committee, "2025-06-04", b3.number) in [
        (c.committee, c.date, c.agenda_item) for c in motion.consultations
    ]


@whole_dump
def test_a_second_identical_run_changes_nothing(whole: WholeImport) -> None:
    assert whole.second.exit_code == 0, whole.second.output[-3000:]
    assert line_starting(whole.second.stdout, "meetings: ") == (
        "meetings: 0 created, 0 updated, 2609 unchanged, 0 conflicts, 0 skipped "
        "in council karlsruhe"
    )
    changed = {k for k in whole.after_first.keys() | whole.after_second.keys()
               if whole.after_first.get(k) != whole.after_second.get(k)}  # fmt: skip
    assert changed == set()


@whole_dump
def test_check_passes_on_the_imported_corpus(whole: WholeImport) -> None:
    result = CliRunner().invoke(main, ["check", "--corpus", str(whole.corpus)])
    assert result.exit_code == 0, result.output[-3000:]
    files = len(list(iter_motion_files(whole.corpus))) + 2609 + 97  # meetings, organisations
    assert f"checked {files} files: 0 problems" in result.output
    assert "is not in the archive" not in result.output  # every item's paper was imported


@dataclass
class EditedRun:
    """A meeting file edited by an archivist, then a re-import of one paper and all meetings."""

    path: Path
    edited: bytes
    result: Result
    before: dict[str, bytes]
    after: dict[str, bytes]


@pytest.fixture(scope="module")
def edited_run(whole: WholeImport) -> Iterator[EditedRun]:
    """Durlach's meeting corrected by hand, then ``import oparl --limit 1`` with the meetings
    (after the tests above: it changes the corpus; the edit is undone at the end)."""
    path = whole.meetings / "2025-06-04-ortschaftsrat-durlach.md"
    original = path.read_bytes()
    edited = original.replace(b"Stadtamtes Durlach", b"Stadtamts Durlach")
    assert edited != original
    path.write_bytes(edited)
    before = {p.name: p.read_bytes() for p in whole.meetings.iterdir()}
    result = whole.again("--limit", "1")
    after = {p.name: p.read_bytes() for p in whole.meetings.iterdir()}
    yield EditedRun(path, edited, result, before, after)
    path.write_bytes(original)


@whole_dump
def test_an_edited_meeting_file_is_a_conflict_and_left_alone(edited_run: EditedRun) -> None:
    result = edited_run.result
    assert result.exit_code == 1, result.output[-3000:]
    summary = line_starting(result.stdout, "meetings: ")
    assert summary.startswith("meetings: 0 created, ")
    assert summary.endswith(", 1 conflict, 0 skipped in council karlsruhe")
    path = edited_run.path
    assert (
        f"{DURLACH}: {path} was edited since the last import; left alone (--force overwrites)"
        in result.stderr.splitlines()
    )
    assert path.read_bytes() == edited_run.edited


@whole_dump
def test_a_reimport_of_one_paper_keeps_every_meetings_links(edited_run: EditedRun) -> None:
    """Items keep the papers their files list when the run does not bring those papers."""
    changed = sorted(n for n, text in edited_run.after.items() if edited_run.before[n] != text)
    # Items of one number and title repeat within a meeting (two items "19 Busterminal" on
    # 2013-12-17): each keeps its own papers.
    assert changed == [], changed
    assert line_starting(edited_run.result.stdout, "meetings: ") == (
        "meetings: 0 created, 0 updated, 2608 unchanged, 1 conflict, 0 skipped in council karlsruhe"
    )
