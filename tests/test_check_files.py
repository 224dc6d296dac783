"""``ratsarchiv check`` on a paper's files: each problem as ``path:line: message``."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.checking import check_corpus
from archive.cli import main
from archive.corpus import render_motion, write_motion
from archive.file_text import copy_path, files_folder, text_path, write_pages
from archive.files import FileRecord
from archive.motion import Consultation, Motion

REPO = Path(__file__).resolve().parents[1]
PDF = REPO.parent / "shared" / "data" / "pdf"
ORIGINAL = b"%PDF-1.4\n% a stand-in for the original\n%%EOF\n"


def record(**changes: object) -> FileRecord:
    fields = {
        "name": "Anlage 1 Lageplan.pdf",
        "url": "https://ratsinfo.example.de/4711.pdf",
        "media_type": "application/pdf",
        "size": len(ORIGINAL),
        "sha256": hashlib.sha256(ORIGINAL).hexdigest(),
        "pages": 2,
        "text": "layer",
        "fetched": "2026-12-03T18:51:02Z",
    }
    return FileRecord(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    return root


def paper(*files: FileRecord) -> Motion:
    """A paper ``check`` has no other advice for."""
    decided = Consultation(committee="Hauptausschuss", date="2024-05-07", result="beschlossen")
    return Motion(
        reference="VO/2024/1",
        title="Spielplatz",
        date="2024-05-07",
        consultations=[decided],
        files=list(files),
    )


def save(corpus: Path, *files: FileRecord, texts: bool = True) -> Path:
    """A paper with ``files``, each with its text (two pages) and a copy of its original."""
    path = write_motion(paper(*files), corpus, corpus / "2024" / "vo-2024-1.md")
    for position, file in enumerate(files, 1):
        if texts and file.has_text:
            write_pages(text_path(path, position, file), ["Seite eins", "Seite zwei"])
        copy_path(path, position, file).parent.mkdir(exist_ok=True)
        copy_path(path, position, file).write_bytes(ORIGINAL)
    return path


def line_of(path: Path, text: str, after: str = "files:") -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(after)
    return next(i for i in range(start, len(lines)) if text in lines[i]) + 1


def problems(corpus: Path) -> tuple[list[str], list[str]]:
    report = check_corpus([corpus], corpus=corpus)
    return [str(e) for e in report.errors], [str(w) for w in report.warnings]


def test_a_paper_with_complete_files_is_clean(corpus: Path) -> None:
    save(corpus, record(), record(name="Noch nicht gelesen.pdf", text="pending", pages=None))
    assert problems(corpus) == ([], [])


def test_files_without_text_are_listed_for_the_archivist(corpus: Path) -> None:
    scan = record(name="Scan.pdf", text="failed", reason="encrypted PDF", pages=None)
    path = save(corpus, record(), scan, record(name="Bild.pdf", text="none"))
    errors, warnings = problems(corpus)
    assert errors == []
    assert warnings == [
        f"{path}:{line_of(path, 'text: failed')}: file 2 (Scan.pdf): reading it failed: "
        "encrypted PDF",
        f"{path}:{line_of(path, 'text: none')}: file 3 (Bild.pdf): no text found",
    ]
    result = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert result.exit_code == 0
    assert "warnings: 2 file without text" in result.output


def test_a_missing_text_is_an_error_on_the_records_line(corpus: Path) -> None:
    path = save(corpus, record(), texts=False)
    text = text_path(path, 1, record())
    line = line_of(path, "- name: Anlage 1 Lageplan.pdf")
    errors, _ = problems(corpus)
    assert errors == [
        f"{path}:{line}: file 1 (Anlage 1 Lageplan.pdf): its text {text} is missing (text: layer)"
    ]


def test_a_copy_with_the_wrong_sha256_or_size(corpus: Path) -> None:
    path = save(corpus, record())
    copy_path(path, 1, record()).write_bytes(ORIGINAL.replace(b"stand-in", b"forgery!"))
    errors, _ = problems(corpus)
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:{line_of(path, 'sha256:')}: file 1 ")
    assert "has sha256" in errors[0] and "not the recorded one" in errors[0]
    copy_path(path, 1, record()).write_bytes(ORIGINAL + b"more")
    errors, _ = problems(corpus)
    assert f"{path}:{line_of(path, 'size:')}: " in errors[0]
    assert f"has {len(ORIGINAL) + 4} bytes, size says {len(ORIGINAL)}" in errors[0]


def test_a_text_whose_pages_do_not_match_the_record(corpus: Path) -> None:
    path = save(corpus, record(pages=3))
    errors, _ = problems(corpus)
    assert errors == [
        f"{path}:{line_of(path, 'pages: 3')}: file 1 (Anlage 1 Lageplan.pdf): its text "
        f"{text_path(path, 1, record())} has 2 pages (form feeds + 1), the record says pages: 3"
    ]


def test_a_text_that_is_not_utf8(corpus: Path) -> None:
    path = save(corpus, record())
    text = text_path(path, 1, record())
    text.write_bytes(b"Seite eins\n\fGr\xfcnfl\xe4che\n")
    errors, _ = problems(corpus)
    assert errors == [f"{text}:2: file text is not valid UTF-8 (offset 14)"]


def test_orphans_are_warnings(corpus: Path) -> None:
    path = save(corpus, record())
    stray = files_folder(path) / "7-alt.pdf.txt"
    stray.write_text("übrig\n", encoding="utf-8")
    lonely = corpus / "2024" / "vo-2024-9.files"
    lonely.mkdir()
    errors, warnings = problems(corpus)
    assert errors == []
    assert warnings == [
        f"{stray}:1: orphan: no record in {path.name}'s files points to it",
        f"{lonely}:1: orphan: there is no paper vo-2024-9.md for these files",
    ]


def test_a_text_beside_a_file_said_to_have_none(corpus: Path) -> None:
    path = save(corpus, record(text="none", pages=None))
    write_pages(text_path(path, 1, record()), ["alt"])
    _, warnings = problems(corpus)
    assert warnings == [
        f"{path}:{line_of(path, 'text: none')}: file 1 (Anlage 1 Lageplan.pdf): text is none, "
        f"but there is a text file {text_path(path, 1, record())}",
        f"{path}:{line_of(path, 'text: none')}: file 1 (Anlage 1 Lageplan.pdf): no text found",
    ]


def test_a_bad_status_fails_the_check_on_its_line(corpus: Path) -> None:
    path = save(corpus, record())
    path.write_text(
        path.read_text(encoding="utf-8").replace("text: layer", "text: gescannt"), "utf-8"
    )
    result = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert f"{path}:{line_of(path, 'text: gescannt')}: file 1: unknown text status" in result.output


def test_a_corpus_without_files_checks_as_before(corpus: Path) -> None:
    motion = paper()
    path = write_motion(motion, corpus, corpus / "2024" / "vo-2024-1.md")
    assert "files" not in path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == render_motion(motion)
    result = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert result.exit_code == 0
    assert result.output == "checked 1 file: 0 problems\n"


@pytest.mark.skipif(not PDF.is_dir(), reason="needs ../shared/data/pdf")
def test_the_record_of_a_real_pdf(corpus: Path) -> None:
    original = next(iter(sorted(PDF.glob("*.pdf"))))
    data = original.read_bytes()
    real = record(name=original.name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    path = save(corpus, real)
    copy_path(path, 1, real).write_bytes(data)
    assert problems(corpus) == ([], [])
