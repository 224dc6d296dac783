"""Walking a corpus: which files are its motion files, and the one rule for links.

Every command that reads a whole corpus walks it here: ``check``, ``facets``, ``show``,
both kinds of ``reindex`` and the importers. The rule:

* files and folders whose names start with ``_`` or ``.`` are not motions, and neither is
  a ``README.md`` (what a folder holds, for people);
* a council's ``meetings/`` folder (``<council>/meetings/``, or ``meetings/`` in the root of a
  corpus from before councils) holds meetings, not papers: a walk for papers does not enter
  it, and ``archive.meeting_files`` walks it with the same rule for links; so does its
  ``organizations/`` folder (committees and factions, ``archive.organization_files``);
* a paper's ``<slug>.files/`` folder (its files' texts and copies, ``archive.file_text``)
  holds no motions and is not entered, unless a walk asks for them (``file_texts``);
* a symbolic link (to a folder or to a file) is followed when its target lies inside the
  corpus root, and refused when it points outside the corpus;
* every folder is read once: a link back to a folder above it (a loop) or to a folder
  already read is not followed again, so a walk always ends;
* what is refused — links out of the corpus, loops, broken links, folders that cannot be
  read — comes back as ``CorpusWarning``\\s with the link's path, which ``check`` shows
  and ``reindex`` lists; the files behind them are not read.

One ``os.scandir`` per folder, one ``stat`` per motion file (its stamp; a paper with
file texts adds their stamps, ``texts_stamp``) and a
``realpath`` only for links: an edit to one file of 12,000 must be searchable in
under a second, and this walk is part of that.

>>> [is_motion_name(n) for n in ("vo-2024-12903-01.md", "_vocabulary.yml", "README.md")]
[True, False, False]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from archive.errors import ConfigError, CorpusWarning
from archive.files import FILES_SUFFIX

NOT_FOLLOWED = "link not followed"
UNREADABLE = "unreadable folder"
"""Kinds of the walk's warnings (``check`` counts warnings by kind)."""

MEETINGS_FOLDER = "meetings"
"""The folder of a council's meeting files, beside its year folders."""
ORGANIZATIONS_FOLDER = "organizations"
"""The folder of a council's organisation files (committees, factions), beside it."""
_NOT_PAPERS = (MEETINGS_FOLDER, ORGANIZATIONS_FOLDER)

_HIDDEN = ("_", ".")
_README = "readme.md"


def is_motion_name(name: str) -> bool:
    """A motion file's name: ``*.md``, not starting with ``_`` or ``.``, not ``README.md``."""
    return name.endswith(".md") and not name.startswith(_HIDDEN) and name.lower() != _README


class CorpusFile(NamedTuple):
    """One file found: its path relative to the walked folder (``/``-separated), its path
    as reached (under the folder, links not resolved) and its stamp (``mtime_ns:size``,
    ``""`` if it could not be read)."""

    relpath: str
    path: str
    stamp: str


@dataclass
class CorpusWalk:
    """The files of a walk, in a stable order, and what was refused on the way."""

    files: list[CorpusFile] = field(default_factory=list)
    refused: list[CorpusWarning] = field(default_factory=list)


def walk_corpus(
    folder: Path | str,
    *,
    root: Path | str | None = None,
    wanted: Callable[[str], bool] = is_motion_name,
    file_texts: bool = False,
) -> CorpusWalk:
    """Every file under ``folder`` whose name is ``wanted`` (default: motion files); with
    ``file_texts``, the papers' ``<slug>.files/`` folders are walked too.

    Links are followed while they stay inside ``root`` (default: ``folder``; give the
    corpus when walking one of its folders). Raises ``ConfigError`` when ``folder`` is
    not a directory.
    """
    top = os.fspath(folder)
    if not os.path.isdir(top):
        raise ConfigError(f"corpus directory {folder} does not exist")
    inside = os.path.realpath(root if root is not None else top)
    walk = CorpusWalk()
    read: dict[str, str] = {}  # real path of every folder read → the path it was read as

    def skipped(name: str, rel: str = "") -> bool:
        if name in _NOT_PAPERS and rel.count("/") <= 1 and wanted is is_motion_name:
            return True  # a council's meetings or organisations (depth 0 or 1), not papers
        return name.startswith(_HIDDEN) or (not file_texts and name.endswith(FILES_SUFFIX))

    def refuse(path: str, message: str, kind: str = NOT_FOLLOWED) -> None:
        walk.refused.append(CorpusWarning(path, message, None, kind))

    def visit(path: str, real: str, rel: str) -> None:
        read[real] = path
        try:
            with os.scandir(path) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError as exc:
            refuse(
                path, f"cannot read this folder: {exc.strerror}; its files are left out", UNREADABLE
            )
            return
        texts = {e.name for e in entries if e.name.endswith(FILES_SUFFIX)}
        for entry in entries:
            name = entry.name
            if entry.is_symlink():
                if not name.startswith(_HIDDEN) or wanted(name):
                    follow(entry, real, rel)
            elif entry.is_dir(follow_symlinks=False):
                if not skipped(name, rel):
                    folder_at(entry.path, f"{real}{os.sep}{name}", f"{rel}{name}/")
            elif wanted(name):
                add(entry, rel, name.removesuffix(".md") + FILES_SUFFIX in texts)

    def folder_at(path: str, real: str, rel: str) -> None:
        if real in read:
            refuse(path, f"this folder was read already as {read[real]}; not read twice")
        else:
            visit(path, real, rel)

    def follow(entry: os.DirEntry[str], real: str, rel: str) -> None:
        target = os.path.realpath(entry.path)
        if not _within(target, inside):
            refuse(entry.path, f"link to {target}, outside the corpus {inside}; not followed")
        elif os.path.isdir(target):
            if skipped(entry.name, rel):
                return
            if _within(real, target):
                refuse(entry.path, f"link to {target}, a folder above it (a loop); not followed")
            else:
                folder_at(entry.path, target, f"{rel}{entry.name}/")
        elif not os.path.exists(target):
            refuse(entry.path, f"broken link: its target {target} does not exist")
        elif wanted(entry.name):
            add(entry, rel)

    def add(entry: os.DirEntry[str], rel: str, with_texts: bool = False) -> None:
        try:
            info = entry.stat()
            stamp = f"{info.st_mtime_ns}:{info.st_size}"
        except OSError:
            stamp = ""  # reading it will say why
        if stamp and with_texts:
            stamp += texts_stamp(entry.path)
        walk.files.append(CorpusFile(rel + entry.name, entry.path, stamp))

    visit(top, os.path.realpath(top), "")
    return walk


def texts_stamp(motion_path: str | Path) -> str:
    """The stamps of the file texts beside a paper (``<slug>.files/*.txt``), to join its
    own: a corrected file text changes the paper's stamp, so ``reindex`` reads it again.
    ``""`` when the paper has no such folder."""
    folder = os.fspath(motion_path).removesuffix(".md") + FILES_SUFFIX
    try:
        with os.scandir(folder) as found:
            entries = sorted((e for e in found if e.name.endswith(".txt")), key=lambda e: e.name)
            stamps = [f"{e.name}={e.stat().st_mtime_ns}:{e.stat().st_size}" for e in entries]
    except OSError:
        return ""
    return "+" + ",".join(stamps)


def within_corpus(path: Path | str, corpus: Path | str) -> bool:
    """Whether ``path`` (links resolved) lies inside ``corpus``: the walk's rule for writing."""
    return _within(os.path.realpath(path), os.path.realpath(corpus))


def files_named(corpus: Path, name: str) -> list[Path]:
    """``<corpus>/<folder>/<name>`` in every top folder the walk would read (links out of
    the corpus excluded): the quick look for the file named after a reference."""
    try:
        with os.scandir(corpus) as entries:
            tops = sorted(e.name for e in entries if not e.name.startswith(_HIDDEN))
    except OSError:
        return []
    candidates = (corpus / top / name for top in tops)
    return [c for c in candidates if c.is_file() and within_corpus(c, corpus)]


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
