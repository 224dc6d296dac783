"""In Chromium: a paper's timeline opens its meeting at the item, the item leads back to
the paper, the calendar pages through months with plain links, and a committee's page
lists its meetings (real ``ratsarchiv serve`` over the Musterstadt corpus)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from archive.cli import main
from tests.meetingcorpus import BAU, write_corpus
from tests.webserver import served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def meetings_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("meetings-site")
    corpus, index_dir = root / "corpus", root / "index"
    write_corpus(corpus)
    built = CliRunner().invoke(
        main, ["reindex", "--corpus", str(corpus), "--index", str(index_dir)]
    )
    assert built.exit_code == 0, built.output
    with served(index_dir, corpus) as base:
        yield base


def test_a_meeting_opens_from_a_papers_timeline_and_leads_back(page, meetings_site: str) -> None:
    page.goto(f"{meetings_site}musterstadt/motions/2025-0100")
    timeline = page.locator("ol.timeline li").first
    timeline.get_by_role("link", name="3. Sitzung").click()
    page.wait_for_url(
        re.compile(r"/musterstadt/meetings/2025-06-04-bau-und-verkehrsausschuss#top-oe-3$")
    )
    assert page.locator("h1").inner_text().startswith(BAU)
    row = page.locator("tr#top-oe-3")
    assert row.is_visible()
    assert "beschlossen" in row.inner_text()
    row.get_by_role("link", name="2025/0100").click()
    page.wait_for_url(re.compile(r"/musterstadt/motions/2025-0100$"))
    assert page.locator("h1").inner_text() == "Radweg an der Lindenallee"
    assert page.problems == []


def test_the_calendar_pages_through_months_without_javascript(browser, meetings_site: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(f"{meetings_site}musterstadt/calendar?month=2025-06")
    assert page.locator("#month-heading").inner_text() == "Juni 2025"
    assert page.get_by_role("link", name="17:00 Bau- und Verkehrsausschuss").is_visible()
    page.get_by_role("link", name="Nächster Monat →").click()
    page.wait_for_url(re.compile(r"month=2025-07$"))
    assert page.locator("#month-heading").inner_text() == "Juli 2025"
    assert "abgesagt" in page.locator("table.calendar").inner_text()
    page.get_by_role("link", name="← Voriger Monat").click()
    page.get_by_role("link", name="← Voriger Monat").click()
    assert page.locator("#month-heading").inner_text() == "Mai 2025"
    context.close()


def test_a_committee_page_lists_its_meetings_and_opens_one(page, meetings_site: str) -> None:
    page.goto(f"{meetings_site}musterstadt/meetings/2025-06-04-bau-und-verkehrsausschuss")
    page.get_by_role("link", name=BAU).first.click()
    page.wait_for_url(re.compile(r"/musterstadt/committees/bau-und-verkehrsausschuss$"))
    past = page.locator("section[aria-labelledby=past-heading]")
    assert past.get_by_role("link").count() == 2
    past.get_by_role("link").last.click()
    page.wait_for_url(re.compile(r"/meetings/2025-06-04-bau-und-verkehrsausschuss$"))
    assert page.problems == []


def test_a_committee_member_leads_to_the_faction_and_its_chart_table(
    page, meetings_site: str
) -> None:
    page.goto(f"{meetings_site}musterstadt/committees/bau-und-verkehrsausschuss")
    members = page.locator("section[aria-labelledby=members-heading] table")
    assert "Schulz, Anna" in members.inner_text()
    members.get_by_role("link", name="Grüne").click()
    page.wait_for_url(re.compile(r"/musterstadt/factions/fraktion-buendnis-90-die-gruenen$"))
    assert page.locator("h1").inner_text() == "Fraktion Bündnis 90/Die Grünen"
    chart = page.get_by_role("img", name=re.compile("Ergebnisse der Vorlagen"))
    assert chart.count() == 1
    table = page.locator("#faction-outcomes-table")
    assert table.locator("th[scope=row]").all_inner_texts() == ["2025"]
    assert page.problems == []
