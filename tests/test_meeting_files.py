"""Meeting files: the same bytes read and written, problems with their line, ``check``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive.cli import main
from archive.corpus import iter_council_files, iter_motion_files, render_motion
from archive.errors import CorpusErrors
from archive.files import FileRecord
from archive.meeting import AgendaItem, Meeting, meeting_id_for
from archive.meeting_files import next_meeting_id, parse_meeting, read_meeting, render_meeting
from archive.motion import Consultation, Motion, Source, Votes

COUNCIL = "name: Hansestadt Lübeck\nshort_name: Lübeck\nkind: Stadt\nstate: Schleswig-Holstein\n"
MEETING_NAME = "2024-05-07-ausschuss-fuer-soziales.md"

# A meeting file as the project writes it: every kind of item, files, minutes and a section.
EXAMPLE = """\
---
committee: Ausschuss für Soziales
date: '2024-05-07'
name: 9. Sitzung des Ausschusses für Soziales
start: '16:00'
end: '18:30'
place: Rathaus, Bürgerschaftssaal
status: held
items:
  - number: Ö 1
    title: Eröffnung und Feststellung der Beschlussfähigkeit
  - number: Ö 7.2
    title: Quartiere stärken - Lebenswelten gestalten
    papers:
      - VO/2024/12903-01
    result: abgelehnt
    votes:
      'yes': 7
      'no': 8
      abstain: null
  - number: Ö 8
    title: Wahl des Seniorenbeirats
    result: beschlossen
    resolution: |-
      Der Ausschuss beschließt:

      1. Der Seniorenbeirat wird gewählt.
      2. Die Amtszeit beträgt drei Jahre.
  - number: N 12
    title: Personalangelegenheit
    public: false
source:
  system: ALLRIS
  url: https://bekanntmachungen.luebeck.de/bi/si0057.asp?__ksinr=1234
  id: '1234'
  retrieved: '2024-05-08'
files:
  - name: Einladung
    url: https://bekanntmachungen.luebeck.de/bi/getfile.asp?id=1
    media_type: application/pdf
    size: 48213
    sha256: ''
    pages: 2
    text: pending
    ocr_pages: []
    reason: ''
    fetched: ''
---

## Niederschrift

Die Vorsitzende eröffnet die Sitzung um 16:00 Uhr.

Zu Ö 7.2: Der Antrag wird abgelehnt.

## Anwesenheit

- Frau Schulz (Vorsitz)
- Herr Meyer
"""

PAPER = "VO/2024/12903-01"


def without_files(text: str) -> str:
    head, rest = text.split("files:\n", 1)
    return head + rest[rest.index("---\n") :]


def changed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize("text", [EXAMPLE, without_files(EXAMPLE)], ids=["files", "no-files"])
def test_reading_then_writing_a_meeting_file_gives_the_same_bytes(
    text: str, tmp_path: Path
) -> None:
    path = tmp_path / MEETING_NAME
    path.write_bytes(text.encode("utf-8"))
    meeting = read_meeting(path, "luebeck")
    assert render_meeting(meeting).encode("utf-8") == path.read_bytes()
    assert (meeting.council, meeting.id) == ("luebeck", "2024-05-07-ausschuss-fuer-soziales")
    assert [i.number for i in meeting.items] == ["Ö 1", "Ö 7.2", "Ö 8", "N 12"]
    assert [i.number for i in meeting.public_items] == ["Ö 1", "Ö 7.2", "Ö 8"]
    assert meeting.items[1].papers == [PAPER]
    assert meeting.items[1].votes == Votes(yes=7, no=8, abstain=None)
    assert meeting.items[2].resolution.splitlines()[-1] == "2. Die Amtszeit beträgt drei Jahre."
    assert meeting.minutes.startswith("Die Vorsitzende eröffnet")
    assert meeting.minutes.endswith("Der Antrag wird abgelehnt.")
    assert meeting.closing.startswith("## Anwesenheit\n")
    assert len(meeting.files) == (1 if "files:" in text else 0)


def tricky_meeting() -> Meeting:
    return Meeting(
        committee="Ausschuss: Bauen & Umwelt",
        date="2024-11-20",
        name="„Sondersitzung\" zum Thema: 'Haushalt'",
        start="09:30",
        place="Rathaus: Saal 3, 2. OG",
        status="held",
        items=[
            AgendaItem(
                number="Ö 3.1",
                title="Antrag: Radweg 'Am Markt' - \"Variante B\"",
                papers=["2024/0815", "no"],
                result="geändert beschlossen: siehe Anlage",
                votes=Votes(yes=11, no=None, abstain=2),
                resolution="Beschluss:\n---\n## kein Abschnitt\n\n- Punkt: eins",
                note="16:00",
            ),
            AgendaItem(number="", title="yes", public=False),
        ],
        files=[FileRecord(name="Niederschrift: öffentlich", url="https://example.org/n.pdf")],
        source=Source(system="OParl", url="https://example.org/m/7", id="https://example.org/m/7"),
        minutes='Beginn 09:30.\n\n---\n\n## Zu Ö 3.1\n\nDie Verwaltung: "Ja."',
        body="## Anlagen\n\nLageplan: siehe oben.",
        id="2024-11-20-ausschuss-bauen-umwelt",
    )


def test_render_parse_render_keeps_tricky_text(tmp_path: Path) -> None:
    meeting = tricky_meeting()
    text = render_meeting(meeting)
    again = parse_meeting(text, tmp_path / f"{meeting.id}.md")
    assert again == meeting
    assert render_meeting(again) == text


def test_text_before_the_minutes_stays_outside_them(tmp_path: Path) -> None:
    """An archivist's note above ``## Niederschrift`` must not move into the minutes."""
    path = tmp_path / MEETING_NAME
    note = "Nachtrag der Geschäftsstelle: die Einladung ging verspätet hinaus."
    path.write_text(
        changed(EXAMPLE, "---\n\n## Niederschrift", f"---\n\n{note}\n\n## Niederschrift"), "utf-8"
    )
    meeting = read_meeting(path)
    again = parse_meeting(render_meeting(meeting), path)
    assert again.minutes == meeting.minutes
    assert again.body == meeting.body


# Each case: the change to the example, the line reported and the message.
BROKEN = {
    "bad-start": (
        ("start: '16:00'", "start: '25:00'"),
        5,
        "start: '25:00' is not a time like 17:00",
    ),
    "unknown-status": (
        ("status: held", "status: vertagt"),
        8,
        "unknown status 'vertagt' (known: planned, held, cancelled)",
    ),
    "item-without-title": (
        ("  - number: Ö 8\n    title: Wahl des Seniorenbeirats\n    result:", "  - result:"),
        21,
        "item 3: missing title and number (one is needed)",
    ),
    "negative-votes": (
        ("'no': 8", "'no': -1"),
        19,
        "votes.no: -1 is not a count (a whole number ≥ 0, or null when not recorded)",
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_meeting_file_is_reported_with_its_line(name: str, tmp_path: Path) -> None:
    (old, new), line, message = BROKEN[name]
    path = tmp_path / MEETING_NAME
    path.write_text(changed(EXAMPLE, old, new), encoding="utf-8")
    with pytest.raises(CorpusErrors) as caught:
        read_meeting(path)
    assert str(caught.value) == f"{path}:{line}: {message}"


# -- ratsarchiv check on a small council ----------------------------------------------------


def paper() -> Motion:
    return Motion(
        reference=PAPER,
        title="Quartiere stärken - Lebenswelten gestalten",
        type="Antrag",
        date="2024-05-07",
        consultations=[
            Consultation(
                committee="Ausschuss für Soziales",
                date="2024-05-07",
                agenda_item="Ö 7.2",
                result="abgelehnt",
                votes=Votes(yes=7, no=8),
            )
        ],
        resolution="Der Ausschuss möge beschließen: Quartiere stärken.",
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """One council, Lübeck, with one paper and one meeting naming it."""
    corpus = tmp_path / "corpus"
    (corpus / "luebeck" / "2024").mkdir(parents=True)
    (corpus / "luebeck" / "meetings").mkdir()
    (corpus / "luebeck" / "_council.yml").write_text(COUNCIL, encoding="utf-8")
    (corpus / "luebeck" / "2024" / "vo-2024-12903-01.md").write_text(
        render_motion(paper()), "utf-8"
    )
    meeting_file(corpus).write_text(EXAMPLE, encoding="utf-8")
    return corpus


def meeting_file(corpus: Path) -> Path:
    return corpus / "luebeck" / "meetings" / MEETING_NAME


def check(corpus: Path, *paths: Path) -> Result:
    return CliRunner().invoke(main, ["check", "--corpus", str(corpus), *map(str, paths)])


def test_check_counts_the_meeting_file_and_passes(corpus: Path) -> None:
    result = check(corpus)
    assert result.exit_code == 0, result.output
    assert result.output == "checked 2 files: 0 problems\n"


def test_check_reports_a_broken_meeting_file_with_its_line(corpus: Path) -> None:
    path = meeting_file(corpus)
    path.write_text(changed(EXAMPLE, "start: '16:00'", "start: 4 Uhr"), encoding="utf-8")
    result = check(corpus)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:5: start: '4 Uhr' is not a time like 17:00",
        "checked 2 files: 1 problem",
    ]


def test_an_item_naming_a_paper_not_in_the_archive_is_a_warning(corpus: Path) -> None:
    path = meeting_file(corpus)
    path.write_text(changed(EXAMPLE, f"      - {PAPER}", "      - VO/2024/99999"), "utf-8")
    result = check(corpus)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3, result.output
    assert lines[0].startswith(f"{path}:")
    assert lines[0].endswith("item 'Ö 7.2': paper 'VO/2024/99999' is not in the archive (warning)")
    assert lines[1:] == [
        "checked 2 files: 0 problems, 1 warning",
        "warnings: 1 paper not in archive",
    ]


def test_the_missing_paper_warning_names_the_line_of_the_reference(corpus: Path) -> None:
    """Like a ``related`` link to a missing paper, the warning points at the reference."""
    path = meeting_file(corpus)
    path.write_text(changed(EXAMPLE, f"      - {PAPER}", "      - VO/2024/99999"), "utf-8")
    first = check(corpus).output.splitlines()[0]
    assert first.startswith(f"{path}:15: "), first


def test_check_of_one_meeting_file_reads_it_as_a_meeting(corpus: Path) -> None:
    path = meeting_file(corpus)
    assert check(corpus, path).output == "checked 1 file: 0 problems\n"
    path.write_text(changed(EXAMPLE, "status: held", "status: vertagt"), encoding="utf-8")
    result = check(corpus, path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:8: unknown status 'vertagt' (known: planned, held, cancelled)",
        "checked 1 file: 1 problem",
    ]


def test_the_walk_for_papers_does_not_list_meeting_files(corpus: Path) -> None:
    paper_file = corpus / "luebeck" / "2024" / "vo-2024-12903-01.md"
    assert list(iter_motion_files(corpus)) == [paper_file]
    assert list(iter_council_files(corpus)) == [(paper_file, "luebeck")]


# -- ids and anchors -------------------------------------------------------------------------


def test_a_second_meeting_of_a_committee_on_one_day_gets_its_own_id() -> None:
    first = meeting_id_for("2025-06-04", "Ortschaftsrat Durlach")
    assert first == "2025-06-04-ortschaftsrat-durlach"
    assert next_meeting_id(set(), "2025-06-04", "Ortschaftsrat Durlach") == first
    assert next_meeting_id({first}, "2025-06-04", "Ortschaftsrat Durlach") == f"{first}-2"
    taken = {first, f"{first}-2"}
    assert next_meeting_id(taken, "2025-06-04", "Ortschaftsrat Durlach") == f"{first}-3"
    assert next_meeting_id({first}, "2025-06-04", "Hauptausschuss") == "2025-06-04-hauptausschuss"


def test_meeting_ids_and_item_anchors_are_url_safe() -> None:
    assert meeting_id_for("2024-05-07", "Ausschuss für Soziales") == MEETING_NAME[:-3]
    assert AgendaItem(number="Ö 7.2", title="Radweg").anchor == "top-oe-7-2"
    assert AgendaItem(number="N 12", title="Personal").anchor == "top-n-12"
    assert AgendaItem(number="", title="Mitteilungen").anchor == "top-mitteilungen"
