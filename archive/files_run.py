"""A run over the files of many papers: ``ratsarchiv files fetch`` and ``files extract``.

``run_files`` finds the papers to work on (the whole corpus, one council, or the paths
given) and hands each with files to a step (``archive.paper_files``) and adds up
what the steps report. A paper that cannot be read is one failure in the report; the
run goes on with the next.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from archive.corpus import read_motion
from archive.corpus_walk import walk_corpus, within_corpus
from archive.councils import council_layout
from archive.errors import ConfigError, CorpusError, CorpusErrors
from archive.files_report import FileOutcome, FilesReport
from archive.importers.corpus_writer import CorpusWriter
from archive.motion import Motion

PaperStep = Callable[[CorpusWriter, Path, Motion], FilesReport]
RunProgress = Callable[[int, int, FilesReport], None]
"""Called as ``progress(papers done, papers, report so far)``."""


def _paths(corpus: Path, paths: Iterable[Path], council: str | None) -> list[Path]:
    given = [Path(p) for p in paths]
    if not given:
        walk = walk_corpus(corpus)
        found = [Path(f.path) for f in walk.files]
    else:
        found = []
        for path in given:
            if not within_corpus(path, corpus):
                raise ConfigError(f"{path} is not inside the corpus {corpus}")
            if path.is_dir():
                found += [Path(f.path) for f in walk_corpus(path, root=corpus).files]
            else:
                found.append(path)
    if council is None:
        return found
    layout = council_layout(corpus)
    if council not in layout.keys:
        raise ConfigError(f"no council {council!r} in {corpus} (it has: {', '.join(layout.keys)})")
    return [p for p in found if layout.council_at(p) == council]


def _read(path: Path, council: str) -> tuple[Motion | None, str]:
    try:
        return read_motion(path, council), ""
    except CorpusErrors as exc:
        return None, "; ".join(str(e) for e in exc.errors[:3])
    except CorpusError as exc:
        return None, str(exc)


class _Serialised:
    """A ``CorpusWriter`` shared by the steps of parallel papers: one call at a time, and
    ``last_reason`` of this paper's own last call (one per paper, so never another's)."""

    def __init__(self, writer: CorpusWriter, lock: threading.Lock) -> None:
        self._writer = writer
        self._lock = lock
        self.last_reason: str | None = None
        self.corpus = writer.corpus
        self.layout = writer.layout

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._writer, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                result = method(*args, **kwargs)
                self.last_reason = self._writer.last_reason
                return result

        return call


def run_files(
    corpus: Path,
    step: PaperStep,
    *,
    verb: str,
    paths: Iterable[Path] = (),
    council: str | None = None,
    force: bool = False,
    jobs: int = 1,
    progress: RunProgress | None = None,
) -> FilesReport:
    """Run ``step`` on every paper with files, ``jobs`` papers at a time; the summed report."""
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise ConfigError(f"corpus directory {corpus} does not exist")
    chosen = _paths(corpus, paths, council)
    report = FilesReport(verb)
    lock = threading.Lock()
    with CorpusWriter(corpus, force=force) as writer:

        def one(path: Path) -> FilesReport:
            motion, problem = _read(path, writer.layout.council_at(path))
            if motion is None:
                failed = FilesReport(verb)
                failed.add(FileOutcome.FAILED, f"{path}: cannot read the paper: {problem}")
                return failed
            if not motion.files:
                return FilesReport(verb)
            shared = _Serialised(writer, lock) if jobs > 1 else writer
            return step(shared, path, motion)  # type: ignore[arg-type]

        with ThreadPoolExecutor(max(1, jobs)) as pool:
            for done, part in enumerate(pool.map(one, chosen), 1):
                report.merge(part)
                if progress:
                    progress(done, len(chosen), report)
    return report
