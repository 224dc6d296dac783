"""extract_file on what an archivist sees: text layers in reading order, scans read by OCR.

Real PDFs from ``../shared/data/pdf`` (SOURCES.tsv) and generated text PDFs
(``tests/generated_pdfs.py``); OCR runs on two small scans only (a few seconds).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from generated_pdfs import write_pdf

from archive.extraction import extract_file
from archive.extraction.garbage import layer_is_garbage, too_little_text
from archive.extraction.ocr import OcrError
from archive.extraction.worker import ocr_dpi, page_text
from archive.files import LAYER, NONE, OCR

WORD = re.compile(r"\w+")
KARLSRUHE_LIKE = [
    "Beschlussvorlage 2024/0815\nGemeinderat der Stadt Karlsruhe\n"
    "Der Gemeinderat beschließt die Änderung der Gebührenordnung für Kindertagesstätten.\n"
    "Die Verwaltung wird beauftragt, über die Übergangsfrist zu berichten.",
    "Begründung\nDie Zuschüsse für Straßenbäume in der Südweststadt werden erhöht.\n"
    "Größere Maßnahmen folgen im Haushaltsjahr 2025; die Bürgerbeteiligung läuft.",
    "Finanzielle Auswirkungen\nJährliche Kosten: 45.000 Euro (Ökologie, Grünflächenamt).",
]


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def flat(text: str) -> str:
    return " ".join(text.split())


def recall(reference: str, text: str) -> float:
    """The share of the reference's words (as a multiset, lowercased) found in ``text``."""
    ref, got = Counter(words(reference)), Counter(words(text))
    return sum(min(n, got[w]) for w, n in ref.items()) / sum(ref.values())


@pytest.fixture(scope="module")
def pdfs(shared_data: Path) -> Path:
    return shared_data / "pdf"


def test_generated_text_pdf_round_trips_with_umlauts(tmp_path: Path) -> None:
    path = write_pdf(KARLSRUHE_LIKE, tmp_path / "vorlage.pdf")
    got = extract_file(path)
    assert got.status == LAYER and got.ocr_pages == []
    assert got.page_count == len(got.pages) == 3
    for page, text in zip(got.pages, KARLSRUHE_LIKE, strict=True):
        assert words(page) == words(text)
    assert "Südweststadt" in got.pages[1] and "Größere Maßnahmen" in got.pages[1]


HYPHENATED = "Die Verkehrs-\nplanung der Stadt sieht Radwege vor und die Kinder-\nund Jugendhilfe."


def test_line_end_hyphenation_is_joined(tmp_path: Path) -> None:
    got = extract_file(write_pdf([HYPHENATED], tmp_path / "h.pdf"))
    assert "Verkehrsplanung" in got.pages[0] and "Verkehrs-" not in got.pages[0]


def test_line_end_hyphen_before_und_is_kept(tmp_path: Path) -> None:
    got = extract_file(write_pdf([HYPHENATED], tmp_path / "h.pdf"))
    assert "Kinder- und Jugendhilfe" in flat(got.pages[0])


def test_wortprotokoll_sentence_crossing_the_column_break_reads_in_order(pdfs: Path) -> None:
    # Page 4: the left column ends "ihnen, da Afghanistan dafür bekanntermaßen zu", the right
    # one begins "gefährlich ist - nur nicht für die deutschen Solda-" (pdftotext -layout).
    got = extract_file(pdfs / "koeln_wortprotokoll-rat_2021-08-23.pdf", ocr=False)
    assert got.status == LAYER and got.page_count == 12
    page = flat(got.pages[3])
    assert (
        "Abgeschoben wurde keiner von ihnen, da Afghanistan dafür bekanntermaßen zu "
        "gefährlich ist - nur nicht für die deutschen Soldaten, die wir dorthin schicken."
    ) in page
    page9 = flat(got.pages[8])
    assert "Ich konnte schon in der Vergangenheit beobachten, wie Köln in solchen" in page9


def test_mannheim_sidebar_does_not_split_the_agenda(pdfs: Path) -> None:
    got = extract_file(pdfs / "mannheim_einladung-tagesordnung_betriebsausschuss-2013-02-21.pdf")
    assert got.status == LAYER and got.ocr_pages == []
    first = flat(got.pages[0])
    assert (
        "Darstellung der Wirkungsziele des Eigenbetriebs 70 - Abfallwirtschaft und "
        "Stadtreinigung für die Jahre 2014/2015 Beschlussvorlage V092/2013"
    ) in first
    assert "zur Sitzung des Betriebsausschusses Technische Betriebe am Donnerstag" in first
    assert "Mitglieder des Betriebsausschusses Technische Betriebe sowie deren" in first
    assert "Herr Lotsch Tel. 0621 / 293 - 9639" in first  # the sidebar stays in one piece


def test_koeln_scan_is_read_by_ocr(pdfs: Path) -> None:
    got = extract_file(pdfs / "koeln_anfrage-bv-chorweiler_345174.pdf")
    assert got.status == OCR and got.ocr_pages == [1] and got.page_count == 1
    reference = (pdfs / "groundtruth" / "koeln_345174.referenz.txt").read_text(encoding="utf-8")
    assert recall(reference, got.pages[0]) >= 0.85


def test_low_resolution_fax_scan_is_read_at_twice_its_resolution(pdfs: Path) -> None:
    """The 100-ppi Porz Anfrage is rendered at 200 dpi, not interpolated to 300, and reads
    better for it (91 % of the transcription's words at 300 dpi, 93 % at 200)."""
    path = pdfs / "koeln_anfrage-bv-porz_129244.pdf"
    document = pdfium.PdfDocument(str(path))
    assert ocr_dpi(document[0], 300) == 200
    assert ocr_dpi(document[0], 150) == 150  # never above the archivist's limit
    document.close()
    got = extract_file(path)
    reference = (pdfs / "groundtruth" / "koeln_129244.referenz.txt").read_text(encoding="utf-8")
    assert recall(reference, got.pages[0]) >= 0.92


def test_page_without_a_scan_image_is_rendered_at_the_full_resolution(tmp_path: Path) -> None:
    document = pdfium.PdfDocument(str(write_pdf(KARLSRUHE_LIKE[:1], tmp_path / "text.pdf")))
    assert ocr_dpi(document[0], 300) == 300
    document.close()


def test_stellungnahme_ocrs_its_image_pages_only(pdfs: Path) -> None:
    path = pdfs / "erlangen_stellungnahme-zu-beschlussvorlage-stub_2022-09-18.pdf"
    layer = extract_file(path, ocr=False)
    got = extract_file(path)
    assert got.status == OCR and got.page_count == 5
    assert 1 not in got.ocr_pages and {3, 4, 5} <= set(got.ocr_pages)
    assert got.pages[0] == layer.pages[0]
    assert "Stellungnahme zur Beschlussvorlage Ö23" in got.pages[0]


def test_stellungnahme_page_with_caption_over_an_image_is_ocrd(pdfs: Path) -> None:
    path = pdfs / "erlangen_stellungnahme-zu-beschlussvorlage-stub_2022-09-18.pdf"
    got = extract_file(path, jobs=1)
    assert 2 in got.ocr_pages and "Adenauerring" in got.pages[1]


def test_scan_without_ocr_is_none_naming_no_ocr(pdfs: Path) -> None:
    got = extract_file(pdfs / "koeln_anfrage-bv-porz_129244.pdf", ocr=False)
    assert got.status == NONE and got.pages == [] and got.page_count == 1
    assert "--no-ocr" in got.reason


def test_missing_tesseract_raises_ocr_error_saying_how_to_install(
    pdfs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Tesseract, extract_file raises OcrError (not FAILED): the machine, not the
    file, is at fault, and every other scan would fail the same way."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(OcrError) as raised:
        extract_file(pdfs / "koeln_anfrage-bv-porz_129244.pdf")
    message = str(raised.value)
    assert "tesseract not found" in message
    assert "apt-get install tesseract-ocr tesseract-ocr-deu" in message and "--no-ocr" in message
    text = extract_file(pdfs / "stuttgart_niederschrift-gemeinderat_EF323DF3.pdf")
    assert text.status == LAYER  # a text PDF needs no Tesseract


def _text_pages(pdfs: Path):
    for path in sorted(pdfs.glob("*.pdf")):
        document = pdfium.PdfDocument(str(path))
        try:
            for number in range(len(document)):
                page = document[number]
                text = page_text(page)
                page.close()
                if not too_little_text(text):
                    yield f"{path.name} p{number + 1}", text
        finally:
            document.close()


def test_no_real_text_page_is_taken_for_garbage(pdfs: Path) -> None:
    pages = dict(_text_pages(pdfs))
    assert len(pages) >= 60
    assert [name for name, text in pages.items() if layer_is_garbage(text)] == []


def test_a_misread_layer_is_garbage() -> None:
    misread = (
        "ı'\\;| e1n ,,Antr@g ~~ d3r %% Fr4kt10n ^^ 1l1 ]] zur S1tzvng d3s R4t3s "
        "B3z1rksv3rtr3tvng P0rz §§ ¦¦ W1e br3it mü5s3n R4dw3g3 s31n ??"
    )
    assert layer_is_garbage(misread)
    assert not layer_is_garbage(flat(KARLSRUHE_LIKE[0]))
