"""One commit of the index as a search sees it: ``Snapshot``.

A snapshot holds one Whoosh searcher (BM25F) on one commit of one generation, with the
commit's NumPy columns (``index.facets``), the NumPy matcher (``index.matching``) and a
cache of the matches of recent queries (``Match``: docnums + scores). ``index.search``
keeps one per ``SearchIndex`` and swaps it when a reindex commits; only the page's hits touch
stored fields, columns and postings (``hits``).
"""

from __future__ import annotations

import contextlib
import json
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np
from whoosh import scoring
from whoosh.index import Index
from whoosh.searching import Searcher

from archive.councils import Council
from archive.motion import Motion
from index.analysis import query_analyzer
from index.facets import Columns, column_reader
from index.generations import META, read_councils
from index.matching import Matcher
from index.query import Context, ParsedQuery, compile_query
from index.results import Hit, file_match
from index.schema import SNIPPET_FIELDS, TEXT_FIELDS, text_column
from index.snippets import find_spans, load_spans, mark_all, snippet

TIME_LIMIT = 2.0
"""Seconds a query may spend collecting matches; then it shows what it found so far."""
CACHE_QUERIES = 64


@dataclass
class Match:
    parsed: ParsedQuery
    docs: np.ndarray  # int64 docnums, ascending
    scores: np.ndarray  # float32, aligned with docs
    partial: bool = False

    def scores_of(self, docnums: list[int]) -> dict[int, float]:
        where = np.searchsorted(self.docs, docnums)
        return {d: float(self.scores[i]) for d, i in zip(docnums, where.tolist(), strict=True)}


def _close_quietly(searcher: Searcher) -> None:
    with contextlib.suppress(Exception):
        searcher.close()


def meta_stamp(gen: Path) -> str:
    """Modification time and size of a generation's ``meta.json`` (``""`` if missing)."""
    try:
        info = (gen / META).stat()
    except OSError:
        return ""
    return f"{info.st_mtime_ns}:{info.st_size}"


class Snapshot:
    """One searcher on one commit of one generation, with its columns and query cache."""

    def __init__(self, gen: Path, ix: Index, previous: Snapshot | None = None) -> None:
        self.gen = gen
        self.ix = ix
        self.searcher: Searcher = ix.searcher(weighting=scoring.BM25F())
        self.reader = self.searcher.reader()
        self.columns = Columns(self.reader, previous.columns.cache if previous else None)
        self.matcher = Matcher(
            self.searcher, self.columns.live, self.sequence, self.columns.date_mask
        )
        self.analyzer = query_analyzer()
        self.cache: OrderedDict[str, Match] = OrderedDict()
        self.users = 0
        self.retired = False
        self._column_readers: dict[str, object] = {}
        self._analyzed: dict[str, frozenset[str]] = {}
        self.councils: dict[str, Council] = {}
        self.meta_stamp = ""
        self.load_councils()

        self._finalizer = weakref.finalize(self, _close_quietly, self.searcher)

    def load_councils(self) -> None:
        """(Re)read the councils' descriptions recorded in the generation's ``meta.json``."""
        self.meta_stamp = meta_stamp(self.gen)
        self.councils = read_councils(self.gen)
        self.columns.councils = self.councils
        self.cache.clear()  # ``kommune:`` matches councils by name

    def council_name(self, key: str) -> str:
        council = self.councils.get(key)
        return council.name if council else key

    def close(self) -> None:
        self._finalizer()  # once; also runs if the snapshot is garbage-collected unclosed

    def context(self) -> Context:
        return Context(self.reader, self.analyzer, self.columns.matching_values)

    def match(self, text: str) -> Match:
        key = " ".join(text.split())
        found = self.cache.get(key)
        if found is not None:
            self.cache.move_to_end(key)
            return found
        parsed = compile_query(key, self.context())
        if parsed.query is None:  # browse: every document
            docs = np.flatnonzero(self.columns.live)
            found = Match(parsed, docs, np.zeros(len(docs), np.float32))
        elif parsed.empty:
            found = Match(parsed, np.zeros(0, np.int64), np.zeros(0, np.float32))
        else:
            mask, scores = self.matcher.run(parsed.query, time.monotonic() + TIME_LIMIT)
            docs = np.flatnonzero(mask)
            found = Match(parsed, docs, scores[docs].astype(np.float32), self.matcher.timed_out)
        self.cache[key] = found
        if len(self.cache) > CACHE_QUERIES:
            self.cache.popitem(last=False)
        return found

    def order(self, match: Match, mask: np.ndarray, sort: str) -> np.ndarray:
        """Docnums of ``match`` inside ``mask``, in the order ``sort`` asks for."""
        keep = mask[match.docs]
        docs, scores = match.docs[keep], match.scores[keep]
        rank = self.columns.date_rank[docs]
        if sort == "relevance":
            return docs[np.lexsort((-docs, -rank, -scores))]
        if sort == "oldest":
            return docs[np.lexsort((docs, np.where(rank < 0, np.iinfo(np.int32).max, rank)))]
        return docs[np.lexsort((-docs, -rank))]

    def column(self, name: str):  # type: ignore[no-untyped-def]
        reader = self._column_readers.get(name)
        if reader is None:
            # segment by segment: Whoosh's MultiReader maps documents wrongly when a
            # segment has no value in a column (see index.facets.column_reader)
            reader = self._column_readers[name] = column_reader(self.reader, name)
        return reader

    def known(self, word: str) -> bool:
        """Whether any text field holds the word (postings are cached by the search)."""
        terms = self.analyzed(word)
        return any(len(self.matcher.postings(f.name, t)[0]) for f in TEXT_FIELDS for t in terms)

    def analyzed(self, word: str) -> frozenset[str]:
        """The terms one word of a text is searched by (cached)."""
        found = self._analyzed.get(word)
        if found is None:
            if len(self._analyzed) > 50_000:
                self._analyzed.clear()
            found = frozenset(t.text for t in self.analyzer(word, mode="query"))
            self._analyzed[word] = found
        return found

    def sequence(self, name: str, docnum: int) -> bytes:
        """The word sequence of a text field without positions (``SequencedText``): 16-bit
        little-endian codes, one per position."""
        return self.column(name)[docnum] or b""

    def text(self, name: str, docnum: int) -> str:
        """The plain text of text field ``name`` of a document (as indexed)."""
        return self.column(text_column(name))[docnum].decode("utf-8")

    def council_of(self, docnum: int) -> str:
        """The key of the council of document ``docnum`` (from its ``uid``)."""
        return self.column("uid")[docnum].partition("/")[0]

    def motion(self, docnum: int) -> Motion:
        return Motion.from_dict(json.loads(self.column("motion")[docnum]))

    def hits(self, docnums: list[int], terms: set[tuple[str, str]], scores: dict) -> list[Hit]:
        """Hits with highlighted title and snippet for ``docnums`` (in that order)."""
        with_chars = {f.name for f in TEXT_FIELDS if f.chars}
        spans = load_spans(self.reader, docnums, {t for t in terms if t[0] in with_chars})
        plain = {f: {t for n, t in terms if n == f} for f in SNIPPET_FIELDS if f not in with_chars}
        hits = []
        for docnum in docnums:
            data = json.loads(self.reader.stored_fields(docnum)["hit"])
            opening = data.pop("opening", "")
            files = data.pop("files", [])
            found = spans.get(docnum, {})
            for name, stems in plain.items():
                wanted = [t for t in stems if self.matcher.has(name, t, docnum)]
                if wanted:
                    found[name] = find_spans(self.text(name, docnum), wanted, self.analyzed)
            texts = {name: self.text(name, docnum) for name in SNIPPET_FIELDS if found.get(name)}
            best = snippet(texts, found, SNIPPET_FIELDS) if texts else None
            where = None
            if best is not None and best.field == "files":
                where = file_match(texts["files"], best.start, files)
            hits.append(
                Hit(
                    **data,
                    council_name=self.council_name(data["council"]),
                    title_html=mark_all(data["title"], found.get("title")),
                    snippet_html=best.html if best else escape(opening, quote=False),
                    score=round(float(scores.get(docnum, 0.0)), 4),
                    file_match=where,
                )
            )
        return hits
