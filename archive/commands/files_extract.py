"""``ratsarchiv files extract [PATHS]``: read the text of the papers' fetched files."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import click

from archive.cli import corpus_option
from archive.commands.files_common import files_arguments, finish
from archive.extraction.ocr import require_tesseract
from archive.files_run import run_files
from archive.importers.progress import ProgressBar
from archive.paper_files import extract_paper_files


@click.command("extract")
@click.option("--no-ocr", is_flag=True, help="Read text layers only; scans stay without text.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the number of cores",
    help="Papers read at once (OCR runs one page per core).",
)
@files_arguments
@corpus_option
def extract(
    no_ocr: bool,
    jobs: int,
    paths: tuple[Path, ...],
    council: str | None,
    force: bool,
    corpus: Path,
) -> None:
    """Read the text of fetched files: the PDF's text layer, OCR for scanned pages.

    Works on the whole corpus, on one --council, or on the PATHS given (papers or
    folders). Files read before are left alone (--force reads them again); a text an
    archivist corrected by hand is never overwritten (also not with --force).
    Files that fail are listed with their reason; the exit code is then 1.
    """
    if not no_ocr:
        require_tesseract()
    cores = os.cpu_count() or 1
    step = partial(extract_paper_files, ocr=not no_ocr, force=force, jobs=max(1, cores // jobs))
    counter = ProgressBar("papers")
    try:
        report = run_files(
            corpus,
            step,
            verb="extracted",
            paths=paths,
            council=council,
            force=False,
            jobs=jobs,
            progress=counter,
        )
    finally:
        counter.close()
    finish(report)
