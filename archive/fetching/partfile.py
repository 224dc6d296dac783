"""A download's temp file beside its destination: ``.<name>.<random>.part``, renamed on success.

A killed run leaves at most such a file; ``remove_partial`` clears them before the next run.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from archive.extraction import sniff

EMPTY = "empty"
SNIFF_BYTES = 1024
"""Bytes looked at to tell what a file really is (``sniff.sniff`` reads its first kilobyte)."""


def remove_partial(folder: Path) -> list[Path]:
    """Delete the ``.*.part`` leftovers of killed downloads in ``folder``; returns them."""
    removed = []
    for path in sorted(Path(folder).glob(".*.part")):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


class PartFile:
    """Bytes streamed into a temp file, counted and hashed; ``commit`` renames it onto ``dest``.

    ``expect="pdf"`` checks the first bytes before anything reaches the disk; ``check`` is
    given the sniffed kind and raises when it is not the expected one.
    """

    def __init__(self, dest: Path, expect: str = "") -> None:
        self.dest = dest
        self.expect = expect
        self.size = 0
        self.sha256 = hashlib.sha256()
        self._head = b""
        self._sniffed = not expect
        dest.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        self.path = Path(name)
        self._file = os.fdopen(handle, "wb")

    def write(self, chunk: bytes) -> None:
        """Take the next bytes (held back until the first kilobyte has been looked at)."""
        self.size += len(chunk)
        self.sha256.update(chunk)
        if self._sniffed:
            self._file.write(chunk)
            return
        self._head += chunk
        if len(self._head) >= SNIFF_BYTES:
            self._check_head()

    def kind(self) -> str:
        """What the first bytes are (``sniff.PDF``, ``sniff.HTML``, …)."""
        return sniff.sniff(self._head[:SNIFF_BYTES])

    def _check_head(self) -> None:
        kind = self.kind() if self._head else EMPTY
        if kind != self.expect:
            raise WrongKind(kind)
        self._sniffed = True
        self._file.write(self._head)
        self._head = b""

    def commit(self) -> None:
        """fsync, then rename onto ``dest`` atomically (an existing ``dest`` is replaced whole)."""
        if not self._sniffed:
            self._check_head()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.path, self.dest)
        try:
            folder = os.open(self.dest.parent, os.O_RDONLY)
        except OSError:  # pragma: no cover - a folder that cannot be opened (not POSIX)
            return
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def discard(self) -> None:
        """Remove the temp file; ``dest`` stays as it was."""
        self._file.close()
        self.path.unlink(missing_ok=True)


class WrongKind(Exception):
    """The first bytes are not what was expected; ``kind`` is what they are."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)

    def describe(self) -> str:
        if self.kind == EMPTY:
            return "empty"
        if self.kind == sniff.UNKNOWN:
            return "of no known file type"
        return sniff.DESCRIPTIONS.get(self.kind, f"a {self.kind} file")
