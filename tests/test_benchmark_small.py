"""The speed benchmark's small variant runs end to end, so ``make bench`` never rots.

It imports the first 300 Karlsruhe papers into a scratch corpus, rebuilds, searches over
HTTP and in-process beside the FTS5 reference, does the same for the mixed archive (those
papers beside Lübeck's seed and the five Hamburg districts, seven councils) and scales to
4×. Timings are not judged here (the machine is shared); every row must be there with sane
values.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.harness import percentile, summarize
from benchmarks.queries import QUERIES

REPO = Path(__file__).resolve().parents[1]
ROWS = [
    "import",
    "rebuild_seconds",
    "rebuild_throughput",
    "rebuild_memory",
    "fts5_build",
    "cold_cli",
    "cold_serve",
    *[
        f"{kind}_{archive}"
        for archive in ("x1", "x2", "x4", "mixed")
        for kind in ("search_http", "search_inproc", "server_rss")
    ],
    "incremental",
    "pages_meeting",
    "pages_committee",
    "pages_calendar",
    "pages_calendar_ics",
    "pages_statistics",
    "rebuild_x2",
    "rebuild_x4",
    "rebuild_mixed",
]
TARGETS = {
    *(f"pages_{kind}" for kind in ("meeting", "committee", "faction", "calendar", "statistics")),
    "rebuild_seconds",
    "rebuild_throughput",
    "incremental",
    "cold_cli",
    "cold_serve",
    "search_http_x1",
    "search_inproc_x1",
    "server_rss_x1",
    "search_http_mixed",
    "search_inproc_mixed",
    "server_rss_mixed",
    "search_http_x4",
}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory, karlsruhe_data: Path) -> dict:
    work = tmp_path_factory.mktemp("bench")
    output = work / "small.json"
    cmd = [sys.executable, "-m", "benchmarks.run", "--small", "--workdir", str(work / "w")]
    done = subprocess.run(
        [*cmd, "--output", str(output)], cwd=REPO, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(output.read_text(encoding="utf-8"))
    result["stdout"] = done.stdout
    return result


@pytest.mark.karlsruhe
@pytest.mark.slow  # a benchmark run in a subprocess
@pytest.mark.timeout(960)  # one small benchmark run: about a minute, more on a busy machine
def test_small_run_has_every_row_once(small_run: dict) -> None:
    keys = [row["key"] for row in small_run["rows"]]
    assert sorted(keys) == sorted(ROWS)
    for row in small_run["rows"]:
        assert row["status"] in ("met", "MISSED", ""), row
        assert (row["key"] in TARGETS) == bool(row["target"]), row
        assert row["label"] in small_run["stdout"]  # the printed table


@pytest.mark.karlsruhe
@pytest.mark.slow
@pytest.mark.timeout(960)
def test_small_run_values_are_sane(small_run: dict) -> None:
    rows = {row["key"]: row["values"] for row in small_run["rows"]}
    assert rows["import"]["files"] >= 250
    assert 0 < rows["rebuild_seconds"]["seconds"] < 120
    assert rows["rebuild_throughput"]["mbps"] > 0 and rows["rebuild_throughput"]["ratio"] > 0
    assert rows["rebuild_memory"]["mb"] > 20
    assert rows["rebuild_x4"]["files"] == 4 * rows["rebuild_x2"]["files"] // 2
    for archive in ("x1", "x2", "x4", "mixed"):
        for kind in ("search_http", "search_inproc"):
            for system in ("ratsarchiv", "fts5"):
                s = rows[f"{kind}_{archive}"][system]
                assert s["n"] == len(QUERIES)
                assert 0 < s["p50_ms"] <= s["p95_ms"] <= s["p99_ms"] < 10_000
        assert 20 < rows[f"server_rss_{archive}"]["rss_mb"] < 2000
    mixed, karlsruhe = rows["rebuild_mixed"], rows["import"]
    assert mixed["councils"] == 7 and mixed["files"] == karlsruhe["files"] + 7  # 6 + the seed
    assert 0 < rows["incremental"]["p50_s"] < 30
    assert 0 < rows["cold_cli"]["p50_s"] < 30 and 0 < rows["cold_serve"]["p50_s"] < 30
    assert small_run["machine"]["nproc"] >= 1


def test_percentiles_interpolate() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5], 99) == 5
    s = summarize([0.001 * n for n in range(1, 101)])
    assert s["p50_ms"] == 50.5 and s["p99_ms"] == 99.01 and s["n"] == 100


@pytest.mark.karlsruhe
@pytest.mark.slow
@pytest.mark.timeout(960)
def test_the_mixed_archive_finds_as_much_of_karlsruhe_as_karlsruhe_alone(small_run: dict) -> None:
    """Every query finds at least the papers it finds in Karlsruhe alone: the facet
    parameters reach Karlsruhe's committees, with the other councils' papers added."""
    alone = small_run["details"]["search_x1"]["totals"]
    mixed = small_run["details"]["search_mixed"]["totals"]
    assert set(mixed) == set(alone)
    fewer = {q: (alone[q]["ratsarchiv"], n["ratsarchiv"]) for q, n in mixed.items()
             if n["ratsarchiv"] < alone[q]["ratsarchiv"]}  # fmt: skip
    assert fewer == {}


def test_query_list_covers_every_kind() -> None:
    kinds = {q.kind for q in QUERIES}
    assert {"common", "word", "rare", "words", "phrase", "field", "facet"} <= kinds
    assert len(QUERIES) >= 50
    assert len({q.label for q in QUERIES}) == len(QUERIES)
