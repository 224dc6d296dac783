"""One default order (``index.results.default_sort``): relevance whenever there is a query,
field filters alone included, newest first only without one — and the search page marks
the order its hits are really in."""

from __future__ import annotations

import re

import pytest

from archive.corpus import write_motion
from archive.motion import Consultation, Motion

COMMITTEE = "Ausschuss für Soziales"
PAPERS = [  # reference, title, date
    ("VO/2024/400", "Wohnungslosenhilfe ausbauen", "2024-01-10"),
    ("VO/2024/401", "Seniorentreff im Quartier", "2024-03-01"),
    ("VO/2024/400-01", "Wohnungslosenhilfe: Ergänzung", "2024-06-01"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    from index.indexer import reindex
    from webapp import create_app

    root = tmp_path_factory.mktemp("sort")
    corpus, index = root / "corpus", root / "index"
    for reference, title, date in PAPERS:
        consultation = Consultation(COMMITTEE, date=date, agenda_item="Ö 4", result="beschlossen")
        write_motion(
            Motion(reference, title, "Antrag", date=date, consultations=[consultation]), corpus
        )
    reindex(corpus, index, full=True)
    app = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": corpus})
    return app.test_client()


def api_order(client, q: str, sort: str = "") -> list[str]:
    args = {"q": q, **({"sort": sort} if sort else {})}
    return [
        hit["reference"] for hit in client.get("/api/search", query_string=args).get_json()["hits"]
    ]


def page(client, q: str) -> tuple[list[str], list[str]]:
    """(the sorts the page marks as current, the references of its hits in order)."""
    html = client.get("/", query_string={"q": q}).get_data(as_text=True)
    current = re.findall(r'aria-current="true">([^<]+)</a>', html)
    return current, re.findall(r'<span class="reference">([^<]+)</span>', html)


@pytest.mark.parametrize("q", ["gremium:Soziales", 'nummer:"VO/2024/400"', "Wohnungslosenhilfe"])
def test_a_query_is_in_relevance_order_and_the_page_says_so(client, q: str) -> None:
    relevance = api_order(client, q, "relevance")
    assert api_order(client, q) == relevance
    current, shown = page(client, q)
    assert current == ["Relevanz"]
    assert shown == relevance


def test_field_filters_alone_rank_a_reference_match_first(client) -> None:
    """``nummer:`` scores: the paper itself before its newer amendment."""
    assert api_order(client, 'nummer:"VO/2024/400"') == ["VO/2024/400", "VO/2024/400-01"]
    assert api_order(client, 'nummer:"VO/2024/400"', "newest") == ["VO/2024/400-01", "VO/2024/400"]


def test_filters_alone_list_equal_scores_newest_first(client) -> None:
    assert api_order(client, "gremium:Soziales") == ["VO/2024/400-01", "VO/2024/401", "VO/2024/400"]


def test_without_a_query_the_newest_come_first_and_the_page_says_so(client) -> None:
    newest = api_order(client, "", "newest")
    assert newest == ["VO/2024/400-01", "VO/2024/401", "VO/2024/400"]
    assert api_order(client, "") == newest
    current, shown = page(client, "")
    assert current == ["Neueste zuerst"]
    assert shown == newest
