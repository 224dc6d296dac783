"""Every use of a private name of Whoosh (2.7.4, pinned in ``pyproject.toml``), behind one door.

Whoosh has no public API for a few things Ratsarchiv needs for speed: writing the segments
of a full build in several processes and committing them together, as Whoosh's own
``MpWriter`` does, and reading posting lists and field lengths a block at a time for the
NumPy matcher. Each function or class here names the private parts it relies on and why;
``tests/test_whoosh_internals.py`` and ``tests/test_whoosh_internals_matching.py`` have one
test per private name, which fails naming the Whoosh version when a release drops the name
or changes what it does. There is no silent slow path: a fast path that cannot run raises
here and fails those tests. Before upgrading Whoosh, run those files. Anything else in
``index/`` uses Whoosh's public API only.

Sections: writing the segments of a full build (``index.build_workers``,
``index.full_build``); matching and query (``index.matching``, ``index.facets``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import whoosh
from whoosh.codec.base import Codec, Segment
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.index import Index
from whoosh.matching import FilterMatcher, Matcher
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length
from whoosh.util.numlists import delta_decode
from whoosh.writing import SegmentWriter

from archive.errors import EngineError

WHOOSH_VERSION = whoosh.versionstring()


class WhooshInternalsError(EngineError):
    """The installed Whoosh lacks a private part this module relies on (not a user error:
    the pinned version is required)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Whoosh {WHOOSH_VERSION}: {what} (Ratsarchiv needs Whoosh 2.7.4)")


# -- writing: the segments of a full build ------------------------------------------------


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
    """Whoosh's segment writer with the field lengths of its final flush read in bulk.

    Overrides ``SegmentWriter._flush_segment``, which ``_finalize_segment`` calls to write
    the pooled postings: the same steps as Whoosh's (close the per-document writer, add
    the postings with the segment's field lengths, close the field writer), with
    ``_Lengths`` in place of the per-document reader Whoosh asks one value at a time.
    """

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


def worker_writer(ix: Index, limitmb: int, codec: Codec) -> BuildWriter:
    """A ``BuildWriter`` for one worker of a full build, without the index's write lock.

    Relies on ``SegmentWriter``'s private ``_lk`` argument (``_lk=False``: do not take
    ``WRITELOCK``), as ``MpWriter``'s sub-writers do: the workers write segments of one
    index at the same time while the parent's writer holds the lock for all of them.
    """
    return BuildWriter(ix, _lk=False, limitmb=limitmb, codec=codec)


def finish_segment(writer: SegmentWriter) -> Segment:
    """Write out the new segment of ``writer`` and return it, without committing a TOC.

    Relies on ``SegmentWriter._finalize_segment`` (what ``MpWriter`` calls for each
    sub-writer): flush the postings, close the segment's files, assemble a compound file
    if the codec wants one. The parent lists the returned segment in its TOC
    (``commit_segments``).
    """
    return writer._finalize_segment()


def close_empty_segment(writer: SegmentWriter) -> None:
    """Close a worker's writer that added no document, leaving the shared storage alone.

    Relies on ``SegmentWriter._close_segment`` (close the segment's files). ``cancel()``
    would also remove the temporary storage, which the workers of a build share with the
    parent's writer: the parent then fails with "This file is already closed".
    """
    writer._close_segment()


def commit_segments(writer: SegmentWriter, segments: list[Segment]) -> None:
    """Commit a TOC listing exactly ``segments`` (written by workers) and release the lock.

    ``writer`` is the parent's: it added no documents of its own. Relies on the steps of
    ``SegmentWriter.commit`` that ``MpWriter.commit`` calls one by one:
    ``_close_segment`` (close the writer's own, empty segment), ``_commit_toc`` (write
    the new TOC, delete files no segment of it uses) and ``_finish`` (remove the
    temporary storage, release ``WRITELOCK``). ``commit()`` itself would only list the
    index's old segments and the writer's own.
    """
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


# -- matching and query


_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


def read_postings(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, term frequencies) of one segment's posting list, a block at a time.

    Deleted documents are included: the caller masks them (``Columns.live``), and Whoosh's
    ``doc_frequency``, which its idf uses, counts them too until a merge drops them.

    Relies on: ``SegmentReader.postings`` wrapping the codec's matcher in a ``FilterMatcher``
    (public ``child``, ``reset()`` back to its first posting) when the segment has
    deletions; for posting lists on disk, the
    ``W3LeafMatcher`` block internals ``_read_data()`` (loads the current block into
    ``_data`` = (ids, weights, values); ids delta-encoded unless ``_byteids``; weights
    ``None``, one number for the whole block, or one per posting) and ``_next_block()``.
    Stepping through the public ``Matcher`` API calls Python code per posting, which made a
    common word cost hundreds of milliseconds. ``W3Codec``'s default ``inlinelimit=1``
    inlines no posting list in the term info, so every term comes as a ``W3LeafMatcher``.
    """
    leaf = matcher
    if isinstance(matcher, FilterMatcher):  # the filter already stepped over deleted ones
        leaf = matcher.child
        leaf.reset()
    if not isinstance(leaf, W3LeafMatcher):
        raise WhooshInternalsError(f"postings come as {type(leaf).__name__}, not W3LeafMatcher")
    docs: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    while leaf.is_active():
        leaf._read_data()
        ids, weights = leaf._data[0], leaf._data[1]
        if not leaf._byteids:
            ids = tuple(delta_decode(ids))
        docs.append(np.array(ids, dtype=np.int64))
        if weights is None:
            tfs.append(np.ones(len(ids)))
        elif isinstance(weights, int | float):
            tfs.append(np.full(len(ids), float(weights)))
        else:
            tfs.append(np.array(weights, dtype=np.float64))
        leaf._next_block()
    if docs:
        return np.concatenate(docs), np.concatenate(tfs)
    return np.zeros(0, np.int64), np.zeros(0)


def field_lengths(segment: IndexReader, fieldname: str) -> np.ndarray:
    """Every document's length of ``fieldname`` in one segment, as Whoosh stores and scores
    it (one byte, ``byte_to_length``); 0 where a document lacks the field.

    Relies on: the segment reader's per-document reader ``_perdoc`` and the name of the
    lengths column, ``whoosh.codec.whoosh3._lenfield(fieldname)`` (``_<field>_len``), read
    with the public ``has_column``/``column_reader`` and ``LENGTHS_COLUMN``. The public
    ``doc_field_length(docnum, field)`` reads the same byte one document per call (seconds
    on a large index); a segment without the column has no document with the field.
    """
    perdoc = getattr(segment, "_perdoc", None)
    if perdoc is None:
        raise WhooshInternalsError(f"{type(segment).__name__} has no _perdoc")
    count = segment.doc_count_all()
    name = _lenfield(fieldname)
    if not perdoc.has_column(name):
        return np.zeros(count)
    column = perdoc.column_reader(name, LENGTHS_COLUMN)
    return _LENGTHS[np.fromiter(iter(column), dtype=np.uint8, count=count)]
