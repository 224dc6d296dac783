"""Broken and hostile corpus files: a clean ``path:line: message`` from check AND reindex.

Each file below is one way an archivist (or a bad sync, a full disk, a prankster) can break
a motion file. ``ratsarchiv check`` must name the file and line with a reason, without a
traceback; ``ratsarchiv reindex`` must skip exactly these files with the same kind of line,
and index and serve the rest of the corpus.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from faultkit import no_traceback, run

from archive.corpus import write_motion
from archive.motion import Consultation, Motion

REPO = Path(__file__).resolve().parents[1]
SEED_FILE = REPO / "corpus" / "luebeck" / "2024" / "vo-2024-12903-01.md"

# Good motions, each findable by one made-up word that no other file holds.
GOOD_WORDS = {
    "vo-2024-12903-01": "Sozialraumorientierung",
    "vo-2024-50001": "Wasserspielplatz",
    "vo-2024-50002": "Fledermauskästen",
    "vo-2024-50003": "Trinkbrunnen",
}


def _seed(reference: str) -> str:
    text = SEED_FILE.read_text(encoding="utf-8")
    return text.replace("reference: VO/2024/12903-01", f"reference: {reference}", 1)


def _alias_bomb() -> str:
    lines = ["---", "reference: VO/2024/60004", 'title: &a ["lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijk":
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
        previous = name
    return "\n".join([*lines, "---", "", "Milliarden Lacher", ""])


def _hostile_files() -> dict[str, tuple[bytes, int, str]]:
    """File name → (content, expected line, words the message must contain)."""
    seed = _seed("VO/2024/60001")
    cut = seed.index("date: '2024-05-07'") + len("date: '2024-0")
    broken_utf8 = (
        _seed("VO/2024/60002").encode("utf-8").replace(b"Lebenswelten", b"Leben\xffwelten")
    )
    return {
        "truncated.md": (seed[:cut].encode("utf-8"), 1, "not closed"),
        "invalid-utf8.md": (broken_utf8, 3, "UTF-8"),
        "bom.md": (b"\xef\xbb\xbf" + _seed("VO/2024/60003").encode("utf-8"), 1, "BOM"),
        "alias-bomb.md": (_alias_bomb().encode("utf-8"), 3, "aliases"),
        "huge-body.md": (
            (_seed("VO/2024/60005") + "Endlostext " * 4_600_000).encode("utf-8"),
            1,
            "MB",
        ),
        "binary.md": (bytes(range(256)) * 64, 1, "binary"),
        "duplicate.md": (SEED_FILE.read_bytes(), 2, "VO/2024/12903-01"),
        "deep-nesting.md": (
            b"---\nreference: VO/2024/60006\ntitle: Tief\nsponsors: "
            + b"[" * 5000
            + b"]" * 5000
            + b"\n---\n",
            4,
            "nested",
        ),
        "python-tag.md": (
            b"---\nreference: !!python/object/apply:os.system ['echo owned']\ntitle: x\n---\n",
            2,
            "tag",
        ),
        "empty.md": (b"", 1, "front matter"),
    }


HOSTILE = _hostile_files()


def _good_motions() -> list[Motion]:
    def motion(number: int, title: str) -> Motion:
        return Motion(
            reference=f"VO/2024/{number}",
            title=title,
            type="Antrag",
            sponsors=["CDU"],
            date="2024-06-01",
            consultations=[
                Consultation(
                    committee="Bauausschuss", date="2024-06-10", agenda_item="Ö 3", result="vertagt"
                )
            ],
            resolution=f"Die Verwaltung prüft {title}.",
        )

    return [
        motion(50001, "Wasserspielplatz im Stadtpark"),
        motion(50002, "Fledermauskästen an Schulen"),
        motion(50003, "Trinkbrunnen in der Innenstadt"),
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    (root / "2024").mkdir(parents=True)
    shutil.copyfile(SEED_FILE, root / "2024" / SEED_FILE.name)
    for motion in _good_motions():
        write_motion(motion, root)
    for name, (content, _, _) in HOSTILE.items():
        (root / "2024" / name).write_bytes(content)
    return root


@pytest.fixture(scope="module")
def checked(corpus: Path):
    started = time.monotonic()
    result = run("check", "--corpus", corpus)
    return result, time.monotonic() - started


@pytest.fixture(scope="module")
def reindexed(corpus: Path):
    index = corpus.parent / "index"
    started = time.monotonic()
    result = run("reindex", "--full", "--corpus", corpus, "--index", index)
    return result, index, time.monotonic() - started


def _lines_for(output: str, name: str) -> list[tuple[int, str]]:
    pattern = re.compile(rf"^\s*\S*{re.escape(name)}:(\d+): (.+)$", re.MULTILINE)
    return [(int(m[1]), m[2]) for m in pattern.finditer(output)]


def test_check_fails_without_traceback_and_in_time(checked) -> None:
    result, seconds = checked
    no_traceback(result)
    assert result.returncode == 1
    assert seconds < 20


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_check_names_file_line_and_reason(checked, name: str) -> None:
    result, _ = checked
    _, line, words = HOSTILE[name]
    found = _lines_for(result.stdout, name)
    assert found, f"check said nothing about {name}:\n{result.stdout[-3000:]}"
    assert any(n == line and words in message for n, message in found), found


def test_check_leaves_good_files_alone(checked) -> None:
    result, _ = checked
    for slug in GOOD_WORDS:
        assert not [
            m for _, m in _lines_for(result.stdout, f"{slug}.md") if "(warning)" not in m
        ], result.stdout


def test_reindex_skips_without_traceback_and_in_time(reindexed) -> None:
    result, index, seconds = reindexed
    no_traceback(result)
    assert (index / "CURRENT").is_file(), result.stdout + result.stderr
    assert seconds < 30


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_reindex_names_skipped_file_line_and_reason(reindexed, name: str) -> None:
    result, _, _ = reindexed
    _, line, words = HOSTILE[name]
    found = _lines_for(result.stdout + result.stderr, name)
    assert found, f"reindex said nothing about {name}:\n{result.stdout}\n{result.stderr}"
    assert any(n == line and words in message for n, message in found), found


def test_check_and_reindex_blame_the_same_duplicate(checked, reindexed) -> None:
    """The file named after the reference owns it; both commands point at the other one."""
    check_output = checked[0].stdout
    reindex_output = reindexed[0].stdout + reindexed[0].stderr
    for output in (check_output, reindex_output):
        assert _lines_for(output, "duplicate.md"), output
        assert not _lines_for(output, SEED_FILE.name), output


@pytest.mark.parametrize("slug", sorted(GOOD_WORDS))
def test_rest_of_corpus_is_indexed_and_searchable(reindexed, slug: str) -> None:
    _result, index, _ = reindexed
    found = run("search", "--json", "--index", index, GOOD_WORDS[slug])
    no_traceback(found)
    assert found.returncode == 0, found.stderr
    hits = [hit["slug"] for hit in json.loads(found.stdout)["hits"]]
    assert hits == [slug]


def test_only_good_files_are_indexed(reindexed) -> None:
    _, index, _ = reindexed
    found = run("search", "--json", "--index", index, "")
    assert json.loads(found.stdout)["total"] == len(GOOD_WORDS)


def test_incremental_reindex_keeps_last_good_version_of_a_file_broken_later(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "2024").mkdir(parents=True)  # the layout before councils
    for motion in _good_motions():
        write_motion(motion, corpus)
    index = tmp_path / "index"
    assert run("reindex", "--corpus", corpus, "--index", index).returncode == 0
    path = next(corpus.rglob("2024/vo-2024-50001.md"))  # in the new corpus's default council
    path.write_bytes(path.read_bytes()[:40])  # truncated by a crashed editor
    result = run("reindex", "--corpus", corpus, "--index", index)
    no_traceback(result)
    assert _lines_for(result.stdout + result.stderr, "vo-2024-50001.md")
    found = run("search", "--json", "--index", index, "Wasserspielplatz")
    assert [hit["slug"] for hit in json.loads(found.stdout)["hits"]] == ["vo-2024-50001"]
