"""``check``'s rules for a paper's files (``archive.files``, ``archive.file_text``).

Errors: a record whose status says it has a text (``layer``, ``ocr``) with no text file;
a text that is not UTF-8 or whose page count is not the record's ``pages``; a kept copy of
the original whose size or SHA-256 is not the record's. Warnings: a text file beside a
record that says it has none, a file whose text could not be read (``failed``, ``none``:
so an archivist finds them), and orphans — files in ``<slug>.files/`` no record points to,
and a ``<slug>.files/`` folder without its ``<slug>.md``. Each is reported on the record's
line in the motion file (or on the orphan itself).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from archive import frontmatter
from archive.corpus import read_text
from archive.errors import CorpusError, CorpusWarning
from archive.file_text import copy_path, files_folder, motion_path_of, read_pages, text_path
from archive.files import FAILED, FILES_SUFFIX, NONE, FileRecord
from archive.frontmatter import Path_
from archive.motion import Motion

ORPHAN = "orphan file"
UNEXPECTED_TEXT = "unexpected file text"
WITHOUT_TEXT = "file without text"
"""Kinds of this module's warnings (``check`` counts warnings by kind)."""


def check_files(motions: Iterable[tuple[Path, Motion]]) -> list[CorpusError]:
    """The problems of the files of ``motions`` (read motion files) and orphaned folders
    beside them."""
    problems: list[CorpusError] = []
    folders: set[Path] = set()
    for path, motion in motions:
        folders.add(path.parent)
        if motion.files or files_folder(path).is_dir():
            problems.extend(_check_motion(path, motion))
    for folder in sorted(folders):
        problems.extend(_orphaned_folders(folder))
    return problems


def _check_motion(path: Path, motion: Motion) -> list[CorpusError]:
    lines = _lines(path) if motion.files else {}
    problems: list[CorpusError] = []
    expected: set[str] = set()
    for i, record in enumerate(motion.files):

        def line(*key: str | int, i: int = i) -> int | None:
            return lines.get(("files", i, *key)) or lines.get(("files", i))

        text, copy = text_path(path, i + 1, record), copy_path(path, i + 1, record)
        expected.update((text.name, copy.name))
        problems.extend(_check_record(path, i + 1, record, line))
    problems.extend(_orphans(path, expected))
    return problems


def _check_record(
    path: Path, position: int, record: FileRecord, line: Callable[..., int | None]
) -> list[CorpusError]:
    label = f"file {position} ({record.name})"
    text, copy = text_path(path, position, record), copy_path(path, position, record)
    problems: list[CorpusError] = []
    if record.has_text and not text.is_file():
        message = f"{label}: its text {text} is missing (text: {record.text})"
        problems.append(CorpusError(path, message, line()))
    elif record.has_text:
        problems.extend(_check_text(path, text, record.pages, label, line("pages")))
    elif text.is_file():
        message = f"{label}: text is {record.text}, but there is a text file {text}"
        problems.append(CorpusWarning(path, message, line("text"), UNEXPECTED_TEXT))
    if record.text in (FAILED, NONE):
        why = f"reading it failed: {record.reason}" if record.text == FAILED else "no text found"
        problems.append(CorpusWarning(path, f"{label}: {why}", line("text"), WITHOUT_TEXT))
    if copy.is_file():
        problems.extend(_check_copy(path, copy, record.size, record.sha256, label, line))
    return problems


def _check_text(
    path: Path, text: Path, pages: int | None, label: str, line: int | None
) -> list[CorpusError]:
    try:
        found = len(read_pages(text))
    except CorpusError as exc:
        return [exc]
    if pages is not None and found != pages:
        return [
            CorpusError(
                path,
                f"{label}: its text {text} has {found} page{'' if found == 1 else 's'} "
                f"(form feeds + 1), the record says pages: {pages}",
                line,
            )
        ]
    return []


def _check_copy(
    path: Path,
    copy: Path,
    size: int | None,
    sha256: str,
    label: str,
    line: Callable[..., int | None],
) -> list[CorpusError]:
    try:
        actual_size = copy.stat().st_size
        actual_sha = _sha_of(copy) if sha256 else ""
    except OSError as exc:
        return [CorpusError(copy, f"cannot read this copy of {label}: {exc.strerror}")]
    problems = []
    if size is not None and actual_size != size:
        problems.append(
            CorpusError(
                path,
                f"{label}: its copy {copy} has {actual_size} bytes, size says {size}",
                line("size"),
            )
        )
    if sha256 and actual_sha != sha256:
        problems.append(
            CorpusError(
                path,
                f"{label}: its copy {copy} has sha256 {actual_sha}, not the recorded one",
                line("sha256"),
            )
        )
    return problems


def _orphans(path: Path, expected: set[str]) -> list[CorpusError]:
    folder = files_folder(path)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [
        CorpusWarning(
            folder / name,
            f"orphan: no record in {path.name}'s files points to it",
            None,
            ORPHAN,
        )
        for name in names
        if name not in expected and not name.startswith((".", "_"))
    ]


def _orphaned_folders(folder: Path) -> list[CorpusError]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(FILES_SUFFIX) and e.is_dir())
    except OSError:
        return []
    return [
        CorpusWarning(
            folder / name,
            f"orphan: there is no paper {motion_path_of(folder / name).name} for these files",
            None,
            ORPHAN,
        )
        for name in names
        if not name.startswith((".", "_")) and not motion_path_of(folder / name).exists()
    ]


def _lines(path: Path) -> dict[Path_, int]:
    """File line of each front-matter key (the file was read and validated before)."""
    try:
        text = read_text(path).replace("\r\n", "\n")
        end = text.find("\n---\n", 3)
        return frontmatter.load(text[4 : end + 1], path, first_line=2)[1]
    except CorpusError:
        return {}


def _sha_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
