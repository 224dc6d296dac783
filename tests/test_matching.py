"""index.matching scores as Whoosh's own BM25F searcher does, also after deletions.

The index is real: the first 150 Karlsruhe papers and the seed, imported by ``ratsarchiv``,
built in full, then some papers deleted and some edited and indexed incrementally, so that
deleted documents stay in the segments (as after every incremental reindex). Every score
of the matcher is compared with Whoosh's ``BM25F`` (same ``B``/``K1``, same field boosts)
document by document. Tests of internals, on purpose (issue 12, point 3).
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from faultkit import run
from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher

from archive.corpus import iter_motion_files, read_motion, write_motion
from archive.file_text import text_path, write_pages
from archive.files import FileRecord
from index.analysis import query_analyzer
from index.facets import Columns, column_reader
from index.generations import live_generation, open_generation
from index.indexer import reindex
from index.matching import K1, B, Matcher, whoosh_phrase
from index.query import Context, compile_query
from index.query_nodes import And, AndNot, Node, Or, Phrase, Term, Terms
from index.schema import REF_BASE, REF_EXACT, TEXT_FIELDS, TextField

pytestmark = pytest.mark.karlsruhe

TOLERANCE = 1e-6


def with_file(corpus: Path, path: Path) -> None:
    """Give the paper at ``path`` a file whose text is its title and part of its body."""
    motion = read_motion(path)
    record = FileRecord(name="Anlage.pdf", text="layer")
    write_motion(dataclasses.replace(motion, files=[record]), corpus, path)
    write_pages(text_path(path, 1, record), [motion.title, motion.body[:2000]])


@pytest.fixture(scope="module")
def index_dir(
    karlsruhe_corpus: Path, seed_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    root = tmp_path_factory.mktemp("bm25")
    corpus = shutil.copytree(karlsruhe_corpus, root / "corpus")
    imported = run("import", "allris", seed_path, "--corpus", corpus)
    assert imported.returncode == 0, imported.stderr
    for path in list(iter_motion_files(corpus))[::7]:  # papers with a file text, too
        with_file(corpus, path)
    reindex(corpus, root / "index", full=True)
    files = list(iter_motion_files(corpus))
    for path in files[::9]:
        path.unlink()
    for n, path in enumerate(files[4::9]):
        motion = read_motion(path)
        edited = dataclasses.replace(
            motion,
            resolution=f"{motion.resolution}\n\nDie Stadt Karlsruhe prüft den Haushalt erneut.",
            reasons=f"Begründung {n}: die Sanierung der Schule in Durlach ist dringend.",
        )
        write_motion(edited, corpus, path)
    report = reindex(corpus, root / "index")
    assert report.removed and report.updated and not report.full
    return root / "index"


@pytest.fixture(scope="module")
def searcher(index_dir: Path) -> Iterator[Searcher]:
    ix = open_generation(live_generation(index_dir))
    with ix.searcher(weighting=scoring.BM25F(B=B, K1=K1)) as opened:
        yield opened
    ix.close()


@pytest.fixture(scope="module")
def matcher(searcher: Searcher) -> Matcher:
    reader = searcher.reader()
    columns = Columns(reader)
    sequences = {f.name: column_reader(reader, f.name) for f in TEXT_FIELDS if not f.chars}
    return Matcher(
        searcher, columns.live, lambda name, d: sequences[name][d] or b"", columns.date_mask
    )


def ours(matcher: Matcher, node: Node) -> dict[int, float]:
    mask, scores = matcher.run(node, time.monotonic() + 60)
    assert not matcher.timed_out
    return {int(d): float(scores[d]) for d in np.flatnonzero(mask)}


def to_whoosh(node: Node) -> wq.Query:
    """The Whoosh query that means the same (a test's own translation; phrases only in
    fields with positions). Whoosh ignores the boost of a compound with one child, so that
    boost goes to the child; an unscored filter is terms boosted by 0 (Whoosh's
    ``ConstantScoreQuery`` scores 0.0 as 1.0)."""
    match node:
        case Term(field, text, boost):
            return wq.Term(field, text, boost=boost)
        case Or(items, boost) | And(items, boost):
            children = [to_whoosh(item) for item in items]
            if len(children) == 1:
                return children[0].with_boost(children[0].boost * boost)
            return (wq.Or if isinstance(node, Or) else wq.And)(children, boost=boost)
        case Phrase():
            return whoosh_phrase(node)
        case Terms(field, texts):
            return wq.Or([wq.Term(field, t, boost=0.0) for t in texts])
    raise AssertionError(f"no Whoosh translation in this test for {node!r}")


def reference(searcher: Searcher, node: Node) -> dict[int, float]:
    """Whoosh's scores for ``node``. Exclusions are taken from Whoosh's result sets here:
    Whoosh's ``AndNot`` keeps an excluded document that is the first match of its segment
    when the excluded query matches earlier documents there (``AndNotMatcher._find_first``
    compares the first ids without skipping)."""
    if isinstance(node, AndNot):
        found = reference(searcher, node.include)
        for child in node.exclude:
            for docnum in reference(searcher, child):
                found.pop(docnum, None)
        return found
    return dict(searcher.search(to_whoosh(node), limit=None).items())


def assert_same_scores(got: dict[int, float], expected: dict[int, float]) -> None:
    assert got.keys() == expected.keys()
    worst = max((abs(got[d] - expected[d]) for d in expected), default=0.0)
    assert worst <= TOLERANCE, f"largest difference {worst}"


def test_the_index_holds_deleted_documents(searcher: Searcher) -> None:
    reader = searcher.reader()
    assert reader.doc_count() < reader.doc_count_all()
    assert len(reader.leaf_readers()) > 1
    assert reader.has_deletions()


def sample_terms(searcher: Searcher, fieldname: str) -> list[str]:
    """The field's most frequent terms, and some of every frequency down to one document."""
    reader = searcher.reader()
    common = [t.decode("utf-8") for _, t in reader.most_frequent_terms(fieldname, 5)]
    lexicon = [t.decode("utf-8") for t in reader.lexicon(fieldname)]
    return list(dict.fromkeys(common + lexicon[:: max(1, len(lexicon) // 25)]))


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=lambda f: f.name)
def test_term_scores_are_whooshs(searcher: Searcher, matcher: Matcher, field: TextField) -> None:
    terms = sample_terms(searcher, field.name)
    assert terms
    for text in terms:
        node = Term(field.name, text, field.boost)
        assert_same_scores(ours(matcher, node), reference(searcher, node))


def test_reference_scores_are_whooshs(searcher: Searcher, matcher: Matcher) -> None:
    for name in (REF_EXACT, REF_BASE):
        for text in sample_terms(searcher, name)[:10]:
            node = Term(name, text, 25.0)
            assert_same_scores(ours(matcher, node), reference(searcher, node))


@pytest.mark.parametrize(
    "text",
    [
        "Karlsruhe",
        "Haushalt",
        "Stadt Karlsruhe Haushalt",
        "Luftreinhalteplan OR Bebauungsplan",
        "Gemeinderat -Durlach",
        'titel:"Stadt Karlsruhe"',
        'titel:"Stadt Karlsruhe" OR Luftreinhalteplan',
        'titel:"Stadt Karlsruhe" Antrag',
        "typ:Beschlussvorlage Sanierung",
    ],
)
def test_compiled_query_scores_are_whooshs(searcher: Searcher, matcher: Matcher, text: str) -> None:
    """Terms scored here and phrases scored by Whoosh's fallback add up on one scale."""
    context = Context(
        searcher.reader(), query_analyzer(), Columns(searcher.reader()).matching_values
    )
    parsed = compile_query(text, context)
    assert parsed.query is not None and not parsed.notices
    expected = reference(searcher, parsed.query)
    assert expected, "the query should find something"
    assert_same_scores(ours(matcher, parsed.query), expected)
