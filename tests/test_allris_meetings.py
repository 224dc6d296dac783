"""ALLRIS meetings: agendas (to010), Auszüge (to020) as items, the calendar (si010) and
Lübeck's „Importierte Niederschrift“, on the real Hamburg pages and the Lübeck seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from realdata import HAMBURG, SEED, require

from archive.cli import main
from archive.importers.allris_html import import_pages, read_source
from archive.importers.allris_meetings import committee_from_name, read_agenda
from archive.importers.allris_text import read_auszug_text
from archive.importers.meeting_store import MeetingImport
from archive.meeting import CANCELLED, HELD, PLANNED, Meeting
from archive.meeting_files import iter_meeting_files, read_meeting

DISTRICTS = ("altona", "bergedorf", "eimsbuettel", "hamburg_mitte", "hamburg_nord")
TODAY = "2026-12-04"


@pytest.fixture(scope="module", autouse=True)
def _real_data() -> None:
    require()


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", *map(str, args)])


def council_of(district: str) -> str:
    return "hamburg-" + district.replace("_", "-")


def meetings_in(corpus: Path) -> dict[str, Meeting]:
    """Every meeting file of the corpus: ``council/id`` → meeting."""
    return {
        f"{council}/{path.stem}": read_meeting(path, council)
        for path, council in iter_meeting_files(corpus)
    }


def meeting_bytes(corpus: Path) -> dict[str, bytes]:
    return {p.relative_to(corpus).as_posix(): p.read_bytes() for p, _ in iter_meeting_files(corpus)}


def page(district: str, name: str) -> Path:
    return HAMBURG / district / f"{name}.html"


def derived(tmp_path: Path, name: str, source: Path, *edits: tuple[str, str]) -> Path:
    """A page made from a real one (ISO-8859-1) by replacing text, each edit applied once
    at least."""
    text = source.read_bytes().decode("cp1252")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    target = tmp_path / "pages" / name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(text.encode("cp1252"))
    return target


def bergedorf_item(tmp_path: Path) -> Path:
    """Bergedorf's Auszug, moved to the TOP Ö 3 of Bergedorf's agenda (a talk, no paper),
    with a Beschluss and a vote added."""
    return derived(
        tmp_path,
        "bergedorf-to020-oe3.html",
        page("bergedorf", "to020"),
        ("1002945", "1002949"),
        ("03.03.2025", "03.11.2025"),
        (
            "Aktuelle Arbeit, zukünftige Ziele, Hürden und Lösungen des Atlantik 97 e.V. als "
            "Sportverein",
            "Förderung und Unterstützung von Schülerinnen und Schülern mit Schwierigkeiten oder "
            "besonderen Schwierigkeiten im Lesen, Rechtschreiben oder Rechnen",
        ),
        (
            '<a name="allrisBS"></a>',
            '<a name="allrisBS"></a><p>Der Fachausschuss bittet die Behörde, im ersten '
            "Quartal 2026 erneut zu berichten.</p>",
        ),
        (
            '<a name="allrisAE"></a>',
            '<a name="allrisAE"></a><p>Ja-Stimmen: 11 / Nein-Stimmen: 0 / Enthaltungen: 2</p>'
            "<p>Der Ausschuss stimmt mehrheitlich zu.</p>",
        ),
    )


def altona_paper_item(tmp_path: Path) -> Path:
    """Altona's Auszug (a paper's), moved to TOP Ö 2.1 of Altona's agenda (Drucksache
    22-1471)."""
    return derived(
        tmp_path,
        "altona-to020-oe2-1.html",
        page("altona", "to020"),
        ("1004078", "1004086"),
        ("03.03.2025", "03.11.2025"),
        ("22-0621", "22-1471"),
        ("Geparkte Kfz auf dem Marktplatz Blankenese", "Unerlaubter Verkehr Klövensteen"),
        ("Eingabe vom 19.01.2025", "Eingabe vom 05.10.2025"),
    )


# ---------------------------------------------------------------- to010


def test_agenda_items_numbers_titles_and_papers():
    meeting, closed = read_agenda(read_source(str(page("altona", "to010"))), TODAY)
    assert closed == 0
    assert (meeting.committee, meeting.date, meeting.start, meeting.end) == (
        "Mobilitätsausschuss",
        "2025-11-03",
        "18:00",
        "19:45",
    )
    assert meeting.name == "Sitzung des Mobilitätsausschusses"
    assert meeting.place.startswith("Sitzungsraum des Technischen Rathauses (EG), Jessenstraße 1")
    assert meeting.status == HELD
    assert meeting.source.id == "SILFDNR=1004086"
    assert (
        meeting.source.url == "http://sitzungsdienst-altona.hamburg.de/bi/to010.asp?SILFDNR=1004086"
    )
    assert [i.number for i in meeting.items][:8] == [
        "Ö 1",
        "Ö 2",
        "Ö 2.1",
        "Ö 2.2",
        "Ö 2.3",
        "Ö 2.4",
        "Ö 2.5",
        "Ö 3",
    ]
    assert len(meeting.items) == 20
    first, _, eingabe, *_ = meeting.items
    assert (first.title, first.papers, first.result) == ("Öffentliche Fragestunde", [], "")
    assert eingabe.title == "Unerlaubter Verkehr Klövensteen Eingabe vom 05.10.2025"
    assert (eingabe.papers, eingabe.result) == (["22-1471"], "zur Kenntnis genommen")
    toad = meeting.items[5]  # the grey Zusatzinfo is a note, not part of the title
    assert toad.note.startswith("Nach eingegangener Stellungnahme des Mobilitätsausschusses")
    assert "Nach eingegangener" not in toad.title
    assert [i.papers for i in meeting.items if i.number == "Ö 4"] == [["22-1508"]]
    assert [f.name for f in meeting.files] == [
        "Aktuelle TO.pdf",
        "Alle Dokumente zur Sitzung im Paket.pdf",
        "Einladung.pdf",
        "Niederschrift öffent. Teil.pdf",
    ]
    assert meeting.files[2].url.endswith("/bi/do027.asp?DOLFDNR=1510819&options=64")


def test_every_agenda_becomes_a_meeting(tmp_path: Path):
    corpus = tmp_path / "corpus"
    for district in DISTRICTS:
        result = run(
            "allris-html",
            page(district, "to010"),
            "--council",
            council_of(district),
            "--corpus",
            corpus,
        )
        assert result.exit_code == 0, result.output
        assert (
            "meetings: 1 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped" in result.stdout
        )
    found = meetings_in(corpus)
    counts = {key: len(m.items) for key, m in found.items()}
    assert counts == {
        "hamburg-altona/2025-11-03-mobilitaetsausschuss": 20,
        "hamburg-bergedorf/2025-11-03-fachausschuss-fuer-sport-und-bildung": 7,
        "hamburg-eimsbuettel/2025-11-03-kerngebietsausschuss": 13,
        "hamburg-hamburg-mitte/2025-11-03-jugendhilfeausschuss": 15,
        "hamburg-hamburg-nord/2025-11-03-regionalausschuss-langenhorn-fuhlsbuettel-ohlsdorf-"
        "alsterdorf-gross-borstel": 25,
    }
    papers = sum(len(i.papers) for m in found.values() for i in m.items)
    assert papers == 40
    # the "Genehmigung der Niederschrift" rows link an earlier meeting's agenda: no paper
    bergedorf = found["hamburg-bergedorf/2025-11-03-fachausschuss-fuer-sport-und-bildung"]
    assert bergedorf.items[-1].title.startswith("Genehmigung der Niederschrift")
    assert bergedorf.items[-1].papers == []
    assert CliRunner().invoke(main, ["check", "--corpus", str(corpus)]).exit_code == 0


def test_a_non_public_item_is_never_written(tmp_path: Path):
    text = page("altona", "to010").read_bytes().decode("cp1252")
    row = re.search(r'<tr class="zl11">(?:(?!</tr>).)*?Ö&nbsp;8</a>.*?</tr>', text, re.S)
    assert row is not None
    closed = row.group(0).replace("Ö&nbsp;8", "N&nbsp;9").replace("Verschiedenes", "Geheimweg 7")
    agenda = derived(
        tmp_path, "to010.html", page("altona", "to010"), (row.group(0), row.group(0) + closed)
    )
    mitte = derived(
        tmp_path, "to020.html", page("hamburg_mitte", "to020"), ("Ö&nbsp;1", "N&nbsp;1")
    )
    corpus = tmp_path / "corpus"
    result = run("allris-html", agenda, mitte, "--council", "hamburg-altona", "--corpus", corpus)
    assert result.exit_code == 1  # the non-public Auszug is skipped, with its reason
    assert "(1 non-public agenda item left out)" in result.stdout
    assert f"{mitte}: not public: agenda item 'N 1' is non-public (N)" in result.stderr
    assert "meetings: 1 created, 0 updated, 0 unchanged, 0 conflicts, 1 skipped" in result.stdout
    written = "".join(p.read_text(encoding="utf-8") for p in corpus.rglob("*.md"))
    assert "Geheimweg" not in written and "N 9" not in written
    assert "Wöhlk" not in written  # the non-public Auszug's minutes
    (meeting,) = meetings_in(corpus).values()
    assert [i.number for i in meeting.items][-1] == "Ö 8"


# ---------------------------------------------------------------- to020


def test_auszug_items_without_a_paper_become_items_of_their_meetings(tmp_path: Path):
    corpus = tmp_path / "corpus"
    for district in DISTRICTS:
        result = run(
            "allris-html",
            page(district, "to020"),
            "--council",
            council_of(district),
            "--corpus",
            corpus,
        )
        assert result.exit_code == 0, result.output
        assert "meetings: 1 created" in result.stdout
    assert "the agenda item has no paper" not in result.output
    found = meetings_in(corpus)
    items = {key: [(i.number, i.title, i.papers) for i in m.items] for key, m in found.items()}
    assert items == {
        "hamburg-altona/2025-03-03-mobilitaetsausschuss": [
            (
                "Ö 2.1",
                "Geparkte Kfz auf dem Marktplatz Blankenese Eingabe vom 19.01.2025",
                ["22-0621"],
            )
        ],
        "hamburg-bergedorf/2025-03-03-fachausschuss-fuer-sport-und-bildung": [
            (
                "Ö 3",
                "Aktuelle Arbeit, zukünftige Ziele, Hürden und Lösungen des Atlantik 97 "
                "e.V. als Sportverein",
                [],
            )
        ],
        "hamburg-eimsbuettel/2025-03-05-mobilitaet": [
            (
                "Ö 1",
                "Allgemeine Geschäftsordnungsangelegenheiten / Festlegung der Stimmberechtigungen",
                [],
            )
        ],
        "hamburg-hamburg-mitte/2025-01-09-ausschuss-fuer-sozialraumentwicklung": [
            ("Ö 1", "Begrüßung und öffentliche Fragestunde", [])
        ],
        "hamburg-hamburg-nord/2025-03-05-haushaltsausschuss": [
            ("Ö 2", "Genehmigung der Niederschrift vom 05.02.2025", [])
        ],
    }
    nord = found["hamburg-hamburg-nord/2025-03-05-haushaltsausschuss"]
    assert (nord.committee, nord.name, nord.start, nord.end) == (
        "Haushaltsausschuss",
        "Sitzung des Haushaltsausschusses",
        "18:00",
        "18:20",
    )
    assert nord.place == (
        "Technisches Rathaus 2. OG, Raum 246 Konferenzraum, Kümmellstr. 6, 20249 Hamburg"
    )
    assert nord.source.id == "SILFDNR=1003234"
    # an item's Protokoll is its part of the minutes
    assert nord.minutes == (
        "### Ö 2 Genehmigung der Niederschrift vom 05.02.2025\n\n"
        "Die Niederschrift vom 05.02.2025 wird einstimmig genehmigt."
    )
    # the committee as the Auszug names it (the paper pages' name), not the meeting's name
    assert found["hamburg-eimsbuettel/2025-03-05-mobilitaet"].committee == "Mobilität"
    # the paper's Auszug still adds its consultation to the paper, its minutes stay there
    assert (corpus / "hamburg-altona" / "2025" / "22-0621.md").exists()
    assert not found["hamburg-altona/2025-03-03-mobilitaetsausschuss"].minutes


def test_an_item_with_a_resolution_and_votes(tmp_path: Path):
    corpus = tmp_path / "corpus"
    result = run(
        "allris-html",
        bergedorf_item(tmp_path),
        "--council",
        "hamburg-bergedorf",
        "--corpus",
        corpus,
    )
    assert result.exit_code == 0, result.output
    (meeting,) = meetings_in(corpus).values()
    (item,) = meeting.items
    assert item.number == "Ö 3"
    assert item.resolution == (
        "Der Fachausschuss bittet die Behörde, im ersten Quartal 2026 erneut zu berichten."
    )
    assert (item.votes.yes, item.votes.no, item.votes.abstain) == (11, 0, 2)
    assert item.result == "Der Ausschuss stimmt mehrheitlich zu"
    assert meeting.minutes.startswith("### Ö 3 Förderung und Unterstützung von Schülerinnen")
    assert "Herr Pape und Herr Rommel berichten" in meeting.minutes


# ---------------------------------------------------------------- both orders, again, edits


def both_sides(tmp_path: Path) -> list[tuple[str, list[Path]]]:
    """Per district its agenda and Auszug pages, with an Auszug of an item of its agenda
    (Bergedorf: no paper; Altona: a paper) besides the real one."""
    extra = {"bergedorf": [bergedorf_item(tmp_path)], "altona": [altona_paper_item(tmp_path)]}
    return [
        (council_of(d), [page(d, "to010"), page(d, "to020"), *extra.get(d, [])]) for d in DISTRICTS
    ]


def import_all(corpus: Path, districts: list[tuple[str, list[Path]]], reverse: bool) -> None:
    for council, pages in districts:
        ordered = list(reversed(pages)) if reverse else pages
        result = run("allris-html", *ordered, "--council", council, "--corpus", corpus)
        assert result.exit_code == 0, result.output


def test_either_order_gives_the_same_meeting_files(tmp_path: Path):
    districts = both_sides(tmp_path)
    import_all(tmp_path / "agenda-first", districts, reverse=False)
    import_all(tmp_path / "auszug-first", districts, reverse=True)
    first, second = (
        meeting_bytes(tmp_path / "agenda-first"),
        meeting_bytes(tmp_path / "auszug-first"),
    )
    assert len(first) == 10
    assert first == second
    found = meetings_in(tmp_path / "agenda-first")
    bergedorf = found["hamburg-bergedorf/2025-11-03-fachausschuss-fuer-sport-und-bildung"]
    assert len(bergedorf.items) == 7  # the Auszug's item is the agenda's Ö 3, merged
    talk = bergedorf.items[2]
    assert talk.note.startswith("Referentinnen der Behörde")  # from the agenda
    assert (talk.votes.yes, talk.resolution[:17]) == (11, "Der Fachausschuss")  # the Auszug's
    assert (bergedorf.start, bergedorf.end) == ("18:00", "19:42")  # the agenda leads
    altona = found["hamburg-altona/2025-11-03-mobilitaetsausschuss"]
    eingabe = altona.items[2]
    assert (eingabe.number, eingabe.papers, eingabe.result) == (
        "Ö 2.1",
        ["22-1471"],
        "zur Kenntnis genommen",
    )
    assert len(altona.items) == 20


def test_a_second_run_changes_nothing_and_an_edit_is_a_conflict(tmp_path: Path):
    corpus = tmp_path / "corpus"
    districts = both_sides(tmp_path)
    import_all(corpus, districts, reverse=False)
    before = meeting_bytes(corpus)
    council, pages = districts[1]  # bergedorf: two meetings, three pages
    again = run("allris-html", *pages, "--council", council, "--corpus", corpus)
    assert again.exit_code == 0
    assert "meetings: 0 created, 0 updated, 3 unchanged, 0 conflicts, 0 skipped" in again.stdout
    assert meeting_bytes(corpus) == before
    path = corpus / council / "meetings" / "2025-11-03-fachausschuss-fuer-sport-und-bildung.md"
    edited = path.read_text(encoding="utf-8").replace("Verschiedenes", "Verschiedenes (Archiv)")
    path.write_text(edited, encoding="utf-8")
    conflict = run("allris-html", *pages, "--council", council, "--corpus", corpus)
    assert conflict.exit_code == 1
    assert f"{path} was edited since the last import; left alone (--force overwrites)" in (
        conflict.stderr
    )
    assert "2 unchanged, 1 conflict, 0 skipped" in conflict.stdout
    assert path.read_text(encoding="utf-8") == edited
    forced = run("allris-html", *pages, "--council", council, "--corpus", corpus, "--force")
    assert forced.exit_code == 0
    assert "meetings: 0 created, 1 updated, 2 unchanged" in forced.stdout
    assert meeting_bytes(corpus) == before
    check = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert check.exit_code == 0, check.output
    assert "0 problems" in check.output


# ---------------------------------------------------------------- si010


def test_the_calendar_gives_planned_and_held_meetings(tmp_path: Path):
    corpus = tmp_path / "corpus"
    run_ = MeetingImport()
    report = import_pages(
        [str(page("hamburg_nord", "si010_e"))],
        corpus,
        council="hamburg-nord",
        meetings=run_,
        today="2023-10-08",
    )
    assert report.ok and run_.report.ok
    assert run_.closed_meetings == 1  # "(nichtöffentlich)": never written
    assert run_.summary() == (
        "meetings: 13 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped in council "
        "hamburg-nord (1 non-public meeting left out)"
    )
    found = {m.id: m for m in meetings_in(corpus).values()}
    assert len(found) == 13
    haushalt = found["2023-10-04-haushaltsausschuss"]
    assert (haushalt.committee, haushalt.start, haushalt.end, haushalt.place, haushalt.status) == (
        "Haushaltsausschuss",
        "18:00",
        "18:38",
        "Großer Sitzungssaal",
        HELD,
    )
    assert haushalt.source.id == "SILFDNR=1002655"
    assert found["2023-10-05-stadtentwicklungsausschuss"].status == CANCELLED  # ENTFÄLLT!
    assert found["2023-10-05-stadtentwicklungsausschuss"].name == (
        "Sitzung des Stadtentwicklungsausschusses"
    )
    assert found["2023-10-09-regionalausschuss-eppendorf-winterhude"].status == PLANNED
    assert found["2023-10-12-bezirksversammlung"].status == PLANNED
    assert found["2023-10-23-vergabeausschuss"].start == "17:00"
    assert "unterausschuss" not in " ".join(found)
    assert {m.status for m in found.values()} == {HELD, PLANNED, CANCELLED}
    # imported later, a past meeting is held; a second run on the same day changes nothing
    later = MeetingImport()
    import_pages(
        [str(page("hamburg_nord", "si010_e"))],
        corpus,
        council="hamburg-nord",
        meetings=later,
        today="2023-10-08",
    )
    assert "0 created, 0 updated, 13 unchanged" in later.summary()
    result = run(
        "allris-html",
        page("hamburg_nord", "si010_e"),
        "--council",
        "hamburg-nord",
        "--corpus",
        corpus,
    )
    assert result.exit_code == 0, result.output
    assert "meetings: 0 created, 10 updated, 3 unchanged" in result.stdout
    assert {m.status for m in meetings_in(corpus).values()} == {HELD, CANCELLED}


@pytest.mark.parametrize(
    ("name", "committee"),
    [
        ("Sitzung des Haushaltsausschusses", "Haushaltsausschuss"),
        ("Sitzung der Bezirksversammlung", "Bezirksversammlung"),
        ("Sitzung des Vorstandes CDU-Fraktion", "Vorstand CDU-Fraktion"),
        ("9. Sitzung des Ausschusses für Soziales", "Ausschuss für Soziales"),
        ("Konstituierende Sitzung des Ortsbeirats Mitte", "Ortsbeirat Mitte"),
        ("Sitzung des Gemeinsamen Ausschusses", "Gemeinsamer Ausschuss"),
        ("Sitzung des (FOLAG) Unterausschusses Bau", "(FOLAG) Unterausschuss Bau"),
        ("Haushaltsausschuss", "Haushaltsausschuss"),
    ],
)
def test_a_committee_from_a_meeting_name(name: str, committee: str):
    assert committee_from_name(name) == committee
    assert committee_from_name(name, {name: "Mobilität"}) == "Mobilität"


def test_the_calendar_takes_a_committee_named_by_an_earlier_page(tmp_path: Path):
    calendar = derived(
        tmp_path,
        "si010_e.html",
        page("hamburg_nord", "si010_e"),
        ("Sitzung des Vergabeausschusses", "Sitzung des Ausschusses Mobilität"),
    )
    corpus = tmp_path / "corpus"
    for source in (page("eimsbuettel", "to020"), calendar):  # the Auszug names "Mobilität"
        result = run("allris-html", source, "--council", "hamburg", "--corpus", corpus)
        assert result.exit_code == 0, result.output
    committees = {m.id: m.committee for m in meetings_in(corpus).values()}
    assert committees["2023-10-09-mobilitaet"] == "Mobilität"
    assert committees["2023-10-23-mobilitaet"] == "Mobilität"


# ---------------------------------------------------------------- Lübeck's Niederschrift

NIEDERSCHRIFT = """Zum Inhalt springen
Hansestadt Lübeck
Bürgerinformationssystem
Startseite
Gremien
Sitzungskalender
Vorlagen
Recherche
Sie sind hier: Startseite > Sitzungen > Tagesordnung > Auszug
Auszug - Importierte Niederschrift\u00a0\u00a0

9. Sitzung des Ausschusses für Soziales
TOP: Ö 1
Gremium: Ausschuss für Soziales Beschlussart: (offen)
Datum: Di, 07.05.2024 Status: öffentlich/nichtöffentlich
Zeit: 16:00 - 20:39 Anlass: Sitzung
Raum: Großer Sitzungssaal (Haus Trave 7.OG)
Ort: Verwaltungszentrum Mühlentor
\u00a0
Wortprotokoll

Niederschrift
über die 9. Sitzung des Ausschusses für Soziales
am Dienstag, 07.05.2024, 16:00 bis 20:39 Uhr

Anwesend:
Vorsitz: Frau Beispiel (SPD & FW)
Mitglieder: Herr Muster (CDU), Frau Probe (Linke & GAL)
\u00a0
Öffentlicher Teil
Ö 1 Eröffnung, Feststellung der Beschlussfähigkeit und der Tagesordnung
Die Vorsitzende eröffnet die Sitzung um 16:00 Uhr und stellt die Beschlussfähigkeit fest.
Beschluss:
Die Tagesordnung wird mit den Ergänzungen genehmigt.
Abstimmungsergebnis
Ja-Stimmen: 15 / Nein-Stimmen: 0 / Enthaltungen: 0
Ö 7.2 VO/2024/12903-01 SPD & FW, Linke & GAL: AT Quartiere stärken - Lebenswelten gestalten
Beratung siehe TOP 4.2
Ja-Stimmen: 7 / Nein-Stimmen: 8
Der Antrag wurde mehrheitlich abgelehnt.
Nichtöffentlicher Teil
N 9.1 Personalangelegenheit
Die Mitglieder beraten über die Geheimsache Stellenbesetzung.
Wiederherstellung der Öffentlichkeit
Die Vorsitzende schließt die Sitzung um 20:39 Uhr.
gez. Beispiel (Vorsitzende)   gez. Muster (Protokoll)
"""


def test_the_niederschrift_page_is_read_whole():
    record = read_auszug_text(NIEDERSCHRIFT, "niederschrift.txt")
    assert record.title_line == "Importierte Niederschrift"
    assert (record.agenda_item, record.committee, record.decision) == (
        "Ö 1",
        "Ausschuss für Soziales",
        "(offen)",
    )
    assert record.meeting == "9. Sitzung des Ausschusses für Soziales"
    assert (record.time, record.room) == ("16:00 - 20:39", "Großer Sitzungssaal (Haus Trave 7.OG)")
    assert record.minutes.startswith("Niederschrift\nüber die 9. Sitzung")
    assert "Beschluss:\nDie Tagesordnung wird" in record.minutes  # not cut into sections
    assert record.resolution == "" and record.paper_line == ""


def test_navigation_before_an_auszug_is_skipped():
    seed = SEED.read_text(encoding="utf-8")
    navigation = NIEDERSCHRIFT[: NIEDERSCHRIFT.index("Auszug - ")]
    assert read_auszug_text(navigation + seed, "x.txt") == read_auszug_text(seed, "x.txt")


def test_the_niederschrift_becomes_the_minutes_of_its_meeting(tmp_path: Path):
    text = tmp_path / "niederschrift.txt"
    text.write_text(NIEDERSCHRIFT, encoding="utf-8")
    corpus, other = tmp_path / "corpus", tmp_path / "other"
    first = run("allris", SEED, text, "--council", "luebeck", "--corpus", corpus)
    assert first.exit_code == 0, first.output
    assert "imported 2 files: 1 created" in first.stdout
    assert (
        "meetings: 1 created, 1 updated, 0 unchanged, 0 conflicts, 0 skipped in council "
        "luebeck (1 non-public agenda item left out)" in first.stdout
    )
    (meeting,) = meetings_in(corpus).values()
    assert meeting.id == "2024-05-07-ausschuss-fuer-soziales"
    assert (meeting.start, meeting.end) == ("16:00", "20:39")
    assert meeting.place == "Großer Sitzungssaal (Haus Trave 7.OG), Verwaltungszentrum Mühlentor"
    # the seed's item; the Niederschrift's own TOP Ö 1 is no agenda item
    assert [(i.number, i.papers, i.result) for i in meeting.items] == [
        ("Ö 7.2", ["VO/2024/12903-01"], "abgelehnt")
    ]
    assert (meeting.items[0].votes.yes, meeting.items[0].votes.no) == (7, 8)
    assert meeting.minutes.startswith("Niederschrift\n\nüber die 9. Sitzung")
    assert "Die Vorsitzende schließt die Sitzung um 20:39 Uhr." in meeting.minutes
    written = "".join(p.read_text(encoding="utf-8") for p in corpus.rglob("*.md"))
    assert "Geheimsache" not in written and "Personalangelegenheit" not in written
    assert "Importierte Niederschrift" not in written
    # the other order gives the same file; a second run changes nothing
    assert run("allris", text, SEED, "--council", "luebeck", "--corpus", other).exit_code == 0
    assert meeting_bytes(other) == meeting_bytes(corpus)
    again = run("allris", SEED, text, "--council", "luebeck", "--corpus", corpus)
    assert "meetings: 0 created, 0 updated, 2 unchanged" in again.stdout
    check = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert check.exit_code == 0, check.output


def test_an_auszug_text_without_a_paper_becomes_an_item(tmp_path: Path):
    seed = SEED.read_text(encoding="utf-8")
    start, end = seed.index("VO/2024/12903-01 SPD"), seed.index("Wortprotokoll")
    item = tmp_path / "ohne-vorlage.txt"
    item.write_text(
        seed[:start]
        .replace(
            "Auszug - SPD & FW, Linke & GAL: AT Quartiere stärken - Lebenswelten gestalten",
            "Auszug - Bericht der Verwaltung",
        )
        .replace("Ö\u00a07.2", "Ö 3")  # the seed's TOP has a non-breaking space
        + "Status: öffentlich\n"
        + seed[end:],
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus"
    result = run("allris", item, "--council", "luebeck", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "imported 1 file: 0 created" in result.stdout
    assert (
        f"created {corpus / 'luebeck' / 'meetings' / '2024-05-07-ausschuss-fuer-soziales.md'}"
        in (result.stdout)
    )
    (meeting,) = meetings_in(corpus).values()
    (top,) = meeting.items
    assert (top.number, top.title, top.papers, top.result) == (
        "Ö 3",
        "Bericht der Verwaltung",
        [],
        "abgelehnt",
    )
    assert top.resolution.startswith("Die Fraktionen SPD & FW, Linke & GAL sehen die Notwendigkeit")
    assert (top.votes.yes, top.votes.no) == (7, 8)
    assert meeting.minutes == "### Ö 3 Bericht der Verwaltung\n\nBeratung siehe Top 4.2"
    # the whole Niederschrift replaces the items' parts, and is not added to: either order
    niederschrift = tmp_path / "niederschrift.txt"
    niederschrift.write_text(NIEDERSCHRIFT, encoding="utf-8")
    assert run("allris", niederschrift, "--council", "luebeck", "--corpus", corpus).exit_code == 0
    other = tmp_path / "other"
    result = run("allris", niederschrift, item, "--council", "luebeck", "--corpus", other)
    assert result.exit_code == 0, result.output
    assert meeting_bytes(other) == meeting_bytes(corpus)
    (meeting,) = meetings_in(corpus).values()
    assert meeting.minutes.startswith("Niederschrift\n\nüber die 9. Sitzung")
    assert "### Ö 3" not in meeting.minutes
    assert [i.number for i in meeting.items] == ["Ö 3"]
