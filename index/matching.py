"""Matching a compiled query (``index.query_nodes``) against every document at once.

A result page needs the whole match set (for the total and the facet counts) and the
scores of all matches (for relevance order). Stepping a Whoosh matcher through ten
thousand documents in Python costs hundreds of milliseconds for a common word, so the
nodes are evaluated here, with NumPy: each term's postings are read block by block into
arrays, scored with Whoosh's BM25F (``whoosh.scoring.BM25F``: the same idf over
``doc_count_all()``, deleted documents included as in Whoosh, the same average and
stored field lengths, ``B`` and ``K1``) and combined as dense arrays. Phrases in fields
with positions are matched by Whoosh itself, as real phrases, under a deadline; phrases in
``body`` (no positions) against each candidate's word sequence. Both score as Whoosh's
BM25F does, so one result list never mixes two scales.

>>> round(float(bm25(np.array([2.0]), np.array([100.0]), 100.0, idf=1.5)[0]), 3)
2.062
"""

from __future__ import annotations

import itertools
import math
import struct
import time
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from whoosh import collectors, scoring
from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from index import query_nodes as nodes
from index.query_nodes import Node
from index.schema import stem_hash
from index.whoosh_internals import field_lengths, read_postings

B = 0.75
K1 = 1.2
POSTINGS_CACHE = 2_000_000
"""Postings (docnum, frequency pairs) kept in memory per commit, about 16 bytes each."""

MaskAndScores = tuple[np.ndarray, np.ndarray]
"""(mask, scores) over every document: which match, and their scores (0 elsewhere)."""
Postings = tuple[np.ndarray, np.ndarray]
"""(docnums, term frequencies) of one term."""


def bm25(tf: np.ndarray, length: np.ndarray, avg: float, idf: float) -> np.ndarray:
    """Whoosh's ``scoring.bm25`` per posting (``B=0.75``, ``K1=1.2``)."""
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / avg)))


def idf(doc_frequency: int, doc_count_all: int) -> float:
    """Whoosh's idf (``WeightingModel.idf``): over all documents, deleted ones included
    until a merge drops them (as in ``doc_frequency``)."""
    return math.log(doc_count_all / (doc_frequency + 1)) + 1


def whoosh_phrase(node: nodes.Phrase) -> wq.Phrase:
    """The Whoosh query of a phrase in a field with positions: its words in this order,
    each at most the largest gap after the one before."""
    return wq.Phrase(node.field, list(node.words), slop=max([1, *node.gaps]), boost=node.boost)


class TimeLimited(collectors.ScoredCollector):
    """Collects every match of a Whoosh query with its score; stops at a deadline."""

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline
        self.docs: list[int] = []
        self.scores: list[float] = []
        self.timed_out = False

    def collect(self, sub_docnum: int) -> float:
        score = self.matcher.score()
        self.docs.append(self.offset + sub_docnum)
        self.scores.append(score)
        if not len(self.docs) & 127 and time.monotonic() > self.deadline:
            self.timed_out = True
            raise collectors.TimeLimit
        return -score

    def results(self):  # type: ignore[no-untyped-def]
        raise NotImplementedError("read .docs and .scores")


class Matcher:
    """Dense match masks and scores for compiled queries over one searcher (one commit)."""

    def __init__(
        self,
        searcher: Searcher,
        live: np.ndarray,
        sequence: Callable[[str, int], bytes],
        dates: Callable[[str, str], np.ndarray],
    ) -> None:
        """``searcher``: weighted with ``BM25F(B=B, K1=K1)`` (it scores phrases);
        ``sequence(field, docnum)``: a document's word sequence (checks phrases);
        ``dates(low, high)``: the mask of documents dated in that range."""
        weighting = searcher.weighting
        if not (isinstance(weighting, scoring.BM25F) and (weighting.B, weighting.K1) == (B, K1)):
            raise ValueError(f"the searcher must score with BM25F(B={B}, K1={K1})")
        self.searcher = searcher
        self.sequence = sequence
        self.dates = dates
        self.reader = searcher.reader()
        self.live = live
        self.size = len(live)
        self.doc_count_all = max(self.reader.doc_count_all(), 1)
        self._lengths: dict[str, np.ndarray] = {}
        self._positions: dict[str, bool] = {}
        self._postings: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._cached = 0
        self.timed_out = False

    def run(self, node: Node, deadline: float) -> MaskAndScores:
        """(mask, scores) of ``node`` over every live document."""
        self.deadline = deadline
        self.timed_out = False
        mask, scores = self._eval(node)
        mask &= self.live
        return mask, np.where(mask, scores, 0.0)

    # -- evaluation (every call returns new arrays: callers change them in place) ---------

    def _empty(self) -> MaskAndScores:
        return np.zeros(self.size, bool), np.zeros(self.size)

    def _eval(self, node: Node) -> MaskAndScores:
        match node:
            case nodes.Term(field, text, boost):
                return self._term(field, text, boost)
            case nodes.Or(items, boost):
                mask, scores = self._empty()
                for child in items:
                    m, s = self._eval(child)
                    mask |= m
                    scores += s
                return mask, scores * boost
            case nodes.And(items, boost):
                mask, scores = (self.live.copy(), np.zeros(self.size))
                for child in sorted(items, key=_cost):
                    m, s = self._eval(child)
                    mask &= m
                    scores += s
                    if not mask.any():
                        return self._empty()
                return mask, scores * boost
            case nodes.AndNot(include, exclude):
                mask, scores = self._eval(include)
                for child in exclude:
                    if not mask.any():
                        break
                    mask &= ~self._eval(child)[0]
                return mask, scores
            case nodes.Terms(field, texts):
                mask, scores = self._empty()
                for text in texts:
                    mask[self.postings(field, text)[0]] = True
                return mask, scores
            case nodes.Phrase():
                if self.has_positions(node.field):
                    return self._whoosh(whoosh_phrase(node))
                return self._text_phrase(node)
            case nodes.DateRange(low, high):
                return self.dates(low, high) & self.live, np.zeros(self.size)
            case nodes.Everything():
                return self.live.copy(), np.zeros(self.size)
            case nodes.Nothing():
                return self._empty()
        raise TypeError(f"not a compiled query node: {node!r}")

    def has_positions(self, fieldname: str) -> bool:
        """Whether the postings of ``fieldname`` keep positions (Whoosh matches phrases)."""
        found = self._positions.get(fieldname)
        if found is None:
            field = self.reader.schema[fieldname]
            found = self._positions[fieldname] = field.format.supports("positions")
        return found

    def _text_phrase(self, node: nodes.Phrase) -> MaskAndScores:
        """The documents with all the words, then those whose word sequence has them in
        order (best-scored first, until the deadline)."""
        mask, scores = self._eval(
            nodes.And(tuple(nodes.Term(node.field, w) for w in node.words), node.boost)
        )
        hashes = [stem_hash(w) for w in node.words]
        offsets = [0, *itertools.accumulate(node.gaps)]
        candidates = np.flatnonzero(mask)
        candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
        for n, docnum in enumerate(candidates.tolist()):
            if not n & 63 and time.monotonic() > self.deadline:
                self.timed_out = True
                mask[candidates[n:]] = False  # unchecked: left out, the notice says so
                break
            if not in_sequence(self.sequence(node.field, docnum), hashes, offsets):
                mask[docnum] = False
        return mask, np.where(mask, scores, 0.0)

    def _whoosh(self, q: wq.Query) -> MaskAndScores:
        """A Whoosh query (a phrase with positions): Whoosh's own matcher, until the deadline."""
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

    def _term(self, fieldname: str, text: str, boost: float) -> MaskAndScores:
        mask, scores = self._empty()
        docs, tf = self.postings(fieldname, text)
        if not len(docs):
            return mask, scores
        mask[docs] = True
        field = self.reader.schema[fieldname]
        if field.scorable:
            avg = self.reader.field_length(fieldname) / self.doc_count_all or 1.0
            weight = idf(len(docs), self.doc_count_all)
            scores[docs] = bm25(tf, self.lengths(fieldname)[docs], avg, weight) * boost
        else:
            scores[docs] = boost
        return mask, scores

    def postings(self, fieldname: str, text: str) -> Postings:
        """Docnums and term frequencies of a term, over all segments, deleted documents
        included (cached per commit)."""
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
                lengths = field_lengths(segment, fieldname)
                found[offset : offset + len(lengths)] = lengths
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


def _cost(node: Node) -> int:
    """Cheap children first in an AND (phrases last: checked document by document)."""
    return 1 if isinstance(node, nodes.Phrase) else 0
