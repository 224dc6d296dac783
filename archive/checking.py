"""Checking corpus files: every problem as ``path:line: message``, errors apart from warnings.

``check_corpus`` reads each file with the corpus reader (YAML, required keys, dates,
types, results, vote counts — see ``archive.validation``) and adds the checks that
need more than one file, such as a reference used twice; links the corpus walk did not
follow (``archive.corpus_walk``) are warnings. Errors make ``ratsarchiv check`` fail;
warnings are advice and never do.

>>> report = CheckReport(files=3)
>>> report.summary()
'checked 3 files: 0 problems'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.corpus import iter_motion_files, read_motion, reference_of
from archive.corpus_walk import walk_corpus, within_corpus
from archive.errors import ConfigError, CorpusError, CorpusErrors
from archive.motion import slug_for
from archive.quality import check_quality

_REFERENCE_KEY = re.compile(rb"^reference\s*:", re.MULTILINE)


@dataclass
class CheckReport:
    """The problems found in ``files`` checked files."""

    errors: list[CorpusError] = field(default_factory=list)
    warnings: list[CorpusError] = field(default_factory=list)
    files: int = 0

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


def motion_files(
    paths: Iterable[Path], corpus: Path | None = None
) -> tuple[list[Path], list[CorpusError]]:
    """Files to check, each once (directories expand to their motion files), and the
    warnings of those walks: links the corpus walk did not follow (``archive.corpus_walk``;
    inside ``corpus``, its links may lead anywhere in it)."""
    found: dict[Path, None] = {}
    refused: list[CorpusError] = []
    for path in paths:
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

    With ``corpus``, a checked file's reference is also compared with every other
    file of that corpus, so checking one file finds its duplicate elsewhere.
    """
    report = CheckReport()
    files, refused = motion_files(paths, corpus)
    report.files = len(files)
    owners: dict[str, list[Path]] = {}
    readable = []
    for path in files:
        try:
            motion = read_motion(path)
        except CorpusErrors as exc:
            report.errors.extend(sorted(exc.errors, key=lambda e: e.line or 1))
            continue
        owners.setdefault(motion.reference, []).append(path)
        readable.append((path, motion))
    checked = {p.resolve() for p in files}
    if corpus is not None and corpus.is_dir():
        for path in iter_motion_files(corpus):
            if path.resolve() not in checked:
                reference = reference_of(path)
                if reference in owners:
                    owners[reference].append(path)
    for reference, group in owners.items():
        report.errors.extend(_duplicates(reference, group, checked))
    # Vocabulary errors and quality warnings (archive.quality, docs/curation.md).
    errors, warnings = check_quality(readable, corpus)
    report.errors.extend(errors)
    report.warnings.extend([*refused, *warnings])
    return report


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
