"""index.query: the search box's language, its fallbacks and its bounds — on a real index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.corpus import write_motion
from archive.motion import Consultation, Motion
from index.indexer import reindex
from index.query import MAX_QUERY_CHARS, MAX_TERMS
from index.query_syntax import Malformed, parse, tokens
from index.results import SearchRequest
from index.search import SearchIndex

MOTIONS = [
    ("VO/2024/1", "Radweg an der Kaiserstraße", "2024-04-01", "Antrag", "Gemeinderat", ["SPD"]),
    ("VO/2023/2", "Fahrradstraße in Durlach", "2023-03-01", "Antrag", "Bauausschuss", ["GRÜNE"]),
    ("VO/2022/3", "Radweg in Durlach", "2022-02-01", "Anfrage", "Ortschaftsrat Durlach", ["CDU"]),
    ("VO/2020/4", "Tempo 30 vor Schulen", "2020-06-15", "Antrag", "Haupt- und Finanzausschuss", []),
    ("VO/2019/5", "Schulen und Tempo", "2019-01-10", "Anfrage", "Gemeinderat", ["BÜNDNIS 90/DIE GRÜNEN"]),  # noqa: E501
    ("VO/2018/6", "Sanierung der Grundschule", "2018-11-30", "Beschlussvorlage", "Gemeinderat", []),
]  # fmt: skip


@pytest.fixture(scope="module")
def search_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    root = tmp_path_factory.mktemp("query")
    for ref, title, date, kind, committee, sponsors in MOTIONS:
        write_motion(
            Motion(
                reference=ref,
                title=title,
                date=date,
                type=kind,
                sponsors=sponsors,
                consultations=[Consultation(committee=committee, date=date, result="beschlossen")],
                body=f"{title}. Der Gemeinderat möge beschließen.",
            ),
            root / "corpus",
        )
    reindex(root / "corpus", root / "index")
    with SearchIndex.open(root / "index") as opened:
        yield opened


def found(search_index: SearchIndex, query: str) -> list[str]:
    result = search_index.search(SearchRequest(query, page_size=20))
    return sorted(h.reference for h in result.hits)


def notice(search_index: SearchIndex, query: str) -> str:
    return search_index.search(SearchRequest(query)).notice("de") or ""


# -- syntax --------------------------------------------------------------------------------


def test_tokens() -> None:
    assert tokens('gremium:"Haupt- und Finanzausschuss" -Kita ODER a*') == [
        "field:gremium",
        "phrase:Haupt- und Finanzausschuss",
        "not",
        "word:Kita",
        "or",
        "word:a*",
    ]


@pytest.mark.parametrize(
    "text",
    ['"offen', "(Radweg", "Radweg)", "OR Radweg", "Radweg ODER", "NICHT", "foo:bar", "typ:("],
)
def test_malformed_queries_raise_in_the_parser(text: str) -> None:
    with pytest.raises(Malformed):
        parse(text)


# -- operators -----------------------------------------------------------------------------


def test_words_are_anded(search_index: SearchIndex) -> None:
    assert found(search_index, "Radweg Durlach") == ["VO/2022/3"]


@pytest.mark.parametrize("op", ["OR", "ODER"])
def test_or_binds_tighter_than_the_implicit_and(search_index: SearchIndex, op: str) -> None:
    assert found(search_index, f"Radweg {op} Fahrradstraße Durlach") == ["VO/2022/3", "VO/2023/2"]


@pytest.mark.parametrize("neg", ["NOT Durlach", "NICHT Durlach", "-Durlach"])
def test_not(search_index: SearchIndex, neg: str) -> None:
    assert found(search_index, f"Radweg {neg}") == ["VO/2024/1"]


def test_only_a_negation_means_everything_else(search_index: SearchIndex) -> None:
    assert len(found(search_index, "-Durlach")) == 4


def test_groups_and_explicit_and(search_index: SearchIndex) -> None:
    assert found(search_index, "(Radweg OR Tempo) UND Schulen") == ["VO/2019/5", "VO/2020/4"]


def test_phrases_keep_word_order(search_index: SearchIndex) -> None:
    assert found(search_index, '"Tempo 30"') == ["VO/2020/4"]
    assert found(search_index, '"Schulen Tempo"') == []
    assert found(search_index, "Schulen Tempo") == ["VO/2019/5", "VO/2020/4"]


def test_prefix_and_fuzzy(search_index: SearchIndex) -> None:
    assert found(search_index, "Kaiser*") == ["VO/2024/1"]
    assert found(search_index, "Sanirung~") == ["VO/2018/6"]
    assert found(search_index, "Sanirung") == []


# -- field prefixes ------------------------------------------------------------------------


def test_facet_prefixes(search_index: SearchIndex) -> None:
    assert found(search_index, "gremium:Gemeinderat") == ["VO/2018/6", "VO/2019/5", "VO/2024/1"]
    assert found(search_index, 'gremium:"Haupt- und Finanzausschuss"') == ["VO/2020/4"]
    assert found(search_index, "gremium:durlach") == ["VO/2022/3"]  # a word of the name
    assert found(search_index, "fraktion:grüne") == ["VO/2023/2"]  # the equal value wins
    assert found(search_index, "fraktion:grünen") == ["VO/2019/5"]  # else words starting a word
    assert found(search_index, "typ:Anfrage Radweg") == ["VO/2022/3"]
    assert found(search_index, "typ:antrag") == ["VO/2020/4", "VO/2023/2", "VO/2024/1"]
    assert found(search_index, "titel:Durlach") == ["VO/2022/3", "VO/2023/2"]
    assert found(search_index, "nummer:VO/2023/2") == ["VO/2023/2"]
    assert found(search_index, "ergebnis:beschlossen") == found(search_index, "")
    assert found(search_index, "type:Anfrage") == ["VO/2019/5", "VO/2022/3"]  # English names too


def test_year_and_date_ranges(search_index: SearchIndex) -> None:
    assert found(search_index, "jahr:2020-2023") == ["VO/2020/4", "VO/2022/3", "VO/2023/2"]
    assert found(search_index, "jahr:2019") == ["VO/2019/5"]
    assert found(search_index, "datum:2020-01-01..2022-12-31") == ["VO/2020/4", "VO/2022/3"]
    assert found(search_index, "datum:2023") == ["VO/2023/2"]
    assert found(search_index, "datum:..2019-01-10") == ["VO/2018/6", "VO/2019/5"]


def test_field_only_queries_list_newest_first(search_index: SearchIndex) -> None:
    hits = search_index.search(SearchRequest("gremium:Gemeinderat")).hits
    assert [h.date for h in hits] == ["2024-04-01", "2019-01-10", "2018-11-30"]


# -- fallbacks and bounds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "why", "words"),
    [
        ('"Radweg Durlach', "Anführungszeichen", "Radweg Durlach"),
        ("(Radweg Durlach", "Klammer", "Radweg Durlach"),
        ("Radweg Durlach ODER", "ODER", "Radweg Durlach"),
        ("autor:Radweg Durlach", "unbekanntes Feld", "Radweg Durlach"),
        ("Radweg datum:2024-02-30", "kein gültiges Datum", "Radweg 2024-02-30"),
    ],
)
def test_malformed_queries_fall_back_to_plain_words_and_say_so(
    search_index: SearchIndex, query: str, why: str, words: str
) -> None:
    result = search_index.search(SearchRequest(query))
    assert why in (result.notice("de") or "")
    assert f"gesucht wurde nach den Wörtern: {words}." in result.notice("de")
    assert result.total == search_index.search(SearchRequest(words)).total


def test_bare_star_and_short_prefixes_are_refused(search_index: SearchIndex) -> None:
    assert "allein" in notice(search_index, "*")
    assert "mindestens 3 Buchstaben" in notice(search_index, "Ra*")
    assert search_index.search(SearchRequest("Ra* Durlach")).total == 0  # searched as the word "Ra"


def test_long_queries_are_cut_and_many_terms_capped(search_index: SearchIndex) -> None:
    long = "Radweg " * (MAX_QUERY_CHARS // 4)
    assert "abgeschnitten" in notice(search_index, long)
    many = " ".join(["Radweg"] * (MAX_TERMS + 5))
    result = search_index.search(SearchRequest(many))
    assert "begrenzt" in (result.notice("de") or "") and result.total == 2


def test_stopwords_alone_find_nothing(search_index: SearchIndex) -> None:
    assert search_index.search(SearchRequest("der die das")).total == 0


def test_gender_forms_are_not_field_prefixes(search_index: SearchIndex) -> None:
    result = search_index.search(SearchRequest("Bürger:innen Radweg"))
    assert result.notices == []


def test_query_syntax_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "query-syntax.md").read_text()
    for needle in ("ODER", "NICHT", "gremium:", "jahr:2020-2024", "datum:", "nummer:", "*", "~"):
        assert needle in doc
    assert "## English" in doc
