"""The work on one paper's files: fetch each copy, read its text, record both.

``fetch_paper_files`` downloads the originals of a paper's file records into
``<slug>.files/`` (``archive.file_text.copy_path``); ``extract_paper_files`` reads their
text (``archive.extraction``) and stores it page by page beside the copy. Both update the
records in the paper's front matter file by file, through the ``CorpusWriter``, so a run
killed at any point keeps what it finished, and the next run goes on from there: an
unchanged file is neither downloaded nor read again.

When a file counts as unchanged:

* fetching: its copy is on disk with the record's ``sha256``, and the source's
  ``modified`` is not newer than ``fetched``; otherwise the request is conditional
  (``ETag``/``Last-Modified`` of the last fetch), and a ``304`` keeps the copy;
* reading: its record already has a text status other than ``pending`` or ``failed`` (a
  run with OCR also reads files a ``--no-ocr`` run left without text).

Files marked not public (``public: false``) are never fetched, read or indexed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from archive.extraction import ExtractionLimits, extract_file
from archive.file_text import copy_path, files_folder, text_path
from archive.files import FAILED, NONE, PENDING, FileRecord
from archive.files_report import FileOutcome, FilesReport
from archive.importers.corpus_writer import CorpusWriter, Outcome
from archive.motion import Motion

if TYPE_CHECKING:
    from archive.fetching import Fetcher


@dataclass(frozen=True)
class FileWork:
    """What an importer does with each saved paper's files: fetch them with ``fetcher``
    and read them (OCR unless ``ocr`` is off)."""

    fetcher: Fetcher
    ocr: bool = True


PageProgress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while the pages of one file are OCR'd."""


def _label(writer: CorpusWriter, path: Path, position: int, record: FileRecord) -> str:
    where = (
        path.relative_to(writer.corpus).as_posix() if path.is_relative_to(writer.corpus) else path
    )
    return f"{where}, file {position} ({record.name})"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_is_current(copy: Path, record: FileRecord) -> bool:
    """The copy on disk is the one the record describes, and the source has not changed."""
    if not record.sha256 or not copy.is_file():
        return False
    if record.modified and record.fetched and record.modified > record.fetched:
        return False
    try:
        return copy.stat().st_size == record.size and _sha256(copy) == record.sha256
    except OSError:
        return False


def _save_records(
    writer: CorpusWriter, path: Path, records: list[FileRecord], report: FilesReport, label: str
) -> bool:
    if writer.update_files(path, records) is Outcome.SKIPPED:
        report.add(FileOutcome.FAILED, f"{label}: {writer.last_reason}")
        return False
    return True


def fetch_paper_files(
    writer: CorpusWriter, path: Path, motion: Motion, fetcher: Fetcher, *, force: bool = False
) -> FilesReport:
    """Download the originals of ``motion``'s files (the paper at ``path``) that changed."""
    from archive.fetching import FetchError, remove_partial

    report = FilesReport("fetched")
    records = list(motion.files)
    folder = files_folder(path)
    if folder.is_dir():
        remove_partial(folder)  # left by a run that was killed mid-download
    for position, record in enumerate(records, 1):
        label = _label(writer, path, position, record)
        if not record.public:
            report.add(FileOutcome.SKIPPED)
            continue
        if not record.url:
            report.add(FileOutcome.SKIPPED, f"{label}: no URL to fetch it from")
            continue
        copy = copy_path(path, position, record)
        current = _copy_is_current(copy, record)
        if current and not force:
            report.add(FileOutcome.UNCHANGED)
            continue
        try:
            fetched = fetcher.fetch(
                record.url,
                copy,
                etag=record.etag if current else "",
                last_modified=record.last_modified if current else "",
            )
        except FetchError as exc:
            reason = exc.reason if hasattr(exc, "reason") else str(exc)
            records[position - 1] = replace(record, text=FAILED, reason=f"not fetched: {reason}")
            _save_records(writer, path, records, report, label)
            report.add(FileOutcome.FAILED, f"{label}: {exc}")
            continue
        if fetched.not_modified:
            records[position - 1] = replace(record, fetched=_now())
            if _save_records(writer, path, records, report, label):
                report.add(FileOutcome.UNCHANGED)
            continue
        changed = fetched.sha256 != record.sha256
        records[position - 1] = replace(
            record,
            media_type=fetched.media_type or record.media_type,
            size=fetched.size,
            sha256=fetched.sha256,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            fetched=_now(),
            text=PENDING if changed or record.text == FAILED else record.text,
            reason="" if changed or record.text == FAILED else record.reason,
        )
        if _save_records(writer, path, records, report, label):
            report.add(FileOutcome.DONE if changed else FileOutcome.UNCHANGED)
    return report


def needs_reading(record: FileRecord, *, ocr: bool) -> bool:
    """Whether a record's text is still to be read (``force`` aside)."""
    if record.text in (PENDING, FAILED):
        return True
    return ocr and record.text == NONE and "--no-ocr" in record.reason


def extract_paper_files(
    writer: CorpusWriter,
    path: Path,
    motion: Motion,
    *,
    ocr: bool = True,
    force: bool = False,
    jobs: int | None = None,
    limits: ExtractionLimits | None = None,
    progress: PageProgress | None = None,
) -> FilesReport:
    """Read the text of ``motion``'s fetched files and store it beside the paper at ``path``.

    ``archive.extraction.ocr.OcrError`` (no Tesseract) is raised, not reported per file:
    every scan would fail the same way.
    """
    report = FilesReport("extracted")
    records = list(motion.files)
    for position, record in enumerate(records, 1):
        label = _label(writer, path, position, record)
        if not record.public:
            report.add(FileOutcome.SKIPPED)
            continue
        if not (force or needs_reading(record, ocr=ocr)):
            report.add(FileOutcome.UNCHANGED)
            continue
        copy = copy_path(path, position, record)
        if not copy.is_file():
            if record.text == FAILED and record.reason:
                report.add(FileOutcome.FAILED, f"{label}: {record.reason}")
            else:
                report.add(
                    FileOutcome.SKIPPED, f"{label}: not fetched yet (ratsarchiv files fetch)"
                )
            continue
        result = extract_file(
            copy, record.media_type, ocr=ocr, limits=limits, jobs=jobs, progress=progress
        )
        for warning in result.warnings:
            report.messages.append(f"{label}: {warning}")
        updated = replace(
            record,
            text=result.status,
            pages=result.page_count,
            ocr_pages=list(result.ocr_pages),
            reason=result.reason,
        )
        if updated.has_text:
            outcome = writer.save_text(text_path(path, position, record), result.pages)
            if outcome is Outcome.CONFLICT:
                report.add(FileOutcome.SKIPPED, f"{label}: {writer.last_reason}")
                continue
            if outcome is Outcome.SKIPPED:
                report.add(FileOutcome.FAILED, f"{label}: {writer.last_reason}")
                continue
        records[position - 1] = updated
        if not _save_records(writer, path, records, report, label):
            continue
        if updated.text == FAILED:
            report.add(FileOutcome.FAILED, f"{label}: {updated.reason}")
        elif updated.text == NONE:
            report.add(FileOutcome.DONE, f"{label}: {updated.reason}")
        else:
            report.add(FileOutcome.DONE)
    return report


def fetch_and_read(
    writer: CorpusWriter,
    path: Path,
    fetcher: Fetcher,
    *,
    ocr: bool = True,
    fetched: FilesReport,
    extracted: FilesReport,
) -> None:
    """Fetch and read the files of the paper an importer just saved at ``path``, adding to
    ``fetched`` and ``extracted``: it is searchable by its files' words after the next
    reindex. A paper that cannot be read back is left for ``ratsarchiv check``."""
    from archive.corpus import read_motion
    from archive.errors import CorpusError, CorpusErrors

    council = writer.layout.council_at(path)
    try:
        motion = read_motion(path, council)
        if not motion.files:
            return
        fetched.merge(fetch_paper_files(writer, path, motion, fetcher))
        motion = read_motion(path, council)
    except (CorpusError, CorpusErrors):
        return
    extracted.merge(extract_paper_files(writer, path, motion, ocr=ocr))
