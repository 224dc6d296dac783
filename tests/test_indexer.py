"""index.indexer: full builds, incremental updates, generation swaps, locks — real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.corpus import write_motion
from archive.councils import DEFAULT_KEY
from archive.errors import ConfigError, IndexLockedError
from archive.motion import Consultation, Motion
from index.generations import CURRENT, live_generation
from index.indexer import reindex
from index.lock import reindex_lock
from index.results import SearchRequest
from index.search import SearchIndex


def motion(n: int, title: str = "", **fields) -> Motion:
    return Motion(
        reference=f"VO/2024/{n:05d}",
        title=title or f"Antrag Nummer {n} zur Sanierung",
        date=f"2024-01-{n % 28 + 1:02d}",
        type="Antrag",
        consultations=[Consultation(committee="Bauausschuss", date="2024-02-01")],
        **fields,
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "2024").mkdir(parents=True)  # the layout before councils: the default council
    for n in range(1, 6):
        write_motion(motion(n), root)
    return root


def total(index: Path, query: str = "") -> int:
    with SearchIndex.open(index) as search_index:
        return search_index.search(SearchRequest(query)).total


def test_first_run_builds_a_generation_and_points_current_at_it(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    report = reindex(corpus, index)
    assert (report.full, report.added, report.documents, report.skipped) == (True, 5, 5, [])
    assert (index / CURRENT).read_text().strip() == report.generation == "gen-000001"
    assert live_generation(index) == index / "gen-000001"
    assert total(index) == 5


def test_incremental_run_handles_only_changed_new_and_deleted_files(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    reindex(corpus, index)
    write_motion(motion(2, "Neuer Titel: Spielplatz"), corpus)
    write_motion(motion(9), corpus)
    (corpus / "2024" / "vo-2024-00003.md").unlink()
    report = reindex(corpus, index)
    assert not report.full
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 3)
    assert report.generation == "gen-000001"  # updated in place
    assert total(index) == 5
    assert total(index, "Spielplatz") == 1
    assert total(index, "nummer:VO/2024/00003") == 0
    again = reindex(corpus, index)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 5)


def test_non_public_motions_are_not_indexed_and_leave_when_made_private(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    write_motion(motion(7, "Vertrauliche Grundstückssache", public=False), corpus)
    report = reindex(corpus, index)
    assert (report.added, report.private) == (5, 1)
    assert total(index, "Grundstückssache") == 0
    private = motion(1)
    private.public = False
    write_motion(private, corpus)
    report = reindex(corpus, index)
    assert (report.removed, report.private) == (1, 2)
    assert total(index) == 4


def test_broken_files_are_skipped_with_path_and_line_and_keep_their_last_version(
    corpus, tmp_path
) -> None:
    index = tmp_path / "index"
    reindex(corpus, index)
    broken = corpus / "2024" / "vo-2024-00004.md"
    broken.write_text(broken.read_text().replace("type: Antrag", "type: Gedicht"))
    report = reindex(corpus, index)
    assert len(report.skipped) == 1
    assert report.skipped[0].startswith(f"{broken}:4: unknown type 'Gedicht'")
    assert not report.ok
    assert total(index, "nummer:VO/2024/00004") == 1  # the last good version still serves


def test_duplicate_references_are_skipped(corpus, tmp_path) -> None:
    write_motion(motion(1), corpus, corpus / "2024" / "copy-of-1.md")
    report = reindex(corpus, tmp_path / "index")
    assert report.added == 5
    assert report.skipped == [  # as check says: the file named after the reference owns it
        f"{corpus / '2024' / 'copy-of-1.md'}:2: duplicate reference 'VO/2024/00001' "
        "(also in 2024/vo-2024-00001.md)"
    ]


def test_full_rebuild_swaps_generations_while_readers_keep_working(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    reindex(corpus, index)
    with SearchIndex.open(index) as search_index:
        for n in (2, 3):
            write_motion(motion(10 + n, "Schwimmbad"), corpus)
            report = reindex(corpus, index, full=True)
            assert report.generation == f"gen-00000{n}"
            assert search_index.search(SearchRequest("Sanierung")).total >= 5  # the old one answers
            search_index.refresh()
            assert search_index.search(SearchRequest("Schwimmbad")).total == n - 1
    # the live generation and the one before it stay; older ones go
    assert sorted(p.name for p in index.glob("gen-*")) == ["gen-000002", "gen-000003"]


def test_leftovers_of_killed_runs_are_cleaned(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    reindex(corpus, index)
    (index / "build-99999").mkdir()
    (index / "build-99999" / "junk").write_text("x")
    (index / "gen-000007").mkdir()  # built, but CURRENT never pointed at it
    (index / ".CURRENT.99999").write_text("gen-000007")
    report = reindex(corpus, index)
    assert report.generation == "gen-000001"
    assert sorted(p.name for p in index.iterdir()) == [
        "CURRENT",
        "gen-000001",
        "reindex.lock",
        "reindex.lock.pid",
    ]


def test_a_second_run_is_refused_while_the_lock_is_held(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    with reindex_lock(index), pytest.raises(IndexLockedError, match="another reindex is running"):
        reindex(corpus, index)
    assert reindex(corpus, index).added == 5  # released with the block


def test_a_stale_lock_file_does_not_block(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / "reindex.lock").write_text("")
    (index / "reindex.lock.pid").write_text("99999\n")
    assert reindex(corpus, index).added == 5


def test_lock_is_released_when_its_holder_is_killed(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    pid = os.fork()
    if pid == 0:  # child: take the lock and die without releasing it
        with reindex_lock(index):
            os.kill(os.getpid(), 9)
    os.waitpid(pid, 0)
    assert reindex(corpus, index).added == 5


def test_parallel_full_build_indexes_every_document(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(1, 301):
        write_motion(motion(n), corpus)
    index = tmp_path / "index"
    report = reindex(corpus, index, full=True, procs=2)
    assert report.documents == 300
    assert total(index, "Sanierung") == 300
    with SearchIndex.open(index) as search_index:  # exports page through it in chunks
        every = list(search_index.iter_all(SearchRequest("Sanierung", sort="oldest")))
    assert len({h.reference for h in every}) == 300
    assert [h.date for h in every] == sorted(h.date for h in every)


def test_unusable_index_location_is_a_clear_error(corpus, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot use"):
        reindex(corpus, blocker / "index")
    with pytest.raises(ConfigError, match="does not exist"):
        reindex(tmp_path / "missing", tmp_path / "index")


def test_index_of_another_schema_version_is_rebuilt_in_full(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    reindex(corpus, index)
    (index / "gen-000001" / "meta.json").write_text('{"schema_version": 0}')
    report = reindex(corpus, index)
    assert report.full and report.generation == "gen-000002"


def test_columns_stay_aligned_across_segments(corpus, tmp_path) -> None:
    """An update adds a segment in which no document has a date (nor other columns)."""
    index = tmp_path / "index"
    reindex(corpus, index)
    undated = Motion(reference="VO/2024/99999", title="Ohne Datum", type="Antrag")
    write_motion(undated, corpus, corpus / "2024" / "undated.md")
    assert reindex(corpus, index).added == 1
    with SearchIndex.open(index) as search_index:
        newest = search_index.search(SearchRequest(sort="newest", page_size=10)).hits
        assert [h.date for h in newest] == [*sorted((m.date for m in newest[:5]), reverse=True), ""]
        assert search_index.search(SearchRequest("datum:2024-01")).total == 5
        assert search_index.motion(DEFAULT_KEY, "vo-2024-99999").title == "Ohne Datum"
        first = search_index.motion(DEFAULT_KEY, "vo-2024-00001")
        assert first.title == "Antrag Nummer 1 zur Sanierung"


def test_a_missing_or_stale_manifest_only_costs_time(corpus, tmp_path) -> None:
    index = tmp_path / "index"
    reindex(corpus, index)
    manifest = index / "gen-000001" / "manifest.json"
    stale = manifest.read_text()
    manifest.unlink()
    assert reindex(corpus, index).unchanged == 5  # read back from the index itself
    assert manifest.exists()
    write_motion(motion(2, "Neuer Titel: Spielplatz"), corpus)
    reindex(corpus, index)
    manifest.write_text(stale)  # as if a run died between Whoosh's commit and the manifest
    report = reindex(corpus, index)
    assert (report.updated, report.added) == (1, 0)  # re-indexed once more, not duplicated
    assert total(index) == 5 and total(index, "Spielplatz") == 1


def test_many_small_edits_keep_every_change_searchable_and_the_segments_few(
    corpus, tmp_path
) -> None:
    """Each run commits its change first; small segments are merged now and then, after."""
    from index.generations import open_generation
    from index.incremental import MAX_SEGMENTS

    index = tmp_path / "index"
    reindex(corpus, index)
    words = ["Ampel", "Radweg", "Brunnen", "Spielplatz", "Bibliothek", "Friedhof", "Kita"]
    for run in range(3 * MAX_SEGMENTS):
        word = f"{words[run % len(words)]}{run}"
        write_motion(motion(run % 5 + 1, f"Antrag zu {word}"), corpus)
        assert reindex(corpus, index).updated == 1
        assert total(index, word) == 1
        ix = open_generation(live_generation(index))
        try:
            with ix.reader() as reader:
                assert len(reader.leaf_readers()) < MAX_SEGMENTS
        finally:
            ix.close()
    assert total(index) == 5


def test_an_incremental_reindex_starts_without_numpy_or_babel() -> None:
    """``ratsarchiv reindex`` after one edit is on the edit-to-searchable path (≤ 1 s):
    it loads neither NumPy (search and full build only) nor Babel (wording only)."""
    code = (
        "import sys, index.commands, index.indexer; "
        "print(sorted({'numpy', 'babel'} & {m.split('.')[0] for m in sys.modules}))"
    )
    repo = str(Path(__file__).resolve().parents[1])
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=repo, check=True
    )
    assert result.stdout.strip() == "[]"
