"""The index directory: its generations, their manifests and metadata, and cleanup.

Layout of an index directory (``--index``, default ``var/index``)::

    var/index/
      CURRENT          name of the live generation, e.g. "gen-000004" (replaced atomically)
      reindex.lock     the reindex lock (index.lock; released by the OS if a run dies)
      gen-000004/      the live generation: a Whoosh index, lexicon, meta.json, manifest.json
      gen-000003/      the previous generation, kept for readers still using it
      build-4711/      a full rebuild in progress (a leftover is removed by the next run)

``meta.json`` holds the schema version and the vocabulary digest a generation was built
with, and the public descriptions of the corpus's councils (``_council.yml``, rewritten at
every reindex, so searches show a council's current name without reindexing its papers);
``manifest.json`` maps each indexed corpus file to its content digest, uid
(``<council>/<slug>``) and file stamp, so an incremental run reads only files that
changed. Writers of a generation share ``codec()`` and ``WRITER_LIMIT_MB``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any, NamedTuple

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from archive.councils import Council, CouncilLayout
from archive.errors import IndexMissingError
from archive.vocabulary import Vocabulary
from index.analysis import LEXICON_FILE
from index.schema import SCHEMA_VERSION, Lexicon, build_schema

CURRENT = "CURRENT"
META = "meta.json"
MANIFEST = "manifest.json"
GEN_PREFIX = "gen-"
BUILD_PREFIX = "build-"
WRITER_LIMIT_MB = 256
"""Posting pool of a writer of incremental updates and deletions."""


def codec() -> W3Codec:
    """Posting blocks uncompressed: 8% faster to write, faster to read, 15% larger."""
    return W3Codec(compression=0)


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


def generation_number(name: str) -> int:
    """The number of a generation directory's name (``gen-000004`` → 4); -1 if none."""
    try:
        return int(name[len(GEN_PREFIX) :])
    except ValueError:
        return -1


def generation_dirs(index_dir: Path) -> list[Path]:
    """The generation directories in ``index_dir``, oldest first."""
    gens = [p for p in index_dir.glob(GEN_PREFIX + "*") if generation_number(p.name) >= 0]
    return sorted(gens, key=lambda p: generation_number(p.name))


def clean_leftovers(index_dir: Path, live: Path | None) -> None:
    """Remove builds of killed runs, orphaned and superseded generations (keeps live + 1)."""
    for build in index_dir.glob(BUILD_PREFIX + "*"):
        shutil.rmtree(build, ignore_errors=True)
    for tmp in index_dir.glob(f".{CURRENT}.*"):
        tmp.unlink(missing_ok=True)
    gens = generation_dirs(index_dir)
    if live is None:
        keep: set[Path] = set()
    else:
        older = [g for g in gens if generation_number(g.name) < generation_number(live.name)]
        keep = {live, *older[-1:]}
    for gen in gens:
        if gen not in keep:
            shutil.rmtree(gen, ignore_errors=True)


def point_current(index_dir: Path, gen: Path) -> None:
    """Make ``gen`` the live generation: ``CURRENT`` replaced atomically, and synced."""
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
    """A generation's ``meta.json`` (empty if missing or unreadable)."""
    try:
        return json.loads((gen / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def council_meta(layout: CouncilLayout) -> dict[str, dict[str, str]]:
    """The councils as ``meta.json`` records them: key → public description."""
    return {key: council.to_dict() for key, council in sorted(layout.councils.items())}


def read_councils(gen: Path) -> dict[str, Council]:
    """The councils' descriptions recorded with a generation (key → ``Council``)."""
    recorded = read_meta(gen).get("councils")
    councils: dict[str, Council] = {}
    for key, data in recorded.items() if isinstance(recorded, dict) else ():
        if not isinstance(data, dict):
            continue
        values = {k: str(v) for k, v in data.items() if k in _COUNCIL_FIELDS}
        councils[key] = Council(**{"name": key, **values, "key": key})
    return councils


_COUNCIL_FIELDS = frozenset(Council.__dataclass_fields__)


def write_meta(gen: Path, vocabulary: Vocabulary, layout: CouncilLayout) -> None:
    """Record the schema version, the vocabulary and the councils of the generation."""
    meta = {**read_meta(gen), "schema_version": SCHEMA_VERSION, "vocabulary": vocabulary.digest}
    meta["councils"] = council_meta(layout)
    meta["updated"] = time.time()
    tmp = gen / f".{META}.{os.getpid()}"
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, gen / META)


# -- manifest -----------------------------------------------------------------------------


class ManifestEntry(NamedTuple):
    """What the manifest records of one indexed corpus file."""

    digest: str
    uid: str
    stamp: str


def read_manifest(gen: Path) -> dict[str, ManifestEntry]:
    """relative path → content digest, uid and file stamp of every indexed document.

    Read from ``manifest.json`` (written after each commit); if that is missing, from the
    index's columns (slower). A manifest older than the index only makes the next run
    re-index a few files: documents are always replaced by path.
    """
    try:
        data = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
        return {path: ManifestEntry(*entry) for path, entry in data.items()}
    except (OSError, ValueError, TypeError):
        pass
    from index.facets import column_reader  # (NumPy and the search code: only in this case)

    ix = open_generation(gen)
    try:
        with ix.reader() as reader:
            paths = column_reader(reader, "path")
            digests = column_reader(reader, "digest")
            uids = column_reader(reader, "uid")
            stamps = column_reader(reader, "stamp")
            return {
                paths[d]: ManifestEntry(
                    digests[d].decode("ascii"), uids[d], stamps[d].decode("ascii")
                )
                for d in reader.all_doc_ids()
            }
    finally:
        ix.close()


def write_manifest(gen: Path, manifest: dict[str, ManifestEntry]) -> None:
    """Replace the generation's ``manifest.json`` atomically."""
    data = {path: [i.digest, i.uid, i.stamp] for path, i in sorted(manifest.items())}
    tmp = gen / f".{MANIFEST}.{os.getpid()}"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, gen / MANIFEST)


def delete_path(writer: Any, relpath: str) -> None:
    """Delete the documents of corpus file ``relpath``: Whoosh's ``delete_by_term`` without
    its query module, whose import alone was a twentieth of a one-file update."""
    with writer.reader() as reader:
        key = relpath.encode("utf-8")
        if ("path", key) in reader:
            for docnum in reader.postings("path", key).all_ids():
                writer.delete_document(docnum)
