"""Incremental update of the live generation, in place.

A file whose modification time and size match its document (``manifest.json``) is not
even read; others are compared by content digest; only changed files are re-indexed,
deleted ones removed, and Whoosh's own commit makes the change visible at once (never an
optimize). Small segments are merged in a second commit once there are ``MAX_SEGMENTS``.

A file's council is its folder's (``archive.councils``): a file whose council changed (a
folder that became a council) is read again, and a reference is taken once per council
(the document's ``uid``). The councils' descriptions are recorded in ``meta.json`` at every
run, also when no paper changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.index import Index
from whoosh.writing import MERGE_SMALL

from archive.corpus_walk import walk_corpus
from archive.councils import council_layout
from archive.meeting_files import walk_meetings
from archive.vocabulary import Vocabulary
from index.documents import File, document, duplicate, parse, read, stamp
from index.generations import (
    MANIFEST,
    WRITER_LIMIT_MB,
    ManifestEntry,
    codec,
    council_meta,
    delete_path,
    open_generation,
    read_manifest,
    read_meta,
    write_manifest,
    write_meta,
)
from index.meeting_catalog import write_catalog
from index.meeting_documents import is_meeting_file, meeting_documents, meeting_uid, parse_file
from index.organization_catalog import write_catalog as write_organizations
from index.statistics import write_statistics

if TYPE_CHECKING:
    from index.indexer import BuildProgress, ReindexReport


MAX_SEGMENTS = 8
"""Segments an index may gather from incremental runs before the small ones are merged."""


def _tidy(ix: Index) -> None:
    """Merge the small segments of incremental runs once there are ``MAX_SEGMENTS``.

    A separate commit after the edit's own: the edit is searchable first, and the merge
    (half a second on Karlsruhe, every few runs) only delays the end of the command.
    """
    with ix.reader() as reader:
        segments = len(reader.leaf_readers())
    if segments < MAX_SEGMENTS:
        return
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, codec=codec())
    try:
        writer.commit(mergetype=MERGE_SMALL, optimize=False)
    except BaseException:
        writer.cancel()
        raise


def incremental_update(
    corpus: Path,
    gen: Path,
    report: ReindexReport,
    progress: BuildProgress | None,
    vocabulary: Vocabulary,
) -> None:
    manifest = read_manifest(gen)
    stored = dict(manifest)
    meta = read_meta(gen)
    trust_stamps = meta.get("vocabulary") == vocabulary.digest
    layout = council_layout(corpus)
    present: set[str] = set()
    changed: list[File] = []
    owners: dict[str, str] = {}  # uid → relpath
    walk = walk_corpus(corpus)
    meetings, refused = walk_meetings(corpus, layout)
    report.warnings.extend(str(w) for w in [*walk.refused, *refused])
    found = [
        *walk.files,
        *((p.relative_to(corpus).as_posix(), str(p), stamp(p)) for p, _ in meetings),
    ]
    for relpath, path, file_stamp in found:
        present.add(relpath)
        known = manifest.get(relpath)
        council = layout.council_of(relpath)
        same_council = known is not None and known.uid.startswith(council + "/")
        if trust_stamps and known and same_council and known.stamp == file_stamp:
            owners[known.uid] = relpath
            continue
        file = read(corpus, Path(path), report.skipped, vocabulary.fingerprint, council)
        if file is None:  # unreadable: the last good version (if any) stays
            if known is None:
                present.discard(relpath)
            continue
        if known and known.digest == file.digest:
            owners[known.uid] = relpath
        else:
            changed.append(file)
    report.unchanged = len(present) - len(changed)
    gone = sorted(set(manifest) - present)
    report.generation = gen.name
    if changed or gone:  # only now open Whoosh (and load the compound lexicon)
        ix = open_generation(gen, write=True)
        try:
            _apply(ix, changed, gone, manifest, owners, report, progress, vocabulary)
            write_meta(gen, vocabulary, layout)
            if manifest != stored or not (gen / MANIFEST).exists():
                write_manifest(gen, manifest)
            _tidy(ix)
        finally:
            ix.close()
    else:
        if meta.get("councils") != council_meta(layout):  # an edited _council.yml alone
            write_meta(gen, vocabulary, layout)
        if not (gen / MANIFEST).exists():
            write_manifest(gen, manifest)
    report.documents = sum(not is_meeting_file(relpath) for relpath in manifest)
    report.meetings = write_catalog(corpus, gen, layout, report.skipped, previous=gen)
    report.organizations = write_organizations(corpus, gen, layout, report.skipped, previous=gen)
    write_statistics(gen, vocabulary, previous=gen)


def _apply_meeting(
    writer: Any,
    file: File,
    manifest: dict[str, ManifestEntry],
    report: ReindexReport,
    vocabulary: Vocabulary,
) -> None:
    """Replace the documents of one changed meeting file (a broken one keeps its last)."""
    meeting = parse_file(file, report.skipped)
    if meeting is None:
        return
    known = file.relpath in manifest
    delete_path(writer, file.relpath)
    for doc in meeting_documents(meeting, file, vocabulary):
        writer.add_document(**doc)
    report.updated += known
    report.added += not known
    uid = meeting_uid(file.council, meeting.id)
    manifest[file.relpath] = ManifestEntry(file.digest, uid, stamp(file.path))


def _apply(
    ix: Index,
    changed: list[File],
    gone: list[str],
    manifest: dict[str, ManifestEntry],
    owners: dict[str, str],
    report: ReindexReport,
    progress: BuildProgress | None,
    vocabulary: Vocabulary,
) -> None:
    """Write the changes of an incremental run in one Whoosh commit."""
    total = report.unchanged + len(changed)
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, codec=codec())
    try:
        for i, file in enumerate(changed, 1):
            if is_meeting_file(file.relpath):
                _apply_meeting(writer, file, manifest, report, vocabulary)
                if progress:
                    progress(report.unchanged + i, total)
                continue
            motion = parse(file, report.skipped)
            owner = owners.get(motion.uid, file.relpath) if motion else file.relpath
            if motion is not None and motion.public and owner != file.relpath:
                report.skipped.append(
                    duplicate(file.path, file.text, motion.reference, owners[motion.uid])
                )
                motion = None
            if progress:
                progress(report.unchanged + i, total)
            if motion is None:  # unreadable: the last good version stays in the index
                continue
            known = file.relpath in manifest
            delete_path(writer, file.relpath)  # also if the manifest lags behind
            manifest.pop(file.relpath, None)
            if not motion.public:
                report.private += 1
                report.removed += known
            else:
                owners[motion.uid] = file.relpath
                doc = document(motion, file, vocabulary)
                writer.add_document(**doc)
                manifest[file.relpath] = ManifestEntry(
                    file.digest, motion.uid, doc["stamp"].decode()
                )
                report.updated += known
                report.added += not known
        for path in gone:
            delete_path(writer, path)
            manifest.pop(path)
            report.removed += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)
