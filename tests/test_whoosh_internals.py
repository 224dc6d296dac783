"""index.whoosh_internals: the private parts of Whoosh that Ratsarchiv relies on, one test each.

Each test fails naming the Whoosh version when a release drops the private name or changes
what it does (``index/whoosh_internals.py`` says why each one is used). The last section
tests the public parts used instead of private ones, and that the fast paths run: a fast
path that cannot run fails here instead of falling back to a slow one.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import whoosh
from whoosh.analysis import CompositeAnalyzer
from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index, LockError
from whoosh.query import Term
from whoosh.writing import SegmentWriter

from archive.motion import Motion
from archive.vocabulary import Vocabulary
from index.analysis import Lexicon
from index.documents import document, parse, read, to_document
from index.facets import Columns, column_reader
from index.fields import TextColumn, _german_chain
from index.generations import codec
from index.schema import build_schema, text_column
from index.whoosh_internals import BuildWriter, commit_segments, finish_segment, worker_writer

VERSION = whoosh.versionstring()
PAPERS = 24


def broken(what: str) -> str:
    return f"Whoosh {VERSION}: {what} (index/whoosh_internals.py was written for 2.7.4)"


def require(name: str) -> None:
    assert hasattr(SegmentWriter, name), broken(f"SegmentWriter.{name} is missing")


@pytest.fixture(scope="module")
def papers(karlsruhe_corpus: Path) -> list[dict]:
    """Index documents of real Karlsruhe papers, as a full build makes them."""
    docs = []
    for path in sorted(karlsruhe_corpus.rglob("*.md"))[:PAPERS]:
        skipped: list[str] = []
        file = read(karlsruhe_corpus, path, skipped)
        motion = parse(file, skipped) if file else None
        assert file and motion and not skipped, skipped
        docs.append(document(motion, file, Vocabulary()))
    return docs


def new_index(where: Path) -> Index:
    where.mkdir(parents=True)
    return FileStorage(str(where), supports_mmap=False).create_index(build_schema(Lexicon()))


def built(where: Path, papers: list[dict]) -> tuple[Index, SegmentWriter, list[Segment]]:
    """An index built as a full build does: two worker segments, committed by the parent."""
    ix = new_index(where)
    parent = SegmentWriter(ix, limitmb=1, codec=codec())
    segments = []
    try:
        for share in (papers[::2], papers[1::2]):
            writer = worker_writer(ix, 16, codec())
            for doc in share:
                writer.add_document(**doc)
            segments.append(finish_segment(writer))
        commit_segments(parent, segments)
    except (AttributeError, TypeError) as exc:
        pytest.fail(broken(f"a full build's commit fails: {exc!r}"))
    return ix, parent, segments


@pytest.fixture(scope="module")
def full_build(
    tmp_path_factory: pytest.TempPathFactory, papers: list[dict]
) -> tuple[Index, SegmentWriter, list[Segment]]:
    return built(tmp_path_factory.mktemp("internals") / "ix", papers)


def postings(reader, fieldname: str, text: bytes) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
    matcher = reader.postings(fieldname, text)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight()))
        matcher.next()
    return found


def statistics(info) -> tuple:  # type: ignore[no-untyped-def]
    """What a term's postings record about it (``TermInfo``)."""
    return (
        info.doc_frequency(),
        info.weight(),
        info.min_length(),
        info.max_length(),
        info.max_weight(),
    )


# -- writing a full build -----------------------------------------------------------------


def test_lk_false_writes_a_segment_without_taking_the_write_lock(tmp_path: Path) -> None:
    assert "_lk" in inspect.signature(SegmentWriter.__init__).parameters, broken(
        "SegmentWriter(ix, _lk=...) is gone"
    )
    ix = new_index(tmp_path / "ix")
    lock = ix.lock("WRITELOCK")
    assert lock.acquire()
    try:
        with pytest.raises(LockError):  # the lock is really held
            SegmentWriter(ix)
        try:
            writer = worker_writer(ix, 16, codec())
        except LockError:
            pytest.fail(broken("SegmentWriter(ix, _lk=False) waits for the write lock"))
        writer.cancel()
    finally:
        lock.release()


def test_flush_segment_override_writes_what_whoosh_itself_writes(
    tmp_path: Path, papers: list[dict]
) -> None:
    """``BuildWriter._flush_segment`` replaces Whoosh's: same postings, same statistics."""
    require("_flush_segment")
    assert "self._flush_segment()" in inspect.getsource(SegmentWriter._finalize_segment), broken(
        "SegmentWriter._finalize_segment no longer calls _flush_segment"
    )
    assert BuildWriter._flush_segment is not SegmentWriter._flush_segment
    ours, _, _ = built(tmp_path / "ours", papers)
    theirs = new_index(tmp_path / "theirs")
    writer = theirs.writer(codec=codec())
    for doc in [*papers[::2], *papers[1::2]]:  # the same document numbers as ours
        writer.add_document(**doc)
    writer.commit()
    with ours.reader() as mine, theirs.reader() as whoosh_own:
        terms = list(whoosh_own.all_terms())
        assert terms and list(mine.all_terms()) == terms, broken("terms differ")
        for fieldname, text in terms:
            a, b = mine.term_info(fieldname, text), whoosh_own.term_info(fieldname, text)
            assert statistics(a) == statistics(b), broken(f"{fieldname}:{text!r} statistics")
            assert postings(mine, fieldname, text) == postings(whoosh_own, fieldname, text)
        for docnum in range(len(papers)):
            for fieldname in ("title", "body", "resolution"):
                assert mine.doc_field_length(docnum, fieldname) == whoosh_own.doc_field_length(
                    docnum, fieldname
                ), broken(f"length of {fieldname} in document {docnum} differs")


def test_finalize_segment_writes_a_segment_without_committing_it(
    tmp_path: Path, papers: list[dict]
) -> None:
    require("_finalize_segment")
    ix = new_index(tmp_path / "ix")
    writer = worker_writer(ix, 16, codec())
    for doc in papers:
        writer.add_document(**doc)
    segment = finish_segment(writer)
    assert isinstance(segment, Segment), broken(f"_finalize_segment returned {segment!r}")
    assert segment.doc_count_all() == len(papers), broken("the segment lost documents")
    files = [n for n in ix.storage.list() if n.startswith(segment.segment_id())]
    assert files, broken("_finalize_segment left no segment files")
    assert ix.doc_count_all() == 0, broken("_finalize_segment committed a TOC")


def test_commit_toc_lists_exactly_the_workers_segments(full_build) -> None:  # type: ignore[no-untyped-def]
    require("_commit_toc")
    ix, _, segments = full_build
    with ix.reader() as reader:
        ids = [leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()]
        assert ids == [s.segment_id() for s in segments], broken("the TOC's segments differ")
        assert reader.doc_count() == PAPERS, broken("documents are missing after the commit")
        uids = [reader.stored_fields(d)["uid"] for d in range(PAPERS)]
    with ix.searcher() as searcher:
        for uid in uids:
            assert len(searcher.search(Term("uid", uid))) == 1, broken(f"{uid} not found")


def test_close_segment_leaves_no_files_of_the_parents_own_segment(full_build) -> None:  # type: ignore[no-untyped-def]
    require("_close_segment")
    ix, parent, _ = full_build
    own = parent.newsegment.segment_id()
    assert not [n for n in ix.storage.list() if n.startswith(own)], broken(
        "the parent's empty segment left files behind"
    )


def test_finish_releases_the_lock_and_the_temporary_storage(full_build) -> None:  # type: ignore[no-untyped-def]
    require("_finish")
    ix, parent, _ = full_build
    assert parent.is_closed, broken("the parent writer is still open after _finish")
    lock = ix.lock("WRITELOCK")
    assert lock.acquire(), broken("_finish did not release the write lock")
    lock.release()
    folder = Path(ix.storage.folder)
    assert not list(folder.glob("*.tmp")), broken("_finish left the temporary storage")


# -- public parts used instead of private ones; fast paths ------------------------------


def test_facet_columns_are_cached_by_segment_id(tmp_path: Path, papers: list[dict]) -> None:
    """A refresh reuses what was read of unchanged segments, found by ``segment_id()``."""
    ix, _, segments = built(tmp_path / "ix", papers[:-1])
    with ix.reader() as reader:
        before = Columns(reader)
    assert set(before.cache) == {s.segment_id() for s in segments}
    writer = ix.writer(codec=codec())
    writer.add_document(**papers[-1])
    writer.commit(merge=False)
    with ix.reader() as reader:
        after = Columns(reader, before.cache)
        assert len(reader.leaf_readers()) == 3  # what index.incremental counts
        assert after.size == PAPERS
    for segment in segments:
        assert after.cache[segment.segment_id()] is before.cache[segment.segment_id()]
    assert len(after.cache) == 3


def test_facet_columns_of_an_index_without_segments_are_empty(tmp_path: Path) -> None:
    ix = new_index(tmp_path / "ix")
    with ix.reader() as reader:
        columns = Columns(reader)
    assert (columns.size, columns.cache, columns.dates) == (0, {}, [])


def test_text_column_reads_empty_bytes_where_a_segment_has_no_value(
    tmp_path: Path, papers: list[dict]
) -> None:
    """The Karlsruhe papers have no resolution: their segments have no such column."""
    assert TextColumn().default_value() == b""
    ix, _, _ = built(tmp_path / "ix", papers)
    added = [
        Motion(reference="VO/1", title="Mit Beschluss", type="Antrag", resolution="Der Rat."),
        Motion(reference="VO/2", title="Ohne Beschluss", type="Antrag"),
    ]
    for motion in added:  # a segment each
        writer = ix.writer(codec=codec())
        writer.add_document(**to_document(motion, f"{motion.slug}.md", "0"))
        writer.commit(merge=False)
    with ix.reader() as reader:
        texts = column_reader(reader, text_column("resolution"))
        assert [texts[d] for d in (0, PAPERS, PAPERS + 1)] == [b"", b"Der Rat.", b""]


def test_the_body_field_is_indexed_by_the_fast_path() -> None:
    """``SequencedText`` skips Whoosh's token pipeline for the German chain; if it could not
    recognise the chain, every full rebuild would silently take the slow path."""
    analyzer = build_schema(Lexicon())["body"].analyzer
    assert isinstance(analyzer, CompositeAnalyzer), broken("the analyzer is no chain")
    chain = _german_chain(analyzer)
    assert chain is not None, broken("the body field's analyser chain is not recognised")
    words, german = chain
    assert words.findall("Die Straßen") == ["Die", "Straßen"]
    german.analyze("Straßen")
    assert "Straßen" in german.index_cache  # the cache the fast path reads
