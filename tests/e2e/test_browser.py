"""End to end in Debian's Chromium against the real ``ratsarchiv serve`` (real HTTP, real index).

Regenerate the README screenshot with::

    RATSARCHIV_SCREENSHOT=docs/screenshot.png .venv/bin/pytest tests/e2e -k screenshot
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from webcorpus import SHIPPED_CORPUS, SOZIALES, build_index
from webserver import served

pytestmark = pytest.mark.browser


def result_heading(page) -> str:
    return page.locator("#results-heading").inner_text().strip()


def search(page, base: str, query: str) -> None:
    page.goto(base)
    page.get_by_label("Suchbegriff").fill(query)
    page.get_by_label("Suchbegriff").press("Enter")
    page.wait_for_url(re.compile(rf"q={query}"))


def test_search_facet_motion_back_and_feed(page, site):
    search(page, site, "Quartier")
    marks = page.locator(".snippet mark, .hit-title mark")
    assert marks.count() > 0
    before = result_heading(page)
    titles_before = page.locator(".hit-title").all_inner_texts()

    page.locator(".facets").get_by_role("link", name=re.compile(SOZIALES)).first.click()
    page.wait_for_url(re.compile("committee="))
    after = result_heading(page)
    assert after != before
    assert int(after.split()[0]) < int(before.split()[0])
    assert page.locator(".hit-title").all_inner_texts() != titles_before
    assert page.locator(".chip").filter(has_text=SOZIALES).count() == 1

    page.get_by_role("link", name=re.compile("Lebenswelten gestalten")).click()
    page.wait_for_url(re.compile("/motions/vo-2024-12903-01$"))
    timeline = page.locator(".timeline").inner_text()
    assert "7 : 8" in timeline
    assert "nicht erfasst" in timeline

    page.go_back()
    page.wait_for_url(re.compile("committee="))
    assert result_heading(page) == after

    feed_url = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute(
        "href"
    )
    response = page.request.get(site.rstrip("/") + feed_url)
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == int(after.split()[0])
    assert page.problems == []


def test_narrow_a_search_by_council_and_open_a_motion(page, site):
    """``Radweg`` finds papers of Lübeck and Altona; the council facet narrows it to Altona."""
    search(page, site, "Radweg")
    councils = page.locator(".hit-meta .council").all_inner_texts()
    assert {"Hansestadt Lübeck", "Bezirksversammlung Altona"} <= set(councils)
    facet = page.locator("#facet-council + .facet-values")
    assert facet.get_by_role("link", name=re.compile("Lübeck")).count() == 1

    facet.get_by_role("link", name=re.compile("Altona")).click()
    page.wait_for_url(re.compile("council=hamburg-altona"))
    assert result_heading(page).startswith("1 Treffer")
    assert page.locator(".hit-meta .council").all_inner_texts() == ["Bezirksversammlung Altona"]
    assert page.locator(".chip").filter(has_text="Kommune").count() == 1

    page.get_by_role("link", name=re.compile("Max-Brauer-Allee")).click()
    page.wait_for_url(re.compile("/hamburg-altona/motions/22-2401$"))
    assert "Bezirksversammlung Altona" in page.locator(".kicker").inner_text()
    assert "22-2401" in page.locator(".kicker").inner_text()

    page.locator(".metadata").get_by_role("link", name="Bezirksversammlung Altona").click()
    page.wait_for_url(re.compile("/hamburg-altona/$"))
    assert page.locator("h1").inner_text() == "Bezirksversammlung Altona"
    page.get_by_label("In Altona suchen").fill("Quartiersfonds")
    page.get_by_label("In Altona suchen").press("Enter")
    page.wait_for_url(
        re.compile(
            r"council=hamburg-altona.*q=Quartiersfonds|q=Quartiersfonds.*council=hamburg-altona"
        )
    )
    assert page.locator(".hit-title").all_inner_texts() == [
        "Quartiersfonds für Altona-Nord aufstocken"
    ]
    assert page.problems == []


def test_start_page_and_the_choice_of_an_old_address(page, site):
    page.goto(site)
    councils = page.locator(".council-list li").all_inner_texts()
    assert len(councils) == 3
    assert any("Bezirksversammlung Eimsbüttel" in c and "1 Antrag" in c for c in councils)
    page.locator(".council-list").get_by_role("link", name="Bezirksversammlung Eimsbüttel").click()
    page.wait_for_url(re.compile("/hamburg-eimsbuettel/$"))
    assert "Schulweg am Eidelstedter Platz" in page.locator(".hits").inner_text()

    response = page.goto(site + "motions/22-2368")
    assert response.status == 300
    page.get_by_role("link", name=re.compile("Bezirksversammlung Eimsbüttel")).click()
    page.wait_for_url(re.compile("/hamburg-eimsbuettel/motions/22-2368$"))
    assert "Eidelstedter Platz" in page.locator("h1").inner_text()

    response = page.goto(site + "motions/vo-2024-12903-01")
    assert response.ok and page.url.endswith("/luebeck/motions/vo-2024-12903-01")
    assert page.problems == []


def test_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(site + "?q=Quartier")
    before = result_heading(page)
    page.locator(".facets").get_by_role("link", name=re.compile("Bauausschuss")).first.click()
    assert result_heading(page) != before
    page.locator(".chip").first.click()
    assert result_heading(page) == before
    context.close()


def test_keyboard_skip_link_and_visible_focus(page, site):
    page.goto(site)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert outline != "none" or shadow != "none" or background != "rgba(0, 0, 0, 0)"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.problems == []


def test_error_pages_are_friendly(page, site):
    response = page.goto(site + "motions/vo-0000-00000")
    assert response.status == 404
    assert "Nicht gefunden" in page.locator("h1").inner_text()
    response = page.goto(site + "?page=nope")
    assert response.status == 400
    assert "Ungültige Anfrage" in page.locator("h1").inner_text()


def test_done_when_on_the_shipped_corpus(browser, tmp_path):
    """Search ``Quartier`` on the shipped corpus (several councils), narrow to Lübeck and
    then to the committee, open the seed: 7 : 8."""
    index_dir = build_index(SHIPPED_CORPUS, tmp_path / "index")
    with served(index_dir, SHIPPED_CORPUS) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        search(page, url, "Quartier")
        assert page.locator(".hit").count() >= 1
        page.locator(".facets").get_by_role("link", name=re.compile("Lübeck")).first.click()
        page.wait_for_url(re.compile("council=luebeck"))
        page.locator(".facets").get_by_role("link", name=re.compile(SOZIALES)).first.click()
        page.wait_for_url(re.compile("committee="))
        page.get_by_role("link", name=re.compile("Quartiere stärken")).first.click()
        page.wait_for_url(re.compile("/motions/vo-2024-12903-01$"))
        assert "VO/2024/12903-01" in page.locator(".kicker").inner_text()
        assert "7 : 8" in page.locator(".timeline").inner_text()
        assert errors == []
        context.close()


def test_screenshot(page, site, tmp_path):
    """The search page with results, facets and marks (``RATSARCHIV_SCREENSHOT`` keeps it)."""
    page.goto(site + "?q=Quartier&type=Antrag")
    assert page.locator("mark").count() > 0
    target = Path(os.environ.get("RATSARCHIV_SCREENSHOT") or tmp_path / "screenshot.png")
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
    assert page.problems == []
