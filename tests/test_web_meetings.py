"""Meetings on the site, over real HTTP: the meeting page, its links to papers and back,
the calendar and its iCalendar feeds, the committee page, and agenda items in the search.

The corpus is written in the test with the archive's own writers (``write_motion``,
``write_meeting``), indexed by the real ``ratsarchiv reindex`` and served by the real
``ratsarchiv serve``. One meeting holds a non-public item whose words must never show.
"""

from __future__ import annotations

import datetime
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import icalendar
import pytest
from click.testing import CliRunner, Result
from meetingcorpus import ATOM, BAU, COUNCIL, FUTURE, GRUENE, SECRET, write_corpus
from webserver import served

from archive.cli import main
from archive.councils import council_layout
from archive.meeting_files import meeting_path


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    root = tmp_path_factory.mktemp("meetings")
    corpus, index_dir = root / "corpus", root / "index"
    write_corpus(corpus)
    built = run("reindex", "--corpus", corpus, "--index", index_dir)
    assert built.exit_code == 0, built.output
    assert "and 4 meetings" in built.output and "2 organisations" in built.output
    with served(index_dir, corpus) as base:
        yield base, corpus, index_dir


def get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8"), dict(exc.headers)


def get_json(url: str) -> dict:
    status, body, _ = get(url)
    assert status == 200, body[:500]
    return json.loads(body)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


MEETING = "/musterstadt/meetings/2025-06-04-bau-und-verkehrsausschuss"


def test_a_papers_timeline_opens_its_meetings_and_the_items_link_back(site) -> None:
    base, _, _ = site
    paper = get_json(f"{base}api/musterstadt/motions/2025-0100")
    links = [c["meeting_url"] for c in paper["consultations"]]
    assert links == [
        f"{MEETING}#top-oe-3",
        "/musterstadt/meetings/2025-06-24-gemeinderat#top-oe-12",
    ]
    status, html, _ = get(f"{base}musterstadt/motions/2025-0100")
    assert status == 200 and f'href="{MEETING}#top-oe-3"' in html
    meeting = get_json(f"{base}api{MEETING}")
    item = next(i for i in meeting["items"] if i["number"] == "Ö 3")
    assert item["papers"] == [
        {
            "reference": "2025/0100",
            "title": "Radweg an der Lindenallee",
            "url": "/musterstadt/motions/2025-0100",
        }
    ]
    status, html, _ = get(f"{base}{MEETING.lstrip('/')}")
    assert 'id="top-oe-3"' in html and 'href="/musterstadt/motions/2025-0100"' in html


def test_the_meeting_page_shows_when_where_its_agenda_minutes_and_neighbours(site) -> None:
    base, _, _ = site
    status, html, headers = get(f"{base}{MEETING.lstrip('/')}")
    assert status == 200
    assert f"/api{MEETING}" in headers["Link"]
    text = text_of(html)
    for expected in (
        "Bau- und Verkehrsausschuss",
        "04.06.2025",
        "17:00–19:30",
        "Rathaus, Saal 2",
        "stattgefunden",
        "Bericht der Verwaltung zum Winterdienst",
        "zur Kenntnis genommen",
        "Der Vorsitzende eröffnet die Sitzung",
    ):
        assert expected in text, expected
    assert "Ja 9 : 2 Nein" in text and "Enthaltungen nicht erfasst" in text  # null is not 0
    data = get_json(f"{base}api{MEETING}")
    assert [i["number"] for i in data["items"]] == ["Ö 1", "Ö 2", "Ö 3", "Ö 4"]
    assert data["status"] == "held" and data["start"] == "17:00" and data["end"] == "19:30"
    assert data["previous"] is None
    assert data["next"]["id"] == "2025-07-02-bau-und-verkehrsausschuss"
    assert data["next"]["status"] == "cancelled"
    cancelled = get_json(f"{base}api/musterstadt/meetings/2025-07-02-bau-und-verkehrsausschuss")
    assert cancelled["previous"]["id"] == "2025-06-04-bau-und-verkehrsausschuss"
    english = text_of(get(f"{base}{MEETING.lstrip('/')}?lang=en")[1])
    assert "Agenda" in english and "4 June 2025" in english and "held" in english


def test_unknown_and_malformed_meeting_ids_are_not_found(site) -> None:
    base, _, _ = site
    for path in (
        "musterstadt/meetings/2099-01-01-nirgends",
        "musterstadt/meetings/..%2Fetc",
        "musterstadt/meetings/" + quote("<script>"),
        "nirgendwo/meetings/x",
        "api/musterstadt/meetings/2099-01-01-nirgends",
    ):
        status, body, _ = get(base + path)
        assert status == 404, path
        assert "Traceback" not in body


def test_a_non_public_item_is_never_shown_searched_or_fed(site) -> None:
    base, corpus, index_dir = site
    secret = SECRET.lower()
    pages = [
        MEETING.lstrip("/"),
        f"api{MEETING}",
        "musterstadt/calendar?month=2025-06",
        "api/musterstadt/calendar?month=2025-06",
        "musterstadt/calendar.ics",
        "musterstadt/committees/bau-und-verkehrsausschuss/calendar.ics",
        "musterstadt/committees/bau-und-verkehrsausschuss",
        "api/search?q=Verkauf",  # a word of the item's title: the page echoes no query word
        "?q=Verkauf",
        "export.csv?q=Verkauf",
        "export.json?q=Verkauf",
        "feed.atom?q=Verkauf",
        "musterstadt/",
    ]
    for page in pages:
        status, body, _ = get(base + page)
        assert status == 200, page
        assert secret not in body.lower(), page
    assert get_json(f"{base}api/search?q={quote(SECRET)}")["total"] == 0
    assert get_json(f"{base}api/search?q=Verkauf")["total"] == 0
    assert "N 5" not in json.dumps(get_json(f"{base}api{MEETING}"))
    catalog = next(index_dir.glob("gen-*/meetings.json")).read_text(encoding="utf-8")
    assert secret not in catalog.lower()  # not even in what the index keeps
    assert (
        SECRET
        in meeting_path(
            council_layout(corpus), COUNCIL.key, "2025-06-04-bau-und-verkehrsausschuss"
        ).read_text()
    )


def test_items_without_a_paper_and_minutes_are_found_and_link_to_their_place(site) -> None:
    base, _, _ = site
    found = get_json(f"{base}api/search?q=Winterdienst")
    kinds = {h["type"]: h for h in found["hits"]}
    assert set(kinds) == {"Tagesordnungspunkt", "Niederschrift"}
    assert kinds["Tagesordnungspunkt"]["url"] == f"{MEETING}#top-oe-2"
    assert kinds["Niederschrift"]["url"] == f"{MEETING}#niederschrift"
    assert (
        "<mark>Winterdienst</mark>"
        in kinds["Tagesordnungspunkt"]["snippet_html"] + (kinds["Tagesordnungspunkt"]["title_html"])
    )
    kind_facet = {v["value"]: v["count"] for v in found["facets"]["type"]}
    assert kind_facet == {"Tagesordnungspunkt": 1, "Niederschrift": 1}
    status, html, _ = get(f"{base}?q=Winterdienst")
    assert status == 200 and f'href="{MEETING}#top-oe-2"' in html
    # An item with a paper is found through its paper, not twice.
    radweg = get_json(f"{base}api/search?q=Lindenallee")
    assert [h["type"] for h in radweg["hits"]] == ["Antrag"]


def test_browsing_without_words_shows_papers_and_offers_the_meeting_kinds(site) -> None:
    base, _, _ = site
    browse = get_json(f"{base}api/search")
    assert browse["total"] == 2
    assert {h["type"] for h in browse["hits"]} == {"Antrag", "Beschlussvorlage"}
    kinds = {v["value"]: v["count"] for v in browse["facets"]["type"]}
    assert kinds["Tagesordnungspunkt"] == 2 and kinds["Niederschrift"] == 1
    items = get_json(f"{base}api/search?type=Tagesordnungspunkt")
    assert items["total"] == 2
    assert all("/meetings/" in h["url"] for h in items["hits"])
    council = get_json(f"{base}api/")
    assert {c["key"]: c["papers"] for c in council["councils"]} == {"musterstadt": 2}


def test_the_calendar_pages_through_months_without_javascript(site) -> None:
    base, _, _ = site
    status, html, _ = get(f"{base}musterstadt/calendar?month=2025-06")
    assert status == 200 and "<script" not in html
    text = text_of(html)
    assert "Juni 2025" in text and "17:00 Bau- und Verkehrsausschuss" in text
    assert "15:30 Gemeinderat" in text
    assert 'href="/musterstadt/calendar?month=2025-07"' in html
    assert 'href="/musterstadt/calendar?month=2025-05"' in html
    july = get_json(f"{base}api/musterstadt/calendar?month=2025-07")
    assert [(m["date"], m["status"]) for m in july["meetings"]] == [("2025-07-02", "cancelled")]
    assert july["next_url"].endswith("month=2025-08")
    assert get(f"{base}musterstadt/calendar?month=2025-13")[0] == 400
    assert get(f"{base}musterstadt/calendar?month=juni")[0] == 400
    current = get_json(f"{base}api/musterstadt/calendar")  # this month has a planned one?
    assert current["month"] in (datetime.date.today().strftime("%Y-%m"), "2025-07")


def test_the_icalendar_feeds_parse_back_with_berlin_times_and_links(site) -> None:
    base, _, _ = site
    status, body, headers = get(f"{base}musterstadt/calendar.ics")
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(body)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 4
    held = events["musterstadt/2025-06-04-bau-und-verkehrsausschuss@ratsarchiv"]
    start, end = held.decoded("dtstart"), held.decoded("dtend")
    assert start.isoformat() == "2025-06-04T17:00:00+02:00" and str(start.tzinfo) == "Europe/Berlin"
    assert end.isoformat() == "2025-06-04T19:30:00+02:00"
    assert str(held["location"]) == "Rathaus, Saal 2"
    assert str(held["url"]) == f"{base.rstrip('/')}{MEETING}"
    assert "Ö 2 Bericht der Verwaltung zum Winterdienst" in str(held["description"])
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Berlin"
    cancelled = events["musterstadt/2025-07-02-bau-und-verkehrsausschuss@ratsarchiv"]
    assert str(cancelled["status"]) == "CANCELLED"
    planned = events[f"musterstadt/{FUTURE}-bau-und-verkehrsausschuss@ratsarchiv"]
    assert planned.decoded("dtstart") == datetime.date.fromisoformat(FUTURE)  # all day
    assert str(planned["status"]) == "TENTATIVE"
    status, body, _ = get(f"{base}musterstadt/committees/bau-und-verkehrsausschuss/calendar.ics")
    committee = icalendar.Calendar.from_ical(body)
    assert {str(e["summary"]) for e in committee.walk("VEVENT")} == {BAU}
    assert len(committee.walk("VEVENT")) == 3
    assert get(f"{base}musterstadt/committees/nirgends/calendar.ics")[0] == 404


def test_the_committee_page_lists_its_meetings_and_papers(site) -> None:
    base, _, _ = site
    data = get_json(f"{base}api/musterstadt/committees/bau-und-verkehrsausschuss")
    assert data["name"] == BAU and data["meetings"] == 3
    assert [m["date"] for m in data["upcoming"]] == [FUTURE]
    assert [m["date"] for m in data["past"]] == ["2025-07-02", "2025-06-04"]
    assert data["papers"]["total"] == 2
    assert {p["reference"] for p in data["papers"]["latest"]} == {"2025/0100", "2025/0101"}
    status, html, _ = get(f"{base}musterstadt/committees/bau-und-verkehrsausschuss")
    assert status == 200 and f'href="{MEETING}"' in html
    council = get_json(f"{base}api/musterstadt/")
    assert {"name": BAU, "url": "/musterstadt/committees/bau-und-verkehrsausschuss"} in council[
        "meeting_committees"
    ]
    assert [m["date"] for m in council["upcoming_meetings"]] == [FUTURE]
    assert get(f"{base}musterstadt/committees/nirgends")[0] == 404


def test_the_committee_feed_has_its_meetings_with_their_agendas(site) -> None:
    base, _, _ = site
    status, body, headers = get(f"{base}musterstadt/committees/bau-und-verkehrsausschuss/feed.atom")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(body)
    entries = feed.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [
        f"{base.rstrip('/')}/musterstadt/meetings/{FUTURE}-bau-und-verkehrsausschuss",
        f"{base.rstrip('/')}/musterstadt/meetings/2025-07-02-bau-und-verkehrsausschuss",
        f"{base.rstrip('/')}{MEETING}",
    ]
    summary = entries[2].find(f"{ATOM}summary").text
    assert "Ö 2 Bericht der Verwaltung zum Winterdienst" in summary
    assert SECRET not in body


def test_an_edited_meeting_is_shown_after_reindex_and_a_broken_one_keeps_its_last_version(
    tmp_path: Path,
) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    write_corpus(corpus)
    assert run("reindex", "--corpus", corpus, "--index", index_dir).exit_code == 0
    path = meeting_path(council_layout(corpus), COUNCIL.key, "2025-06-24-gemeinderat")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("place: ''", "place: Ratssaal"), encoding="utf-8")
    updated = run("reindex", "--corpus", corpus, "--index", index_dir)
    assert updated.exit_code == 0, updated.output
    broken = meeting_path(
        council_layout(corpus), COUNCIL.key, "2025-07-02-bau-und-verkehrsausschuss"
    )
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("start: '17:00'", "start: '25:00'"),
        encoding="utf-8",
    )
    reported = run("reindex", "--corpus", corpus, "--index", index_dir)
    assert reported.exit_code == 1
    assert f"{broken}:" in reported.output and "is not a time like 17:00" in reported.output
    with served(index_dir, corpus) as base:
        assert (
            get_json(f"{base}api/musterstadt/meetings/2025-06-24-gemeinderat")["place"]
            == "Ratssaal"
        )
        kept = get_json(f"{base}api/musterstadt/meetings/2025-07-02-bau-und-verkehrsausschuss")
        assert kept["start"] == "17:00"  # the last good version


def test_the_committee_lists_its_members_each_linking_their_faction(site) -> None:
    base, _, _ = site
    data = get_json(f"{base}api/musterstadt/committees/bau-und-verkehrsausschuss")
    members = {m["name"]: m for m in data["members"]}
    assert members["Schulz, Anna"]["role"] == "Vorsitz"
    assert members["Schulz, Anna"]["faction_url"] == (
        "/musterstadt/factions/fraktion-buendnis-90-die-gruenen"
    )
    assert members["Meyer, Jan"]["faction_url"] is None  # no file, no paper of that name
    _status, html, _ = get(f"{base}musterstadt/committees/bau-und-verkehrsausschuss")
    assert 'href="/musterstadt/factions/fraktion-buendnis-90-die-gruenen">Grüne</a>' in html


def test_the_faction_page_charts_its_papers_outcomes_per_year(site) -> None:
    base, _corpus, _ = site
    data = get_json(f"{base}api/musterstadt/factions/fraktion-buendnis-90-die-gruenen")
    assert data["name"] == GRUENE and data["papers"] == 1  # the papers name it "Grüne"
    assert [m["name"] for m in data["members"]] == ["Schulz, Anna"]
    assert data["committees"] == [
        {
            "name": BAU,
            "url": "/musterstadt/committees/bau-und-verkehrsausschuss",
            "members": ["Schulz, Anna"],
        }
    ]
    # Counted independently from the corpus: Grüne submitted 2025/0100, adopted in 2025.
    by_year = {row.pop("year"): row for row in data["outcomes_by_year"]}
    assert by_year == {
        "2025": {"papers": 1, "adopted": 1, "changed": 0, "rejected": 0, "withdrawn": 0, "other": 0}
    }
    assert [p["reference"] for p in data["latest"]] == ["2025/0100"]
    status, html, _ = get(f"{base}musterstadt/factions/fraktion-buendnis-90-die-gruenen")
    assert status == 200 and 'role="img"' in html
    table = html[html.index('id="faction-outcomes-table"') :]
    assert re.search(r"<th scope=\"row\">2025</th>\s*<td>1</td>", table)
    listing = get_json(f"{base}api/musterstadt/factions")
    assert listing["factions"] == [
        {
            "name": GRUENE,
            "slug": "fraktion-buendnis-90-die-gruenen",
            "papers": 1,
            "url": "/musterstadt/factions/fraktion-buendnis-90-die-gruenen",
        }
    ]
    assert get(f"{base}musterstadt/factions/nirgends")[0] == 404
