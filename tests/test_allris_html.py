"""ALLRIS classic HTML pages from five Hamburg district assemblies (ISO-8859-1, as served)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive.checking import check_corpus
from archive.cli import main
from archive.corpus import iter_motion_files, read_motion
from archive.errors import SourceError
from archive.importers.allris_html import (
    decode_page,
    parse_page,
    read_auszug_page,
    read_source,
    read_vorlage,
)
from archive.importers.normalise import normalise_auszug
from archive.motion import Motion

DISTRICTS = ("altona", "bergedorf", "eimsbuettel", "hamburg_mitte", "hamburg_nord")


@pytest.fixture(scope="module")
def hamburg(shared_data: Path) -> Path:
    return shared_data / "allris-hamburg"


def vorlage(hamburg: Path, district: str) -> Motion:
    return read_vorlage(read_source(str(hamburg / district / "vo020.html")))


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["import", "allris-html", *map(str, args)])


# ---------------------------------------------------------------- vo020


def test_vorlage_fields(hamburg: Path):
    motion = vorlage(hamburg, "altona")
    assert motion.reference == "22-2362"
    assert motion.title == (
        "Umleitung der Metrobuslinie 1 – Beschlussempfehlung des Mobilitätsausschusses"
    )
    assert motion.type == "Beschlussvorlage"
    assert motion.lead == "Geschäftsstelle der Bezirksversammlung"
    (consultation,) = motion.consultations
    assert consultation.committee == "Hauptausschuss"
    assert consultation.meeting == "Sitzung des Hauptausschusses"
    assert consultation.date == "2026-07-09" == motion.date
    assert consultation.note == "Status: Geplant"
    # Word exports split words into spans ("Mobilitä" + "tsausschuss"): joined again
    assert motion.reasons.startswith("Der Mobilitätsausschuss empfiehlt dem Hauptausschuss")
    assert "Sülldorfer Kirchenweg zu unterstützen." in motion.reasons
    assert motion.resolution == "Petitum:\n\nDer Hauptauschuss wird um Zustimmung gebeten."
    assert motion.body.startswith("## Anlagen\n\nAnlage:\n\nMitteilungsdrucksache 22-2076.1")
    assert "- 22-M2076.1 Metrobuslinie 1 - Anbindung des Marion Dönhoff" in motion.body
    assert motion.source.url == (
        "http://sitzungsdienst-altona.hamburg.de/bi/vo020.asp?VOLFDNR=1018473"
    )
    assert motion.source.id == "VOLFDNR=1018473"


def test_vorlage_authors_and_kinds(hamburg: Path):
    bergedorf = vorlage(hamburg, "bergedorf")
    assert bergedorf.type == "Anfrage"  # Auskunftsersuchen nach § 27 BezVG
    assert bergedorf.sponsors == ["Fraktion GRÜNE Bergedorf", "Fraktion DIE LINKE", "SPD-Fraktion"]
    assert bergedorf.resolution == ""  # only "Petitum/Beschluss:" and a rule
    assert [(c.committee, c.date) for c in bergedorf.consultations] == [
        ("Bezirksversammlung Bergedorf", "")
    ]
    nord = vorlage(hamburg, "hamburg_nord")
    assert nord.sponsors == ["Thorsten Schmidt", "Daniela Clément"]
    assert nord.type == "Antrag"
    # a table in the Petitum: one line per row
    assert "165 | Olmo e.V. | Wiederaufführung des dokumentarischen Theaterstücks" in (
        nord.resolution
    )
    assert nord.reasons == ""  # "Sachverhalt:" alone


def test_beratungsfolge_with_roles_and_meetings_as_text(hamburg: Path):
    motion = vorlage(hamburg, "eimsbuettel")
    assert motion.type == "Mitteilung"
    assert [(c.committee, c.meeting, c.date, c.note) for c in motion.consultations] == [
        (
            "Hauptausschuss",
            "Sitzung des Hauptausschusses",
            "2026-07-23",
            "Rolle: Kenntnisnahme; Status: Geplant",
        ),
        (
            "Regionalausschuss Lokstedt/Niendorf/Schnelsen",
            "Sitzung des Regionalausschusses Lokstedt/Niendorf/Schnelsen",
            "2026-08-31",
            "Rolle: Kenntnisnahme; Status: Geplant",
        ),
        ("Bezirksversammlung", "", "", "Rolle: Kenntnisnahme; Status: Bereit"),
    ]


@pytest.mark.parametrize("district", DISTRICTS)
@pytest.mark.parametrize("page", ["vo020", "to020"])
def test_the_same_page_saved_as_utf8_reads_the_same(hamburg: Path, district: str, page: str):
    raw = (hamburg / district / f"{page}.html").read_bytes()
    assert b"charset=iso-8859-1" in raw and "ü".encode("latin-1") in raw
    as_served = parse_page(raw, "latin-1")
    resaved = raw.decode("latin-1").encode("utf-8")  # meta still says iso-8859-1
    declared = resaved.replace(b"charset=iso-8859-1", b"charset=utf-8")
    for variant in (resaved, declared, b"\xef\xbb\xbf" + resaved):
        page_read = parse_page(variant, "utf-8")
        assert page_read.sections == as_served.sections
        assert page_read.fields() == as_served.fields()
    assert "Ã" not in str(as_served.fields()) + str(as_served.sections)


def test_decode_page_respects_the_declared_charset():
    latin = "<meta charset=iso-8859-1>Gebühr – 5 €".encode("cp1252")
    assert decode_page(latin).endswith("Gebühr – 5 €")
    assert decode_page("<meta charset=utf-8>Gebühr".encode()).endswith("Gebühr")
    koi8 = "<meta charset=koi8-r>Привет".encode("koi8-r")
    assert decode_page(koi8).endswith("Привет")


# ---------------------------------------------------------------- to020


def test_auszug_goes_through_the_shared_normaliser(hamburg: Path):
    record = read_auszug_page(read_source(str(hamburg / "altona" / "to020.html")))
    assert record.agenda_item == "Ö 2.1"
    assert record.committee == "Mobilitätsausschuss"
    assert record.decision == "zur Kenntnis genommen"
    assert record.paper_line == "22-0621 Geparkte Kfz auf dem Marktplatz Blankenese\n" + (
        "Eingabe vom 19.01.2025"
    )
    assert record.item_status == "öffentlich"
    assert record.outcome == "Der Ausschuss nimmt die Drucksache zur Kenntnis."
    motion = normalise_auszug(record)
    assert motion.reference == "22-0621"
    assert motion.title == "Geparkte Kfz auf dem Marktplatz Blankenese – Eingabe vom 19.01.2025"
    assert motion.type == "Vorlage"
    (consultation,) = motion.consultations
    assert (consultation.committee, consultation.date, consultation.result) == (
        "Mobilitätsausschuss",
        "2025-03-03",
        "zur Kenntnis genommen",
    )
    assert "## Wortprotokoll (Mobilitätsausschuss, 03.03.2025)" in motion.body
    assert "Eventuell handele es sich auch um Kirchgänger:innen." in motion.body


def test_a_non_public_agenda_item_is_not_imported(hamburg: Path):
    raw = (hamburg / "altona" / "to020.html").read_bytes()
    hidden = raw.replace("Ö&nbsp;2.1".encode("latin-1"), b"N&nbsp;2.1")
    with pytest.raises(SourceError, match="not public"):
        normalise_auszug(read_auszug_page(parse_page(hidden, "to020.html")))
    raw = (hamburg / "altona" / "vo020.html").read_bytes()
    hidden = raw.replace(
        '<td class="text3">öffentlich</td>'.encode("latin-1"),
        '<td class="text3">nichtöffentlich</td>'.encode("latin-1"),
    )
    assert hidden != raw
    with pytest.raises(SourceError, match="not public"):
        read_vorlage(parse_page(hidden, "vo020.html"))


def test_an_agenda_page_is_a_meeting_page(hamburg: Path):
    # agendas and calendars are meetings now (tests/test_allris_meetings.py)
    assert read_source(str(hamburg / "bergedorf" / "to010.html")).kind == "to010"
    assert read_source(str(hamburg / "hamburg_nord" / "si010_e.html")).kind == "si010"
    with pytest.raises(SourceError, match="not an ALLRIS classic page"):
        parse_page(b"<html><h1>Hallo</h1></html>", "x.html")


# ---------------------------------------------------------------- the command


def test_import_all_hamburg_pages(hamburg: Path, tmp_path: Path):
    corpus = tmp_path / "corpus"
    # the paper, Auszug and agenda pages (committee, faction and list pages are the meetings
    # issue's: the shared data gained them after this test was written)
    pages = sorted(p for p in hamburg.glob("*/*.html") if p.stem in ("vo020", "to020", "to010"))
    result = run(*pages, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "6 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped" in result.stdout
    # agendas and items without a paper were refused; now they are meetings (5 agendas,
    # 5 Auszüge of 5 other meetings: tests/test_allris_meetings.py)
    assert "meetings: 10 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped" in result.stdout
    assert "Traceback" not in result.output
    references = sorted(read_motion(p).reference for p in iter_motion_files(corpus))
    assert references == ["22-0621", "22-0916", "22-2362", "22-2368", "22-2402", "23-1862"]
    assert check_corpus([corpus], corpus=corpus).ok
    again = run(*pages, "--corpus", corpus)
    assert "0 created, 0 updated, 6 unchanged" in again.stdout
    first = run(*pages, "--limit", "2", "--corpus", tmp_path / "limited")
    assert first.exit_code == 0  # altona's to010 and to020 are the first pages
    assert "1 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped" in first.stdout
    assert "meetings: 2 created" in first.stdout


def test_vorlage_and_auszug_of_one_paper_share_a_file(hamburg: Path, tmp_path: Path):
    corpus = tmp_path / "corpus"
    assert run(hamburg / "altona" / "to020.html", "--corpus", corpus).exit_code == 0
    page = (hamburg / "altona" / "vo020.html").read_bytes()
    same_paper = tmp_path / "vo020.html"
    same_paper.write_bytes(page.replace(b"Drucksache - 22-2362", b"Drucksache - 22-0621"))
    for _ in range(2):  # the second time changes nothing
        result = run(same_paper, "--corpus", corpus)
        assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 1 unchanged" in result.stdout
    (path,) = iter_motion_files(corpus)
    motion = read_motion(path)
    assert [(c.committee, c.agenda_item) for c in motion.consultations] == [
        ("Mobilitätsausschuss", "Ö 2.1"),  # from the Auszug
        ("Hauptausschuss", ""),  # the Beratungsfolge of the Drucksache
    ]
    assert motion.reasons.startswith("Der Mobilitätsausschuss empfiehlt")
    assert "## Wortprotokoll (Mobilitätsausschuss, 03.03.2025)" in motion.body


@pytest.fixture
def served(hamburg: Path) -> Iterator[str]:
    handler = partial(SimpleHTTPRequestHandler, directory=str(hamburg))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_import_a_page_by_url(served: str, tmp_path: Path):
    corpus = tmp_path / "corpus"
    url = f"{served}/hamburg_nord/vo020.html"
    result = run(url, f"{served}/nowhere/vo020.html", "--corpus", corpus)
    assert "1 created" in result.stdout and "1 skipped" in result.stdout
    assert f"{served}/nowhere/vo020.html: HTTP 404" in result.stderr
    (path,) = iter_motion_files(corpus)
    motion = read_motion(path)
    assert motion.sponsors == ["Thorsten Schmidt", "Daniela Clément"]
    assert motion.source.url == url
