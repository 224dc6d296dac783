"""``import allris-html URL`` follows a Drucksache's document links: its do027 PDF and its
Anlagen (temporary ALLRIS links, fetched at once), so their words are searchable."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import iter_motion_files, read_motion
from archive.file_text import read_pages, text_path
from archive.importers.allris_html import attachment_records, read_source
from index.results import SearchRequest
from index.search import SearchIndex
from tests.file_server import FileServer, serve_bytes, serve_file
from tests.generated_pdfs import write_pdf
from tests.realdata import require

DRUCKSACHE = ["Drucksache 22-2362", "Die Bezirksversammlung fordert eine Busanbindung."]
ANLAGE = ["Anlage: Fahrplanentwurf mit Taktverdichtung am Marion-Dönhoff-Gymnasium"]


@pytest.fixture
def altona(tmp_path: Path) -> Path:
    return require() / "allris-hamburg" / "altona" / "vo020.html"


def test_a_saved_page_gives_records_for_its_stable_links_only(altona: Path) -> None:
    records = attachment_records(read_source(str(altona)))
    assert [r.name for r in records] == ["Drucksache.pdf"]
    assert records[0].url == (
        "http://sitzungsdienst-altona.hamburg.de/bi/do027.asp?DOLFDNR=1543908&options=64"
    )


def test_a_live_page_fetches_and_reads_its_documents(altona: Path, tmp_path: Path) -> None:
    write_pdf(DRUCKSACHE, tmp_path / "drucksache.pdf")
    write_pdf(ANLAGE, tmp_path / "anlage.pdf")
    with FileServer() as server:
        page_url = server.url("/bi/vo020.asp?VOLFDNR=1018473")
        server.route(
            "/bi/vo020.asp", serve_bytes(altona.read_bytes(), "text/html; charset=iso-8859-1")
        )
        server.route("/bi/do027.asp", serve_file(tmp_path / "drucksache.pdf"))
        live = read_source(page_url)
        anlage = next(a for a in live.header.select('td.text3 a[href*="Anlagen"]'))
        path = unquote(urlsplit(urljoin(page_url, anlage["href"])).path)
        server.route(path, serve_file(tmp_path / "anlage.pdf"))
        corpus, index_dir = tmp_path / "corpus", tmp_path / "index"

        result = CliRunner().invoke(
            main,
            ["import", "allris-html", page_url, "--corpus", str(corpus), "--council", "altona"],
        )

    assert result.exit_code == 0, result.output
    assert "files: 2 fetched, 0 unchanged, 0 failed, 0 skipped" in result.output
    paper = next(iter_motion_files(corpus))
    motion = read_motion(paper)
    assert [(f.name.endswith(".pdf"), f.text, f.pages) for f in motion.files] == [
        (True, "layer", 2),
        (True, "layer", 1),
    ]
    assert "Taktverdichtung" in read_pages(text_path(paper, 2, motion.files[1]))[0]
    CliRunner().invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(index_dir)])
    with SearchIndex.open(index_dir) as index:
        hit = index.search(SearchRequest("Taktverdichtung")).hits[0]
    assert hit.file_match is not None and hit.file_match.position == 2
