"""``ratsarchiv reindex`` and ``ratsarchiv search`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import write_motion
from archive.motion import Motion
from index.lock import reindex_lock

SHIPPED = Path(__file__).resolve().parents[1] / "corpus"


def run(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def shipped_index(tmp_path: Path) -> Path:
    index = tmp_path / "index"
    result = run("reindex", "--corpus", SHIPPED, "--index", index)
    assert result.exit_code == 0, result.output
    return index


def test_reindex_prints_a_summary(tmp_path: Path) -> None:
    index = tmp_path / "index"
    result = run("reindex", "--corpus", SHIPPED, "--index", index)
    assert result.exit_code == 0
    assert "(full rebuild):" in result.output and "0 skipped" in result.output
    again = run("reindex", "--corpus", SHIPPED, "--index", index)
    assert "(update): 0 added, 0 updated, 0 removed" in again.output
    full = run("reindex", "--full", "--corpus", SHIPPED, "--index", index)
    assert "gen-000002 (full rebuild)" in full.output


def test_skipped_files_are_listed_and_exit_1(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "2024").mkdir(parents=True)  # the layout before councils
    write_motion(Motion(reference="VO/2024/1", title="Gut", date="2024-01-01"), corpus)
    bad = corpus / "2024" / "kaputt.md"
    bad.write_text("---\nreference: VO/2024/2\ntitle: [nicht zu\n---\n", encoding="utf-8")
    result = run("reindex", "--corpus", corpus, "--index", tmp_path / "index")
    assert result.exit_code == 1
    assert "1 added" in result.output and "1 skipped" in result.output
    assert f"{bad}:3:" in result.output


def test_a_locked_index_is_refused_with_exit_1(tmp_path: Path) -> None:
    index = tmp_path / "index"
    with reindex_lock(index):
        result = run("reindex", "--corpus", SHIPPED, "--index", index)
    assert result.exit_code == 1
    assert "error: another reindex is running" in result.output
    assert "Traceback" not in result.output


def test_search_json_on_the_shipped_corpus(shipped_index: Path) -> None:
    result = run("search", "Quartier", "--json", "--index", shipped_index)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    shape = {"total", "page", "pages", "hits", "facets", "suggestion", "notice", "notices"}
    assert set(data) == shape
    seed = next(h for h in data["hits"] if h["reference"] == "VO/2024/12903-01")
    assert seed["url"] == f"/{seed['council']}/motions/vo-2024-12903-01"
    assert seed["council_name"]
    assert "<mark>" in seed["snippet_html"]
    committees = {v["name"]: v["count"] for v in data["facets"]["committee"]}
    assert committees["Ausschuss für Soziales"] >= 1
    votes = {v["value"]: v["count"] for v in data["facets"]["votes"]}
    assert votes["knapp"] >= 1  # the seed: 7 yes, 8 no


def test_search_table_facets_and_sort(shipped_index: Path) -> None:
    result = run(
        "search", "Quartiere", "stärken", "--facet", "type=Antrag", "--sort", "newest",
        "--index", shipped_index,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Treffer für „Quartiere stärken“" in result.output
    assert "VO/2024/12903-01" in result.output
    (types,) = [line for line in result.output.splitlines() if line.startswith("Art: ")]
    assert "Antrag (" in types
    bad = run("search", "x", "--facet", "colour=red", "--index", shipped_index)
    assert bad.exit_code == 1 and "error: unknown facet 'colour'" in bad.output
    malformed = run("search", "--facet", "type", "--index", shipped_index)
    assert malformed.exit_code == 2 and "NAME=VALUE" in malformed.output


def test_search_without_an_index_says_how_to_build_it(tmp_path: Path) -> None:
    result = run("search", "Quartier", "--index", tmp_path / "none")
    assert result.exit_code == 1
    assert "ratsarchiv reindex" in result.output
