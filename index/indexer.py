"""``reindex``: build or update the search index from the corpus (the entry point).

``reindex(corpus, index_dir)`` updates the live generation in place
(``index.incremental``); ``reindex(..., full=True)`` builds a new generation from scratch
beside the live one and then swaps it in (``index.full_build``; two worker processes for
big corpora, ``index.build_workers``). A first run, or an index of another
``SCHEMA_VERSION``, is always a full build. The index directory's layout, its
generations and their manifests are ``index.generations``.

Non-public motions are never indexed; non-public consultations are dropped first
(``index.documents``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import ConfigError
from archive.vocabulary import Vocabulary
from index.generations import clean_leftovers, live_generation, read_meta
from index.incremental import incremental_update
from index.lock import reindex_lock
from index.schema import SCHEMA_VERSION

BuildProgress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are read and indexed."""


@dataclass
class ReindexReport:
    """What a reindex did; ``skipped`` lists ``path:line: reason`` for every file left out,
    ``warnings`` the links the corpus walk did not follow (``archive.corpus_walk``)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    private: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    full: bool = False
    generation: str = ""
    documents: int = 0
    meetings: int = 0
    """Meeting files in the generation's catalog (``index.meeting_catalog``)."""
    organizations: int = 0
    """Organisation files in the generation's catalog (``index.organization_catalog``)."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skipped


def reindex(
    corpus: Path,
    index_dir: Path,
    full: bool = False,
    progress: BuildProgress | None = None,
    procs: int | None = None,
) -> ReindexReport:
    """Bring the index in ``index_dir`` up to date with ``corpus`` (or rebuild it: ``full``).

    Raises ``IndexLockedError`` when another reindex holds the lock, ``ConfigError`` when
    the corpus is missing. Broken files are reported in ``skipped``, never fatal.
    ``procs`` forces the number of indexing processes of a full build (default: automatic).
    """
    started = time.monotonic()
    report = ReindexReport()
    if not corpus.is_dir():
        raise ConfigError(f"corpus directory {corpus} does not exist")
    with reindex_lock(index_dir):
        vocabulary = Vocabulary.load(corpus)  # canonical names; a broken file stops here
        try:
            live = live_generation(index_dir)
            clean_leftovers(index_dir, live)
            if full or live is None or read_meta(live).get("schema_version") != SCHEMA_VERSION:
                from index.full_build import full_rebuild  # (NumPy: only for a full build)

                full_rebuild(corpus, index_dir, report, progress, procs, vocabulary)
            else:
                incremental_update(corpus, live, report, progress, vocabulary)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise ConfigError(
                f"cannot write the index in {index_dir}: {exc.strerror or exc}{where}; "
                "the previous index is still in use"
            ) from None
        except RuntimeError as exc:
            raise ConfigError(f"{exc}; the previous index is still in use") from None
    report.seconds = time.monotonic() - started
    return report
