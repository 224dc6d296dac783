"""What a run over papers' files did (fetching, extraction): counts and per-file messages.

>>> report = FilesReport("fetched")
>>> report.add(FileOutcome.DONE)
>>> report.add(FileOutcome.FAILED, "karlsruhe/2024/vo-1.md, file 2: not a PDF (HTML page)")
>>> report.summary()
'1 fetched, 0 unchanged, 1 failed, 0 skipped'
>>> report.ok
False
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class FileOutcome(StrEnum):
    """What happened to one file."""

    DONE = "done"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not attempted: not public, no URL, a conflict with an archivist's correction, …"""


@dataclass
class FilesReport:
    """Counts per outcome and a message per file that failed or was skipped."""

    verb: str = "done"
    """How the summary names ``DONE``: ``fetched``, ``extracted``."""
    counts: Counter[FileOutcome] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)

    def add(self, outcome: FileOutcome, message: str | None = None) -> None:
        self.counts[outcome] += 1
        if message:
            self.messages.append(message)

    def merge(self, other: FilesReport) -> None:
        self.counts.update(other.counts)
        self.messages.extend(other.messages)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        names = {FileOutcome.DONE: self.verb}
        return ", ".join(f"{self.counts[o]} {names.get(o, o.value)}" for o in FileOutcome)

    @property
    def ok(self) -> bool:
        """No file failed (skips are choices, not failures)."""
        return not self.counts[FileOutcome.FAILED]
