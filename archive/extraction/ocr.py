"""OCR of rendered pages with Tesseract's German model.

Tesseract is run as a program (``tesseract IMAGE stdout -l deu --psm 3``), one process per
page, as many at once as there are cores (each with ``OMP_THREAD_LIMIT=1``: Tesseract's
own threads only slow down parallel pages). The program and not a binding: pytesseract is
the same subprocess call with a temp-file layer around it, and OCRmyPDF rewrites the PDF,
which an archive that keeps the original does not need. Pages are rendered by the PDF
worker (``archive.extraction.worker``) at ``OCR_DPI`` in grayscale; docs/files.md has the
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
"""Render resolution for OCR: reads 150-dpi fax-like scans as well as 400 did, faster."""
PAGE_SEGMENTATION = "3"
"""Tesseract's automatic page segmentation: columns, stamps and letterheads of any layout."""
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


def _recognise(program: str, image: str, timeout: float) -> str:
    environment = dict(os.environ, OMP_THREAD_LIMIT="1")
    command = [program, image, "stdout", "-l", LANGUAGE, "--psm", PAGE_SEGMENTATION]
    done = subprocess.run(
        command, capture_output=True, timeout=timeout, env=environment, check=False
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(message[-1] if message else f"tesseract exit {done.returncode}")
    return done.stdout.decode("utf-8", "replace")


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
