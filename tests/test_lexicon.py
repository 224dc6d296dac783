"""A young archive splits compounds too: the corpus lexicon merged with the base word list.

Each test builds a real index with ``reindex`` in tmp_path (the shipped seed, or a few
real Karlsruhe papers imported by the OParl importer) and searches it as the site does.
"""

from __future__ import annotations

import shutil
from itertools import islice
from pathlib import Path

import pytest
from oparl_data import sample_lines

from archive.corpus import write_motion
from archive.importers.oparl_import import import_oparl
from archive.motion import Motion
from index.indexer import reindex
from index.lexicon import BASE_FILE, LEXICON_FILE, Lexicon, base_lexicon
from index.results import SearchRequest
from index.search import SearchIndex

REPO = Path(__file__).resolve().parents[1]
SEED = "VO/2024/12903-01"
SMALL = slice(250, 265)
"""Fifteen real Karlsruhe papers (2006), among them 16949 ("Kleinkunst- und
Straßentheaterfestival", with ``Generationen``) and 16956 (with ``Generation``)."""
FESTIVAL = "16949"


def found(index_dir: Path, query: str) -> list[str]:
    search_index = SearchIndex.open(index_dir)
    try:
        return [
            hit.reference for hit in search_index.search(SearchRequest(query, page_size=50)).hits
        ]
    finally:
        search_index.close()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of the shipped seed alone (Lübeck's one motion)."""
    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(REPO / "corpus" / "luebeck", root / "corpus" / "luebeck")
    reindex(root / "corpus", root / "index", full=True)
    return root / "index"


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A corpus of fifteen real Karlsruhe papers, imported as ``ratsarchiv import oparl`` does."""
    root = tmp_path_factory.mktemp("small")
    source = root / "papers.jsonl"
    source.write_text("".join(islice(sample_lines(), SMALL.start, SMALL.stop)), encoding="utf-8")
    import_oparl(str(source), root / "corpus")
    return root / "corpus"


@pytest.fixture(scope="module")
def small(small_corpus: Path) -> Path:
    index_dir = small_corpus.parent / "index"
    reindex(small_corpus, index_dir, full=True)
    return index_dir


@pytest.mark.parametrize("query", ["Sozialraum", "Orientierung", "Sozialraumorientierung"])
def test_the_shipped_corpus_finds_the_parts_of_its_compounds(shipped, query):
    assert found(shipped, query) == [SEED]


@pytest.mark.parametrize("query", ["ion", "ung", "ierung", "Ration"])
def test_the_shipped_corpus_finds_no_fragments(shipped, query):
    assert found(shipped, query) == []


def test_a_small_archive_finds_a_compound_by_its_first_part(small, small_corpus):
    festival = next(small_corpus.rglob(f"2006/{FESTIVAL}.md")).read_text(encoding="utf-8")
    assert "Straßentheaterfestival" in festival
    assert " Straße " not in festival and " Straßen " not in festival  # only the compound
    assert FESTIVAL in found(small, "Straße")
    assert FESTIVAL in found(small, "Theater")


@pytest.mark.parametrize("query", ["Ration", "ion", "ung"])
def test_a_small_archive_finds_no_fragments(small, query):
    assert found(small, query) == []  # 16949 has Generationen, 16956 Generation


def test_a_word_of_its_own_is_not_split_even_when_the_corpus_knows_the_part(small_corpus):
    """``Ration`` is a word of the corpus (twice): it still does not find ``Generation``."""
    corpus = small_corpus.parent / "with-ration"
    shutil.copytree(small_corpus, corpus)
    ration = Motion(
        reference="2006/9999",
        title="Rationen der Notversorgung",
        date="2006-05-01",
        body="Eine Ration Wasser je Person; die Ration reicht einen Tag.",
    )
    write_motion(ration, corpus)
    reindex(corpus, corpus.parent / "index-ration", full=True)
    assert found(corpus.parent / "index-ration", "Ration") == ["2006/9999"]


def test_the_corpus_decides_what_is_frequent(shipped, small):
    """Counts of the corpus and of the base list add up; the saved lexicon holds both."""
    base = base_lexicon()
    (gen,) = small.glob("gen-*")
    saved = Lexicon.load(gen / LEXICON_FILE)
    assert saved.counts["karlsruhe"] > base.counts["karlsruhe"]  # the corpus added its own
    assert "generation" in saved.unsplit
    (gen,) = shipped.glob("gen-*")
    saved = Lexicon.load(gen / LEXICON_FILE)
    assert saved.counts["orientierung"] == base.counts["orientierung"]  # only from the base
    assert BASE_FILE.stat().st_size < 1_000_000  # a small data file shipped in the package
