"""Scratch corpora for the speed benchmark: the imported Karlsruhe dump, its 2×/4× copies
and the mixed archive of several councils.

Everything lives in a work directory outside the repository. A corpus is reused while its
stamp (source file, paper count, importer code) still matches, so a second run skips the
import. Scaled corpora hard-link the 1× files and add copies whose references carry a
suffix (``2013/0295`` → ``2013/0295-x2``), so a 4× corpus has four distinct motions per paper.
The mixed archive holds the 1× files (hard links) as council ``karlsruhe`` beside Lübeck's
seed and the five Hamburg districts, each its own council, imported as ``make corpus`` does.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from archive.corpus import (
    iter_council_files,
    iter_motion_files,
    path_for,
    read_motion,
    render_motion,
    write_atomic,
)
from archive.councils import ARCHIVE_FILE, council_layout, ensure_council
from archive.errors import CorpusErrors
from archive.importers.corpus_writer import Outcome
from archive.meeting_files import iter_meeting_files
from benchmarks.harness import Measured, bin_path, measure, write_json
from tools import make_corpus

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "oparl-karlsruhe"
PAPERS = DATA / "papers.jsonl.gz"
MEETINGS = DATA / "meetings.jsonl.gz"
ORGANIZATIONS = DATA / "organizations.json"
IMPORTER_CODE = ("archive/importers", "archive/commands/import_oparl.py", "archive/corpus.py")
MIXED_CODE = (*IMPORTER_CODE, "archive/councils.py", "tools/make_corpus.py")
MIXED_KARLSRUHE = "karlsruhe"


def code_digest(paths: Iterable[str]) -> str:
    """A digest of the named source files and folders of the repository."""
    digest = hashlib.sha256()
    for rel in paths:
        target = REPO / rel
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for file in files:
            if file.exists():
                digest.update(file.relative_to(REPO).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _stamp_ok(stamp_file: Path, stamp: dict) -> bool:
    try:
        return json.loads(stamp_file.read_text(encoding="utf-8")) == stamp
    except (OSError, ValueError):
        return False


def papers_file(workdir: Path, papers: int | None) -> Path:
    """The dump itself, or a file with its first ``papers`` lines (made once)."""
    if papers is None:
        return PAPERS
    subset = workdir / f"papers-{papers}.jsonl.gz"
    if not subset.exists():
        tmp = subset.with_suffix(".tmp")
        with (
            gzip.open(PAPERS, "rt", encoding="utf-8") as src,
            gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as dst,
        ):
            for n, line in enumerate(src):
                if n >= papers:
                    break
                dst.write(line)
        os.replace(tmp, subset)
    return subset


def imported_corpus(
    workdir: Path, papers: int | None, *, skip: bool = False
) -> tuple[Path, Measured | None]:
    """The 1× corpus, imported with ``ratsarchiv import oparl`` unless an up-to-date one exists."""
    corpus = workdir / "corpus-x1"
    source = papers_file(workdir, papers)
    stamp = {
        "papers": str(source),
        "bytes": source.stat().st_size,
        "limit": papers,
        "importer": code_digest(IMPORTER_CODE),
    }
    stamp_file = workdir / "corpus-x1.stamp.json"
    if corpus.is_dir() and (skip or _stamp_ok(stamp_file, stamp)):
        return corpus, None
    shutil.rmtree(corpus, ignore_errors=True)
    stamp_file.unlink(missing_ok=True)
    corpus.mkdir(parents=True)
    cmd = [
        bin_path("ratsarchiv"), "import", "oparl", str(source),
        "--meetings", str(MEETINGS), "--organizations", str(ORGANIZATIONS),
        "--corpus", str(corpus),
    ]  # fmt: skip
    result = measure(cmd, timeout=7200).check("ratsarchiv import oparl")
    write_json(stamp_file, stamp)
    return corpus, result


def base_stamp(workdir: Path) -> str:
    """The stamp of the 1× corpus ("" when it was reused without one: ``--skip-import``)."""
    try:
        return (workdir / "corpus-x1.stamp.json").read_text(encoding="utf-8")
    except OSError:
        return ""


def scaled_corpus(workdir: Path, base: Path, factor: int) -> Path:
    """``factor`` × the base corpus: its files (hard links) plus renamed copies."""
    if factor == 1:
        return base
    target = workdir / f"corpus-x{factor}"
    stamp = {"base": base_stamp(workdir), "factor": factor}
    stamp_file = workdir / f"corpus-x{factor}.stamp.json"
    if target.is_dir() and _stamp_ok(stamp_file, stamp):
        return target
    shutil.rmtree(target, ignore_errors=True)
    stamp_file.unlink(missing_ok=True)
    for copy in range(2, factor + 1):
        _copies(workdir, base, copy)
    _link_tree(base, target)
    for copy in range(2, factor + 1):
        _link_tree(workdir / f"copies-x{copy}", target)
    write_json(stamp_file, stamp)
    return target


def _copies(workdir: Path, base: Path, copy: int) -> Path:
    """The base corpus with every reference suffixed ``-x<copy>`` (made once per base import)."""
    out = workdir / f"copies-x{copy}"
    stamp = base_stamp(workdir)
    stamp_file = workdir / f"copies-x{copy}.stamp.json"
    if out.is_dir() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return out
    shutil.rmtree(out, ignore_errors=True)
    for path in iter_motion_files(base):
        try:
            motion = read_motion(path)
        except CorpusErrors:
            continue
        twin = dataclasses.replace(motion, reference=f"{motion.reference}-x{copy}")
        dest = path_for(twin, out)  # a plain write: scratch copies need no fsync
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(render_motion(twin), encoding="utf-8")
    stamp_file.write_text(stamp)
    return out


def mixed_corpus(workdir: Path, base: Path) -> Path:
    """Karlsruhe (the 1× corpus's files, hard-linked into council ``karlsruhe``: the bytes
    ``import oparl --council karlsruhe`` writes, as the key is in no file), Lübeck's seed and
    the five Hamburg districts, each a council of its own (``tools/make_corpus.py``)."""
    target = workdir / "corpus-mixed"
    stamp = {"base": base_stamp(workdir), "code": code_digest(MIXED_CODE)}
    stamp_file = workdir / "corpus-mixed.stamp.json"
    if target.is_dir() and _stamp_ok(stamp_file, stamp):
        return target
    shutil.rmtree(target, ignore_errors=True)
    stamp_file.unlink(missing_ok=True)
    target.mkdir(parents=True)
    write_atomic(target / ARCHIVE_FILE, f"default_council: {make_corpus.DEFAULT_COUNCIL}\n")
    for council in make_corpus.COUNCILS:
        ensure_council(target, council)
    layout = council_layout(base)
    karlsruhe = council_layout(target).folder(MIXED_KARLSRUHE)
    for path, council in [*iter_council_files(base, layout), *iter_meeting_files(base, layout)]:
        dest = karlsruhe / path.relative_to(layout.folder(council))  # papers and meetings
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, dest)
    shared = DATA.parent
    reports = [make_corpus.import_luebeck(shared, target)]
    for key in make_corpus.HAMBURG_FOLDERS:
        reports.append(make_corpus.import_hamburg(shared, target, key))
    conflicts = [r.problems for r in reports if r.counts[Outcome.CONFLICT]]
    if conflicts:
        raise RuntimeError(f"mixed archive: an import conflicted: {conflicts}")
    write_json(stamp_file, stamp)
    return target


def _link_tree(source: Path, target: Path) -> None:
    for path in iter_motion_files(source):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, dest)


def corpus_stats(corpus: Path) -> dict[str, float]:
    files = list(iter_motion_files(corpus))
    size = sum(p.stat().st_size for p in files)
    councils = len(council_layout(corpus).folders)
    return {"files": len(files), "mb": round(size / 1e6, 2), "councils": councils}
