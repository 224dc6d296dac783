"""Matching a compiled query against every document at once, with NumPy.

A result page needs the whole match set (for the total and the facet counts) and the
scores of all matches (for relevance order). Stepping a Whoosh matcher through ten
thousand documents in Python costs hundreds of milliseconds for a common word, so the
usual shapes — terms, OR, AND, NOT, constant-score filters — are evaluated here instead:
each term's postings are read block by block into arrays, scored with Whoosh's BM25F
formula (same idf, same length normalisation) and combined as dense arrays. Anything
else (phrases) is matched by Whoosh under a deadline and merged in.

>>> round(float(bm25(np.array([2.0]), np.array([100.0]), 100.0, idf=1.5)[0]), 3)
2.062
"""

from __future__ import annotations

import struct
import time
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from whoosh import collectors
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length
from whoosh.util.numlists import delta_decode

from index.query import DateRange, TextPhrase

B = 0.75
K1 = 1.2
_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
POSTINGS_CACHE = 2_000_000
"""Postings (docnum, frequency pairs) kept in memory per commit, about 16 bytes each."""


def bm25(tf: np.ndarray, length: np.ndarray, avg: float, idf: float) -> np.ndarray:
    """Whoosh's ``BM25F`` per posting (``B=0.75``, ``K1=1.2``)."""
    return idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / avg))


class TimeLimited(collectors.ScoredCollector):
    """Collects every match of a Whoosh query with its score; stops at a deadline."""

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline
        self.docs: list[int] = []
        self.scores: list[float] = []
        self.timed_out = False

    def _collect(self, global_docnum: int, score: float) -> float:
        self.docs.append(global_docnum)
        self.scores.append(score)
        if not len(self.docs) & 127 and time.monotonic() > self.deadline:
            self.timed_out = True
            raise collectors.TimeLimit
        return -score

    def results(self):  # type: ignore[no-untyped-def]
        raise NotImplementedError("read .docs and .scores")


class Matcher:
    """Dense match masks and scores for queries over one searcher (one commit)."""

    def __init__(
        self,
        searcher: Searcher,
        live: np.ndarray,
        sequence: Callable[[str, int], bytes],
        dates: Callable[[str, str], np.ndarray],
    ) -> None:
        """``sequence(field, docnum)``: a document's word sequence (checks phrases);
        ``dates(low, high)``: the mask of documents dated in that range."""
        self.searcher = searcher
        self.sequence = sequence
        self.dates = dates
        self.reader = searcher.reader()
        self.live = live
        self.size = len(live)
        self.doc_count = max(self.reader.doc_count(), 1)
        self._lengths: dict[str, np.ndarray] = {}
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0
        self.timed_out = False

    def run(self, q: wq.Query, deadline: float) -> tuple[np.ndarray, np.ndarray]:
        """(mask, scores) of ``q`` over every live document."""
        self.deadline = deadline
        self.timed_out = False
        mask, scores = self._eval(q)
        mask &= self.live
        return mask, np.where(mask, scores, 0.0)

    # -- evaluation -----------------------------------------------------------------------

    def _empty(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.size, bool), np.zeros(self.size)

    def _eval(self, q: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.ConstantScoreQuery):
            mask, _ = self._eval(q.child)
            return mask, np.where(mask, q.score, 0.0)
        if isinstance(q, wq.Every):
            return self.live.copy(), np.zeros(self.size)
        if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
            return self._empty()
        if isinstance(q, wq.Not):
            mask, _ = self._eval(q.query)
            return self.live & ~mask, np.zeros(self.size)
        if isinstance(q, wq.Or) and type(q) is wq.Or:
            mask, scores = self._empty()
            for child in q.subqueries:
                m, s = self._eval(child)
                mask |= m
                scores += s
            return mask, scores * q.boost
        if isinstance(q, DateRange):
            return self.dates(q.low, q.high) & self.live, np.zeros(self.size)
        if isinstance(q, TextPhrase):
            return self._text_phrase(q)
        if isinstance(q, wq.And) and type(q) is wq.And:
            positive = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            negative = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
            mask, scores = (self.live.copy(), np.zeros(self.size))
            for child in sorted(positive, key=_cost):
                m, s = self._eval(child)
                mask &= m
                scores += s
                if not mask.any():
                    return self._empty()
            for child in negative:
                m, _ = self._eval(child)
                mask &= ~m
            return mask, scores * q.boost
        return self._whoosh(q)

    def _text_phrase(self, q: TextPhrase) -> tuple[np.ndarray, np.ndarray]:
        """The documents with all the words, then those whose word sequence has them in
        order (best-scored first, until the deadline)."""
        mask, scores = self._eval(wq.And(q.subqueries, boost=q.boost))
        candidates = np.flatnonzero(mask)
        candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
        for n, docnum in enumerate(candidates.tolist()):
            if not n & 63 and time.monotonic() > self.deadline:
                self.timed_out = True
                mask[candidates[n:]] = False  # unchecked: left out, the notice says so
                break
            if not in_sequence(self.sequence(q.fieldname, docnum), q.hashes, q.offsets):
                mask[docnum] = False
        return mask, np.where(mask, scores, 0.0)

    def _whoosh(self, q: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        """Anything else (phrases): Whoosh's own matcher, until the deadline."""
        collector = TimeLimited(self.deadline)
        try:
            self.searcher.search_with_collector(q, collector)
        except collectors.TimeLimit:
            self.timed_out = True
        mask, scores = self._empty()
        if collector.docs:
            docs = np.array(collector.docs, dtype=np.int64)
            mask[docs] = True
            scores[docs] = collector.scores
        return mask, scores

    # -- terms ----------------------------------------------------------------------------

    def _term(self, fieldname: str, text: str, boost: float) -> tuple[np.ndarray, np.ndarray]:
        mask, scores = self._empty()
        docs, tf = self.postings(fieldname, text)
        if not len(docs):
            return mask, scores
        mask[docs] = True
        field = self.reader.schema[fieldname]
        if field.scorable:
            df = len(docs)
            idf = np.log(self.doc_count / (df + 1)) + 1
            avg = self.reader.field_length(fieldname) / self.doc_count or 1.0
            scores[docs] = bm25(tf, self.lengths(fieldname)[docs], avg, idf) * boost
        else:
            scores[docs] = boost
        return mask, scores

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Docnums and term frequencies of a term, over all segments (cached per commit)."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        field = self.reader.schema[fieldname]
        btext = field.to_bytes(text)
        all_docs: list[np.ndarray] = []
        all_tf: list[np.ndarray] = []
        for segment, offset in self.reader.leaf_readers():
            try:
                matcher = segment.postings(fieldname, btext)
            except TermNotFound:
                continue
            docs, tf = read_postings(matcher)
            all_docs.append(docs + offset)
            all_tf.append(tf)
        if all_docs:
            found = (np.concatenate(all_docs), np.concatenate(all_tf))
        else:
            found = (np.zeros(0, np.int64), np.zeros(0))
        self._postings[key] = found
        self._cached += len(found[0])
        while self._cached > POSTINGS_CACHE and len(self._postings) > 1:
            _, (docs, _) = self._postings.popitem(last=False)
            self._cached -= len(docs)
        return found

    def has(self, fieldname: str, text: str, docnum: int) -> bool:
        """Whether a document contains a term (from the cached postings)."""
        docs, _ = self.postings(fieldname, text)
        i = int(np.searchsorted(docs, docnum))
        return i < len(docs) and int(docs[i]) == docnum

    def lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length of ``fieldname`` (as Whoosh stores it, one byte)."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.zeros(self.size)
            for segment, offset in self.reader.leaf_readers():
                count = segment.doc_count_all()
                perdoc = getattr(segment, "_perdoc", None)
                column = None
                if perdoc is not None and hasattr(perdoc, "_cached_reader"):
                    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is not None:
                    codes = np.fromiter(iter(column), dtype=np.uint8, count=count)
                    found[offset : offset + count] = _LENGTHS[codes]
                else:
                    for d in range(count):
                        found[offset + d] = segment.doc_field_length(d, fieldname, 0) or 0
            self._lengths[fieldname] = found
        return found


def in_sequence(sequence: bytes, hashes: list[int], offsets: list[int]) -> bool:
    """Whether the words (``hashes``) occur at ``offsets`` from one another in ``sequence``
    (a document's word sequence: 16-bit little-endian codes, ``SequencedText``)."""
    if offsets == list(range(len(offsets))):  # adjacent words: one substring search in C
        pattern = struct.pack(f"<{len(hashes)}H", *hashes)
        found = sequence.find(pattern)
        while found >= 0:
            if not found & 1:  # at a code's first byte, not straddling two codes
                return True
            found = sequence.find(pattern, found + 1)
        return False
    codes = np.frombuffer(sequence, dtype="<u2")
    starts = np.flatnonzero(codes == hashes[0])
    for value, offset in zip(hashes[1:], offsets[1:], strict=True):
        starts = starts[starts + offset < len(codes)]
        starts = starts[codes[starts + offset] == value]
        if not len(starts):
            return False
    return len(starts) > 0


def _cost(q: wq.Query) -> int:
    """Cheap children first in an AND (phrases last: Whoosh walks them doc by doc)."""
    return 1 if isinstance(q, wq.Phrase) else 0


def read_postings(matcher) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """All (docnum, weight) pairs of a leaf matcher, a block at a time where possible."""
    leaf = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if all(hasattr(leaf, a) for a in ("_read_data", "_next_block", "_blocklength")):
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
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
