"""A paper's files: records in the front matter, texts beside the Markdown, hand edits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from archive.corpus import iter_motion_files, parse_motion, read_motion, render_motion, write_motion
from archive.errors import CorpusErrors
from archive.file_text import (
    edited_since_import,
    files_folder,
    parse_pages,
    read_pages,
    text_path,
    write_pages,
)
from archive.files import FileRecord, safe_name, stored_name
from archive.importers.corpus_writer import CorpusWriter, Outcome
from archive.motion import Motion

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "corpus" / "luebeck" / "2024" / "vo-2024-12903-01.md"

LAGEPLAN = FileRecord(
    name="Anlage 2 – Lageplan.pdf",
    url="https://ratsinfo.example.de/files/4711/Lageplan.pdf",
    media_type="application/pdf",
    size=48213,
    sha256="9f" * 32,
    pages=3,
    text="ocr",
    ocr_pages=[2, 3],
    fetched="2026-12-03T18:51:02Z",
)
SCAN = FileRecord(name="Scan.pdf", text="failed", reason="encrypted PDF (needs a password)")
PAGES = ["Seite 1: Der Lageplan\nzeigt den Spielplatz.", "", "Seite 3 —\n\nGrünfläche\n"]


def paper(*files: FileRecord) -> Motion:
    return Motion(
        reference="VO/2024/12903-01",
        title="Quartiere stärken",
        date="2024-05-07",
        council="luebeck",
        files=list(files),
    )


def test_motion_with_files_round_trips_to_the_same_bytes(tmp_path: Path) -> None:
    text = render_motion(paper(LAGEPLAN, SCAN))
    back = parse_motion(text, tmp_path / "x.md", "luebeck")
    assert back.files == [LAGEPLAN, SCAN]
    assert render_motion(back) == text
    assert "files:\n  - name: Anlage 2 – Lageplan.pdf\n" in text  # readable, one key a line


def test_a_motion_without_files_renders_as_before() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    motion = read_motion(SHIPPED, "luebeck")
    assert motion.files == []
    assert "files" not in motion.metadata()
    assert render_motion(motion) == text


def test_a_hand_written_record_needs_only_a_name(tmp_path: Path) -> None:
    text = render_motion(paper()).replace("source:", "files:\n  - name: Antrag.pdf\nsource:")
    motion = parse_motion(text, tmp_path / "x.md")
    assert motion.files == [FileRecord(name="Antrag.pdf")]
    assert motion.files[0].text == "pending"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("  - url: x", "file 1: missing name"),
        ("  - name: a.pdf\n    text: gescannt", "unknown text status 'gescannt'"),
        ("  - name: a.pdf\n    text: failed", "text is failed but no reason says why"),
        ("  - name: a.pdf\n    size: -3", "file 1: size: -3 is not a count"),
        ("  - name: a.pdf\n    pages: zwei", "file 1: pages: 'zwei' is not a count"),
        ("  - name: a.pdf\n    sha256: abc", "sha256 must be 64 hex digits"),
        ("  - name: a.pdf\n    media_type: PDF", "media_type 'PDF' is not a type"),
        ("  - name: a.pdf\n    fetched: gestern", "fetched 'gestern' is not a time"),
        ("  - name: a.pdf\n    fetched: 2024-05-07T09:30:00", "is not a time"),
        ("  - name: a.pdf\n    text: layer\n    ocr_pages: [1]", "text is not ocr"),
        ("  - name: a.pdf\n    text: ocr\n    pages: 2\n    ocr_pages: [3]", "page 3 > pages"),
        ("  - name: a.pdf\n    seiten: 3", "unknown key 'seiten'"),
    ],
)
def test_a_bad_record_is_an_error_on_its_line(tmp_path: Path, record: str, message: str) -> None:
    text = render_motion(paper()).replace("source:", f"files:\n{record}\nsource:")
    line = text.split("\n").index(record.split("\n")[-1]) + 1
    with pytest.raises(CorpusErrors) as caught:
        parse_motion(text, tmp_path / "x.md")
    [error] = caught.value.errors
    assert message in error.message
    assert error.line == line
    assert str(error).startswith(f"{tmp_path / 'x.md'}:{line}: ")


def test_stored_names_are_safe_and_keep_the_extension() -> None:
    assert stored_name(1, "Anlage 2 – Lageplan.pdf") == "1-anlage-2-lageplan.pdf"
    assert safe_name("Übersicht Straßen (Entwurf).PDF") == "uebersicht-strassen-entwurf.pdf"
    assert safe_name("../../etc/passwd") == "etc-passwd"
    assert safe_name("…") == "file"
    long = safe_name("x" * 300 + ".docx")
    assert len(long) == 80 and long.endswith(".docx")


def test_pages_survive_writing_and_reading(tmp_path: Path) -> None:
    motion_path = tmp_path / "luebeck" / "2024" / "vo-2024-12903-01.md"
    path = text_path(motion_path, 2, LAGEPLAN)
    assert path == tmp_path / "luebeck/2024/vo-2024-12903-01.files/2-anlage-2-lageplan.pdf.txt"
    write_pages(path, PAGES)
    assert read_pages(path) == PAGES
    assert path.read_text(encoding="utf-8").count("\f") == 2
    assert not list(path.parent.glob(".*.tmp"))  # atomic: no temp file left


def test_an_editor_that_drops_the_last_line_end_changes_no_page() -> None:
    assert parse_pages("eins\n\fzwei") == parse_pages("eins\n\fzwei\n") == ["eins", "zwei"]
    assert parse_pages("eins\r\n\fzwei\r\n") == ["eins", "zwei"]


def test_file_texts_are_not_taken_for_motions(tmp_path: Path) -> None:
    motion = paper(FileRecord(name="Protokoll.md", text="layer"))
    path = write_motion(motion, tmp_path, tmp_path / "luebeck" / "2024" / "vo-2024-12903-01.md")
    folder = files_folder(path)
    write_pages(folder / "1-protokoll.md.txt", ["# Protokoll"])
    (folder / "1-protokoll.md").write_text("# Protokoll\n", encoding="utf-8")  # a kept copy
    assert list(iter_motion_files(tmp_path)) == [path]


def test_edited_since_import(tmp_path: Path) -> None:
    path = tmp_path / "1-a.pdf.txt"
    assert not edited_since_import(path, None)  # nothing there: nothing to lose
    written = write_pages(path, PAGES)
    assert not edited_since_import(path, written)
    path.write_text(path.read_text(encoding="utf-8").replace("Grünfläche", "Grünfl."), "utf-8")
    assert edited_since_import(path, written)
    assert edited_since_import(path, None, "another text")


def test_a_reimport_reports_a_hand_corrected_text_as_conflict(tmp_path: Path) -> None:
    path = text_path(tmp_path / "default" / "2024" / "vo-1.md", 1, LAGEPLAN)
    with CorpusWriter(tmp_path) as writer:
        assert writer.save_text(path, PAGES) is Outcome.CREATED
        assert writer.save_text(path, PAGES) is Outcome.UNCHANGED
        assert writer.save_text(path, [*PAGES, "Seite 4"]) is Outcome.UPDATED
    corrected = read_pages(path)
    corrected[0] = "Seite 1: Der Lageplan zeigt den Spielplatz."
    write_pages(path, corrected)
    with CorpusWriter(tmp_path) as writer:  # a later run reads the recorded state
        assert writer.save_text(path, PAGES) is Outcome.CONFLICT
        assert "corrected since the last import" in (writer.last_reason or "")
    assert read_pages(path) == corrected  # the archivist's text is kept
    with CorpusWriter(tmp_path, force=True) as writer:
        assert writer.save_text(path, PAGES) is Outcome.UPDATED
    assert read_pages(path) == PAGES


def test_the_writer_saves_a_motion_with_its_files(tmp_path: Path) -> None:
    motion = replace(paper(LAGEPLAN), council="")
    with CorpusWriter(tmp_path) as writer:
        outcome, path = writer.save(motion)
        assert outcome is Outcome.CREATED and path is not None
        assert writer.save(motion)[0] is Outcome.UNCHANGED
    assert read_motion(path).files == [LAGEPLAN]


def test_a_killed_write_of_a_text_leaves_nothing_behind(tmp_path: Path) -> None:
    path = text_path(tmp_path / "default" / "2024" / "vo-1.md", 1, LAGEPLAN)
    with CorpusWriter(tmp_path) as writer:
        writer.save_text(path, PAGES)
    half = path.parent / f".{path.name}.99999999.k1ll.tmp"  # a dead writer's temp file
    half.write_text("Seite 1: Der La", encoding="utf-8")
    with CorpusWriter(tmp_path) as writer:  # the next run clears it up
        assert writer.save_text(path, PAGES) is Outcome.UNCHANGED
    assert not half.exists()
    assert read_pages(path) == PAGES


def test_the_json_shape_keeps_the_files() -> None:
    """The index stores a paper as its ``to_dict`` and reads it back with ``from_dict``."""
    motion = paper(LAGEPLAN, SCAN)
    assert Motion.from_dict(motion.to_dict()) == motion
    assert motion.to_dict()["files"][0]["ocr_pages"] == [2, 3]
