"""Where a paper's file texts are stored, and how, page by page.

Beside ``<year>/<slug>.md`` a folder ``<year>/<slug>.files/`` holds, for the n-th record of
the motion's ``files:`` (from 1), its text ``<n>-<safe name>.txt`` and, optionally, a copy
of the original ``<n>-<safe name>`` (``archive.files.stored_name``). A text is UTF-8 with
``\\n`` line ends; its pages are separated by a form feed (``\\f``, as ``pdftotext``
writes them), each page ending with a line end, so page *k* is the *k*-th piece between
form feeds and an archivist can correct it in any editor.

An importer records the SHA-256 of the text it wrote (``text_sha``, in the import state of
``archive.importers.corpus_writer``); ``edited_since_import`` is the rule that tells a
hand-corrected text from the one written, so a re-import reports a conflict instead.

>>> render_pages(["Seite eins", "Seite zwei\\n"])
'Seite eins\\n\\x0cSeite zwei\\n\\n'
>>> parse_pages(render_pages(["Seite eins", "Seite zwei\\n", ""]))
['Seite eins', 'Seite zwei\\n', '']
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from archive.corpus import write_atomic
from archive.errors import CorpusError
from archive.files import FILES_SUFFIX, TEXT_SUFFIX, FileRecord, stored_name

PAGE_BREAK = "\f"


def files_folder(motion_path: Path) -> Path:
    """``<year>/<slug>.files/`` for ``<year>/<slug>.md``."""
    return motion_path.with_name(motion_path.stem + FILES_SUFFIX)


def motion_path_of(folder: Path) -> Path:
    """``<year>/<slug>.md`` for its files' folder ``<year>/<slug>.files/``."""
    return folder.with_name(folder.name.removesuffix(FILES_SUFFIX) + ".md")


def copy_path(motion_path: Path, position: int, record: FileRecord) -> Path:
    """Where the ``position``-th (from 1) file's copy of the original is kept (if it is)."""
    return files_folder(motion_path) / stored_name(position, record.name)


def text_path(motion_path: Path, position: int, record: FileRecord) -> Path:
    """Where the ``position``-th (from 1) file's text is stored."""
    return files_folder(motion_path) / (stored_name(position, record.name) + TEXT_SUFFIX)


def render_pages(pages: list[str]) -> str:
    """A text file's content: each page plus a line end, form feeds between pages.

    Windows line ends become ``\\n``; a form feed inside a page would split it and
    becomes a line end.
    """
    cleaned = (p.replace("\r\n", "\n").replace(PAGE_BREAK, "\n") for p in pages)
    return PAGE_BREAK.join(f"{page}\n" for page in cleaned)


def parse_pages(text: str) -> list[str]:
    """The pages of a text file's content (``render_pages`` undone; a file without its
    last line end, as some editors save it, reads the same)."""
    return [page.removesuffix("\n") for page in text.replace("\r\n", "\n").split(PAGE_BREAK)]


def text_sha(data: bytes | str) -> str:
    """SHA-256 of a stored text (hex), as importers record it."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def write_pages(path: Path, pages: list[str]) -> str:
    """Store ``pages`` at ``path`` atomically (temp file, fsync, rename); returns the
    SHA-256 of what was written, for the import state."""
    text = render_pages(pages)
    write_atomic(path, text)
    return text_sha(text)


def read_pages(path: Path) -> list[str]:
    """The pages of a stored text; ``CorpusError`` when it cannot be read as UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(path, f"cannot read file text: {exc.strerror}") from None
    try:
        return parse_pages(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CorpusError(
            path, f"file text is not valid UTF-8 (offset {exc.start})", line
        ) from None


def edited_since_import(path: Path, recorded_sha: str | None, new_text: str = "") -> bool:
    """Whether the text at ``path`` was changed by hand since an importer wrote it.

    ``recorded_sha`` is the SHA-256 the import state holds for it (``None``: no record).
    A missing file was not edited (writing it loses nothing); a file without a record
    counts as edited unless it already holds ``new_text``, the text about to be written.
    """
    try:
        current = text_sha(path.read_bytes())
    except FileNotFoundError:
        return False
    except OSError:
        return True  # unreadable: never overwrite what cannot be compared
    if recorded_sha is None:
        return current != text_sha(new_text)
    return current != recorded_sha
