"""One error hierarchy for Ratsarchiv.

Every error carries what its reader needs (file, line, field); the edges translate
them: the CLI prints ``str(error)`` and exits non-zero, the web app maps them to
HTTP statuses. Nothing below the edges prints or exits.
"""

from __future__ import annotations

from pathlib import Path


class RatsarchivError(Exception):
    """Base of every error Ratsarchiv raises on purpose."""


class CorpusError(RatsarchivError):
    """A problem in one corpus file, located as ``path:line: message``."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.message}"


class CorpusWarning(CorpusError):
    """Valid but probably wrong (a ``ratsarchiv check`` warning); ``kind`` groups them."""

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, kind: str = ""
    ) -> None:
        super().__init__(path, message, line)
        self.kind = kind


class CorpusErrors(RatsarchivError):
    """Several problems found while validating files (raised only when collecting)."""

    def __init__(self, errors: list[CorpusError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class SourceError(RatsarchivError):
    """Input an importer cannot use: names the source and what was expected."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


class ConflictError(RatsarchivError):
    """An importer would overwrite a file an archivist has edited."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class ConfigError(RatsarchivError):
    """A location or option that cannot be used (missing corpus, path outside it, ...)."""


class IndexLockedError(RatsarchivError):
    """Another reindex holds the index lock."""


class IndexMissingError(RatsarchivError):
    """The index has not been built yet (or was removed)."""


class EngineError(RatsarchivError):
    """The installed search engine lacks what the index needs (a Whoosh other than 2.7.4)."""


class NotFoundError(RatsarchivError):
    """A motion that is not in the archive (or not public)."""


class QueryError(RatsarchivError):
    """A search request with invalid parameters (bad page, unknown sort, ...)."""


class FetchError(RatsarchivError):
    """A file could not be fetched: names the URL and why."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")
