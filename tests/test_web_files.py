"""The site and a paper's files, over real HTTP: where a hit was found, the file list, the
originals under ``/files/…`` (the kept copy, else the source), and nothing non-public."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import iter_motion_files, read_motion, write_motion
from archive.file_text import copy_path, text_path, write_pages
from archive.files import FileRecord
from tests.oparl_file_api import file_api
from tests.realdata import require
from tests.webserver import served


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    corpus, index_dir = root / "corpus", root / "index"
    with file_api(require(), root / "served") as api:
        url = f"{api.origin}/oparl/system"
        imported = CliRunner().invoke(main, ["import", "oparl", url, "--corpus", str(corpus)])
        assert "2 created" in imported.output, imported.output
    vorlage = next(p for p in iter_motion_files(corpus) if "77" in p.name)
    motion = read_motion(vorlage)
    secret = FileRecord(name="Vermerk intern.pdf", url="https://x.example/v.pdf", text="layer")
    secret.public = False
    write_motion(
        type(motion)(**{**motion.__dict__, "files": [*motion.files, secret]}), corpus, vorlage
    )
    write_pages(text_path(vorlage, 3, secret), ["Kaufpreisgeheimnis der Verhandlung"])
    copy_path(vorlage, 3, secret).write_bytes(b"%PDF-1.4 secret")
    assert (
        CliRunner()
        .invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(index_dir)])
        .exit_code
        == 0
    )
    with served(index_dir, corpus) as base:
        yield base


def test_a_hit_in_a_scan_names_file_and_page_and_links_to_it(site: str) -> None:
    page = requests.get(f"{site}?q=Salmstraße", timeout=10)
    assert page.status_code == 200
    assert "Gefunden in „Anfrage.pdf“, Seite 1" in page.text
    link = "/files/default/an-0412-2010/1#page=1"
    assert f'href="{link}"' in page.text

    english = requests.get(f"{site}?q=Salmstraße&lang=en", timeout=10)
    assert "Found in “Anfrage.pdf”, page 1" in english.text

    api = requests.get(f"{site}api/search?q=Salmstraße", timeout=10).json()
    match = api["hits"][0]["file_match"]
    assert (match["name"], match["page"], match["position"]) == ("Anfrage.pdf", 1, 1)


def test_the_original_is_served_from_the_kept_copy_as_a_pdf(site: str) -> None:
    answer = requests.get(f"{site}files/default/an-0412-2010/1", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.content.startswith(b"%PDF")
    again = requests.get(
        f"{site}files/default/an-0412-2010/1",
        headers={"If-None-Match": answer.headers["ETag"]},
        timeout=10,
    )
    assert again.status_code == 304


def test_the_paper_page_lists_its_files_with_pages_and_how_they_were_read(site: str) -> None:
    scan = requests.get(f"{site}default/motions/an-0412-2010", timeout=10).text
    assert "Dateien" in scan and "Anfrage.pdf" in scan
    assert "1 Seite" in scan and "per Texterkennung (OCR) gelesen" in scan
    vorlage = requests.get(f"{site}default/motions/vo-2024-77", timeout=10).text
    assert "2 Seiten ·" in vorlage and "Text der Datei" in vorlage
    assert "nicht lesbar" in vorlage  # the HTML page served as a PDF
    twin = requests.get(f"{site}api/default/motions/vo-2024-77", timeout=10).json()
    assert [(f["position"], f["name"]) for f in twin["files"]] == [
        (1, "Vorlage.pdf"),
        (2, "Anlage 1 Lageplan.pdf"),
    ]


def test_a_file_without_a_kept_copy_sends_the_reader_to_the_source(site: str) -> None:
    answer = requests.get(f"{site}files/default/vo-2024-77/2", timeout=10, allow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/files/fehler.pdf")


def test_a_non_public_file_is_never_shown_searched_or_served(site: str) -> None:
    assert requests.get(f"{site}files/default/vo-2024-77/3", timeout=10).status_code == 404
    page = requests.get(f"{site}default/motions/vo-2024-77", timeout=10).text
    assert "Vermerk" not in page
    twin = requests.get(f"{site}api/default/motions/vo-2024-77", timeout=10).text
    assert "Vermerk" not in twin and "x.example" not in twin
    found = requests.get(f"{site}api/search?q=Kaufpreisgeheimnis", timeout=10).json()
    assert found["total"] == 0


@pytest.mark.parametrize(
    "path",
    ["files/default/vo-2024-77/0", "files/default/vo-2024-77/99", "files/default/nix/1",
     "files/default/..%2F..%2Fetc/1", "files/default/vo-2024-77/1%2F..%2F..%2Fpasswd"],
)  # fmt: skip
def test_unknown_or_hostile_file_paths_are_404(site: str, path: str) -> None:
    answer = requests.get(f"{site}{path}", timeout=10)
    assert answer.status_code == 404
    assert "Traceback" not in answer.text
