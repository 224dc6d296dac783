"""Thousands of hostile query strings against the real site: never a 5xx, never a traceback.

Hypothesis builds query strings from unicode, control characters, huge numbers, field
prefixes, deep parentheses and ``*``/``?``/``~`` storms, repeated and unknown
parameters, and raw, badly percent-encoded bytes. Each goes through Flask's test
client to the search page, the JSON API, the feed and the exports over a real index
of Karlsruhe papers. Every answer must be below 500, free of tracebacks, of the promised
format (JSON stays JSON, the feed stays XML) and come back within ``LIMIT`` seconds.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LIMIT = 2.0
"""Seconds one request may take, however odd its query."""

ROUTES = ("/", "/api/search", "/feed.atom", "/export.json", "/export.csv")
FACET_KEYS = ("committee", "sponsor", "result", "type", "year", "lead", "votes")
KEYS = ("q", "q", "q", "page", "sort", "lang", *FACET_KEYS)
PREFIXES = (
    "gremium:", "fraktion:", "ergebnis:", "typ:", "jahr:", "federführend:", "stimmen:",
    "nummer:", "datum:", "titel:", "committee:", "year:", "unbekannt:",
)  # fmt: skip
OPERATORS = ("AND", "OR", "NOT", "ODER", "UND", "NICHT", "-", "+", "&&", "||", "!")
WORDS = ("Stadt", "Karlsruhe", "Schule", "Radweg", "Gemeinderat", "Kita", "Durlach", "VO")

UNICODE = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot be sent
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028")
NUMBERS = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.integers(1, 400).map(lambda n: "9" * n),
    st.sampled_from(["0", "-1", "1e309", "NaN", "inf", "0x10", "1_000", "٣", "²"]),
)
STORMS = st.builds(
    lambda unit, n: unit * n,
    st.sampled_from(["*", "?", "~", "(", ")", '"', "-", "~2", "a*", "*a", "(a OR ", "jahr:", ":"]),
    st.integers(1, 2000),
)
NESTED = st.integers(1, 600).map(lambda n: "(" * n + "Stadt" + ")" * n)
FRAGMENT = st.one_of(
    st.text(UNICODE, max_size=20),
    st.text(CONTROL, min_size=1, max_size=3),
    st.sampled_from(WORDS),
    st.sampled_from(PREFIXES),
    st.sampled_from(OPERATORS),
    st.sampled_from([" ", " ", "  ", "\t", '"', "(", ")", "*", "?", "~", "..", "-", "/"]),
    NUMBERS,
    STORMS,
    NESTED,
)
QUERY = st.one_of(
    st.lists(FRAGMENT, max_size=12).map("".join),
    st.text(UNICODE, max_size=5000),
    st.sampled_from(WORDS),
)
KEY = st.one_of(st.sampled_from(KEYS), st.text(UNICODE, max_size=12))
PARAMS = st.lists(st.tuples(KEY, st.one_of(QUERY, NUMBERS)), max_size=8)
RAW = st.lists(
    st.one_of(
        st.binary(max_size=8).map(lambda b: "".join(f"%{x:02X}" for x in b)),
        st.sampled_from(["%", "%Z", "%%", "%2", "&", "=", "==", "&&", "q=", "q", "+", ";", "#"]),
        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=10),
    ),
    max_size=20,
).map("".join)


@pytest.fixture(scope="module")
def client(karlsruhe_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    from index.indexer import reindex
    from webapp import create_app

    index = tmp_path_factory.mktemp("hostile-queries") / "index"
    reindex(karlsruhe_corpus, index, full=True)
    app = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": karlsruhe_corpus})
    return app.test_client()


def check(client, route: str, **kwargs) -> None:
    """One request: bounded in time, below 500, no traceback, the promised format."""
    started = time.perf_counter()
    response = client.get(route, **kwargs)
    body = response.get_data()  # exports stream: the time includes every row
    seconds = time.perf_counter() - started
    text = body.decode("utf-8")
    where = f"{route} {kwargs} → {response.status_code}"
    assert response.status_code < 500, where
    assert seconds < LIMIT, f"{where} took {seconds:.2f} s"
    assert "Traceback" not in text and 'File "' not in text, where
    if route.startswith("/api/") or route == "/export.json":
        json.loads(text)
    if response.status_code != 200:
        return
    if route == "/feed.atom":
        ET.fromstring(body)
    elif route == "/export.csv":
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert rows and all(len(row) == len(rows[0]) for row in rows), where
    elif route == "/":
        assert response.mimetype == "text/html"


HYPOTHESIS = settings(
    max_examples=500,
    deadline=None,  # we time each request ourselves
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
)


@HYPOTHESIS
@given(route=st.sampled_from(ROUTES), query=QUERY)
def test_any_query_is_answered_safely(client, route: str, query: str) -> None:
    check(client, route, query_string={"q": query})


@HYPOTHESIS
@given(route=st.sampled_from(ROUTES), params=PARAMS)
def test_any_parameters_are_answered_safely(client, route: str, params) -> None:
    check(client, route, query_string=params)


@settings(HYPOTHESIS, max_examples=300)
@given(route=st.sampled_from(ROUTES), raw=RAW)
def test_any_raw_query_string_is_answered_safely(client, route: str, raw: str) -> None:
    check(client, f"{route}?{raw}")


@pytest.mark.parametrize(
    "query",
    [
        "(" * 5000,
        ")" * 5000,
        "(" * 300 + "Stadt" + ")" * 300,
        "*" * 5000,
        "?" * 5000,
        "~" * 5000,
        "a* " * 300,
        "*a " * 300,
        "Stadt~2 " * 300,
        "S" * 10_000,
        "9" * 10_000,
        "jahr:0000-9999",
        "jahr:1-99999999999999999999",
        "datum:0001-01-01..9999-12-31",
        "stimmen:" + "9" * 500,
        "nummer:*",
        "gremium:*",
        '"' * 999,
        '"Stadt' + " Stadt" * 400 + '"',
        " OR ".join(["Stadt"] * 400),
        " NOT ".join(["Stadt"] * 400),
        "\x00\x01\x02",
        "\u202eStadt\u202c",
        "Stra\u00dfe\u0301\u0301\u0301",
        "🏛️" * 500,
    ],
    ids=lambda q: f"{q[:12]!r}x{len(q)}",
)
@pytest.mark.parametrize("route", ROUTES)
def test_known_nasty_queries(client, route: str, query: str) -> None:
    check(client, route, query_string={"q": query})


@pytest.mark.parametrize(
    "params",
    [
        [("page", "0")],
        [("page", "-1")],
        [("page", "9" * 100)],
        [("page", "1001")],
        [("page", "1.5")],
        [("page", "")],
        [("page", "1"), ("page", "2")],
        [("sort", "random")],
        [("sort", "")],
        [("q", "Stadt")] * 200,
        [("committee", str(i)) for i in range(100)],
        [("year", "2024")] * 50,
        [("year", "9" * 200)],
        [("unknown", "x")] * 100,
        [("q[]", "Stadt"), ("q.x", "y")],
    ],
    ids=lambda p: f"{p[0][0]}={p[0][1][:10]}x{len(p)}",
)
@pytest.mark.parametrize("route", ROUTES)
def test_known_nasty_parameters(client, route: str, params) -> None:
    check(client, route, query_string=params)


def test_motion_route_with_any_slug(client) -> None:
    for slug in ["x" * 5000, "%00", "..", "a-" * 200, "ÄÖÜ", "vo-2024-1%0d%0aSet-Cookie:x=1"]:
        for route in ("/motions/", "/api/motions/", "/karlsruhe/motions/", "/api/x/motions/"):
            check(client, route + slug)
