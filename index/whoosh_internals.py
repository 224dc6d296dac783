"""Every use of a private name of Whoosh 2.7.4, behind one door.

Whoosh has no public API for a few things Ratsarchiv needs for speed: writing the
segments of a full build in several processes and committing them together, as Whoosh's
own ``MpWriter`` does. Each function or class here names the private parts it relies on
and why; ``tests/test_whoosh_internals.py`` has one test per private name, which fails
naming the Whoosh version when a release drops the name or changes what it does. Before
upgrading Whoosh, run that file. Anything else in ``index/`` uses Whoosh's public API only.

Sections: writing the segments of a full build (``index.build_workers``,
``index.full_build``).
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.base import Codec, Segment
from whoosh.index import Index
from whoosh.writing import SegmentWriter

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
