"""Search across councils, or within one: real Hamburg district pages in two councils.

The same real ALLRIS page (``vo020.html`` of Altona, ``22-2362``, in the ``Hauptausschuss``)
is written into two council folders, as importing it with ``--council`` into each would:
two papers with one reference and one committee name, which must stay two motions, two
facet values and no conflict. Beside it each council holds other real district pages.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from realdata import HAMBURG, require

from archive.cli import main
from archive.corpus import path_for, render_motion, write_motion
from archive.councils import COUNCIL_FILE, Council, ensure_council, render_council
from archive.importers.allris_html import read_source, read_vorlage
from archive.motion import Consultation, Motion
from index.indexer import reindex
from index.results import SearchRequest
from index.search import SearchIndex

ALTONA = Council("hamburg-altona", "Bezirksversammlung Altona", "Altona", "Bezirk", "Hamburg")
EIMSBUETTEL = Council(
    "hamburg-eimsbuettel", "Bezirksversammlung Eimsbüttel", "Eimsbüttel", "Bezirk", "Hamburg"
)
SHARED = "22-2362"  # the Altona page's reference, in both councils
SHARED_SLUG = "22-2362"
BERGEDORF = "22-0916"  # the Bergedorf page (three factions), in both councils too
PAPERS = {
    ALTONA.key: ("altona", "bergedorf"),
    EIMSBUETTEL.key: ("altona", "eimsbuettel", "bergedorf"),
}


def page(district: str) -> Motion:
    return read_vorlage(read_source(str(HAMBURG / district / "vo020.html")))


def write_councils(corpus: Path) -> dict[str, list[Path]]:
    """The two councils with their real pages; council key → files written."""
    require()
    written: dict[str, list[Path]] = {}
    for council in (ALTONA, EIMSBUETTEL):
        ensure_council(corpus, council)
        for district in PAPERS[council.key]:
            motion = dataclasses.replace(page(district), council=council.key)
            written.setdefault(council.key, []).append(
                write_motion(motion, corpus, path_for(motion, corpus))
            )
    return written


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("councils")
    corpus, index = root / "corpus", root / "index"
    write_councils(corpus)
    report = reindex(corpus, index)
    assert report.ok, report.skipped
    return corpus, index


@pytest.fixture
def search_index(built: tuple[Path, Path]):
    with SearchIndex.open(built[1]) as opened:
        yield opened


@pytest.fixture
def own(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus and index of this test's own, to change."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_councils(corpus)
    assert reindex(corpus, index).ok
    return corpus, index


def search(opened: SearchIndex, query: str = "", **filters: str | tuple[str, ...]):
    as_tuples = {k: (v,) if isinstance(v, str) else v for k, v in filters.items()}
    return opened.search(SearchRequest(query, filters=as_tuples, page_size=100))


def councils_of(result) -> list[str]:
    return sorted(hit.council for hit in result.hits)


def facet(result, name: str) -> dict[str, tuple[int, str]]:
    """value → (count, label) of one facet."""
    return {v.value: (v.count, v.label) for v in result.facets[name]}


# -- identity ------------------------------------------------------------------------------


def test_the_same_page_in_two_councils_is_two_motions_without_conflict(search_index) -> None:
    result = search(search_index)
    assert result.total == 5
    assert search_index.councils_with_slug(SHARED_SLUG) == [ALTONA.key, EIMSBUETTEL.key]
    for council in (ALTONA, EIMSBUETTEL):
        motion = search_index.motion(council.key, SHARED_SLUG)
        assert (motion.council, motion.reference) == (council.key, SHARED)
    assert search_index.motion("hamburg-nord", SHARED_SLUG) is None
    shared = [hit for hit in result.hits if hit.reference == SHARED]
    assert sorted((h.council, h.council_name) for h in shared) == [
        (ALTONA.key, ALTONA.name),
        (EIMSBUETTEL.key, EIMSBUETTEL.name),
    ]


def test_councils_lists_each_council_with_its_papers(search_index) -> None:
    listed = [(c.key, c.council.name, c.papers) for c in search_index.councils()]
    assert listed == [(ALTONA.key, ALTONA.name, 2), (EIMSBUETTEL.key, EIMSBUETTEL.name, 3)]
    assert search_index.councils()[0].to_dict()["kind"] == "Bezirk"
    assert search_index.council(EIMSBUETTEL.key).short_name == "Eimsbüttel"
    assert search_index.council("hamburg-nord") is None


def test_hits_carry_council_and_council_name_in_json(search_index) -> None:
    data = search(search_index, "Metrobuslinie").to_dict()
    assert sorted((h["council"], h["council_name"]) for h in data["hits"]) == [
        (ALTONA.key, ALTONA.name),
        (EIMSBUETTEL.key, EIMSBUETTEL.name),
    ]


# -- searching across councils or within one ----------------------------------------------


def test_a_search_spans_every_council_and_the_council_facet_narrows_it(search_index) -> None:
    across = search(search_index, "Metrobuslinie")
    assert councils_of(across) == [ALTONA.key, EIMSBUETTEL.key]
    assert facet(across, "council") == {
        ALTONA.key: (1, "Altona"),
        EIMSBUETTEL.key: (1, "Eimsbüttel"),
    }
    one = search(search_index, "Metrobuslinie", council=EIMSBUETTEL.key)
    assert councils_of(one) == [EIMSBUETTEL.key]
    # the council facet keeps the other council's count (disjunctive), to switch to it
    assert facet(one, "council")[ALTONA.key][0] == 1
    assert [v.selected for v in one.facets["council"]] == [False, True]


@pytest.mark.parametrize(
    "query", ["kommune:altona", "council:Altona", 'kommune:"Bezirksversammlung Altona"']
)
def test_the_council_prefix_takes_key_or_name_in_both_languages(search_index, query) -> None:
    result = search(search_index, query)
    assert councils_of(result) == [ALTONA.key, ALTONA.key]


def test_committees_of_two_councils_are_two_values_labelled_with_the_council(
    search_index,
) -> None:
    committees = facet(search(search_index), "committee")
    assert committees[f"{ALTONA.key}:Hauptausschuss"] == (1, "Hauptausschuss (Altona)")
    assert committees[f"{EIMSBUETTEL.key}:Hauptausschuss"] == (2, "Hauptausschuss (Eimsbüttel)")
    leads = search(search_index).facets["lead"]  # Bergedorf's page in both councils
    assert sorted(v.value for v in leads if v.name == "Dezernat Steuerung und Service") == [
        f"{ALTONA.key}:Dezernat Steuerung und Service",
        f"{EIMSBUETTEL.key}:Dezernat Steuerung und Service",
    ]


def test_within_one_council_the_labels_are_plain_names(search_index) -> None:
    result = search(search_index, council=ALTONA.key)
    committees = result.facets["committee"]
    assert {v.label for v in committees} == {"Hauptausschuss", "Bezirksversammlung Bergedorf"}
    assert {(v.council, v.name) for v in committees} >= {(ALTONA.key, "Hauptausschuss")}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gremium:Hauptausschuss", [ALTONA.key, EIMSBUETTEL.key, EIMSBUETTEL.key]),
        ("committee:hauptaussch", [ALTONA.key, EIMSBUETTEL.key, EIMSBUETTEL.key]),
        (f'gremium:"{ALTONA.key}:Hauptausschuss"', [ALTONA.key]),
        ("fraktion:SPD-Fraktion", [ALTONA.key, EIMSBUETTEL.key]),
        ('fraktion:"DIE LINKE"', [ALTONA.key, EIMSBUETTEL.key]),
        (f'fraktion:"{EIMSBUETTEL.key}:SPD-Fraktion"', [EIMSBUETTEL.key]),
        ("fraktion:SPD-Fraktion kommune:eimsbüttel", [EIMSBUETTEL.key]),
    ],
)
def test_committee_and_faction_prefixes_match_every_council_by_name(
    search_index, query, expected
) -> None:
    assert councils_of(search(search_index, query)) == expected


def test_filters_take_a_qualified_value_or_a_bare_name(search_index) -> None:
    exact = search(search_index, committee=f"{EIMSBUETTEL.key}:Hauptausschuss")
    assert councils_of(exact) == [EIMSBUETTEL.key, EIMSBUETTEL.key]
    selected = [v.value for v in exact.facets["committee"] if v.selected]
    assert selected == [f"{EIMSBUETTEL.key}:Hauptausschuss"]
    bare = search(search_index, sponsor="SPD-Fraktion")  # a link from before councils
    assert councils_of(bare) == [ALTONA.key, EIMSBUETTEL.key]


def test_similar_and_amendments_stay_within_the_council(search_index) -> None:
    similar = search_index.similar(ALTONA.key, SHARED_SLUG, limit=5)
    assert all(hit.council == ALTONA.key for hit in similar)
    assert all(hit.slug != SHARED_SLUG for hit in similar)
    assert search_index.amendments(ALTONA.key, SHARED) == []


def test_related_entries_resolve_in_the_same_or_the_named_council(search_index) -> None:
    same = search_index.resolve(ALTONA.key, BERGEDORF)
    assert (same.council, same.reference) == (ALTONA.key, BERGEDORF)
    other = search_index.resolve(ALTONA.key, f"{EIMSBUETTEL.key}:22-2368")
    assert (other.council, other.reference) == (EIMSBUETTEL.key, "22-2368")
    assert search_index.resolve(ALTONA.key, "22-2368") is None  # not a paper of Altona


# -- reindexing ----------------------------------------------------------------------------


def test_a_reference_twice_in_one_council_is_a_duplicate_in_both_kinds_of_build(own) -> None:
    corpus, index = own
    original = next((corpus / EIMSBUETTEL.key).rglob(f"{SHARED_SLUG}.md"))
    copy = original.with_name("kopie.md")
    shutil.copy(original, copy)
    update = reindex(corpus, index)
    assert [line.split(": ", 1)[0] for line in update.skipped] == [f"{copy}:2"]
    assert "duplicate reference '22-2362'" in update.skipped[0]
    assert f"also in {original.relative_to(corpus)}" in update.skipped[0]
    full = reindex(corpus, index, full=True)
    assert full.skipped == update.skipped and full.documents == 5


def test_an_edited_council_file_alone_updates_the_names_searches_show(own) -> None:
    corpus, index = own
    with SearchIndex.open(index) as opened:
        renamed = dataclasses.replace(ALTONA, name="Bezirksamt Altona", short_name="HH-Altona")
        (corpus / ALTONA.key / COUNCIL_FILE).write_text(render_council(renamed), "utf-8")
        report = reindex(corpus, index)
        assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)
        opened.refresh()
        assert opened.council(ALTONA.key).name == "Bezirksamt Altona"
        result = search(opened, "Metrobuslinie")
        names = {hit.council_name for hit in result.hits}
        assert names == {"Bezirksamt Altona", EIMSBUETTEL.name}
        assert facet(result, "council")[ALTONA.key] == (1, "HH-Altona")
        assert facet(search(opened), "committee")[f"{ALTONA.key}:Hauptausschuss"][1] == (
            "Hauptausschuss (HH-Altona)"
        )
        assert councils_of(search(opened, "kommune:hh-altona")) == [ALTONA.key, ALTONA.key]


def test_a_file_moved_to_another_council_belongs_to_it(own) -> None:
    corpus, index = own
    moved_from = next((corpus / EIMSBUETTEL.key).rglob("22-2368.md"))
    target = corpus / ALTONA.key / moved_from.relative_to(corpus / EIMSBUETTEL.key)
    target.parent.mkdir(parents=True, exist_ok=True)
    moved_from.rename(target)
    report = reindex(corpus, index)
    assert (report.added, report.removed, report.skipped) == (1, 1, [])
    with SearchIndex.open(index) as opened:
        assert opened.motion(EIMSBUETTEL.key, "22-2368") is None
        assert opened.motion(ALTONA.key, "22-2368").council == ALTONA.key
        assert facet(search(opened), "council") == {
            ALTONA.key: (3, "Altona"),
            EIMSBUETTEL.key: (2, "Eimsbüttel"),
        }
        committees = facet(search(opened), "committee")
        assert committees[f"{ALTONA.key}:Hauptausschuss"][0] == 2


def test_a_folder_that_becomes_a_council_moves_its_papers_into_it(tmp_path: Path) -> None:
    """Files of a folder without ``_council.yml`` are the default council's; once it has one,
    an update (same files, same stamps) indexes them as that council's."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_councils(corpus)
    loose = corpus / "hamburg-nord" / "2026" / "22-2402.md"
    loose.parent.mkdir(parents=True)
    loose.write_text(render_motion(page("hamburg_nord")), "utf-8")
    reindex(corpus, index)
    with SearchIndex.open(index) as opened:
        assert opened.councils_with_slug("22-2402") == ["default"]
    ensure_council(corpus, Council("hamburg-nord", "Bezirksversammlung Hamburg-Nord", "Nord"))
    report = reindex(corpus, index)
    assert (report.updated, report.skipped) == (1, [])
    with SearchIndex.open(index) as opened:
        assert opened.councils_with_slug("22-2402") == ["hamburg-nord"]
        assert opened.motion("hamburg-nord", "22-2402").council == "hamburg-nord"


# -- non-public material -------------------------------------------------------------------

SECRET = "Quorxelgrundstück"
HIDDEN = "Snarkbeirat"


def test_non_public_papers_and_consultations_never_reach_the_index_in_any_council(
    tmp_path: Path,
) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_councils(corpus)
    private = Motion(
        reference=SHARED,  # the public paper's reference in the other council
        title=f"{SECRET} am Hafen",
        date="2026-07-01",
        public=False,
        council="hamburg-nord",
        consultations=[Consultation("Hauptausschuss", date="2026-07-02")],
    )
    ensure_council(corpus, Council("hamburg-nord", "Bezirksversammlung Hamburg-Nord", "Nord"))
    write_motion(private, corpus, path_for(private, corpus))
    visible = dataclasses.replace(page("altona"), council=EIMSBUETTEL.key)
    visible.consultations.append(Consultation(HIDDEN, date="2026-07-20", public=False))
    write_motion(visible, corpus, path_for(visible, corpus))
    report = reindex(corpus, index)
    assert (report.private, report.skipped) == (1, [])
    with SearchIndex.open(index) as opened:
        for query in (SECRET, HIDDEN, f"gremium:{HIDDEN}", "kommune:nord"):
            assert search(opened, query).total == 0, query
        everything = json.dumps(search(opened).to_dict(), ensure_ascii=False)
        assert SECRET not in everything and HIDDEN not in everything
        assert "hamburg-nord" not in facet(search(opened), "council")
        assert opened.motion("hamburg-nord", SHARED_SLUG) is None
        assert opened.councils_with_slug(SHARED_SLUG) == [ALTONA.key, EIMSBUETTEL.key]
        assert [c.key for c in opened.councils()] == [ALTONA.key, EIMSBUETTEL.key]
        shown = opened.motion(EIMSBUETTEL.key, SHARED_SLUG)
        assert HIDDEN not in json.dumps(shown.to_dict(), ensure_ascii=False)


# -- the command line ----------------------------------------------------------------------


def test_ratsarchiv_search_names_the_council_of_each_hit_and_takes_council(built) -> None:
    _, index = built
    runner = CliRunner()
    table = runner.invoke(main, ["search", "Metrobuslinie", "--index", str(index)])
    assert table.exit_code == 0, table.output
    assert ALTONA.name in table.output and EIMSBUETTEL.name in table.output
    assert "Hauptausschuss (Altona) (1)" in table.output
    narrowed = runner.invoke(
        main, ["search", "--json", "--council", ALTONA.key, "--index", str(index)]
    )
    assert narrowed.exit_code == 0, narrowed.output
    hits = json.loads(narrowed.output)["hits"]
    assert {h["council"] for h in hits} == {ALTONA.key}
    assert hits[0]["url"] == f"/{ALTONA.key}/motions/{hits[0]['slug']}"
