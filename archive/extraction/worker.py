"""The PDF worker: parses one PDF in a process of its own, under limits.

``python -m archive.extraction.worker PDF OUTDIR MAX_PAGES DPI MAX_PIXELS OCR`` reads the
text layer of every page (PDFium, through pypdfium2), and renders the pages whose layer is
empty or garbage to grayscale PNGs in ``OUTDIR`` for OCR. It prints one JSON object:
``{"pages": [...], "page_count": N, "needs_ocr": [1-based pages], "images": {page: png}}``,
or ``{"error": "reason"}``. With ``--serve`` it stays and answers one JSON line per
request (``archive.extraction.worker_pool``). The parent sets its memory limit and its
wall time per file, so a PDF bomb ends this process, not the importer.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from archive.extraction.garbage import layer_is_garbage, too_little_text

SOFT_HYPHEN_MARK = "\x02"
"""PDFium writes a line-end hyphen it joined as U+0002 (and drops the line end)."""


def page_text(page: Any) -> str:
    """A page's text layer (``page``: a pypdfium2 PdfPage), with ``\\n`` line ends."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_bounded()
    finally:
        textpage.close()
    # PDFium joins a line-end hyphen and its line break into one mark; give both back, so
    # the cleaner decides (``Verkehrs-\nplanung`` is joined, ``Kinder-\nund`` is kept)
    text = text.replace(SOFT_HYPHEN_MARK, "-\n")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def render_scale(width_pt: float, height_pt: float, dpi: int, max_pixels: int) -> float:
    """The render scale for ``dpi``, lowered so the page stays within ``max_pixels``."""
    scale = dpi / 72
    pixels = width_pt * scale * height_pt * scale
    if pixels > max_pixels:
        scale *= math.sqrt(max_pixels / pixels)
    return scale


IMAGE_SHARE = 0.5
"""A page with little text whose images cover this share of it is a scan with a caption."""
CAPTION_LETTERS = 200


def image_share(page: Any) -> float:
    """The share of the page's area its image objects cover (overlaps counted twice)."""
    import pypdfium2 as pdfium

    width, height = page.get_size()
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        covered += max(0.0, right - left) * max(0.0, top - bottom)
    return covered / (width * height) if width and height else 0.0


def scan_resolution(page: Any) -> float | None:
    """The resolution (pixels per inch) of the page's largest image, None without one."""
    import pypdfium2 as pdfium

    largest, resolution = 0.0, None
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        area = max(0.0, right - left) * max(0.0, top - bottom)
        if area <= largest:
            continue
        try:
            pixels_wide, _ = obj.get_px_size()
        except pdfium.PdfiumError:
            continue
        largest, resolution = area, pixels_wide / ((right - left) / 72)
    return resolution


def ocr_dpi(page: Any, dpi: int) -> int:
    """The render resolution for OCR: twice a low-resolution scan's own, within
    ``[MIN_OCR_DPI, dpi]``. An integer factor keeps the scan's pixel grid, which Tesseract
    reads better than a 3× interpolation of a 100-ppi scan; pages without a scan image
    (a garbage layer over vector text) are rendered at ``dpi``."""
    native = scan_resolution(page)
    if native is None:
        return dpi
    return max(min(MIN_OCR_DPI, dpi), min(dpi, round(2 * native)))


MIN_OCR_DPI = 200


def needs_reading(page: Any, text: str) -> bool:
    """Whether a page must be read by OCR: it has (nearly) no text layer, or a garbage one,
    or only a caption over an image covering most of it. A page with no objects at all
    (blank) needs nothing."""
    if too_little_text(text):
        return any(True for _ in page.get_objects(max_depth=1))
    if layer_is_garbage(text):
        return True
    letters = sum(c.isalpha() for c in text)
    return letters < CAPTION_LETTERS and image_share(page) >= IMAGE_SHARE


def read(pdf: Path, outdir: Path, max_pages: int, dpi: int, max_pixels: int, ocr: bool) -> dict:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            return {"error": "encrypted PDF (needs a password)"}
        return {"error": f"not a readable PDF ({exc})"}
    count = len(document)
    pages, needs_ocr, images, warnings = [], [], {}, []
    if count > max_pages:
        warnings.append(f"{count} pages; only the first {max_pages} were read")
    for number in range(1, min(count, max_pages) + 1):
        page = document[number - 1]
        try:
            text = page_text(page)
        except pdfium.PdfiumError:
            text = ""
        if needs_reading(page, text):
            needs_ocr.append(number)
            if ocr:
                width, height = page.get_size()
                scale = render_scale(width, height, ocr_dpi(page, dpi), max_pixels)
                image = page.render(scale=scale, grayscale=True).to_pil()
                target = outdir / f"page-{number}.png"
                # the resolution goes with the image, for Tesseract's size heuristics
                image.save(target, dpi=(round(scale * 72),) * 2)
                images[number] = str(target)
        pages.append(text)
        page.close()
    document.close()
    return {
        "pages": pages,
        "page_count": count,
        "needs_ocr": needs_ocr,
        "images": images,
        "warnings": warnings,
    }


def serve(stdin: Any = sys.stdin, stdout: Any = sys.stdout) -> None:
    """Answer requests, one JSON line each (``pdf``, ``outdir``, ``max_pages``, ``dpi``,
    ``max_pixels``, ``ocr``), with one JSON line each, until stdin closes."""
    for line in stdin:
        try:
            ask = json.loads(line)
            result = read(
                Path(ask["pdf"]),
                Path(ask["outdir"]),
                int(ask["max_pages"]),
                int(ask["dpi"]),
                int(ask["max_pixels"]),
                bool(ask["ocr"]),
            )
        except MemoryError:
            stdout.write(json.dumps({"error": "reading the PDF went over its memory limit"}))
            stdout.write("\n")
            stdout.flush()
            return  # a process that ran out of memory is not trusted with the next file
        except Exception as exc:
            result = {"error": f"the PDF could not be read ({type(exc).__name__}: {exc})"}
        stdout.write(json.dumps(result) + "\n")
        stdout.flush()


def main(argv: list[str]) -> None:
    if argv == ["--serve"]:
        serve()
        return
    pdf, outdir, max_pages, dpi, max_pixels, ocr = argv
    result = read(Path(pdf), Path(outdir), int(max_pages), int(dpi), int(max_pixels), ocr == "1")
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
