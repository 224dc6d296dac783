"""``import oparl URL`` reads the papers' PDFs: an API that serves files without ``text``.

A local OParl API (``tests.file_server``) serves papers whose Files carry no ``text`` but a
``downloadUrl``: a real scanned Köln Anfrage, a text PDF written from a known text, and an
HTML error page served as application/pdf. After the import and a reindex, words that
occur only inside the PDFs find their papers, and the hit names the file and page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from archive.cli import main
from archive.corpus import iter_motion_files, read_motion
from archive.file_text import copy_path
from index.results import SearchRequest
from index.search import SearchIndex
from tests.file_server import FileServer
from tests.oparl_file_api import file_api
from tests.realdata import require


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FileServer]:
    with file_api(require(), tmp_path_factory.mktemp("served")) as server:
        yield server


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


@pytest.fixture(scope="module")
def imported(
    api: FileServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, Result]:
    root = tmp_path_factory.mktemp("archive")
    corpus, index_dir = root / "corpus", root / "index"
    result = run(
        "import", "oparl", f"{api.origin}/oparl/system", "--corpus", corpus, "--delay", "0"
    )
    reindexed = run("reindex", "--corpus", corpus, "--index", index_dir)
    assert reindexed.exit_code == 0, reindexed.output
    return corpus, index_dir, result


def motions(corpus: Path) -> dict[str, Any]:
    return {
        m.reference: (m, path) for path in iter_motion_files(corpus) for m in [read_motion(path)]
    }


def test_the_import_fetches_and_reads_every_file_and_reports_the_broken_one(
    imported: tuple[Path, Path, Result],
) -> None:
    corpus, _, result = imported
    assert "2 created" in result.output
    assert "files: 2 fetched, 0 unchanged, 1 failed, 0 skipped" in result.output
    assert "file 2 (Anlage 1 Lageplan.pdf)" in result.output and "HTML" in result.output
    papers = motions(corpus)
    scan = papers["AN/0412/2010"][0].files[0]
    assert (scan.text, scan.pages, scan.ocr_pages) == ("ocr", 1, [1])
    assert "Kein Text vorhanden" not in papers["AN/0412/2010"][0].body
    vorlage, broken = papers["VO/2024/77"][0].files
    assert (vorlage.text, vorlage.pages) == ("layer", 2)
    assert broken.text == "failed" and "HTML" in broken.reason
    assert "Seniorenbeirats" in papers["VO/2024/77"][0].body  # a File with text: as before


def test_a_word_only_in_the_scanned_anfrage_finds_it_with_file_and_page(
    imported: tuple[Path, Path, Result],
) -> None:
    _, index_dir, _ = imported
    with SearchIndex.open(index_dir) as index:
        result = index.search(SearchRequest("Salmstraße"))
    assert [h.reference for h in result.hits] == ["AN/0412/2010"]
    match = result.hits[0].file_match
    assert match is not None
    assert (match.name, match.page) == ("Anfrage.pdf", 1)
    assert match.url.endswith("/files/anfrage.pdf")
    assert "<mark>Salmstraße</mark>" in result.hits[0].snippet_html


def test_a_word_on_page_two_of_a_text_pdf_names_page_two(
    imported: tuple[Path, Path, Result],
) -> None:
    _, index_dir, _ = imported
    with SearchIndex.open(index_dir) as index:
        hit = index.search(SearchRequest("Fahrradbügel")).hits[0]
    assert hit.reference == "VO/2024/77"
    assert hit.file_match is not None
    assert (hit.file_match.position, hit.file_match.page) == (1, 2)


def test_a_second_import_fetches_nothing_again(
    imported: tuple[Path, Path, Result], api: FileServer
) -> None:
    corpus, _, _ = imported
    before = api.hits["/files/anfrage.pdf"]
    papers = motions(corpus)
    copy = copy_path(papers["AN/0412/2010"][1], 1, papers["AN/0412/2010"][0].files[0])
    stamp = copy.stat().st_mtime_ns

    again = run("import", "oparl", f"{api.origin}/oparl/system", "--corpus", corpus, "--delay", "0")

    assert "2 unchanged" in again.output
    assert "files: 0 fetched, 2 unchanged, 1 failed" in again.output
    assert api.hits["/files/anfrage.pdf"] == before
    assert copy.stat().st_mtime_ns == stamp
