"""Checking corpus files: every problem as ``path:line: message``, errors apart from warnings.

``check_corpus`` reads each file with the corpus reader (YAML, required keys, dates,
types, results, vote counts — see ``archive.validation``) as a paper of its council
(``archive.councils``) and adds the checks that need more than one file, such as a
reference used twice in one council (two councils may each have a paper ``22-2368``);
meeting files are checked with the meeting rules (``archive.meeting_check``), organisation
files with theirs (``archive.organization_check``);
the archive's own files — ``_archive.yml``, each ``_council.yml`` and ``_vocabulary.yml``
(``archive.layout_check``) — are checked too, those that govern the files checked. Links
the corpus walk did not follow (``archive.corpus_walk``) are warnings. Errors make
``ratsarchiv check`` fail; warnings are advice and never do.

>>> report = CheckReport(files=3)
>>> report.summary()
'checked 3 files: 0 problems'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.corpus import iter_council_files, read_motion, reference_of
from archive.corpus_walk import walk_corpus, within_corpus
from archive.councils import CouncilLayout, council_layout
from archive.errors import ConfigError, CorpusError, CorpusErrors, CorpusWarning
from archive.file_check import check_files
from archive.layout_check import check_layout, governing_files
from archive.meeting_check import check_meetings, is_meeting_path
from archive.motion import slug_for
from archive.organization_check import check_organizations, is_organization_path
from archive.quality import check_quality
from archive.vocabulary import Vocabulary

_REFERENCE_KEY = re.compile(rb"^reference\s*:", re.MULTILINE)


@dataclass
class CheckReport:
    """The problems found in ``files`` checked files."""

    errors: list[CorpusError] = field(default_factory=list)
    warnings: list[CorpusError] = field(default_factory=list)
    files: int = 0
    councils: dict[str, Counter[str]] = field(default_factory=dict)
    """Per council key: its ``files``, ``problems`` and ``warnings`` (when checked with a
    corpus); ``council_lines`` shows them when there are several."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """``"checked 12 files: 2 problems"`` (warnings counted apart when there are any)."""
        files = f"{self.files} file{'' if self.files == 1 else 's'}"
        problems = f"{len(self.errors)} problem{'' if len(self.errors) == 1 else 's'}"
        text = f"checked {files}: {problems}"
        if self.warnings:
            text += f", {len(self.warnings)} warning{'' if len(self.warnings) == 1 else 's'}"
        return text

    def council_lines(self) -> list[str]:
        """``"  hamburg-altona: 4 files, 1 problem, 2 warnings"`` per council, when the files
        checked belong to several councils (none otherwise)."""
        if len(self.councils) < 2:
            return []
        lines = []
        for key, counts in sorted(self.councils.items()):
            parts = [_count(counts["files"], "file"), _count(counts["problems"], "problem")]
            if counts["warnings"]:
                parts.append(_count(counts["warnings"], "warning"))
            lines.append(f"  {key}: {', '.join(parts)}")
        return lines


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def motion_files(
    paths: Iterable[Path], corpus: Path | None = None
) -> tuple[list[Path], list[CorpusError]]:
    """Files to check, each once (directories expand to their motion files), and the
    warnings of those walks: links the corpus walk did not follow (``archive.corpus_walk``;
    inside ``corpus``, its links may lead anywhere in it)."""
    found: dict[Path, None] = {}
    refused: list[CorpusError] = []
    for path in paths:
        if (is_meeting_path(path) or is_organization_path(path)) and path.exists():
            continue  # a meeting or organisation file or folder: their own checks
        if path.is_dir():
            root = corpus if corpus is not None and within_corpus(path, corpus) else path
            walk = walk_corpus(path, root=root)
            found.update(dict.fromkeys(Path(f.path) for f in walk.files))
            refused.extend(walk.refused)
        elif path.is_file():
            found[path] = None
        else:
            raise ConfigError(f"{path} does not exist")
    return list(found), refused


def _reference_line(path: Path) -> int | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    match = _REFERENCE_KEY.search(raw)
    return raw[: match.start()].count(b"\n") + 1 if match else None


def check_corpus(paths: Iterable[Path], *, corpus: Path | None = None) -> CheckReport:
    """Check the motion files under ``paths``.

    With ``corpus``, each file is a paper of its council there (a file outside the corpus
    one of the default council), and its reference is also compared with every other file
    of that council, so checking one file finds its duplicate elsewhere.
    """
    report = CheckReport()
    paths = list(paths)
    files, refused = motion_files(paths, corpus)
    report.files = len(files)
    layout = council_layout(corpus) if corpus is not None and corpus.is_dir() else None
    council_of = {path: layout.council_at(path) if layout else "" for path in files}
    owners: dict[tuple[str, str], list[Path]] = {}
    readable = []
    for path in files:
        try:
            motion = read_motion(path, council_of[path])
        except CorpusErrors as exc:
            report.errors.extend(sorted(exc.errors, key=lambda e: e.line or 1))
            continue
        owners.setdefault((motion.council, motion.reference), []).append(path)
        readable.append((path, motion))
    for problem in check_files(readable):
        (report.warnings if isinstance(problem, CorpusWarning) else report.errors).append(problem)
    checked = {p.resolve() for p in files}
    vocabulary = Vocabulary()
    if layout is not None:
        for path, council in iter_council_files(layout.corpus, layout):
            if path.resolve() not in checked:
                identity = (council, reference_of(path))
                if identity in owners:
                    owners[identity].append(path)
        vocabulary, broken = _check_archive_files(report, layout, paths, set(council_of.values()))
        if broken:
            readable = []  # a broken vocabulary: its warnings would be wrong
    for (_, reference), group in owners.items():
        report.errors.extend(_duplicates(reference, group, checked))
    # Quality warnings (archive.quality, docs/curation.md).
    report.warnings.extend([*refused, *check_quality(readable, vocabulary, layout)])
    meetings = check_meetings(paths, layout)
    report.files += len(meetings.files)
    report.errors += meetings.errors
    report.warnings += meetings.warnings
    council_of.update(meetings.files)
    files += [path for path, _ in meetings.files]
    organizations = check_organizations(paths, layout, readable, vocabulary)
    report.files += len(organizations.files)
    report.errors += organizations.errors
    report.warnings += organizations.warnings
    council_of.update(organizations.files)
    files += [path for path, _ in organizations.files]
    if layout is not None:
        report.councils = _per_council(report, files, council_of, layout)
    return report


def _check_archive_files(
    report: CheckReport, layout: CouncilLayout, paths: list[Path], councils: set[str]
) -> tuple[Vocabulary, bool]:
    """Add the problems of the archive's files that govern the papers checked (of
    ``councils``, under ``paths``); returns the vocabulary and whether it is broken."""
    governing = governing_files(layout, paths, councils)
    vocabulary, vocabulary_errors = Vocabulary.load_checked(layout.corpus)
    found = [*check_layout(layout), *vocabulary_errors]
    found = [p for p in found if Path(p.path) in governing]
    report.errors += [p for p in found if not isinstance(p, CorpusWarning)]
    report.warnings += [p for p in found if isinstance(p, CorpusWarning)]
    return vocabulary, any(p in vocabulary_errors for p in found)


def _per_council(
    report: CheckReport, files: list[Path], council_of: dict[Path, str], layout: CouncilLayout
) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for path in files:
        counts.setdefault(council_of[path], Counter())["files"] += 1
    for kind, problems in (("problems", report.errors), ("warnings", report.warnings)):
        for problem in problems:
            path = Path(problem.path)
            if path.parent == layout.corpus and path.name.startswith("_"):
                continue  # the archive's own file, no council's
            council = council_of.get(path) or layout.council_at(path)
            counts.setdefault(council, Counter())[kind] += 1
    return counts


def _duplicates(reference: str, group: list[Path], checked: set[Path]) -> list[CorpusError]:
    if len(group) < 2:
        return []
    # The file named after the reference owns it; then the first by path.
    group = sorted(group, key=lambda p: (p.stem != slug_for(reference), p))
    first, others = group[0], group[1:]
    errors = [
        CorpusError(
            path, f"reference {reference!r} is already used by {first}", _reference_line(path)
        )
        for path in others
        if path.resolve() in checked
    ]
    if not errors:
        names = ", ".join(str(p) for p in others)
        errors.append(
            CorpusError(
                first, f"reference {reference!r} is also used by {names}", _reference_line(first)
            )
        )
    return errors
