"""One reindex at a time: an OS file lock beside the index generations.

``reindex_lock`` takes ``flock(LOCK_EX | LOCK_NB)`` on ``<index>/reindex.lock``; the kernel
releases it when the holding process ends, however it ends, so a killed run never blocks
the next one. A second run does not wait: it raises ``IndexLockedError`` at once, naming
the holder's pid (from ``reindex.lock.pid``). Processes forked while the lock is held (the
full build's workers in ``index.build_workers``) close their copy of the descriptor, so a
worker orphaned by a killed run cannot keep the lock alive. The lock needs ``fcntl``
(Linux and other POSIX systems, as the forked full build does).

>>> import tempfile, pathlib
>>> with reindex_lock(pathlib.Path(tempfile.mkdtemp())):
...     pass
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from archive.errors import ConfigError, IndexLockedError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "reindex.lock"
_held: set[int] = set()


def _close_in_child() -> None:
    for fd in list(_held):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


@contextlib.contextmanager
def reindex_lock(index_dir: Path) -> Iterator[Path]:
    """Hold the reindex lock of ``index_dir`` (created if missing) for the ``with`` block."""
    path = index_dir / LOCK_NAME
    pid_file = index_dir / (LOCK_NAME + ".pid")
    if fcntl is None:  # pragma: no cover - not POSIX
        raise ConfigError("reindex needs fcntl.flock, which this system does not have")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise ConfigError(f"cannot use {path} as the index lock: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLockedError(
                f"another reindex is running on {index_dir} (lock {path} is held"
                f"{_holder(pid_file)}); wait for it to finish and run again"
            ) from None
        _held.add(fd)
        with contextlib.suppress(OSError):
            pid_file.write_text(f"{os.getpid()}\n", encoding="ascii")
        yield path
    finally:
        _held.discard(fd)
        os.close(fd)  # releases the flock


def _holder(pid_file: Path) -> str:
    try:
        return f", pid {int(pid_file.read_text(encoding='ascii'))}"
    except (OSError, ValueError):
        return ""
