"""``extract_file``: the text of one file, page by page, whatever the file turns out to be.

A PDF's text layer is read page by page; pages without one (or with a garbage layer) are
read by OCR. Every page goes through the conservative cleaner of
``archive.importers.pdftext`` (line-end hyphens, running headers). Nothing here raises for
a bad file: a truncated, encrypted, oversized or mislabelled file gives ``FAILED`` with a
one-line reason, and the paper keeps its other files.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive.extraction import sniff
from archive.extraction.garbage import layer_is_garbage
from archive.extraction.worker_pool import read_pdf
from archive.files import FAILED, LAYER, NONE, OCR
from archive.importers import pdftext


@dataclass(frozen=True)
class ExtractionLimits:
    """What one file may cost before it is given up as ``FAILED``."""

    max_pages: int = 2000
    """Pages read of a longer file (the rest is reported as a warning)."""
    memory_bytes: int = 2 * 1024**3
    """Address space of the PDF worker: a huge image or deep nesting ends there."""
    wall_seconds: float = 300.0
    """Wall time of the PDF worker per file (parsing and rendering, not OCR); PDFium runs
    on one thread, so this bounds its CPU time too."""
    ocr_dpi: int = 300
    max_pixels: int = 60_000_000
    """A page is rendered at ``ocr_dpi`` unless that exceeds this many pixels."""
    max_text_bytes: int = 20 * 1024**2


@dataclass
class Extraction:
    """The text of one file, and how it was read (``archive.files`` text statuses)."""

    status: str
    pages: list[str] = field(default_factory=list)
    page_count: int | None = None
    ocr_pages: list[int] = field(default_factory=list)
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


def _failed(reason: str, page_count: int | None = None) -> Extraction:
    return Extraction(FAILED, page_count=page_count, reason=reason)


def extract_file(
    path: Path,
    media_type: str = "",
    *,
    ocr: bool = True,
    limits: ExtractionLimits | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Extraction:
    """The text of the file at ``path``; never raises for what the file holds."""
    limits = limits or ExtractionLimits()
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        return _failed(f"cannot read the file: {exc.strerror}")
    kind = sniff.sniff(head)
    if kind == sniff.PDF:
        return _extract_pdf(path, ocr=ocr, limits=limits, jobs=jobs, progress=progress)
    claimed = f"served as {media_type} but is" if media_type else "is"
    if kind == sniff.TEXT and (media_type.startswith("text/") or not media_type):
        return _extract_text(path, limits)
    if not head:
        return _failed("the file is empty")
    return _failed(f"not a PDF: {claimed} {sniff.DESCRIPTIONS[kind]}")


def _extract_text(path: Path, limits: ExtractionLimits) -> Extraction:
    raw = path.read_bytes()[: limits.max_text_bytes]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    pages = [pdftext.clean(page) for page in text.split("\f")]
    if not any(page.strip() for page in pages):
        return Extraction(NONE, page_count=len(pages), reason="the file holds no text")
    return Extraction(LAYER, pages, len(pages))


def _run_worker(path: Path, outdir: str, ocr: bool, limits: ExtractionLimits) -> dict:
    request = {
        "pdf": str(path),
        "outdir": outdir,
        "max_pages": limits.max_pages,
        "dpi": limits.ocr_dpi,
        "max_pixels": limits.max_pixels,
        "ocr": ocr,
    }
    return read_pdf(request, limits.memory_bytes, limits.wall_seconds)


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _better_than_layer(recognised: str, layer: str) -> bool:
    """Whether OCR's text of a page replaces its layer: it holds more letters, and is not
    garbage where the layer was not (a photo under a slide's caption reads as noise)."""
    if _letters(recognised) <= _letters(layer):
        return False
    return not layer.strip() or layer_is_garbage(layer) or not layer_is_garbage(recognised)


def _extract_pdf(
    path: Path,
    *,
    ocr: bool,
    limits: ExtractionLimits,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> Extraction:
    with tempfile.TemporaryDirectory(prefix="ratsarchiv-pages-") as outdir:
        read = _run_worker(path, outdir, ocr, limits)
        if "error" in read:
            return _failed(read["error"])
        pages: list[str] = read["pages"]
        needs_ocr: list[int] = read["needs_ocr"]
        warnings: list[str] = list(read.get("warnings") or [])
        ocr_pages: list[int] = []
        if ocr and needs_ocr:
            from archive.extraction.ocr import ocr_images

            images = {int(page): image for page, image in read["images"].items()}
            recognised = ocr_images(images, jobs=jobs, progress=progress)
            warnings += list(recognised.errors.values())
            for page, text in recognised.texts.items():
                if _better_than_layer(text, pages[page - 1]):
                    pages[page - 1] = text
                    ocr_pages.append(page)
    cleaned = [pdftext.clean(page) for page in pages]
    count = read["page_count"]
    if not any(page.strip() for page in cleaned):
        if needs_ocr and not ocr:
            reason = "no text layer; OCR skipped (--no-ocr)"
        else:
            reason = "no text found" + (" (not even by OCR)" if needs_ocr else "")
        return Extraction(NONE, page_count=count, reason=reason, warnings=warnings)
    status = OCR if ocr_pages else LAYER
    return Extraction(status, cleaned, count, sorted(ocr_pages), warnings=warnings)
