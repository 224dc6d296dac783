"""Saving imported motions into the corpus, for every importer.

``CorpusWriter.save`` decides per motion: refuse what is not public, merge with or
replace the file that already holds the reference, leave identical files alone,
and never overwrite a file an archivist has edited since the last import (unless
``force``). Every write is atomic and the motion is validated first (the same
rules as ``ratsarchiv check``), so an importer never writes a file check rejects.

A motion's identity is (council, reference): it is saved into its council's folder
(``motion.council``, the corpus's default council when empty), and an existing file is
looked for by its reference among that council's files only, so another council's
paper with the same reference is never read, rewritten or counted as a conflict. A
council is created on first use (``use_council``; an existing ``_council.yml`` is
left as the archivist wrote it).

Edits are detected with ``<corpus>/.import-state.json``: path relative to the corpus
(so it includes the council folder) → sha256 of the bytes an importer last wrote there.
A file whose bytes differ from that record — or that has no record and differs from
what the importer would write — counts as edited. Records made since the state file
was last written are appended to ``<corpus>/.import-state.log`` as they happen, so a
killed import loses none; the next run folds them in.

A paper's file texts (``archive.file_text``) are saved with ``save_text`` under the same
rule and the same state: a text an archivist corrected by hand is a conflict, never
overwritten (unless ``force``).

>>> report = ImportReport()
>>> report.add(Outcome.CREATED, council="hamburg-altona")
>>> report.summary()
'1 created, 0 updated, 0 unchanged, 0 conflicts, 0 skipped in council hamburg-altona'
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import TextIO

from archive.corpus import (
    iter_council_files,
    parse_motion,
    path_for,
    reference_of,
    remove_stale_temp_files,
    render_motion,
    write_atomic,
)
from archive.corpus_walk import within_corpus
from archive.councils import COUNCIL_FILE, Council, CouncilLayout, council_layout, ensure_council
from archive.errors import ConfigError, CorpusError, CorpusErrors
from archive.file_text import edited_since_import, render_pages
from archive.files import FileRecord
from archive.motion import Motion
from archive.publicity import public_view
from archive.validation import validate

STATE_FILE = ".import-state.json"
JOURNAL_FILE = ".import-state.log"
"""Records since the state was last written, one JSON line each: a killed run loses none."""
FLUSH_EVERY = 200


class Outcome(StrEnum):
    """What saving one motion did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    SKIPPED = "skipped"


def _counts(counts: Counter[Outcome], *, zeros: bool = True) -> str:
    parts = []
    for outcome in Outcome:
        count = counts[outcome]
        word = "conflicts" if outcome is Outcome.CONFLICT and count != 1 else outcome.value
        if count or zeros:
            parts.append(f"{count} {word}")
    return ", ".join(parts)


@dataclass
class ImportReport:
    """Counts per outcome (and per council) and one ``"source-id: reason"`` line per problem."""

    counts: Counter[Outcome] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    councils: dict[str, Counter[Outcome]] = field(default_factory=dict)
    """Counts per council key, in the order the councils were first saved into."""

    def add(self, outcome: Outcome, message: str | None = None, council: str = "") -> None:
        self.counts[outcome] += 1
        if council:
            self.councils.setdefault(council, Counter())[outcome] += 1
        if message:
            self.problems.append(message)

    def summary(self) -> str:
        """``"3 created, 1 updated, 0 unchanged, 1 conflict, 2 skipped in council luebeck"``;
        with several councils, each one's counts follow (``in 2 councils: a (2 created), …``)."""
        text = _counts(self.counts)
        if len(self.councils) == 1:
            return f"{text} in council {next(iter(self.councils))}"
        if self.councils:
            each = ", ".join(f"{k} ({_counts(c, zeros=False)})" for k, c in self.councils.items())
            return f"{text} in {len(self.councils)} councils: {each}"
        return text

    @property
    def ok(self) -> bool:
        """No motion was skipped and none conflicted."""
        return not (self.counts[Outcome.SKIPPED] or self.counts[Outcome.CONFLICT])


def scan_references(corpus: Path, layout: CouncilLayout) -> dict[tuple[str, str], Path]:
    """(council, reference) → file for every motion file whose reference can be read (first
    file wins; a file that does not validate still holds its reference)."""
    found: dict[tuple[str, str], Path] = {}
    for path, council in iter_council_files(corpus, layout):
        reference = reference_of(path)
        if reference:
            found.setdefault((council, reference), path)
    return found


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class CorpusWriter:
    """Saves motions into a corpus; use as a context manager (``close`` writes the state).

    After each ``save``, ``last_reason`` says why a motion was skipped or conflicted
    (``None`` otherwise) and ``last_council`` which council it was saved into, ready for
    ``ImportReport.add(outcome, f"{id}: {reason}", writer.last_council)``.
    """

    def __init__(self, corpus: Path, *, force: bool = False) -> None:
        self.corpus = Path(corpus)
        try:
            self.corpus.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot use {self.corpus} as corpus: {exc.strerror}") from None
        self.force = force
        self.last_reason: str | None = None
        self.last_council = ""
        self.last_path: Path | None = None
        """The file the last ``save`` wrote or found unchanged (``None``: none)."""
        remove_stale_temp_files(self.corpus)  # left by a killed run
        self._state_path = self.corpus / STATE_FILE
        self._journal_path = self.corpus / JOURNAL_FILE
        self._journal: TextIO | None = None
        self._unsaved = 0
        self._flush_failed = False
        self._state = self._load_state()
        self.layout = council_layout(self.corpus)
        self._references = scan_references(self.corpus, self.layout)

    def __enter__(self) -> CorpusWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _load_state(self) -> dict[str, str]:
        try:
            data = json.loads(self._state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}  # no (usable) record: every differing file counts as edited
        state = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        try:  # what a killed run wrote after its last flush
            lines = self._journal_path.read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError):
            lines = []
        for line in lines:
            try:
                name, digest = json.loads(line)
            except (ValueError, TypeError):
                continue  # the line the kill cut short
            state[str(name)] = str(digest)
            self._unsaved += 1
        return state

    def _flush(self) -> None:
        text = json.dumps(self._state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(self._state_path, text)
        self._unsaved = 0
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self._journal_path.unlink(missing_ok=True)

    def _log(self, name: str, digest: str) -> None:
        try:
            if self._journal is None:
                self._journal = self._journal_path.open("a", encoding="utf-8")
            self._journal.write(json.dumps([name, digest], ensure_ascii=False) + "\n")
            self._journal.flush()
        except OSError:
            pass  # best effort: the state itself is still written at the next flush

    def close(self) -> None:
        """Write the import state (safe to call twice); ``ConfigError`` if it cannot."""
        if self._unsaved:
            try:
                self._flush()
            except OSError as exc:
                raise ConfigError(
                    f"cannot write {self._state_path}: {exc.strerror}; every file written is "
                    "complete, run the import again when this is fixed"
                ) from None

    def _record(self, path: Path, data: bytes) -> None:
        name = path.relative_to(self.corpus).as_posix()
        digest = _sha(data)
        if self._state.get(name) == digest:
            return
        self._state[name] = digest
        self._unsaved += 1
        self._log(name, digest)
        if self._unsaved >= FLUSH_EVERY and not self._flush_failed:
            try:
                self._flush()
            except OSError:  # a full disk, say: close() tries again and reports it
                self._flush_failed = True

    def _edited(self, path: Path, data: bytes) -> bool:
        recorded = self._state.get(path.relative_to(self.corpus).as_posix())
        if recorded is None:  # moved by an archivist, but as an importer wrote it?
            return _sha(data) not in self._state.values()
        return recorded != _sha(data)

    def use_council(self, council: Council) -> Council:
        """The council ``council.key`` to save into, created from ``council`` on first use.

        An existing description is kept as it is; the default council of a corpus from
        before councils needs none (its files are the root's). ``ConfigError`` for an
        invalid key, or for a folder of that name that already holds files of the default
        council (no ``_council.yml``): a description there would move them to the new council.
        """
        key = council.key
        if key in self.layout.folders or (key == self.layout.default and self.layout.legacy):
            return self.layout.council(key)
        folder = self.corpus / key
        if folder.is_dir() and not (folder / COUNCIL_FILE).exists():
            held = (path for (owner, _), path in self._references.items() if owner != key)
            if any(path.is_relative_to(folder) for path in held):
                raise ConfigError(
                    f"{folder} holds papers of the default council {self.layout.default!r} "
                    f"(it has no {COUNCIL_FILE}); choose another council key, or add a "
                    f"{COUNCIL_FILE} there if they are that council's papers"
                )
        described = ensure_council(self.corpus, council)
        self.layout = council_layout(self.corpus)
        return described

    def _skip(self, outcome: Outcome, reason: str) -> tuple[Outcome, Path | None]:
        self.last_reason = reason
        return outcome, None

    def save(
        self, motion: Motion, merge: Callable[[Motion, Motion], Motion] | None = None
    ) -> tuple[Outcome, Path | None]:
        """Write ``motion`` into its council (``motion.council``, else the default council),
        merged into the council's existing file of its reference with ``merge``, if given."""
        self.last_reason = None
        self.last_path = None
        council = motion.council or self.layout.default
        self.last_council = council
        if not motion.public:
            return self._skip(Outcome.SKIPPED, "not public; nothing written")
        self.use_council(self.layout.council(council))
        motion = replace(public_view(motion), council=council)
        known = self._references.get((council, motion.reference))
        target = known if known and known.exists() else path_for(motion, self.corpus, self.layout)
        if not within_corpus(target.parent, self.corpus):  # the corpus walk would not read it
            return self._skip(
                Outcome.SKIPPED, f"{target.parent} links out of the corpus; nothing written"
            )
        try:
            current = target.read_bytes() if target.exists() else None
        except OSError as exc:
            return self._skip(Outcome.SKIPPED, f"cannot read {target}: {exc.strerror}")
        existing: Motion | None = None
        if current is not None:
            try:
                existing = parse_motion(current.decode("utf-8"), target, council)
            except (CorpusErrors, CorpusError, UnicodeDecodeError):
                existing = None
            if existing is not None and existing.reference != motion.reference:
                return self._skip(
                    Outcome.CONFLICT,
                    f"{target} already holds {existing.reference!r}; nothing written",
                )
        merged = merge(existing, motion) if merge and existing else motion
        _, errors = validate(merged.metadata(), {}, target)
        if errors:
            problems = "; ".join(e.message for e in errors)
            return self._skip(
                Outcome.SKIPPED, f"not written, the file would be invalid: {problems}"
            )
        text = render_motion(merged)
        data = text.encode("utf-8")
        if current == data:
            self._record(target, data)
            self.last_path = target
            return Outcome.UNCHANGED, target
        if current is not None and not self.force and self._edited(target, current):
            return self._skip(
                Outcome.CONFLICT,
                f"{target} was edited since the last import; left alone (--force overwrites)",
            )
        try:
            write_atomic(target, text)
        except OSError as exc:
            return self._skip(Outcome.SKIPPED, f"cannot write {target}: {exc.strerror}")
        self._record(target, data)
        self._references[(council, merged.reference)] = target
        self.last_path = target
        return (Outcome.CREATED if current is None else Outcome.UPDATED), target

    def save_document(self, target: Path, text: str) -> Outcome:
        """Write a corpus file other than a paper (a meeting, ``archive.meeting_files``) under
        the same rules: unchanged is left alone, a file edited since the last import is a
        conflict unless ``force`` (``last_reason`` says why), every write atomic and recorded."""
        self.last_reason = None
        if not within_corpus(target.parent, self.corpus):
            self.last_reason = f"{target.parent} links out of the corpus; nothing written"
            return Outcome.SKIPPED
        data = text.encode("utf-8")
        try:
            current = target.read_bytes() if target.exists() else None
        except OSError as exc:
            self.last_reason = f"cannot read {target}: {exc.strerror}"
            return Outcome.SKIPPED
        if current == data:
            self._record(target, data)
            return Outcome.UNCHANGED
        if current is not None and not self.force and self._edited(target, current):
            self.last_reason = (
                f"{target} was edited since the last import; left alone (--force overwrites)"
            )
            return Outcome.CONFLICT
        try:
            write_atomic(target, text)
        except OSError as exc:
            self.last_reason = f"cannot write {target}: {exc.strerror}"
            return Outcome.SKIPPED
        self._record(target, data)
        return Outcome.CREATED if current is None else Outcome.UPDATED

    # --- file records and texts (archive.files, archive.file_text) -------------------------

    def update_files(self, path: Path, records: list[FileRecord]) -> Outcome:
        """Replace the ``files:`` records of the motion at ``path`` (fetching and extraction
        report here, file by file, so a killed run keeps what was done).

        Records are the importers' own, so they are written even into a motion an archivist
        edited since the last import: its other fields are kept as they are (the file is
        parsed and rendered again), and it keeps counting as edited, so a re-import still
        reports the conflict. ``last_reason`` says why when nothing could be written.
        """
        self.last_reason = None
        try:
            current = path.read_bytes()
            council = self.layout.council_at(path)
            motion = parse_motion(current.decode("utf-8"), path, council)
        except (OSError, UnicodeDecodeError, CorpusError, CorpusErrors) as exc:
            self.last_reason = f"cannot update the files of {path}: {exc}"
            return Outcome.SKIPPED
        updated = replace(motion, files=list(records))
        text = render_motion(updated)
        data = text.encode("utf-8")
        if data == current:
            return Outcome.UNCHANGED
        edited = not self.force and self._edited(path, current)
        try:
            write_atomic(path, text)
        except OSError as exc:
            self.last_reason = f"cannot write {path}: {exc.strerror}"
            return Outcome.SKIPPED
        if not edited:
            self._record(path, data)
        return Outcome.UPDATED

    def save_text(self, path: Path, pages: list[str]) -> Outcome:
        """Store a file's text, page by page, at ``path`` (``archive.file_text.text_path``).

        Unchanged text is left alone; a text edited since the last import is a conflict
        (``last_reason`` says so) unless ``force``; every write is atomic and recorded.
        """
        self.last_reason = None
        if not within_corpus(path.parent, self.corpus):
            self.last_reason = f"{path.parent} is not inside the corpus; nothing written"
            return Outcome.SKIPPED
        text = render_pages(pages)
        data = text.encode("utf-8")
        existed = path.exists()
        name = path.relative_to(self.corpus).as_posix()
        if existed and not self.force and edited_since_import(path, self._state.get(name), text):
            self.last_reason = (
                f"{path} was corrected since the last import; left alone (--force overwrites)"
            )
            return Outcome.CONFLICT
        try:
            unchanged = existed and path.read_bytes() == data
            if not unchanged:
                write_atomic(path, text)
        except OSError as exc:
            self.last_reason = f"cannot write {path}: {exc.strerror}"
            return Outcome.SKIPPED
        self._record(path, data)
        if unchanged:
            return Outcome.UNCHANGED
        return Outcome.UPDATED if existed else Outcome.CREATED
