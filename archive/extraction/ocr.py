"""OCR of rendered pages with Tesseract's German model.

Tesseract is run as a program (``tesseract IMAGE OUT -l deu --psm 3 txt tsv``),
one process per page, as many at once as there are cores (each with ``OMP_THREAD_LIMIT=1``:
Tesseract's own threads only slow down parallel pages). A page read with low confidence is
read a second time as one uniform block (psm 6), and the reading with more confidently
recognised characters is kept: letters with stamps, letterheads and a single text column
are often read better that way. The program and not a binding: pytesseract is
the same subprocess call with a temp-file layer around it, and OCRmyPDF rewrites the PDF,
which an archive that keeps the original does not need. Pages are rendered by the PDF
worker (``archive.extraction.worker``) in grayscale, at twice a low-resolution scan's own
resolution and at most ``OCR_DPI``, with the resolution stored in the PNG; docs/files.md has the
measurements behind these choices.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from archive.errors import RatsarchivError
from archive.extraction.garbage import layer_is_garbage

OCR_DPI = 300
"""Highest render resolution for OCR: reads 150-dpi fax-like scans as well as 400 did."""
PAGE_SEGMENTATION = "3"
"""Tesseract's automatic page segmentation: columns, stamps and letterheads of any layout."""
SECOND_SEGMENTATION = "6"
"""One uniform block of text: the second reading of a page read with low confidence."""
SECOND_READING_BELOW = 90.0
"""Mean word confidence (0–100) under which a page is read a second time."""
CONFIDENT = 80.0
"""Word confidence from which a word's characters count as confidently recognised."""
LANGUAGE = "deu"
PAGE_TIMEOUT = 120.0

__all__ = ["OcrError", "OcrResult", "layer_is_garbage", "ocr_images", "require_tesseract"]


class OcrError(RatsarchivError):
    """OCR cannot run at all (Tesseract or its German model is missing)."""


@dataclass
class OcrResult:
    """Recognised text per page (1-based), and the pages that failed with their reason."""

    texts: dict[int, str] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


def require_tesseract() -> str:
    """The path of ``tesseract`` with the German model; ``OcrError`` saying how to get it."""
    hint = (
        "Tesseract with German (tesseract-ocr-deu) is needed for OCR: apt-get install "
        "tesseract-ocr tesseract-ocr-deu; or use --no-ocr"
    )
    program = shutil.which("tesseract")
    if not program:
        raise OcrError(f"tesseract not found. {hint}")
    try:
        languages = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30
        ).stdout.split()
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrError(f"tesseract does not run ({exc}). {hint}") from None
    if LANGUAGE not in languages:
        raise OcrError(f"tesseract has no German model ({LANGUAGE}). {hint}")
    return program


@dataclass(frozen=True)
class Reading:
    """One Tesseract reading of a page: its text and how sure Tesseract was of it."""

    text: str
    mean_confidence: float
    confident_characters: int


def _confidence(tsv: str) -> tuple[float, int]:
    """Mean word confidence, and the characters of words read with ``CONFIDENT`` or more."""
    confidences, confident = [], 0
    for line in tsv.splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        confidence = float(cells[10])
        confidences.append(confidence)
        if confidence >= CONFIDENT:
            confident += len(cells[11].strip())
    return (sum(confidences) / len(confidences) if confidences else 0.0), confident


def _read_once(program: str, image: str, segmentation: str, timeout: float) -> Reading:
    environment = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = f"{image}.psm{segmentation}"
    command = [program, image, out, "-l", LANGUAGE, "--psm", segmentation, "txt", "tsv"]
    done = subprocess.run(
        command, capture_output=True, timeout=timeout, env=environment, check=False
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(message[-1] if message else f"tesseract exit {done.returncode}")
    text = _take(f"{out}.txt")
    return Reading(text, *_confidence(_take(f"{out}.tsv")))


def _take(path: str) -> str:
    """A file Tesseract wrote, read and removed."""
    with open(path, encoding="utf-8", errors="replace") as written:
        content = written.read()
    os.unlink(path)
    return content


def _recognise(program: str, image: str, timeout: float) -> str:
    """The page's text: a second reading as one block when the first is unsure."""
    first = _read_once(program, image, PAGE_SEGMENTATION, timeout)
    if first.mean_confidence >= SECOND_READING_BELOW:
        return first.text
    second = _read_once(program, image, SECOND_SEGMENTATION, timeout)
    return max(first, second, key=lambda reading: reading.confident_characters).text


def ocr_images(
    images: dict[int, str],
    *,
    jobs: int | None = None,
    timeout: float = PAGE_TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
) -> OcrResult:
    """Read each page image (``{page: png path}``) with Tesseract, ``jobs`` at a time."""
    program = require_tesseract()
    result = OcrResult()
    if not images:
        return result
    workers = max(1, min(jobs or os.cpu_count() or 1, len(images)))

    def one(page: int) -> tuple[int, str | None, str]:
        try:
            return page, _recognise(program, images[page], timeout), ""
        except subprocess.TimeoutExpired:
            return page, None, f"OCR of page {page} took over {timeout:.0f} s"
        except (OSError, RuntimeError) as exc:
            return page, None, f"OCR of page {page} failed: {exc}"

    with ThreadPoolExecutor(workers) as pool:
        for done, (page, text, error) in enumerate(pool.map(one, sorted(images)), 1):
            if text is None:
                result.errors[page] = error
            else:
                result.texts[page] = text
            if progress:
                progress(done, len(images))
    return result
