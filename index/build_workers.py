"""One share of a full build, and the forked processes that index the shares.

Each worker claims a few files at a time from the shared list (``CLAIM``), reads, parses
and indexes them into one new Whoosh segment of the build directory (``index_part``),
and sends back what it indexed (``Part``); ``index.full_build`` commits the segments.
The file list and the vocabulary are shared by forking, not sent.

Workers die with their parent (``PR_SET_PDEATHSIG``) and drop the reindex lock they
inherit, so a killed build leaves only its ``build-<pid>`` directory for the next run to
remove.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.filedb.filestore import FileStorage

from archive.councils import CouncilLayout
from archive.vocabulary import Vocabulary
from index.analysis import LEXICON_FILE
from index.documents import File, document, duplicate, parse, read, stamp
from index.generations import codec
from index.meeting_catalog import catalog_entry
from index.meeting_documents import is_meeting_file, meeting_documents, meeting_uid, parse_file
from index.schema import Lexicon, build_schema
from index.whoosh_internals import close_empty_segment, finish_segment, worker_writer

if TYPE_CHECKING:
    from index.indexer import BuildProgress


BUILD_LIMIT_MB = 1536
"""Posting pool of one full-build worker: big enough that a share of 12,000 papers is
sorted in memory (a spill to disk writes and merges runs of pickled postings: slower)."""


@dataclass
class Indexed:
    """One document a worker indexed (enough to settle duplicate references later)."""

    relpath: str
    uid: str  # <council>/<slug>: a reference is taken once per council
    reference: str
    duplicate_line: str  # the message if this file loses its reference to another
    digest: str
    stamp: str
    documents: int = 1
    """Index documents of the file (a meeting file has one per item and its minutes)."""


@dataclass
class Part:
    """What one worker did."""

    segment: Any = None
    indexed: list[Indexed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    private: int = 0
    meetings: list[dict[str, Any]] = field(default_factory=list)
    """The meeting catalog's entries of the part's meeting files (``index.meeting_catalog``),
    so the build reads each meeting file once."""


def index_part(
    build: Path,
    corpus: Path,
    paths: Iterable[Path],
    vocabulary: Vocabulary,
    tick: Callable[[], None],
    layout: CouncilLayout,
) -> Part:
    """Index ``paths`` (their councils from ``layout``) into one new segment of the build
    (in a worker, or inline)."""
    part = Part()
    storage = FileStorage(str(build), supports_mmap=False)
    ix = storage.open_index(schema=build_schema(Lexicon.load(build / LEXICON_FILE)))
    writer = worker_writer(ix, BUILD_LIMIT_MB, codec())
    try:
        for path in paths:
            relpath = path.relative_to(corpus).as_posix()
            council = layout.council_of(relpath)
            file = read(corpus, path, part.skipped, vocabulary.fingerprint, council)
            if file and is_meeting_file(relpath):
                _index_meeting(file, writer, part, vocabulary)
                tick()
                continue
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
                        motion.uid,
                        motion.reference,
                        message,
                        file.digest,
                        doc["stamp"].decode("ascii"),
                    )
                )
            tick()
        if part.indexed:
            part.segment = finish_segment(writer)
        else:  # not cancel(): it removes the temp folder the build's own writer shares
            close_empty_segment(writer)
    except BaseException:
        writer.cancel()
        raise
    return part


def _index_meeting(file: File, writer: Any, part: Part, vocabulary: Vocabulary) -> None:
    meeting = parse_file(file, part.skipped)
    if meeting is None:
        return
    docs = meeting_documents(meeting, file, vocabulary)
    for doc in docs:
        writer.add_document(**doc)
    uid = meeting_uid(file.council, meeting.id)
    part.indexed.append(
        Indexed(file.relpath, uid, "", "", file.digest, stamp(file.path), documents=len(docs))
    )
    part.meetings.append(catalog_entry(file.relpath, file.path, meeting))


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
    layout: CouncilLayout,
) -> None:
    def tick() -> None:
        with counter.get_lock():
            counter.value += 1

    # The posting pool holds millions of small objects that the cyclic garbage collector
    # would walk again and again (4% of a build); a worker lives for one build, and what
    # few cycles it leaves go with it.
    gc.disable()
    try:
        part = index_part(build, corpus, _claimed(paths, cursor), vocabulary, tick, layout)
        conn.send(("ok", part))
    except OSError as exc:
        conn.send(("oserror", (exc.errno, exc.strerror, exc.filename)))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def build_in_workers(
    build: Path,
    corpus: Path,
    paths: list[Path],
    procs: int,
    vocabulary: Vocabulary,
    progress: BuildProgress | None,
    layout: CouncilLayout,
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
            args = (send, counter, cursor, build, corpus, paths, vocabulary, layout)
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
