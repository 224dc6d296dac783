"""Build and update the search index from the corpus.

Layout of an index directory (``--index``, default ``var/index``)::

    var/index/
      CURRENT          name of the live generation, e.g. "gen-000004" (replaced atomically)
      reindex.lock     the reindex lock (index.lock; released by the OS if a run dies)
      gen-000004/      the live generation: a Whoosh index, lexicon, meta.json
      gen-000003/      the previous generation, kept for readers still using it
      build-4711/      a full rebuild in progress (a leftover is removed by the next run)

``reindex(corpus, index_dir)`` updates the live generation in place: a file whose
modification time and size match its document is not even read; others are compared by
content digest; only changed files are re-indexed, deleted ones removed, and Whoosh's own
commit makes the change visible at once (never an optimize).
``reindex(..., full=True)`` builds a new generation from scratch beside the live one
(``index.building``: two worker processes for big corpora) and then points ``CURRENT``
at it, so readers keep the old one until they refresh, and a crash or a broken file
leaves the previous generation serving. A first run, or an index of another
``SCHEMA_VERSION``, is always a full build.

Non-public motions are never indexed; non-public consultations are dropped first.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index
from whoosh.writing import MERGE_SMALL

from archive.corpus_walk import walk_corpus
from archive.errors import ConfigError, IndexMissingError
from archive.vocabulary import Vocabulary
from index.analysis import LEXICON_FILE
from index.building import (
    WRITER_LIMIT_MB,
    File,
    Progress,
    build_full,
    codec,
    document,
    duplicate,
    parse,
    read,
    settle_duplicates,
)
from index.lock import reindex_lock
from index.schema import SCHEMA_VERSION, Lexicon, build_schema

CURRENT = "CURRENT"
META = "meta.json"
MANIFEST = "manifest.json"
GEN_PREFIX = "gen-"
BUILD_PREFIX = "build-"
PARALLEL_MIN_FILES = 1000
"""Full builds of at least this many files use two indexing processes."""


@dataclass
class ReindexReport:
    """What a reindex did; ``skipped`` lists ``path:line: reason`` for every file left out,
    ``warnings`` the links the corpus walk did not follow (``archive.corpus_walk``)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    private: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    full: bool = False
    generation: str = ""
    documents: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skipped


# -- layout -------------------------------------------------------------------------------


def live_generation(index_dir: Path) -> Path | None:
    """The directory of the live generation, or ``None`` when no index was built."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    gen = index_dir / name
    return gen if name.startswith(GEN_PREFIX) and gen.is_dir() else None


def open_generation(gen: Path, write: bool = False) -> Index:
    """Open a generation's Whoosh index with its schema rebuilt from code.

    Writing needs the generation's lexicon (compound parts); searching never does.
    """
    storage = FileStorage(str(gen), supports_mmap=False)
    schema = build_schema(Lexicon.load(gen / LEXICON_FILE) if write else Lexicon())
    try:
        return storage.open_index(schema=schema)
    except Exception as exc:  # whoosh raises EmptyIndexError, OSError, ...
        raise IndexMissingError(f"cannot open the search index in {gen}: {exc}") from None


def _generation_number(name: str) -> int:
    try:
        return int(name[len(GEN_PREFIX) :])
    except ValueError:
        return -1


def _generations(index_dir: Path) -> list[Path]:
    gens = [p for p in index_dir.glob(GEN_PREFIX + "*") if _generation_number(p.name) >= 0]
    return sorted(gens, key=lambda p: _generation_number(p.name))


def _clean_leftovers(index_dir: Path, live: Path | None) -> None:
    """Remove builds of killed runs, orphaned and superseded generations (keeps live + 1)."""
    for build in index_dir.glob(BUILD_PREFIX + "*"):
        shutil.rmtree(build, ignore_errors=True)
    for tmp in index_dir.glob(f".{CURRENT}.*"):
        tmp.unlink(missing_ok=True)
    gens = _generations(index_dir)
    if live is None:
        keep: set[Path] = set()
    else:
        older = [g for g in gens if _generation_number(g.name) < _generation_number(live.name)]
        keep = {live, *older[-1:]}
    for gen in gens:
        if gen not in keep:
            shutil.rmtree(gen, ignore_errors=True)


def _point_current(index_dir: Path, gen: Path) -> None:
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    with open(tmp, "w", encoding="ascii") as handle:
        handle.write(gen.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / CURRENT)
    fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_meta(gen: Path) -> dict:
    try:
        return json.loads((gen / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# -- full rebuild -------------------------------------------------------------------------


def _full(
    corpus: Path,
    index_dir: Path,
    report: ReindexReport,
    progress: Progress | None,
    procs: int | None,
    vocabulary: Vocabulary,
) -> None:
    report.full = True
    walk = walk_corpus(corpus)
    report.warnings.extend(str(w) for w in walk.refused)
    paths = [Path(file.path) for file in walk.files]
    if procs is None:
        procs = 2 if len(paths) >= PARALLEL_MIN_FILES and (os.cpu_count() or 1) > 1 else 1
    build = index_dir / f"{BUILD_PREFIX}{os.getpid()}"
    try:
        parts = build_full(corpus, build, paths, vocabulary, procs, progress)
        for part in parts:
            report.skipped.extend(part.skipped)
            report.private += part.private
        losers, messages = settle_duplicates(parts)
        report.skipped.extend(messages)
        ix = open_generation(build, write=True)
        if losers:
            writer = ix.writer(limitmb=WRITER_LIMIT_MB, codec=codec())
            for relpath in losers:
                _delete_path(writer, relpath)
            writer.commit(optimize=False, merge=False)
        with ix.searcher() as searcher:
            report.documents = searcher.doc_count()
        expected = sum(len(p.indexed) for p in parts) - len(losers)
        if report.documents != expected:
            raise RuntimeError(f"the index holds {report.documents} documents, not {expected}")
        _write_meta(build, vocabulary)
        dropped = set(losers)
        _write_manifest(
            build,
            {
                item.relpath: _Indexed(item.digest, item.slug, item.stamp)
                for part in parts
                for item in part.indexed
                if item.relpath not in dropped
            },
        )
        gens = _generations(index_dir)
        number = _generation_number(gens[-1].name) + 1 if gens else 1
        gen = index_dir / f"{GEN_PREFIX}{number:06d}"
        os.replace(build, gen)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    _point_current(index_dir, gen)
    _clean_leftovers(index_dir, gen)
    report.added = report.documents
    report.generation = gen.name


# -- incremental update -------------------------------------------------------------------


class _Indexed(NamedTuple):
    digest: str
    slug: str
    stamp: str


def _delete_path(writer: Any, relpath: str) -> None:
    """Delete the documents of corpus file ``relpath``: Whoosh's ``delete_by_term`` without
    its query module, whose import alone was a twentieth of a one-file update."""
    with writer.reader() as reader:
        key = relpath.encode("utf-8")
        if ("path", key) in reader:
            for docnum in reader.postings("path", key).all_ids():
                writer.delete_document(docnum)


def _manifest(gen: Path) -> dict[str, _Indexed]:
    """relative path → content digest, slug and file stamp of every indexed document.

    Read from ``manifest.json`` (written after each commit); if that is missing, from the
    index's columns (slower). A manifest older than the index only makes the next run
    re-index a few files: documents are always replaced by path.
    """
    try:
        data = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
        return {path: _Indexed(*entry) for path, entry in data.items()}
    except (OSError, ValueError, TypeError):
        pass
    from index.facets import column_reader  # (NumPy and the search code: only in this case)

    ix = open_generation(gen)
    try:
        with ix.reader() as reader:
            paths = column_reader(reader, "path")
            digests = column_reader(reader, "digest")
            slugs = column_reader(reader, "slug")
            stamps = column_reader(reader, "stamp")
            return {
                paths[d]: _Indexed(digests[d].decode("ascii"), slugs[d], stamps[d].decode("ascii"))
                for d in reader.all_doc_ids()
            }
    finally:
        ix.close()


MAX_SEGMENTS = 8
"""Segments an index may gather from incremental runs before the small ones are merged."""


def _tidy(ix: Index) -> None:
    """Merge the small segments of incremental runs once there are ``MAX_SEGMENTS``.

    A separate commit after the edit's own: the edit is searchable first, and the merge
    (half a second on Karlsruhe, every few runs) only delays the end of the command.
    """
    if len(ix._segments()) < MAX_SEGMENTS:
        return
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, codec=codec())
    try:
        writer.commit(mergetype=MERGE_SMALL, optimize=False)
    except BaseException:
        writer.cancel()
        raise


def _write_manifest(gen: Path, manifest: dict[str, _Indexed]) -> None:
    data = {path: [i.digest, i.slug, i.stamp] for path, i in sorted(manifest.items())}
    tmp = gen / f".{MANIFEST}.{os.getpid()}"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, gen / MANIFEST)


def _incremental(
    corpus: Path,
    gen: Path,
    report: ReindexReport,
    progress: Progress | None,
    vocabulary: Vocabulary,
) -> None:
    manifest = _manifest(gen)
    stored = dict(manifest)
    trust_stamps = read_meta(gen).get("vocabulary") == vocabulary.digest
    present: set[str] = set()
    changed: list[File] = []
    owners: dict[str, str] = {}
    walk = walk_corpus(corpus)
    report.warnings.extend(str(w) for w in walk.refused)
    for relpath, path, file_stamp in walk.files:
        present.add(relpath)
        known = manifest.get(relpath)
        if trust_stamps and known and known.stamp == file_stamp:
            owners[known.slug] = relpath
            continue
        file = read(corpus, Path(path), report.skipped, vocabulary.fingerprint)
        if file is None:  # unreadable: the last good version (if any) stays
            if known is None:
                present.discard(relpath)
            continue
        if known and known.digest == file.digest:
            owners[known.slug] = relpath
        else:
            changed.append(file)
    report.unchanged = len(present) - len(changed)
    gone = sorted(set(manifest) - present)
    report.generation = gen.name
    if changed or gone:  # only now open Whoosh (and load the compound lexicon)
        ix = open_generation(gen, write=True)
        try:
            _apply(ix, changed, gone, manifest, owners, report, progress, vocabulary)
            if manifest != stored or not (gen / MANIFEST).exists():
                _write_manifest(gen, manifest)
            _tidy(ix)
        finally:
            ix.close()
    elif not (gen / MANIFEST).exists():
        _write_manifest(gen, manifest)
    report.documents = len(manifest)


def _apply(
    ix: Index,
    changed: list[File],
    gone: list[str],
    manifest: dict[str, _Indexed],
    owners: dict[str, str],
    report: ReindexReport,
    progress: Progress | None,
    vocabulary: Vocabulary,
) -> None:
    """Write the changes of an incremental run in one Whoosh commit."""
    total = report.unchanged + len(changed)
    writer = ix.writer(limitmb=WRITER_LIMIT_MB, codec=codec())
    try:
        for i, file in enumerate(changed, 1):
            motion = parse(file, report.skipped)
            if motion is not None and (motion.public and motion.slug in owners):
                report.skipped.append(
                    duplicate(file.path, file.text, motion.reference, owners[motion.slug])
                )
                motion = None
            if progress:
                progress(report.unchanged + i, total)
            if motion is None:  # unreadable: the last good version stays in the index
                continue
            known = file.relpath in manifest
            _delete_path(writer, file.relpath)  # also if the manifest lags behind
            manifest.pop(file.relpath, None)
            if not motion.public:
                report.private += 1
                report.removed += known
            else:
                owners[motion.slug] = file.relpath
                doc = document(motion, file, vocabulary)
                writer.add_document(**doc)
                manifest[file.relpath] = _Indexed(file.digest, motion.slug, doc["stamp"].decode())
                report.updated += known
                report.added += not known
        for path in gone:
            _delete_path(writer, path)
            manifest.pop(path)
            report.removed += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)
    _write_meta(Path(ix.storage.folder), vocabulary, report)


def _write_meta(gen: Path, vocabulary: Vocabulary, report: ReindexReport | None = None) -> None:
    meta = {**read_meta(gen), "schema_version": SCHEMA_VERSION, "vocabulary": vocabulary.digest}
    meta["updated"] = time.time()
    tmp = gen / f".{META}.{os.getpid()}"
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, gen / META)


# -- entry point --------------------------------------------------------------------------


def reindex(
    corpus: Path,
    index_dir: Path,
    full: bool = False,
    progress: Progress | None = None,
    procs: int | None = None,
) -> ReindexReport:
    """Bring the index in ``index_dir`` up to date with ``corpus`` (or rebuild it: ``full``).

    Raises ``IndexLockedError`` when another reindex holds the lock, ``ConfigError`` when
    the corpus is missing. Broken files are reported in ``skipped``, never fatal.
    ``procs`` forces the number of indexing processes of a full build (default: automatic).
    """
    started = time.monotonic()
    report = ReindexReport()
    if not corpus.is_dir():
        raise ConfigError(f"corpus directory {corpus} does not exist")
    with reindex_lock(index_dir):
        vocabulary = Vocabulary.load(corpus)  # canonical names; a broken file stops here
        try:
            live = live_generation(index_dir)
            _clean_leftovers(index_dir, live)
            if full or live is None or read_meta(live).get("schema_version") != SCHEMA_VERSION:
                _full(corpus, index_dir, report, progress, procs, vocabulary)
            else:
                _incremental(corpus, live, report, progress, vocabulary)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise ConfigError(
                f"cannot write the index in {index_dir}: {exc.strerror or exc}{where}; "
                "the previous index is still in use"
            ) from None
        except RuntimeError as exc:
            raise ConfigError(f"{exc}; the previous index is still in use") from None
    report.seconds = time.monotonic() - started
    return report
