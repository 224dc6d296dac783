"""The shipped corpus (``corpus/``) is exactly what the importers make from the real data.

``tools/make_corpus.py`` (``make corpus``) imports Lübeck's seed, the five Hamburg districts'
ALLRIS pages and Karlsruhe's papers of one year; here it runs again into tmp_path and every
file must come out byte for byte as shipped, with nothing missing and nothing else there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.corpus import iter_council_files
from archive.councils import council_layout
from tools.make_corpus import COUNCILS, KARLSRUHE_YEAR, build, corpus_files

SHIPPED = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, karlsruhe_data: Path) -> Path:
    corpus = tmp_path_factory.mktemp("made") / "corpus"
    build(karlsruhe_data.parent, corpus)
    return corpus


def test_every_shipped_file_is_what_the_importers_make(made: Path) -> None:
    shipped, expected = corpus_files(SHIPPED), corpus_files(made)
    assert sorted(set(shipped) - set(expected)) == [], "stray files in corpus/"
    assert sorted(set(expected) - set(shipped)) == [], "missing: run `make corpus`"
    differ = [name for name in expected if shipped[name] != expected[name]]
    assert differ == [], "changed since `make corpus`: run it again"


def test_each_council_is_described_with_its_source_and_terms() -> None:
    layout = council_layout(SHIPPED)
    assert sorted(layout.folders) == sorted(c.key for c in COUNCILS)
    assert layout.default == "luebeck" and not layout.legacy and not layout.problems
    for council in COUNCILS:
        described = layout.councils[council.key]
        assert described.name and described.kind and described.state, described
        assert described.source and described.terms, described
    assert "karlsruhe-oparl-syndication" in layout.councils["karlsruhe"].source
    assert "bv-hh/bv-hh" in layout.councils["hamburg-altona"].source
    assert "own extract" in layout.councils["luebeck"].source


def test_karlsruhe_is_one_year_of_papers_and_the_whole_fits_in_ten_mb() -> None:
    papers = [p for p, key in iter_council_files(SHIPPED) if key == "karlsruhe"]
    assert len(papers) >= 200
    assert {path.parent.name for path in papers} == {KARLSRUHE_YEAR}  # the folder: its date
    assert sum(len(data) for data in corpus_files(SHIPPED).values()) < 10_000_000


def test_the_readme_counts_what_is_shipped() -> None:
    readme = (SHIPPED.parent / "README.md").read_text(encoding="utf-8")
    papers = list(iter_council_files(SHIPPED))
    karlsruhe = sum(1 for _, council in papers if council == "karlsruhe")
    assert f"{len(papers)} real papers of seven councils" in " ".join(readme.split())
    assert f"its {karlsruhe} papers of {KARLSRUHE_YEAR}" in " ".join(readme.split())
    assert len(COUNCILS) == 7
