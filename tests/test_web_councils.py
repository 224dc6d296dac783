"""Many councils in one archive, as the site shows them: URLs, start pages, feeds, facets.

The web corpus (``tests/webcorpus.py``) holds Lübeck and two Hamburg district assemblies;
both districts have a Drucksache ``22-2368`` and a ``Hauptausschuss``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from dataclasses import replace
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from webcorpus import (
    ALTONA,
    COUNCILS,
    EIMSBUETTEL,
    HAUPTAUSSCHUSS,
    LUEBECK,
    SEED_SLUG,
    SEED_URL,
    SHARED_SLUG,
    hamburg_motions,
    motions,
)
from webserver import served

from archive.corpus import write_motion
from archive.councils import RESERVED_KEYS, key_problem, qualify

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC_PAPERS = {
    LUEBECK.key: 1 + sum(m.public for m in motions()),  # the seed and the papers around it
    ALTONA.key: sum(m.council == ALTONA.key for m in hamburg_motions()),
    EIMSBUETTEL.key: sum(m.council == EIMSBUETTEL.key for m in hamburg_motions()),
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- the archive's start page -------------------------------------------------------------


def test_start_page_lists_every_council_with_its_paper_count(web_client):
    response = web_client.get("/")
    html = response.get_data(as_text=True)
    assert "Kommunen im Archiv" in html
    assert '<form class="search-form" role="search"' in html
    for council in COUNCILS:
        item = re.search(rf'<li><a href="/{council.key}/">{council.name}</a>(.*?)</li>', html, re.S)
        assert item, council.key
        papers = PUBLIC_PAPERS[council.key]
        assert f"{papers} {'Antrag' if papers == 1 else 'Anträge'}" in text_of(item[1])
    assert response.headers["Link"] == '</api/>; rel="alternate"; type="application/json"'


def test_start_page_twin_has_the_councils_and_their_counts(web_client):
    data = web_client.get("/api/").get_json()
    listed = {c["key"]: c for c in data["councils"]}
    assert {k: c["papers"] for k, c in listed.items()} == PUBLIC_PAPERS
    assert data["papers"] == sum(PUBLIC_PAPERS.values())
    altona = listed[ALTONA.key]
    assert altona["name"] == ALTONA.name and altona["kind"] == "Bezirk"
    assert altona["url"] == "/hamburg-altona/"
    assert altona["api_url"] == "/api/hamburg-altona/"
    assert altona["feed_url"] == "/hamburg-altona/feed.atom"


def test_start_page_in_english(web_client):
    html = web_client.get("/?lang=en").get_data(as_text=True)
    assert "Councils in the archive" in html
    assert f"{PUBLIC_PAPERS[ALTONA.key]} motions" in html


# -- a council's start page ---------------------------------------------------------------


def test_council_page_describes_the_council(web_client):
    response = web_client.get("/hamburg-altona/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<h1 id="council-title">{ALTONA.name}</h1>' in html
    words = text_of(html)
    for value in ("Bezirk", "Hamburg", ALTONA.source, ALTONA.terms):
        assert value in words
    assert f'<a href="{ALTONA.website}" rel="noopener noreferrer nofollow">' in html
    twin = '</api/hamburg-altona/>; rel="alternate"; type="application/json"'
    assert response.headers["Link"] == twin


def test_council_page_searches_within_the_council(web_client):
    html = web_client.get("/hamburg-altona/").get_data(as_text=True)
    form = re.search(r'<form class="search-form".*?</form>', html, re.S)[0]
    assert 'action="/"' in form
    assert '<input type="hidden" name="council" value="hamburg-altona">' in form
    assert "In Altona suchen" in form
    hits = re.findall(r'class="hit-title"[^>]*><a href="([^"]+)"', html)
    assert hits and all(h.startswith("/hamburg-altona/motions/") for h in hits)
    assert len(hits) == PUBLIC_PAPERS[ALTONA.key]
    facet_links = re.findall(r'class="facet-value[^"]*" href="([^"]+)"', html)
    assert facet_links and all("council=hamburg-altona" in link for link in facet_links)


def test_a_search_at_the_councils_address_is_the_search_within_it(web_client):
    response = web_client.get("/hamburg-altona/?q=Radweg&sort=oldest")
    assert response.status_code == 302
    assert response.headers["Location"] == "/?q=Radweg&council=hamburg-altona&sort=oldest"
    found = web_client.get("/hamburg-altona/?q=Radweg", follow_redirects=True).get_data(
        as_text=True
    )
    assert "1 Treffer" in found and "Max-Brauer-Allee" in found
    assert web_client.get("/hamburg-altona/?lang=de").status_code == 200
    assert web_client.get("/nirgendwo/?q=Radweg").status_code == 404


def test_council_page_lists_its_committees_with_counts(web_client):
    data = web_client.get("/api/hamburg-altona/").get_json()
    assert data["council"]["key"] == ALTONA.key
    assert data["council"]["papers"] == PUBLIC_PAPERS[ALTONA.key]
    committees = {c["label"]: c["count"] for c in data["committees"]}
    assert committees == {HAUPTAUSSCHUSS: 1, "Mobilitätsausschuss": 1}
    value = qualify(ALTONA.key, HAUPTAUSSCHUSS)
    assert [c["value"] for c in data["committees"] if c["label"] == HAUPTAUSSCHUSS] == [value]
    assert {h["council"] for h in data["latest"]} == {ALTONA.key}
    dates = [h["date"] for h in data["latest"]]
    assert dates == sorted(dates, reverse=True)
    assert data["latest"][0]["url"].startswith("/hamburg-altona/motions/")


def test_council_committee_link_narrows_to_that_councils_committee(web_client):
    data = web_client.get("/api/hamburg-altona/").get_json()
    link = next(c["url"] for c in data["committees"] if c["label"] == HAUPTAUSSCHUSS)
    narrowed = web_client.get(link.replace("/?", "/api/search?", 1)).get_json()
    assert narrowed["total"] == 1
    assert narrowed["hits"][0]["council"] == ALTONA.key


def test_council_feed_has_only_the_councils_papers(web_client):
    response = web_client.get("/hamburg-eimsbuettel/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert EIMSBUETTEL.name in feed.findtext(f"{ATOM}title")
    rels = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert rels["self"] == "http://localhost/hamburg-eimsbuettel/feed.atom"
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [f"http://localhost/hamburg-eimsbuettel/motions/{SHARED_SLUG}"]
    same = ET.fromstring(web_client.get("/feed.atom?council=hamburg-eimsbuettel").data)
    assert [e.findtext(f"{ATOM}id") for e in same.findall(f"{ATOM}entry")] == ids
    html = web_client.get("/hamburg-eimsbuettel/").get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml" href="/hamburg-eimsbuettel/feed.atom"'
        in html
    )


@pytest.mark.parametrize(
    "path", ["/nirgendwo/", "/api/nirgendwo/", "/nirgendwo/feed.atom", "/Altona/", "/2024/"]
)
def test_unknown_council_is_not_found(web_client, path):
    response = web_client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.get_json()["error"]["status"] == 404


# -- a motion's address -------------------------------------------------------------------


def test_motion_lives_under_its_council(web_client):
    response = web_client.get(SEED_URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<a href="/luebeck/">Hansestadt Lübeck</a>' in html
    twin = f'</api/luebeck/motions/{SEED_SLUG}>; rel="alternate"; type="application/json"'
    assert response.headers["Link"] == twin
    data = web_client.get(f"/api/luebeck/motions/{SEED_SLUG}").get_json()
    assert (data["council"], data["council_name"]) == (LUEBECK.key, LUEBECK.name)
    assert data["url"] == SEED_URL


def test_same_number_in_two_councils_is_two_papers(web_client):
    altona = web_client.get(f"/api/hamburg-altona/motions/{SHARED_SLUG}").get_json()
    eims = web_client.get(f"/api/hamburg-eimsbuettel/motions/{SHARED_SLUG}").get_json()
    assert altona["reference"] == eims["reference"] == "22-2368"
    assert altona["title"] != eims["title"]
    assert altona["url"] != eims["url"]
    assert web_client.get(f"/luebeck/motions/{SHARED_SLUG}").status_code == 404


def test_a_related_paper_of_another_council_links_there(web_client):
    data = web_client.get(f"/api/hamburg-eimsbuettel/motions/{SHARED_SLUG}").get_json()
    assert data["links"]["related"] == [
        {
            "reference": "22-2368",
            "title": "Quartiersfonds für Altona-Nord aufstocken",
            "council": ALTONA.key,
            "council_name": ALTONA.name,
            "url": f"/hamburg-altona/motions/{SHARED_SLUG}",
        },
        {
            "reference": "22-9999",
            "title": None,
            "council": ALTONA.key,
            "council_name": ALTONA.name,
            "url": None,
        },
    ]
    html = web_client.get(f"/hamburg-eimsbuettel/motions/{SHARED_SLUG}").get_data(as_text=True)
    link = f'<a href="/hamburg-altona/motions/{SHARED_SLUG}">22-2368</a>'
    assert f"{ALTONA.name}: {link}" in html
    assert f'{ALTONA.name}: 22-9999 <span class="unknown">(nicht im Archiv)</span>' in html


def test_old_motion_url_redirects_when_one_council_has_the_slug(web_client):
    response = web_client.get(f"/motions/{SEED_SLUG}?lang=en")
    assert response.status_code == 301
    assert response.headers["Location"] == f"{SEED_URL}?lang=en"
    api = web_client.get(f"/api/motions/{SEED_SLUG}")
    assert api.status_code == 301
    assert api.headers["Location"] == f"/api/luebeck/motions/{SEED_SLUG}"
    followed = web_client.get(f"/motions/{SEED_SLUG}", follow_redirects=True)
    assert followed.status_code == 200 and followed.request.path == SEED_URL


def test_old_motion_url_offers_a_choice_when_several_councils_have_it(web_client):
    response = web_client.get(f"/motions/{SHARED_SLUG}")
    assert response.status_code == 300
    html = response.get_data(as_text=True)
    assert "Mehrere Kommunen haben „22-2368“" in html
    for council in (ALTONA, EIMSBUETTEL):
        assert f'<a href="/{council.key}/motions/{SHARED_SLUG}">{council.name}: 22-2368</a>' in html
    twin = f'</api/motions/{SHARED_SLUG}>; rel="alternate"; type="application/json"'
    assert response.headers["Link"] == twin
    api = web_client.get(f"/api/motions/{SHARED_SLUG}")
    assert api.status_code == 300
    choices = api.get_json()["choices"]
    assert [(c["council"], c["url"]) for c in choices] == [
        (ALTONA.key, f"/hamburg-altona/motions/{SHARED_SLUG}"),
        (EIMSBUETTEL.key, f"/hamburg-eimsbuettel/motions/{SHARED_SLUG}"),
    ]
    assert {c["council_name"] for c in choices} == {ALTONA.name, EIMSBUETTEL.name}
    assert all(c["api_url"] == "/api" + c["url"] for c in choices)


@pytest.mark.parametrize("slug", ["vo-0000-00000", "vo-2024-99999", "NOPE"])
def test_old_motion_url_is_not_found_when_no_council_has_it(web_client, slug):
    assert web_client.get(f"/motions/{slug}").status_code == 404
    assert web_client.get(f"/api/motions/{slug}").status_code == 404


# -- search across councils and within one -----------------------------------------------


def test_a_search_finds_papers_of_several_councils_and_the_facet_narrows_it(web_client):
    data = web_client.get("/api/search?q=Radweg").get_json()
    assert {h["council"] for h in data["hits"]} == {LUEBECK.key, ALTONA.key}
    facet = {v["value"]: v for v in data["facets"]["council"]}
    assert set(facet) == {LUEBECK.key, ALTONA.key}
    assert facet[ALTONA.key]["label"] == ALTONA.short_name
    assert facet[ALTONA.key]["name"] == ALTONA.name
    assert facet[ALTONA.key]["count"] == 1
    narrowed = web_client.get("/api/search?q=Radweg&council=hamburg-altona").get_json()
    assert narrowed["total"] == 1
    hit = narrowed["hits"][0]
    assert (hit["council"], hit["council_name"]) == (ALTONA.key, ALTONA.name)
    assert hit["url"] == "/hamburg-altona/motions/22-2401"


def test_every_hit_shows_its_council(web_client):
    html = web_client.get("/?q=Radweg").get_data(as_text=True)
    metas = re.findall(r'<p class="hit-meta">(.*?)</p>', html, re.S)
    assert metas
    assert all('<span class="council">' in meta for meta in metas)
    assert f'<span class="council">{ALTONA.name}</span>' in html
    assert f'<span class="council">{LUEBECK.name}</span>' in html


def test_one_committee_name_of_two_councils_is_two_facet_values(web_client):
    everything = web_client.get("/api/search").get_json()
    values = {
        v["value"]: v["label"]
        for v in everything["facets"]["committee"]
        if v["name"] == HAUPTAUSSCHUSS
    }
    assert values == {
        qualify(ALTONA.key, HAUPTAUSSCHUSS): f"{HAUPTAUSSCHUSS} (Altona)",
        qualify(EIMSBUETTEL.key, HAUPTAUSSCHUSS): f"{HAUPTAUSSCHUSS} (Eimsbüttel)",
    }
    html = web_client.get("/").get_data(as_text=True)
    link = f'href="/?committee={quote(qualify(ALTONA.key, HAUPTAUSSCHUSS), safe="")}"'
    assert link in html
    assert "Hauptausschuss (Altona)" in html


def test_a_bare_committee_name_from_an_old_link_selects_every_councils_committee(web_client):
    data = web_client.get("/api/search", query_string={"committee": HAUPTAUSSCHUSS}).get_json()
    assert {h["council"] for h in data["hits"]} == {ALTONA.key, EIMSBUETTEL.key}
    html = web_client.get("/", query_string={"committee": HAUPTAUSSCHUSS}).get_data(as_text=True)
    selected = re.findall(r'is-selected" href="([^"]+)".*?facet-label">([^<]+)<', html, re.S)
    assert sorted(label for _, label in selected) == [
        f"{HAUPTAUSSCHUSS} (Altona)",
        f"{HAUPTAUSSCHUSS} (Eimsbüttel)",
    ]
    assert {href for href, _ in selected} == {"/"}  # each removes the name asked for
    assert 'aria-label="Filter entfernen: Gremium Hauptausschuss"' in html


def test_within_one_council_committees_show_their_plain_names(web_client):
    data = web_client.get("/api/search?council=hamburg-altona").get_json()
    labels = {v["label"] for v in data["facets"]["committee"]}
    assert HAUPTAUSSCHUSS in labels
    assert not any("(" in label for label in labels)


def test_a_qualified_filter_finds_only_that_councils_papers(web_client):
    value = qualify(EIMSBUETTEL.key, HAUPTAUSSCHUSS)
    data = web_client.get("/api/search", query_string={"committee": value}).get_json()
    assert [(h["council"], h["slug"]) for h in data["hits"]] == [(EIMSBUETTEL.key, SHARED_SLUG)]
    html = web_client.get("/", query_string={"committee": value}).get_data(as_text=True)
    assert 'aria-label="Filter entfernen: Gremium Hauptausschuss (Eimsbüttel)"' in html


def test_council_facet_is_labelled_in_both_languages(web_client):
    de = web_client.get("/?q=Radweg").get_data(as_text=True)
    en = web_client.get("/?q=Radweg&lang=en").get_data(as_text=True)
    assert '<h3 id="facet-council">Kommune</h3>' in de
    assert '<h3 id="facet-council">Council</h3>' in en
    chip = web_client.get("/?council=hamburg-altona&lang=de").get_data(as_text=True)
    assert f"Filter entfernen: Kommune {ALTONA.short_name}" in chip


def test_exports_and_feed_name_each_rows_council(web_client):
    rows = list(
        csv.DictReader(io.StringIO(web_client.get("/export.csv?q=Radweg").data.decode("utf-8-sig")))
    )
    assert {(r["council"], r["council_name"]) for r in rows} >= {
        (LUEBECK.key, LUEBECK.name),
        (ALTONA.key, ALTONA.name),
    }
    for row in rows:
        assert row["url"].startswith(f"http://localhost/{row['council']}/motions/")
    records = json.loads(web_client.get("/export.json?council=hamburg-altona").data)
    assert {(r["council"], r["council_name"]) for r in records} == {(ALTONA.key, ALTONA.name)}
    feed = ET.fromstring(web_client.get("/feed.atom?q=Radweg").data)
    for entry in feed.findall(f"{ATOM}entry"):
        council = next(
            c
            for c in entry.findall(f"{ATOM}category")
            if c.get("scheme") == "urn:ratsarchiv:council"
        )
        assert entry.findtext(f"{ATOM}id").startswith(f"http://localhost/{council.get('term')}/")
        assert council.get("label")


# -- a corpus from before councils --------------------------------------------------------


def test_a_corpus_from_before_councils_is_one_council_on_the_site(tmp_path):
    """Files in ``<corpus>/<year>/`` are the default council named in ``_archive.yml``: the
    start page lists it, its papers live under it, their old addresses redirect there."""
    from index.indexer import reindex
    from webapp import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "_archive.yml").write_text("default_council: luebeck\n", encoding="utf-8")
    (corpus / "_council.yml").write_text("name: Hansestadt Lübeck\nkind: Stadt\n", "utf-8")
    papers = [m for m in motions() if m.public][:3]
    for motion in papers:
        write_motion(
            replace(motion, council=""), corpus, corpus / motion.year / f"{motion.slug}.md"
        )
    assert reindex(corpus, tmp_path / "index", full=True).ok
    app = create_app({"TESTING": True, "INDEX_DIR": tmp_path / "index", "CORPUS_DIR": corpus})
    client = app.test_client()

    start = client.get("/api/").get_json()
    assert [(c["key"], c["name"], c["papers"]) for c in start["councils"]] == [
        ("luebeck", "Hansestadt Lübeck", len(papers))
    ]
    html = client.get("/").get_data(as_text=True)
    assert '<li><a href="/luebeck/">Hansestadt Lübeck</a>' in html
    slug = papers[0].slug
    moved = client.get(f"/motions/{slug}")
    assert (moved.status_code, moved.headers["Location"]) == (301, f"/luebeck/motions/{slug}")
    assert client.get(f"/luebeck/motions/{slug}").status_code == 200
    assert client.get("/luebeck/").status_code == 200


# -- reserved first segments --------------------------------------------------------------


def test_every_first_url_segment_of_the_site_is_no_council_key(web_app):
    """A council's page is ``/<key>/``: no key may take a segment the site serves itself."""
    segments = set()
    for rule in web_app.url_map.iter_rules():
        first = rule.rule.lstrip("/").split("/", 1)[0]
        if first and "<" not in first:
            segments.add(first)
    assert {"api", "motions", "static", "hilfe", "healthz", "feed.atom"} <= segments
    for segment in segments:
        assert segment in RESERVED_KEYS or key_problem(segment), segment
    assert {s for s in segments if not re.search(r"[^a-z0-9-]", s)} <= RESERVED_KEYS


# -- over real HTTP -----------------------------------------------------------------------


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


def test_councils_over_real_http(web_index):
    with served(web_index, web_index.parent / "corpus") as base:
        status, body, _ = _get(base + "api/search?q=Radweg")
        assert status == 200
        assert {LUEBECK.key, ALTONA.key} <= {h["council"] for h in json.loads(body)["hits"]}
        status, body, _ = _get(base + "api/search?q=Quartier&council=luebeck")
        assert status == 200
        hits = json.loads(body)["hits"]
        assert hits and {h["council"] for h in hits} == {LUEBECK.key}
        status, _, headers = _get(base + f"motions/{SEED_SLUG}")
        assert (status, headers["Location"]) == (301, f"/luebeck/motions/{SEED_SLUG}")
        status, body, _ = _get(base + f"motions/{SHARED_SLUG}")
        assert status == 300 and f"/hamburg-eimsbuettel/motions/{SHARED_SLUG}" in body
        status, body, _ = _get(base + "hamburg-altona/")
        assert status == 200 and ALTONA.name in body
        status, body, headers = _get(base + "hamburg-altona/feed.atom")
        assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
        status, body, _ = _get(base)
        assert status == 200 and all(f'href="/{c.key}/"' in body for c in COUNCILS)
