"""A full rebuild: a new generation built from scratch beside the live one.

The compound lexicon comes first, from the opening of every file, because the analyser
needs it before any word is indexed. Then the files are indexed in one process, or two
for big corpora (``index.build_workers``), each into a segment of its own, and the parent
writes the table of contents listing all segments: Whoosh's own multi-segment commit, as
``MpWriter`` does, without pickling every document through job files
(``index.whoosh_internals``). Duplicate references (within one council: the same
``uid``) are settled as ``ratsarchiv check`` does, and ``CURRENT`` is pointed at the new
generation, so readers keep the old one until they refresh, and a crash or a broken file
leaves the previous generation serving.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from archive.corpus_walk import walk_corpus
from archive.councils import CouncilLayout, council_layout
from archive.meeting_files import walk_meetings
from archive.vocabulary import Vocabulary
from index.analysis import LEXICON_FILE, base_lexicon
from index.build_workers import Indexed, Part, build_in_workers, index_part
from index.generations import (
    BUILD_PREFIX,
    GEN_PREFIX,
    WRITER_LIMIT_MB,
    ManifestEntry,
    clean_leftovers,
    codec,
    delete_path,
    generation_dirs,
    generation_number,
    open_generation,
    point_current,
    write_manifest,
    write_meta,
)
from index.meeting_catalog import write_catalog
from index.meeting_documents import is_meeting_file
from index.organization_catalog import write_catalog as write_organizations
from index.schema import Lexicon, build_schema
from index.statistics import write_statistics
from index.whoosh_internals import commit_segments

if TYPE_CHECKING:
    from index.indexer import BuildProgress, ReindexReport


PARALLEL_MIN_FILES = 1000
"""Full builds of at least this many files use two indexing processes."""
LEXICON_CHARS = 5_000
"""Characters at the start of each file the compound lexicon learns its words from."""


def full_rebuild(
    corpus: Path,
    index_dir: Path,
    report: ReindexReport,
    progress: BuildProgress | None,
    procs: int | None,
    vocabulary: Vocabulary,
) -> None:
    """Build a new generation of the whole corpus and make it the live one (``report``
    says what it holds); on any error the build is removed and the live one stays."""
    report.full = True
    walk = walk_corpus(corpus)
    layout = council_layout(corpus)
    meetings, refused = walk_meetings(corpus, layout)
    report.warnings.extend(str(w) for w in [*walk.refused, *refused])
    paths = [Path(file.path) for file in walk.files] + [path for path, _ in meetings]
    if procs is None:
        procs = 2 if len(paths) >= PARALLEL_MIN_FILES and (os.cpu_count() or 1) > 1 else 1
    build = index_dir / f"{BUILD_PREFIX}{os.getpid()}"
    try:
        parts = build_full(corpus, build, paths, vocabulary, procs, progress, layout)
        for part in parts:
            report.skipped.extend(part.skipped)
            report.private += part.private
        losers, messages = settle_duplicates(parts)
        report.skipped.extend(messages)
        ix = open_generation(build, write=True)
        if losers:
            writer = ix.writer(limitmb=WRITER_LIMIT_MB, codec=codec())
            for relpath in losers:
                delete_path(writer, relpath)
            writer.commit(optimize=False, merge=False)
        with ix.searcher() as searcher:
            held = searcher.doc_count()
        expected = sum(i.documents for p in parts for i in p.indexed) - len(losers)
        if held != expected:
            raise RuntimeError(f"the index holds {held} documents, not {expected}")
        meeting_docs = sum(
            i.documents for p in parts for i in p.indexed if is_meeting_file(i.relpath)
        )
        report.documents = held - meeting_docs  # the papers (meetings: report.meetings)
        write_meta(build, vocabulary, layout)
        dropped = set(losers)
        write_manifest(
            build,
            {
                item.relpath: ManifestEntry(item.digest, item.uid, item.stamp)
                for part in parts
                for item in part.indexed
                if item.relpath not in dropped
            },
        )
        read = [entry for part in parts for entry in part.meetings]
        report.meetings = write_catalog(corpus, build, layout, report.skipped, read=read)
        report.organizations = write_organizations(corpus, build, layout, report.skipped)
        write_statistics(build, vocabulary)
        gens = generation_dirs(index_dir)
        number = generation_number(gens[-1].name) + 1 if gens else 1
        gen = index_dir / f"{GEN_PREFIX}{number:06d}"
        os.replace(build, gen)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    point_current(index_dir, gen)
    clean_leftovers(index_dir, gen)
    report.added = report.documents
    report.generation = gen.name


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


def build_full(
    corpus: Path,
    build: Path,
    paths: list[Path],
    vocabulary: Vocabulary,
    procs: int,
    progress: BuildProgress | None,
    layout: CouncilLayout | None = None,
) -> list[Part]:
    """Build a complete index of ``paths`` (councils from ``layout``, by default read from
    the corpus) in the new directory ``build``."""
    layout = layout or council_layout(corpus)
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

            parts = [index_part(build, corpus, paths, vocabulary, tick, layout)]
        else:
            parts = build_in_workers(
                build, corpus, _largest_first(paths), procs, vocabulary, progress, layout
            )
        commit_segments(writer, [p.segment for p in parts if p.segment is not None])
    except BaseException:
        writer.cancel()
        raise
    return parts


def settle_duplicates(parts: list[Part]) -> tuple[list[str], list[str]]:
    """(relpaths to delete, skip messages) for references indexed from several files of
    one council (the same ``uid``; two councils may hold the same reference).

    As ``ratsarchiv check``: the file named after the reference owns it, else the first.
    """
    by_uid: dict[str, list[Indexed]] = {}
    for part in parts:
        for item in part.indexed:
            by_uid.setdefault(item.uid, []).append(item)
    losers: list[str] = []
    messages: list[str] = []
    for uid, group in by_uid.items():
        if len(group) == 1:
            continue
        slug = uid.rpartition("/")[2]
        group.sort(key=lambda i: (Path(i.relpath).stem != slug, i.relpath))
        for item in group[1:]:
            losers.append(item.relpath)
            messages.append(item.duplicate_line.replace("{owner}", group[0].relpath))
    return losers, messages
