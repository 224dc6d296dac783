"""Reading corpus files into index documents, and the parallel full build.

A full build shares the corpus files between worker processes (forked, so the file list
and the vocabulary are shared, not sent): each worker claims a few files at a time from the
list, largest first, so both finish together. Each worker reads, parses and indexes what it
claimed into one new Whoosh segment of the build directory; the parent writes the table of
contents listing all segments — Whoosh's own multi-segment commit, as ``MpWriter`` does,
without pickling every document through job files. The compound lexicon comes first,
from the opening of every file, because the analyser needs it before any word is indexed.

Workers die with their parent (``PR_SET_PDEATHSIG``) and drop the reindex lock they
inherit, so a killed build leaves only its ``build-<pid>`` directory for the next run to
remove.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import re
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from archive.corpus import parse_motion, read_text
from archive.errors import CorpusError, CorpusErrors
from archive.motion import Motion
from archive.vocabulary import Vocabulary
from index.analysis import LEXICON_FILE, base_lexicon
from index.schema import Lexicon, build_schema, public_view, to_document

WRITER_LIMIT_MB = 256
BUILD_LIMIT_MB = 1536
"""Posting pool of one full-build worker: big enough that a share of 12,000 papers is
sorted in memory (a spill to disk writes and merges runs of pickled postings: slower)."""
LEXICON_CHARS = 5_000
"""Characters at the start of each file the compound lexicon learns its words from."""
_REFERENCE_KEY = re.compile(r"^reference\s*:", re.MULTILINE)

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are read and indexed."""


def codec() -> W3Codec:
    """Posting blocks uncompressed: 8% faster to write, faster to read, 15% larger."""
    return W3Codec(compression=0)


class _Lengths:
    """A segment's field lengths, each field's column read once into a list: Whoosh's
    ``add_postings`` asks for the length of every posting's document (for its block
    statistics), and reading the column one value at a time was a tenth of a build."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            lengths = self._fields[fieldname] = [read(d, fieldname, default) for d in range(count)]
        return lengths[docnum]


class BuildWriter(SegmentWriter):
    """Whoosh's segment writer with the field lengths of its final flush read in bulk."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


# -- one file -----------------------------------------------------------------------------


@dataclass
class File:
    relpath: str
    path: Path
    text: str
    digest: str


def read(
    corpus: Path, path: Path, skipped: list[str], salt: str | Callable[[str], str] = ""
) -> File | None:
    """A corpus file and its content digest; ``None`` if unreadable (reported).

    ``salt`` (text, or a function of the file's text) joins the digest: the vocabulary's
    ``fingerprint``, so a vocabulary change updates exactly the documents it affects.
    """
    try:
        text = read_text(path)
    except CorpusError as exc:
        skipped.append(str(exc))
        return None
    if callable(salt):
        salt = salt(text)
    digest = hashlib.blake2b((text + salt).encode("utf-8"), digest_size=16).hexdigest()
    return File(path.relative_to(corpus).as_posix(), path, text, digest)


def parse(file: File, skipped: list[str]) -> Motion | None:
    try:
        return parse_motion(file.text, file.path)
    except CorpusErrors as exc:
        skipped.extend(str(e) for e in exc.errors)
    except CorpusError as exc:
        skipped.append(str(exc))
    return None


def stamp(path: Path) -> str:
    """Modification time and size: a file with the same stamp is not read again."""
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_mtime_ns}:{info.st_size}"


def document(motion: Motion, file: File, vocabulary: Vocabulary) -> dict[str, Any]:
    doc = to_document(public_view(motion), file.relpath, file.digest, vocabulary)
    doc["stamp"] = stamp(file.path).encode("ascii")
    return doc


def duplicate(path: Path, text: str, reference: str, owner: str) -> str:
    key = _REFERENCE_KEY.search(text)
    line = text.count("\n", 0, key.start()) + 1 if key else 1
    return str(CorpusError(path, f"duplicate reference {reference!r} (also in {owner})", line))


# -- the full build -----------------------------------------------------------------------


@dataclass
class Indexed:
    """One document a worker indexed (enough to settle duplicate references later)."""

    relpath: str
    slug: str
    reference: str
    duplicate_line: str  # the message if this file loses its reference to another
    digest: str
    stamp: str


@dataclass
class Part:
    """What one worker did."""

    segment: Any = None
    indexed: list[Indexed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    private: int = 0


def _index_part(
    build: Path,
    corpus: Path,
    paths: Iterable[Path],
    vocabulary: Vocabulary,
    tick: Callable[[], None],
) -> Part:
    """Index ``paths`` into one new segment of the build (in a worker, or inline)."""
    part = Part()
    storage = FileStorage(str(build), supports_mmap=False)
    ix = storage.open_index(schema=build_schema(Lexicon.load(build / LEXICON_FILE)))
    writer = BuildWriter(ix, _lk=False, limitmb=BUILD_LIMIT_MB, codec=codec())
    try:
        for path in paths:
            file = read(corpus, path, part.skipped, vocabulary.fingerprint)
            motion = parse(file, part.skipped) if file else None
            if file and motion and not motion.public:
                part.private += 1
            elif file and motion:
                doc = document(motion, file, vocabulary)
                writer.add_document(**doc)
                message = duplicate(file.path, file.text, motion.reference, "{owner}")
                part.indexed.append(
                    Indexed(
                        file.relpath,
                        motion.slug,
                        motion.reference,
                        message,
                        file.digest,
                        doc["stamp"].decode("ascii"),
                    )
                )
            tick()
        if part.indexed:
            part.segment = writer._finalize_segment()
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    return part


def _lexicon(corpus: Path, paths: list[Path]) -> Lexicon:
    """Word counts for compound splitting, from the opening of every file, merged with the
    base list of general German."""

    def texts():  # type: ignore[no-untyped-def]
        for path in paths:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                with open(path, encoding="utf-8") as handle:
                    head = handle.read(LEXICON_CHARS)
                yield head.split("\n---\n", 1)[-1]

    return Lexicon.build(texts(), base=base_lexicon())


def _largest_first(paths: list[Path]) -> list[Path]:
    """``paths`` by size, largest first, so the shares of the workers even out at the end."""

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0

    return sorted(paths, key=size, reverse=True)


CLAIM = 8
"""Files a worker takes from the shared list at a time."""


def _claimed(paths: list[Path], cursor: Any) -> Iterator[Path]:
    """The files this worker claims from ``paths``, a few at a time, until none are left:
    a worker that has drawn long papers simply takes fewer, so both finish together."""
    while True:
        with cursor.get_lock():
            start = cursor.value
            cursor.value = start + CLAIM
        if start >= len(paths):
            return
        yield from paths[start : start + CLAIM]


_in_worker = False


def _orphan_guard() -> None:
    """In a forked worker: die with the parent (Linux), never outlive a killed build."""
    if not _in_worker:
        return
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_orphan_guard)


def _worker(
    conn: Connection,
    counter: Any,
    cursor: Any,
    build: Path,
    corpus: Path,
    paths: list[Path],
    vocabulary: Vocabulary,
) -> None:
    def tick() -> None:
        with counter.get_lock():
            counter.value += 1

    # The posting pool holds millions of small objects that the cyclic garbage collector
    # would walk again and again (4% of a build); a worker lives for one build, and what
    # few cycles it leaves go with it.
    gc.disable()
    try:
        part = _index_part(build, corpus, _claimed(paths, cursor), vocabulary, tick)
        conn.send(("ok", part))
    except OSError as exc:
        conn.send(("oserror", (exc.errno, exc.strerror, exc.filename)))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def build_full(
    corpus: Path,
    build: Path,
    paths: list[Path],
    vocabulary: Vocabulary,
    procs: int,
    progress: Progress | None,
) -> list[Part]:
    """Build a complete index of ``paths`` in the new directory ``build``."""
    build.mkdir(parents=True)
    lexicon = _lexicon(corpus, paths)
    lexicon.save(build / LEXICON_FILE)
    storage = FileStorage(str(build), supports_mmap=False)
    ix = storage.create_index(build_schema(lexicon))
    writer = SegmentWriter(ix, limitmb=1, codec=codec())  # holds the lock, writes the TOC
    try:
        if procs <= 1:
            done = [0]

            def tick() -> None:
                done[0] += 1
                if progress:
                    progress(done[0], len(paths))

            parts = [_index_part(build, corpus, paths, vocabulary, tick)]
        else:
            parts = _in_workers(build, corpus, _largest_first(paths), procs, vocabulary, progress)
        writer._close_segment()
        writer._commit_toc([p.segment for p in parts if p.segment is not None])
        writer._finish()
    except BaseException:
        writer.cancel()
        raise
    return parts


def _in_workers(
    build: Path,
    corpus: Path,
    paths: list[Path],
    procs: int,
    vocabulary: Vocabulary,
    progress: Progress | None,
) -> list[Part]:
    global _in_worker
    context = multiprocessing.get_context("fork")
    counter, cursor = context.Value("i", 0), context.Value("i", 0)
    total = len(paths)
    workers: list[tuple[Any, Connection]] = []
    try:
        _in_worker = True
        for _ in range(procs):
            receive, send = context.Pipe(duplex=False)
            args = (send, counter, cursor, build, corpus, paths, vocabulary)
            process = context.Process(target=_worker, args=args, daemon=True)
            process.start()
            send.close()
            workers.append((process, receive))
    finally:
        _in_worker = False
    results: dict[int, tuple[str, Any]] = {}
    try:
        pending = {id(conn): conn for _, conn in workers}
        while pending:
            for conn in wait(list(pending.values()), timeout=0.25):
                try:
                    results[id(conn)] = conn.recv()
                except EOFError:
                    results[id(conn)] = ("error", "an indexing worker died")
                del pending[id(conn)]
            if progress:
                progress(counter.value, total)
            if any(r[0] != "ok" for r in results.values()):
                break
    finally:
        for process, conn in workers:
            if id(conn) not in results or results[id(conn)][0] != "ok":
                process.terminate()
            process.join()
            conn.close()
    parts = []
    for _, conn in workers:
        kind, value = results.get(id(conn), ("error", "an indexing worker was stopped"))
        if kind == "oserror":
            raise OSError(*value)
        if kind != "ok":
            raise RuntimeError(f"indexing failed: {value}")
        parts.append(value)
    return parts


def settle_duplicates(parts: list[Part]) -> tuple[list[str], list[str]]:
    """(relpaths to delete, skip messages) for references indexed from several files.

    As ``ratsarchiv check``: the file named after the reference owns it, else the first.
    """
    by_slug: dict[str, list[Indexed]] = {}
    for part in parts:
        for item in part.indexed:
            by_slug.setdefault(item.slug, []).append(item)
    losers: list[str] = []
    messages: list[str] = []
    for slug, group in by_slug.items():
        if len(group) == 1:
            continue
        group.sort(key=lambda i: (Path(i.relpath).stem != slug, i.relpath))
        for item in group[1:]:
            losers.append(item.relpath)
            messages.append(item.duplicate_line.replace("{owner}", group[0].relpath))
    return losers, messages
