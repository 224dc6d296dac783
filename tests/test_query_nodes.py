"""The compiled query has its own nodes: nothing but the matcher can run them, and a
phrase keeps its word order however it is matched — on a real index (issue 12, point 4)."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from whoosh import query as wq
from whoosh.searching import Searcher

from archive.corpus import write_motion
from archive.motion import Motion
from index import query_nodes, query_syntax
from index.analysis import query_analyzer
from index.facets import Columns
from index.generations import live_generation, open_generation
from index.indexer import reindex
from index.matching import whoosh_phrase
from index.query import Context, ParsedQuery, compile_query
from index.query_nodes import And, AndNot, Node, Or, Phrase
from index.results import SearchRequest
from index.search import SearchIndex

ORDERED = "VO/2024/1"
REVERSED = "VO/2024/2"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("nodes")
    texts = {
        ORDERED: ("Sanierung der Grundschule Durlach", "Die Turnhalle braucht ein neues Dach."),
        REVERSED: ("Grundschule: Sanierung geplant", "Ein neues Dach braucht die Turnhalle."),
    }
    for reference, (title, body) in texts.items():
        write_motion(
            Motion(reference=reference, title=title, date="2024-03-01", type="Antrag", body=body),
            root / "corpus",
        )
    reindex(root / "corpus", root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def searcher(index_dir: Path) -> Iterator[Searcher]:
    ix = open_generation(live_generation(index_dir))
    with ix.searcher() as opened:
        yield opened
    ix.close()


def compiled(searcher: Searcher, text: str) -> ParsedQuery:
    reader = searcher.reader()
    return compile_query(text, Context(reader, query_analyzer(), Columns(reader).matching_values))


def nodes(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, And | Or):
        for item in node.items:
            yield from nodes(item)
    elif isinstance(node, AndNot):
        yield from nodes(node.include)
        for item in node.exclude:
            yield from nodes(item)


def found(index_dir: Path, text: str) -> list[str]:
    with SearchIndex.open(index_dir) as search_index:
        return sorted(h.reference for h in search_index.search(SearchRequest(text)).hits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Sanierung der Grundschule"', [ORDERED]),  # title (positions: Whoosh)
        ('titel:"Sanierung der Grundschule"', [ORDERED]),
        ('"Turnhalle braucht"', [ORDERED]),  # body (word sequence: the matcher)
        ('"braucht die Turnhalle"', [REVERSED]),
    ],
)
def test_a_phrase_finds_its_words_in_order_only(
    index_dir: Path, text: str, expected: list[str]
) -> None:
    assert found(index_dir, text.replace('"', "")) == [ORDERED, REVERSED]
    assert found(index_dir, text) == expected


def test_no_compiled_node_is_a_whoosh_query(searcher: Searcher) -> None:
    parsed = compiled(searcher, '"Sanierung der Grundschule" Durlach -Kita typ:Antrag')
    assert parsed.query is not None
    tree = list(nodes(parsed.query))
    assert any(isinstance(n, Phrase) for n in tree)
    assert not any(isinstance(n, wq.Query) for n in tree)


def test_a_whoosh_searcher_refuses_a_compiled_phrase(searcher: Searcher) -> None:
    """Handed to Whoosh, a compiled query raises instead of matching as an AND."""
    parsed = compiled(searcher, '"Sanierung der Grundschule"')
    with pytest.raises(AttributeError, match="matcher"):
        searcher.search(parsed.query)


def test_the_whoosh_conversion_of_a_phrase_keeps_word_order(searcher: Searcher) -> None:
    parsed = compiled(searcher, 'titel:"Sanierung der Grundschule"')
    assert isinstance(parsed.query, Phrase)
    swapped = dataclasses.replace(parsed.query, words=parsed.query.words[::-1])
    for phrase, expected in ((parsed.query, "vo-2024-1"), (swapped, "vo-2024-2")):
        converted = whoosh_phrase(phrase)
        assert isinstance(converted, wq.Phrase)
        hits = searcher.search(converted).docs()
        assert [searcher.stored_fields(d)["uid"].rpartition("/")[2] for d in hits] == [expected]


@pytest.mark.parametrize("module", [query_nodes, query_syntax], ids=lambda m: m.__name__)
def test_the_trees_are_typed(module: ModuleType) -> None:
    """Every field of every node names its type (no ``object``, no ``Any``)."""
    classes = [
        c
        for c in vars(module).values()
        if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == module.__name__
    ]
    assert classes
    for cls in classes:
        hints = typing.get_type_hints(cls, vars(module))
        for name, hint in hints.items():
            assert hint is not object and hint is not typing.Any, f"{cls.__name__}.{name}"
            assert "object" not in str(hint) and "Any" not in str(hint), f"{cls.__name__}.{name}"
