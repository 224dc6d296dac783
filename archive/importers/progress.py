"""A progress counter for long imports, written to stderr.

On a terminal it redraws one line (``  1200/12546 papers  10%  1180 created, …``)
a few times a second; in a log (not a terminal) it writes a line every
``every`` items, so a cron job's log shows that the import moves.

>>> import io
>>> from archive.importers.corpus_writer import ImportReport
>>> out = io.StringIO()
>>> counter = ProgressBar("papers", total=2, stream=out, every=1)
>>> counter(1, ImportReport()); counter.close()
>>> out.getvalue().splitlines()[0]
'1/2 papers (50%): 0 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped'
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO


class Summarised(Protocol):
    """What a progress line shows: an import's or a files run's report."""

    def summary(self) -> str: ...


ETA_AFTER = 3.0
"""Seconds before an ETA is shown: the first items say little about the rate."""


class ProgressBar:
    """Call with ``(done, report)`` after each item; ``close`` ends the line."""

    def __init__(
        self,
        noun: str,
        total: int | None = None,
        *,
        stream: TextIO | None = None,
        interval: float = 0.2,
        every: int = 1000,
    ) -> None:
        self.noun = noun
        self.total = total
        self.stream = stream or sys.stderr
        self.interval = interval
        self.every = every
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self._shown = 0.0
        self._last = ""
        self._started = time.monotonic()

    def line(self, done: int, report: Summarised) -> str:
        count = f"{done}/{self.total}" if self.total else str(done)
        share = f" ({100 * done // self.total}%)" if self.total else ""
        return f"{count} {self.noun}{share}{self._eta(done)}: {report.summary()}"

    def _eta(self, done: int) -> str:
        """`` ETA 4 min``: the time left at the rate so far (after a few seconds)."""
        elapsed = time.monotonic() - self._started
        if not self.total or not done or done >= self.total or elapsed < ETA_AFTER:
            return ""
        left = elapsed / done * (self.total - done)
        if left < 90:
            return f", ETA {left:.0f} s"
        if left < 5400:
            return f", ETA {left / 60:.0f} min"
        return f", ETA {left / 3600:.1f} h"

    def __call__(self, done: int, report: Summarised, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        if self.live:
            now = time.monotonic()
            if now - self._shown >= self.interval or done == self.total:
                self._shown = now
                self._last = self.line(done, report)
                self.stream.write(f"\r\x1b[K{self._last}")
                self.stream.flush()
        elif done % self.every == 0 or done == self.total:
            self.stream.write(self.line(done, report) + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.live and self._last:
            self.stream.write("\n")
            self.stream.flush()
