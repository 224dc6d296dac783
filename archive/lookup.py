"""Finding a paper's file from what an archivist types: a reference, a slug or a path.

A reference is unique within a council only, so ``find_motion`` takes the council as
``--council KEY`` or as ``KEY:REFERENCE`` (``hamburg-altona:22-2368``); without one, a
reference that several councils have is refused with their keys. The file named after
the reference is looked for first (``<council>/<year>/<slug>.md``), then every file.
"""

from __future__ import annotations

from pathlib import Path

from archive.corpus import iter_council_files, reference_of
from archive.corpus_walk import files_named
from archive.councils import CouncilLayout, council_layout, unqualify
from archive.errors import ConfigError, NotFoundError
from archive.motion import slug_for


def find_motion(corpus: Path, reference: str, council: str = "") -> tuple[Path, str]:
    """The file of ``reference`` (or of a slug, or a file path given as such) and its
    council's key; ``NotFoundError`` if there is none, ``ConfigError`` if it is ambiguous."""
    if not corpus.is_dir():
        raise ConfigError(f"corpus directory {corpus} does not exist")
    layout = council_layout(corpus)
    given = Path(reference)
    if given.suffix == ".md" and given.is_file():
        return given, layout.council_at(given)
    qualifier, bare = unqualify(reference)
    if qualifier and qualifier in layout.keys:
        if council and council != qualifier:
            raise ConfigError(f"{reference!r} names the council {qualifier!r}, not {council!r}")
        council, reference = qualifier, bare
    if council and council not in layout.keys:
        known = ", ".join(layout.keys)
        raise NotFoundError(f"no council {council!r} in {corpus} (councils: {known})")
    found = _by_name(layout, reference, council) or _by_walk(layout, reference, council)
    if not found:
        where = f"council {council!r} of {corpus}" if council else str(corpus)
        raise NotFoundError(f"no motion {reference!r} in {where}")
    if len(found) > 1:
        keys = ", ".join(sorted(found))
        raise ConfigError(
            f"{reference!r} is a paper of several councils ({keys}): "
            f"give --council KEY or KEY:{reference}"
        )
    key, path = next(iter(found.items()))
    return path, key


def _matches(found: str | None, reference: str, path: Path) -> bool:
    wanted = " ".join(reference.split()).casefold()
    return found is not None and (
        " ".join(found.split()).casefold() == wanted or path.stem == reference
    )


def _by_name(layout: CouncilLayout, reference: str, council: str) -> dict[str, Path]:
    """Council → the file named after ``reference`` there (of ``council`` only, if given)."""
    name = f"{slug_for(reference)}.md"
    folders = {layout.corpus, *(layout.folder(key) for key in layout.keys)}
    found: dict[str, Path] = {}
    for folder in sorted(folders):
        for path in files_named(folder, name):
            key = layout.council_at(path)
            if (not council or key == council) and _matches(reference_of(path), reference, path):
                found.setdefault(key, path)
    return found


def _by_walk(layout: CouncilLayout, reference: str, council: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path, key in iter_council_files(layout.corpus, layout):
        wanted = (not council or key == council) and key not in found
        if wanted and _matches(reference_of(path), reference, path):
            found[key] = path
    return found
