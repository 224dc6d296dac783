"""Search inside a paper's files: their words find it, the hit names the file and page."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.corpus import read_motion, write_motion
from archive.councils import DEFAULT_KEY
from archive.file_text import text_path, write_pages
from archive.files import FileRecord
from archive.motion import Motion
from index.indexer import reindex
from index.results import SearchRequest
from index.search import SearchIndex

LAGEPLAN = FileRecord(
    name="Anlage 2 – Lageplan.pdf", url="https://ratsinfo.example.de/lageplan.pdf", text="layer"
)
GUTACHTEN = FileRecord(name="Gutachten.pdf", url="https://ratsinfo.example.de/g.pdf", text="ocr")
SECRET = FileRecord(name="Vermerk (intern).pdf", text="layer", public=False)
PAGES = {
    "lageplan": ["Übersicht der Flächen", "Der Spielplatz an der Wakenitz bleibt erhalten."],
    "gutachten": ["Seite eins", "Seite zwei", "Die Bodenprobe zeigt Altlasten im Uferbereich."],
    "secret": ["Die Grundstückspreise der Verhandlung: Kaufpreisgeheimnis"],
}


def paper(corpus: Path, *records: FileRecord, texts: dict[int, list[str]]) -> Path:
    motion = Motion(
        reference="VO/2024/0815",
        title="Neugestaltung des Wakenitzufers",
        date="2024-05-07",
        body="Die Verwaltung legt einen Entwurf vor.",
        files=list(records),
    )
    path = write_motion(motion, corpus, corpus / "2024" / "vo-2024-0815.md")
    for position, pages in texts.items():
        write_pages(text_path(path, position, records[position - 1]), pages)
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    paper(
        root,
        LAGEPLAN,
        SECRET,
        GUTACHTEN,
        texts={1: PAGES["lageplan"], 2: PAGES["secret"], 3: PAGES["gutachten"]},
    )
    return root


def search(index_dir: Path, query: str):  # type: ignore[no-untyped-def]
    with SearchIndex.open(index_dir) as index:
        return index.search(SearchRequest(query))


def test_a_word_only_in_a_file_finds_the_paper_with_its_file_and_page(
    corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    reindex(corpus, index_dir, full=True)

    result = search(index_dir, "Altlasten")

    assert result.total == 1
    hit = result.hits[0]
    assert hit.file_match is not None
    assert (hit.file_match.position, hit.file_match.name) == (3, "Gutachten.pdf")
    assert hit.file_match.page == 3
    assert hit.file_match.url == "https://ratsinfo.example.de/g.pdf"
    assert "<mark>Altlasten</mark>" in hit.snippet_html
    assert "Seite zwei" not in hit.snippet_html


def test_german_analysis_applies_to_file_text(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    reindex(corpus, index_dir, full=True)

    hit = search(index_dir, "Spielplätze").hits[0]

    assert hit.file_match is not None
    assert (hit.file_match.position, hit.file_match.page) == (1, 2)


def test_a_file_marked_not_public_is_not_searchable(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    reindex(corpus, index_dir, full=True)

    assert search(index_dir, "Kaufpreisgeheimnis").total == 0
    with SearchIndex.open(index_dir) as index:
        shown = index.motion(DEFAULT_KEY, "vo-2024-0815")
    assert shown is not None
    assert [f.name for f in shown.files] == ["Anlage 2 – Lageplan.pdf", "", "Gutachten.pdf"]
    assert shown.files[1].url == "" and not shown.files[1].public


def test_a_corrected_file_text_is_searchable_after_an_incremental_reindex(
    corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    reindex(corpus, index_dir, full=True)
    path = corpus / "2024" / "vo-2024-0815.md"
    stored = text_path(path, 3, read_motion(path).files[2])
    stored.write_text("Die Bodenprobe zeigt Schwermetalle.\n", encoding="utf-8")

    report = reindex(corpus, index_dir)

    assert report.updated == 1
    assert search(index_dir, "Schwermetalle").total == 1
    assert search(index_dir, "Altlasten").total == 0


def test_a_word_in_the_paper_itself_is_not_attributed_to_a_file(
    corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    reindex(corpus, index_dir, full=True)

    hit = search(index_dir, "Entwurf").hits[0]

    assert hit.file_match is None
    assert "<mark>Entwurf</mark>" in hit.snippet_html
