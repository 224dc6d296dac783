"""The private parts of Whoosh that matching relies on (``index.whoosh_internals``, section
"matching and query") are there and behave as that module says, on a real index.

One test per private name; each failure names the installed Whoosh version. The index has
what the fast paths must handle: a posting list of several blocks, a term in one document,
deletions at the start of a segment, and a field missing from a segment.
Tests of internals, on purpose (issue 12, point 2).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from whoosh.codec import whoosh3
from whoosh.matching import FilterMatcher, ListMatcher
from whoosh.reading import IndexReader

from archive.corpus import write_motion
from archive.motion import Motion
from index.generations import live_generation, open_generation
from index.indexer import reindex
from index.whoosh_internals import (
    WHOOSH_VERSION,
    WhooshInternalsError,
    field_lengths,
    read_postings,
)

MOTIONS = 300
COMMON = "haushalt"  # in every motion: postings of several blocks
RARE = "unikat"  # in one motion


def whoosh(what: str) -> str:
    return f"Whoosh {WHOOSH_VERSION}: {what} (index/whoosh_internals.py relies on it)"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexReader]:
    root = tmp_path_factory.mktemp("internals")
    corpus = root / "corpus"
    for i in range(MOTIONS):
        write_motion(
            Motion(
                reference=f"VO/2023/{i + 1}",
                title=f"Haushalt {2000 + i} Teilplan {i}" + (" Unikat" if i == 7 else ""),
                date="2023-05-01",
                type="Beschlussvorlage",
                body=" ".join(["Der Haushalt wird beschlossen."] * (1 + i % 5)),
            ),
            corpus,
        )
    reindex(corpus, root / "index", full=True)
    ix = open_generation(live_generation(root / "index"))
    with ix.reader() as built:  # the first documents of the segment, and some more
        for docnum in [0, 1, 2, *range(100, 110)]:
            (corpus / built.stored_fields(docnum)["path"]).unlink()
    ix.close()
    write_motion(
        Motion(
            reference="VO/2024/1",
            title="Haushalt 2024",
            date="2024-01-10",
            type="Antrag",
            reasons="Nur dieses Dokument hat eine Begründung.",
        ),
        corpus,
    )
    reindex(corpus, root / "index")
    ix = open_generation(live_generation(root / "index"))
    with ix.reader() as opened:
        yield opened
    ix.close()


def segments(reader: IndexReader) -> list[IndexReader]:
    return [segment for segment, _ in reader.leaf_readers()]


def stepped(matcher) -> list[int]:  # type: ignore[no-untyped-def]
    """Docnums through the public Matcher API (deleted documents skipped)."""
    ids = []
    while matcher.is_active():
        ids.append(matcher.id())
        matcher.next()
    return ids


def test_the_index_has_what_the_fast_paths_must_handle(reader: IndexReader) -> None:
    first = segments(reader)[0]
    assert len(segments(reader)) == 2 and first.has_deletions()
    assert all(first.is_deleted(d) for d in range(3))


# -- field lengths: SegmentReader._perdoc, whoosh3._lenfield -------------------------------


def test_segment_readers_have_a_per_document_reader(reader: IndexReader) -> None:
    for segment in segments(reader):
        perdoc = getattr(segment, "_perdoc", None)
        assert perdoc is not None, whoosh("SegmentReader._perdoc is missing")
        for method in ("has_column", "column_reader"):
            assert callable(getattr(perdoc, method, None)), whoosh(f"_perdoc.{method} is missing")


def test_the_lengths_column_is_named_by_lenfield(reader: IndexReader) -> None:
    lenfield = getattr(whoosh3, "_lenfield", None)
    assert lenfield is not None, whoosh("whoosh.codec.whoosh3._lenfield is missing")
    for segment in segments(reader):
        assert segment._perdoc.has_column(lenfield("title")), whoosh("no title lengths column")
    assert not segments(reader)[0]._perdoc.has_column(lenfield("reasons"))


@pytest.mark.parametrize("fieldname", ["title", "body", "reasons"])
def test_field_lengths_are_whooshs_own(reader: IndexReader, fieldname: str) -> None:
    for segment in segments(reader):
        expected = [
            segment.doc_field_length(d, fieldname, 0) or 0 for d in range(segment.doc_count_all())
        ]
        got = field_lengths(segment, fieldname)
        assert got.tolist() == expected, whoosh(
            f"lengths of {fieldname} differ from doc_field_length"
        )
    assert field_lengths(segments(reader)[-1], "reasons").any()


# -- postings: W3LeafMatcher._read_data, ._data, ._byteids, ._next_block ---------------------


@pytest.mark.parametrize("name", ["_read_data", "_data", "_byteids", "_next_block"])
def test_leaf_matchers_read_postings_by_block(reader: IndexReader, name: str) -> None:
    leaf = segments(reader)[1].postings("title", COMMON.encode())
    assert isinstance(leaf, whoosh3.W3LeafMatcher), whoosh(f"postings come as {type(leaf)}")
    assert hasattr(leaf, name), whoosh(f"W3LeafMatcher.{name} is missing")


def test_a_long_posting_list_is_read_block_by_block(reader: IndexReader) -> None:
    """The fast path runs: several blocks, each read whole, as the public API steps them."""
    segment = segments(reader)[0]
    matcher = segment.postings("title", COMMON.encode())
    leaf = matcher.child
    assert isinstance(leaf, whoosh3.W3LeafMatcher), whoosh(f"postings come as {type(leaf)}")
    blocks = 0
    leaf.reset()
    while leaf.is_active():
        leaf._read_data()
        assert len(leaf._data) >= 2 and leaf._byteids in (None, False), whoosh("block data")
        blocks += 1
        leaf._next_block()
    assert blocks > 1
    docs, tf = read_postings(segment.postings("title", COMMON.encode()))
    public = segment.postings("title", COMMON.encode()).child
    public.reset()
    weights = []
    while public.is_active():
        weights.append(public.weight())
        public.next()
    assert docs.tolist() == list(range(segment.doc_count_all())), whoosh("block ids differ")
    assert tf.tolist() == weights, whoosh("block weights differ")


@pytest.mark.parametrize("fieldname", ["title", "body"])
def test_postings_agree_with_the_public_api(reader: IndexReader, fieldname: str) -> None:
    for segment in segments(reader):
        live = set(segment.all_doc_ids())
        for btext in segment.lexicon(fieldname):
            docs, tf = read_postings(segment.postings(fieldname, btext))
            assert len(docs) == len(tf) == segment.doc_frequency(fieldname, btext), whoosh(
                "postings count differs from doc_frequency"
            )
            kept = [d for d in docs.tolist() if d in live]
            assert kept == stepped(segment.postings(fieldname, btext)), whoosh("ids differ")


# -- deletions: FilterMatcher.child, reset() -----------------------------------------------


def test_deleted_documents_are_read_too(reader: IndexReader) -> None:
    """Whoosh's idf counts deleted documents; the postings read for it must as well, also
    those the deletion filter has already stepped over."""
    segment = segments(reader)[0]
    matcher = segment.postings("title", COMMON.encode())
    assert isinstance(matcher, FilterMatcher), whoosh("deletions not filtered by FilterMatcher")
    assert matcher.child.id() == 3  # the filter stepped over the three deleted documents
    docs, _ = read_postings(matcher)
    assert docs[:3].tolist() == [0, 1, 2]
    assert len(docs) == segment.doc_frequency("title", COMMON)


def test_postings_of_one_document_are_not_inlined(reader: IndexReader) -> None:
    """``W3Codec(inlinelimit=1)`` keeps even a one-document list in the postings file."""
    segment = segments(reader)[0]
    matcher = segment.postings("title", RARE.encode())
    leaf = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    assert isinstance(leaf, whoosh3.W3LeafMatcher), whoosh(f"a one-document term: {type(leaf)}")
    (docnum,) = read_postings(matcher)[0].tolist()
    assert segment.stored_fields(docnum)["uid"].endswith("/vo-2023-8")


def test_an_unknown_matcher_fails_loudly() -> None:
    """No silent slow path: postings Whoosh hands over in another form raise, naming it."""
    inlined = ListMatcher([0, 4], weights=[1.0, 2.0])  # how Whoosh hands inlined postings
    with pytest.raises(WhooshInternalsError, match=WHOOSH_VERSION):
        read_postings(inlined)
