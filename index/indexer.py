"""Build and update the search index from the corpus.

Layout of an index directory (``--index``, default ``var/index``)::

    var/index/
      CURRENT          name of the live generation, e.g. "gen-000004" (replaced atomically)
      reindex.lock     the reindex lock (index.lock; released by the OS if a run dies)
      gen-000004/      the live generation: a Whoosh index, lexicon, meta.json
      gen-000003/      the previous generation, kept for readers still using it
      build-4711/      a full rebuild in progress (a leftover is removed by the next run)

``reindex(corpus, index_dir)`` updates the live generation in place: only files whose
content changed are re-read (each document stores its file's content digest), deleted
files are removed, and Whoosh's own commit makes the change visible at once.
``reindex(..., full=True)`` builds a new generation from scratch beside the live one and
then points ``CURRENT`` at it, so readers keep the old one until they refresh, and a
crash or a broken file leaves the previous generation serving.

Non-public motions are never indexed; non-public consultations are dropped first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from archive.corpus import iter_motion_files, parse_motion, read_text
from archive.errors import ConfigError, CorpusError, CorpusErrors, IndexMissingError
from archive.motion import Motion
from archive.vocabulary import Vocabulary
from index.analysis import LEXICON_FILE
from index.lock import reindex_lock
from index.schema import (
    SCHEMA_VERSION,
    TEXT_FIELDS,
    Lexicon,
    build_schema,
    public_view,
    to_document,
)

CURRENT = "CURRENT"
META = "meta.json"
GEN_PREFIX = "gen-"
BUILD_PREFIX = "build-"
_REFERENCE_KEY = re.compile(r"^reference\s*:", re.MULTILINE)
PARALLEL_MIN_DOCS = 2000
"""Full builds of at least this many documents use two indexing processes."""
WRITER_LIMIT_MB = 256
LEXICON_CHARS = 5000
"""Characters of each text field of each document the compound lexicon is built from."""


def _codec() -> W3Codec:
    """Posting blocks uncompressed: 8% faster to write, faster to read, 15% larger."""
    return W3Codec(compression=0)


Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are read and indexed."""


@dataclass
class ReindexReport:
    """What a reindex did; ``skipped`` lists ``path:line: reason`` for every file left out."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    private: int = 0
    skipped: list[str] = field(default_factory=list)
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


def _read_meta(gen: Path) -> dict:
    try:
        return json.loads((gen / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# -- reading the corpus -------------------------------------------------------------------


@dataclass
class _File:
    relpath: str
    path: Path
    text: str
    digest: str


def _read(corpus: Path, path: Path, report: ReindexReport, salt: str = "") -> _File | None:
    """``salt``: the vocabulary's digest, so a vocabulary change updates every document."""
    try:
        text = read_text(path)
    except CorpusError as exc:
        report.skipped.append(str(exc))
        return None
    digest = hashlib.blake2b((text + salt).encode("utf-8"), digest_size=16).hexdigest()
    return _File(path.relative_to(corpus).as_posix(), path, text, digest)


def _parse(file: _File, report: ReindexReport) -> Motion | None:
    try:
        return parse_motion(file.text, file.path)
    except CorpusErrors as exc:
        report.skipped.extend(str(e) for e in exc.errors)
    except CorpusError as exc:
        report.skipped.append(str(exc))
    return None


def _duplicate(file: _File, motion: Motion, owner: str) -> str:
    key = _REFERENCE_KEY.search(file.text)
    line = file.text.count("\n", 0, key.start()) + 1 if key else 1
    return str(
        CorpusError(file.path, f"duplicate reference {motion.reference!r} (also in {owner})", line)
    )


def _texts(docs: list[dict]) -> Iterator[str]:
    """The texts the lexicon learns words from: the opening of what each text field indexes
    (the words of a council's papers repeat; the first pages carry enough of them)."""
    for doc in docs:
        for text in TEXT_FIELDS:
            yield doc.get(text.name, "")[:LEXICON_CHARS]


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
    files = list(iter_motion_files(corpus))
    total = 2 * len(files)
    done = 0
    by_slug: dict[str, list[tuple[_File, Motion, dict]]] = {}
    for path in files:
        done += 1
        file = _read(corpus, path, report, vocabulary.digest)
        motion = _parse(file, report) if file else None
        if file and motion:
            if not motion.public:
                report.private += 1
            else:
                doc = _document(motion, file, vocabulary)
                by_slug.setdefault(motion.slug, []).append((file, motion, doc))
        if progress:
            progress(done, total)
    kept: list[dict] = []
    for slug, group in by_slug.items():
        # As ``ratsarchiv check``: the file named after the reference owns it, then the first.
        group.sort(key=lambda item: (item[0].path.stem != slug, item[0].path))
        owner = group[0][0]
        for file, motion, _ in group[1:]:
            report.skipped.append(_duplicate(file, motion, owner.relpath))
        kept.append(group[0][2])

    build = index_dir / f"{BUILD_PREFIX}{os.getpid()}"
    try:
        lexicon = Lexicon.build(_texts(kept))
        if procs is None:
            procs = 2 if len(kept) >= PARALLEL_MIN_DOCS and (os.cpu_count() or 1) > 1 else 1
        count = _build(build, lexicon, kept, procs, progress, done, total)
        if count != len(kept) and procs > 1:  # a lost sub-segment: build serially instead
            shutil.rmtree(build)
            count = _build(build, lexicon, kept, 1, progress, done, total)
        if count != len(kept):
            raise RuntimeError(f"index holds {count} documents, expected {len(kept)}")
        _write_meta(build, vocabulary)
        gens = _generations(index_dir)
        number = _generation_number(gens[-1].name) + 1 if gens else 1
        gen = index_dir / f"{GEN_PREFIX}{number:06d}"
        os.replace(build, gen)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    _point_current(index_dir, gen)
    _clean_leftovers(index_dir, gen)
    report.added = len(kept)
    report.documents = len(kept)
    report.generation = gen.name


def _build(
    build: Path,
    lexicon: Lexicon,
    kept: list[dict],
    procs: int,
    progress: Progress | None,
    done: int,
    total: int,
) -> int:
    build.mkdir(parents=True)
    lexicon.save(build / LEXICON_FILE)
    storage = FileStorage(str(build), supports_mmap=False)
    ix = storage.create_index(build_schema(lexicon))
    global _parallel_build
    if procs > 1:
        _parallel_build = True
        writer = ix.writer(procs=procs, multisegment=True, limitmb=WRITER_LIMIT_MB, codec=_codec())
    else:
        writer = ix.writer(limitmb=WRITER_LIMIT_MB, codec=_codec())
    try:
        for doc in kept:
            writer.add_document(**doc)
            done += 1
            if progress:
                progress(done, total)
        writer.commit()
    except BaseException:
        for task in getattr(writer, "tasks", []):  # workers would wait for jobs forever
            task.terminate()
            task.join()
        writer.cancel()
        raise
    finally:
        _parallel_build = False
    meta = {"schema_version": SCHEMA_VERSION, "documents": len(kept), "built": time.time()}
    (build / META).write_text(json.dumps(meta), encoding="utf-8")
    with ix.searcher() as searcher:
        count = searcher.doc_count()
    ix.close()
    return count


# -- incremental update -------------------------------------------------------------------


@dataclass
class _Indexed:
    digest: str
    slug: str
    stamp: str


def _manifest(ix: Index) -> dict[str, _Indexed]:
    """relative path → content digest, slug and file stamp of every indexed document."""
    with ix.reader() as reader:
        paths = reader.column_reader("path")
        digests = reader.column_reader("digest")
        slugs = reader.column_reader("slug")
        stamps = reader.column_reader("stamp")
        return {
            paths[d]: _Indexed(digests[d].decode("ascii"), slugs[d], stamps[d].decode("ascii"))
            for d in reader.all_doc_ids()
        }


def _stamp(path: Path) -> str:
    """Modification time and size: a file with the same stamp is not read again."""
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_mtime_ns}:{info.st_size}"


def _incremental(
    corpus: Path,
    gen: Path,
    report: ReindexReport,
    progress: Progress | None,
    vocabulary: Vocabulary,
) -> None:
    ix = open_generation(gen, write=True)
    try:
        manifest = _manifest(ix)
        trust_stamps = _read_meta(gen).get("vocabulary") == vocabulary.digest
        paths = list(iter_motion_files(corpus))
        present: set[str] = set()
        changed: list[_File] = []
        owners: dict[str, str] = {}
        for path in paths:
            relpath = path.relative_to(corpus).as_posix()
            present.add(relpath)
            known = manifest.get(relpath)
            if trust_stamps and known and known.stamp == _stamp(path):
                owners[known.slug] = relpath
                continue
            file = _read(corpus, path, report, vocabulary.digest)
            if file is None:  # unreadable: the last good version (if any) stays
                if known is None:
                    present.discard(relpath)
                continue
            if known and known.digest == file.digest:
                owners[known.slug] = relpath
            else:
                changed.append(file)
        report.unchanged = len(present) - len(changed)
        writer = None
        for i, file in enumerate(changed, 1):
            motion = _parse(file, report)
            if motion is not None and (motion.public and motion.slug in owners):
                report.skipped.append(_duplicate(file, motion, owners[motion.slug]))
                motion = None
            if progress:
                progress(report.unchanged + i, len(present))
            if motion is None:  # unreadable: the last good version stays in the index
                continue
            writer = writer or ix.writer(limitmb=WRITER_LIMIT_MB, codec=_codec())
            known = file.relpath in manifest
            if known:
                writer.delete_by_term("path", file.relpath)
            if not motion.public:
                report.private += 1
                report.removed += known
            else:
                owners[motion.slug] = file.relpath
                writer.add_document(**_document(motion, file, vocabulary))
                report.updated += known
                report.added += not known
        for path in sorted(set(manifest) - present):
            writer = writer or ix.writer(limitmb=WRITER_LIMIT_MB, codec=_codec())
            writer.delete_by_term("path", path)
            report.removed += 1
        if writer is not None:
            writer.commit(optimize=False)
            _write_meta(gen, vocabulary, report)
        with ix.searcher() as searcher:
            report.documents = searcher.doc_count()
        report.generation = gen.name
    finally:
        ix.close()


def _document(motion: Motion, file: _File, vocabulary: Vocabulary) -> dict:
    doc = to_document(public_view(motion), file.relpath, file.digest, vocabulary)
    doc["stamp"] = _stamp(file.path).encode("ascii")
    return doc


def _write_meta(gen: Path, vocabulary: Vocabulary, report: ReindexReport | None = None) -> None:
    meta = {**_read_meta(gen), "schema_version": SCHEMA_VERSION, "vocabulary": vocabulary.digest}
    meta["updated"] = time.time()
    tmp = gen / f".{META}.{os.getpid()}"
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, gen / META)


# -- entry point --------------------------------------------------------------------------


def _orphan_guard() -> None:
    """In a forked indexing worker: die with the parent (Linux), never outlive a killed run."""
    if not _parallel_build:
        return
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


_parallel_build = False
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_orphan_guard)


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
            if full or live is None or _read_meta(live).get("schema_version") != SCHEMA_VERSION:
                _full(corpus, index_dir, report, progress, procs, vocabulary)
            else:
                _incremental(corpus, live, report, progress, vocabulary)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise ConfigError(
                f"cannot write the index in {index_dir}: {exc.strerror or exc}{where}; "
                "the previous index is still in use"
            ) from None
    report.seconds = time.monotonic() - started
    return report
