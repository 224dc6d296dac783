"""Helpers for the fault, load and hostile-input tests: real ``ratsarchiv`` subprocesses.

Nothing here stands in for our own code: commands run as an operator runs them, in a
subprocess, on real Karlsruhe papers and Auszug texts derived from the real seed.
``benchmarks/soak.py`` uses the same helpers for the long variants.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from realdata import HAMBURG, KARLSRUHE, REPO, SEED, require

_SCRIPT = Path(sys.executable).with_name("ratsarchiv")
RATSARCHIV = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "archive.cli"]


def env(**extra: str) -> dict[str, str]:
    """The environment of a ``ratsarchiv`` subprocess (no corpus/index from the caller's)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("RATSARCHIV_")}
    return {**base, "PYTHONUNBUFFERED": "1", **extra}


def run(*args: str | Path, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """Run ``ratsarchiv ARGS`` to the end; stdout and stderr as text."""
    return subprocess.run(
        [*RATSARCHIV, *map(str, args)],
        cwd=kwargs.pop("cwd", REPO),
        env=kwargs.pop("env", env()),
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def start(*args: str | Path, **kwargs) -> subprocess.Popen:
    """Start ``ratsarchiv ARGS`` in the background (its output goes to /dev/null)."""
    return subprocess.Popen(
        [*RATSARCHIV, *map(str, args)],
        cwd=kwargs.pop("cwd", REPO),
        env=kwargs.pop("env", env()),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **kwargs,
    )


def no_traceback(result: subprocess.CompletedProcess) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert not re.search(r"^\s+File \"", output, re.MULTILINE), output


# -- inputs ---------------------------------------------------------------------------------


def oparl_args(limit: int) -> list[str]:
    """``import oparl`` arguments for the first ``limit`` papers of the Karlsruhe dump."""
    return [
        "import", "oparl", str(KARLSRUHE / "papers.jsonl.gz"),
        "--meetings", str(KARLSRUHE / "meetings.jsonl.gz"),
        "--organizations", str(KARLSRUHE / "organizations.json"),
        "--limit", str(limit),
    ]  # fmt: skip


def import_karlsruhe(corpus: Path, limit: int, timeout: float = 600) -> Path:
    """A corpus of the first ``limit`` Karlsruhe papers, imported by ``ratsarchiv``."""
    require()
    result = run(*oparl_args(limit), "--corpus", corpus, timeout=timeout)
    assert result.returncode == 0, result.stderr[-2000:]
    return corpus


_PAPER_LINE = re.compile(r"^VO/2024/12903-01 ", re.MULTILINE)


def auszug_variants(target: Path, count: int) -> list[Path]:
    """``count`` Auszug texts: the real seed, each under another paper number and title."""
    require()
    seed = SEED.read_text(encoding="utf-8")
    assert _PAPER_LINE.search(seed), "the seed's paper line changed"
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        number = 30000 + i
        text = _PAPER_LINE.sub(f"VO/2024/{number} ", seed)
        text = text.replace("Lebenswelten gestalten", f"Lebenswelten gestalten {number}")
        path = target / f"auszug-{number}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def allris_html_variants(target: Path, count: int) -> list[Path]:
    """``count`` ALLRIS Drucksache pages (vo020): a real Hamburg page under other numbers."""
    require()
    page = (HAMBURG / "hamburg_mitte" / "vo020.html").read_bytes()
    assert b"23-1862" in page, "the Hamburg page's paper number changed"
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        path = target / f"vo020-{i}.html"
        path.write_bytes(page.replace(b"23-1862", f"23-{5000 + i}".encode("ascii")))
        files.append(path)
    return files


# -- corpus state ---------------------------------------------------------------------------


def snapshot(corpus: Path) -> dict[str, bytes]:
    """Relative path → bytes of every file under ``corpus`` (motions, state files, temps)."""
    if not corpus.exists():
        return {}
    return {
        p.relative_to(corpus).as_posix(): p.read_bytes()
        for p in sorted(corpus.rglob("*"))
        if p.is_file()
    }


def motion_problems(corpus: Path, before: dict[str, bytes]) -> list[str]:
    """Motion files that neither parse nor equal their bytes in ``before``."""
    from archive.corpus import iter_motion_files, read_motion
    from archive.errors import CorpusErrors

    problems = []
    if not corpus.exists():
        return problems
    for path in iter_motion_files(corpus):
        rel = path.relative_to(corpus).as_posix()
        try:
            read_motion(path)
        except CorpusErrors as exc:
            if before.get(rel) != path.read_bytes():
                problems.append(f"{rel}: {exc}")
    return problems


def leftovers(corpus: Path) -> list[str]:
    """Temporary files of interrupted writes (``.<name>.<random>.tmp``) under ``corpus``."""
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob(".*.tmp"))


# -- killing --------------------------------------------------------------------------------


@dataclass
class KillRun:
    """What one run of ``kill_repeatedly`` saw."""

    kills: int = 0
    finished_before_kill: int = 0
    delays: list[float] = field(default_factory=list)


def timed(args: Sequence[str | Path]) -> float:
    """Seconds one uninterrupted run of ``ratsarchiv ARGS`` takes (it must succeed)."""
    started = time.monotonic()
    result = run(*args, timeout=600)
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]
    return time.monotonic() - started


def kill_repeatedly(
    args: Sequence[str | Path],
    *,
    times: int,
    longest: float,
    seed: int,
    after_each: Callable[[int], None] | None = None,
) -> KillRun:
    """Start ``ratsarchiv ARGS`` ``times`` times, SIGKILL each after a random delay.

    Delays are uniform in ``[0.05, longest]`` (seeded), so kills land in start-up,
    reading, writing and committing alike. A run that finishes before its kill shortens
    ``longest`` to its own length (an import that resumes has less left to do).
    ``after_each(i)`` checks the state between runs, while nothing is running.
    """
    rng = random.Random(seed)
    seen = KillRun()
    for i in range(times):
        delay = rng.uniform(0.05, longest)
        seen.delays.append(delay)
        started = time.monotonic()
        process = start(*args)
        try:
            process.wait(timeout=delay)
            seen.finished_before_kill += 1
            longest = max(0.1, min(longest, time.monotonic() - started))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            seen.kills += 1
        if after_each:
            after_each(i)
    return seen
