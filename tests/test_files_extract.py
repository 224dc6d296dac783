"""``ratsarchiv files extract``: the texts of a corpus's fetched files, read once, kept safe."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import read_motion, write_motion
from archive.file_text import copy_path, read_pages, text_path
from archive.files import FileRecord
from archive.motion import Motion
from tests.generated_pdfs import write_pdf

ANTRAG = (
    "Antrag der Fraktion: Der Gemeinderat beschließt, an der Haltestelle Marktplatz "
    "überdachte Fahrradbügel aufzustellen."
)
BEGRUENDUNG = "Begründung: Die Radabstellanlagen am Marktplatz sind überlastet."


def _record(name: str, data: bytes, **changes: object) -> FileRecord:
    fields = {
        "name": name,
        "url": f"https://ratsinfo.example.de/{name}",
        "media_type": "application/pdf",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "fetched": "2026-12-03T18:51:02+00:00",
    }
    return FileRecord(**{**fields, **changes})  # type: ignore[arg-type]


def paper_with(corpus: Path, originals: dict[str, bytes], **changes: object) -> Path:
    """A paper whose files were fetched (copies beside it) but not read yet."""
    records = [_record(name, data, **changes) for name, data in originals.items()]
    motion = Motion(reference="VO/2024/7", title="Fahrradbügel", date="2024-05-07", files=records)
    path = write_motion(motion, corpus, corpus / "2024" / "vo-2024-7.md")
    for position, (record, data) in enumerate(zip(records, originals.values(), strict=True), 1):
        target = copy_path(path, position, record)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return path


def extract(corpus: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["files", "extract", "--corpus", str(corpus), *args])


@pytest.fixture
def text_pdf(tmp_path: Path) -> bytes:
    return write_pdf([ANTRAG, BEGRUENDUNG], tmp_path / "antrag.pdf").read_bytes()


def test_a_text_pdf_is_read_page_by_page_and_recorded(tmp_path: Path, text_pdf: bytes) -> None:
    corpus = tmp_path / "corpus"
    path = paper_with(corpus, {"Antrag.pdf": text_pdf})

    result = extract(corpus, "--no-ocr")

    assert result.exit_code == 0, result.output
    assert "1 extracted, 0 unchanged, 0 failed" in result.output
    record = read_motion(path).files[0]
    assert (record.text, record.pages, record.ocr_pages) == ("layer", 2, [])
    pages = read_pages(text_path(path, 1, record))
    assert "überdachte Fahrradbügel" in pages[0]
    assert "Radabstellanlagen" in pages[1] and "Radabstellanlagen" not in pages[0]


def test_a_second_run_reads_nothing_again(tmp_path: Path, text_pdf: bytes) -> None:
    corpus = tmp_path / "corpus"
    path = paper_with(corpus, {"Antrag.pdf": text_pdf})
    extract(corpus, "--no-ocr")
    before = path.read_bytes()

    again = extract(corpus, "--no-ocr")

    assert again.exit_code == 0
    assert "0 extracted, 1 unchanged" in again.output
    assert path.read_bytes() == before


def test_a_hand_corrected_text_is_kept_even_with_force(tmp_path: Path, text_pdf: bytes) -> None:
    corpus = tmp_path / "corpus"
    path = paper_with(corpus, {"Antrag.pdf": text_pdf})
    extract(corpus, "--no-ocr")
    stored = text_path(path, 1, read_motion(path).files[0])
    stored.write_text("Von Hand berichtigt.\n", encoding="utf-8")

    result = extract(corpus, "--no-ocr", "--force")

    assert "was corrected since the last import; left alone" in result.output
    assert stored.read_text(encoding="utf-8") == "Von Hand berichtigt.\n"


def test_a_broken_file_fails_alone_and_its_neighbour_is_read(
    tmp_path: Path, text_pdf: bytes
) -> None:
    corpus = tmp_path / "corpus"
    html = b"<!DOCTYPE html><html><body>Fehler 404</body></html>"
    path = paper_with(corpus, {"Fehlerseite.pdf": html, "Antrag.pdf": text_pdf})

    result = extract(corpus, "--no-ocr")

    assert result.exit_code == 1
    assert "vo-2024-7.md, file 1 (Fehlerseite.pdf): not a PDF" in result.output
    assert "1 extracted, 0 unchanged, 1 failed" in result.output
    broken, read = read_motion(path).files
    assert broken.text == "failed" and "HTML" in broken.reason
    assert read.text == "layer"
    assert not text_path(path, 1, broken).exists()


def test_a_file_not_fetched_yet_is_named(tmp_path: Path, text_pdf: bytes) -> None:
    corpus = tmp_path / "corpus"
    path = paper_with(corpus, {"Antrag.pdf": text_pdf})
    copy_path(path, 1, read_motion(path).files[0]).unlink()

    result = extract(corpus, "--no-ocr")

    assert "file 1 (Antrag.pdf): not fetched yet (ratsarchiv files fetch)" in result.output
    assert read_motion(path).files[0].text == "pending"


def test_a_file_marked_not_public_is_never_read(tmp_path: Path, text_pdf: bytes) -> None:
    corpus = tmp_path / "corpus"
    path = paper_with(corpus, {"Antrag.pdf": text_pdf}, public=False)

    result = extract(corpus, "--no-ocr")

    assert "0 extracted, 0 unchanged, 0 failed, 1 skipped" in result.output
    assert not text_path(path, 1, read_motion(path).files[0]).exists()


def test_a_scan_is_read_by_ocr_and_a_no_ocr_run_left_it_for_later(
    tmp_path: Path, shared_data: Path
) -> None:
    scan = shared_data / "pdf" / "koeln_anfrage-bv-porz_129244.pdf"
    corpus = tmp_path / "corpus"
    path = paper_with(corpus, {"Anfrage.pdf": scan.read_bytes()})

    skipped = extract(corpus, "--no-ocr")
    assert read_motion(path).files[0].reason == "no text layer; OCR skipped (--no-ocr)"
    assert skipped.exit_code == 0

    result = extract(corpus)

    assert result.exit_code == 0, result.output
    record = read_motion(path).files[0]
    assert record.text == "ocr" and record.ocr_pages
    text = " ".join(read_pages(text_path(path, 1, record)))
    reference = (shared_data / "pdf" / "groundtruth" / "koeln_129244.referenz.txt").read_text()
    words = [w for w in reference.split() if len(w) > 6 and w.isalpha()][:20]
    assert sum(w in text for w in words) >= 0.8 * len(words)


def test_without_tesseract_the_command_says_how_to_install_it(
    tmp_path: Path, text_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    paper_with(corpus, {"Antrag.pdf": text_pdf})
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    result = extract(corpus)

    assert result.exit_code == 1
    assert "apt-get install tesseract-ocr tesseract-ocr-deu" in result.output
    assert "--no-ocr" in result.output
    assert shutil.which("tesseract") is None
