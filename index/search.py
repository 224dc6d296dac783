"""The one search API of the site, the JSON API and the CLI: ``SearchIndex``.

>>> from pathlib import Path
>>> search_index = SearchIndex.open(Path("var/index"))  # doctest: +SKIP
>>> search_index.search(SearchRequest(query="Quartier")).total  # doctest: +SKIP
1
>>> search_index.search(SearchRequest(filters={"council": ("karlsruhe",)})).total  # doctest: +SKIP
412

A paper is ``(council, slug)`` (its ``uid`` is ``<council>/<slug>``): ``motion``,
``similar``, ``amendments`` and ``resolve`` take the council; a search spans every council
unless the ``council`` facet filter narrows it. ``councils`` lists the archive's councils
with their paper counts (their descriptions are recorded at every reindex), and
``councils_with_slug`` finds the councils holding a slug (the old ``/motions/<slug>``).

A ``SearchIndex`` is opened once per process and shared by all request threads. It keeps
one snapshot of the live generation (``index.generations``), guarded by a lock: a Whoosh
searcher with per-commit NumPy columns for facets and date order (``index.snapshot``,
``index.facets``). ``refresh()`` is cheap (a small file read and a directory listing) and
takes a new snapshot when a reindex committed or a ``--full`` rebuild swapped generations.

A search runs the query once for all its matches (docnums + BM25F scores, cached per
commit), then filters, counts facets, sorts and pages with NumPy; only the page's hits
touch stored fields and postings (for the highlights).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from archive.councils import Council, council_reference
from archive.errors import IndexMissingError, QueryError
from archive.motion import Motion, slug_for, uid_for
from archive.references import parent_reference
from index.facets import COUNCIL, TYPE, facet_counts
from index.generations import live_generation, open_generation, read_meta
from index.meeting_catalog import MeetingCatalog, catalog_stamp
from index.meeting_documents import MEETING_KINDS
from index.notices import Notice, NoticeCode
from index.organization_catalog import OrganizationCatalog
from index.organization_catalog import catalog_stamp as organizations_stamp
from index.query_nodes import Or, Term
from index.results import (
    MAX_PAGE,
    SORTS,
    CouncilSummary,
    Hit,
    SearchRequest,
    SearchResult,
)
from index.schema import (
    FACETS,
    FACETS_BY_NAME,
    SCHEMA_VERSION,
    SPELL_FIELD,
    FacetSpec,
)
from index.snapshot import TIME_LIMIT, Match, Snapshot, meta_stamp
from index.statistics import Statistics, statistics_stamp

MAX_PAGE_SIZE = 100
ITER_CHUNK = 200
SIMILAR_FIELDS = {"title": 2.0, "resolution": 1.0, "reasons": 1.0, "body": 1.0}
SIMILAR_CHARS = 20_000
SIMILAR_TERMS = 12
MAX_AMENDMENTS = 200


class SearchIndex:
    """The search index of one directory, opened once per process; thread-safe."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._catalog: tuple[tuple[Path, str], MeetingCatalog] | None = None
        self._organizations: tuple[tuple[Path, str], OrganizationCatalog] | None = None
        self._statistics: tuple[tuple[Path, str], Statistics] | None = None

    @classmethod
    def open(cls, index_dir: Path) -> SearchIndex:
        """Open the live index; ``IndexMissingError`` if it has not been built."""
        search_index = cls(index_dir)
        search_index.refresh()
        return search_index

    # -- lifecycle ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Pick up a new commit or generation, if any (cheap when nothing changed)."""
        with self._lock:
            current = self._snapshot
            gen = live_generation(self.index_dir)
            if gen is None:
                if current is not None:
                    return  # the index vanished under us: keep serving what we have
                raise IndexMissingError(
                    f"no search index in {self.index_dir}; build it with 'ratsarchiv reindex'"
                )
            if current is not None and current.gen == gen and current.searcher.up_to_date():
                if current.meta_stamp != meta_stamp(gen):  # e.g. an edited _council.yml
                    current.load_councils()
                return
            version = read_meta(gen).get("schema_version")
            if version != SCHEMA_VERSION:
                if current is not None:
                    return  # keep serving; the next full rebuild brings a readable one
                raise IndexMissingError(
                    f"the index in {self.index_dir} was built by another version of "
                    f"Ratsarchiv (schema {version}, now {SCHEMA_VERSION}); "
                    "rebuild it with 'ratsarchiv reindex --full'"
                )
            same = current is not None and current.gen == gen
            ix = current.ix if same else open_generation(gen)
            self._snapshot = Snapshot(gen, ix, current if same else None)
            if current is not None:
                self._retire(current)

    def _retire(self, snapshot: Snapshot) -> None:
        snapshot.retired = True
        if snapshot.users == 0:
            snapshot.close()

    def _release(self, snapshot: Snapshot) -> None:
        with self._lock:
            snapshot.users -= 1
            if snapshot.retired and snapshot.users == 0:
                snapshot.close()

    def close(self) -> None:
        """Close the searcher (searches in other threads finish first)."""
        with self._lock:
            if self._snapshot is not None:
                self._retire(self._snapshot)
                self._snapshot = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _current(self) -> Snapshot:
        if self._snapshot is None:
            raise IndexMissingError(f"the search index in {self.index_dir} is closed")
        return self._snapshot

    # -- searching ------------------------------------------------------------------------

    def facet_specs(self) -> list[FacetSpec]:
        return list(FACETS)

    def count(self) -> int:
        with self._lock:
            return self._current.searcher.doc_count()

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of results with facet counts, highlights, suggestion and notices."""
        _check(request)
        with self._lock:
            snap = self._current
            match, order, facets = self._run(snap, request)
            total = len(order)
            start = (request.page - 1) * request.page_size
            page_docs = [int(d) for d in order[start : start + request.page_size]]
            hits = snap.hits(page_docs, match.parsed.terms, match.scores_of(page_docs))
            suggestion = self._suggest(snap, request.query, match) if request.page == 1 else None
        notices = list(match.parsed.notices)
        if match.partial:
            notices.append(Notice(NoticeCode.TIME_LIMIT, {"seconds": TIME_LIMIT}))
        return SearchResult(
            total=total,
            page=request.page,
            pages=math.ceil(total / request.page_size),
            hits=hits,
            facets=facets,
            suggestion=suggestion,
            notices=notices,
            request=request,
        )

    def _run(self, snap: Snapshot, request: SearchRequest):  # type: ignore[no-untyped-def]
        match = snap.match(request.query)
        base = np.zeros(snap.columns.size, dtype=bool)
        base[match.docs] = True
        implied = None
        if not request.query.strip():  # no words: papers only, unless a kind is chosen
            implied = {TYPE: ~snap.columns.mask(TYPE, MEETING_KINDS)}
        final, facets = facet_counts(snap.columns, base, request.filters, implied)
        return match, snap.order(match, final, request.order), facets

    def iter_all(self, request: SearchRequest) -> Iterator[Hit]:
        """Every hit of ``request`` in order (for exports and feeds), fetched in chunks."""
        _check(request, paged=False)
        with self._lock:
            snap = self._current
            match, order, _ = self._run(snap, request)
            snap.users += 1
        try:
            for start in range(0, len(order), ITER_CHUNK):
                chunk = [int(d) for d in order[start : start + ITER_CHUNK]]
                with self._lock:
                    hits = snap.hits(chunk, match.parsed.terms, match.scores_of(chunk))
                yield from hits
        finally:
            self._release(snap)

    def motion(self, council: str, slug: str) -> Motion | None:
        """The motion ``slug`` of ``council`` as indexed (public consultations only), or
        ``None``."""
        with self._lock:
            snap = self._current
            docnum = snap.searcher.document_number(uid=uid_for(council, slug))
            return None if docnum is None else snap.motion(docnum)

    def corpus_path(self, council: str, slug: str) -> str | None:
        """The corpus file (path relative to the corpus) the motion was indexed from."""
        with self._lock:
            snap = self._current
            docnum = snap.searcher.document_number(uid=uid_for(council, slug))
            return None if docnum is None else snap.reader.stored_fields(docnum).get("path")

    def resolve(self, council: str, entry: str) -> Motion | None:
        """The paper a ``related`` entry of a paper of ``council`` names, or ``None`` when
        the archive does not hold it: a bare reference (``VO/2024/1``) is a paper of the same
        council, ``KEY:REFERENCE`` one of council ``KEY`` (``archive.councils``)."""
        other, reference = council_reference(entry, council)
        return self.motion(other, slug_for(reference))

    def amendments(self, council: str, reference: str, limit: int = MAX_AMENDMENTS) -> list[Hit]:
        """The papers of ``council`` amending ``reference`` (``…-01``, ``…-02``; the direct
        ones), by reference; at most ``limit``."""
        request = SearchRequest(
            query=f'nummer:"{reference}"', filters={COUNCIL: (council,)}, sort="oldest"
        )
        found = []
        for hit in self.iter_all(request):
            if parent_reference(hit.reference) == reference:
                found.append(hit)
                if len(found) >= limit:
                    break
        return sorted(found, key=lambda hit: hit.reference)

    def similar(self, council: str, slug: str, limit: int = 5) -> list[Hit]:
        """Motions of the same council sharing the most distinctive words of the title and
        texts of ``slug`` of ``council`` (never the motion itself)."""
        with self._lock:
            snap = self._current
            docnum = snap.searcher.document_number(uid=uid_for(council, slug))
            if docnum is None:
                return []
            title = json.loads(snap.reader.stored_fields(docnum)["hit"])["title"]
            texts = [snap.text(f, docnum)[:SIMILAR_CHARS] for f in SIMILAR_FIELDS if f != "title"]
            text = " ".join([title, *texts])
            keys = _key_terms(snap, text, SIMILAR_TERMS)
            if not keys:
                return []
            alternatives = tuple(
                Term(name, term, weight * boost)
                for term, weight in keys
                for name, boost in SIMILAR_FIELDS.items()
            )
            mask, scores = snap.matcher.run(Or(alternatives), time.monotonic() + TIME_LIMIT)
            mask &= snap.columns.mask(COUNCIL, (council,))
            mask[docnum] = False
            docs = np.flatnonzero(mask)
            best = docs[np.lexsort((docs, -scores[docs]))][:limit].tolist()
            return snap.hits(best, set(), {d: float(scores[d]) for d in best})

    # -- meetings -------------------------------------------------------------------------

    def meetings(self) -> MeetingCatalog:
        """The live generation's public meetings (``index.meeting_catalog``), loaded again
        only when a reindex rewrote them."""
        with self._lock:
            gen = self._current.gen
            key = (gen, catalog_stamp(gen))
            if self._catalog is None or self._catalog[0] != key:
                self._catalog = (key, MeetingCatalog.load(gen))
            return self._catalog[1]

    def organizations(self) -> OrganizationCatalog:
        """The live generation's committees, factions and other organisations
        (``index.organization_catalog``), loaded again only when a reindex rewrote them."""
        with self._lock:
            gen = self._current.gen
            key = (gen, organizations_stamp(gen))
            if self._organizations is None or self._organizations[0] != key:
                self._organizations = (key, OrganizationCatalog.load(gen))
            return self._organizations[1]

    def statistics(self) -> Statistics:
        """The live generation's statistics (``index.statistics``, written at every
        reindex), loaded again only when a reindex rewrote them."""
        with self._lock:
            gen = self._current.gen
            key = (gen, statistics_stamp(gen))
            if self._statistics is None or self._statistics[0] != key:
                self._statistics = (key, Statistics.load(gen))
            return self._statistics[1]

    # -- councils -------------------------------------------------------------------------

    def councils(self) -> list[CouncilSummary]:
        """The councils with public papers in the index, by name, each with its number of
        papers and its description as of the last reindex."""
        with self._lock:
            snap = self._current
            papers = snap.columns.live & ~snap.columns.mask(TYPE, MEETING_KINDS)
            counts = snap.columns.counts(COUNCIL, papers)
            found = [
                CouncilSummary(snap.councils.get(key) or Council(key, key), papers)
                for key, papers in counts.items()
            ]
        return sorted(found, key=lambda c: (c.council.name.casefold(), c.key))

    def council(self, key: str) -> Council | None:
        """The description of council ``key`` as of the last reindex (``None`` for a key
        the archive does not know; a council may be known and hold no paper yet)."""
        with self._lock:
            return self._current.councils.get(key)

    def councils_with_slug(self, slug: str) -> list[str]:
        """The keys of the councils holding a public paper ``slug``, sorted (for the old
        ``/motions/<slug>``: one council redirects, several need a choice)."""
        with self._lock:
            snap = self._current
            docnums = snap.searcher.document_numbers(slug=slug)
            return sorted(snap.council_of(d) for d in docnums)

    # -- "Meinten Sie …?" -----------------------------------------------------------------

    def _suggest(self, snap: Snapshot, text: str, match: Match) -> str | None:
        words = match.parsed.words
        if not words:
            return None
        reader = snap.reader
        corrector = snap.searcher.corrector(SPELL_FIELD)
        replaced = text
        for word in words:
            lowered = word.lower()
            if len(lowered) < 4 or reader.doc_frequency(SPELL_FIELD, lowered):
                continue
            if snap.known(word):  # found in some text: not misspelt for this archive
                continue
            for candidate in corrector.suggest(lowered, limit=3, maxdist=2, prefix=1):
                if candidate != lowered:
                    fixed = candidate.capitalize() if word[:1].isupper() else candidate
                    replaced = replaced.replace(word, fixed, 1)
                    break
        if replaced == text:
            return None
        better = snap.match(replaced)
        return replaced if len(better.docs) > len(match.docs) else None


def _key_terms(snap: Snapshot, text: str, count: int) -> list[tuple[str, float]]:
    """The ``count`` most distinctive terms of ``text`` (tf·idf over the body field)."""
    freq = Counter(t.text for t in snap.analyzer(text, mode="query"))
    total = snap.reader.doc_count_all() + 1
    scored = []
    for term, tf in freq.items():
        df = snap.reader.doc_frequency("body", term) + snap.reader.doc_frequency("title", term)
        if df > 1 and len(term) > 2 and not term.isdigit():
            score = tf * math.log(total / df)
            if score > 0:  # a term in (nearly) every document says nothing, and log <= 0
                scored.append((score, term))
    top = sorted(scored, reverse=True)[:count]
    best = top[0][0] if top else 1.0
    return [(term, score / best) for score, term in top]


def _check(request: SearchRequest, paged: bool = True) -> None:
    if request.sort and request.sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}")
    if paged and not 1 <= request.page <= MAX_PAGE:
        raise QueryError(f"page must be a number from 1 to {MAX_PAGE}")
    if paged and not 1 <= request.page_size <= MAX_PAGE_SIZE:
        raise QueryError(f"page_size must be from 1 to {MAX_PAGE_SIZE}")
    for name in request.filters:
        if name not in FACETS_BY_NAME:
            raise QueryError(f"unknown facet {name!r} (known: {', '.join(FACETS_BY_NAME)})")
