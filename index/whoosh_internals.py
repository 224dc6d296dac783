"""Every use of a private name of Whoosh (2.7.4, pinned in ``pyproject.toml``), in one place.

Each function says which private names it relies on and why no public API does the job.
``tests/test_whoosh_internals_*.py`` check every one of them against the installed Whoosh
and fail, naming its version, when a name is missing or behaves differently. There is no
silent slow path: a fast path that cannot run raises here and fails those tests.
"""

from __future__ import annotations

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import FilterMatcher, Matcher
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length
from whoosh.util.numlists import delta_decode

WHOOSH_VERSION = whoosh.versionstring()


class WhooshInternalsError(RuntimeError):
    """The installed Whoosh lacks a private part this module relies on (not a user error:
    the pinned version is required)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Whoosh {WHOOSH_VERSION}: {what} (Ratsarchiv needs Whoosh 2.7.4)")


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
