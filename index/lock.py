"""One reindex at a time: an OS file lock beside the index generations.

``filelock`` takes an ``flock`` on ``<index>/reindex.lock``; the kernel releases it when
the holding process ends, however it ends, so a killed run never blocks the next one.
A second run does not wait: it raises ``IndexLockedError`` at once.

>>> import tempfile, pathlib
>>> with reindex_lock(pathlib.Path(tempfile.mkdtemp())):
...     pass
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from archive.errors import IndexLockedError

LOCK_NAME = "reindex.lock"


@contextmanager
def reindex_lock(index_dir: Path) -> Iterator[Path]:
    """Hold the reindex lock of ``index_dir`` (created if missing) for the ``with`` block."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK_NAME
    pid_file = index_dir / (LOCK_NAME + ".pid")
    lock = FileLock(str(path), timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        try:
            holder = f", pid {int(pid_file.read_text(encoding='ascii'))}"
        except (OSError, ValueError):
            holder = ""
        raise IndexLockedError(
            f"another reindex is running on {index_dir} (lock {path} is held{holder}); "
            "wait for it to finish and run again"
        ) from None
    try:
        pid_file.write_text(f"{os.getpid()}\n", encoding="ascii")
        yield path
    finally:
        lock.release()
