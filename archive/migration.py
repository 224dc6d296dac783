"""Moving a corpus from the layout before councils into one council's folder.

In the layout before councils the default council's papers live in the corpus root
(``<corpus>/<year>/<slug>.md``, ``archive.councils``). ``plan_migration`` lists what
``ratsarchiv migrate --council KEY`` does to put them into ``<corpus>/KEY/``, and
``apply_migration`` does it:

1. ``_archive.yml`` names ``KEY`` as the default council first, so a file not yet moved
   already belongs to the council it is moved into: no paper changes council mid-way;
2. ``KEY/_council.yml`` is the root's ``_council.yml`` (moved) or a new one;
3. every file of the root's year folders (``2024/``, ``undatiert/``, any folder without a
   ``_council.yml``) and every Markdown file of the root moves to the same place under
   ``KEY/`` with one ``os.rename`` each: its bytes stay as they are (git sees a rename)
   and a kill leaves each file either here or there, never half;
4. the import state (``.import-state.json`` and its journal) is re-keyed to the new paths,
   so a later import knows the files it wrote.

A run plans from what is on disk, so a run after a kill moves the rest and a run after a
complete one has nothing to move. Nothing is overwritten: a file whose place under ``KEY/``
is taken by different bytes stays where it is and is reported; one taken by the same bytes
(a copy) is removed. ``_vocabulary.yml``, the import state and other ``_``/``.`` files of
the root stay: they are the archive's, not the council's.
"""

from __future__ import annotations

import filecmp
import json
import os
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path

from archive.corpus import _is_temp_name, remove_stale_temp_files, write_atomic
from archive.councils import (
    ARCHIVE_FILE,
    COUNCIL_FILE,
    Council,
    check_key,
    council_layout,
    read_archive_config,
    render_council,
)
from archive.errors import ConfigError
from archive.importers.corpus_writer import JOURNAL_FILE, STATE_FILE

_HIDDEN = ("_", ".")
_KEPT = frozenset({"readme.md"})
"""Markdown files of the root that describe the corpus rather than being papers."""


@dataclass(frozen=True)
class Move:
    """One file to move, both paths relative to the corpus (``/``-separated)."""

    source: str
    target: str


@dataclass
class MigrationPlan:
    """What a migration of ``corpus`` into council ``key`` still has to do."""

    corpus: Path
    key: str
    config: str | None = None
    """The new text of ``_archive.yml``; ``None`` when it names ``key`` already."""
    description: Move | str | None = None
    """The root's ``_council.yml`` to move, the text of a new ``KEY/_council.yml``, or
    ``None`` when ``KEY/_council.yml`` exists."""
    moves: list[Move] = field(default_factory=list)
    copies: list[Move] = field(default_factory=list)
    """Files whose place under ``KEY/`` holds the same bytes already: the source goes."""
    conflicts: list[Move] = field(default_factory=list)
    """Files whose place under ``KEY/`` holds other bytes: they stay, for the archivist."""
    records: int = 0
    """Import-state records still under their old paths."""

    @property
    def done(self) -> bool:
        """Nothing left to do (conflicts aside, which only the archivist can resolve)."""
        return not (
            self.config
            or self.description
            or self.moves
            or self.copies
            or self.records
            or _empty_folders(self)
        )

    def lines(self) -> list[str]:
        """The plan as ``ratsarchiv migrate`` prints it before applying it."""
        at = self.corpus
        lines = []
        if self.config is not None:
            lines.append(f"set default_council: {self.key} in {at / ARCHIVE_FILE}")
        if isinstance(self.description, Move):
            move = self.description
            lines.append(f"move {at / move.source} -> {at / move.target}")
        elif self.description is not None:
            lines.append(f"create {at / self.key / COUNCIL_FILE}")
        lines += [f"move {at / m.source} -> {at / m.target}" for m in self.moves]
        lines += [
            f"remove {at / m.source} (the same bytes are at {at / m.target})" for m in self.copies
        ]
        lines += [conflict_line(self, m) for m in self.conflicts]
        if self.records:
            lines.append(f"re-key {plural(self.records, 'record')} of {at / STATE_FILE}")
        return lines


def plural(count: int, word: str) -> str:
    """``"1 file"``, ``"2 files"``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def conflict_line(plan: MigrationPlan, move: Move) -> str:
    """How a file that cannot move is reported."""
    source, target = plan.corpus / move.source, plan.corpus / move.target
    return f"conflict: {source} stays where it is, {target} holds other bytes"


def plan_migration(corpus: Path, key: str, name: str = "") -> MigrationPlan:
    """What moving ``corpus``'s default council into ``<corpus>/<key>/`` still takes.

    ``name`` is the council's name for a new ``_council.yml`` (default: the key). Raises
    ``ConfigError`` when the key is invalid or another default council is configured.
    """
    corpus = Path(corpus)
    check_key(key)
    if not corpus.is_dir():
        raise ConfigError(f"corpus directory {corpus} does not exist")
    config, problems = read_archive_config(corpus)
    if problems:
        raise ConfigError(f"{problems[0]}; fix {ARCHIVE_FILE} before migrating")
    configured = config.get("default_council")
    if configured and configured != key:
        raise ConfigError(
            f"{corpus / ARCHIVE_FILE} names {configured!r} as the default council; "
            f"'migrate --council {configured}' keeps its papers' identity (their URLs)"
        )
    plan = MigrationPlan(corpus, key)
    layout = council_layout(corpus)
    for top in sorted(os.scandir(corpus), key=lambda e: e.name):
        if top.name.startswith(_HIDDEN) or top.name == key:
            continue
        if top.is_dir(follow_symlinks=False):
            if top.name in layout.folders or (Path(top.path) / COUNCIL_FILE).exists():
                continue  # a council of its own (or one whose folder name check reports)
            for relpath in _files_below(corpus, top.name):
                _plan_move(plan, relpath)
        elif top.name.endswith(".md") and top.name.casefold() not in _KEPT:
            _plan_move(plan, top.name)
    old_layout = plan.moves or plan.copies or plan.conflicts or (corpus / COUNCIL_FILE).exists()
    if old_layout and configured != key:
        plan.config = f"default_council: {key}\n"
    if old_layout:
        plan.description = _description(corpus, key, name, plan)
    plan.records = _stale_records(corpus, key, {m.source for m in [*plan.moves, *plan.copies]})
    return plan


def _description(corpus: Path, key: str, name: str, plan: MigrationPlan) -> Move | str | None:
    root, target = corpus / COUNCIL_FILE, corpus / key / COUNCIL_FILE
    move = Move(COUNCIL_FILE, f"{key}/{COUNCIL_FILE}")
    if not target.exists():
        return move if root.is_file() else render_council(Council(key, name or key))
    if root.is_file():  # both: the council's own wins, as council_layout reads it
        (plan.copies if filecmp.cmp(root, target, shallow=False) else plan.conflicts).append(move)
    return None


def _files_below(corpus: Path, top: str) -> list[str]:
    """Every file (and link) under ``<corpus>/<top>``, relative to the corpus, in order;
    temp files of writes in progress are left alone."""
    found = []

    def unreadable(exc: OSError) -> None:
        raise ConfigError(
            f"cannot read {exc.filename}: {exc.strerror}; nothing was moved, "
            "fix it and run the migration again"
        )

    for folder, dirs, files in os.walk(corpus / top, onerror=unreadable):
        dirs.sort()
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = [d for d in dirs if d not in links]
        rel = Path(folder).relative_to(corpus).as_posix()
        found += [f"{rel}/{f}" for f in sorted([*files, *links]) if not _is_temp_name(f)]
    return found


def _plan_move(plan: MigrationPlan, relpath: str) -> None:
    move = Move(relpath, f"{plan.key}/{relpath}")
    target = plan.corpus / move.target
    if not os.path.lexists(target):
        plan.moves.append(move)
    elif not target.is_symlink() and filecmp.cmp(plan.corpus / relpath, target, shallow=False):
        plan.copies.append(move)
    else:
        plan.conflicts.append(move)


def _empty_folders(plan: MigrationPlan) -> list[Path]:
    """Folders of the old layout left empty (deepest first), for removal."""
    moved = {plan.corpus / m.source for m in [*plan.moves, *plan.copies]}
    empty = []
    for top in sorted(os.scandir(plan.corpus), key=lambda e: e.name):
        if top.name.startswith(_HIDDEN) or top.name == plan.key:
            continue
        if not top.is_dir(follow_symlinks=False) or (Path(top.path) / COUNCIL_FILE).exists():
            continue
        for folder, dirs, files in os.walk(top.path, topdown=False):
            path = Path(folder)
            if all(path / f in moved for f in files) and all(path / d in empty for d in dirs):
                empty.append(path)
    return empty


def apply_migration(plan: MigrationPlan, say: Callable[[str], None]) -> MigrationPlan:
    """Carry out ``plan``, calling ``say`` with a line for each step as it is done; returns
    the plan of what is left (its ``conflicts`` only, unless something failed)."""
    corpus, key = plan.corpus, plan.key
    remove_stale_temp_files(corpus)  # left by a killed run
    if plan.config is not None:
        write_atomic(corpus / ARCHIVE_FILE, plan.config)
        say(f"set default_council: {key} in {corpus / ARCHIVE_FILE}")
    target = corpus / key / COUNCIL_FILE
    if isinstance(plan.description, Move):
        target.parent.mkdir(parents=True, exist_ok=True)
        _rename(corpus / plan.description.source, target)
        say(f"moved {corpus / plan.description.source} -> {target}")
    elif plan.description is not None:
        write_atomic(target, plan.description)
        say(f"created {target}")
    for move in plan.moves:
        source, destination = corpus / move.source, corpus / move.target
        if os.path.lexists(destination):  # appeared since the plan: leave it to the next run
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        _rename(source, destination)
        say(f"moved {source} -> {destination}")
    for move in plan.copies:
        (corpus / move.source).unlink()
        say(f"removed {corpus / move.source} (the same bytes are at {corpus / move.target})")
    for folder in _empty_folders(plan):
        try:
            folder.rmdir()
        except OSError:
            continue  # something appeared in it: it stays
    records = _rekey_state(corpus, key)
    if records:
        say(f"re-keyed {plural(records, 'record')} of {corpus / STATE_FILE}")
    return plan_migration(corpus, key)


def _rename(source: Path, destination: Path) -> None:
    try:
        os.rename(source, destination)
    except OSError as exc:
        raise ConfigError(
            f"cannot move {source} to {destination}: {exc.strerror}; nothing was lost, "
            "run the migration again when this is fixed"
        ) from None


# -- the import state (archive.importers.corpus_writer) ---------------------------------
# Its records are keyed by the path relative to the corpus, in the state file and in the
# journal of records since (which the next import folds in): both are re-keyed here.


def _records(corpus: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The state file's records and the journal's, as far as they can be read."""
    try:
        data = json.loads((corpus / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    state = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    try:
        lines = (corpus / JOURNAL_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return state, []
    return state, [record for record in map(_journal_record, lines) if record]


def _journal_record(line: str) -> tuple[str, str] | None:
    """A journal line's (name, digest); ``None`` for the line a kill cut short."""
    try:
        name, digest = json.loads(line)
    except (ValueError, TypeError):
        return None
    return str(name), str(digest)


def _moved_records(
    names: Iterable[str], corpus: Path, key: str, moving: Set[str] = frozenset()
) -> set[str]:
    """The names of records whose file has moved under ``key`` (or is in ``moving``)."""
    return {
        name
        for name in names
        if name in moving
        or (
            not name.startswith(f"{key}/")
            and not os.path.lexists(corpus / name)
            and os.path.lexists(corpus / key / name)
        )
    }


def _stale_records(corpus: Path, key: str, moving: Set[str] = frozenset()) -> int:
    state, journal = _records(corpus)
    return len(_moved_records([*state, *(name for name, _ in journal)], corpus, key, moving))


def _rekey_state(corpus: Path, key: str) -> int:
    """Re-key the import state and its journal on disk; returns the records re-keyed."""
    state, journal = _records(corpus)
    moved = _moved_records([*state, *(name for name, _ in journal)], corpus, key)
    if not moved:
        return 0

    def new(name: str) -> str:
        return f"{key}/{name}" if name in moved else name

    if any(name in moved for name in state):
        renamed = {new(name): digest for name, digest in state.items()}
        text = json.dumps(renamed, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(corpus / STATE_FILE, text)
    if any(name in moved for name, _ in journal):
        lines = [json.dumps([new(n), d], ensure_ascii=False) + "\n" for n, d in journal]
        write_atomic(corpus / JOURNAL_FILE, "".join(lines))
    return len(moved)
