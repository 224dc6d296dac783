"""Checking the archive's own files: ``_archive.yml`` and each council's ``_council.yml``.

``archive.councils`` reads them and lists what it cannot use (an unknown field or
setting, a missing name, a folder name that is no council key: errors). ``check_layout``
adds the warnings: a kind outside ``archive.councils.KINDS``, a URL field that is no
http(s) URL, a root ``_council.yml`` or a folder's ``_vocabulary.yml`` nobody reads, and
a folder of the root that is neither a council, nor the default council's, nor a year
(its papers silently count as the default council's). ``governing_files`` says which of
these files matter for the papers being checked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from archive import frontmatter
from archive.corpus_walk import MEETINGS_FOLDER, ORGANIZATIONS_FOLDER
from archive.councils import COUNCIL_FILE, KINDS, CouncilLayout
from archive.errors import CorpusError, CorpusWarning
from archive.vocabulary import FILE_NAME

UNUSUAL_KIND = "unusual council kind"
NOT_A_URL = "not a URL"
NOT_A_COUNCIL = "folder without _council.yml"
UNUSED_FILE = "file not read"
"""Kinds of the warnings (``check`` counts warnings by kind)."""

URL_FIELDS = ("website", "oparl_system", "oparl_body", "allris_url")
_YEAR = re.compile(r"^\d{4}$")
_UNDATED = "undatiert"


def check_layout(layout: CouncilLayout) -> list[CorpusError]:
    """Every problem of the corpus's configuration and council descriptions."""
    found: list[CorpusError] = list(layout.problems)
    for key in sorted(layout.folders):
        found += description_warnings(layout.corpus / key / COUNCIL_FILE)
    root = layout.corpus / COUNCIL_FILE
    if root.is_file() and layout.default in layout.folders:
        own = layout.corpus / layout.default / COUNCIL_FILE
        message = f"not read: the default council {layout.default!r} is described by {own}"
        found.append(CorpusWarning(root, message, None, UNUSED_FILE))
    elif root.is_file():
        found += description_warnings(root)
    for name in _root_folders(layout.corpus):
        vocabulary = layout.corpus / name / FILE_NAME
        if name not in layout.folders and vocabulary.is_file():
            message = f"not read: {name!r} is no council folder (it has no {COUNCIL_FILE})"
            found.append(CorpusWarning(vocabulary, message, None, UNUSED_FILE))
        if (
            name in layout.folders
            or name == layout.default
            or _YEAR.match(name)
            or name == _UNDATED
            or (layout.legacy and name in (MEETINGS_FOLDER, ORGANIZATIONS_FOLDER))
        ):
            continue  # (a corpus from before councils keeps those of its council in the root)
        folder = layout.corpus / name
        if (folder / COUNCIL_FILE).exists():
            continue  # a council whose folder name is no key: archive.councils says so
        message = (
            f"folder {name!r} has no {COUNCIL_FILE}: its papers are the default council's "
            f"({layout.default}); add {name}/{COUNCIL_FILE} to make it a council"
        )
        found.append(CorpusWarning(folder, message, None, NOT_A_COUNCIL))
    return found


def description_warnings(path: Path) -> list[CorpusError]:
    """Warnings about a ``_council.yml`` that ``archive.councils`` could read."""
    try:
        data, lines = frontmatter.load(path.read_text(encoding="utf-8"), path, first_line=1)
    except (OSError, UnicodeDecodeError, CorpusError):
        return []  # archive.councils reports it
    if not isinstance(data, dict):
        return []
    found: list[CorpusError] = []
    kind = data.get("kind")
    if isinstance(kind, str) and kind.strip() and kind.strip() not in KINDS:
        message = f"kind: {kind.strip()!r} is not one of the usual kinds ({', '.join(KINDS)})"
        found.append(CorpusWarning(path, message, lines.get(("kind",)), UNUSUAL_KIND))
    for name in URL_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and value.strip() and not _is_url(value.strip()):
            message = f"{name}: {value.strip()!r} is not an http(s) URL"
            found.append(CorpusWarning(path, message, lines.get((name,)), NOT_A_URL))
    return found


def _is_url(value: str) -> bool:
    return value.startswith(("https://", "http://")) and " " not in value


def governing_files(
    layout: CouncilLayout, checked: Iterable[Path], councils: set[str]
) -> set[Path]:
    """The archive's files that matter for a check of ``checked`` (papers of ``councils``):
    the root's, those of the councils checked and every one below a checked folder."""
    corpus = layout.corpus
    root = [corpus / name for name in ("_archive.yml", COUNCIL_FILE, FILE_NAME)]
    per_folder = [
        corpus / name / file for name in _root_folders(corpus) for file in (COUNCIL_FILE, FILE_NAME)
    ]
    folders = [os.path.abspath(p) for p in checked if p.is_dir()]
    wanted = {os.path.abspath(layout.folder(c)) for c in councils}

    def governs(file: Path) -> bool:
        parent = os.path.abspath(file.parent)
        return parent in wanted or any(
            parent == f or parent.startswith(f.rstrip(os.sep) + os.sep) for f in folders
        )

    found = set(root) | {file for file in per_folder if governs(file)}
    found |= {corpus / name for name in _root_folders(corpus) if governs(corpus / name / "x")}
    return found


def _root_folders(corpus: Path) -> list[str]:
    try:
        with os.scandir(corpus) as entries:
            return sorted(e.name for e in entries if not e.name.startswith(("_", ".")) and _dir(e))
    except OSError:
        return []


def _dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop, say: the corpus walk reports it
        return False
