"""The site's routes over a real index: search page, motion page, JSON twins, health."""

from __future__ import annotations

import re
from html import unescape as html_unescape
from itertools import pairwise
from pathlib import Path

import pytest
from webcorpus import (
    Q_BAU,
    Q_SOZIALES,
    Q_SPD,
    SEED_FILE,
    SEED_SLUG,
    SEED_URL,
    SHARED_SLUG,
    SOZIALES,
    hamburg_motions,
)

from archive.corpus import read_motion

TOTAL = 20 + len(hamburg_motions())
"""Public papers of the web corpus: Lübeck's 20 and the Hamburg districts'."""


def test_search_page_shows_highlighted_hits_with_facets(web_client):
    page = web_client.get("/?q=Quartier")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<form class="search-form" role="search"' in html
    assert "<mark>" in html
    assert "Lebenswelten" in html
    assert "VO/2024/12903-01" in html
    assert "07.05.2024" in html  # German date
    assert SOZIALES in html
    assert re.search(
        r'<link rel="alternate" type="application/json" href="/api/search\?q=Quartier', html
    )
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml" href="/feed.atom\?q=Quartier', html
    )


def test_facet_link_narrows_the_result_and_can_be_removed(web_client):
    everything = web_client.get("/api/search?q=Quartier").get_json()
    narrowed = web_client.get(
        "/api/search", query_string={"q": "Quartier", "committee": Q_SOZIALES}
    )
    data = narrowed.get_json()
    assert 0 < data["total"] < everything["total"]
    assert all(SOZIALES in hit["committees"] for hit in data["hits"])
    selected = [v for v in data["facets"]["committee"] if v["selected"]]
    assert [v["value"] for v in selected] == [Q_SOZIALES]

    html = web_client.get("/", query_string={"q": "Quartier", "committee": Q_SOZIALES}).get_data(
        as_text=True
    )
    assert "Aktive Filter" in html
    assert 'aria-label="Filter entfernen: Gremium Ausschuss für Soziales"' in html
    assert 'href="/?q=Quartier"' in html  # the chip removes the filter, keeps the query


@pytest.mark.parametrize(
    "args",
    [
        [("q", "Quartier")],
        [("q", "Quartier"), ("committee", Q_SOZIALES), ("sort", "oldest")],
        [("q", "Straße 100% &"), ("type", "Antrag")],
        [("committee", Q_SOZIALES), ("committee", Q_BAU), ("result", "abgelehnt")],
        [("council", "hamburg-altona"), ("committee", "hamburg-altona:Hauptausschuss")],
        [("year", "2024"), ("sponsor", Q_SPD), ("page", "2")],
    ],
)
def test_every_filter_link_switches_exactly_one_value(web_app, args):
    """Facet and chip links are built from parts encoded once per page; each must be the
    search's own URL with one value switched on or off (and back to page 1)."""
    from webapp.params import search_args, toggled, with_args
    from webapp.views.search import search_context

    with web_app.test_request_context("/", query_string=args):
        page = search_context()
        request = page.request

        def switched(name: str, value: str) -> str:
            return with_args("/", search_args(request, filters=toggled(request, name, value)))

        links = [(g["name"], v) for g in page.facets() for v in [*g["shown"], *g["more"]]]
        assert links, "the search offers facet values"
        for name, value in links:
            assert value["url"] == switched(name, value["value"])
        chips = [f["url"] for f in page.active_filters()]
        assert chips == [switched(n, v) for n, values in request.filters.items() for v in values]


def test_several_values_of_one_facet_are_ored(web_client):
    one = web_client.get("/api/search", query_string={"committee": Q_SOZIALES}).get_json()
    two = web_client.get(
        "/api/search", query_string=[("committee", Q_SOZIALES), ("committee", Q_BAU)]
    ).get_json()
    assert two["total"] > one["total"]


def test_api_search_has_the_documented_shape(web_client):
    data = web_client.get("/api/search?q=Quartier").get_json()
    assert {"total", "page", "pages", "hits", "facets", "suggestion"} <= data.keys()
    hit = next(h for h in data["hits"] if h["slug"] == SEED_SLUG)
    assert hit["url"] == SEED_URL
    assert (hit["council"], hit["council_name"]) == ("luebeck", "Hansestadt Lübeck")
    assert hit["votes"] == {"yes": 7, "no": 8, "abstain": None}
    for key in ("council", "council_name", "reference", "title", "title_html", "type", "date",
                "sponsors", "committees", "result", "snippet_html"):  # fmt: skip
        assert key in hit
    assert {"value", "count", "selected"} <= data["facets"]["committee"][0].keys()


def test_browsing_without_a_query_lists_newest_first(web_client):
    html = web_client.get("/").get_data(as_text=True)
    assert "Neueste Anträge" in html
    data = web_client.get("/api/search").get_json()
    dates = [h["date"] for h in data["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert data["total"] == TOTAL


def test_sort_oldest_and_pagination(web_client):
    first = web_client.get("/api/search?sort=oldest").get_json()
    assert first["pages"] >= 2
    assert first["hits"][0]["date"] <= first["hits"][-1]["date"]
    second = web_client.get("/api/search?sort=oldest&page=2").get_json()
    assert not {h["slug"] for h in first["hits"]} & {h["slug"] for h in second["hits"]}
    html = web_client.get("/?sort=oldest&page=2").get_data(as_text=True)
    assert re.search(r'href="/\?sort=oldest&amp;page=2" aria-current="page"', html)
    assert 'rel="prev" href="/?sort=oldest"' in html


def test_no_result_state_suggests_removing_filters(web_client):
    html = web_client.get("/", query_string={"q": "Radwege", "committee": Q_SOZIALES}).get_data(
        as_text=True
    )
    assert "Keine Treffer" in html
    assert "einen Filter zu entfernen" in html
    assert 'href="/?q=Radwege"' in html
    assert 'href="/hilfe"' in html


def test_did_you_mean_links_the_suggestion(web_client):
    data = web_client.get("/api/search?q=Quartiree").get_json()
    assert data["total"] == 0
    assert data["suggestion"] == "Quartier"
    html = web_client.get("/?q=Quartiree").get_data(as_text=True)
    assert 'Meinten Sie <a href="/?q=Quartier">Quartier</a>?' in html


def test_motion_page_shows_metadata_timeline_and_votes(web_client):
    page = web_client.get(SEED_URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'<h1 id="motion-title">{read_motion(SEED_FILE).title}</h1>' in html
    assert "Beratungsfolge" in html
    assert SOZIALES in html
    assert "TOP Ö 7.2" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "Ja 7 : 8 Nein" in text
    assert "Enthaltungen nicht erfasst" in text  # null is not 0
    assert '<rect class="vb-yes" x="0" y="0" height="8" width="46.67"/>' in html
    assert "Fragestellungen" in html and html.count("<li>Welche Angebote") == 3
    assert "Bernzen, Hinrich" in html
    assert f'<link rel="alternate" type="application/json" href="/api{SEED_URL}"' in html


def test_amendment_links_parent_and_parent_lists_amendment(web_client):
    html = web_client.get(SEED_URL).get_data(as_text=True)
    assert 'href="/luebeck/motions/vo-2024-12903"' in html
    assert "Ursprungsvorlage" in html
    parent = web_client.get("/api/luebeck/motions/vo-2024-12903").get_json()
    assert [a["url"] for a in parent["links"]["amendments"]] == [SEED_URL]


def test_related_papers_link_only_when_in_the_archive(web_client):
    data = web_client.get("/api/luebeck/motions/vo-2024-13001").get_json()
    related = {r["reference"]: r["url"] for r in data["links"]["related"]}
    assert related == {"VO/2024/12903": "/luebeck/motions/vo-2024-12903", "VO/1999/00001": None}
    html = web_client.get("/luebeck/motions/vo-2024-13001").get_data(as_text=True)
    assert 'VO/1999/00001 <span class="unknown">(nicht im Archiv)</span>' in html


def test_motion_page_renders_markdown_and_similar_motions(web_client):
    html = web_client.get("/luebeck/motions/vo-2023-11002").get_data(as_text=True)
    assert "<strong>sichere Radwege</strong>" in html
    assert "<h3>Zahlen</h3>" in html  # headings inside a section never outrank it
    assert "Ähnliche Anträge" in html
    votes = re.sub(r"<[^>]+>", "", html)
    assert "Ja 10 : 3 Nein" in votes and "Enthaltungen 1" in votes


def test_source_link_only_for_web_addresses(web_client):
    html = web_client.get("/luebeck/motions/vo-2024-12903").get_data(as_text=True)
    assert (
        '<a href="https://example.org/vo020?VOLFDNR=12903" rel="noopener noreferrer nofollow">'
        in html
    )
    evil = web_client.get("/luebeck/motions/vo-2024-14000").get_data(as_text=True)
    assert 'href="javascript:' not in evil


def test_api_motion_is_the_full_model(web_client):
    data = web_client.get(f"/api{SEED_URL}").get_json()
    assert data["reference"] == "VO/2024/12903-01"
    assert data["council"] == "luebeck"
    assert data["consultations"][0]["votes"] == {"yes": 7, "no": 8, "abstain": None}
    assert data["questions"][0].startswith("Welche Angebote")
    assert data["url"] == SEED_URL


def test_healthz_counts_motions(web_client):
    response = web_client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "motions": TOTAL}


def test_help_page_covers_the_query_syntax_doc(web_client):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "query-syntax.md").read_text("utf-8")
    german = doc.split("## English")[0]
    prefixes = set(re.findall(r"^\| `([a-zäöü]+:)` \|", german, flags=re.MULTILINE))
    assert len(prefixes) >= 8
    de = web_client.get("/hilfe?lang=de").get_data(as_text=True)
    assert "So funktioniert die Suche" in de
    for token in [*prefixes, "ODER", "NICHT", "Quartier*", "~", '"Tempo 30"']:
        assert token in html_unescape(de), token
    en = web_client.get("/hilfe?lang=en").get_data(as_text=True)
    assert "How the search works" in en and "OR" in en


@pytest.mark.parametrize(
    "path",
    ["/", "/?q=Quartier", SEED_URL, "/hilfe", "/hamburg-altona/", f"/motions/{SHARED_SLUG}"],
)
def test_pages_have_landmarks_and_ordered_headings(web_client, path):
    html = web_client.get(path).get_data(as_text=True)
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels


def test_unparsable_query_shows_the_notice(web_client):
    data = web_client.get('/api/search?q="Quartier').get_json()
    assert data["notice"]
    html = web_client.get('/?q="Quartier').get_data(as_text=True)
    assert '<p class="notice"><strong>Hinweis:</strong>' in html
