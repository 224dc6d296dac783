"""``ratsarchiv migrate --council KEY``: a corpus from before councils moves into KEY/."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.corpus import iter_council_files, render_motion
from archive.motion import Consultation, Motion

REPO = Path(__file__).resolve().parents[1]
RATSARCHIV = REPO / ".venv" / "bin" / "ratsarchiv"


def paper(number: int, year: str = "2024") -> Motion:
    return Motion(
        reference=f"VO/{year}/{number:05d}",
        title=f"Radweg an der Straße {number}",
        type="Anfrage",
        date=f"{year}-03-01",
        consultations=[Consultation(committee="Bauausschuss", date=f"{year}-03-12")],
    )


def legacy_corpus(root: Path, papers: int = 3) -> Path:
    """A corpus in the layout before councils: ``<corpus>/<year>/<slug>.md``."""
    for i in range(papers):
        motion = paper(i, "2023" if i % 3 == 0 else "2024")
        path = root / motion.year / f"{motion.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_motion(motion), encoding="utf-8")
    (root / "_vocabulary.yml").write_text("committees:\n  Bauausschuss: [BA]\n", encoding="utf-8")
    return root


def snapshot(corpus: Path) -> dict[str, bytes]:
    """Every file below ``corpus`` (relative path → bytes), hidden ones included."""
    return {
        p.relative_to(corpus).as_posix(): p.read_bytes()
        for p in sorted(corpus.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(corpus).parts
    }


def moved(before: dict[str, bytes], key: str, kept: tuple[str, ...] = ()) -> dict[str, bytes]:
    """What ``before`` looks like after the migration: papers under ``key``/."""
    after = {}
    for name, data in before.items():
        stays = name.startswith(("_", ".")) or name in kept
        after[name if stays else f"{key}/{name}"] = data
    return after


def migrate(corpus: Path, *args: str):
    return CliRunner().invoke(main, ["migrate", "--corpus", str(corpus), *args])


def test_dry_run_lists_the_plan_and_changes_nothing(tmp_path: Path) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")
    before = snapshot(corpus)
    result = migrate(corpus, "--council", "luebeck", "--council-name", "Hansestadt Lübeck")
    assert result.exit_code == 0, result.output
    assert snapshot(corpus) == before
    assert result.output.splitlines() == [
        f"set default_council: luebeck in {corpus / '_archive.yml'}",
        f"create {corpus / 'luebeck' / '_council.yml'}",
        *(
            f"move {corpus / name} -> {corpus / 'luebeck' / name}"
            for name in before
            if name[0] != "_"
        ),
        f"dry run: 3 files to move into {corpus / 'luebeck'}; nothing changed (--apply does it)",
    ]


def test_apply_moves_every_file_unchanged_and_a_second_run_has_nothing_to_do(
    tmp_path: Path,
) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")
    before = snapshot(corpus)
    result = migrate(
        corpus, "--council", "luebeck", "--council-name", "Hansestadt Lübeck", "--apply"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for name in before:
        if not name.startswith("_"):
            assert f"moved {corpus / name} -> {corpus / 'luebeck' / name}" in lines
    assert lines[-1] == f"moved 3 files into {corpus / 'luebeck'}"
    after = snapshot(corpus)
    snapshot_after = dict(after)
    assert after.pop("luebeck/_council.yml") == "name: Hansestadt Lübeck\n".encode()
    assert after.pop("_archive.yml") == b"default_council: luebeck\n"
    assert after == moved(before, "luebeck")  # the vocabulary stays archive-wide at the root
    assert sorted(p.name for p in corpus.iterdir()) == [
        "_archive.yml",
        "_vocabulary.yml",
        "luebeck",
    ]
    assert {council for _, council in iter_council_files(corpus)} == {"luebeck"}

    again = migrate(corpus, "--council", "luebeck", "--apply")
    assert again.exit_code == 0
    assert again.output == f"nothing to move: {corpus} has no files outside council folders\n"
    assert snapshot(corpus) == snapshot_after


def test_the_root_council_description_moves_with_its_papers(tmp_path: Path) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")
    description = "name: Hansestadt Lübeck\nshort_name: Lübeck\nkind: Stadt\n# von Hand\n"
    (corpus / "_council.yml").write_text(description, encoding="utf-8")
    result = migrate(corpus, "--council", "luebeck", "--apply")
    assert result.exit_code == 0, result.output
    assert f"moved {corpus / '_council.yml'} -> {corpus / 'luebeck' / '_council.yml'}" in (
        result.output.splitlines()
    )
    assert not (corpus / "_council.yml").exists()
    assert (corpus / "luebeck" / "_council.yml").read_text(encoding="utf-8") == description


def test_a_legacy_corpus_is_the_default_council_without_edits(tmp_path: Path) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")
    checked = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("checked 3 files: 0 problems")
    assert {council for _, council in iter_council_files(corpus)} == {"default"}
    (corpus / "_archive.yml").write_text("default_council: luebeck\n", encoding="utf-8")
    assert {council for _, council in iter_council_files(corpus)} == {"luebeck"}
    migrate(corpus, "--council", "luebeck", "--apply")
    checked = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("checked 3 files: 0 problems")


def test_another_configured_default_council_is_refused(tmp_path: Path) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")
    (corpus / "_archive.yml").write_text("default_council: luebeck\n", encoding="utf-8")
    before = snapshot(corpus)
    result = migrate(corpus, "--council", "kiel", "--apply")
    assert result.exit_code == 1
    assert result.output == (
        f"error: {corpus / '_archive.yml'} names 'luebeck' as the default council; "
        "'migrate --council luebeck' keeps its papers' identity (their URLs)\n"
    )
    assert snapshot(corpus) == before


@pytest.mark.parametrize("key", ["Lübeck", "2024", "api"])
def test_an_invalid_key_is_refused(tmp_path: Path, key: str) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")
    result = migrate(corpus, "--council", key)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: invalid council key {key!r}")


def test_a_taken_place_is_a_conflict_and_nothing_is_lost(tmp_path: Path) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")
    ours = corpus / "2024" / "vo-2024-00001.md"
    theirs = corpus / "luebeck" / "2024" / "vo-2024-00001.md"
    theirs.parent.mkdir(parents=True)
    theirs.write_text(render_motion(paper(1)).replace("Radweg", "Fußweg"), encoding="utf-8")
    copy = corpus / "luebeck" / "2024" / "vo-2024-00002.md"
    copy.write_bytes((corpus / "2024" / "vo-2024-00002.md").read_bytes())
    before = snapshot(corpus)
    result = migrate(corpus, "--council", "luebeck", "--apply")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"conflict: {ours} stays where it is, {theirs} holds other bytes" in lines
    assert f"removed {corpus / '2024' / 'vo-2024-00002.md'} (the same bytes are at {copy})" in lines
    assert lines[-1] == f"moved 1 file into {corpus / 'luebeck'}; 1 left where they are"
    assert ours.read_bytes() == before["2024/vo-2024-00001.md"]
    assert theirs.read_bytes() == before["luebeck/2024/vo-2024-00001.md"]
    again = migrate(corpus, "--council", "luebeck", "--apply")
    assert again.exit_code == 1
    assert again.output.splitlines()[-1] == (
        f"conflict: {ours} stays where it is, {theirs} holds other bytes"
    )


def test_git_sees_renames(tmp_path: Path) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")

    def git(*args: str) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org",
               "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.org"}  # fmt: skip
        done = subprocess.run(
            ["git", "-C", str(corpus), *args], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "papers")
    result = migrate(corpus, "--council", "luebeck", "--apply")
    assert result.exit_code == 0, result.output
    git("add", "-A")
    status = git("status", "--porcelain").splitlines()
    papers = [line for line in status if ".md" in line]
    assert len(papers) == 3
    assert all(line.startswith("R  ") for line in papers), status
    assert "R  2024/vo-2024-00001.md -> luebeck/2024/vo-2024-00001.md" in papers
    git("commit", "-q", "-m", "migrate")
    log = git("log", "--follow", "--format=%s", "--", "luebeck/2024/vo-2024-00001.md")
    assert log.splitlines() == ["migrate", "papers"]


def test_the_import_state_follows_the_files(tmp_path: Path, seed_path: Path) -> None:
    corpus = legacy_corpus(tmp_path / "corpus", papers=1)  # one paper of 2023
    imported = CliRunner().invoke(
        main, ["import", "allris", str(seed_path), "--corpus", str(corpus)]
    )
    assert imported.exit_code == 0, imported.output
    with (corpus / ".import-state.log").open("a", encoding="utf-8") as journal:
        journal.write(json.dumps(["2024/spaeter.md", "abc"]) + "\n")  # a killed import's record
    (corpus / "2024" / "spaeter.md").write_bytes(b"---\n")
    result = migrate(corpus, "--council", "luebeck", "--apply")
    # the seed's paper and its item's meeting, and the killed import's record
    assert f"re-keyed 3 records of {corpus / '.import-state.json'}" in result.output.splitlines()
    state = json.loads((corpus / ".import-state.json").read_text(encoding="utf-8"))
    assert set(state) == {
        "luebeck/2024/vo-2024-12903-01.md",
        "luebeck/meetings/2024-05-07-ausschuss-fuer-soziales.md",
    }
    journal = (corpus / ".import-state.log").read_text(encoding="utf-8")
    assert journal == '["luebeck/2024/spaeter.md", "abc"]\n'  # the next import folds it in
    again = CliRunner().invoke(main, ["import", "allris", str(seed_path), "--corpus", str(corpus)])
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 1 unchanged, 0 conflicts, 0 skipped" in again.output
    assert sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.md")) == [
        "luebeck/2023/vo-2023-00000.md",
        "luebeck/2024/spaeter.md",
        "luebeck/2024/vo-2024-12903-01.md",
        "luebeck/meetings/2024-05-07-ausschuss-fuer-soziales.md",
    ]


def test_killed_halfway_a_second_run_completes_it(tmp_path: Path) -> None:
    """A real ``ratsarchiv migrate`` killed with SIGKILL while it moves 1,500 files.

    The test reads a few lines of its output and then stops reading: the command blocks
    once the pipe is full, part of the way through, and is killed there.
    """
    corpus = legacy_corpus(tmp_path / "corpus", papers=1500)
    before = snapshot(corpus)
    command = [
        str(RATSARCHIV),
        "migrate",
        "--council",
        "luebeck",
        "--apply",
        "--corpus",
        str(corpus),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    first = [process.stdout.readline() for _ in range(20)]
    assert all(line.startswith(b"moved ") for line in first[2:])
    time.sleep(1.0)  # it fills the pipe and waits there
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    halfway = snapshot(corpus)
    under = [n for n in halfway if n.startswith("luebeck/") and n.endswith(".md")]
    assert 18 <= len(under) < 1500
    assert len([n for n in halfway if n.endswith(".md")]) == 1500  # each file here or there

    second = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert second.returncode == 0, second.stderr
    moved_lines = [line for line in second.stdout.splitlines() if line.startswith("moved /")]
    assert len(moved_lines) == 1500 - len(under)
    after = snapshot(corpus)
    after.pop("luebeck/_council.yml")
    after.pop("_archive.yml")
    assert after == moved(before, "luebeck")

    third = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert third.stdout == f"nothing to move: {corpus} has no files outside council folders\n"
    checked = CliRunner().invoke(main, ["check", "--corpus", str(corpus)])
    assert checked.output.startswith("checked 1500 files: 0 problems"), checked.output[:500]


_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_root_file_access() -> None:
    """In the child before exec: drop the capabilities that let root read any folder."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _migrate_as_a_user(corpus: Path, *args: str) -> tuple[int, str]:
    """``ratsarchiv migrate`` as the user running the tests — for root (as in CI), in a
    process without the capabilities that let root read a folder whose mode forbids it."""
    if os.geteuid() != 0:
        result = migrate(corpus, *args)
        return result.exit_code, result.output
    command = [sys.executable, "-m", "archive.cli", "migrate", "--corpus", str(corpus), *args]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=_without_root_file_access,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def test_an_unreadable_folder_stops_the_plan_before_anything_moves(tmp_path: Path) -> None:
    corpus = legacy_corpus(tmp_path / "corpus")
    locked = corpus / "2024" / "entwuerfe"
    locked.mkdir()
    locked.chmod(0)
    try:
        before = snapshot(corpus / "2023")
        code, output = _migrate_as_a_user(corpus, "--council", "luebeck", "--apply")
        assert code == 1, output
        assert output.startswith(f"error: cannot read {locked}: Permission denied"), output
        assert snapshot(corpus / "2023") == before
    finally:
        locked.chmod(0o755)
