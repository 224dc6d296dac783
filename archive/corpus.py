"""Corpus files: one UTF-8 Markdown file per motion with YAML front matter.

``read_motion`` parses and validates a file (raising ``CorpusError``s with their
lines); ``render_motion`` writes the canonical form, so reading a file the project
wrote and rendering it again gives the same bytes. ``write_motion`` is atomic.

Layout: ``<corpus>/<council>/<year>/<slug>.md`` (``archive.councils``; a corpus from
before councils keeps ``<corpus>/<year>/<slug>.md``); files and folders whose names start
with ``_`` or ``.`` are not motions (``_vocabulary.yml``, ``_council.yml``, import state),
nor is anything in a paper's ``<slug>.files/`` folder (its files' texts, ``archive.file_text``);
which files a corpus holds, and how links are followed, is ``archive.corpus_walk``'s rule.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from archive import frontmatter
from archive.corpus_walk import walk_corpus
from archive.councils import CouncilLayout, council_layout
from archive.errors import CorpusError, CorpusErrors
from archive.motion import Motion
from archive.validation import validate

MAX_FILE_BYTES = 10 * 1024 * 1024
SECTION_FIELDS = {
    "Beschluss": "resolution",
    "Fragestellungen": "questions",
    "Begründung": "reasons",
}
_HEADING = re.compile(r"^## +(.+?)\s*$")


def iter_motion_files(corpus: Path) -> Iterator[Path]:
    """Every motion file under ``corpus``, in a stable order (``archive.corpus_walk``'s
    rule: links are followed inside the corpus only; what it refuses is left out here,
    ``check`` and ``reindex`` report it)."""
    for file in walk_corpus(corpus).files:
        yield Path(file.path)


def iter_council_files(
    corpus: Path, layout: CouncilLayout | None = None
) -> Iterator[tuple[Path, str]]:
    """Every motion file with the key of its council, in ``iter_motion_files``' order."""
    layout = layout or council_layout(corpus)
    for file in walk_corpus(corpus).files:
        yield Path(file.path), layout.council_of(file.relpath)


def path_for(motion: Motion, corpus: Path, layout: CouncilLayout | None = None) -> Path:
    """Where a motion's file lives: ``<corpus>/<council>/<year>/<slug>.md`` (the default
    council's files stay in the root of a corpus from before councils)."""
    layout = layout or council_layout(corpus)
    return layout.path_for(motion.council or layout.default, motion.year, motion.slug)


def read_text(path: Path) -> str:
    """A corpus file's text, refusing what is not UTF-8 Markdown."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CorpusError(
                path,
                f"file is {size / 1e6:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES / 1e6:.0f} MB per motion",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(path, f"cannot read file: {exc.strerror}") from None
    if b"\0" in raw:
        raise CorpusError(
            path,
            "binary file (contains NUL bytes), not Markdown",
            raw[: raw.index(b"\0")].count(b"\n") + 1,
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raise CorpusError(
            path, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM", 1
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CorpusError(
            path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line
        ) from None


def parse_motion(text: str, path: Path, council: str = "") -> Motion:
    """Parse a corpus file's text (of ``council``); raises ``CorpusErrors`` listing every
    problem."""
    front, body, body_line = frontmatter.split(text, path)
    raw, lines = frontmatter.load(front, path, first_line=2)
    data, errors = validate(raw, lines, path)
    if errors:
        raise CorpusErrors(errors)
    data.update(_parse_body(body, path, body_line))
    data["council"] = council
    return Motion.from_dict(data)


def read_motion(path: Path, council: str = "") -> Motion:
    """Read and validate one corpus file (of ``council``)."""
    try:
        return parse_motion(read_text(path), path, council)
    except CorpusError as exc:
        raise CorpusErrors([exc]) from None


def _parse_body(body: str, path: Path, first_line: int) -> dict[str, object]:
    sections: dict[str, object] = {}
    rest: list[str] = []
    current: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        text = "\n".join(buffer).strip("\n")
        if current is None:
            if text.strip():
                rest.append(text)
        elif current == "questions":
            sections["questions"] = _list_items(text)
        else:
            sections[current] = unescape_headings(text)

    for line in body.split("\n"):
        match = _HEADING.match(line)
        if match:
            flush()
            field = SECTION_FIELDS.get(match.group(1))
            buffer = [] if field else [line]
            current = field if field and field not in sections else None
            if field and current is None:
                buffer = [line]
            continue
        buffer.append(line)
    flush()
    sections["body"] = "\n\n".join(rest)
    return sections


def _list_items(text: str) -> list[str]:
    items: list[str] = []
    for line in text.split("\n"):
        if line.startswith(("- ", "* ")):
            items.append(line[2:].strip())
        elif line.strip() and items:
            items[-1] = f"{items[-1]} {line.strip()}"
        elif line.strip():
            items.append(line.strip())
    return items


def render_motion(motion: Motion) -> str:
    """The canonical text of a motion's file."""
    parts = ["---\n", frontmatter.dump(motion.metadata()), "---\n"]
    preamble, headed = _split_body(motion.body.strip())
    if preamble:
        # text before the body's first heading goes first: after a section it would join it
        parts.append(f"\n{preamble}\n")
    if motion.resolution:
        parts.append(f"\n## Beschluss\n\n{escape_headings(motion.resolution.strip())}\n")
    if motion.questions:
        items = "\n".join(f"- {' '.join(q.split())}" for q in motion.questions)
        parts.append(f"\n## Fragestellungen\n\n{items}\n")
    if motion.reasons:
        parts.append(f"\n## Begründung\n\n{escape_headings(motion.reasons.strip())}\n")
    if headed:
        parts.append(f"\n{headed}\n")
    return "".join(parts)


def _split_body(body: str) -> tuple[str, str]:
    """The body's text before its first ``## `` heading, and the rest from that heading on."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if _HEADING.match(line):
            return "\n".join(lines[:i]).strip(), "\n".join(lines[i:]).strip()
    return body, ""


def escape_headings(text: str) -> str:
    """Keep a text's own '## ' lines from starting a new section."""
    return re.sub(r"^(## )", r"\\\1", text, flags=re.MULTILINE)


def unescape_headings(text: str) -> str:
    """Undo ``escape_headings`` when reading a section back."""
    return re.sub(r"^\\(## )", r"\1", text, flags=re.MULTILINE)


def _file_mode(path: Path) -> int:
    """The mode a rewritten file keeps, or the umask's default for a new one (not 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends; or bytes as they are) to ``path`` via a temp
    file in the same folder, fsync and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        os.chmod(tmp, _file_mode(path))
        if isinstance(text, bytes):
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")
"""``write_atomic``'s temp files: ``.<name>.<pid>.<random>.tmp``."""


def _is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def remove_stale_temp_files(corpus: Path) -> list[Path]:
    """Remove the temp files of writes whose process was killed; returns what was removed.

    Temp files of running processes stay (their pid is alive); a temp file without a pid
    in its name (written by an older version) goes once it is an hour old.
    """
    removed = []
    for file in walk_corpus(corpus, wanted=_is_temp_name, file_texts=True).files:
        path = Path(file.path)
        match = _TEMP_NAME.match(path.name)
        try:
            if match and _alive(int(match[1])):
                continue
            if not match and time.time() - path.stat().st_mtime < 3600:
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but belongs to someone else
        return True
    return True


def write_motion(motion: Motion, corpus: Path, path: Path | None = None) -> Path:
    """Write a motion's canonical file atomically; returns its path."""
    target = path or path_for(motion, corpus)
    write_atomic(target, render_motion(motion))
    return target


_REFERENCE_LINE = re.compile(r"^reference:.*$", re.MULTILINE)


def reference_of(path: Path) -> str | None:
    """A file's reference, read cheaply from its front matter (``None`` if unreadable).

    Reads only the ``reference:`` line when it is there; otherwise the whole file.
    """
    try:
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None
    end = text.find("\n---\n", 3) if text.startswith("---\n") else -1
    match = _REFERENCE_LINE.search(text, 4, end) if end != -1 else None
    if match:
        try:
            data, _ = frontmatter.load(match.group(0) + "\n", path)
        except CorpusError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("reference"), str):
            return data["reference"]
    try:
        return read_motion(path).reference
    except CorpusErrors:
        return None


def reference_map(corpus: Path) -> dict[tuple[str, str], Path]:
    """(council, reference) → file for every readable motion file (unreadable ones skipped)."""
    found: dict[tuple[str, str], Path] = {}
    for path, council in iter_council_files(corpus):
        try:
            found.setdefault((council, read_motion(path, council).reference), path)
        except CorpusErrors:
            continue
    return found
