"""Hostile files: each ends as FAILED (or a safe NONE) with a clear reason, in bounded time.

Nothing here may raise or take the test process down: the PDF is parsed in the limited
worker process of ``archive.extraction.extract``.
"""

from __future__ import annotations

import time
import zipfile
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF

from archive.extraction import ExtractionLimits, extract_file
from archive.extraction.worker import render_scale
from archive.files import FAILED, LAYER, NONE
from tests.generated_pdfs import write_pdf


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (1-based; object 1 is the catalog) with a correct xref."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def timed(path: Path, **options) -> tuple:
    start = time.perf_counter()
    got = extract_file(path, **options)
    return got, time.perf_counter() - start


def fpdf_with(text: str, **encryption) -> FPDF:
    pdf = FPDF()
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text=text)
    return pdf


def test_truncated_pdf_fails_as_unreadable(shared_data: Path, tmp_path: Path) -> None:
    whole = (shared_data / "pdf" / "koeln_wortprotokoll-rat_2021-08-23.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 2])
    got, seconds = timed(cut)
    assert got.status == FAILED and got.pages == []
    assert got.reason.startswith("not a readable PDF") and seconds < 10


def test_user_password_pdf_fails_as_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "secret.pdf"
    fpdf_with("Geheimer Beschluss", owner_password="o", user_password="u").output(str(path))
    got, _ = timed(path)
    assert got.status == FAILED and got.reason == "encrypted PDF (needs a password)"


def test_owner_password_only_pdf_is_read(tmp_path: Path) -> None:
    path = tmp_path / "owner.pdf"
    fpdf_with("Offener Beschluss der Verwaltung", owner_password="o").output(str(path))
    got, _ = timed(path)
    assert got.status == LAYER and "Offener Beschluss der Verwaltung" in got.pages[0]


@pytest.mark.parametrize("media_type", ["application/pdf", ""])
def test_html_named_pdf_fails_naming_html(tmp_path: Path, media_type: str) -> None:
    path = tmp_path / "vorlage.pdf"
    path.write_bytes(b"<!DOCTYPE html><html><body>Sitzung nicht gefunden</body></html>")
    got, _ = timed(path, media_type=media_type)
    assert got.status == FAILED and "an HTML page" in got.reason
    assert ("served as application/pdf" in got.reason) == bool(media_type)


def test_zip_served_as_pdf_fails_naming_zip(tmp_path: Path) -> None:
    path = tmp_path / "anlage.pdf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    got, _ = timed(path, media_type="application/pdf")
    assert got.status == FAILED
    assert got.reason == "not a PDF: served as application/pdf but is a ZIP archive (or an " \
        "Office document)"  # fmt: skip


def test_empty_file_fails_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "leer.pdf"
    path.write_bytes(b"")
    got, _ = timed(path, media_type="application/pdf")
    assert got.status == FAILED and got.reason == "the file is empty"


def many_pages(path: Path, count: int, drawn: bool = False) -> Path:
    """``count`` blank pages; ``drawn``: each with a grey box (rendered for OCR, as a scan)."""
    kids = b" ".join(b"%d 0 R" % (n + 3) for n in range(count))
    pages = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids)
    if not drawn:
        page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
        path.write_bytes(raw_pdf([CATALOG, pages, *[page] * count]))
        return path
    box = b"0.5 g 50 50 495 742 re f"
    content = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(box), box)
    contents = b"/Contents %d 0 R" % (count + 3)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>" % contents
    path.write_bytes(raw_pdf([CATALOG, pages, *[page] * count, content]))
    return path


def test_thousands_of_pages_are_capped_with_a_warning(tmp_path: Path) -> None:
    path = many_pages(tmp_path / "many.pdf", 3000)
    got, seconds = timed(path, ocr=False, limits=ExtractionLimits(max_pages=50))
    assert got.page_count == 3000 and got.status == NONE
    assert got.warnings == ["3000 pages; only the first 50 were read"]
    assert seconds < 15


def test_wall_timeout_fails_naming_the_time(tmp_path: Path) -> None:
    path = many_pages(tmp_path / "many.pdf", 3000, drawn=True)  # rendering takes minutes
    got, seconds = timed(path, limits=ExtractionLimits(wall_seconds=1.0))
    assert got.status == FAILED and got.reason == "reading the PDF took over 1 s"
    assert seconds < 10


def test_subsecond_wall_timeout_names_its_limit(tmp_path: Path) -> None:
    got, _ = timed(
        many_pages(tmp_path / "many.pdf", 10), limits=ExtractionLimits(wall_seconds=0.05)
    )
    assert got.reason == "reading the PDF took over 0.05 s"


def test_huge_image_stays_within_the_pixel_budget(tmp_path: Path) -> None:
    data = zlib.compress(b"\0" * (1 << 20))
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(data), data)
    )
    content = b"q 14400 0 0 14400 0 0 cm /Im Do Q"
    objects = [
        CATALOG,
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] "
        b"/Resources << /XObject << /Im 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        image,
    ]
    path = tmp_path / "huge.pdf"
    path.write_bytes(raw_pdf(objects))
    scale = render_scale(14400, 14400, 300, 60_000_000)
    assert (14400 * scale) ** 2 <= 60_000_000 * 1.001
    got, seconds = timed(path, limits=ExtractionLimits(memory_bytes=1024**3))
    assert got.status in (NONE, FAILED) and got.reason and seconds < 60


def test_deep_nesting_is_read_safely(tmp_path: Path) -> None:
    depth = 300_000
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>"
    objects = [
        catalog,
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    path = tmp_path / "deep.pdf"
    path.write_bytes(raw_pdf(objects))
    got, seconds = timed(path, limits=ExtractionLimits(memory_bytes=512 * 1024**2))
    assert got.status in (NONE, FAILED) and got.reason and seconds < 30


def test_blank_pages_are_not_sent_to_ocr(tmp_path: Path) -> None:
    got, seconds = timed(many_pages(tmp_path / "blank.pdf", 500))
    assert got.status == NONE and got.page_count == 500 and got.ocr_pages == []
    assert seconds < 15


def test_after_a_worker_is_killed_the_next_file_is_read(tmp_path: Path) -> None:
    bomb = many_pages(tmp_path / "many.pdf", 3000, drawn=True)
    slow, _ = timed(bomb, limits=ExtractionLimits(wall_seconds=1.0))
    assert slow.status == FAILED

    good = extract_file(write_pdf(["Der Rat beschließt den Haushalt."], tmp_path / "ok.pdf"))

    assert good.status == LAYER and "Haushalt" in good.pages[0]
