"""Atom feed and the complete CSV/JSON exports of any search."""

from __future__ import annotations

import csv
import io
import json
import re
from xml.etree import ElementTree as ET

from webcorpus import Q_SOZIALES, SEED_SLUG, SEED_URL, SOZIALES

from webapp.views.exports import CSV_COLUMNS, neutralise

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_is_valid_atom_newest_first(web_client):
    response = web_client.get("/feed.atom", query_string={"q": "Quartier"})
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id").startswith("http://localhost/feed.atom?q=Quartier")
    assert feed.findtext(f"{ATOM}updated").endswith("Z")
    rels = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert rels["self"].startswith("http://localhost/feed.atom?")
    assert rels["alternate"].startswith("http://localhost/?q=Quartier")
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        assert re.match(r"http://localhost/[a-z-]+/motions/", entry.findtext(f"{ATOM}id"))
        assert entry.findtext(f"{ATOM}title")
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
    seed = next(e for e in entries if e.findtext(f"{ATOM}id").endswith(SEED_SLUG))
    assert seed.findtext(f"{ATOM}updated") == "2024-05-07T00:00:00Z"


def test_feed_follows_the_filters(web_client):
    feed = ET.fromstring(web_client.get("/feed.atom", query_string={"committee": Q_SOZIALES}).data)
    for entry in feed.findall(f"{ATOM}entry"):
        assert SOZIALES in [c.get("term") for c in entry.findall(f"{ATOM}category")]


def test_csv_export_is_the_whole_result_set(web_client):
    api = web_client.get("/api/search").get_json()
    response = web_client.get("/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == api["total"] > len(api["hits"])
    seed = next(r for r in rows if r["reference"] == "VO/2024/12903-01")
    assert (seed["yes"], seed["no"], seed["abstain"]) == ("7", "8", "")
    assert seed["url"] == f"http://localhost{SEED_URL}"
    assert (seed["council"], seed["council_name"]) == ("luebeck", "Hansestadt Lübeck")


def test_csv_cells_cannot_become_formulas(web_client):
    rows = list(
        csv.DictReader(
            io.StringIO(web_client.get("/export.csv?q=Sonderzeichen").data.decode("utf-8-sig"))
        )
    )
    assert rows
    sponsors = rows[0]["sponsors"]
    assert sponsors.startswith("'=HYPERLINK")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+49") == "'+49"
    assert neutralise("-x") == "'-x"
    assert neutralise("@a") == "'@a"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("Quartier") == "Quartier"
    assert neutralise(None) == ""
    assert neutralise(7) == "7"


def test_json_export_streams_every_hit(web_client):
    response = web_client.get("/export.json", query_string={"committee": Q_SOZIALES})
    assert response.status_code == 200
    records = json.loads(response.data)
    total = web_client.get("/api/search", query_string={"committee": Q_SOZIALES}).get_json()[
        "total"
    ]
    assert len(records) == total
    assert all(SOZIALES in r["committees"] for r in records)
    assert {"council", "council_name", "reference", "slug", "title", "votes", "url"} <= records[
        0
    ].keys()


def test_empty_exports_are_well_formed(web_client):
    assert json.loads(web_client.get("/export.json?q=Zzyzxquux").data) == []
    lines = web_client.get("/export.csv?q=Zzyzxquux").data.decode("utf-8-sig").splitlines()
    assert lines == [",".join(CSV_COLUMNS)]
