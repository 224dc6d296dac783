"""index.lock: one reindex at a time, the refusal names the holder, the OS frees the lock."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from archive.errors import IndexLockedError
from index.lock import reindex_lock


def test_a_second_run_is_told_who_holds_the_lock(tmp_path: Path) -> None:
    index = tmp_path / "index"
    refused = pytest.raises(IndexLockedError, match=rf"is held, pid {os.getpid()}\); wait")
    with reindex_lock(index), refused, reindex_lock(index):
        pass  # pragma: no cover - refused


def test_a_worker_forked_under_the_lock_does_not_keep_it_alive(tmp_path: Path) -> None:
    """A full build forks workers while it holds the lock; killing the build frees it."""
    index = tmp_path / "index"
    read_end, write_end = os.pipe()
    build = os.fork()
    if build == 0:  # pragma: no cover - the killed build, in a child process
        with reindex_lock(index):
            if os.fork() == 0:  # a worker, running once the fork is done; outlives the build
                os.write(write_end, f"{os.getpid()}\n".encode())
                time.sleep(30)
                os._exit(0)
            os.kill(os.getpid(), signal.SIGKILL)
    os.close(write_end)
    worker = int(os.read(read_end, 32))
    os.close(read_end)
    os.waitpid(build, 0)
    try:
        os.kill(worker, 0)  # the orphaned worker still runs …
        with reindex_lock(index):  # … and the lock is free all the same
            pass
    finally:
        os.kill(worker, signal.SIGKILL)
