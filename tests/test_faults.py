"""Faults: SIGKILL at random moments, two reindexes at once, full disks and unusable paths.

Every command runs as a real ``ratsarchiv`` subprocess on real Karlsruhe papers (or on
Auszug texts made from the real seed). After each kill no corpus file may be half
written, the live index must keep answering, and the next run must clean up after the
killed one by itself and complete. ``benchmarks/soak.py`` repeats this with more kills.
"""

from __future__ import annotations

import json
import resource
import shutil
import signal
import time
from pathlib import Path

import pytest
from faultkit import (
    allris_html_variants,
    auszug_variants,
    kill_repeatedly,
    leftovers,
    motion_problems,
    no_traceback,
    oparl_args,
    run,
    snapshot,
    start,
    timed,
)

from archive.meeting_files import iter_meeting_files, read_meeting
from index.results import SearchRequest

KILLS = 5
"""Kills per command here; ``python -m benchmarks.soak`` kills each command 20 times."""
OPARL_PAPERS = 60
AUSZUEGE = 120
HTML_PAGES = 25
INDEXED = 60


def motion_files(corpus: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(corpus).items() if k.endswith(".md")}


def assert_sound(corpus: Path, before: dict[str, bytes] | None = None) -> None:
    problems = motion_problems(corpus, before or {})
    assert not problems, problems


def assert_killed_often(seen, times: int) -> None:
    assert seen.kills >= times // 2, seen  # later runs are faster (files unchanged)


# -- importers ------------------------------------------------------------------------------


@pytest.mark.karlsruhe
@pytest.mark.slow  # a kill loop
def test_killed_oparl_import_never_half_writes_and_next_run_completes(tmp_path: Path) -> None:
    args = oparl_args(OPARL_PAPERS)
    clean = tmp_path / "clean"
    seconds = timed([*args, "--corpus", clean])
    corpus = tmp_path / "corpus"
    seen = kill_repeatedly(
        [*args, "--corpus", corpus],
        times=KILLS,
        longest=seconds,
        seed=11,
        after_each=lambda _: assert_sound(corpus),
    )
    assert_killed_often(seen, KILLS)
    result = run(*args, "--corpus", corpus)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]
    assert motion_files(corpus) == motion_files(clean)
    assert leftovers(corpus) == []


@pytest.mark.slow  # a kill loop
def test_killed_allris_import_never_half_writes_and_next_run_completes(tmp_path: Path) -> None:
    files = auszug_variants(tmp_path / "auszuege", AUSZUEGE)
    clean = tmp_path / "clean"
    seconds = timed(["import", "allris", *files, "--corpus", clean])
    corpus = tmp_path / "corpus"
    seen = kill_repeatedly(
        ["import", "allris", *files, "--corpus", corpus],
        times=KILLS,
        longest=seconds,
        seed=12,
        after_each=lambda _: assert_sound(corpus),
    )
    assert_killed_often(seen, KILLS)
    result = run("import", "allris", *files, "--corpus", corpus)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]
    assert motion_files(corpus) == motion_files(clean)
    assert leftovers(corpus) == []


@pytest.mark.slow  # a kill loop
def test_killed_allris_html_import_never_half_writes_and_next_run_completes(
    tmp_path: Path,
) -> None:
    files = allris_html_variants(tmp_path / "pages", HTML_PAGES)
    clean = tmp_path / "clean"
    seconds = timed(["import", "allris-html", *files, "--corpus", clean])
    corpus = tmp_path / "corpus"
    seen = kill_repeatedly(
        ["import", "allris-html", *files, "--corpus", corpus],
        times=KILLS,
        longest=seconds,
        seed=13,
        after_each=lambda _: assert_sound(corpus),
    )
    assert_killed_often(seen, KILLS)
    result = run("import", "allris-html", *files, "--corpus", corpus)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]
    assert motion_files(corpus) == motion_files(clean)
    assert leftovers(corpus) == []


def test_killed_import_causes_no_false_conflicts_later(tmp_path: Path) -> None:
    """Files a killed import wrote are the importer's own: the next Auszug may update them."""
    first = auszug_variants(tmp_path / "first", AUSZUEGE)
    second = []
    for path in first:
        text = path.read_text(encoding="utf-8")
        text = text.replace("Gremium: Ausschuss für Soziales", "Gremium: Hauptausschuss")
        text = text.replace("9. Sitzung des Ausschusses für Soziales", "3. Sitzung des HA")
        text = text.replace("07.05.2024", "14.05.2024")
        target = tmp_path / "second" / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
        second.append(target)
    corpus = tmp_path / "corpus"
    process = start("import", "allris", *first, "--corpus", corpus)
    deadline = time.monotonic() + 60
    while len(list(corpus.rglob("*.md"))) < 10 and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = len(motion_files(corpus))
    assert 10 <= written < len(first), written
    result = run("import", "allris", *second, "--corpus", corpus)
    no_traceback(result)
    assert "0 conflicts" in result.stdout, result.stdout[-500:] + result.stderr[-1500:]
    assert result.returncode == 0


# -- reindex --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(karlsruhe_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``INDEXED`` Karlsruhe papers and their index, built once by ``ratsarchiv reindex``."""
    root = tmp_path_factory.mktemp("faults")
    for path in sorted(karlsruhe_corpus.rglob("*.md"))[:INDEXED]:
        target = root / "corpus" / path.relative_to(karlsruhe_corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    started = time.monotonic()
    result = run("reindex", "--full", "--corpus", root / "corpus", "--index", root / "index")
    assert result.returncode == 0, result.stdout + result.stderr
    (root / "seconds").write_text(str(time.monotonic() - started))
    return root


@pytest.fixture
def search_index(built: Path, tmp_path: Path):
    """A copy of the built corpus and index, and an open ``SearchIndex`` on it (as the site has)."""
    from index.search import SearchIndex

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(built / "corpus", corpus)
    shutil.copytree(built / "index", index, ignore=shutil.ignore_patterns("reindex.lock*"))
    opened = SearchIndex.open(index)
    yield corpus, index, opened, float((built / "seconds").read_text())
    opened.close()


def answers(search_index, expected_total: int) -> None:
    """The open search index still answers from a whole index (refreshing as the site does)."""
    search_index.refresh()
    result = search_index.search(SearchRequest(query="Stadt"))
    assert result.total > 0
    assert search_index.count() == expected_total
    for hit in result.hits:
        assert search_index.motion(hit.council, hit.slug) is not None


def index_leftovers(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.name.startswith(("build-", ".CURRENT")))


@pytest.mark.slow  # a kill loop
def test_killed_full_reindex_keeps_serving_and_next_run_recovers(search_index) -> None:
    corpus, index, search_index, seconds = search_index
    total = search_index.count()
    current = (index / "CURRENT").read_text()
    args = ["reindex", "--full", "--corpus", corpus, "--index", index]
    seen = kill_repeatedly(
        args,
        times=KILLS,
        longest=seconds,
        seed=21,
        after_each=lambda _: answers(search_index, total),
    )
    assert_killed_often(seen, KILLS)
    result = run(*args)
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert index_leftovers(index) == []
    assert (index / "CURRENT").read_text() != current
    answers(search_index, total)


@pytest.mark.slow  # a kill loop
def test_killed_incremental_reindex_keeps_serving_and_next_run_recovers(search_index) -> None:
    corpus, index, search_index, seconds = search_index
    total = search_index.count()
    files = sorted(corpus.rglob("*.md"))
    args = ["reindex", "--corpus", corpus, "--index", index]

    def touch_some(round_: int) -> None:
        for path in files[round_ % 5 :: 5]:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.rstrip("\n") + f"\n\nNachtrag {round_}\n", encoding="utf-8")

    def between(round_: int) -> None:
        answers(search_index, total)
        touch_some(round_)

    touch_some(0)
    seen = kill_repeatedly(args, times=KILLS, longest=seconds, seed=22, after_each=between)
    assert_killed_often(seen, KILLS)
    result = run(*args)
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    answers(search_index, total)
    found = run("search", "--json", "--index", index, f"Nachtrag {KILLS - 1}")
    assert json.loads(found.stdout)["total"] > 0
    every_page_answers(index, corpus)


def every_page_answers(index: Path, corpus: Path) -> None:
    """Each motion's page shows that motion (an updated index has several segments)."""
    from webapp import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": corpus}).test_client()
    rows = client.get("/export.json").get_json()
    assert rows
    for row in rows:
        page = client.get(f"/api/{row['council']}/motions/{row['slug']}")
        assert page.status_code == 200, row["slug"]
        assert page.get_json()["title"] == row["title"]


def test_second_reindex_refuses_while_one_runs(search_index) -> None:
    corpus, index, search_index, _ = search_index
    total = search_index.count()
    first = start("reindex", "--full", "--corpus", corpus, "--index", index)
    try:
        deadline = time.monotonic() + 30
        while not list(index.glob("build-*")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list(index.glob("build-*")), "the first reindex never started building"
        second = run("reindex", "--corpus", corpus, "--index", index)
        no_traceback(second)
        assert second.returncode != 0
        assert "another reindex is running" in second.stderr
        answers(search_index, total)
    finally:
        assert first.wait(timeout=120) == 0
    assert index_leftovers(index) == []
    answers(search_index, total)


# -- full disks and unusable paths ----------------------------------------------------------


def _file_size_limit(limit: int):
    """A ``preexec_fn`` making writes beyond ``limit`` bytes fail with EFBIG (like a full disk)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_reindex_on_full_disk_says_so_and_keeps_the_old_index(search_index) -> None:
    corpus, index, search_index, _ = search_index
    total = search_index.count()
    before = snapshot(index)
    result = run(
        "reindex", "--full", "--corpus", corpus, "--index", index,
        preexec_fn=_file_size_limit(64 * 1024),
    )  # fmt: skip
    no_traceback(result)
    assert result.returncode != 0
    assert "error:" in result.stderr and "too large" in result.stderr.lower(), result.stderr
    assert index_leftovers(index) == []
    assert {k: v for k, v in snapshot(index).items() if "lock" not in k} == {
        k: v for k, v in before.items() if "lock" not in k
    }
    answers(search_index, total)


@pytest.mark.parametrize(
    ("files", "limit"),
    [(20, 1024), (230, 8192)],
    ids=["motion-files-do-not-fit", "import-state-does-not-fit"],
)
def test_import_on_full_disk_says_so_and_writes_no_partial_file(
    tmp_path: Path, files: int, limit: int
) -> None:
    sources = auszug_variants(tmp_path / "auszuege", files)
    corpus = tmp_path / "corpus"
    ok = run("import", "allris", *sources[:10], "--corpus", corpus)
    assert ok.returncode == 0
    before = snapshot(corpus)
    result = run(
        "import", "allris", *sources, "--corpus", corpus, preexec_fn=_file_size_limit(limit)
    )
    no_traceback(result)
    assert result.returncode != 0
    assert "too large" in result.stderr.lower(), result.stderr[-1000:]
    assert_sound(corpus, before)
    assert leftovers(corpus) == []
    after = motion_files(corpus)
    papers = [k for k in before if k.endswith(".md") and "/meetings/" not in k]
    assert {k: after.get(k) for k in papers} == {k: before[k] for k in papers}
    for path, council in iter_meeting_files(corpus):  # the variants' one meeting gains
        read_meeting(path, council)  # their items: each write whole, or none
    again = run("import", "allris", *sources, "--corpus", corpus)  # space again: it completes
    assert again.returncode == 0, again.stderr[-1000:]
    assert "0 conflicts" in again.stdout


@pytest.mark.parametrize("command", ["reindex", "serve", "search"])
def test_index_under_a_regular_file_is_a_clear_error(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    corpus = tmp_path / "corpus"
    (corpus / "2024").mkdir(parents=True)
    args = {"reindex": [], "serve": ["--port", "0"], "search": ["Antrag"]}[command]
    result = run(command, "--corpus", corpus, "--index", blocker / "index", *args, timeout=30)
    no_traceback(result)
    assert result.returncode != 0
    assert "error:" in result.stderr
    assert blocker.read_text() == "x"


def test_import_into_a_corpus_under_a_regular_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    files = auszug_variants(tmp_path / "auszuege", 2)
    result = run("import", "allris", *files, "--corpus", blocker / "corpus")
    no_traceback(result)
    assert result.returncode != 0
    assert "error:" in result.stderr
    assert blocker.read_text() == "x"


def test_read_only_index_directory_is_a_clear_error(search_index) -> None:
    """A lock file that cannot be opened (an operator's chown gone wrong), even for root."""
    corpus, index, search_index, _ = search_index
    total = search_index.count()
    lock = index / "reindex.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()  # open() fails with EISDIR whoever runs it
    try:
        result = run("reindex", "--corpus", corpus, "--index", index)
    finally:
        lock.rmdir()
    no_traceback(result)
    assert result.returncode != 0
    assert "error:" in result.stderr
    answers(search_index, total)
