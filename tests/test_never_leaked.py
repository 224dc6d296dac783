"""Non-public material never reaches a reader, whatever route they try.

The corpus holds, beside ordinary public motions, a paper marked ``public: false``, a
public paper with a ``public: false`` consultation, and one with an agenda item
``N 4.2`` (a non-public item). Each carries made-up words found nowhere else. The
archive holds two councils with the same papers each, so every council is asked. Every
page, API, feed and export of the site, and ``ratsarchiv search --json``, is asked
for them — by query, by facet, by near-miss spelling, by slug — and must never show one.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import quote, quote_plus

import pytest
from faultkit import run

from archive.corpus import write_motion
from archive.councils import Council, ensure_council
from archive.motion import Consultation, Motion, Votes

PRIVATE_TITLE = "Quorxelplan"
PRIVATE_TEXT = "Mondscheinverkauf"
PRIVATE_REFERENCE = "VO/2024/77777"
PRIVATE_SLUG = "vo-2024-77777"
HIDDEN_COMMITTEE = "Snarkbeirat"
HIDDEN_NOTE = "Blubberwisper"
N_COMMITTEE = "Flimmerkreis"
N_NOTE = "Zapfenraunen"
SECRETS = (PRIVATE_TITLE, PRIVATE_TEXT, HIDDEN_COMMITTEE, HIDDEN_NOTE, N_COMMITTEE, N_NOTE)
NEAR_MISSES = ("Quorxelplam", "Mondscheinverkauff", "Snarkbeirad", "Blubberwispa", "Flimerkreis")


def _consultation(committee: str, date: str, **kw) -> Consultation:
    return Consultation(
        committee=committee,
        meeting=f"Sitzung {committee}",
        date=date,
        agenda_item=kw.pop("agenda_item", "Ö 2"),
        result=kw.pop("result", "beschlossen"),
        votes=kw.pop("votes", Votes(9, 2, 1)),
        **kw,
    )


def motions() -> list[Motion]:
    return [
        Motion(
            reference=PRIVATE_REFERENCE,
            title=f"{PRIVATE_TITLE} für das Grundstück am Hafen",
            type="Vorlage",
            sponsors=["Bürgermeister"],
            date="2024-08-01",
            public=False,
            consultations=[_consultation("Hauptausschuss", "2024-08-05")],
            resolution=f"Der {PRIVATE_TEXT} wird zum genannten Preis genehmigt.",
        ),
        Motion(
            reference="VO/2024/70001",
            title="Sanierung der Stadtbibliothek",
            type="Antrag",
            sponsors=["CDU"],
            date="2024-05-01",
            consultations=[
                _consultation("Bauausschuss", "2024-05-10"),
                _consultation(
                    HIDDEN_COMMITTEE, "2024-05-20", public=False, note=f"{HIDDEN_NOTE} vertraulich"
                ),
            ],
            resolution="Die Stadtbibliothek wird saniert.",
            related=[PRIVATE_REFERENCE],
        ),
        Motion(
            reference="VO/2024/70002",
            title="Neue Buslinie zum Stadtbad",
            type="Antrag",
            sponsors=["SPD"],
            date="2024-06-01",
            consultations=[
                _consultation("Verkehrsausschuss", "2024-06-03"),
                _consultation(
                    N_COMMITTEE,
                    "2024-06-12",
                    agenda_item="N 4.2",
                    result="vertagt",
                    note=f"{N_NOTE} unter uns",
                ),
            ],
            resolution="Eine Buslinie zum Stadtbad wird eingerichtet.",
        ),
        Motion(
            reference="VO/2024/70003",
            title="Mehr Bänke im Stadtpark",
            type="Antrag",
            sponsors=["GRÜNE"],
            date="2024-07-01",
            consultations=[_consultation("Bauausschuss", "2024-07-09")],
            resolution="Im Stadtpark werden zehn Bänke aufgestellt.",
        ),
    ]


PUBLIC_SLUGS = ["vo-2024-70001", "vo-2024-70002", "vo-2024-70003"]
COUNCILS = (Council("rat-nord", "Stadt Nord"), Council("rat-sued", "Stadt Süd"))
KEYS = tuple(c.key for c in COUNCILS)
PAPERS = [f"/{key}/motions/{slug}" for key in KEYS for slug in PUBLIC_SLUGS]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    from index.indexer import reindex
    from webapp import create_app

    root = tmp_path_factory.mktemp("leak")
    corpus, index = root / "corpus", root / "index"
    for council in COUNCILS:
        ensure_council(corpus, council)
        for motion in motions():
            write_motion(replace(motion, council=council.key), corpus)
    reindex(corpus, index, full=True)
    app = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": corpus})
    return app.test_client(), corpus, index


def leaked(text: str, echo: str = "") -> list[str]:
    """Secret words in ``text``, ignoring the reader's own query echoed back."""
    if echo:
        for form in (echo, quote(echo), quote_plus(echo)):
            text = text.replace(form, "")
    lowered = text.lower()
    return [s for s in SECRETS if s.lower() in lowered or s.lower()[:9] in lowered]


def get(client, url: str):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    return response


PLAIN_ROUTES = [
    "/",
    "/?sort=oldest",
    "/api/search",
    "/api/search?q=Stadt",
    "/feed.atom",
    "/export.csv",
    "/export.json",
    "/healthz",
    "/hilfe",
    "/api/",
    *(f"/{key}/" for key in KEYS),
    *(f"/api/{key}/" for key in KEYS),
    *(f"/{key}/feed.atom" for key in KEYS),
    *(f"/?council={key}" for key in KEYS),
    *PAPERS,
    *(f"/api{paper}" for paper in PAPERS),
    *(f"/motions/{slug}" for slug in PUBLIC_SLUGS),  # the choice between both councils
    *(f"/api/motions/{slug}" for slug in PUBLIC_SLUGS),
]


@pytest.mark.parametrize("url", PLAIN_ROUTES)
def test_no_route_shows_a_secret(site, url: str) -> None:
    client, _, _ = site
    assert leaked(get(client, url).get_data(as_text=True)) == []


@pytest.mark.parametrize("word", SECRETS)
@pytest.mark.parametrize(
    "route",
    ["/", "/api/search", "/feed.atom", "/export.csv", "/export.json", f"/{KEYS[1]}/feed.atom"],
)
def test_searching_for_a_secret_finds_nothing(site, route: str, word: str) -> None:
    client, _, _ = site
    response = get(client, f"{route}?q={quote(word)}")
    assert leaked(response.get_data(as_text=True), echo=word) == []
    if route == "/api/search":
        assert response.get_json()["total"] == 0


@pytest.mark.parametrize("word", NEAR_MISSES)
def test_did_you_mean_never_suggests_a_secret(site, word: str) -> None:
    client, _, _ = site
    for route in ("/", "/api/search"):
        body = get(client, f"{route}?q={quote(word)}").get_data(as_text=True)
        assert leaked(body, echo=word) == []


@pytest.mark.parametrize("facet", ["committee", "gremium"])
@pytest.mark.parametrize("value", [HIDDEN_COMMITTEE, N_COMMITTEE])
def test_filtering_by_a_hidden_committee_finds_nothing(site, facet: str, value: str) -> None:
    client, _, _ = site
    response = get(client, f"/api/search?{facet}={quote(value)}")
    data = response.get_json()
    if response.status_code == 200:
        assert data["total"] == 0 or facet == "gremium"  # an unknown parameter is ignored
    assert leaked(json.dumps(data, ensure_ascii=False), echo=value) == []
    query = get(client, f"/api/search?q=gremium:{quote(value)}").get_json()
    assert query.get("total", 0) == 0


def test_facet_counts_and_hits_name_only_public_committees(site) -> None:
    client, _, _ = site
    data = get(client, "/api/search").get_json()
    committees = {(v["council"], v["name"]) for v in data["facets"].get("committee", [])}
    assert committees == {(k, n) for k in KEYS for n in ("Bauausschuss", "Verkehrsausschuss")}
    for key in KEYS:
        own = get(client, f"/api/{key}/").get_json()["committees"]
        assert {c["label"] for c in own} == {"Bauausschuss", "Verkehrsausschuss"}
    for hit in data["hits"]:
        assert HIDDEN_COMMITTEE not in hit["committees"]
        assert N_COMMITTEE not in hit["committees"]


def test_results_and_health_count_only_public_motions(site) -> None:
    client, _, _ = site
    assert get(client, "/api/search").get_json()["total"] == len(PAPERS)
    assert get(client, "/healthz").get_json()["motions"] == len(PAPERS)
    rows = get(client, "/export.json").get_json()
    assert sorted((row["council"], row["slug"]) for row in rows) == [
        (key, slug) for key in KEYS for slug in PUBLIC_SLUGS
    ]
    csv_lines = get(client, "/export.csv").get_data(as_text=True).strip().splitlines()
    assert len(csv_lines) == 1 + len(PAPERS)
    entries = re.findall(r"<entry>", get(client, "/feed.atom").get_data(as_text=True))
    assert len(entries) == len(PAPERS)
    councils = get(client, "/api/").get_json()["councils"]
    assert {c["key"]: c["papers"] for c in councils} == {k: len(PUBLIC_SLUGS) for k in KEYS}
    for key in KEYS:
        page = get(client, f"/api/{key}/").get_json()
        assert page["council"]["papers"] == len(PUBLIC_SLUGS)
        assert sorted(h["slug"] for h in page["latest"]) == PUBLIC_SLUGS
        feed = get(client, f"/{key}/feed.atom").get_data(as_text=True)
        assert len(re.findall(r"<entry>", feed)) == len(PUBLIC_SLUGS)


@pytest.mark.parametrize(
    "url",
    [
        *(
            f"{prefix}/motions/{slug}"
            for prefix in ("", "/api", *(f"/{k}" for k in KEYS), *(f"/api/{k}" for k in KEYS))
            for slug in (PRIVATE_SLUG, PRIVATE_SLUG.upper(), f"{PRIVATE_SLUG}/")
        ),
        f"/api/motions/{PRIVATE_SLUG}.json",
    ],
)
def test_private_motion_page_is_not_found(site, url: str) -> None:
    client, _, _ = site
    response = client.get(url)
    assert response.status_code in (301, 308, 404)
    assert leaked(response.get_data(as_text=True)) == []


def test_link_to_a_private_paper_shows_no_title(site) -> None:
    client, _, _ = site
    data = get(client, f"/api/{KEYS[1]}/motions/vo-2024-70001").get_json()
    links = [*data["links"]["related"], *data["links"]["amendments"]]
    assert all(link["url"] is None and not link["title"] for link in links), links
    assert [c["committee"] for c in data["consultations"]] == ["Bauausschuss"]


def test_n_agenda_item_is_not_shown_on_the_motion(site) -> None:
    client, _, _ = site
    data = get(client, f"/api/{KEYS[0]}/motions/vo-2024-70002").get_json()
    assert [c["committee"] for c in data["consultations"]] == ["Verkehrsausschuss"]
    assert data["result"] != "vertagt"


def test_similar_motions_never_point_at_the_private_one(site) -> None:
    client, _, _ = site
    for paper in PAPERS:
        data = get(client, f"/api{paper}").get_json()
        assert PRIVATE_SLUG not in json.dumps(data["similar"])


def test_the_old_address_of_a_private_paper_offers_no_choice(site) -> None:
    client, _, _ = site
    assert client.get(f"/motions/{PRIVATE_SLUG}").status_code == 404
    choices = client.get(f"/api/motions/{PUBLIC_SLUGS[0]}").get_json()["choices"]
    assert [c["council"] for c in choices] == list(KEYS)


@pytest.mark.parametrize("word", [PRIVATE_TITLE, HIDDEN_COMMITTEE, N_NOTE, NEAR_MISSES[0]])
def test_cli_search_json_finds_no_secret(site, word: str) -> None:
    _, corpus, index = site
    result = run("search", "--json", "--index", index, "--corpus", corpus, word)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == 0 or word in NEAR_MISSES
    assert leaked(result.stdout, echo=word) == []
