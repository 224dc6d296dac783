"""In Chromium: a word only in a scanned Köln Anfrage finds it, and the hit's link opens
the PDF at the page the word is on (real import from a local OParl API, real OCR, real
``ratsarchiv serve``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from archive.cli import main
from tests.oparl_file_api import file_api
from tests.realdata import require
from tests.webserver import served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def files_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("files-site")
    corpus, index_dir = root / "corpus", root / "index"
    with file_api(require(), root / "served") as api:
        url = f"{api.origin}/oparl/system"
        CliRunner().invoke(main, ["import", "oparl", url, "--corpus", str(corpus)])
    reindexed = CliRunner().invoke(
        main, ["reindex", "--corpus", str(corpus), "--index", str(index_dir)]
    )
    assert reindexed.exit_code == 0, reindexed.output
    with served(index_dir, corpus) as base:
        yield base


def test_the_hit_in_a_scan_opens_the_pdf_at_its_page(page, files_site: str) -> None:
    page.goto(files_site)
    page.get_by_label("Suchbegriff").fill("Salmstraße")
    page.get_by_label("Suchbegriff").press("Enter")
    page.wait_for_url(re.compile("q=Salmstra"))
    hit = page.locator(".hit").filter(has_text="Anfrage zur Verkehrsführung in Porz")
    assert "Salmstraße" in hit.locator(".snippet mark").first.inner_text()
    link = hit.get_by_role("link", name="Gefunden in „Anfrage.pdf“, Seite 1")
    assert link.get_attribute("href").endswith("#page=1")

    with page.expect_response(re.compile(r"/files/default/an-0412-2010/1$")) as answer:
        link.click()

    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    page.wait_for_url(re.compile(r"/files/default/an-0412-2010/1#page=1$"))
    assert not [p for p in page.problems if "favicon" not in p]
