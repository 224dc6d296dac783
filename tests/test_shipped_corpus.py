"""The shipped corpus (``corpus/``) is exactly what the importers make from the real data.

``tools/make_corpus.py`` (``make corpus``) imports Lübeck's seed, the five Hamburg districts'
ALLRIS pages and Karlsruhe's papers of one year; here it runs again into tmp_path and every
file must come out byte for byte as shipped, with nothing missing and nothing else there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.councils import council_layout
from archive.importers.corpus_writer import JOURNAL_FILE
from archive.importers.corpus_writer import STATE_FILE as IMPORT_STATE
from archive.importers.oparl_import import STATE_FILE as OPARL_STATE
from tools.make_corpus import COUNCILS, KARLSRUHE_YEAR, build

SHIPPED = Path(__file__).resolve().parents[1] / "corpus"
STATE_FILES = {IMPORT_STATE, JOURNAL_FILE, OPARL_STATE}
"""What an import into ``corpus/`` leaves beside the papers (ignored by git, never shipped)."""


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path, the importers' state files left out."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in STATE_FILES
    }


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, karlsruhe_data: Path) -> Path:
    corpus = tmp_path_factory.mktemp("made") / "corpus"
    build(karlsruhe_data.parent, corpus)
    return corpus


def test_every_shipped_file_is_what_the_importers_make(made: Path) -> None:
    shipped, expected = files(SHIPPED), files(made)
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
    papers = list((SHIPPED / "karlsruhe").glob("*/*.md"))
    assert len(papers) >= 200
    assert {path.parent.name for path in papers} == {KARLSRUHE_YEAR}  # the folder: its date
    assert sum(len(data) for data in files(SHIPPED).values()) < 10_000_000
