"""Long-lived PDF workers, one per thread, each a ``worker --serve`` process under limits.

Starting Python and PDFium costs about 60 ms, several times what reading a text PDF takes,
so a worker reads file after file. Its limits stay those of a worker per file: an address
space limit for the process, and a wall time per file after which the worker is killed
(the next file gets a new one). A worker that died, ran out of memory or read
``RECYCLE_AFTER`` files is replaced, so one file's damage never reaches the next.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import select
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import IO, Any

RECYCLE_AFTER = 200
"""Files one worker reads before it is replaced by a fresh one."""
_ROOT = str(Path(__file__).resolve().parents[2])
_local = threading.local()


def _memory_limit(memory_bytes: int) -> Any:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return apply


class PdfWorker:
    """One ``python -m archive.extraction.worker --serve`` process."""

    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        self.used = 0
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "archive.extraction.worker", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            preexec_fn=_memory_limit(memory_bytes),  # rlimits only; set before exec
            env=dict(os.environ, PYTHONPATH=_ROOT),
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict[str, Any], wall_seconds: float) -> dict[str, Any]:
        """The worker's answer to one request; ``{"error": …}`` when it failed or died."""
        self.used += 1
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            return self._died()
        deadline = time.monotonic() + wall_seconds
        chunks: list[bytes] = []
        stdout = self.process.stdout
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([stdout], [], [], max(left, 0))
            if not ready:
                self.close()
                return {"error": f"reading the PDF took over {wall_seconds:g} s"}
            chunk = os.read(stdout.fileno(), 1 << 20)
            if not chunk:
                return self._died()
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                break
        try:
            return json.loads(b"".join(chunks))
        except ValueError:
            self.close()
            return {"error": "the PDF reader gave no result"}

    def _died(self) -> dict[str, Any]:
        code = self.process.wait()
        self._stderr.seek(0)
        stderr = self._stderr.read()
        self.close()
        if code in (-9, 137) or b"MemoryError" in stderr or code == -6:
            return {"error": "reading the PDF went over its memory limit"}
        last = stderr.decode("utf-8", "replace").strip().splitlines()
        return {"error": f"the PDF could not be read ({last[-1] if last else code})"}

    def close(self) -> None:
        """End the process (closing its stdin ends its loop) and its pipes; safe twice."""
        process = self.process
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout, self._stderr):
            if stream is not None and not stream.closed:
                stream.close()

    def __del__(self) -> None:  # the thread that used it ended
        self.close()


_workers: weakref.WeakSet[PdfWorker] = weakref.WeakSet()


@atexit.register
def close_all() -> None:
    """End every worker still running (at exit, or when a test wants a clean state)."""
    for worker in list(_workers):
        worker.close()


def read_pdf(request: dict[str, Any], memory_bytes: int, wall_seconds: float) -> dict[str, Any]:
    """``request`` answered by this thread's worker (started or replaced as needed)."""
    worker: PdfWorker | None = getattr(_local, "worker", None)
    fresh = (
        worker is None
        or not worker.alive
        or worker.used >= RECYCLE_AFTER
        or worker.memory_bytes != memory_bytes
    )
    if fresh:
        if worker is not None:
            worker.close()
        worker = _local.worker = PdfWorker(memory_bytes)
        _workers.add(worker)
    assert worker is not None
    answer = worker.ask(request, wall_seconds)
    if "error" in answer and not worker.alive:
        _local.worker = None
    return answer
