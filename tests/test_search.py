"""index.search: ranking, facets, sorts, snippets, suggestions — on a real index in tmp_path."""

from __future__ import annotations

import shutil
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.corpus import write_motion
from archive.councils import DEFAULT_KEY
from archive.errors import IndexMissingError, QueryError
from archive.motion import Consultation, Motion, Votes
from index.indexer import reindex
from index.results import MAX_PAGE, SearchRequest
from index.search import SearchIndex

SEED_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
COUNCIL = DEFAULT_KEY  # the council of a corpus without council folders


def motion(reference: str, title: str, date: str, **fields) -> Motion:
    return Motion(reference=reference, title=title, date=date, **fields)


def consult(
    committee: str, date: str, result: str = "", public: bool = True, **votes
) -> Consultation:
    return Consultation(
        committee=committee, date=date, result=result, public=public, votes=Votes(**votes)
    )


MOTIONS = [
    motion(
        "VO/2024/12903",
        "Sozialraumorientierung in Lübeck",
        "2024-03-01",
        type="Beschlussvorlage",
        sponsors=["Bürgermeister"],
        consultations=[consult("Ausschuss für Soziales", "2024-03-05", "zur Kenntnis genommen")],
        body="Der Bericht zur Sozialraumorientierung.",
    ),
    motion(
        "VO/2024/12903-01",
        "Quartiere stärken - Lebenswelten gestalten",
        "2024-05-07",
        type="Antrag",
        sponsors=["SPD", "GRÜNE"],
        consultations=[
            consult("Ausschuss für Soziales", "2024-05-07", "abgelehnt", yes=7, no=8),
            consult("Hauptausschuss", "2024-05-01", public=False),
        ],
        resolution="Der Bürgermeister wird beauftragt, ein **Konzept** zur quartiersbezogenen "
        "Ausrichtung zu erarbeiten. <script>alert(1)</script> & mehr.",
        body="## Wortprotokoll\n\nDie Quartiere brauchen [Treffpunkte](https://example.org).",
    ),
    motion(
        "VO/2024/12903-01-01",
        "Änderungsantrag: Quartiere mit Spielplätzen",
        "2024-05-06",
        type="Änderungsantrag",
        sponsors=["CDU"],
        consultations=[consult("Ausschuss für Soziales", "2024-05-07", "beschlossen")],
        body="Ergänzung zu 12903-01: Spielplätze in jedem Quartier.",
    ),
    motion(
        "VO/2023/11000",
        "Radweg an der Kaiserstraße",
        "2023-09-12",
        type="Antrag",
        sponsors=["GRÜNE"],
        consultations=[consult("Bauausschuss", "2023-09-20", "beschlossen", yes=20, no=2)],
        body="Ein Radweg entlang der Kaiserstraße. Siehe auch VO/2024/12903-01.",
    ),
    motion(
        "VO/2022/10500",
        "Fahrradstraße in Durlach",
        "2022-02-02",
        type="Antrag",
        sponsors=["SPD", "GRÜNE"],
        consultations=[consult("Bauausschuss", "2022-02-10", "vertagt")],
        body="Eine Fahrradstraße durch Durlach mit Tempo 30.",
    ),
    motion(
        "VO/2021/09000",
        "Anfrage zur Kita-Versorgung",
        "2021-06-30",
        type="Anfrage",
        sponsors=["CDU"],
        questions=["Wie viele Kitaplätze fehlen?", "Wann werden sie geschaffen?"],
        reasons="Die Kitas in Durlach sind voll.",
    ),
    motion(
        "VO/2024/13000",
        "Geheimes Grundstücksgeschäft",
        "2024-06-01",
        type="Beschlussvorlage",
        public=False,
        body="Quartiere Grundstück vertraulich",
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("search")
    corpus, index = root / "corpus", root / "index"
    for m in MOTIONS:
        write_motion(m, corpus)
    report = reindex(corpus, index)
    assert report.ok, report.skipped
    return corpus, index


@pytest.fixture(scope="module")
def search_index(built: tuple[Path, Path]) -> Iterator[SearchIndex]:
    with SearchIndex.open(built[1]) as opened:
        yield opened


def search(search_index: SearchIndex, query: str = "", **kwargs) -> object:
    return search_index.search(SearchRequest(query=query, **kwargs))


def refs(result) -> list[str]:
    return [h.reference for h in result.hits]


# -- references ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["VO/2024/12903-01", "2024/12903-01", "12903-01", "vo/2024/12903-01"]
)
def test_every_form_of_a_reference_finds_that_paper_first(
    search_index: SearchIndex, typed: str
) -> None:
    result = search(search_index, typed)
    assert refs(result)[0] == "VO/2024/12903-01"


def test_a_base_number_finds_the_paper_and_its_amendments_first(search_index: SearchIndex) -> None:
    result = search(search_index, "12903")
    assert set(refs(result)[:3]) == {"VO/2024/12903", "VO/2024/12903-01", "VO/2024/12903-01-01"}


def test_nummer_prefix_searches_references_only(search_index: SearchIndex) -> None:
    result = search(search_index, "nummer:12903-01")
    assert refs(result) == ["VO/2024/12903-01", "VO/2024/12903-01-01"]


def test_title_matches_rank_above_body_matches(search_index: SearchIndex) -> None:
    result = search(search_index, "Radweg")  # title of one, body of none else; add a body match:
    assert refs(result)[0] == "VO/2023/11000"
    result = search(search_index, "Durlach")  # title of the Fahrradstraße, body of the Kita Anfrage
    assert refs(result) == ["VO/2022/10500", "VO/2021/09000"]


# -- facets --------------------------------------------------------------------------------


def counts(result, facet: str) -> dict[str, int]:
    """A facet's counts by name (committees, factions and offices: without their council)."""
    return {v.name: v.count for v in result.facets[facet]}


def test_facet_counts_cover_the_whole_result_and_multi_valued_sponsors(
    search_index: SearchIndex,
) -> None:
    result = search(search_index)
    assert result.total == 6  # the non-public motion is not in the index
    assert counts(result, "sponsor") == {"GRÜNE": 3, "SPD": 2, "CDU": 2, "Bürgermeister": 1}
    assert counts(result, "type")["Antrag"] == 3
    assert counts(result, "year") == {"2024": 3, "2023": 1, "2022": 1, "2021": 1}
    assert [v.value for v in result.facets["year"]] == ["2024", "2023", "2022", "2021"]
    assert counts(result, "votes") == {"knapp": 1, "mehrheitlich": 1, "nicht erfasst": 4}


def test_values_of_one_facet_or_and_facets_and(search_index: SearchIndex) -> None:
    either = search(search_index, filters={"sponsor": ("CDU", "SPD")})
    assert either.total == 4
    both = search(search_index, filters={"sponsor": ("GRÜNE",), "year": ("2022",)})
    assert refs(both) == ["VO/2022/10500"]


def test_facet_counts_are_disjunctive(search_index: SearchIndex) -> None:
    result = search(search_index, filters={"type": ("Antrag",)})
    assert result.total == 3
    # the filtered facet still counts its other values over everything else ...
    assert counts(result, "type") == {
        "Antrag": 3,
        "Anfrage": 1,
        "Beschlussvorlage": 1,
        "Änderungsantrag": 1,
    }
    assert [v.value for v in result.facets["type"] if v.selected] == ["Antrag"]
    # ... while the other facets count only the filtered result
    assert counts(result, "sponsor") == {"GRÜNE": 3, "SPD": 2}


def test_a_selected_value_without_matches_is_still_listed(search_index: SearchIndex) -> None:
    result = search(search_index, "Radweg", filters={"year": ("1999",)})
    assert result.total == 0
    assert [(v.value, v.count, v.selected) for v in result.facets["year"]] == [
        ("2023", 1, False),
        ("1999", 0, True),
    ]


def test_non_public_consultations_never_reach_facets_or_motions(search_index: SearchIndex) -> None:
    assert "Hauptausschuss" not in counts(search(search_index), "committee")
    assert search(search_index, "gremium:Hauptausschuss").total == 0
    shown = search_index.motion(COUNCIL, "vo-2024-12903-01")
    assert [c.committee for c in shown.consultations] == ["Ausschuss für Soziales"]


def test_non_public_motions_are_not_indexed(search_index: SearchIndex) -> None:
    assert search(search_index, "Grundstück").total == 0
    assert search_index.motion(COUNCIL, "vo-2024-13000") is None


def test_unknown_facet_and_bad_pages_are_query_errors(search_index: SearchIndex) -> None:
    with pytest.raises(QueryError):
        search(search_index, filters={"colour": ("red",)})
    with pytest.raises(QueryError):
        search(search_index, page=MAX_PAGE + 1)
    with pytest.raises(QueryError):
        search(search_index, sort="random")


# -- sorting and paging --------------------------------------------------------------------


def test_empty_query_browses_everything_newest_first(search_index: SearchIndex) -> None:
    dates = [h.date for h in search(search_index, page_size=10).hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 6


def test_sorts(search_index: SearchIndex) -> None:
    oldest = [h.date for h in search(search_index, "Quartiere OR Durlach", sort="oldest").hits]
    assert oldest == sorted(oldest)
    newest = [h.date for h in search(search_index, "Quartiere OR Durlach", sort="newest").hits]
    assert newest == sorted(newest, reverse=True)
    relevance = search(search_index, "Quartiere OR Durlach").hits
    assert [h.score for h in relevance] == sorted((h.score for h in relevance), reverse=True)


def test_pages(search_index: SearchIndex) -> None:
    first = search(search_index, page_size=4)
    second = search(search_index, page=2, page_size=4)
    assert (first.pages, len(first.hits), len(second.hits)) == (2, 4, 2)
    assert not set(refs(first)) & set(refs(second))
    assert search(search_index, page=3, page_size=4).hits == []


def test_iter_all_yields_the_whole_result_in_order(search_index: SearchIndex) -> None:
    request = SearchRequest(query="", page_size=2)
    assert [h.reference for h in search_index.iter_all(request)] == refs(
        search_index.search(SearchRequest(page_size=10))
    )


# -- snippets ------------------------------------------------------------------------------


def test_snippets_mark_matches_in_escaped_plain_text(search_index: SearchIndex) -> None:
    result = search(search_index, "beauftragt Konzept")
    hit = result.hits[0]
    assert "<mark>beauftragt</mark>" in hit.snippet_html
    assert "<mark>Konzept</mark>" in hit.snippet_html
    assert "**" not in hit.snippet_html  # Markdown is stripped at index time
    planted = search(search_index, "alert").hits[0].snippet_html
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp;" in planted
    assert "<script>" not in planted


def test_title_is_highlighted_and_links_become_text(search_index: SearchIndex) -> None:
    hit = search(search_index, "Treffpunkte").hits[0]
    assert "<mark>Treffpunkte</mark>" in hit.snippet_html and "https://" not in hit.snippet_html
    assert search(search_index, "Quartiere").hits[0].title_html.count("<mark>") == 1


def test_phrases_in_the_body_are_checked_in_order(search_index: SearchIndex) -> None:
    assert refs(search(search_index, '"Durlach mit Tempo"')) == [
        "VO/2022/10500"
    ]  # "mit" a stopword
    assert refs(search(search_index, '"Tempo Durlach"')) == []
    assert refs(search(search_index, '"Kitas in Durlach"')) == ["VO/2021/09000"]
    hit = search(search_index, '"Durlach mit Tempo"').hits[0]
    assert "<mark>Durlach</mark> mit <mark>Tempo</mark>" in hit.snippet_html


def test_a_phrase_matches_whole_codes_never_halves_of_two() -> None:
    """Word sequences are 16-bit codes; a phrase found across the halves of two codes is
    not a match (the adjacent-words case searches the bytes directly)."""
    from index.matching import in_sequence

    sequence = struct.pack("<3H", 0x1100, 0x2233, 0x4455)  # bytes 00 11 33 22 55 44
    assert in_sequence(sequence, [0x2233, 0x4455], [0, 1])
    assert not in_sequence(sequence, [0x3311, 0x5522], [0, 1])  # bytes 1..4: straddling
    assert not in_sequence(sequence, [0x3311], [0])
    assert in_sequence(sequence, [0x1100, 0x4455], [0, 2])  # a stopword between
    assert not in_sequence(sequence, [0x1100, 0x4455], [0, 1])


def test_hits_without_text_matches_show_the_opening_lines(search_index: SearchIndex) -> None:
    hit = search(search_index, "12903-01").hits[0]
    assert hit.snippet_html.startswith("Der Bürgermeister wird beauftragt")
    assert "<mark>" not in hit.snippet_html


# -- suggestions, notices, similar ---------------------------------------------------------


def test_a_misspelt_word_gets_a_suggestion_that_has_hits(search_index: SearchIndex) -> None:
    result = search(search_index, "Quartire")
    assert result.total == 0
    assert result.suggestion == "Quartiere"
    assert search(search_index, result.suggestion).total > 0
    assert search(search_index, "Quartiere").suggestion is None


def test_malformed_query_falls_back_to_words_with_a_notice(search_index: SearchIndex) -> None:
    result = search(search_index, '"Quartiere stärken')
    assert "Anführungszeichen" in (result.notice("de") or "")
    assert refs(result)[0] == "VO/2024/12903-01"


def test_similar_motions_share_words_and_exclude_the_motion(search_index: SearchIndex) -> None:
    similar = search_index.similar(COUNCIL, "vo-2024-12903-01", limit=3)
    assert similar and "VO/2024/12903-01" not in [h.reference for h in similar]
    assert similar[0].reference == "VO/2024/12903-01-01"
    assert search_index.similar(COUNCIL, "no-such-slug") == []


def test_motion_and_count(search_index: SearchIndex) -> None:
    shown = search_index.motion(COUNCIL, "vo-2021-09000")
    assert shown.questions == ["Wie viele Kitaplätze fehlen?", "Wann werden sie geschaffen?"]
    assert search_index.motion(COUNCIL, "vo-1999-1") is None
    assert search_index.count() == 6
    assert [f.name for f in search_index.facet_specs()][:2] == ["council", "committee"]


# -- lifecycle -----------------------------------------------------------------------------


def test_missing_index_is_index_missing_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        SearchIndex.open(tmp_path / "nothing")


def test_refresh_picks_up_updates_and_full_swaps(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(built[0], corpus)
    reindex(corpus, index)
    search_index = SearchIndex.open(index)
    request = SearchRequest("Seilbahn")
    assert search_index.search(request).total == 0
    written = write_motion(motion("VO/2025/1", "Seilbahn zum Turmberg", "2025-01-01"), corpus)
    reindex(corpus, index)
    assert search_index.search(SearchRequest("Seilbahn")).total == 0  # not refreshed yet
    search_index.refresh()
    assert search_index.search(SearchRequest("Seilbahn")).total == 1
    written.unlink()
    reindex(corpus, index, full=True)
    assert (
        search_index.search(SearchRequest("Quartiere")).total > 0
    )  # the old generation still answers
    search_index.refresh()
    assert search_index.search(SearchRequest("Seilbahn")).total == 0
    assert search_index.count() == 6
    search_index.close()


def test_concurrent_searches_while_reindexing(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(built[0], corpus)
    reindex(corpus, index)
    search_index = SearchIndex.open(index)
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        try:
            while not stop.is_set():
                search_index.refresh()
                result = search_index.search(SearchRequest("Quartiere"))
                assert result.total >= 2
                seed = next(h for h in result.hits if h.reference == "VO/2024/12903-01")
                assert seed.snippet_html
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for n in range(3):
            write_motion(motion(f"VO/2025/{n}", f"Quartiere Nummer {n}", "2025-01-01"), corpus)
            reindex(corpus, index, full=n == 1)
    finally:
        stop.set()
        for t in threads:
            t.join()
        search_index.close()
    assert not errors, errors


# -- the shipped corpus --------------------------------------------------------------------


def test_seed_is_found_with_marked_snippet(tmp_path: Path) -> None:
    report = reindex(SEED_CORPUS, tmp_path / "index")
    assert report.ok and report.documents >= 1
    with SearchIndex.open(tmp_path / "index") as search_index:
        result = search_index.search(SearchRequest("Quartier"))
    seed = next(h for h in result.hits if h.reference == "VO/2024/12903-01")
    assert "<mark>" in seed.snippet_html
    assert counts(result, "committee")["Ausschuss für Soziales"] >= 1
